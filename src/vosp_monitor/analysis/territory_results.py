"""One territory's own :class:`Results`: its schools as a district run would see them.

A regional run hands each municipality its own district set (its справка, order and letters
to its schools, ``territories/<name>/``). Those documents are the district documents, so
they are written from a :class:`Results` of the territory alone: its scored schools (with
their scores on the **regional** scale, unchanged), placed among themselves by the same
``ranking`` rules, and the district statistics of those schools computed by the very
functions a district run uses (``district.indicator_stats``, ``findings.summarise``,
``conclusions.draw_conclusions``). The score arrays are rebuilt from the stored school
records, so ``report results.json`` makes the same sets as ``score`` did.

What a territory's results leave out: the rank robustness and the audit of the indicator
set (both are about the whole run's ranking, reported in the regional справка) and the
comparison with earlier years of its schools.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from ..config import Config, IndicatorType
from ..results import Results, SchoolResult, TerritoryStats
from ..scoring.methods import NA, OK, ZERO, BlockScores, IndicatorScores, ScoreTable
from ..scoring.ranking import order_by_place, rank_scores, rank_within_groups
from ..validate.submission import EntryStatus
from .district import FloatArray, indicator_stats
from .summary import summary_fields

_STATUS = {EntryStatus.ok.value: OK, EntryStatus.zero.value: ZERO, EntryStatus.not_applicable.value: NA}
_NAN = float("nan")


def _column(values: Sequence[float | None]) -> FloatArray:
    return np.array([_NAN if v is None else v for v in values], dtype=float)


def score_table(config: Config, schools: Sequence[SchoolResult]) -> ScoreTable:
    """The score arrays of stored school records (NaN where a record holds None)."""
    indicators: dict[str, IndicatorScores] = {}
    for ind in config.indicators():
        records = [s.indicators[ind.code] for s in schools]
        indicators[ind.code] = IndicatorScores(
            code=ind.code,
            values=_column([r.value for r in records]),
            status=np.array([_STATUS.get(r.status, NA) for r in records], dtype=np.int8),
            points=_column([r.points for r in records]),
            scores=_column([r.score for r in records]),
            max_points=records[0].max_points if records else 0.0,
        )
    blocks: dict[str, BlockScores] = {}
    for block in config.all_blocks():
        found = [s.blocks.get(block.id) for s in schools]
        if not any(found):
            continue
        blocks[block.id] = BlockScores(
            id=block.id,
            scores=_column([b.score if b else None for b in found]),
            points=_column([b.points if b else 0.0 for b in found]),
            max_points=_column([b.max_points if b else 0.0 for b in found]),
            below_base=np.array([bool(b and b.below_base) for b in found], dtype=bool),
        )
    return ScoreTable(
        codes=[s.code for s in schools],
        indicators=indicators,
        blocks=blocks,
        total=_column([s.total for s in schools]),
        below_base=np.array([s.below_base for s in schools], dtype=bool),
    )


def _share_parts(
    config: Config, schools: Sequence[SchoolResult]
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    numerators: dict[str, FloatArray] = {}
    denominators: dict[str, FloatArray] = {}
    for ind in config.indicators():
        if ind.type == IndicatorType.share:
            records = [s.indicators[ind.code] for s in schools]
            numerators[ind.code] = _column([r.numerator for r in records])
            denominators[ind.code] = _column([r.denominator for r in records])
    return numerators, denominators


def _placed(config: Config, schools: list[SchoolResult], table: ScoreTable) -> list[SchoolResult]:
    """The schools placed among themselves (total, blocks, peer groups), ordered by place."""
    rk = config.ranking
    places = rank_scores(table.total, ties=rk.ties, decimals=rk.decimals).tolist()
    block_places = {
        bid: rank_scores(b.scores, ties=rk.ties, decimals=rk.decimals).tolist()
        for bid, b in table.blocks.items()
    }
    group_places = {
        key: rank_within_groups(
            table.total, [s.groups.get(key) for s in schools], ties=rk.ties, decimals=rk.decimals
        ).tolist()
        for key in rk.groups
    }
    placed = []
    for i, school in enumerate(schools):
        blocks = {
            bid: dataclasses.replace(b, place=(block_places[bid][i] or None) if bid in block_places else None)
            for bid, b in school.blocks.items()
        }
        groups = {key: p[i] for key, p in group_places.items() if p[i]}
        placed.append(dataclasses.replace(school, place=places[i], blocks=blocks, group_places=groups))
    order = order_by_place(np.asarray(places), [s.code for s in schools])
    return [placed[i] for i in order]


def territory_results(results: Results, unit: TerritoryStats) -> Results:
    """The district results of one territory of ``results`` (see the module's docstring)."""
    config = results.config
    by_code = {s.code: s for s in results.schools}
    schools = [by_code[code] for code in unit.schools if code in by_code]
    table = score_table(config, schools)
    numerators, denominators = _share_parts(config, schools)
    ind_stats, _deficits, _targets = indicator_stats(config, table, numerators, denominators)
    schools = _placed(config, schools, table)
    excluded_keys = set(unit.excluded)
    excluded = [e for e in results.excluded if (e.code or e.file) in excluded_keys]
    missing = set(unit.not_submitted)
    files = {s.file for s in schools} | {e.file for e in excluded}
    return Results(
        config=config,
        generated_at=results.generated_at,
        tool_version=results.tool_version,
        source=results.source,
        schools=schools,
        excluded=excluded,
        not_submitted=[s for s in results.not_submitted if s.code in missing],
        expected_count=unit.counts.registered,
        skipped=[],
        problems=[p for p in results.problems if p.file in files],
        normalisations=[n for n in results.normalisations if n.file in files],
        **summary_fields(config, table, schools, ind_stats),
    )
