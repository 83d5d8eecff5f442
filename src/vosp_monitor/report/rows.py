"""Schools as every template sees them: a ranking row, its deficits, a recommendation.

A :class:`SchoolRow` is made once per ranked school and shared by the справка's ranking,
leaders, risk zone, target lists, recommendations and the school's own card, so a school
is worded the same way everywhere. The risk zone's reasons come from ``Results.risk``
(data) and are worded here; nothing is computed anew. Lists that a reader works through
(the risk zone, the recommendations) go weakest first: :func:`weakest_first`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..outputs import safe_filename, unique_filenames, unused_name
from ..results import Results, RiskEntry, SchoolResult
from ..words.formatting import format_number
from .robustness import PlaceRangeView, place_ranges
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
    summary: str  # «итог 47,4, уровень «низкий» — зона риска», said once
    risk_brief: str  # why in the risk zone, in a few words: «низкий», «▼ UPR» (block ids)
    place_range: PlaceRangeView | None = None  # the place over the robustness runs, when they ran


@dataclass(frozen=True, slots=True)
class MeasureRow:
    """An indicator's measure, listed once for an appendix where schools name only codes."""

    code: str
    title: str
    measure: str


@dataclass(frozen=True, slots=True)
class DeficitItem:
    code: str
    title: str
    measure: str
    value: str
    points: float | None
    max_points: float
    brief: str  # the value without a share's counts: «5,8 %»


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
    filenames = card_filenames(results)
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
                summary=_summary(school.total, school.level, entry, critical, titles),
                risk_brief=_risk_brief(entry, school.level),
                place_range=ranges.get(school.code),
            )
        )
    return tuple(rows)


def card_filenames(results: Results) -> dict[str, str]:
    """Ranked school code → the safe file name of its card (without extension)."""
    return unique_filenames([s.code for s in results.schools])


def excluded_card_names(results: Results) -> list[str]:
    """File names (without extension) of the excluded schools' cards, never a ranked school's.

    A school excluded as a duplicate has the same code as the ranked one: its card gets a
    suffix. A file read as no school at all is named after the file.
    """
    used = {name.lower() for name in card_filenames(results).values()}
    return [
        unused_name(safe_filename(entry.code or PurePosixPath(entry.file).stem or "form"), used)
        for entry in results.excluded
    ]


def _summary(total: float, level: str, entry: RiskEntry | None, critical: str, titles: dict[str, str]) -> str:
    """The school's standing in one phrase, without saying its level twice."""
    text = f"итог {format_number(total, 1)}, уровень «{level}»"
    if entry is None:
        return text
    text += " — зона риска"
    if entry.blocks_below_base:
        blocks = ", ".join(f"«{titles.get(b, b)}»" for b in entry.blocks_below_base)
        text += f" («{critical}» по {'блоку' if len(entry.blocks_below_base) == 1 else 'блокам'} {blocks})"
    return text


def _risk_brief(entry: RiskEntry | None, level: str) -> str:
    """«низкий», «▼ UPR, KR» (▼: the critical rule fired in these blocks) — for long tables."""
    if entry is None:
        return ""
    parts = [level] if entry.lowest_level else []
    if entry.blocks_below_base:
        parts.append("▼\u00a0" + ", ".join(entry.blocks_below_base))
    return "; ".join(parts)


def weakest_first(rows: Sequence[SchoolRow]) -> list[SchoolRow]:
    """Rows from the lowest total up (ties: the later place first), for lists read top-down."""
    return sorted(rows, key=lambda r: (r.total, -r.place), reverse=False)


def measure_rows(codes: Sequence[str], words: dict[str, IndicatorWords]) -> tuple[MeasureRow, ...]:
    """The measures of the indicators that appear among the deficits, in indicator order."""
    wanted = set(codes)
    return tuple(MeasureRow(w.code, w.title, w.measure) for w in words.values() if w.code in wanted)


def deficit_items(school: SchoolResult, words: dict[str, IndicatorWords]) -> tuple[DeficitItem, ...]:
    """A school's deficits with their values in words and the recommended measures."""
    return tuple(
        DeficitItem(
            code=code,
            title=words[code].title,
            measure=words[code].measure,
            value=value_text(school.indicators.get(code), words[code]),
            brief=value_text(school.indicators.get(code), words[code], brief=True),
            points=school.indicators[code].points,
            max_points=school.indicators[code].max_points,
        )
        for code in school.deficits
        if code in words
    )
