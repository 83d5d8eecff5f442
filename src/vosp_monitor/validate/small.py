"""Small numbers: a share (or a computed value) whose denominator is below ``min_denominator``.

A share of 3 pupils ranks like a share of 900 although one pupil more or less moves it by a
third; PISA and the ESSA report cards suppress or flag such figures. Here the value is kept
and flagged «мало данных» (``denominator-small``, a warning that reaches validate's report,
the school's card and letter, ranking.xlsx, indicators.csv and results.json), and with
``small_denominator: not_applicable`` the indicator is left out for that school. A zero
denominator is not «small»: it has rules of its own (``denominator-zero``,
``formula-undefined``, or not applicable).
"""

from __future__ import annotations

import dataclasses

from ..config import Config, FieldType, Indicator, IndicatorType, SmallBase
from ..config.expression_text import READABLE, render
from ..ingest.raw import RawCell
from ..problems import Consequence
from ..words.formatting import format_compact
from .computed import divisor_cell
from .rules import Rule, Scope
from .shares import Measured, Skip

_EFFECT = {
    SmallBase.flag: "значение учитывается с пометкой «мало данных»",
    SmallBase.not_applicable: "показатель не учитывается",
}


def check_small(
    scope: Scope, ind: Indicator, config: Config, measured: Measured, cells: dict[str, RawCell]
) -> Rule[Measured]:
    """``measured`` flagged when its denominator is below the indicator's ``min_denominator``."""
    limit = config.min_denominator(ind)
    base = measured.denominator
    if limit is None or base is None or base <= 0 or base >= limit:
        return measured
    if measured.value is None and measured.skip is None:
        return measured  # the value has an error of its own: nothing to flag
    policy = config.small_policy(ind)
    yield scope.problem(
        "denominator-small",
        cell=_cell(ind, cells),
        indicator=ind.code,
        value=format_compact(base, 6),
        base=base_words(ind, config),
        denominator=base,
        minimum=limit,
        effect=_EFFECT[policy],
        consequence=Consequence.none,
    )
    if policy == SmallBase.not_applicable:
        return dataclasses.replace(measured, value=None, skip=Skip.not_applicable, small=True)
    return dataclasses.replace(measured, small=True)


def base_words(ind: Indicator, config: Config) -> str:
    """What the denominator is, in words: «Всего ответивших», «знаменатель», a formula part."""
    if ind.type == IndicatorType.share:
        if ind.denominator_field:
            return f"«{config.field(ind.denominator_field).label}»"
        return f"«{ind.denominator}»" if ind.denominator else "знаменатель"
    part = ind.formula_denominator
    assert part is not None  # config.min_denominator is None without one
    node = part.root
    if node.kind == "name":
        key = str(node.value)
        labels = {item.key: item.label for item in ind.inputs}
        labels |= {f.key: f.label for f in config.school_fields if f.type != FieldType.text}
        return f"«{labels.get(key, key)}»"
    return f"знаменатель {render(node, READABLE)}"


def _cell(ind: Indicator, cells: dict[str, RawCell]) -> RawCell | None:
    """The denominator's cell when it was typed, else the value's (or the first input's)."""
    if (typed := divisor_cell(ind, cells)) is not None:
        return typed
    first = ind.inputs[0].key if ind.inputs else "numerator"
    return cells.get("denominator") or cells.get(first) or cells.get("value")
