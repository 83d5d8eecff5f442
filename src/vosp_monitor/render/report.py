"""The findings report (аналитическая справка) and the school cards, from Jinja2 templates.

The report is what the authority attaches to its order «Об итогах мониторинга», so its
text lives in editable templates (``templates/``; ``vosp-monitor templates export``) and
this module only prepares the numbers: one *view* of the results, built once, in which
every list is ready to print (formatted in Russian, capped where 40,000 schools would make
a section unreadable). Templates stay logic-free and rendering stays linear.

Safety: HTML templates autoescape every value; Markdown templates escape every value
through ``finalize`` (a school called ``A | B`` cannot break a table), so a template
author cannot forget. Output is deterministic: the date shown is the run's
``generated_at``, never the clock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import math
import os
import re
import shutil
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..config import (
    BUNDLED_DIR,
    REPO_ROOT,
    Block,
    Config,
    IndicatorType,
    Method,
    aggregation_ru,
    block_aggregation,
    indicator_shares,
    method_ru,
)
from ..outputs import OutputError, ensure_dir, unique_filenames, write_atomic, write_text_atomic
from ..problems import CATALOGUE, SEVERITY_RU, Severity
from ..results import Results, SchoolResult, gc_paused

REPORT_TEMPLATES = ("report.md.j2", "report.html.j2")
CARD_TEMPLATES = ("school.md.j2", "school.html.j2")

# How much of a long list the main report shows; the rest is in the cards and ranking.xlsx.
LIST_LIMIT = 50  # leaders, risk zone, schools reaching a target
RECOMMENDATION_LIMIT = 200  # schools with addressed recommendations in the main report
PROBLEM_LIMIT = 300  # rows of the data-quality appendix
PAGE_SIZE = 100  # rows per page of the HTML ranking (client-side)

NBSP = "\u00a0"
_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
# Characters that change inline Markdown or break a table cell; others stay readable as is.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|&~]")
_NEWLINES = re.compile(r"[\r\n]+")


class ReportError(Exception):
    """A report cannot be rendered (usually a broken user template); message in Russian."""


# --------------------------------------------------------------------------- formatting


@functools.lru_cache(maxsize=65536)
def format_number(value: float | None, decimals: int = 1) -> str:
    """``12.5`` → ``12,5``; thousands grouped with a no-break space from 10 000; None → «—»."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no «-0,0»
    text = f"{abs(rounded):,.{decimals}f}" if decimals else f"{abs(rounded):,.0f}"
    whole, _, frac = text.partition(".")
    if abs(rounded) < 10000:
        whole = whole.replace(",", "")
    whole = whole.replace(",", NBSP)
    sign = "−" if rounded < 0 else ""
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def format_int(value: float | None) -> str:
    return format_number(value, 0)


def format_percent(value: float | None, decimals: int = 1) -> str:
    """A value already in percent: ``30`` → ``30,0 %``."""
    return "—" if value is None else f"{format_number(value, decimals)}{NBSP}%"


def format_share(fraction: float | None, decimals: int = 1) -> str:
    """A fraction 0–1 as percent: ``0.3`` → ``30,0 %``."""
    return "—" if fraction is None else format_percent(fraction * 100, decimals)


