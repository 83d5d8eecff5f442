"""The report's *view*: every row and number the справка prints, as frozen dataclasses.

The view only selects and words what ``analysis`` computed and :class:`Results` carries
(group comparisons, target attainment, the risk zone, the leaders); it computes no
statistic, so report.md, report.html, the school cards and the coming Word documents
print the same figures from one source. Templates stay logic-free: they print fields
and apply the formatting filters of :mod:`formatting`. Long lists are capped where
40,000 schools would make a section unreadable (the rest is in the cards and
ranking.xlsx). Building the view is linear in the number of schools.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..config import aggregation_ru
from ..outputs import unique_filenames
from ..problems import CATALOGUE, SEVERITY_RU, Severity
from ..results import (
    Distribution,
    DistrictKind,
    ExpectedSchool,
    IndicatorResult,
    Results,
    SchoolResult,
    SkippedFile,
)
from ..submission import Normalisation
from .formatting import format_date
from .wording import (
    IndicatorWords,
    LevelView,
    MethodBlock,
    excluded_reasons,
    indicator_words,
    levels,
    method_blocks,
    problem_consequence,
    problem_message,
    risk_reasons,
    ties_text,
    value_text,
)

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
class LevelRow:
    label: str
    index: int  # 0 for the lowest level
    count: int
    share: float | None


@dataclass(frozen=True, slots=True)
class BlockRow:
    id: str
    title: str
    depth: int
    stats: Distribution
    levels: tuple[int, ...]  # schools per level, highest first (as level_rows)
    below_base: int


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    code: str
    title: str
    block: str
    unit: str
    district: str
    median: float | None  # the median of the schools' shares (shares only)
    score_mean: float | None
    zero_share: float | None
    deficit_share: float
    deficit_count: int
    system: bool
    count: int


@dataclass(frozen=True, slots=True)
class GroupRow:
    field: str  # the group field's label
    value: str
    count: int
    mean: float | None
    median: float | None
    block_means: tuple[float | None, ...]  # per top-level block, as top_blocks


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """One ranked school as every template sees it (made once, shared by report and card)."""

    place: int
    code: str
    name: str
    file: str  # the safe file name of its card, without extension
    total: float
    level: str
    level_index: int
    blocks: tuple[float | None, ...]  # as top_blocks
    groups: tuple[str, ...]  # as group_fields
    group_places: tuple[int | None, ...]
    below_base: bool
    risk: bool
    risk_reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DeficitItem:
    code: str
    title: str
    measure: str
    value: str
    points: float | None
    max_points: float


@dataclass(frozen=True, slots=True)
class Recommendation:
    school: SchoolRow
    deficits: tuple[DeficitItem, ...]


@dataclass(frozen=True, slots=True)
class TargetSchool:
    row: SchoolRow
    value: float


@dataclass(frozen=True, slots=True)
class TargetRow:
    code: str
    title: str
    unit: str
    target: float
    lower_is_better: bool
    district: float | None
    district_label: str  # «сводное значение по району» or «среднее по ОО»
    district_heading: str  # the same, capitalised, to start a sentence
    district_note: str
    mean: float | None
    median: float | None
    meets: bool | None
    target_share: float | None
    reached: tuple[TargetSchool, ...]  # the first LIST_LIMIT
    reached_count: int
    reached_more: int  # reached but not listed
    missed: tuple[TargetSchool, ...]
    missed_count: int
    missed_more: int
    counted: int  # schools with a value: reached + missed
    values: tuple[float, ...]  # every school's value (for the chart)


@dataclass(frozen=True, slots=True)
class SystemDeficitRow:
    code: str
    title: str
    block: str
    count: int
    share: float | None
    decision: str


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


def build_view(results: Results, cards: bool = True) -> ReportView:
    """Everything the report templates print, selected and worded once (linear in schools)."""
    config = results.config
    monitoring = config.monitoring
    words = indicator_words(config, results.indicator_stats)
    level_views = levels(config)
    method = method_blocks(config)
    ranking = _ranking_rows(results)
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
        level_rows=_level_rows(level_views, results.level_counts, len(ranking)),
        block_rows=_block_rows(results, level_views, {row.id: row.depth for row in method}),
        indicator_rows=_indicator_rows(results, words),
        group_rows=_group_rows(results),
        ranking=ranking,
        page_size=PAGE_SIZE,
        top_share=config.analysis.top_share * 100,
        leaders=tuple(leaders[:LIST_LIMIT]),
        leaders_count=len(leaders),
        risk=tuple(risk[:LIST_LIMIT]),
        risk_count=len(risk),
        targets=_target_rows(results, by_code),
        system_deficit_share=config.analysis.system_deficit_share * 100,
        system_deficits=_system_deficit_rows(results),
        recommendations=tuple(
            Recommendation(row, deficit_items(school, words))
            for school, row in addressed[:RECOMMENDATION_LIMIT]
        ),
        recommendations_count=len(addressed),
        problem_summary=_problem_summary(results),
        problems=tuple(
            ProblemRow(p.file, p.location, problem_message(p), problem_consequence(p))
            for p in results.problems[:PROBLEM_LIMIT]
        ),
        problems_count=len(results.problems),
        normalisations=tuple(results.normalisations[:PROBLEM_LIMIT]),
        normalisations_count=len(results.normalisations),
        limit=LIST_LIMIT,
        words=words,
    )


def _ranking_rows(results: Results) -> tuple[SchoolRow, ...]:
    config = results.config
    top = [b.id for b in config.blocks]
    groups = list(config.ranking.groups)
    level_index = {lvl.label: i for i, lvl in enumerate(config.scoring.levels)}
    titles = {b.id: b.title for b in config.all_blocks()}
    critical = config.scoring.critical.label
    reasons = {entry.code: entry for entry in results.risk}  # the risk zone, as analysis found it
    filenames = unique_filenames([s.code for s in results.schools])
    rows = []
    for school in results.schools:
        entry = reasons.get(school.code)
        rows.append(
            SchoolRow(
                place=school.place,
                code=school.code,
                name=school.name,
                file=filenames[school.code],
                total=school.total,
                level=school.level,
                level_index=level_index.get(school.level, 0),
                blocks=tuple(school.blocks[b].score if b in school.blocks else None for b in top),
                groups=tuple(str(school.groups.get(key, "")) for key in groups),
                group_places=tuple(school.group_places.get(key) for key in groups),
                below_base=school.below_base,
                risk=entry is not None,
                risk_reasons=() if entry is None else risk_reasons(entry, school.level, critical, titles),
            )
        )
    return tuple(rows)


def deficit_items(school: SchoolResult, words: dict[str, IndicatorWords]) -> tuple[DeficitItem, ...]:
    """A school's deficits with their values in words and the recommended measures."""
    return tuple(
        DeficitItem(
            code=code,
            title=words[code].title,
            measure=words[code].measure,
            value=value_text(school.indicators.get(code), words[code]),
            points=school.indicators[code].points,
            max_points=school.indicators[code].max_points,
        )
        for code in school.deficits
        if code in words
    )


