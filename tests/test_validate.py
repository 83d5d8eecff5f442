"""Each rule of issue 3, item 4, on real workbooks written by the form writer and read by ingest.

Problems are asserted as (code, cell, indicator) tuples; cell addresses come from the
blank form itself (found the way a reader finds them), so the tests do not hard-code rows.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vosp_monitor.config import Config, parse_config
from vosp_monitor.ingest import RawCell, RawForm, read_form
from vosp_monitor.ingest.registry import RegistryEntry
from vosp_monitor.pipeline.collecting import attach_problems
from vosp_monitor.problems import Consequence, Severity
from vosp_monitor.validate import check_batch, check_submission
from vosp_monitor.validate.submission import EntryStatus, Normalisation, Submission
from workbooks import blank_form_bytes, default_config, fill_form, typical_school

F, P = "Сведения об ОО", "Показатели"


_CELLS: dict[int, tuple[dict[str, str], dict[str, dict[str, str]]]] = {}


def _cells(config: Config) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Input cell addresses of the blank form, found the way a reader finds them."""
    from openpyxl import load_workbook
    from tools.formfill import locate_inputs

    if id(config) not in _CELLS:
        cells = locate_inputs(load_workbook(io.BytesIO(blank_form_bytes(config))))
        _CELLS[id(config)] = (
            {key: cell.coordinate for key, cell in cells.fields.items()},
            {
                code: {part: c.coordinate for part, c in parts.items()}
                for code, parts in cells.indicators.items()
            },
        )
    return _CELLS[id(config)]


def field_cell(key: str, config: Config | None = None) -> str:
    config = config or default_config()
    fields, _ = _cells(config)
    return fields.get(key) or fields[config.field(key).label]


def ind_cell(code: str, part: str = "value", config: Config | None = None) -> str:
    return _cells(config or default_config())[1][code][part]


def check(tmp_path: Path, config: Config | None = None, name: str = "0101.xlsx", **overrides) -> Submission:
    config = config or default_config()
    fields, values = typical_school(name.split(".")[0], "МБОУ «СОШ № 1»", **overrides)
    path = fill_form(tmp_path / name, config, fields, values)
    raw = read_form(path, config, name)
    assert isinstance(raw, RawForm), raw
    return check_submission(raw, config)


def found(sub: Submission) -> list[tuple[str, str, str]]:
    return [(p.code, p.cell, p.indicator) for p in sub.problems]


# --------------------------------------------------------------------------- a clean form


def test_typical_school_is_clean_and_values_are_in_scoring_units(tmp_path):
    sub = check(tmp_path)
    assert sub.problems == []
    assert (sub.school_code, sub.school_name, sub.excluded) == ("0101", "МБОУ «СОШ № 1»", False)
    assert sub.fields["students"] == 400.0
    entries = sub.indicators
    assert {e.status for e in entries.values()} == {EntryStatus.ok}
    assert entries["UPR-5"].value == pytest.approx(70.0)  # 280 / 400 pupils
    assert (entries["UPR-5"].numerator, entries["UPR-5"].denominator) == (280.0, 400.0)
    assert entries["RES-5"].value == pytest.approx(50.0)  # entered denominator
    assert entries["UPR-1"].value == 2.0  # the chosen option's points
    assert entries["KR-4"].value == 1.0
    assert entries["KR-5"].value == 1.0  # да
    assert entries["ROD-3"].value == 65.0
    assert (entries["UPR-5"].sheet, entries["UPR-5"].cell) == (P, ind_cell("UPR-5", "numerator"))


# --------------------------------------------------------------------------- school fields


def test_required_field_missing_excludes_the_school_once(tmp_path):
    sub = check(tmp_path, students=None)
    # shares over «students» are not reported again: the field's problem says it all
    assert found(sub) == [("field-missing", field_cell("students"), "")]
    assert sub.problems[0].sheet == F
    assert sub.problems[0].consequence == Consequence.school_excluded
    assert sub.excluded
    assert sub.indicators["UPR-5"].status == EntryStatus.invalid


def test_an_empty_reference_field_warns_and_the_school_stays(tmp_path):
    """Issue 12, item 6: the head and who filled the form in are for reference (role info)."""
    sub = check(tmp_path, head=None, filled_by=None)
    assert found(sub) == [
        ("field-missing", field_cell("head"), ""),
        ("field-missing", field_cell("filled_by"), ""),
    ]
    assert {(p.severity, p.consequence) for p in sub.problems} == {(Severity.warning, Consequence.none)}
    assert not sub.excluded and not sub.has_errors
    assert "head" not in sub.fields


