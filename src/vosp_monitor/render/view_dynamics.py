"""The «Динамика и эффективность принятых мер» section: the comparison in rows and words.

Everything here is in :class:`~vosp_monitor.results.Dynamics`, computed once by
``dynamics``; this module selects it, orders it for reading and words it: values in
their units («32,9 %», «да», a choice's label), changes with a sign and a unit
(«+5,9 п.п.»), trends («улучшение», «без существенных изменений», «несопоставимо») and
why a figure is not comparable. Lists of schools are capped (the complete list is the
«Динамика» sheet of ranking.xlsx); nothing below the threshold is ever listed as a rise
or a fall.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config, Indicator, IndicatorType
from ..results import (
    Absence,
    Change,
    Dynamics,
    Effect,
    IndicatorResult,
    LevelMoves,
    Link,
    Results,
    SchoolChange,
    Trend,
    YearPoint,
)
from .formatting import NBSP, format_compact, format_number, format_percent
from .rows import SchoolRow
from .wording import IndicatorWords, value_text

LIMIT = 20  # schools per list of the largest rises and falls
TREND_WORDS = {
    Trend.better: "улучшение",
    Trend.worse: "ухудшение",
    Trend.stable: "без существенных изменений",
    Trend.incomparable: "несопоставимо",
}
REASON_WORDS = {
    "type": "изменился тип показателя",
    "scoring": "изменилась шкала баллов",
    "direction": "изменилось направление («больше — лучше» / «меньше — лучше»)",
    "missing": "изменилось правило для незаполненного значения",
    "denominator": "изменился знаменатель",
    "block": "показатель перенесён в другой блок",
    "relative": "оценка относительная (по другим школам того же года): сравниваются только значения",
    "target": "изменилась цель",
    "weight": "изменился вес",
}
ABSENCE_WORDS = {
    Absence.excluded: "исключена из рейтинга в этом году",
    Absence.not_submitted: "не представила форму в этом году",
    Absence.absent: "нет в данных этого года (закрыта, реорганизована или сменила код, не указанный в таблице соответствия кодов)",
}
_YEARS = re.compile(r"\d{4}(?:\s*[/–-]\s*\d{2,4})?")


def short_year(label: str) -> str:
    """«2024/2025 учебный год» → «2024/2025» (for column headers and chart axes)."""
    found = _YEARS.search(label)
    return found.group(0).replace(" ", "") if found else label


def signed(value: float | None, decimals: int = 1, unit: str = "") -> str:
    """«+5,9 п.п.», «−2,0», «0,0» (no sign for zero); «—» for None."""
    if value is None:
        return "—"
    text = format_number(value, decimals)
    if not text.startswith("−") and text.strip("0,") != "":
        text = "+" + text
    return f"{text}{NBSP}{unit}" if unit else text


def _percent_kind(ind: Indicator) -> bool:
    return ind.type in (IndicatorType.share, IndicatorType.percent)


def district_text(ind: Indicator, value: float | None) -> str:
    """A district value (pooled share, or the mean) in the indicator's terms."""
    if value is None:
        return "—"
    if _percent_kind(ind):
        return format_percent(value)
    if ind.type == IndicatorType.yesno:
        return f"«да» — {format_percent(value * 100)}"
    if ind.type in (IndicatorType.choice, IndicatorType.mark):
        top = ind.max_points if ind.type == IndicatorType.choice else float(ind.max_mark or 1)
        return f"{format_number(value, 2)} из {format_compact(top)}"  # a tenth of a point is a lot here
    unit = f"{NBSP}{ind.unit}" if ind.unit and ind.unit != "балл" else ""
    return f"{format_compact(value, 1)}{unit}"


def change_text(ind: Indicator, delta: float | None, *, district: bool = True) -> str:
    """A change of an indicator's value with its unit: п.п. for percentages, points, units."""
    if delta is None:
        return "—"
    if _percent_kind(ind):
        return signed(delta, 1, "п.п.")
    if ind.type == IndicatorType.yesno:
        if district:
            return signed(delta * 100, 1, "п.п.")
        return "стало «да»" if delta > 0 else "стало «нет»" if delta < 0 else "без изменений"
    if ind.type in (IndicatorType.choice, IndicatorType.mark):
        return signed(delta, 2 if district else 0, "б.")
    unit = ind.unit if ind.unit and ind.unit != "балл" else ""
    return signed(delta, 1 if district or not float(delta).is_integer() else 0, unit)


