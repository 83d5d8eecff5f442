"""Rules for the value of one indicator that is not a share, and for any one input cell.

Every problem here concerns one indicator, so its consequence is an indicator's: an absent
value follows the indicator's ``missing``, a wrong one (not a number, negative, out of
range …) the run's ``validation.invalid_value`` — the same for every indicator unless the
config gives it its own ``invalid`` (see :meth:`rules.Scope.policy` and
:data:`rules.POLICY_CONSEQUENCE`); the value of an indicator with a problem is not used. Values handed on are in scoring units: yes/no as 1/0, a choice
as the chosen option's points, counts, numbers, percents and marks as typed.

A count is also checked against :data:`PLAUSIBLE_COUNT` (it matters when the config
gives no ``max``, or a larger one): beyond it the value is used, but a warning
(``value-implausible``) makes sure an analyst looks at it.
"""

from __future__ import annotations

from typing import Any

from .. import layout
from ..config import Indicator, IndicatorType
from ..ingest.raw import RawCell
from ..layout import SHEET_INDICATORS
from ..problems import Problem
from ..words.formatting import format_range
from .rules import POLICY_CONSEQUENCE, POLICY_RU, Rule, Scope, is_whole, within
from .values import Failure, Reading, read_choice, read_number, read_special, read_yesno

PLAUSIBLE_COUNT = 100_000  # a count, numerator or denominator above it is worth a look
COUNT = "целое число (количество)"  # what a count, a numerator or a denominator must be, in words

_WHOLE_TYPES = (IndicatorType.quantity, IndicatorType.mark)


def indicator_problem(
    scope: Scope,
    ind: Indicator,
    code: str,
    cell: RawCell | None,
    value: object = "",
    *,
    input_key: str = "",
    **params: Any,
) -> Problem:
    """A problem about ``ind`` with the consequence its kind has (absent or wrong value).

    ``input_key``: the key of a computed indicator's input the problem is in; the problem then
    names it as the form's row does («ROD-6.R»), and its consequence is still the indicator's.
    """
    return scope.problem(
        code,
        cell=cell,
        sheet=SHEET_INDICATORS,
        indicator=layout.input_code(ind.code, input_key) if input_key else ind.code,
        value=value,
        consequence=POLICY_CONSEQUENCE[scope.policy(ind, code)],
        **params,
    )


def special_problem(
    scope: Scope, ind: Indicator, cell: RawCell | None, special: Reading, part: str = ""
) -> Problem:
    """The problem of an empty cell, an Excel error or a formula that was never calculated."""
    if special.failure == Failure.empty:
        return indicator_problem(
            scope, ind, "value-missing", cell, input_key=part, policy=POLICY_RU[ind.missing]
        )
    if special.failure == Failure.error_cell:
        return indicator_problem(scope, ind, "value-error-cell", cell, special.original, input_key=part)
    return indicator_problem(scope, ind, "value-formula-no-cache", cell, input_key=part)


def read_input(
    scope: Scope, ind: Indicator, cell: RawCell | None, *, what: str, part: str = ""
) -> Rule[Reading | None]:
    """The number in one input cell (``what``: the expected value in words), or None."""
    special = read_special(cell)
    if cell is None or special is not None:
        yield special_problem(scope, ind, cell, special or Reading(failure=Failure.empty), part)
        return None
    reading = read_number(
        cell.value, percent=ind.type == IndicatorType.percent, percent_format=cell.percent_format
    )
    if not reading.ok:
        yield indicator_problem(
            scope, ind, "value-not-number", cell, reading.original, input_key=part, expected=what
        )
        return None
    yield from scope.note(reading, cell, layout.input_code(ind.code, part) if part else ind.code)
    return reading


def check_count(scope: Scope, ind: Indicator, cell: RawCell, reading: Reading, part: str = "") -> Rule[bool]:
    """Counts, numerators, denominators, marks: whole and not negative (shows what was typed)."""
    assert isinstance(reading.value, float)
    if reading.value < 0:
        yield indicator_problem(scope, ind, "value-negative", cell, reading.original, input_key=part)
        return False
    if not is_whole(reading.value):
        yield indicator_problem(scope, ind, "value-not-whole", cell, reading.original, input_key=part)
        return False
    return True


