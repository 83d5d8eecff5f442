"""The методика in words: blocks, indicators and their scales, levels, ties, and the rules the
справка states before any result — when a school has a deficit, when a deficit is systemic,
and what an error in a form does.

Each rule is worded from the config, the same for every indicator, and every exception the
config makes (an indicator's own ``deficit`` or ``invalid``) is named, so that a reader can
check any verdict of the report against the rule it follows. Nothing here computes a
statistic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..config import (
    Block,
    Config,
    DeficitRule,
    Direction,
    FieldMissing,
    Indicator,
    MissingPolicy,
    SmallBase,
    aggregation_ru,
    block_aggregation,
    indicator_shares,
)
from ..config.computed import readable
from ..words.formatting import NBSP, format_compact, plural


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
                    method=ind.spec.name,
                    scale=ind.spec.describe(ind),
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


@dataclass(frozen=True, slots=True)
class FormulaRow:
    """A computed indicator's formula as the методика prints it, with what each name is."""

    code: str
    title: str
    formula: str  # «(r1 + r2) / R × 100»
    legend: str  # «r1 — Ответили «полностью удовлетворён»; …; R — Всего ответивших»
    checks: str  # the checks between its inputs: «r1 + r2 ≤ R»
    zero: str = ""  # what its ``missing`` does to a zero divisor: «при R = 0 — не учитывается»


_ZERO_RU = {
    MissingPolicy.error: "ОО исключается из рейтинга",
    MissingPolicy.zero: "0 баллов",
    MissingPolicy.not_applicable: "не учитывается",
}


def formula_rows(config: Config) -> tuple[FormulaRow, ...]:
    """Every computed indicator's formula in readable form, in config order."""
    labels = {f.key: f.label for f in config.school_fields}
    rows = []
    for ind in config.indicators():
        if ind.expression is None:
            continue
        legend = [f"{item.key} — {item.label}" for item in ind.inputs]
        legend += [f"{key} — {labels[key]}" for key in sorted(ind.expression.names & set(labels))]
        checks = "; ".join(readable(expression) for _, expression in ind.parsed_checks)
        divisor = ind.formula_denominator
        zero = (  # said where the config says it (check-config asks for it where a divisor may be 0)
            f"при {readable(divisor)} = 0 — {_ZERO_RU[ind.missing]}"
            if divisor is not None and "missing" in ind.model_fields_set
            else ""
        )
        rows.append(
            FormulaRow(ind.code, ind.title, readable(ind.expression), "; ".join(legend), checks, zero)
        )
    return tuple(rows)


@dataclass(frozen=True, slots=True)
class MethodRules:
    """The rules of the методика, as sentences."""

    deficit: str  # the one deficit rule, with its exceptions
    system: str  # when a deficit is systemic, and why a met target can still be one
    errors: tuple[str, ...]  # what errors in a form do: fields, wrong values, empty values
    small: str = ""  # when a value rests on too few people and how many are flagged ("": never)


_POLICY_RU = {
    MissingPolicy.error: "исключает ОО из рейтинга до исправления формы",
    MissingPolicy.zero: "оценивается в 0 баллов",
    MissingPolicy.not_applicable: "не учитывается (ни в сумме баллов, ни в максимуме)",
}


def deficit_conditions(rule: DeficitRule, targets: Sequence[str] = ()) -> str:
    """«ОО получила наименьший балл шкалы показателя или не достигла его цели (…)»."""
    parts = []
    if rule.lowest_points:
        parts.append("ОО получила наименьший балл шкалы показателя")
    if rule.target_missed:
        where = f" (цели заданы: {', '.join(targets)})" if targets else ""
        parts.append(f"не достигла его цели{where}")
    if rule.score_below is not None:
        parts.append(f"оценка показателя ниже {format_compact(rule.score_below)} из 100")
    if rule.points_at_most is not None:
        parts.append(f"получено не больше {plural(int(rule.points_at_most), 'балла', 'баллов', 'баллов')}")
    return " или ".join(parts)


