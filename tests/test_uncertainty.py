"""Rank robustness: Monte Carlo places, groups of places, sensitivity, leave-one-out, determinism."""

from __future__ import annotations

import random
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring_helpers import NA, block, indicator, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.analysis import uncertainty as uncertainty_module
from vosp_monitor.config import Aggregation
from vosp_monitor.results import results_to_dict
from vosp_monitor.scoring.aggregation import Tree
from vosp_monitor.scoring.methods import leaves_of, score_submissions
from vosp_monitor.scoring.ranking import rank_rows, rank_scores

BANDS = [{"to": 10, "points": 0}, {"from": 10, "to": 25, "points": 1}, {"from": 25, "points": 3}]


def _config(noise: float = 0.25, aggregations: tuple[str, ...] = (), runs: int = 200, **extra):
    inds = [
        linear("A", weight=2, missing="not_applicable"),
        linear("B", missing="not_applicable"),
        indicator("C", scoring={"method": "bands", "bands": BANDS}, missing="not_applicable"),
        indicator("D", scoring={"method": "minmax"}, missing="not_applicable", critical=True),
    ]
    settings_ = {
        "enabled": True,
        "runs": runs,
        "seed": 7,
        "weight_noise": {"indicators": noise, "subblocks": noise, "blocks": noise},
        "aggregations": list(aggregations),
        **extra,
    }
    return make_config(
        [block("P", inds[:2], weight=2), block("Q", inds[2:], aggregation="percent_of_max")],
        analysis={"uncertainty": settings_},
        ranking={"decimals": 6},
    )


def _schools(n: int = 12, seed: int = 3):
    rng = random.Random(seed)
    return [
        school(f"{i:03d}", {code: rng.uniform(1, 99) for code in "ABCD"}, name=f"ОО {i}") for i in range(n)
    ]


# --------------------------------------------------------------------------- the engine


def test_the_nominal_run_of_the_tree_is_the_published_scoring():
    """Scoring is one run of the tree at the configured weights; the Monte Carlo reuses it."""
    for aggregation in [a.value for a in Aggregation]:
        config = make_config(
            [
                block("P", [linear("A"), linear("B", weight=3)], aggregation=aggregation),
                block("Q", [linear("C")]),
            ],
            scoring={"aggregation": aggregation},
        )
        subs = [school(f"{i}", {"A": 10 * i, "B": 90 - 7 * i, "C": 5 + 3 * i}) for i in range(8)]
        table = score_submissions(config, subs)
        tree = Tree(config)
        runs = np.tile(tree.nominal, (3, 1))
        total = tree.evaluate(leaves_of(tree, table.indicators), runs).total
        assert np.array_equal(total, np.tile(table.total, (3, 1)), equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from([1.0, 2.0, 2.0, 3.5, np.nan]), min_size=5, max_size=5),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["min", "dense"]),
)
def test_ranking_many_runs_at_once_is_ranking_each_run(rows, ties):
    scores = np.array(rows)
    many = rank_rows(scores, ties=ties, decimals=2)
    assert all(
        np.array_equal(many[r], rank_scores(scores[r], ties=ties, decimals=2)) for r in range(len(rows))
    )


def test_zero_noise_and_no_alternatives_give_zero_width_intervals():
    config = _config(noise=0.0)
    results = build_results(config, _schools())
    u = results.uncertainty
    assert u is not None and u.inputs == [] and u.sensitivity == []
    assert all(p.low == p.median == p.high == p.mean == p.place for p in u.places)
    assert u.groups == [] and u.mean_shift == 0.0


