"""Statistics of many groups at once: sums, means and quantiles per group without a loop per group.

The territory roll-up summarises 40,000 schools in a few thousand municipalities; a Python
loop per territory or per school would cost more than the district statistics themselves.
Every function here takes the group of each element as an integer array (−1: in no group)
and works with ``numpy.bincount`` and one sort, so the cost is that of a pass over the data.

Quantiles are type 7 (linear interpolation between order statistics, numpy's default), so
a group's median and quartiles are exactly those :func:`analysis.district.distribution`
gives for the same values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Grouping:
    """Which group each element is in (``index``: −1 for none) among ``size`` groups."""

    index: IntArray
    size: int

    def count(self, mask: BoolArray | None = None) -> IntArray:
        """Elements per group (only where ``mask``)."""
        keep = self.index >= 0 if mask is None else (self.index >= 0) & mask
        counts: IntArray = np.bincount(self.index[keep], minlength=self.size).astype(np.int64)
        return counts

    def sum(self, values: FloatArray, mask: BoolArray | None = None) -> FloatArray:
        """Σ of ``values`` per group (only where ``mask``; NaN must be masked out by the caller)."""
        keep = self.index >= 0 if mask is None else (self.index >= 0) & mask
        sums = np.bincount(self.index[keep], weights=values[keep], minlength=self.size)
        return np.asarray(sums, dtype=np.float64)

    def mean(self, values: FloatArray, mask: BoolArray | None = None) -> FloatArray:
        """Mean per group of the non-NaN ``values`` (where ``mask``); NaN for an empty group."""
        keep = ~np.isnan(values) if mask is None else mask & ~np.isnan(values)
        count = self.count(keep)
        with np.errstate(invalid="ignore", divide="ignore"):
            means: FloatArray = np.where(count > 0, self.sum(values, keep) / np.maximum(count, 1), np.nan)
        return means

    def quantiles(self, values: FloatArray, probabilities: tuple[float, ...]) -> tuple[IntArray, FloatArray]:
        """(count, quantiles: len(probabilities) × groups) of the non-NaN values, type 7.

        Also the minimum (probability 0) and maximum (1). NaN for an empty group.
        """
        keep = (self.index >= 0) & ~np.isnan(values)
        groups, data = self.index[keep], values[keep]
        order = np.lexsort((data, groups))
        ordered = data[order]
        count = np.bincount(groups, minlength=self.size).astype(np.int64)
        start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
        out = np.full((len(probabilities), self.size), np.nan)
        present = count > 0
        if not present.any():
            return count, out
        first, size = start[present], count[present]
        for row, p in enumerate(probabilities):
            h = (size - 1) * p
            low = np.floor(h).astype(np.int64)
            high = np.minimum(low + 1, size - 1)
            below, above = ordered[first + low], ordered[first + high]
            out[row, present] = below + (h - low) * (above - below)
        return count, out


def members(grouping: Grouping, mask: BoolArray | None = None) -> tuple[IntArray, IntArray, IntArray]:
    """The elements of every group one after another: (element indices, start, count per group).

    Elements keep their order inside a group (a stable sort), so a group's members are in the
    order of the arrays, which is code order for schools.
    """
    keep = grouping.index >= 0 if mask is None else (grouping.index >= 0) & mask
    chosen = np.flatnonzero(keep)
    order = chosen[np.argsort(grouping.index[chosen], kind="stable")]
    count = np.bincount(grouping.index[chosen], minlength=grouping.size).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(count)[:-1])).astype(np.int64)
    return order.astype(np.int64), start, count
