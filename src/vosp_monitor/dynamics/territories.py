"""Year over year by territory: each territory against the one (or ones) it continues.

A territory continues last year's territory of the same name (compared as a person reads
it, and in a two-level run within the same region). A territory renamed or merged is
found through its schools, matched across years by code and the school map (``matching``):
when the schools of this year's territory came from last year's territories none of
which kept its name, and every school of those that is still ranked is in this territory,
it continues them — one (``renamed``) or several (``merged``).

The changes: the mean total (a merger's last year is the mean over every school of the
merged territories, which is what the mean of one territory of those schools would have
been), the place (not for a merger: no one place to compare), and every share's pooled
value (Σ numerators / Σ denominators over last year's schools, the merged ones pooled).
Each change is judged by the ``dynamics`` thresholds on its own scale, and only where the
framework makes it comparable (``frameworks``), as for schools.
"""

from __future__ import annotations

from collections import defaultdict

from ..config import IndicatorType
from ..results import Change, Link, Results, SchoolResult, TerritoryChange, TerritoryStats, Trend
from ..validate.territories import name_key
from .frameworks import comparable, fingerprints, framework_change
from .matching import Predecessors, match_schools
from .previous import PreviousYear
from .schoolmap import SchoolMap
from .trends import change, indicator_change


def compare_territories(results: Results, last: PreviousYear, school_map: SchoolMap | None) -> None:
    """Set ``results.territories.changes`` and ``previous`` (nothing without territories in both years)."""
    now_t, then_t = results.territories, last.results.territories
    if now_t is None or then_t is None:
        return
    then, config = last.results, results.config
    framework = framework_change(then.config, config)
    prints_now, prints_then = fingerprints(config), fingerprints(then.config)
    shares = [
        ind
        for ind in config.indicators()
        if ind.type == IndicatorType.share
        and then.config.has_indicator(ind.code)
        and comparable(prints_then[f"values:{ind.code}"], prints_now[f"values:{ind.code}"])
    ]
    by_name = {_key(u): u for u in then_t.units}
    then_of = then_t.territory_of()
    matching = match_schools([s.code for s in results.schools], then.schools, school_map)
    successor = {pred.code: code for code, found in matching.by_code.items() for pred in found.schools}
    now_of = {code: unit for unit in now_t.units for code in unit.schools}
    named = {_key(u) for u in now_t.units if _key(u) in by_name}
    old_schools = {s.code: s for s in then.schools}
    settings = config.dynamics
    changes = []
    for unit in now_t.units:
        link, previous = _predecessors(unit, by_name, then_of, matching.by_code, successor, now_of, named)
        if not previous:
            continue
        one = previous[0] if link != Link.merged else None
        pool = [old_schools[c] for u in previous for c in u.schools if c in old_schools]
        before = one.total.mean if one is not None else _mean([s.total for s in pool])
        place = Change(None, None, None, Trend.incomparable)
        if one is not None and one.place and unit.place:
            place = change(
                float(one.place),
                float(unit.place),
                comparable=framework.total,
                settings=settings,
                higher_better=False,
            )
        total = change(before, unit.total.mean, comparable=framework.total, settings=settings)
        if place.trend != Trend.incomparable and (total.trend == Trend.stable or place.change == 0):
            place.trend = Trend.stable  # a place moved by noise is no movement
        changes.append(
            TerritoryChange(
                name=unit.name,
                parent=unit.parent,
                link=link,
                previous=[u.name for u in previous],
                total=total,
                place=place,
                shares={
                    ind.code: indicator_change(
                        ind, _pooled(ind.code, one, pool), unit.indicators[ind.code].value, True, settings
                    )
                    for ind in shares
                },
            )
        )
    now_t.changes = changes
    now_t.previous = last.label


def _key(unit: TerritoryStats) -> tuple[str, str]:
    return name_key(unit.parent), name_key(unit.name)


def _predecessors(
    unit: TerritoryStats,
    by_name: dict[tuple[str, str], TerritoryStats],
    then_of: dict[str, TerritoryStats],
    by_code: dict[str, Predecessors],
    successor: dict[str, str],
    now_of: dict[str, TerritoryStats],
    named: set[tuple[str, str]],
) -> tuple[Link, list[TerritoryStats]]:
    """Last year's territories ``unit`` continues, and how (see the module docstring)."""
    same = by_name.get(_key(unit))
    if same is not None:
        return Link.same, [same]
    sources: dict[tuple[str, str], TerritoryStats] = {}
    for code in unit.schools:
        found = by_code.get(code)
        for school in found.schools if found is not None else ():
            origin = then_of.get(school.code)
            if origin is not None:
                sources[_key(origin)] = origin
    if not sources or any(key in named for key in sources):
        return Link.same, []
    for origin in sources.values():  # every school of it that is ranked now is in this territory
        moved = {
            now_of[successor[c]].name for c in origin.schools if c in successor and successor[c] in now_of
        }
        if moved != {unit.name}:
            return Link.same, []
    previous = sorted(sources.values(), key=lambda u: name_key(u.name))
    return (Link.renamed if len(previous) == 1 else Link.merged), previous


def _mean(totals: list[float]) -> float | None:
    return sum(totals) / len(totals) if totals else None


def _pooled(code: str, one: TerritoryStats | None, pool: list[SchoolResult]) -> float | None:
    """Last year's pooled share: the territory's own, or over the merged territories' schools."""
    if one is not None:
        item = one.indicators.get(code)
        return None if item is None else item.value
    sums: defaultdict[str, float] = defaultdict(float)
    for school in pool:
        entry = school.indicators.get(code)
        if entry is None or entry.value is None or entry.numerator is None or not entry.denominator:
            continue
        sums["numerator"] += entry.numerator
        sums["denominator"] += entry.denominator
    return sums["numerator"] / sums["denominator"] * 100.0 if sums["denominator"] > 0 else None
