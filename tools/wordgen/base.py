"""The building blocks of the Word templates: page, styles, paragraphs, tables, signature.

Layout follows ГОСТ Р 7.0.97-2025 as practitioners apply it: A4, margins 30 mm left,
15 mm right, 20 mm top and bottom; Times New Roman (Liberation Serif has its metrics);
paragraph indent 1.25 cm; page numbers centred in the top margin from the second page;
the signature as position on the left and «И.О. Фамилия» at the right margin; the
исполнитель small at the end; an appendix's caption («гриф») in the top right corner.

Everything an analyst may want to restyle is a named paragraph style («Гриф приложения»,
«Текст таблицы», «Исполнитель» …), so a change in Word's style pane changes every
paragraph of that kind. Tables are built with docxtpl's row tags (``{%tr for … %}``) and
cell tags (``{%tc for … %}``) and carry their intended total width in ``w:tblW``; the
renderer scales the columns to it after the loops have run (``render/docx_layout.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.wordgen.styles import define_styles, page_setup, qn

TEXT_WIDTH_MM = 165.0  # A4 portrait: 210 − 30 − 15
LANDSCAPE_WIDTH_MM = 247.0  # A4 landscape: 297 − 30 − 20
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)  # core properties: the same bytes on every run
_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a template table: header text, relative width, alignment.

    ``loop`` makes it a repeated column (docxtpl ``{%tc for … %}``) in the data rows,
    ``head_loop`` in the header row: the header and the cells are printed once per item.
    """

    header: str
    width: float  # mm (scaled to the table's width after rendering)
    align: str = "left"  # left | right | center
    loop: str = ""  # «for s in r.blocks»
    head_loop: str = ""  # «for b in top_blocks»

    @property
    def repeated(self) -> bool:
        return bool(self.loop or self.head_loop)


class Span(str):
    """A row of one cell across the whole table (a block's title in the методика's table)."""


Row = Sequence[str] | Span | str  # cell texts, a spanning row, or a row tag «{%tr for r in ranking %}»


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


FIGURES = "{%p set figure = namespace(n=0) %}"  # the pictures' counter (:meth:`Builder.caption`)


