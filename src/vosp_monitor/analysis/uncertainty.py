"""Rank robustness: how far each school's place moves under reasonable changes of method.

A Monte Carlo uncertainty analysis as COINr and the JRC run it (Saisana, Saltelli &
Tarantola 2005). Each run multiplies every weight by a uniform factor 1 ± the noise of
its level (``analysis.uncertainty.weight_noise``: indicators in their block, nested
blocks in their parent, top-level blocks in the total) and draws, with equal chances,
one aggregation scheme: the configured one, or one of ``aggregations`` applied at every
level. It recomputes every total from the fixed indicator scores (``aggregation.Tree``,
the code the published ranking comes from) and ranks the schools by the published rule
(ties, rounding). Per school: the median place and the 5–95 % interval (type-7
quantiles, as COINr and the district statistics).

**Places that cannot be told apart.** Going down the ranking, a group starts at a school
and takes every following school that the group's first school was ahead of in fewer
than :data:`DISTINCT_SHARE` of the runs; the first school it was ahead of often enough
starts the next group (schools that share a place always stay together). A group of
places 3–7 means: by these data and this uncertainty, the schools at places 4–7 cannot be
said to be behind the one at place 3.

**Deterministic for a seed**: the draws depend only on the seed, the number of runs and
the config's tree (never on the schools or their order), the schools are in code order
(``build_results`` sorts them), and each run's sums do not depend on the runs computed
with it (``aggregation.py``). Runs are rows of every array and are processed in chunks
of bounded memory.

An alternative that cannot run is never skipped silently: a geometric mean with a zero
score is 0 whatever the weights, so with zero scores it is left out and a problem
(``uncertainty-geometric-skipped``) says so; with fewer than :data:`MIN_SCHOOLS` ranked
schools there is nothing to analyse (``uncertainty-too-few-schools``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import Config
from ..problems import Problem, make_problem
from ..results import InputEffect, PlaceGroup, PlaceRange, Uncertainty
from ..scoring.aggregation import FloatArray
from ..scoring.methods import ScoreTable
from ..scoring.ranking import order_by_place
from .montecarlo import CELLS_PER_CHUNK, IntArray, design
from .sensitivity import leave_one_out, sobol

CONFIGURED = "configured"  # the scheme of indicators.yaml, in Uncertainty.schemes
DISTINCT_SHARE = 0.95  # ahead in at least this share of runs: the two places differ
MIN_SCHOOLS = 3
AUTO_LIMIT = 5000  # schools; above it the analysis runs only when asked (score --uncertainty)
# Places kept (runs × schools, 2 bytes each): 40,000 schools × the default 1,000 runs, about
# 80 MB. More runs than fit are not run (``runs: 100000`` at 2,000 schools took 860 MB), and a
# problem says how many were (``uncertainty-runs-reduced``).
MAX_PLACES = 40_000_000
MIN_RUNS = 100


def run_uncertainty(
    config: Config, table: ScoreTable, places: IntArray, wanted: bool | None
) -> tuple[Uncertainty | None, list[Problem]]:
    """The analysis if ``wanted`` (None: as ``analysis.uncertainty.enabled`` says, up to
    :data:`AUTO_LIMIT` schools — above it a thousand runs take tens of seconds and a
    problem says how to ask for them)."""
    if wanted is False or (wanted is None and not config.analysis.uncertainty.enabled):
        return None, []
    if wanted is None and len(table.codes) > AUTO_LIMIT:
        return None, [make_problem("uncertainty-too-many-schools", count=len(table.codes), limit=AUTO_LIMIT)]
    return analyse_uncertainty(config, table, places)


def analyse_uncertainty(
    config: Config, table: ScoreTable, places: IntArray
) -> tuple[Uncertainty | None, list[Problem]]:
    """Rank robustness of the scored schools (``places``: their published places)."""
    settings = config.analysis.uncertainty
    n = len(table.codes)
    if n < MIN_SCHOOLS:
        return None, [make_problem("uncertainty-too-few-schools", count=n, minimum=MIN_SCHOOLS)]
    plan, problems = design(config, table)
    runs = settings.runs
    if runs * n > MAX_PLACES:  # every run's places are kept: memory grows as runs × schools
        runs = max(MIN_RUNS, MAX_PLACES // n)
        problems.append(make_problem("uncertainty-runs-reduced", runs=runs, asked=settings.runs, count=n))
    rng = np.random.default_rng(settings.seed)
    draws = plan.draw(rng, runs)
    ranks = plan.all_places(plan.weights(draws), draws.scheme)
    nominal = np.asarray(places, dtype=np.int64)
    order = order_by_place(nominal, table.codes)
    shifts = _shifts(ranks, nominal)
    sensitivity: list[InputEffect] = []
    evaluations = 0
    if settings.sensitivity and plan.inputs:
        sensitivity, evaluations = sobol(plan, rng, draws, shifts, nominal)
    return (
        Uncertainty(
            runs=runs,
            seed=settings.seed,
            weight_noise=settings.weight_noise.model_dump(),
            schemes=[CONFIGURED if s is None else s.value for s in plan.schemes],
            inputs=list(plan.inputs),
            places=place_ranges(ranks, nominal, table.codes, order),
            groups=place_groups(ranks, nominal, table.codes, order),
            mean_shift=float(shifts.mean()),
            distinct_share=DISTINCT_SHARE,
            sensitivity=sensitivity,
            sensitivity_runs=evaluations,
            removals=leave_one_out(plan, nominal, table.codes) if settings.leave_one_out else [],
        ),
        problems,
    )


def _shifts(ranks: IntArray, nominal: IntArray) -> FloatArray:
    """Per run, the mean |place − nominal place| over the schools (a few runs at a time)."""
    runs, n = ranks.shape
    out: FloatArray = np.empty(runs)
    step = max(1, CELLS_PER_CHUNK // max(n, 1))
    for start in range(0, runs, step):
        out[start : start + step] = np.abs(ranks[start : start + step].astype(np.int64) - nominal).mean(
            axis=1
        )
    return out


def place_ranges(
    ranks: IntArray, nominal: IntArray, codes: Sequence[str], order: list[int]
) -> list[PlaceRange]:
    """Median, 5 % and 95 % quantiles (type 7) and mean of every school's places, in ``order``."""
    runs, n = ranks.shape
    stats = np.empty((4, n))
    step = max(1, CELLS_PER_CHUNK // max(runs, 1))
    for start in range(0, n, step):
        block = ranks[:, start : start + step].astype(float)
        stats[:3, start : start + step] = np.quantile(block, [0.5, 0.05, 0.95], axis=0)
        stats[3, start : start + step] = block.mean(axis=0)
    median, low, high, mean = (row.tolist() for row in stats)
    place = nominal.tolist()
    return [PlaceRange(codes[i], place[i], median[i], low[i], high[i], mean[i]) for i in order]


def place_groups(
    ranks: IntArray, nominal: IntArray, codes: Sequence[str], order: list[int]
) -> list[PlaceGroup]:
    """Consecutive places that cannot be told apart (see the module docstring).

    Only groups that span two places or more: schools that share one place are tied
    already, and the ranking says so.
    """
    groups: list[list[int]] = []
    current: list[int] = []
    for i in order:
        tied = bool(current) and nominal[i] == nominal[current[-1]]  # a tie is never split
        if current and not tied and float(np.mean(ranks[:, current[0]] < ranks[:, i])) >= DISTINCT_SHARE:
            groups.append(current)
            current = []
        current.append(i)
    groups.append(current)
    return [
        PlaceGroup(int(nominal[g[0]]), int(nominal[g[-1]]), [codes[i] for i in g])
        for g in groups
        if nominal[g[-1]] > nominal[g[0]]
    ]
