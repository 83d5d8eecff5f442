"""The formula of every scoring method: from an indicator's values to points or a score 0–100.

One function per method, in a table keyed by the methods (``FORMULAS``) that is checked at
import like the methods' specs (``config.method_specs``), so a method without a formula
stops the program instead of falling through to another method's formula. What a formula
returns is its spec's kind: points (clipped to the indicator's maximum by the caller) for a
points method, a score 0–100 for a scaled one.

Every formula gets ``(indicator, values, ok)``: ``values`` holds the school's value where
``ok`` (on the log scale for ``transform: log``) and 0 elsewhere, so that no formula has to
mask; the statistics of relative methods use the ``ok`` values only, in an order-free way,
so a score does not depend on the order the files were read. The rules are written out in
docs/scoring.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

from ..config import Direction, Indicator, Method
from ..config.method_specs import every_method

Formula = Callable[[Indicator, np.ndarray, np.ndarray], np.ndarray]


def normal_cdf(z: np.ndarray) -> np.ndarray:
    """Φ(z) for an array (math.erf per element: exact, and fast enough for 10⁵ values)."""
    erf = np.vectorize(math.erf, otypes=[float])
    result: np.ndarray = 0.5 * (1.0 + erf(np.asarray(z, dtype=float) / math.sqrt(2.0)))
    return result


def _lower(indicator: Indicator) -> bool:
    return indicator.direction == Direction.lower_better


def _bands(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """The points of the band holding the value (none: 0); direction is in the bands' points."""
    points = np.zeros_like(values)
    bands = indicator.scoring.bands if indicator.scoring else None
    for band in bands or []:
        inside = np.ones(values.shape, dtype=bool)
        if band.lower is not None:
            inside &= values >= band.lower
        if band.upper is not None:
            inside &= values < band.upper
        points = np.where(inside, band.points, points)
    return points


def _options(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Validation stores the chosen option's points as the value."""
    return values.copy()


def _yesno(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """«да» (1) earns the points; with direction lower «нет» does."""
    yes = np.where(values > 0, 1.0, 0.0)
    return indicator.max_points * (1.0 - yes if _lower(indicator) else yes)


def _mark(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """The mark itself; with direction lower max_mark − mark."""
    return indicator.max_points - values if _lower(indicator) else values.copy()


def _linear(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """(v − low) / (high − low), clipped to 0–1, × 100 (goalposts on the log scale for ``log``)."""
    scoring = indicator.scoring
    assert scoring is not None and scoring.low is not None and scoring.high is not None  # config checks it
    low, high = scoring.low, scoring.high
    if indicator.log_scale:
        low, high = math.log(low), math.log(high)
    fraction = np.clip((values - low) / (high - low), 0.0, 1.0)
    return 100.0 * (1.0 - fraction if _lower(indicator) else fraction)


def _target(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Higher: v / target; lower: target / v (v ≤ 0 reaches it); capped to 0–1, × 100."""
    assert indicator.target is not None  # config checks it
    target = float(indicator.target)
    if _lower(indicator):
        fraction = np.where(values <= 0, 1.0, target / np.where(values <= 0, 1.0, values))
    else:
        fraction = values / target
    return 100.0 * np.clip(fraction, 0.0, 1.0)


def _oriented(indicator: Indicator, values: np.ndarray) -> np.ndarray:
    """The values turned so that more is better (negated for direction lower)."""
    return -values if _lower(indicator) else values


def _minmax(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """(v − run min) / (run max − run min) × 100; everyone equal: 100 (nobody is behind anyone)."""
    oriented = _oriented(indicator, values)
    present = oriented[ok]
    if present.size == 0:
        return np.full(values.shape, np.nan)
    low, high = present.min(), present.max()
    if high == low:
        return np.full(values.shape, 100.0)
    scaled: np.ndarray = np.clip((oriented - low) / (high - low) * 100.0, 0.0, 100.0)
    return scaled


def _zscore(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """100·Φ(z), z = (v − mean) / sample sd (ddof 1, as COINr); sd 0 or < 2 values: 50."""
    oriented = _oriented(indicator, values)
    present = oriented[ok]
    if present.size < 2:
        return np.full(values.shape, 50.0)
    sd = present.std(ddof=1)
    if not sd > 0:
        return np.full(values.shape, 50.0)
    return 100.0 * normal_cdf((oriented - present.mean()) / sd)


def _best(indicator: Indicator, values: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """v / run best × 100; lower is better: run best / v × 100 (0 is the best possible).

    Higher: a best of 0 or less (nobody has any) gives everyone 100 — nobody is behind
    anyone, as minmax with equal values. Negative values score 0.
    """
    present = values[ok]
    if present.size == 0:
        return np.full(values.shape, np.nan)
    if _lower(indicator):
        best = max(float(present.min()), 0.0)
        fraction = np.where(values <= best, 1.0, best / np.where(values <= best, 1.0, values))
    else:
        best = float(present.max())
        if best <= 0:
            return np.full(values.shape, 100.0)
        fraction = values / best
    scaled: np.ndarray = 100.0 * np.clip(fraction, 0.0, 1.0)
    return scaled


FORMULAS: Mapping[Method, Formula] = every_method(
    {
        Method.bands: _bands,
        Method.options: _options,
        Method.yesno: _yesno,
        Method.mark: _mark,
        Method.linear: _linear,
        Method.minmax: _minmax,
        Method.target: _target,
        Method.zscore: _zscore,
        Method.best: _best,
    },
    "scoring.formulas.FORMULAS",
)
