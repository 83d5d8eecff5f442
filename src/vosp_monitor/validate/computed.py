"""Rules for a computed indicator: each input as typed, the checks between them, the formula.

Each input is read like an indicator's value of its type (a count whole and ≥ 0, a number, a
yes/no), with its own ``min``/``max``, and its problems name the input as its row in the
form does («ROD-6.R»); their consequence is the indicator's. When every input is usable the
indicator's ``checks`` run (``r1 + r2 <= R``: ``input-check-failed``), then the formula: a
division by zero follows the indicator's ``missing`` (not applicable, silently, under
``missing: not_applicable`` — the documented way to say that no survey was held; else
``formula-undefined`` at the divisor's cell: a warning under ``missing: zero``, an error under
``missing: error``), and a result outside the indicator's range is ``computed-out-of-range``,
located at the first input and naming every input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..config import Indicator, MissingPolicy
from ..config.computed import Input, InputType
from ..config.expression_text import READABLE, named_values, render
from ..ingest.raw import RawCell
from ..problems import Consequence, Severity
from ..words.formatting import format_compact, format_range
from .inputs import COUNT, check_number, check_yesno, indicator_problem
from .rules import POLICY_CONSEQUENCE, POLICY_RU, Rule, Scope, within
from .shares import Measured, Skip


def inputs_text(ind: Indicator, values: Mapping[str, float | None]) -> str:
    """«r1 = 12, r2 = 30, R = 60»: the inputs of one school, as messages name them."""
    return named_values({item.key: values.get(item.key) for item in ind.inputs}, ", ")


def check_computed(
    scope: Scope, ind: Indicator, cells: dict[str, RawCell], fields: Mapping[str, float | None]
) -> Rule[Measured]:
    """The value of a computed indicator from its inputs (kept even when the value is not usable).

    ``fields``: the school's usable numeric fields (``crossfield.numeric_fields``, made once
    per form); the inputs the formula read are returned with the fields it read.
    """
    inputs: dict[str, float] = {}
    for item in ind.inputs:
        value = yield from _check_input(scope, ind, item, cells.get(item.key))
        if value is not None:
            inputs[item.key] = value
    if len(inputs) < len(ind.inputs):
        return Measured(inputs=inputs)
    expression = ind.expression
    assert expression is not None  # the config rules require a formula
    read = {name: fields.get(name) for name in ind.formula_fields}
    if any(value is None for value in read.values()):
        return Measured(inputs=inputs, skip=Skip.unusable)  # a school field it needs has its own problem
    values: dict[str, float | None] = {**fields, **inputs}  # the checks may name other fields
    inputs = {**inputs, **{name: float(value or 0.0) for name, value in read.items()}}
    anchor = cells.get(ind.inputs[0].key)
    if not (yield from _checks_hold(scope, ind, values, cells)):
        return Measured(inputs=inputs)
    result = expression.evaluate(values)
    denominator = ind.formula_denominator.evaluate(values) if ind.formula_denominator else None
    base = None if denominator is None else float(denominator)
    if result is None:
        if ind.missing == MissingPolicy.not_applicable:
            return Measured(denominator=base, inputs=inputs, skip=Skip.not_applicable)
        yield indicator_problem(
            scope,
            ind,
            "formula-undefined",
            divisor_cell(ind, cells) or anchor,
            detail=_undefined(ind, values),
            policy=POLICY_RU[ind.missing],
            # 0 points for a zero divisor is the config's rule (no participants), not the
            # school's mistake: a warning to check the zero; under missing: error, an error
            severity=Severity.warning if ind.missing == MissingPolicy.zero else Severity.error,
        )
        return Measured(denominator=base, inputs=inputs)
    value = float(result)
    if not math.isfinite(value) or not within(value, ind.min, ind.max):
        expected = format_range(ind.min, ind.max) if math.isfinite(value) else "конечное число"
        shown = format_compact(value, 6) if math.isfinite(value) else "слишком большое число"
        yield indicator_problem(
            scope,
            ind,
            "computed-out-of-range",
            anchor,
            shown,
            inputs=inputs_text(ind, values),
            expected=expected,
        )
        return Measured(denominator=base, inputs=inputs)
    return Measured(value, denominator=base, inputs=inputs)


def _check_input(scope: Scope, ind: Indicator, item: Input, cell: RawCell | None) -> Rule[float | None]:
    """One input as typed, in formula units (yes/no as 1/0), or None after its problem."""
    if item.type == InputType.yesno:
        return (yield from check_yesno(scope, ind, cell, item.key))
    whole = item.type == InputType.quantity
    low = max(item.min, 0.0) if whole and item.min is not None else (0.0 if whole else item.min)
    what = COUNT if whole else "число"
    return (yield from check_number(scope, ind, cell, low, item.max, whole=whole, what=what, part=item.key))


def _checks_hold(
    scope: Scope, ind: Indicator, values: dict[str, float | None], cells: dict[str, RawCell]
) -> Rule[bool]:
    """The indicator's checks between its inputs; False when one with severity error fails."""
    held = True
    order = [item.key for item in ind.inputs]
    for check, expression in ind.parsed_checks:
        if expression.evaluate(values) is not False:
            continue
        names = [key for key in order if key in expression.names] + sorted(expression.names - set(order))
        shown = named_values({name: values.get(name) for name in names}, ", ")
        detail = f" ({check.message}: {shown})" if check.message else f" ({shown})"
        severity = Severity(check.severity)
        error = severity == Severity.error
        cell = next((cells[name] for name in names if name in cells), None)
        yield scope.problem(
            "input-check-failed",
            cell=cell,
            indicator=ind.code,
            value=shown,
            severity=severity,
            rule=render(expression.root, READABLE),
            detail=detail,
            consequence=POLICY_CONSEQUENCE[scope.invalid(ind)] if error else Consequence.none,
        )
        held = held and not error
    return held


def divisor_cell(ind: Indicator, cells: dict[str, RawCell]) -> RawCell | None:
    """The cell of the input the formula divides by last (``R``), when it is one input."""
    part = ind.formula_denominator
    return cells.get(str(part.root.value)) if part is not None and part.root.kind == "name" else None


def _undefined(ind: Indicator, values: dict[str, float | None]) -> str:
    """«деление на 0: R = 0»: which divisor is 0, with the school's values."""
    part = ind.formula_denominator
    if part is not None and part.evaluate(values) == 0:
        return f"деление на 0: {render(part.root, READABLE)} = 0 ({inputs_text(ind, values)})"
    return f"деление на 0 при введённых значениях ({inputs_text(ind, values)})"
