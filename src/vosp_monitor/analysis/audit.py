"""The statistical audit of the indicator set: what to revise in indicators.yaml next year.

Computed from the same columns (:class:`Columns`) whether they come from a new run's score
arrays or from the finished school records (:class:`SchoolResult`), in the order of the
ranking, so that a new run, an older results.json (``results.migrate``) and
``vosp-monitor audit`` give the same audit, to the last digit.
All statistics are on the normalised scores 0–100 (as COINr audits the normalised and
aggregated data), except the skew, which is about the reported values:

* **Cronbach's α** of every block over its direct children (its indicators, or its
  sub-blocks): k/(k−1)·(1 − Σ var(item) / var(Σ items)), sample variances, over the
  schools where every item applies. ``low-alpha`` below ``analysis.audit.low_alpha``.
* **Pearson r** of each indicator's score with the score of the block that holds it and
  with the total, over the schools where both exist. The indicator is part of its block,
  so r with the block is inflated for small blocks; a weak or negative r is still the
  signal it is used for: ``weak-block``/``weak-total`` when |r| is below
  ``analysis.audit.weak_correlation``, ``negative-block``/``negative-total`` when r is at
  or below minus that (a small negative r is «no relation», not «the other way»).
* **Non-discrimination**: the share of schools with the most frequent points value (at
  the maximum, at zero or anywhere); ``same-points`` from ``analysis.audit.same_points_share``.
* **Collinear pairs**: |r| of two indicators' scores ≥ ``analysis.audit.collinear``
  (``collinear`` on both): one of them doubles the other's weight.
* **Skew** of the reported values (adjusted Fisher–Pearson, as pandas and COINr) and
  excess kurtosis; ``skewed`` when |skew| ≥ 2 and kurtosis ≥ 3.5 (COINr's outlier test) for
  a method that scales the value (linear, minmax, zscore, target): a few extreme schools
  then squeeze everybody else's scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np
import numpy.typing as npt

from ..config import Block, Config, IndicatorType, MethodKind
from ..results import (
    Audit,
    BlockAudit,
    BlockFlag,
    CorrelatedPair,
    IndicatorAudit,
    IndicatorFlag,
    SchoolResult,
)

FloatArray = npt.NDArray[np.float64]

VALUE_TYPES = (
    IndicatorType.share,
    IndicatorType.quantity,
    IndicatorType.number,
    IndicatorType.percent,
    IndicatorType.computed,
)
SKEW_LIMIT, KURTOSIS_LIMIT = 2.0, 3.5  # COINr's Treat(): |skew| < 2 or kurtosis < 3.5 passes


def _column(values: Sequence[float | None]) -> FloatArray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def pearson(x: FloatArray, y: FloatArray) -> float | None:
    """r over the pairs where both are present; None with fewer than 3 pairs or no spread."""
    both = ~np.isnan(x) & ~np.isnan(y)
    if both.sum() < 3:
        return None
    a, b = x[both] - x[both].mean(), y[both] - y[both].mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denominator) if denominator > 0 else None


def cronbach_alpha(items: FloatArray) -> tuple[float | None, int]:
    """α of the columns of ``items`` (schools × items) over the complete rows, and their count."""
    complete = items[~np.isnan(items).any(axis=1)]
    rows, k = complete.shape
    if k < 2 or rows < 3:
        return None, rows
    total_variance = float(complete.sum(axis=1).var(ddof=1))
    if not total_variance > 0:
        return None, rows
    item_variance = float(complete.var(axis=0, ddof=1).sum())
    return k / (k - 1) * (1.0 - item_variance / total_variance), rows


def skewness(values: FloatArray) -> tuple[float | None, float | None]:
    """Adjusted skew (n ≥ 3) and excess kurtosis (n ≥ 4) of the present values, as pandas."""
    data = values[~np.isnan(values)]
    n = data.size
    if n < 3:
        return None, None
    d = data - data.mean()
    m2 = float((d * d).sum())
    if not m2**2 > 0:  # no spread, or so little that its powers underflow to 0
        return None, None
    skew = float(np.sqrt(n * (n - 1)) / (n - 2) * np.sqrt(n) * (d**3).sum() / m2**1.5)
    if n < 4:
        return skew, None
    r = n * float((d**4).sum()) / m2**2
    kurtosis = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return skew, kurtosis


def _same_points(points: FloatArray) -> tuple[float | None, float | None]:
    present = points[~np.isnan(points)]
    if present.size == 0:
        return None, None
    keys, counts = np.unique(present, return_counts=True)
    top = int(np.argmax(counts))
    return float(keys[top]), float(counts[top]) / present.size


# With the indicator's block, with the total: (clearly the other way, no relation).
_CORRELATION_FLAGS = {
    "block": (IndicatorFlag.negative_block, IndicatorFlag.weak_block),
    "total": (IndicatorFlag.negative_total, IndicatorFlag.weak_total),
}


def _correlation_flags(r: float | None, weak: float, where: Literal["block", "total"]) -> list[IndicatorFlag]:
    """``negative-…`` at r ≤ −weak (clearly the other way), ``weak-…`` at |r| < weak (no relation)."""
    negative, unrelated = _CORRELATION_FLAGS[where]
    if r is None:
        return []
    if r <= -weak and r < 0:
        return [negative]
    return [unrelated] if abs(r) < weak else []


@dataclass(frozen=True, slots=True)
class Columns:
    """What the audit reads, one array per indicator, block and the total, over the same
    schools in the same order (NaN where there is nothing)."""

    scores: dict[str, FloatArray]
    points: dict[str, FloatArray]
    values: dict[str, FloatArray]  # the reported values, of the indicators in VALUE_TYPES
    blocks: dict[str, FloatArray]
    total: FloatArray


def school_columns(config: Config, schools: Sequence[SchoolResult]) -> Columns:
    """The columns of finished school records (a results.json read back, ``vosp-monitor audit``)."""
    inds = config.indicators()
    return Columns(
        scores={i.code: _column([s.indicators[i.code].score for s in schools]) for i in inds},
        points={i.code: _column([s.indicators[i.code].points for s in schools]) for i in inds},
        values={
            i.code: _column([s.indicators[i.code].value for s in schools])
            for i in inds
            if i.type in VALUE_TYPES
        },
        blocks={
            b.id: _column([s.blocks[b.id].score if b.id in s.blocks else None for s in schools])
            for b in config.all_blocks()
        },
        total=np.array([s.total for s in schools], dtype=float),
    )


def audit_schools(config: Config, schools: Sequence[SchoolResult]) -> Audit:
    """The audit of ``config``'s indicators on the ranked ``schools`` (any order)."""
    return audit_columns(config, school_columns(config, schools))


