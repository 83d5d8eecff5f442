"""The records of rank robustness and of the statistical audit of the indicator set.

Like the rest of :class:`~vosp_monitor.results.Results` they hold data — places, shares,
coefficients, flags as enums of kebab-case ids — never sentences; ``render.view_robustness`` and
``render.view_audit`` word them. ``from_dict`` functions read them back from results.json
(``store.py`` writes them with ``dataclasses.asdict``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(slots=True)
class PlaceRange:
    """One school's place over the Monte Carlo runs (type-7 quantiles, as COINr)."""

    code: str
    place: int  # the published (nominal) place
    median: float
    low: float  # 5 % quantile
    high: float  # 95 % quantile
    mean: float


@dataclass(slots=True)
class PlaceGroup:
    """Consecutive places that cannot be told apart (see analysis/uncertainty.py)."""

    first: int  # nominal place of the first school
    last: int  # nominal place of the last school
    codes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class InputEffect:
    """Sensitivity of the places to one uncertain input: Sobol indices with bootstrap 5–95 %."""

    input: str  # "indicators", "subblocks", "blocks" (weights of that level) or "aggregation"
    first_order: float | None
    total: float | None
    first_order_low: float | None = None
    first_order_high: float | None = None
    total_low: float | None = None
    total_high: float | None = None


@dataclass(slots=True)
class IndicatorRemoval:
    """What leaving one indicator out does to the places (nominal weights and aggregation)."""

    code: str
    max_shift: int  # the largest place change of any school
    mean_shift: float  # mean |place change| over the schools
    moved: int  # schools whose place changed
    school: str = ""  # the school that moved most ("" when none moved)
    place_from: int = 0
    place_to: int = 0


@dataclass(slots=True)
class Uncertainty:
    runs: int
    seed: int
    weight_noise: dict[str, float]  # level → ± share, as configured
    schemes: list[str]  # "configured" or an aggregation, each drawn with equal chance
    inputs: list[str]  # what varied and can move places: weight levels, "aggregation"
    places: list[PlaceRange]  # in ranking order
    groups: list[PlaceGroup]  # of two or more schools, in ranking order
    mean_shift: float  # mean |place − nominal place| over runs and schools
    distinct_share: float  # «ahead in at least this share of runs» tells two schools apart
    sensitivity: list[InputEffect] = field(default_factory=list)
    sensitivity_runs: int = 0  # N(d + 2) evaluations
    removals: list[IndicatorRemoval] = field(default_factory=list)  # largest max_shift first


class BlockFlag(StrEnum):
    """What the audit found about a block (stored in results.json by value)."""

    low_alpha = "low-alpha"  # Cronbach's α below ``analysis.audit.low_alpha``


class IndicatorFlag(StrEnum):
    """What the audit found about an indicator (stored in results.json by value)."""

    weak_block = "weak-block"  # |r| with its block's score below ``weak_correlation``
    weak_total = "weak-total"  # … with the total
    negative_block = "negative-block"  # r ≤ −``weak_correlation``: the other way from its block
    negative_total = "negative-total"  # … from the total
    same_points = "same-points"  # one points value for ``same_points_share`` of the schools
    skewed = "skewed"  # the values are heavily skewed (a scaled method only)
    collinear = "collinear"  # nearly doubles another indicator (``collinear``)


@dataclass(slots=True)
class BlockAudit:
    id: str
    items: int  # direct children: indicators or sub-blocks
    schools: int  # schools with every item present (used for α)
    alpha: float | None  # Cronbach's α; None when it cannot be computed
    flags: list[BlockFlag] = field(default_factory=list)


@dataclass(slots=True)
class IndicatorAudit:
    code: str
    block: str
    schools: int  # schools where it applies
    r_block: float | None  # Pearson r of its score with its block's score
    r_total: float | None  # … with the total
    same_points: float | None  # the most frequent points value
    same_share: float | None  # share of schools with it
    skew: float | None  # of the values (numbers, counts, shares, percents)
    kurtosis: float | None  # excess kurtosis of the values
    flags: list[IndicatorFlag] = field(default_factory=list)


@dataclass(slots=True)
class CorrelatedPair:
    first: str
    second: str
    r: float
    same_block: bool


@dataclass(slots=True)
class Audit:
    blocks: list[BlockAudit] = field(default_factory=list)
    indicators: list[IndicatorAudit] = field(default_factory=list)
    pairs: list[CorrelatedPair] = field(default_factory=list)  # strongest first


def uncertainty_from_dict(data: dict[str, Any] | None) -> Uncertainty | None:
    if data is None:
        return None
    return Uncertainty(
        **{
            **data,
            "places": [PlaceRange(**p) for p in data["places"]],
            "groups": [PlaceGroup(**g) for g in data["groups"]],
            "sensitivity": [InputEffect(**e) for e in data["sensitivity"]],
            "removals": [IndicatorRemoval(**r) for r in data["removals"]],
        }
    )


def audit_from_dict(data: dict[str, Any] | None) -> Audit | None:
    if data is None:
        return None
    return Audit(
        blocks=[BlockAudit(**{**b, "flags": [BlockFlag(f) for f in b["flags"]]}) for b in data["blocks"]],
        indicators=[
            IndicatorAudit(**{**i, "flags": [IndicatorFlag(f) for f in i["flags"]]})
            for i in data["indicators"]
        ],
        pairs=[CorrelatedPair(**p) for p in data["pairs"]],
    )