def school_value_text(
    ind: Indicator, words: IndicatorWords, value: float, numerator: float | None, denominator: float | None
) -> str:
    """Last year's value of a school, worded as this year's is (``wording.value_text``)."""
    entry = IndicatorResult(ind.code, value, value, ind.max_points, None, "ok", numerator, denominator)
    return value_text(entry, words)


@dataclass(frozen=True, slots=True)
class Cell:
    value: float | None
    text: str
    breaks: bool  # not comparable with the year before it


@dataclass(frozen=True, slots=True)
class SeriesRow:
    title: str
    cells: tuple[Cell, ...]  # one per year
    change: str  # against last year
    trend: str  # TREND_WORDS
    trend_key: str  # Trend value, for a CSS class


@dataclass(frozen=True, slots=True)
class LevelRow:
    label: str
    index: int
    previous: int
    current: int
    change: str


@dataclass(frozen=True, slots=True)
class TargetRow:
    code: str
    title: str
    unit: str
    cells: tuple[Cell, ...]  # district value per year
    targets: tuple[float | None, ...]  # each year's target
    met: tuple[bool | None, ...]
    verdict: str


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    code: str
    title: str
    previous: str
    current: str
    change: str
    trend: str
    trend_key: str
    median: str  # «16,3 % (+3,0 п.п.)»
    deficits: str  # «22 → 8»
    note: str  # why points (or values) are not comparable


@dataclass(frozen=True, slots=True)
class EffectRow:
    code: str
    title: str
    recommended: int
    closed: int
    persisting: int
    new: int
    closed_share: float | None  # 0–1
    system: str  # «был системным, остаётся» …


@dataclass(frozen=True, slots=True)
class SchoolMove:
    row: SchoolRow
    previous: float | None
    change: str
    place: str  # «12 → 9»


@dataclass(frozen=True, slots=True)
class LinkRow:
    row: SchoolRow
    text: str


@dataclass(frozen=True, slots=True)
class GoneRow:
    code: str
    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class DynamicsView:
    previous: str
    current: str
    years: tuple[str, ...]  # short labels, oldest first
    year_labels: tuple[str, ...]
    min_change: float
    min_relative_change: float
    comparable_total: bool
    added: tuple[tuple[str, str], ...]  # (code, title)
    removed: tuple[tuple[str, str], ...]
    changed: tuple[tuple[str, str, str], ...]  # (code, title, reasons in words)
    blocks_incomparable: tuple[str, ...]  # block titles
    district: tuple[SeriesRow, ...]  # the total, then the top-level blocks
    levels: tuple[LevelRow, ...]  # highest first; empty when levels are not comparable
    level_moves: LevelMoves
    targets: tuple[TargetRow, ...]
    indicators: tuple[IndicatorRow, ...]
    effect: tuple[EffectRow, ...]
    effect_total: Effect
    effect_share: float | None
    improved: tuple[SchoolMove, ...]
    improved_count: int
    declined: tuple[SchoolMove, ...]
    declined_count: int
    stable: int
    compared: int  # schools of this year with a predecessor
    new_schools: tuple[SchoolRow, ...]
    gone_schools: tuple[GoneRow, ...]
    links: tuple[LinkRow, ...]
    unused_map: tuple[str, ...]
    limit: int


def _cell(value: float | None, text: str, years: Sequence[YearPoint], i: int, key: str) -> Cell:
    breaks = i > 0 and not _same(years[i - 1], years[i], key)
    return Cell(value, text, breaks)


def _same(a: YearPoint, b: YearPoint, key: str) -> bool:
    x, y = a.fingerprints.get(key), b.fingerprints.get(key)
    return bool(x) and x == y


def _series_row(
    title: str, values: list[float | None], years: Sequence[YearPoint], key: str, change: Change
) -> SeriesRow:
    return SeriesRow(
        title=title,
        cells=tuple(_cell(v, format_number(v), years, i, key) for i, v in enumerate(values)),
        change=signed(change.change) if change.change is not None else "—",
        trend=TREND_WORDS[change.trend],
        trend_key=change.trend.value,
    )


