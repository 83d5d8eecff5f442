"""The document model → Markdown (report.md, the school cards' .md): plain, readable as text.

The Markdown a person reads (on screen, in a repository, in a mail): GitHub's tables,
captions as «Таблица N — …» lines, charts left out (they are in HTML and Word), links to
a school's card as ``schools/CODE.md``. Every text is escaped again here
(:func:`~vosp_monitor.words.formatting.md_escape`: a school called «A | B» cannot break a
table), and a paragraph that would start like a list or a heading is protected.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ...words.formatting import md_inline
from ..markup.model import (
    Align,
    Block,
    Document,
    Emphasis,
    Figure,
    Heading,
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
from ..markup.numbering import Numbering

CARD_SCHEME = "card:"
_BLOCK_START = re.compile(r"^(\d+)([.)])(\s|$)|^([#+=-])")


def markdown(document: Document, cards: str = "schools") -> str:
    """The whole document as Markdown text (``cards``: the folder the card links point into)."""
    writer = _Writer(cards)
    parts = [writer.block(block) for block in document.blocks]
    return "\n\n".join(part for part in parts if part) + "\n"


class _Writer:
    def __init__(self, cards: str) -> None:
        self.cards = cards
        self.numbers = Numbering()

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return "#" * block.level + " " + self.inline(block.content)
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, ListBlock):
            return "\n".join(
                (f"{block.start + k}." if block.ordered else "-") + " " + self.inline(item, line_start=True)
                for k, item in enumerate(block.items)
            )
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Figure):
            self.numbers.figure()  # charts are not in Markdown, but numbered as in the other formats
            return ""
        if isinstance(block, Rule):
            return "---"
        raise TypeError(block)

    def paragraph(self, block: Paragraph) -> str:
        text = self.inline(block.content, line_start=True)
        if Style.kind in block.styles:
            return f"# {text}"
        if Style.subject in block.styles:
            return f"**{text}**"
        return text

    def table(self, table: Table) -> str:
        lines = []
        if table.caption:
            lines += [self.numbers.table_caption(self.inline(table.caption)), ""]
        width = len(table.align)
        header = table.header or Row(tuple(() for _ in range(width)))
        lines.append(self.row(header, width))
        lines.append("|" + "|".join(_rule(a) for a in table.align) + "|")
        lines += [self.row(row, width) for row in table.rows]
        return "\n".join(lines)

    def row(self, row: Row, width: int) -> str:
        cells = [self.inline(cell) for cell in row.cells]
        if row.spans:
            cells = [cells[0], *[""] * (width - 1)]
        return "| " + " | ".join(cells) + " |"

    def inline(self, content: Inlines, line_start: bool = False) -> str:
        text = "".join(self.element(item) for item in content)
        return _protect_start(text) if line_start else text

    def element(self, item: object) -> str:
        if isinstance(item, Text):
            return md_inline(item.text)
        if isinstance(item, Strong):
            return f"**{self.inline(item.children)}**"
        if isinstance(item, Emphasis):
            return f"*{self.inline(item.children)}*"
        if isinstance(item, Link):
            return self.link(item)
        if isinstance(item, Span):
            text = self.inline(item.children)
            return f"\\[{text}\\]" if Style.placeholder in item.styles else text
        if isinstance(item, LineBreak):
            return "  \n"
        raise TypeError(item)

    def link(self, link: Link) -> str:
        text = self.inline(link.children)
        target = link.target
        if target.startswith(CARD_SCHEME):
            target = f"{self.cards}/{quote(target.removeprefix(CARD_SCHEME))}.md"
        elif target.startswith("#"):
            return text  # a part of the same document: Markdown viewers number them differently
        return f"[{text}]({target})"


def _rule(align: Align) -> str:
    return {Align.left: "---", Align.right: "---:", Align.middle: ":---:"}[align]


def _protect_start(text: str) -> str:
    """«1. …», «# …», «- …» at the start of a paragraph would become a list or a heading."""
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group(1):
        return f"{match.group(1)}\\{match.group(2)}{text[match.end(2) :]}"
    return "\\" + text
