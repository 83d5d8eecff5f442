"""A school card's «Прошлый год / Изменение»: the school against its own last year.

What a school most wants to know after a year of measures: its total, place and level
then and now, each block and each indicator last year beside this year with the change,
and which of last year's deficits it closed, which persist and which are new. Worded
from :class:`~vosp_monitor.results.SchoolChange` (computed by ``dynamics``), prepared
once per run (:class:`DynamicsCards`), so thousands of cards stay linear.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import Change, Link, Results, SchoolChange, SchoolResult, Trend
from .formatting import format_number
from .view_dynamics import TREND_WORDS, change_text, link_text, school_value_text, short_year, signed
from .wording import IndicatorWords, value_text


@dataclass(frozen=True, slots=True)
class ChangeRow:
    code: str
    title: str
    previous: str
    current: str
    change: str
    trend: str
    trend_key: str


@dataclass(frozen=True, slots=True)
class DeficitRef:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class CardDynamics:
    previous: str  # the year compared with, «2024/2025»
    current: str
    link: str  # «в 2024/2025 — код 0126», a merger, or ""
    new: bool  # no predecessor: nothing to compare
    incomparable: str  # why the total, place and level are not compared ("" when they are)
    total: ChangeRow
    place: str  # «12 → 9»
    level: str  # «средний → высокий»
    blocks: tuple[ChangeRow, ...]
    indicators: tuple[ChangeRow, ...]
    closed: tuple[DeficitRef, ...]
    persisting: tuple[DeficitRef, ...]
    new_deficits: tuple[DeficitRef, ...]


def _score_row(code: str, title: str, change: Change) -> ChangeRow:
    return ChangeRow(
        code,
        title,
        format_number(change.previous),
        format_number(change.current),
        signed(change.change),
        TREND_WORDS[change.trend],
        change.trend.value,
    )


class DynamicsCards:
    """The «Прошлый год» part of every card of one run (None without a comparison)."""

    def __init__(self, results: Results, words: dict[str, IndicatorWords]) -> None:
        dynamics = results.dynamics
        assert dynamics is not None
        self.config = results.config
        self.words = words
        self.previous = short_year(dynamics.previous)
        self.previous_label = dynamics.previous
        self.current = short_year(dynamics.years[-1].label)
        self.changes = {c.code: c for c in dynamics.schools}
        self.titles = {b.id: b.title for b in self.config.all_blocks()}
        self.codes = [ind.code for ind in self.config.indicators() if ind.code in dynamics.indicators]

    def card(self, school: SchoolResult) -> CardDynamics:
        change = self.changes.get(school.code)
        empty = ChangeRow(
            "",
            "Итоговый балл",
            "—",
            format_number(school.total),
            "—",
            TREND_WORDS[Trend.incomparable],
            "incomparable",
        )
        if change is None:
            return CardDynamics(
                self.previous, self.current, "", True, "", empty, "—", "—", (), (), (), (), ()
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
            total=_score_row("", "Итоговый балл", change.total),
            place=(
                f"{format_number(change.place.previous, 0)} → {format_number(change.place.current, 0)}"
                if change.place.previous is not None
                else "—"
            ),
            level=f"{change.level.previous} → {school.level}" if change.level.previous else "—",
            blocks=tuple(
                _score_row(block_id, self.titles.get(block_id, block_id), block)
                for block_id, block in change.blocks.items()
            ),
            indicators=self._indicators(school, change),
            closed=self._refs(change.closed),
            persisting=self._refs(change.persisting),
            new_deficits=self._refs(change.new),
        )

    def _indicators(self, school: SchoolResult, change: SchoolChange) -> tuple[ChangeRow, ...]:
        rows = []
        for code in self.codes:
            ind, words = self.config.indicator(code), self.words[code]
            before = change.values.get(code)
            now = value_text(school.indicators.get(code), words)
            if before is None or before.previous is None:
                rows.append(
                    ChangeRow(code, ind.title, "—", now, "—", TREND_WORDS[Trend.incomparable], "incomparable")
                )
                continue
            rows.append(
                ChangeRow(
                    code=code,
                    title=ind.title,
                    previous=school_value_text(
                        ind, words, before.previous, before.numerator, before.denominator
                    ),
                    current=now,
                    change=change_text(ind, before.change, district=False),
                    trend=TREND_WORDS[before.trend],
                    trend_key=before.trend.value,
                )
            )
        return tuple(rows)

    def _refs(self, codes: list[str]) -> tuple[DeficitRef, ...]:
        return tuple(DeficitRef(code, self.words[code].title) for code in codes if code in self.words)
