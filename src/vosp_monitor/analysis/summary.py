"""What a set of ranked schools says as a whole: the part of :class:`Results` drawn from them.

The distributions of the total and of every block, the level counts, the system deficits,
the findings (peer groups, targets, the risk zone, the leaders) and the facts of the written
conclusions. One function serves the whole run (:mod:`.assemble`) and one territory's own
set of documents (:mod:`.territory_results`), so the two can never say different things of
the same schools.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..config import Config
from ..results import BlockStats, IndicatorStats, SchoolResult
from ..scoring.methods import ScoreTable
from .conclusions import draw_conclusions
from .district import distribution, level_counts
from .findings import summarise


def summary_fields(
    config: Config, table: ScoreTable, schools: Sequence[SchoolResult], ind_stats: dict[str, IndicatorStats]
) -> dict[str, Any]:
    """The keyword arguments of :class:`Results` that follow from the ranked ``schools`` (in
    order of place), their score ``table`` and the indicators' statistics."""
    block_stats = {
        bid: BlockStats(
            id=bid,
            scores=distribution(b.scores),
            level_counts=level_counts(config, b.scores),
            below_base_count=int(b.below_base.sum()),
        )
        for bid, b in table.blocks.items()
    }
    findings = summarise(config, schools, ind_stats)
    return {
        "total_stats": distribution(table.total),
        "level_counts": level_counts(config, table.total),
        "block_stats": block_stats,
        "indicator_stats": ind_stats,
        "system_deficits": [code for code, s in ind_stats.items() if s.system_deficit],
        "group_stats": findings.group_stats,
        "targets": findings.targets,
        "risk": findings.risk,
        "leaders": findings.leaders,
        "conclusions": draw_conclusions(
            config,
            block_stats,
            ind_stats,
            findings.group_stats,
            findings.targets,
            schools,
            findings.risk,
            findings.leaders,
        ),
    }
