"""The regional справка's view: municipalities compared, in words, from the stored roll-up.

A regional run's report.md / report.html / report.docx are the regional справка
(``templates/regional.md.j2`` and ``templates/sections/regional/``): participation by
municipality, the table and chart of municipalities, conclusions for each municipality and
for the region, system deficits, management decisions (:mod:`regional_decisions`), dynamics
by municipality and the appendices. Every figure is :class:`~vosp_monitor.results.Territories`'
(computed in ``analysis``); this module selects and words them, as ``view`` does for a district.

At scale the regional documents summarise territories: schools are named only up to
:data:`SCHOOL_LIST_LIMIT` (and never above ``analysis.appendix_schools``, the district
справка's rule: not submitted, the schools' ranking by municipality); beyond it the lists live
in each municipality's own set (``territories/<name>/``) and ranking.xlsx, and the справка says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from ..results import Results, TerritoryStats, Trend
from ..words.formatting import format_number
from ..words.russian import count, count_of, inflect
from .conclusions import with_unit
from .territories import ComparisonRow, TerritoryRow, comparison, territories_view

SCHOOL_LIST_LIMIT = 400  # schools the regional справка names; above it they are in the municipal sets
STRONG_LIMIT = 3  # blocks or indicators named as a municipality's strongest or weakest


@dataclass(frozen=True, slots=True)
class MunicipalityRow:
    """One municipality in the regional tables."""

    row: TerritoryRow
    name: str
    folder: str  # its own set: territories/<folder>/
    levels: tuple[int, ...]  # schools per level, config order (lowest first)
    risk: int
    system_deficits: tuple[str, ...]  # codes
    not_submitted: tuple[str, ...]  # names (code when the registry gives no name)


@dataclass(frozen=True, slots=True)
class MunicipalityNote:
    """What the справка says of one municipality: its sentences and its weak points."""

    name: str
    sentences: tuple[str, ...]
    weak: tuple[ComparisonRow, ...]  # blocks and indicators notably below the region, weakest first
    strong: tuple[ComparisonRow, ...]
    missed_targets: tuple[str, ...]  # «KR-1: 25,0 % при цели 30 %»


@dataclass(frozen=True, slots=True)
class SchoolLine:
    code: str
    name: str
    total: float
    place: int  # in the region
    level: str


@dataclass(frozen=True, slots=True)
class SchoolGroup:
    municipality: str
    schools: tuple[SchoolLine, ...]


@dataclass(frozen=True, slots=True)
class ChangeRow:
    name: str
    previous_total: float | None
    total: float | None
    change: float | None
    trend: str
    previous_place: float | None
    place: float | None
    how: str


@dataclass(frozen=True, slots=True)
class RegionalView:
    word: str  # «муниципалитет»
    words: str  # «муниципалитеты»
    words_of: str  # «муниципалитетов»
    words_to: str  # «муниципалитетам»
    words_instr: str  # «муниципалитетами»
    method: str
    groups: tuple[str, ...]
    minimum: int
    rows: tuple[MunicipalityRow, ...]  # placed first by place, then the others
    whole: TerritoryStats
    level_labels: tuple[str, ...]
    notes: tuple[MunicipalityNote, ...]
    region_findings: tuple[str, ...]
    spread: tuple[str, ...]  # blocks on which the municipalities differ most, in words
    deficit_titles: tuple[tuple[str, str], ...]  # (code, title) of every system deficit named
    schools_listed: bool  # the schools are named here (else in the municipal sets)
    by_municipality: tuple[SchoolGroup, ...]
    changes: tuple[ChangeRow, ...]
    previous: str


def _levels(config: Config, stats: TerritoryStats) -> tuple[int, ...]:
    return tuple(stats.level_counts.get(level.label, 0) for level in config.scoring.levels)


@dataclass(frozen=True, slots=True)
class RegionComparison:
    """The section «<Муниципалитет> и регион» of a municipality's справка."""

    name: str
    word: str  # «муниципалитет»
    place: str  # «1 из 2 (в 90 % пересчётов — места 1–2)», or why it has no place
    rows: tuple[ComparisonRow, ...]  # total, blocks and indicators: the municipality and the region
    differences: tuple[str, ...]  # each row's difference as printed: «+6,8», «—» when a side is missing


