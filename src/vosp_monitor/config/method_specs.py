"""One spec per scoring method: everything the tool means by ``bands``, ``linear``, … in one place.

What a method means used to be spread over a dozen modules as lists of methods (the point
methods, the relative ones, those a log applies to), and a method missing from one list was
silently treated as another (a method forgotten in scoring got the z-score formula). Now each
method has one :class:`MethodSpec` here and every stage reads it: the config rules (which
type it scores, which transforms it allows), the indicator's scale (its maximum and minimum
points), check-config's summary and the методика (its name, its scale in words), the audit
and the district statistics (points or scaled), the years' comparison (relative or not).
Only the formula lives with scoring (``scoring.formulas.FORMULAS``, keyed by the same
methods). Both tables are checked at import: a method without a spec or a formula stops the
program before it reads anything.

Adding a method touches three files besides docs and tests: its member of
``scales.Method``, its spec here, its formula in ``scoring/formulas.py`` (and a config rule
in ``rules.py`` only if it has a parameter of its own to check).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol, TypeVar

from ..words.formatting import NBSP, format_compact
from .scales import Direction, IndicatorType, Method, Option, Scoring, Transform

T = TypeVar("T")


class MethodKind(StrEnum):
    """What a method gives first; the other follows from the indicator's maximum points."""

    points = "points"  # points of a band, an option, a «да», a mark; score = points / max × 100
    scaled = "scaled"  # a score 0–100 from the value itself; points = score / 100 × max_points


class IndicatorLike(Protocol):
    """What a method reads of an indicator (``model.Indicator`` is one; the spec sits below it)."""

    @property
    def unit(self) -> str: ...
    @property
    def target(self) -> float | None: ...
    @property
    def scoring(self) -> Scoring | None: ...
    @property
    def options(self) -> list[Option] | None: ...
    @property
    def max_mark(self) -> int | None: ...
    @property
    def direction(self) -> Direction: ...


# An edge of full points: (whether the method has one, the edge; None when every value gets them).
FullPointsEdge = tuple[bool, float | None]


def _zero(ind: IndicatorLike) -> float:
    return 0.0


def _named(ind: IndicatorLike) -> str:
    return ""


def _no_edge(ind: IndicatorLike, lower: bool) -> FullPointsEdge:
    return False, None


_PLAIN = frozenset({Transform.none})
_LOG = frozenset({Transform.none, Transform.log})


@dataclass(frozen=True, slots=True, kw_only=True)
class MethodSpec:
    """What one scoring method means (its formula: ``scoring.formulas.FORMULAS[method]``)."""

    method: Method
    name: str  # in Russian, for check-config and the методика: «баллы по интервалам»
    kind: MethodKind
    max_points: Callable[[IndicatorLike], float]  # the most points one school can get
    min_points: Callable[[IndicatorLike], float] = _zero  # the bottom of the scale
    scale: Callable[[IndicatorLike], str] = _named  # the scale in words for the методика; "": the name
    # Scores a school against the other schools of its own run (the run's minimum and
    # maximum, mean and deviation): a score then means nothing in another year, so the
    # years' comparison compares only raw values (``comparable_across_years``).
    relative: bool = False
    # What ``scoring.transform`` may be: a transform changes only what scales the value
    # itself (a band, an option or a yes/no gives the same points whatever is done first).
    transforms: frozenset[Transform] = _PLAIN
    # The one indicator type the method scores, whose value *is* the points (the option's
    # points, 1/0, the mark): the method is implied by that type and no other type may use
    # it. None: a method an analyst chooses in ``scoring.method`` for a numeric indicator.
    indicator_type: IndicatorType | None = None
    uses_target: bool = False  # the indicator's ``target`` is a goalpost of the scale
    full_points_edge: Callable[[IndicatorLike, bool], FullPointsEdge] = _no_edge  # (ind, lower is better)

    @property
    def comparable_across_years(self) -> bool:
        """Whether two years' points can be compared at all (when the scale is unchanged)."""
        return not self.relative

    def describe(self, ind: IndicatorLike) -> str:
        """The scale of ``ind`` in words: «0–10 → 0; 10–20 → 1; от 30 → 3», or the method's name."""
        return self.scale(ind) or self.name


def every_method(entries: Mapping[Method, T], what: str) -> Mapping[Method, T]:
    """``entries`` read-only, if it has one for every method; else stop the import.

    Raised at import, the error stops the tool (and every test) on the developer's machine:
    a method cannot reach a user half-described.
    """
    missing = [m.value for m in Method if m not in entries]
    if missing:
        raise RuntimeError(f"{what}: no entry for the scoring method(s) {', '.join(missing)}")
    return MappingProxyType(dict(entries))


# --------------------------------------------------------------------------- the scales


def _scaled_max(ind: IndicatorLike) -> float:
    scoring = ind.scoring
    return scoring.max_points if scoring and scoring.max_points else 100.0


def _unit(ind: IndicatorLike) -> str:
    return f"{NBSP}{ind.unit}" if ind.unit and ind.unit != "балл" else ""


def _bands_max(ind: IndicatorLike) -> float:
    bands = ind.scoring.bands if ind.scoring else None
    return max(band.points for band in bands) if bands else _scaled_max(ind)


def _bands_min(ind: IndicatorLike) -> float:
    bands = ind.scoring.bands if ind.scoring else None
    return min(band.points for band in bands) if bands else 0.0


