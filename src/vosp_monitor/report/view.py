"""The report's *view*: every row, number and sentence the справка prints, as frozen dataclasses.

The view only selects and words what ``analysis`` computed and :class:`Results` carries
(group comparisons, target attainment, the risk zone, the leaders, the facts of the
conclusions); it computes no statistic, so report.md, report.html, the school cards and
the Word documents print the same figures from one source. Templates stay logic-free: they
print fields and apply the formatting filters of :mod:`formatting`.

Complete at any size: the body of the справка names the weakest schools
(``analysis.body_schools``) where a list would run long, and says where the rest is; the
appendices hold every school — the whole ranking, and every school with addressed
recommendations, weakest first — up to ``analysis.appendix_schools`` schools; above it
(``schools_listed`` false) the appendices and the participation section say where the full
lists are (ranking.xlsx, the letters and the cards), and the rows only they print are not
built. Nothing is cut silently. Building the view is linear in the number of schools.

The rows live by seam: schools (``rows``), the district's figures (``sections``), the
методика (``methodology``), values in words (``wording``), the written conclusions
(``conclusions``), management decisions (``decisions``); a school's card is ``cards``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..config import aggregation_ru
from ..problems import CATALOGUE, SEVERITY_RU, Severity
from ..results import Distribution, ExpectedSchool, Results, SkippedFile
from ..words.formatting import format_date, format_number, format_share
from ..words.russian import TerritoryWords, agree, inflect, pick, singular, territory_words
from .audit import AuditView, audit_view
from .causes import CausesView
from .conclusions import BlockNote, write_conclusions
from .deadlines import Deadlines, deadlines
from .decisions import Decision, management_decisions
from .dynamics import DynamicsView, dynamics_view
from .figures import (
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
from .methodology import (
    FormulaRow,
    LevelView,
    MethodBlock,
    MethodRules,
    formula_rows,
    levels,
    method_blocks,
    method_rules,
    ties_text,
)
from .quality_rows import NoteRow, ProblemRow, note_rows, problem_rows
from .regional import RegionComparison
from .robustness import RobustnessView, robustness_view
from .roster import workbook_in
from .rows import (
    DeficitItem,
    MeasureRow,
    Recommendation,
    SchoolRow,
    deficit_items,
    excluded_card_names,
    measure_rows,
    ranking_rows,
    weakest_first,
)
from .wording import IndicatorWords, excluded_reasons, indicator_words

__all__ = [  # the rows a template (or a document writer) meets, re-exported with the view
    "BlockNote",
    "BlockRow",
    "CausesView",
    "Decision",
    "DeficitItem",
    "GroupRow",
    "IndicatorRow",
    "LevelRow",
    "MeasureRow",
    "Recommendation",
    "ReportView",
    "SchoolRow",
    "SystemDeficitRow",
    "TargetRow",
    "build_view",
    "deficit_items",
]

LIST_ALL = 40  # lists of schools up to this long are printed whole in the body
PROBLEM_LIMIT = 300  # rows of the data-quality appendix (all of them are in ranking.xlsx)
PAGE_SIZE = 100  # rows per screen page of the HTML ranking (and the rows a too long ranking prints)


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
    card: str  # the file name of its card (schools/<card>.html), without extension
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
class Kpi:
    value: str  # «24 из 25»
    label: str  # agreeing with the number: «организации представили формы»


@dataclass(frozen=True, slots=True)
class ProblemKind:
    code: str
    title: str
    severity: str
    error: bool
    count: int


@dataclass(frozen=True, slots=True)
class ReportView:
    monitoring: MonitoringView
    run_date: str
    dated: str  # the documents' date: the order's when given (an appendix is dated with its order), else the run's
    tool_version: str
    source: str
    cards: bool
    territory: TerritoryWords
    kpis: tuple[Kpi, ...]
    findings: tuple[str, ...]  # the main conclusions, as sentences
    levels: tuple[LevelView, ...]  # lowest first
    critical_label: str
    method: tuple[MethodBlock, ...]
    formulas: tuple[FormulaRow, ...]  # the computed indicators' formulas
    rules: MethodRules
    top_blocks: tuple[BlockRef, ...]
    total_aggregation: str
    ties_text: str
    group_fields: tuple[GroupField, ...]
    participation: Participation
    total: Distribution
    level_rows: tuple[LevelRow, ...]  # highest first
    block_rows: tuple[BlockRow, ...]
    block_notes: tuple[BlockNote, ...]  # the commentary of each top-level block
    indicator_rows: tuple[IndicatorRow, ...]
    group_rows: tuple[GroupRow, ...]
    ranking: tuple[SchoolRow, ...]  # every ranked school, by place
    page_size: int
    top_share: float  # % of the ranking counted as leaders
    leaders: tuple[SchoolRow, ...]  # the first ``body_limit`` leaders
    leaders_count: int
    risk: tuple[SchoolRow, ...]  # the weakest ``body_limit`` of the risk zone, weakest first
    risk_count: int
    causes: CausesView  # what the risk zone, the leaders and the deficits' schools share
    targets: tuple[TargetRow, ...]
    system_deficit_share: float  # %
    system_deficits: tuple[SystemDeficitRow, ...]
    decisions: tuple[Decision, ...]
    deadlines: Deadlines  # every срок of the order and the letters, as dates in order
    recommendations_body: tuple[Recommendation, ...]  # the body's: all, or the weakest ``body_limit``
    recommendations: tuple[Recommendation, ...]  # every addressed school, weakest first (when listed)
    recommendations_count: int
    recommendations_appendix: bool  # the full list is an appendix (it is longer than the body's)
    measures: tuple[MeasureRow, ...]  # the measures the appendix refers to by code
    problem_summary: tuple[ProblemKind, ...]
    problems: tuple[ProblemRow, ...]
    problems_count: int
    normalisations: tuple[NoteRow, ...]
    normalisations_count: int
    body_limit: int  # how many schools the body names in a long list
    schools_listed: bool  # the appendices list every school (at most ``analysis.appendix_schools``)
    workbook_in: str  # where the lists are when they are not listed: «электронной таблице рейтинга …»
    words: dict[str, IndicatorWords] = field(repr=False)  # for the cards
    robustness: RobustnessView | None = None  # the «Устойчивость мест» section
    audit: AuditView | None = None  # the appendix «Качество системы показателей»
    dynamics: DynamicsView | None = None  # the comparison with earlier years (view_dynamics)
    region: RegionComparison | None = None  # a municipality's set in a regional run: it beside the region


def build_view(results: Results, cards: bool = True, *, municipal: bool = False) -> ReportView:
    """Everything the report templates print, selected and worded once (linear in schools).

    ``municipal``: the results are a municipality's own set in a regional run, whose lists of
    schools are in the region's workbook (:func:`~.roster.workbook_in`)."""
    config = results.config
    monitoring = config.monitoring
    limit = config.analysis.body_schools
    territory = territory_words(config.documents.territory)
    words = indicator_words(config, results.indicator_stats)
    level_views = levels(config)
    method = method_blocks(config)
    ranking = ranking_rows(results)
    by_code = {row.code: row for row in ranking}
    submitted = len(ranking) + len(results.excluded)
    schools = {s.code: s for s in results.schools}
    weakest = weakest_first(ranking)
    listed = submitted + len(results.not_submitted) <= config.analysis.appendix_schools
    addressed_rows = [
        row for row in weakest if row.risk or any(code in words for code in schools[row.code].deficits)
    ]
    shown = addressed_rows if listed else addressed_rows[:limit]  # the appendix's rows, or the body's
    addressed = [Recommendation(row, deficit_items(schools[row.code], words)) for row in shown]
    appendix = len(addressed_rows) > limit
    risk = weakest_first([by_code[entry.code] for entry in results.risk])
    leaders = [by_code[code] for code in results.leaders]
    written = write_conclusions(results, territory, risk, limit)
    return ReportView(
        monitoring=MonitoringView(
            monitoring.title, config.authority, monitoring.period, monitoring.basis, monitoring.purpose
        ),
        run_date=format_date(results.generated_at),
        dated=config.documents.order.date.strip() or format_date(results.generated_at),
        tool_version=results.tool_version,
        source=results.source,
        cards=cards,
        territory=territory,
        kpis=_kpis(results, submitted),
        findings=written.findings,
        levels=level_views,
        critical_label=config.scoring.critical.label,
        method=method,
        formulas=formula_rows(config),
        rules=method_rules(config, {code: s.small_count for code, s in results.indicator_stats.items()}),
        top_blocks=tuple(BlockRef(b.id, b.title) for b in config.blocks),
        total_aggregation=aggregation_ru(config.scoring.aggregation),
        ties_text=ties_text(config),
        group_fields=tuple(GroupField(key, config.field(key).label) for key in config.ranking.groups),
        participation=_participation(results, submitted, len(ranking)),
        total=results.total_stats,
        level_rows=level_rows(level_views, results.level_counts, len(ranking)),
        block_rows=block_rows(results, level_views, {row.id: row.depth for row in method}),
        block_notes=written.blocks,
        indicator_rows=indicator_rows(results, words),
        group_rows=group_rows(results),
        ranking=ranking,
        page_size=PAGE_SIZE,
        top_share=config.analysis.top_share * 100,
        leaders=tuple(leaders[:limit]),
        leaders_count=len(leaders),
        risk=tuple(risk[:limit]),
        risk_count=len(risk),
        causes=written.causes,
        targets=target_rows(results, by_code, territory, written.targets, limit, LIST_ALL),
        system_deficit_share=config.analysis.system_deficit_share * 100,
        system_deficits=system_deficit_rows(results, territory),
        decisions=management_decisions(results, territory, len(addressed_rows), appendix, listed, municipal),
        deadlines=deadlines(config, results.generated_at),
        recommendations_body=tuple(addressed[:limit]),
        recommendations=tuple(addressed) if listed else (),
        recommendations_count=len(addressed_rows),
        recommendations_appendix=appendix,
        measures=measure_rows([c for row in addressed_rows for c in schools[row.code].deficits], words),
        problem_summary=_problem_summary(results),
        problems=problem_rows(results, PROBLEM_LIMIT),
        problems_count=len(results.problems),
        normalisations=note_rows(results, PROBLEM_LIMIT),
        normalisations_count=len(results.normalisations),
        body_limit=limit,
        schools_listed=listed,
        workbook_in=workbook_in(municipal),
        words=words,
        robustness=robustness_view(results, {r.code: r.place_range for r in ranking if r.place_range}),
        audit=None if results.audit is None else audit_view(config, results.audit),
        dynamics=dynamics_view(results, by_code),
    )


