"""The «Динамика» in words: years, signed changes, values in their units, trends and reasons.

One place words the comparison for the справка's section (``view_dynamics``), the cards
(``cards_dynamics``), ranking.xlsx (``ranking_dynamics``) and the console, so «+5,9 п.п.»,
«улучшение» or «в 2024/2025 — код 0126» read the same everywhere. Numbers go through
:mod:`formatting`; nothing here computes a statistic.
"""

from __future__ import annotations

import re

from ..config import Indicator, IndicatorType
from ..results import Absence, IndicatorResult, Link, Results, SchoolChange, Trend
from ..words.formatting import NBSP, format_compact, format_number, format_percent
from .wording import IndicatorWords, value_text

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
    "deficit": "изменилось правило дефицита",
    "formula": "изменилась формула вычисляемого показателя или его входные данные",
}
ABSENCE_WORDS = {
    Absence.excluded: "исключена из рейтинга в этом году",
    Absence.not_submitted: "не представила форму в этом году",
    Absence.absent: "нет в данных этого года (закрыта, реорганизована или сменила код, не указанный в таблице соответствия кодов)",
}
_YEARS = re.compile(r"\d{4}(?:\s*[/–-]\s*\d{2,4})?")
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


def district_text(ind: Indicator, value: float | None) -> str:
    """A district value (pooled share, or the mean) in the indicator's terms."""
    if value is None:
        return "—"
    if ind.in_percent:
        return format_percent(value)
    if ind.type == IndicatorType.yesno:
        return f"«да» — {format_percent(value * 100)}"
    if ind.type in (IndicatorType.choice, IndicatorType.mark):
        top = ind.max_points if ind.type == IndicatorType.choice else float(ind.max_mark or 1)
        return f"{format_number(value, 2)} из {format_compact(top)}"  # a tenth of a point is a lot here
    unit = f"{NBSP}{ind.unit}" if ind.unit and ind.unit != "балл" else ""
    return f"{format_compact(value, 1)}{unit}"


def change_text(ind: Indicator, delta: float | None, *, district: bool = True) -> str:
    """A change of an indicator's value with its unit: п.п. for percentages, points, units.

    A school's value that did not move at all is «без изменений» (a district's is «0,0 п.п.»).
    """
    if delta is None:
        return "—"
    if not district and delta == 0:
        return "без изменений"
    if ind.in_percent:
        return signed(delta, 1, "п.п.")
    if ind.type == IndicatorType.yesno:
        if district:
            return signed(delta * 100, 1, "п.п.")
        return "стало «да»" if delta > 0 else "стало «нет»"
    if ind.type in (IndicatorType.choice, IndicatorType.mark):
        return signed(delta, 2 if district else 0, "б.")
    unit = ind.unit if ind.unit and ind.unit != "балл" else ""
    return signed(delta, 1 if district or not float(delta).is_integer() else 0, unit)


def school_value_text(
    ind: Indicator,
    words: IndicatorWords,
    value: float,
    numerator: float | None,
    denominator: float | None,
    small: bool = False,
) -> str:
    """Last year's value of a school, worded as this year's is (``wording.value_text``);
    ``small``: it was flagged «мало данных»."""
    entry = IndicatorResult(
        ind.code, value, value, ind.max_points, None, "ok", numerator, denominator, small=small
    )
    return value_text(entry, words)


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
