"""The comparison with earlier years, as data: what ``score --previous`` computes (schema 4).

:class:`Dynamics` is carried in :class:`~vosp_monitor.results.Results` and written to
results.json, so the справка can be rendered again from the file alone and next year's
run can chain it: each year's district figures are a :class:`YearPoint` with the
*fingerprints* of its framework (what its scores and values mean), so any two years,
even one only known from a stored series, can be checked for comparability without
their configs. Like the rest of the model this holds numbers, codes and flags; the
report view words them.

Conventions: ``Change.change`` is this year minus last year, ``None`` where either is
missing or the two are not comparable; ``trend`` says whether the change is an
improvement (taking the indicator's direction into account), too small to count
(``stable``: below ``dynamics.min_change``) or not comparable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .followup import Followup, followup_from_dict, followup_to_dict


class Trend(StrEnum):
    better = "better"
    worse = "worse"
    stable = "stable"  # «без существенных изменений»: smaller than the configured threshold
    incomparable = "incomparable"  # a side is missing, or the frameworks differ


class Link(StrEnum):
    """How a school of this year is linked to last year's."""

    same = "same"  # the same code
    renamed = "renamed"  # another code, by the school map
    merged = "merged"  # several schools of last year (the school map)


class Absence(StrEnum):
    """Why one of last year's schools is not in this year's comparison."""

    excluded = "excluded"  # submitted, but excluded from this year's ranking
    not_submitted = "not_submitted"  # in this year's registry, without a form
    absent = "absent"  # nowhere this year (closed, merged without a map, a new code)


@dataclass(slots=True)
class Change:
    previous: float | None
    current: float | None
    change: float | None
    trend: Trend


@dataclass(slots=True)
class ValueChange:
    """A school's value of one indicator last year (with its parts, for shares) and the change."""

    previous: float | None
    numerator: float | None
    denominator: float | None
    change: float | None
    trend: Trend


@dataclass(slots=True)
class LevelChange:
    previous: str | None
    move: int | None  # +1 a level up, −1 down, 0 the same; None when not comparable


@dataclass(slots=True)
class SchoolChange:
    """One ranked school of this year that has a predecessor last year."""

    code: str
    link: Link
    previous_codes: list[str]
    previous_names: list[str]
    total: Change
    place: Change  # ``better`` when the place number went down
    level: LevelChange
    blocks: dict[str, Change] = field(default_factory=dict)  # comparable blocks only
    values: dict[str, ValueChange] = field(default_factory=dict)  # indicators with comparable values
    closed: list[str] = field(default_factory=list)  # deficits last year, none now
    persisting: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)  # deficits now, none last year


@dataclass(slots=True)
class GoneSchool:
    code: str
    name: str
    absence: Absence


@dataclass(slots=True)
class IndicatorChange:
    """One indicator present in both years: the district's value and the deficits' fate."""

    code: str
    values_comparable: bool
    scores_comparable: bool
    district: Change  # pooled share, or the mean («да/нет»: the share answering «да», in %)
    median: Change
    deficits_previous: int
    deficits_current: int
    recommended: int  # schools of both years with the deficit last year, judged now: closed + persisting
    closed: int
    persisting: int
    new: int
    system_previous: bool
    system_current: bool
    deficits_comparable: bool = True  # both years found deficits by the same rule (and target)


@dataclass(slots=True)
class RemovedIndicator:
    code: str
    title: str


@dataclass(slots=True)
class FrameworkChange:
    """What changed in indicators.yaml since the year compared with, and what stays comparable."""

    added: list[str] = field(default_factory=list)  # indicator codes new this year
    removed: list[RemovedIndicator] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code → reasons (frameworks.REASONS)
    blocks: dict[str, bool] = field(default_factory=dict)  # block id → its scores are comparable
    total: bool = False
    levels: bool = False
    deficit_rule: bool = False  # the run's deficit rule (``analysis.deficit``) changed


@dataclass(slots=True)
class PointValue:
    mean: float | None
    median: float | None


