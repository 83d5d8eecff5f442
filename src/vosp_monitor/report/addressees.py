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

from ..results import Results, SchoolResult
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
TAIL = ["Почему названа", "Показатель", "Значение", "Оценка (из 100)"]
TERRITORY = "Муниципалитет"

_NOT_RANKED = {
    Because.excluded: "исключена из рейтинга: ошибки в форме",
    Because.missing: "не представила форму",
}


def addressee_header(sets: Sequence[DecisionSet]) -> list[str]:
    """The sheet's columns: a municipality's column only when a set is a municipality's."""
    territory = [TERRITORY] if any(s.territory for s in sets) else []
    return HEADER + territory + TAIL


def addressee_rows(results: Results, sets: Sequence[DecisionSet]) -> Iterator[list[Any]]:
    """A row per school per decision, in the order's order (set after set)."""
    schools = {s.code: s for s in results.schools}
    names = {e.code: e.name for e in results.excluded} | {e.code: e.name for e in results.not_submitted}
    territory = any(s.territory for s in sets)
    words = indicator_words(results.config, results.indicator_stats)
    for one in sets:
        numbers = item_numbers(one.decisions)
        for decision, number in zip(one.decisions, numbers, strict=True):
            roster = decision.roster
            if roster is None:
                continue
            for code in roster.codes:
                school = schools.get(code)
                name = school.name if school is not None else names.get(code, "")
                row: list[Any] = [number, roster.what, code, name]
                if territory:
                    row.append(one.territory)
                yield row + _why(results, words, roster, school)


def _why(
    results: Results, words: dict[str, IndicatorWords], roster: Roster, school: SchoolResult | None
) -> list[Any]:
    """«Почему названа», the indicator, its value and its score (or the total, for the ranking);
    the value worded as the school's letter words it («да», a choice, «35,1 %»)."""
    if school is None:  # excluded, no form, or another founder's school without a ranked form
        return [_NOT_RANKED.get(roster.why, "ОО другого учредителя"), "", None, None]
    place = f"место {format_number(school.place, 0)}, итоговый балл {format_number(school.total)}"
    if roster.why == Because.risk:
        return [f"зона риска: {place}", "итоговый балл", None, school.total]
    if roster.why == Because.leader:
        return [f"лидер рейтинга: {place}", "итоговый балл", None, school.total]
    if roster.why == Because.founder:
        return [f"ОО другого учредителя; {place}", "итоговый балл", None, school.total]
    if not roster.indicator:  # a ranked school on a form's list: not expected, said plainly
        return [_NOT_RANKED.get(roster.why, ""), "", None, None]
    config = results.config
    ind = config.indicator(roster.indicator)
    result = school.indicators[roster.indicator]
    value = value_text(result, words[ind.code], brief=True)
    score = format_number(result.score)
    if roster.why == Because.target:
        target = results.targets[ind.code].target
        why = f"не достигла цели {with_unit(target, ind.unit, 0)}: значение — {value}"
    elif roster.why == Because.deficit:
        why = f"дефицит: значение — {value}, оценка {score}"
    else:
        why = f"низкая оценка: {score} (ниже {format_number(low_score(config), 0)}); значение — {value}"
    return [why, ind.code, result.value, result.score]
