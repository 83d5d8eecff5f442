"""The document model → HTML (report.html, the school cards' .html): one page that opens offline.

Each level-2 heading starts a ``<section>`` (appendices on a new printed page), the blocks
before the first one are the title block, and the table of contents is made from the
headings. Charts are inline SVG (drawn by ``writers.charts``); a ranking is sortable and
searchable, paged on screen and printed whole (``_report.js``). Every text is cleaned of
what a page cannot hold and escaped (:func:`~vosp_monitor.words.formatting.html_text`), so
a school called «<script>» is text. The page around the body is the template
``page.html.j2`` (styles and script inlined).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from markupsafe import Markup, escape

from ...words.formatting import html_text
from ...words.text import UNBROKEN_CODE
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
    plain,
)
from ..markup.numbering import Numbering
from ..markup.widths import column_widths

CARD_SCHEME = "card:"
PRINT_ALL = 5000  # rankings up to this size are in the page whole, so that print shows every row
_SPAN_CLASSES = {
    Style.ok: "tag ok",
    Style.warn: "tag warn",
    Style.risk: "mark",
    Style.better: "better",
    Style.worse: "worse",
    Style.stable: "stable",
    Style.incomparable: "incomparable",
    Style.placeholder: "placeholder",
    Style.position: "position",
    Style.name: "name",
    Style.level0: "level level-0",
    Style.level1: "level level-1",
    Style.level2: "level level-2",
    Style.level3: "level level-3",
    Style.level4: "level level-4",
}
_NUMBER = ' class="n"'  # a number: right-aligned, tabular digits
_PARAGRAPH_CLASSES = {Style.requisite: "meta", Style.subject: "subtitle", Style.screen: "note no-print"}


@dataclass(slots=True)
class HtmlPage:
    """What ``page.html.j2`` lays out: the title, the contents, the title block and the body."""

    title: str
    head: Markup
    body: Markup
    contents: list[tuple[str, str]] = field(default_factory=list)  # (id, heading) of each section
    appendices: list[tuple[str, str]] = field(default_factory=list)


def html(document: Document, charts: Mapping[str, str], cards: str = "schools") -> HtmlPage:
    """The page's parts; ``charts``: the SVG of each drawn chart by name (a chart not drawn is left out)."""
    return _Writer(charts, cards).page(document)


