"""Rules that turn one raw form into a checked :class:`Submission`, then rules across forms.

:func:`check_submission` runs in worker processes and is pure: it reads every school field
and indicator cell through :mod:`values`, records each normalisation, and yields problems
as data (file, sheet, cell, indicator, school, the value found, a Russian message the
school can act on, and the consequence). :func:`check_batch` adds what only the whole
batch shows: a school code in two files, values far from the other schools, and the
registry of expected schools.

Consequences (issue 3, item 5):

* an error in a school field, a failed cross-field check, a form of another monitoring →
  the whole school is excluded (``Submission.excluded``);
* an invalid or missing indicator value → by the indicator's ``missing`` policy:
  ``error`` → the school is excluded (status ``invalid``), ``zero`` → status ``zero``
  (0 points), ``not_applicable`` → status ``not_applicable`` (left out of the sum and the
  maximum); the problem stays an error either way, so the school is told to fix it;
* warnings change nothing.

Values handed to scoring: shares in % (numerator / denominator × 100), percents as typed,
yes/no as 1/0, a choice as the chosen option's points, counts, numbers and marks as typed.

A zero denominator is an error (``denominator-zero``) except for indicators with
``missing: not_applicable``: there it is the documented way to say «не применимо» (RES-5
when nobody was on the register; KR-2 in a school without class teachers), so the
indicator gets status ``not_applicable`` and no problem is reported.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from .config import Config, FieldType, Indicator, IndicatorType, MissingPolicy, SchoolField
from .expressions import Expression
from .ingest import RawCell, RawForm
from .layout import SHEET_FIELDS, SHEET_INDICATORS
from .problems import Consequence, Problem, Severity, make_problem
from .submission import EntryStatus, FieldValue, IndicatorEntry, Normalisation, Submission
from .values import (
    Failure,
    Reading,
    format_number,
    read_choice,
    read_date,
    read_number,
    read_special,
    read_text,
    read_yesno,
)

if TYPE_CHECKING:
    from .registry import RegistryEntry

MIN_SCHOOLS_FOR_OUTLIERS = 8
_WHOLE_TOLERANCE = 1e-9

_POLICY_OUTCOME = {
    MissingPolicy.error: (EntryStatus.invalid, Consequence.school_excluded),
    MissingPolicy.zero: (EntryStatus.zero, Consequence.indicator_zero),
    MissingPolicy.not_applicable: (EntryStatus.not_applicable, Consequence.indicator_excluded),
}
_POLICY_RU = {
    MissingPolicy.error: "без него школа не участвует в рейтинге",
    MissingPolicy.zero: "показатель оценивается в 0 баллов",
    MissingPolicy.not_applicable: "показатель не учитывается",
}
_FIELD_EXPECTED = {
    FieldType.integer: "целое число",
    FieldType.number: "число",
    FieldType.date: "дата в виде ДД.ММ.ГГГГ",
    FieldType.yesno: "«да» или «нет»",
}
_OUTLIER_TYPES = (IndicatorType.share, IndicatorType.quantity, IndicatorType.number, IndicatorType.percent)


class _Indicator(Exception):
    """An indicator value is unusable; the problem has been recorded."""


class _NotApplicable(Exception):
    """A zero denominator under ``missing: not_applicable``: no value, no problem."""


@dataclass
class _Context:
    """Everything a rule needs to report a problem about one submission."""

    raw: RawForm
    config: Config
    sub: Submission
    reported_fields: set[str] = field(default_factory=set)

    def problem(
        self, code: str, *, cell: RawCell | None = None, sheet: str = "", address: str = "", **kwargs: Any
    ) -> Problem:
        problem = make_problem(
            code,
            file=self.raw.file,
            sheet=cell.sheet if cell else sheet,
            cell=cell.cell if cell else address,
            school=self.sub.school_code,
            **kwargs,
        )
        return _attach(self.sub, problem)

    def note(self, reading: Reading, cell: RawCell, target: str) -> None:
        if reading.ok and reading.note:
            self.sub.normalisations.append(
                Normalisation(self.raw.file, cell.sheet, cell.cell, target, reading.original, reading.note)
            )


# --------------------------------------------------------------------------- one submission


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every check of one config needs, computed once per process, not once per form.

    A worker checks thousands of forms against one config; listing its indicators and
    parsing its cross-field checks for each form cost more than checking the form.
    """

    config: Config  # held, so that the id() key below cannot be reused while cached
    indicators: tuple[Indicator, ...]
    expressions: tuple[tuple[Any, Expression], ...]
    identity: tuple[tuple[SchoolField, str], ...]  # (key field, "school_code"), (name field, …)


