"""The «Устойчивость мест» section, a school's place interval, and ranking.xlsx's rows for them.

Words what ``analysis.uncertainty`` and ``analysis.sensitivity`` stored in
:attr:`Results.uncertainty`; computes nothing. An interval of places is shown as whole
places, rounded outwards (a 5 % quantile of 5,95 reads «от 5»), so it never looks
narrower than it is. The analysis's own warnings (an aggregation left out, too few or
too many schools) are the messages of its problems, shown in the section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..config import Aggregation, aggregation_ru
from ..results import InputEffect, PlaceRange, Results
from ..words.formatting import format_compact, format_int, format_share, plural

LIST_LIMIT = 50  # schools in the section's table (all of them are in ranking.xlsx)
REMOVAL_LIMIT = 10
GROUP_LIMIT = 40  # groups named in the section's sentence

INPUT_RU = {
    "indicators": "веса показателей",
    "subblocks": "веса вложенных блоков",
    "blocks": "веса блоков",
    "aggregation": "способ сложения баллов в итог",
}
_NOISE_RU = {"indicators": "показателей в блоке", "subblocks": "вложенных блоков", "blocks": "блоков в итоге"}


@dataclass(frozen=True, slots=True)
class PlaceRangeView:
    """One school's place over the runs, in whole places."""

    place: int
    median: float
    low: int
    high: int
    text: str  # «3–7», or «5» when every run gave one place
    stable: bool  # low == high
    group: str  # «3–7»: the places it cannot be told apart from ("" when none)
    sentence: str  # for the school's card


@dataclass(frozen=True, slots=True)
class PlaceRow:
    code: str
    name: str
    range: PlaceRangeView


@dataclass(frozen=True, slots=True)
class GroupView:
    first: int
    last: int
    count: int
    sentence: str  # «места 3–7 статистически неразличимы»
    names: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EffectView:
    input: str  # in Russian
    first_order: float | None  # share 0–1
    total: float | None
    first_order_bounds: str  # «12,0–31,5 %»
    total_bounds: str


@dataclass(frozen=True, slots=True)
class RemovalView:
    code: str
    title: str
    max_shift: int
    mean_shift: float
    moved: int
    school: str  # «0105 МБОУ …» or ""
    place_from: int
    place_to: int


@dataclass(frozen=True, slots=True)
class RobustnessView:
    ran: bool
    notes: tuple[str, ...]  # warnings of the analysis (problem messages)
    runs: int
    seed: int
    noise: str  # «веса показателей в блоке ±25 %, веса блоков в итоге ±25 %»
    schemes: str  # «как задано в файле показателей; среднее арифметическое на всех уровнях»
    mean_shift: float
    stable_count: int  # schools whose place did not move in 90 % of the runs
    schools: int
    rows: tuple[PlaceRow, ...]  # the first LIST_LIMIT, in ranking order
    rows_count: int
    intervals: tuple[PlaceRow, ...]  # every school, in ranking order (for the chart)
    groups: tuple[GroupView, ...]
    groups_sentence: (
        str  # «Места 3–7 статистически неразличимы», «Статистически неразличимы места 1–2, 3–7 и 9–12»
    )
    distinct_share: float  # %
    effects: tuple[EffectView, ...]
    effects_runs: int
    main_effect: str  # the sentence about the input that moves places most ("" when none)
    removals: tuple[RemovalView, ...]
    removals_count: int
    removal_sentence: str


def robustness_summary(results: Results) -> str:
    """Lines for ``score``'s console summary: the groups of places, or why there is no analysis."""
    from ..words.text import terminal_text

    notes = [terminal_text(p.message) for p in results.problems if p.kind.robustness_note]
    u = results.uncertainty
    if u is None:
        return "\n".join(notes)
    groups = ", ".join(f"{g.first}–{g.last}" for g in u.groups[:12]) + (" …" if len(u.groups) > 12 else "")
    line = f"Устойчивость мест ({plural(u.runs, 'пересчёт', 'пересчёта', 'пересчётов')}): " + (
        f"неразличимые места {groups}" if groups else "все соседние места различимы"
    )
    return "\n".join([line, *notes])


def whole_places(entry: PlaceRange) -> tuple[int, int]:
    """The 5–95 % interval in whole places, rounded outwards."""
    return math.floor(entry.low + 1e-9), math.ceil(entry.high - 1e-9)


def place_ranges(results: Results) -> dict[str, PlaceRangeView]:
    """School code → its place interval in words (empty when the analysis did not run)."""
    uncertainty = results.uncertainty
    if uncertainty is None:
        return {}
    group_of = {code: f"{g.first}–{g.last}" for g in uncertainty.groups for code in g.codes}
    varied = _varied(uncertainty.inputs)
    out = {}
    for entry in uncertainty.places:
        low, high = whole_places(entry)
        text = f"{low}–{high}" if high > low else str(low)
        if high > low:
            sentence = (
                f"Место {entry.place} — приблизительное: при других разумных {varied} ОО оказывается "
                f"на местах от {low} до {high}."
            )
        else:
            sentence = f"Место надёжное: при других разумных {varied} ОО остаётся на {low}-м месте."
        group = group_of.get(entry.code, "")
        if group:
            sentence += f" Места {group} надёжно различить нельзя."
        out[entry.code] = PlaceRangeView(
            entry.place, entry.median, low, high, text, high == low, group, sentence
        )
    return out


