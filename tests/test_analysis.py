"""District statistics, pooled shares, targets, deficits and the assembly of Results."""

from __future__ import annotations

import numpy as np
import pytest

from scoring_helpers import NA, ZERO, block, indicator, linear, make_config, school
from vosp_monitor.analysis import build_results, distribution
from vosp_monitor.ingest.registry import RegistryEntry
from vosp_monitor.problems import Consequence, make_problem
from vosp_monitor.validate.submission import Submission

SHARE = {
    "code": "S",
    "title": "Доля педагогов, прошедших КПК",
    "type": "share",
    "numerator": "прошли КПК",
    "denominator": "педагогов",
    "target": 30,
    "deficit": {"target_missed": True},
    "measure": "Организовать курсы повышения квалификации",
    "scoring": {"method": "target"},
}


def _share_config(**analysis):
    return make_config(
        [block("B", [SHARE, linear("A", missing="not_applicable")])], analysis=analysis or None
    )


def test_quartiles_use_numpy_linear_interpolation():
    d = distribution(np.array([1, 2, 3, 4, np.nan]))
    assert (d.count, d.min, d.q1, d.median, d.mean, d.q3, d.max) == (4, 1, 1.75, 2.5, 2.5, 3.25, 4)
    assert distribution(np.array([np.nan])).count == 0


def test_pooled_share_differs_from_the_mean_of_percentages():
    subs = [school("1", {"S": (1, 10), "A": 50}), school("2", {"S": (90, 100), "A": 50})]
    stats = build_results(_share_config(), subs).indicator_stats["S"]
    assert stats.values.mean == pytest.approx(50)
    assert stats.pooled == pytest.approx(91 / 110 * 100)


def test_an_implausible_denominator_counts_for_its_school_but_not_the_district():
    """10¹² typed teachers used to make the district's pooled share that one school's (100 %)."""
    subs = [
        school("1", {"S": (1, 10), "A": 50}),
        school("2", {"S": (9, 100), "A": 50}),
        school("3", {"S": (10**12, 10**12), "A": 50}),
        school("4", {"S": (1e308, 1e308), "A": 50}),
    ]
    results = build_results(_share_config(), subs)
    stats = results.indicator_stats["S"]
    assert stats.pooled == pytest.approx(10 / 110 * 100)
    assert {s.code: s.indicators["S"].value for s in results.schools}["3"] == pytest.approx(100)


def test_target_share_and_district_value_against_the_target():
    subs = [
        school("1", {"S": (1, 10), "A": 1}),
        school("2", {"S": (90, 100), "A": 1}),
        school("3", {"S": (2, 10), "A": 1}),
        school("4", {"S": (3, 10), "A": 1}),  # exactly the target: reached
    ]
    results = build_results(_share_config(), subs)
    stats = results.indicator_stats["S"]
    assert stats.target == 30
    assert stats.target_share == pytest.approx(0.5)
    assert stats.district_meets_target is True  # pooled 96/130 = 73.8 %
    by_code = {s.code: s for s in results.schools}
    assert by_code["1"].indicators["S"].target_met is False
    assert by_code["4"].indicators["S"].target_met is True


def test_lower_is_better_target():
    ind = linear("L", direction="lower", target=5)
    results = build_results(make_config([block("B", [ind])]), [school("1", {"L": 4}), school("2", {"L": 9})])
    stats = results.indicator_stats["L"]
    assert stats.target_share == pytest.approx(0.5)
    assert stats.district_meets_target is False  # mean 6.5 > 5


def test_deficits_with_measures_and_system_deficits():
    subs = [
        school("1", {"S": (1, 10), "A": 50}),
        school("2", {"S": (9, 10), "A": 0}),
        school("3", {"S": (5, 10), "A": 50}),
    ]
    results = build_results(_share_config(system_deficit_share=0.3), subs)
    by_code = {s.code: s for s in results.schools}
    assert by_code["1"].deficits == ["S"]
    assert by_code["1"].indicators["S"].deficit
    assert by_code["2"].deficits == ["A"]  # default rule: 0 points
    assert by_code["3"].deficits == []
    assert results.indicator_stats["S"].deficit_count == 1
    assert results.indicator_stats["S"].deficit_share == pytest.approx(1 / 3)
    assert results.indicator_stats["S"].system_deficit  # 1/3 > 0.3
    assert results.system_deficits == ["S", "A"]
    results = build_results(_share_config(system_deficit_share=0.5), subs)
    assert results.system_deficits == []


def test_deficit_rule_conditions_any_fires_and_never_when_not_applicable():
    ind = linear("A", deficit={"points_at_most": 10, "score_below": 50}, missing="not_applicable")
    config = make_config([block("B", [ind, linear("C")])])
    subs = [
        school("1", {"A": 5, "C": 1}),
        school("2", {"A": 40, "C": 1}),
        school("3", {"A": 60, "C": 1}),
        school("4", {"A": NA, "C": 1}),
    ]
    results = build_results(config, subs)
    assert {s.code: "A" in s.deficits for s in results.schools} == {
        "1": True,
        "2": True,
        "3": False,
        "4": False,
    }
    assert results.indicator_stats["A"].deficit_share == pytest.approx(2 / 3)


