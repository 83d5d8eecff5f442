"""The block tree evaluated for one set of weights or for many at once (runs × schools).

Scoring (the one nominal set of weights) and the rank-robustness analysis (thousands of
perturbed sets) share this implementation, so the nominal run of the Monte Carlo *is* the
published ranking, not a second formula kept in step with it. The indicator scores and
points (schools × indicators) are computed once; per run only the weights, the
aggregation scheme and, for leave-one-out, the indicators taken out change. Every array
here is runs × schools (a one-run array for scoring).

Weights live in *slots*: one per indicator (config order), then one per block
(``config.all_blocks()`` order). A block's indicators are combined for all runs at once by
one contraction (runs × indicators) · (indicators × schools), ``numpy.einsum`` without
BLAS: five times faster than summing indicator by indicator, and, unlike a BLAS matrix
product, each run's sums are the same whatever the number of runs computed with it — so
the nominal run inside a chunk of a thousand equals scoring's single run bit for bit,
and zero noise gives exactly zero-width intervals.

The rules are those of docs/scoring.md: ``arithmetic`` Σ w·s / Σ w over the present
children (NaN = not applicable, weight 0 = left out); ``geometric`` Π s^(w/Σw), a zero
child gives 0; ``percent_of_max`` Σ w·points / Σ w·max over all indicators under the
block; the critical rule marks a block whose critical indicator has 0 points and, with
``zero_block_score``, sets its score and points to 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from ..config import Aggregation, Block, Config, block_aggregation

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Level = Literal["indicators", "subblocks", "blocks"]
LEVELS: tuple[Level, ...] = ("indicators", "subblocks", "blocks")


@dataclass(slots=True)
class Leaves:
    """What the tree needs from the indicators, fixed across runs (schools × indicators)."""

    scores: FloatArray  # 0–100, NaN where not applicable
    points: FloatArray  # NaN where not applicable
    maxima: FloatArray  # per indicator
    critical_zero: BoolArray  # a critical indicator with 0 points


@dataclass(slots=True)
class Node:
    """One block over runs × schools; ``wpoints``/``wmax`` only where a percent-of-max needs them."""

    scores: FloatArray
    below: BoolArray
    wpoints: FloatArray | None = None
    wmax: FloatArray | None = None


@dataclass(slots=True)
class Evaluation:
    total: FloatArray  # runs × schools
    blocks: dict[str, Node] = field(default_factory=dict)  # filled when asked for


def combine(children: Sequence[FloatArray], weights: FloatArray, method: Aggregation) -> FloatArray:
    """Weighted mean of ``children`` (each runs × schools) with ``weights`` runs × children.

    A child that is NaN, or whose weight is 0, is left out and the weights of the rest are
    re-normalised per school; a school with no child left gets NaN. ``method`` is
    arithmetic or geometric (percent_of_max works on points, see :meth:`Tree.evaluate`).
    Children are few (sub-blocks, top blocks), so they are summed one after another.
    """
    runs = weights.shape[0]
    n = max((child.shape[-1] for child in children), default=0)
    num = np.zeros((runs, n))
    den = np.zeros((runs, n))
    zero = np.zeros((runs, n), dtype=bool)
    geometric = method == Aggregation.geometric
    with np.errstate(invalid="ignore", divide="ignore"):
        for c, child in enumerate(children):
            w = weights[:, c, None]
            present = ~np.isnan(child) & (w > 0)
            if present.all():  # the usual case, in place: a third of the passes over the data
                den += w
                if geometric:
                    zero |= child <= 0
                    num += w * np.log(np.where(child > 0, child, 1.0))
                else:
                    num += w * child
                continue
            den += np.where(present, w, 0.0)
            if geometric:
                positive = present & (child > 0)
                num += np.where(positive, w * np.log(np.where(positive, child, 1.0)), 0.0)
                zero |= present & (child <= 0)
            else:
                num += np.where(present, w * child, 0.0)
        return _mean(num, den, zero, geometric)


def combine_columns(scores: FloatArray, weights: FloatArray, method: Aggregation) -> FloatArray:
    """:func:`combine` of the columns of ``scores`` (schools × children, fixed across runs).

    The same rules as a product of the weights (runs × children) with the masked scores:
    a weight of 0 adds nothing to the sum of weights, so a child with weight 0 is left out.
    """
    present = ~np.isnan(scores)
    geometric = method == Aggregation.geometric
    with np.errstate(invalid="ignore", divide="ignore"):
        den = _product(weights, present.astype(float))
        if geometric:
            positive = present & (scores > 0)
            num = _product(weights, np.where(positive, np.log(np.where(positive, scores, 1.0)), 0.0))
            zero = _product((weights > 0).astype(float), (present & ~positive).astype(float)) > 0
        else:
            num = _product(weights, np.where(present, scores, 0.0))
            zero = np.zeros(num.shape, dtype=bool)
        return _mean(num, den, zero, geometric)


def _product(weights: FloatArray, columns: FloatArray) -> FloatArray:
    """Σ_j weights[r, j] · columns[i, j] for every run r and school i (see the module docstring)."""
    out: FloatArray = np.einsum("rj,ij->ri", weights, columns)
    return out


def _mean(num: FloatArray, den: FloatArray, zero: BoolArray | bool, geometric: bool) -> FloatArray:
    mean = num / den
    result = np.where(zero, 0.0, np.exp(mean)) if geometric else mean
    out: FloatArray = np.where(den > 0, result, np.nan)
    return out


class Tree:
    """The config's blocks with a weight slot for every indicator and block (built once per run)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        indicators = config.indicators()
        blocks = config.all_blocks()
        self.codes = [ind.code for ind in indicators]
        self.column = {code: j for j, code in enumerate(self.codes)}
        self.block_slot = {b.id: len(indicators) + i for i, b in enumerate(blocks)}
        self.nominal = np.array([i.weight for i in indicators] + [b.weight for b in blocks], dtype=float)
        top = {b.id for b in config.blocks}
        levels: list[Level] = ["indicators"] * len(indicators)
        levels += ["blocks" if b.id in top else "subblocks" for b in blocks]
        self.levels = np.array(levels)
        self.critical = np.array([ind.critical for ind in indicators], dtype=bool)

    @property
    def slots(self) -> int:
        return len(self.nominal)

    def siblings(self) -> list[list[int]]:
        """Slot groups that are normalised together: a block's children, and the top blocks."""
        groups = [[self.block_slot[b.id] for b in self.config.blocks]]
        for block in self.config.all_blocks():
            if block.blocks:
                groups.append([self.block_slot[c.id] for c in block.blocks])
            else:
                groups.append([self.column[i.code] for i in block.indicators])
        return groups

    def evaluate(
        self,
        leaves: Leaves,
        weights: FloatArray,
        scheme: Aggregation | None = None,
        *,
        removed: BoolArray | None = None,
        keep_blocks: bool = False,
    ) -> Evaluation:
        """The total (runs × schools) for ``weights`` (runs × slots).

        ``scheme`` replaces every block's and the total's aggregation (None: as configured).
        ``removed`` (runs × indicators) takes indicators out of a run: weight 0, and their
        critical rule no longer fires. ``keep_blocks`` also returns every block's node.
        """
        config = self.config
        top = scheme or config.scoring.aggregation
        evaluation = Evaluation(total=np.empty(0))
        need = top == Aggregation.percent_of_max
        nodes = [
            self._block(b, leaves, weights, scheme, removed, need, evaluation, keep_blocks)
            for b in config.blocks
        ]
        top_weights = weights[:, [self.block_slot[b.id] for b in config.blocks]]
        if need:
            evaluation.total = _percent(*_weighted_points(nodes, top_weights))
        else:
            evaluation.total = combine([n.scores for n in nodes], top_weights, top)
        return evaluation

    def _block(
        self,
        block: Block,
        leaves: Leaves,
        weights: FloatArray,
        scheme: Aggregation | None,
        removed: BoolArray | None,
        need_points: bool,
        evaluation: Evaluation,
        keep: bool,
    ) -> Node:
        method = scheme or block_aggregation(block, self.config)
        percent = method == Aggregation.percent_of_max
        need = need_points or percent
        wpoints = wmax = None
        if block.blocks:
            children = [
                self._block(c, leaves, weights, scheme, removed, need, evaluation, keep) for c in block.blocks
            ]
            w = weights[:, [self.block_slot[c.id] for c in block.blocks]]
            below: BoolArray = np.zeros((1, leaves.scores.shape[0]), dtype=bool)
            if need:
                wpoints, wmax = _weighted_points(children, w)
            scores = None if percent else combine([c.scores for c in children], w, method)
        else:
            cols = [self.column[i.code] for i in block.indicators]
            w = weights[:, cols]
            below = self._below(leaves, cols, removed)
            if need:
                wpoints, wmax = _leaf_points(leaves, cols, w)
            scores = None if percent else combine_columns(leaves.scores[:, cols], w, method)
        if percent:
            assert wpoints is not None and wmax is not None
            scores = _percent(wpoints, wmax)
        assert scores is not None
        if self.config.scoring.critical.zero_block_score:
            scores = np.where(below & ~np.isnan(scores), 0.0, scores)
            if wpoints is not None:
                wpoints = np.where(below, 0.0, wpoints)
        node = Node(scores, below, wpoints, wmax)
        if keep:
            evaluation.blocks[block.id] = node
        return node

    def _below(self, leaves: Leaves, cols: list[int], removed: BoolArray | None) -> BoolArray:
        """The critical rule: a critical indicator of the block (still in the run) at 0 points."""
        below: BoolArray = np.zeros((1, leaves.scores.shape[0]), dtype=bool)
        for j in cols:
            if self.critical[j]:
                fired = leaves.critical_zero[None, :, j]
                below = below | (fired if removed is None else fired & ~removed[:, j, None])
        return below


def _leaf_points(leaves: Leaves, cols: list[int], weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Σ w·points and Σ w·max over the applicable indicators ``cols`` (runs × schools)."""
    points = leaves.points[:, cols]
    applicable = ~np.isnan(points)
    wpoints = _product(weights, np.where(applicable, points, 0.0))
    wmax = _product(weights, np.where(applicable, leaves.maxima[cols], 0.0))
    return wpoints, wmax


def _weighted_points(children: Sequence[Node], weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    wpoints: FloatArray | float = 0.0
    wmax: FloatArray | float = 0.0
    for c, child in enumerate(children):
        assert child.wpoints is not None and child.wmax is not None
        wpoints = wpoints + child.wpoints * weights[:, c, None]
        wmax = wmax + child.wmax * weights[:, c, None]
    return np.asarray(wpoints, dtype=float), np.asarray(wmax, dtype=float)


def _percent(wpoints: FloatArray, wmax: FloatArray) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        out: FloatArray = np.where(wmax > 0, wpoints / wmax * 100.0, np.nan)
    return out
