"""Ranking territories: the value each is ranked by, its own form, and its place.

``territories.ranking`` says what a territory is ranked by: the mean total of its scored
schools (``mean``, the default), their median total (``median``), or ``pooled`` — an index
of the territory's own indicator values, each scored by the indicator's method over the
territories and aggregated by the config's tree and weights, as if each territory were one
school: a share is its pooled value (every pupil counts once), a count, number, percent or
computed value (a share by formula too, as the district's: ``district.share_parts``) the
mean of its schools' values, and a choice, «да/нет» or expert mark (whose values cannot
be averaged into an answer) the mean of its schools' scores.

With territory-level indicators (``territories.blocks``) each territory's own form is
scored over the territories of the run by the same methods (``form --level territory``); a
territory that sent none scores 0 on them. Its index is then
(``weights.schools`` × the value above + ``weights.territory`` × its own total) / (sum of
the two weights).

Only territories with at least ``territories.min_schools`` scored schools are placed, by
the schools' ``ranking`` rules (rounded to ``ranking.decimals``, ties ``min`` or
``dense``); in a two-level run municipalities are placed within their region.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..config import Aggregation, Config, Indicator, IndicatorType, TerritoryRanking
from ..results import OwnForm, TerritoryStats
from ..scoring.aggregation import Tree
from ..scoring.methods import NA, OK, IndicatorScores, leaves_of, score_indicator, score_submissions
from ..scoring.ranking import rank_scores, rank_within_groups
from ..validate.submission import Submission
from ..validate.territories import name_key
from .district import FloatArray, indicator_stats, share_parts
from .grouped import BoolArray, IntArray

MEAN_SCORE_TYPES = (IndicatorType.choice, IndicatorType.yesno, IndicatorType.mark)


def pooled_index(
    config: Config,
    values: dict[str, FloatArray],
    scores: dict[str, FloatArray],
    runs: int = 1,
    weights: FloatArray | None = None,
    schemes: Sequence[tuple[Aggregation | None, IntArray]] = (),
) -> FloatArray:
    """The territories' index from their indicator values and mean scores (module docstring).

    ``values[code]`` and ``scores[code]`` hold ``runs`` × territories values one run after
    another (NaN where a territory has none: the indicator is then not applicable to it).
    Each run is scored on its own (a relative method's statistics are the run's) with the
    nominal weights, or with ``weights`` (runs × slots) and each run's aggregation scheme
    (``schemes``: scheme and its runs). Returns runs × territories.
    """
    tree = Tree(config)
    scored: dict[str, IndicatorScores] = {}
    for ind in config.indicators():
        value, score = values[ind.code], scores[ind.code]
        if ind.type in MEAN_SCORE_TYPES:
            status = np.where(np.isnan(score), NA, OK).astype(np.int8)
            points = score / 100.0 * ind.max_points
            scored[ind.code] = IndicatorScores(ind.code, value, status, points, score, ind.max_points)
        elif ind.spec.relative and runs > 1:  # statistics over each run's territories, not all runs
            parts = [_scored(ind, part) for part in np.split(value, runs)]
            scored[ind.code] = IndicatorScores(
                ind.code,
                value,
                np.concatenate([p.status for p in parts]),
                np.concatenate([p.points for p in parts]),
                np.concatenate([p.scores for p in parts]),
                ind.max_points,
            )
        else:
            scored[ind.code] = _scored(ind, value)
    leaves = leaves_of(tree, scored)
    size = len(values[next(iter(values))]) // runs if values else 0
    if weights is None:
        total: FloatArray = tree.evaluate(leaves, tree.nominal[None, :]).total[0].reshape(runs, size)
        return total
    out = np.empty((runs, size))
    for scheme, chosen in schemes or ((None, np.arange(runs)),):
        if chosen.size:
            every = tree.evaluate(leaves, weights[chosen], scheme).total  # chosen × (runs · size)
            blocks = every.reshape(chosen.size, runs, size)
            out[chosen] = blocks[np.arange(chosen.size), chosen]  # each run's weights on its own draw
    return out


def _scored(ind: Indicator, value: FloatArray) -> IndicatorScores:
    status = np.where(np.isnan(value), NA, OK).astype(np.int8)
    return score_indicator(ind, value, status)


def school_values(config: Config, stats: Sequence[TerritoryStats], index: FloatArray | None) -> FloatArray:
    """What each territory's schools give its ranking value (``index``: the pooled index)."""
    method = config.territories.ranking
    if method == TerritoryRanking.pooled:
        assert index is not None
        return index
    nan = float("nan")
    picked = [s.total.mean if method == TerritoryRanking.mean else s.total.median for s in stats]
    return np.array([nan if v is None else v for v in picked], dtype=float)


def combine(config: Config, schools: FloatArray, own: FloatArray | None) -> FloatArray:
    """The ranking value: the schools' value alone, or weighted with the territory's own total."""
    if own is None:
        return schools
    weights = config.territories.weights
    combined: FloatArray = (weights.schools * schools + weights.territory * own) / (
        weights.schools + weights.territory
    )
    return combined


def places(config: Config, values: FloatArray, compared: BoolArray, parent_of: IntArray | None) -> IntArray:
    """Places of the compared territories (0 for the others), within their region if any."""
    rk = config.ranking
    masked = np.where(compared, values, np.nan)
    if parent_of is None or parent_of.size == 0:
        result: IntArray = rank_scores(masked, ties=rk.ties, decimals=rk.decimals)
        return result
    labels = [str(p) for p in parent_of.tolist()]
    within: IntArray = rank_within_groups(masked, labels, ties=rk.ties, decimals=rk.decimals)
    return within


def own_forms(
    config: Config, territory: Config, forms: Sequence[Submission], names: Sequence[str]
) -> tuple[list[OwnForm], FloatArray]:
    """Each territory's own form, scored over the forms of the run; (records, totals).

    ``names`` are the territories (lowest level) in the roll-up's order; a form is matched by
    its key field (the territory's name, compared as a person reads it). A territory without
    a usable form gets an empty record and a total of 0.
    """
    by_name = {name_key(f.school_code): f for f in forms if f.readable and not f.excluded}
    usable = sorted(
        (f for key, f in by_name.items() if key in {name_key(n) for n in names}), key=lambda f: f.file
    )
    head_field = config.documents.letters.head_field
    records = {name_key(n): OwnForm("", "", "", 0.0) for n in names}
    if usable:
        table = score_submissions(territory, usable)
        numerators, denominators = share_parts(territory, usable)
        _stats, deficits, _targets = indicator_stats(territory, table, numerators, denominators)
        inds = territory.indicators()
        for i, form in enumerate(usable):
            head = form.fields.get(head_field)
            records[name_key(form.school_code)] = OwnForm(
                file=form.file,
                authority=form.school_name,
                head=head.strip() if isinstance(head, str) else "",
                total=_number(table.total[i]),
                blocks={bid: _number(b.scores[i]) for bid, b in table.blocks.items()},
                values={ind.code: _number(table.indicators[ind.code].values[i]) for ind in inds},
                points={ind.code: _number(table.indicators[ind.code].points[i]) for ind in inds},
                deficits=[ind.code for ind in inds if deficits[ind.code][i]],
            )
    ordered = [records[name_key(n)] for n in names]
    return ordered, np.array([r.total or 0.0 for r in ordered], dtype=float)


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
