"""The run's settings in indicators.yaml beyond the indicators: levels and the critical rule
(``scoring``), ties and peer groups (``ranking``), what the analysis calls a deficit, a
system deficit or a difference (``analysis``), what wrong values do (``validation``), what change
counts from one year to the next (``dynamics``), and the cross-field ``checks``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from .base import Aggregation, DeficitRule, MissingPolicy, SmallBase
from .base import ConfigModel as _Model


class Level(_Model):
    label: str = Field(min_length=1)
    lower: float = Field(alias="from", ge=0, le=100)


class CriticalRule(_Model):
    label: str = "ниже базового"
    zero_block_score: bool = False


class ScoringSettings(_Model):
    aggregation: Aggregation = Aggregation.arithmetic
    levels: list[Level] = Field(
        default_factory=lambda: [
            Level(label="низкий", **{"from": 0}),
            Level(label="средний", **{"from": 50}),
            Level(label="высокий", **{"from": 80}),
        ]
    )
    critical: CriticalRule = Field(default_factory=CriticalRule)
    min_coverage: float = Field(default=0.0, ge=0, le=1)  # share of a block's weight with values


class Ranking(_Model):
    ties: Literal["min", "dense"] = "min"
    decimals: int = Field(default=2, ge=0, le=12)
    groups: list[str] = Field(default_factory=list)


class WeightNoise(_Model):
    """± share by which each weight may vary in the Monte Carlo runs, per level of the tree."""

    indicators: float = Field(default=0.25, ge=0, lt=1)  # indicators within their block
    subblocks: float = Field(default=0.25, ge=0, lt=1)  # nested blocks within their parent
    blocks: float = Field(default=0.25, ge=0, lt=1)  # top-level blocks within the total


class UncertaintySettings(_Model):
    """Rank robustness: how far places move under reasonable changes of weights and aggregation."""

    enabled: bool = False
    runs: int = Field(default=1000, ge=10, le=100_000)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)
    weight_noise: WeightNoise = Field(default_factory=WeightNoise)
    aggregations: list[Aggregation] = Field(default_factory=list)  # besides the configured scheme
    leave_one_out: bool = True
    sensitivity: bool = True


class AuditSettings(_Model):
    """Thresholds of the statistical audit of the indicator set (advice for next year)."""

    enabled: bool = True
    weak_correlation: float = Field(default=0.2, ge=0, le=1)
    collinear: float = Field(default=0.9, gt=0, le=1)
    same_points_share: float = Field(default=0.9, gt=0, le=1)
    low_alpha: float = Field(default=0.6, ge=0, le=1)


def _default_deficit() -> DeficitRule:
    return DeficitRule(lowest_points=True, target_missed=True)


class AnalysisSettings(_Model):
    system_deficit_share: float = Field(default=0.3, gt=0, le=1)
    outlier_iqr: float = Field(default=3.0, gt=0)
    top_share: float = Field(default=0.1, gt=0, le=1)
    uncertainty: UncertaintySettings = Field(default_factory=UncertaintySettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)
    # The one deficit rule, applied to every indicator alike (an indicator's own
    # ``deficit`` is an exception the методика lists).
    deficit: DeficitRule = Field(default_factory=_default_deficit)
    # A difference of mean scores (0–100) below this is not called a difference.
    notable_difference: float = Field(default=5.0, ge=0, le=100)
    min_group_size: int = Field(default=2, ge=1)  # smaller peer groups are not compared
    # How many of the weakest schools the body of the справка names; all are in an appendix.
    body_schools: int = Field(default=10, ge=1)
    # Up to this many schools (submitted and not) the справка's appendices list every school;
    # above it they say where the full lists are (ranking.xlsx, the letters and the cards): a
    # document of tens of thousands of rows is read by nobody and took gigabytes to lay out.
    appendix_schools: int = Field(default=2000, ge=1)


class ValidationSettings(_Model):
    """What errors in forms do that the config does not decide per field or indicator."""

    # A wrong indicator value (not a number, negative, numerator above denominator …):
    # the same consequence for every indicator unless it sets ``invalid`` itself.
    invalid_value: MissingPolicy = MissingPolicy.error
    # A share (or a computed indicator's denominator) below this rests on too few people:
    # the value is flagged «мало данных» and, with ``small_denominator: not_applicable``,
    # left out; an indicator's own keys override both.
    min_denominator: float | None = Field(default=None, gt=0)
    small_denominator: SmallBase = SmallBase.flag


class DynamicsSettings(_Model):
    """Year over year (``--previous``): how large a change must be to count.

    ``min_change`` is in points of a 0–100 score (totals, blocks) and in percentage points
    of a percentage (shares, percents, «да/нет» as the share of schools answering «да»,
    choices and expert marks as a share of their maximum); ``min_relative_change`` is a
    percentage of last year's value, for counts and other numbers, which have no natural
    scale. A smaller change is «без существенных изменений» and is never ranked.
    """

    min_change: float = Field(default=2.0, ge=0)
    min_relative_change: float = Field(default=10.0, ge=0)
    # A school whose total fell by at least this many points is named for attention, even
    # when its level stayed the same (a «средний» school falling 8th → 17th gets no support
    # from the risk zone).
    attention_fall: float = Field(default=10.0, gt=0)
    # A raw value that moved this much in a year is more likely a typing error than a change:
    # shares and percents by ``implausible_change`` percentage points (when both years'
    # denominators are at least ``implausible_base``: 1 of 1 → 0 of 1 is no error), counts,
    # numbers and denominators ``implausible_ratio`` times (the larger at least ``implausible_base``).
    implausible_change: float = Field(default=40.0, gt=0)
    implausible_ratio: float = Field(default=3.0, gt=1)
    implausible_base: float = Field(default=10.0, ge=0)


class TerritoryRanking(StrEnum):
    """What territories are ranked by (``territories.ranking``)."""

    mean = "mean"  # the mean total of the territory's scored schools
    median = "median"  # their median total
    pooled = (
        "pooled"  # an index of the territory's pooled indicator values, scored by each indicator's method
    )


class TerritoryWeights(_Model):
    """How a territory's index combines its schools' roll-up with its own indicators
    (``territories.blocks``); used only when the config has territory-level blocks."""

    schools: float = Field(default=1.0, ge=0)
    territory: float = Field(default=1.0, ge=0)


class Check(_Model):
    rule: str = Field(min_length=1)
    message: str = ""
    severity: Literal["error", "warning"] = "error"
