"""How the form looks and how text gets into its cells: fonts, fills, borders, print setup.

Every string the writer puts into the workbook goes through :func:`put` (cells) or
:func:`prompt_text` (data-validation texts), which pass it through ``text.xml_text``: a
vertical tab from Word, an ANSI escape or another control character in a registry name
or a config text becomes something xlsx can hold, instead of openpyxl's
IllegalCharacterError. ``put`` also keeps text that starts with «=» from becoming a live
formula.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..words.text import clip, one_line, xml_text

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl.styles import Font
    from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
INPUT_FILL = "FFF2CC"  # light yellow: the school types here
CALC_FILL = "EDEDED"  # grey: computed by the form
HEADER_FILL = "D9D9D9"
HINT_COLOR = "595959"
BLOCK_FILLS = ("BDD7EE", "DDEBF7", "EEF4FB")  # by depth; deeper blocks reuse the last one
DATE_FORMAT = "DD.MM.YYYY"

INDICATOR_WIDTHS = (9, 56, 10, 30, 13, 17, 32)  # «Показатели», columns A–G
PREVIOUS_WIDTH = 26  # the read-only «Прошлый год» column after them (form --previous)
FIELD_WIDTHS = (36, 40, 28)  # «Сведения об ОО», columns A–C
INSTRUCTION_WIDTH = 75


def put(cell: Any, value: object, *, force_text: bool = False) -> None:
    """Write a value; text is made XML-safe, and ``force_text`` keeps «=…» from becoming a
    live formula."""
    if isinstance(value, str):
        value = xml_text(value)
    cell.value = value
    if force_text and isinstance(value, str):
        cell.data_type = "s"


def text(sheet: Worksheet, row: int, column: int, value: str) -> Any:
    """Write config text as text: a title starting with «=» must not become a formula."""
    cell = sheet.cell(row=row, column=column)
    if value:
        put(cell, value, force_text=True)
    return cell


def prompt_text(value: str, limit: int) -> str:
    """A data-validation text: one line, XML-safe, at most ``limit`` characters (Excel's)."""
    return clip(" ".join(one_line(xml_text(value)).split()), limit)


def font(size: float = 11, **style: Any) -> Font:
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, size=size, **style)


def hint_font(size: float = 9, **style: Any) -> Font:
    """Small grey print: notes, hints, where a denominator comes from."""
    return font(size=size, color=HINT_COLOR, **style)


def mark_input(cell: Any) -> None:
    """A yellow, unlocked cell: the school types here."""
    from openpyxl.styles import Alignment, PatternFill, Protection

    cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
    cell.protection = Protection(locked=False)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    border(cell)


def border(cell: Any) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="A6A6A6")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def header_row(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    for column, header in enumerate(headers, start=1):
        cell = text(sheet, row, column, header)
        cell.font = font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        border(cell)
    sheet.row_dimensions[row].height = 32


def print_setup(sheet: Worksheet, *, landscape: bool, title_row: int | None = None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    footer = sheet.oddFooter
    assert footer is not None  # openpyxl gives every sheet one
    footer.center.text = "Стр. &P из &N"
    if title_row is not None:
        sheet.print_title_rows = f"{title_row}:{title_row}"


def protect(sheet: Worksheet) -> None:
    """Sheet protection without a password; resizing rows and columns stays allowed."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def row_height(*cells: Sequence[tuple[str, float, float]]) -> float:
    """A row height (points) that fits wrapped text without clipping.

    Each argument is one cell, as the parts stacked inside it: (text, column width, font
    size). Neither openpyxl nor Excel fits wrapped rows when a file opens, so the height
    is estimated from characters per line, generously rather than clipped.
    """
    best = 15.0
    for parts in cells:
        height = 0.0
        for value, width, size in parts:
            if not value:
                continue
            per_line = max(1.0, width * 1.05 * 11 / size)
            lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(value).split("\n"))
            height += lines * size * 1.35
        best = max(best, height + 4)
    return min(409.0, round(best, 1))


def quote(sheet_title: str) -> str:
    """A sheet name as a formula refers to it: 'Сведения об ОО'."""
    return "'" + sheet_title.replace("'", "''") + "'"
