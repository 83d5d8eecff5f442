"""The written conclusions: the facts ``analysis.conclusions`` chose, composed into Russian sentences.

The main findings open the справка; each top-level block gets its commentary in the
results section; each target its verdict. Every sentence states a fact the results carry
and names its size («разница 46,1 балла», «на 2,2 п. п. ниже цели»); a comparison that is
not notable (below ``analysis.notable_difference``) is said to be one of near equals, never
a ranking. Numbers agree with their nouns (:mod:`russian`), units keep a no-break space,
and the sentences are plain text, so HTML, Markdown and Word documents print the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config, Indicator
from ..results import Change, Dynamics, GroupGap, IndicatorStats, Results, Standing, TargetStats
from ..words.formatting import NBSP, format_compact, format_number, format_share, printed_difference
from ..words.russian import TerritoryWords, amount, count, count_of, inflect, lower_first, pick, verb
from .causes import CausesView, block_sentence, cause_note, causes_view, risk_sentence
from .outline import (
    IN_RECOMMENDATIONS_APPENDIX,
    SECTION_DECISIONS,
    SECTION_RECOMMENDATIONS,
    SECTION_RISK,
    SECTION_TARGETS,
)
from .rows import SchoolRow

FINDING_NAMES = 5  # schools of the risk zone the main findings name


@dataclass(frozen=True, slots=True)
class BlockNote:
    id: str
    title: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Written:
    findings: tuple[str, ...]  # «Основные выводы», in order
    blocks: tuple[BlockNote, ...]  # commentary per top-level block
    targets: dict[str, tuple[str, ...]]  # indicator code → verdict sentences
    causes: CausesView  # what the schools behind the weak results share


def points(value: float) -> str:
    """A difference of scores: «13,6 балла»."""
    return amount(value, 1, "балл", "балла", "баллов")


def with_unit(value: float | None, unit: str, decimals: int = 1) -> str:
    """«77,8 %», «5 ед.»: the value, a no-break space and the unit (none for «балл»)."""
    text = format_number(value, decimals) if decimals else format_compact(value)
    return f"{text}{NBSP}{unit}" if unit and unit != "балл" and value is not None else text


def write_conclusions(
    results: Results, territory: TerritoryWords, weakest: Sequence[SchoolRow], limit: int
) -> Written:
    """All written conclusions of the справка. ``weakest``: the risk zone, weakest first."""
    config = results.config
    titles = {b.id: b.title for b in config.all_blocks()}
    facts = results.conclusions
    causes = causes_view(results)
    findings = [_participation(results), _totals(results)]
    if facts.strongest_block:
        findings.append(_blocks(results, titles))
    findings.append(" ".join(_gap(config, gap, "итоговый балл") for gap in facts.total_gaps))
    targets = {
        code: _target(config.indicator(code), t, results, territory) for code, t in results.targets.items()
    }
    findings.append(_targets_summary(results, territory))
    findings.append(_systemic(results, territory))
    findings.append(_weakest(results))
    findings.append(f"{_risk(results, weakest, limit)} {risk_sentence(config, results)}".strip())
    findings.append(cause_note(config, facts.cause) if facts.cause else "")
    findings.append(_leaders(results, causes.leaders.note if causes.leaders else ""))
    findings.append(_since_last_year(results))
    findings.append(causes.limits)
    notes = tuple(
        BlockNote(b.id, titles[b.id], _block_note(config, b.id, results))
        for b in facts.blocks
        if b.mean is not None
    )
    return Written(tuple(s for s in findings if s), notes, targets, causes)


def _targets_summary(results: Results, territory: TerritoryWords) -> str:
    """Every target in one sentence: met or not across the territory, and who still misses it."""
    parts = []
    for code, target in results.targets.items():
        ind = results.config.indicator(code)
        missed = len(target.missed)
        if target.district is None:
            continue
        value = with_unit(target.district, ind.unit)
        goal = with_unit(target.target, ind.unit, 0)
        above = (
            target.district >= target.target
            if not target.lower_is_better
            else target.district > target.target
        )
        gap = f"на {_difference(ind, target.district, target.target)} {'выше' if above else 'ниже'}"
        if target.met:
            part = f"{code} — достигнута ({value} при цели {goal}, {gap})"
            if missed:
                part += f", но её не {pick(missed, 'достигла', 'достигли')} {count(missed, 'ОО')}"
        else:
            reached = len(target.reached)
            part = (
                f"{code} — не достигнута ({value} при цели {goal}, {gap}; "
                f"{pick(reached, 'достигла', 'достигли')} {count(reached, 'ОО')} из "
                f"{format_number(reached + missed, 0)})"
            )
        parts.append(part)
    return f"Целевые показатели {territory.by}: {'; '.join(parts)}." if parts else ""


def _weakest(results: Results) -> str:
    """The weakest indicators by mean score, with the section that answers them."""
    weakest = results.conclusions.weakest
    if not weakest:
        return ""
    config = results.config
    named = ", ".join(
        f"{s.code} «{config.indicator(s.code).title}» ({'средняя оценка ' if not k else ''}{format_number(s.score, 1)})"
        for k, s in enumerate(weakest)
    )
    return (
        f"Самые низкие средние оценки — у {pick(len(weakest), 'показателя', 'показателей')} {named}; "
        f"где они сосредоточены и решения по ним — в разделе «{SECTION_DECISIONS}»."
    )


def _leaders(results: Results, note: str) -> str:
    by_code = {s.code: s for s in results.schools}
    leaders = [by_code[c] for c in results.leaders[:FINDING_NAMES] if c in by_code]
    if not leaders:
        return ""
    named = "; ".join(f"{s.name} — {format_number(s.total, 1)}" for s in leaders)
    more = len(results.leaders) - len(leaders)
    text = f"Лидеры рейтинга: {named}" + (f" и ещё {count(more, 'ОО')}" if more > 0 else "") + "."
    return f"{text} {note}".strip()


def _since_last_year(results: Results) -> str:
    """What changed since the previous year, when one was given (``score --previous``)."""
    from ..results.dynamics import Trend
    from .wording_dynamics import short_year

    dynamics = results.dynamics
    if dynamics is None:
        return ""
    then, total = short_year(dynamics.previous), dynamics.total
    if total.change is None or total.previous is None or total.current is None:
        text = f"Итоговые баллы с {then} несопоставимы: изменилась методика; сопоставимые показатели сравнены"
    elif total.trend == Trend.stable:
        text = (
            f"По сравнению с {then} средний итоговый балл существенно не изменился "
            f"({format_number(total.previous, 1)} → {format_number(total.current, 1)})"
        )
    else:
        text = f"По сравнению с {then} {_total_moved(dynamics, total)}"
    effect = dynamics.effect
    if effect.recommended:
        text += (
            f"; из {count_of(effect.recommended, 'дефицит')} прошлого года, по которым ОО давались рекомендации, "
            f"{pick(effect.closed, 'устранён', 'устранены')} {format_number(effect.closed, 0)}, "
            f"{pick(effect.persisting, 'сохраняется', 'сохраняются')} {format_number(effect.persisting, 0)}; "
            f"новых — {format_number(effect.new, 0)}"
        )
    return text + " (раздел «Динамика и эффективность принятых мер»)."


def _total_moved(dynamics: Dynamics, total: Change) -> str:
    """«средний итоговый балл … вырос с 64,8 до 70,3»: on the schools ranked in both years
    when the list of schools changed (a mean over other schools is no change of theirs)."""
    matched = dynamics.followup.composition
    changed = matched.new or matched.gone or matched.matched != len(dynamics.schools)
    if changed and matched.matched and matched.previous is not None and matched.current is not None:
        moved = "вырос" if matched.current > matched.previous else "снизился"
        return (
            f"средний итоговый балл {matched.matched} ОО, участвовавших в рейтинге в оба года, {moved} "
            f"с {format_number(matched.previous, 1)} до {format_number(matched.current, 1)}"
        )
    moved = "вырос" if (total.change or 0) > 0 else "снизился"
    return f"средний итоговый балл {moved} с {format_number(total.previous, 1)} до {format_number(total.current, 1)}"


def _participation(results: Results) -> str:
    submitted = len(results.schools) + len(results.excluded)
    text = f"В мониторинге {verb(submitted, 'участвовала')} {count(submitted, 'общеобразовательная организация')}"
    if results.expected_count:
        text += f" из {format_number(results.expected_count, 0)} по реестру ({format_share(submitted / results.expected_count)})"
    ranked, excluded, missing = len(results.schools), len(results.excluded), len(results.not_submitted)
    text += f"; в рейтинг {pick(ranked, 'включена', 'включены')} {count(ranked, 'ОО')}"
    if excluded:
        text += f", {count(excluded, 'ОО')} {pick(excluded, 'исключена', 'исключены')} до исправления ошибок в формах"
    if missing:
        text += f"; форму не {pick(missing, 'представила', 'представили')} {count(missing, 'ОО')} из реестра"
    return text + "."


def _totals(results: Results) -> str:
    total = results.total_stats
    n = len(results.schools) or 1
    levels = [
        f"«{level.label}» — у {count(results.level_counts.get(level.label, 0), 'ОО')} "
        f"({format_share(results.level_counts.get(level.label, 0) / n)})"
        for level in reversed(results.config.scoring.levels)
    ]
    return (
        f"Средний итоговый балл — {format_number(total.mean, 1)} из 100 (медиана {format_number(total.median, 1)}, "
        f"от {format_number(total.min, 1)} до {format_number(total.max, 1)}). Уровень {', '.join(levels)}."
    )


def _blocks(results: Results, titles: dict[str, str]) -> str:
    facts = results.conclusions
    means = {b.id: b.mean for b in facts.blocks if b.mean is not None}
    high, low = facts.strongest_block, facts.weakest_block
    if not facts.blocks_notable:
        return (
            f"Средние оценки блоков близки: от {format_number(means[low], 1)} до {format_number(means[high], 1)} "
            f"из 100 (разница меньше {points(facts.notable_difference)})."
        )
    return (
        f"Выше всего средняя оценка блока «{titles[high]}» ({format_number(means[high], 1)} из 100), ниже всего — "
        f"блока «{titles[low]}» ({format_number(means[low], 1)}): разница "
        f"{points(printed_difference(means[high], means[low]))}."
    )


def _by_field(config: Config, key: str) -> str:
    """«По типу ОО» from the field «Тип ОО»; «По полю «X»» when the label does not inflect."""
    label = config.field(key).label
    dative = inflect(label, "datv")
    return f"По {lower_first(dative)}" if dative != label else f"По полю «{label}»"


def _gap(config: Config, gap: GroupGap, what: str) -> str:
    """One group field's highest and lowest group, with the size of the gap (or near equality)."""
    where = _by_field(config, gap.key)
    high = f"«{gap.high}» — {format_number(gap.high_mean, 1)} ({count(gap.high_count, 'ОО')})"
    low = f"«{gap.low}» — {format_number(gap.low_mean, 1)} ({count(gap.low_count, 'ОО')})"
    size = points(printed_difference(gap.high_mean, gap.low_mean))
    if not gap.notable:
        return f"{where} {what} групп почти не различается: {high}, {low} (разница {size})."
    return f"{where} {what} выше всего в группе {high}, ниже всего — в группе {low}: разница {size}."


