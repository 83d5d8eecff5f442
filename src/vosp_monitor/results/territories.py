"""A region by municipality, as data: the roll-up of every territory and of the whole run (schema 7).

:class:`Territories` is carried in :class:`~vosp_monitor.results.Results` (``None`` for a
run without territories, so a district's results are unchanged) and written to
results.json. Every territory and the whole run are the same record,
:class:`TerritoryStats`, computed by the same code over one regional scale (the schools'
scores are those of the whole run), so a document can set a territory's figures beside
the region's field by field. Like the rest of the model it holds numbers, names, codes and
flags; the report view words them.

Conventions: a territory is named by its display name (``name``) and, in a two-level run
(region → municipality), its region (``parent``); ``units`` are the lowest level, ranked
ones first by place and name, then the others with the reason (``not_compared``).
Municipalities of a two-level run are placed among the municipalities of their region,
regions among the regions. Places use the schools' ``ranking`` rules (rounding, ties).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .distribution import Distribution
from .dynamics import Change, Link, Trend


class NotCompared(StrEnum):
    """Why a territory has no place."""

    too_few = "too-few"  # fewer scored schools than territories.min_schools
    no_schools = "no-schools"  # no school of it was scored


@dataclass(slots=True)
class Counts:
    registered: int | None  # schools of the registry in it (None: no registry with territories)
    submitted: int  # forms received, read or not
    scored: int
    excluded: int  # forms received but not scored
    not_submitted: int | None  # registry schools without a form (None: no registry)


@dataclass(slots=True)
class TerritoryIndicator:
    """One indicator over a territory's scored schools (the district statistics, per territory).

    ``value`` is pooled for shares (Σ numerators / Σ denominators × 100 over the schools
    with both parts and a denominator above 0: every pupil or teacher counts once), the
    mean of the schools' values otherwise (``pooled`` says which).
    """

    code: str
    value: float | None
    pooled: bool
    numerator: float | None = None  # Σ, for shares
    denominator: float | None = None
    schools: int = 0  # schools the value is over
    score: float | None = None  # mean score 0–100 over the schools it applies to
    target_met: bool | None = None  # ``value`` against the target (None: no target or no value)
    target_share: float | None = None  # share of its schools reaching the target
    deficit_count: int = 0
    deficit_share: float = 0.0  # of the schools it applies to
    system_deficit: bool = False  # deficit_share above analysis.system_deficit_share


@dataclass(slots=True)
class Interval:
    """Where a territory's place and ranked value fall in the seeded runs (5–95 %, type 7)."""

    place_low: float
    place_high: float
    place_median: float
    value_low: float
    value_high: float


@dataclass(slots=True)
class OwnForm:
    """A territory's own form (``territories.blocks``), scored over the territories of the run."""

    file: str  # "" when the territory sent none (its indicators then score 0)
    authority: str  # the name field of the form
    head: str  # the head's name, when the form has ``documents.letters.head_field``
    total: float | None  # 0–100
    blocks: dict[str, float | None] = field(default_factory=dict)
    values: dict[str, float | None] = field(default_factory=dict)  # indicator code → value
    points: dict[str, float | None] = field(default_factory=dict)
    deficits: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TerritoryStats:
    name: str  # "" for the whole run
    parent: str  # its region in a two-level run, else ""
    counts: Counts
    total: Distribution
    blocks: dict[str, Distribution] = field(default_factory=dict)  # every block, config order
    level_counts: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, TerritoryIndicator] = field(default_factory=dict)
    system_deficits: list[str] = field(default_factory=list)
    risk: list[str] = field(default_factory=list)  # its schools in the risk zone, ranking order
    schools: list[str] = field(default_factory=list)  # codes of its scored schools, ranking order
    excluded: list[str] = field(default_factory=list)  # codes (files when unread) of excluded forms
    not_submitted: list[str] = field(default_factory=list)  # registry codes
    value: float | None = None  # what it is ranked by (``Territories.ranking``, with ``own``)
    place: int | None = None
    not_compared: NotCompared | None = None
    interval: Interval | None = None
    own: OwnForm | None = None