def test_a_wrong_reference_value_warns_too_and_is_left_out(tmp_path):
    sub = check(tmp_path, filled_on="вчера")
    assert [(p.code, p.severity) for p in sub.problems] == [("field-type", Severity.warning)]
    assert not sub.excluded and "filled_on" not in sub.fields


def test_the_consequence_of_an_empty_field_is_set_per_field(tmp_path):
    from vosp_monitor.config import default_config_path

    text = default_config_path().read_text(encoding="utf-8")
    text = text.replace(
        '{key: head, label: "Руководитель ОО (ФИО)", type: text}',
        '{key: head, label: "Руководитель ОО (ФИО)", type: text, missing: error}',
    )
    config = parse_config(text)
    sub = check(tmp_path, config, head=None)
    assert [(p.code, p.severity, p.consequence) for p in sub.problems] == [
        ("field-missing", Severity.error, Consequence.school_excluded)
    ]
    assert sub.excluded


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("много", "field-type"),
        (12.5, "field-type"),
        ("12,5", "field-type"),
        (0, "field-range"),
        (6000, "field-range"),
    ],
)
def test_field_type_and_range(tmp_path, value, code):
    sub = check(tmp_path, students=value)
    assert found(sub)[0] == (code, field_cell("students"), "")
    assert sub.excluded


def test_field_choice_matched_loosely_and_noted(tmp_path):
    sub = check(tmp_path, school_type="средняя  школа", locality="Город")
    assert sub.problems == []
    assert sub.fields["school_type"] == "Средняя школа"


def test_field_choice_not_in_list(tmp_path):
    sub = check(tmp_path, school_type="Лицей")
    assert found(sub) == [("field-type", field_cell("school_type"), "")]
    assert "«Гимназия, лицей»" in sub.problems[0].message


def test_number_with_thousands_separator_in_a_field_is_noted(tmp_path):
    sub = check(tmp_path, students="1 200")
    assert sub.problems == []
    assert sub.fields["students"] == 1200.0
    assert sub.normalisations == [
        Normalisation("0101.xlsx", F, field_cell("students"), "students", "1 200", "1200")
    ]


# --------------------------------------------------------------------------- indicator values


@pytest.mark.parametrize(
    ("code", "typed", "problem"),
    [
        ("UPR-2", "2,5", "value-not-whole"),
        ("UPR-2", 4, "value-out-of-range"),  # max 3
        ("RES-6", -1, "value-negative"),
        ("UPR-4", "много", "value-not-number"),
        ("UPR-4", "8 шт.", "value-not-number"),
        ("UPR-3", None, "value-missing"),
        ("ROD-3", 130, "value-out-of-range"),
        ("ROD-3", "30 % ", None),
        ("KR-7", 4, "value-out-of-range"),  # max_mark 3
        ("KR-7", "1,5", "value-not-whole"),
        ("UPR-1", "2", "value-not-option"),  # the option number is not guessed
        ("UPR-1", "Программа есть", "value-not-option"),
        ("KR-5", "может быть", "value-not-yesno"),
        ("KR-6", "#ДЕЛ/0!", "value-error-cell"),
        ("KR-6", "#N/A", "value-error-cell"),
    ],
)
def test_indicator_value_rules(tmp_path, code, typed, problem):
    sub = check(tmp_path, **{code: typed})
    if problem is None:
        assert sub.problems == []
        return
    assert found(sub) == [(problem, ind_cell(code), code)]
    assert sub.problems[0].consequence == Consequence.school_excluded  # missing: error
    assert sub.indicators[code].status == EntryStatus.invalid
    assert sub.excluded


def test_messages_show_what_was_typed(tmp_path):
    sub = check(tmp_path, **{"UPR-2": "2,5"})
    problem = sub.problems[0]
    assert problem.value == "2,5"
    assert problem.message == "Показатель UPR-2: введено 2,5, ожидалось целое число"
    assert problem.school == "0101"
    assert problem.file == "0101.xlsx"


