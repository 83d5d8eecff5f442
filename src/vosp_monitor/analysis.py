"""District statistics, targets, deficits, and the assembly of the Results object.

Quantiles use numpy's default (linear interpolation between order statistics, Hyndman &
Fan type 7, the same as Excel's КВАРТИЛЬ.ВКЛ and R's default). Shares of schools are
fractions 0–1. For share indicators the district value is **pooled**: Σ numerators /
Σ denominators × 100, which weighs every pupil or teacher equally; the mean of the
schools' percentages is reported beside it. A target is reached when the value is at
least the target (at most, for direction lower); the district meets it when the pooled
value (shares) or the mean value (everything else) does.

Deficits follow ``Indicator.deficit_rule``: any condition that is set fires
(points ≤ points_at_most, score < score_below, target missed). A school whose value is
missing and scored as zero has missed the target. An indicator is a *system* deficit
when more than ``analysis.system_deficit_share`` of the schools scored on it have it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

import numpy as np

from . import __version__
from .config import Config, Direction, Indicator, IndicatorType, Method
from .problems import Problem, Severity
from .ranking import order_by_place, rank_scores, rank_within_groups
from .results import (
    BlockResult,
    BlockStats,
    Distribution,
    ExcludedSchool,
    ExpectedSchool,
    IndicatorResult,
    IndicatorStats,
    Results,
    SchoolResult,
    SkippedFile,
    gc_paused,
)
from .scoring import NA, OK, ZERO, IndicatorScores, ScoreTable, score_submissions
from .submission import EntryStatus, Normalisation, Submission

_POINT_METHODS = (Method.bands, Method.options, Method.yesno, Method.mark)
_STATUS_TEXT = {OK: EntryStatus.ok.value, ZERO: EntryStatus.zero.value, NA: EntryStatus.not_applicable.value}


def distribution(values: np.ndarray) -> Distribution:
    """count, min, quartiles (numpy linear), median, mean, max of the non-NaN values."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    if data.size == 0:
        return Distribution(0)
    q1, median, q3 = np.quantile(data, [0.25, 0.5, 0.75])
    return Distribution(
        count=int(data.size),
        min=float(data.min()),
        q1=float(q1),
        median=float(median),
        mean=float(data.mean()),
        q3=float(q3),
        max=float(data.max()),
    )


def reaches_target(values: np.ndarray, target: float, direction: Direction) -> np.ndarray:
    """Element-wise «the target is reached» (NaN values do not reach it)."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return values <= target if direction == Direction.lower_better else values >= target


def deficit_mask(indicator: Indicator, scores: IndicatorScores, target_met: np.ndarray | None) -> np.ndarray:
    """Schools with a deficit on this indicator (never where it is not applicable)."""
    rule = indicator.deficit_rule
    applicable = scores.status != NA
    fired = np.zeros(scores.points.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule.points_at_most is not None:
            fired |= scores.points <= rule.points_at_most
        if rule.score_below is not None:
            fired |= scores.scores < rule.score_below
    if rule.target_missed and target_met is not None:
        fired |= ~target_met
    return fired & applicable


def _points_key(value: float) -> str:
    return f"{value:g}"


def indicator_stats(
    config: Config, table: ScoreTable, numerators: dict[str, np.ndarray], denominators: dict[str, np.ndarray]
) -> tuple[dict[str, IndicatorStats], dict[str, np.ndarray], dict[str, np.ndarray | None]]:
    """Per-indicator district statistics, plus the deficit and target masks per school."""
    block_of = config.block_of()
    stats: dict[str, IndicatorStats] = {}
    deficits: dict[str, np.ndarray] = {}
    targets: dict[str, np.ndarray | None] = {}
    share_limit = config.analysis.system_deficit_share
    for ind in config.indicators():
        sc = table.indicators[ind.code]
        applicable = sc.status != NA
        ok_values = np.where(sc.status == OK, sc.values, np.nan)
        n_applicable = int(applicable.sum())
        met = None
        if ind.target is not None:
            met = reaches_target(ok_values, ind.target, ind.direction) & (sc.status == OK)
        targets[ind.code] = met
        deficit = deficit_mask(ind, sc, met)
        deficits[ind.code] = deficit
        item = IndicatorStats(
            code=ind.code,
            block=block_of[ind.code],
            values=distribution(ok_values),
            scores=distribution(sc.scores),
        )
        if ind.method in _POINT_METHODS and n_applicable:
            present = sc.points[applicable]
            keys, counts = np.unique(present, return_counts=True)
            item.points_shares = {
                _points_key(float(k)): float(c) / n_applicable for k, c in zip(keys, counts, strict=True)
            }
        if ind.type == IndicatorType.share:
            num, den = numerators[ind.code], denominators[ind.code]
            usable = (sc.status == OK) & ~np.isnan(num) & ~np.isnan(den) & (den > 0)
            if usable.any() and den[usable].sum() > 0:
                item.pooled = float(num[usable].sum() / den[usable].sum() * 100.0)
        if ind.target is not None and met is not None:
            item.target = ind.target
            if n_applicable:
                item.target_share = float(met[applicable].sum()) / n_applicable
            district = item.pooled if item.pooled is not None else item.values.mean
            if district is not None:
                item.district_meets_target = bool(
                    reaches_target(np.array([district]), ind.target, ind.direction)[0]
                )
        item.deficit_count = int(deficit.sum())
        item.deficit_share = item.deficit_count / n_applicable if n_applicable else 0.0
        item.system_deficit = item.deficit_share > share_limit
        stats[ind.code] = item
    return stats, deficits, targets


def level_counts(config: Config, scores: np.ndarray) -> dict[str, int]:
    """Schools per level label, in the config's order (levels with no school count 0)."""
    levels = config.scoring.levels
    data = np.asarray(scores, dtype=float)
    data = data[~np.isnan(data)]
    index = np.searchsorted([level.lower for level in levels], data, side="right") - 1
    counts = np.bincount(np.clip(index, 0, None), minlength=len(levels))
    return {level.label: int(counts[i]) for i, level in enumerate(levels)}


