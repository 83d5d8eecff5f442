"""The «Динамика» in words: years, signed changes, values in their units, trends and reasons.

One place words the comparison for the справка's section (``view_dynamics``), the cards
(``cards_dynamics``), ranking.xlsx (``ranking_dynamics``) and the console, so «+5,9 п. п.»,
«улучшение» or «в 2024/2025 — код 0126» read the same everywhere. Numbers go through
:mod:`formatting`; nothing here computes a statistic.
"""

from __future__ import annotations

import re

from ..config import Indicator, IndicatorType
from ..results import Absence, Change, IndicatorResult, Link, Results, SchoolChange, Trend
from ..words.formatting import (
    NBSP,
    format_compact,
    format_difference,
    format_number,
    format_percent,
    printed_difference,
)
from .wording import IndicatorWords, value_text

PP = "п.\u00a0п."  # percentage points, one form everywhere («+5,9 п. п.»), as the conclusions write it
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


def short_year(label: str) -> str:
    """«2024/2025 учебный год» → «2024/2025» (for column headers and chart axes)."""
    found = _YEARS.search(label)
    return found.group(0).replace(" ", "") if found else label


def signed_change(change: Change) -> str:
    """A score's change as printed beside its two values (to a tenth): «+6,8»; «—» when not compared."""
    if change.change is None or change.previous is None or change.current is None:
        return "—"
    return format_difference(change.current, change.previous)


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


def change_text(ind: Indicator, later: float | None, earlier: float | None, *, district: bool = True) -> str:
    """The change from ``earlier`` to ``later`` with its unit (п. п. for percentages, points,
    units), as the difference of the two values printed beside it: a district's as
    :func:`district_text` prints them, a school's as ``wording.value_text`` does.

    A school's value that did not move as printed is «без изменений» (a district's is «0,0 п. п.»).
    """
    if later is None or earlier is None:
        return "—"
    now, then = _school_decimals(ind, later, earlier)
    if not district and printed_difference(later, earlier, now, then) == 0:
        return "без изменений"
    if ind.in_percent:
        return format_difference(later, earlier, unit=PP)
    if ind.type == IndicatorType.yesno:
        if district:
            return format_difference(later * 100, earlier * 100, unit=PP)
        return "стало «да»" if later > earlier else "стало «нет»"
    unit = "б." if ind.type in (IndicatorType.choice, IndicatorType.mark) else ind.unit
    unit = unit if unit != "балл" else ""
    if district:
        return format_difference(later, earlier, 2 if unit == "б." else 1, unit=unit)
    return format_difference(later, earlier, now, unit=unit, earlier_decimals=then)


def _school_decimals(ind: Indicator, later: float, earlier: float) -> tuple[int, int]:
    """The decimals of a school's two values as printed: a tenth for shares, a whole number
    of points or units (a tenth when the value has a fraction), a computed value's own."""
    if ind.in_percent:
        return 1, 1
    if ind.type in (IndicatorType.choice, IndicatorType.mark, IndicatorType.yesno):
        return 0, 0
    if ind.type == IndicatorType.computed:  # a rating per participant: «1,848», «2» (format_compact)
        return _compact_decimals(later), _compact_decimals(earlier)
    return (0 if float(later).is_integer() else 1), (0 if float(earlier).is_integer() else 1)


def _compact_decimals(value: float) -> int:
    """The decimals ``wording.value_text`` prints for a computed value: up to 3, no trailing zeros."""
    return len(format_compact(value, 3).partition(",")[2])


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
    matched = dynamics.followup.composition
    same = matched.matched == len(results.schools) and not matched.gone  # the same schools both years
    if total.change is not None and not same and matched.previous is not None and matched.current is not None:
        moved = (
            f"средний итоговый балл {matched.matched} ОО, участвовавших в рейтинге в оба года, "
            f"{format_number(matched.previous)} → {format_number(matched.current)} "
            f"({format_difference(matched.current, matched.previous)}); всего рейтинга "
            f"{format_number(total.previous)} → {format_number(total.current)} (состав ОО изменился)"
        )
    elif total.change is not None:
        moved = (
            f"средний итоговый балл {format_number(total.previous)} → {format_number(total.current)} "
            f"({signed_change(total)}, {TREND_WORDS[total.trend]})"
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
