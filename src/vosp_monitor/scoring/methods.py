"""From indicator values to points, scores 0–100, block scores and the total.

Pure functions over numpy arrays, one element per school, so that 40,000 schools × 25
indicators are scored in a fraction of a second and the result does not depend on the
order in which the files were read (minmax and zscore use order-free statistics).

Conventions (documented in docs/scoring.md and the report's methodology section):

* **Statuses.** ``zero`` → 0 points and score 0; ``not_applicable`` → NaN, dropped from
  every sum and maximum (the remaining weights are re-normalised). Only ``ok`` values
  enter the run statistics of ``minmax`` and ``zscore``.
* **Kinds.** A points method (bands, options, yesno, mark) gives points; score = points /
  max × 100. A scaled method (linear, minmax, target, zscore) gives a score; points =
  score / 100 × ``Indicator.max_points``. Which kind a method is, and its formula, are its
  spec (``config.method_specs``) and ``formulas.FORMULAS``, where each formula's rule is.
* ``transform: log`` (linear, minmax, zscore): the natural log of the value and of the
  goalposts (``low``/``high``; the run's minimum and maximum) before scaling, as UNDP's
  income index does. Validation rejects values ≤ 0 (``value-not-positive``); one that
  reaches scoring anyway is not used (0 points).
* **Aggregation.** ``arithmetic`` Σ w·s / Σ w; ``geometric`` Π s^(w/Σw), a zero child
  gives 0; ``percent_of_max`` Σ w·points / Σ w·max × 100 over all indicators under the
  block, where an indicator's weight is multiplied by the weights of the sub-blocks
  between it and the block (with all block weights 1 this is the plain «сумма баллов /
  максимум»). The total aggregates the top-level blocks by ``scoring.aggregation``.
  The block tree is evaluated by ``aggregation.Tree``, which the rank-robustness
  analysis runs with thousands of perturbed weight sets.
* **Critical rule.** A critical indicator with 0 points marks the block that holds it
  ``below_base``; with ``zero_block_score`` the block's score (and its points, for a
  percent-of-max parent) becomes 0, which then flows into the parents and the total.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..config import Aggregation, Config, Indicator, MethodKind
from ..validate.submission import EntryStatus, Submission
from .aggregation import Leaves, Tree, combine_columns
from .formulas import FORMULAS

OK, ZERO, NA = 0, 1, 2
_STATUS_CODE = {
    EntryStatus.ok: OK,
    EntryStatus.zero: ZERO,
    EntryStatus.not_applicable: NA,
}


@dataclass(slots=True)
class IndicatorScores:
    """One indicator over all schools of the run; NaN marks «not applicable»."""

    code: str
    values: np.ndarray
    status: np.ndarray  # OK / ZERO / NA
    points: np.ndarray
    scores: np.ndarray
    max_points: float


@dataclass(slots=True)
class BlockScores:
    id: str
    scores: np.ndarray  # NaN when no indicator under the block applies
    points: np.ndarray  # Σ points of applicable indicators (unweighted, for display)
    max_points: np.ndarray  # Σ max points of applicable indicators
    below_base: np.ndarray  # bool: the critical rule fired in this block


@dataclass(slots=True)
class ScoreTable:
    """Everything scoring computes, as arrays aligned with ``codes``."""

    codes: list[str]
    indicators: dict[str, IndicatorScores]
    blocks: dict[str, BlockScores]
    total: np.ndarray
    below_base: np.ndarray


# --------------------------------------------------------------------------- one indicator


def score_indicator(indicator: Indicator, values: np.ndarray, status: np.ndarray) -> IndicatorScores:
    """Points and score of one indicator for every school.

    ``values`` holds the value in the indicator's unit (NaN where there is none);
    ``status`` holds OK / ZERO / NA per school.
    """
    values = np.asarray(values, dtype=float)
    status = np.asarray(status, dtype=np.int8)
    ok = (status == OK) & ~np.isnan(values)
    if indicator.log_scale:
        with np.errstate(invalid="ignore"):
            ok &= values > 0
    maximum = float(indicator.max_points)
    safe = np.where(ok, values, 0.0)
    formula = FORMULAS[indicator.method]
    with np.errstate(all="ignore"):  # overflow to inf is clipped to the 0–100 range below
        if indicator.spec.kind == MethodKind.points:
            points = np.clip(formula(indicator, safe, ok), 0.0, maximum)
            scores = points / maximum * 100.0 if maximum > 0 else np.zeros_like(points)
        else:
            if indicator.log_scale:  # values ≤ 0 are not ``ok``: they become ln 1 = 0 here
                safe = np.log(np.where(ok, safe, 1.0))
            scores = formula(indicator, safe, ok)
            points = scores / 100.0 * maximum
    applicable = status != NA
    points = np.where(ok, points, np.where(applicable, 0.0, np.nan))
    scores = np.where(ok, scores, np.where(applicable, 0.0, np.nan))
    return IndicatorScores(indicator.code, values, status, points, scores, maximum)


# --------------------------------------------------------------------------- aggregation


def aggregate(scores: np.ndarray, weights: np.ndarray, method: Aggregation) -> np.ndarray:
    """Weighted mean of the columns of ``scores`` (schools × children), skipping NaN.

    The weights of the present children are re-normalised per school; a school with no
    present child (or only zero-weight ones) gets NaN. ``method`` is arithmetic or
    geometric (percent_of_max works on points, see :func:`score_table`).
    """
    scores = np.asarray(scores, dtype=float)
    row = np.broadcast_to(np.asarray(weights, dtype=float), scores.shape[1:])[None, :]
    combined: np.ndarray = combine_columns(scores, row, method)[0]
    return combined


def leaves_of(tree: Tree, indicators: dict[str, IndicatorScores]) -> Leaves:
    """The indicator arrays the block tree works on, schools × indicators in tree order."""
    items = [indicators[code] for code in tree.codes]
    n = len(items[0].scores) if items else 0
    points = np.column_stack([i.points for i in items]) if items else np.empty((n, 0))
    return Leaves(
        scores=np.column_stack([i.scores for i in items]) if items else np.empty((n, 0)),
        points=points,
        maxima=np.array([i.max_points for i in items], dtype=float),
        critical_zero=points == 0,
    )


def score_table(
    config: Config,
    codes: Sequence[str],
    values: dict[str, np.ndarray],
    status: dict[str, np.ndarray],
) -> ScoreTable:
    """Score every indicator, block and the total for the schools ``codes``.

    ``values[code]`` and ``status[code]`` are arrays aligned with ``codes``. Blocks and the
    total are one run of the block tree at the configured weights (``aggregation.Tree``).
    """
    n = len(codes)
    indicators = {
        ind.code: score_indicator(ind, values[ind.code], status[ind.code]) for ind in config.indicators()
    }
    tree = Tree(config)
    evaluation = tree.evaluate(leaves_of(tree, indicators), tree.nominal[None, :], keep_blocks=True)
    blocks: dict[str, BlockScores] = {}
    below = np.zeros(n, dtype=bool)
    for block in config.all_blocks():
        node = evaluation.blocks[block.id]
        under = [indicators[ind.code] for ind in block.all_indicators()]
        flags = np.broadcast_to(node.below, (1, n))[0].copy()
        blocks[block.id] = BlockScores(
            id=block.id,
            scores=node.scores[0],
            points=np.nansum(np.column_stack([i.points for i in under]), axis=1),
            max_points=np.column_stack([np.where(np.isnan(i.points), 0.0, i.max_points) for i in under]).sum(
                axis=1
            ),
            below_base=flags,
        )
        below |= flags
    return ScoreTable(list(codes), indicators, blocks, evaluation.total[0], below)


def entry_arrays(
    config: Config, submissions: Sequence[Submission]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Values and statuses per indicator from scorable submissions.

    An indicator absent from a submission is treated by its missing policy (``error``
    should have excluded the school in validation; here it scores 0 points).
    """
    inds = config.indicators()
    n = len(submissions)
    absent = np.array([NA if ind.missing.value == "not_applicable" else ZERO for ind in inds], dtype=np.int8)
    codes = [ind.code for ind in inds]
    nan = math.nan
    missing = (nan, -1)
    status_code = _STATUS_CODE
    rows_vals: list[list[float]] = []
    rows_stat: list[list[int]] = []
    for sub in submissions:
        entries = sub.indicators
        pairs = [
            missing
            if (entry := entries.get(code)) is None
            else (nan if entry.value is None else entry.value, status_code.get(entry.status, ZERO))
            for code in codes
        ]
        rows_vals.append([p[0] for p in pairs])
        rows_stat.append([p[1] for p in pairs])
    vals = np.array(rows_vals, dtype=float).reshape(n, len(codes))
    stat = np.array(rows_stat, dtype=np.int8).reshape(n, len(codes))
    stat = np.where(stat < 0, absent, stat)
    lost = (stat == OK) & np.isnan(vals)
    stat = np.where(lost, absent, stat).astype(np.int8)
    values = {code: np.ascontiguousarray(vals[:, j]) for j, code in enumerate(codes)}
    status = {code: np.ascontiguousarray(stat[:, j]) for j, code in enumerate(codes)}
    return values, status


def score_submissions(config: Config, submissions: Sequence[Submission]) -> ScoreTable:
    """Score submissions that validation let through (the caller drops excluded ones)."""
    values, status = entry_arrays(config, submissions)
    return score_table(config, [s.school_code for s in submissions], values, status)