def regional_view(results: Results, folders: dict[str, str]) -> RegionalView | None:
    """The regional справка's view (None without territories); ``folders``: name → its set's folder."""
    territories = results.territories
    tv = territories_view(results)
    if territories is None or tv is None:
        return None
    config = results.config
    whole = territories.whole
    names = {s.code: s.name for s in results.not_submitted}
    total_schools = len(results.schools) + len(results.excluded) + len(results.not_submitted)
    listed = total_schools <= min(SCHOOL_LIST_LIMIT, config.analysis.appendix_schools)
    rows = tuple(
        MunicipalityRow(
            row=r,
            name=label(r.stats),
            folder=folders.get(label(r.stats), ""),
            levels=_levels(config, r.stats),
            risk=len(r.stats.risk),
            system_deficits=tuple(r.stats.system_deficits),
            not_submitted=tuple(names.get(c) or c for c in r.stats.not_submitted) if listed else (),
        )
        for r in tv.rows
    )
    notes = tuple(_note(config, r.stats, whole) for r in tv.rows)
    deficits = {c for r in tv.rows for c in r.stats.system_deficits} | set(whole.system_deficits)
    by_school = {s.code: s for s in results.schools}
    return RegionalView(
        word=territories.word,
        words=inflect(territories.word, "plur"),
        words_of=inflect(territories.word, "plur", "gent"),
        words_to=inflect(territories.word, "plur", "datv"),
        words_instr=inflect(territories.word, "plur", "ablt"),
        method=tv.method,
        groups=tv.groups,
        minimum=territories.min_schools,
        rows=rows,
        whole=whole,
        level_labels=tuple(level.label for level in config.scoring.levels),
        notes=notes,
        region_findings=_region_findings(config, [r.stats for r in tv.rows], whole, territories.word),
        spread=_spread(config, [r.stats for r in tv.rows if r.stats.place]),
        deficit_titles=tuple((i.code, i.title) for i in config.indicators() if i.code in deficits),
        schools_listed=listed,
        by_municipality=tuple(
            SchoolGroup(
                label(r.stats),
                tuple(
                    SchoolLine(s.code, s.name, s.total, s.place, s.level)
                    for s in (by_school[c] for c in r.stats.schools if c in by_school)
                ),
            )
            for r in tv.rows
        )
        if listed
        else (),
        changes=_changes(results),
        previous=territories.previous,
    )


def label(stats: TerritoryStats) -> str:
    """A municipality as the documents and its folder name it (with its region in a two-level run)."""
    return f"{stats.parent}, {stats.name}" if stats.parent else stats.name


def _note(config: Config, stats: TerritoryStats, whole: TerritoryStats) -> MunicipalityNote:
    """A municipality's total, strongest and weakest blocks and indicators against the region."""
    rows = comparison(config, stats, whole)
    name = label(stats)
    sentences: list[str] = []
    total = rows[0]
    if stats.counts.scored == 0:
        return MunicipalityNote(name, ("Ни одна ОО не оценена: сравнить с регионом нельзя.",), (), (), ())
    if total.difference is not None:
        side = "выше" if total.difference > 0 else "ниже"
        about = (
            f"на {format_number(abs(total.difference))}"
            if total.notable
            else "— в пределах обычного разброса"
        )
        sentences.append(
            f"Средний итоговый балл — {format_number(total.territory)} ({side} среднего по региону "
            f"{format_number(total.whole)} {about})."
            if total.notable
            else f"Средний итоговый балл — {format_number(total.territory)}, близко к среднему по региону "
            f"({format_number(total.whole)})."
        )
    blocks = [
        r
        for r in rows[1:]
        if r.notable and r.difference is not None and r.unit == "балл" and "(" not in r.label
    ]
    weak = tuple(
        sorted((r for r in blocks if (r.difference or 0) < 0), key=lambda r: r.difference or 0)[:STRONG_LIMIT]
    )
    strong = tuple(
        sorted((r for r in blocks if (r.difference or 0) > 0), key=lambda r: -(r.difference or 0))[
            :STRONG_LIMIT
        ]
    )
    if strong:
        sentences.append("Сильнее региона: " + "; ".join(_gap(r) for r in strong) + ".")
    if weak:
        sentences.append("Слабее региона: " + "; ".join(_gap(r) for r in weak) + ".")
    missed = _missed_targets(config, stats)
    if missed:
        sentences.append("Цели не достигнуты (сводное значение): " + "; ".join(missed) + ".")
    if stats.system_deficits:
        sentences.append(f"Системные дефициты: {', '.join(stats.system_deficits)}.")
    if stats.risk:
        sentences.append(f"В зоне риска — {count(len(stats.risk), 'ОО')}.")
    return MunicipalityNote(name, tuple(sentences), weak, strong, tuple(missed))


