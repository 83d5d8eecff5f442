"""A computed indicator in the form: its row shows the formula, each input gets a row below it.

The school types the inputs (yellow cells with the Excel validation of their type and range
and a prompt with the label and hint), never the value: the indicator's grey «Значение»
cell holds the formula as an Excel formula over the input cells (``expression_text.EXCEL``),
so the school sees what it will be scored on while it types, and the small print under the
title gives the formula in words with what each name means. An input's row is coded
``layout.input_code`` («ROD-6.r1»), which is how the reader finds it again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import layout
from ..config import Indicator, InputType
from ..config.computed import Input, readable
from ..config.expression_text import EXCEL, render
from .rules import Rule, number_rule, yes_no_rule
from .styles import INDICATOR_WIDTHS, border, hint_font, mark_input, put, row_height

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl.worksheet.worksheet import Worksheet

_KIND = {InputType.quantity: "целое число", InputType.number: "число", InputType.yesno: "да или нет"}


def formula_notes(indicator: Indicator, labels: dict[str, str]) -> list[str]:
    """Small print under the title: the formula in words, and what a school field in it is
    (each input's name and label are on its own row just below)."""
    assert indicator.expression is not None  # the config rules require a formula
    fields = [
        f"{key} — {labels[key]} (лист «{layout.SHEET_FIELDS}»)"
        for key in sorted(indicator.expression.names & set(labels))
    ]
    where = f"; {'; '.join(fields)}" if fields else ""
    return [f"Вычисляется по формуле: {readable(indicator.expression)} (данные — в строках ниже){where}"]


def value_formula(
    indicator: Indicator, value_column: str, first_row: int, field_cells: dict[str, str]
) -> str:
    """The Excel formula of the grey value cell: blank until every input is typed or on a
    division by zero, else the formula over the input cells and the school fields."""
    assert indicator.expression is not None
    cells = {item.key: f"{value_column}{first_row + i}" for i, item in enumerate(indicator.inputs)}
    expression = render(indicator.expression.root, EXCEL, lambda name: cells.get(name) or field_cells[name])
    typed = f"{value_column}{first_row}:{value_column}{first_row + len(cells) - 1}"  # consecutive rows
    return f'=IF(COUNTBLANK({typed})>0,"",IFERROR({expression},""))'


def write_inputs(sheet: Worksheet, row: int, indicator: Indicator, previous: Any = None) -> int:
    """The input rows under the indicator's row, from ``row``; returns the row after them.

    ``previous``: a callable (row, code) that writes last year's value, when the form has one.
    """
    columns = {column.role: number for number, column in enumerate(layout.INDICATOR_COLUMNS, start=1)}
    for item in indicator.inputs:
        code = layout.input_code(indicator.code, item.key)
        cells = {role: sheet.cell(row=row, column=number) for role, number in columns.items()}
        for cell in cells.values():
            border(cell)
        put(cells["code"], code, force_text=True)
        title = f"{item.label} ({item.hint})" if item.hint else item.label  # type and range: its prompt
        put(cells["title"], title, force_text=True)
        cells["title"].font = hint_font(size=10)
        value = cells["value"]
        mark_input(value)
        _input_rule(indicator.code, item).apply(sheet, value.coordinate)
        if previous is not None:
            previous(row, code)
        sheet.row_dimensions[row].height = row_height([(title, INDICATOR_WIDTHS[1], 10)])
        row += 1
    return row


def _input_rule(code: str, item: Input) -> Rule:
    """The Excel validation of an input: its type and range, its label and hint as the prompt."""
    if item.type == InputType.yesno:
        return yes_no_rule(layout.input_code(code, item.key))
    whole = item.type == InputType.quantity
    low = max(item.min, 0.0) if whole and item.min is not None else (0.0 if whole else item.min)
    prompt = f"{item.label}{'. ' + item.hint if item.hint else ''}"  # + the type and range, in words
    return number_rule(
        "whole" if whole else "decimal",
        low,
        item.max,
        layout.indicator_header("value"),
        prompt,
        layout.input_code(code, item.key),
    )
