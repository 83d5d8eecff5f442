"""The cross-field checks of indicators.yaml (``checks``), after every value of a form is read.

A check names school fields and indicator parts (``class_teachers <= teachers``,
``RES-5.denominator <= students``). An indicator's value takes part only when it is usable;
its numerator and denominator whenever they were read. A check that needs a value that is
missing is skipped (the missing value has its own problem). A failed check with severity
``error`` excludes the school.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

from .. import layout
from ..config import Check
from ..config.expressions import Expression
from ..ingest.raw import RawForm
from ..problems import Consequence, Problem, Severity, param_text
from .rules import Scope
from .submission import EntryStatus, FieldValue, IndicatorEntry


def check_expressions(
    scope: Scope,
    raw: RawForm,
    expressions: Sequence[tuple[Check, Expression]],
    fields: dict[str, FieldValue],
    entries: dict[str, IndicatorEntry],
) -> Iterator[Problem]:
    """A problem per failed check, located at the first cell the check names."""
    if not expressions:
        return
    values = _check_values(fields, entries)
    for check, expression in expressions:
        if expression.evaluate(values) is not False:
            continue
        names = sorted(expression.names)
        shown = ", ".join(
            f"{name} = {param_text(value)}" for name in names if (value := values.get(name)) is not None
        )
        detail = f" ({check.rule}: {shown})" if check.message else f" ({shown})"
        sheet, address = next((loc for name in names if (loc := _location_of(raw, name))), ("", ""))
        severity = Severity(check.severity)
        yield scope.problem(
            "check-failed",
            sheet=sheet,
            address=address,
            severity=severity,
            rule=check.message or check.rule,
            detail=detail,
            value=shown,
            indicator=next((n.split(".")[0] for n in names if n.split(".")[0] in entries), ""),
            consequence=Consequence.school_excluded if severity == Severity.error else Consequence.none,
        )


def _location_of(raw: RawForm, name: str) -> tuple[str, str] | None:
    code, _, part = name.partition(".")
    if code in raw.fields:
        cell = raw.fields[code]
        return cell.sheet, cell.cell
    cells = raw.indicators.get(code)
    if cells:
        cell = cells.get(part or "value") or cells.get("numerator") or next(iter(cells.values()))
        return cell.sheet, cell.cell
    return None


def _check_values(
    fields: dict[str, FieldValue], entries: dict[str, IndicatorEntry]
) -> dict[str, float | None]:
    values = numeric_fields(fields)
    for code, entry in entries.items():
        as_value, as_numerator, as_denominator = _names(code)
        values[code] = values[as_value] = entry.value if entry.status == EntryStatus.ok else None
        values[as_numerator] = entry.numerator
        values[as_denominator] = entry.denominator
        if entry.inputs:
            values |= {layout.input_code(code, key): value for key, value in entry.inputs.items()}
    return values


@functools.lru_cache(maxsize=1024)  # a config's codes: the same for every form
def _names(code: str) -> tuple[str, str, str]:
    """How an expression names an indicator's value, numerator and denominator."""
    return f"{code}.value", f"{code}.numerator", f"{code}.denominator"


def numeric_fields(fields: dict[str, FieldValue]) -> dict[str, float | None]:
    """The school fields an expression can read: numbers, and yes/no as 1/0."""
    values: dict[str, float | None] = {}
    for key, value in fields.items():
        if isinstance(value, bool):
            values[key] = 1.0 if value else 0.0
        elif isinstance(value, float):
            values[key] = value
    return values
