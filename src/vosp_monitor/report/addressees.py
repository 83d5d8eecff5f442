"""The rows of ranking.xlsx's «Адресаты решений»: every school a management decision names or
counts, with the decision's item in the order and why the school is on its list.

Above ``analysis.appendix_schools`` an item of the order counts its schools («12 ОО с низкой
оценкой по показателю … (перечень — в электронной таблице рейтинга ranking.xlsx, лист
«Адресаты решений»)»), and this sheet is that перечень; below it the sheet is written too, so
the workbook has the same sheets at every size. The rows come from the decisions themselves
(:class:`~.roster.Roster`: computed once, with the справка's view) and the school's
figures from the results the workbook is written from: in a regional run the region's, with
each municipality's decisions (its set's order) and the school's place in the region.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..results import IndicatorResult, Results, SchoolResult
from ..words.formatting import format_number
from .conclusions import with_unit
from .decisions import Decision, Role
from .roster import Because, Roster, low_score
from .wording import IndicatorWords, indicator_words, value_text


@dataclass(frozen=True, slots=True)
class DecisionSet:
    """The decisions of one order: a district's, or a municipality's own set in a regional run
    (``territory``: its name), as ranking.xlsx's «Адресаты решений» lists their schools."""

    territory: str
    decisions: tuple[Decision, ...]


def item_numbers(decisions: Sequence[Decision]) -> tuple[str, ...]:
    """Each decision's item in the order (``documents``' ПРИКАЗЫВАЮ, and the «Адресаты решений»
    sheet): item 1 approves the справка; the authority's own tasks follow, an item each; then an
    item per addressee (in order of first appearance) with its decisions as sub-items «4.1»,
    «4.2»; the next monitoring after them."""
    numbers = [""] * len(decisions)
    last = 1
    for i, d in enumerate(decisions):
        if d.role.own and d.role != Role.cycle:
            last += 1
            numbers[i] = str(last)
    groups: dict[tuple[Role, str], list[int]] = {}
    for i, d in enumerate(decisions):
        if not d.role.own:
            group = groups.get((d.role, d.addressee))
            if group is None:
                last += 1
                group = groups[(d.role, d.addressee)] = [last, 0]
            group[1] += 1
            numbers[i] = f"{group[0]}.{group[1]}"
    for i, d in enumerate(decisions):
        if d.role == Role.cycle:
            last += 1
            numbers[i] = str(last)
    return tuple(numbers)


HEADER = ["Пункт приказа", "Решение", "Код ОО", "Наименование ОО"]
TAIL = ["Почему названа", "Показатель", "Значение", "Оценка (из 100)", "Место в рейтинге"]
TERRITORY = "Муниципалитет"
TOTAL = "итоговый балл"  # «Показатель» of a row for the risk zone, the leaders, another founder

_NOT_RANKED = {
    Because.excluded: "исключена из рейтинга: ошибки в форме",
    Because.missing: "не представила форму",
}
_BY_TOTAL = {
    Because.risk: "зона риска",
    Because.leader: "лидер рейтинга",
    Because.founder: "ОО другого учредителя",
}


def by_territory(sets: Sequence[DecisionSet]) -> bool:
    """Whether the sheet has a municipality's column: a set is a municipality's (a regional run)."""
    return any(s.territory for s in sets)


def addressee_header(territorial: bool) -> list[str]:
    """The sheet's columns (:func:`by_territory` says whether with «Муниципалитет»)."""
    return HEADER + ([TERRITORY] if territorial else []) + TAIL


def addressee_rows(results: Results, sets: Sequence[DecisionSet]) -> Iterator[list[Any]]:
    """A row per school per decision, in the order's order (set after set).

    «Почему названа» is the same few words for every school of a decision (an analyst filters
    the column by it); the school's own figures are in the columns after it. Worded once per
    decision, so 230 000 rows at 40 000 schools cost a lookup and a list each.
    """
    schools = {s.code: s for s in results.schools}
    names = {e.code: e.name for e in results.excluded} | {e.code: e.name for e in results.not_submitted}
    territory = by_territory(sets)
    words = indicator_words(results.config, results.indicator_stats)
    for one in sets:
        numbers = item_numbers(one.decisions)
        for decision, number in zip(one.decisions, numbers, strict=True):
            roster = decision.roster
            if roster is None:
                continue
            figures = _Figures(_reason(results, roster), roster, words.get(roster.indicator))
            for code in roster.codes:
                school = schools.get(code)
                name = school.name if school is not None else names.get(code, "")
                row: list[Any] = [number, roster.what, code, name]
                if territory:
                    row.append(one.territory)
                if school is None:  # excluded, no form, or another founder's school without a ranked form
                    row += [_NOT_RANKED.get(roster.why, "ОО другого учредителя"), "", None, None, None]
                else:
                    row += figures.of(school)
                yield row


def _reason(results: Results, roster: Roster) -> str:
    """Why the schools of ``roster`` are on it, in a few words shared by all of them: «дефицит»,
    «не достигла цели 80 %», «низкая оценка (ниже 40 из 100)», «зона риска», …"""
    if roster.why in _BY_TOTAL:
        return _BY_TOTAL[roster.why]
    if roster.why == Because.target and roster.indicator:
        ind = results.config.indicator(roster.indicator)
        return f"не достигла цели {with_unit(results.targets[ind.code].target, ind.unit, 0)}"
    if roster.why == Because.deficit:
        return "дефицит"
    if roster.why == Because.low:
        return f"низкая оценка (ниже {format_number(low_score(results.config), 0)} из 100)"
    return _NOT_RANKED.get(roster.why, "")


class _Figures:
    """A ranked school's cells from «Почему названа» on: the indicator, its value, its score and
    the school's place; for the risk zone, the leaders and another founder's school, the total."""

    def __init__(self, why: str, roster: Roster, words: IndicatorWords | None) -> None:
        self.why, self.words = why, words
        self.total = roster.why in _BY_TOTAL
        self.indicator = "" if self.total else roster.indicator

    def of(self, school: SchoolResult) -> list[Any]:
        if self.total:
            return [self.why, TOTAL, None, school.total, school.place]
        if not self.indicator:  # a ranked school on a form's list: not expected, said plainly
            return [self.why, "", None, None, school.place]
        result = school.indicators[self.indicator]
        return [self.why, self.indicator, self.value(result), result.score, school.place]

    def value(self, result: IndicatorResult) -> float | str | None:
        """The value as a number where it is one (a share in %, a count), so the column sorts;
        worded as the school's letter words it where a number would say nothing: «да», a
        choice, «не применяется», a value with too little data behind it."""
        words = self.words
        assert words is not None
        plain = result.value is not None and result.status != "not_applicable" and not result.small
        if plain and not words.yesno and not words.options:
            return result.value
        return value_text(result, words, brief=True)