def test_places_are_listed_in_ranking_order_with_their_published_place():
    results = build_results(_config(), _schools())
    u = results.uncertainty
    assert u is not None
    assert [(p.code, p.place) for p in u.places] == [(s.code, s.place) for s in results.schools]
    assert u.runs == 200 and u.seed == 7 and u.schemes == ["configured"]
    assert u.inputs == ["indicators", "blocks"]  # no sub-blocks in this tree


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=3, max_value=15), st.integers(0, 10_000), st.sampled_from([0.1, 0.5, 0.9]))
def test_intervals_contain_the_median_and_lie_within_the_places(n, seed, noise):
    results = build_results(_config(noise=noise, runs=50, aggregations=("arithmetic",)), _schools(n, seed))
    u = results.uncertainty
    assert u is not None
    for p in u.places:
        assert 1 <= p.low <= p.median <= p.high <= n
        assert 1 <= p.mean <= n  # the mean may lie outside the 5–95 % interval


def test_same_seed_same_results_whatever_the_file_order():
    schools = _schools(15)
    first = build_results(_config(aggregations=("arithmetic",)), schools)
    shuffled = list(schools)
    random.Random(1).shuffle(shuffled)
    again = build_results(_config(aggregations=("arithmetic",)), shuffled)
    assert results_to_dict(first)["uncertainty"] == results_to_dict(again)["uncertainty"]
    other = build_results(_config(aggregations=("arithmetic",), seed=8), schools)
    assert results_to_dict(other)["uncertainty"]["places"] != results_to_dict(first)["uncertainty"]["places"]


def test_weights_vary_uniformly_within_the_noise_of_their_level():
    config = _config(noise=0.4)
    table = score_submissions(config, _schools())
    plan, _ = uncertainty_module.design(config, table)
    draws = plan.draw(np.random.default_rng(1), 4000)
    ratio = plan.weights(draws) / plan.tree.nominal
    assert ratio.min() >= 0.6 and ratio.max() < 1.4
    assert abs(ratio.mean() - 1.0) < 0.01 and ratio.min() < 0.61 and ratio.max() > 1.39


# --------------------------------------------------------------------------- groups of places


def test_near_ties_form_a_group_and_clear_gaps_do_not():
    """A and B differ by a hair on equally weighted indicators: weight noise swaps them half the time."""
    config = make_config(
        [block("P", [linear("X"), linear("Y")])],
        analysis={"uncertainty": {"enabled": True, "runs": 400, "weight_noise": {"indicators": 0.3}}},
        ranking={"decimals": 6},
    )
    subs = [
        school("A", {"X": 80, "Y": 60.2}),
        school("B", {"X": 60, "Y": 80}),
        school("C", {"X": 30, "Y": 30}),
        school("D", {"X": 10, "Y": 10}),
    ]
    u = build_results(config, subs).uncertainty
    assert u is not None
    assert [(g.first, g.last, g.codes) for g in u.groups] == [(1, 2, ["A", "B"])]
    by_code = {p.code: p for p in u.places}
    assert (by_code["A"].low, by_code["A"].high) == (1, 2) and (by_code["C"].low, by_code["C"].high) == (3, 3)


def test_schools_sharing_a_place_stay_in_one_group():
    """A is ahead of C (dominated) in every run but not of B (weights can lift B): B and C share place 2."""
    config = make_config(
        [block("P", [linear("X"), linear("Y")])],
        analysis={"uncertainty": {"enabled": True, "runs": 400, "weight_noise": {"indicators": 0.5}}},
        ranking={"decimals": 6},
    )
    subs = [school("A", {"X": 60, "Y": 60}), school("B", {"X": 95, "Y": 5}), school("C", {"X": 50, "Y": 50})]
    results = build_results(config, subs)
    assert [(s.code, s.place) for s in results.schools] == [("A", 1), ("B", 2), ("C", 2)]
    assert [(g.first, g.last, g.codes) for g in results.uncertainty.groups] == [(1, 2, ["A", "B", "C"])]


# --------------------------------------------------------------------------- alternatives that cannot run


