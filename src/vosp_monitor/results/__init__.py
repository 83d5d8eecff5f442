"""The result model (``model``), results.json (``store``) and older schemas (``migrate``).

Everything computed by ``score`` lives in :class:`Results`, so that every report can be
regenerated from results.json alone (``vosp-monitor report``) and next year's run can use
it as a baseline. Import from here; the submodules are the seams, not the interface.
"""

from __future__ import annotations

from .model import (
    SCHEMA_VERSION,
    BlockConclusion,
    BlockResult,
    BlockStats,
    Conclusions,
    Distribution,
    DistrictKind,
    ExcludedSchool,
    ExpectedSchool,
    GroupGap,
    GroupStats,
    IndicatorResult,
    IndicatorStats,
    Results,
    RiskEntry,
    SchoolResult,
    SkippedFile,
    Standing,
    TargetStats,
    gc_paused,
)
from .robustness import (
    Audit,
    BlockAudit,
    CorrelatedPair,
    IndicatorAudit,
    IndicatorRemoval,
    InputEffect,
    PlaceGroup,
    PlaceRange,
    Uncertainty,
)
from .store import (
    ResultsFileError,
    read_results_json,
    results_from_dict,
    results_to_dict,
    write_results_json,
)

__all__ = [
    "SCHEMA_VERSION",
    "Audit",
    "BlockAudit",
    "BlockConclusion",
    "BlockResult",
    "BlockStats",
    "Conclusions",
    "CorrelatedPair",
    "Distribution",
    "DistrictKind",
    "ExcludedSchool",
    "ExpectedSchool",
    "GroupGap",
    "GroupStats",
    "IndicatorAudit",
    "IndicatorRemoval",
    "IndicatorResult",
    "IndicatorStats",
    "InputEffect",
    "PlaceGroup",
    "PlaceRange",
    "Results",
    "ResultsFileError",
    "RiskEntry",
    "SchoolResult",
    "SkippedFile",
    "Standing",
    "TargetStats",
    "Uncertainty",
    "gc_paused",
    "read_results_json",
    "results_from_dict",
    "results_to_dict",
    "write_results_json",
]
