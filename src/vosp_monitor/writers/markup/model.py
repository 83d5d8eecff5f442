"""The document model every written document is made of, whatever its format.

A section of the справка is written once, as a template in our Markdown (``markup.parse``
reads it into these blocks), and three writers lay the same blocks out: Markdown
(``html_md.markdown``), HTML (``html_md.html``) and Word (``docx.spravka``). So a sentence
changed in one template changes in every format, and a writer only decides how a kind of
block looks, never what it says.

The model is deliberately small — what official Russian documents use: headings,
paragraphs with emphasis and links, lists, tables with a caption, a header row and rows
that span the table, charts with a caption, and a few named :class:`Style` s (a note, an
appendix's caption, a placeholder for a реквизит …). A style is the one contract between a
template and the writers: an unknown style in a template is an error, not a silent no-op.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Style(enum.StrEnum):
    """The named styles a template may give a block or a span (``{.note}``, ``[…]{.ok}``)."""

    # blocks: where a heading starts and how a paragraph looks
    page = "page"  # a heading that starts a new page
    landscape = "landscape"  # a heading whose part is printed on landscape pages (a wide appendix)
    portrait = "portrait"  # a heading that returns to portrait pages
    appendix = "appendix"  # a heading of an appendix (its own page; a part of its own in HTML)
    kind = "kind"  # the document's kind: «Аналитическая справка» (a title)
    subject = "title"  # the heading to the text: «по итогам мониторинга …»
    requisite = "requisite"  # a centred реквизит line (the authority, the period and date)
    grif = "grif"  # an appendix's caption in the top right corner («Приложение 1 к приказу …»)
    note = "note"  # a smaller explanatory paragraph
    summary = "summary"  # a list of the main points (set apart on screen)
    caption = "caption"  # the caption of the table that follows it («Таблица N — …»)
    signature = "signature"  # the position on the left, the name at the right margin
    executor = "executor"  # «Исп.: …», small, at the end
    screen = "screen"  # for the screen only (HTML, Markdown): not printed, not in Word
    # tables
    kpis = "kpis"  # headline figures: value and label (tiles in HTML)
    compact = "compact"  # a narrow table: only as wide as its content
    ranking = "ranking"  # the ranking: sortable and searchable in HTML, paged when long
    dense = "dense"  # a long list printed small, in a narrow face (an appendix of every school)
    bars = "bars"  # scores 0–100 of a school (2nd column) and its district (3rd): bars in HTML
    # spans inside a paragraph or a cell
    row = "row"  # a cell's text that spans the whole row (a block's title in a table)
    placeholder = "placeholder"  # a реквизит to fill in by hand (highlighted)
    ok = "ok"  # a good mark («цель достигнута»)
    warn = "warn"  # a warning mark («цель не достигнута», «системный»)
    risk = "risk"  # a school in the risk zone (its row is marked)
    better = "better"  # a change for the better
    worse = "worse"  # a change for the worse
    stable = "stable"  # no significant change
    incomparable = "incomparable"  # years that cannot be compared
    level0 = "level-0"  # a level's name, coloured by the level (lowest first)
    level1 = "level-1"
    level2 = "level-2"
    level3 = "level-3"
    level4 = "level-4"
    position = "position"  # the signatory's position in a signature
    name = "name"  # the signatory's name in a signature


class Align(enum.StrEnum):
    left = "left"
    right = "right"
    middle = "center"


# ----------------------------------------------------------------------------- inline


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A link. ``card:CODE`` is a school's card (schools/CODE.html in HTML, .md in Markdown,
    plain text in Word); ``#id`` a part of the same document; anything else is kept as is."""

    target: str
    children: tuple[Inline, ...]
    styles: tuple[Style, ...] = ()


@dataclass(frozen=True, slots=True)
class Span:
    styles: tuple[Style, ...]
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Text | Strong | Emphasis | Link | Span | LineBreak
Inlines = tuple[Inline, ...]


# ----------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1 — the document's title, 2 — a section, 3 and 4 — inside a section
    content: Inlines
    id: str = ""
    styles: tuple[Style, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    content: Inlines
    styles: tuple[Style, ...] = ()


@dataclass(frozen=True, slots=True)
class ListBlock:
    items: tuple[Inlines, ...]
    ordered: bool = False
    start: int = 1
    styles: tuple[Style, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Inlines, ...]
    spans: bool = False  # one cell across the whole table (:attr:`Style.row`)
    styles: tuple[Style, ...] = ()  # e.g. :attr:`Style.risk`: the row is marked


@dataclass(frozen=True, slots=True)
class Table:
    header: Row | None  # None: a layout table without a header (no borders in Word)
    rows: tuple[Row, ...]
    align: tuple[Align, ...]
    caption: Inlines = ()
    id: str = ""
    styles: tuple[Style, ...] = ()
    page_size: int = 0  # HTML: rows shown per screen page (0: all); print shows every row


@dataclass(frozen=True, slots=True)
class Figure:
    """A chart, by its name (``chart:total``, ``chart:target:KR-1`` …), with its caption."""

    chart: str
    caption: Inlines


@dataclass(frozen=True, slots=True)
class Rule:
    """A thin line before a closing remark (e.g. «Сформировано программой …»)."""


Block = Heading | Paragraph | ListBlock | Table | Figure | Rule


@dataclass(slots=True)
class Document:
    """A whole document: its blocks in reading order, and its title (the HTML page's title)."""

    blocks: list[Block] = field(default_factory=list)
    title: str = ""


def plain(content: Inlines) -> str:
    """The text of inline content, without any markup (for titles, ids, widths)."""
    parts: list[str] = []
    for item in content:
        if isinstance(item, Text):
            parts.append(item.text)
        elif isinstance(item, LineBreak):
            parts.append(" ")
        else:
            parts.append(plain(item.children))
    return "".join(parts)
