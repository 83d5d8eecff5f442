"""The roll-up by territory and its ranking, against figures computed by hand.

Ten schools in three territories of a tiny config whose scores are the values themselves
(linear 0–100): block A = mean(A1, S1), block B = B1, total = mean(A, B). Every expected
number below is worked out in the comments from the schools' values, not by the program.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from scoring_helpers import block, indicator, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.analysis.grouped import Grouping
from vosp_monitor.ingest.registry import RegistryEntry
from vosp_monitor.problems import Consequence, make_problem
from vosp_monitor.results import NotCompared
from vosp_monitor.validate.submission import EntryStatus, IndicatorEntry, Submission
from vosp_monitor.validate.territories import place_schools

T1, T2, T3 = "Алфёровский район", "Берёзовский район", "Вязовский округ"
SHARE = indicator(
    "S1",
    "share",
    {"method": "linear", "low": 0, "high": 100},
    numerator="прошли",
    denominator="всего",
    target=50,
    missing="not_applicable",
)


def _config(**territories):
    config = make_config([block("A", [linear("A1"), SHARE]), block("B", [linear("B1")])])
    if territories:
        config = config.model_copy(update={"territories": config.territories.model_copy(update=territories)})
    return config


def _schools() -> list[tuple[Submission, str]]:
    """(submission, territory). Totals: ((A1 + S1) / 2 + B1) / 2, written beside each school."""
    rows = [
        ("01", 80, (30, 50), 70, T1),  # A = 70, total 70
        ("02", 40, (10, 40), 50, T1),  # A = 32.5, total 41.25
        ("03", 90, (45, 50), 100, T1),  # A = 90, total 95
        ("04", 60, (20, 20), 60, T2),  # A = 80, total 70
        ("05", 20, (5, 50), 30, T2),  # A = 15, total 22.5
        ("06", 50, (25, 50), 50, T3),  # A = 50, total 50
        ("07", 70, (35, 50), 80, T3),  # A = 70, total 75
        ("08", 100, (40, 40), 90, T3),  # A = 100, total 95
        ("09", 30, (0, 10), 60, T3),  # A = 15, total 37.5
    ]
    out = [(school(code, {"A1": a1, "S1": share, "B1": b1}), where) for code, a1, share, b1, where in rows]
    # 10: no one was eligible (0 of 0): S1 is not applicable and its pair is left out of the pooling.
    ten = school("10", {"A1": 60, "B1": 40})  # A = 60 (A1 alone), total 50
    ten.indicators["S1"] = IndicatorEntry("S1", None, 0.0, 0.0, EntryStatus.not_applicable)
    out.append((ten, T3))
    # 11: excluded by an error in its form (counted as submitted and excluded in T3).
    broken = school("11", {"A1": 10, "S1": (1, 10), "B1": 10})
    broken.problems.append(
        make_problem(
            "school-nothing-applicable", file="11.xlsx", school="11", consequence=Consequence.school_excluded
        )
    )
    out.append((broken, T3))
    return out


def _run(**territories):
    config = _config(**territories)
    pairs = _schools()
    subs = [sub for sub, _ in pairs]
    registry = [RegistryEntry(sub.school_code, sub.school_name, (), (where,)) for sub, where in pairs]
    registry.append(RegistryEntry("12", "Школа 12", (), (T2,)))  # registered in T2, sent nothing
    placement, problems = place_schools(subs, registry, config)
    assert problems == []
    missing = [RegistryEntry("12", "Школа 12", (), (T2,))]
    return build_results(
        config,
        subs,
        not_submitted=missing,
        expected_count=len(registry),
        placement=placement,
        uncertainty=False,
    )


@pytest.fixture(scope="module")
def results():
    return _run()


def _unit(results, name):
    return next(u for u in results.territories.units if u.name == name)


def test_counts_per_territory_and_for_the_region(results):
    counts = {u.name: u.counts for u in results.territories.units}
    assert (counts[T1].registered, counts[T1].submitted, counts[T1].scored) == (3, 3, 3)
    assert (counts[T2].registered, counts[T2].submitted, counts[T2].not_submitted) == (3, 2, 1)
    assert (counts[T3].registered, counts[T3].submitted, counts[T3].scored, counts[T3].excluded) == (
        6,
        6,
        5,
        1,
    )
    whole = results.territories.whole.counts
    assert (whole.registered, whole.submitted, whole.scored, whole.excluded, whole.not_submitted) == (
        12,
        11,
        10,
        1,
        1,
    )
    assert _unit(results, T3).excluded == ["11"] and _unit(results, T2).not_submitted == ["12"]


def test_mean_median_and_blocks(results):
    one, two, three = (_unit(results, t) for t in (T1, T2, T3))
    assert one.total.mean == pytest.approx(206.25 / 3, abs=1e-9)  # (70 + 41.25 + 95) / 3
    assert one.total.median == pytest.approx(70)
    assert two.total.mean == pytest.approx(46.25) and two.total.median == pytest.approx(46.25)
    assert three.total.mean == pytest.approx(61.5)  # (50 + 75 + 95 + 37.5 + 50) / 5
    assert three.total.median == pytest.approx(50)
    assert (three.total.min, three.total.max) == (37.5, 95)
    assert three.total.q1 == pytest.approx(50) and three.total.q3 == pytest.approx(75)  # type 7
    assert one.blocks["A"].mean == pytest.approx(192.5 / 3)  # (70 + 32.5 + 90) / 3
    assert one.blocks["B"].mean == pytest.approx(220 / 3)  # (70 + 50 + 100) / 3
    assert three.blocks["A"].median == pytest.approx(60)  # 15, 50, 60, 70, 100
    whole = results.territories.whole
    assert whole.total.mean == pytest.approx(60.625)  # 606.25 / 10
    assert whole.total.median == pytest.approx(60)  # (50 + 70) / 2
    assert whole.total.mean == pytest.approx(results.total_stats.mean)


def test_levels_pooled_shares_targets_and_deficits(results):
    one, two, three = (_unit(results, t) for t in (T1, T2, T3))
    assert one.level_counts == {"низкий": 1, "средний": 1, "высокий": 1}  # 41.25, 70, 95
    assert three.level_counts == {"низкий": 1, "средний": 3, "высокий": 1}  # 37.5 | 50, 50, 75 | 95
    s1 = one.indicators["S1"]
    assert s1.pooled and s1.value == pytest.approx(85 / 140 * 100)  # (30 + 10 + 45) / (50 + 40 + 50)
    assert (s1.numerator, s1.denominator, s1.schools) == (85, 140, 3)
    assert s1.target_met is True and s1.target_share == pytest.approx(2 / 3)  # 60 % and 90 % reach 50 %
    assert s1.deficit_count == 1 and s1.system_deficit  # 02 misses the target: 1 of 3 > 0.3
    assert (
        two.indicators["S1"].value == pytest.approx(25 / 70 * 100)
        and two.indicators["S1"].target_met is False
    )
    t3 = three.indicators["S1"]
    assert t3.value == pytest.approx(100 / 150 * 100) and t3.schools == 4  # 10's 0 of 0 left out
    assert t3.target_share == pytest.approx(3 / 4) and t3.deficit_share == pytest.approx(1 / 4)
    assert not t3.system_deficit and "S1" in one.system_deficits and "S1" not in three.system_deficits
    a1 = three.indicators["A1"]
    assert not a1.pooled and a1.value == pytest.approx(62)  # mean of 50, 70, 100, 30, 60
    region = results.territories.whole.indicators["S1"]
    assert (
        region.value == pytest.approx(210 / 360 * 100) == pytest.approx(results.indicator_stats["S1"].pooled)
    )
    assert region.deficit_count == results.indicator_stats["S1"].deficit_count


def test_an_implausible_denominator_is_left_out_of_pooled_values_as_in_the_district():
    config = _config()
    pairs = [
        (school("01", {"A1": 80, "S1": (30, 50), "B1": 70}), T1),
        (school("02", {"A1": 40, "S1": (10, 40), "B1": 50}), T1),
        # 150,000 of 200,000: above validate.inputs.PLAUSIBLE_COUNT (100,000); its own 75 % counts
        (school("03", {"A1": 90, "S1": (150_000, 200_000), "B1": 100}), T1),
        (school("04", {"A1": 60, "S1": (20, 20), "B1": 60}), T2),
    ]
    subs = [sub for sub, _ in pairs]
    registry = [RegistryEntry(sub.school_code, sub.school_name, (), (where,)) for sub, where in pairs]
    placement, _ = place_schools(subs, registry, config)
    results = build_results(config, subs, placement=placement, uncertainty=False)
    one = _unit(results, T1).indicators["S1"]
    assert one.value == pytest.approx(40 / 90 * 100) and (one.numerator, one.denominator, one.schools) == (
        40,
        90,
        2,
    )
    whole = results.territories.whole.indicators["S1"]
    assert whole.value == pytest.approx(60 / 110 * 100) == pytest.approx(results.indicator_stats["S1"].pooled)
    row = next(r for r in results.schools if r.code == "03")
    assert row.indicators["S1"].value == pytest.approx(75)


def test_risk_zone_and_members_in_ranking_order(results):
    two = _unit(results, T2)
    assert two.schools == ["04", "05"] and two.risk == ["05"]  # 22.5: the lowest level
    assert _unit(results, T1).schools == ["03", "01", "02"]
    risk = {entry.code for entry in results.risk}
    assert {c for u in results.territories.units for c in u.risk} == risk


def test_places_only_with_the_minimum_of_scored_schools(results):
    units = results.territories.units
    assert [(u.name, u.place) for u in units] == [(T1, 1), (T3, 2), (T2, None)]
    assert _unit(results, T2).not_compared == NotCompared.too_few and _unit(
        results, T2
    ).value == pytest.approx(46.25)
    assert _unit(results, T1).value == pytest.approx(68.75)


def test_median_ranking_and_a_lower_minimum():
    results = _run(ranking="median", min_schools=2)
    assert [(u.name, u.place, u.value) for u in results.territories.units] == [
        (T1, 1, 70),
        (T3, 2, 50),
        (T2, 3, 46.25),
    ]


def test_pooled_index_scores_the_territorys_values_by_the_same_methods():
    results = _run(ranking="pooled")
    one = _unit(results, T1)
    # A1: mean value (80 + 40 + 90) / 3 = 70; S1: pooled 85/140 = 60.714 %; B1: 220 / 3.
    expected = ((70 + 85 / 140 * 100) / 2 + 220 / 3) / 2
    assert one.value == pytest.approx(expected)


def test_ties_follow_the_ranking_rules():
    config = make_config([block("A", [linear("A1")])], ranking={"ties": "min", "decimals": 0})
    subs, registry = [], []
    for k, (where, value) in enumerate(
        [("Х", 60.2), ("Х", 60.2), ("Х", 60.2), ("У", 59.8), ("У", 59.8), ("У", 59.8)]
    ):
        subs.append(school(f"{k}", {"A1": value}))
        registry.append(RegistryEntry(f"{k}", "", (), (where,)))
    placement, _ = place_schools(subs, registry, config)
    results = build_results(config, subs, placement=placement, uncertainty=False)
    assert [u.place for u in results.territories.units] == [1, 1]  # 60.2 and 59.8 both round to 60


def test_grouped_quantiles_equal_numpy():
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 100, 500)
    values[rng.integers(0, 500, 40)] = np.nan
    index = rng.integers(-1, 7, 500)
    count, q = Grouping(index, 7).quantiles(values, (0.0, 0.25, 0.5, 0.75, 1.0))
    for g in range(7):
        mine = values[(index == g) & ~np.isnan(values)]
        assert count[g] == mine.size
        assert q[:, g] == pytest.approx(np.quantile(mine, [0, 0.25, 0.5, 0.75, 1]), abs=1e-12)


# --------------------------------------------------------------------------- the bootstrap


def _two_sizes(seed_order: int = 0):
    """A territory of 3 schools and one of 30, the same spread of totals (30–90)."""
    config = _config()
    rng = random.Random(7)
    subs, registry = [], []
    for k in range(33):
        where = "Малый" if k < 3 else "Большой"
        value = [30, 60, 90][k] if k < 3 else rng.uniform(30, 90)
        subs.append(school(f"{k:02d}", {"A1": value, "S1": (int(value), 100), "B1": value}))
        registry.append(RegistryEntry(f"{k:02d}", "", (), (where,)))
    subs.append(school("99", {"A1": 50, "S1": (50, 100), "B1": 50}))
    registry.append(RegistryEntry("99", "", (), ("Средний",)))
    for k in range(4):
        subs.append(school(f"9{k}", {"A1": 40 + 10 * k, "S1": (40 + 10 * k, 100), "B1": 45}))
        registry.append(RegistryEntry(f"9{k}", "", (), ("Средний",)))
    random.Random(seed_order).shuffle(subs)
    placement, _ = place_schools(subs, registry, config)
    return build_results(config, subs, placement=placement, uncertainty=None)


def test_the_bootstrap_is_seeded_and_a_small_territory_is_less_certain():
    first, again, shuffled = _two_sizes(), _two_sizes(), _two_sizes(seed_order=5)
    units = {u.name: u for u in first.territories.units}
    assert first.territories.runs == 1000 and first.territories.seed == 1
    for a, b, c in zip(
        first.territories.units, again.territories.units, shuffled.territories.units, strict=True
    ):
        assert a.interval == b.interval == c.interval  # the same seed, whatever the order of the files
    small, big = units["Малый"].interval, units["Большой"].interval
    assert small.value_high - small.value_low > 2 * (big.value_high - big.value_low)
    assert small.place_high - small.place_low >= big.place_high - big.place_low


def test_intervals_can_be_switched_off():
    results = _run(intervals=False)
    assert results.territories.runs == 0 and all(u.interval is None for u in results.territories.units)


def test_a_run_without_territories_has_none(results):
    config = _config()
    subs = [sub for sub, _ in _schools()]
    assert build_results(config, subs, placement=None).territories is None
    assert place_schools(subs, None, config) == (None, [])


@pytest.mark.parametrize("method", ["mean", "median", "pooled"])
def test_a_territory_of_identical_schools_has_no_spread(method):
    """Drawing from identical schools gives the same value every run: the interval is the value."""
    config = _config(ranking=method)
    subs, registry = [], []
    for k in range(12):
        where, value = ("Ровный", 70.0) if k < 4 else ("Пёстрый", 20.0 + 8 * k)
        subs.append(school(f"{k:02d}", {"A1": value, "S1": (int(value), 100), "B1": value}))
        registry.append(RegistryEntry(f"{k:02d}", "", (), (where,)))
    placement, _ = place_schools(subs, registry, config)
    units = {u.name: u for u in build_results(config, subs, placement=placement).territories.units}
    flat, varied = units["Ровный"], units["Пёстрый"]
    assert flat.interval.value_low == pytest.approx(flat.value) == pytest.approx(flat.interval.value_high)
    assert varied.interval.value_high - varied.interval.value_low > 5


def test_two_levels_place_municipalities_within_their_region():
    config = _config()
    subs, registry = [], []
    layout = {("Область А", "Район 1"): 80, ("Область А", "Район 2"): 60, ("Область Б", "Район 3"): 40}
    layout |= {("Область Б", "Район 4"): 50}
    for k, (path, value) in enumerate(sorted(layout.items()) * 3):
        subs.append(school(f"{k:02d}", {"A1": value, "S1": (value, 100), "B1": value}))
        registry.append(RegistryEntry(f"{k:02d}", "", (), path))
    placement, _ = place_schools(subs, registry, config)
    territories = build_results(config, subs, placement=placement).territories
    assert territories.depth == 2
    assert [(u.parent, u.name, u.place) for u in territories.units] == [
        ("Область А", "Район 1", 1),
        ("Область А", "Район 2", 2),
        ("Область Б", "Район 4", 1),
        ("Область Б", "Район 3", 2),
    ]
    assert [(r.name, r.place, r.counts.scored) for r in territories.parents] == [
        ("Область А", 1, 6),
        ("Область Б", 2, 6),
    ]
    assert territories.parents[0].total.mean == pytest.approx(70)


def test_a_territory_beside_the_whole_for_the_regional_documents(results):
    from vosp_monitor.report.territories import comparison

    one = _unit(results, T1)
    rows = {
        row.label.split(".")[0]: row for row in comparison(results.config, one, results.territories.whole)
    }
    total = rows["Итоговый балл (среднее по ОО)"]
    assert total.difference == pytest.approx(68.75 - 60.625) and total.notable  # ≥ 5 points
    share = rows["S1"]
    assert (share.territory, share.whole) == (pytest.approx(85 / 140 * 100), pytest.approx(210 / 360 * 100))


def test_territories_can_be_switched_off():
    config = _config(enabled=False)
    subs = [sub for sub, _ in _schools()]
    registry = [RegistryEntry(sub.school_code, "", (), (where,)) for sub, where in _schools()]
    assert place_schools(subs, registry, config) == (None, [])


def test_places_that_cannot_be_told_apart_are_said_in_words():
    from vosp_monitor.report.territories import territories_summary, territories_view

    results = _two_sizes()
    (group,) = results.territories.groups
    assert (group.first, group.last, group.names) == (1, 3, ["Малый", "Большой", "Средний"])
    assert territories_view(results).groups == (
        "места 1–3 статистически неразличимы (Малый, Большой, Средний)",
    )
    summary = territories_summary(results).splitlines()
    assert summary[0].startswith("Муниципалитеты: 3, ранжировано 3: 1. Малый — 60 (места 1–3);")
    assert summary[1] == "  Места 1–3 статистически неразличимы (Малый, Большой, Средний)"
