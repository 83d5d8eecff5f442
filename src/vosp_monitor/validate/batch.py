"""Rules that need the whole batch: a school code in two files, far values, the registry.

:func:`check_batch` reads the submissions and returns new problems; it changes nothing.
Each problem about one submission names that submission's file, and the pipeline attaches
it there (a school code found in two files thereby excludes both). School codes are
compared by :func:`text.code_key`, the way a person reads them, so ``０１０１`` and ``0101``
with a zero-width space are the same school for the duplicate check and the registry.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..config import Config, IndicatorType
from ..problems import Consequence, Problem, make_problem
from ..words.text import code_key
from .submission import EntryStatus, Submission

if TYPE_CHECKING:
    from ..ingest.registry import RegistryEntry

MIN_SCHOOLS_FOR_OUTLIERS = 8
_YEARS = re.compile(r"\d{4}")
_OUTLIER_TYPES = (
    IndicatorType.share,
    IndicatorType.quantity,
    IndicatorType.number,
    IndicatorType.percent,
    IndicatorType.computed,
)


def check_batch(
    submissions: Sequence[Submission], config: Config, registry: Sequence[RegistryEntry] | None = None
) -> tuple[list[Problem], list[RegistryEntry]]:
    """Rules that need the whole batch; returns (every new problem, schools that did not submit).

    A school code found in two files is an error in both. Outliers are only looked for
    among schools that are scored (a duplicate is not), and only with at least
    :data:`MIN_SCHOOLS_FOR_OUTLIERS` values; a value is far when it lies more than
    ``analysis.outlier_iqr`` interquartile ranges beyond a quartile (the message shows the
    quartiles as the usual range).
    """
    problems = list(_form_changes(submissions, config))
    problems += _other_periods(submissions, config)
    problems += _duplicates(submissions, config)
    duplicated = {p.file for p in problems}
    scored = [s for s in submissions if not s.excluded and s.file not in duplicated]
    problems += _outliers(scored, config)
    not_submitted: list[RegistryEntry] = []
    if registry is not None:
        problems += _not_in_registry(submissions, registry, config)
        submitted = {code_key(s.school_code) for s in submissions if s.readable and s.school_code}
        not_submitted = [entry for entry in registry if code_key(entry.code) not in submitted]
        problems += [
            make_problem("school-not-submitted", school=entry.code, value=entry.code, name=entry.name or "—")
            for entry in not_submitted
        ]
    return problems, not_submitted


def _form_changes(submissions: Sequence[Submission], config: Config) -> Iterator[Problem]:
    """What changed in indicators.yaml since the forms were made (``Submission.form_change``),
    said once for the run: no school can fix it."""
    added: dict[str, int] = defaultdict(int)
    removed: dict[str, int] = defaultdict(int)
    reworded = 0
    for sub in submissions:
        change = sub.form_change
        if change is None:
            continue
        for code in change.added:
            added[code] += 1
        for code in change.removed:
            removed[code] += 1
        reworded += change.reworded
    version = config.monitoring.form_version
    for code, forms in added.items():
        yield make_problem("indicator-added-after-form", indicator=code, version=version, forms=forms)
    for code, forms in removed.items():
        yield make_problem("indicator-removed-after-form", indicator=code, version=version, forms=forms)
    if reworded:
        yield make_problem("form-framework-changed", version=version, forms=reworded)


def _other_periods(submissions: Sequence[Submission], config: Config) -> Iterator[Problem]:
    """Forms made for another period than ``monitoring.period`` (last year's form sent again,
    or a config not updated for the new year), said once per period found."""
    period = config.monitoring.period
    others: dict[str, int] = defaultdict(int)
    for sub in submissions:
        if sub.readable and sub.form_period and period and not same_period(sub.form_period, period):
            others[sub.form_period] += 1
    for found, forms in others.items():
        yield make_problem("form-other-period", value=found, expected=period, forms=forms)


def same_period(a: str, b: str) -> bool:
    """«2025/2026» and «2025/2026 учебный год» are one period: the years decide when both name some."""
    years_a, years_b = _YEARS.findall(a), _YEARS.findall(b)
    if years_a and years_b:
        return years_a == years_b
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def _school_code_problem(sub: Submission, config: Config, code: str, **params: Any) -> Problem:
    """A problem about a submission's school code, located at the code's cell."""
    sheet, _, cell = sub.field_cells.get(config.key_field.key, "").rpartition("!")
    return make_problem(
        code, file=sub.file, sheet=sheet, cell=cell, school=sub.school_code, value=sub.school_code, **params
    )


def _duplicates(submissions: Sequence[Submission], config: Config) -> Iterator[Problem]:
    by_code: dict[str, list[Submission]] = defaultdict(list)
    for sub in submissions:
        if sub.readable and sub.school_code:
            by_code[code_key(sub.school_code)].append(sub)
    for group in by_code.values():
        if len(group) < 2:
            continue
        for sub in group:
            others = ", ".join(other.file for other in group if other is not sub)
            yield _school_code_problem(
                sub,
                config,
                "school-duplicate",
                first=sub.file,
                second=others,
                consequence=Consequence.school_excluded,
            )


def _outliers(scored: Sequence[Submission], config: Config) -> Iterator[Problem]:
    """Values beyond ``outlier_iqr`` interquartile ranges from a quartile, school by school.

    Per indicator the values are gathered and sorted once; only an indicator whose smallest
    or largest value lies outside the range is gone through again for its far values (at
    40 000 schools most have none: 0.5 s instead of 1.5 s).
    """
    factor = config.analysis.outlier_iqr
    ok = EntryStatus.ok
    for ind in config.indicators():
        if ind.type not in _OUTLIER_TYPES:
            continue
        code = ind.code
        entries = [sub.indicators.get(code) for sub in scored]
        values = sorted(v for e in entries if e is not None and (v := e.value) is not None and e.status == ok)
        if len(values) < MIN_SCHOOLS_FOR_OUTLIERS:
            continue
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        spread = q3 - q1
        if spread <= 0:
            continue  # most schools gave the same value: any other value would look extreme
        low, high = q1 - factor * spread, q3 + factor * spread
        if low <= values[0] and values[-1] <= high:
            continue
        for sub, entry in zip(scored, entries, strict=True):
            if entry is None or (value := entry.value) is None or entry.status != ok or low <= value <= high:
                continue
            yield make_problem(
                "value-outlier",
                file=sub.file,
                sheet=entry.sheet,
                cell=entry.cell,
                indicator=code,
                school=sub.school_code,
                value=value,
                low=round(q1, 1),
                high=round(q3, 1),
            )


def _not_in_registry(
    submissions: Sequence[Submission], registry: Sequence[RegistryEntry], config: Config
) -> Iterator[Problem]:
    expected = {code_key(entry.code) for entry in registry}
    for sub in submissions:
        if sub.readable and sub.school_code and code_key(sub.school_code) not in expected:
            yield _school_code_problem(sub, config, "school-not-in-registry")
