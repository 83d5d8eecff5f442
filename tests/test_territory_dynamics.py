"""Year over year by territory: the same name, a renamed territory, a merger — found through
the schools (matched by code and the school map), with the changes of mean, place and shares."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from vosp_monitor.config import parse_config
from vosp_monitor.pipeline import RunOptions, run
from vosp_monitor.results import Link, Trend, write_results_json

ROOT = Path(__file__).resolve().parents[1]
REGION = ROOT / "samples" / "region"
NORTH, SOUTH, LAKE = "Северный муниципальный район", "Южный муниципальный округ", "Озёрный городской округ"


@pytest.fixture(scope="module")
def last_year(tmp_path_factory) -> Path:
    text = (ROOT / "indicators.yaml").read_text(encoding="utf-8")
    config = parse_config(text.replace('period: "2025/2026 учебный год"', 'period: "2024/2025 учебный год"'))
    results = run(REGION / "forms", config, options=RunOptions(registry=REGION / "registry.csv", jobs=1))
    path = tmp_path_factory.mktemp("last") / "results.json"
    write_results_json(results, path)
    return path


def _registry(path: Path, rename: dict[str, str], codes: dict[str, str] | None = None) -> Path:
    with (REGION / "registry.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(rows[0])
        for row in rows[1:]:
            writer.writerow([(codes or {}).get(row[0], row[0]), *row[1:4], rename.get(row[4], row[4])])
    return path


def test_a_renamed_and_a_merged_territory(tmp_path, last_year):
    merged = "Южно-Озёрный муниципальный округ"
    registry = _registry(tmp_path / "r.csv", {SOUTH: merged, LAKE: merged, NORTH: "Северный район"})
    now = run(REGION / "forms", options=RunOptions(registry=registry, previous=(last_year,), jobs=1))
    changes = {c.name: c for c in now.territories.changes}
    assert now.territories.previous == "2024/2025 учебный год"
    renamed = changes["Северный район"]
    assert (renamed.link, renamed.previous) == (Link.renamed, [NORTH])
    assert renamed.total.change == pytest.approx(0) and renamed.total.trend == Trend.stable
    assert renamed.place.previous == 1 and renamed.place.trend == Trend.stable
    union = changes[merged]
    assert (union.link, union.previous) == (Link.merged, [LAKE, SOUTH])
    # Last year's mean over every school of both territories is this year's mean of the same schools.
    assert (
        union.total.previous == pytest.approx(union.total.current) and union.place.trend == Trend.incomparable
    )
    assert union.shares["KR-1"].previous == pytest.approx(union.shares["KR-1"].current)


def test_a_school_with_a_new_code_still_links_its_territory(tmp_path, last_year):
    """0201 is 0299 this year (the school map says so) and its municipality is renamed: the
    territory is found through its schools, the one with the new code among them."""
    import shutil

    import openpyxl

    folder = tmp_path / "forms"
    shutil.copytree(REGION / "forms", folder)
    form = folder / NORTH / "0201.xlsx"
    book = openpyxl.load_workbook(form)
    sheet = book["Сведения об ОО"]
    (row,) = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Код ОО (по реестру)"]
    sheet.cell(row, 2).value = "0299"
    book.save(folder / NORTH / "0299.xlsx")
    form.unlink()
    registry = _registry(tmp_path / "r.csv", {NORTH: "Полярный район"}, {"0201": "0299"})
    school_map = tmp_path / "map.csv"
    school_map.write_text("Прежний код;Новый код\n0201;0299\n", encoding="utf-8")
    now = run(
        folder, options=RunOptions(registry=registry, previous=(last_year,), school_map=school_map, jobs=1)
    )
    assert "0299" in next(u for u in now.territories.units if u.name == "Полярный район").schools
    (polar,) = [c for c in now.territories.changes if c.name == "Полярный район"]
    assert polar.link == Link.renamed and polar.previous == [NORTH]
    assert polar.total.change == pytest.approx(0)
    assert {c.name for c in now.territories.changes} == {"Полярный район", SOUTH, LAKE}
