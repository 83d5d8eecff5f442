"""Computed indicators in a region by territory, against figures worked out by hand.

Seven school forms, written by the tool and filled as schools type, in a folder per
municipality. C1 is a survey share by formula, (r1 + r2) / R × 100, with ``min_denominator:
5`` and ``small_denominator: not_applicable``; S1 a plain share; E1 events per 100 pupils
(``events / students * 100``), scored relative to the best. Every indicator is scored
``linear`` 0–100 (score = value) except E1; block A = mean(C1, S1), block B = E1, total =
mean(A, B).

A computed indicator is rolled up as the district rolls it up: the mean of its schools'
values (docs/scoring.md), never Σ of its formula's parts — a share by formula too. The
figures below tell the two apart: Алфёровский's C1 is (80 + 50) / 2 = 65, while pooling its
parts would give (40 + 10) / (50 + 20) = 71,4 %.

    school  municipality  r1  r2   R    C1        S1       students  events  E1
    01      Алфёровский   30  10   50   80        20/40    200       10       5
    02      Алфёровский    5   5   20   50        30/60    100        8       8
    03      Алфёровский    2   1    3   R < 5: «мало данных», not applicable
                                                  10/10     50        2       4
    04      Берёзовский    0   0    0   R = 0: not applicable (missing)
                                                   9/30    300       30      10
    05      Берёзовский   45  15  100   60        40/50    400       16       4
    06      Вязовский     10  10   40   50         5/50    100        2       2
    07      Вязовский     27   0   30   90        45/50    250       15       6
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from vosp_monitor.analysis import territory_intervals
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.config import load_config, territory_config
from workbooks import fill_form

T1, T2, T3 = "Алфёровский район", "Берёзовский район", "Вязовский округ"

CONFIG = """\
monitoring: {id: territories-computed, title: Муниципалитеты и вычисляемые показатели, form_version: "1"}
school_fields:
  - {key: code, label: Код ОО, role: key}
  - {key: name, label: Наименование, role: name}
  - {key: students, label: Обучающихся, type: integer, role: contingent, min: 1}
analysis:
  uncertainty: {enabled: false}   # the intervals from the bootstrap alone
territories: {min_schools: 2, ranking: pooled}
blocks:
  - id: A
    title: Родители
    indicators:
      - code: C1
        title: Доля удовлетворённых родителей
        type: computed
        inputs:
          - {key: r1, label: Полностью удовлетворены}
          - {key: r2, label: Скорее удовлетворены}
          - {key: R, label: Всего ответивших}
        formula: (r1 + r2) / R * 100
        checks: [{rule: r1 + r2 <= R}]
        unit: "%"
        max: 100
        missing: not_applicable
        min_denominator: 5
        small_denominator: not_applicable
        scoring: {method: linear, low: 0, high: 100}
      - code: S1
        title: Доля семей на мероприятиях
        type: share
        numerator: Семей на мероприятиях
        denominator: Всего семей
        scoring: {method: linear, low: 0, high: 100}
  - id: B
    title: Мероприятия
    indicators:
      - code: E1
        title: Мероприятий на 100 обучающихся
        type: computed
        inputs:
          - {key: events, label: Проведено мероприятий}
        formula: events / students * 100
        unit: на 100 обуч.
        scoring: {method: best}