def implausible(scope: Scope, ind: Indicator, cell: RawCell, number: float, part: str) -> Rule[None]:
    """A warning for a count above :data:`PLAUSIBLE_COUNT` (``part``: «значение», «знаменатель»)."""
    if number > PLAUSIBLE_COUNT:
        yield scope.problem(
            "value-implausible",
            cell=cell,
            indicator=ind.code,
            value=number,
            part=part,
            limit=PLAUSIBLE_COUNT,
        )


def check_value(scope: Scope, ind: Indicator, cell: RawCell | None) -> Rule[float | None]:
    """The value of an indicator of any type but share, in scoring units, or None."""
    if ind.type == IndicatorType.yesno:
        return (yield from check_yesno(scope, ind, cell))
    if ind.type == IndicatorType.choice:
        return (yield from _check_choice(scope, ind, cell))
    low, high = ind.min, ind.max
    if ind.type == IndicatorType.percent:
        low, high = max(low if low is not None else 0.0, 0.0), min(high if high is not None else 100.0, 100.0)
    if ind.type == IndicatorType.mark:
        low, high = 0.0, float(ind.max_mark or 1)
    whole = ind.type in _WHOLE_TYPES
    return (yield from check_number(scope, ind, cell, low, high, whole=whole, what=_expected_value(ind)))


def check_number(
    scope: Scope,
    ind: Indicator,
    cell: RawCell | None,
    low: float | None,
    high: float | None,
    *,
    whole: bool,
    what: str,
    part: str = "",
) -> Rule[float | None]:
    """A number in [low, high] (``whole``: a count or a mark, whole and ≥ 0), or None.

    A count (``what`` is :data:`COUNT`: the indicator's or an input's) is also checked
    against :data:`PLAUSIBLE_COUNT`.
    """
    reading = yield from read_input(scope, ind, cell, what=what, part=part)
    if reading is None or cell is None:
        return None
    assert isinstance(reading.value, float)
    if whole and not (yield from check_count(scope, ind, cell, reading, part)):
        return None
    if not within(reading.value, low, high):
        expected = format_range(low, high)
        yield indicator_problem(
            scope, ind, "value-out-of-range", cell, reading.original, input_key=part, expected=expected
        )
        return None
    if what == COUNT:
        yield from implausible(scope, ind, cell, reading.value, "значение")
    return reading.value


def check_yesno(scope: Scope, ind: Indicator, cell: RawCell | None, part: str = "") -> Rule[float | None]:
    """Yes/no as 1/0 (an indicator's, or an input's)."""
    special = read_special(cell)
    if cell is None or special is not None:
        yield special_problem(scope, ind, cell, special or Reading(failure=Failure.empty), part)
        return None
    reading = read_yesno(cell.value)
    if not reading.ok:
        yield indicator_problem(scope, ind, "value-not-yesno", cell, reading.original, input_key=part)
        return None
    yield from scope.note(reading, cell, layout.input_code(ind.code, part) if part else ind.code)
    return 1.0 if reading.value else 0.0


def _check_choice(scope: Scope, ind: Indicator, cell: RawCell | None) -> Rule[float | None]:
    """A choice as the chosen option's points."""
    special = read_special(cell)
    if cell is None or special is not None:
        yield special_problem(scope, ind, cell, special or Reading(failure=Failure.empty))
        return None
    options = ind.options or []
    reading = read_choice(cell.value, [o.label for o in options])
    if not reading.ok:
        listed = "; ".join(f"«{o.label}»" for o in options)
        yield indicator_problem(scope, ind, "value-not-option", cell, reading.original, expected=listed)
        return None
    yield from scope.note(reading, cell, ind.code)
    return next(o.points for o in options if o.label == reading.value)


def _expected_value(ind: Indicator) -> str:
    if ind.type == IndicatorType.quantity:
        return COUNT
    if ind.type == IndicatorType.mark:
        return f"оценка от 0 до {ind.max_mark}"
    if ind.type == IndicatorType.percent:
        return "процент от 0 до 100"
    return "число"
