"""Our Markdown → the document model: what a section template writes, read once for every format.

The language is CommonMark's small core, line by line:

* ``## Heading`` (levels 1–4); a paragraph: lines of text up to a blank line (a line ending
  in ``\\`` or two spaces breaks the line);
* ``- item`` or ``1. item``: a list (an item may run on over the next lines; no nesting);
* ``| a | b |`` with ``|---|--:|`` under the first row: a table (GitHub's tables);
* ``---`` alone: a thin rule;
* ``{#id .style key=value}`` alone on a line before a block: its id, styles and options
  (``{.note}``, ``{.landscape}``, ``{#ranking .ranking page-size=100}``).

Inside a line (``inline.py``), markdown-it-py (the Python port of the reference parser) reads **bold**,
*italic*, [links](target), backslash escapes and, with mdit-py-plugins, styled spans
``[text]{.style}``. A paragraph styled ``{.caption}`` is the caption of the table under
it; a paragraph of only ``![caption](chart:NAME)`` is a chart; an empty span ``[]{.risk}``
at the start of a row marks the row; a cell of only ``[…]{.row}`` spans its row. Raw HTML,
code and quotes are not part of the language (a template's ``<b>`` stays text).

The blocks are read here, not by markdown-it's block parser: on this small grammar a line
loop reads a region's ranking (40 000 rows) ten times faster, and the 600 cards of a
district in a fraction of the time. Every text that shows it is CommonMark is the one the
Markdown writer writes, so any viewer reads report.md as the other formats say it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from ...errors import VospError
from .inline import Image, InlineError, read_inline, styles_of
from .model import (
    Align,
    Block,
    Document,
    Figure,
    Heading,
    Inlines,
    ListBlock,
    Paragraph,
    Row,
    Rule,
    Span,
    Style,
    Table,
)

CHART_SCHEME = "chart:"
_OPTIONS = {"page-size"}  # block options a template may give besides id and styles
_ATTRIBUTES = re.compile(r"^\{[^{}\\]*\}\s*$")  # a line «{.note}» or «{id=ranking .ranking}»
_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_BULLET = re.compile(r"^ {0,3}([-+*])(?:[ \t]+(.*)|$)")
_ORDERED = re.compile(r"^ {0,3}(\d{1,9})([.)])(?:[ \t]+(.*)|$)")
_DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


class ReportError(VospError):
    """A document cannot be rendered (usually a broken user template); message in Russian."""


class MarkupError(ReportError):
    """A template wrote something our Markdown does not have; the message says what and where."""


def parse(text: str, source: str, sources: list[str] | None = None) -> Document:
    """The blocks of ``text``: the output of the template ``source`` (``sources``: the template
    each line came from, when it includes others), named in every error."""
    return Document(list(_Reader(text.splitlines(), source, sources or []).blocks()))


class _Reader:
    def __init__(self, lines: list[str], source: str, sources: list[str]) -> None:
        self.lines = lines
        self.source = source
        self.sources = sources
        self.i = 0

    def error(self, line: int, what: str) -> MarkupError:
        source = self.sources[line] if 0 <= line < len(self.sources) else self.source
        text = self.lines[line].strip() if 0 <= line < len(self.lines) else ""
        return MarkupError(f"шаблон {source}: {what}" + (f" (в тексте «{text[:80]}»)" if text else ""))

    # ------------------------------------------------------------------ blocks

    def blocks(self) -> Iterator[Block]:
        attributes: tuple[str, dict[str, str], int] | None = None
        caption: tuple[Inlines, int] | None = None
        lines = self.lines
        while self.i < len(lines):
            line = lines[self.i]
            if not line.strip():
                self.i += 1
                continue
            start = self.i
            if _ATTRIBUTES.match(line):
                if attributes is not None:
                    raise self.error(start, "два набора атрибутов подряд: оставьте один")
                attributes = (line.strip(), self._attributes(line.strip(), start), start)
                self.i += 1
                continue
            block = self.block(line, attributes)
            attributes = None
            if caption is not None:
                if not isinstance(block, Table):
                    raise self.error(caption[1], "подпись {.caption} должна стоять прямо перед таблицей")
                block, caption = replace(block, caption=caption[0]), None
            if isinstance(block, Paragraph) and Style.caption in block.styles:
                caption = (block.content, start)
                continue
            yield block
        if attributes is not None:
            raise self.error(attributes[2], "после атрибутов нет абзаца, заголовка или таблицы")
        if caption is not None:
            raise self.error(caption[1], "подпись {.caption} должна стоять прямо перед таблицей")

    def block(self, line: str, attributes: tuple[str, dict[str, str], int] | None) -> Block:
        start = self.i
        options = attributes[1] if attributes is not None else {}
        heading = _HEADING.match(line)
        if heading:
            self.i += 1
            level = len(heading.group(1))
            if level > 4:
                raise self.error(start, "заголовков глубже 4-го уровня (####) нет")
            ident, styles = self._id_and_styles(options, start)
            return Heading(level, self.inline(heading.group(2) or "", start), ident, styles)
        if _RULE.match(line):
            self.i += 1
            return Rule()
        if line.lstrip().startswith("|") and self._delimiter_follows():
            return self.table(options, start)
        if _BULLET.match(line) or _ORDERED.match(line):
            return self.list_block(options, start)
        return self.paragraph(options, start)

    def _delimiter_follows(self) -> bool:
        following = self.i + 1
        return following < len(self.lines) and bool(_DELIMITER.match(self.lines[following].strip()))

    def paragraph(self, options: dict[str, str], start: int) -> Block:
        self.i += 1
        while self.i < len(self.lines) and not self._ends_paragraph(self.lines[self.i]):
            self.i += 1
        _, styles = self._id_and_styles(options, start)
        content = self.inline(_joined(self.lines[start : self.i]), start, figure=True)
        if content and isinstance(content[0], Image):
            return self.figure(content[0], start)
        return Paragraph(content, styles)

    def _ends_paragraph(self, line: str) -> bool:
        if not line.strip():
            return True
        if _ATTRIBUTES.match(line):
            raise self.error(
                self.i,
                f"строка «{line.strip()}» должна стоять отдельно, после пустой строки (сейчас она "
                f"продолжает текст «{self.lines[self.i - 1].strip()[:60]}»; если та строка кончается "
                "тегом {% … %}, напишите его как {% … +%}, чтобы перевод строки сохранился)",
            )
        ordered = _ORDERED.match(line)
        return bool(
            _HEADING.match(line)
            or _RULE.match(line)
            or _BULLET.match(line)
            or (ordered and ordered.group(1) == "1")  # CommonMark: only «1.» interrupts a paragraph
            or (line.lstrip().startswith("|") and self._delimiter_follows())
        )

    def list_block(self, options: dict[str, str], start: int) -> ListBlock:
        first = _ORDERED.match(self.lines[self.i])
        ordered = first is not None
        marker = first.group(2) if first else _BULLET.match(self.lines[self.i]).group(1)  # type: ignore[union-attr]
        number = int(first.group(1)) if first else 1
        items: list[Inlines] = []
        while self.i < len(self.lines):
            item = self._item(self.lines[self.i], ordered, marker)
            if item is None:
                break
            line = self.i
            self.i += 1
            while self.i < len(self.lines) and self._continues_item(self.lines[self.i]):
                self.i += 1
            items.append(self.inline(_joined([item, *self.lines[line + 1 : self.i]]), line))
            loose = self.i + 1 < len(self.lines) and not self.lines[self.i].strip()
            if loose and self._item(self.lines[self.i + 1], ordered, marker) is not None:
                self.i += 1  # a blank line between items: the same (loose) list
        _, styles = self._id_and_styles(options, start, allowed={"start"})
        return ListBlock(tuple(items), ordered=ordered, start=number, styles=styles)

    @staticmethod
    def _item(line: str, ordered: bool, marker: str) -> str | None:
        match = _ORDERED.match(line) if ordered else _BULLET.match(line)
        if match is None or match.group(2 if ordered else 1) != marker:
            return None
        return (match.group(3) if ordered else match.group(2)) or ""

    def _continues_item(self, line: str) -> bool:
        if not line.strip() or _BULLET.match(line) or _ORDERED.match(line) or _HEADING.match(line):
            return False
        if line.startswith((" ", "\t")) and (_BULLET.match(line.strip()) or _ORDERED.match(line.strip())):
            raise self.error(self.i, "вложенных списков нет: пункт списка может быть только текстом")
        return not (_RULE.match(line) or line.lstrip().startswith("|") or _ATTRIBUTES.match(line))

    def table(self, options: dict[str, str], start: int) -> Table:
        header = self._cells(self.lines[self.i])
        align = tuple(_align(cell) for cell in self._cells(self.lines[self.i + 1]))
        width = len(header)
        if len(align) != width:
            raise self.error(start, "в строке под заголовком таблицы другое число столбцов")
        self.i += 2
        rows = []
        while self.i < len(self.lines) and self.lines[self.i].lstrip().startswith("|"):
            cells = self._cells(self.lines[self.i])
            cells = (cells + [""] * width)[:width]  # GitHub's rule: short rows filled, long cut
            rows.append(_row([self.inline(c, self.i) for c in cells]))
            self.i += 1
        ident, styles = self._id_and_styles(options, start, allowed=_OPTIONS)
        head = _row([self.inline(c, start) for c in header])
        return Table(
            header=head if any(head.cells) else None,  # «| | |»: a table without a header
            rows=tuple(rows),
            align=align,
            id=ident,
            styles=styles,
            page_size=int(options.get("page-size", 0) or 0),
        )

    @staticmethod
    def _cells(line: str) -> list[str]:
        text = line.strip()
        text = text[1:] if text.startswith("|") else text
        if text.endswith("|") and not text.endswith("\\|"):
            text = text[:-1]
        return [cell.strip() for cell in _CELL_SPLIT.split(text)]

    def figure(self, image: Image, line: int) -> Figure:
        if not image.target.startswith(CHART_SCHEME):
            raise self.error(line, f"рисунок может быть только диаграммой (chart:…), а не «{image.target}»")
        return Figure(image.target.removeprefix(CHART_SCHEME), image.children)

    # ------------------------------------------------------------------ attributes

    def _attributes(self, text: str, line: int) -> dict[str, str]:
        from mdit_py_plugins.attrs.parse import ParseError
        from mdit_py_plugins.attrs.parse import parse as parse_attributes

        try:
            end, attributes = parse_attributes(text)
        except ParseError as exc:
            raise self.error(line, f"не прочитаны атрибуты: {exc}") from None
        if text[end + 1 :].strip():  # «end» is the closing brace
            raise self.error(line, "после атрибутов в той же строке ничего не пишут")
        return attributes

    def _id_and_styles(
        self, attributes: dict[str, str], line: int, *, allowed: set[str] | None = None
    ) -> tuple[str, tuple[Style, ...]]:
        attributes = dict(attributes)
        ident = attributes.pop("id", "")
        styles = self.styles(attributes.pop("class", ""), line)
        unknown = set(attributes) - (allowed or set())
        if unknown:
            raise self.error(line, f"неизвестный параметр {', '.join(sorted(unknown))}")
        return ident, styles

    def styles(self, classes: str, line: int) -> tuple[Style, ...]:
        try:
            return styles_of(classes)
        except InlineError as exc:
            raise self.error(line, str(exc)) from None

    # ------------------------------------------------------------------ inline

    def inline(self, content: str, line: int, *, figure: bool = False) -> Inlines:
        """A run of text as inline elements; ``figure``: a chart may stand alone in it (a paragraph)."""
        try:
            elements = read_inline(content)
        except InlineError as exc:
            raise self.error(line, str(exc)) from None
        images = [e for e in elements if isinstance(e, Image)]
        if images and not (figure and len(elements) == 1):
            raise self.error(line, "диаграмма ![…](chart:…) должна стоять отдельным абзацем")
        return elements


def _joined(lines: list[str]) -> str:
    """A block's lines as one inline run (markdown-it reads a line ending in «\\» or two spaces
    as a line break, any other line end as a space)."""
    return "\n".join(line.lstrip() for line in lines).rstrip()


def _align(cell: str) -> Align:
    cell = cell.strip()
    if cell.startswith(":") and cell.endswith(":"):
        return Align.middle
    return Align.right if cell.endswith(":") else Align.left


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