"""

# A municipality's own computed share (territories.blocks): paid / all × 100, linear 0–100.
OWN_BLOCK = {
    "id": "MUN",
    "title": "Показатели муниципалитета",
    "indicators": [
        {
            "code": "MUN-1",
            "title": "Доля классных руководителей с муниципальной доплатой",
            "type": "computed",
            "inputs": [
                {"key": "paid", "label": "Получают доплату"},
                {"key": "all", "label": "Всего классных руководителей"},
            ],
            "formula": "paid / all * 100",
            "checks": [{"rule": "paid <= all"}],
            "unit": "%",
            "max": 100,
            "missing": "not_applicable",
            "scoring": {"method": "linear", "low": 0, "high": 100},
        }
    ],
}

SCHOOLS = [  # code, municipality, (r1, r2, R), S1, students, events
    ("01", T1, (30, 10, 50), (20, 40), 200, 10),
    ("02", T1, (5, 5, 20), (30, 60), 100, 8),
    ("03", T1, (2, 1, 3), (10, 10), 50, 2),
    ("04", T2, (0, 0, 0), (9, 30), 300, 30),
    ("05", T2, (45, 15, 100), (40, 50), 400, 16),
    ("06", T3, (10, 10, 40), (5, 50), 100, 2),
    ("07", T3, (27, 0, 30), (45, 50), 250, 15),
]

# The hand-computed roll-up: C1 and E1 the mean of the schools' values, S1 pooled.
C1 = {T1: (80 + 50) / 2, T2: 60.0, T3: (50 + 90) / 2}
S1 = {T1: (20 + 30 + 10) / (40 + 60 + 10) * 100, T2: (9 + 40) / (30 + 50) * 100, T3: (5 + 45) / 100 * 100}
E1 = {T1: (5 + 8 + 4) / 3, T2: (10 + 4) / 2, T3: (2 + 6) / 2}
# The pooled index: the territories' values scored over the territories (E1: value / best × 100,
# the best being Берёзовский's 7), block A = mean(C1, S1), B = E1, total = mean(A, B).
INDEX = {t: ((C1[t] + S1[t]) / 2 + E1[t] / E1[T2] * 100) / 2 for t in (T1, T2, T3)}


def _write(folder: Path, *, own: bool) -> Path:
    """indicators.yaml and the forms (school forms in a folder per municipality); with ``own``,
    the config has MUN-1 and Алфёровский and Берёзовский send their own form."""
    data = yaml.safe_load(CONFIG)
    if own:
        data["territories"]["blocks"] = [OWN_BLOCK]
    path = folder / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    config = load_config(path)
    for code, where, (r1, r2, total), share, students, events in SCHOOLS:
        fields = {"code": code, "name": f"Школа {code}", "students": students}
        values = {"C1": {"r1": r1, "r2": r2, "R": total}, "S1": share, "E1": {"events": events}}
        fill_form(folder / "forms" / where / f"{code}.xlsx", config, fields, values)
    territory = territory_config(config)
    if own:
        assert territory is not None
        for where, (paid, every) in {T1: (3, 4), T2: (1, 5)}.items():
            fields = {"territory": where, "authority": f"Управление образования ({where})"}
            fields |= {"head": "Иванова И. И.", "filled_by": "Петров П. П."}
            fill_form(
                folder / "forms" / where / "муниципалитет.xlsx",
                territory,
                fields,
                {"MUN-1": {"paid": paid, "all": every}},
            )
    return path


def _score(folder: Path, config: Path) -> Path:
    out = folder / "out"
    args = ["score", str(folder / "forms"), "-c", str(config), "-o", str(out), "--quiet", "--no-cards"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def region(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("computed-region")
    return _score(folder, _write(folder, own=False))


def test_a_computed_share_is_the_mean_of_its_schools_per_territory_as_in_the_district(region):
    results = read_results_json(region / "results.json")
    units = {u.name: u for u in results.territories.units}
    for where in (T1, T2, T3):
        c1, s1, e1 = (units[where].indicators[code] for code in ("C1", "S1", "E1"))
        assert c1.value == pytest.approx(C1[where], abs=1e-9) and not c1.pooled and c1.numerator is None
        assert s1.value == pytest.approx(S1[where], abs=1e-9) and s1.pooled
        assert e1.value == pytest.approx(E1[where], abs=1e-9) and not e1.pooled
    assert units[T1].indicators["C1"].value != pytest.approx(50 / 70 * 100)  # not Σ (r1 + r2) / Σ R
    assert [units[t].indicators["C1"].schools for t in (T1, T2, T3)] == [2, 1, 2]  # 03 and 04 apply not
    school = {s.code: s for s in results.schools}["03"].indicators["C1"]
    assert school.small and school.status == "not_applicable" and school.inputs == {"r1": 2, "r2": 1, "R": 3}
    # The whole region is rolled up by the same code and equals the district statistics.
    whole = results.territories.whole.indicators["C1"]
    assert whole.value == pytest.approx((80 + 50 + 60 + 50 + 90) / 5)
    assert whole.value == pytest.approx(results.indicator_stats["C1"].values.mean)
    assert results.indicator_stats["C1"].pooled is None and results.indicator_stats["C1"].small_count == 1


def test_the_pooled_index_ranks_territories_by_their_computed_values(region):
    results = read_results_json(region / "results.json")
    assert results.territories.ranking == "pooled"
    placed = [(u.name, u.place) for u in results.territories.units]
    assert placed == [(T2, 1), (T1, 2), (T3, 3)]  # 80,31 > 70,36 > 58,57
    for unit in results.territories.units:
        assert unit.value == pytest.approx(INDEX[unit.name], abs=1e-9)
    rows = (region / "territories.csv").read_text(encoding="utf-8-sig").splitlines()
    first = dict(zip(rows[0].split(";"), rows[1].split(";"), strict=True))
    assert (first["Муниципалитет"], first["Значение для рейтинга"]) == (T2, "80,31")


def test_the_bootstrap_rolls_up_a_computed_indicator_as_the_published_index(tmp_path, monkeypatch):
    """Each run's draw made to take every school once: if the bootstrap pooled a computed share
    (or the published index did) they would differ; here every interval is the value itself."""

    def every_school_once(self, runs):
        return np.tile(np.arange(self.member.size, dtype=np.int32), (runs, 1))

    monkeypatch.setattr(territory_intervals._Draws, "positions", every_school_once)
    results = read_results_json(_score(tmp_path, _write(tmp_path, own=False)) / "results.json")
    assert results.territories.runs == 1000 and not results.territories.weights_varied
    for unit in results.territories.units:
        assert unit.interval.value_low == pytest.approx(INDEX[unit.name], abs=1e-9)
        assert unit.interval.value_high == pytest.approx(INDEX[unit.name], abs=1e-9)


def test_a_municipalitys_own_computed_indicator(tmp_path):
    config = _write(tmp_path, own=True)
    check = CliRunner().invoke(main, ["check-config", str(config)])
    assert check.exit_code == 0 and "Ошибок не найдено" in check.output, check.output
    results = read_results_json(_score(tmp_path, config) / "results.json")
    units = {u.name: u for u in results.territories.units}
    # Алфёровский 3 of 4 = 75 %, Берёзовский 1 of 5 = 20 %, Вязовский sent none: 0.
    assert [units[t].own.total for t in (T1, T2, T3)] == pytest.approx([75, 20, 0])
    assert units[T1].own.values["MUN-1"] == pytest.approx(75)
    # weights {schools: 1, territory: 1}: the index is the mean of the two.
    for where, own in ((T1, 75.0), (T2, 20.0), (T3, 0.0)):
        assert units[where].value == pytest.approx((INDEX[where] + own) / 2, abs=1e-9)
    assert [(u.name, u.place) for u in results.territories.units] == [(T1, 1), (T2, 2), (T3, 3)]
