"""The roll-up of a region by territory: every figure of the district statistics, per territory.

The schools are scored once over the whole run (one regional scale: min–max and z-scores
over every school, as a district run does); this module only groups what scoring and the
district statistics computed. For each territory and for the whole run, by the same code:
schools registered, submitted, scored, excluded and not submitted; the distribution of the
total and of every block; the level distribution; every indicator's pooled value (Σ
numerators / Σ denominators over the territory's scored schools with both parts and a
denominator above 0 and not implausible, as the district's: ``district.pooled_pairs``) or
mean value (any other type, a computed share too), its mean score, the target against that value and the share of schools
reaching it, deficits and system deficits (more than ``analysis.system_deficit_share`` of
the schools it applies to); the schools in the risk zone. A two-level run (region → municipality) rolls up both levels.

Vectorised: one ``bincount`` or one sort per figure over all territories (``grouped``),
never a loop over schools, so a country of 40,000 schools costs milliseconds. Ranking,
intervals and the territory forms are ``territory_ranking``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import Config, IndicatorType
from ..results import (
    Counts,
    Distribution,
    ExcludedSchool,
    ExpectedSchool,
    TerritoryIndicator,
    TerritoryStats,
)
from ..scoring.methods import NA, OK, ScoreTable
from ..validate.territories import Placement, name_key
from .district import BoolArray, FloatArray, pooled_pairs, reaches_target
from .grouped import Grouping, IntArray, members

_QUANTILES = (0.0, 0.25, 0.5, 0.75, 1.0)
Path_ = tuple[str, ...]


@dataclass(slots=True)
class SchoolArrays:
    """What the district statistics computed per scored school, aligned with ``table.codes``."""

    table: ScoreTable
    numerators: dict[str, FloatArray]
    denominators: dict[str, FloatArray]
    deficits: dict[str, BoolArray]
    targets: dict[str, BoolArray | None]


@dataclass(slots=True)
class Layout:
    """The territories of a run and the group of every scored school (−1: none)."""

    paths: list[Path_]  # the units (lowest level), sorted by name (region first)
    unit_of_school: IntArray
    parents: list[str]  # regions of a two-level run, sorted; [] for one level
    parent_of_unit: IntArray  # index into ``parents`` (empty for one level)


def layout(placement: Placement, files: Sequence[str]) -> Layout:
    """Units sorted by their compared names, and each scored school's unit."""
    found = {*placement.files.values(), *placement.registry.values()}
    paths = sorted(found, key=lambda p: tuple(name_key(part) for part in p))
    position = {path: i for i, path in enumerate(paths)}
    unit = np.array([position.get(placement.files.get(f, ()), -1) for f in files], dtype=np.int64)
    parents: list[str] = []
    parent_of = np.zeros(0, dtype=np.int64)
    if placement.depth == 2:
        parents = sorted({p[0] for p in paths}, key=name_key)
        index = {name: i for i, name in enumerate(parents)}
        parent_of = np.array([index[p[0]] for p in paths], dtype=np.int64)
    return Layout(paths, unit, parents, parent_of)


def roll_up(
    config: Config,
    grouping: Grouping,
    arrays: SchoolArrays,
    names: Sequence[tuple[str, str]],
    order: Sequence[int],
    risk: Sequence[str],
) -> list[TerritoryStats]:
    """One record per group (``names``: (name, parent)), counts left for :func:`add_counts`.

    ``order``: the scored schools' indices in ranking order; ``risk``: codes in the risk zone.
    """
    table = arrays.table
    total_count, total_q = grouping.quantiles(table.total, _QUANTILES)
    total_mean = grouping.mean(table.total)
    blocks = {
        bid: (*grouping.quantiles(b.scores, _QUANTILES), grouping.mean(b.scores))
        for bid, b in table.blocks.items()
    }
    levels = _level_counts(config, grouping, table.total)
    indicators = {ind.code: _indicator(config, ind.code, grouping, arrays) for ind in config.indicators()}
    codes = np.array(table.codes, dtype=object)
    ranked = np.asarray(order, dtype=np.int64)
    in_order = Grouping(grouping.index[ranked], grouping.size)
    member, start, count = members(in_order)
    position = {code: i for i, code in enumerate(table.codes)}
    flagged = np.zeros(len(table.codes), dtype=bool)
    flagged[[position[code] for code in risk if code in position]] = True
    at_risk = flagged[ranked]
    risky, rstart, rcount = members(in_order, at_risk)
    labels = [level.label for level in config.scoring.levels]
    out: list[TerritoryStats] = []
    for g, (name, parent) in enumerate(names):
        inds = {code: rows[g] for code, rows in indicators.items()}
        out.append(
            TerritoryStats(
                name=name,
                parent=parent,
                counts=Counts(None, 0, int(total_count[g]), 0, None),
                total=_distribution(int(total_count[g]), total_q[:, g], total_mean[g]),
                blocks={bid: _distribution(int(c[g]), q[:, g], m[g]) for bid, (c, q, m) in blocks.items()},
                level_counts={label: int(levels[g, k]) for k, label in enumerate(labels)},
                indicators=inds,
                system_deficits=[code for code, item in inds.items() if item.system_deficit],
                risk=codes[ranked[risky[rstart[g] : rstart[g] + rcount[g]]]].tolist(),
                schools=codes[ranked[member[start[g] : start[g] + count[g]]]].tolist(),
            )
        )
    return out