@dataclass(slots=True)
class TerritoryGroup:
    """Consecutive places that cannot be told apart (see analysis/territories_intervals.py)."""

    parent: str  # the region they are placed in ("" in a one-level run or for regions)
    first: int
    last: int
    names: list[str] = field(default_factory=list)


@dataclass(slots=True)
class TerritoryChange:
    """One territory against last year (``--previous``), matched by name or through its schools."""

    name: str
    parent: str
    link: Link  # same: the same name; renamed/merged: by where last year's schools went
    previous: list[str]  # last year's territories it continues
    total: Change  # mean total (a merger: the mean over every school of the merged territories)
    place: Change  # ``better`` when the place number went down; incomparable for a merger
    shares: dict[str, Change] = field(default_factory=dict)  # pooled shares, comparable ones


@dataclass(slots=True)
class Territories:
    word: str  # territories.word: what a territory is called («муниципалитет»)
    parent_word: str
    depth: int  # 1: municipalities; 2: regions → municipalities
    sources: list[str]  # where territories were found: registry, form, folder
    ranking: str  # territories.ranking: mean, median or pooled
    min_schools: int
    units: list[TerritoryStats]
    whole: TerritoryStats  # the whole run, computed as a territory
    parents: list[TerritoryStats] = field(default_factory=list)  # regions of a two-level run
    groups: list[TerritoryGroup] = field(default_factory=list)
    runs: int = 0  # seeded runs behind the intervals (0: no intervals)
    seed: int = 0
    weights_varied: bool = False  # the runs varied the weights too (not only the schools)
    own_weights: tuple[float, float] | None = None  # (schools, territory) with territory blocks
    previous: str = ""  # the year compared with (``--previous``), "" when none
    changes: list[TerritoryChange] = field(default_factory=list)

    def territory_of(self) -> dict[str, TerritoryStats]:
        """School code → its territory (scored, excluded and missing schools alike)."""
        found: dict[str, TerritoryStats] = {}
        for unit in self.units:
            for code in (*unit.schools, *unit.excluded, *unit.not_submitted):
                found[code] = unit
        return found


def territories_to_dict(territories: Territories | None) -> dict[str, Any] | None:
    return None if territories is None else asdict(territories)


def _stats(data: dict[str, Any]) -> TerritoryStats:
    own = data["own"]
    return TerritoryStats(
        **{
            **data,
            "counts": Counts(**data["counts"]),
            "total": Distribution(**data["total"]),
            "blocks": {k: Distribution(**v) for k, v in data["blocks"].items()},
            "indicators": {k: TerritoryIndicator(**v) for k, v in data["indicators"].items()},
            "not_compared": None if data["not_compared"] is None else NotCompared(data["not_compared"]),
            "interval": None if data["interval"] is None else Interval(**data["interval"]),
            "own": None if own is None else OwnForm(**own),
        }
    )


def _change(data: dict[str, Any]) -> Change:
    return Change(data["previous"], data["current"], data["change"], Trend(data["trend"]))


def territories_from_dict(data: dict[str, Any] | None) -> Territories | None:
    if data is None:
        return None
    changes = [
        TerritoryChange(
            **{
                **c,
                "link": Link(c["link"]),
                "total": _change(c["total"]),
                "place": _change(c["place"]),
                "shares": {k: _change(v) for k, v in c["shares"].items()},
            }
        )
        for c in data["changes"]
    ]
    weights = data["own_weights"]
    return Territories(
        **{
            **data,
            "units": [_stats(u) for u in data["units"]],
            "whole": _stats(data["whole"]),
            "parents": [_stats(u) for u in data["parents"]],
            "groups": [TerritoryGroup(**g) for g in data["groups"]],
            "own_weights": None if weights is None else (float(weights[0]), float(weights[1])),
            "changes": changes,
        }
    )