def _participation(results: Results, submitted: int, ranked: int) -> Participation:
    names = excluded_card_names(results)
    return Participation(
        expected=results.expected_count,
        submitted=submitted,
        ranked=ranked,
        excluded=tuple(
            ExcludedRow(e.code, e.name, e.file, name, excluded_reasons(e.problems))
            for e, name in zip(results.excluded, names, strict=True)
        ),
        not_submitted=tuple(results.not_submitted),
        skipped=tuple(results.skipped),
        coverage=submitted / results.expected_count if results.expected_count else None,
    )


def _kpis(results: Results, submitted: int) -> tuple[Kpi, ...]:
    """The headline figures, each label agreeing with its number («1 организация представила»)."""
    expected = results.expected_count
    risk = len(results.risk)
    systemic = len([c for c in results.system_deficits if results.config.has_indicator(c)])
    share = f" ({format_share(submitted / expected)})" if expected else ""
    return (
        Kpi(
            f"{submitted} из {expected}" if expected else str(submitted),
            # «24 из 25 организаций»: after «из» the noun agrees with the second number, the verb with the first
            f"{_of_expected(expected) if expected else agree(submitted, 'организация')} "
            f"{pick(submitted, 'представила форму', 'представили формы')}{share}",
        ),
        Kpi(format_number(results.total_stats.mean, 1), "средний итоговый балл (из 100)"),
        Kpi(format_number(results.total_stats.median, 1), "медиана итогового балла"),
        Kpi(str(risk), f"{agree(risk, 'организация')} в зоне риска"),
        Kpi(str(systemic), agree(systemic, "системный дефицит")),
    )


def _of_expected(expected: int) -> str:
    return inflect("организация", "gent", "sing" if singular(expected) else "plur")


def _problem_summary(results: Results) -> tuple[ProblemKind, ...]:
    """Problems by kind (code and severity: a field left empty can be an error or a warning)."""
    counts = Counter((p.code, p.severity) for p in results.problems)
    order = {code: i for i, code in enumerate(CATALOGUE)}
    return tuple(
        ProblemKind(
            code=code,
            title=CATALOGUE[code].title if code in CATALOGUE else code,
            severity=SEVERITY_RU.get(severity, str(severity)),
            error=severity == Severity.error,
            count=count,
        )
        for (code, severity), count in sorted(
            counts.items(), key=lambda kv: (order.get(kv[0][0], len(order)), kv[0][0], kv[0][1])
        )
    )
