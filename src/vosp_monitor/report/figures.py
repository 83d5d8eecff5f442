"""The district's figures in the справка: levels, blocks, indicators, peer groups, targets,
system deficits — each a tuple of frozen rows for the templates.

Every number is one that ``analysis`` stored in :class:`Results` (distributions, group
comparisons, target attainment, deficit shares); here they are only selected, ordered
and given their words (an indicator's district value, «сводное значение по району»).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import Distribution, DistrictKind, IndicatorResult, Results
from ..words.formatting import format_number
from ..words.russian import TerritoryWords
from .conclusions import with_unit
from .methodology import LevelView
from .rows import SchoolRow
from .wording import IndicatorWords


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
class TargetSchool:
    row: SchoolRow
    value: float
    text: str  # the value with its unit: «77,8 %»


@dataclass(frozen=True, slots=True)
class TargetRow:
    code: str
    title: str
    unit: str
    target: float
    lower_is_better: bool
    district: float | None
    district_text: str  # the district value with its unit
    target_text: str  # «не менее 80 %»
    district_label: str  # «сводное значение по району» or «среднее по ОО»
    district_heading: str  # the same, capitalised, to start a sentence
    district_note: str
    mean: float | None
    median: float | None
    mean_text: str  # with the unit
    median_text: str
    meets: bool | None
    target_share: float | None
    reached: tuple[TargetSchool, ...]  # highest first; all, or the first ``limit`` of a long list
    reached_count: int
    reached_more: int  # reached but not listed
    missed: tuple[TargetSchool, ...]  # lowest first (the furthest from the target)
    missed_count: int
    missed_more: int
    counted: int  # schools with a value: reached + missed
    values: tuple[float, ...]  # every school's value (for the chart)
    schools: tuple[TargetSchool, ...]  # every school with a value, lowest first (for the chart)
    verdict: str  # the written verdict (conclusions)
    explanation: str  # why a target met across the territory is still a system deficit ("" otherwise)


@dataclass(frozen=True, slots=True)
class SystemDeficitRow:
    code: str
    title: str
    block: str
    count: int
    share: float | None
    decision: str
    note: str  # why it is systemic although the territory meets its target ("" otherwise)


def level_rows(level_views: tuple[LevelView, ...], counts: dict[str, int], n: int) -> tuple[LevelRow, ...]:
    return tuple(
        LevelRow(
            label=lvl.label,
            index=lvl.index,
            count=counts.get(lvl.label, 0),
            share=counts.get(lvl.label, 0) / n if n else None,
        )
        for lvl in reversed(level_views)
    )


def block_rows(
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


def indicator_rows(results: Results, words: dict[str, IndicatorWords]) -> tuple[IndicatorRow, ...]:
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


def group_rows(results: Results) -> tuple[GroupRow, ...]:
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


def target_rows(
    results: Results,
    by_code: dict[str, SchoolRow],
    territory: TerritoryWords,
    verdicts: dict[str, tuple[str, ...]],
    limit: int,
    list_all: int,
) -> tuple[TargetRow, ...]:
    """Per target: the district value in its kind, and who reached it and who did not.

    Lists up to ``list_all`` schools are shown whole; longer ones name the first ``limit``
    (the missed list from the furthest below the target) and count the rest.
    """
    rows = []
    values = {s.code: s.indicators for s in results.schools}
    labels = {DistrictKind.pooled: f"сводное значение {territory.by}", DistrictKind.mean: "среднее по ОО"}
    notes = {DistrictKind.pooled: "Σ числителей / Σ знаменателей по всем ОО", DistrictKind.mean: ""}
    for code, target in results.targets.items():
        ind = results.config.indicator(code)
        stats = results.indicator_stats[code]

        def listed(codes: list[str], code: str = code, unit: str = ind.unit) -> list[TargetSchool]:
            return [_target_school(by_code[c], _value(values[c], code), unit) for c in codes]

        lower = target.lower_is_better
        reached = sorted(listed(target.reached), key=lambda s: s.value, reverse=not lower)
        missed = sorted(listed(target.missed), key=lambda s: s.value, reverse=lower)
        counted = len(reached) + len(missed)
        shown = counted if counted <= list_all else limit
        label = labels[target.kind]
        rows.append(
            TargetRow(
                code=code,
                title=ind.title,
                unit=ind.unit,
                target=target.target,
                lower_is_better=lower,
                district=target.district,
                district_text=with_unit(target.district, ind.unit),
                target_text=f"{'не более' if lower else 'не менее'} {with_unit(target.target, ind.unit, 0)}",
                district_label=label,
                district_heading=label[:1].upper() + label[1:],
                district_note=notes[target.kind],
                mean=stats.values.mean,
                median=stats.values.median,
                mean_text=with_unit(stats.values.mean, ind.unit),
                median_text=with_unit(stats.values.median, ind.unit),
                meets=target.met,
                target_share=stats.target_share,
                reached=tuple(reached[:shown]),
                reached_count=len(reached),
                reached_more=max(0, len(reached) - shown),
                missed=tuple(missed[:shown]),
                missed_count=len(missed),
                missed_more=max(0, len(missed) - shown),
                counted=counted,
                values=tuple(s.value for s in [*reached, *missed]),
                schools=tuple(sorted([*reached, *missed], key=lambda s: s.value)),
                verdict=verdicts.get(code, ("",))[0],
                explanation=" ".join(verdicts.get(code, ())[1:]),
            )
        )
    return tuple(rows)


def _target_school(row: SchoolRow, value: float, unit: str) -> TargetSchool:
    return TargetSchool(row, value, with_unit(value, unit))


def _value(indicators: dict[str, IndicatorResult], code: str) -> float:
    """A value listed in a target's reached/missed lists (which hold only schools with one)."""
    value = indicators[code].value
    return float("nan") if value is None else value


def system_deficit_rows(results: Results, territory: TerritoryWords) -> tuple[SystemDeficitRow, ...]:
    config = results.config
    met = set(results.conclusions.systemic_with_target_met)
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
                decision=ind.district_measure
                or "методическая помощь ОО с дефицитом (решения — в таблице ниже)",
                note=_met_note(results, code, territory) if code in met else "",
            )
        )
    return tuple(rows)


def _met_note(results: Results, code: str, territory: TerritoryWords) -> str:
    target = results.targets[code]
    unit = results.config.indicator(code).unit
    return (
        f"цель {territory.by} достигнута — {with_unit(target.district, unit)}, но её не достигли "
        f"{format_number(len(target.missed), 0)}\u00a0ОО из {format_number(len(target.reached) + len(target.missed), 0)}"
    )
