"""Schools as every template sees them: a ranking row, its deficits, a recommendation.

A :class:`SchoolRow` is made once per ranked school and shared by the справка's ranking,
leaders, risk zone, target lists, recommendations and the school's own card, so a school
is worded the same way everywhere. The risk zone's reasons come from ``Results.risk``
(data) and are worded here; nothing is computed anew.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..outputs import unique_filenames
from ..results import Results, SchoolResult
from .view_robustness import PlaceRangeView, place_ranges
from .wording import IndicatorWords, risk_reasons, value_text


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
    place_range: PlaceRangeView | None = None  # the place over the robustness runs, when they ran


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


def ranking_rows(results: Results) -> tuple[SchoolRow, ...]:
    config = results.config
    top = [b.id for b in config.blocks]
    groups = list(config.ranking.groups)
    level_index = {lvl.label: i for i, lvl in enumerate(config.scoring.levels)}
    titles = {b.id: b.title for b in config.all_blocks()}
    critical = config.scoring.critical.label
    reasons = {entry.code: entry for entry in results.risk}  # the risk zone, as analysis found it
    filenames = unique_filenames([s.code for s in results.schools])
    ranges = place_ranges(results)
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
                place_range=ranges.get(school.code),
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