def test_formula_without_cached_value(tmp_path):
    sub = check(tmp_path, **{"KR-6": "=2+2"})  # openpyxl never calculates formulas
    assert found(sub) == [("value-formula-no-cache", ind_cell("KR-6"), "KR-6")]


def test_yes_no_words(tmp_path):
    assert check(tmp_path, **{"KR-5": "Нет"}).indicators["KR-5"].value == 0.0
    sub = check(tmp_path, **{"KR-5": "+"})
    assert sub.indicators["KR-5"].value == 1.0
    assert [(n.original, n.read_as) for n in sub.normalisations] == [("+", "да")]


def test_choice_typed_with_other_quotes_and_case(tmp_path):
    label = default_config().indicator("KR-4").options[3].label
    sub = check(tmp_path, **{"KR-4": label.upper() + "."})
    assert sub.problems == []
    assert sub.indicators["KR-4"].value == 3.0
    assert sub.normalisations[0].read_as == label


def test_normalisations_record_the_original_text(tmp_path):
    sub = check(tmp_path, **{"ROD-3": "65,5", "UPR-4": " 8 ", "RES-1": "180"})
    assert sub.problems == []
    assert [(n.cell, n.target, n.original, n.read_as) for n in sub.normalisations] == [
        (ind_cell("ROD-3"), "ROD-3", "65,5", "65,5")
    ]


# --------------------------------------------------------------------------- shares


def test_numerator_above_denominator(tmp_path):
    sub = check(tmp_path, **{"ROD-5": (250, 200)})
    assert found(sub) == [("numerator-above-denominator", ind_cell("ROD-5", "numerator"), "ROD-5")]
    assert "250" in sub.problems[0].message and "200" in sub.problems[0].message


def test_share_above_100_percent_of_a_field(tmp_path):
    sub = check(tmp_path, **{"UPR-5": 401})  # 401 of 400 pupils
    assert found(sub) == [("numerator-above-denominator", ind_cell("UPR-5", "numerator"), "UPR-5")]


def test_denominator_zero_is_an_error(tmp_path):
    sub = check(tmp_path, **{"ROD-5": (0, 0)})
    assert found(sub) == [("denominator-zero", ind_cell("ROD-5", "denominator"), "ROD-5")]
    assert sub.excluded


@pytest.mark.parametrize("numerator", [0, None])
def test_zero_denominator_means_not_applicable_under_that_policy(tmp_path, numerator):
    """RES-5 when nobody was on the register: not applicable, no problem (documented)."""
    sub = check(tmp_path, **{"RES-5": (numerator, 0)})
    assert sub.problems == []
    assert sub.indicators["RES-5"].status == EntryStatus.not_applicable
    assert sub.indicators["RES-5"].value is None
    assert not sub.excluded


def test_zero_denominator_field_under_not_applicable(tmp_path):
    sub = check(tmp_path, class_teachers=0, **{"KR-2": 0, "KR-3": 0})
    assert sub.problems == []
    assert sub.indicators["KR-2"].status == EntryStatus.not_applicable


def test_numerator_with_zero_denominator_is_still_wrong(tmp_path):
    sub = check(tmp_path, **{"RES-5": (2, 0)})
    assert found(sub) == [("numerator-above-denominator", ind_cell("RES-5", "numerator"), "RES-5")]
    assert sub.problems[0].consequence == Consequence.school_excluded  # a wrong value, not an absent one
    assert sub.indicators["RES-5"].status == EntryStatus.invalid
    assert sub.excluded


@pytest.mark.parametrize(
    ("invalid_value", "consequence", "status"),
    [
        ("error", Consequence.school_excluded, EntryStatus.invalid),
        ("zero", Consequence.indicator_zero, EntryStatus.zero),
        ("not_applicable", Consequence.indicator_excluded, EntryStatus.not_applicable),
    ],
)
def test_a_wrong_value_has_one_consequence_for_every_indicator(tmp_path, invalid_value, consequence, status):
    """Issue 12, item 6: numerator > denominator in RES-5 (missing: not_applicable) and in ROD-5
    (missing: error) does the same thing, the one validation.invalid_value says."""
    from vosp_monitor.config import default_config_path

    text = default_config_path().read_text(encoding="utf-8")
    text = text.replace("  invalid_value: error\n", f"  invalid_value: {invalid_value}\n")
    config = parse_config(text)
    assert config.validation.invalid_value == invalid_value
    sub = check(tmp_path, config, **{"RES-5": (5, 3), "ROD-5": (9, 4)})
    assert sorted(p.indicator for p in sub.problems) == ["RES-5", "ROD-5"]
    assert {p.code for p in sub.problems} == {"numerator-above-denominator"}
    assert {p.consequence for p in sub.problems} == {consequence}
    assert sub.indicators["RES-5"].status == sub.indicators["ROD-5"].status == status
    assert sub.excluded is (invalid_value == "error")


