"""The school's form: written by form.py, read back with openpyxl as Excel would see it."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from tools.formfill import fill_workbook, locate_inputs

from vosp_monitor.cli import main
from vosp_monitor.config import parse_config
from vosp_monitor.form import (
    INPUT_FILL,
    FormError,
    registry_prefill,
    write_form,
    write_prefilled_forms,
)
from vosp_monitor.ingest.registry import RegistryEntry
from vosp_monitor.outputs import MANIFEST_NAME
from workbooks import blank_form_bytes, default_config, fill_form, typical_school

REPO = Path(__file__).resolve().parents[1]
GENERATED = dt.date(2026, 5, 20)

LONG_OPTIONS = [
    "Вариант первый: мероприятия не проводились, план работы отсутствует, ответственный не назначен",
    "Вариант второй: мероприятия проводились эпизодически, план работы есть, но не утверждён приказом",
    "Вариант третий: мероприятия проводятся по утверждённому плану, результаты анализируются на педсовете",
]

# Three levels of blocks (A → A1 → A11) and every indicator type.
EVERY_TYPE_YAML = f"""
monitoring:
  id: test-monitoring
  title: "Тестовый мониторинг"
  authority: "Управление образования"
  period: "2025/2026 учебный год"
  form_version: "2.1"
  instructions: |
    1. Заполните жёлтые ячейки.
       Продолжение первого пункта.
    2. Сохраните файл.
school_fields:
  - {{key: code, label: "Код ОО", type: text, role: key}}
  - {{key: name, label: "Наименование ОО", type: text, role: name}}
  - {{key: kind, label: "Тип ОО", type: choice, role: group, choices: ["Школа", "Гимназия"]}}
  - {{key: students, label: "Обучающихся, чел.", type: integer, role: contingent, min: 1, max: 3000}}
  - {{key: area, label: "Площадь, кв. м", type: number, min: 0.5, max: 99999.5, required: false}}
  - {{key: has_site, label: "Есть сайт", type: yesno, required: false}}
  - {{key: filled_on, label: "Дата заполнения", type: date, required: false}}
blocks:
  - id: A
    title: "Направление А"
    blocks:
      - id: A1
        title: "Подраздел А.1"
        blocks:
          - id: A11
            title: "Пункт А.1.1"
            indicators:
              - code: S-1
                title: "Доля с вводимым знаменателем"
                type: share
                unit: "%"
                numerator: "Число удовлетворённых"
                denominator: "Число опрошенных"
                scoring: {{method: linear, low: 0, high: 100}}
              - code: S-2
                title: "Доля от обучающихся"
                hint: "Каждый обучающийся учитывается один раз"
                type: share
                unit: "%"
                numerator: "Число участников"
                denominator_field: students
                scoring: {{method: linear, low: 0, high: 100}}
          - id: A12
            title: "Пункт А.1.2"
            indicators:
              - code: C-1
                title: "Количество мероприятий"
                type: count
                min: 0
                max: 40
                scoring:
                  method: bands
                  bands: [{{from: 0, to: 1, points: 0}}, {{from: 1, to: null, points: 1}}]
      - id: A2
        title: "Подраздел А.2"
        indicators:
          - {{code: N-1, title: "Число с дробной частью", type: number, min: -5, max: 12.5, scoring: {{method: minmax}}}}
          - {{code: P-1, title: "Процент, вводимый школой", type: percent, scoring: {{method: target}}, target: 80}}
  - id: B
    title: "Направление Б"
    indicators:
      - {{code: Y-1, title: "Да или нет", type: yesno}}
      - code: CH-1
        title: "Выбор варианта"
        type: choice
        options:
          - {{label: "{LONG_OPTIONS[0]}", points: 0}}
          - {{label: "{LONG_OPTIONS[1]}", points: 1}}
          - {{label: "{LONG_OPTIONS[2]}", points: 2}}
      - {{code: M-1, title: "Экспертная оценка", type: mark, max_mark: 5}}
