"""Invariants of scoring and ranking, checked with hypothesis."""

from __future__ import annotations

import math
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring_helpers import NA, block, indicator, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.results import results_to_dict

BANDS = [{"to": 10, "points": 0}, {"from": 10, "to": 25, "points": 1}, {"from": 25, "points": 3}]
METHODS = {
    "BND": {"method": "bands", "bands": BANDS},
    "LIN": {"method": "linear", "low": 5, "high": 60},
    "MMX": {"method": "minmax"},
    "TGT": {"method": "target"},
    "ZSC": {"method": "zscore"},
}
CODES = list(METHODS)


@cache
def _config(aggregation: str = "arithmetic", factor: float = 1.0, direction: str = "higher"):
    inds = [
        indicator(
            code,
            scoring=spec,
            weight=factor * (k + 1),
            direction=direction,
            target=30,
            missing="not_applicable",
        )
        for k, (code, spec) in enumerate(METHODS.items())
    ]
    return make_config(
        [
            block("P", inds[:3], weight=2 * factor, aggregation=aggregation),
            block("Q", inds[3:], weight=factor, aggregation=aggregation),
        ],
        scoring={"aggregation": aggregation},
        ranking={"decimals": 6},
    )


values = st.one_of(st.floats(min_value=0, max_value=100, allow_nan=False), st.just(NA))
rows = st.lists(st.fixed_dictionaries({code: values for code in CODES}), min_size=2, max_size=8)
aggregations = st.sampled_from(["arithmetic", "geometric", "percent_of_max"])


def _subs(table):
    return [school(f"{i:02d}", row) for i, row in enumerate(table)]


def _in_range(x):
    return x is None or (0 <= x <= 100 + 1e-9)


@settings(max_examples=40, deadline=None)
@given(rows, aggregations, st.sampled_from(["higher", "lower"]))
def test_every_score_within_0_and_100(table, aggregation, direction):
    results = build_results(_config(aggregation, direction=direction), _subs(table))
    for s in results.schools:
        assert _in_range(s.total)
        assert all(_in_range(b.score) for b in s.blocks.values())
        assert all(_in_range(i.score) for i in s.indicators.values())


@settings(max_examples=40, deadline=None)
@given(rows, aggregations, st.sampled_from(CODES), st.floats(min_value=0, max_value=50), st.data())
def test_score_never_falls_when_a_higher_is_better_value_rises(table, aggregation, code, rise, data):
    index = data.draw(st.integers(0, len(table) - 1))
    if table[index][code] == NA:
        table[index][code] = 0.0
    before = build_results(_config(aggregation), _subs(table))
    raised = [dict(row) for row in table]
    raised[index][code] = table[index][code] + rise
    after = build_results(_config(aggregation), _subs(raised))
    old = next(s for s in before.schools if s.code == f"{index:02d}")
    new = next(s for s in after.schools if s.code == f"{index:02d}")
    assert new.indicators[code].score >= old.indicators[code].score - 1e-9
    assert new.total >= old.total - 1e-9


def _comparable(results):
    data = results_to_dict(results)
    data.pop("generated_at")
    return data


@settings(max_examples=30, deadline=None)
@given(rows, aggregations, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_the_files(table, aggregation, rnd):
    subs = _subs(table)
    shuffled = list(subs)
    rnd.shuffle(shuffled)
    config = _config(aggregation)
    assert _comparable(build_results(config, shuffled)) == _comparable(build_results(config, subs))


@settings(max_examples=30, deadline=None)
@given(rows, aggregations, st.sampled_from([0.5, 2.0, 3.0, 7.5, 100.0]))
def test_places_unchanged_when_all_weights_are_scaled(table, aggregation, factor):
    base = build_results(_config(aggregation), _subs(table))
    scaled = build_results(_config(aggregation, factor=factor), _subs(table))
    assert [(s.code, s.place) for s in scaled.schools] == [(s.code, s.place) for s in base.schools]
    for a, b in zip(base.schools, scaled.schools, strict=True):
        assert math.isclose(a.total, b.total, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=30, deadline=None)
@given(rows, aggregations, st.sampled_from([0.1, 0.5, 1.0]), st.data())
def test_findings_partition_the_schools_and_survive_results_json(table, aggregation, top_share, data):
    """Targets split the schools with a value; groups count every school once; the leaders
    are a prefix of the ranking; the risk zone keeps its order; all of it reads back."""
    from vosp_monitor.analysis.stored import results_from_dict

    base = _config(aggregation)
    config = base.model_copy(
        update={
            "analysis": base.analysis.model_copy(update={"top_share": top_share}),
            "ranking": base.ranking.model_copy(update={"groups": ["kind"]}),
        }
    )
    kinds = data.draw(
        st.lists(st.sampled_from(["город", "село", ""]), min_size=len(table), max_size=len(table))
    )
    subs = [
        school(f"{i:02d}", row, kind=kind) for i, (row, kind) in enumerate(zip(table, kinds, strict=True))
    ]
    results = build_results(config, subs)
    codes = [s.code for s in results.schools]
    for code, target in results.targets.items():
        with_value = [s.code for s in results.schools if s.indicators[code].value is not None]
        assert sorted(target.reached + target.missed) == sorted(with_value)
        assert target.reached == [c for c in codes if c in set(target.reached)]  # ranking order
    assert sum(g.count for g in results.group_stats) == len(codes)
    assert [g.value for g in results.group_stats] == sorted(
        {s.groups.get("kind", "") for s in results.schools}
    )
    assert results.leaders == codes[: len(results.leaders)]
    assert bool(results.leaders) == bool(codes)
    assert [r.code for r in results.risk] == [c for c in codes if c in {r.code for r in results.risk}]
    assert results_to_dict(results_from_dict(results_to_dict(results))) == results_to_dict(results)
