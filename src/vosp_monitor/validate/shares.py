"""Rules for a share: a numerator and a denominator, the value in % computed here.

The denominator is typed in the form or taken from a school field (``denominator_field``).
Both are whole and not negative, the numerator is not above the denominator, and where the
config names a contingent (``numerator_within``, ``denominator_within``: a school field
such as the number of pupils) they are not above it either — so that a typed 10^12 cannot
push a pooled district share to 100 %. A typed denominator with no contingent bound is
checked against :data:`inputs.PLAUSIBLE_COUNT` (a warning).

A zero denominator is an error (``denominator-zero``) except for indicators with
``missing: not_applicable``: there it is the documented way to say «не применимо» (RES-5
when nobody was on the register; KR-2 in a school without class teachers), so the
indicator is not applicable and no problem is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..config import Config, Indicator, MissingPolicy
from ..ingest.raw import RawCell
from ..words.formatting import format_range
from .inputs import COUNT, check_count, implausible, indicator_problem, read_input
from .rules import POLICY_RU, Rule, Scope, within
from .submission import FieldValue
from .values import read_special

_CONTINGENT_CODES = {"numerator": "numerator-above-contingent", "denominator": "denominator-above-contingent"}


class Skip(Enum):
    """Why an indicator has no value although none of its own rules reported a problem."""

    not_applicable = "not_applicable"  # a zero denominator under missing: not_applicable; not in the form
    unusable = "unusable"  # a school field it needs has its own problem already


@dataclass(frozen=True, slots=True)
class Measured:
    """What the rules of one indicator read: its value (None: not usable) and why not."""

    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None  # a share's; a computed indicator's formula's (``formula_denominator``)
    skip: Skip | None = None
    inputs: dict[str, float] = field(default_factory=dict)  # a computed indicator's inputs that were read
    small: bool = False  # the denominator is below ``min_denominator`` (``small``)


def check_share(
    scope: Scope,
    ind: Indicator,
    cells: dict[str, RawCell],
    fields: dict[str, FieldValue],
    field_cells: dict[str, RawCell],
    config: Config,
) -> Rule[Measured]:
    """The share in % with its numerator and denominator (kept even when the share is not usable).

    ``cells``: the indicator's row; ``fields``: the usable school field values (a field
    with a problem is absent); ``field_cells``: the school fields' cells, for locations.
    """
    na = ind.missing == MissingPolicy.not_applicable
    typed = yield from _denominator(scope, ind, cells, fields, field_cells)
    if typed is None:
        return Measured()
    if isinstance(typed, Skip):
        return Measured(skip=typed)
    denominator, den_cell = typed
    num_cell = cells.get("numerator")
    if na and denominator == 0 and read_special(num_cell) is not None:
        return Measured(denominator=0.0, skip=Skip.not_applicable)
    reading = yield from read_input(scope, ind, num_cell, what=COUNT)
    if reading is None or num_cell is None or not (yield from check_count(scope, ind, num_cell, reading)):
        return Measured()
    assert isinstance(reading.value, float)
    numerator = reading.value
    failed = Measured(numerator=numerator, denominator=denominator)
    if denominator == 0 and na and numerator == 0:
        return Measured(numerator=numerator, denominator=denominator, skip=Skip.not_applicable)
    if denominator == 0 and not na:
        yield indicator_problem(scope, ind, "denominator-zero", den_cell or num_cell, "0")
        return failed
    if numerator > denominator:
        yield indicator_problem(
            scope,
            ind,
            "numerator-above-denominator",
            num_cell,
            numerator,
            numerator=numerator,
            denominator=denominator,
        )
        return failed
    if not (yield from _within_contingent(scope, ind, config, fields, "numerator", numerator, num_cell)):
        return failed
    den_place = den_cell or num_cell
    if not (yield from _within_contingent(scope, ind, config, fields, "denominator", denominator, den_place)):
        return failed
    value = numerator / denominator * 100
    if not within(value, ind.min, ind.max):
        expected = format_range(ind.min, ind.max)
        yield indicator_problem(scope, ind, "value-out-of-range", num_cell, value, expected=expected)
        return failed
    if den_cell is not None and not ind.denominator_within:
        yield from implausible(scope, ind, den_cell, denominator, "знаменатель")
    return Measured(value, numerator, denominator)


def _within_contingent(
    scope: Scope,
    ind: Indicator,
    config: Config,
    fields: dict[str, FieldValue],
    part: str,
    number: float,
    cell: RawCell,
) -> Rule[bool]:
    """The numerator or denominator is not above the school field its ``*_within`` key names."""
    key = ind.numerator_within if part == "numerator" else ind.denominator_within
    limit = fields.get(key) if key else None
    if key is None or not isinstance(limit, float) or number <= limit:
        return True
    label = config.field(key).label
    params: dict[str, Any] = {"label": label, "limit": limit, part: number}
    yield indicator_problem(scope, ind, _CONTINGENT_CODES[part], cell, number, **params)
    return False


def _denominator(
    scope: Scope,
    ind: Indicator,
    cells: dict[str, RawCell],
    fields: dict[str, FieldValue],
    field_cells: dict[str, RawCell],
) -> Rule[tuple[float, RawCell | None] | Skip | None]:
    """The denominator and its cell (None when it comes from a school field), or why there is none.

    Returns None after reporting a problem, :attr:`Skip.unusable` when the school field it
    comes from has a problem of its own (which already excludes the school).
    """
    if ind.denominator_field:
        if ind.denominator_field not in fields:
            return Skip.unusable
        value = fields[ind.denominator_field]
        if isinstance(value, float):
            return value, None
        yield indicator_problem(
            scope,
            ind,
            "value-missing",
            field_cells.get(ind.denominator_field),
            policy=POLICY_RU[ind.missing] + " (нет знаменателя в сведениях об ОО)",
        )
        return None
    cell = cells.get("denominator")
    reading = yield from read_input(scope, ind, cell, what=COUNT)
    if reading is None or cell is None or not (yield from check_count(scope, ind, cell, reading)):
        return None
    assert isinstance(reading.value, float)
    return reading.value, cell
