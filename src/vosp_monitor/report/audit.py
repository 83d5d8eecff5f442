"""The appendix «Качество системы показателей» and ``vosp-monitor audit``: the audit in words.

Words what ``analysis.audit`` stored in :attr:`Results.audit` as advice for revising
indicators.yaml next year: each flag becomes one sentence that says what was found (with
the number) and what to consider. The same rows serve the report's appendix, the
terminal (:func:`audit_text`) and ``--format json`` (:func:`audit_json`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ..config import Config
from ..results import Audit, BlockFlag, IndicatorAudit, IndicatorFlag, Results
from ..words.formatting import format_compact, format_number, format_share
from .methodology import method_blocks


@dataclass(frozen=True, slots=True)
class AlphaRow:
    id: str
    title: str
    depth: int
    items: int
    schools: int
    alpha: float | None
    low: bool
    advice: str


@dataclass(frozen=True, slots=True)
class AuditRow:
    code: str
    title: str
    block: str  # the title of the block holding it
    r_block: float | None
    r_total: float | None
    same_share: float | None
    same_text: str  # «92,0 % — максимум»
    skew: float | None
    flagged: bool
    advice: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PairRow:
    first: str
    second: str
    r: float
    same_block: bool
    advice: str


@dataclass(frozen=True, slots=True)
class AuditView:
    blocks: tuple[AlphaRow, ...]
    rows: tuple[AuditRow, ...]  # every indicator, in config order
    flagged: tuple[AuditRow, ...]  # those with advice
    pairs: tuple[PairRow, ...]
    weak: float
    collinear: float
    same_share: float  # %
    low_alpha: float


def _r(value: float | None) -> str:
    return format_number(value, 2)


def _same_text(item: IndicatorAudit, maximum: float) -> str:
    if item.same_share is None or item.same_points is None:
        return "—"
    where = (
        "максимум"
        if item.same_points == maximum
        else "0 баллов"
        if item.same_points == 0
        else f"{format_compact(item.same_points)} б."
    )
    return f"{format_share(item.same_share)} — {where}"


def _advice(
    item: IndicatorAudit, config: Config, partners: dict[str, list[tuple[str, float]]]
) -> tuple[str, ...]:
    maximum = config.indicator(item.code).max_points
    out = []
    flags = set(item.flags)
    if IndicatorFlag.negative_block in flags:
        out.append(
            f"оценка показателя идёт вразрез с оценкой своего блока (r = {_r(item.r_block)}): проверьте "
            "направление (direction) и шкалу; если они верны, показатель измеряет другое — перенесите его"
        )
    elif IndicatorFlag.weak_block in flags:
        out.append(
            f"почти не связан с оценкой своего блока (r = {_r(item.r_block)}): проверьте, в том ли он блоке"
        )
    if IndicatorFlag.negative_total in flags and IndicatorFlag.negative_block not in flags:
        out.append(
            f"идёт вразрез с итоговым баллом (r = {_r(item.r_total)}): проверьте направление (direction)"
        )
    elif IndicatorFlag.weak_total in flags and not flags & {
        IndicatorFlag.negative_block,
        IndicatorFlag.weak_block,
        IndicatorFlag.negative_total,
    }:
        out.append(f"почти не связан с итоговым баллом (r = {_r(item.r_total)})")
    if IndicatorFlag.same_points in flags:
        share = format_share(item.same_share)
        if item.same_points == maximum:
            out.append(
                f"у {share} ОО максимум баллов: показатель не различает школы — поднимите планку "
                "(границы интервалов) или замените показатель"
            )
        elif item.same_points == 0:
            out.append(
                f"у {share} ОО 0 баллов: планку почти никто не достигает — проверьте, посильна ли она и "
                "понятен ли вопрос школам"
            )
        else:
            out.append(f"у {share} ОО одинаковые баллы: показатель почти не различает школы")
    if IndicatorFlag.skewed in flags:
        out.append(
            f"значения сильно скошены (асимметрия {_r(item.skew)}): несколько ОО с очень большими значениями "
            "сжимают оценки остальных — рассмотрите transform: log или баллы по интервалам (bands)"
        )
    for other, r in partners.get(item.code, []):
        out.append(
            f"почти дублирует показатель {other} (r = {_r(r)}): вместе они удваивают вес одного и того же — "
            "объедините их или оставьте один"
        )
    return tuple(out)


def audit_view(config: Config, audit: Audit) -> AuditView:
    settings = config.analysis.audit
    titles = {b.id: b.title for b in config.all_blocks()}
    depth = {b.id: b.depth for b in method_blocks(config)}
    partners: dict[str, list[tuple[str, float]]] = {}
    for pair in audit.pairs:
        partners.setdefault(pair.first, []).append((pair.second, pair.r))
    rows = tuple(
        AuditRow(
            code=item.code,
            title=config.indicator(item.code).title,
            block=titles.get(item.block, item.block),
            r_block=item.r_block,
            r_total=item.r_total,
            same_share=item.same_share,
            same_text=_same_text(item, config.indicator(item.code).max_points),
            skew=item.skew,
            flagged=bool(advice := _advice(item, config, partners)),
            advice=advice,
        )
        for item in audit.indicators
        if config.has_indicator(item.code)
    )
    blocks = tuple(
        AlphaRow(
            id=b.id,
            title=titles.get(b.id, b.id),
            depth=depth.get(b.id, 0),
            items=b.items,
            schools=b.schools,
            alpha=b.alpha,
            low=BlockFlag.low_alpha in b.flags,
            advice=(
                f"показатели блока слабо согласованы (α = {_r(b.alpha)}): блок объединяет разные стороны "
                "работы; если так и задумано, это допустимо, иначе пересмотрите его состав"
                if BlockFlag.low_alpha in b.flags
                else ""
            ),
        )
        for b in audit.blocks
    )
    pairs = tuple(
        PairRow(
            p.first,
            p.second,
            p.r,
            p.same_block,
            "в одном блоке" if p.same_block else "в разных блоках: один и тот же признак считается дважды",
        )
        for p in audit.pairs
    )
    return AuditView(
        blocks=blocks,
        rows=rows,
        flagged=tuple(row for row in rows if row.flagged),
        pairs=pairs,
        weak=settings.weak_correlation,
        collinear=settings.collinear,
        same_share=settings.same_points_share * 100,
        low_alpha=settings.low_alpha,
    )


def _audit_of(results: Results) -> Audit:
    """The stored audit, or (the config switched it off) one computed now: it was asked for."""
    if results.audit is not None:
        return results.audit
    from ..analysis.audit import audit_schools

    return audit_schools(results.config, results.schools)


def audit_text(results: Results) -> str:
    """``vosp-monitor audit``: the audit as plain text for the terminal (Russian).

    Titles and codes come from indicators.yaml; each goes through ``text.terminal_text``.
    """
    from ..words.text import terminal_text as t

    view = audit_view(results.config, _audit_of(results))
    lines = [
        f"Качество системы показателей: {t(results.config.monitoring.title)}",
        f"ОО в рейтинге: {len(results.schools)}",
        "",
        "Согласованность блоков (α Кронбаха по показателям или вложенным блокам):",
    ]
    for b in view.blocks:
        pad = "  " * (b.depth + 1)
        alpha = "—" if b.alpha is None else _r(b.alpha)
        lines.append(f"{pad}{t(b.id)} {t(b.title)}: α = {alpha} (частей {b.items}, ОО {b.schools})")
        if b.advice:
            lines.append(f"{pad}  → {b.advice}")
    lines.append("")
    if view.flagged:
        lines.append("Что пересмотреть в indicators.yaml:")
        for row in view.flagged:
            lines.append(f"  {t(row.code)} {t(row.title)}")
            lines += [f"    → {t(advice)}" for advice in row.advice]
    else:
        lines.append("Замечаний к показателям нет.")
    lines += ["", "Показатели (r — корреляция оценки показателя с оценкой блока и с итогом):"]
    for row in view.rows:
        lines.append(
            f"  {t(row.code):10} r с блоком {_r(row.r_block):>6}  r с итогом {_r(row.r_total):>6}  "
            f"одинаковые баллы {row.same_text}"
        )
    return "\n".join(lines)


def audit_json(results: Results) -> dict[str, Any]:
    """``vosp-monitor audit --format json``: the stored data with the advice in words."""
    audit = _audit_of(results)
    view = audit_view(results.config, audit)
    advice = {row.code: list(row.advice) for row in view.rows}
    data = asdict(audit)
    for item in data["indicators"]:
        item["advice"] = advice.get(item["code"], [])
    for block, row in zip(data["blocks"], view.blocks, strict=True):
        block["advice"] = row.advice
    return data