_PLANS: dict[int, _Plan] = {}


def _plan(config: Config) -> _Plan:
    plan = _PLANS.get(id(config))
    if plan is None or plan.config is not config:
        if len(_PLANS) >= 8:  # tests build many configs; a run uses one
            _PLANS.clear()
        plan = _Plan(
            config,
            tuple(config.indicators()),
            tuple(config.check_expressions()),
            ((config.key_field, "school_code"), (config.name_field, "school_name")),
        )
        _PLANS[id(config)] = plan
    return plan


def check_submission(raw: RawForm, config: Config) -> Submission:
    """Check one form (or one row of a consolidated table) against the config."""
    plan = _plan(config)
    sub = Submission(file=raw.file, form_version=raw.form_version)
    ctx = _Context(raw, config, sub)
    _read_identity(ctx, plan)
    if not _check_form(ctx):
        return sub
    for school_field in config.school_fields:
        _check_field(ctx, school_field)
    for indicator in plan.indicators:
        sub.indicators[indicator.code] = _check_indicator(ctx, indicator)
    for cell in raw.unknown_codes:
        ctx.problem("indicator-unknown", cell=cell, value=cell.value)
    _check_expressions(ctx, plan)
    return sub


def _read_identity(ctx: _Context, plan: _Plan) -> None:
    """School code and name first, so that every problem can name the school."""
    for school_field, attr in plan.identity:
        cell = ctx.raw.fields.get(school_field.key)
        if cell is not None and read_special(cell) is None:
            setattr(ctx.sub, attr, str(read_text(cell.value).value))


def _check_form(ctx: _Context) -> bool:
    """The stamp: the right monitoring, the current version. False: do not read further."""
    raw, monitoring = ctx.raw, ctx.config.monitoring
    if not raw.form_id:
        ctx.problem("form-recognised-by-headers", sheet=SHEET_INDICATORS)
        return True
    if raw.form_id != monitoring.id:
        ctx.problem(
            "form-other-monitoring",
            sheet="_vosp",
            value=raw.form_id,
            found=raw.form_id,
            expected=monitoring.id,
            consequence=Consequence.school_excluded,
        )
        return False
    if raw.form_version and raw.form_version != monitoring.form_version:
        ctx.problem(
            "form-old-version",
            sheet="_vosp",
            value=raw.form_version,
            found=raw.form_version,
            expected=monitoring.form_version,
            detail=_version_difference(raw, ctx.config),
        )
    return True


def _version_difference(raw: RawForm, config: Config) -> str:
    described = config.monitoring.previous_versions.get(raw.form_version, "").strip()
    codes = [ind.code for ind in config.indicators()]
    missing = [code for code in codes if code not in raw.stamp_codes] if raw.stamp_codes else []
    extra = [code for code in raw.stamp_codes if code not in codes]
    parts = [described] if described else []
    if missing:
        parts.append("в форме нет показателей " + ", ".join(missing))
    if extra:
        parts.append("в форме есть показатели, которых больше нет: " + ", ".join(extra))
    if not parts:
        parts.append("перечень показателей не изменился" if raw.stamp_codes else "различия не описаны")
    return "; ".join(parts)


def _check_field(ctx: _Context, school_field: SchoolField) -> None:
    cell = ctx.raw.fields.get(school_field.key)
    special = read_special(cell)
    label = school_field.label

    def fail(code: str, value: Any = "", **params: Any) -> None:
        ctx.reported_fields.add(school_field.key)
        ctx.problem(
            code,
            cell=cell,
            sheet=SHEET_FIELDS,
            value=value,
            label=label,
            consequence=Consequence.school_excluded,
            **params,
        )

    if cell is not None:
        ctx.sub.field_cells[school_field.key] = f"{cell.sheet}!{cell.cell}"
    if special is not None:
        if special.failure == Failure.empty:
            if school_field.required:
                fail("field-missing")
            ctx.sub.fields[school_field.key] = None
        elif special.failure == Failure.error_cell:
            fail("field-type", special.original, expected=_field_expected(school_field))
        else:
            fail("field-type", "формула без значения", expected=_field_expected(school_field))
        return
    assert cell is not None
    reading = _read_field_value(cell, school_field)
    if not reading.ok:
        fail("field-type", reading.original, expected=_field_expected(school_field))
        return
    value = reading.value
    if school_field.type in (FieldType.integer, FieldType.number):
        assert isinstance(value, float)
        if school_field.type == FieldType.integer and not _is_whole(value):
            fail("field-type", format_number(value), expected="целое число")
            return
        if not _within(value, school_field.min, school_field.max):
            fail("field-range", format_number(value), expected=_range_ru(school_field.min, school_field.max))
            return
    ctx.note(reading, cell, school_field.key)
    ctx.sub.fields[school_field.key] = cast(FieldValue, value)


