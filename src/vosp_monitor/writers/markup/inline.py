"""Our Markdown inside a line: **bold**, *italic*, [links](target), ``[text]{.style}`` spans and
``![caption](chart:NAME)`` charts, read by markdown-it-py into the document model's inlines.

The block reader (``parse``) hands each run of text here; a run without any mark is plain
text and skips markdown-it (most table cells: numbers, names, codes). Raw HTML, code and
autolinks are switched off: a template's ``<b>`` stays text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ...words.formatting import typeset
from .model import Emphasis, Inline, Inlines, LineBreak, Link, Span, Strong, Style, Text

# What makes an inline run more than plain text: without any of these it is taken as it is.
_INLINE_MARKUP = re.compile(r"[\\*_\[\]!&<>{}`\n]")
_LEVEL = re.compile(r"level-(\d+)")
HIGHEST_LEVEL = max(int(s.value.removeprefix("level-")) for s in Style if s.value.startswith("level-"))


@functools.cache
def _inline_parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).use(attrs_plugin, spans=True)
    md.disable(["backticks", "autolink", "html_inline"])
    return md


class InlineError(ValueError):
    """A mistake inside one line (an unknown style of a span): named with the line by the reader."""


def read_inline(content: str) -> Inlines:
    """A run of text as inline elements (an :class:`Image` among them is the reader's to place)."""
    if not _INLINE_MARKUP.search(content):
        return (Text(typeset(content)),) if content else ()
    return _inline(content)


@functools.lru_cache(maxsize=65536)
def _inline(content: str) -> Inlines:
    """An inline run read by markdown-it; cached: titles, marks and measures repeat in every card."""
    tokens = _inline_parser().parseInline(content)[0].children or []
    return _elements(tokens)


def _elements(tokens: list[Any]) -> Inlines:
    stack: list[tuple[str, Any, list[Any]]] = [("", None, [])]  # Inline, or an Image to be a Figure
    for token in tokens:
        kind = token.type
        if kind == "text":
            if token.content:  # «30 %», «5 ОО», «0 баллов»: the number never parts from its unit
                stack[-1][2].append(Text(typeset(token.content)))
        elif kind == "softbreak":
            stack[-1][2].append(Text(" "))
        elif kind == "hardbreak":
            stack[-1][2].append(LineBreak())
        elif kind == "image":
            target = unquote(str(token.attrs.get("src", "")))
            stack[-1][2].append(Image(target, _elements(token.children or [])))
        elif kind.endswith("_open"):
            stack.append((kind.removesuffix("_open"), token, []))
        elif kind.endswith("_close"):
            name, opening, content = stack.pop()
            stack[-1][2].append(_element(name, opening, tuple(content)))
        else:
            raise InlineError(f"такой разметки нет в языке шаблонов ({kind})")
    return tuple(stack[0][2])


def _element(name: str, opening: Any, content: Inlines) -> Inline:
    if name == "strong":
        return Strong(content)
    if name == "em":
        return Emphasis(content)
    if name == "link":
        target = unquote(str(opening.attrs.get("href", "")))  # the parser percent-encodes; writers encode
        return Link(target, content, styles_of(str(opening.attrs.get("class", ""))))
    if name == "span":
        return Span(styles_of(str(opening.attrs.get("class", ""))), content)
    raise InlineError(f"такой разметки нет в языке шаблонов ({name})")


def styles_of(classes: str) -> tuple[Style, ...]:
    """The styles of ``{.a .b}``; a level beyond the styles' colours takes the highest one (a
    framework may have more levels than :data:`HIGHEST_LEVEL` + 1)."""
    found = []
    for name in classes.split():
        if (level := _LEVEL.fullmatch(name)) is not None:
            name = f"level-{min(int(level.group(1)), HIGHEST_LEVEL)}"
        try:
            found.append(Style(name))
        except ValueError:
            known = ", ".join(f".{s.value}" for s in Style)
            raise InlineError(f"неизвестный стиль .{name}; есть: {known}") from None
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Image:
    """A chart inside a paragraph, until the reader makes the paragraph a :class:`Figure`."""

    target: str
    children: Inlines
