"""The assembly of :class:`Results`: score, rank, analyse, and turn arrays into school records.

Scoring and the district statistics work on arrays aligned with the schools
(``scoring``, ``district``); this module runs them in order, builds the per-school
records column by column (a million small objects for 40,000 schools, so the loops are
kept flat), and adds the findings that the report words (``findings``). Submissions that
are excluded, unreadable, or score nothing at all are listed with the problems that
excluded them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..problems import Consequence, Problem, Severity, make_problem
from ..results import (
    BlockResult,
    ExcludedSchool,
    ExpectedSchool,
    IndicatorResult,
    Results,
    SchoolResult,
    SkippedFile,
    gc_paused,
)
from ..scoring.methods import NA, OK, ZERO, ScoreTable, score_submissions
from ..scoring.ranking import order_by_place, rank_scores, rank_within_groups
from ..validate.submission import EntryStatus, Normalisation, Submission
from ..validate.territories import Placement
from ..version import __version__
from .audit import VALUE_TYPES, Columns, audit_columns
from .district import BoolArray, FloatArray, indicator_stats, share_parts
from .regional import RunFacts, build_territories
from .summary import summary_fields
from .territories import SchoolArrays
from .uncertainty import run_uncertainty

_STATUS_TEXT = {OK: EntryStatus.ok.value, ZERO: EntryStatus.zero.value, NA: EntryStatus.not_applicable.value}


def _excluded(sub: Submission, head_field: str, *extra: Problem) -> ExcludedSchool:
    """The record of an excluded submission: its error problems (the ones that excluded it)."""
    problems = [p for p in sub.problems if p.severity == Severity.error]
    return ExcludedSchool(
        sub.file, sub.school_code, sub.school_name, [*problems, *extra], _head(sub, head_field)
    )


def _size(sub: Submission, size_field: str) -> float | None:
    """The school's size as its form gives it (None without a size field or a number)."""
    value = sub.fields.get(size_field) if size_field else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _head(sub: Submission, head_field: str) -> str:
    """The head's name as the form gives it ("" when the field is empty or not text)."""
    value = sub.fields.get(head_field)
    return value.strip() if isinstance(value, str) else ""


def _nothing_applicable(sub: Submission) -> Problem:
    return make_problem(
        "school-nothing-applicable",
        file=sub.file,
        school=sub.school_code,
        consequence=Consequence.school_excluded,
    )


def _as_skipped(items: Iterable[Any]) -> list[SkippedFile]:
    """SkippedFile records from SkippedFile, objects with file/reason, or (file, reason) pairs."""
    out: list[SkippedFile] = []
    for item in items:
        if isinstance(item, SkippedFile):
            out.append(item)
        elif isinstance(item, tuple):
            out.append(SkippedFile(file=str(item[0]), reason=str(item[1])))
        else:
            out.append(SkippedFile(file=str(item.file), reason=item.reason))
    return out


def _as_expected(items: Iterable[Any]) -> list[ExpectedSchool]:
    return [i if isinstance(i, ExpectedSchool) else ExpectedSchool(code=i.code, name=i.name) for i in items]


def _entry_flags(
    subs: Sequence[Submission], code: str, computed: bool
) -> tuple[Iterable[dict[str, float]], list[bool]]:
    """The inputs (a computed indicator's; else one empty dict shared by every record, never
    changed: a million empty dicts would cost memory for nothing) and the «мало данных» flags."""
    entries = [sub.indicators.get(code) for sub in subs]
    small = [bool(entry and entry.small) for entry in entries]
    if not computed:
        return repeat({}, len(subs)), small
    return [dict(entry.inputs) if entry else {} for entry in entries], small


def _nullable(values: Any) -> list[float | None]:
    """Array → list with NaN as None (JSON null: «not applicable»)."""
    data = np.asarray(values, dtype=float)
    missing = np.isnan(data)
    if not missing.any():
        plain: list[float | None] = data.tolist()
        return plain
    boxed = data.astype(object)  # Python floats, as tolist() gives
    boxed[missing] = None
    nullable: list[float | None] = boxed.tolist()
    return nullable


