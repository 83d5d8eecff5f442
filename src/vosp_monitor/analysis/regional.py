""":class:`Territories` for a run: roll-up, territory forms, ranking and intervals, in order.

``build_results`` calls :func:`build_territories` after the district statistics; a run in
which no school has a territory (``validate.territories.place_schools`` found none) gets
``None`` and costs nothing. Each territory, each region of a two-level run and the whole
run are rolled up by the same code (``territories``), so the whole run's figures equal the
district statistics of the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import Config, TerritoryRanking, territory_config
from ..results import ExcludedSchool, ExpectedSchool, NotCompared, Territories, TerritoryGroup, TerritoryStats
from ..validate.submission import Submission
from ..validate.territories import Placement
from .grouped import BoolArray, FloatArray, Grouping, IntArray
from .territories import SchoolArrays, add_counts, layout, roll_up
from .territory_intervals import Level, indistinguishable, intervals, run_intervals
from .territory_ranking import combine, own_forms, places, pooled_index, school_values
from .uncertainty import AUTO_LIMIT


@dataclass(slots=True)
class RunFacts:
    """What the run knows beyond the score arrays: files, who was left out, the ranking order."""

    files: Sequence[str]  # the scored submissions' files, aligned with the score arrays
    excluded: Sequence[ExcludedSchool]
    not_submitted: Sequence[ExpectedSchool]
    registry_size: int | None
    order: Sequence[int]  # scored schools in ranking order
    risk: Sequence[str]
    territory_forms: Sequence[Submission]
    uncertainty: bool | None  # score --uncertainty / --no-uncertainty (None: as configured)


@dataclass(slots=True)
class _Level:
    """One level of territories: municipalities, or the regions of a two-level run."""

    stats: list[TerritoryStats]
    index: IntArray  # each scored school's territory of this level (−1: none)
    parent_of: IntArray | None  # each territory's region, where it is placed among its region's
    parents: list[str]  # the names ``parent_of`` points to
    own: FloatArray | None = None  # the territories' own forms' totals (municipalities only)


def build_territories(
    config: Config, placement: Placement | None, arrays: SchoolArrays, facts: RunFacts
) -> Territories | None:
    """The roll-up by territory of a run (None without territories)."""
    if placement is None:
        return None
    lay = layout(placement, facts.files)
    two = placement.depth == 2
    registry = bool(placement.registry)
    names = [(p[-1], p[0] if two else "") for p in lay.paths]
    units = roll_up(config, Grouping(lay.unit_of_school, len(names)), arrays, names, facts.order, facts.risk)
    key_of = {path: i for i, path in enumerate(lay.paths)}
    add_counts(units, key_of, placement, facts.excluded, facts.not_submitted, registry)
    levels = [_Level(units, lay.unit_of_school, lay.parent_of_unit if two else None, list(lay.parents))]
    if two:
        index = np.where(lay.unit_of_school >= 0, lay.parent_of_unit[np.maximum(lay.unit_of_school, 0)], -1)
        regions = [(name, "") for name in lay.parents]
        parents = roll_up(config, Grouping(index, len(regions)), arrays, regions, facts.order, facts.risk)
        key_of = {path: int(lay.parent_of_unit[i]) for i, path in enumerate(lay.paths)}
        add_counts(parents, key_of, placement, facts.excluded, facts.not_submitted, registry)
        levels.append(_Level(parents, index, None, []))
    territory = territory_config(config)
    if territory is not None:
        records, levels[0].own = own_forms(
            config, territory, facts.territory_forms, [p[-1] for p in lay.paths]
        )
        for unit, record in zip(units, records, strict=True):
            unit.own = record
    wanted = facts.uncertainty
    vary = wanted is True or (
        wanted is None and config.analysis.uncertainty.enabled and len(facts.files) <= AUTO_LIMIT
    )
    for level in levels:
        _rank_level(config, level.stats, level.own, level.parent_of)
    groups: list[TerritoryGroup] = []
    varied = None
    placed = [level for level in levels if any(s.place for s in level.stats)]
    if config.territories.intervals and wanted is not False and placed:
        varied = _intervals(config, arrays, placed, vary, groups)
    settings = config.territories
    runs = config.analysis.uncertainty.runs if varied is not None else 0
    return Territories(
        word=settings.word,
        parent_word=settings.parent_word,
        depth=placement.depth,
        sources=[str(s) for s in placement.sources],
        ranking=str(settings.ranking),
        min_schools=settings.min_schools,
        units=_ordered(units),
        whole=_whole(config, arrays, facts, registry),
        parents=_ordered(levels[1].stats) if two else [],
        groups=groups,
        runs=runs,
        seed=config.analysis.uncertainty.seed if runs else 0,
        weights_varied=bool(varied),
        own_weights=(settings.weights.schools, settings.weights.territory) if territory is not None else None,
    )


def _intervals(
    config: Config, arrays: SchoolArrays, levels: list[_Level], vary: bool, groups: list[TerritoryGroup]
) -> bool:
    """Set the intervals of the placed territories of every level and add their indistinguishable
    places to ``groups``; returns whether the weights varied."""
    inputs = [
        Level(
            Grouping(np.asarray(level.index, dtype=np.int64), len(level.stats)),
            np.array([s.place is not None for s in level.stats], dtype=bool),
            level.own,
            level.parent_of,
        )
        for level in levels
    ]
    done = run_intervals(config, arrays, inputs, vary)
    for level, given, runs in zip(levels, inputs, done, strict=True):
        for stat, interval in zip(level.stats, intervals(runs, given.compared), strict=True):
            stat.interval = interval
        nominal = np.array([s.place or 0 for s in level.stats], dtype=np.int64)
        names = [s.name for s in level.stats]
        groups += indistinguishable(runs, nominal, names, level.parents, level.parent_of)
    return done[0].weights_varied


def _rank_level(
    config: Config, stats: list[TerritoryStats], own: FloatArray | None, parent_of: IntArray | None
) -> None:
    """Set every territory's ranking value, place and, without a place, the reason."""
    index = None
    if config.territories.ranking == TerritoryRanking.pooled:
        codes = [ind.code for ind in config.indicators()]
        index = pooled_index(
            config,
            {c: _column([s.indicators[c].value for s in stats]) for c in codes},
            {c: _column([s.indicators[c].score for s in stats]) for c in codes},
        )[0]
    values = combine(config, school_values(config, stats, index), own)
    minimum = config.territories.min_schools
    compared: BoolArray = np.array([s.counts.scored >= minimum for s in stats], dtype=bool)
    placed = places(config, values, compared & ~np.isnan(values), parent_of)
    for s, v, p in zip(stats, values.tolist(), placed.tolist(), strict=True):
        s.value = None if np.isnan(v) else v
        s.place = p or None
        if not p:
            s.not_compared = NotCompared.no_schools if not s.counts.scored else NotCompared.too_few