class Builder:
    """A python-docx document being made into a template."""

    def __init__(self, body_pt: float, title: str, table_pt: float = 11) -> None:
        from docx import Document

        self.doc = Document()
        self.body_pt = body_pt
        self.table_pt = table_pt
        page_setup(self.doc, self.doc.sections[0])
        define_styles(self.doc, body_pt, table_pt)
        props = self.doc.core_properties
        props.author = props.last_modified_by = "vosp-monitor"
        props.title = title
        props.created = props.modified = FIXED_DATE
        props.revision = 1
        props.comments = "Шаблон vosp-monitor: текст и стили можно менять в Word; теги в фигурных скобках — данные мониторинга"

    # ------------------------------------------------------------------ paragraphs

    def p(self, text: str = "", style: str | None = None, *, keep: bool = False) -> Any:
        """A paragraph; ``**…**`` marks bold runs. Tags inside are left to docxtpl."""
        paragraph = self.doc.add_paragraph(style=style)
        _add_runs(paragraph, text)
        if keep:
            paragraph.paragraph_format.keep_with_next = True
        return paragraph

    def tag(self, tag: str) -> None:
        """A paragraph holding only a docxtpl paragraph tag (``{%p if … %}``); it is removed on rendering."""
        self.doc.add_paragraph(tag)

    def heading(self, text: str, level: int) -> None:
        self.doc.add_paragraph(text, style=f"Heading {level}")

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def section(self, landscape: bool) -> None:
        """Start a new section (on a new page), landscape for a wide appendix or back to portrait."""
        from docx.enum.section import WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        page_setup(self.doc, section, landscape)
        section.different_first_page_header_footer = False

    def picture(self, name: str, caption: str) -> None:
        """A chart printed by its context name (a docxtpl inline image), with its caption under it."""
        self.tag(f"{{%p if {name} %}}")
        self.p(f"{{{{ {name} }}}}", "Рисунок")
        self.caption(caption)
        self.tag("{%p endif %}")

    def caption(self, text: str) -> None:
        """«Рисунок N — text»: N counts the pictures actually printed (some are conditional), so
        the template sets ``figure = namespace(n=0)`` once before the first (:data:`FIGURES`)."""
        self.p(
            f"Рисунок {{% set figure.n = figure.n + 1 %}}{{{{ figure.n }}}} — {text}", "Caption"
        ).alignment = 1

    def grif(self, expression: str, landscape: bool = False) -> None:
        """An appendix's caption (a :class:`~vosp_monitor.report.documents.Grif`) in the top right corner."""
        from docx.shared import Mm

        lines = [f"{{{{ {expression}.title }}}}", f"{{{{ {expression}.to }}}}"]
        paragraphs = [self.p(line, "Гриф приложения") for line in lines]
        self.tag(f"{{%p if {expression}.dated.parts %}}")
        paragraphs.append(self.p(f"{{{{ {expression}.dated }}}}", "Гриф приложения"))
        self.tag("{%p endif %}")
        for paragraph in paragraphs[:-1]:
            paragraph.paragraph_format.space_after = 0
        if landscape:
            for paragraph in paragraphs:
                paragraph.paragraph_format.left_indent = Mm(LANDSCAPE_WIDTH_MM - 75)

    def signature(self) -> None:
        """Position on the left, «И.О. Фамилия» at the right margin (a table without borders)."""
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        self.p("", keep=True).paragraph_format.space_after = Pt(12)
        table = self.doc.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        _table_width(table, [95.0, 70.0])
        left, right = table.rows[0].cells
        left.paragraphs[0].style = self.doc.styles["Подпись"]
        _add_runs(left.paragraphs[0], "{{ documents.signatory_position }}")
        right.paragraphs[0].style = self.doc.styles["Подпись"]
        right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _add_runs(right.paragraphs[0], "{{ documents.signatory_name }}")
        right.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM  # the name on the position's last line
        for cell, width in zip((left, right), (95.0, 70.0), strict=True):
            cell.width = Mm(width)
            cell.paragraphs[0].paragraph_format.keep_with_next = True  # the signature stays with «Исп.»
        _no_split(table.rows[0])

    def executor(self) -> None:
        self.p("Исп.: {{ documents.executor_name }}", "Исполнитель", keep=True)  # never alone on a page
        paragraph = self.p("тел. {{ documents.executor_phone }}", "Исполнитель")
        paragraph.paragraph_format.space_before = 0

    # ------------------------------------------------------------------ tables

    def table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Row],
        *,
        width: float = TEXT_WIDTH_MM,
        caption: str = "",
        header: bool = True,
    ) -> Any:
        """A bordered table: a header row repeated on every page, then ``rows``.

        A row is either the cells' texts (a repeated column takes one text) or a row tag
        («{%tr for r in ranking %}») that docxtpl turns into a loop around the rows between
        it and its end tag. Numbers align right; rows do not split across pages. Without
        ``header`` the table has no borders either: it lays out figures, it is no data table.
        """
        if caption:
            self.p(caption, "Caption")
        cells_per_row = sum(3 if c.repeated else 1 for c in columns)
        table = self.doc.add_table(rows=0, cols=cells_per_row)
        if header:
            table.style = self.doc.styles["Table Grid"]
        widths: list[float] = []
        for c in columns:
            widths += [1.0, c.width, 1.0] if c.repeated else [c.width]
        _table_width(table, widths, total=width)
        if header:
            self._row(table, columns, [c.header for c in columns], heading=True)
        for row in rows:
            if isinstance(row, Span):
                cells = table.add_row().cells
                merged = cells[0].merge(cells[-1])
                merged.paragraphs[0].style = self.doc.styles["Текст таблицы"]
                merged.paragraphs[
                    0
                ].paragraph_format.keep_with_next = True  # a block's title stays with its rows
                _add_runs(merged.paragraphs[0], str(row))
                _no_split(table.rows[-1])
            elif isinstance(row, str):
                table.add_row().cells[0].text = row
            else:
                self._row(table, columns, list(row), heading=False)
        self.p("", "Отбивка")  # a little space between the table and the text after it
        return table

    def _row(self, table: Any, columns: Sequence[Column], texts: list[str], heading: bool) -> None:
        cells = iter(table.add_row().cells)
        row = table.rows[-1]
        _no_split(row)
        if heading:
            _repeat_header(row)
        for column, text in zip(columns, texts, strict=True):
            loop = column.head_loop if heading else column.loop
            if column.repeated:
                next(cells).text = f"{{%tc {loop} %}}" if loop else ""
            cell = next(cells)
            paragraph = cell.paragraphs[0]
            style = (
                "Шапка таблицы"
                if heading
                else ("Число в таблице" if column.align == "right" else "Текст таблицы")
            )
            paragraph.style = self.doc.styles[style]
            if column.align == "center" and not heading:
                paragraph.alignment = 1
            _add_runs(paragraph, text)
            if column.repeated:
                next(cells).text = "{%tc endfor %}" if loop else ""

    def save(self, path: Path) -> Path:
        """Save with fixed zip timestamps: regenerating an unchanged template changes no byte."""
        import io

        from vosp_monitor.writers.docx.engine import repack

        buffer = io.BytesIO()
        self.doc.save(buffer)
        repack(buffer.getvalue(), path)
        return path


# ---------------------------------------------------------------------- XML helpers


def _add_runs(paragraph: Any, text: str) -> None:
    parts = _BOLD.split(text)
    for i, part in enumerate(parts):
        if part:
            paragraph.add_run(part).bold = True if i % 2 else None


def _table_width(table: Any, widths: Sequence[float], total: float | None = None) -> None:
    """Column widths in mm, and the table's total width (``w:tblW``, which the renderer fits the columns to)."""
    from docx.oxml import OxmlElement

    table.autofit = False
    total = total if total is not None else sum(widths)
    props = table._tbl.tblPr
    tbl_w = props.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        props.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(twips(total)))
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        grid_col.set(qn("w:w"), str(twips(width)))


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _no_split(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
