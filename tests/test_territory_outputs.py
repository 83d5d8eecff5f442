"""The sample region end to end: territories.csv, the sheet «Муниципалитеты», results.json, the
territory forms, and a reference roll-up computed independently (pandas) from the schools.

``samples/region``: three municipalities in a folder each, a registry with «Муниципалитет»;
«Озёрный городской округ» has two scored schools, one below ``territories.min_schools``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main

REGION = Path(__file__).resolve().parents[1] / "samples" / "region"
FIXTURES = Path(__file__).parent / "fixtures" / "results"
NORTH, SOUTH, LAKE = "Северный муниципальный район", "Южный муниципальный округ", "Озёрный городской округ"


def _score(out: Path, *extra: str) -> None:
    args = ["score", str(REGION / "forms"), "--schools", str(REGION / "registry.csv"), "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--quiet", "--no-cards", *extra])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """The region with the bundled indicators.yaml: no config change."""
    out = tmp_path_factory.mktemp("region") / "out"
    _score(out)
    return out


@pytest.fixture(scope="module")
def municipal(tmp_path_factory) -> Path:
    """The region with the municipalities' own indicators (samples/region/indicators.yaml)."""
    out = tmp_path_factory.mktemp("municipal") / "out"
    _score(out, "-c", str(REGION / "indicators.yaml"))
    return out


def test_an_independent_roll_up_of_the_schools_matches(plain):
    """pandas groups the stored schools by the registry's municipality; every figure within 1e-6."""
    data = json.loads((plain / "results.json").read_text(encoding="utf-8"))
    registry = pd.read_csv(REGION / "registry.csv", sep=";", dtype=str, encoding="utf-8-sig")
    where = dict(zip(registry["Код ОО"], registry["Муниципалитет"], strict=True))
    rows = []
    for s in data["schools"]:
        row = {"code": s["code"], "territory": where[s["code"]], "total": s["total"]}
        row |= {f"block:{k}": b["score"] for k, b in s["blocks"].items()}
        for code, i in s["indicators"].items():
            usable = i["status"] == "ok" and i["numerator"] is not None and (i["denominator"] or 0) > 0
            row[f"num:{code}"] = i["numerator"] if usable else None
            row[f"den:{code}"] = i["denominator"] if usable else None
        rows.append(row)
    frame = pd.DataFrame(rows)
    units = {u["name"]: u for u in data["territories"]["units"]}
    assert set(units) == {NORTH, SOUTH, LAKE}
    for name, group in frame.groupby("territory"):
        unit = units[name]
        assert unit["counts"]["scored"] == len(group)
        assert unit["total"]["mean"] == pytest.approx(group["total"].mean(), abs=1e-6)
        assert unit["total"]["median"] == pytest.approx(group["total"].median(), abs=1e-6)
        for block in ("UPR", "RES", "ROD", "KR"):
            assert unit["blocks"][block]["mean"] == pytest.approx(group[f"block:{block}"].mean(), abs=1e-6)
        for code in ("UPR-5", "RES-1", "RES-5", "ROD-5", "KR-1", "KR-2"):
            pooled = group[f"num:{code}"].sum() / group[f"den:{code}"].sum() * 100
            assert unit["indicators"][code]["value"] == pytest.approx(pooled, abs=1e-6), (name, code)
    means = frame.groupby("territory")["total"].mean()
    ranked = means[frame.groupby("territory").size() >= 3].sort_values(ascending=False)
    assert [(u["name"], u["place"]) for u in data["territories"]["units"]] == [
        *((name, place) for place, name in enumerate(ranked.index, start=1)),
        (LAKE, None),
    ]
    assert units[LAKE]["not_compared"] == "too-few" and units[LAKE]["counts"]["excluded"] == 1
    whole = data["territories"]["whole"]
    assert whole["total"]["mean"] == pytest.approx(frame["total"].mean(), abs=1e-6)
    assert whole["counts"] == {
        "registered": 19,
        "submitted": 18,
        "scored": 17,
        "excluded": 1,
        "not_submitted": 1,
    }