def audit_columns(config: Config, columns: Columns) -> Audit:
    """The audit from the columns (a new run gives them straight from its score arrays: at
    40 000 schools, reading them back from the records took two seconds)."""
    settings = config.analysis.audit
    inds = config.indicators()
    scores, blocks, total = columns.scores, columns.blocks, columns.total
    block_of = config.block_of()

    pairs = []
    for a, b in combinations(inds, 2):
        r = pearson(scores[a.code], scores[b.code])
        if r is not None and abs(r) >= settings.collinear:
            pairs.append(CorrelatedPair(a.code, b.code, r, block_of[a.code] == block_of[b.code]))
    pairs.sort(key=lambda p: (-abs(p.r), p.first, p.second))
    collinear = {p.first for p in pairs} | {p.second for p in pairs}

    indicators = []
    for ind in inds:
        points = columns.points[ind.code]
        same_points, same_share = _same_points(points)
        skew, kurtosis = (None, None)
        if ind.type in VALUE_TYPES:
            skew, kurtosis = skewness(columns.values[ind.code])
        r_block = pearson(scores[ind.code], blocks[block_of[ind.code]])
        r_total = pearson(scores[ind.code], total)
        flags = _correlation_flags(r_block, settings.weak_correlation, "block")
        flags += _correlation_flags(r_total, settings.weak_correlation, "total")
        if same_share is not None and same_share >= settings.same_points_share:
            flags.append(IndicatorFlag.same_points)
        if (
            ind.spec.kind == MethodKind.scaled
            and skew is not None
            and kurtosis is not None
            and abs(skew) >= SKEW_LIMIT
            and kurtosis >= KURTOSIS_LIMIT
        ):
            flags.append(IndicatorFlag.skewed)
        if ind.code in collinear:
            flags.append(IndicatorFlag.collinear)
        indicators.append(
            IndicatorAudit(
                code=ind.code,
                block=block_of[ind.code],
                schools=int((~np.isnan(points)).sum()),
                r_block=r_block,
                r_total=r_total,
                same_points=same_points,
                same_share=same_share,
                skew=skew,
                kurtosis=kurtosis,
                flags=flags,
            )
        )
    return Audit(
        blocks=[_block_audit(b, scores, blocks, settings.low_alpha) for b in config.all_blocks()],
        indicators=indicators,
        pairs=pairs,
    )


def _block_audit(
    block: Block, scores: dict[str, FloatArray], blocks: dict[str, FloatArray], low_alpha: float
) -> BlockAudit:
    if block.blocks:
        columns = [blocks[child.id] for child in block.blocks]
    else:
        columns = [scores[ind.code] for ind in block.indicators]
    n = len(next(iter(blocks.values())))
    items = np.column_stack(columns) if columns else np.empty((n, 0))
    alpha, rows = cronbach_alpha(items)
    flags = [BlockFlag.low_alpha] if alpha is not None and alpha < low_alpha else []
    return BlockAudit(id=block.id, items=len(columns), schools=rows, alpha=alpha, flags=flags)
