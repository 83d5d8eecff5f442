"""The facts the справка's written conclusions state, chosen here so the wording never invents one.

Which block is strongest and which weakest, which indicators inside each block, how far
apart the peer groups are on the total and on each block, which system deficits sit beside
a target the territory as a whole reaches. Everything is chosen from statistics already
computed (block and indicator distributions, group comparisons, target attainment), and
every comparison carries whether it is *notable*: a difference of mean scores below
``analysis.notable_difference`` (0–100 scale) is not a difference, so the report says
«примерно одинаково» instead of ranking noise. Groups smaller than
``analysis.min_group_size`` are not compared. The same function serves a new run and an
older results.json that did not store the facts. What the schools behind each weak result
share — the causes — is :mod:`.profiles`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..config import Config
from ..results import (
    BlockConclusion,
    BlockStats,
    Conclusions,
    GroupGap,
    GroupStats,
    IndicatorStats,
    RiskEntry,
    SchoolResult,
    Standing,
    TargetStats,
)
from .profiles import school_profiles, weakest_indicators

TIE = 0.05  # mean scores this close are shown as equal (to one decimal)


def draw_conclusions(
    config: Config,
    block_stats: Mapping[str, BlockStats],
    indicator_stats: Mapping[str, IndicatorStats],
    group_stats: Sequence[GroupStats],
    targets: Mapping[str, TargetStats],
    schools: Sequence[SchoolResult],
    risk: Sequence[RiskEntry],
    leaders: Sequence[str],
) -> Conclusions:
    """The facts for the conclusions, from the run's statistics and its ranked schools
    (linear in schools × indicators)."""
    settings = config.analysis
    notable = settings.notable_difference
    blocks: list[BlockConclusion] = []
    for block in config.blocks:
        stats = block_stats.get(block.id)
        standings = [
            Standing(ind.code, score)
            for ind in block.all_indicators()
            if (s := indicator_stats.get(ind.code)) is not None and (score := s.scores.mean) is not None
        ]
        item = BlockConclusion(id=block.id, mean=stats.scores.mean if stats else None)
        if standings:
            item.strongest = _ends(standings, highest=True)
            item.weakest = _ends(standings, highest=False)
            item.notable = item.strongest[0].score - item.weakest[0].score >= notable
        item.gaps = group_gaps(config, group_stats, block.id)
        blocks.append(item)
    means = [Standing(b.id, b.mean) for b in blocks if b.mean is not None]
    conclusions = Conclusions(
        blocks=blocks,
        total_gaps=group_gaps(config, group_stats, ""),
        systemic_with_target_met=[
            code
            for code, target in targets.items()
            if target.met and (s := indicator_stats.get(code)) is not None and s.system_deficit
        ],
        notable_difference=notable,
    )
    if len(means) > 1:
        strongest, weakest = max(means, key=_score), min(means, key=_score)
        conclusions.strongest_block, conclusions.weakest_block = strongest.code, weakest.code
        conclusions.blocks_notable = strongest.score - weakest.score >= notable
    conclusions.weakest = weakest_indicators(config, dict(indicator_stats))
    conclusions.profiles, conclusions.cause = school_profiles(
        config,
        schools,
        risk,
        leaders,
        [code for code, s in indicator_stats.items() if s.system_deficit],
        conclusions.weakest,
        _weak_blocks(config, conclusions),
    )
    return conclusions


def _weak_blocks(config: Config, conclusions: Conclusions) -> list[str]:
    """Blocks whose mean is at the lowest level, and the weakest block when it stands out."""
    low = config.scoring.levels[1].lower if len(config.scoring.levels) > 1 else 0.0
    weak = {b.id for b in conclusions.blocks if b.mean is not None and b.mean < low}
    if conclusions.blocks_notable:
        weak.add(conclusions.weakest_block)
    return [b.id for b in conclusions.blocks if b.id in weak]


def _score(standing: Standing) -> float:
    return standing.score


def _ends(standings: list[Standing], *, highest: bool) -> list[Standing]:
    """The top (or bottom) standings, with every one tied with it, in config order."""
    edge = max(s.score for s in standings) if highest else min(s.score for s in standings)
    return [s for s in standings if abs(s.score - edge) < TIE]


def group_gaps(config: Config, group_stats: Sequence[GroupStats], block: str) -> list[GroupGap]:
    """Per group field, the highest and lowest group mean (total when ``block`` is "")."""
    settings = config.analysis
    gaps: list[GroupGap] = []
    for key in config.ranking.groups:
        members: list[tuple[str, float, int]] = []
        for group in group_stats:
            if group.key != key or not group.value or group.count < settings.min_group_size:
                continue
            scores = group.blocks.get(block) if block else group.total
            if scores is not None and scores.mean is not None:
                members.append((group.value, scores.mean, group.count))
        if len(members) < 2:
            continue
        high = max(members, key=lambda m: m[1])
        low = min(members, key=lambda m: m[1])
        gaps.append(
            GroupGap(
                key=key,
                block=block,
                high=high[0],
                high_mean=high[1],
                high_count=high[2],
                low=low[0],
                low_mean=low[1],
                low_count=low[2],
                notable=high[1] - low[1] >= settings.notable_difference,
            )
        )
    return gaps