def test_the_sheet_of_municipalities_is_printable_and_complete(plain):
    book = openpyxl.load_workbook(plain / "ranking.xlsx")
    assert book.sheetnames[:2] == ["Рейтинг", "Муниципалитеты"]
    sheet = book["Муниципалитеты"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.print_title_rows == "$2:$2"  # the header repeats on every page
    header = [c.value for c in sheet[2]]
    assert header[:4] == ["Место", "Места в 90 % пересчётов", "Муниципалитет", "Значение для рейтинга"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [r[2] for r in rows] == [NORTH, SOUTH, LAKE, "Итого"]
    assert [r[0] for r in rows] == [1, 2, None, None]
    reason = rows[2][header.index("Почему нет места")]
    assert reason == "не ранжируется: оценено ОО — 2, нужно не меньше 3"
    assert rows[1][header.index("Не представили")] == 1 and rows[3][header.index("ОО в реестре")] == 19
    assert sheet.cell(1, 1).value.startswith("Места — по показателю «средний итоговый балл оценённых ОО»")


def test_territories_csv_has_the_same_rows(plain):
    frame = pd.read_csv(plain / "territories.csv", sep=";", decimal=",", encoding="utf-8-sig")
    data = json.loads((plain / "results.json").read_text(encoding="utf-8"))["territories"]
    assert list(frame["Муниципалитет"]) == [NORTH, SOUTH, LAKE, "Итого"]
    for (_, row), unit in zip(frame.iterrows(), [*data["units"], data["whole"]], strict=True):
        assert row["Итог: среднее"] == pytest.approx(unit["total"]["mean"], abs=0.05)
        assert row["KR-1, % (сводное)"] == pytest.approx(unit["indicators"]["KR-1"]["value"], abs=0.005)


def test_the_folder_conflict_and_the_territory_forms_without_municipal_indicators(plain):
    results = read_results_json(plain / "results.json")
    codes = sorted(p.code for p in results.problems if p.code.startswith("territory"))
    assert codes == ["territory-folder-conflict", "territory-form-unused", "territory-form-unused"]
    units = {u.name: u for u in results.territories.units}
    assert "0208" in units[NORTH].schools and units[NORTH].counts.scored == 8
    assert all(u.own is None for u in units.values()) and results.territories.own_weights is None


def test_the_municipal_indicators_go_into_the_index(municipal):
    results = read_results_json(municipal / "results.json")
    units = {u.name: u for u in results.territories.units}
    north, south, lake = units[NORTH].own, units[SOUTH].own, units[LAKE].own
    # Северный: act yes (2 of 2), 4 contests (2 of 2), association by plan (2 of 2): 100.
    assert north.total == pytest.approx(100) and north.authority.startswith("Управление образования")
    # Южный: no act (score 0), 1 contest (1 of 2 points: 50), an irregular association (1 of 2:
    # 50); the block's aggregation is arithmetic over the scores: (0 + 50 + 50) / 3.
    assert south.total == pytest.approx(100 / 3) and south.deficits == ["MUN-1"]
    assert lake.file == "" and lake.total == 0  # sent none
    assert results.territories.own_weights == (3.0, 1.0)
    schools_value = units[NORTH].total.mean
    assert units[NORTH].value == pytest.approx((3 * schools_value + 100) / 4)
    assert [p.value for p in results.problems if p.code == "territory-form-missing"] == [LAKE]


def test_the_territory_form_is_written_protected_and_stamped(tmp_path):
    out = tmp_path / "мо.xlsx"
    result = CliRunner().invoke(
        main, ["form", "--level", "territory", "-c", str(REGION / "indicators.yaml"), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    stamp = {row[0].value: row[1].value for row in book["_vosp"].iter_rows()}
    assert stamp["form_id"] == "vospitanie-socializaciya.territory"
    assert book["_vosp"].sheet_state == "hidden"
    assert all(book[name].protection.sheet for name in ("Инструкция", "Сведения об ОО", "Показатели"))
    codes = [c.value for c in book["Показатели"]["A"] if c.value]
    assert {"MUN-1", "MUN-2", "MUN-3"} <= set(codes) and "KR-1" not in codes
    assert book["Показатели"].data_validations.dataValidation
    labels = [c.value for c in book["Сведения об ОО"]["A"] if c.value]
    assert "Муниципальное образование" in labels
    refused = CliRunner().invoke(main, ["form", "--level", "territory", "-o", str(tmp_path / "x.xlsx")])
    assert refused.exit_code == 1 and "нет показателей территории" in refused.output


def test_territory_forms_per_registry_territory(tmp_path):
    args = ["form", "--level", "territory", "-c", str(REGION / "indicators.yaml")]
    result = CliRunner().invoke(
        main, [*args, "--schools", str(REGION / "registry.csv"), "-o", str(tmp_path / "f")]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "f").glob("*.xlsx"))
    assert len(names) == 3 and any(name.startswith("Озёрный") for name in names)
    book = openpyxl.load_workbook(next((tmp_path / "f").glob("Север*.xlsx")))
    values = [
        row[1].value
        for row in book["Сведения об ОО"].iter_rows()
        if row[0].value == "Муниципальное образование"
    ]
    assert values == [NORTH]


def test_a_wrong_value_in_a_territory_form_is_a_problem_at_its_cell(tmp_path):
    folder = tmp_path / "forms"
    shutil.copytree(REGION / "forms", folder)
    book = openpyxl.load_workbook(folder / SOUTH / "муниципалитет.xlsx")
    sheet = book["Показатели"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "MUN-2")
    sheet.cell(row, 4).value = "много"
    book.save(folder / SOUTH / "муниципалитет.xlsx")
    config = str(REGION / "indicators.yaml")
    result = CliRunner().invoke(main, ["validate", str(folder), "-c", config, "--format", "json"])
    problems = json.loads(result.output)["problems"]
    text = CliRunner().invoke(main, ["validate", str(folder), "-c", config]).output
    assert "  форм (строк) всего:        18\n" in text and "  форм территорий:           2\n" in text
    (wrong,) = [p for p in problems if p["file"] == f"{SOUTH}/муниципалитет.xlsx"]
    assert (wrong["code"], wrong["sheet"], wrong["cell"], wrong["indicator"]) == (
        "value-not-number",
        "Показатели",
        f"D{row}",
        "MUN-2",
    )


def test_schema_7_is_read_and_schema_6_has_no_territories():
    old = read_results_json(FIXTURES / "v6.json")
    assert old.territories is None and old.config.territories.enabled
    new = read_results_json(FIXTURES / "v7.json")
    assert [u.name for u in new.territories.units] == [NORTH, SOUTH, LAKE]
    assert new.territories.units[0].own.total == pytest.approx(100)


def test_every_key_of_the_territories_section_is_documented():
    from vosp_monitor.config import TerritorySettings, TerritoryWeights

    docs = (Path(__file__).resolve().parents[1] / "docs" / "config.md").read_text(encoding="utf-8")
    section = docs.split("## `territories`", 1)[1].split("\n## ", 1)[0]
    for key in [*TerritorySettings.model_fields, *TerritoryWeights.model_fields]:
        assert f"`{key}`" in section, key
    assert "`territory`" in docs.split("## `school_fields`", 1)[1].split("\n## ", 1)[0]


def test_the_sample_region_is_reproducible_and_up_to_date(tmp_path, monkeypatch):
    import hashlib
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("make_region", REGION / "make_region.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_region", module)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    generated = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert len([n for n in generated if n.endswith(".xlsx")]) == 18 + 2  # schools and two municipalities
    stale = [
        name
        for name in generated
        if hashlib.sha256((tmp_path / name).read_bytes()).digest()
        != hashlib.sha256((REGION / name).read_bytes()).digest()
    ]
    assert stale == [], "samples/region is out of date: run python samples/region/make_region.py"