def _excluded(sub: Submission) -> ExcludedSchool:
    reasons = [p.message for p in sub.problems if p.severity == Severity.error]
    if not reasons:
        reasons = ["файл не прочитан как форма мониторинга" if not sub.readable else "исключена при проверке"]
    return ExcludedSchool(file=sub.file, code=sub.school_code, name=sub.school_name, reasons=reasons)


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


def _entry_parts(config: Config, subs: Sequence[Submission]) -> tuple[dict, dict]:
    numerators: dict[str, np.ndarray] = {}
    denominators: dict[str, np.ndarray] = {}
    nan = float("nan")
    for ind in config.indicators():
        if ind.type != IndicatorType.share:
            continue
        num: list[float] = []
        den: list[float] = []
        code = ind.code
        for sub in subs:
            entry = sub.indicators.get(code)
            if entry is None:
                num.append(nan)
                den.append(nan)
            else:
                num.append(nan if entry.numerator is None else entry.numerator)
                den.append(nan if entry.denominator is None else entry.denominator)
        numerators[code] = np.array(num, dtype=float)
        denominators[code] = np.array(den, dtype=float)
    return numerators, denominators


def _nullable(values: np.ndarray) -> list[float | None]:
    """Array → list with NaN as None (JSON null: «not applicable»)."""
    values = np.asarray(values, dtype=float)
    missing = np.isnan(values)
    if not missing.any():
        return values.tolist()
    boxed = values.astype(object)  # Python floats, as tolist() gives
    boxed[missing] = None
    return boxed.tolist()


# A million small objects for 40,000 schools: the cyclic GC would rescan them
# repeatedly while they are built, and none of them forms a cycle.
@gc_paused()
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
) -> Results:
    """Score, rank and analyse the submissions and assemble :class:`Results`.

    Submissions that are excluded, unreadable, or score nothing at all (every indicator
    not applicable) are listed in ``Results.excluded`` with their reasons. ``problems``
    and ``normalisations`` default to those carried by the submissions. Schools are
    ordered by place, then by code.
    """
    candidates = sorted(
        (s for s in submissions if s.readable and not s.excluded), key=lambda s: (s.school_code, s.file)
    )
    excluded = [_excluded(s) for s in submissions if not s.readable or s.excluded]
    table = score_submissions(config, candidates)
    empty = np.isnan(table.total)
    if empty.any():
        for i in np.flatnonzero(empty):
            sub = candidates[i]
            excluded.append(
                ExcludedSchool(sub.file, sub.school_code, sub.school_name, ["ни один показатель не применим"])
            )
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
    numerators, denominators = _entry_parts(config, candidates)
    ind_stats, deficits, targets = indicator_stats(config, table, numerators, denominators)

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

    block_stats = {
        bid: BlockStats(
            id=bid,
            scores=distribution(b.scores),
            level_counts=level_counts(config, b.scores),
            below_base_count=int(b.below_base.sum()),
        )
        for bid, b in table.blocks.items()
    }
    if problems is None:
        problems = [p for s in submissions for p in s.problems]
    if normalisations is None:
        normalisations = [n for s in submissions for n in s.normalisations]
    return Results(
        config=config,
        generated_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        tool_version=__version__,
        source=source,
        schools=schools,
        excluded=excluded,
        not_submitted=_as_expected(not_submitted),
        expected_count=expected_count,
        skipped=_as_skipped(skipped),
        problems=list(problems),
        normalisations=list(normalisations),
        total_stats=distribution(table.total),
        level_counts=level_counts(config, table.total),
        block_stats=block_stats,
        indicator_stats=ind_stats,
        system_deficits=[code for code, s in ind_stats.items() if s.system_deficit],
    )


def _school_results(
    config: Config,
    subs: Sequence[Submission],
    table: ScoreTable,
    places: np.ndarray,
    block_places: dict[str, np.ndarray],
    group_values: dict[str, list[str | None]],
    group_places: dict[str, np.ndarray],
    deficits: dict[str, np.ndarray],
    targets: dict[str, np.ndarray | None],
    numerators: dict[str, np.ndarray],
    denominators: dict[str, np.ndarray],
) -> list[SchoolResult]:
    """One SchoolResult per scored submission (arrays converted to lists once: fast)."""
    inds = config.indicators()
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
        list(map(IndicatorResult, repeat(code, n), v, p, repeat(mx, n), s, st, nu, de, d, m))
        for code, v, p, mx, s, st, nu, de, d, m in columns
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
                groups={k: v[i] for k, v in group_items if v[i] is not None},
                group_places={k: v[i] for k, v in gplace_items if v[i]},
                blocks=dict(zip(block_ids, block_row, strict=True)),
                indicators=dict(zip(ind_codes, ind_row, strict=True)),
                deficits=school_deficits[i],
                below_base=below[i],
                warnings=sum(p.severity == Severity.warning for p in sub.problems),
            )
        )
    return results
