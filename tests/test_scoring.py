"""Scoring against hand-computed numbers: every method, both directions, every aggregation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scoring_helpers import NA, ZERO, block, indicator, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.config import Aggregation
from vosp_monitor.scoring.methods import NA as S_NA
from vosp_monitor.scoring.methods import OK, aggregate, score_indicator, score_submissions
from vosp_monitor.scoring.methods import ZERO as S_ZERO


def _one(ind: dict, values: list[float], status: list[int] | None = None):
    config = make_config([block("B", [ind])])
    status = status if status is not None else [OK] * len(values)
    return score_indicator(config.indicators()[0], np.array(values, dtype=float), np.array(status))


BANDS = [{"to": 10, "points": 0}, {"from": 10, "to": 20, "points": 1}, {"from": 20, "points": 2}]


def test_bands_lower_edge_inclusive_upper_exclusive_open_ends():
    r = _one(indicator("A", scoring={"method": "bands", "bands": BANDS}), [-5, 9.99, 10, 19.99, 20, 1e9])
    assert r.points.tolist() == [0, 0, 1, 1, 2, 2]
    assert r.scores.tolist() == [0, 0, 50, 50, 100, 100]
    assert r.max_points == 2


def test_bands_value_in_no_band_gets_zero_and_direction_is_in_the_points():
    closed = [{"from": 0, "to": 10, "points": 1}, {"from": 10, "to": 20, "points": 3}]
    r = _one(indicator("A", scoring={"method": "bands", "bands": closed}), [-1, 0, 15, 20, 25])
    assert r.points.tolist() == [0, 1, 3, 0, 0]
    lower = [{"to": 5, "points": 2}, {"from": 5, "to": 10, "points": 1}, {"from": 10, "points": 0}]
    r = _one(indicator("A", scoring={"method": "bands", "bands": lower}, direction="lower"), [0, 5, 12])
    assert r.points.tolist() == [2, 1, 0]


def test_options_value_is_the_chosen_options_points():
    options = [
        {"label": "нет", "points": 0},
        {"label": "частично", "points": 3},
        {"label": "да", "points": 5},
    ]
    r = _one(indicator("A", "choice", options=options), [0, 3, 5])
    assert r.points.tolist() == [0, 3, 5]
    assert r.scores.tolist() == [0, 60, 100]


@pytest.mark.parametrize(("direction", "points"), [("higher", [2, 0]), ("lower", [0, 2])])
def test_yesno_yes_points_and_direction(direction, points):
    r = _one(
        indicator("A", "yesno", scoring={"method": "yesno", "yes_points": 2}, direction=direction), [1, 0]
    )
    assert r.points.tolist() == points
    assert r.scores.tolist() == [p * 50 for p in points]


def test_yesno_default_is_one_point():
    r = _one(indicator("A", "yesno"), [1, 0])
    assert (r.points.tolist(), r.max_points) == ([1, 0], 1)


@pytest.mark.parametrize(
    ("direction", "points", "scores"), [("higher", [3, 0], [75, 0]), ("lower", [1, 4], [25, 100])]
)
def test_mark_over_max_mark(direction, points, scores):
    r = _one(indicator("A", "mark", max_mark=4, direction=direction), [3, 0])
    assert r.points.tolist() == points
    assert r.scores.tolist() == scores


def test_linear_between_goalposts_both_directions_and_points():
    values = [0, 10, 15, 30, 40]
    up = _one(indicator("A", scoring={"method": "linear", "low": 10, "high": 30, "max_points": 10}), values)
    assert up.scores.tolist() == [0, 0, 25, 100, 100]
    assert up.points.tolist() == [0, 0, 2.5, 10, 10]
    down = _one(
        indicator("A", scoring={"method": "linear", "low": 10, "high": 30}, direction="lower"), values
    )
    assert down.scores.tolist() == [100, 100, 75, 0, 0]
    assert down.max_points == 100


def test_minmax_over_the_run_both_directions():
    up = _one(indicator("A", scoring={"method": "minmax"}), [2, 4, 6, 10])
    assert up.scores.tolist() == [0, 25, 50, 100]
    down = _one(indicator("A", scoring={"method": "minmax"}, direction="lower"), [2, 4, 6, 10])
    assert down.scores.tolist() == [100, 75, 50, 0]


def test_minmax_all_equal_scores_100_and_ignores_missing_schools():
    assert _one(indicator("A", scoring={"method": "minmax"}), [5, 5, 5]).scores.tolist() == [100, 100, 100]
    r = _one(indicator("A", scoring={"method": "minmax"}), [10, 20, np.nan, np.nan], [OK, OK, S_ZERO, S_NA])
    assert r.scores[:3].tolist() == [0, 100, 0]
    assert math.isnan(r.scores[3]) and math.isnan(r.points[3])


def test_target_distance_capped_both_directions():
    up = _one(indicator("A", scoring={"method": "target"}, target=30), [0, 15, 30, 45])
    assert up.scores.tolist() == [0, 50, 100, 100]
    down = _one(
        indicator("A", scoring={"method": "target"}, target=10, direction="lower"), [0, 5, 10, 20, 40]
    )
    assert down.scores.tolist() == [100, 100, 100, 50, 25]


def test_zscore_normal_cdf_with_sample_sd():
    # mean 2, sample sd 1 → z = −1, 0, 1 → Φ = 0.158655…, 0.5, 0.841344…
    phi1 = 0.5 * (1 + math.erf(1 / math.sqrt(2)))
    up = _one(indicator("A", scoring={"method": "zscore"}), [1, 2, 3])
    assert up.scores.tolist() == pytest.approx([100 * (1 - phi1), 50, 100 * phi1])
    down = _one(indicator("A", scoring={"method": "zscore"}, direction="lower"), [1, 2, 3])
    assert down.scores.tolist() == pytest.approx([100 * phi1, 50, 100 * (1 - phi1)])
    assert _one(indicator("A", scoring={"method": "zscore"}), [4, 4]).scores.tolist() == [50, 50]


def test_status_zero_scores_zero_and_not_applicable_is_nan():
    r = _one(linear("A"), [70, np.nan, np.nan], [OK, S_ZERO, S_NA])
    assert r.scores[:2].tolist() == [70, 0]
    assert r.points[:2].tolist() == [70, 0]
    assert math.isnan(r.scores[2])


# --------------------------------------------------------------------------- aggregation


def test_weighted_arithmetic_and_geometric_means():
    scores = np.array([[50.0, 100.0], [0.0, 100.0], [4.0, 16.0]])
    assert aggregate(scores, np.array([1, 3]), Aggregation.arithmetic).tolist() == [87.5, 75, 13]
    geo = aggregate(scores, np.array([1, 3]), Aggregation.geometric)
    assert geo.tolist() == pytest.approx([50**0.25 * 100**0.75, 0.0, 4**0.25 * 16**0.75])


def test_geometric_block_with_a_zero_child_is_zero():
    config = make_config([block("B", [linear("A"), linear("C")], aggregation="geometric")])
    table = score_submissions(config, [school("1", {"A": 25, "C": 100}), school("2", {"A": 0, "C": 100})])
    assert table.blocks["B"].scores.tolist() == pytest.approx([50, 0])


def test_percent_of_max_points():
    options = [{"label": "a", "points": 0}, {"label": "b", "points": 1}, {"label": "c", "points": 2}]
    config = make_config(
        [
            block(
                "B",
                [
                    indicator("A", "choice", options=options),
                    indicator("Y", "yesno"),
                    indicator("M", "mark", max_mark=4),
                ],
            )
        ],
        scoring={"aggregation": "percent_of_max"},
    )
    table = score_submissions(config, [school("1", {"A": 1, "Y": 1, "M": 3})])
    assert table.blocks["B"].scores[0] == pytest.approx(5 / 7 * 100)
    assert (table.blocks["B"].points[0], table.blocks["B"].max_points[0]) == (5, 7)
    assert table.total[0] == pytest.approx(5 / 7 * 100)


@pytest.mark.parametrize("aggregation", ["arithmetic", "percent_of_max", "geometric"])
def test_not_applicable_is_dropped_from_sum_and_maximum(aggregation):
    config = make_config(
        [block("B", [linear("A"), linear("C", weight=3, missing="not_applicable")], aggregation=aggregation)]
    )
    subs = [school("1", {"A": 40, "C": NA}), school("2", {"A": 40, "C": 80})]
    table = score_submissions(config, subs)
    expected_second = {"arithmetic": 70, "percent_of_max": 70, "geometric": 40**0.25 * 80**0.75}[aggregation]
    assert table.blocks["B"].scores.tolist() == pytest.approx([40, expected_second])
    assert table.blocks["B"].max_points.tolist() == [100, 200]


def test_zero_status_counts_in_the_maximum():
    config = make_config([block("B", [linear("A"), linear("C", missing="zero")])])
    table = score_submissions(config, [school("1", {"A": 40, "C": ZERO})])
    assert table.blocks["B"].scores.tolist() == [20]


def _three_levels(aggregation: str):
    return make_config(
        [
            block(
                "X", blocks=[block("P1", [linear("a"), linear("b")]), block("P2", [linear("c")])], weight=2
            ),
            block("Y", blocks=[block("P3", [linear("d")])]),
        ],
        scoring={"aggregation": aggregation},
    )


def test_three_level_hierarchy_arithmetic():
    table = score_submissions(
        _three_levels("arithmetic"), [school("1", {"a": 20, "b": 40, "c": 90, "d": 30})]
    )
    got = {k: b.scores[0] for k, b in table.blocks.items()}
    assert got == pytest.approx({"P1": 30, "P2": 90, "X": 60, "P3": 30, "Y": 30})
    assert table.total[0] == pytest.approx((2 * 60 + 30) / 3)


def test_three_level_hierarchy_percent_of_max_uses_block_weights():
    table = score_submissions(
        _three_levels("percent_of_max"), [school("1", {"a": 20, "b": 40, "c": 90, "d": 30})]
    )
    got = {k: b.scores[0] for k, b in table.blocks.items()}
    assert got == pytest.approx({"P1": 30, "P2": 90, "X": 50, "P3": 30, "Y": 30})
    assert table.total[0] == pytest.approx((2 * 150 + 30) / (2 * 300 + 100) * 100)


def test_block_aggregation_overrides_the_default():
    config = make_config(
        [block("B", [linear("A"), linear("C")], aggregation="geometric"), block("D", [linear("E")])],
    )
    table = score_submissions(config, [school("1", {"A": 25, "C": 100, "E": 0})])
    assert table.blocks["B"].scores[0] == pytest.approx(50)
    assert table.total[0] == pytest.approx(25)  # arithmetic over the blocks


# --------------------------------------------------------------------------- critical rule and levels


def _critical(zero_block_score: bool):
    return make_config(
        [
            block("B", [indicator("K", "yesno", critical=True), linear("A")]),
            block("C", [linear("D")]),
        ],
        scoring={"critical": {"label": "ниже базового", "zero_block_score": zero_block_score}},
    )


def test_critical_indicator_at_zero_marks_the_block_below_base():
    subs = [school("1", {"K": 0, "A": 80, "D": 60}), school("2", {"K": 1, "A": 80, "D": 60})]
    results = build_results(_critical(False), subs)
    by_code = {s.code: s for s in results.schools}
    assert by_code["1"].blocks["B"].below_base and by_code["1"].below_base
    assert by_code["1"].blocks["B"].score == pytest.approx(40)
    assert not by_code["1"].blocks["C"].below_base
    assert not by_code["2"].below_base and by_code["2"].blocks["B"].score == pytest.approx(90)
    assert results.block_stats["B"].below_base_count == 1


def test_critical_rule_can_zero_the_block_score_and_it_flows_into_the_total():
    results = build_results(_critical(True), [school("1", {"K": 0, "A": 80, "D": 60})])
    s = results.schools[0]
    assert s.blocks["B"].score == 0
    assert s.total == pytest.approx(30)
    assert s.level == "низкий"


def test_levels_from_the_total():
    config = make_config([block("B", [linear("A")])])
    results = build_results(config, [school(str(v), {"A": v}) for v in (10, 50, 79.9, 80)])
    assert {s.code: s.level for s in results.schools} == {
        "10": "низкий",
        "50": "средний",
        "79.9": "средний",
        "80": "высокий",
    }
    assert results.level_counts == {"низкий": 1, "средний": 2, "высокий": 1}
