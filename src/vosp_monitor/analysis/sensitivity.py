"""Which uncertain input moves places most, and what each indicator alone does to them.

**Variance-based sensitivity** (Sobol indices, as COINr's ``get_sensitivity``): the
output of a run is the mean absolute place change against the published places; the
inputs are the weights of each level that can move places and the choice of aggregation
scheme, each drawn as a whole (as COINr draws one of N noisy weight sets). With N base
runs (the uncertainty analysis's own), a second independent set B and, for each input i,
the runs A with input i taken from B (A_B^i) — N(d + 2) evaluations — the estimators are
Saltelli's (2010) first-order S_i = mean(y_B·(y_AB^i − y_A)) / V and Jansen's (1999) total
S_Ti = mean((y_A − y_AB^i)²) / 2V, V the variance of y_A and y_B together. S_i: the share of
the variance an input causes on its own; S_Ti: including its interactions with the others.
Bootstrap 5–95 % bounds (:data:`BOOTSTRAP` resamples) show how precise they are with N runs.

**Leave one indicator out**: the ranking recomputed without each indicator in turn
(configured weights and aggregation; its weight is dropped and the rest re-normalised,
and its critical rule no longer fires): the largest place change of any school, the mean
change, and how many schools moved. An indicator that alone reorders the ranking deserves
a second look at its data and its weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from ..results import IndicatorRemoval, InputEffect
from ..scoring.aggregation import FloatArray
from .montecarlo import Design, Draws, IntArray

BOOTSTRAP = 200


def sobol(
    plan: Design, rng: np.random.Generator, a: Draws, y_a: FloatArray, nominal: IntArray
) -> tuple[list[InputEffect], int]:
    """First-order and total indices of ``plan.inputs``, and the number of evaluations N(d + 2)."""
    runs = len(a.u)
    b = plan.draw(rng, runs)
    y_b = plan.shifts(b, nominal)
    mixed = [plan.shifts(_mix(plan, a, b, name), nominal) for name in plan.inputs]
    variance = float(np.var(np.concatenate([y_a, y_b]), ddof=1))
    resample = rng.integers(0, runs, size=(BOOTSTRAP, runs))
    effects = []
    for name, y_ab in zip(plan.inputs, mixed, strict=True):
        first = y_b * (y_ab - y_a)
        total = (y_a - y_ab) ** 2 / 2.0
        if not variance > 0:
            effects.append(InputEffect(name, None, None))
            continue
        first_boot = first[resample].mean(axis=1) / variance
        total_boot = total[resample].mean(axis=1) / variance
        first_q = np.quantile(first_boot, [0.05, 0.95]).tolist()
        total_q = np.quantile(total_boot, [0.05, 0.95]).tolist()
        effects.append(
            InputEffect(
                input=name,
                first_order=float(first.mean() / variance),
                total=float(total.mean() / variance),
                first_order_low=first_q[0],
                first_order_high=first_q[1],
                total_low=total_q[0],
                total_high=total_q[1],
            )
        )
    return effects, runs * (len(plan.inputs) + 2)


def _mix(plan: Design, a: Draws, b: Draws, name: str) -> Draws:
    """The runs A with input ``name`` taken from B."""
    if name == "aggregation":
        return replace(a, scheme=b.scheme)
    columns = plan.tree.levels == name
    u = a.u.copy()
    u[:, columns] = b.u[:, columns]
    return replace(a, u=u)


def leave_one_out(plan: Design, nominal: IntArray, codes: Sequence[str]) -> list[IndicatorRemoval]:
    """Each indicator left out in turn; the largest place change first."""
    k = len(plan.tree.codes)
    if k < 2:
        return []
    weights = np.tile(plan.tree.nominal, (k, 1))
    weights[np.arange(k), np.arange(k)] = 0.0
    removed = np.eye(k, dtype=bool)
    places = plan.all_places(weights, np.zeros(k, dtype=np.int64), removed)
    removals = []
    for j, code in enumerate(plan.tree.codes):
        valid = (places[j] > 0) & (nominal > 0)
        shift = np.where(valid, places[j].astype(np.int64) - nominal, 0)
        size = np.abs(shift)
        i = int(np.argmax(size))  # schools are in code order: the first of equal shifts
        moved = int((size > 0).sum())
        removals.append(
            IndicatorRemoval(
                code=code,
                max_shift=int(size[i]),
                mean_shift=float(size[valid].mean()) if valid.any() else 0.0,
                moved=moved,
                school=codes[i] if moved else "",
                place_from=int(nominal[i]) if moved else 0,
                place_to=int(places[j, i]) if moved else 0,
            )
        )
    removals.sort(key=lambda r: (-r.max_shift, -r.mean_shift, r.code))
    return removals
