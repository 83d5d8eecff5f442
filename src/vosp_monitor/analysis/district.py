"""District statistics from the score arrays: distributions, pooled shares, targets, deficits.

Quantiles use numpy's default (linear interpolation between order statistics, Hyndman &
Fan type 7, the same as Excel's КВАРТИЛЬ.ВКЛ and R's default). Shares of schools are
fractions 0–1. For share indicators the district value is **pooled**: Σ numerators /
Σ denominators × 100, which weighs every pupil or teacher equally; the mean of the
schools' percentages is reported beside it. A share whose denominator is above
``validate.inputs.PLAUSIBLE_COUNT`` (flagged ``value-implausible``) counts for its school but is
left out of the pooled value: 10¹² typed pupils would make the district's share that school's.
A target is reached when the value is at
least the target (at most, for direction lower); the district meets it when the pooled
value (shares) or the mean value (everything else) does.

Deficits follow one rule for every indicator (``analysis.deficit``; an indicator's own
``deficit`` is an exception): any condition that is set fires — the lowest points of the
indicator's scale, a missed target (where the indicator has one), a score below a
threshold, points at most a number. A school whose value is missing and scored as zero
has missed the target. An indicator is a *system* deficit
when more than ``analysis.system_deficit_share`` of the schools scored on it have it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import Config, DeficitRule, Direction, Indicator, IndicatorType, MethodKind
from ..results import Distribution, IndicatorStats
from ..scoring.methods import NA, OK, IndicatorScores, ScoreTable
from ..validate.inputs import PLAUSIBLE_COUNT
from ..validate.submission import Submission

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_POINTS_TOLERANCE = 1e-9  # continuous methods give points like 2.9999999999999996


def distribution(values: Any) -> Distribution:
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


def reaches_target(values: Any, target: float, direction: Direction) -> BoolArray:
    """Element-wise «the target is reached» (NaN values do not reach it)."""
    data = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        met: BoolArray = data <= target if direction == Direction.lower_better else data >= target
    return met


def pooled_pairs(status: npt.NDArray[np.int8], num: FloatArray, den: FloatArray) -> BoolArray:
    """The schools whose share pair goes into a pooled value (the district's, a territory's).

    Both parts given and a denominator above 0; a denominator above ``PLAUSIBLE_COUNT``
    (flagged value-implausible) is used for the school's own value but left out of the pooled
    one: 10¹² typed pupils would make the district's share that school's.
    """
    usable: BoolArray = (
        (status == OK) & ~np.isnan(num) & ~np.isnan(den) & (den > 0) & (den <= PLAUSIBLE_COUNT)
    )
    return usable


def district_value(stats: IndicatorStats) -> float | None:
    """The value a district is judged by: pooled for shares, else the mean of the schools."""
    return stats.pooled if stats.pooled is not None else stats.values.mean


def deficit_mask(
    rule: DeficitRule, indicator: Indicator, scores: IndicatorScores, target_met: BoolArray | None
) -> BoolArray:
    """Schools with a deficit on this indicator (never where it is not applicable)."""
    applicable = scores.status != NA
    fired = np.zeros(scores.points.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule.lowest_points:
            fired |= scores.points <= indicator.min_points + _POINTS_TOLERANCE
        if rule.points_at_most is not None:
            fired |= scores.points <= rule.points_at_most
        if rule.score_below is not None:
            fired |= scores.scores < rule.score_below
    if rule.target_missed and target_met is not None:
        fired |= ~target_met
    result: BoolArray = fired & applicable
    return result


def share_parts(
    config: Config, subs: Sequence[Submission]
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """The numerator and the denominator of every share indicator per submission (NaN: none).

    A computed indicator whose formula divides has its denominator too (the school's record
    shows it beside «мало данных»), never a numerator: its district and territory values are
    the mean of its schools' values, not pooled (docs/scoring.md).
    """
    numerators: dict[str, FloatArray] = {}
    denominators: dict[str, FloatArray] = {}
    nan = float("nan")
    for ind in config.indicators():
        if ind.type != IndicatorType.share and ind.formula_denominator is None:
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


def _points_key(value: float) -> str:
    return f"{value:g}"


def indicator_stats(
    config: Config, table: ScoreTable, numerators: dict[str, FloatArray], denominators: dict[str, FloatArray]
) -> tuple[dict[str, IndicatorStats], dict[str, BoolArray], dict[str, BoolArray | None]]:
    """Per-indicator district statistics, plus the deficit and target masks per school."""
    block_of = config.block_of()
    stats: dict[str, IndicatorStats] = {}
    deficits: dict[str, BoolArray] = {}
    targets: dict[str, BoolArray | None] = {}
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
        deficit = deficit_mask(config.deficit_rule(ind), ind, sc, met)
        deficits[ind.code] = deficit
        item = IndicatorStats(
            code=ind.code,
            block=block_of[ind.code],
            values=distribution(ok_values),
            scores=distribution(sc.scores),
        )
        if ind.spec.kind == MethodKind.points and n_applicable:
            present = sc.points[applicable]
            keys, counts = np.unique(present, return_counts=True)
            item.points_shares = {
                _points_key(float(k)): float(c) / n_applicable for k, c in zip(keys, counts, strict=True)
            }
        if ind.type == IndicatorType.share:
            num, den = numerators[ind.code], denominators[ind.code]
            usable = pooled_pairs(sc.status, num, den)
            if usable.any() and den[usable].sum() > 0:
                item.pooled = float(num[usable].sum() / den[usable].sum() * 100.0)
        if ind.target is not None and met is not None:
            item.target = ind.target
            if n_applicable:
                item.target_share = float(met[applicable].sum()) / n_applicable
            district = district_value(item)
            if district is not None:
                item.district_meets_target = bool(
                    reaches_target(np.array([district]), ind.target, ind.direction)[0]
                )
        item.deficit_count = int(deficit.sum())
        item.deficit_share = item.deficit_count / n_applicable if n_applicable else 0.0
        item.system_deficit = item.deficit_share > share_limit
        stats[ind.code] = item
    return stats, deficits, targets


def level_counts(config: Config, scores: Any) -> dict[str, int]:
    """Schools per level label, in the config's order (levels with no school count 0)."""
    levels = config.scoring.levels
    data = np.asarray(scores, dtype=float)
    data = data[~np.isnan(data)]
    index = np.searchsorted([level.lower for level in levels], data, side="right") - 1
    counts = np.bincount(np.clip(index, 0, None), minlength=len(levels))
    return {level.label: int(counts[i]) for i, level in enumerate(levels)}
