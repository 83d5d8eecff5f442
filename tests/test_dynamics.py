"""Year over year on a three-year district built in code: every number against a hand computation.

The district is ``district_years`` (its docstring has the design); the numbers below are
worked out in the comments from its tables. Year 2 changes the framework (N added, C's
bands changed), year 3 keeps it, so «year 2 against year 1» shows what is not
comparable and «year 3 against year 2» shows every change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from district_years import PERIODS, compared_third_year, write_years, year_config, year_results
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.dynamics import (
    PreviousError,
    PreviousYear,
    SchoolMapError,
    compare_years,
    fingerprints,
    framework_change,
    load_baseline,
    read_previous,
    read_school_map,
)
from vosp_monitor.errors import UsageError
from vosp_monitor.results import Absence, Link, Trend, results_to_dict, write_results_json

Y1, Y2, Y3 = PERIODS


def _year(number: int, **dynamics: float) -> PreviousYear:
    return PreviousYear(PERIODS[number - 1], Path(f"y{number}.json"), year_results(number, **dynamics))


@pytest.fixture(scope="module")
def third(tmp_path_factory):
    return compared_third_year(tmp_path_factory.mktemp("map"))


@pytest.fixture(scope="module")
def second():
    results = year_results(2)
    results.dynamics = compare_years(results, [_year(1)])
    return results


# --------------------------------------------------------------------------- frameworks


def test_an_added_indicator_and_changed_bands_make_blocks_and_total_incomparable(second):
    framework = second.dynamics.framework
    assert framework.added == ["N"] and framework.removed == []
    assert framework.changed == {"C": ["scoring"]}
    assert framework.blocks == {"A": False, "B": False}  # A: C's bands; B: N added
    assert framework.total is False and framework.levels is False


def test_the_same_framework_is_comparable_whatever_the_period():
    framework = framework_change(year_config(2), year_config(3))
    assert (framework.added, framework.changed, framework.total, framework.levels) == ([], {}, True, True)
    assert framework.blocks == {"A": True, "B": True}


def test_relative_methods_compare_values_never_scores():
    def config(method: str):
        return year_config(2).model_copy(
            update={
                "blocks": [
                    b.model_copy(
                        update={
                            "indicators": [
                                i.model_copy(
                                    update={"scoring": i.scoring.model_copy(update={"method": method})}
                                )
                                if i.code == "C"
                                else i
                                for i in b.indicators
                            ]
                        }
                    )
                    for b in year_config(2).blocks
                ]
            }
        )

    relative = config("zscore")
    prints = fingerprints(relative)
    assert prints["scores:C"] == "" and prints["block:A"] == "" and prints["total"] == ""
    assert prints["values:C"] == fingerprints(year_config(2))["values:C"]
    framework = framework_change(relative, relative)  # even against itself
    assert framework.changed == {"C": ["relative"]}
    assert framework.blocks == {"A": False, "B": True} and framework.total is False


# --------------------------------------------------------------------------- year 2 against year 1


def test_year_two_compares_values_and_the_comparable_deficits(second):
    d = second.dynamics
    assert d.previous == Y1 and [y.label for y in d.years] == [Y1, Y2]
    # Totals are not comparable: both means are shown, no change is claimed.
    assert (d.total.previous, d.total.current, d.total.change, d.total.trend) == (
        pytest.approx(62.0),  # (90 + 10 + 90 + 30 + 90) / 5
        pytest.approx(440 / 7),
        None,
        Trend.incomparable,
    )
    assert d.improved == [] and d.declined == [] and d.level_changes == {}
    c = d.indicators["C"]
    assert (c.values_comparable, c.scores_comparable) == (True, False)
    # C's mean: 2.0 → 17/7; +3/7 is 21 % of 2.0, above the 10 % threshold.
    assert c.district.change == pytest.approx(3 / 7) and c.district.trend == Trend.better
    assert (c.recommended, c.closed, c.persisting, c.new) == (
        0,
        0,
        0,
        0,
    )  # its deficits mean other things now
    s = d.indicators["S"]
    assert (s.district.previous, s.district.current) == (pytest.approx(21.0), pytest.approx(27.0))
    assert (s.median.previous, s.median.current) == (20.0, 30.0)
    # S deficits (target missed) in year 1: 1, 2, 4, 9; in year 2 only 2 of them.
    assert (s.recommended, s.closed, s.persisting, s.new) == (4, 3, 1, 0)
    # Y deficits («нет») in year 1: 2 and 4; 4 answers «да» now.
    y = d.indicators["Y"]
    assert (y.recommended, y.closed, y.persisting, y.new) == (2, 1, 1, 0)
    assert (d.effect.recommended, d.effect.closed, d.effect.persisting, d.effect.new) == (6, 4, 2, 0)
    assert d.new_schools == ["5", "6"] and d.gone_schools == []
    assert d.system_previous == ["S", "Y"]  # 4/5 and 2/5 of the schools, above 30 %


# --------------------------------------------------------------------------- year 3 against year 2


def test_schools_are_matched_by_code_and_by_the_school_map(third):
    d = third.dynamics
    links = {c.code: (c.link, c.previous_codes) for c in d.schools}
    assert links == {
        "1": (Link.same, ["1"]),
        "3": (Link.same, ["3"]),
        "5": (Link.merged, ["5", "6"]),
        "2": (Link.same, ["2"]),
        "40": (Link.renamed, ["4"]),
    }
    assert [c.code for c in d.schools] == ["1", "3", "5", "2", "40"]  # ranking order
    assert d.new_schools == ["7"]
    assert [(g.code, g.absence) for g in d.gone_schools] == [("9", Absence.absent)]
    assert d.unused_map == []


def test_a_map_moving_a_code_that_still_sent_a_form_is_an_error(tmp_path):
    """«3;1» while school 3 sent a form this year used to show a merger with a «new» school 3."""
    (tmp_path / "map.csv").write_text("Прежний код;Новый код\n6;5\n3;1\n", encoding="utf-8")
    with pytest.raises(
        SchoolMapError, match=r"^map\.csv, строка 3: прежний код «3» указан как перешедший в «1», но ОО"
    ):
        compare_years(year_results(3), [_year(2)], read_school_map(tmp_path / "map.csv"))


def test_totals_places_and_levels_of_each_school(third):
    by_code = {c.code: c for c in third.dynamics.schools}
    # totals year 2 → 3: 1: 100 → 100, 2: 20 → 70, 3: 80 → 80, 4/40: 80 → 40.
    expected = {
        "1": (100, 100, 0, Trend.stable),
        "2": (20, 70, 50, Trend.better),
        "3": (80, 80, 0, Trend.stable),
    }
    expected["40"] = (80, 40, -40, Trend.worse)
    for code, (before, now, change, trend) in expected.items():
        total = by_code[code].total
        assert (total.previous, total.current, total.change, total.trend) == (
            pytest.approx(before),
            pytest.approx(now),
            pytest.approx(change),
            trend,
        ), code
    merged = by_code["5"]
    assert (merged.total.previous, merged.total.change, merged.total.trend) == (
        None,
        None,
        Trend.incomparable,
    )
    # places (ties share the lowest): year 2: 1 and 9 → 1, 3 and 4 → 3, 5 → 5, 2 and 6 → 6;
    # year 3: 1 → 1, 3 and 5 → 2, 2 → 4, 7 → 5, 40 → 6. 3 moved up with an unchanged total: noise.
    places = {code: (c.place.previous, c.place.current, c.place.trend) for code, c in by_code.items()}
    assert places == {
        "1": (1, 1, Trend.stable),
        "3": (3, 2, Trend.stable),
        "5": (None, 2, Trend.incomparable),
        "2": (6, 4, Trend.better),
        "40": (3, 6, Trend.worse),
    }
    levels = {code: (c.level.previous, c.level.move) for code, c in by_code.items()}
    assert levels == {
        "1": ("высокий", 0),
        "3": ("высокий", 0),
        "5": (None, None),
        "2": ("низкий", 1),
        "40": ("высокий", -2),
    }
    # blocks of school 2: A 20 → 60, B 20 → 80
    assert {k: b.change for k, b in by_code["2"].blocks.items()} == {
        "A": pytest.approx(40),
        "B": pytest.approx(60),
    }


def test_values_of_a_renamed_and_a_merged_school(third):
    by_code = {c.code: c for c in third.dynamics.schools}
    renamed = by_code["40"].values
    assert (renamed["S"].previous, renamed["S"].numerator, renamed["S"].denominator) == (30.0, 3.0, 10.0)
    assert renamed["S"].change == pytest.approx(10) and renamed["S"].trend == Trend.better
    assert (renamed["C"].change, renamed["C"].trend) == (-1, Trend.worse)  # 2 → 1: −50 %
    assert (renamed["Y"].change, renamed["Y"].trend) == (-1, Trend.worse)
    assert (renamed["N"].change, renamed["N"].trend) == (-1, Trend.worse)  # a third of the maximum
    merged = by_code["5"].values
    # Shares of the merged schools are pooled: (2 + 2) / (10 + 10) = 20 % → 6/20 = 30 %.
    assert list(merged) == ["S"]
    assert (merged["S"].previous, merged["S"].numerator, merged["S"].denominator) == (20.0, 4.0, 20.0)
    assert merged["S"].change == pytest.approx(10)
    same = by_code["3"].values
    assert {code: v.trend for code, v in same.items()} == {c: Trend.stable for c in "SCYN"}


def test_deficits_closed_persisting_and_new(third):
    by_code = {c.code: c for c in third.dynamics.schools}
    assert (by_code["2"].closed, by_code["2"].persisting, by_code["2"].new) == (["C", "Y"], ["S"], [])
    # the merged school: each deficit of either predecessor (5: S, Y; 6: S, C, Y, N) is gone now
    assert (by_code["5"].closed, by_code["5"].persisting, by_code["5"].new) == (["S", "C", "Y", "N"], [], [])
    assert (by_code["40"].closed, by_code["40"].persisting, by_code["40"].new) == ([], [], ["C", "Y"])
    indicators = third.dynamics.indicators
    assert {code: (i.recommended, i.closed, i.persisting, i.new) for code, i in indicators.items()} == {
        "S": (2, 1, 1, 0),
        "C": (2, 2, 0, 1),
        "Y": (2, 2, 0, 1),
        "N": (1, 1, 0, 0),
    }
    assert {code: (i.deficits_previous, i.deficits_current) for code, i in indicators.items()} == {
        "S": (3, 1),
        "C": (2, 1),
        "Y": (3, 2),  # school 7 (new) has one, but it had no last year to compare with
        "N": (1, 0),
    }
    effect = third.dynamics.effect
    assert (effect.recommended, effect.closed, effect.persisting, effect.new) == (7, 6, 1, 2)
    assert (indicators["S"].system_previous, indicators["S"].system_current) == (True, False)  # 3/7 → 1/6
    assert (indicators["Y"].system_previous, indicators["Y"].system_current) == (True, True)  # 3/7 → 2/6


def test_district_values_medians_and_levels(third):
    d = third.dynamics
    assert d.total.change == pytest.approx(430 / 6 - 440 / 7) and d.total.trend == Trend.better
    assert (d.total_median.previous, d.total_median.current, d.total_median.trend) == (80, 75, Trend.worse)
    assert d.blocks["A"].change == pytest.approx(80 - 480 / 7)
    assert d.blocks["B"].change == pytest.approx(380 / 6 - 400 / 7)
    assert d.level_changes == {"низкий": -2, "средний": 2, "высокий": -1}
    assert (d.level_moves.up, d.level_moves.down, d.level_moves.same) == (1, 1, 2)
    assert (d.improved, d.declined, d.stable) == (["2"], ["40"], 2)
    i = d.indicators
    assert (i["S"].district.previous, i["S"].district.current) == (pytest.approx(27), pytest.approx(33))
    assert (i["S"].median.previous, i["S"].median.current) == (30, 37.5)
    assert i["C"].district.change == pytest.approx(17 / 6 - 17 / 7)  # +16.7 % of 17/7: better
    assert i["C"].district.trend == Trend.better
    assert i["Y"].district.change == pytest.approx(4 / 6 - 4 / 7)  # «да»: 57.1 % → 66.7 %
    assert i["N"].district.change == pytest.approx(11 / 6 - 12 / 7)  # +0.12 of 3: 4 % of the maximum


def test_target_reached_in_the_third_year(third):
    d = third.dynamics
    assert [round(y.indicators["S"].district, 6) for y in d.years] == [21.0, 27.0, 33.0]
    assert [y.indicators["S"].met for y in d.years] == [False, False, True]
    assert (d.targets["S"].met_years, d.targets["S"].met_since) == ([Y3], Y3)
    # The series breaks where the framework changed: total and both blocks between years 1 and 2.
    first, middle, last = d.years
    assert first.fingerprints["total"] != middle.fingerprints["total"] == last.fingerprints["total"]
    assert first.fingerprints["values:S"] == last.fingerprints["values:S"]


def test_changes_below_the_threshold_are_never_ranked():
    results = year_results(3, min_change=45)
    results.dynamics = compare_years(results, [_year(2)])  # no map: 40 and 7 are new, 5 is 5 alone
    d = results.dynamics
    assert d.improved == ["2"]  # +50
    assert d.declined == [] and d.stable == 3  # 1 and 3 (±0), 5 (40 → 80: +40 < 45)
    assert d.new_schools == ["7", "40"]
    assert sorted((g.code, g.absence) for g in d.gone_schools) == [
        ("4", Absence.absent),
        ("6", Absence.absent),
        ("9", Absence.absent),
    ]
    assert d.indicators["S"].district.trend == Trend.stable  # +6 < 45
    assert d.min_change == 45


def test_the_threshold_is_inclusive():
    for threshold, trend in ((6.0, Trend.better), (6.01, Trend.stable)):
        results = year_results(3, min_change=threshold)
        results.dynamics = compare_years(results, [_year(2)])
        assert results.dynamics.indicators["S"].district.trend == trend, threshold


# --------------------------------------------------------------------------- files


def test_results_json_keeps_the_comparison(third, tmp_path):
    write_results_json(third, tmp_path / "results.json")
    again = read_results_json(tmp_path / "results.json")
    assert again.dynamics == third.dynamics
    assert results_to_dict(again) == json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))


def test_next_year_chains_the_series_from_one_file(tmp_path):
    """Year 3 given only year 2's results.json still sees year 1 (stored in year 2's series)."""
    _y1, y2 = write_years(tmp_path, (1, 2))
    years = read_previous([y2], "test", Y3)
    assert [y.label for y in years] == [Y2]
    results = year_results(3)
    results.dynamics = compare_years(results, years)
    d = results.dynamics
    assert [y.label for y in d.years] == [Y1, Y2, Y3]
    assert d.years[0].fingerprints["total"] != d.years[1].fingerprints["total"]
    assert d.targets["S"].met_since == Y3
    assert [round(y.indicators["S"].district, 6) for y in d.years] == [21.0, 27.0, 33.0]


def test_a_folder_of_years_is_read_oldest_first(tmp_path):
    write_years(tmp_path, (2, 1))  # written in the wrong order on purpose
    years = read_previous([tmp_path], "test", Y3)
    assert [y.label for y in years] == [Y1, Y2]


def test_previous_results_that_would_mislead_are_refused(tmp_path):
    write_years(tmp_path, (1,))
    with pytest.raises(PreviousError, match="другого мониторинга"):
        read_previous([tmp_path], "other", Y3)
    with pytest.raises(PreviousError, match="тому же периоду"):
        read_previous([tmp_path], "test", Y1)
    twin = tmp_path / "copy" / "results.json"
    twin.parent.mkdir()
    twin.write_bytes((tmp_path / "y1" / "results.json").read_bytes())
    with pytest.raises(PreviousError, match="два файла результатов за один период"):
        read_previous([tmp_path], "test", Y3)
    (tmp_path / "empty").mkdir()
    with pytest.raises(PreviousError, match=r"нет файлов results\.json"):
        read_previous([tmp_path / "empty"], "test", Y3)
    with pytest.raises(UsageError, match="--school-map"):
        load_baseline([], tmp_path / "map.csv", "test", Y3)
