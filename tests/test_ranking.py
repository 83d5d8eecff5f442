"""Places, ties, rounding before comparison, peer groups and the order of tied schools."""

from __future__ import annotations

import numpy as np
import pytest

from scoring_helpers import block, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.scoring.ranking import order_by_place, rank_scores, rank_within_groups


def test_min_ties_share_a_place_and_skip():
    assert rank_scores(np.array([90, 80, 80, 70]), ties="min").tolist() == [1, 2, 2, 4]


def test_dense_ties_do_not_skip():
    assert rank_scores(np.array([70, 80, 90, 80]), ties="dense").tolist() == [3, 2, 1, 2]


def test_scores_are_compared_after_rounding():
    scores = np.array([80.04, 80.0, 79.96, 79.94])
    assert rank_scores(scores, decimals=1).tolist() == [1, 1, 1, 4]
    assert rank_scores(scores, decimals=2).tolist() == [1, 2, 3, 4]


def test_nan_has_no_place():
    assert rank_scores(np.array([np.nan, 50, 60])).tolist() == [0, 2, 1]
    assert rank_scores(np.array([np.nan])).tolist() == [0]


def test_unknown_tie_rule_is_an_error():
    with pytest.raises(ValueError, match="tie rule"):
        rank_scores(np.array([1.0]), ties="average")


def test_group_places_are_within_each_group():
    scores = np.array([90, 80, 70, 60, 50])
    groups = ["город", "село", "город", None, "село"]
    assert rank_within_groups(scores, groups).tolist() == [1, 1, 2, 0, 2]


def test_order_by_place_then_code_and_unplaced_last():
    places = np.array([2, 1, 2, 0])
    assert order_by_place(places, ["b", "z", "a", "c"]) == [1, 2, 0, 3]


def _ranked(ties: str):
    config = make_config(
        [block("B", [linear("A")])], ranking={"ties": ties, "decimals": 1, "groups": ["kind"]}
    )
    subs = [
        school("05", {"A": 70}, kind="село"),
        school("01", {"A": 90}, kind="город"),
        school("04", {"A": 80.01}, kind="город"),
        school("03", {"A": 80}, kind="село"),
        school("02", {"A": 60}),
    ]
    return build_results(config, subs)


def test_results_ordered_by_place_then_code_with_min_ties():
    results = _ranked("min")
    assert [(s.code, s.place) for s in results.schools] == [
        ("01", 1),
        ("03", 2),
        ("04", 2),
        ("05", 4),
        ("02", 5),
    ]
    assert {s.code: s.blocks["B"].place for s in results.schools} == {
        "01": 1,
        "03": 2,
        "04": 2,
        "05": 4,
        "02": 5,
    }


def test_dense_ties_in_results():
    assert [s.place for s in _ranked("dense").schools] == [1, 2, 2, 3, 4]


def test_peer_group_places_in_results():
    results = _ranked("min")
    got = {s.code: (s.groups, s.group_places) for s in results.schools}
    assert got["01"] == ({"kind": "город"}, {"kind": 1})
    assert got["04"] == ({"kind": "город"}, {"kind": 2})
    assert got["03"] == ({"kind": "село"}, {"kind": 1})
    assert got["05"] == ({"kind": "село"}, {"kind": 2})
    assert got["02"] == ({}, {})  # no group value: no group place
