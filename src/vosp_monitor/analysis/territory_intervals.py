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

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..config import Config, IndicatorType, TerritoryRanking
from ..results import Interval, TerritoryGroup
from ..scoring.methods import NA, OK, ScoreTable
from ..scoring.ranking import order_by_place, rank_rows
from .district import pooled_pairs
from .grouped import BoolArray, FloatArray, Grouping, IntArray, members
from .montecarlo import CELLS_PER_CHUNK, Design, Draws, design
from .territories import SchoolArrays
from .territory_ranking import MEAN_SCORE_TYPES, combine, pooled_index
from .uncertainty import place_groups

BOOTSTRAP_STREAM = 25  # the bootstrap's random stream: SeedSequence((seed, 25)), apart from the weights'


@dataclass(slots=True)
class Level:
    """One level of territories to place in the runs (municipalities, or the regions above them)."""

    grouping: Grouping  # each scored school's territory of this level
    compared: BoolArray  # the territories that have a place
    own: FloatArray | None  # their own forms' totals (municipalities with territory blocks)
    parent_of: IntArray | None  # each territory's region, when placed within it


@dataclass(slots=True)
class Runs:
    """What the runs give one level: runs × territories values and places (0 where not compared)."""

    values: FloatArray
    places: IntArray
    weights_varied: bool


@dataclass(slots=True)
class _Draws:
    """A level's territories' members one after another, and its random stream for the bootstrap."""

    member: IntArray
    start: IntArray
    count: IntArray
    group_of: IntArray
    rng: np.random.Generator
    values: FloatArray
    columns: FloatArray | None = None  # the pooled index's columns of the members (column × member)

    def positions(self, runs: int) -> npt.NDArray[np.int32]:
        """Each run's draws: for every member slot, a member of the same territory, uniformly.

        Single-precision uniforms and 32-bit positions: a third of the time of doubles, and
        exact enough to pick one of a territory's schools (a product rounded up to the
        territory's size is taken as its last school).
        """
        sizes = self.count[self.group_of]
        draw = self.rng.random((runs, self.member.size), dtype=np.float32)
        draw *= sizes.astype(np.float32)
        picked = draw.astype(np.int32)
        np.minimum(picked, (sizes - 1).astype(np.int32), out=picked)
        picked += self.start[self.group_of].astype(np.int32)
        return picked