def _read_field_value(cell: RawCell, school_field: SchoolField) -> Reading:
    kind = school_field.type
    if kind in (FieldType.integer, FieldType.number):
        return read_number(cell.value)
    if kind == FieldType.choice:
        return read_choice(cell.value, school_field.choices or [])
    if kind == FieldType.yesno:
        return read_yesno(cell.value)
    if kind == FieldType.date:
        return read_date(cell.value)
    return read_text(cell.value)


def _field_expected(school_field: SchoolField) -> str:
    if school_field.type == FieldType.choice:
        return "один из вариантов: " + "; ".join(f"«{c}»" for c in school_field.choices or [])
    expected = _FIELD_EXPECTED.get(school_field.type, "текст")
    if school_field.type in (FieldType.integer, FieldType.number) and (
        school_field.min is not None or school_field.max is not None
    ):
        expected += " " + _range_ru(school_field.min, school_field.max)
    return expected


# --------------------------------------------------------------------------- indicators


def _check_indicator(ctx: _Context, ind: Indicator) -> IndicatorEntry:
    cells = ctx.raw.indicators.get(ind.code)
    entry = IndicatorEntry(code=ind.code)
    if cells is None:
        status, consequence = _POLICY_OUTCOME[ind.missing]
        ctx.problem(
            "indicator-row-missing", sheet=SHEET_INDICATORS, indicator=ind.code, consequence=consequence
        )
        return _invalid(ctx, entry, status)
    anchor = cells.get("numerator" if ind.type == IndicatorType.share else "value")
    if anchor is not None:
        entry.sheet, entry.cell = anchor.sheet, anchor.cell
    try:
        if ind.type == IndicatorType.share:
            _check_share(ctx, ind, cells, entry)
        else:
            entry.value = _indicator_value(ctx, ind, cells.get("value"))
    except _Indicator:
        return _invalid(ctx, entry, _POLICY_OUTCOME[ind.missing][0])
    except _NotApplicable:
        entry.status, entry.value = EntryStatus.not_applicable, None
    return entry


def _invalid(ctx: _Context, entry: IndicatorEntry, status: EntryStatus) -> IndicatorEntry:
    entry.status = status
    entry.value = None
    if status == EntryStatus.invalid:
        ctx.sub.excluded = True
    return entry


def _fail(ctx: _Context, ind: Indicator, code: str, cell: RawCell | None, value: Any = "", **params: Any):
    """Record an indicator problem with the consequence its missing policy gives; stop reading it."""
    ctx.problem(
        code,
        cell=cell,
        sheet=SHEET_INDICATORS,
        indicator=ind.code,
        value=value,
        consequence=_POLICY_OUTCOME[ind.missing][1],
        **params,
    )
    raise _Indicator


def _read_cell(ctx: _Context, ind: Indicator, cell: RawCell | None, *, what: str | None) -> Reading:
    """The number in one input cell; reports empty, error and non-numeric cells.

    ``what`` is the expected value in words; None: the indicator's own (built only when needed).
    """
    special = read_special(cell)
    if special is not None:
        _special_problem(ctx, ind, cell, special)
    assert cell is not None
    percent = ind.type == IndicatorType.percent
    reading = read_number(cell.value, percent=percent, percent_format=cell.percent_format)
    if not reading.ok:
        _fail(ctx, ind, "value-not-number", cell, reading.original, expected=what or _expected_value(ind))
    return reading