def test_geometric_with_zero_scores_is_left_out_loudly():
    config = make_config(
        [
            block("P", [linear("A"), linear("B")]),
            block("Q", [indicator("C", scoring={"method": "bands", "bands": BANDS})]),
        ],
        analysis={"uncertainty": {"enabled": True, "runs": 40, "aggregations": ["geometric", "arithmetic"]}},
    )
    subs = [school(f"{i:03d}", {"A": 20 + i, "B": 30 + i, "C": 12 + i}) for i in range(6)]
    subs[4].indicators["C"].value = 3.0  # bands: 0 points, score 0
    results = build_results(config, subs)
    u = results.uncertainty
    assert u is not None and u.schemes == ["configured"]  # arithmetic is the configured scheme
    (problem,) = [p for p in results.problems if p.code == "uncertainty-geometric-skipped"]
    assert "у 1 ОО" in problem.message and "004: C" in problem.message


def test_geometric_runs_when_every_score_is_positive():
    positive = make_config(
        [block("P", [linear("A", low=0, high=100), linear("B", low=0, high=100)])],
        analysis={"uncertainty": {"enabled": True, "runs": 40, "aggregations": ["geometric"]}},
    )
    results = build_results(positive, [school(f"{i}", {"A": 10 + i, "B": 60 - i}) for i in range(5)])
    assert results.uncertainty is not None and results.uncertainty.schemes == ["configured", "geometric"]
    assert "aggregation" in results.uncertainty.inputs
    assert not [p for p in results.problems if p.code.startswith("uncertainty-")]


def test_minmax_puts_the_last_school_at_zero_so_geometric_cannot_run():
    config = make_config(
        [block("P", [indicator("A", scoring={"method": "minmax"}), linear("B")])],
        analysis={"uncertainty": {"enabled": True, "runs": 40, "aggregations": ["geometric"]}},
    )
    results = build_results(config, [school(f"{i}", {"A": 10 + i, "B": 60 - i}) for i in range(5)])
    assert results.uncertainty is not None and results.uncertainty.schemes == ["configured"]
    assert [p.code for p in results.problems] == ["uncertainty-geometric-skipped"]


def test_an_alternative_equal_to_the_configured_scheme_is_not_drawn_twice():
    config = _config(aggregations=("arithmetic", "percent_of_max"))
    plain = make_config(
        [block("P", [linear("A"), linear("B")])],
        analysis={"uncertainty": {"enabled": True, "runs": 20, "aggregations": ["arithmetic"]}},
    )
    assert build_results(config, _schools()).uncertainty.schemes == [
        "configured",
        "arithmetic",
        "percent_of_max",
    ]
    results = build_results(plain, [school(f"{i}", {"A": 10 * i, "B": 5 * i}) for i in range(4)])
    assert results.uncertainty.schemes == ["configured"]


def test_too_few_schools_is_said_not_skipped():
    results = build_results(_config(), _schools(2))
    assert results.uncertainty is None
    assert [p.code for p in results.problems] == ["uncertainty-too-few-schools"]
    assert "2 ОО" in results.problems[0].message


def test_many_schools_run_only_when_asked(monkeypatch):
    monkeypatch.setattr(uncertainty_module, "AUTO_LIMIT", 5)
    results = build_results(_config(), _schools(8))
    assert results.uncertainty is None
    assert [p.code for p in results.problems] == ["uncertainty-too-many-schools"]
    assert build_results(_config(), _schools(8), uncertainty=True).uncertainty is not None
    assert build_results(_config(), _schools(4), uncertainty=False).uncertainty is None


def test_more_runs_than_memory_allows_are_cut_and_said(monkeypatch):
    """``runs: 100000`` at 2,000 schools held 860 MB of places: the runs are cut to what fits."""
    monkeypatch.setattr(uncertainty_module, "MAX_PLACES", 12 * 150)
    results = build_results(_config(runs=200), _schools(12))
    assert results.uncertainty is not None and results.uncertainty.runs == 150
    (problem,) = [p for p in results.problems if p.code == "uncertainty-runs-reduced"]
    assert problem.message.startswith(
        "Анализ устойчивости мест проведён на 150 пересчётах вместо 200: при 12 ОО"
    )


# --------------------------------------------------------------------------- sensitivity