def robustness_view(results: Results, ranges: dict[str, PlaceRangeView]) -> RobustnessView | None:
    """The section's view; None when the analysis was neither run nor attempted."""
    notes = tuple(p.message for p in results.problems if p.kind.robustness_note)
    uncertainty = results.uncertainty
    if uncertainty is None:
        if not notes:
            return None
        return RobustnessView(
            False, notes, 0, 0, "", "", 0.0, 0, 0, (), 0, (), (), "", 0.0, (), 0, "", (), 0, ""
        )
    config = results.config
    names = {s.code: s.name for s in results.schools}
    rows = [PlaceRow(e.code, names.get(e.code, ""), ranges[e.code]) for e in uncertainty.places]
    effects = tuple(_effect(e) for e in uncertainty.sensitivity)
    titles = {ind.code: ind.title for ind in config.indicators()}
    removals = [
        RemovalView(
            r.code,
            titles.get(r.code, ""),
            r.max_shift,
            r.mean_shift,
            r.moved,
            f"{r.school} {names.get(r.school, '')}".strip(),
            r.place_from,
            r.place_to,
        )
        for r in uncertainty.removals
    ]
    return RobustnessView(
        ran=True,
        notes=notes,
        runs=uncertainty.runs,
        seed=uncertainty.seed,
        noise=_noise_text(uncertainty.weight_noise, uncertainty.inputs),
        schemes=_schemes_text(uncertainty.schemes),
        mean_shift=uncertainty.mean_shift,
        stable_count=sum(row.range.stable for row in rows),
        schools=len(rows),
        rows=tuple(rows[:LIST_LIMIT]),
        rows_count=len(rows),
        intervals=tuple(rows),
        groups=tuple(
            GroupView(
                g.first,
                g.last,
                len(g.codes),
                f"места {g.first}–{g.last} статистически неразличимы",
                tuple(names.get(c, c) for c in g.codes),
            )
            for g in uncertainty.groups
        ),
        groups_sentence=_groups_sentence([_span(g.first, g.last) for g in uncertainty.groups]),
        distinct_share=uncertainty.distinct_share * 100,
        effects=effects,
        effects_runs=uncertainty.sensitivity_runs,
        main_effect=_main_effect(effects),
        removals=tuple(removals[:REMOVAL_LIMIT]),
        removals_count=len(removals),
        removal_sentence=_removal_sentence(removals),
    )


def _varied(inputs: list[str]) -> str:
    """«весах показателей и способах сложения баллов»: what the recounts changed, after «при других разумных»."""
    weights = any(name in _NOISE_RU for name in inputs)
    aggregation = "aggregation" in inputs
    if weights and aggregation:
        return "весах показателей и способах сложения баллов"
    return (
        "весах показателей" if weights else "способах сложения баллов" if aggregation else "условиях подсчёта"
    )


def _noise_text(noise: dict[str, float], inputs: list[str]) -> str:
    """The weights that varied (levels with no effect, such as absent sub-blocks, are not named)."""
    parts = [f"веса {_NOISE_RU[k]} ±{format_compact(v * 100, 1)} %" for k, v in noise.items() if k in inputs]
    return ", ".join(parts) or "веса не менялись"


def _schemes_text(schemes: list[str]) -> str:
    """How the runs added the points up: as the методика says, or one of several ways."""
    if len(schemes) < 2:
        return "баллы складывались в итог так, как задано в методике"
    names = [
        "как задано в методике" if s == "configured" else f"{aggregation_ru(Aggregation(s))} на всех уровнях"
        for s in schemes
    ]
    return f"баллы складывались в итог одним из {len(names)} способов с равными шансами: " + "; ".join(names)


def _bounds(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return "—"
    return f"{format_share(max(low, 0.0))} – {format_share(max(high, 0.0))}"


def _effect(e: InputEffect) -> EffectView:
    return EffectView(
        INPUT_RU.get(e.input, e.input),
        e.first_order,
        e.total,
        _bounds(e.first_order_low, e.first_order_high),
        _bounds(e.total_low, e.total_high),
    )


def _span(first: int, last: int) -> str:
    """«4 и 5» for two neighbours, «11–14» for more."""
    return f"{first} и {last}" if last == first + 1 else f"{first}–{last}"


def _groups_sentence(spans: list[str]) -> str:
    """«Места 4 и 5; 11–14 надёжно различить нельзя» (the first 40 groups)."""
    if not spans:
        return ""
    shown = spans[:GROUP_LIMIT]
    listed = "; ".join(shown)
    more = (
        ""
        if len(shown) == len(spans)
        else f" и ещё {plural(len(spans) - len(shown), 'группу', 'группы', 'групп')}"
    )
    return f"Места {listed}{more} надёжно различить нельзя"


_OF = {  # INPUT_RU in the genitive, after «зависят от»
    "веса показателей": "весов показателей",
    "веса вложенных блоков": "весов вложенных блоков",
    "веса блоков": "весов блоков",
    "способ сложения баллов в итог": "способа сложения баллов в итог",
}


def _main_effect(effects: tuple[EffectView, ...]) -> str:
    """The inputs that move places, most first, in plain words (their shares are in ranking.xlsx)."""
    ranked = sorted((e for e in effects if e.total is not None), key=lambda e: -(e.total or 0.0))
    if not ranked:
        return ""
    names = [_OF.get(e.input, e.input) for e in ranked]
    text = f"Сильнее всего места зависят от {names[0]}"
    if len(names) > 1:
        text += ", меньше — от " + (", ".join(names[1:-1]) + " и " if len(names) > 2 else "") + names[-1]
    return text + "."


def _removal_sentence(removals: list[RemovalView]) -> str:
    if not removals or removals[0].max_shift == 0:
        return "Исключение любого одного показателя не меняет мест."
    top = removals[0]
    return (
        f"Сильнее всего места меняет исключение показателя {top.code}: ОО {top.school} переместилась бы "
        f"с {top.place_from}-го на {top.place_to}-е место; в среднем места ОО меняются на "
        f"{format_compact(top.mean_shift, 1)}, сдвигаются {format_int(top.moved)} ОО."
    )
