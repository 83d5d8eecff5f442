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
    places: np.ndarray = rank_rows(scores.reshape(1, -1), ties=ties, decimals=decimals)[0]
    return places.reshape(scores.shape)


def rank_rows(scores: np.ndarray, *, ties: str = "min", decimals: int = 2) -> np.ndarray:
    """:func:`rank_scores` of every row of ``scores`` (runs × schools) at once.

    One sort per row (numpy sorts all rows in one call); a place is the position of the
    first of its equal scores (``min``) or the number of distinct higher scores plus one
    (``dense``). The rank-robustness analysis ranks thousands of runs this way, with the
    rule the published ranking uses.
    """
    if ties not in ("min", "dense"):
        raise ValueError(f"unknown tie rule {ties!r}")
    scores = np.asarray(scores, dtype=float)
    runs, n = scores.shape
    if n == 0:
        return np.zeros(scores.shape, dtype=np.int64)
    present = ~np.isnan(scores)
    key = np.where(present, -np.round(scores, decimals), np.inf)
    order = np.argsort(key, axis=1)  # the order among equal scores does not change their place
    ordered = np.take_along_axis(key, order, axis=1)
    first = np.ones(ordered.shape, dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    if ties == "min":
        position = np.arange(1, n + 1, dtype=np.int64)
        sorted_places = np.maximum.accumulate(np.where(first, position, 0), axis=1)
    else:
        sorted_places = np.cumsum(first, axis=1, dtype=np.int64)
    places = np.empty((runs, n), dtype=np.int64)
    np.put_along_axis(places, order, sorted_places, axis=1)
    places[~present] = 0
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