def _district(dynamics: Dynamics, config: Config) -> tuple[SeriesRow, ...]:
    years = dynamics.years
    rows = [
        _series_row(
            "Итоговый балл (среднее по ОО)", [y.total.mean for y in years], years, "total", dynamics.total
        )
    ]
    for block in config.blocks:
        values = [y.blocks[block.id].mean if block.id in y.blocks else None for y in years]
        change = dynamics.blocks.get(block.id, Change(None, None, None, Trend.incomparable))
        rows.append(_series_row(f"{block.id}. {block.title}", values, years, f"block:{block.id}", change))
    return tuple(rows)


def _targets(dynamics: Dynamics, config: Config) -> tuple[TargetRow, ...]:
    years = dynamics.years
    rows = []
    for code, trend in dynamics.targets.items():
        ind = config.indicator(code)
        points = [y.indicators.get(code) for y in years]
        key = f"values:{code}"
        cells = tuple(
            _cell(p.district if p else None, district_text(ind, p.district if p else None), years, i, key)
            for i, p in enumerate(points)
        )
        now = points[-1]
        if trend.met_since is None:
            gap = (
                None
                if now is None or now.district is None or ind.target is None
                else ind.target - now.district
            )
            verdict = "цель не достигнута" + (
                f" (до цели {change_text(ind, abs(gap)).lstrip('+')})" if gap is not None and gap else ""
            )
        elif trend.met_since == years[-1].label and len(trend.met_years) == 1:
            verdict = f"цель достигнута впервые в {short_year(years[-1].label)}"
        elif trend.met_since == years[-1].label:
            verdict = f"цель снова достигнута в {short_year(years[-1].label)}"
        else:
            verdict = f"цель достигается с {short_year(trend.met_since)}"
        rows.append(
            TargetRow(
                code=code,
                title=ind.title,
                unit=ind.unit,
                cells=cells,
                targets=tuple(p.target if p else None for p in points),
                met=tuple(p.met if p else None for p in points),
                verdict=verdict,
            )
        )
    return tuple(rows)


def _indicators(dynamics: Dynamics, config: Config) -> tuple[IndicatorRow, ...]:
    rows = []
    for ind in config.indicators():
        item = dynamics.indicators.get(ind.code)
        if item is None:
            continue
        reasons = dynamics.framework.changed.get(ind.code, [])
        note = "; ".join(REASON_WORDS[r] for r in reasons if r in REASON_WORDS)
        if not item.values_comparable:
            note = "значения несопоставимы" + (f": {note}" if note else "")
        elif not item.scores_comparable:
            note = "баллы несопоставимы, сравниваются значения" + (f": {note}" if note else "")
        median = item.median
        rows.append(
            IndicatorRow(
                code=ind.code,
                title=ind.title,
                previous=district_text(ind, item.district.previous),
                current=district_text(ind, item.district.current),
                change=change_text(ind, item.district.change),
                trend=TREND_WORDS[item.district.trend],
                trend_key=item.district.trend.value,
                median=f"{district_text(ind, median.current)} ({change_text(ind, median.change)})"
                if median.change is not None
                else district_text(ind, median.current),
                deficits=f"{item.deficits_previous} → {item.deficits_current}",
                note=note,
            )
        )
    return tuple(rows)


def _effect(dynamics: Dynamics, config: Config) -> tuple[EffectRow, ...]:
    rows = []
    for ind in config.indicators():
        item = dynamics.indicators.get(ind.code)
        if item is None or not (item.recommended or item.new or item.system_previous):
            continue
        if item.system_previous:
            system = (
                "был системным, остаётся" if item.system_current else "был системным, больше не системный"
            )
        else:
            system = "стал системным" if item.system_current else ""
        rows.append(
            EffectRow(
                code=ind.code,
                title=ind.title,
                recommended=item.recommended,
                closed=item.closed,
                persisting=item.persisting,
                new=item.new,
                closed_share=item.closed / item.recommended if item.recommended else None,
                system=system,
            )
        )
    return tuple(rows)


def _moves(
    codes: Sequence[str], changes: dict[str, SchoolChange], by_code: dict[str, SchoolRow]
) -> tuple[SchoolMove, ...]:
    moves = []
    for code in codes[:LIMIT]:
        change = changes[code]
        moves.append(
            SchoolMove(by_code[code], change.total.previous, signed(change.total.change), place_text(change))
        )
    return tuple(moves)


