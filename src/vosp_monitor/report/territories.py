"""What the documents say about territories: rows, reasons, intervals and a territory beside the whole.

The view of :class:`~vosp_monitor.results.Territories` that every output reads: the
sheet «Муниципалитеты» of ranking.xlsx and territories.csv take their columns from
:func:`territory_table` (one definition, two formats); the regional documents take a
territory's figures set against the whole run's from :func:`comparison` and the wording of
places, intervals and reasons from :func:`territories_view`. Nothing is computed here
that ``analysis`` did not compute; this module selects and words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..config import Config, Indicator, IndicatorType
from ..results import NotCompared, Results, Territories, TerritoryChange, TerritoryStats
from ..words.formatting import format_compact, plural
from ..words.russian import inflect, upper_first

_RANKING_RU = {
    "mean": "средний итоговый балл оценённых ОО",
    "median": "медиана итогового балла оценённых ОО",
    "pooled": "индекс сводных значений показателей (каждое оценено по шкале показателя)",
}


@dataclass(frozen=True, slots=True)
class TerritoryRow:
    """One territory as every table lists it."""

    stats: TerritoryStats
    place_text: str  # «2» or «—»
    interval_text: str  # «1–3» (whole places, 90 % of the runs) or "" without runs
    reason: str  # why it has no place ("" when placed)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One figure of a territory beside the whole run's (for the regional documents)."""

    label: str
    territory: float | None
    whole: float | None
    unit: str  # "балл", "%"
    difference: float | None  # territory − whole
    notable: bool  # a score difference of at least analysis.notable_difference


@dataclass(frozen=True, slots=True)
class TerritoriesView:
    word: str  # «муниципалитет»
    plural: str  # «Муниципалитеты»: the sheet and the tables' title
    parent_word: str
    method: str  # what they are ranked by and how the intervals were made, in words
    rows: tuple[TerritoryRow, ...]
    parents: tuple[TerritoryRow, ...]
    groups: tuple[str, ...]  # «места 1–3 статистически неразличимы» (per region in a two-level run)


def whole_interval(low: float, high: float) -> tuple[int, int]:
    """A 5–95 % interval of places in whole places, rounded outwards."""
    return math.floor(low + 1e-9), math.ceil(high - 1e-9)


def _row(stats: TerritoryStats, minimum: int) -> TerritoryRow:
    interval = ""
    if stats.interval is not None:
        low, high = whole_interval(stats.interval.place_low, stats.interval.place_high)
        interval = f"{low}–{high}" if high > low else str(low)
    reason = ""
    if stats.not_compared == NotCompared.too_few:
        reason = f"не ранжируется: оценено ОО — {stats.counts.scored}, нужно не меньше {minimum}"
    elif stats.not_compared == NotCompared.no_schools:
        reason = "не ранжируется: нет оценённых ОО"
    return TerritoryRow(stats, str(stats.place) if stats.place else "—", interval, reason)


def territories_view(results: Results) -> TerritoriesView | None:
    territories = results.territories
    if territories is None:
        return None
    minimum = territories.min_schools
    method = f"Места — по показателю «{_RANKING_RU.get(territories.ranking, territories.ranking)}»"
    if territories.own_weights is not None:
        schools, own = territories.own_weights
        method += f", с собственными показателями территории (веса {format_compact(schools)} и {format_compact(own)})"
    method += f"; ранжируются территории, где оценено не меньше {minimum} ОО."
    if territories.runs:
        varied = "изменённых весах и " if territories.weights_varied else ""
        method += (
            f" Интервал мест — в 90 % из {plural(territories.runs, 'пересчёта', 'пересчётов', 'пересчётов')} "
            f"при {varied}случайной выборке ОО каждой территории с возвращением (бутстреп, зерно {territories.seed})."
        )
    groups = tuple(
        (f"{g.parent}: " if g.parent else "")
        + f"места {g.first}–{g.last} статистически неразличимы ({', '.join(g.names)})"
        for g in territories.groups
    )
    return TerritoriesView(
        word=territories.word,
        plural=upper_first(inflect(territories.word, "plur")),
        parent_word=territories.parent_word,
        method=method,
        rows=tuple(_row(s, minimum) for s in territories.units),
        parents=tuple(_row(s, minimum) for s in territories.parents),
        groups=groups,
    )


def territories_summary(results: Results) -> str:
    """The console's line about territories ("" without them): how many, the places, who is not ranked."""
    view = territories_view(results)
    if view is None:
        return ""
    placed = [r for r in view.rows if r.stats.place]
    head = f"{view.plural}: {len(view.rows)}, ранжировано {len(placed)}"
    ranked = "; ".join(
        f"{r.place_text}. {r.stats.name} — {format_compact(r.stats.value, 1)}"
        + (f" (места {r.interval_text})" if "–" in r.interval_text else "")
        for r in placed[:10]
    )
    lines = [f"{head}: {ranked}" if ranked else head]
    lines += [f"  {upper_first(group)}" for group in view.groups[:5]]
    lines += [f"  {r.stats.name}: {r.reason}" for r in view.rows if r.reason]
    territories = results.territories
    if territories is not None and territories.sources == ["folder"]:  # nothing but folder names: say so
        lines.append(
            f"  {view.plural} определены по папкам, в которых лежат формы; если папки — не "
            f"{inflect(view.word, 'plur')}, укажите в файле показателей territories: {{folders: 0}}"
        )
    return "\n".join(lines)