def test_missing_value_scored_zero_misses_the_target():
    config = make_config([block("B", [{**SHARE, "missing": "zero"}])])
    results = build_results(config, [school("1", {"S": ZERO}), school("2", {"S": (5, 10)})])
    by_code = {s.code: s for s in results.schools}
    assert by_code["1"].deficits == ["S"] and by_code["1"].indicators["S"].points == 0
    assert results.indicator_stats["S"].target_share == pytest.approx(0.5)


def test_points_shares_and_block_statistics():
    config = make_config([block("B", [indicator("Y", "yesno")])])
    subs = [school(str(i), {"Y": v}) for i, v in enumerate([1, 1, 1, 0])]
    results = build_results(config, subs)
    assert results.indicator_stats["Y"].points_shares == {"0": 0.25, "1": 0.75}
    assert results.block_stats["B"].scores.mean == pytest.approx(75)
    assert results.block_stats["B"].level_counts == {"низкий": 1, "средний": 0, "высокий": 3}
    assert results.total_stats.median == 100


def test_excluded_and_unreadable_are_listed_with_their_problems_not_scored():
    config = make_config([block("B", [linear("A")])])
    problem = make_problem(
        "file-crashed", file="bad.xlsx", detail="сбой", consequence=Consequence.file_excluded
    )
    bad = Submission(file="bad.xlsx", problems=[problem], readable=False)
    excluded = school("2", {"A": 50})
    duplicate = make_problem(
        "school-duplicate",
        file="2.xlsx",
        school="2",
        first="2.xlsx",
        second="b/2.xlsx",
        consequence=Consequence.school_excluded,
    )
    excluded.problems.append(duplicate)
    empty = make_config([block("B", [linear("A", missing="not_applicable")])])
    results = build_results(config, [school("1", {"A": 50}), bad, excluded])
    assert [s.code for s in results.schools] == ["1"]
    assert [(e.file, e.problems) for e in results.excluded] == [
        ("bad.xlsx", [problem]),
        ("2.xlsx", [duplicate]),
    ]
    assert results.problems == [problem, duplicate]
    results = build_results(empty, [school("1", {"A": 50}), school("9", {"A": NA})])
    assert [s.code for s in results.schools] == ["1"]
    (nothing,) = results.excluded[0].problems
    assert (nothing.code, nothing.file, nothing.school) == ("school-nothing-applicable", "9.xlsx", "9")
    assert nothing.consequence == Consequence.school_excluded
    assert results.problems == [nothing]  # listed with the run's problems too


def test_registry_entries_and_skipped_pairs_are_converted():
    config = make_config([block("B", [linear("A")])])
    results = build_results(
        config,
        [school("1", {"A": 50})],
        skipped=[("readme.txt", "не форма")],
        not_submitted=[RegistryEntry("0102", "Школа 2")],
        source="папка",
        expected_count=2,
    )
    assert (results.skipped[0].file, results.skipped[0].reason) == ("readme.txt", "не форма")
    assert (results.not_submitted[0].code, results.not_submitted[0].name) == ("0102", "Школа 2")
    assert (results.source, results.expected_count) == ("папка", 2)


def test_nullable_turns_nan_into_none_and_keeps_python_floats():
    from vosp_monitor.analysis.assemble import _nullable

    out = _nullable(np.array([1.5, np.nan, 0.0, -2.0]))
    assert out == [1.5, None, 0.0, -2.0]
    assert all(type(v) is float for v in out if v is not None)
    assert _nullable(np.array([3.0])) == [3.0] and type(_nullable(np.array([3.0]))[0]) is float


def test_gc_paused_restores_the_collector_even_after_an_error():
    import gc

    from vosp_monitor.results import gc_paused

    assert gc.isenabled()

    @gc_paused()
    def fails() -> None:
        assert not gc.isenabled()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fails()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a collector the caller switched off stays off"
    finally:
        gc.enable()


def test_gc_frozen_blocks_nest_and_give_everything_back_after_an_error():
    """An inner block (the outputs inside a run) must not unfreeze what the outer one froze;
    the outermost gives everything back to the collector, also after an error."""
    import gc

    from vosp_monitor.results import gc_frozen

    assert gc.get_freeze_count() == 0
    kept = [[] for _ in range(100)]
    with pytest.raises(RuntimeError), gc_frozen():
        outer = gc.get_freeze_count()
        assert outer > 0
        more = [[] for _ in range(100)]
        with gc_frozen():
            assert gc.get_freeze_count() >= outer + len(more)
        assert gc.get_freeze_count() >= outer + len(more), "the inner block unfroze the outer one's objects"
        raise RuntimeError("boom")
    assert gc.get_freeze_count() == 0 and kept


