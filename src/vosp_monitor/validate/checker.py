"""One form (or one row of a consolidated table) → a checked :class:`Submission`.

:class:`Checker` runs the rules of one submission in order — the stamp, the form as a
whole, the school fields, every indicator, the cross-field checks — and collects what they
yield. What the submission *is* follows from those findings, nothing is set on the side:
an indicator's status comes from the consequence of its own errors (or, with no error of
its own, from why it has no value), and whether the school is excluded is derived by
:attr:`Submission.excluded` from its problems.
"""

from __future__ import annotations

import re
from typing import Any

from .. import layout
from ..config import Config, Indicator, IndicatorType
from ..ingest import fold_code
from ..ingest.raw import RawCell, RawForm
from ..problems import CATALOGUE, Problem, Severity, make_problem
from .computed import check_computed
from .coverage import check_coverage, check_log_domain, coverage_rules
from .crossfield import check_expressions, numeric_fields
from .fast import compile_fast, compile_field
from .fields import check_fields, identity
from .inputs import check_value, indicator_problem
from .rules import POLICY_STATUS, STATUS_OF_CONSEQUENCE, Finding, Rule, Scope, drain
from .shares import Measured, Skip, check_share
from .small import check_small
from .submission import EntryStatus, FieldValue, IndicatorEntry, Normalisation, Submission
from .workbook import (
    check_hidden_sheets,
    check_stamp,
    check_truncated,
    check_unknown_rows,
    form_change,
    is_other_monitoring,
)

_ROW_NUMBER = re.compile(r"\d+$")


class Checker:
    """Checks forms against one config; built once per run and sent to the worker processes.

    What every check needs from the config — its indicators, its parsed cross-field checks,
    the folded indicator codes that recognise a repeated row, each indicator's shortcut for
    a plainly valid value (``fast``) — is prepared here once: a worker checks thousands of
    forms against one config. A Checker pickles as its config and is rebuilt on the other side.
    """

    def __init__(self, config: Config, *, shortcuts: bool = True) -> None:
        self.config = config
        self.shortcuts = shortcuts
        self._indicators = tuple(config.indicators())
        self._expressions = tuple(config.check_expressions())
        self._codes = {fold_code(ind.code): ind.code for ind in self._indicators}
        self._codes |= {  # a repeated input row repeats its indicator
            fold_code(layout.input_code(ind.code, item.key)): ind.code
            for ind in self._indicators
            for item in ind.inputs
        }
        self._coverage = coverage_rules(config)
        # The common case of each indicator decided without its rules (``fast``); shortcuts=False
        # runs the rules alone (tests compare the two).
        self._fast = {ind.code: compile_fast(ind, config) if shortcuts else None for ind in self._indicators}
        key = config.key_field.key
        self._field_rules = {f.key: compile_field(f, f.key == key) for f in config.school_fields if shortcuts}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.config, self.shortcuts))

    def check(self, raw: RawForm) -> Submission:
        """Every rule of one submission; the problems and normalisations found, in order."""
        config = self.config
        code, name = identity(raw, config)
        scope = Scope(raw.file, code, config.validation.invalid_value)
        sub = Submission(
            file=raw.file,
            school_code=code,
            school_name=name,
            form_version=raw.form_version,
            form_period=raw.period,
            field_cells={key: f"{cell.sheet}!{cell.cell}" for key, cell in raw.fields.items()},
        )
        findings: list[Finding] = list(check_stamp(scope, raw, config))
        if not is_other_monitoring(raw, config):
            sub.form_change = change = form_change(raw, config)
            not_asked = frozenset(change.added) if change else frozenset()
            findings += check_hidden_sheets(scope, raw)
            findings += check_truncated(scope, raw)
            sub.fields = drain(check_fields(scope, raw, config, self._field_rules), findings)
            repeated = self._repeated_rows(raw)
            numbers = numeric_fields(sub.fields)  # what a computed indicator's formula may read
            for ind in self._indicators:
                cells = raw.indicators.get(ind.code)
                fast = self._fast[ind.code]
                if fast is not None and cells is not None and ind.code not in repeated:
                    entry = fast(cells, sub.fields, numbers)  # None: the rules decide
                    if entry is not None:
                        sub.indicators[ind.code] = entry
                        continue
                start = len(findings)
                if ind.code in not_asked and cells is None:
                    measured = Measured(skip=Skip.not_applicable)  # added after the form was made
                else:
                    measured = drain(
                        self._check_indicator(scope, raw, ind, sub.fields, numbers, repeated), findings
                    )
                own = [f for f in findings[start:] if isinstance(f, Problem)]
                sub.indicators[ind.code] = _entry(raw, ind, measured, own)
            findings += check_unknown_rows(scope, raw, change.removed if change else ())
            findings += check_expressions(scope, raw, self._expressions, sub.fields, sub.indicators)
            findings += check_coverage(scope, self._coverage, sub.indicators)
        sub.problems = fold_repeated([f for f in findings if isinstance(f, Problem)], raw.file, code)
        sub.normalisations = [f for f in findings if isinstance(f, Normalisation)]
        return sub

    def _repeated_rows(self, raw: RawForm) -> dict[str, RawCell]:
        """Indicator code → the code cell of its first repeated row."""
        repeated: dict[str, RawCell] = {}
        for cell in raw.duplicate_codes:
            code = self._codes.get(fold_code(cell.value))
            if code is not None:
                repeated.setdefault(code, cell)
        return repeated

    def _check_indicator(
        self,
        scope: Scope,
        raw: RawForm,
        ind: Indicator,
        fields: dict[str, FieldValue],
        numbers: dict[str, float | None],
        repeated: dict[str, RawCell],
    ) -> Rule[Measured]:
        cells = raw.indicators.get(ind.code)
        if cells is None:
            yield indicator_problem(scope, ind, "indicator-row-missing", None)
            return Measured()
        if ind.code in repeated:  # which of the two rows is right cannot be known
            cell = repeated[ind.code]
            first = _ROW_NUMBER.search(next(iter(cells.values())).cell) if cells else None
            yield indicator_problem(
                scope,
                ind,
                "indicator-row-duplicate",
                cell,
                cell.value,
                first_row=int(first.group()) if first else "—",
            )
            return Measured()
        if ind.type == IndicatorType.share:
            measured = yield from check_share(scope, ind, cells, fields, raw.fields, self.config)
        elif ind.type == IndicatorType.computed:
            measured = yield from check_computed(scope, ind, cells, numbers)
        else:
            measured = Measured(value=(yield from check_value(scope, ind, cells.get("value"))))
        measured = yield from check_log_domain(scope, ind, cells.get(_anchor(ind)), measured)
        return (yield from check_small(scope, ind, self.config, measured, cells))


