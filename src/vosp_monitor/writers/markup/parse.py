"""Our Markdown → the document model: what a section template writes, read once for every format.

The templates write CommonMark with GitHub's tables, read by markdown-it-py (the Python port
of the reference parser) with two attribute extensions from mdit-py-plugins:

* a line ``{#id .style key=value}`` before a block gives it an id, styles and options
  (``{.note}`` before a paragraph, ``{.landscape}`` before an appendix's heading,
  ``{#ranking .ranking page-size=100}`` before a table);
* ``[text]{.style}`` is a styled span (``[высокий]{.level-2}``, ``[дата приказа]{.placeholder}``).

A paragraph styled ``{.caption}`` is the caption of the table that follows it; a paragraph
holding only ``![caption](chart:NAME)`` is a chart; an empty span ``[]{.risk}`` at the
start of a row marks the row; a cell holding only ``[…]{.row}`` spans its row. Raw HTML,
code and quotes are not part of the language (a template's ``<b>`` stays text), so what a
template writes means the same in Markdown, HTML and Word.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from ...errors import VospError
from ...words.formatting import typeset
from .model import (
    Align,
    Block,
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Inlines,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Row,
    Rule,
    Span,
    Strong,
    Style,
    Table,
    Text,
)

CHART_SCHEME = "chart:"
_ATTRIBUTES = re.compile(r"^\{[^{}\\]*\}\s*$")  # a line «{.note}» or «{id=ranking .ranking}»
_OPTIONS = {"page-size"}  # block options a template may give besides id and styles


class ReportError(VospError):
    """A document cannot be rendered (usually a broken user template); message in Russian."""


class MarkupError(ReportError):
    """A template wrote something our Markdown does not have; the message says what and where."""


@functools.cache
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table").use(attrs_plugin, spans=True).use(attrs_block_plugin)
    md.disable(["code", "fence", "blockquote", "html_block", "lheading", "reference"])
    md.disable(["backticks", "autolink", "html_inline"])
    return md


def parse(text: str, source: str, sources: list[str] | None = None) -> Document:
    """The blocks of ``text``: the output of the template ``source`` (``sources``: the template
    each line came from, when it includes others), named in every error."""
    lines = text.splitlines()
    _check_attribute_lines(lines, source, sources or [])
    tokens = _parser().parse(text)
    reader = _Reader(tokens, source, lines, sources or [])
    return Document(list(reader.blocks()))


def _check_attribute_lines(lines: list[str], source: str, sources: list[str]) -> None:
    """A line of attributes right under a line of text would be read as more of that text
    (CommonMark joins them): the template lost a blank line, often to a block tag at the end of
    the line above (write ``{% endif +%}`` there)."""
    for k, line in enumerate(lines):
        if k and _ATTRIBUTES.match(line) and lines[k - 1].strip() and not _ATTRIBUTES.match(lines[k - 1]):
            where = sources[k] if k < len(sources) else source
            raise MarkupError(
                f"шаблон {where}: строка «{line.strip()}» должна стоять отдельно, после пустой строки "
                f"(сейчас она продолжает текст «{lines[k - 1].strip()[:60]}»; если та строка кончается "
                "тегом {% … %}, напишите его как {% … +%}, чтобы перевод строки сохранился)"
            )


class _Reader:
    def __init__(self, tokens: list[Any], source: str, lines: list[str], sources: list[str]) -> None:
        self.tokens = tokens
        self.i = 0
        self.source = source
        self.lines = lines
        self.sources = sources

    def error(self, token: Any, what: str) -> MarkupError:
        source, where = self.source, ""
        if token is not None and token.map:
            line = token.map[0]
            source = self.sources[line] if line < len(self.sources) else source
            text = self.lines[line].strip() if line < len(self.lines) else ""
            where = f" (в тексте «{text[:80]}»)"
        return MarkupError(f"шаблон {source}: {what}{where}")

    def next(self) -> Any:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def until(self, closing: str) -> Iterator[Any]:
        while self.tokens[self.i].type != closing:
            yield self.next()
        self.i += 1

    def blocks(self) -> Iterator[Block]:
        caption: tuple[Inlines, Any] | None = None
        while self.i < len(self.tokens):
            token = self.next()
            block = self.block(token)
            if caption is not None:
                if not isinstance(block, Table):
                    raise self.error(caption[1], "подпись {.caption} должна стоять прямо перед таблицей")
                block = _with_caption(block, caption[0])
                caption = None
            if isinstance(block, Paragraph) and Style.caption in block.styles:
                caption = (block.content, token)
                continue
            yield block
        if caption is not None:
            raise self.error(caption[1], "подпись {.caption} должна стоять прямо перед таблицей")

    def block(self, token: Any) -> Block:
        kind = token.type
        if kind == "heading_open":
            content = self.inline(self.next())
            self.next()
            ident, styles, _ = self.attributes(token)
            return Heading(int(token.tag[1]), content, ident, styles)
        if kind == "paragraph_open":
            inline = self.next()
            self.next()
            figure = self.figure(inline)
            if figure is not None:
                return figure
            return Paragraph(self.inline(inline), self.attributes(token)[1])
        if kind in ("bullet_list_open", "ordered_list_open"):
            items = tuple(self.list_item() for _ in self.items(kind.replace("_open", "_close")))
            start = int(token.attrs.get("start", 1))
            styles = self.attributes(token, allowed={"start"})[1]
            return ListBlock(items, ordered=kind == "ordered_list_open", start=start, styles=styles)
        if kind == "table_open":
            return self.table(token)
        if kind == "hr":
            return Rule()
        raise self.error(token, f"такой разметки нет в языке шаблонов ({kind})")

    def items(self, closing: str) -> Iterator[None]:
        while self.tokens[self.i].type != closing:
            yield None
        self.i += 1

    def list_item(self) -> Inlines:
        opening = self.next()
        if opening.type != "list_item_open":
            raise self.error(opening, "в списке ожидался пункт")
        content: list[Inline] = []
        for token in self.until("list_item_close"):
            if token.type == "inline":
                if content:
                    content.append(LineBreak())
                content.extend(self.inline(token))
            elif token.type not in ("paragraph_open", "paragraph_close"):
                raise self.error(
                    token, "в пункте списка может быть только текст (вложенных списков и таблиц нет)"
                )
        return tuple(content)

    def table(self, opening: Any) -> Table:
        ident, styles, options = self.attributes(opening)
        header: Row | None = None
        rows: list[Row] = []
        align: list[Align] = []
        for token in self.until("table_close"):
            if token.type == "tr_open":
                cells, aligns = self.row()
                if header is None and not rows and not align:
                    header, align = _row(cells), aligns
                else:
                    rows.append(_row(cells))
        assert header is not None  # a GFM table always has its header row
        return Table(
            header=header if any(header.cells) else None,  # «| | |»: a table without a header
            rows=tuple(rows),
            align=tuple(align),
            id=ident,
            styles=styles,
            page_size=int(options.get("page-size", 0)),
        )

    def row(self) -> tuple[list[Inlines], list[Align]]:
        cells: list[Inlines] = []
        aligns: list[Align] = []
        for token in self.until("tr_close"):
            if token.type in ("th_open", "td_open"):
                style = token.attrs.get("style", "")
                aligns.append(
                    Align(style.split(":", 1)[1]) if style.startswith("text-align:") else Align.left
                )
            elif token.type == "inline":
                cells.append(self.inline(token))
        return cells, aligns

    def figure(self, inline: Any) -> Figure | None:
        children = inline.children or []
        if len(children) != 1 or children[0].type != "image":
            return None
        image = children[0]
        target = str(image.attrs.get("src", ""))
        if not target.startswith(CHART_SCHEME):
            raise self.error(inline, f"рисунок может быть только диаграммой (chart:…), а не «{target}»")
        return Figure(target.removeprefix(CHART_SCHEME), self.children(image.children or [], inline))

    def inline(self, token: Any) -> Inlines:
        return self.children(token.children or [], token)

    def children(self, tokens: list[Any], where: Any) -> Inlines:
        stack: list[tuple[str, Any, list[Inline]]] = [("", None, [])]
        for token in tokens:
            kind = token.type
            if kind == "text":
                if token.content:  # «30 %», «5 ОО», «0 баллов»: the number never parts from its unit
                    stack[-1][2].append(Text(typeset(token.content)))
            elif kind == "softbreak":
                stack[-1][2].append(Text(" "))
            elif kind == "hardbreak":
                stack[-1][2].append(LineBreak())
            elif kind.endswith("_open"):
                stack.append((kind.removesuffix("_open"), token, []))
            elif kind.endswith("_close"):
                name, opening, content = stack.pop()
                stack[-1][2].append(self.element(name, opening, tuple(content), where))
            else:
                raise self.error(where, f"такой разметки нет в языке шаблонов ({kind})")
        return tuple(stack[0][2])

    def element(self, name: str, opening: Any, content: Inlines, where: Any) -> Inline:
        if name == "strong":
            return Strong(content)
        if name == "em":
            return Emphasis(content)
        if name == "link":
            styles = self.styles(str(opening.attrs.get("class", "")), where)
            target = unquote(str(opening.attrs.get("href", "")))  # the parser percent-encodes; writers encode
            return Link(target, content, styles)
        if name == "span":
            return Span(self.styles(opening.attrs.get("class", ""), where), content)
        raise self.error(where, f"такой разметки нет в языке шаблонов ({name})")

    def attributes(
        self, token: Any, allowed: set[str] | None = None
    ) -> tuple[str, tuple[Style, ...], dict[str, str]]:
        attrs = dict(token.attrs)
        attrs.pop("style", None)  # a table cell's alignment, set by the parser itself
        ident = str(attrs.pop("id", ""))
        styles = self.styles(str(attrs.pop("class", "")), token)
        unknown = set(attrs) - _OPTIONS - (allowed or set())
        if unknown:
            raise self.error(token, f"неизвестный параметр {', '.join(sorted(unknown))}")
        return ident, styles, {k: str(v) for k, v in attrs.items()}

    def styles(self, classes: str, where: Any) -> tuple[Style, ...]:
        found = []
        for name in classes.split():
            try:
                found.append(Style(name))
            except ValueError:
                known = ", ".join(f".{s.value}" for s in Style)
                raise self.error(where, f"неизвестный стиль .{name}; есть: {known}") from None
        return tuple(found)


def _row(cells: list[Inlines]) -> Row:
    """A row; a first cell of only ``[…]{.row}`` spans it, a leading ``[]{.risk}`` marks it."""
    styles: tuple[Style, ...] = ()
    first = cells[0] if cells else ()
    if first and isinstance(first[0], Span) and not first[0].children:
        styles = first[0].styles
        cells = [first[1:], *cells[1:]]
        first = cells[0]
    if len(first) == 1 and isinstance(first[0], Span) and Style.row in first[0].styles and not any(cells[1:]):
        return Row((first[0].children,), spans=True, styles=styles)
    return Row(tuple(cells), styles=styles)


def _with_caption(table: Table, caption: Inlines) -> Table:
    from dataclasses import replace

    return replace(table, caption=caption)