def test_a_kept_paused_block_freezes_what_it_made_and_a_plain_one_leaves_cycles_collectable():
    """gc_paused(keep=True) inside a run's gc_frozen block (the results, the view): what it made
    joins the frozen objects, so no collection scans it as young; a plain paused block (Jinja's
    cyclic garbage) freezes nothing, and its cycles are collected as before."""
    import gc
    import weakref

    from vosp_monitor.results import gc_frozen, gc_paused

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    with gc_frozen():
        before = gc.get_freeze_count()
        with gc_paused(keep=True):
            kept = [[] for _ in range(1000)]
        assert gc.get_freeze_count() >= before + len(kept)
        with gc_paused():
            cycle = Node()
            gone = weakref.ref(cycle)
            del cycle
        frozen = gc.get_freeze_count()
        gc.collect()
        assert gone() is None, "a plain paused block froze its cyclic garbage"
        assert gc.get_freeze_count() == frozen
    assert gc.get_freeze_count() == 0
    with gc_paused(keep=True):  # outside a frozen block: nothing is frozen for good
        assert kept
    assert gc.get_freeze_count() == 0


# --------------------------------------------------------------------------- findings


def _findings_config(**analysis):
    bands = [{"to": 1, "points": 0}, {"from": 1, "points": 1}]
    critical = indicator("C", scoring={"method": "bands", "bands": bands}, critical=True)
    return make_config(
        [block("P", [SHARE, critical]), block("Q", [linear("A")])],
        ranking={"groups": ["kind"]},
        analysis=analysis or None,
    )


def _findings_results(**analysis):
    subs = [
        school("1", {"S": (9, 10), "C": 5, "A": 90}, kind="город"),
        school("2", {"S": (4, 10), "C": 5, "A": 80}, kind="город"),
        school("3", {"S": (1, 10), "C": 0, "A": 70}, kind="село"),
        school("4", {"S": (2, 20), "C": 5, "A": 0}),  # no group value
        school("5", {"S": ZERO, "C": 5, "A": 60}, kind="село"),
    ]
    return build_results(_findings_config(**analysis), subs)


def test_group_comparisons_by_value_with_block_scores():
    results = _findings_results()
    by_value = {g.value: g for g in results.group_stats}
    assert list(by_value) == ["", "город", "село"]  # sorted; «не указано» is ""
    assert all(g.key == "kind" for g in results.group_stats)
    town = by_value["город"]
    totals = {s.code: s.total for s in results.schools}
    assert town.count == 2
    assert town.total.mean == pytest.approx((totals["1"] + totals["2"]) / 2)
    assert town.total.median == pytest.approx(town.total.mean)
    assert town.blocks["Q"].mean == pytest.approx(85)
    assert set(town.blocks) == {"P", "Q"}  # top-level blocks
    assert by_value[""].count == 1 and by_value["село"].count == 2


def test_target_attainment_lists_schools_and_the_district_kind():
    results = _findings_results()
    target = results.targets["S"]
    assert (target.target, target.lower_is_better, target.kind) == (30, False, "pooled")
    assert target.district == pytest.approx(16 / 50 * 100)  # pooled: the zero school has no parts
    assert target.met is True
    order = [s.code for s in results.schools]
    assert target.reached == [c for c in order if c in {"1", "2"}]
    assert target.missed == [c for c in order if c in {"3", "4"}]  # «5» scored 0 has no value
    assert "A" not in results.targets  # no target


def test_target_district_kind_is_the_mean_for_numbers():
    ind = linear("L", target=50)
    results = build_results(
        make_config([block("B", [ind])]), [school("1", {"L": 40}), school("2", {"L": 70})]
    )
    target = results.targets["L"]
    assert (target.kind, target.district, target.met) == ("mean", 55, True)
    assert (target.reached, target.missed) == (["2"], ["1"])


def test_risk_zone_reasons_are_data():
    results = _findings_results()
    risk = {r.code: r for r in results.risk}
    lowest = results.config.scoring.levels[0].label
    for s in results.schools:
        expected = s.level == lowest or s.below_base
        assert (s.code in risk) == expected, s.code
    assert risk["3"].blocks_below_base == ["P"]  # the critical indicator C scored 0
    for code, entry in risk.items():
        school_result = next(s for s in results.schools if s.code == code)
        assert entry.lowest_level == (school_result.level == lowest)
        assert entry.blocks_below_base == [b for b, r in school_result.blocks.items() if r.below_base]
    assert any(r.lowest_level for r in results.risk)  # school 4 (A = 0) is at the lowest level
    assert [r.code for r in results.risk] == [s.code for s in results.schools if s.code in risk]


def test_leaders_are_the_top_share_with_ties_at_the_cut():
    results = _findings_results(top_share=0.2)
    assert results.leaders == [results.schools[0].code]
    results = _findings_results(top_share=1.0)
    assert results.leaders == [s.code for s in results.schools]
    tied = build_results(
        make_config([block("B", [linear("A")])], analysis={"top_share": 0.25}),
        [school(str(i), {"A": v}) for i, v in enumerate([90, 90, 50, 10])],
    )
    assert tied.leaders == ["0", "1"]  # two schools share first place
