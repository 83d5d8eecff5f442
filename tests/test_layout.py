"""The layout is the one contract of the form: change it, and writing and reading follow together."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook

from vosp_monitor import layout
from vosp_monitor.form import write_form
from vosp_monitor.ingest import RawForm, read_form
from workbooks import default_config, fill_form, typical_school


def _renamed(columns: tuple[layout.Column, ...], role: str, header: str) -> tuple[layout.Column, ...]:
    return tuple(dataclasses.replace(c, header=header) if c.role == role else c for c in columns)


def test_renaming_headers_sheets_and_stamp_keys_changes_writing_and_reading_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = default_config()
    expected = fill_form(tmp_path / "before.xlsx", config, *typical_school("0101", "Школа"))
    before = read_form(expected, config, "before.xlsx")
    assert isinstance(before, RawForm)

    monkeypatch.setattr(layout, "SHEET_INDICATORS", "Индикаторы")
    monkeypatch.setattr(layout, "SHEET_FIELDS", "Данные ОО")
    monkeypatch.setattr(layout, "SHEET_STAMP", "_stamp")
    monkeypatch.setattr(layout, "STAMP_FORM_ID", "monitoring")
    monkeypatch.setattr(
        layout, "INDICATOR_COLUMNS", _renamed(layout.INDICATOR_COLUMNS, "value", "Ответ школы")
    )
    monkeypatch.setattr(layout, "INDICATOR_COLUMNS", _renamed(layout.INDICATOR_COLUMNS, "code", "Шифр"))
    monkeypatch.setattr(layout, "FIELD_COLUMNS", _renamed(layout.FIELD_COLUMNS, "value", "Ввод"))

    blank = write_form(config, tmp_path / "blank.xlsx")
    workbook = load_workbook(blank)
    assert workbook.sheetnames == ["Инструкция", "Данные ОО", "Индикаторы", "_lists", "_stamp"]
    headers = [c.value for c in workbook["Индикаторы"][layout.INDICATOR_HEADER_ROW]]
    assert headers[0] == "Шифр" and headers[3] == "Ответ школы"
    assert workbook["Данные ОО"][layout.FIELD_HEADER_ROW][1].value == "Ввод"
    assert "«Ввод»" in workbook["Данные ОО"]["A2"].value  # the texts that name a column follow too
    assert "«Ответ школы»" in workbook["Индикаторы"]["A2"].value
    assert workbook["_stamp"]["A1"].value == "monitoring"

    path = fill_form(tmp_path / "after.xlsx", config, *typical_school("0101", "Школа"), template=blank)
    after = read_form(path, config, "after.xlsx")
    assert isinstance(after, RawForm), after
    assert after.form_id == before.form_id == config.monitoring.id
    assert after.indicators["UPR-2"]["value"].sheet == "Индикаторы"
    assert after.fields["students"].sheet == "Данные ОО"
    flat = {
        (code, role): cell.value for code, cells in after.indicators.items() for role, cell in cells.items()
    }
    assert flat == {
        (code, role): cell.value for code, cells in before.indicators.items() for role, cell in cells.items()
    }
    assert {k: c.value for k, c in after.fields.items()} == {k: c.value for k, c in before.fields.items()}


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("Код", "code"),
        ("КОД ПОКАЗАТЕЛЯ:", "code"),
        ("Код ОО", None),  # a field's header, not the indicator code
        ("Значение показателя", "value"),
        ("  числитель* ", "numerator"),
        ("Знаменатель (чел.)", "denominator"),
        ("Комментарий", "comment"),
        ("Ссылка на подтверждающий документ", "comment"),
        ("Показатель", None),  # a column the reader does not take
        (42, None),
        ("Значение" + " " * 600, None),  # too long to be a header
    ],
)
def test_indicator_headers_are_recognised_the_way_schools_retype_them(
    header: object, role: str | None
) -> None:
    assert layout.role_of(layout.INDICATOR_COLUMNS, header, layout.INDICATOR_INPUT_ROLES) == role


def test_sheets_are_recognised_by_name_and_stem() -> None:
    assert layout.is_sheet("Показатели (2)", layout.SHEET_INDICATORS)
    assert layout.is_sheet("  показатель ", layout.SHEET_INDICATORS)
    assert layout.is_sheet("СВЕДЕНИЯ об ОО", layout.SHEET_FIELDS)
    assert not layout.is_sheet("Инструкция", layout.SHEET_INDICATORS)
    assert layout.is_service_sheet("_VOSP") and layout.is_service_sheet("_lists")
    assert not layout.is_service_sheet("Показатели")


def test_normalise_header_ignores_case_spacing_yo_and_trailing_marks() -> None:
    assert layout.normalise_header("  Ёмкость   зала:* ") == "емкость зала"
    long = "А" * (layout.HEADER_TEXT_LIMIT + 1)
    assert layout.normalise_header(long) == "а" * (layout.HEADER_TEXT_LIMIT + 1)  # long texts too, uncached


def test_header_tuples_of_main_are_still_importable_and_derived() -> None:
    from vosp_monitor.layout import FIELD_HEADERS, INDICATOR_HEADERS

    assert (
        INDICATOR_HEADERS[0] == "Код" and INDICATOR_HEADERS[3] == "Значение" and len(INDICATOR_HEADERS) == 7
    )
    assert FIELD_HEADERS == ("Сведения", "Значение", "Пояснение")
