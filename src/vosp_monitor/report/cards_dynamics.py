"""A school card's «Прошлый год / Изменение»: the school against its own last year.

What a school most wants to know after a year of measures: each indicator's value last
year beside this year's with the change (two columns of the card's indicator table),
its total, blocks, place and level then and now, and which of last year's deficits it
closed, which persist and which are new (the card's «Сравнение с …» part). Worded from
:class:`~vosp_monitor.results.SchoolChange` (computed by ``dynamics``), prepared once
per run (:class:`DynamicsCards`): two cells per indicator row keep thousands of cards
fast, where a second table of every indicator would double their rendering.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Indicator
from ..results import Change, Link, Results, SchoolChange, SchoolResult, Trend
from ..words.formatting import format_number
from .wording import IndicatorWords
from .wording_dynamics import (
    TREND_WORDS,
    change_text,
    link_text,
    place_text,
    school_value_text,
    short_year,
    signed_change,
)

MARKS = {Trend.better: "лучше", Trend.worse: "хуже"}  # stable and incomparable changes carry no mark
MARK_CLASSES = {Trend.better: "ok", Trend.worse: "warn"}
NOT_MEASURED = "не измерялся"
NOT_COMPARABLE = "несопоставимо"


@dataclass(frozen=True, slots=True)
class ScoreRow:
    title: str
    previous: str
    current: str
    change: str
    trend: str
    trend_key: str


@dataclass(frozen=True, slots=True)
class LastYearValue:
    """The two cells an indicator row gets: last year's value and the change."""

    previous: str
    change: str
    mark: str  # «лучше», «хуже» or ""
    mark_class: str  # the mark's CSS class: «ok», «warn» or ""
    trend_key: str


@dataclass(frozen=True, slots=True)
class DeficitRef:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class CardDynamics:
    previous: str  # the year compared with, «2024/2025»
    current: str
    link: str  # «В 2024/2025 — код 0126», a merger, or ""
    new: bool  # no predecessor: nothing to compare
    incomparable: str  # why the total, place and level are not compared ("" when they are)
    total: ScoreRow
    place: str  # «12 → 9»
    level: str  # «средний → высокий»
    blocks: tuple[ScoreRow, ...]
    values: dict[str, LastYearValue]  # indicator code → its two cells
    closed: tuple[DeficitRef, ...]
    persisting: tuple[DeficitRef, ...]
    new_deficits: tuple[DeficitRef, ...]


def _score_row(title: str, change: Change) -> ScoreRow:
    return ScoreRow(
        title,
        format_number(change.previous),
        format_number(change.current),
        signed_change(change),
        TREND_WORDS[change.trend],
        change.trend.value,
    )


class DynamicsCards:
    """The «Прошлый год» part of every card of one run."""

    def __init__(self, results: Results, words: dict[str, IndicatorWords]) -> None:
        dynamics = results.dynamics
        assert dynamics is not None
        config = results.config
        self.words = words
        self.previous = short_year(dynamics.previous)
        self.previous_label = dynamics.previous
        self.current = short_year(dynamics.years[-1].label)
        self.changes = {c.code: c for c in dynamics.schools}
        self.titles = {b.id: b.title for b in config.all_blocks()}
        comparable = {code for code, item in dynamics.indicators.items() if item.values_comparable}
        self.rows: list[tuple[Indicator, IndicatorWords, LastYearValue | None]] = []
        for ind in config.indicators():
            if ind.code in comparable:
                fixed = None  # worded school by school
            elif ind.code in dynamics.indicators:
                fixed = LastYearValue(NOT_COMPARABLE, "—", "", "", Trend.incomparable.value)
            else:
                fixed = LastYearValue(NOT_MEASURED, "—", "", "", Trend.incomparable.value)
            self.rows.append((ind, words[ind.code], fixed))
        self.missing = LastYearValue("—", "—", "", "", Trend.incomparable.value)
        # Counts, choices and yes/no answers repeat from school to school: each worded once.
        self.worded: dict[  # (code, last year's value and parts, this year's value, trend)
            tuple[str, float, float | None, float | None, float | None, Trend], LastYearValue
        ] = {}
        self.empty = ScoreRow("Итоговый балл", "—", "—", "—", TREND_WORDS[Trend.incomparable], "incomparable")

    def card(self, school: SchoolResult) -> CardDynamics:
        change = self.changes.get(school.code)
        if change is None:
            return CardDynamics(
                self.previous, self.current, "", True, "", self.empty, "—", "—", (), {}, (), (), ()
            )
        link = link_text(change, self.previous_label)
        if change.link == Link.merged:
            incomparable = "ОО образована объединением нескольких ОО"
        elif change.total.trend == Trend.incomparable:
            incomparable = "изменилась методика оценки"
        else:
            incomparable = ""
        return CardDynamics(
            previous=self.previous,
            current=self.current,
            link=link[:1].upper() + link[1:],
            new=False,
            incomparable=incomparable,
            total=_score_row("Итоговый балл", change.total),
            place=place_text(change),
            level=f"{change.level.previous} → {school.level}" if change.level.previous else "—",
            blocks=tuple(
                _score_row(self.titles.get(block_id, block_id), block)
                for block_id, block in change.blocks.items()
            ),
            values=self._values(change, school),
            closed=self._refs(change.closed),
            persisting=self._refs(change.persisting),
            new_deficits=self._refs(change.new),
        )

    def _values(self, change: SchoolChange, school: SchoolResult) -> dict[str, LastYearValue]:
        out = {}
        found = change.values
        now = school.indicators
        worded = self.worded
        for ind, words, fixed in self.rows:
            code = ind.code
            if fixed is not None:
                out[code] = fixed
                continue
            before = found.get(code)
            if before is None or before.previous is None:
                out[code] = self.missing
                continue
            current = now[code].value if code in now and before.change is not None else None
            key = (code, before.previous, before.numerator, before.denominator, current, before.trend)
            value = worded.get(key)
            if value is None:
                value = LastYearValue(
                    previous=school_value_text(
                        ind, words, before.previous, before.numerator, before.denominator
                    ),
                    change=change_text(ind, current, before.previous, district=False),
                    mark=MARKS.get(before.trend, ""),
                    mark_class=MARK_CLASSES.get(before.trend, ""),
                    trend_key=before.trend.value,
                )
                if len(worded) < 200_000:
                    worded[key] = value
            out[code] = value
        return out

    def _refs(self, codes: list[str]) -> tuple[DeficitRef, ...]:
        return tuple(DeficitRef(code, self.words[code].title) for code in codes if code in self.words)
