"""The common case of one indicator, decided without running its rules: a shortcut, never a verdict.

Most cells of most forms hold a plain number, «да» or an option exactly as the form offers
it, within range: the rules (``inputs``, ``shares``, ``coverage``, ``small``) would find
nothing and hand on the value. Running them costs a chain of generators, a
:class:`~vosp_monitor.validate.values.Reading` and a ``Measured`` per cell; at 40,000 forms
that is a fifth of the time of ``validate``. So :func:`compile_fast` resolves, once per
indicator when the :class:`~vosp_monitor.validate.checker.Checker` is built, everything
those rules would look up (the range, whether it must be whole, the options' points, the
contingent fields, the «мало данных» limit) into one small function.

A shortcut either returns exactly the :class:`IndicatorEntry` the rules would have made
with no finding at all (no problem, no normalisation), or None, and then the rules run as
before: anything unusual — text, a percent format, an empty or error cell, a value out of
range, a zero denominator, a count worth a warning, a small denominator, a value the log
scale cannot take, a check between a computed indicator's inputs that fails, a formula
undefined or out of range — is never decided here, so every message stays the rules' own.
School fields get the same (:func:`compile_field`). Tests compare the two paths on varied forms.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence

from ..config import Config, FieldType, Indicator, IndicatorType, Input, InputType, SchoolField
from ..ingest.raw import RawCell
from ..words.text import normalise_code
from .inputs import PLAUSIBLE_COUNT
from .rules import is_whole, within
from .submission import EntryStatus, FieldValue, IndicatorEntry
from .values import ERROR_VALUES, normalise_label

# (the row's cells, the usable school fields, the numeric ones) → the entry, or None
FastRule = Callable[
    [Mapping[str, RawCell], Mapping[str, FieldValue], Mapping[str, float | None]], IndicatorEntry | None
]
FieldRule = Callable[[RawCell | None], tuple[bool, FieldValue] | None]  # as ``fields._check_field``

_NUMBER_TYPES = (IndicatorType.quantity, IndicatorType.number, IndicatorType.percent, IndicatorType.mark)
# «да»/«нет» as typed without a note (``values.read_yesno``): only these spellings are taken here.
_YES_NO = {"да": 1.0, "Да": 1.0, "ДА": 1.0, "нет": 0.0, "Нет": 0.0, "НЕТ": 0.0}
_OK = EntryStatus.ok


def compile_fast(ind: Indicator, config: Config) -> FastRule | None:
    """The shortcut of one indicator (None: its rules decide every value)."""
    if ind.inputs:
        return computed_rule(ind, config)
    if ind.type == IndicatorType.share:
        return _share_rule(ind, config)
    if ind.type in _NUMBER_TYPES:
        return _number_rule(ind)
    if ind.type == IndicatorType.yesno:
        return _table_rule(ind, _YES_NO, booleans=True)
    if ind.type == IndicatorType.choice:
        return _table_rule(ind, _option_points(ind), booleans=False)
    return None  # a computed indicator without inputs: the config rules refuse one


def plain_number(cell: RawCell | None) -> float | None:
    """A cell holding a finite number as a number (not text, not a percent format), else None."""
    if cell is None:
        return None
    value = cell.value
    kind = type(value)
    if (kind is not float and kind is not int) or cell.percent_format or cell.error:
        return None
    number = float(value)  # type: ignore[arg-type]  # int or float, checked above
    return number if math.isfinite(number) else None


def _entry(
    ind: Indicator,
    cell: RawCell,
    value: float,
    num: float | None,
    den: float | None,
    inputs: dict[str, float],
) -> IndicatorEntry:
    return IndicatorEntry(ind.code, value, num, den, _OK, cell.sheet, cell.cell, inputs, False)


def _number_rule(ind: Indicator) -> FastRule:
    """``inputs.check_value`` for a number, count, percent or mark, when it finds nothing."""
    low, high = ind.min, ind.max
    if ind.type == IndicatorType.percent:
        low, high = max(low if low is not None else 0.0, 0.0), min(high if high is not None else 100.0, 100.0)
    if ind.type == IndicatorType.mark:
        low, high = 0.0, float(ind.max_mark or 1)
    whole = ind.type in (IndicatorType.quantity, IndicatorType.mark)
    ceiling = PLAUSIBLE_COUNT if ind.type == IndicatorType.quantity else math.inf
    positive = ind.log_scale

    def rule(
        cells: Mapping[str, RawCell], fields: Mapping[str, FieldValue], numbers: Mapping[str, float | None]
    ) -> IndicatorEntry | None:
        cell = cells.get("value")
        number = plain_number(cell)
        if number is None or cell is None:
            return None
        if whole and (number < 0 or not is_whole(number)):
            return None
        if not within(number, low, high) or number > ceiling or (positive and number <= 0):
            return None
        return _entry(ind, cell, number, None, None, {})

    return rule


def _table_rule(ind: Indicator, table: Mapping[str, float], *, booleans: bool) -> FastRule:
    """Yes/no or a choice typed exactly as the form offers it: its points from ``table``."""
    positive = ind.log_scale

    def rule(
        cells: Mapping[str, RawCell], fields: Mapping[str, FieldValue], numbers: Mapping[str, float | None]
    ) -> IndicatorEntry | None:
        cell = cells.get("value")
        if cell is None or cell.error:
            return None
        value = cell.value
        if booleans and type(value) is bool:
            points = 1.0 if value else 0.0
        elif type(value) is str and value in table:
            points = table[value]
        else:
            return None
        if positive and points <= 0:
            return None
        return _entry(ind, cell, points, None, None, {})

    return rule


def _option_points(ind: Indicator) -> dict[str, float]:
    options = ind.options or []
    return {
        label: options[index].points for label, index in exact_options([o.label for o in options]).items()
    }


def exact_options(labels: Sequence[str]) -> dict[str, int]:
    """The options a cell may hold as they are, with no note (``values.read_choice``), with
    their index: labels that are neither blank, padded, an error text nor alike after
    normalising."""
    normalised = [normalise_label(label) for label in labels]
    exact: dict[str, int] = {}
    for index, (text, label) in enumerate(zip(labels, normalised, strict=True)):
        if not label or normalised.count(label) > 1 or text != text.strip() or text.upper() in ERROR_VALUES:
            continue
        exact.setdefault(text, index)
    return exact


def _share_rule(ind: Indicator, config: Config) -> FastRule:
    """``shares.check_share`` (with the log and «мало данных» checks after it), when it finds nothing."""
    field = ind.denominator_field
    num_limit, den_limit = ind.numerator_within, ind.denominator_within
    low, high = ind.min, ind.max
    small = config.min_denominator(ind) or 0.0
    positive = ind.log_scale

    def rule(
        cells: Mapping[str, RawCell], fields: Mapping[str, FieldValue], numbers: Mapping[str, float | None]
    ) -> IndicatorEntry | None:
        if field:
            den = fields.get(field)
            if type(den) is not float:
                return None
        else:
            den = plain_number(cells.get("denominator"))
            if den is None or den < 0 or not is_whole(den) or (not den_limit and den > PLAUSIBLE_COUNT):
                return None
        cell = cells.get("numerator")
        num = plain_number(cell)
        if num is None or cell is None or num < 0 or not is_whole(num) or den == 0 or num > den:
            return None
        if num_limit and type(limit := fields.get(num_limit)) is float and num > limit:
            return None
        if den_limit and type(limit := fields.get(den_limit)) is float and den > limit:
            return None
        value = num / den * 100
        if not within(value, low, high) or den < small or (positive and value <= 0):
            return None
        return _entry(ind, cell, value, num, den, {})

    return rule


def computed_rule(ind: Indicator, config: Config) -> FastRule:
    """``computed.check_computed`` (with the log and «мало данных» checks after it), when it
    finds nothing: every input plain and in range, every check between them holding, the
    formula defined and in range."""
    readers = tuple((item.key, _input_reader(item)) for item in ind.inputs)
    anchor = ind.inputs[0].key
    expression, divisor = ind.expression, ind.formula_denominator
    assert expression is not None  # the config rules require a formula
    needed, checks = tuple(ind.formula_fields), tuple(check for _rule, check in ind.parsed_checks)
    low, high, small, positive = ind.min, ind.max, config.min_denominator(ind) or 0.0, ind.log_scale

    def rule(
        cells: Mapping[str, RawCell], fields: Mapping[str, FieldValue], numbers: Mapping[str, float | None]
    ) -> IndicatorEntry | None:
        inputs: dict[str, float] = {}
        for key, read in readers:
            typed = read(cells.get(key))
            if typed is None:
                return None
            inputs[key] = typed
        read_fields = {name: numbers.get(name) for name in needed}
        if any(number is None for number in read_fields.values()):
            return None
        values: dict[str, float | None] = {**numbers, **inputs}
        if any(check.evaluate(values) is False for check in checks):
            return None
        result = expression.evaluate(values)
        if result is None or not math.isfinite(value := float(result)) or not within(value, low, high):
            return None
        base = None if divisor is None else divisor.evaluate(values)
        if (base is not None and (0 < base < small)) or (positive and value <= 0):
            return None
        inputs |= {name: float(number or 0.0) for name, number in read_fields.items()}
        return _entry(ind, cells[anchor], value, None, None if base is None else float(base), inputs)

    return rule


def _input_reader(item: Input) -> Callable[[RawCell | None], float | None]:
    """One input of a computed indicator as ``computed._check_input`` reads it when it finds nothing."""
    if item.type == InputType.yesno:

        def yesno(cell: RawCell | None) -> float | None:
            if cell is None or cell.error:
                return None
            value = cell.value
            if type(value) is bool:
                return 1.0 if value else 0.0
            return _YES_NO.get(value) if type(value) is str else None

        return yesno
    whole = item.type == InputType.quantity
    low = max(item.min, 0.0) if whole and item.min is not None else (0.0 if whole else item.min)
    high, ceiling = item.max, PLAUSIBLE_COUNT if whole else math.inf

    def number(cell: RawCell | None) -> float | None:
        value = plain_number(cell)
        if (
            value is None
            or (whole and not is_whole(value))
            or not within(value, low, high)
            or value > ceiling
        ):
            return None
        return value

    return number


def compile_field(school_field: SchoolField, is_key: bool) -> FieldRule | None:
    """The shortcut of one school field (``fields._check_field`` when it finds nothing), or
    None (yes/no fields)."""
    kind = school_field.type
    if kind in (FieldType.integer, FieldType.number):
        whole, low, high = kind == FieldType.integer, school_field.min, school_field.max

        def number(cell: RawCell | None) -> tuple[bool, FieldValue] | None:
            value = plain_number(cell)
            if value is None or (whole and not is_whole(value)) or not within(value, low, high):
                return None
            return True, value

        return number
    if kind in (FieldType.text, FieldType.choice):
        choices = exact_options(school_field.choices or []) if kind == FieldType.choice else None

        def text(cell: RawCell | None) -> tuple[bool, FieldValue] | None:
            if cell is None or cell.error or type(cell.value) is not str:
                return None
            typed = cell.value.strip()
            if not typed or typed.upper() in ERROR_VALUES:
                return None
            if choices is not None:
                return (True, typed) if cell.value in choices else None
            return (True, typed) if not is_key or normalise_code(typed) == typed else None

        return text
    if kind == FieldType.date:

        def date(cell: RawCell | None) -> tuple[bool, FieldValue] | None:
            value = None if cell is None or cell.error else cell.value
            if type(value) is dt.datetime:
                return True, value.date()
            return (True, value) if type(value) is dt.date else None

        return date
    return None