def place_text(change: SchoolChange) -> str:
    """«12 → 9», or «—» when the places are not comparable."""
    place = change.place
    if place.previous is None:
        return "—"
    return f"{format_number(place.previous, 0)} → {format_number(place.current, 0)}"


def link_text(change: SchoolChange, previous: str) -> str:
    """How a school continues last year's: «в 2024/2025 — код 0126» or the merged schools."""
    year = short_year(previous)
    if change.link == Link.renamed:
        return f"в {year} — код {change.previous_codes[0]}"
    if change.link == Link.merged:
        parts = ", ".join(
            f"{code} {name}" for code, name in zip(change.previous_codes, change.previous_names, strict=True)
        )
        return f"объединение ОО {year}: {parts}"
    return ""


def dynamics_view(results: Results, by_code: dict[str, SchoolRow]) -> DynamicsView | None:
    """The section's view, or None when results carry no comparison."""
    dynamics = results.dynamics
    if dynamics is None:
        return None
    config = results.config
    framework = dynamics.framework
    changes = {c.code: c for c in dynamics.schools}
    titles = {b.id: b.title for b in config.all_blocks()}
    level_order = [lvl.label for lvl in reversed(config.scoring.levels)]
    previous_levels = dynamics.years[-2].levels if len(dynamics.years) > 1 else {}
    effect = dynamics.effect
    return DynamicsView(
        previous=dynamics.previous,
        current=dynamics.years[-1].label,
        years=tuple(short_year(y.label) for y in dynamics.years),
        year_labels=tuple(y.label for y in dynamics.years),
        min_change=dynamics.min_change,
        min_relative_change=dynamics.min_relative_change,
        comparable_total=framework.total,
        added=tuple((code, config.indicator(code).title) for code in framework.added),
        removed=tuple((r.code, r.title) for r in framework.removed),
        changed=tuple(
            (code, config.indicator(code).title, "; ".join(REASON_WORDS[r] for r in reasons))
            for code, reasons in framework.changed.items()
        ),
        blocks_incomparable=tuple(titles[b] for b, ok in framework.blocks.items() if not ok and b in titles),
        district=_district(dynamics, config),
        levels=tuple(
            LevelRow(
                label=label,
                index=len(level_order) - 1 - i,
                previous=previous_levels.get(label, 0),
                current=results.level_counts.get(label, 0),
                change=signed(dynamics.level_changes[label], 0),
            )
            for i, label in enumerate(level_order)
            if label in dynamics.level_changes
        ),
        level_moves=dynamics.level_moves,
        targets=_targets(dynamics, config),
        indicators=_indicators(dynamics, config),
        effect=_effect(dynamics, config),
        effect_total=effect,
        effect_share=effect.closed / effect.recommended if effect.recommended else None,
        improved=_moves(dynamics.improved, changes, by_code),
        improved_count=len(dynamics.improved),
        declined=_moves(dynamics.declined, changes, by_code),
        declined_count=len(dynamics.declined),
        stable=dynamics.stable,
        compared=len(dynamics.schools),
        new_schools=tuple(by_code[code] for code in dynamics.new_schools if code in by_code),
        gone_schools=tuple(GoneRow(g.code, g.name, ABSENCE_WORDS[g.absence]) for g in dynamics.gone_schools),
        links=tuple(
            LinkRow(by_code[c.code], link_text(c, dynamics.previous))
            for c in dynamics.schools
            if c.link != Link.same and c.code in by_code
        ),
        unused_map=tuple(dynamics.unused_map),
        limit=LIMIT,
    )


def console_summary(results: Results) -> str:
    """Two lines for the console after ``score --previous`` ("" without a comparison)."""
    dynamics = results.dynamics
    if dynamics is None:
        return ""
    then = short_year(dynamics.previous)
    total = dynamics.total
    if total.change is not None:
        moved = (
            f"средний итоговый балл {format_number(total.previous)} → {format_number(total.current)} "
            f"({signed(total.change)}, {TREND_WORDS[total.trend]})"
        )
    else:
        moved = "итоговые баллы несопоставимы (изменилась методика)"
    effect = dynamics.effect
    lines = [f"Сравнение с {then}: {moved}."]
    if effect.recommended:
        lines.append(
            f"Дефициты {then}: устранены {effect.closed} из {effect.recommended}, "
            f"сохраняются {effect.persisting}; новых — {effect.new}."
        )
    return "\n".join(lines)