def _column(items: list[float | None]) -> FloatArray:
    return np.array([np.nan if x is None else x for x in items], dtype=float)


def _whole(config: Config, arrays: SchoolArrays, facts: RunFacts, registry: bool) -> TerritoryStats:
    """The whole run as one territory (schools without a territory included)."""
    every = Grouping(np.zeros(len(facts.files), dtype=np.int64), 1)
    (whole,) = roll_up(config, every, arrays, [("", "")], facts.order, facts.risk)
    whole.excluded = [e.code or e.file for e in facts.excluded]
    whole.not_submitted = [e.code for e in facts.not_submitted]
    counts = whole.counts
    counts.excluded = len(facts.excluded)
    counts.submitted = counts.scored + counts.excluded
    if registry or facts.registry_size is not None:
        counts.registered = facts.registry_size
        counts.not_submitted = len(facts.not_submitted)
    return whole


def _ordered(stats: list[TerritoryStats]) -> list[TerritoryStats]:
    """Ranked territories by region and place, then the others by region and name (as given)."""
    position = {id(s): i for i, s in enumerate(stats)}
    region: dict[str, int] = {}
    for i, s in enumerate(stats):
        region.setdefault(s.parent, i)
    return sorted(stats, key=lambda s: (region[s.parent], s.place is None, s.place or 0, position[id(s)]))
