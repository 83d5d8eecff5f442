"""How certain a territory's place is: seeded runs varying the weights and resampling its schools.

A municipality of three schools is far less certain than one of forty, and the weights are
a choice too. Each run (``analysis.uncertainty.runs``) does two things at once:

* **weights** — the Monte Carlo of the schools' robustness analysis (``montecarlo``): every
  weight multiplied by 1 ± its level's noise and one aggregation scheme drawn; every
  school's total recomputed by the code of the published ranking. The same draws as the
  schools' analysis for the same seed. Runs only where that analysis would (up to
  ``uncertainty.AUTO_LIMIT`` schools, or with ``--uncertainty``): above it a thousand
  evaluations of every school take tens of seconds, and the intervals come from the
  bootstrap alone (``Territories.weights_varied`` says which);
* **bootstrap** — each territory's scored schools drawn with replacement, as many as it has
  (Efron's nonparametric bootstrap), and its ranking value computed from the draw: the mean
  or median total, or the pooled index from the drawn schools' numerators, denominators and
  values.

Its own form (``territories.blocks``) is one answer per territory and stays as it is. The
values are ranked by the published rule in every run; a territory's interval is the 5–95 %
range (type 7) of its places and of its value. Places that cannot be told apart are found
as for schools (``uncertainty.place_groups``): going down the ranking, a territory starts
a new group when the first one of the current group was ahead of it in at least
:data:`uncertainty.DISTINCT_SHARE` of the runs.

Deterministic for a seed: the weights' draws depend on the seed alone, the bootstrap on
the seed and the territories' sizes; schools are in code order and territories in name
order, whatever the order of the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..config import Config, TerritoryRanking
from ..results import Interval, TerritoryGroup
from ..scoring.methods import IndicatorScores, ScoreTable
from ..scoring.ranking import order_by_place, rank_rows
from .grouped import BoolArray, FloatArray, Grouping, IntArray, members
from .montecarlo import CELLS_PER_CHUNK, Design, Draws, design
from .territories import SchoolArrays, indicator_arrays
from .uncertainty import place_groups

BOOTSTRAP_STREAM = 25  # the bootstrap's random stream: SeedSequence((seed, 25)), apart from the weights'


@dataclass(slots=True)
class Runs:
    """What the runs give: runs × territories values and places (0 where not compared)."""

    values: FloatArray
    places: IntArray
    weights_varied: bool


def run_intervals(
    config: Config,
    arrays: SchoolArrays,
    grouping: Grouping,
    compared: BoolArray,
    own: FloatArray | None,
    parent_of: IntArray | None,
    vary_weights: bool,
    pooled: Callable[[dict[str, FloatArray], dict[str, FloatArray]], FloatArray],
) -> Runs:
    """The runs for the compared territories (``grouping``: each scored school's territory)."""
    settings = config.analysis.uncertainty
    runs = settings.runs
    restricted = Grouping(
        np.where(compared[np.maximum(grouping.index, 0)], grouping.index, -1), grouping.size
    )
    member, start, count = members(restricted)
    group_of = np.repeat(np.arange(grouping.size), count)
    plan = design(config, arrays.table)[0] if vary_weights and member.size else None
    weights = plan.draw(np.random.default_rng(settings.seed), runs) if plan is not None else None
    rng = np.random.default_rng((settings.seed, BOOTSTRAP_STREAM))
    values = np.full((runs, grouping.size), np.nan)
    n = max(len(arrays.table.codes), 1)
    step = max(1, CELLS_PER_CHUNK // n)
    method = config.territories.ranking
    for first in range(0, runs, step):
        rows = np.arange(first, min(runs, first + step))
        draw = rng.random((rows.size, member.size))
        pick = member[start[group_of] + np.floor(draw * count[group_of]).astype(np.int64)]
        if method == TerritoryRanking.pooled:
            for k, row in enumerate(rows):
                resampled = Grouping(group_of, grouping.size)
                values[row] = pooled(*_resampled_indicators(config, arrays, pick[k], resampled))
            continue
        totals = _totals(plan, weights, rows, arrays.table)
        sample = totals[0, pick] if totals.shape[0] == 1 else np.take_along_axis(totals, pick, axis=1)
        values[rows] = _segment_statistic(sample, start, count, group_of, method)
    if own is not None:
        weighting = config.territories.weights
        values = (weighting.schools * values + weighting.territory * own) / (
            weighting.schools + weighting.territory
        )
    values[:, ~compared] = np.nan
    return Runs(values, _rank(config, values, parent_of), plan is not None)


def _totals(plan: Design | None, draws: Draws | None, rows: IntArray, table: ScoreTable) -> FloatArray:
    """The schools' totals of these runs (one row, the published totals, without weights)."""
    if plan is None or draws is None:
        return np.asarray(table.total, dtype=float)[None, :]
    weights = plan.weights(Draws(draws.u[rows], draws.scheme[rows]))
    scheme = draws.scheme[rows]
    out = np.empty((rows.size, table.total.size))
    for s, aggregation in enumerate(plan.schemes):
        chosen = np.flatnonzero(scheme == s)
        if chosen.size:
            out[chosen] = plan.tree.evaluate(plan.leaves, weights[chosen], aggregation).total
    return out


def _segment_statistic(
    sample: FloatArray, start: IntArray, count: IntArray, group_of: IntArray, method: TerritoryRanking
) -> FloatArray:
    """Mean or median of each territory's drawn schools (columns in segments), runs × territories."""
    out = np.full((sample.shape[0], count.size), np.nan)
    present = count > 0
    if not present.any():
        return out
    if method == TerritoryRanking.mean:
        sums = np.add.reduceat(sample, start[present], axis=1)
        out[:, present] = sums / count[present]
        return out
    offset = group_of.astype(float) * 1000.0  # totals lie in 0–100: each segment sorts apart
    ordered = np.sort(sample + offset, axis=1) - offset
    h = (count[present] - 1) * 0.5
    low = np.floor(h).astype(np.int64)
    high = np.minimum(low + 1, count[present] - 1)
    base = start[present]
    out[:, present] = ordered[:, base + low] + (h - low) * (ordered[:, base + high] - ordered[:, base + low])
    return out


def _resampled_indicators(
    config: Config, arrays: SchoolArrays, pick: IntArray, grouping: Grouping
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """The pooled values and mean scores of every indicator for one draw of the schools."""
    table = arrays.table
    drawn = SchoolArrays(
        table=ScoreTable(
            codes=[],
            indicators={
                code: IndicatorScores(
                    code, s.values[pick], s.status[pick], s.points[pick], s.scores[pick], s.max_points
                )
                for code, s in table.indicators.items()
            },
            blocks={},
            total=table.total[pick],
            below_base=table.below_base[pick],
        ),
        numerators={code: a[pick] for code, a in arrays.numerators.items()},
        denominators={code: a[pick] for code, a in arrays.denominators.items()},
        deficits={code: a[pick] for code, a in arrays.deficits.items()},
        targets={code: None if a is None else a[pick] for code, a in arrays.targets.items()},
    )
    values: dict[str, FloatArray] = {}
    scores: dict[str, FloatArray] = {}
    for ind in config.indicators():
        figures = indicator_arrays(config, ind.code, grouping, drawn)
        values[ind.code], scores[ind.code] = figures.value, figures.score
    return values, scores


def _rank(config: Config, values: FloatArray, parent_of: IntArray | None) -> IntArray:
    """Places in every run by the published rule, within each region in a two-level run."""
    rk = config.ranking
    if parent_of is None or parent_of.size == 0:
        ranked: IntArray = rank_rows(values, ties=rk.ties, decimals=rk.decimals)
        return ranked
    places = np.zeros(values.shape, dtype=np.int64)
    for parent in np.unique(parent_of):
        columns = np.flatnonzero(parent_of == parent)
        places[:, columns] = rank_rows(values[:, columns], ties=rk.ties, decimals=rk.decimals)
    return places


def intervals(runs: Runs, compared: BoolArray) -> list[Interval | None]:
    """Each territory's 5–95 % range of places and values, and its median place (None: not compared)."""
    out: list[Interval | None] = []
    for g in range(runs.values.shape[1]):
        if not compared[g]:
            out.append(None)
            continue
        places = runs.places[:, g].astype(float)
        low, median, high = np.quantile(places, [0.05, 0.5, 0.95]).tolist()
        value_low, value_high = np.quantile(runs.values[:, g], [0.05, 0.95]).tolist()
        out.append(Interval(low, high, median, value_low, value_high))
    return out


def indistinguishable(
    runs: Runs, nominal: IntArray, names: list[str], parents: list[str], parent_of: IntArray | None
) -> list[TerritoryGroup]:
    """Places that cannot be told apart, per region (see the module docstring)."""
    groups: list[TerritoryGroup] = []
    regions = (
        [np.flatnonzero(nominal > 0)]
        if parent_of is None or parent_of.size == 0
        else [np.flatnonzero((parent_of == p) & (nominal > 0)) for p in range(len(parents))]
    )
    for k, columns in enumerate(regions):
        if columns.size < 2:
            continue
        local = runs.places[:, columns]
        order = order_by_place(nominal[columns], [names[c] for c in columns])
        parent = parents[k] if parents else ""
        for found in place_groups(local, nominal[columns], [names[c] for c in columns], order):
            groups.append(TerritoryGroup(parent, found.first, found.last, found.codes))
    return groups
