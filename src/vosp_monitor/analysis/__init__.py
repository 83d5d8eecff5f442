"""Analysis: district statistics (``district``), findings about schools (``findings``) and
the assembly of :class:`~vosp_monitor.results.Results` (``assemble``).

Every statistic a report or document shows is computed here, once, and carried in
Results; the report view (``render.view``) only words and formats it.
"""

from __future__ import annotations

from .assemble import build_results
from .conclusions import draw_conclusions, group_gaps
from .district import (
    deficit_mask,
    distribution,
    district_value,
    indicator_stats,
    level_counts,
    reaches_target,
)
from .findings import Findings, group_stats, leaders, risk_zone, summarise, target_stats

__all__ = [
    "Findings",
    "build_results",
    "deficit_mask",
    "distribution",
    "district_value",
    "draw_conclusions",
    "group_gaps",
    "group_stats",
    "indicator_stats",
    "leaders",
    "level_counts",
    "reaches_target",
    "risk_zone",
    "summarise",
    "target_stats",
]
