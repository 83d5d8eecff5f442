"""The run's settings in indicators.yaml beyond the indicators: levels and the critical rule
(``scoring``), ties and peer groups (``ranking``), what the analysis calls a deficit, a
system deficit or a difference (``analysis``), what wrong values do (``validation``), and
the cross-field ``checks``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Aggregation, DeficitRule, MissingPolicy
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


class Ranking(_Model):
    ties: Literal["min", "dense"] = "min"
    decimals: int = Field(default=2, ge=0, le=12)
    groups: list[str] = Field(default_factory=list)


def _default_deficit() -> DeficitRule:
    return DeficitRule(lowest_points=True, target_missed=True)


class AnalysisSettings(_Model):
    system_deficit_share: float = Field(default=0.3, gt=0, le=1)
    outlier_iqr: float = Field(default=3.0, gt=0)
    top_share: float = Field(default=0.1, gt=0, le=1)
    # The one deficit rule, applied to every indicator alike (an indicator's own
    # ``deficit`` is an exception the методика lists).
    deficit: DeficitRule = Field(default_factory=_default_deficit)
    # A difference of mean scores (0–100) below this is not called a difference.
    notable_difference: float = Field(default=5.0, ge=0, le=100)
    min_group_size: int = Field(default=2, ge=1)  # smaller peer groups are not compared
    # How many of the weakest schools the body of the справка names; all are in an appendix.
    body_schools: int = Field(default=10, ge=1)


class ValidationSettings(_Model):
    """What errors in forms do that the config does not decide per field or indicator."""

    # A wrong indicator value (not a number, negative, numerator above denominator …):
    # the same consequence for every indicator unless it sets ``invalid`` itself.
    invalid_value: MissingPolicy = MissingPolicy.error


class Check(_Model):
    rule: str = Field(min_length=1)
    message: str = ""
    severity: Literal["error", "warning"] = "error"