def _block_note(config: Config, block_id: str, results: Results) -> tuple[str, ...]:
    fact = next(b for b in results.conclusions.blocks if b.id == block_id)
    sentences = [f"Средняя оценка блока — {format_number(fact.mean, 1)} из 100."]
    if fact.strongest and fact.weakest:

        def named(items: Sequence[Standing]) -> str:
            return ", ".join(f"{s.code} «{config.indicator(s.code).title}»" for s in items)

        top, bottom = fact.strongest[0].score, fact.weakest[0].score

        def by(items: Sequence[Standing]) -> str:
            return f"{pick(len(items), 'показателю', 'показателям')} {named(items)}"

        if fact.notable:
            sentences.append(
                f"Сильнее всего результаты по {by(fact.strongest)} (средняя оценка {format_number(top, 1)}), "
                f"слабее всего — по {by(fact.weakest)} ({format_number(bottom, 1)})."
            )
        else:
            sentences.append(
                f"Результаты по показателям блока близки: средние оценки от {format_number(bottom, 1)} "
                f"до {format_number(top, 1)}."
            )
    sentences += [_gap(config, gap, "оценка блока") for gap in fact.gaps]
    sentences.append(block_sentence(config, results, block_id))
    return tuple(s for s in sentences if s)


def _difference(ind: Indicator, value: float, target: float) -> str:
    """How far the district's value (printed to a tenth) is from the target (printed as
    ``format_compact``, up to hundredths), as a reader subtracts the two."""
    unit = "п.\u00a0п." if ind.unit == "%" else ind.unit
    places = max(1, len(format_compact(target).partition(",")[2]))
    gap = abs(printed_difference(value, target, 1, earlier_decimals=places))
    return with_unit(gap, unit if unit != "балл" else "", places)


