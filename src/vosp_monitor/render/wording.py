"""The methodology, indicator values and findings in words: the Russian the documents print.

The report view (``view``), the school cards (``cards``) and the tables take their
sentences from here, so «медиана 5 чел.», «35,1 % (13 из 37)» or «уровень «низкий»» read
the same in report.md, report.html, a card, ranking.xlsx and the coming Word documents.
Numbers go through :mod:`formatting`; nothing here computes a statistic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import (
    Block,
    Config,
    Direction,
    Indicator,
    IndicatorType,
    Method,
    aggregation_ru,
    block_aggregation,
    indicator_shares,
    method_ru,
)
from ..problems import Problem
from ..results import IndicatorResult, IndicatorStats, RiskEntry
from .formatting import NBSP, format_compact, format_number, format_percent, plural

EXCLUDED_WITHOUT_PROBLEM = "исключена при проверке"
NOT_APPLICABLE = "не применяется"


@dataclass(frozen=True, slots=True)
class LevelView:
    label: str
    lower: float
    upper: float
    last: bool
    index: int  # 0 for the lowest level (the CSS class level-<index>)


@dataclass(frozen=True, slots=True)
class MethodIndicator:
    code: str
    title: str
    unit: str
    weight: float  # % of its block
    max_points: float
    method: str
    scale: str  # the points scale in words
    direction: str
    critical: bool
    target: float | None


@dataclass(frozen=True, slots=True)
class MethodBlock:
    id: str
    title: str
    depth: int
    weight: float  # % among its siblings
    weight_total: float  # % of the total
    aggregation: str
    max_points: float
    indicators: tuple[MethodIndicator, ...]


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


def levels(config: Config) -> tuple[LevelView, ...]:
    bounds = config.scoring.levels
    return tuple(
        LevelView(
            label=lvl.label,
            lower=lvl.lower,
            upper=bounds[i + 1].lower if i + 1 < len(bounds) else 100.0,
            last=i + 1 == len(bounds),
            index=i,
        )
        for i, lvl in enumerate(bounds)
    )


def ties_text(config: Config) -> str:
    decimals = config.ranking.decimals
    rule = (
        "равные баллы — одно место, следующее место пропускается (1, 2, 2, 4)"
        if config.ranking.ties == "min"
        else "равные баллы — одно место, без пропусков (1, 2, 2, 3)"
    )
    return f"{rule}; баллы сравниваются после округления до {plural(decimals, 'знака', 'знаков', 'знаков')} после запятой"


def scoring_text(ind: Indicator) -> str:
    """The points scale in words: «0–10 → 0; 10–20 → 1; от 30 → 3»."""
    method = ind.method
    unit = f"{NBSP}{ind.unit}" if ind.unit and ind.unit not in ("балл",) else ""
    if method == Method.bands and ind.scoring and ind.scoring.bands:
        parts = []
        for band in ind.scoring.bands:
            if band.lower is None:
                span = f"до {format_compact(band.upper)}"
            elif band.upper is None:
                span = f"от {format_compact(band.lower)}"
            else:
                span = f"{format_compact(band.lower)}–{format_compact(band.upper)}"
            parts.append(f"{span}{unit} → {format_compact(band.points)}")
        return "; ".join(parts)
    if method == Method.options and ind.options:
        return "; ".join(f"{o.label} → {format_compact(o.points)}" for o in ind.options)
    if method == Method.yesno:
        return f"да → {format_compact(ind.max_points)}; нет → 0"
    if method == Method.mark:
        return f"экспертная оценка от 0 до {ind.max_mark}"
    if method == Method.linear and ind.scoring:
        return (
            f"0 баллов при {format_compact(ind.scoring.low)}{unit}, максимум при "
            f"{format_compact(ind.scoring.high)}{unit}, между ними линейно"
        )
    if method == Method.target and ind.target is not None:
        return f"значение / цель {format_compact(ind.target)}{unit} (не более 1)"
    return method_ru(method)


def direction_text(direction: Direction) -> str:
    return "больше — лучше" if direction == Direction.higher_better else "меньше — лучше"


def method_blocks(config: Config) -> tuple[MethodBlock, ...]:
    """Blocks and indicators in config order, with depth, effective shares and maximum points."""
    rows: list[MethodBlock] = []

    def walk(blocks: Sequence[Block], share: float, depth: int) -> None:
        total = sum(b.weight for b in blocks) or 1.0
        for block in blocks:
            weight = block.weight / total
            shares = indicator_shares(block, config)
            indicators = tuple(
                MethodIndicator(
                    code=ind.code,
                    title=ind.title,
                    unit=ind.unit,
                    weight=shares[ind.code] * 100,
                    max_points=ind.max_points,
                    method=method_ru(ind.method),
                    scale=scoring_text(ind),
                    direction=direction_text(ind.direction),
                    critical=ind.critical,
                    target=ind.target,
                )
                for ind in block.indicators
            )
            rows.append(
                MethodBlock(
                    id=block.id,
                    title=block.title,
                    depth=depth,
                    weight=weight * 100,
                    weight_total=share * weight * 100,
                    aggregation=aggregation_ru(block_aggregation(block, config)),
                    max_points=sum(i.max_points for i in block.all_indicators()),
                    indicators=indicators,
                )
            )
            walk(block.blocks, share * weight, depth + 1)

    walk(config.blocks, 1.0, 0)
    return tuple(rows)


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
    if ind.method in (Method.options, Method.mark):
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
        )
        for ind in config.indicators()
    }


def value_text(entry: IndicatorResult | None, words: IndicatorWords) -> str:
    """What the school reported, as a reader expects it: «35,1 % (13 из 37)», «да», a choice."""
    if entry is None or entry.status == "not_applicable":
        return NOT_APPLICABLE
    if entry.value is None:
        return "—"
    if words.share:
        text = format_percent(entry.value)
        if entry.numerator is not None and entry.denominator is not None:
            text += f" ({format_number(entry.numerator, 0)} из {format_number(entry.denominator, 0)})"
        return text
    if words.yesno:
        return "да" if entry.value else "нет"
    if words.options and entry.points in words.options:
        return words.options[entry.points]
    decimals = 0 if float(entry.value).is_integer() else 1
    unit = words.unit if words.unit not in ("", "балл") else ""
    return format_number(entry.value, decimals) + (f"{NBSP}{unit}" if unit else "")


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
