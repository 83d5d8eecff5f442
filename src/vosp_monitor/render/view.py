"""The report's *view*: every number and list the templates print, prepared once.

Templates stay logic-free: here the results become rows formatted in Russian, with long
lists capped where 40,000 schools would make a section unreadable (the rest is in the
cards and ranking.xlsx). Building it is linear in the number of schools.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..config import (
    Block,
    Config,
    IndicatorType,
    Method,
    aggregation_ru,
    block_aggregation,
    indicator_shares,
    method_ru,
)
from ..outputs import unique_filenames
from ..problems import CATALOGUE, SEVERITY_RU, Severity
from ..results import Results, SchoolResult
from .formatting import NBSP, format_compact, format_date, format_int, format_number, format_percent, plural

# How much of a long list the main report shows; the rest is in the cards and ranking.xlsx.
LIST_LIMIT = 50  # leaders, risk zone, schools reaching a target
RECOMMENDATION_LIMIT = 200  # schools with addressed recommendations in the main report
PROBLEM_LIMIT = 300  # rows of the data-quality appendix
PAGE_SIZE = 100  # rows per page of the HTML ranking (client-side)


@dataclass(slots=True)
class SchoolRow:
    """One school as every template sees it (formatted once, reused by report and card)."""

    place: int
    code: str
    name: str
    file: str
    total: float
    level: str
    level_index: int
    blocks: list[float | None]
    groups: list[str]
    group_places: list[int | None]
    below_base: bool
    risk: bool
    risk_reasons: list[str] = field(default_factory=list)
    # The school's deficits, formatted when a template first asks (the main report shows
    # only the first RECOMMENDATION_LIMIT addressed schools; cards show every school's).
    school: SchoolResult | None = field(default=None, repr=False)
    ind_meta: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    formatted_deficits: list[dict[str, Any]] | None = field(default=None, repr=False)

    @property
    def has_deficits(self) -> bool:
        return self.school is not None and any(code in self.ind_meta for code in self.school.deficits)

    @property
    def deficits(self) -> list[dict[str, Any]]:
        if self.formatted_deficits is None:
            self.formatted_deficits = _deficit_items(self.school, self.ind_meta) if self.school else []
        return self.formatted_deficits


def _deficit_items(school: SchoolResult, ind_meta: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **ind_meta[code],
            "value": value_text(school, code, ind_meta[code]),
            "points": school.indicators[code].points,
            "max_points": school.indicators[code].max_points,
        }
        for code in school.deficits
        if code in ind_meta
    ]


def build_view(results: Results, cards: bool = True) -> dict[str, Any]:
    """Everything the report templates use, computed once (linear in the number of schools)."""
    config = results.config
    top_blocks = config.blocks
    all_blocks = config.all_blocks()
    block_titles = {b.id: b.title for b in all_blocks}
    indicators = {ind.code: ind for ind in config.indicators()}
    block_of = config.block_of()
    levels = _levels(config)
    lowest = config.scoring.levels[0].label
    level_index = {lvl["label"]: i for i, lvl in enumerate(levels)}
    groups = [config.field(key) for key in config.ranking.groups]
    filenames = unique_filenames([s.code for s in results.schools])
    ind_meta = {
        code: {
            "code": code,
            "title": ind.title,
            "unit": ind.unit,
            "measure": ind.measure,
            "share": ind.type == IndicatorType.share,
            "options": {o.points: o.label for o in ind.options or []},
            "yesno": ind.method == Method.yesno,
        }
        for code, ind in indicators.items()
    }

    rows = []
    for school in results.schools:
        reasons = []
        if school.level == lowest:
            reasons.append(f"уровень «{school.level}»")
        for block_id, block in school.blocks.items():
            if block.below_base:
                reasons.append(
                    f"«{config.scoring.critical.label}» по блоку «{block_titles.get(block_id, block_id)}»"
                )
        rows.append(
            SchoolRow(
                place=school.place,
                code=school.code,
                name=school.name,
                file=filenames[school.code],
                total=school.total,
                level=school.level,
                level_index=level_index.get(school.level, 0),
                blocks=[school.blocks[b.id].score if b.id in school.blocks else None for b in top_blocks],
                groups=[str(school.groups.get(g.key, "")) for g in groups],
                group_places=[school.group_places.get(g.key) for g in groups],
                below_base=school.below_base,
                risk=bool(reasons),
                risk_reasons=reasons,
                school=school,
                ind_meta=ind_meta,
            )
        )

    n = len(rows)
    leaders: list[SchoolRow] = []
    if n:
        k = max(1, math.ceil(n * config.analysis.top_share))
        cutoff = rows[k - 1].place
        leaders = [r for r in rows if r.place <= cutoff]
    risk = [r for r in rows if r.risk]
    addressed = [r for r in rows if r.risk or r.has_deficits]
    submitted = n + len(results.excluded)

    return {
        "results": results,
        "config": config,
        "m": config.monitoring,
        "run_date": format_date(results.generated_at),
        "tool_version": results.tool_version,
        "source": results.source,
        "cards": cards,
        "levels": levels,
        "critical_label": config.scoring.critical.label,
        "method": _method_rows(config),
        "top_blocks": [{"id": b.id, "title": b.title} for b in top_blocks],
        "total_aggregation": aggregation_ru(config.scoring.aggregation),
        "ties_text": _ties_text(config),
        "group_fields": [{"key": g.key, "label": g.label} for g in groups],
        "participation": {
            "expected": results.expected_count,
            "submitted": submitted,
            "ranked": n,
            "excluded": results.excluded,
            "not_submitted": results.not_submitted,
            "skipped": results.skipped,
            "coverage": submitted / results.expected_count if results.expected_count else None,
        },
        "total": results.total_stats,
        "level_rows": _level_rows(levels, results.level_counts, n),
        "block_rows": _block_rows(results, all_blocks, levels),
        "indicator_rows": _indicator_rows(results, config, block_of),
        "group_rows": _group_rows(results, groups),
        "ranking": rows,
        "page_size": PAGE_SIZE,
        "leaders": leaders[:LIST_LIMIT],
        "leaders_count": len(leaders),
        "risk": risk[:LIST_LIMIT],
        "risk_count": len(risk),
        "targets": _target_rows(results, config, rows),
        "system_deficits": _system_deficit_rows(results, config, block_titles),
        "recommendations": addressed[:RECOMMENDATION_LIMIT],
        "recommendations_count": len(addressed),
        "problem_summary": _problem_summary(results),
        "problems": results.problems[:PROBLEM_LIMIT],
        "problems_count": len(results.problems),
        "normalisations": results.normalisations[:PROBLEM_LIMIT],
        "normalisations_count": len(results.normalisations),
        "limit": LIST_LIMIT,
        "charts": {"targets": {}},
    }


def _levels(config: Config) -> list[dict[str, Any]]:
    levels = config.scoring.levels
    return [
        {
            "label": lvl.label,
            "lower": lvl.lower,
            "upper": levels[i + 1].lower if i + 1 < len(levels) else 100.0,
            "last": i + 1 == len(levels),
        }
        for i, lvl in enumerate(levels)
    ]


def _ties_text(config: Config) -> str:
    decimals = config.ranking.decimals
    rule = (
        "равные баллы — одно место, следующее место пропускается (1, 2, 2, 4)"
        if config.ranking.ties == "min"
        else "равные баллы — одно место, без пропусков (1, 2, 2, 3)"
    )
    return f"{rule}; баллы сравниваются после округления до {plural(decimals, 'знака', 'знаков', 'знаков')} после запятой"


def _scoring_text(ind: Any) -> str:
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


def _method_rows(config: Config) -> list[dict[str, Any]]:
    """Blocks and indicators in config order, with depth, effective shares and maximum points."""
    rows: list[dict[str, Any]] = []

    def walk(blocks: list[Block], share: float, depth: int) -> None:
        total = sum(b.weight for b in blocks) or 1.0
        for block in blocks:
            weight = block.weight / total
            shares = indicator_shares(block, config)
            rows.append(
                {
                    "kind": "block",
                    "id": block.id,
                    "title": block.title,
                    "depth": depth,
                    "weight": weight * 100,
                    "weight_total": share * weight * 100,
                    "aggregation": aggregation_ru(block_aggregation(block, config)),
                    "max_points": sum(i.max_points for i in block.all_indicators()),
                    "indicators": [
                        {
                            "code": ind.code,
                            "title": ind.title,
                            "unit": ind.unit,
                            "weight": shares[ind.code] * 100,
                            "max_points": ind.max_points,
                            "method": method_ru(ind.method),
                            "scale": _scoring_text(ind),
                            "direction": "больше — лучше"
                            if ind.direction.value == "higher"
                            else "меньше — лучше",
                            "critical": ind.critical,
                            "target": ind.target,
                        }
                        for ind in block.indicators
                    ],
                }
            )
            walk(block.blocks, share * weight, depth + 1)

    walk(config.blocks, 1.0, 0)
    return rows


def _level_rows(levels: list[dict[str, Any]], counts: dict[str, int], n: int) -> list[dict[str, Any]]:
    return [
        {
            **lvl,
            "count": counts.get(lvl["label"], 0),
            "share": counts.get(lvl["label"], 0) / n if n else None,
        }
        for lvl in reversed(levels)
    ]


def _block_rows(results: Results, blocks: list[Block], levels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    depth = _block_depths(results.config.blocks)
    return [
        {
            "id": block.id,
            "title": block.title,
            "depth": depth.get(block.id, 0),
            "stats": results.block_stats[block.id].scores,
            "levels": [
                results.block_stats[block.id].level_counts.get(lvl["label"], 0) for lvl in reversed(levels)
            ],
            "below_base": results.block_stats[block.id].below_base_count,
        }
        for block in blocks
        if block.id in results.block_stats
    ]


def _block_depths(blocks: list[Block], depth: int = 0) -> dict[str, int]:
    result: dict[str, int] = {}
    for block in blocks:
        result[block.id] = depth
        result.update(_block_depths(block.blocks, depth + 1))
    return result


def _indicator_rows(results: Results, config: Config, block_of: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for ind in config.indicators():
        stats = results.indicator_stats.get(ind.code)
        if stats is None:
            continue
        share = ind.type == IndicatorType.share
        zero = stats.points_shares.get("0")
        rows.append(
            {
                "code": ind.code,
                "title": ind.title,
                "block": block_of.get(ind.code, ""),
                "unit": ind.unit,
                "district": district_text(ind, stats),
                "median": stats.values.median if share else None,
                "score_mean": stats.scores.mean,
                "zero_share": zero,
                "deficit_share": stats.deficit_share,
                "deficit_count": stats.deficit_count,
                "system": stats.system_deficit,
                "count": stats.values.count,
            }
        )
    return rows


def _group_rows(results: Results, groups: list[Any]) -> list[dict[str, Any]]:
    """Total score by peer group (тип ОО, местность): the usual «город/село» comparison."""
    import statistics

    rows = []
    for group in groups:
        totals: dict[str, list[float]] = {}
        for school in results.schools:
            totals.setdefault(str(school.groups.get(group.key, "")), []).append(school.total)
        for value in sorted(totals):
            scores = totals[value]
            rows.append(
                {
                    "field": group.label,
                    "value": value or "не указано",
                    "count": len(scores),
                    "mean": statistics.fmean(scores),
                    "median": statistics.median(scores),
                }
            )
    return rows


def _target_rows(results: Results, config: Config, rows: list[SchoolRow]) -> list[dict[str, Any]]:
    by_code = {s.code: s for s in results.schools}
    targets = []
    for ind in config.indicators():
        stats = results.indicator_stats.get(ind.code)
        if ind.target is None or stats is None:
            continue
        share = ind.type == IndicatorType.share and stats.pooled is not None
        reached, missed = [], []
        for row in rows:
            entry = by_code[row.code].indicators.get(ind.code)
            if entry is None or entry.value is None:
                continue
            (reached if _meets(entry, ind) else missed).append({"row": row, "value": entry.value})
        targets.append(
            {
                "code": ind.code,
                "title": ind.title,
                "unit": ind.unit,
                "target": ind.target,
                "lower_is_better": ind.direction.value == "lower",
                "district": stats.pooled if share else stats.values.mean,
                "district_kind": "сводное значение по району" if share else "среднее по ОО",
                "district_note": "Σ числителей / Σ знаменателей по всем ОО" if share else "",
                "mean": stats.values.mean,
                "median": stats.values.median,
                "meets": stats.district_meets_target,
                "target_share": stats.target_share,
                "reached": reached[:LIST_LIMIT],
                "reached_count": len(reached),
                "missed": missed[:LIST_LIMIT],
                "missed_count": len(missed),
                "values": [e["value"] for e in reached + missed],
            }
        )
    return targets


def _meets(entry: Any, ind: Any) -> bool:
    if entry.target_met is not None:
        return bool(entry.target_met)
    if ind.direction.value == "lower":
        return entry.value <= ind.target
    return entry.value >= ind.target


def _system_deficit_rows(
    results: Results, config: Config, block_titles: dict[str, str]
) -> list[dict[str, Any]]:
    rows = []
    block_of = config.block_of()
    for code in results.system_deficits:
        stats = results.indicator_stats.get(code)
        try:
            ind = config.indicator(code)
        except KeyError:
            continue
        rows.append(
            {
                "code": code,
                "title": ind.title,
                "block": block_titles.get(block_of.get(code, ""), ""),
                "count": stats.deficit_count if stats else 0,
                "share": stats.deficit_share if stats else None,
                "decision": ind.district_measure or ind.measure,
            }
        )
    return rows


def _problem_summary(results: Results) -> list[dict[str, Any]]:
    counts = Counter(p.code for p in results.problems)
    severities = {p.code: p.severity for p in results.problems}
    order = list(CATALOGUE)
    return [
        {
            "code": code,
            "title": CATALOGUE[code].title if code in CATALOGUE else code,
            "severity": SEVERITY_RU.get(severities[code], str(severities[code])),
            "error": severities[code] == Severity.error,
            "count": count,
        }
        for code, count in sorted(
            counts.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else len(order), kv[0])
        )
    ]


def district_text(ind: Any, stats: Any) -> str:
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


def value_text(school: SchoolResult, code: str, meta: dict[str, Any]) -> str:
    """What the school reported, as a reader expects it: «35,1 % (13 из 37)», «да», a choice."""
    entry = school.indicators.get(code)
    if entry is None or entry.status == "not_applicable":
        return "не применяется"
    if entry.value is None:
        return "—"
    if meta["share"]:
        text = format_percent(entry.value)
        if entry.numerator is not None and entry.denominator is not None:
            text += f" ({format_int(entry.numerator)} из {format_int(entry.denominator)})"
        return text
    if meta["yesno"]:
        return "да" if entry.value else "нет"
    if meta["options"] and entry.points in meta["options"]:
        return meta["options"][entry.points]
    decimals = 0 if float(entry.value).is_integer() else 1
    unit = meta["unit"] if meta["unit"] not in ("", "балл") else ""
    return format_number(entry.value, decimals) + (f"{NBSP}{unit}" if unit else "")
