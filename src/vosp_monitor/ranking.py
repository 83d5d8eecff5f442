"""Places by total and by block, ties, and places within peer groups.

Scores are compared after rounding to ``ranking.decimals`` places, so two schools that
the published tables show as 71.4 share a place instead of being split by a difference
nobody can see. Ties share a place: ``min`` gives 1, 2, 2, 4 (the usual sports rule and
R's ``rank(ties.method = "min")``), ``dense`` gives 1, 2, 2, 3. Among schools with the
same place the order is by school code (plain string comparison), so every run over
the same data lists them identically whatever the order of the files.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def rank_scores(scores: np.ndarray, *, ties: str = "min", decimals: int = 2) -> np.ndarray:
    """Place of each score (1 = highest); 0 where the score is NaN (no place).

    ``ties`` is ``"min"`` or ``"dense"``; comparison is on scores rounded to ``decimals``.
    """
    scores = np.asarray(scores, dtype=float)
    places = np.zeros(scores.shape, dtype=np.int64)
    present = ~np.isnan(scores)
    if not present.any():
        return places
    rounded = np.round(scores[present], decimals)
    if ties == "dense":
        distinct = np.unique(-rounded)  # ascending of negated = descending scores
        places[present] = np.searchsorted(distinct, -rounded) + 1
    elif ties == "min":
        ordered = np.sort(-rounded)
        places[present] = np.searchsorted(ordered, -rounded, side="left") + 1
    else:
        raise ValueError(f"unknown tie rule {ties!r}")
    return places


def rank_within_groups(
    scores: np.ndarray,
    groups: Sequence[str | None],
    *,
    ties: str = "min",
    decimals: int = 2,
) -> np.ndarray:
    """Places within each group value; 0 for schools with no group value or no score."""
    scores = np.asarray(scores, dtype=float)
    places = np.zeros(scores.shape, dtype=np.int64)
    labels = np.array(["" if g is None else str(g) for g in groups], dtype=object)
    for label in set(labels.tolist()) - {""}:
        members = labels == label
        places[members] = rank_scores(scores[members], ties=ties, decimals=decimals)
    return places


def order_by_place(places: np.ndarray, codes: Sequence[str]) -> list[int]:
    """Indices sorted by place, then by school code; schools without a place go last."""
    key_places = np.where(np.asarray(places) > 0, places, np.iinfo(np.int64).max).tolist()
    # Plain ints and tuples compare in C; the index breaks no tie the stable sort would not.
    return [i for _, _, i in sorted(zip(key_places, codes, range(len(codes)), strict=True))]
