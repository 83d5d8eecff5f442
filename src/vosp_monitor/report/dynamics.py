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

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config
from ..results import (
    Change,
    Dynamics,
    Effect,
    LevelMoves,
    Link,
    Results,
    SchoolChange,
    Trend,
    YearPoint,
)
from ..words.formatting import format_difference, format_number
from .dynamics_followup import FollowupView, followup_view
from .rows import SchoolRow
from .wording_dynamics import (
    ABSENCE_WORDS,
    REASON_WORDS,
    TREND_WORDS,
    change_text,
    district_text,
    link_text,
    place_text,
    short_year,
    signed_change,
)

LIMIT = 20  # schools per list of the largest rises and falls


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
    deficit_rule_changed: bool  # the run's deficit rule is not last year's
    deficits_incomparable: tuple[str, ...]  # codes whose deficits are not compared
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
    followup: FollowupView | None  # matched totals, the effect against a comparison, attention


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
        change=signed_change(change),
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
            gap = ""  # «+2,1 п.п.»: how far the district is from the target, as printed
            if now is not None and now.district is not None and ind.target is not None:
                far, near = sorted((ind.target, now.district), reverse=True)
                gap = change_text(ind, far, near)
            verdict = "цель не достигнута" + (f" (до цели {gap[1:]})" if gap.startswith("+") else "")
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
                change=change_text(ind, item.district.current, item.district.previous),
                trend=TREND_WORDS[item.district.trend],
                trend_key=item.district.trend.value,
                median=f"{district_text(ind, median.current)} ({change_text(ind, median.current, median.previous)})"
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
        if item is None or not item.deficits_comparable or not (item.recommended or item.new):
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
            SchoolMove(by_code[code], change.total.previous, signed_change(change.total), place_text(change))
        )
    return tuple(moves)


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
        deficit_rule_changed=framework.deficit_rule,
        deficits_incomparable=tuple(
            ind.code
            for ind in config.indicators()
            if ind.code in dynamics.indicators and not dynamics.indicators[ind.code].deficits_comparable
        ),
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
                change=format_difference(
                    results.level_counts.get(label, 0), previous_levels.get(label, 0), 0
                ),
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
        followup=followup_view(results, dynamics, by_code),
    )
