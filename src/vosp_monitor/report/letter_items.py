"""What a ranked school's letter asks of it, in terms it can act on.

A school with no deficit is thanked, and a leader invited to share its experience; nothing
is asked to be corrected. A school with deficits reads, for each, its value, the concrete
gap («ещё 1 педагог — и цель 30 % достигнута»: the numerator it lacks, counted in the words
of the indicator's numerator), the measure and its own deadline
(``documents.measures.КОД.school_deadline``); then the support the order promises it (the
items of the order that name it among the schools a district body helps: :class:`.decisions.Decision`
``schools`` and ``support``, so a letter never promises what the order does not say),
and, after a sharp fall (``dynamics.attention_fall``), a question about its cause. Words
only: every number is in :class:`Results`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Direction, Indicator, IndicatorType, Method
from ..results import IndicatorResult, Results, SchoolResult
from ..words.formatting import NBSP, format_compact, format_int, format_number
from ..words.russian import counted, lower_first
from .decisions import Decision
from .wording import IndicatorWords, value_text

_EPSILON = 1e-9
_COUNTED = re.compile(r"^\s*(?:Число|Численность|Количество)\s+([^,(—–-]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LetterDeficit:
    code: str
    title: str
    value: str  # «25,0 % (2 из 8); 2 из 3 б.»
    gap: str  # «ещё 1 педагог — и цель 30 % достигнута», "" when none can be said
    measure: str
    deadline: str


@dataclass(frozen=True, slots=True)
class Support:
    """What the order charges a district body with for this school: who, what, by when."""

    who: str
    what: str
    deadline: str


@dataclass(frozen=True, slots=True)
class LetterBody:
    strong: bool  # no deficit: thanks, nothing to correct
    leader: bool  # among the leaders: invited to share its experience
    deficits: tuple[LetterDeficit, ...]
    support: tuple[Support, ...]
    fall: str  # «с 71,6 до 52,1 (место 8 → 17)» after a sharp fall, else ""


class LetterBodies:
    """The letters' bodies of one run (the district's part gathered once)."""

    def __init__(
        self, results: Results, words: dict[str, IndicatorWords], decisions: Sequence[Decision]
    ) -> None:
        self.config = results.config
        self.words = words
        self.decisions = decisions
        self.leaders = set(results.leaders)
        dynamics = results.dynamics
        self.falls: dict[str, str] = {}
        if dynamics is not None and dynamics.followup.computed:
            changes = {c.code: c for c in dynamics.schools}
            for code in dynamics.followup.falls:
                total, place = changes[code].total, changes[code].place
                where = (
                    f" (место {format_number(place.previous, 0)} → {format_number(place.current, 0)})"
                    if place.previous is not None
                    else ""
                )
                self.falls[code] = (
                    f"с {format_number(total.previous)} до {format_number(total.current)}{where}"
                )

    def body(self, school: SchoolResult) -> LetterBody:
        config, docs = self.config, self.config.documents
        deficits = []
        for code in school.deficits:
            if code not in self.words or code not in school.indicators:
                continue
            ind, entry = config.indicator(code), school.indicators[code]
            deficits.append(
                LetterDeficit(
                    code=code,
                    title=ind.title,
                    value=_value(entry, self.words[code]),
                    gap=gap_text(ind, entry),
                    measure=ind.measure,
                    deadline=docs.plan(code).school_deadline or docs.deadline,
                )
            )
        return LetterBody(
            strong=not deficits,
            leader=school.code in self.leaders,
            deficits=tuple(deficits),
            support=self._support(school),
            fall=self.falls.get(school.code, ""),
        )

    def _support(self, school: SchoolResult) -> tuple[Support, ...]:
        """The order's items that name this school among those a district body helps."""
        return tuple(
            Support(d.addressee, d.support, d.deadline)
            for d in self.decisions
            if d.support and school.code in d.schools
        )


def _value(entry: IndicatorResult, words: IndicatorWords) -> str:
    """The value as the card words it, with the points: «25,0 % (2 из 8); 2 из 3 б.»."""
    text = value_text(entry, words)
    if entry.points is None:
        return text
    return f"{text}; {format_compact(entry.points)} из{NBSP}{format_compact(entry.max_points)} б."


def gap_text(ind: Indicator, entry: IndicatorResult) -> str:
    """How far the school is from ending the deficit, in the indicator's own things.

    A share below its target: the numerator it lacks («ещё 1 педагог — и цель 30 % достигнута»);
    a share or a count at the lowest points: what the next band needs («ещё 2 ед. — и 1 из 2 б.»);
    a choice: the next option. Nothing for a «меньше — лучше» indicator, a «да/нет» (the measure
    says it) or a scale without bands.
    """
    value = entry.value
    if value is None or entry.points is None or ind.direction != Direction.higher_better:
        return ""
    if ind.type == IndicatorType.share and entry.numerator is not None and entry.denominator:
        num, den = entry.numerator, entry.denominator
        if ind.target is not None and value < ind.target - _EPSILON:
            goal, bound = f"и цель {format_compact(ind.target)}{NBSP}% достигнута", ind.target
        else:
            step = _next_band(ind, value, entry.points)
            if step is None:
                return ""
            bound, points = step
            goal = f"и {format_compact(points)} из{NBSP}{format_compact(entry.max_points)} б."
        need = math.ceil(bound * den / 100 - num - _EPSILON)
        if need <= 0 or need > den - num:
            return ""
        return f"ещё {_things(ind, need)} — {goal}"
    if ind.type == IndicatorType.quantity:
        step = _next_band(ind, value, entry.points)
        if step is None:
            return ""
        bound, points = step
        unit = f"{NBSP}{ind.unit}" if ind.unit and ind.unit != "балл" else ""
        return (
            f"ещё {format_compact(bound - value)}{unit} — и {format_compact(points)} из{NBSP}"
            f"{format_compact(entry.max_points)} б."
        )
    if ind.type == IndicatorType.choice and ind.options:
        better = sorted((o for o in ind.options if o.points > entry.points), key=lambda o: o.points)
        if better:
            return (
                f"{lower_first(better[0].label)} — {format_compact(better[0].points)} из{NBSP}"
                f"{format_compact(entry.max_points)} б."
            )
    return ""


def _next_band(ind: Indicator, value: float, points: float) -> tuple[float, float] | None:
    """The lowest value above ``value`` that gives more points, and those points (bands only)."""
    if ind.method != Method.bands or ind.scoring is None or not ind.scoring.bands:
        return None
    steps = [
        (band.lower, band.points)
        for band in ind.scoring.bands
        if band.lower is not None and band.lower > value and band.points > points
    ]
    return min(steps) if steps else None


def _things(ind: Indicator, n: int) -> str:
    """«1 педагог», «16 обучающихся»: the numerator's things from its label, else the bare number."""
    for label in (ind.numerator or "", ind.denominator or ""):
        found = _COUNTED.match(label)
        if found:
            words = counted(n, found.group(1).strip())
            if words is not None:
                return words
    return format_int(n)