def test_an_indicator_may_set_its_own_consequence_of_a_wrong_value(tmp_path):
    sub = check(tmp_path, variant_config(), **{"UPR-4": -3, "ROD-5": (9, 4)})
    by_indicator = {p.indicator: p.consequence for p in sub.problems}
    assert by_indicator == {"UPR-4": Consequence.indicator_zero, "ROD-5": Consequence.school_excluded}


def test_missing_value_under_not_applicable_excludes_only_the_indicator(tmp_path):
    sub = check(tmp_path, **{"KR-2": None})
    assert found(sub) == [("value-missing", ind_cell("KR-2", "numerator"), "KR-2")]
    assert sub.problems[0].severity == Severity.error
    assert sub.problems[0].consequence == Consequence.indicator_excluded
    assert sub.indicators["KR-2"].status == EntryStatus.not_applicable
    assert not sub.excluded


# --------------------------------------------------------------------------- a config variant


@functools.cache
def variant_config() -> Config:
    """The default config with a zero policy, a numerator limit and a warning-level check."""
    from vosp_monitor.config import default_config_path

    text = default_config_path().read_text(encoding="utf-8")
    text = text.replace(
        '        numerator: "Число ответов «полностью удовлетворён» и «скорее удовлетворён»"\n',
        '        numerator: "Число ответов «полностью удовлетворён» и «скорее удовлетворён»"\n'
        "        numerator_within: families\n",
    )
    text = text.replace(
        "        max: 100\n        scoring:\n          method: bands\n          bands:\n"
        "            - {from: 0, to: 5, points: 0}",
        "        max: 100\n        missing: zero\n        invalid: zero\n        scoring:\n          method: bands\n          bands:\n"
        "            - {from: 0, to: 5, points: 0}",
    )
    text = text.replace(
        "checks:\n",
        'checks:\n  - rule: "UPR-3 <= UPR-4"\n    message: "решений больше, чем партнёров — проверьте"\n'
        "    severity: warning\n",
    )
    config = parse_config(text)
    assert config.indicator("UPR-4").missing.value == "zero"
    assert config.indicator("UPR-4").invalid == "zero"
    assert config.indicator("ROD-5").numerator_within == "families"
    return config


def test_invalid_policy_zero(tmp_path):
    config = variant_config()
    sub = check(tmp_path, config, **{"UPR-4": "много"})
    assert found(sub) == [("value-not-number", ind_cell("UPR-4", config=config), "UPR-4")]
    assert sub.problems[0].consequence == Consequence.indicator_zero
    assert sub.indicators["UPR-4"].status == EntryStatus.zero
    assert not sub.excluded


def test_missing_policy_zero(tmp_path):
    config = variant_config()
    sub = check(tmp_path, config, **{"UPR-4": None})
    assert found(sub) == [("value-missing", ind_cell("UPR-4", config=config), "UPR-4")]
    assert sub.problems[0].consequence == Consequence.indicator_zero
    assert sub.indicators["UPR-4"].status == EntryStatus.zero
    assert not sub.excluded


def test_numerator_within_a_field(tmp_path):
    config = variant_config()
    sub = check(tmp_path, config, families=140, **{"ROD-2": 100, "ROD-5": (150, 200)})
    assert found(sub) == [("numerator-above-contingent", ind_cell("ROD-5", "numerator", config), "ROD-5")]
    assert "«Число семей обучающихся» (140)" in sub.problems[0].message


def test_warning_level_check_changes_nothing(tmp_path):
    config = variant_config()
    sub = check(tmp_path, config, **{"UPR-3": 9, "UPR-4": 8})
    assert [(p.code, p.severity) for p in sub.problems] == [("check-failed", Severity.warning)]
    assert not sub.excluded


# --------------------------------------------------------------------------- cross-field checks