def test_a_single_uncertain_input_explains_all_of_the_variance():
    config = _config(noise=0.0, aggregations=("arithmetic",), runs=400)
    u = build_results(config, _schools(12)).uncertainty
    assert u is not None and u.inputs == ["aggregation"]
    (effect,) = u.sensitivity
    assert effect.input == "aggregation"
    assert effect.total == pytest.approx(1.0, abs=0.15) and effect.first_order == pytest.approx(1.0, abs=0.15)
    assert effect.total_low <= effect.total <= effect.total_high
    assert u.sensitivity_runs == 400 * 3


def test_an_input_that_cannot_move_places_gets_no_index():
    """Noise on the only block's weight changes nothing: that level is not an input."""
    config = make_config(
        [block("P", [linear("X"), linear("Y", weight=2)])],
        analysis={
            "uncertainty": {"enabled": True, "runs": 100, "weight_noise": {"indicators": 0.3, "blocks": 0.5}}
        },
    )
    u = build_results(config, _schools_xy()).uncertainty
    assert u is not None and u.inputs == ["indicators"]
    assert [e.input for e in u.sensitivity] == ["indicators"]


def _schools_xy():
    return [school(f"{i}", {"X": 10 * i, "Y": 95 - 9 * i}) for i in range(8)]


# --------------------------------------------------------------------------- leave one out


def test_leaving_an_indicator_out_hand_computed():
    """X decides the order, Y reverses it: without X the order flips; without Y nothing changes."""
    config = make_config(
        [block("P", [linear("X", weight=3), linear("Y")])],
        analysis={"uncertainty": {"enabled": True, "runs": 10, "weight_noise": {"indicators": 0}}},
    )
    subs = [school("1", {"X": 90, "Y": 10}), school("2", {"X": 50, "Y": 50}), school("3", {"X": 10, "Y": 90})]
    u = build_results(config, subs).uncertainty
    assert u is not None
    removal = {r.code: r for r in u.removals}
    assert (removal["X"].max_shift, removal["X"].moved, removal["X"].mean_shift) == (
        2,
        2,
        pytest.approx(4 / 3),
    )
    assert (removal["X"].school, removal["X"].place_from, removal["X"].place_to) == ("1", 1, 3)
    assert (removal["Y"].max_shift, removal["Y"].moved, removal["Y"].school) == (0, 0, "")
    assert [r.code for r in u.removals] == ["X", "Y"]


def test_leaving_out_a_critical_indicator_lifts_its_rule():
    config = make_config(
        [
            block("P", [linear("X", critical=True), linear("Y")]),
            block("Q", [linear("Z")]),
        ],
        scoring={"critical": {"zero_block_score": True}},
        analysis={
            "uncertainty": {"enabled": True, "runs": 10, "weight_noise": {"indicators": 0, "blocks": 0}}
        },
    )
    subs = [
        school("1", {"X": 0, "Y": 100, "Z": 30}),
        school("2", {"X": 40, "Y": 40, "Z": 40}),
        school("3", {"X": 5, "Y": 5, "Z": 5}),
    ]
    results = build_results(config, subs)
    assert [s.code for s in results.schools] == ["2", "1", "3"]  # school 1's block P is zeroed
    removal = {r.code: r for r in results.uncertainty.removals}
    assert (removal["X"].school, removal["X"].place_from, removal["X"].place_to) == ("1", 2, 1)


@cache
def _na_config():
    return make_config(
        [block("P", [linear("X", missing="not_applicable")]), block("Q", [linear("Y")])],
        analysis={"uncertainty": {"enabled": True, "runs": 10, "weight_noise": {"blocks": 0}}},
    )


def test_a_school_left_with_nothing_loses_no_place_it_never_had():
    subs = [school("1", {"X": NA, "Y": 10}), school("2", {"X": 50, "Y": 50}), school("3", {"X": 10, "Y": 90})]
    u = build_results(_na_config(), subs).uncertainty
    assert u is not None
    removal = {r.code: r for r in u.removals}
    assert removal["Y"].school in {"2", "3"}  # school 1 has no total without Y: not counted