def _level_rows(level_views: tuple[LevelView, ...], counts: dict[str, int], n: int) -> tuple[LevelRow, ...]:
    return tuple(
        LevelRow(
            label=lvl.label,
            index=lvl.index,
            count=counts.get(lvl.label, 0),
            share=counts.get(lvl.label, 0) / n if n else None,
        )
        for lvl in reversed(level_views)
    )


def _block_rows(
    results: Results, level_views: tuple[LevelView, ...], depth: dict[str, int]
) -> tuple[BlockRow, ...]:
    return tuple(
        BlockRow(
            id=block.id,
            title=block.title,
            depth=depth.get(block.id, 0),
            stats=results.block_stats[block.id].scores,
            levels=tuple(
                results.block_stats[block.id].level_counts.get(lvl.label, 0) for lvl in reversed(level_views)
            ),
            below_base=results.block_stats[block.id].below_base_count,
        )
        for block in results.config.all_blocks()
        if block.id in results.block_stats
    )


def _indicator_rows(results: Results, words: dict[str, IndicatorWords]) -> tuple[IndicatorRow, ...]:
    rows = []
    for ind in results.config.indicators():
        stats = results.indicator_stats.get(ind.code)
        if stats is None:
            continue
        word = words[ind.code]
        rows.append(
            IndicatorRow(
                code=ind.code,
                title=ind.title,
                block=word.block,
                unit=ind.unit,
                district=word.district,
                median=stats.values.median if word.share else None,
                score_mean=stats.scores.mean,
                zero_share=stats.points_shares.get("0"),
                deficit_share=stats.deficit_share,
                deficit_count=stats.deficit_count,
                system=stats.system_deficit,
                count=stats.values.count,
            )
        )
    return tuple(rows)