REPEATS_SHOWN = 20  # warnings of one code shown per form; the rest are counted in one more


def fold_repeated(problems: list[Problem], file: str, school: str = "") -> list[Problem]:
    """The problems, with the warnings of one code after the first :data:`REPEATS_SHOWN` counted
    in one ``warnings-repeated`` instead: a form with 4,000 unknown rows or cut texts must not
    bury its errors under 4,000 lines. Errors are never folded: each has a consequence."""
    seen: dict[str, int] = {}
    kept: list[Problem] = []
    for problem in problems:
        if problem.severity == Severity.warning:
            seen[problem.code] = seen.get(problem.code, 0) + 1
            if seen[problem.code] > REPEATS_SHOWN:
                continue
        kept.append(problem)
    for code, count in seen.items():
        if count > REPEATS_SHOWN:
            title = CATALOGUE[code].title if code in CATALOGUE else code
            kept.append(
                make_problem(
                    "warnings-repeated",
                    file=file,
                    school=school,
                    repeated=code,
                    title=title,
                    count=count - REPEATS_SHOWN,
                )
            )
    return kept


def _rebuild(kind: type[Checker], config: Config, shortcuts: bool) -> Checker:
    """A Checker (or a subclass of it) made again on the other side of a pickle."""
    return kind(config, shortcuts=shortcuts)


def check_submission(raw: RawForm, config: Config) -> Submission:
    """Check one form against ``config`` (a run builds one :class:`Checker` and reuses it)."""
    return Checker(config).check(raw)


def _entry(raw: RawForm, ind: Indicator, measured: Measured, own: list[Problem]) -> IndicatorEntry:
    """The indicator as scoring sees it; its status follows from its own problems."""
    status = _status(ind, measured, own)
    cells = raw.indicators.get(ind.code) or {}
    anchor = cells.get(_anchor(ind))
    return IndicatorEntry(
        code=ind.code,
        value=measured.value if status == EntryStatus.ok else None,
        numerator=measured.numerator,
        denominator=measured.denominator,
        status=status,
        sheet=anchor.sheet if anchor else "",
        cell=anchor.cell if anchor else "",
        inputs=measured.inputs,
        small=measured.small,
    )


def _anchor(ind: Indicator) -> str:
    """The cell an indicator's messages point to: the numerator, the first input, the value."""
    if ind.type == IndicatorType.share:
        return "numerator"
    return ind.inputs[0].key if ind.inputs else "value"


def _status(ind: Indicator, measured: Measured, own: list[Problem]) -> EntryStatus:
    for problem in own:
        if problem.severity == Severity.error and problem.consequence in STATUS_OF_CONSEQUENCE:
            return STATUS_OF_CONSEQUENCE[problem.consequence]
    if measured.skip is Skip.not_applicable:
        return EntryStatus.not_applicable
    if measured.value is None:  # an input it needs has a problem of its own
        return POLICY_STATUS[ind.missing]
    return EntryStatus.ok