# A million small objects for 40,000 schools: the cyclic GC would rescan them repeatedly
# while they are built, and none of them forms a cycle; they live on (keep: see gc_paused).
@gc_paused(keep=True)
def build_results(
    config: Config,
    submissions: Sequence[Submission],
    *,
    skipped: Iterable[Any] = (),
    not_submitted: Iterable[Any] = (),
    problems: Sequence[Problem] | None = None,
    normalisations: Sequence[Normalisation] | None = None,
    source: str = "",
    expected_count: int | None = None,
    uncertainty: bool | None = None,
    placement: Placement | None = None,
    territory_forms: Sequence[Submission] = (),
) -> Results:
    """Score, rank and analyse the submissions and assemble :class:`Results`.

    Submissions that are excluded, unreadable, or score nothing at all (every indicator
    not applicable) are listed in ``Results.excluded`` with the problems that excluded
    them; a school that scores nothing gets a ``school-nothing-applicable`` problem, which
    is also added to ``Results.problems``. ``problems`` and ``normalisations`` default to
    those carried by the submissions. Schools are ordered by place, then by code.
    ``uncertainty`` turns the rank-robustness analysis on or off (None: as
    ``analysis.uncertainty.enabled`` says, up to ``uncertainty.AUTO_LIMIT`` schools); its
    problems are added to ``Results.problems``. ``placement`` says where each submission
    belongs (``validate.territories``): with it the results carry the roll-up by territory,
    with ``territory_forms`` (the territories' own forms) scored into it.
    """
    candidates = sorted(
        (s for s in submissions if s.readable and not s.excluded), key=lambda s: (s.school_code, s.file)
    )
    head_field = config.documents.letters.head_field
    excluded = [_excluded(s, head_field) for s in submissions if not s.readable or s.excluded]
    table = score_submissions(config, candidates)
    empty = np.isnan(table.total)
    scored_nothing = [_nothing_applicable(candidates[i]) for i in np.flatnonzero(empty).tolist()]
    if scored_nothing:
        for i, problem in zip(np.flatnonzero(empty).tolist(), scored_nothing, strict=True):
            excluded.append(_excluded(candidates[i], head_field, problem))
        candidates = [s for s, e in zip(candidates, empty, strict=True) if not e]
        table = score_submissions(config, candidates)
    excluded.sort(key=lambda e: (e.code, e.file))

    codes = [s.school_code for s in candidates]
    rk = config.ranking
    places = rank_scores(table.total, ties=rk.ties, decimals=rk.decimals)
    block_places = {
        bid: rank_scores(b.scores, ties=rk.ties, decimals=rk.decimals) for bid, b in table.blocks.items()
    }
    group_values = {
        key: [None if s.fields.get(key) in (None, "") else str(s.fields[key]) for s in candidates]
        for key in rk.groups
    }
    group_places = {
        key: rank_within_groups(table.total, vals, ties=rk.ties, decimals=rk.decimals)
        for key, vals in group_values.items()
    }
    numerators, denominators = share_parts(config, candidates)
    ind_stats, deficits, targets = indicator_stats(config, table, numerators, denominators)
    for ind in config.indicators():
        if config.min_denominator(ind) is not None:
            flags = (sub.indicators.get(ind.code) for sub in candidates)
            ind_stats[ind.code].small_count = sum(bool(entry and entry.small) for entry in flags)

    schools = _school_results(
        config,
        candidates,
        table,
        places,
        block_places,
        group_values,
        group_places,
        deficits,
        targets,
        numerators,
        denominators,
    )
    order = order_by_place(places, codes)
    schools = [schools[i] for i in order]

    if problems is None:
        problems = [p for s in submissions for p in s.problems]
    if normalisations is None:
        normalisations = [n for s in submissions for n in s.normalisations]
    summary = summary_fields(config, table, schools, ind_stats)
    robustness, robustness_problems = run_uncertainty(config, table, places, uncertainty)
    expected = _as_expected(not_submitted)
    facts = RunFacts(
        files=[s.file for s in candidates],
        excluded=excluded,
        not_submitted=expected,
        registry_size=expected_count,
        order=order,
        risk=[entry.code for entry in summary["risk"]],
        territory_forms=territory_forms,
        uncertainty=uncertainty,
    )
    arrays = SchoolArrays(table, numerators, denominators, deficits, targets)
    return Results(
        config=config,
        generated_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        tool_version=__version__,
        source=source,
        schools=schools,
        excluded=excluded,
        not_submitted=expected,
        expected_count=expected_count,
        skipped=_as_skipped(skipped),
        problems=[*problems, *scored_nothing, *robustness_problems],
        normalisations=list(normalisations),
        **summary,
        uncertainty=robustness,
        audit=audit_columns(config, _audit_columns(config, table, order))
        if config.analysis.audit.enabled
        else None,
        territories=build_territories(config, placement, arrays, facts),
    )


