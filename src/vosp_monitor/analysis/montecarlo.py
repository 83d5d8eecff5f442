"""The Monte Carlo design of the robustness analysis: what varies, how it is drawn, and how
one set of runs turns into places (the uncertainty and the sensitivity analyses share it).

Each run multiplies every weight by a uniform factor 1 ± the noise of its level and draws
one aggregation scheme; the totals are recomputed from the fixed indicator scores by the
code the published ranking comes from (``scoring.aggregation.Tree``) and ranked by the
published rule. Runs are rows of every array and are processed in chunks of bounded memory.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..config import Aggregation, Config, block_aggregation
from ..problems import Problem, make_problem
from ..scoring.aggregation import LEVELS, BoolArray, FloatArray, Leaves, Tree
from ..scoring.methods import ScoreTable, leaves_of
from ..scoring.ranking import rank_rows

IntArray = npt.NDArray[np.int_]
CELLS_PER_CHUNK = 1_000_000  # runs × schools evaluated at once (about 8 MB per array)


@dataclass(slots=True)
class Draws:
    """The random inputs of a set of runs: a factor per weight slot and a scheme per run."""

    u: FloatArray  # runs × slots, uniform in [−1, 1)
    scheme: IntArray  # runs: index into Design.schemes


@dataclass(slots=True)
class Design:
    """What varies, and how a set of runs turns into places."""

    tree: Tree
    leaves: Leaves
    noise: FloatArray  # ± share per slot
    schemes: list[Aggregation | None]  # None: as configured
    inputs: list[str]  # the uncertain inputs: weight levels that can move places, "aggregation"
    ties: str
    decimals: int

    def draw(self, rng: np.random.Generator, runs: int) -> Draws:
        u = rng.uniform(-1.0, 1.0, size=(runs, self.tree.slots))
        return Draws(u, rng.integers(0, len(self.schemes), size=runs))

    def weights(self, draws: Draws) -> FloatArray:
        weights: FloatArray = self.tree.nominal * (1.0 + self.noise * draws.u)
        return weights

    def places(
        self, weights: FloatArray, scheme: IntArray, removed: BoolArray | None = None
    ) -> Iterator[tuple[IntArray, IntArray]]:
        """(run indices, their places: runs × schools), chunk by chunk."""
        n = self.leaves.scores.shape[0]
        chunk = max(1, CELLS_PER_CHUNK // max(n, 1))
        for s, aggregation in enumerate(self.schemes):
            runs = np.flatnonzero(scheme == s)
            for start in range(0, runs.size, chunk):
                idx = runs[start : start + chunk]
                gone = None if removed is None else removed[idx]
                total = self.tree.evaluate(self.leaves, weights[idx], aggregation, removed=gone).total
                yield idx, rank_rows(total, ties=self.ties, decimals=self.decimals)

    def all_places(self, weights: FloatArray, scheme: IntArray, removed: BoolArray | None = None) -> IntArray:
        n = self.leaves.scores.shape[0]
        dtype = np.uint16 if n < np.iinfo(np.uint16).max else np.int32
        out: IntArray = np.empty((len(weights), n), dtype=dtype)
        for idx, places in self.places(weights, scheme, removed):
            out[idx] = places
        return out

    def shifts(self, draws: Draws, nominal: IntArray) -> FloatArray:
        """Per run: the mean |place − nominal place| over the schools (COINr's SA target)."""
        out: FloatArray = np.empty(len(draws.u))
        for idx, places in self.places(self.weights(draws), draws.scheme):
            out[idx] = np.abs(places - nominal).mean(axis=1)
        return out


def design(config: Config, table: ScoreTable) -> tuple[Design, list[Problem]]:
    """The runs' design for ``config`` and the scored schools; problems for alternatives left out."""
    settings = config.analysis.uncertainty
    tree = Tree(config)
    leaves = leaves_of(tree, table.indicators)
    noise_of = settings.weight_noise.model_dump()
    noise = np.array([noise_of[str(level)] for level in tree.levels], dtype=float)
    problems: list[Problem] = []
    schemes: list[Aggregation | None] = [None]
    for aggregation in settings.aggregations:
        if _is_configured(config, aggregation):
            continue
        if aggregation == Aggregation.geometric:
            zero = _zero_scores(tree, leaves, table.codes)
            if zero is not None:
                problems.append(
                    make_problem("uncertainty-geometric-skipped", schools=zero[0], example=zero[1])
                )
                continue
        schemes.append(aggregation)
    moving = {str(tree.levels[g[0]]) for g in tree.siblings() if len(g) > 1}
    inputs: list[str] = [level for level in LEVELS if noise_of[level] > 0 and level in moving]
    if len(schemes) > 1:
        inputs.append("aggregation")
    ranking = config.ranking
    return Design(tree, leaves, noise, schemes, inputs, ranking.ties, ranking.decimals), problems


def _is_configured(config: Config, aggregation: Aggregation) -> bool:
    """True when the configured scheme already uses ``aggregation`` for every block and the total."""
    return config.scoring.aggregation == aggregation and all(
        block_aggregation(b, config) == aggregation for b in config.all_blocks()
    )


def _zero_scores(tree: Tree, leaves: Leaves, codes: Sequence[str]) -> tuple[int, str] | None:
    """Schools with a zero score that a geometric mean would take in, and one example."""
    weighted = tree.nominal[: len(tree.codes)] > 0
    with np.errstate(invalid="ignore"):
        zero = (leaves.scores <= 0) & weighted
    rows = np.flatnonzero(zero.any(axis=1))
    if rows.size == 0:
        return None
    first = int(rows[0])
    return int(rows.size), f"{codes[first]}: {tree.codes[int(np.flatnonzero(zero[first])[0])]}"
