"""Indicator values and findings in words: the Russian the documents print.

The report view (``view``), the school cards (``cards``) and the tables take their
words from here (the методика is worded in ``methodology``), so «медиана 5 чел.», «35,1 % (13 из 37)» or «уровень «низкий»» read
the same in report.md, report.html, a card, ranking.xlsx and the coming Word documents.
Numbers go through :mod:`formatting`; nothing here computes a statistic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..config import (
    Config,
    Indicator,
    IndicatorType,
    Method,
)
from ..config.expression_text import substituted
from ..config.expressions import Expression
from ..problems import Problem
from ..results import IndicatorResult, IndicatorStats, RiskEntry
from ..validate.small import base_words
from ..words.formatting import NBSP, format_compact, format_number, format_percent
from ..words.russian import lower_first

EXCLUDED_WITHOUT_PROBLEM = "исключена при проверке"
NOT_APPLICABLE = "не применяется"
UNDEFINED = "не вычисляется (деление на 0)"


@dataclass(frozen=True, slots=True)
class IndicatorWords:
    """What the report needs to word one indicator's values (built once per run)."""

    code: str
    title: str
    unit: str
    measure: str
    target: float | None
    max_points: float
    block: str  # id of the block holding it
    share: bool
    yesno: bool
    options: dict[float, str]  # points → label, for choices
    district: str  # the district's reference value in words
    formula: Expression | None = None  # a computed indicator's formula (its values are shown in it)
    small_base: str = ""  # what a «мало данных» denominator is: «Всего ответивших на анкету»
    small_minimum: float | None = None  # below it a value is «мало данных» (None: never)


def district_text(ind: Indicator, stats: IndicatorStats | None) -> str:
    """The district's reference value in the indicator's own terms.

    Shares: the pooled value (Σ numerators / Σ denominators). Yes/no: the share of schools
    answering «да». Choices and expert marks: mean points (a median option index would
    mean nothing to a reader). Counts and numbers: the median, with the unit.
    """
    if stats is None:
        return "—"
    if ind.type == IndicatorType.share and stats.pooled is not None:
        return format_percent(stats.pooled)
    if ind.method == Method.yesno:
        return "—" if stats.scores.mean is None else f"«да» у {format_percent(stats.scores.mean)} ОО"
    if ind.spec.indicator_type is not None:  # an option's points or a mark: the value is the points
        if stats.scores.mean is None:
            return "—"
        mean_points = stats.scores.mean / 100 * ind.max_points
        return f"ср. балл {format_compact(mean_points, 1)} из {format_compact(ind.max_points)}"
    unit = "" if ind.unit in ("", "балл") else f"{NBSP}{ind.unit}"
    if ind.unit == "%":
        unit = f"{NBSP}%"
    return (
        f"медиана {format_compact(stats.values.median, 1)}{unit}" if stats.values.median is not None else "—"
    )


def indicator_words(config: Config, stats: dict[str, IndicatorStats]) -> dict[str, IndicatorWords]:
    block_of = config.block_of()
    return {
        ind.code: IndicatorWords(
            code=ind.code,
            title=ind.title,
            unit=ind.unit,
            measure=ind.measure,
            target=ind.target,
            max_points=ind.max_points,
            block=block_of.get(ind.code, ""),
            share=ind.type == IndicatorType.share,
            yesno=ind.method == Method.yesno,
            options={o.points: o.label for o in ind.options or []},
            district=district_text(ind, stats.get(ind.code)),
            formula=ind.expression,
            **_small_words(ind, config),
        )
        for ind in config.indicators()
    }


def _small_words(ind: Indicator, config: Config) -> dict[str, Any]:
    limit = config.min_denominator(ind)
    return {} if limit is None else {"small_base": base_words(ind, config), "small_minimum": limit}


def undefined(formula: Expression, inputs: dict[str, float]) -> bool:
    """Every name of the formula has a value and the formula has none: a divisor is 0 (a value
    left out for a wrong input, an out-of-range result or a failed check is not this)."""
    return bool(inputs) and formula.names <= inputs.keys() and formula.evaluate(inputs) is None


def small_text(base: str, minimum: float | None, denominator: float | None) -> str:
    """Why a value is flagged: «мало данных: «Всего ответивших на анкету» — 6, меньше 10»
    (``base``: the denominator in words, ``validate.small.base_words``)."""
    if denominator is None or minimum is None:
        return "мало данных"
    return f"мало данных: {base} — {format_compact(denominator, 2)}, меньше {format_compact(minimum)}"


def value_text(
    entry: IndicatorResult | None, words: IndicatorWords, error: str = "", *, brief: bool = False
) -> str:
    """What the school reported, as a reader expects it: «35,1 % (13 из 37)», «да», a choice;
    a computed value with its formula over the school's inputs, «(12 + 30) / 60 × 100 = 70 %»
    (or «… не вычисляется (деление на 0)» when its ``missing`` scores a zero divisor 0);
    «(мало данных: «Всего ответивших» — 3, меньше 10)» after a value whose denominator is
    below ``min_denominator``.

    ``error``: the error that left the value out or at 0 points — said instead of
    «не применяется», which is only for a value that legitimately does not apply.
    ``brief``: a share without its numerator and denominator, a computed value without its
    formula (for long lists).
    """
    if error:
        left_out = entry is None or entry.status == "not_applicable"
        return "не учитывается: ошибка в данных" if left_out else "0 баллов: ошибка в данных"
    if entry is None:
        return NOT_APPLICABLE
    text = NOT_APPLICABLE if entry.status == "not_applicable" else _value(entry, words, brief)
    if entry.small:
        text += f" ({small_text(words.small_base, words.small_minimum, entry.denominator)})"
    return text


def _value(entry: IndicatorResult, words: IndicatorWords, brief: bool) -> str:
    if entry.value is None:
        if words.formula is not None and undefined(words.formula, entry.inputs):
            return UNDEFINED if brief else f"{substituted(words.formula.root, entry.inputs)} {UNDEFINED}"
        return "—"
    if words.share:
        text = format_percent(entry.value)
        if not brief and entry.numerator is not None and entry.denominator is not None:
            text += f" ({format_number(entry.numerator, 0)} из {format_number(entry.denominator, 0)})"
        return text
    if words.yesno:
        return "да" if entry.value else "нет"
    if words.options and entry.points in words.options:
        return lower_first(words.options[entry.points])  # an option read inside a sentence
    decimals = 0 if float(entry.value).is_integer() else 1
    unit = words.unit if words.unit not in ("", "балл") else ""
    number = format_number(entry.value, decimals)
    if words.formula is not None and unit != "%":  # a rating per participant: 1,848, not 1,8
        number = format_compact(entry.value, 3)
    text = number + (f"{NBSP}{unit}" if unit else "")
    if words.formula is not None and entry.inputs and not brief:
        text = f"{substituted(words.formula.root, entry.inputs)} = {text}"
    return text


def risk_reasons(
    entry: RiskEntry, level: str, critical_label: str, block_titles: dict[str, str]
) -> tuple[str, ...]:
    """Why a school is in the risk zone: «уровень «низкий»», ««ниже базового» по блоку «…»»."""
    reasons = [f"уровень «{level}»"] if entry.lowest_level else []
    reasons += [f"«{critical_label}» по блоку «{block_titles.get(b, b)}»" for b in entry.blocks_below_base]
    return tuple(reasons)


def excluded_reasons(problems: Sequence[Problem]) -> tuple[str, ...]:
    """Why a school was left out of the ranking: the messages of the problems that excluded it."""
    return tuple(p.message for p in problems) or (EXCLUDED_WITHOUT_PROBLEM,)
