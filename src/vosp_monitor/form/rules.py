"""Excel data validations on the form's input cells, with Russian prompts and error texts.

Every input cell carries one, so most typing mistakes are caught while the form is being
filled rather than weeks later: whole or decimal numbers within the config's bounds,
«да/нет» and option lists as drop-downs, dates, and a length limit on free text. Long
option lists live on the hidden «_lists» sheet (:class:`Lists`), because an inline list
is limited to 255 characters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .. import layout
from ..config import FieldRole, FieldType, Indicator, IndicatorType, SchoolField
from ..words.formatting import format_range
from .styles import prompt_text, protect, put, quote

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl.worksheet.worksheet import Worksheet

TEXT_MAX = 1000  # characters allowed in a text field or a comment
_ANY_NUMBER = 1e15  # bounds for «any number» validations
_DATE_MIN = dt.date(2000, 1, 1)
_DATE_MAX = dt.date(2100, 12, 31)

Kind = Literal["whole", "decimal", "list", "date", "textLength"]
Operator = Literal["between", "greaterThanOrEqual", "lessThanOrEqual"]


@dataclass(frozen=True)
class Rule:
    """One Excel data validation with Russian texts."""

    type: Kind
    prompt_title: str
    prompt: str
    error: str
    operator: Operator | None = None
    formula1: str | None = None
    formula2: str | None = None
    error_title: str = "Недопустимое значение"

    def apply(self, sheet: Worksheet, coordinate: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        validation = DataValidation(
            type=self.type,
            operator=self.operator,
            formula1=self.formula1,
            formula2=self.formula2,
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            errorStyle="stop",
            promptTitle=prompt_text(self.prompt_title, 32),
            prompt=prompt_text(self.prompt, 255),
            errorTitle=prompt_text(self.error_title, 32),
            error=prompt_text(self.error, 255),
        )
        validation.add(coordinate)
        sheet.add_data_validation(validation)


def range_words(low: float | None, high: float | None) -> str:
    """« от 0 до 40», « не меньше 1» … after a noun, or "" when there is no bound."""
    return "" if low is None and high is None else " " + format_range(low, high)


def number_rule(
    kind: Literal["whole", "decimal"],
    low: float | None,
    high: float | None,
    title: str,
    prompt: str,
    code: str = "",
) -> Rule:
    """Whole or decimal number in [low, high] (either edge may be open)."""
    what = "целое число" if kind == "whole" else "число"
    expected = what + range_words(low, high)
    operator: Operator
    f2: str | None
    if low is not None and high is not None:
        operator, f1, f2 = "between", _formula_number(low), _formula_number(high)
    elif low is not None:
        operator, f1, f2 = "greaterThanOrEqual", _formula_number(low), None
    elif high is not None:
        operator, f1, f2 = "lessThanOrEqual", _formula_number(high), None
    else:
        operator, f1, f2 = "between", _formula_number(-_ANY_NUMBER), _formula_number(_ANY_NUMBER)
    head = f"{code}: {title.lower()}" if code else title
    tail = "" if kind == "whole" else " Дробную часть отделяйте запятой."
    return Rule(
        type=kind,
        operator=operator,
        formula1=f1,
        formula2=f2,
        prompt_title=head,
        prompt=f"{prompt} — {expected}." if prompt else f"Введите {expected}.",
        error=f"Нужно {expected}, цифрами, без пробелов и единиц измерения.{tail}",
    )


def value_rule(indicator: Indicator, lists: Lists) -> Rule:
    """The rule of an indicator's «Значение» cell (shares have theirs on the numerator)."""
    code, value = indicator.code, layout.indicator_header("value")
    if indicator.type == IndicatorType.quantity:
        low = max(0.0, indicator.min) if indicator.min is not None else 0.0
        return number_rule("whole", low, indicator.max, value, "Количество", code)
    if indicator.type == IndicatorType.percent:
        low = indicator.min if indicator.min is not None else 0.0
        high = indicator.max if indicator.max is not None else 100.0
        return number_rule("decimal", low, high, value, "Процент (без знака %)", code)
    if indicator.type == IndicatorType.number:
        return number_rule("decimal", indicator.min, indicator.max, value, value, code)
    if indicator.type == IndicatorType.mark:
        return number_rule("whole", 0, indicator.max_mark, "Оценка", "Экспертная оценка", code)
    if indicator.type == IndicatorType.yesno:
        return yes_no_rule(code)
    labels = [option.label for option in indicator.options or []]
    return Rule(
        type="list",
        formula1=lists.add(code, labels),
        prompt_title=f"{code}: выбор из списка",
        prompt="Выберите вариант из раскрывающегося списка (стрелка справа от ячейки).",
        error="Выберите один из вариантов списка; свой текст вводить нельзя.",
    )


