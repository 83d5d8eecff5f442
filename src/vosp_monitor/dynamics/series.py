"""The district over the years: one :class:`YearPoint` per year, chained through results.json.

Each given results.json contributes its own year, computed from its own statistics; a
results.json that was itself compared with earlier years also carries their points
(``Dynamics.years``), so next year's run given only this year's file still draws the
whole series. A year given directly wins over the same year known from a stored series.

Targets over the years: a year counts for an indicator's target only while its raw
values stay comparable with this year's (the fingerprints); ``met_since`` is the first
year of the unbroken run of met years that reaches this year («цель 30 % достигнута в
2025/2026 году», or «достигается с 2024/2025 года»).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis import district_value
from ..results import IndicatorPoint, PointValue, Results, TargetTrend, YearPoint
from .frameworks import comparable, fingerprints
from .previous import PreviousYear, year_order


def year_point(results: Results, label: str) -> YearPoint:
    """One year's district figures, from its own results."""
    config = results.config
    indicators: dict[str, IndicatorPoint] = {}
    for ind in config.indicators():
        stats = results.indicator_stats.get(ind.code)
        if stats is None:
            continue
        target = results.targets.get(ind.code)
        reached = len(target.reached) if target else 0
        indicators[ind.code] = IndicatorPoint(
            district=district_value(stats),
            median=stats.values.median,
            target=ind.target,
            met=target.met if target else None,
            reached=reached,
            counted=reached + len(target.missed) if target else 0,
            deficits=stats.deficit_count,
        )
    return YearPoint(
        label=label,
        generated_at=results.generated_at,
        schools=results.total_stats.count,  # the ranked schools (an earlier year is read without them)
        total=PointValue(results.total_stats.mean, results.total_stats.median),
        blocks={
            block_id: PointValue(stats.scores.mean, stats.scores.median)
            for block_id, stats in results.block_stats.items()
        },
        levels=dict(results.level_counts),
        indicators=indicators,
        fingerprints=fingerprints(config),
    )


def series(now: YearPoint, previous: Sequence[PreviousYear]) -> list[YearPoint]:
    """Every known year, oldest first, ending with ``now``."""
    points = {now.label: now}
    for year in previous:
        points.setdefault(year.label, year_point(year.results, year.label))
    for year in reversed(previous):  # the latest file's stored series first
        stored = year.results.dynamics
        for point in stored.years if stored else ():
            points.setdefault(point.label, point)
    ordered = sorted(
        (p for p in points.values() if p is not now), key=lambda p: year_order(p.label, p.generated_at)
    )
    return [*ordered, now]


def target_trends(years: Sequence[YearPoint], codes: Sequence[str]) -> dict[str, TargetTrend]:
    """For each indicator with a target this year: the years that met it, and since when."""
    now = years[-1]
    out: dict[str, TargetTrend] = {}
    for code in codes:
        key = f"values:{code}"
        usable = [
            y
            for y in years
            if code in y.indicators and comparable(y.fingerprints.get(key), now.fingerprints.get(key))
        ]
        met_years = [y.label for y in usable if y.indicators[code].met]
        labels = {y.label for y in usable}
        since = None
        for y in reversed(years):
            if y.label not in labels or not y.indicators[code].met:
                break
            since = y.label
        out[code] = TargetTrend(code=code, met_years=met_years, met_since=since)
    return out
