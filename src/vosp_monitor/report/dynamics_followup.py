"""The «Динамика» section's answers to «помогли ли меры?», worded from ``results.Followup``.

The headline compares the schools ranked in both years (with their count), the new and the
gone ones apart; the effect of last year's recommendations is shown beside its comparison
(the other schools on the same indicators, the indicators nobody was recommended); last
year's risk zone and system deficits get their fate; sharp falls and implausible jumps of
raw values are named for attention. Nothing here computes a statistic.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config, Indicator, IndicatorType
from ..results import Dynamics, Results, RiskFate, SchoolChange, Trend
from ..words.formatting import NBSP, format_compact, format_difference, format_number, format_percent
from .rows import SchoolRow
from .wording_dynamics import ABSENCE_WORDS, TREND_WORDS


@dataclass(frozen=True, slots=True)
class MeasureContrastRow:
    code: str
    title: str
    recommended: int
    recommended_change: str  # «+24,4»
    others: int
    others_change: str


@dataclass(frozen=True, slots=True)
class Named:
    """A school named in a list: its row this year when it is ranked, else its code and name."""

    code: str
    name: str
    row: SchoolRow | None
    note: str  # «итог 62,3, уровень «средний»», why it is gone …


@dataclass(frozen=True, slots=True)
class FallRow:
    row: SchoolRow
    previous: str
    current: str
    change: str
    place: str  # «8 → 17»
    level: str  # «средний → средний»


@dataclass(frozen=True, slots=True)
class JumpRow:
    row: SchoolRow
    code: str
    title: str
    what: str  # «значение» or «знаменатель доли (численность)»
    previous: str
    current: str


@dataclass(frozen=True, slots=True)
class FollowupView:
    matched: int
    matched_previous: str
    matched_current: str
    matched_change: str
    matched_trend: str
    matched_trend_key: str
    new: int
    new_mean: str
    gone: int
    gone_mean: str
    merged: int
    contrast: tuple[MeasureContrastRow, ...]
    recommended_change: str  # "" when nothing was recommended
    others_change: str
    unrecommended: tuple[str, ...]
    unrecommended_change: str
    risk_previous: int
    risk_left: tuple[Named, ...]
    risk_stayed: tuple[Named, ...]
    risk_gone: tuple[Named, ...]
    risk_new: tuple[Named, ...]
    system_previous: tuple[str, ...]
    system_kept: tuple[str, ...]
    system_closed: tuple[str, ...]
    system_new: tuple[str, ...]
    attention_fall: str  # the threshold, «10»
    falls: tuple[FallRow, ...]
    jumps: tuple[JumpRow, ...]
    implausible_change: str
    implausible_ratio: str
    years: int  # years in the comparison's series


def _signed(value: float | None) -> str:
    return "" if value is None else format_difference(value, 0.0)


def followup_view(results: Results, dynamics: Dynamics, by_code: dict[str, SchoolRow]) -> FollowupView | None:
    """None for results stored before these were computed (an older results.json)."""
    f = dynamics.followup
    if not f.computed:
        return None
    config = results.config
    settings = config.dynamics
    comp = f.composition
    changes = {c.code: c for c in dynamics.schools}
    matched_change = (
        format_difference(comp.current, comp.previous)
        if comp.current is not None and comp.previous is not None
        else "—"
    )
    trend = _trend(comp.current, comp.previous, config)
    now_system = set(results.system_deficits)
    then_system = list(dynamics.system_previous)
    return FollowupView(
        matched=comp.matched,
        matched_previous=format_number(comp.previous),
        matched_current=format_number(comp.current),
        matched_change=matched_change,
        matched_trend=TREND_WORDS[trend],
        matched_trend_key=trend.value,
        new=comp.new,
        new_mean=format_number(comp.new_mean),
        gone=comp.gone,
        gone_mean=format_number(comp.gone_mean),
        merged=sum(1 for c in dynamics.schools if c.total.previous is None and len(c.previous_codes) > 1),
        contrast=tuple(
            MeasureContrastRow(
                c.code,
                config.indicator(c.code).title,
                c.recommended,
                _signed(c.recommended_change) or "—",
                c.others,
                _signed(c.others_change) or "—",
            )
            for c in f.contrast
        ),
        recommended_change=_signed(f.recommended_change),
        others_change=_signed(f.others_change),
        unrecommended=tuple(f.unrecommended),
        unrecommended_change=_signed(f.unrecommended_change),
        risk_previous=len(f.risk),
        risk_left=tuple(_named(m.code, m.previous_name, by_code) for m in f.risk if m.fate == RiskFate.left),
        risk_stayed=tuple(
            _named(m.code, m.previous_name, by_code) for m in f.risk if m.fate == RiskFate.stayed
        ),
        risk_gone=tuple(
            Named(m.previous_code, m.previous_name, None, _gone_reason(dynamics, m.previous_code))
            for m in f.risk
            if m.fate == RiskFate.gone
        ),
        risk_new=tuple(_named(code, "", by_code, changes.get(code)) for code in f.risk_new),
        system_previous=tuple(then_system),
        system_kept=tuple(c for c in then_system if c in now_system),
        system_closed=tuple(c for c in then_system if c not in now_system),
        system_new=tuple(c for c in results.system_deficits if c not in set(then_system)),
        attention_fall=format_number(settings.attention_fall, 0),
        falls=tuple(_fall(by_code[code], changes[code]) for code in f.falls if code in by_code),
        jumps=tuple(
            _jump(by_code[j.code], config.indicator(j.indicator), j.part, j.previous, j.current)
            for j in f.jumps
            if j.code in by_code and config.has_indicator(j.indicator)
        ),
        implausible_change=format_number(settings.implausible_change, 0),
        implausible_ratio=format_number(settings.implausible_ratio, 0),
        years=len(dynamics.years),
    )


def _trend(current: float | None, previous: float | None, config: Config) -> Trend:
    if current is None or previous is None:
        return Trend.incomparable
    delta = current - previous
    if abs(delta) < config.dynamics.min_change - 1e-9 or delta == 0:
        return Trend.stable
    return Trend.better if delta > 0 else Trend.worse


def _named(code: str, name: str, by_code: dict[str, SchoolRow], change: SchoolChange | None = None) -> Named:
    row = by_code.get(code)
    if row is None:
        return Named(code, name, None, "")
    note = f"итог {format_number(row.total)}, уровень «{row.level}»"
    if change is not None and change.total.previous is not None:
        note += f"; в прошлом году — {format_number(change.total.previous)}"
    return Named(code, row.name, row, note)


def _gone_reason(dynamics: Dynamics, code: str) -> str:
    for gone in dynamics.gone_schools:
        if gone.code == code:
            return ABSENCE_WORDS[gone.absence]
    return "нет в рейтинге этого года"


def _fall(row: SchoolRow, change: SchoolChange) -> FallRow:
    total, place = change.total, change.place
    previous_level = change.level.previous or "—"
    return FallRow(
        row=row,
        previous=format_number(total.previous),
        current=format_number(total.current),
        change=format_difference(total.current or 0.0, total.previous or 0.0),
        place="—"
        if place.previous is None
        else f"{format_number(place.previous, 0)} → {format_number(place.current, 0)}",
        level=f"{previous_level} → {row.level}",
    )


def _jump(row: SchoolRow, ind: Indicator, part: str, previous: float, current: float) -> JumpRow:
    if part == "denominator":
        what, before, after = "знаменатель доли", format_number(previous, 0), format_number(current, 0)
    elif ind.type in (IndicatorType.share, IndicatorType.percent):
        what, before, after = "значение", format_percent(previous), format_percent(current)
    else:
        unit = f"{NBSP}{ind.unit}" if ind.unit else ""
        what = "значение"
        before, after = f"{format_compact(previous)}{unit}", f"{format_compact(current)}{unit}"
    return JumpRow(row, ind.code, ind.title, what, before, after)