def _expected_value(ind: Indicator) -> str:
    if ind.type == IndicatorType.quantity:
        return "целое число (количество)"
    if ind.type == IndicatorType.mark:
        return f"оценка от 0 до {ind.max_mark}"
    if ind.type == IndicatorType.percent:
        return "процент от 0 до 100"
    return "число"


def _special_problem(ctx: _Context, ind: Indicator, cell: RawCell | None, special: Reading) -> None:
    if special.failure == Failure.empty:
        _fail(ctx, ind, "value-missing", cell, policy=_POLICY_RU[ind.missing])
    if special.failure == Failure.error_cell:
        _fail(ctx, ind, "value-error-cell", cell, special.original)
    _fail(ctx, ind, "value-formula-no-cache", cell)


def _indicator_value(ctx: _Context, ind: Indicator, cell: RawCell | None) -> float:
    if ind.type in (IndicatorType.yesno, IndicatorType.choice):
        special = read_special(cell)
        if special is not None:
            _special_problem(ctx, ind, cell, special)
        assert cell is not None
        if ind.type == IndicatorType.yesno:
            reading = read_yesno(cell.value)
            if not reading.ok:
                _fail(ctx, ind, "value-not-yesno", cell, reading.original)
            ctx.note(reading, cell, ind.code)
            return 1.0 if reading.value else 0.0
        options = ind.options or []
        reading = read_choice(cell.value, [o.label for o in options])
        if not reading.ok:
            listed = "; ".join(f"«{o.label}»" for o in options)
            _fail(ctx, ind, "value-not-option", cell, reading.original, expected=listed)
        ctx.note(reading, cell, ind.code)
        return next(o.points for o in options if o.label == reading.value)

    low, high = ind.min, ind.max
    whole = ind.type in (IndicatorType.quantity, IndicatorType.mark)
    if ind.type == IndicatorType.percent:
        low, high = max(low if low is not None else 0.0, 0.0), min(high if high is not None else 100.0, 100.0)
    if ind.type == IndicatorType.mark:
        low, high = 0.0, float(ind.max_mark or 1)
    reading = _read_cell(ctx, ind, cell, what=None)
    assert cell is not None and isinstance(reading.value, float)
    value = reading.value
    ctx.note(reading, cell, ind.code)
    if whole:
        _check_whole(ctx, ind, cell, reading)
    if not _within(value, low, high):
        _fail(ctx, ind, "value-out-of-range", cell, reading.original, expected=_range_ru(low, high))
    return value


def _check_whole(ctx: _Context, ind: Indicator, cell: RawCell, reading: Reading) -> None:
    """Counts, numerators and denominators: whole and not negative (the message shows what was typed)."""
    assert isinstance(reading.value, float)
    if reading.value < 0:
        _fail(ctx, ind, "value-negative", cell, reading.original)
    if not _is_whole(reading.value):
        _fail(ctx, ind, "value-not-whole", cell, reading.original)


def _check_share(ctx: _Context, ind: Indicator, cells: dict[str, RawCell], entry: IndicatorEntry) -> None:
    num_cell = cells.get("numerator")
    na = ind.missing == MissingPolicy.not_applicable
    denominator, den_cell = _share_denominator(ctx, ind, cells)
    if na and denominator == 0 and read_special(num_cell) is not None:
        entry.denominator = 0.0
        raise _NotApplicable
    reading = _read_cell(ctx, ind, num_cell, what="целое число (количество)")
    assert num_cell is not None and isinstance(reading.value, float)
    numerator = reading.value
    ctx.note(reading, num_cell, ind.code)
    _check_whole(ctx, ind, num_cell, reading)
    entry.numerator, entry.denominator = numerator, denominator
    if denominator == 0 and na and numerator == 0:
        raise _NotApplicable
    if denominator == 0 and not na:
        _fail(ctx, ind, "denominator-zero", den_cell or num_cell, "0")
    if numerator > denominator:
        _fail(
            ctx,
            ind,
            "numerator-above-denominator",
            num_cell,
            format_number(numerator),
            numerator=format_number(numerator),
            denominator=format_number(denominator),
        )
    if ind.numerator_within:
        limit = ctx.sub.fields.get(ind.numerator_within)
        if isinstance(limit, float) and numerator > limit:
            _fail(
                ctx,
                ind,
                "numerator-above-contingent",
                num_cell,
                format_number(numerator),
                numerator=format_number(numerator),
                label=ctx.config.field(ind.numerator_within).label,
                limit=format_number(limit),
            )
    value = numerator / denominator * 100
    if not _within(value, ind.min, ind.max):
        _fail(
            ctx,
            ind,
            "value-out-of-range",
            num_cell,
            format_number(value),
            expected=_range_ru(ind.min, ind.max),
        )
    entry.value = value