def small_rule(config: Config, flagged: Mapping[str, int]) -> str:
    """«Мало данных»: below which denominator a value is flagged, what that does, and how many were.

    ``flagged``: indicator code → ranked schools whose value is flagged (``IndicatorStats.small_count``).
    """
    limits = {
        ind.code: (limit, config.small_policy(ind))
        for ind in config.indicators()
        if (limit := config.min_denominator(ind))
    }
    if not limits:
        return ""
    bounds = {limit for limit, _ in limits.values()}
    where = (
        f"меньше {format_compact(bounds.pop())}"
        if len(bounds) == 1
        else "меньше порога показателя ("
        + "; ".join(f"{code} — {format_compact(limit)}" for code, (limit, _) in limits.items())
        + ")"
    )
    left_out = [code for code, (_, policy) in limits.items() if policy == SmallBase.not_applicable]
    effect = (
        "учитывается в баллах"
        if not left_out
        else (
            "не учитывается (ни в сумме баллов, ни в максимуме)"
            if len(left_out) == len(limits)
            else f"учитывается в баллах, кроме {', '.join(left_out)}: там оно не учитывается"
        )
    )
    counts = {code: n for code, n in flagged.items() if n and code in limits}
    total = sum(counts.values())
    found = (
        f"Так отмечено {plural(total, 'значение', 'значения', 'значений')}: "
        + "; ".join(f"{code} — {n}" for code, n in counts.items())
        if total
        else "Таких значений нет"
    )
    return (
        f"Значение доли или вычисляемого показателя, знаменатель которого {where}, опирается на "
        f"слишком малое число людей: оно отмечается «мало данных» в карточках, письмах и таблицах и "
        f"{effect}. {found}."
    )


def method_rules(config: Config, flagged: Mapping[str, int] | None = None) -> MethodRules:
    indicators = config.indicators()
    targets = [i.code for i in indicators if i.target is not None]
    own = [i for i in indicators if i.deficit is not None]
    deficit = (
        f"Дефицит у ОО по показателю — если {deficit_conditions(config.analysis.deficit, targets)}. "
        "Правило одно для всех показателей"
    )
    if own:
        exceptions = "; ".join(f"{i.code} — если {deficit_conditions(config.deficit_rule(i))}" for i in own)
        deficit += f", кроме заданных в перечне показателей особо: {exceptions}"
    share = format_compact(config.analysis.system_deficit_share * 100, 1)
    system = f"Дефицит системный, если он выявлен более чем у {share}{NBSP}% ОО рейтинга."
    return MethodRules(
        deficit=deficit + ".",
        system=system,
        errors=_error_rules(config, indicators),
        small=small_rule(config, flagged or {}),
    )


def _error_rules(config: Config, indicators: list[Indicator]) -> tuple[str, ...]:
    excluding = [
        f"«{f.label}»" for f in config.school_fields if f.required and f.missing_policy == FieldMissing.error
    ]
    warning = [
        f"«{f.label}»"
        for f in config.school_fields
        if f.required and f.missing_policy == FieldMissing.warning
    ]
    fields = f"Незаполненное или неверное поле сведений об ОО, без которого её нельзя оценить ({', '.join(excluding)}), исключает ОО из рейтинга"
    if warning:
        fields += f"; незаполненные справочные сведения ({', '.join(warning)}) отмечаются предупреждением, ОО остаётся в рейтинге"
    common = config.validation.invalid_value
    invalid = (
        "Неверное значение показателя (не число, отрицательное или дробное количество, значение вне "
        f"допустимого диапазона, числитель больше знаменателя и т. п.) {_POLICY_RU[common]} — одинаково "
        "для всех показателей"
    )
    special = [i for i in indicators if config.invalid_policy(i) != common]
    if special:
        invalid += ", кроме: " + "; ".join(
            f"{i.code} — {_POLICY_RU[config.invalid_policy(i)]}" for i in special
        )
    by_policy: dict[MissingPolicy, list[str]] = {}
    for ind in indicators:
        by_policy.setdefault(ind.missing, []).append(ind.code)
    usual = max(by_policy, key=lambda policy: len(by_policy[policy]))
    empty = f"Пустое значение показателя {_POLICY_RU[usual]}"
    others = [
        f"у {', '.join(codes)} — {_POLICY_RU[policy]}"
        for policy, codes in by_policy.items()
        if policy != usual
    ]
    if others:
        empty += "; " + "; ".join(others)
    return (fields + ".", invalid + ".", empty + ".")
