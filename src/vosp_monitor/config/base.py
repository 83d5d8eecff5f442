"""The base of every model of indicators.yaml (strict, frozen, no infinities) and the small
types that both the indicators and the run's settings use: what an unusable value does,
how scores are aggregated, and when a school has a deficit.
"""

from __future__ import annotations

import types
import typing
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator


class ConfigModel(BaseModel):
    # allow_inf_nan=False: «weight: .inf» or «.nan» would pass every range check and then
    # exclude every school; no number in a config is ever meant to be infinite.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _yes_is_no_number(cls, value: Any, info: ValidationInfo) -> Any:
        """«runs: true» is not 1: YAML's true and false where a number belongs are a mistake to say."""
        if (
            isinstance(value, bool)
            and info.field_name
            and _numeric(cls.model_fields[info.field_name].annotation)
        ):
            raise ValueError(f"ожидалось число, а написано {'true' if value else 'false'} (да/нет)")
        return value


def _numeric(annotation: Any) -> bool:
    """A number field (int or float, optional or not), but not one that also takes true/false."""
    arms = (
        typing.get_args(annotation)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType)
        else (annotation,)
    )
    return bool({int, float} & set(arms)) and bool not in arms


class MissingPolicy(StrEnum):
    error = "error"  # the school is excluded from the ranking
    zero = "zero"  # the indicator scores 0 points
    not_applicable = "not_applicable"  # dropped from both the sum and the maximum


class SmallBase(StrEnum):
    """What a value resting on a denominator below ``min_denominator`` does."""

    flag = "flag"  # scored as usual, marked «мало данных» in every output
    not_applicable = "not_applicable"  # marked and left out of the sum and the maximum


class Aggregation(StrEnum):
    arithmetic = "arithmetic"
    geometric = "geometric"
    percent_of_max = "percent_of_max"


class DeficitRule(ConfigModel):
    """When a school has a deficit on an indicator; any condition that is set fires it.

    ``lowest_points``: the lowest points the indicator's scale gives (usually 0);
    ``target_missed``: the indicator's target is not reached (indicators without a target
    ignore it); ``score_below``: the score 0–100 is below this; ``points_at_most``: the
    points are at most this.
    """

    lowest_points: bool = False
    target_missed: bool = False
    score_below: float | None = Field(default=None, ge=0, le=100)
    points_at_most: float | None = None

    @property
    def fires_on_nothing(self) -> bool:
        return not (self.lowest_points or self.target_missed) and (
            self.score_below is None and self.points_at_most is None
        )


class FieldType(StrEnum):
    text = "text"
    integer = "integer"
    number = "number"
    choice = "choice"
    yesno = "yesno"
    date = "date"


class FieldRole(StrEnum):
    key = "key"  # the school code: one per config
    name = "name"  # the school's name: one per config
    group = "group"  # a peer-group field (тип ОО, город/село)
    contingent = "contingent"  # a number used as a denominator
    territory = "territory"  # the municipality the school belongs to (a regional run, ``territories``)
    info = "info"  # anything else (head, phone, who filled in the form)


class FieldMissing(StrEnum):
    """What an empty or unreadable school field does (``SchoolField.missing``)."""

    error = "error"  # the school is excluded: it cannot be ranked without the field
    warning = "warning"  # a warning; the school stays in the ranking (reference fields)
