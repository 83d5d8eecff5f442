"""The document model → a Word document, laid out as ГОСТ Р 7.0.97 asks, on the styles of a template.

The template (``templates/report.docx``, or the analyst's copy) gives the styles, the page
setup and the page numbers; its body is replaced by the document's blocks. Every kind of
block has its named paragraph style, so an analyst restyles a kind of paragraph in Word's
style pane: headings, «Примечание», «Гриф приложения», «Реквизит», «Вид документа»,
«Заголовок к тексту», «Текст таблицы», «Число в таблице», «Шапка таблицы», «Caption»,
«Рисунок», «Подпись», «Исполнитель». Tables get their caption («Таблица N — …»), a header
row repeated on every page, rows that do not split, and column widths from their text
(:mod:`widths`: no word of a header is broken). A part styled landscape (a wide appendix)
is a section of landscape pages. A реквизит to fill in by hand is highlighted yellow.

The body is written as one XML string and parsed once: the ranking of a region has tens of
thousands of rows, and building them element by element would take minutes.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from markupsafe import escape

from ..markup.model import (
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
    plain,
)
from ..markup.numbering import Numbering
from ..markup.widths import column_widths
from .wordml import cell, grid, run, table_props, xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PORTRAIT_MM, LANDSCAPE_MM = 165.0, 247.0  # the text's width: A4 less the ГОСТ margins
CHART_MM = 160.0  # a chart's printed width
FEED = 1 << 22  # characters of the body fed to the parser at a time (a slice's copy stays small)
TWIPS_PER_MM = 1440 / 25.4
_HEADING_STYLES = {1: "Вид документа", 2: "Heading 1", 3: "Heading 2", 4: "Heading 3"}
_CELL_STYLES = {  # (a header's cell, a number) → the paragraph style of a table cell
    (True, True): "Шапка таблицы",
    (True, False): "Шапка таблицы",
    (False, True): "Число в таблице",
    (False, False): "Текст таблицы",
}
_PARAGRAPH_STYLES = {
    Style.note: "Примечание",
    Style.requisite: "Реквизит",
    Style.kind: "Вид документа",
    Style.subject: "Заголовок к тексту",
    Style.grif: "Гриф приложения",
    Style.executor: "Исполнитель",
}


class BlockWriter:
    """Writes a :class:`Document` into the body of a python-docx document made from a template.

    ``pictures``: the PNG of each chart by name; a chart without one is left out (as in HTML).
    """

    def __init__(self, docx: Any, pictures: Mapping[str, bytes], *, body_pt: float, table_pt: float) -> None:
        self.docx = docx
        self.pictures = pictures
        self.body_pt = body_pt
        self.table_pt = table_pt
        self.numbers = Numbering()
        self.styles = {style.name: style.style_id for style in docx.styles}
        self.landscape = False
        self.base_section = copy.deepcopy(docx.element.body.sectPr)

    def write(self, document: Document) -> None:
        """Replace the template's body with the document's blocks.

        The blocks' XML is parsed in its place, between the document's own start and end tags,
        into python-docx's element classes, and the new document replaces the old one whole:
        moving parsed rows into the template's tree node by node takes seconds at region scale.
        """
        from docx.oxml.parser import element_class_lookup
        from lxml import etree

        body = self.docx.element.body
        final = body.sectPr
        xml = "".join(self.blocks(document.blocks))  # the charts are added to the package here
        self._orient(final, self.landscape)
        for child in list(body):
            if child is not final:
                body.remove(child)
        shell = etree.tostring(self.docx.element, encoding="unicode")
        tag = f"{body.prefix}:body" if body.prefix else "body"
        start = re.search(f"<{tag}(?:\\s[^>]*)?>", shell)
        if (
            start is None
            or 'xmlns:w="' not in shell[: start.start()]
            or 'xmlns:r="' not in shell[: start.start()]
        ):
            raise ValueError(
                "report.docx: the document's body or its namespaces are not where Word puts them"
            )
        parser = etree.XMLParser(huge_tree=True)
        parser.set_element_class_lookup(element_class_lookup)
        parser.feed(shell[: start.end()])
        for piece in range(0, len(xml), FEED):
            parser.feed(xml[piece : piece + FEED])
        parser.feed(shell[start.end() :])
        self.docx._element = self.docx._part._element = parser.close()
        self.docx._Document__body = None  # python-docx's body proxy, made again if asked for

    # ------------------------------------------------------------------ blocks

    def blocks(self, blocks: list[Block]) -> Iterator[str]:
        """The blocks' XML; a part styled to start a new page starts one (its grif first, if any)."""
        broken = -1  # the heading whose break was already made before its grif
        for k, block in enumerate(blocks):
            following = blocks[k + 1] if k + 1 < len(blocks) else None
            if _is_grif(block) and isinstance(following, Heading) and _new_page(following):
                yield self.part_break(following)
                broken = k + 1
            elif isinstance(block, Heading) and _new_page(block) and k != broken:
                yield self.part_break(block)
            yield self.block(block)

    def part_break(self, heading: Heading) -> str:
        """A page break, or a section break when the orientation changes."""
        styles = heading.styles
        wanted = Style.landscape in styles or (self.landscape and Style.portrait not in styles)
        if wanted == self.landscape:
            return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        section = copy.deepcopy(self.base_section)
        self._orient(section, self.landscape)
        self.landscape = wanted
        return f"<w:p><w:pPr>{xml(section)}</w:pPr></w:p>"

    def block(self, block: Block) -> str:
        if isinstance(block, Heading):
            style = (
                "Заголовок к тексту"
                if Style.appendix in block.styles
                else _HEADING_STYLES[min(block.level, 4)]
            )
            return self.paragraph(block.content, style, keep=True)
        if isinstance(block, Paragraph):
            return self.paragraph_block(block)
        if isinstance(block, ListBlock):
            return "".join(
                self.paragraph(item, None, prefix=f"{block.start + k}. ")
                if block.ordered
                else self.paragraph(item, "Перечень", prefix="– ")
                for k, item in enumerate(block.items)
            )
        if isinstance(block, Table):
            return self.table(block)
        if isinstance(block, Figure):
            return self.figure(block)
        if isinstance(block, Rule):
            return ""
        raise TypeError(block)

    def paragraph_block(self, block: Paragraph) -> str:
        styles = block.styles
        if Style.screen in styles:
            return ""
        if Style.signature in styles:
            return self.signature(block.content)
        style = next((_PARAGRAPH_STYLES[s] for s in styles if s in _PARAGRAPH_STYLES), None)
        if Style.grif in styles or Style.executor in styles:  # each line a paragraph of its own
            lines = _lines(block.content)
            indent = (
                round((LANDSCAPE_MM - 75) * TWIPS_PER_MM) if self.landscape and Style.grif in styles else 0
            )
            return "".join(
                self.paragraph(line, style, indent=indent, after=0 if k < len(lines) - 1 else None)
                for k, line in enumerate(lines)
            )
        return self.paragraph(block.content, style, caps=Style.kind in styles)

    def paragraph(
        self,
        content: Inlines,
        style: str | None,
        *,
        prefix: str = "",
        keep: bool = False,
        caps: bool = False,
        indent: int = 0,
        after: int | None = None,
        align: str = "",
    ) -> str:
        props = self._style(style)
        if keep:
            props += "<w:keepNext/>"
        spacing = f'<w:spacing w:after="{after}"/>' if after is not None else ""
        props += spacing
        if indent:
            props += f'<w:ind w:left="{indent}"/>'
        if align:
            props += f'<w:jc w:val="{align}"/>'
        runs = (run(prefix, "") if prefix else "") + self.runs(content, "<w:caps/>" if caps else "")
        return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"

    def _style(self, name: str | None) -> str:
        if name is None:
            return ""
        style_id = self.styles.get(name, name)
        return f'<w:pStyle w:val="{escape(style_id)}"/>'

    def signature(self, content: Inlines) -> str:
        """The position on the left, the name at the right margin: a table without borders."""
        position = [i for i in content if isinstance(i, Span) and Style.position in i.styles]
        name = [i for i in content if isinstance(i, Span) and Style.name in i.styles]
        width = self._width()
        left, right = round(width * 0.58), round(width * 0.42)
        cells = cell(self.paragraph(tuple(position), "Подпись"), left) + cell(
            self.paragraph(tuple(name), "Подпись", align="right"), right, bottom=True
        )
        space = '<w:p><w:pPr><w:spacing w:after="240"/></w:pPr></w:p>'
        table = table_props(left + right, "") + grid([left, right])
        return f"{space}<w:tbl>{table}<w:tr>{cells}</w:tr></w:tbl>"

    def figure(self, figure: Figure) -> str:
        png = self.pictures.get(figure.chart)
        if not png:
            return ""
        from docx.shared import Mm

        inline = self.docx.part.new_pic_inline(io.BytesIO(png), Mm(CHART_MM), None)
        picture = f"<w:p><w:pPr>{self._style('Рисунок')}</w:pPr><w:r><w:drawing>{xml(inline)}</w:drawing></w:r></w:p>"
        caption = self.numbers.figure_caption("")
        return picture + self.paragraph((Text(caption), *figure.caption), "Caption", align="center")

    # ------------------------------------------------------------------ tables

    def table(self, table: Table) -> str:
        header = table.header
        bordered = header is not None
        head_texts = [plain(c) for c in header.cells] if header is not None else None
        texts = [[plain(c) for c in row.cells] for row in table.rows if not row.spans]
        fill = Style.compact not in table.styles and Style.kpis not in table.styles
        widths_mm = column_widths(
            head_texts,
            texts,
            self._width_mm(),
            body_pt=self.table_pt,
            header_pt=self.table_pt - 1,
            columns=len(table.align),
            fill=fill,
            numeric=[a == Align.right for a in table.align],
        )
        widths = [round(w * TWIPS_PER_MM) for w in widths_mm]
        parts = []
        if table.caption:
            caption = self.numbers.table_caption("")
            parts.append(self.paragraph((Text(caption), *table.caption), "Caption", keep=True))
        grid_style = self.styles.get("Table Grid", "TableGrid") if bordered else ""
        parts.append(f"<w:tbl>{table_props(sum(widths), grid_style)}{grid(widths)}")
        if header is not None:
            parts.append(self.row(header, table.align, widths, heading=True))
        parts.extend(self.row(row, table.align, widths, heading=False) for row in table.rows)
        parts.append("</w:tbl>")
        parts.append(self.paragraph((), "Отбивка"))
        return "".join(parts)

    def row(self, row: Row, align: tuple[Align, ...], widths: list[int], heading: bool) -> str:
        props = "<w:cantSplit/>" + ("<w:tblHeader/>" if heading else "")
        if row.spans:
            style = self._style("Текст таблицы")
            body = f"<w:p><w:pPr>{style}<w:keepNext/></w:pPr>{self.runs(row.cells[0], '')}</w:p>"
            return f"<w:tr><w:trPr>{props}</w:trPr>{cell(body, sum(widths), span=len(widths))}</w:tr>"
        shade = Style.risk in row.styles
        cells = []
        for k, (content, a, width) in enumerate(zip(row.cells, align, widths, strict=True)):
            style = _CELL_STYLES[heading, a == Align.right]
            body = f"<w:p><w:pPr>{self._style(style)}</w:pPr>{self.runs(content, '')}</w:p>"
            cells.append(cell(body, width, shade=shade and k == 0))
        return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"

    def _width_mm(self) -> float:
        return LANDSCAPE_MM if self.landscape else PORTRAIT_MM

    def _width(self) -> int:
        return round(self._width_mm() * TWIPS_PER_MM)

    # ------------------------------------------------------------------ runs

    def runs(self, content: Inlines, props: str) -> str:
        return "".join(self.inline(item, props) for item in content)

    def inline(self, item: Inline, props: str) -> str:
        if isinstance(item, Text):
            return run(item.text, props)
        if isinstance(item, Strong):
            return self.runs(item.children, props + "<w:b/>")
        if isinstance(item, Emphasis):
            return self.runs(item.children, props + "<w:i/>")
        if isinstance(item, Link):
            return "" if Style.screen in item.styles else self.runs(item.children, props)
        if isinstance(item, Span):
            highlight = '<w:highlight w:val="yellow"/>' if Style.placeholder in item.styles else ""
            inner = self.runs(item.children, props + highlight)
            return run("[", props + highlight) + inner + run("]", props + highlight) if highlight else inner
        if isinstance(item, LineBreak):
            return "<w:r><w:br/></w:r>"
        raise TypeError(item)

    @staticmethod
    def _orient(section: Any, landscape: bool) -> None:
        """A section's pages: A4 portrait or landscape, with the ГОСТ margins."""
        w = f"{{{W}}}"
        size = section.find(f"{w}pgSz")
        margins = section.find(f"{w}pgMar")
        long, short = str(round(297 * TWIPS_PER_MM)), str(round(210 * TWIPS_PER_MM))
        if size is not None:
            size.set(f"{w}w", long if landscape else short)
            size.set(f"{w}h", short if landscape else long)
            if landscape:
                size.set(f"{w}orient", "landscape")
            else:
                size.attrib.pop(f"{w}orient", None)
        if margins is not None:
            margins.set(f"{w}right", str(round((20 if landscape else 15) * TWIPS_PER_MM)))


def _is_grif(block: Block) -> bool:
    return isinstance(block, Paragraph) and Style.grif in block.styles


def _new_page(heading: Heading) -> bool:
    return bool({Style.appendix, Style.page, Style.landscape, Style.portrait} & set(heading.styles))


def _lines(content: Inlines) -> list[Inlines]:
    lines: list[list[Inline]] = [[]]
    for item in content:
        if isinstance(item, LineBreak):
            lines.append([])
        else:
            lines[-1].append(item)
    return [tuple(line) for line in lines]
