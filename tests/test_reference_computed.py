"""Computed indicators against an independent reference: 30 schools scored by hand in pandas.

A district of 30 schools answers a config of computed indicators through a consolidated
table with ``CODE.key`` columns, the way a region's online form exports it; ``score --table``
scores it. The same table is then scored here from first principles — the formulas written
out by hand in pandas, the bands, ``linear`` and ``best`` scales, the weighted block means
over the indicators that apply, the total and the places with ties — without any code of the
tool, and every value, score, block, total and place must agree within 1e-6.

The cases the issue names are in the data: a survey share whose school held no survey
(R = 0: not applicable), points per level capped at 15, a rating per participant of a school
without participants (N = 0: 0 points), a rate per 100 pupils from the school's own number of
pupils, a ``best``-scored indicator, and two schools tied on every answer (one place).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from vosp_monitor import layout
from vosp_monitor.cli import main
from vosp_monitor.config import load_config

CONFIG = """\
monitoring: {id: reference, title: Эталон, form_version: "1"}
school_fields:
  - {key: code, label: Код ОО, role: key}
  - {key: name, label: Наименование, role: name}
  - {key: students, label: Обучающихся, type: integer, role: contingent, min: 1}
blocks:
  - id: ROD
    title: Родители и конкурсы
    weight: 1
    indicators:
      - code: ROD-6
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
        weight: 2
        missing: not_applicable
        scoring:
          method: bands
          bands: [{from: 0, to: 50, points: 0}, {from: 50, to: 80, points: 1}, {from: 80, to: null, points: 2}]
      - code: RAT-1
        title: Рейтинг на участника
        type: computed
        inputs:
          - {key: I, label: I место}
          - {key: II, label: II место}
          - {key: III, label: III место}
          - {key: N, label: Участников}
        formula: (5 * I + 3 * II + III) / N
        missing: zero
        scoring: {method: linear, low: 0, high: 3}
  - id: RES
    title: Результаты
    weight: 2
    indicators:
      - code: OLY-1
        title: Баллы за победы по уровням
        type: computed
        inputs:
          - {key: mun, label: Муниципальные}
          - {key: reg, label: Региональные}
          - {key: intl, label: Международные}
        formula: mun + 2 * reg + min(5 * intl, 15)
        scoring: {method: best, max_points: 10}
      - code: EV-1
        title: Мероприятий на 100 обучающихся
        type: computed
        inputs: [{key: events, label: Мероприятий}]
        formula: events / students * 100
        weight: 3
        scoring: {method: linear, low: 0, high: 10}