def _target(
    ind: Indicator, target: TargetStats, results: Results, territory: TerritoryWords
) -> tuple[str, ...]:
    """The verdict on one target, and why it can be systemic while met across the territory."""
    stats: IndicatorStats = results.indicator_stats[ind.code]
    goal = f"{'не более' if target.lower_is_better else 'не менее'} {with_unit(target.target, ind.unit, 0)}"
    kind = "сводное значение" if target.kind == "pooled" else "среднее по ОО"
    counted = len(target.reached) + len(target.missed)
    reached = f"цели {pick(len(target.reached), 'достигла', 'достигли')} {count(len(target.reached), 'ОО')} из {format_number(counted, 0)}"
    if target.district is None:
        return (f"{ind.code}: цель — {goal}; {reached}.",)
    value = with_unit(target.district, ind.unit)
    above = (
        (target.district >= target.target)
        if not target.lower_is_better
        else (target.district > target.target)
    )
    side = "выше" if above else "ниже"
    gap = _difference(ind, target.district, target.target)
    state = "достигнута" if target.met else "не достигнута"
    verdict = f"цель {territory.by} {state} ({kind} {value}, на {gap} {side} цели)"
    sentences = [f"{ind.code} «{ind.title}» (цель — {goal}): {verdict}; {reached}."]
    if target.met and stats.system_deficit:
        share = format_share(len(target.missed) / counted) if counted else "—"
        sentences.append(
            f"При этом цели не {pick(len(target.missed), 'достигла', 'достигли')} {count(len(target.missed), 'ОО')} ({share}) — "
            f"больше порога системного дефицита ({format_compact(results.config.analysis.system_deficit_share * 100, 1)}{NBSP}%), "
            f"поэтому дефицит {ind.code} системный."
        )
    return tuple(sentences)


