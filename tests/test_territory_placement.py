"""Where a school belongs, from real files: the registry's column, a form field, the sub-folder.

Forms are written by the tool's own form writer and filled as a school would
(``workbooks.fill_form``); registries are CSV files as a regional system exports them. The
runs are the library's ``run`` (nothing written) or the CLI (``score``, exit code and files).
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.config import parse_config
from vosp_monitor.ingest.registry import read_registry
from vosp_monitor.pipeline import RunOptions, run
from vosp_monitor.report.territories import territories_summary
from workbooks import default_config, fill_form, typical_school

NORTH, SOUTH = "Северный район", "Южный район"


def _registry(path: Path, header: str, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Код ОО", "Наименование", header])
        for code, territory in rows:
            writer.writerow([code, f"Школа {code}", territory])
    return path


def _forms(folder: Path, placed: dict[str, str], config=None, fields: dict[str, dict] | None = None) -> None:
    """Forms of the codes in ``placed`` (code → sub-folder, "" for the folder itself);
    ``fields``: code → school fields to fill in besides the typical ones."""
    config = config or default_config()
    for k, (code, sub) in enumerate(placed.items()):
        school_fields, values = typical_school(code, f"Школа {code}", **{"UPR-4": 4 + 3 * k})
        school_fields.update((fields or {}).get(code, {}))
        fill_form(folder / sub / f"{code}.xlsx", config, school_fields, values)


@pytest.mark.parametrize(
    "header",
    [
        "Муниципалитет",
        " муниципальный   РАЙОН ",
        "Муниципальное образование",
        "Муниципальный округ",
        "Городской округ",
        "Территория",
        "МО",
    ],
)
def test_the_registry_column_is_found_by_any_of_its_names(tmp_path, header):
    path = _registry(tmp_path / "r.csv", header, [("0101", NORTH), ("0102", "")])
    entries = read_registry(path)
    assert [e.territory for e in entries] == [(NORTH,), ()]
    assert ("Муниципалитет" if header == "Муниципалитет" else header.strip(), NORTH) in entries[0].extra


def test_a_registry_with_region_and_municipality_gives_two_levels(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("Код ОО;Субъект РФ;МО\n0101;Область А;Район 1\n0102;Область А;\n", encoding="utf-8")
    assert [e.territory for e in read_registry(path)] == [("Область А", "Район 1"), ("Область А", "")]


def test_territory_by_registry_no_config_change(tmp_path):
    _forms(tmp_path / "forms", {"0101": "", "0102": "", "0103": "", "0104": ""})
    registry = _registry(
        tmp_path / "r.csv",
        "Муниципалитет",
        [("0101", NORTH), ("0102", NORTH), ("0103", SOUTH), ("0104", " южный  РАЙОН")],
    )
    results = run(tmp_path / "forms", options=RunOptions(registry=registry, jobs=1))
    territories = results.territories
    assert territories is not None and territories.sources == ["registry"]
    assert {u.name: sorted(u.schools) for u in territories.units} == {
        NORTH: ["0101", "0102"],
        SOUTH: ["0103", "0104"],  # spelled as the registry first spells it
    }
    assert not [p for p in results.problems if p.code.startswith("territory")]


def _config_with_field():
    text = (Path(__file__).resolve().parents[1] / "indicators.yaml").read_text(encoding="utf-8")
    field = '  - {key: municipality, label: "Муниципалитет", type: text, role: territory}\n'
    return parse_config(text.replace("school_fields:\n", "school_fields:\n" + field, 1))


def test_territory_by_form_field_and_a_conflict_with_the_registry(tmp_path):
    config = _config_with_field()
    _forms(
        tmp_path / "forms",
        {"0101": "", "0102": "", "0103": ""},
        config,
        {"0101": {"municipality": NORTH}, "0102": {"municipality": SOUTH}, "0103": {"municipality": SOUTH}},
    )
    results = run(tmp_path / "forms", config, options=RunOptions(jobs=1))
    assert results.territories is not None and results.territories.sources == ["form"]
    assert {u.name: sorted(u.schools) for u in results.territories.units} == {
        NORTH: ["0101"],
        SOUTH: ["0102", "0103"],
    }
    # The registry says 0103 is northern: the registry wins, the form's cell is named.
    registry = _registry(
        tmp_path / "r.csv", "Муниципалитет", [("0101", NORTH), ("0102", SOUTH), ("0103", NORTH)]
    )
    again = run(tmp_path / "forms", config, options=RunOptions(registry=registry, jobs=1))
    assert {u.name: sorted(u.schools) for u in again.territories.units} == {
        NORTH: ["0101", "0103"],
        SOUTH: ["0102"],
    }
    (conflict,) = [p for p in again.problems if p.code == "territory-conflict"]
    assert (conflict.file, conflict.sheet, conflict.school, conflict.value) == (
        "0103.xlsx",
        "Сведения об ОО",
        "0103",
        SOUTH,
    )
    assert conflict.cell.startswith("B") and conflict.severity == "warning"
    assert conflict.message == (
        "В реестре ОО «0103» относится к территории «Северный район», а в форме указано «Южный район»; "
        "ОО учтена в территории «Северный район», как в реестре"
    )


def test_territory_by_folder_and_a_form_in_another_territorys_folder(tmp_path):
    _forms(tmp_path / "forms", {"0101": NORTH, "0102": NORTH, "0103": SOUTH, "0104": SOUTH})
    results = run(tmp_path / "forms", options=RunOptions(jobs=1))
    assert results.territories is not None and results.territories.sources == ["folder"]
    assert {u.name: sorted(u.schools) for u in results.territories.units} == {
        NORTH: ["0101", "0102"],
        SOUTH: ["0103", "0104"],
    }
    assert territories_summary(results).splitlines()[-1] == (
        "  Муниципалитеты определены по папкам, в которых лежат формы; если папки — не муниципалитеты, "
        "укажите в файле показателей territories: {folders: 0}"
    )
    registry = _registry(
        tmp_path / "r.csv", "МО", [("0101", NORTH), ("0102", NORTH), ("0103", NORTH), ("0104", SOUTH)]
    )
    again = run(tmp_path / "forms", options=RunOptions(registry=registry, jobs=1))
    assert "по папкам" not in territories_summary(again)  # the registry named them
    bundled = (Path(__file__).resolve().parents[1] / "indicators.yaml").read_text(encoding="utf-8")
    off = parse_config(bundled + "\nterritories: {folders: 0}\n")  # as the line above says
    assert run(tmp_path / "forms", off, options=RunOptions(jobs=1)).territories is None
    (moved,) = [p for p in again.problems if p.code == "territory-folder-conflict"]
    assert (moved.file, moved.school, moved.value) == (f"{SOUTH}/0103.xlsx", "0103", SOUTH)
    assert moved.message.endswith("(по реестру); ОО учтена в территории «Северный район»")


def _zip(folder: Path, archive: Path) -> Path:
    """Every file under ``folder`` into ``archive``, by its path inside ``folder``."""
    with zipfile.ZipFile(archive, "w") as book:
        for path in sorted(folder.rglob("*.xlsx")):
            book.write(path, path.relative_to(folder).as_posix())
    return archive


def test_a_zip_archive_is_a_folder_of_its_name(tmp_path):
    # each municipality sent an archive of its forms: «Северный район.zip» is «Северный район»
    _forms(tmp_path / "north", {"0101": "", "0102": ""})
    _forms(tmp_path / "south", {"0103": ""})
    (tmp_path / "archives").mkdir()
    _zip(tmp_path / "north", tmp_path / "archives" / f"{NORTH}.zip")
    _zip(tmp_path / "south", tmp_path / "archives" / f"{SOUTH}.ZIP")
    results = run(tmp_path / "archives", options=RunOptions(jobs=1))
    assert results.territories is not None and results.territories.sources == ["folder"]
    assert {u.name: sorted(u.schools) for u in results.territories.units} == {
        NORTH: ["0101", "0102"],
        SOUTH: ["0103"],
    }
    # one archive of the region, a folder per municipality inside it: the archive is no territory
    _forms(tmp_path / "region", {"0101": NORTH, "0102": NORTH, "0103": SOUTH})
    (tmp_path / "inbox").mkdir()
    region = _zip(tmp_path / "region", tmp_path / "inbox" / "регион.zip")
    for source in (region, tmp_path / "inbox"):  # the archive given itself, or the folder holding it
        results = run(source, options=RunOptions(jobs=1))
        assert results.territories is not None
        assert {u.name: sorted(u.schools) for u in results.territories.units} == {
            NORTH: ["0101", "0102"],
            SOUTH: ["0103"],
        }


def test_folders_name_territories_only_when_every_form_is_in_one_of_two_or_more(tmp_path):
    _forms(tmp_path / "one", {"0101": "2026", "0102": "2026", "0103": "2026"})
    assert run(tmp_path / "one", options=RunOptions(jobs=1)).territories is None  # a single folder
    _forms(tmp_path / "mixed", {"0101": "", "0102": NORTH, "0103": SOUTH})
    assert run(tmp_path / "mixed", options=RunOptions(jobs=1)).territories is None  # a form at the top


def test_a_school_nowhere_is_counted_for_the_whole_run_only(tmp_path):
    _forms(tmp_path / "forms", {"0101": "", "0102": "", "0103": ""})
    registry = _registry(
        tmp_path / "r.csv", "Муниципалитет", [("0101", NORTH), ("0102", NORTH), ("0103", "")]
    )
    results = run(tmp_path / "forms", options=RunOptions(registry=registry, jobs=1))
    (missing,) = [p for p in results.problems if p.code == "territory-missing"]
    assert (missing.file, missing.school) == ("0103.xlsx", "0103")
    assert results.territories.whole.counts.scored == 3
    assert sum(u.counts.scored for u in results.territories.units) == 2


def test_the_cli_writes_the_territories_and_a_district_writes_none(tmp_path):
    _forms(tmp_path / "forms", {"0101": NORTH, "0102": NORTH, "0103": NORTH, "0104": SOUTH})
    result = CliRunner().invoke(
        main, ["score", str(tmp_path / "forms"), "-o", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "Муниципалитеты: 2, ранжировано 1" in result.output
    assert f"{SOUTH}: не ранжируется: оценено ОО — 1, нужно не меньше 3" in result.output
    lines = (tmp_path / "out" / "territories.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[2] for line in lines] == ["Муниципалитет", NORTH, SOUTH, "Итого"]


def test_a_country_run_writes_regions_too(tmp_path):
    import openpyxl

    _forms(tmp_path / "forms", {"0101": "", "0102": "", "0103": "", "0104": ""})
    registry = tmp_path / "r.csv"
    registry.write_text(
        "Код ОО;Регион;Муниципалитет\n0101;Область А;Район 1\n0102;Область А;Район 1\n"
        "0103;Область Б;Район 2\n0104;Область Б;Район 3\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = [
        "score",
        str(tmp_path / "forms"),
        "--schools",
        str(registry),
        "-o",
        str(out),
        "--quiet",
        "--no-cards",
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "ranking.xlsx")
    assert [n for n in book.sheetnames if n in ("Муниципалитеты", "Регионы")] == ["Муниципалитеты", "Регионы"]
    regions = [[c.value for c in row] for row in book["Регионы"].iter_rows(min_row=3)]
    assert [r[2] for r in regions] == ["Область А", "Область Б", "Итого"]
    municipalities = [[c.value for c in row] for row in book["Муниципалитеты"].iter_rows(min_row=3)]
    assert [(r[2], r[3]) for r in municipalities] == [
        ("Область А", "Район 1"),
        ("Область Б", "Район 2"),
        ("Область Б", "Район 3"),
        (None, "Итого"),
    ]
    lines = (out / "territories.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[2:4] for line in lines][1:] == [
        ["Область А", "Район 1"],
        ["Область Б", "Район 2"],
        ["Область Б", "Район 3"],
        ["Область А", ""],  # the regions: named in the region column
        ["Область Б", ""],
        ["", "Итого"],
    ]