"""


@pytest.fixture(scope="module")
def every_type_config():
    return parse_config(EVERY_TYPE_YAML, "every-type.yaml")


@pytest.fixture(scope="module")
def every_type_form(tmp_path_factory, every_type_config):
    path = tmp_path_factory.mktemp("form") / "form.xlsx"
    write_form(every_type_config, path, generated=GENERATED)
    return load_workbook(path, rich_text=True)


@pytest.fixture(scope="module")
def default_form(tmp_path_factory):
    path = tmp_path_factory.mktemp("default") / "form.xlsx"
    write_form(default_config(), path, generated=GENERATED)
    return load_workbook(path)


def rows_by_code(sheet) -> dict[str, int]:
    return {row[0].value: row[0].row for row in sheet.iter_rows(min_row=5) if row[0].value}


def validation(sheet, coordinate: str):
    found = [dv for dv in sheet.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, f"{coordinate}: {len(found)} validations"
    return found[0]


def is_input(cell) -> bool:
    return cell.protection.locked is False and cell.fill.fgColor.rgb.endswith(INPUT_FILL)


# --------------------------------------------------------------------------- structure


def test_sheets_in_order_with_hidden_lists_and_stamp(every_type_form):
    assert every_type_form.sheetnames == ["Инструкция", "Сведения об ОО", "Показатели", "_lists", "_vosp"]
    states = {ws.title: ws.sheet_state for ws in every_type_form.worksheets}
    assert states == {
        "Инструкция": "visible",
        "Сведения об ОО": "visible",
        "Показатели": "visible",
        "_lists": "hidden",
        "_vosp": "hidden",
    }
    assert every_type_form.active.title == "Сведения об ОО"


def test_stamp_sheet_and_document_properties(every_type_form, every_type_config):
    stamp = every_type_form["_vosp"]
    assert [[c.value for c in row] for row in stamp.iter_rows()] == [
        ["form_id", "test-monitoring"],
        ["form_version", "2.1"],
        ["generated", "2026-05-20"],
        ["codes", "S-1,S-2,C-1,N-1,P-1,Y-1,CH-1,M-1"],
        ["fields", "code,name,kind,students,area,has_site,filled_on"],
        ["framework", every_type_config.form_fingerprint],
        ["period", "2025/2026 учебный год"],
    ]
    props = {p.name: p.value for p in every_type_form.custom_doc_props}
    assert props == {"vosp_form_id": "test-monitoring", "vosp_form_version": "2.1"}


def test_instructions_sheet_from_config(every_type_form):
    texts = [c.value for c in every_type_form["Инструкция"]["A"] if c.value]
    assert texts[0] == "Тестовый мониторинг"
    assert "Период: 2025/2026 учебный год" in texts
    assert any("Версия формы: 2.1" in t for t in texts)
    # A continuation line joins its numbered item.
    assert "1. Заполните жёлтые ячейки. Продолжение первого пункта." in texts
    assert any(t.startswith("Жёлтые ячейки") for t in texts)


def test_every_sheet_protected_without_password(every_type_form):
    for sheet in every_type_form.worksheets:
        assert sheet.protection.sheet is True, sheet.title
        assert not sheet.protection.password, sheet.title
    assert every_type_form.security.lockStructure is True
    assert not every_type_form.security.workbookPassword


def test_print_settings_and_frozen_header(every_type_form):
    indicators = every_type_form["Показатели"]
    assert int(indicators.page_setup.paperSize) == 9  # A4
    assert indicators.page_setup.orientation == "landscape"
    assert indicators.sheet_properties.pageSetUpPr.fitToPage is True
    assert (indicators.page_setup.fitToWidth, indicators.page_setup.fitToHeight) == (1, 0)
    assert indicators.print_title_rows == "$4:$4"
    assert indicators.freeze_panes == "A5"
    assert indicators.column_dimensions["B"].width >= 40
    fields = every_type_form["Сведения об ОО"]
    assert fields.print_title_rows == "$3:$3"
    assert fields.freeze_panes == "A4"
    assert every_type_form["Инструкция"].page_setup.orientation == "portrait"


# --------------------------------------------------------------------------- «Показатели»


def test_indicator_header_and_block_rows_at_every_depth(every_type_form):
    sheet = every_type_form["Показатели"]
    assert [c.value for c in sheet[4]] == [
        "Код",
        "Показатель",
        "Единица",
        "Значение",
        "Числитель",
        "Знаменатель",
        "Комментарий / подтверждающий документ",
    ]
    column_a = [(row[0].value, str(row[1].value)) for row in sheet.iter_rows(min_row=5)]
    blocks = [title for code, title in column_a if code is None]
    assert blocks == [
        "1. Направление А",
        "1.1. Подраздел А.1",
        "1.1.1. Пункт А.1.1",
        "1.1.2. Пункт А.1.2",
        "1.2. Подраздел А.2",
        "2. Направление Б",
    ]
    codes = [code for code, _ in column_a if code is not None]
    assert codes == ["S-1", "S-2", "C-1", "N-1", "P-1", "Y-1", "CH-1", "M-1"]
    block_row = next(row for row in sheet.iter_rows(min_row=5) if row[1].value == "1.1.1. Пункт А.1.1")
    assert block_row[1].font.b is True
    assert block_row[1].fill.fill_type == "solid"


def test_share_with_entered_denominator(every_type_form):
    sheet = every_type_form["Показатели"]
    row = rows_by_code(sheet)["S-1"]
    value, numerator, denominator, comment = (sheet[f"{c}{row}"] for c in "DEFG")
    assert is_input(numerator) and is_input(denominator) and is_input(comment)
    assert value.protection.locked is True
    assert value.value == (f'=IF(AND(ISNUMBER(E{row}),ISNUMBER(F{row}),F{row}>0),E{row}/F{row}*100,"")')
    for cell, label in ((numerator, "Число удовлетворённых"), (denominator, "Число опрошенных")):
        dv = validation(sheet, cell.coordinate)
        assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert label in dv.prompt
        assert "целое число" in dv.error
        assert dv.showErrorMessage and dv.showInputMessage
    title = sheet[f"B{row}"].value
    assert "Числитель: Число удовлетворённых" in str(title)


def test_share_with_denominator_from_school_field(every_type_form):
    sheet = every_type_form["Показатели"]
    row = rows_by_code(sheet)["S-2"]
    assert is_input(sheet[f"E{row}"])
    denominator = sheet[f"F{row}"]
    assert denominator.value == "из сведений: Обучающихся, чел."
    assert denominator.protection.locked is True
    assert not any(f"F{row}" in dv.sqref for dv in sheet.data_validations.dataValidation)
    # The display percent refers to the field's input cell on «Сведения об ОО».
    students_row = next(c.row for c in every_type_form["Сведения об ОО"]["D"] if c.value == "students")
    assert f"'Сведения об ОО'!$B${students_row}" in sheet[f"D{row}"].value
    assert "Каждый обучающийся учитывается один раз" in str(sheet[f"B{row}"].value)


@pytest.mark.parametrize(
    ("code", "kind", "operator", "formula1", "formula2", "words"),
    [
        ("C-1", "whole", "between", "0", "40", "от 0 до 40"),
        ("N-1", "decimal", "between", "-5", "12.5", "от \u22125 до 12,5"),  # render.formatting.format_range
        ("P-1", "decimal", "between", "0", "100", "от 0 до 100"),
        ("M-1", "whole", "between", "0", "5", "от 0 до 5"),
    ],
)
def test_number_value_validations(every_type_form, code, kind, operator, formula1, formula2, words):
    sheet = every_type_form["Показатели"]
    row = rows_by_code(sheet)[code]
    cell = sheet[f"D{row}"]
    assert is_input(cell)
    assert sheet[f"E{row}"].protection.locked is True
    dv = validation(sheet, cell.coordinate)
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (kind, operator, formula1, formula2)
    assert words in dv.prompt and words in dv.error
    assert dv.promptTitle.startswith(code)
    assert dv.errorStyle == "stop"


def test_yes_no_is_an_inline_list(every_type_form):
    sheet = every_type_form["Показатели"]
    row = rows_by_code(sheet)["Y-1"]
    dv = validation(sheet, f"D{row}")
    assert (dv.type, dv.formula1) == ("list", '"да,нет"')
    assert "«да» или «нет»" in dv.prompt


def test_choice_list_comes_from_hidden_sheet(every_type_form):
    assert sum(len(o) for o in LONG_OPTIONS) > 255  # too long for an inline list
    sheet = every_type_form["Показатели"]
    row = rows_by_code(sheet)["CH-1"]
    dv = validation(sheet, f"D{row}")
    assert dv.type == "list"
    reference = dv.formula1
    assert reference.startswith("'_lists'!")
    cells = every_type_form["_lists"][reference.split("!")[1].replace("$", "")]
    assert [c[0].value for c in cells] == LONG_OPTIONS
    assert "раскрывающегося списка" in dv.prompt


def test_prompts_and_errors_are_russian_and_within_excel_limits(default_form):
    for sheet in default_form.worksheets:
        for dv in sheet.data_validations.dataValidation:
            assert len(dv.promptTitle or "") <= 32 and len(dv.errorTitle or "") <= 32
            assert len(dv.prompt or "") <= 255 and len(dv.error or "") <= 255
            assert any("а" <= ch <= "я" for ch in dv.prompt.lower()), dv.prompt


def test_every_input_cell_has_a_validation_and_nothing_else_is_unlocked(default_form):
    for title in ("Сведения об ОО", "Показатели"):
        sheet = default_form[title]
        unlocked = {c.coordinate for row in sheet.iter_rows() for c in row if c.protection.locked is False}
        validated = {str(cell) for dv in sheet.data_validations.dataValidation for cell in dv.sqref.ranges}
        assert unlocked == validated, title
    indicators = default_form["Показатели"]
    assert len(rows_by_code(indicators)) == len(default_config().indicators())
    # Code and title cells are locked and not highlighted.
    row = rows_by_code(indicators)["UPR-1"]
    assert indicators[f"A{row}"].protection.locked is True
    assert not indicators[f"B{row}"].fill.fgColor.rgb.endswith(INPUT_FILL)


# --------------------------------------------------------------------------- «Сведения об ОО»


def test_school_fields_rows_and_validations(every_type_form):
    sheet = every_type_form["Сведения об ОО"]
    assert [c.value for c in sheet[3]][:3] == ["Сведения", "Значение", "Пояснение"]
    assert sheet.column_dimensions["D"].hidden is True
    rows = {sheet[f"D{r}"].value: r for r in range(4, sheet.max_row + 1)}
    assert list(rows) == ["code", "name", "kind", "students", "area", "has_site", "filled_on"]
    assert sheet[f"A{rows['students']}"].value == "Обучающихся, чел."
    assert all(is_input(sheet[f"B{r}"]) for r in rows.values())
    assert sheet[f"B{rows['code']}"].number_format == "@"  # 0101 must stay text in Excel

    def dv(key):
        return validation(sheet, f"B{rows[key]}")

    assert (dv("code").type, dv("code").operator) == ("textLength", "lessThanOrEqual")
    assert "Обязательное поле" in dv("code").prompt
    assert (dv("students").type, dv("students").formula1, dv("students").formula2) == ("whole", "1", "3000")
    assert (dv("area").type, dv("area").formula1, dv("area").formula2) == ("decimal", "0.5", "99999.5")
    assert (dv("has_site").type, dv("has_site").formula1) == ("list", '"да,нет"')
    assert dv("kind").type == "list" and dv("kind").formula1.startswith("'_lists'!")
    assert dv("filled_on").type == "date"
    assert sheet[f"B{rows['filled_on']}"].number_format == "DD.MM.YYYY"
    assert "обязательно" in sheet[f"C{rows['students']}"].value
    assert "необязательно" in sheet[f"C{rows['area']}"].value
    assert "от 1 до 3000" in sheet[f"C{rows['students']}"].value


def test_prefill_writes_fields_and_keeps_formula_text_as_text(tmp_path, every_type_config):
    path = write_form(
        every_type_config,
        tmp_path / "pre.xlsx",
        {"code": "0101", "name": '=HYPERLINK("http://x","y")', "students": 250},
    )
    sheet = load_workbook(path)["Сведения об ОО"]
    values = {sheet[f"D{r}"].value: sheet[f"B{r}"] for r in range(4, sheet.max_row + 1)}
    assert values["code"].value == "0101"
    assert values["name"].value == '=HYPERLINK("http://x","y")'
    assert values["name"].data_type == "s"
    assert values["students"].value == 250
    assert values["kind"].value is None


def test_prefill_with_unknown_field_is_refused(tmp_path, every_type_config):
    with pytest.raises(FormError, match="нет полей: pupils"):
        write_form(every_type_config, tmp_path / "x.xlsx", {"pupils": 3})
    assert not (tmp_path / "x.xlsx").exists()


def test_same_date_gives_identical_bytes(tmp_path, every_type_config):
    first = write_form(every_type_config, tmp_path / "a.xlsx", {"code": "1"}, generated=GENERATED)
    second = write_form(every_type_config, tmp_path / "b.xlsx", {"code": "1"}, generated=GENERATED)
    assert first.read_bytes() == second.read_bytes()
    assert [p.name for p in tmp_path.iterdir()] != []
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporaries


# --------------------------------------------------------------------------- prefilled forms


def test_prefilled_forms_named_safely_from_codes(tmp_path, every_type_config):
    entries = [
        RegistryEntry("0101", "Школа № 1", (("Тип ОО", "гимназия"), ("Обучающихся, чел.", "1 250"))),
        RegistryEntry("../x", "Школа с опасным кодом"),
        RegistryEntry("CON", "Школа CON"),
        RegistryEntry("..\\x", "Ещё одна"),
    ]
    out = tmp_path / "forms"
    written = write_prefilled_forms(every_type_config, entries, out, generated=GENERATED)
    assert [p.name for p in written] == ["0101.xlsx", "_x.xlsx", "_CON.xlsx", "_x_2.xlsx"]
    assert all(p.parent == out for p in written)
    assert sorted(p.name for p in tmp_path.rglob("*.xlsx")) == sorted(p.name for p in written)
    sheet = load_workbook(written[0])["Сведения об ОО"]
    values = {sheet[f"D{r}"].value: sheet[f"B{r}"].value for r in range(4, sheet.max_row + 1)}
    assert values["code"] == "0101"
    assert values["name"] == "Школа № 1"
    assert values["kind"] == "Гимназия"  # matched to the choice, case-insensitive
    assert values["students"] == 1250
    dangerous = load_workbook(written[1])["Сведения об ОО"]
    assert dangerous["B4"].value == "../x"


def test_registry_prefill_skips_values_that_do_not_fit(every_type_config):
    entry = RegistryEntry(
        "7", "", (("Тип ОО", "колледж"), ("Обучающихся, чел.", "много"), ("Есть сайт", "Да"), ("Район", "x"))
    )
    assert registry_prefill(every_type_config, entry) == {"code": "7", "has_site": "да"}


# --------------------------------------------------------------------------- filling helpers


def test_fill_form_puts_values_where_a_reader_finds_them(tmp_path):
    config = default_config()
    fields, values = typical_school("0199", "Тестовая школа", students=120, **{"RES-5": (5, 3)})
    values["ROD-3"] = "72,5"
    values["UPR-4"] = "нет данных"
    values["KR-1"] = {"numerator": 4, "comment": "Удостоверения № 1–4"}
    path = fill_form(tmp_path / "f.xlsx", config, fields, values)
    workbook = load_workbook(path)
    cells = locate_inputs(workbook)
    assert cells.fields["students"].value == 120
    assert cells.fields["code"].value == "0199"
    res5 = cells.indicators["RES-5"]
    assert (res5["numerator"].value, res5["denominator"].value) == (5, 3)
    assert cells.indicators["ROD-3"]["value"].value == "72,5"
    assert cells.indicators["UPR-4"]["value"].value == "нет данных"
    assert cells.indicators["UPR-5"]["numerator"].value == 280
    assert cells.indicators["KR-1"]["comment"].value == "Удостоверения № 1–4"
    assert cells.indicators["KR-5"]["value"].value == "да"
    # The blank form is cached: the same bytes every time.
    assert blank_form_bytes(config) is blank_form_bytes(config)


def test_fill_finds_rows_after_they_were_moved():
    config = default_config()
    workbook = load_workbook(io.BytesIO(blank_form_bytes(config)))
    sheet = workbook["Показатели"]
    sheet.protection.sheet = False
    sheet.insert_rows(6, 2)
    sheet.insert_cols(4)  # a school added a column before «Значение»
    fill_workbook(workbook, config, {}, {"UPR-2": 3})
    row = next(r[0].row for r in sheet.iter_rows() if r[0].value == "UPR-2")
    assert sheet[f"E{row}"].value == 3


def test_fill_rejects_unknown_codes_and_fields(tmp_path):
    config = default_config()
    with pytest.raises(FormError, match="XYZ-1"):
        fill_form(tmp_path / "a.xlsx", config, {}, {"XYZ-1": 1})
    with pytest.raises(FormError, match="pupils"):
        fill_form(tmp_path / "b.xlsx", config, {"pupils": 1}, {})


# --------------------------------------------------------------------------- CLI


def test_cli_template_writes_default_form(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["form"])
    assert result.exit_code == 0, result.output
    assert "Форма записана: form.xlsx" in result.stdout
    assert load_workbook(tmp_path / "form.xlsx")["_vosp"]["B1"].value == "vospitanie-socializaciya"


def test_cli_template_with_config_and_output(tmp_path):
    config = tmp_path / "every.yaml"
    config.write_text(EVERY_TYPE_YAML, encoding="utf-8")
    target = tmp_path / "out" / "форма.xlsx"
    result = CliRunner().invoke(main, ["form", "-c", str(config), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "показателей: 8" in result.stdout
    assert load_workbook(target)["_vosp"]["B2"].value == "2.1"


def test_cli_template_with_registry_writes_one_form_per_school(tmp_path):
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "Код ОО;Наименование;Тип ОО;Местность\n0101;Школа № 1;Гимназия, лицей;город\n../x;Школа Икс;;село\n",
        encoding="cp1251",
    )
    out = tmp_path / "forms"
    result = CliRunner().invoke(main, ["form", "--schools", str(registry), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Записано форм: 2" in result.stdout
    assert "0101.xlsx — 0101 Школа № 1" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST_NAME, "0101.xlsx", "_x.xlsx"]
    sheet = load_workbook(out / "0101.xlsx")["Сведения об ОО"]
    assert [sheet[f"B{r}"].value for r in range(4, 8)] == ["0101", "Школа № 1", "Гимназия, лицей", "город"]


def test_cli_template_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["form", "-o", str(tmp_path / "form.txt")])
    assert result.exit_code == 1
    assert ".xlsx" in result.stderr
    result = runner.invoke(main, ["form", "--schools", str(tmp_path / "нет.csv"), "-o", str(tmp_path)])
    assert result.exit_code == 2  # a parameter file that is not there (issue 22)
    assert "не найден" in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("monitoring: {}\n", encoding="utf-8")
    result = runner.invoke(main, ["form", "-c", str(bad), "-o", str(tmp_path / "f.xlsx")])
    assert result.exit_code == 1
    assert "Ошибка: ошибки в файле показателей" in result.stderr
    assert not (tmp_path / "f.xlsx").exists()


# --------------------------------------------------------------------------- samples


def test_samples_are_reproducible_and_up_to_date(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_samples", REPO / "samples" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_samples", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    module.main(tmp_path)
    generated = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert len([n for n in generated if n.startswith("forms/") and n.endswith(".xlsx")]) == 24
    assert [n for n in generated if n.startswith("forms/") and not n.endswith(".xlsx")] == []  # forms only
    stale = [
        name
        for name in generated
        if hashlib.sha256((tmp_path / name).read_bytes()).digest()
        != hashlib.sha256((REPO / "samples" / name).read_bytes()).digest()
    ]
    assert stale == [], "samples/ is out of date: run python samples/make_samples.py"
    registry = (tmp_path / "registry.csv").read_bytes()
    assert registry.startswith("\ufeffКод ОО;Наименование;Тип ОО;Местность".encode())
    assert registry.decode("utf-8-sig").count("\n") == 26  # header + 24 schools + 0125


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_form_and_keeps_the_stamp(tmp_path):
    source = fill_form(tmp_path / "school.xlsx", default_config(), *typical_school("0101", "Школа"))
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    workbook = load_workbook(out / "school.xlsx")
    assert workbook["_vosp"]["B1"].value == "vospitanie-socializaciya"
    assert workbook["_vosp"].sheet_state == "hidden"
    sheet = workbook["Показатели"]
    row = rows_by_code(sheet)["UPR-5"]
    assert sheet[f"E{row}"].value == 280
    assert sheet.protection.sheet is True


def test_config_text_that_looks_like_a_formula_stays_text(tmp_path):
    config = parse_config(EVERY_TYPE_YAML.replace('title: "Да или нет"', 'title: "=1+1 да или нет"'))
    sheet = load_workbook(write_form(config, tmp_path / "f.xlsx"))["Показатели"]
    title = sheet[f"B{rows_by_code(sheet)['Y-1']}"]
    assert str(title.value).startswith("=1+1 да или нет")
    assert title.data_type == "s"


# --------------------------------------------------------------------------- any text a cell can hold


HOSTILE_TEXTS = {
    "0101": "Школа\x0bс переносом из Word",  # Shift+Enter in text pasted from Word
    "01\x0102": "Школа \x01 с управляющим символом",
    "0103": "\x1b[31mКрасная\x1b[0m школа",  # ANSI escapes
    "0104": "Школа \u202eварп\u202c и \u200fRTL",  # bidi override and RTL mark
    "0105": "Школа 🏫 № 5",  # emoji
}


def test_cli_form_with_control_characters_in_the_registry(tmp_path):
    registry = tmp_path / "registry.csv"
    lines = ["Код ОО;Наименование;Тип ОО"] + [
        f"{code};{name};Гимназия\x0b, лицей" for code, name in HOSTILE_TEXTS.items()
    ]
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "forms"
    result = CliRunner().invoke(main, ["form", "--schools", str(registry), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Записано форм: 5" in result.stdout
    assert "\x1b" not in result.stdout and "\x0b" not in result.stdout and "\u202e" not in result.stdout
    written = sorted(p for p in out.iterdir() if p.suffix == ".xlsx")
    assert len(written) == 5
    names = []
    for path in written:
        sheet = load_workbook(path)["Сведения об ОО"]
        values = {sheet[f"D{r}"].value: sheet[f"B{r}"].value for r in range(4, sheet.max_row + 1)}
        names.append(values["name"])
        assert not any(ch in values["name"] for ch in "\x01\x0b\x1b")
    assert "Школа\nс переносом из Word" in names  # the line break is kept as a line break
    assert "[31mКрасная[0m школа" in names
    assert "Школа \u202eварп\u202c и \u200fRTL" in names  # printable in a cell: kept as typed
    assert "Школа 🏫 № 5" in names


def test_config_texts_with_control_characters_are_written(tmp_path):
    config = parse_config(
        EVERY_TYPE_YAML.replace('title: "Да или нет"', 'title: "Да\\x0bили\\x01 нет"').replace(
            'hint: "Каждый обучающийся учитывается один раз"', 'hint: "Каждый\\x1b[1m обучающийся"'
        )
    )
    sheet = load_workbook(write_form(config, tmp_path / "f.xlsx"))["Показатели"]
    rows = rows_by_code(sheet)
    assert str(sheet[f"B{rows['Y-1']}"].value).startswith("Да\nили нет")
    assert "Каждый[1m обучающийся" in str(sheet[f"B{rows['S-2']}"].value)
