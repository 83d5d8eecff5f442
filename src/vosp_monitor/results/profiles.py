"""What the schools behind a weak result have in common: the facts of the conclusions with causes.

A conclusion an analyst draws is not «RES is the weakest block» but «the three schools of
the risk zone are all rural basic schools with no воспитательная служба». For each set of
schools a conclusion is about — the risk zone, the schools at the lowest level of a weak
block, the schools with a system deficit or with a deficit on one of the weakest
indicators, and the leaders — :class:`Profile` holds what they share against the other
ranked schools: peer-group values over-represented among them (:class:`Trait`), their size
(:class:`SizeContrast`) and the indicators where they differ most (:class:`Contrast`).
:class:`CommonCause` is the deficit that the whole risk zone shares and whose schools,
all of them, share the risk zone's profile. Data only; ``report.causes`` words them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Subject(StrEnum):
    """Which schools a profile is about."""

    risk = "risk"  # the risk zone
    block = "block"  # the lowest level (or below base) in a weak block (``ref``: the block id)
    deficit = "deficit"  # a deficit on an indicator (``ref``: its code)
    low_score = "low_score"  # no deficit found, the indicator's score at the lowest level
    leaders = "leaders"


@dataclass(slots=True)
class Trait:
    """A peer-group value shared by ``count`` of the schools, and by ``district`` ranked schools in all."""

    key: str  # the group field (a ``ranking.groups`` entry)
    value: str
    count: int
    district: int


@dataclass(slots=True)
class SizeContrast:
    """The median of the size field (the first contingent field: обучающихся) inside and outside."""

    field: str
    median: float
    others: float


@dataclass(slots=True)
class Contrast:
    """An indicator where the schools differ most from the rest: mean scores 0–100 and deficits."""

    code: str
    mean: float
    others: float
    deficits: int  # of the schools, with a deficit on it
    others_deficits: int  # of the other ranked schools


@dataclass(slots=True)
class Profile:
    """What a set of ranked schools shares against the other ranked schools."""

    subject: Subject
    ref: str  # the block id or indicator code ("" for the risk zone and the leaders)
    schools: list[str]  # codes, in ranking order
    others: int  # ranked schools outside the set
    traits: list[Trait] = field(default_factory=list)  # over-represented, shared by most of them
    size: SizeContrast | None = None
    contrasts: list[Contrast] = field(default_factory=list)  # the largest notable gaps, largest first


@dataclass(slots=True)
class CommonCause:
    """The deficit behind the risk zone: every school of the zone has it, and every school
    with it shares the zone's full traits (``traits``: counted over ``schools``)."""

    code: str
    schools: list[str]  # every ranked school with the deficit, in ranking order
    in_risk: int  # of them in the risk zone
    traits: list[Trait] = field(default_factory=list)
    value: float | None = None  # the value every one of them has, when they share one (UPR-2: 0)
