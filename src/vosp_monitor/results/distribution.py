"""The summary of one score or value over a set of schools, shared by the district and the
territory statistics (``model``, ``territories``; a module of its own so both can use it).

Quantiles are numpy's default (linear interpolation, Hyndman & Fan type 7), as
``analysis.district`` computes them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Distribution:
    count: int
    min: float | None = None
    q1: float | None = None
    median: float | None = None
    mean: float | None = None
    q3: float | None = None
    max: float | None = None