@dataclass(slots=True)
class IndicatorPoint:
    district: float | None  # as Change above, in the indicator's units
    median: float | None
    target: float | None
    met: bool | None  # the district value reached that year's target
    reached: int  # schools reaching the target
    counted: int  # schools with a value
    deficits: int


@dataclass(slots=True)
class YearPoint:
    """One year's district figures, and the fingerprints that say what they mean."""

    label: str  # monitoring.period («2024/2025 учебный год»), else the year of the run
    generated_at: str
    schools: int
    total: PointValue
    blocks: dict[str, PointValue] = field(default_factory=dict)
    levels: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, IndicatorPoint] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)  # see dynamics/frameworks.py


@dataclass(slots=True)
class TargetTrend:
    code: str
    met_years: list[str]  # labels of the years whose district value reached that year's target
    met_since: str | None  # the first year of the run of met years that reaches this year


@dataclass(slots=True)
class Effect:
    """Last year's deficits of the schools present in both years, and what became of them."""

    recommended: int = 0
    closed: int = 0
    persisting: int = 0
    new: int = 0


@dataclass(slots=True)
class LevelMoves:
    up: int = 0
    down: int = 0
    same: int = 0


@dataclass(slots=True)
class Dynamics:
    years: list[YearPoint]  # oldest first; this year last
    previous: str  # label of the year compared with (``years[-2]``)
    min_change: float
    min_relative_change: float
    framework: FrameworkChange
    total: Change  # the district's mean total
    total_median: Change
    blocks: dict[str, Change] = field(default_factory=dict)  # mean block scores
    level_changes: dict[str, int] = field(default_factory=dict)  # schools per level, this − last year
    level_moves: LevelMoves = field(default_factory=LevelMoves)
    schools: list[SchoolChange] = field(default_factory=list)  # ranking order
    new_schools: list[str] = field(default_factory=list)  # codes without a predecessor, ranking order
    gone_schools: list[GoneSchool] = field(default_factory=list)
    improved: list[str] = field(default_factory=list)  # significant rise of the total, largest first
    declined: list[str] = field(default_factory=list)  # significant fall, largest first
    stable: int = 0  # schools whose total changed by less than min_change
    indicators: dict[str, IndicatorChange] = field(default_factory=dict)
    effect: Effect = field(default_factory=Effect)
    targets: dict[str, TargetTrend] = field(default_factory=dict)
    system_previous: list[str] = field(default_factory=list)
    unused_map: list[str] = field(default_factory=list)  # school map rows that matched no school
    followup: Followup = field(default_factory=Followup)  # matched totals, effect, risk zone, falls


# --------------------------------------------------------------------------- JSON


def _change(c: Change) -> dict[str, Any]:
    return {"previous": c.previous, "current": c.current, "change": c.change, "trend": c.trend.value}


def _value(v: ValueChange) -> list[Any]:
    """[previous, numerator, denominator, change, trend]: a list, not a dict — one per school
    and indicator, so about 46,000 for 2,000 schools, where keys would double the file."""
    return [v.previous, v.numerator, v.denominator, v.change, v.trend.value]


def school_change_to_dict(s: SchoolChange) -> dict[str, Any]:
    """Field by field (no ``asdict`` deep copies): one per ranked school, thousands of them."""
    return {
        "code": s.code,
        "link": s.link.value,
        "previous_codes": list(s.previous_codes),
        "previous_names": list(s.previous_names),
        "total": _change(s.total),
        "place": _change(s.place),
        "level": {"previous": s.level.previous, "move": s.level.move},
        "blocks": {k: _change(c) for k, c in s.blocks.items()},
        "values": {k: _value(v) for k, v in s.values.items()},
        "closed": list(s.closed),
        "persisting": list(s.persisting),
        "new": list(s.new),
    }


