"""Fills a form programmatically, as a school would type into it.

The samples generator and the tests use it. Rows are located by header texts, field
labels or keys and indicator codes, the way a reader finds them, so a form whose rows
were sorted or which got an extra column still fills correctly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .config import Config, Indicator, IndicatorType
from .form import FormError, _put, normalise_text
from .layout import FIELD_HEADERS, INDICATOR_HEADERS

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


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
    fields_sheet = _find_sheet(workbook, "сведения")
    indicators_sheet = _find_sheet(workbook, "показатели")
    if fields_sheet is None or indicators_sheet is None:
        raise FormError("в книге нет листов «Сведения об ОО» и «Показатели»")
    header_row, columns = _find_header(fields_sheet, FIELD_HEADERS[:2])
    value_column = columns[normalise_text("Значение")]
    for row in fields_sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            # Labels and hidden keys identify a row; what a school typed never does.
            if cell.column != value_column and isinstance(cell.value, str) and cell.value.strip():
                cells.fields.setdefault(
                    cell.value.strip(), fields_sheet.cell(row=cell.row, column=value_column)
                )
    header_row, columns = _find_header(indicators_sheet, INDICATOR_HEADERS[:1] + INDICATOR_HEADERS[3:])
    parts = dict(zip(("value", "numerator", "denominator", "comment"), INDICATOR_HEADERS[3:], strict=True))
    code_column = columns[normalise_text("Код")]
    for row in indicators_sheet.iter_rows(min_row=header_row + 1):
        code = row[code_column - 1].value if len(row) >= code_column else None
        if isinstance(code, str) and code.strip():
            cells.indicators[code.strip()] = {
                part: indicators_sheet.cell(row=row[0].row, column=columns[normalise_text(header)])
                for part, header in parts.items()
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
    ``numerator``, ``denominator``, ``comment``. Strings are written as typed («12,5»
    stays text); a string starting with «=» becomes a formula. ``None`` clears a cell.
    """
    cells = locate_inputs(workbook)
    for key, value in fields.items():
        school_field = next((f for f in config.school_fields if f.key == key), None)
        if school_field is None:
            raise FormError(f"в сведениях об ОО нет поля «{key}»")
        cell = cells.fields.get(key) or cells.fields.get(school_field.label)
        if cell is None:
            raise FormError(f"в форме не найдена строка поля «{school_field.label}»")
        _put(cell, value)
    for code, given in values.items():
        if code not in cells.indicators:
            raise FormError(f"в форме не найдена строка показателя {code}")
        indicator = config.indicator(code)
        for part, value in _parts(indicator, given).items():
            _put(cells.indicators[code][part], value)


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


def _find_sheet(workbook: Workbook, stem: str) -> Worksheet | None:
    return next((ws for ws in workbook.worksheets if normalise_text(ws.title).startswith(stem)), None)


def _find_header(sheet: Worksheet, required: Sequence[str]) -> tuple[int, dict[str, int]]:
    wanted = [normalise_text(h) for h in required]
    for row in sheet.iter_rows(max_row=min(sheet.max_row, 40)):
        columns = {normalise_text(c.value): c.column for c in row if isinstance(c.value, str)}
        if all(h in columns for h in wanted):
            return row[0].row, columns
    raise FormError(f"на листе «{sheet.title}» не найдена строка заголовков ({', '.join(required)})")