def run_intervals(
    config: Config, arrays: SchoolArrays, levels: list[Level], vary_weights: bool
) -> list[Runs]:
    """The runs for the compared territories of every level (the weights' totals computed once)."""
    settings = config.analysis.uncertainty
    runs = settings.runs
    draws_of = []
    for k, level in enumerate(levels):
        index = level.grouping.index
        restricted = Grouping(np.where(level.compared[np.maximum(index, 0)], index, -1), level.grouping.size)
        member, start, count = members(restricted)
        group_of = np.repeat(np.arange(restricted.size), count)
        rng = np.random.default_rng((settings.seed, BOOTSTRAP_STREAM, k))
        draws_of.append(_Draws(member, start, count, group_of, rng, np.full((runs, restricted.size), np.nan)))
    plan = design(config, arrays.table)[0] if vary_weights else None
    draws = plan.draw(np.random.default_rng(settings.seed), runs) if plan is not None else None
    method = config.territories.ranking
    step = max(1, CELLS_PER_CHUNK // max(len(arrays.table.codes), 1))  # runs × schools for the totals
    pooled = method == TerritoryRanking.pooled
    if pooled:
        columns = _columns(config, arrays)
        for d in draws_of:
            d.columns = np.ascontiguousarray(columns[d.member].T)
        if plan is not None:  # each run's weights on every run's territories: runs² × territories
            widest = max(level.grouping.size for level in levels)
            step = max(1, min(step, int(math.sqrt(CELLS_PER_CHUNK / 20 / max(widest, 1)))))
    for first in range(0, runs, step):
        rows = np.arange(first, min(runs, first + step))
        totals = None if pooled else _totals(plan, draws, rows, arrays.table)
        for d in draws_of:
            position = d.positions(rows.size)
            if d.columns is not None:
                sums = _pooled_sums(d.columns, position, d.start, d.count)
                d.values[rows] = _pooled_runs(config, sums, d.count > 0, plan, draws, rows)
                continue
            assert totals is not None
            pick = d.member[position]
            sample = totals[0, pick] if totals.shape[0] == 1 else np.take_along_axis(totals, pick, axis=1)
            d.values[rows] = _segment_statistic(sample, d.start, d.count, d.group_of, method)
    out = []
    for level, d in zip(levels, draws_of, strict=True):
        values = combine(config, d.values, level.own)  # its own form: one answer, the same in every run
        values[:, ~level.compared] = np.nan
        out.append(Runs(values, _rank(config, values, level.parent_of), plan is not None))
    return out


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


def _columns(config: Config, arrays: SchoolArrays) -> FloatArray:
    """Schools × 2 columns per indicator, whose sums over a draw give what the pooled index
    takes from it: Σ numerators and Σ denominators of the usable pairs (shares), Σ valid
    values and their count (counts, numbers, percents), or Σ scores and the count of schools it
    applies to (choices, «да/нет», marks: scored by their mean score, ``territory_ranking``)."""
    table = arrays.table
    out = []
    for ind in config.indicators():
        sc = table.indicators[ind.code]
        if ind.type in MEAN_SCORE_TYPES:
            applicable = sc.status != NA
            out += [np.where(applicable, sc.scores, 0.0), applicable.astype(float)]
        elif ind.type == IndicatorType.share:
            num, den = arrays.numerators[ind.code], arrays.denominators[ind.code]
            usable = pooled_pairs(sc.status, num, den)
            out += [np.where(usable, num, 0.0), np.where(usable, den, 0.0)]
        else:
            ok = (sc.status == OK) & ~np.isnan(sc.values)
            out += [np.where(ok, sc.values, 0.0), ok.astype(float)]
    return np.column_stack(out) if out else np.zeros((len(table.total), 0))


def _pooled_sums(
    columns: FloatArray, position: npt.NDArray[np.int32], start: IntArray, count: IntArray
) -> FloatArray:
    """The columns summed over each territory's drawn schools: (runs · present territories) × columns.

    ``position``: each run's draws as positions among the members (territory after
    territory). A draw's sum is Σ (times drawn) × column, so the draws are counted once
    (``bincount``) and each column is weighted and summed segment by segment in order,
    never gathered at random: a fifth of the memory traffic of indexing the draws.
    """
    runs, drawn = position.shape
    flat = (np.arange(runs, dtype=np.int64)[:, None] * drawn + position).ravel()
    times = np.bincount(flat, minlength=runs * drawn)
    times = times.reshape(runs, drawn).astype(float)
    present = start[count > 0]
    out = np.empty((runs, present.size, columns.shape[0]))
    for j, column in enumerate(columns):
        out[:, :, j] = np.add.reduceat(times * column, present, axis=1)
    return out.reshape(runs * present.size, columns.shape[0])


def _pooled_runs(
    config: Config,
    sums: FloatArray,
    present: BoolArray,
    plan: Design | None,
    draws: Draws | None,
    rows: IntArray,
) -> FloatArray:
    """The pooled index of every run of a chunk from its sums (see :func:`_columns`)."""
    k, size = rows.size, present.size
    values: dict[str, FloatArray] = {}
    scores: dict[str, FloatArray] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        for j, ind in enumerate(config.indicators()):
            a, b = sums[:, 2 * j].reshape(k, -1), sums[:, 2 * j + 1].reshape(k, -1)
            scale = 100.0 if ind.type == IndicatorType.share else 1.0
            figure = np.full((k, size), np.nan)
            figure[:, present] = np.where(b > 0, a / np.where(b > 0, b, 1.0) * scale, np.nan)
            values[ind.code] = scores[ind.code] = figure.ravel()  # the index reads one or the other
    if plan is None or draws is None:
        return pooled_index(config, values, scores, runs=k)
    weights = plan.weights(Draws(draws.u[rows], draws.scheme[rows]))
    scheme = draws.scheme[rows]
    schemes = [(aggregation, np.flatnonzero(scheme == s)) for s, aggregation in enumerate(plan.schemes)]
    return pooled_index(config, values, scores, runs=k, weights=weights, schemes=schemes)


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