def yes_no_rule(title: str) -> Rule:
    return Rule(
        type="list",
        formula1='"да,нет"',
        prompt_title=f"{title}: да или нет",
        prompt="Выберите «да» или «нет» из списка.",
        error="Допустимо только «да» или «нет».",
    )


def comment_rule(code: str, evidence: str | None) -> Rule:
    return Rule(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(TEXT_MAX),
        prompt_title=f"{code}: подтверждение",
        prompt=evidence or "Реквизиты документа или ссылка на страницу сайта ОО.",
        error=f"Не более {TEXT_MAX} символов.",
    )


def field_rule(school_field: SchoolField, lists: Lists) -> Rule:
    """The rule of a school field's «Значение» cell, by the field's type."""
    title = prompt_text(school_field.label, 32)
    required = "Обязательное поле." if school_field.required else "Необязательное поле."
    kind = school_field.type
    if kind == FieldType.integer:
        return number_rule("whole", school_field.min, school_field.max, title, "")
    if kind == FieldType.number:
        return number_rule("decimal", school_field.min, school_field.max, title, "")
    if kind == FieldType.choice:
        return Rule(
            type="list",
            formula1=lists.add(school_field.key, list(school_field.choices or [])),
            prompt_title=title,
            prompt=f"Выберите значение из списка. {required}",
            error="Выберите одно из значений списка.",
        )
    if kind == FieldType.yesno:
        return yes_no_rule(title)
    if kind == FieldType.date:
        return Rule(
            type="date",
            operator="between",
            formula1=str(_excel_serial(_DATE_MIN)),
            formula2=str(_excel_serial(_DATE_MAX)),
            prompt_title=title,
            prompt=f"Дата в формате ДД.ММ.ГГГГ, например 20.05.2026. {required}",
            error="Введите дату в формате ДД.ММ.ГГГГ.",
        )
    prompt = {
        FieldRole.key: "Код ОО точно как в реестре (например, 0101).",
        FieldRole.name: "Полное наименование ОО по уставу.",
    }.get(school_field.role, school_field.hint or "Текст.")
    return Rule(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(TEXT_MAX),
        prompt_title=title,
        prompt=f"{prompt} {required}",
        error=f"Не более {TEXT_MAX} символов.",
    )


class Lists:
    """Option lists on the hidden «_lists» sheet: one column per list, name in row 1."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.column = 0

    def add(self, name: str, labels: list[str]) -> str:
        """Put a list on the sheet; returns the absolute range a list validation refers to."""
        from openpyxl.utils import get_column_letter

        self.column += 1
        put(self.sheet.cell(row=1, column=self.column), name, force_text=True)
        for row, label in enumerate(labels, start=2):
            put(self.sheet.cell(row=row, column=self.column), label, force_text=True)
        letter = get_column_letter(self.column)
        return f"{quote(self.sheet.title)}!${letter}$2:${letter}${len(labels) + 1}"

    def finish(self) -> None:
        """Hidden and protected: the lists are the form's, not the school's."""
        protect(self.sheet)
        self.sheet.sheet_state = "hidden"


def _formula_number(value: float) -> str:
    """A bound as Excel's formula reads it (a decimal point, not a comma)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days