def test_cross_field_check_excludes_the_school(tmp_path):
    sub = check(tmp_path, class_teachers=40, **{"KR-2": 12, "KR-3": 13})  # 40 > 32 teachers
    assert found(sub) == [("check-failed", field_cell("class_teachers"), "")]
    problem = sub.problems[0]
    assert problem.message.startswith("Не выполнено условие «классных руководителей не может быть больше")
    assert "class_teachers = 40" in problem.message and "teachers = 32" in problem.message
    assert problem.consequence == Consequence.school_excluded
    assert sub.excluded


def test_check_on_indicator_parts(tmp_path):
    config = variant_config()  # adds «UPR-3 <= UPR-4»: a warning
    sub = check(tmp_path, config, **{"UPR-3": 9, "UPR-4": 8})
    assert found(sub) == [("check-failed", ind_cell("UPR-3", config=config), "UPR-3")]
    assert "UPR-3 = 9, UPR-4 = 8" in sub.problems[0].message


# --------------------------------------------------------------------------- the form itself


def _edit(path: Path, edit) -> Path:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    edit(workbook)
    workbook.save(path)
    return path


def _read(path: Path, config: Config | None = None) -> Submission:
    config = config or default_config()
    raw = read_form(path, config, path.name)
    assert isinstance(raw, RawForm), raw
    return check_submission(raw, config)


def _filled(tmp_path: Path, **overrides) -> Path:
    return fill_form(tmp_path / "0101.xlsx", default_config(), *typical_school("0101", "Школа", **overrides))


def test_unknown_code_and_missing_row(tmp_path):
    path = _filled(tmp_path)
    row = int(ind_cell("KR-7")[1:])

    def edit(workbook):
        sheet = workbook[P]
        sheet.cell(row=row, column=1, value="KR-99")  # KR-7 renamed: unknown code, missing row

    sub = _read(_edit(path, edit))
    assert [(p.code, p.indicator, p.severity) for p in sub.problems] == [
        ("indicator-row-missing", "KR-7", Severity.error),
        ("indicator-unknown", "", Severity.warning),
    ]
    assert sub.problems[1].value == "KR-99"
    assert sub.problems[1].cell == f"A{row}"


def test_thousands_of_one_warning_are_twenty_and_a_count(tmp_path):
    """A form with 4,000 rows of unknown codes gave 4,000 warnings, burying its one error."""
    path = _filled(tmp_path, **{"UPR-4": "нет данных"})
    last = 0

    def edit(workbook):
        nonlocal last
        sheet = workbook[P]
        last = sheet.max_row
        for k in range(1, 4001):
            sheet.cell(row=last + k, column=1, value=f"XX-{k}")

    sub = _read(_edit(path, edit))
    codes = [p.code for p in sub.problems]
    assert codes.count("indicator-unknown") == 20 and "value-not-number" in codes
    (folded,) = [p for p in sub.problems if p.code == "warnings-repeated"]
    assert (
        folded.message
        == "Ещё 3980 предупреждений «Неизвестный код показателя» (indicator-unknown) в этом файле не показаны"
    )


def test_older_form_version(tmp_path):
    path = _edit(_filled(tmp_path), lambda wb: wb["_vosp"].cell(row=2, column=2, value="0.9"))
    sub = _read(path)
    assert [(p.code, p.severity) for p in sub.problems] == [("form-old-version", Severity.warning)]
    assert "версии 0.9" in sub.problems[0].message
    assert "перечень показателей не изменился" in sub.problems[0].message


def test_older_form_version_names_the_differences():
    config = default_config()
    codes = [ind.code for ind in config.indicators()]
    raw = RawForm(
        file="a.xlsx", form_id=config.monitoring.id, form_version="0.9", stamp_codes=[*codes[:-1], "OLD-1"]
    )
    sub = check_submission(raw, config)
    message = next(p.message for p in sub.problems if p.code == "form-old-version")
    assert "в форме нет показателей KR-7" in message
    assert "OLD-1" in message


def test_form_of_another_monitoring(tmp_path):
    path = _edit(_filled(tmp_path), lambda wb: wb["_vosp"].cell(row=1, column=2, value="other-monitoring"))
    sub = _read(path)
    assert [(p.code, p.severity, p.consequence) for p in sub.problems] == [
        ("form-other-monitoring", Severity.error, Consequence.school_excluded)
    ]
    assert sub.excluded
    assert sub.school_code == "0101"