def _share_denominator(
    ctx: _Context, ind: Indicator, cells: dict[str, RawCell]
) -> tuple[float, RawCell | None]:
    """The denominator typed in the form, or taken from the school fields."""
    if ind.denominator_field:
        value = ctx.sub.fields.get(ind.denominator_field)
        if isinstance(value, float):
            return value, None
        if ind.denominator_field in ctx.reported_fields:
            raise _Indicator  # the field's own problem already excludes the school
        cell = ctx.raw.fields.get(ind.denominator_field)
        _fail(
            ctx,
            ind,
            "value-missing",
            cell,
            policy=_POLICY_RU[ind.missing] + " (нет знаменателя в сведениях об ОО)",
        )
    cell = cells.get("denominator")
    reading = _read_cell(ctx, ind, cell, what="целое число (количество)")
    assert cell is not None and isinstance(reading.value, float)
    ctx.note(reading, cell, ind.code)
    _check_whole(ctx, ind, cell, reading)
    return reading.value, cell


# --------------------------------------------------------------------------- cross-field checks


def _check_expressions(ctx: _Context, plan: _Plan) -> None:
    """The ``checks`` of indicators.yaml; a check that needs a missing value is skipped."""
    if not plan.expressions:
        return
    values = _check_values(ctx.sub)
    for check, expression in plan.expressions:
        if expression.evaluate(values) is not False:
            continue
        names = sorted(expression.names)
        shown = ", ".join(
            f"{name} = {format_number(values[name])}" for name in names if values.get(name) is not None
        )
        rule = check.message or check.rule
        detail = f" ({check.rule}: {shown})" if check.message else f" ({shown})"
        location = next((loc for name in names if (loc := _location_of(ctx, name))), ("", ""))
        severity = Severity(check.severity)
        ctx.problem(
            "check-failed",
            sheet=location[0],
            address=location[1],
            severity=severity,
            rule=rule,
            detail=detail,
            value=shown,
            indicator=next((n.split(".")[0] for n in names if n.split(".")[0] in ctx.sub.indicators), ""),
            consequence=Consequence.school_excluded if severity == Severity.error else Consequence.none,
        )


def _location_of(ctx: _Context, name: str) -> tuple[str, str] | None:
    code, _, part = name.partition(".")
    if code in ctx.raw.fields:
        cell = ctx.raw.fields[code]
        return cell.sheet, cell.cell
    cells = ctx.raw.indicators.get(code)
    if cells:
        cell = cells.get(part or "value") or cells.get("numerator") or next(iter(cells.values()))
        return cell.sheet, cell.cell
    return None


def _check_values(sub: Submission) -> dict[str, float | None]:
    values: dict[str, float | None] = {}
    for key, value in sub.fields.items():
        if isinstance(value, bool):
            values[key] = 1.0 if value else 0.0
        elif isinstance(value, float):
            values[key] = value
    for code, entry in sub.indicators.items():
        usable = entry.status == EntryStatus.ok
        values[code] = values[f"{code}.value"] = entry.value if usable else None
        values[f"{code}.numerator"] = entry.numerator
        values[f"{code}.denominator"] = entry.denominator
    return values


# --------------------------------------------------------------------------- across submissions


def check_batch(
    submissions: Sequence[Submission], config: Config, registry: Sequence[RegistryEntry] | None = None
) -> tuple[list[Problem], list[RegistryEntry]]:
    """Rules that need the whole batch; returns (every new problem, schools that did not submit).

    A problem about one submission is also appended to that submission's ``problems``; a
    school code found in two files excludes both. Outliers are only looked for among
    schools that are scored, and only with at least :data:`MIN_SCHOOLS_FOR_OUTLIERS` values;
    a value is far when it lies more than ``analysis.outlier_iqr`` interquartile ranges
    beyond a quartile (the message shows the quartiles as the usual range).
    """
    problems: list[Problem] = []
    problems += _duplicates(submissions, config)
    problems += _outliers(submissions, config)
    not_submitted: list[RegistryEntry] = []
    if registry is not None:
        extra, not_submitted = _registry(submissions, registry, config)
        problems += extra
    return problems, not_submitted