def dynamics_to_dict(d: Dynamics, *, schools: bool = True) -> dict[str, Any]:
    """The JSON form; ``schools=False`` leaves the per-school list out (the writer streams it)."""
    from dataclasses import asdict

    data: dict[str, Any] = {
        "years": [asdict(y) for y in d.years],
        "previous": d.previous,
        "min_change": d.min_change,
        "min_relative_change": d.min_relative_change,
        "framework": asdict(d.framework),
        "total": _change(d.total),
        "total_median": _change(d.total_median),
        "blocks": {k: _change(c) for k, c in d.blocks.items()},
        "level_changes": dict(d.level_changes),
        "level_moves": asdict(d.level_moves),
        "schools": [school_change_to_dict(s) for s in d.schools] if schools else [],
        "new_schools": list(d.new_schools),
        "gone_schools": [
            {"code": g.code, "name": g.name, "absence": g.absence.value} for g in d.gone_schools
        ],
        "improved": list(d.improved),
        "declined": list(d.declined),
        "stable": d.stable,
        "indicators": {
            k: {**asdict(i), "district": _change(i.district), "median": _change(i.median)}
            for k, i in d.indicators.items()
        },
        "effect": asdict(d.effect),
        "targets": {k: asdict(t) for k, t in d.targets.items()},
        "system_previous": list(d.system_previous),
        "unused_map": list(d.unused_map),
        "followup": followup_to_dict(d.followup),
    }
    return data


def _change_from(data: dict[str, Any]) -> Change:
    return Change(data["previous"], data["current"], data["change"], Trend(data["trend"]))


def _school_from(data: dict[str, Any]) -> SchoolChange:
    return SchoolChange(
        code=data["code"],
        link=Link(data["link"]),
        previous_codes=list(data["previous_codes"]),
        previous_names=list(data["previous_names"]),
        total=_change_from(data["total"]),
        place=_change_from(data["place"]),
        level=LevelChange(**data["level"]),
        blocks={k: _change_from(c) for k, c in data["blocks"].items()},
        values={k: ValueChange(v[0], v[1], v[2], v[3], Trend(v[4])) for k, v in data["values"].items()},
        closed=list(data["closed"]),
        persisting=list(data["persisting"]),
        new=list(data["new"]),
    )


def _year_from(data: dict[str, Any]) -> YearPoint:
    return YearPoint(
        label=data["label"],
        generated_at=data["generated_at"],
        schools=data["schools"],
        total=PointValue(**data["total"]),
        blocks={k: PointValue(**v) for k, v in data["blocks"].items()},
        levels=dict(data["levels"]),
        indicators={k: IndicatorPoint(**v) for k, v in data["indicators"].items()},
        fingerprints=dict(data["fingerprints"]),
    )


def dynamics_from_dict(data: dict[str, Any] | None) -> Dynamics | None:
    if data is None:
        return None
    framework = data["framework"]
    return Dynamics(
        years=[_year_from(y) for y in data["years"]],
        previous=data["previous"],
        min_change=data["min_change"],
        min_relative_change=data["min_relative_change"],
        framework=FrameworkChange(
            added=list(framework["added"]),
            removed=[RemovedIndicator(**r) for r in framework["removed"]],
            changed={k: list(v) for k, v in framework["changed"].items()},
            blocks=dict(framework["blocks"]),
            total=framework["total"],
            levels=framework["levels"],
            deficit_rule=framework["deficit_rule"],
        ),
        total=_change_from(data["total"]),
        total_median=_change_from(data["total_median"]),
        blocks={k: _change_from(c) for k, c in data["blocks"].items()},
        level_changes=dict(data["level_changes"]),
        level_moves=LevelMoves(**data["level_moves"]),
        schools=[_school_from(s) for s in data["schools"]],
        new_schools=list(data["new_schools"]),
        gone_schools=[GoneSchool(g["code"], g["name"], Absence(g["absence"])) for g in data["gone_schools"]],
        improved=list(data["improved"]),
        declined=list(data["declined"]),
        stable=data["stable"],
        indicators={
            k: IndicatorChange(
                **{**i, "district": _change_from(i["district"]), "median": _change_from(i["median"])}
            )
            for k, i in data["indicators"].items()
        },
        effect=Effect(**data["effect"]),
        targets={k: TargetTrend(**t) for k, t in data["targets"].items()},
        system_previous=list(data["system_previous"]),
        unused_map=list(data["unused_map"]),
        followup=followup_from_dict(data.get("followup")),
    )