def _distribution(count: int, q: FloatArray, mean: float) -> Distribution:
    if count == 0:
        return Distribution(0)
    low, q1, median, q3, high = (float(x) for x in q)
    return Distribution(count, low, q1, median, float(mean), q3, high)


def _level_counts(config: Config, grouping: Grouping, total: FloatArray) -> IntArray:
    """groups × levels: scored schools per level (the levels' lower bounds included)."""
    lowers = [level.lower for level in config.scoring.levels]
    present = ~np.isnan(total) & (grouping.index >= 0)
    level = np.clip(np.searchsorted(lowers, total[present], side="right") - 1, 0, None)
    flat = np.bincount(grouping.index[present] * len(lowers) + level, minlength=grouping.size * len(lowers))
    counts: IntArray = flat.reshape(grouping.size, len(lowers)).astype(np.int64)
    return counts


@dataclass(slots=True)
class IndicatorArrays:
    """One indicator's figures for every group, as arrays (NaN: none)."""

    value: FloatArray  # pooled (shares) or mean value
    score: FloatArray  # mean score 0–100 where it applies
    numerator: FloatArray | None
    denominator: FloatArray | None
    schools: IntArray
    applicable: IntArray
    reaching: IntArray | None
    deficits: IntArray


def indicator_arrays(config: Config, code: str, grouping: Grouping, arrays: SchoolArrays) -> IndicatorArrays:
    """One indicator over every group (the bootstrap calls it for every resample)."""
    ind = config.indicator(code)
    sc = arrays.table.indicators[code]
    applicable = sc.status != NA
    numerator = denominator = None
    if ind.type == IndicatorType.share:
        num, den = arrays.numerators[code], arrays.denominators[code]
        usable = pooled_pairs(sc.status, num, den)
        numerator = grouping.sum(num, usable)
        denominator = grouping.sum(den, usable)
        schools = grouping.count(usable)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(
                denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0) * 100.0, np.nan
            )
    else:
        ok = (sc.status == OK) & ~np.isnan(sc.values)
        schools = grouping.count(ok)
        value = grouping.mean(np.where(ok, sc.values, np.nan))
    reached = arrays.targets[code]
    return IndicatorArrays(
        value=value,
        score=grouping.mean(sc.scores, applicable),
        numerator=numerator,
        denominator=denominator,
        schools=schools,
        applicable=grouping.count(applicable),
        reaching=None if reached is None else grouping.count(applicable & reached),
        deficits=grouping.count(arrays.deficits[code]),
    )


def _indicator(
    config: Config, code: str, grouping: Grouping, arrays: SchoolArrays
) -> list[TerritoryIndicator]:
    """One indicator's figures for every group as records (see the module docstring)."""
    ind = config.indicator(code)
    a = indicator_arrays(config, code, grouping, arrays)
    met = reaches_target(a.value, ind.target, ind.direction) if ind.target is not None else None
    share_limit = config.analysis.system_deficit_share
    out = []
    for g in range(grouping.size):
        n_app = int(a.applicable[g])
        present = not np.isnan(a.value[g])
        deficit_share = int(a.deficits[g]) / n_app if n_app else 0.0
        out.append(
            TerritoryIndicator(
                code=code,
                value=float(a.value[g]) if present else None,
                pooled=a.numerator is not None,
                numerator=None if a.numerator is None else float(a.numerator[g]),
                denominator=None if a.denominator is None else float(a.denominator[g]),
                schools=int(a.schools[g]),
                score=None if np.isnan(a.score[g]) else float(a.score[g]),
                target_met=bool(met[g]) if met is not None and present else None,
                target_share=int(a.reaching[g]) / n_app if a.reaching is not None and n_app else None,
                deficit_count=int(a.deficits[g]),
                deficit_share=deficit_share,
                system_deficit=deficit_share > share_limit,
            )
        )
    return out


def add_counts(
    stats: list[TerritoryStats],
    key_of: dict[Path_, int],
    placement: Placement,
    excluded: Sequence[ExcludedSchool],
    not_submitted: Sequence[ExpectedSchool],
    registry: bool,
) -> None:
    """Registered, excluded and missing schools of every territory (``key_of``: path → record).

    ``registry``: the run had a registry with territories (else those counts stay None).
    """
    for item in stats:
        item.counts.excluded = 0
        if registry:
            item.counts.registered = 0
            item.counts.not_submitted = 0
    if registry:
        for path in placement.registry.values():
            if (g := key_of.get(path)) is not None:
                stats[g].counts.registered = (stats[g].counts.registered or 0) + 1
    for entry in excluded:
        if (g := key_of.get(placement.files.get(entry.file, ()))) is not None:
            stats[g].counts.excluded += 1
            stats[g].excluded.append(entry.code or entry.file)
    for expected in not_submitted:
        if (g := key_of.get(placement.of_code(expected.code))) is not None:
            stats[g].not_submitted.append(expected.code)
            stats[g].counts.not_submitted = (stats[g].counts.not_submitted or 0) + 1
    for item in stats:
        item.counts.submitted = item.counts.scored + item.counts.excluded
