"""What the справка says about schools: peer groups, target attainment, the risk zone, leaders.

These are computed from the finished school records (:class:`SchoolResult`), not from the
score arrays, so that exactly the same functions serve a new run (``build_results``) and
an older results.json that did not store them (``results.migrate``). Reasons and
verdicts are data — flags, block ids, school codes —, worded only by the report view, so
HTML, Markdown and Word documents say the same thing. Linear in the number of schools.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config, Direction
from ..results import DistrictKind, GroupStats, IndicatorStats, RiskEntry, SchoolResult, TargetStats
from .district import distribution, district_value


@dataclass(slots=True)
class Findings:
    group_stats: list[GroupStats]
    targets: dict[str, TargetStats]
    risk: list[RiskEntry]
    leaders: list[str]


def summarise(
    config: Config, schools: Sequence[SchoolResult], indicator_stats: dict[str, IndicatorStats]
) -> Findings:
    """All findings for ranked ``schools`` (ordered by place) and their indicator statistics."""
    return Findings(
        group_stats=group_stats(config, schools),
        targets=target_stats(config, schools, indicator_stats),
        risk=risk_zone(config, schools),
        leaders=leaders(config, schools),
    )


def group_stats(config: Config, schools: Sequence[SchoolResult]) -> list[GroupStats]:
    """Total and top-level block scores per value of each group field (тип ОО, местность).

    Values are sorted as text; schools without a value form the group ``""``.
    """
    nan = float("nan")
    top = [block.id for block in config.blocks]
    out: list[GroupStats] = []
    for key in config.ranking.groups:
        members: dict[str, list[SchoolResult]] = {}
        for school in schools:
            members.setdefault(str(school.groups.get(key, "")), []).append(school)
        for value in sorted(members):
            group = members[value]
            blocks = {}
            for block_id in top:
                scores = [s.blocks[block_id].score if block_id in s.blocks else None for s in group]
                blocks[block_id] = distribution([nan if x is None else x for x in scores])
            out.append(
                GroupStats(
                    key=key,
                    value=value,
                    count=len(group),
                    total=distribution([s.total for s in group]),
                    blocks=blocks,
                )
            )
    return out


def target_stats(
    config: Config, schools: Sequence[SchoolResult], indicator_stats: dict[str, IndicatorStats]
) -> dict[str, TargetStats]:
    """Per indicator with a target: the district value, its kind, and who reaches the target."""
    out: dict[str, TargetStats] = {}
    for ind in config.indicators():
        stats = indicator_stats.get(ind.code)
        if ind.target is None or stats is None:
            continue
        lower = ind.direction == Direction.lower_better
        reached: list[str] = []
        missed: list[str] = []
        for school in schools:
            entry = school.indicators.get(ind.code)
            if entry is None or entry.value is None:
                continue
            met = entry.target_met
            if met is None:
                met = entry.value <= ind.target if lower else entry.value >= ind.target
            (reached if met else missed).append(school.code)
        out[ind.code] = TargetStats(
            code=ind.code,
            target=ind.target,
            lower_is_better=lower,
            district=district_value(stats),
            kind=DistrictKind.pooled if stats.pooled is not None else DistrictKind.mean,
            met=stats.district_meets_target,
            reached=reached,
            missed=missed,
        )
    return out


def risk_zone(config: Config, schools: Sequence[SchoolResult]) -> list[RiskEntry]:
    """Schools at the lowest level or with a block below base (the critical rule), in order."""
    lowest = config.scoring.levels[0].label
    out: list[RiskEntry] = []
    for school in schools:
        below = [block_id for block_id, block in school.blocks.items() if block.below_base]
        if school.level == lowest or below:
            out.append(
                RiskEntry(code=school.code, lowest_level=school.level == lowest, blocks_below_base=below)
            )
    return out


def leaders(config: Config, schools: Sequence[SchoolResult]) -> list[str]:
    """Codes of the first ``analysis.top_share`` of the ranking, with every school tied at the cut."""
    if not schools:
        return []
    k = max(1, math.ceil(len(schools) * config.analysis.top_share))
    cutoff = schools[k - 1].place
    return [s.code for s in schools if s.place <= cutoff]