def _audit_columns(config: Config, table: ScoreTable, order: Sequence[int]) -> Columns:
    """The audit's columns from the score arrays, in the order of the ranking (as the school
    records are, so the sums and the audit are those of :func:`~.audit.audit_schools`)."""
    rows = np.asarray(order, dtype=np.intp)
    inds = config.indicators()
    arrays = [table.indicators[ind.code] for ind in inds]
    return Columns(
        scores={sc.code: sc.scores[rows] for sc in arrays},
        points={sc.code: sc.points[rows] for sc in arrays},
        values={  # as the records hold them: only a valid value is reported
            sc.code: np.where(sc.status == OK, sc.values, np.nan)[rows]
            for sc, ind in zip(arrays, inds, strict=True)
            if ind.type in VALUE_TYPES
        },
        blocks={bid: b.scores[rows] for bid, b in table.blocks.items()},
        total=table.total[rows],
    )


def _school_results(
    config: Config,
    subs: Sequence[Submission],
    table: ScoreTable,
    places: npt.NDArray[np.int_],
    block_places: dict[str, npt.NDArray[np.int_]],
    group_values: dict[str, list[str | None]],
    group_places: dict[str, npt.NDArray[np.int_]],
    deficits: dict[str, BoolArray],
    targets: dict[str, BoolArray | None],
    numerators: dict[str, FloatArray],
    denominators: dict[str, FloatArray],
) -> list[SchoolResult]:
    """One SchoolResult per scored submission (arrays converted to lists once: fast)."""
    inds = config.indicators()
    head_field = config.documents.letters.head_field
    size_field = config.size_field.key if config.size_field else ""
    columns = []
    for ind in inds:
        sc = table.indicators[ind.code]
        met = targets[ind.code]
        status = sc.status.tolist()
        columns.append(
            (
                ind.code,
                _nullable(np.where(sc.status == OK, sc.values, np.nan)),
                _nullable(sc.points),
                sc.max_points,
                _nullable(sc.scores),
                [_STATUS_TEXT[x] for x in status],
                _nullable(numerators[ind.code]) if ind.code in numerators else [None] * len(subs),
                _nullable(denominators[ind.code]) if ind.code in denominators else [None] * len(subs),
                deficits[ind.code].tolist(),
                [None] * len(subs)
                if met is None
                else [m if st != NA else None for m, st in zip(met.tolist(), status, strict=True)],
                *_entry_flags(subs, ind.code, bool(ind.inputs)),
            )
        )
    bcols = [
        (
            bid,
            _nullable(b.scores),
            b.points.tolist(),
            b.max_points.tolist(),
            b.below_base.tolist(),
            [p or None for p in block_places[bid].tolist()],
        )
        for bid, b in table.blocks.items()
    ]
    totals = table.total.tolist()
    below = table.below_base.tolist()
    place_list = places.tolist()
    gplaces = {k: v.tolist() for k, v in group_places.items()}
    n = len(subs)
    # Built column by column: map() calls the slots classes' __init__ without a Python
    # loop per school, and each school's dict is a zip of its row.
    ind_codes = [col[0] for col in columns]
    by_indicator = [
        list(map(IndicatorResult, repeat(code, n), v, p, repeat(mx, n), s, st, nu, de, d, m, ins, sm))
        for code, v, p, mx, s, st, nu, de, d, m, ins, sm in columns
    ]
    block_ids = [col[0] for col in bcols]
    by_block = [list(map(BlockResult, repeat(bid, n), s, p, m, pl, bb)) for bid, s, p, m, bb, pl in bcols]
    school_deficits: list[list[str]] = [[] for _ in range(n)]
    for code in ind_codes:  # in indicator order, as the schools list them
        for i in np.flatnonzero(deficits[code]).tolist():
            school_deficits[i].append(code)
    level_for = config.level_for
    group_items = list(group_values.items())
    gplace_items = list(gplaces.items())
    results: list[SchoolResult] = []
    append = results.append
    for i, sub, ind_row, block_row in zip(
        range(n),
        subs,
        zip(*by_indicator, strict=True),
        zip(*by_block, strict=True) if by_block else repeat(()),
        strict=False,
    ):
        append(
            SchoolResult(
                code=sub.school_code,
                name=sub.school_name,
                file=sub.file,
                total=totals[i],
                level=level_for(totals[i]),
                place=place_list[i],
                groups={k: g for k, v in group_items if (g := v[i]) is not None},
                group_places={k: v[i] for k, v in gplace_items if v[i]},
                blocks=dict(zip(block_ids, block_row, strict=True)),
                indicators=dict(zip(ind_codes, ind_row, strict=True)),
                deficits=school_deficits[i],
                below_base=below[i],
                warnings=sum(p.severity == Severity.warning for p in sub.problems),
                head=_head(sub, head_field),
                size=_size(sub, size_field),
            )
        )
    return results