def format_date(iso: str) -> str:
    """``2026-03-15T10:30:00`` → ``15 марта 2026 г.``"""
    try:
        day = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year} г."


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: ``plural(2, "школа", "школы", "школ")`` → ``2 школы``."""
    n = int(n)
    tail = n % 100
    if 11 <= tail <= 14:
        word = many
    elif n % 10 == 1:
        word = one
    elif 2 <= n % 10 <= 4:
        word = few
    else:
        word = many
    return f"{format_int(n)} {word}"


def format_compact(value: float | None, decimals: int = 2) -> str:
    """Points, bounds, targets: no useless zeros (``3.0`` → ``3``, ``0.5`` → ``0,5``)."""
    text = format_number(value, decimals)
    if "," in text:
        text = text.rstrip("0").removesuffix(",")
    return text


@functools.lru_cache(maxsize=8192)
def md_escape(value: Any) -> str:
    """Text safe inside Markdown (and Markdown tables): specials backslash-escaped, one line.

    Cached: indicator titles and measures repeat in every one of thousands of cards.
    """
    return _NEWLINES.sub(" ", _MD_SPECIAL.sub(r"\\\g<0>", str(value)))


def _md_finalize(value: Any) -> Any:
    if value is None or isinstance(value, Markup | int | float):
        return "" if value is None else value
    return md_escape(value)


# --------------------------------------------------------------------------- templates


def default_templates_dir() -> Path:
    """The bundled templates (installed package first, then the source tree)."""
    for candidate in (BUNDLED_DIR / "templates", REPO_ROOT / "templates"):
        if (candidate / "report.html.j2").is_file():
            return candidate
    raise FileNotFoundError("шаблоны отчёта по умолчанию не найдены в установленном пакете")


def _urlpath(name: str) -> Any:
    """A file name as a relative URL; the percent-encoded result is safe in HTML and Markdown."""
    return Markup(quote(str(name)))


def _environment(templates_dir: Path | None, markdown: bool) -> Any:
    import jinja2

    search = [str(default_templates_dir())]
    if templates_dir is not None:
        if not Path(templates_dir).is_dir():
            raise ReportError(f"папка шаблонов {templates_dir} не найдена")
        search.insert(0, str(templates_dir))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        autoescape=not markdown,
        undefined=jinja2.StrictUndefined,
        finalize=_md_finalize if markdown else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        num=format_number,
        int=format_int,
        pct=format_percent,
        share=format_share,
        date=format_date,
        md=md_escape,
        pts=format_compact,
        urlpath=_urlpath,
    )
    env.globals.update(plural=plural)
    if markdown:
        env.filters["raw"] = Markup
    return env


@contextlib.contextmanager
def _template_errors(name: str) -> Iterator[None]:
    """Jinja2 errors in a (user's) template become a Russian message with file and line."""
    import jinja2

    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        raise ReportError(f"шаблон {where}, строка {exc.lineno}: ошибка синтаксиса: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise ReportError(f"шаблон {exc.name} не найден") from None
    except jinja2.UndefinedError as exc:
        raise ReportError(f"шаблон {name}: неизвестное имя или поле: {exc.message}") from None


def _render(env: Any, name: str, context: dict[str, Any]) -> str:
    with _template_errors(name):
        return env.get_template(name).render(context)


def export_templates(dest: Path, force: bool = False) -> list[Path]:
    """Copy the default templates into ``dest`` for editing; refuse to overwrite unless ``force``.

    Nothing is copied when any target exists (and ``force`` is off), so a user's edited
    templates are never half-replaced.
    """
    source = default_templates_dir()
    files = sorted(p for p in source.rglob("*") if p.is_file() and not _hidden(p.relative_to(source)))
    targets = [Path(dest) / p.relative_to(source) for p in files]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(str(t.relative_to(dest)) for t in existing[:5])
        raise OutputError(f"в папке {dest} уже есть шаблоны ({names}); чтобы заменить их, добавьте --force")
    for src, target in zip(files, targets, strict=True):
        write_atomic(target, lambda tmp, src=src: shutil.copyfile(src, tmp))
    return targets


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


# --------------------------------------------------------------------------- the view


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
            "value": _value_text(school, code, ind_meta[code]),
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
                "district": _district_text(ind, stats),
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


def _district_text(ind: Any, stats: Any) -> str:
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


def _value_text(school: SchoolResult, code: str, meta: dict[str, Any]) -> str:
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


# --------------------------------------------------------------------------- cards


def _card_context(school: SchoolResult, row: SchoolRow, district: dict[str, Any]) -> dict[str, Any]:
    """What one card adds to the report's view: this school's blocks and indicators."""
    indicators = []
    by_block: dict[str, list[dict[str, Any]]] = {}
    for ind in district["indicators"]:
        entry = school.indicators.get(ind["code"])
        item = {
            **ind,
            "value": _value_text(school, ind["code"], ind["meta"]),
            "points": entry.points if entry else None,
            "max_points": entry.max_points if entry else ind["max_points"],
            "deficit": bool(entry and entry.deficit),
            "target_met": entry.target_met if entry else None,
        }
        indicators.append(item)
        by_block.setdefault(ind["block"], []).append(item)
    blocks = []
    for block in district["blocks"]:
        result = school.blocks.get(block["id"])
        blocks.append(
            {
                **block,
                "score": result.score if result else None,
                "place": result.place if result else None,
                "below_base": bool(result and result.below_base),
                "indicators": by_block.get(block["id"], []),
            }
        )
    return {
        "school": row,
        "result": school,
        "card_blocks": blocks,
        "card_indicators": indicators,
        "group_sizes": [district["group_sizes"][i].get(g, 0) for i, g in enumerate(row.groups)],
    }


def _card_shared(view: dict[str, Any], results: Results) -> dict[str, Any]:
    """District reference values for cards, computed once for all schools."""
    config = results.config
    block_of = config.block_of()
    indicators = []
    for ind in config.indicators():
        stats = results.indicator_stats.get(ind.code)
        meta = {
            "share": ind.type == IndicatorType.share,
            "options": {o.points: o.label for o in ind.options or []},
            "yesno": ind.method == Method.yesno,
            "unit": ind.unit,
        }
        indicators.append(
            {
                "code": ind.code,
                "title": ind.title,
                "unit": ind.unit,
                "measure": ind.measure,
                "target": ind.target,
                "max_points": ind.max_points,
                "meta": meta,
                "district": _district_text(ind, stats),
                "block": block_of.get(ind.code, ""),
            }
        )
    blocks = [
        {
            "id": b["id"],
            "title": b["title"],
            "depth": b["depth"],
            "median": b["stats"].median,
            "mean": b["stats"].mean,
        }
        for b in view["block_rows"]
    ]
    group_sizes = [
        Counter(row.groups[i] for row in view["ranking"]) for i in range(len(view["group_fields"]))
    ]
    return {
        "blocks": blocks,
        "indicators": indicators,
        "group_sizes": group_sizes,
    }


# --------------------------------------------------------------------------- entry points


def render_reports(
    results: Results,
    out_dir: Path,
    templates_dir: Path | None = None,
    cards: bool = True,
    charts: bool = True,
) -> list[Path]:
    """Write report.md, report.html and (with ``cards``) schools/<code>.md/.html into ``out_dir``.

    ``templates_dir`` is a user's copy of the templates; any template missing there is
    taken from the defaults. ``cards=False`` skips the cards (minutes for 40,000 schools);
    ``charts=False`` skips matplotlib (about 1.5 s of import and drawing). Returns the
    paths written. Raises :class:`ReportError` for a
    broken template and :class:`~vosp_monitor.outputs.OutputError` when a file cannot be
    written.
    """
    out_dir = ensure_dir(Path(out_dir))
    md_env = _environment(templates_dir, markdown=True)
    html_env = _environment(templates_dir, markdown=False)
    # A view of every school: many small objects and no cycles worth collecting. (The
    # cards, one template render each, run with the collector on.)
    with gc_paused():
        view = build_view(results, cards=cards)
        written = [write_text_atomic(out_dir / "report.md", _render(md_env, "report.md.j2", view))]
        if charts:
            view["charts"] = district_charts(results, view)
        written.append(write_text_atomic(out_dir / "report.html", _render(html_env, "report.html.j2", view)))
    if cards:
        written += render_cards(results, out_dir / "schools", view, md_env, html_env)
    return written


def render_cards(
    results: Results,
    folder: Path,
    view: dict[str, Any],
    md_env: Any,
    html_env: Any,
) -> list[Path]:
    """One Markdown and one HTML card per ranked school; linear, templates compiled once.

    The cards are written into a fresh hidden folder that then replaces ``folder`` as a
    whole: the set of cards is complete or untouched, stale cards of schools that are no
    longer in the results disappear, and each file costs one plain write instead of a
    temporary file and a rename (for 40,000 schools the file system dominated).
    """
    district = _card_shared(view, results)
    common = {
        key: value for key, value in view.items() if key not in ("ranking", "recommendations", "charts")
    }
    with _template_errors("school.md.j2"):
        md_template = md_env.get_template("school.md.j2")
    with _template_errors("school.html.j2"):
        html_template = html_env.get_template("school.html.j2")
    names = []
    with _folder_replaced_atomically(folder) as tmp:
        for school, row in zip(results.schools, view["ranking"], strict=True):
            context = {**common, **_card_context(school, row, district)}
            for template, suffix in ((md_template, ".md"), (html_template, ".html")):
                with _template_errors(template.name):
                    text = template.render(context)
                name = row.file + suffix
                (tmp / name).write_text(text, encoding="utf-8", newline="\n")
                names.append(name)
    return [folder / name for name in names]


@contextlib.contextmanager
def _folder_replaced_atomically(folder: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``folder``; on success it takes ``folder``'s place."""
    ensure_dir(folder.parent)
    tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    old = folder.with_name(f".{folder.name}.old-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        tmp.mkdir()
        yield tmp
        if folder.exists():
            os.replace(folder, old)
        try:
            os.replace(tmp, folder)
        except OSError:
            if old.exists():
                os.replace(old, folder)
            raise
    except PermissionError:
        raise OutputError(
            f"папка {folder} занята другой программой (открыт один из файлов?); закройте её и повторите"
        ) from None
    except OSError as exc:
        raise OutputError(f"не удалось записать папку {folder}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def district_charts(results: Results, view: dict[str, Any]) -> dict[str, Any]:
    """The main report's SVG charts (matplotlib, imported only here)."""
    from . import charts

    levels = [(lvl["label"], lvl["lower"], lvl["upper"]) for lvl in view["levels"]]
    out: dict[str, Any] = {"targets": {}}
    if not results.schools:
        return out
    out["total"] = charts.total_distribution([s.total for s in results.schools], levels)
    rows = [r for r in view["block_rows"] if r["depth"] == 0]
    out["blocks"] = charts.block_profile([r["title"] for r in rows], [r["stats"] for r in rows])
    for i, target in enumerate(view["targets"]):
        if target["values"]:
            out["targets"][target["code"]] = charts.target_attainment(
                f"{target['code']}. {target['title']}",
                target["values"],
                target["lower_is_better"],
                target["target"],
                target["district"],
                target["unit"],
                prefix=f"t{i}",
            )
    return out