class _Writer:
    def __init__(self, charts: Mapping[str, str], cards: str) -> None:
        self.charts = charts
        self.cards = cards
        self.numbers = Numbering()
        self.sections = 0

    def page(self, document: Document) -> HtmlPage:
        page = HtmlPage(document.title, Markup(""), Markup(""))
        head: list[str] = []
        body: list[str] = []
        open_section = False
        for block in document.blocks:
            if isinstance(block, Heading) and block.level == 2:
                if open_section:
                    body.append("</section>")
                ident = block.id or f"part-{self.sections + 1}"
                self.sections += 1
                appendix = Style.appendix in block.styles
                (page.appendices if appendix else page.contents).append((ident, plain(block.content)))
                css = ' class="appendix"' if appendix else ""
                body.append(f'<section id="{escape(ident)}"{css}>')
                open_section = True
                body.append(self.heading(block, with_id=False))
                continue
            (body if open_section else head).append(self.block(block))
        if open_section:
            body.append("</section>")
        page.head = Markup("\n".join(part for part in head if part))
        page.body = Markup("\n".join(part for part in body if part))
        return page

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Paragraph):
            return self.paragraph(block)
        if isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
            items = "".join(f"<li>{self.inline(item)}</li>" for item in block.items)
            html = f"<{tag}{start}>{items}</{tag}>"
            return f'<div class="summary">{html}</div>' if Style.summary in block.styles else html
        if isinstance(block, Table):
            if Style.kpis in block.styles:
                return self.kpis(block)
            return self.bars(block) if Style.bars in block.styles else self.table(block)
        if isinstance(block, Figure):
            svg = self.charts.get(block.chart, "")
            if not svg:
                return ""
            caption = self.numbers.figure_caption(self.inline(block.caption))
            return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"
        if isinstance(block, Rule):
            return "<hr>"
        raise TypeError(block)

    def heading(self, heading: Heading, with_id: bool = True) -> str:
        tag = f"h{min(heading.level, 6)}"
        ident = f' id="{escape(heading.id)}"' if with_id and heading.id else ""
        page = Style.page in heading.styles or Style.appendix in heading.styles
        css = ' class="page"' if page else ""
        return f"<{tag}{ident}{css}>{self.inline(heading.content)}</{tag}>"

    def paragraph(self, paragraph: Paragraph) -> str:
        text = self.inline(paragraph.content)
        styles = paragraph.styles
        if Style.kind in styles:
            return f"<h1>{text}</h1>"
        classes = dict.fromkeys(c for s in styles for c in _PARAGRAPH_CLASSES.get(s, s.value).split())
        css = f' class="{" ".join(classes)}"' if classes else ""
        return f"<p{css}>{text}</p>"

    def kpis(self, table: Table) -> str:
        tiles = "".join(
            f'<div class="kpi"><b>{self.inline(row.cells[0])}</b><span>{self.inline(row.cells[1])}</span></div>'
            for row in table.rows
            if len(row.cells) >= 2
        )
        return f'<div class="kpis">{tiles}</div>'

    def bars(self, table: Table) -> str:
        """Scores 0–100 of the school and of the district as two bars per row (no chart library)."""
        header = table.header.cells if table.header is not None else ((),) * 4
        caption = self.numbers.table_caption(self.inline(table.caption)) if table.caption else ""
        legend = (
            f'<p class="legend">{caption}<i class="school"></i>{self.inline(header[1])}'
            f'<i class="district"></i>{self.inline(header[2])}</p>'
        )
        rows = []
        for row in table.rows:
            if row.spans or len(row.cells) < 4:
                continue
            title, school, district, place = (self.inline(c) for c in row.cells[:4])
            bars = "".join(
                f'<div class="bar {kind}" title="{value}"><i style="width: {_percent(value)}%"></i></div>'
                for kind, value in (("school", school), ("district", district))
            )
            rows.append(
                f'<tr><td>{title}</td><td class="bar-cell">{bars}</td>'
                f'<td class="n"><b>{school}</b><br><span class="note">{district}</span></td>'
                f'<td class="n note">{place}</td></tr>'
            )
        return f'{legend}<table class="bars"><tbody>{"".join(rows)}</tbody></table>'

    def table(self, table: Table) -> str:
        ranking = Style.ranking in table.styles
        ident = table.id or (f"table-{self.numbers.tables + 1}" if ranking else "")
        classes = [s.value for s in table.styles if s != Style.ranking]
        if ranking:
            classes += ["sortable", "ranking"]
        # A long list's widths are the writer's (_colgroup): the browser would otherwise lay out
        # every row before it shows the first. Other tables are laid out by the browser.
        fixed = ranking or Style.dense in table.styles
        if fixed:
            classes.append("fixed")
        attrs = f' id="{escape(ident)}"' if ident else ""
        attrs += f' class="{" ".join(classes)}"' if classes else ""
        rows = table.rows
        size = table.page_size if ranking and len(rows) > table.page_size > 0 else 0
        print_all = len(rows) <= PRINT_ALL
        if ranking:
            attrs += f' data-page-size="{size}"' + (' data-print-all="1"' if print_all else "")
        parts = [self.controls(ident, size, len(rows), print_all)] if ranking else []
        parts.append(f"<table{attrs}>")
        if table.caption:
            parts.append(f"<caption>{self.numbers.table_caption(self.inline(table.caption))}</caption>")
        if fixed:
            parts.append(_colgroup(table))
        if table.header is not None:
            cells = "".join(
                self.header_cell(c, a, ranking) for c, a in zip(table.header.cells, table.align, strict=True)
            )
            parts.append(f"<thead><tr>{cells}</tr></thead>")
        shown = rows if print_all or not size else rows[:size]
        parts.append("<tbody>" + "".join(self.row(r, table.align) for r in shown) + "</tbody>")
        parts.append("</table>")
        if len(shown) < len(rows):  # the rest in a <template>: a page of 40 000 rows opens at once
            rest = "".join(self.row(r, table.align) for r in rows[len(shown) :])
            parts.append(f'<template id="{escape(ident)}-rest">{rest}</template>')
        return "\n".join(parts)

    def controls(self, ident: str, size: int, count: int, print_all: bool) -> str:
        """The search box and the pager above a ranking (screen only), and what print shows."""
        pager = (
            '<button type="button" data-role="prev">← Назад</button><span data-role="info"></span>'
            '<button type="button" data-role="next">Вперёд →</button><label>строк на странице: '
            f'<select data-role="size"><option value="{size}" selected>{size}</option>'
            '<option value="500">500</option><option value="0">все</option></select></label>'
            if size
            else '<span data-role="info"></span>'
        )
        parts = [
            '<p class="note no-print">Нажмите на заголовок столбца, чтобы отсортировать таблицу; '
            "повторное нажатие меняет порядок.</p>",
            f'<div class="controls" id="{escape(ident)}-controls" hidden><label>Поиск ОО: '
            '<input type="search" data-role="search" placeholder="код или наименование"></label>'
            f"{pager}</div>",
        ]
        if not print_all:
            parts.append(
                f'<p class="print-only note">Таблица из {count}&nbsp;строк слишком велика для печати: '
                "напечатана текущая страница; полностью — в файле ranking.xlsx.</p>"
            )
        return "\n".join(parts)

    def header_cell(self, cell: Inlines, align: Align, sortable: bool) -> str:
        css = _NUMBER if align == Align.right else ""
        kind = ' data-type="num"' if sortable and align == Align.right else ""
        return f"<th{css}{kind}>{self.inline(cell)}</th>"

    def row(self, row: Row, align: tuple[Align, ...]) -> str:
        css = ' class="risk"' if Style.risk in row.styles else ""
        if row.spans:
            return f'<tr class="block-row"><td colspan="{len(align)}">{self.inline(row.cells[0])}</td></tr>'
        cells = "".join(
            f"<td{_NUMBER if a == Align.right else ''}>{self.inline(c)}</td>"
            for c, a in zip(row.cells, align, strict=True)
        )
        return f"<tr{css}>{cells}</tr>"

    def inline(self, content: Inlines) -> str:
        return "".join(self.element(item) for item in content)

    def element(self, item: object) -> str:
        if isinstance(item, Text):
            return _text(item.text)
        if isinstance(item, Strong):
            return f"<b>{self.inline(item.children)}</b>"
        if isinstance(item, Emphasis):
            return f"<i>{self.inline(item.children)}</i>"
        if isinstance(item, Link):
            return self.link(item)
        if isinstance(item, Span):
            classes = " ".join(_SPAN_CLASSES[s] for s in item.styles if s in _SPAN_CLASSES)
            inner = self.inline(item.children)
            if Style.placeholder in item.styles:
                return f'<mark class="placeholder">[{inner}]</mark>'
            return f'<span class="{classes}">{inner}</span>' if classes else inner
        if isinstance(item, LineBreak):
            return "<br>"
        raise TypeError(item)

    def link(self, link: Link) -> str:
        text = self.inline(link.children)
        target = link.target
        if target.startswith(CARD_SCHEME):
            target = f"{self.cards}/{quote(target.removeprefix(CARD_SCHEME))}.html"
        elif not target.startswith("#"):
            return text  # the page opens offline: no link leaves it
        css = ' class="no-print"' if Style.screen in link.styles else ""
        return f'<a{css} href="{escape(target)}">{text}</a>'


