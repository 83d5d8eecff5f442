"""Fills a form programmatically, as a school would type into it.

The samples generator and the tests use it. Sheets, header rows and columns are found
through ``layout`` the way a reader finds them, and rows by field keys or labels and
indicator codes, so a form whose rows were sorted or which got an extra column still
fills correctly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vosp_monitor import layout
from vosp_monitor.config import Config, Indicator, IndicatorType
from vosp_monitor.form import FormError
from vosp_monitor.form.styles import put

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_PARTS = ("value", "numerator", "denominator", "comment")


@dataclass
class FormCells:
    """Where the inputs of a form are, found the way a reader finds them."""

    fields: dict[str, Any] = field(default_factory=dict)  # field key (or label) → value cell
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → {part: cell}


def locate_inputs(workbook: Workbook) -> FormCells:
    """Find the input cells by sheet name, header texts, field keys/labels and codes.

    Rows and columns are not assumed to be where the writer put them, so a form whose
    rows were sorted or which got an extra column still fills correctly.
    """
    cells = FormCells()
    fields_sheet = _find_sheet(workbook, layout.SHEET_FIELDS)
    indicators_sheet = _find_sheet(workbook, layout.SHEET_INDICATORS)
    header_row, columns = _find_header(fields_sheet, layout.FIELD_COLUMNS, ("value",))
    value_column = columns["value"]
    for line, row in enumerate(fields_sheet.iter_rows(min_row=header_row + 1), start=header_row + 1):
        for column, cell in enumerate(row, start=1):
            # Labels and hidden keys identify a row; what a school typed never does.
            if column != value_column and isinstance(cell.value, str) and cell.value.strip():
                cells.fields.setdefault(cell.value.strip(), fields_sheet.cell(row=line, column=value_column))
    header_row, columns = _find_header(indicators_sheet, layout.INDICATOR_COLUMNS, ("code", *_PARTS))
    for line, row in enumerate(indicators_sheet.iter_rows(min_row=header_row + 1), start=header_row + 1):
        code = row[columns["code"] - 1].value if len(row) >= columns["code"] else None
        if isinstance(code, str) and code.strip():
            cells.indicators[code.strip()] = {
                part: indicators_sheet.cell(row=line, column=columns[part]) for part in _PARTS
            }
    return cells


def fill_workbook(
    workbook: Workbook,
    config: Config,
    fields: Mapping[str, object],
    values: Mapping[str, object],
) -> None:
    """Type values into a form as a school would.

    ``fields``: field key → value. ``values``: indicator code → value; for a share a
    tuple ``(numerator, denominator)``, or ``(numerator,)`` / the numerator alone when the
    denominator comes from a school field; or a dict with any of ``value``,
    ``numerator``, ``denominator``, ``comment``; for a computed indicator a dict of its
    inputs by key (``{"r1": 12, "R": 60}``), typed into the inputs' rows. Strings are written as typed («12,5»
    stays text; characters xlsx cannot hold are made XML-safe); a string starting with «=»
    becomes a formula. ``None`` clears a cell.
    """
    cells = locate_inputs(workbook)
    for key, value in fields.items():
        if not any(f.key == key for f in config.school_fields):
            raise FormError(f"в сведениях об ОО нет поля «{key}»")
        school_field = config.field(key)
        cell = cells.fields.get(key) or cells.fields.get(school_field.label)
        if cell is None:
            raise FormError(f"в форме не найдена строка поля «{school_field.label}»")
        put(cell, value)
    for code, given in values.items():
        if code not in cells.indicators:
            raise FormError(f"в форме не найдена строка показателя {code}")
        indicator = config.indicator(code)
        keys = {item.key for item in indicator.inputs}
        for part, value in _parts(indicator, given).items():
            row = layout.input_code(code, part) if part in keys else code
            if row not in cells.indicators:
                raise FormError(f"в форме не найдена строка {row}")
            put(cells.indicators[row]["value" if part in keys else part], value)


def _parts(indicator: Indicator, given: object) -> dict[str, object]:
    if isinstance(given, Mapping):
        return dict(given)
    if indicator.type != IndicatorType.share:
        return {"value": given}
    if isinstance(given, tuple):
        if not 1 <= len(given) <= 2:
            raise FormError(f"{indicator.code}: ожидалось (числитель, знаменатель)")
        return dict(zip(("numerator", "denominator"), given, strict=False))
    return {"numerator": given}


def _find_sheet(workbook: Workbook, sheet: str) -> Worksheet:
    found = next((ws for ws in workbook.worksheets if layout.is_sheet(ws.title, sheet)), None)
    if found is None:
        raise FormError(f"в книге нет листа «{sheet}»")
    return found


def _find_header(
    sheet: Worksheet, columns: tuple[layout.Column, ...], roles: tuple[str, ...]
) -> tuple[int, dict[str, int]]:
    """The header row and the 1-based column of each role; all roles must be there."""
    for line, row in enumerate(
        sheet.iter_rows(max_row=min(sheet.max_row, layout.HEADER_SEARCH_ROWS)), start=1
    ):
        found = layout.header_columns(columns, [cell.value for cell in row], roles)
        if all(role in found for role in roles):
            return line, {role: index + 1 for role, index in found.items()}
    headers = ", ".join(layout.column_of(columns, role).header for role in roles)
    raise FormError(f"на листе «{sheet.title}» не найдена строка заголовков ({headers})")
