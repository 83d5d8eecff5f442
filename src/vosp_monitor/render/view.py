"""The report's *view*: every row and number the справка prints, as frozen dataclasses.

The view only selects and words what ``analysis`` computed and :class:`Results` carries
(group comparisons, target attainment, the risk zone, the leaders); it computes no
statistic, so report.md, report.html, the school cards and the coming Word documents
print the same figures from one source. Templates stay logic-free: they print fields
and apply the formatting filters of :mod:`formatting`. Long lists are capped where
40,000 schools would make a section unreadable (the rest is in the cards and
ranking.xlsx). Building the view is linear in the number of schools.

The rows live by seam: schools (``rows``), the district's figures (``sections``), the
methodology and values in words (``wording``); a school's card is ``cards``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..config import aggregation_ru
from ..problems import CATALOGUE, SEVERITY_RU, Severity
from ..results import Distribution, ExpectedSchool, Results, SkippedFile
from ..submission import Normalisation
from .formatting import format_date
from .rows import DeficitItem, Recommendation, SchoolRow, deficit_items, ranking_rows
from .sections import (
    BlockRow,
    GroupRow,
    IndicatorRow,
    LevelRow,
    SystemDeficitRow,
    TargetRow,
    block_rows,
    group_rows,
    indicator_rows,
    level_rows,
    system_deficit_rows,
    target_rows,
)
from .view_audit import AuditView, audit_view
from .view_dynamics import DynamicsView, dynamics_view
from .view_robustness import RobustnessView, robustness_view
from .wording import (
    IndicatorWords,
    LevelView,
    MethodBlock,
    excluded_reasons,
    indicator_words,
    levels,
    method_blocks,
    ties_text,
)

__all__ = [  # the rows a template (or a document writer) meets, re-exported with the view
    "BlockRow",
    "DeficitItem",
    "GroupRow",
    "IndicatorRow",
    "LevelRow",
    "Recommendation",
    "ReportView",
    "SchoolRow",
    "SystemDeficitRow",
    "TargetRow",
    "build_view",
    "deficit_items",
]

# How much of a long list the main report shows; the rest is in the cards and ranking.xlsx.
LIST_LIMIT = 50  # leaders, risk zone, schools reaching a target
RECOMMENDATION_LIMIT = 200  # schools with addressed recommendations in the main report
PROBLEM_LIMIT = 300  # rows of the data-quality appendix
PAGE_SIZE = 100  # rows per page of the HTML ranking (client-side)


@dataclass(frozen=True, slots=True)
class MonitoringView:
    title: str
    authority: str
    period: str
    basis: str
    purpose: str


@dataclass(frozen=True, slots=True)
class BlockRef:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class GroupField:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class ExcludedRow:
    code: str
    name: str
    file: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Participation:
    expected: int | None
    submitted: int
    ranked: int
    excluded: tuple[ExcludedRow, ...]
    not_submitted: tuple[ExpectedSchool, ...]
    skipped: tuple[SkippedFile, ...]
    coverage: float | None  # submitted / expected


@dataclass(frozen=True, slots=True)
class ProblemKind:
    code: str
    title: str
    severity: str
    error: bool
    count: int


@dataclass(frozen=True, slots=True)
class ProblemRow:
    file: str
    location: str
    message: str
    consequence: str


@dataclass(frozen=True, slots=True)
class Charts:
    """Inline SVG charts of the HTML report ("" where there is none)."""

    total: str = ""
    blocks: str = ""
    targets: dict[str, str] = field(default_factory=dict)
    places: str = ""  # the rank-interval chart of the robustness section
    trend_blocks: str = ""  # the «Динамика» section's (charts_dynamics)
    trend_targets: str = ""


@dataclass(frozen=True, slots=True)
class ReportView:
    monitoring: MonitoringView
    run_date: str
    tool_version: str
    source: str
    cards: bool
    levels: tuple[LevelView, ...]  # lowest first
    critical_label: str
    method: tuple[MethodBlock, ...]
    top_blocks: tuple[BlockRef, ...]
    total_aggregation: str
    ties_text: str
    group_fields: tuple[GroupField, ...]
    participation: Participation
    total: Distribution
    level_rows: tuple[LevelRow, ...]  # highest first
    block_rows: tuple[BlockRow, ...]
    indicator_rows: tuple[IndicatorRow, ...]
    group_rows: tuple[GroupRow, ...]
    ranking: tuple[SchoolRow, ...]
    page_size: int
    top_share: float  # % of the ranking counted as leaders
    leaders: tuple[SchoolRow, ...]
    leaders_count: int
    risk: tuple[SchoolRow, ...]
    risk_count: int
    targets: tuple[TargetRow, ...]
    system_deficit_share: float  # %
    system_deficits: tuple[SystemDeficitRow, ...]
    recommendations: tuple[Recommendation, ...]
    recommendations_count: int
    problem_summary: tuple[ProblemKind, ...]
    problems: tuple[ProblemRow, ...]
    problems_count: int
    normalisations: tuple[Normalisation, ...]
    normalisations_count: int
    limit: int
    words: dict[str, IndicatorWords] = field(repr=False)  # for the cards
    charts: Charts = field(default_factory=Charts)
    robustness: RobustnessView | None = None  # the «Устойчивость мест» section
    audit: AuditView | None = None  # the appendix «Качество системы показателей»
    dynamics: DynamicsView | None = None  # the comparison with earlier years (view_dynamics)


def build_view(results: Results, cards: bool = True) -> ReportView:
    """Everything the report templates print, selected and worded once (linear in schools)."""
    config = results.config
    monitoring = config.monitoring
    words = indicator_words(config, results.indicator_stats)
    level_views = levels(config)
    method = method_blocks(config)
    ranking = ranking_rows(results)
    by_code = {row.code: row for row in ranking}
    submitted = len(ranking) + len(results.excluded)
    addressed = [
        (school, row)
        for school, row in zip(results.schools, ranking, strict=True)
        if row.risk or any(code in words for code in school.deficits)
    ]
    risk = [by_code[entry.code] for entry in results.risk]
    leaders = [by_code[code] for code in results.leaders]
    return ReportView(
        monitoring=MonitoringView(
            monitoring.title, monitoring.authority, monitoring.period, monitoring.basis, monitoring.purpose
        ),
        run_date=format_date(results.generated_at),
        tool_version=results.tool_version,
        source=results.source,
        cards=cards,
        levels=level_views,
        critical_label=config.scoring.critical.label,
        method=method,
        top_blocks=tuple(BlockRef(b.id, b.title) for b in config.blocks),
        total_aggregation=aggregation_ru(config.scoring.aggregation),
        ties_text=ties_text(config),
        group_fields=tuple(GroupField(key, config.field(key).label) for key in config.ranking.groups),
        participation=Participation(
            expected=results.expected_count,
            submitted=submitted,
            ranked=len(ranking),
            excluded=tuple(
                ExcludedRow(e.code, e.name, e.file, excluded_reasons(e.problems)) for e in results.excluded
            ),
            not_submitted=tuple(results.not_submitted),
            skipped=tuple(results.skipped),
            coverage=submitted / results.expected_count if results.expected_count else None,
        ),
        total=results.total_stats,
        level_rows=level_rows(level_views, results.level_counts, len(ranking)),
        block_rows=block_rows(results, level_views, {row.id: row.depth for row in method}),
        indicator_rows=indicator_rows(results, words),
        group_rows=group_rows(results),
        ranking=ranking,
        page_size=PAGE_SIZE,
        top_share=config.analysis.top_share * 100,
        leaders=tuple(leaders[:LIST_LIMIT]),
        leaders_count=len(leaders),
        risk=tuple(risk[:LIST_LIMIT]),
        risk_count=len(risk),
        targets=target_rows(results, by_code, LIST_LIMIT),
        system_deficit_share=config.analysis.system_deficit_share * 100,
        system_deficits=system_deficit_rows(results),
        recommendations=tuple(
            Recommendation(row, deficit_items(school, words))
            for school, row in addressed[:RECOMMENDATION_LIMIT]
        ),
        recommendations_count=len(addressed),
        problem_summary=_problem_summary(results),
        problems=tuple(
            ProblemRow(p.file, p.location, p.message, p.consequence_text)
            for p in results.problems[:PROBLEM_LIMIT]
        ),
        problems_count=len(results.problems),
        normalisations=tuple(results.normalisations[:PROBLEM_LIMIT]),
        normalisations_count=len(results.normalisations),
        limit=LIST_LIMIT,
        words=words,
        robustness=robustness_view(results, {r.code: r.place_range for r in ranking if r.place_range}),
        audit=None if results.audit is None else audit_view(config, results.audit),
        dynamics=dynamics_view(results, by_code),
    )


def _problem_summary(results: Results) -> tuple[ProblemKind, ...]:
    counts = Counter(p.code for p in results.problems)
    severities = {p.code: p.severity for p in results.problems}
    order = {code: i for i, code in enumerate(CATALOGUE)}
    return tuple(
        ProblemKind(
            code=code,
            title=CATALOGUE[code].title if code in CATALOGUE else code,
            severity=SEVERITY_RU.get(severities[code], str(severities[code])),
            error=severities[code] == Severity.error,
            count=count,
        )
        for code, count in sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
    )