def _bands_scale(ind: IndicatorLike) -> str:
    parts = []
    bands = ind.scoring.bands if ind.scoring else None
    for band in bands or []:
        if band.lower is None:
            span = f"до {format_compact(band.upper)}"
        elif band.upper is None:
            span = f"от {format_compact(band.lower)}"
        else:
            span = f"{format_compact(band.lower)}–{format_compact(band.upper)}"
        parts.append(f"{span}{_unit(ind)} → {format_compact(band.points)}")
    return "; ".join(parts)


def _bands_edge(ind: IndicatorLike, lower: bool) -> FullPointsEdge:
    """Higher is better: full points from the lowest edge of a top band; lower: up to the highest."""
    bands = ind.scoring.bands if ind.scoring else None
    if not bands:
        return False, None
    top = _bands_max(ind)
    edges = [band.upper if lower else band.lower for band in bands if band.points == top]
    if None in edges:
        return True, None
    bounded = [e for e in edges if e is not None]
    return True, max(bounded) if lower else min(bounded)


def _options_max(ind: IndicatorLike) -> float:
    return max(option.points for option in ind.options) if ind.options else _scaled_max(ind)


def _options_min(ind: IndicatorLike) -> float:
    return min(option.points for option in ind.options) if ind.options else 0.0


def _options_scale(ind: IndicatorLike) -> str:
    return "; ".join(f"{o.label} → {format_compact(o.points)}" for o in ind.options or [])


def _yesno_max(ind: IndicatorLike) -> float:
    scoring = ind.scoring
    return scoring.yes_points if scoring and scoring.yes_points is not None else 1.0


def _yesno_scale(ind: IndicatorLike) -> str:
    return f"да → {format_compact(_yesno_max(ind))}; нет → 0"


def _mark_max(ind: IndicatorLike) -> float:
    return float(ind.max_mark or 1)


def _mark_scale(ind: IndicatorLike) -> str:
    return f"экспертная оценка от 0 до {ind.max_mark}"


def _linear_scale(ind: IndicatorLike) -> str:
    if not ind.scoring:
        return ""
    unit = _unit(ind)
    return (
        f"0{NBSP}баллов при {format_compact(ind.scoring.low)}{unit}, максимум при "
        f"{format_compact(ind.scoring.high)}{unit}, между ними линейно"
    )


def _linear_edge(ind: IndicatorLike, lower: bool) -> FullPointsEdge:
    if ind.scoring is None:
        return False, None
    return True, ind.scoring.low if lower else ind.scoring.high


def _target_scale(ind: IndicatorLike) -> str:
    if ind.target is None:
        return ""
    return f"значение / цель {format_compact(ind.target)}{_unit(ind)} (не более 1)"


def _best_scale(ind: IndicatorLike) -> str:
    return (
        "лучшее (наименьшее) значение по ОО / значение × 100"
        if ind.direction == Direction.lower_better
        else "значение / лучшее (наибольшее) значение по ОО × 100"
    )


def _registry(specs: Iterable[MethodSpec]) -> Mapping[Method, MethodSpec]:
    table: dict[Method, MethodSpec] = {}
    for spec in specs:
        if spec.method in table:
            raise RuntimeError(f"config.method_specs: two specs for the method {spec.method.value}")
        table[spec.method] = spec
    return every_method(table, "config.method_specs.SPECS")


SPECS = _registry(
    (
        MethodSpec(
            method=Method.bands,
            name="баллы по интервалам",
            kind=MethodKind.points,
            max_points=_bands_max,
            min_points=_bands_min,
            scale=_bands_scale,
            full_points_edge=_bands_edge,
        ),
        MethodSpec(
            method=Method.options,
            name="баллы за вариант",
            kind=MethodKind.points,
            max_points=_options_max,
            min_points=_options_min,
            scale=_options_scale,
            indicator_type=IndicatorType.choice,
        ),
        MethodSpec(
            method=Method.yesno,
            name="да/нет",
            kind=MethodKind.points,
            max_points=_yesno_max,
            scale=_yesno_scale,
            indicator_type=IndicatorType.yesno,
        ),
        MethodSpec(
            method=Method.mark,
            name="экспертная оценка",
            kind=MethodKind.points,
            max_points=_mark_max,
            scale=_mark_scale,
            indicator_type=IndicatorType.mark,
        ),
        MethodSpec(
            method=Method.linear,
            name="линейно между границами",
            kind=MethodKind.scaled,
            max_points=_scaled_max,
            scale=_linear_scale,
            transforms=_LOG,
            full_points_edge=_linear_edge,
        ),
        MethodSpec(
            method=Method.minmax,
            name="мин–макс по школам",
            kind=MethodKind.scaled,
            max_points=_scaled_max,
            relative=True,
            transforms=_LOG,
        ),
        MethodSpec(
            method=Method.target,
            name="доля от цели",
            kind=MethodKind.scaled,
            max_points=_scaled_max,
            scale=_target_scale,
            uses_target=True,
        ),
        MethodSpec(
            method=Method.best,
            name="доля от лучшего значения",
            kind=MethodKind.scaled,
            max_points=_scaled_max,
            scale=_best_scale,
            relative=True,
        ),
        MethodSpec(
            method=Method.zscore,
            name="z-оценка",
            kind=MethodKind.scaled,
            max_points=_scaled_max,
            relative=True,
            transforms=_LOG,
        ),
    )
)

# The method an indicator of these types gets without a ``scoring`` section.
IMPLIED_METHODS: Mapping[IndicatorType, Method] = MappingProxyType(
    {spec.indicator_type: spec.method for spec in SPECS.values() if spec.indicator_type is not None}
)


def method_spec(method: Method) -> MethodSpec:
    return SPECS[method]


def method_ru(method: Method) -> str:
    """The method's name in Russian: «баллы по интервалам»."""
    return SPECS[method].name