def comparison(config: Config, territory: TerritoryStats, whole: TerritoryStats) -> tuple[ComparisonRow, ...]:
    """A territory's total, blocks and indicator values beside the whole run's, in config order."""
    notable = config.analysis.notable_difference
    rows = [
        _compare("Итоговый балл (среднее по ОО)", territory.total.mean, whole.total.mean, "балл", notable)
    ]
    for block in config.all_blocks():
        mine, all_ = territory.blocks.get(block.id), whole.blocks.get(block.id)
        rows.append(
            _compare(
                f"{block.id}. {block.title}",
                mine.mean if mine else None,
                all_.mean if all_ else None,
                "балл",
                notable,
            )
        )
    for ind in config.indicators():
        mine_i, all_i = territory.indicators.get(ind.code), whole.indicators.get(ind.code)
        kind = " (сводное значение)" if ind.type == IndicatorType.share else " (среднее по ОО)"
        rows.append(
            _compare(
                f"{ind.code}. {ind.title}{kind}",
                mine_i.value if mine_i else None,
                all_i.value if all_i else None,
                ind.unit,
                None,
            )
        )
    return tuple(rows)


def _compare(
    label: str, mine: float | None, whole: float | None, unit: str, notable: float | None
) -> ComparisonRow:
    difference = None if mine is None or whole is None else mine - whole
    big = notable is not None and difference is not None and abs(difference) >= notable
    return ComparisonRow(label, mine, whole, unit, difference, big)


def territory_table(
    config: Config, territories: Territories, rows: tuple[TerritoryRow, ...], *, parents: bool = False
) -> tuple[list[str], list[str | None], list[list[Any]]]:
    """(headers, styles, rows) of the territories' table, the last row the whole run.

    Styles name ranking.xlsx's number formats (``score``, ``number``, ``whole``); the CSV
    writer formats the same numbers its way. ``parents``: the table of regions.
    """
    word = upper_first(territories.parent_word if parents else territories.word)
    two_levels = territories.depth == 2 and not parents
    blocks = config.all_blocks()
    shares = [ind for ind in config.indicators() if ind.type == IndicatorType.share]
    targets = [ind for ind in config.indicators() if ind.target is not None]
    levels = [level.label for level in config.scoring.levels]
    own = territories.own_weights is not None and not parents
    columns: list[tuple[str, str | None]] = [("Место", "whole"), ("Места в 90 % пересчётов", None)]
    columns += [(upper_first(territories.parent_word), None)] if two_levels else []
    columns += [
        (word, None),
        ("Значение для рейтинга", "score"),
        ("Значение: 5 %", "score"),
        ("Значение: 95 %", "score"),
    ]
    columns += [("Почему нет места", None)]
    columns += [
        (h, "whole") for h in ("ОО в реестре", "Представили форму", "Оценено", "Исключено", "Не представили")
    ]
    columns += [
        ("Итог: среднее", "score"),
        ("Итог: медиана", "score"),
        ("Итог: минимум", "score"),
        ("Итог: максимум", "score"),
    ]
    columns += [(f"{b.id}: среднее", "score") for b in blocks]
    columns += [(f"Уровень «{label}», ОО", "whole") for label in levels]
    columns += [(f"{ind.code}, % (сводное)", "number") for ind in shares]
    for ind in targets:
        columns += [
            (f"{ind.code}: цель {format_compact(ind.target)} достигнута", None),
            (f"{ind.code}: доля ОО с целью, %", "number"),
        ]
    columns += [("Системные дефициты", None), ("ОО в зоне риска", "whole")]
    columns += [("Собственные показатели, балл", "score")] if own else []
    changes = {(c.parent, c.name): c for c in territories.changes} if not parents else {}
    if changes:
        columns += [(f"{territories.previous}: итог", "score"), ("Изменение итога", "score")]
        columns += [(f"{territories.previous}: место", "whole"), (f"{territories.previous}: как", None)]
        columns += [(f"{ind.code}: изменение, п. п.", "number") for ind in shares]
    data: list[list[Any]] = []
    for row in [*rows, _row(territories.whole, territories.min_schools)]:
        s = row.stats
        whole = s is territories.whole
        interval = s.interval
        line: list[Any] = [s.place, row.interval_text or None]
        line += [s.parent or None] if two_levels else []
        line += [s.name if not whole else "Итого", s.value, interval.value_low if interval else None]
        line += [interval.value_high if interval else None, row.reason or None]
        c = s.counts
        line += [c.registered, c.submitted, c.scored, c.excluded, c.not_submitted]
        line += [s.total.mean, s.total.median, s.total.min, s.total.max]
        line += [s.blocks[b.id].mean if b.id in s.blocks else None for b in blocks]
        line += [s.level_counts.get(label, 0) for label in levels]
        line += [s.indicators[ind.code].value for ind in shares]
        for ind in targets:
            item = s.indicators[ind.code]
            met = None if item.target_met is None else ("да" if item.target_met else "нет")
            line += [met, None if item.target_share is None else item.target_share * 100.0]
        line += [", ".join(s.system_deficits) or None, len(s.risk)]
        line += [s.own.total if s.own else None] if own else []
        if changes:
            found = changes.get((s.parent, s.name))
            line += _change_cells(found, shares)
        data.append(line)
    return [h for h, _ in columns], [st for _, st in columns], data


_LINK_RU = {"same": "тот же", "renamed": "переименован", "merged": "объединение"}


def _change_cells(found: TerritoryChange | None, shares: list[Indicator]) -> list[Any]:
    """Last year's total, the change, last year's place and how the territory was matched."""
    if found is None:
        return [None] * (4 + len(shares))
    how = _LINK_RU[str(found.link)]
    if found.link != "same":
        how += ": " + ", ".join(found.previous)
    cells: list[Any] = [found.total.previous, found.total.change, found.place.previous, how]
    return cells + [found.shares[ind.code].change if ind.code in found.shares else None for ind in shares]
