"""The files around the comparison: the school map, forms with last year's values, the sample years."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from close import assert_close
from district_years import SCHOOL_MAP, write_years, year_results, year_yaml
from vosp_monitor import layout
from vosp_monitor.cli import main
from vosp_monitor.dynamics import SchoolMapError, compare_years, read_previous, read_school_map
from vosp_monitor.form import write_form
from vosp_monitor.form.previous import PreviousValues
from vosp_monitor.ingest import RawForm, read_form
from workbooks import default_config, fill_form, typical_school

REPO = Path(__file__).resolve().parents[1]
NB = "\u00a0"

# --------------------------------------------------------------------------- the school map


@pytest.mark.parametrize(
    "text",
    [
        "Прежний код;Новый код;Комментарий\r\n0126;0124;сменила код\r\n0127;0109;\r\n",
        "Код в прошлом году,Код в этом году\n0126,0124\n0127,0109\n",
        "0126\t0124\n0127\t0109\n",  # no header: two columns, old then new
        "old;new\n\u200b0126 ;０１２４\n0127;0109\n;\n",  # invisible characters and full-width digits
    ],
)
def test_the_school_map_is_read_the_way_people_write_it(tmp_path, text):
    (tmp_path / "map.csv").write_text(text, encoding="utf-8")
    assert read_school_map(tmp_path / "map.csv").pairs == (("0126", "0124"), ("0127", "0109"))


def test_the_school_map_from_a_workbook(tmp_path):
    book = Workbook()
    sheet = book.active
    for row in (["Новый код", "Прежний код"], ["0124", "0126"], ["0109", "0127"], ["0109", "0109"]):
        sheet.append(row)
    book.save(tmp_path / "map.xlsx")
    assert read_school_map(tmp_path / "map.xlsx").pairs == (
        ("0126", "0124"),
        ("0127", "0109"),
        ("0109", "0109"),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Прежний код;Новый код\n4;40\n4;41\n", "строка 3: код «4» уже указан в строке 2 с новым кодом «40»"),
        ("Прежний код;Новый код\n4;\n", "строка 2: нужны оба кода"),
        ("", "таблица соответствия кодов ОО пуста"),
        ("Код;Наименование;Тип\n1;2;3\n", "не найдены столбцы «Прежний код» и «Новый код»"),
    ],
)
def test_a_school_map_that_cannot_be_used_is_refused_with_the_row(tmp_path, text, message):
    (tmp_path / "map.csv").write_text(text, encoding="utf-8")
    with pytest.raises(SchoolMapError, match=message):
        read_school_map(tmp_path / "map.csv")


def test_map_rows_naming_unknown_codes_are_reported(tmp_path):
    (tmp_path / "map.csv").write_text(SCHOOL_MAP + "77;5\n9;99\n", encoding="utf-8")
    _y1, y2 = write_years(tmp_path, (1, 2))
    results = year_results(3)
    results.dynamics = compare_years(
        results, read_previous([y2], "test", "2025/2026 учебный год"), read_school_map(tmp_path / "map.csv")
    )
    assert results.dynamics.unused_map == ["77 → 5", "9 → 99"]  # no 77 last year, no 99 this year
    assert {c.code: c.previous_codes for c in results.dynamics.schools}["5"] == ["5", "6"]
    assert [g.code for g in results.dynamics.gone_schools] == ["9"]


# --------------------------------------------------------------------------- forms with last year's values


def test_reading_ignores_the_previous_column_whatever_it_holds(tmp_path):
    """A school typing numbers into «Прошлый год» changes nothing that is read."""
    config = default_config()
    fields, values = typical_school("0101", "Школа № 1")
    plain = fill_form(tmp_path / "plain.xlsx", config, fields, values)
    shown = {ind.code: "999" for ind in config.indicators()}
    template = write_form(config, tmp_path / "blank.xlsx", previous=PreviousValues("2024/2025", shown))
    path = fill_form(tmp_path / "with.xlsx", config, fields, values, template=template)
    book = load_workbook(path)
    sheet = book[layout.SHEET_INDICATORS]
    column = len(layout.INDICATOR_COLUMNS) + 1
    assert sheet.cell(layout.INDICATOR_HEADER_ROW, column).value == "Прошлый год (2024/2025)"
    for row in range(layout.INDICATOR_HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row, 1).value:
            assert sheet.cell(row, column).value == "999"
            assert sheet.cell(row, column).protection.locked  # read-only on a protected sheet
            sheet.cell(row, column).value = 12345  # as if a school unprotected the sheet and typed
    book.save(path)
    before, after = read_form(plain, config, "plain.xlsx"), read_form(path, config, "with.xlsx")
    assert isinstance(before, RawForm) and isinstance(after, RawForm)

    def read(form: RawForm) -> dict:
        return {
            (code, role): cell.value
            for code, cells in form.indicators.items()
            for role, cell in cells.items()
        }

    assert read(after) == read(before)
    assert {k: c.value for k, c in after.fields.items()} == {k: c.value for k, c in before.fields.items()}
    assert after.unknown_codes == [] and after.duplicate_codes == []


def test_form_with_previous_values_for_every_registry_school(tmp_path):
    write_years(tmp_path / "years", (1, 2))
    (tmp_path / "indicators.yaml").write_text(year_yaml(3), encoding="utf-8")
    (tmp_path / "map.csv").write_text(SCHOOL_MAP, encoding="utf-8")
    (tmp_path / "registry.csv").write_text(
        "Код ОО;Наименование\n40;Школа 40\n5;Школа 5\n7;Школа 7\n", encoding="utf-8"
    )
    args = ["form", "-c", str(tmp_path / "indicators.yaml"), "--schools", str(tmp_path / "registry.csv")]
    args += [
        "--previous",
        str(tmp_path / "years"),
        "--school-map",
        str(tmp_path / "map.csv"),
        "-o",
        str(tmp_path / "forms"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output

    def shown(code: str) -> tuple[str, dict[str, str]]:
        sheet = load_workbook(tmp_path / "forms" / f"{code}.xlsx")[layout.SHEET_INDICATORS]
        column = len(layout.INDICATOR_COLUMNS) + 1
        rows = range(layout.INDICATOR_HEADER_ROW + 1, sheet.max_row + 1)
        return sheet["A2"].value, {
            sheet.cell(r, 1).value: sheet.cell(r, column).value for r in rows if sheet.cell(r, 1).value
        }

    note, renamed = shown("40")  # school 4 last year (2024/2025, the latest given)
    assert renamed == {"S": f"30,0{NB}% (3 из 10)", "C": f"2{NB}ед.", "Y": "да", "N": "2"}
    assert "значения, которые ОО указала в 2024/2025" in note
    note, merged = shown("5")  # schools 5 and 6: shares pooled, the rest cannot be one school's
    assert merged == {"S": f"20,0{NB}% (4 из 20)", "C": "—", "Y": "—", "N": "—"}
    assert "объединённых ОО (5, 6)" in note
    note, new = shown("7")
    assert set(new.values()) == {"—"} and "ОО не было в рейтинге мониторинга" in note


def test_a_new_indicator_says_so_in_the_form(tmp_path):
    write_years(tmp_path / "years", (1,))
    (tmp_path / "indicators.yaml").write_text(year_yaml(2), encoding="utf-8")
    (tmp_path / "registry.csv").write_text("Код ОО;Наименование\n2;Школа 2\n", encoding="utf-8")
    args = ["form", "-c", str(tmp_path / "indicators.yaml"), "--schools", str(tmp_path / "registry.csv")]
    result = CliRunner().invoke(
        main, [*args, "--previous", str(tmp_path / "years"), "-o", str(tmp_path / "forms")]
    )
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "forms" / "2.xlsx")[layout.SHEET_INDICATORS]
    values = {
        row[0]: row[-1]
        for row in sheet.iter_rows(min_row=layout.INDICATOR_HEADER_ROW + 1, values_only=True)
        if row[0]
    }
    # C's bands changed, but its values compare; N did not exist
    assert values == {"S": f"10,0{NB}% (2 из 20)", "C": f"0{NB}ед.", "Y": "нет", "N": "новый показатель"}


def test_previous_values_need_the_registry(tmp_path):
    result = CliRunner().invoke(
        main, ["form", "-o", str(tmp_path / "f.xlsx"), "--previous", str(REPO / "samples" / "years")]
    )
    assert result.exit_code == 2
    assert "вместе с --schools" in result.stderr


# --------------------------------------------------------------------------- the sample years


def test_sample_years_are_reproducible_and_up_to_date(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_years", REPO / "samples" / "years" / "make_years.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_years", module)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    committed = REPO / "samples" / "years"
    for name in (
        "school-map.csv",
        "2023-2024/svod.csv",
        "2023-2024/indicators.yaml",
        "2024-2025/svod.csv",
        "2024-2025/indicators.yaml",
    ):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
    for year in ("2023-2024", "2024-2025"):
        fresh = json.loads((tmp_path / year / "results.json").read_text(encoding="utf-8"))
        kept = json.loads((committed / year / "results.json").read_text(encoding="utf-8"))
        fresh.pop("tool_version"), kept.pop("tool_version")  # a new version alone must not make them stale
        # computed here, committed from another machine: floats agree to nine digits (close.py)
        assert_close(
            fresh, kept, f"samples/years is out of date: run python samples/years/make_years.py ({year})"
        )
    assert kept["dynamics"]["previous"] == "2023/2024 учебный год"  # 2024/2025 carries the series
