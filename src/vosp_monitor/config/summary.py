"""The readable overview printed by ``check-config`` and the Russian names of aggregations."""

from __future__ import annotations

from ..words.formatting import format_compact, format_share
from .base import Aggregation
from .computed import readable
from .method_specs import method_ru
from .model import Block, Config

_AGGREGATION_RU = {
    Aggregation.arithmetic: "взвешенное среднее",
    Aggregation.geometric: "взвешенное среднее геометрическое",
    Aggregation.percent_of_max: "сумма баллов / максимум",
}


def aggregation_ru(aggregation: Aggregation) -> str:
    return _AGGREGATION_RU[aggregation]


def block_aggregation(block: Block, config: Config) -> Aggregation:
    """A block's own aggregation, or the run's default."""
    return block.aggregation or config.scoring.aggregation


def indicator_shares(block: Block, config: Config) -> dict[str, float]:
    """Each direct indicator's share of its block score.

    With «сумма баллов / максимум» an indicator counts by weight × maximum points, not by
    weight alone, so a 3-point indicator weighs more than a 2-point one; the report and
    check-config show that effective share so the analyst sees what really counts.
    """
    if block_aggregation(block, config) == Aggregation.percent_of_max:
        parts = {i.code: i.weight * i.max_points for i in block.indicators}
    else:
        parts = {i.code: i.weight for i in block.indicators}
    total = sum(parts.values()) or 1.0
    return {code: part / total for code, part in parts.items()}


def indicator_weight_shares(block: Block, config: Config) -> dict[str, float]:
    """Each indicator's share of the block's score, through every sub-block under it.

    A sub-block counts by its weight among its siblings (by weight × its weighted maximum
    points under «сумма баллов / максимум»), then its indicators by their shares in it.
    The shares add up to 1; ``scoring.min_coverage`` compares a school's reported part with them.
    """
    if not block.blocks:
        return indicator_shares(block, config)
    percent = block_aggregation(block, config) == Aggregation.percent_of_max
    parts = {c.id: c.weight * (_weighted_max(c) if percent else 1.0) for c in block.blocks}
    total = sum(parts.values()) or 1.0
    return {
        code: parts[child.id] / total * share
        for child in block.blocks
        for code, share in indicator_weight_shares(child, config).items()
    }


def _weighted_max(block: Block) -> float:
    """Σ weight × maximum points under a block, sub-block weights multiplied in (percent_of_max)."""
    if block.blocks:
        return sum(child.weight * _weighted_max(child) for child in block.blocks)
    return sum(ind.weight * ind.max_points for ind in block.indicators)


def _robustness_lines(config: Config) -> list[str]:
    """The data threshold and the rank-robustness settings, when they are on."""
    lines = []
    if config.validation.min_denominator:
        lines.append(f"  мало данных: знаменатель меньше {format_compact(config.validation.min_denominator)}")
    if config.scoring.min_coverage > 0:
        lines.append(
            f"  данных по блоку не меньше {format_share(config.scoring.min_coverage)} веса показателей"
        )
    u = config.analysis.uncertainty
    if u.enabled:
        noise = u.weight_noise
        alternatives = ", ".join(aggregation_ru(a) for a in u.aggregations) or "нет"
        lines.append(
            f"  устойчивость мест: {u.runs} пересчётов, веса ±{format_share(noise.indicators)} (показатели), "
            f"±{format_share(noise.subblocks)} (вложенные блоки), ±{format_share(noise.blocks)} (блоки); "
            f"другие способы свёртки: {alternatives}; зерно {u.seed}"
        )
    return lines


def summarise_config(config: Config) -> str:
    """A readable overview for ``check-config``: blocks, indicators, weights, maximum points."""
    m = config.monitoring
    lines = [
        f"{m.title}",
        f"  мониторинг: {m.id}, версия формы {m.form_version}" + (f", {m.period}" if m.period else ""),
        f"  сведения об ОО: {len(config.school_fields)} полей; ключ — «{config.key_field.label}»",
        f"  показателей: {len(config.indicators())}, блоков: {len(config.all_blocks())}",
        f"  итог: {aggregation_ru(config.scoring.aggregation)}; уровни: "
        + ", ".join(f"{lvl.label} от {format_compact(lvl.lower)}" for lvl in config.scoring.levels),
        *_robustness_lines(config),
        "",
    ]

    def walk(blocks: list[Block], share: float, depth: int) -> None:
        total = sum(b.weight for b in blocks) or 1.0
        for block in blocks:
            weight = block.weight / total
            pad = "  " * depth
            maximum = sum(i.max_points for i in block.all_indicators())
            lines.append(
                f"{pad}[{block.id}] {block.title} — вес {format_share(weight)} (в итоге {format_share(share * weight)}), "
                f"{aggregation_ru(block_aggregation(block, config))}, максимум {format_compact(maximum)} б."
            )
            walk(block.blocks, share * weight, depth + 1)
            shares = indicator_shares(block, config)
            for ind in block.indicators:
                marks = (" ★критический" if ind.critical else "") + (
                    f" цель {format_compact(ind.target)}" if ind.target is not None else ""
                )
                lines.append(
                    f"{pad}    {ind.code:8} {format_share(shares[ind.code]):>7}  макс. {format_compact(ind.max_points):>4} б.  "
                    f"{method_ru(ind.method)}{marks}  {ind.title[:70]}"
                )
                if ind.expression is not None:
                    lines.append(f"{pad}             = {readable(ind.expression)}")
                    lines.extend(f"{pad}             проверка: {readable(e)}" for _, e in ind.parsed_checks)

    walk(config.blocks, 1.0, 0)
    inputs = sum(len(ind.checks) for ind in config.indicators())
    between = f" (и проверок между входными данными: {inputs})" if inputs else ""
    lines += ["", f"Проверок согласованности: {len(config.checks)}{between}. Ошибок не найдено."]
    return "\n".join(lines)