def test_form_without_stamp_is_recognised_by_headers(tmp_path):
    path = _edit(_filled(tmp_path), lambda wb: wb.remove(wb["_vosp"]))
    sub = _read(path)
    assert [(p.code, p.severity) for p in sub.problems] == [("form-recognised-by-headers", Severity.warning)]
    assert not sub.excluded


# --------------------------------------------------------------------------- hand-built cells


def test_cells_only_some_readers_see():
    """Error values, uncalculated formulas and percent formats as RawCell flags."""
    config = default_config()
    raw = RawForm(file="x.xlsx", form_id=config.monitoring.id, form_version=config.monitoring.form_version)
    raw.indicators = {
        "ROD-3": {"value": RawCell(P, "D20", 0.65, percent_format=True)},
        "KR-6": {"value": RawCell(P, "D27", None, error="#REF!")},
        "KR-7": {"value": RawCell(P, "D28", "", formula_without_value=True)},
    }
    sub = check_submission(raw, config)
    codes = {(p.code, p.cell, p.indicator) for p in sub.problems}
    assert ("value-error-cell", "D27", "KR-6") in codes
    assert ("value-formula-no-cache", "D28", "KR-7") in codes
    assert sub.indicators["ROD-3"].value == pytest.approx(65.0)
    assert [(n.original, n.read_as) for n in sub.normalisations] == [("0,65 (ячейка в формате %)", "65")]


# --------------------------------------------------------------------------- across submissions


def _subs(n: int, **per_school) -> list[Submission]:
    """n clean hand-built submissions (fast) with RES-6 values per school."""
    config = default_config()
    out = []
    for i in range(n):
        code = f"01{i:02d}"
        raw = RawForm(
            file=f"{code}.xlsx", form_id=config.monitoring.id, form_version=config.monitoring.form_version
        )
        sub = check_submission(raw, config)  # every row missing: rebuild indicators by hand below
        sub.problems.clear()
        sub.school_code = code
        sub.field_cells["code"] = f"{F}!B4"
        for entry in sub.indicators.values():
            entry.status, entry.value = EntryStatus.ok, 1.0
        sub.indicators["RES-6"].value = float(per_school.get(code, i % 4))
        sub.indicators["RES-6"].sheet, sub.indicators["RES-6"].cell = P, "D16"
        out.append(sub)
    return out


def test_duplicate_school_code_excludes_both_files():
    subs = _subs(3)
    subs[2].school_code = "0100"
    subs[2].file = "папка/0100 (2).xlsx"
    problems, _ = check_batch(subs, default_config())
    assert [(p.code, p.file, p.cell) for p in problems] == [
        ("school-duplicate", "0100.xlsx", "B4"),
        ("school-duplicate", "папка/0100 (2).xlsx", "B4"),
    ]
    assert "0100.xlsx и папка/0100 (2).xlsx" in problems[0].message
    assert all(s.problems == [] for s in subs)  # check_batch changes nothing
    assert attach_problems(subs, problems) == []
    assert subs[0].excluded and subs[2].excluded and not subs[1].excluded
    assert subs[0].problems == [problems[0]]


def test_outlier_warning_only_with_enough_schools():
    problems, _ = check_batch(_subs(12, **{"0105": 400}), default_config())
    assert [(p.code, p.file, p.cell, p.indicator, p.severity) for p in problems] == [
        ("value-outlier", "0105.xlsx", "D16", "RES-6", Severity.warning)
    ]
    assert "400" in problems[0].message
    few, _ = check_batch(_subs(7, **{"0105": 400}), default_config())
    assert few == []


def test_outliers_ignore_identical_values():
    subs = _subs(10)
    for sub in subs:
        sub.indicators["RES-6"].value = 0.0
    subs[3].indicators["RES-6"].value = 1.0
    assert check_batch(subs, default_config())[0] == []