def _systemic(results: Results, territory: TerritoryWords) -> str:
    codes = [c for c in results.system_deficits if results.config.has_indicator(c)]
    if not codes:
        return "Системных дефицитов не выявлено."
    shares = ", ".join(f"{c} ({format_share(results.indicator_stats[c].deficit_share)} ОО)" for c in codes)
    limit = f"{format_compact(results.config.analysis.system_deficit_share * 100, 1)}{NBSP}%"
    text = (
        f"{pick(len(codes), 'Выявлен', 'Выявлено')} {count(len(codes), 'системный дефицит')} "
        f"(дефицит более чем у {limit} ОО): {shares}; управленческие решения по ним — в разделе «{SECTION_DECISIONS}»."
    )
    met = results.conclusions.systemic_with_target_met
    if met:
        text += (
            f" У {', '.join(met)} цель {territory.by} достигнута, но её не достигли более "
            f"{limit} ОО — поэтому дефицит системный (пояснение — в разделе «{SECTION_TARGETS}»)."
        )
    return text


def _risk(results: Results, weakest: Sequence[SchoolRow], limit: int) -> str:
    """The risk zone in one sentence: its size and the weakest few by name, and where all are."""
    n = len(weakest)
    if not n:
        return "ОО в зоне риска нет."
    named = "; ".join(f"{r.name} — {format_number(r.total, 1)}" for r in weakest[:FINDING_NAMES])
    text = f"В зоне риска — {count(n, 'ОО')}"
    if n <= FINDING_NAMES:
        return f"{text}: {named} (от слабых к сильным); адресные рекомендации им — в разделе «{SECTION_RECOMMENDATIONS}»."
    if n > limit:
        where = f"{IN_RECOMMENDATIONS_APPENDIX}, с адресными рекомендациями"
    else:
        where = f"в разделе «{SECTION_RISK}», рекомендации им — в разделе «{SECTION_RECOMMENDATIONS}»"
    return f"{text}; самые слабые: {named}. Все {format_number(n, 0)} — {where}."