PRINT_WIDTH_MM = 180.0  # A4 within _report.css's @page margins
NARROW_FACE = 0.9  # Arial Narrow's letters against Times New Roman's, the widths' measure


@functools.lru_cache(maxsize=65536)
def _text(text: str) -> str:
    """A text as HTML; cached: titles, values and marks repeat in every card of a district.

    A code such as «UPR-5» or «4–5» is kept on one line: a browser may break a line after a
    hyphen or a dash, and a narrow column of codes would show «UPR-» over «5».
    """
    escaped = str(escape(html_text(text)))
    return (
        UNBROKEN_CODE.sub(r'<span class="nb">\g<0></span>', escaped)
        if "-" in text or "–" in text
        else escaped
    )


def _colgroup(table: Table) -> str:
    """The columns' shares of the width (:mod:`markup.widths`), measured at the size the long
    tables print in (_report.css: 8 pt, headers 7 pt, in a narrow face about 0.9 of Times New Roman's
    width, on the 180 mm of an A4 page): there a school's name fits on one line, and a
    row of the ranking takes one line instead of two."""
    header = [plain(c) for c in table.header.cells] if table.header is not None else None
    rows = [[plain(c) for c in row.cells] for row in table.rows if not row.spans]
    numeric = [a == Align.right for a in table.align]
    widths = column_widths(
        header,
        rows,
        PRINT_WIDTH_MM,
        body_pt=8 * NARROW_FACE,
        header_pt=7 * NARROW_FACE,
        columns=len(table.align),
        numeric=numeric,
    )
    total = sum(widths) or 1.0
    return (
        "<colgroup>" + "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in widths) + "</colgroup>"
    )


def _percent(text: str) -> str:
    """«75,3» → «75.3» (a CSS width); anything that is not a score → 0."""
    try:
        value = float(text.replace(",", ".").replace("\u00a0", ""))
    except ValueError:
        return "0"
    return f"{min(max(value, 0.0), 100.0):.1f}"
