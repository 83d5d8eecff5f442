"""What the comparison with last year asks a reader to weigh, as data (part of ``Dynamics``).

A district mean over this year's schools against last year's compares two different sets
of schools; the effect of last year's recommendations shows only against schools (or
indicators) that got none; last year's risk zone has a fate; a school can fall far without
changing its level; a value that jumped is more often a typing error than a change. These
are computed once by ``dynamics.followup`` and worded by the report view.

Stored in results.json with defaults for every field, so a file written before them reads
as «not computed» (``report`` of an older file shows what it can).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RiskFate(StrEnum):
    """What became of a school of last year's risk zone."""

    left = "left"  # ranked this year, out of the risk zone
    stayed = "stayed"  # ranked this year, still in the risk zone
    gone = "gone"  # not ranked this year (excluded, no form, closed)


@dataclass(slots=True)
class Composition:
    """The mean total on the schools ranked in both years, and the schools that came and went."""

    matched: int = 0  # schools of both years whose totals are compared
    previous: float | None = None  # their mean total last year
    current: float | None = None  # and this year
    new: int = 0  # ranked this year, not last year
    new_mean: float | None = None  # their mean total this year
    gone: int = 0  # ranked last year, not this year
    gone_mean: float | None = None  # their mean total last year


@dataclass(slots=True)
class MeasureContrast:
    """One indicator's score change (0–100) at the schools recommended a measure last year
    (they had the deficit) and at the other schools of both years."""

    code: str
    recommended: int
    recommended_change: float | None
    others: int
    others_change: float | None


@dataclass(slots=True)
class RiskMove:
    previous_code: str
    previous_name: str
    code: str  # the code this year ("" when gone)
    fate: RiskFate


@dataclass(slots=True)
class Jump:
    """A raw value that moved implausibly far in a year: «требует проверки»."""

    code: str  # the school, this year's code
    indicator: str
    part: str  # "value", or "denominator" when the share's base moved
    previous: float
    current: float


@dataclass(slots=True)
class Followup:
    composition: Composition = field(default_factory=Composition)
    contrast: list[MeasureContrast] = field(default_factory=list)  # indicators recommended last year
    recommended_change: float | None = None  # mean over every (school, indicator) recommended
    others_change: float | None = None  # the same indicators at the schools not recommended
    unrecommended: list[str] = field(default_factory=list)  # indicators no school was recommended
    unrecommended_change: float | None = None  # their mean score change over all schools
    risk: list[RiskMove] = field(default_factory=list)  # last year's risk zone, by last year's code
    risk_new: list[str] = field(default_factory=list)  # in the risk zone now, not last year
    falls: list[str] = field(default_factory=list)  # totals fallen by ≥ attention_fall, largest first
    jumps: list[Jump] = field(default_factory=list)
    computed: bool = False  # False: an older results.json, nothing of the above was computed


def followup_to_dict(f: Followup) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(f)
    data["risk"] = [{**asdict(m), "fate": m.fate.value} for m in f.risk]
    return data


def followup_from_dict(data: dict[str, Any] | None) -> Followup:
    if not data:
        return Followup()
    return Followup(
        composition=Composition(**data["composition"]),
        contrast=[MeasureContrast(**c) for c in data["contrast"]],
        recommended_change=data["recommended_change"],
        others_change=data["others_change"],
        unrecommended=list(data["unrecommended"]),
        unrecommended_change=data["unrecommended_change"],
        risk=[RiskMove(**{**m, "fate": RiskFate(m["fate"])}) for m in data["risk"]],
        risk_new=list(data["risk_new"]),
        falls=list(data["falls"]),
        jumps=[Jump(**j) for j in data["jumps"]],
        computed=data["computed"],
    )