def _group_rows(results: Results) -> tuple[GroupRow, ...]:
    """Total score by peer group (тип ОО, местность): the usual «город/село» comparison."""
    config = results.config
    top = [b.id for b in config.blocks]
    return tuple(
        GroupRow(
            field=config.field(group.key).label,
            value=group.value or "не указано",
            count=group.count,
            mean=group.total.mean,
            median=group.total.median,
            block_means=tuple(group.blocks[b].mean if b in group.blocks else None for b in top),
        )
        for group in results.group_stats
    )


_DISTRICT_LABEL = {DistrictKind.pooled: "сводное значение по району", DistrictKind.mean: "среднее по ОО"}
_DISTRICT_NOTE = {DistrictKind.pooled: "Σ числителей / Σ знаменателей по всем ОО", DistrictKind.mean: ""}


def _target_rows(results: Results, by_code: dict[str, SchoolRow]) -> tuple[TargetRow, ...]:
    rows = []
    values = {s.code: s.indicators for s in results.schools}
    for code, target in results.targets.items():
        ind = results.config.indicator(code)
        stats = results.indicator_stats[code]

        def listed(codes: list[str], code: str = code) -> list[TargetSchool]:
            return [TargetSchool(by_code[c], _value(values[c], code)) for c in codes]

        reached, missed = listed(target.reached[:LIST_LIMIT]), listed(target.missed[:LIST_LIMIT])
        label = _DISTRICT_LABEL[target.kind]
        rows.append(
            TargetRow(
                code=code,
                title=ind.title,
                unit=ind.unit,
                target=target.target,
                lower_is_better=target.lower_is_better,
                district=target.district,
                district_label=label,
                district_heading=label[:1].upper() + label[1:],
                district_note=_DISTRICT_NOTE[target.kind],
                mean=stats.values.mean,
                median=stats.values.median,
                meets=target.met,
                target_share=stats.target_share,
                reached=tuple(reached),
                reached_count=len(target.reached),
                reached_more=len(target.reached) - len(reached),
                missed=tuple(missed),
                missed_count=len(target.missed),
                missed_more=len(target.missed) - len(missed),
                counted=len(target.reached) + len(target.missed),
                values=tuple(_value(values[c], code) for c in [*target.reached, *target.missed]),
            )
        )
    return tuple(rows)


def _value(indicators: dict[str, IndicatorResult], code: str) -> float:
    """A value listed in a target's reached/missed lists (which hold only schools with one)."""
    value = indicators[code].value
    return float("nan") if value is None else value


def _system_deficit_rows(results: Results) -> tuple[SystemDeficitRow, ...]:
    config = results.config
    titles = {b.id: b.title for b in config.all_blocks()}
    block_of = config.block_of()
    rows = []
    for code in results.system_deficits:
        if not config.has_indicator(code):
            continue
        ind = config.indicator(code)
        stats = results.indicator_stats.get(code)
        rows.append(
            SystemDeficitRow(
                code=code,
                title=ind.title,
                block=titles.get(block_of.get(code, ""), ""),
                count=stats.deficit_count if stats else 0,
                share=stats.deficit_share if stats else None,
                decision=ind.district_measure or ind.measure,
            )
        )
    return tuple(rows)


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