def _gap(row: ComparisonRow) -> str:
    sign = "+" if (row.difference or 0) > 0 else "−"
    return f"{row.label} — {format_number(row.territory)} ({sign}{format_number(abs(row.difference or 0))})"


def _missed_targets(config: Config, stats: TerritoryStats) -> list[str]:
    missed = []
    for ind in config.indicators():
        item = stats.indicators.get(ind.code)
        if ind.target is not None and item is not None and item.target_met is False:
            missed.append(
                f"{ind.code} — {with_unit(item.value, ind.unit)} при цели {with_unit(ind.target, ind.unit, 0)}"
            )
    return missed


def _region_findings(
    config: Config, units: list[TerritoryStats], whole: TerritoryStats, word: str
) -> tuple[str, ...]:
    """The region's main conclusions: the spread of the municipalities, the strongest and weakest."""
    placed = [u for u in units if u.place and u.total.mean is not None]
    found = [
        f"Оценено {count(whole.counts.scored, 'ОО')} из {count_of(len(units), word)}; "
        f"средний итоговый балл по региону — {format_number(whole.total.mean)}, медиана — {format_number(whole.total.median)}."
    ]
    if len(placed) >= 2:
        best, worst = placed[0], placed[-1]
        gap = (best.total.mean or 0) - (worst.total.mean or 0)
        found.append(
            f"Наибольший средний итоговый балл — {label(best)} ({format_number(best.total.mean)}), "
            f"наименьший — {label(worst)} ({format_number(worst.total.mean)}); разрыв — {format_number(gap)} балла"
            + (
                ", это существенное различие."
                if gap >= config.analysis.notable_difference
                else ", в пределах обычного разброса."
            )
        )
        weakest = _note(config, worst, whole).weak
        if weakest:
            found.append(
                f"{label(worst)} отстаёт от региона прежде всего по: "
                + "; ".join(_gap(r) for r in weakest)
                + "."
            )
    unranked = [u for u in units if not u.place]
    if unranked:
        found.append(
            f"Не ранжируются ({count(len(unranked), inflect(word, 'nomn'))}): "
            + ", ".join(label(u) for u in unranked)
            + "."
        )
    if whole.system_deficits:
        found.append(f"Системные дефициты региона: {', '.join(whole.system_deficits)}.")
    return tuple(found)


def _spread(config: Config, placed: list[TerritoryStats]) -> tuple[str, ...]:
    """The top-level blocks on which the compared municipalities differ by at least notable_difference."""
    out = []
    for block in config.blocks:
        means = [
            (u.blocks[block.id].mean, label(u))
            for u in placed
            if block.id in u.blocks and u.blocks[block.id].mean is not None
        ]
        if len(means) < 2:
            continue
        high, low = max(means), min(means)
        gap = float(high[0] or 0) - float(low[0] or 0)
        if gap >= config.analysis.notable_difference:
            out.append(
                f"{block.id}. {block.title}: от {format_number(low[0])} ({low[1]}) до {format_number(high[0])} ({high[1]}), "
                f"разрыв {format_number(gap)}"
            )
    return tuple(out)


def _changes(results: Results) -> tuple[ChangeRow, ...]:
    territories = results.territories
    if territories is None:
        return ()
    link = {"same": "", "renamed": "переименован: ", "merged": "объединение: "}
    return tuple(
        ChangeRow(
            name=f"{c.parent}, {c.name}" if c.parent else c.name,
            previous_total=c.total.previous,
            total=c.total.current,
            change=c.total.change,
            trend=_TREND_RU[c.total.trend],
            previous_place=c.place.previous,
            place=c.place.current,
            how=(link[str(c.link)] + ", ".join(c.previous)) if str(c.link) != "same" else "",
        )
        for c in territories.changes
    )


_TREND_RU = {
    Trend.better: "рост",
    Trend.worse: "снижение",
    Trend.stable: "без существенных изменений",
    Trend.incomparable: "не сравнивается",
}