@functools.cache
def _thirty_schools() -> list[Submission]:
    return _subs(30)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.integers(0, 40).map(float), st.sampled_from([0.0, 500.0, 1e6])),
        min_size=1,
        max_size=30,
    )
)
def test_far_values_are_exactly_those_beyond_the_range_in_order(values: list[float | None]) -> None:
    """Whatever the values (missing ones among them), the far values are every valid value outside
    [Q1 − k·IQR, Q3 + k·IQR] of the valid values (inclusive quartiles), reported in file order, and
    none with fewer than MIN_SCHOOLS_FOR_OUTLIERS values or no spread."""
    import statistics

    from vosp_monitor.validate.batch import MIN_SCHOOLS_FOR_OUTLIERS

    config = default_config()
    subs = _thirty_schools()[: len(values)]
    for sub, value in zip(subs, values, strict=True):
        entry = sub.indicators["RES-6"]
        entry.value, entry.status = value, EntryStatus.ok if value is not None else EntryStatus.zero
    valid = [v for v in values if v is not None]
    expected: list[str] = []
    if len(valid) >= MIN_SCHOOLS_FOR_OUTLIERS:
        q1, _, q3 = statistics.quantiles(valid, n=4, method="inclusive")
        k = config.analysis.outlier_iqr
        if q3 > q1:
            expected = [
                sub.file
                for sub, v in zip(subs, values, strict=True)
                if v is not None and not q1 - k * (q3 - q1) <= v <= q3 + k * (q3 - q1)
            ]
    problems, _ = check_batch(subs, config)
    assert [p.file for p in problems if p.code == "value-outlier" and p.indicator == "RES-6"] == expected


def test_registry_not_submitted_and_unknown_school():
    subs = _subs(2)
    registry = [RegistryEntry("0100", "Школа 0"), RegistryEntry("0150", "Школа 50")]
    problems, not_submitted = check_batch(subs, default_config(), registry)
    assert [e.code for e in not_submitted] == ["0150"]
    assert [(p.code, p.school, p.file) for p in problems] == [
        ("school-not-in-registry", "0101", "0101.xlsx"),
        ("school-not-submitted", "0150", ""),
    ]
    assert "Школа 50" in problems[1].message
    assert all(p.severity == Severity.warning for p in problems)


def test_each_config_gets_its_own_checks_when_configs_alternate(tmp_path):
    """Per-config precomputations are cached per process; a different config must not reuse them."""
    default, variant = default_config(), variant_config()
    path = fill_form(
        tmp_path / "0101.xlsx", default, *typical_school("0101", "Школа", **{"UPR-3": 9, "UPR-4": 8})
    )
    raw = read_form(path, default, path.name)
    assert isinstance(raw, RawForm), raw
    for _ in range(2):
        assert [p.code for p in check_submission(raw, default).problems] == []
        assert [(p.code, p.severity) for p in check_submission(raw, variant).problems] == [
            ("check-failed", Severity.warning)
        ]


def test_a_submission_crosses_a_process_boundary_whole():
    """Workers pickle each form's record by its constructor's arguments (pickled_by_fields):
    every field, set to something other than its default, comes back equal."""
    import datetime as dt
    import pickle
    from dataclasses import fields

    from vosp_monitor.problems import make_problem
    from vosp_monitor.validate.submission import FormChange, IndicatorEntry

    entry = IndicatorEntry(
        "KR-1", 12.5, 5.0, 40.0, EntryStatus.zero, "Показатели", "E14", {"r1": 5.0, "r2": 40.0}, True
    )
    submission = Submission(
        file="a/0101.xlsx",
        school_code="0101",
        school_name="Школа № 1",
        form_version="3",
        form_period="2025/2026",
        fields={
            "name": "Школа № 1",
            "pupils": 412.0,
            "rural": True,
            "date": dt.date(2026, 5, 1),
            "none": None,
        },
        field_cells={"name": "Сведения об ОО!B5"},
        indicators={"KR-1": entry},
        problems=[make_problem("field-missing", file="a/0101.xlsx", label="Тип ОО")],
        normalisations=[Normalisation("a/0101.xlsx", "Показатели", "E14", "KR-1", "12,5 %", "12.5")],
        readable=False,
        form_change=FormChange(added=("KR-2",), removed=("KR-9",), reworded=True),
        territory_form=True,
    )
    for record, cls in ((entry, IndicatorEntry), (submission, Submission)):
        defaults = cls(**{f.name: getattr(record, f.name) for f in fields(cls) if f.name in ("code", "file")})
        assert all(
            getattr(record, f.name) != getattr(defaults, f.name)
            for f in fields(cls)
            if f.name not in ("code", "file")
        )
    again = pickle.loads(pickle.dumps(submission, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == submission
    assert again.indicators["KR-1"] == entry and again.indicators["KR-1"].status is EntryStatus.zero
