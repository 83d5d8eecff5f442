"""The part of indicators.yaml that says what a value is and how it becomes points: the
indicator's type, which way is better, the scoring method with its bands, options and
goalposts.

Apart from ``model`` so that the methods' specs (``method_specs``), which read these, sit
below the indicator that reads the specs.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from .base import ConfigModel as _Model


class IndicatorType(StrEnum):
    share = "share"  # numerator / denominator × 100, in %
    quantity = "count"  # a whole number ≥ 0 (member not named `count`: it would shadow str.count)
    number = "number"  # any number
    percent = "percent"  # a percentage typed by the school
    yesno = "yesno"  # да / нет
    choice = "choice"  # one of several options, each worth some points
    mark = "mark"  # an expert mark 0..max_mark
    computed = "computed"  # a formula over inputs the school types (``computed.Input``)


class Direction(StrEnum):
    """Which way is better. Members are not named `lower`/`higher`: `lower` would shadow str.lower."""

    higher_better = "higher"
    lower_better = "lower"


class Method(StrEnum):
    """How a value becomes points; everything a method means is its spec (``method_specs.SPECS``)."""

    bands = "bands"
    options = "options"
    yesno = "yesno"
    mark = "mark"
    linear = "linear"
    minmax = "minmax"
    target = "target"
    zscore = "zscore"
    best = "best"


class Transform(StrEnum):
    """Done to a value and the goalposts before scoring (``log``: ln, as UNDP's income index)."""

    none = "none"
    log = "log"


class Band(_Model):
    """Points for values in [from, to): lower edge inclusive, upper exclusive, None = open."""

    lower: float | None = Field(default=None, alias="from")
    upper: float | None = Field(default=None, alias="to")
    points: float = Field(ge=0)

    def contains(self, value: float) -> bool:
        return (self.lower is None or value >= self.lower) and (self.upper is None or value < self.upper)


class Option(_Model):
    label: str = Field(min_length=1)
    points: float = Field(ge=0)


class Scoring(_Model):
    """How a value becomes points and a score 0–100 (the method's kind: ``method_specs``).

    A points method gives points; the score is points / max × 100. A scaled method gives a
    score 0–100; the points are score / 100 × ``max_points``.
    """

    method: Method
    bands: list[Band] | None = None
    low: float | None = None
    high: float | None = None
    max_points: float | None = Field(default=None, gt=0)
    yes_points: float | None = Field(default=None, ge=0)
    transform: Transform = Transform.none