def _attach(sub: Submission, problem: Problem) -> Problem:
    """Add a problem to its submission; an error that excludes the school marks it excluded."""
    sub.problems.append(problem)
    if problem.severity == Severity.error and problem.consequence == Consequence.school_excluded:
        sub.excluded = True
    return problem


def _key_location(sub: Submission, config: Config) -> tuple[str, str]:
    where = sub.field_cells.get(config.key_field.key, "")
    sheet, _, cell = where.rpartition("!")
    return sheet, cell


def _school_code_problem(sub: Submission, config: Config, code: str, **params: Any) -> Problem:
    """A problem about a submission's school code, located at the code's cell and attached to it."""
    sheet, cell = _key_location(sub, config)
    problem = make_problem(
        code, file=sub.file, sheet=sheet, cell=cell, school=sub.school_code, value=sub.school_code, **params
    )
    return _attach(sub, problem)


def _duplicates(submissions: Sequence[Submission], config: Config) -> list[Problem]:
    by_code: dict[str, list[Submission]] = defaultdict(list)
    for sub in submissions:
        if sub.readable and sub.school_code:
            by_code[sub.school_code.strip().casefold()].append(sub)
    problems = []
    for group in by_code.values():
        if len(group) < 2:
            continue
        for sub in group:
            others = ", ".join(other.file for other in group if other is not sub)
            problems.append(
                _school_code_problem(
                    sub,
                    config,
                    "school-duplicate",
                    first=sub.file,
                    second=others,
                    consequence=Consequence.school_excluded,
                )
            )
    return problems


def _outliers(submissions: Sequence[Submission], config: Config) -> list[Problem]:
    scored = [s for s in submissions if s.readable and not s.excluded]
    factor = config.analysis.outlier_iqr
    problems = []
    for ind in config.indicators():
        if ind.type not in _OUTLIER_TYPES:
            continue
        entries = [
            (sub, entry)
            for sub in scored
            if (entry := sub.indicators.get(ind.code)) is not None
            and entry.status == EntryStatus.ok
            and entry.value is not None
        ]
        if len(entries) < MIN_SCHOOLS_FOR_OUTLIERS:
            continue
        q1, _, q3 = statistics.quantiles([e.value for _, e in entries], n=4, method="inclusive")  # type: ignore[misc]
        spread = q3 - q1
        if spread <= 0:
            continue  # most schools gave the same value: any other value would look extreme
        low, high = q1 - factor * spread, q3 + factor * spread
        for sub, entry in entries:
            assert entry.value is not None
            if low <= entry.value <= high:
                continue
            problems.append(
                _attach(
                    sub,
                    make_problem(
                        "value-outlier",
                        file=sub.file,
                        sheet=entry.sheet,
                        cell=entry.cell,
                        indicator=ind.code,
                        school=sub.school_code,
                        value=format_number(entry.value),
                        low=format_number(round(q1, 1)),
                        high=format_number(round(q3, 1)),
                    ),
                )
            )
    return problems


def _registry(
    submissions: Sequence[Submission], registry: Sequence[RegistryEntry], config: Config
) -> tuple[list[Problem], list[RegistryEntry]]:
    expected = {entry.code.strip().casefold() for entry in registry}
    submitted = {s.school_code.strip().casefold() for s in submissions if s.readable and s.school_code}
    problems = []
    for sub in submissions:
        if sub.readable and sub.school_code and sub.school_code.strip().casefold() not in expected:
            problems.append(_school_code_problem(sub, config, "school-not-in-registry"))
    not_submitted = [entry for entry in registry if entry.code.strip().casefold() not in submitted]
    problems += [
        make_problem("school-not-submitted", school=entry.code, value=entry.code, name=entry.name or "—")
        for entry in not_submitted
    ]
    return problems, not_submitted


# --------------------------------------------------------------------------- small helpers


def _is_whole(value: float) -> bool:
    return math.isfinite(value) and abs(value - round(value)) < _WHOLE_TOLERANCE


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _range_ru(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"от {format_number(low)} до {format_number(high)}"
    if low is not None:
        return f"не меньше {format_number(low)}"
    if high is not None:
        return f"не больше {format_number(high)}"
    return "любое число"