"""
INPUTS = {
    "ROD-6": ("r1", "r2", "R"),
    "RAT-1": ("I", "II", "III", "N"),
    "OLY-1": ("mun", "reg", "intl"),
    "EV-1": ("events",),
}
TOLERANCE = 1e-6


def _district() -> pd.DataFrame:
    """30 schools' answers, one row each, with the edge cases of the module docstring."""
    rng = random.Random(27)
    rows = []
    for i in range(30):
        students = rng.randint(20, 900)
        answered = rng.randint(8, 200)
        r1 = rng.randint(0, answered)
        participants = rng.randint(1, 40)
        first = rng.randint(0, participants // 3)
        second = rng.randint(0, participants // 3)
        rows.append(
            {
                "code": f"{i + 1:04d}",
                "name": f"Школа {i + 1}",
                "students": students,
                "ROD-6.r1": r1,
                "ROD-6.r2": rng.randint(0, answered - r1),
                "ROD-6.R": answered,
                "RAT-1.I": first,
                "RAT-1.II": second,
                "RAT-1.III": rng.randint(0, participants - first - second),
                "RAT-1.N": participants,
                "OLY-1.mun": rng.randint(0, 10),
                "OLY-1.reg": rng.randint(0, 4),
                "OLY-1.intl": rng.choice([0, 0, 0, 1, 2, 5]),
                "EV-1.events": rng.randint(1, 60),
            }
        )
    table = pd.DataFrame(rows)
    table.loc[3, ["ROD-6.r1", "ROD-6.r2", "ROD-6.R"]] = 0  # no survey held
    table.loc[7, ["RAT-1.I", "RAT-1.II", "RAT-1.III", "RAT-1.N"]] = 0  # no participants
    table.loc[11, "OLY-1.intl"] = 4  # 20 points, capped at 15
    tied = table.loc[5].copy()
    tied["code"], tied["name"] = table.loc[20, "code"], table.loc[20, "name"]
    table.loc[20] = tied  # the same answers as school 6: tied on everything
    return table


def _reference(table: pd.DataFrame) -> pd.DataFrame:
    """Values, scores, blocks, totals and places computed by hand (no code of the tool)."""
    out = pd.DataFrame({"code": table["code"]})
    responded = table["ROD-6.R"]
    rod = (table["ROD-6.r1"] + table["ROD-6.r2"]) / responded.where(responded > 0) * 100
    out["ROD-6.value"] = rod
    rod_points = np.select([rod >= 80, rod >= 50, rod >= 0], [2, 1, 0], default=np.nan)
    out["ROD-6.score"] = np.where(rod.isna(), np.nan, rod_points / 2 * 100)
    participants = table["RAT-1.N"]
    rating = (5 * table["RAT-1.I"] + 3 * table["RAT-1.II"] + table["RAT-1.III"]) / participants.where(
        participants > 0
    )
    out["RAT-1.value"] = rating
    out["RAT-1.score"] = (rating / 3).clip(0, 1).fillna(0) * 100  # no participants: 0 points, still counted
    oly = table["OLY-1.mun"] + 2 * table["OLY-1.reg"] + np.minimum(5 * table["OLY-1.intl"], 15)
    out["OLY-1.value"] = oly
    out["OLY-1.score"] = oly / oly.max() * 100
    events = table["EV-1.events"] / table["students"] * 100
    out["EV-1.value"] = events
    out["EV-1.score"] = (events / 10).clip(0, 1) * 100
    rod_weight = np.where(out["ROD-6.score"].isna(), 0.0, 2.0)  # not applicable: out of the mean
    out["ROD"] = (np.nan_to_num(out["ROD-6.score"]) * rod_weight + out["RAT-1.score"]) / (rod_weight + 1)
    out["RES"] = (out["OLY-1.score"] + 3 * out["EV-1.score"]) / 4
    out["total"] = (out["ROD"] + 2 * out["RES"]) / 3
    rounded = out["total"].round(2)
    out["place"] = rounded.rank(method="min", ascending=False).astype(int)
    return out


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, dict, Path]:
    folder = tmp_path_factory.mktemp("reference")
    (folder / "indicators.yaml").write_text(CONFIG, encoding="utf-8")
    table = _district()
    table.to_csv(folder / "svod.csv", sep=";", index=False, encoding="utf-8-sig")
    result = CliRunner().invoke(
        main,
        [
            "score",
            "--table",
            str(folder / "svod.csv"),
            "-c",
            str(folder / "indicators.yaml"),
            "-o",
            str(folder / "out"),
            "--no-cards",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((folder / "out" / "results.json").read_text(encoding="utf-8"))
    return table, data, folder


def test_every_figure_matches_the_reference_within_1e_6(scored) -> None:
    table, data, _ = scored
    reference = _reference(table).set_index("code")
    schools = {school["code"]: school for school in data["schools"]}
    assert sorted(schools) == sorted(reference.index) and not data["excluded"]
    for code, row in reference.iterrows():
        school = schools[code]
        for ind in INPUTS:
            got = school["indicators"][ind]
            for part, mine in (("value", got["value"]), ("score", got["score"])):
                expected = row[f"{ind}.{part}"]
                if pd.isna(expected):
                    assert mine is None, (code, ind, part)
                else:
                    assert mine == pytest.approx(expected, abs=TOLERANCE), (code, ind, part)
        for block in ("ROD", "RES"):
            assert school["blocks"][block]["score"] == pytest.approx(row[block], abs=TOLERANCE), (code, block)
        assert school["total"] == pytest.approx(row["total"], abs=TOLERANCE), code
        assert school["place"] == row["place"], code


def test_the_edge_cases_are_really_in_the_data(scored) -> None:
    table, data, _ = scored
    schools = {school["code"]: school for school in data["schools"]}
    assert schools["0004"]["indicators"]["ROD-6"]["status"] == "not_applicable"
    assert schools["0008"]["indicators"]["RAT-1"]["status"] == "zero"
    assert schools["0008"]["indicators"]["RAT-1"]["points"] == 0
    assert schools["0012"]["indicators"]["OLY-1"]["inputs"]["intl"] == 4
    assert (
        schools["0012"]["indicators"]["OLY-1"]["value"]
        == table.loc[11, "OLY-1.mun"] + 2 * table.loc[11, "OLY-1.reg"] + 15
    )
    assert schools["0006"]["place"] == schools["0021"]["place"]  # the tie shares a place
    places = sorted(school["place"] for school in data["schools"])
    assert places.count(schools["0006"]["place"]) >= 2
    best = max(school["indicators"]["OLY-1"]["value"] for school in data["schools"])
    assert all(
        school["indicators"]["OLY-1"]["score"] == pytest.approx(100.0)
        for school in data["schools"]
        if school["indicators"]["OLY-1"]["value"] == best
    )


def test_the_form_of_the_same_config_asks_for_every_input(scored, tmp_path) -> None:
    from openpyxl import load_workbook

    _, _, folder = scored
    result = CliRunner().invoke(
        main, ["form", "-c", str(folder / "indicators.yaml"), "-o", str(tmp_path / "form.xlsx")]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "form.xlsx")[layout.SHEET_INDICATORS]
    codes = {str(row[0].value): row[3] for row in sheet.iter_rows() if row[0].value}
    config = load_config(folder / "indicators.yaml")
    for ind in config.indicators():
        assert tuple(item.key for item in ind.inputs) == INPUTS[ind.code]
        for key in INPUTS[ind.code]:
            cell = codes[layout.input_code(ind.code, key)]
            assert (
                cell.fill.fgColor.rgb.endswith("FFF2CC") and not cell.protection.locked
            )  # typed by the school
        assert str(codes[ind.code].value).startswith("=IF(")  # the value: computed, not typed
