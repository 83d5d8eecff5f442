"""Management decisions: what, who carries it out, by when, and on what finding — as in the seed order.

The seed order (приказ № 522) ends with items addressed to named bodies: the authority
itself, the methodological centre, heads of schools. The справка proposes the same from
the results and ``documents`` in indicators.yaml:

* the methodological centre (or whoever ``documents.measures`` names) — each system
  deficit's ``district_measure``, and for a target the territory misses, to bring the
  indicator to it; methodological support for the schools of the risk zone;
* the authority — the measures addressed to it, and the next cycle of the monitoring,
  which assesses the effect of the measures;
* heads of schools — to work through their addressed recommendations and take documented
  decisions, and to report back on them (``documents.report_back``).

Each decision carries its basis (the finding it answers), so the order drafted from it can
be checked against the справка. Words only: every fact is in :class:`Results`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Body, Direction, Indicator
from ..results import Results
from ..words.formatting import format_share
from ..words.russian import TerritoryWords, count, inflect, lower_first
from .conclusions import with_unit
from .outline import IN_RECOMMENDATIONS_APPENDIX, SECTION_RECOMMENDATIONS


@dataclass(frozen=True, slots=True)
class Decision:
    addressee: str  # who carries it out (nominative, as the config names it)
    text: str  # what to do, a sentence
    deadline: str
    basis: str  # the finding it answers


_ORDER = {Body.authority.value: 0, Body.methodical_centre.value: 1, Body.schools.value: 2}


def management_decisions(
    results: Results, territory: TerritoryWords, addressed: int, appendix: bool
) -> tuple[Decision, ...]:
    """The decisions the справка proposes, grouped by addressee (authority, centre, schools).

    ``addressed``: schools with addressed recommendations; ``appendix``: whether those are
    in an appendix (else in the body).
    """
    config = results.config
    docs = config.documents
    responsible = docs.responsible
    items: list[tuple[int, Decision]] = []

    def add(body: str, text: str, deadline: str, basis: str) -> None:
        items.append((_ORDER.get(body, 1), Decision(responsible.name(body), text, deadline, basis)))

    for code in _indicators_to_address(results):
        ind = config.indicator(code)
        plan = docs.plan(code)
        add(
            plan.responsible,
            _measure_text(ind, results),
            plan.deadline or docs.deadline,
            _basis(ind, results),
        )
    if results.risk:
        where = IN_RECOMMENDATIONS_APPENDIX if appendix else f"в разделе «{SECTION_RECOMMENDATIONS}»"
        add(
            Body.methodical_centre.value,
            f"Организовать адресное методическое сопровождение ОО зоны риска ({count(len(results.risk), 'ОО')}; "
            f"перечень и рекомендации — {where}).",
            docs.deadline,
            f"зона риска: {count(len(results.risk), 'ОО')}",
        )
    add(
        Body.authority.value,
        f"Провести следующий цикл мониторинга и оценить по нему эффективность принятых мер {territory.by} "
        "и в каждой ОО (устранение дефицитов, достижение целевых показателей).",
        "в следующем учебном году",
        "управленческий цикл: анализ эффективности принятых мер",
    )
    add(
        Body.schools.value,
        "Детально проработать результаты мониторинга и адресные рекомендации; принять документально "
        "оформленные управленческие решения по устранению выявленных дефицитов.",
        docs.deadline,
        f"адресные рекомендации: {count(addressed, 'ОО')}",
    )
    add(
        Body.schools.value,
        f"Представить в {_accusative(responsible.authority)} информацию о принятых мерах.",
        docs.report_back,
        "контроль исполнения",
    )
    items.sort(key=lambda item: item[0])  # stable: within an addressee, the order above
    return tuple(decision for _, decision in items)


def _indicators_to_address(results: Results) -> list[str]:
    """System deficits and targets missed across the territory, in config order, each once."""
    missed = {code for code, t in results.targets.items() if t.met is False}
    wanted = set(results.system_deficits) | missed
    return [ind.code for ind in results.config.indicators() if ind.code in wanted]


def _measure_text(ind: Indicator, results: Results) -> str:
    """The indicator's district measure, and bringing it to its target when the territory misses it."""
    text = (ind.district_measure or ind.measure).strip()
    target = results.targets.get(ind.code)
    if target is not None and target.met is False and "довести" not in text.lower():
        verb = "Снизить" if ind.direction == Direction.lower_better else "Довести"
        what = lower_first(inflect(ind.title, "accs"))
        closing = "," if ", " in what else ""  # a participle clause («…, прошедших …») closes before «до»
        goal = f"{verb} {what}{closing} до {with_unit(target.target, ind.unit, 0)}."
        text = f"{text} {goal}" if text else goal
    return text


def _basis(ind: Indicator, results: Results) -> str:
    parts = []
    stats = results.indicator_stats.get(ind.code)
    if stats is not None and stats.system_deficit:
        parts.append(f"системный дефицит {ind.code}: {format_share(stats.deficit_share)} ОО")
    target = results.targets.get(ind.code)
    if target is not None and target.met is False:
        parts.append(
            f"цель {ind.code} не достигнута: {with_unit(target.district, ind.unit)} при цели "
            f"{with_unit(target.target, ind.unit, 0)}"
        )
    return "; ".join(parts)


def _accusative(name: str) -> str:
    """«Представить в Управление образования», «в МКУ «…»»: the name in the accusative where it inflects."""
    return inflect(name, "accs")
