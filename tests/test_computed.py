"""Computed indicators: config rules, inputs read from forms and tables, the formula's edge cases,
small denominators, the form's input rows, and what the outputs show."""

from __future__ import annotations

import csv
import shutil
import subprocess
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from vosp_monitor import layout
from vosp_monitor.config import ConfigError, load_config, parse_config
from vosp_monitor.config.computed import readable
from vosp_monitor.dynamics.frameworks import fingerprints, framework_change
from vosp_monitor.ingest import read_form
from vosp_monitor.ingest.table import read_table
from vosp_monitor.problems import Consequence, Severity
from vosp_monitor.scoring.methods import OK, score_indicator
from vosp_monitor.validate import check_submission
from vosp_monitor.validate.submission import EntryStatus, Submission
from workbooks import fill_form

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "computed"

HEAD = """\
monitoring: {id: t, title: Тест, form_version: "1"}
school_fields:
  - {key: code, label: Код ОО, role: key}
  - {key: name, label: Наименование, role: name}
  - {key: students, label: Обучающихся, type: integer, role: contingent, min: 1}
  - {key: head, label: Руководитель, type: text}
"""


def _config(indicators: str, extra: str = "") -> Any:
    body = textwrap.indent(textwrap.dedent(indicators), "      ")
    return parse_config(HEAD + extra + "blocks:\n  - id: A\n    title: Блок\n    indicators:\n" + body)


ROD = """\
- code: ROD-6
  title: Доля удовлетворённых
  type: computed
  inputs:
    - {key: r1, label: Полностью}
    - {key: r2, label: Скорее}
    - {key: R, label: Всего ответивших}
  formula: (r1 + r2) / R * 100
  unit: "%"
  max: 100
  missing: MISSING
  scoring: {method: linear, low: 0, high: 100}
"""


def _issues(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return [str(issue) for issue in caught.value.issues]


# --------------------------------------------------------------------------- config rules


@pytest.mark.parametrize(
    ("formula", "words"),
    [
        ("(r1 + r2) / X * 100", "неизвестное имя «X»"),
        ("(r1 + r2 / R", "не хватает закрывающей скобки"),
        ("min() + r1", "аргументов"),
        ("r1 ** 2", "степень"),
        ("(r1 + r2) / R * 100 + KR-1", "«KR-1» — другой показатель"),
        ("r1 / R + head", "поле «head» не числовое"),
        ("pow(r1, 2)", "неизвестная функция «pow»"),
    ],
)
def test_a_bad_formula_is_a_config_error_with_line_and_key(formula: str, words: str) -> None:
    text = (
        HEAD
        + "blocks:\n  - id: A\n    title: Б\n    indicators:\n"
        + textwrap.indent(ROD.replace("(r1 + r2) / R * 100", formula).replace("MISSING", "zero"), "      ")
    )
    text += "      - {code: KR-1, title: К, type: count, scoring: {method: best}}\n"
    issues = _issues(text)
    assert any(words in issue and ".formula:" in issue and "строка 18" in issue for issue in issues), issues


def test_a_division_by_an_input_must_say_what_zero_does() -> None:
    text = (
        HEAD
        + "blocks:\n  - id: A\n    title: Б\n    indicators:\n"
        + textwrap.indent(ROD.replace("  missing: MISSING\n", ""), "      ")
    )
    (issue,) = _issues(text)
    assert "формула делит на R, а это может быть 0: укажите missing" in issue
    guarded = text.replace("(r1 + r2) / R * 100", "if(R > 0, (r1 + r2) / R * 100, 0)")
    assert parse_config(guarded).indicator("ROD-6").expression is not None  # an if says it
    bounded = text.replace("{key: R, label: Всего ответивших}", "{key: R, label: Всего, min: 1}")
    assert parse_config(bounded).indicator("ROD-6").formula_denominator is not None  # R ≥ 1 cannot be 0
    # a school field with min ≥ 1 is a safe divisor too
    assert _config(
        "- {code: E, title: Е, type: computed, inputs: [{key: e, label: Е}], formula: e / students * 100, scoring: {method: best}}"
    )


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            "{key: r2, label: Скорее}",
            "{key: R1, label: Скорее}",
        ),
        ("{key: r2, label: Скорее}", "{key: min, label: Скорее}"),
        ("{key: r2, label: Скорее}", "{key: students, label: Скорее}"),
    ],
)
def test_input_keys_are_distinct_names(edit: str, words: str) -> None:
    text = (
        HEAD
        + "blocks:\n  - id: A\n    title: Б\n    indicators:\n"
        + textwrap.indent(ROD.replace(edit, words).replace("MISSING", "zero"), "      ")
    )
    messages = " ".join(_issues(text))
    assert ".inputs[1].key" in messages
    assert "уже есть" in messages or "служебное слово" in messages or "поле сведений" in messages


def test_computed_keys_belong_to_computed_indicators_and_min_denominator_needs_a_division() -> None:
    plain = "- {code: N, title: Н, type: count, formula: a + 1, scoring: {method: best}}\n"
    assert any("formula задаются только для вычисляемого" in i for i in _issues(_text(plain)))
    no_division = (
        "- {code: S, title: С, type: computed, inputs: [{key: a, label: А}], formula: 'min(a, 5)',"
        " min_denominator: 10, scoring: {method: best}}\n"
    )
    assert any("в формуле нет деления" in i for i in _issues(_text(no_division)))
    mark = "- {code: M, title: М, type: computed, inputs: [{key: a, label: А}], formula: a}\n"
    assert any("не задан раздел scoring" in i for i in _issues(_text(mark)))
    options = mark.replace("formula: a}", "formula: a, scoring: {method: yesno}}")
    assert any("способ yesno не подходит для типа computed" in i for i in _issues(_text(options)))


def _text(indicator: str) -> str:
    return HEAD + "blocks:\n  - id: A\n    title: Б\n    indicators:\n" + textwrap.indent(indicator, "      ")


def test_the_default_config_and_the_sample_load() -> None:
    assert load_config().indicators()
    config = load_config(SAMPLE / "indicators.yaml")
    assert [i.code for i in config.indicators() if i.expression] == ["ROD-6", "OLY-1", "RAT-1", "EV-1"]


# --------------------------------------------------------------------------- validation


def _table(tmp_path: Path, config: Any, rows: list[dict[str, object]]) -> list[Submission]:
    """Rows of a consolidated table (columns CODE.key) read and checked."""
    header = list(dict.fromkeys(key for row in rows for key in row))
    path = tmp_path / "svod.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(key, "") for key in header])
    table = read_table(path, config)
    assert [p.code for p in table.problems] == []
    return [check_submission(raw, config) for raw in table.forms]


def _row(code: str, **inputs: object) -> dict[str, object]:
    return {"code": code, "name": f"Школа {code}", "students": 200, "head": "Иванова А. А.", **inputs}


def _rod(r1: object, r2: object, total: object) -> dict[str, object]:
    return {"ROD-6.r1": r1, "ROD-6.r2": r2, "ROD-6.R": total}


@pytest.mark.parametrize(
    ("missing", "status", "codes", "excluded", "severity"),
    [
        ("not_applicable", EntryStatus.not_applicable, [], False, None),
        # 0 points for a zero divisor is the config's rule: the school only checks its zero
        ("zero", EntryStatus.zero, ["formula-undefined"], False, Severity.warning),
        ("error", EntryStatus.invalid, ["formula-undefined"], True, Severity.error),
    ],
)
def test_division_by_zero_follows_the_indicators_missing(
    tmp_path, missing, status, codes, excluded, severity
) -> None:
    config = _config(ROD.replace("MISSING", missing))
    ok, zero = _table(tmp_path, config, [_row("0101", **_rod(12, 30, 60)), _row("0102", **_rod(0, 0, 0))])
    assert ok.indicators["ROD-6"].value == pytest.approx(70.0) and ok.problems == []
    assert ok.indicators["ROD-6"].inputs == {"r1": 12.0, "r2": 30.0, "R": 60.0}
    entry = zero.indicators["ROD-6"]
    assert entry.status == status and entry.value is None
    assert [p.code for p in zero.problems] == codes and zero.excluded == excluded
    if codes:
        (problem,) = zero.problems
        assert "деление на 0: R = 0 (r1 = 0, r2 = 0, R = 0)" in problem.message
        assert problem.location == "svod.csv!G3"  # the divisor R's cell
        assert problem.severity == severity


def test_a_result_out_of_range_is_the_first_inputs_cell_naming_every_input(tmp_path) -> None:
    config = _config(ROD.replace("MISSING", "not_applicable"))
    (sub,) = _table(tmp_path, config, [_row("0101", **_rod(50, 30, 60))])
    (problem,) = sub.problems
    assert problem.code == "computed-out-of-range" and problem.cell == "E2" and problem.indicator == "ROD-6"
    assert (
        problem.message
        == (
            "Показатель ROD-6: по введённым значениям (r1 = 50, r2 = 30, R = 60) получается 133,333333, "
            "а допустимо от 0 до 100; проверьте ввод"
        )
        or "(r1 = 50, r2 = 30, R = 60) получается 133,333333" in problem.message
    )
    assert sub.excluded and sub.indicators["ROD-6"].status == EntryStatus.invalid


def test_checks_between_inputs_have_their_own_code_and_the_indicators_consequence(tmp_path) -> None:
    checks = (
        '  checks:\n    - {rule: r1 + r2 <= R, message: "удовлетворённых не больше, чем ответивших"}\n'
        "    - {rule: R >= 5, severity: warning}\n"
    )
    config = _config(ROD.replace("MISSING", "not_applicable") + checks, "validation: {invalid_value: zero}\n")
    bad, small = _table(tmp_path, config, [_row("0101", **_rod(50, 30, 60)), _row("0102", **_rod(1, 1, 3))])
    (problem,) = bad.problems
    assert problem.code == "input-check-failed" and problem.consequence == Consequence.indicator_zero
    assert (
        "не выполнено условие «r1 + r2 ≤ R» (удовлетворённых не больше, чем ответивших: r1 = 50, r2 = 30, R = 60)"
        in problem.message
    )
    assert bad.indicators["ROD-6"].status == EntryStatus.zero and not bad.excluded
    (warning,) = small.problems
    assert warning.code == "input-check-failed" and warning.severity == Severity.warning
    assert small.indicators["ROD-6"].value == pytest.approx(200 / 3)  # a warning keeps the value


def test_each_input_is_read_like_a_value_of_its_type_and_named_as_its_row(tmp_path) -> None:
    config = _config(
        """\
        - code: X-1
          title: Смешанный
          type: computed
          inputs:
            - {key: n, label: Сколько, max: 50}
            - {key: v, label: Сумма, type: number, min: -10}
            - {key: y, label: Есть ли, type: yesno}
          formula: if(y, n + v, 0)
          scoring: {method: best}
        """
    )
    good, bad = _table(
        tmp_path,
        config,
        [
            _row("0101", **{"X-1.n": "12", "X-1.v": "2,5", "X-1.y": "+"}),
            _row("0102", **{"X-1.n": 2.5, "X-1.v": "-11", "X-1.y": "может быть"}),
        ],
    )
    assert good.indicators["X-1"].value == pytest.approx(14.5) and good.problems == []
    assert [(n.target, n.read_as) for n in good.normalisations] == [("X-1.v", "2,5"), ("X-1.y", "да")]
    assert [(p.code, p.indicator) for p in bad.problems] == [
        ("value-not-whole", "X-1.n"),
        ("value-out-of-range", "X-1.v"),
        ("value-not-yesno", "X-1.y"),
    ]
    assert bad.problems[0].message.startswith("Показатель X-1.n: введено 2.5, ожидалось целое")
    assert bad.problems[0].indicator_code == "X-1"


def test_a_consolidated_table_names_inputs_in_any_case_and_needs_every_one(tmp_path) -> None:
    config = _config(ROD.replace("MISSING", "zero"))
    path = tmp_path / "t.csv"
    path.write_text(
        "code;name;students;head;ROD-6.R1;rod-6.r2;ROD-6;ROD-6.comment\n0101;Ш;100;И;1;2;99;ок\n",
        encoding="utf-8",
    )
    table = read_table(path, config)
    assert [(p.code, p.value) for p in table.problems] == [("table-column-missing", "ROD-6.R")]
    (sub,) = [check_submission(raw, config) for raw in table.forms]
    assert sub.indicators["ROD-6"].inputs == {"r1": 1.0, "r2": 2.0}  # R empty: value-missing, 0 points
    assert [(p.code, p.indicator) for p in sub.problems] == [("value-missing", "ROD-6.R")]


# --------------------------------------------------------------------------- small denominators


def test_min_denominator_flags_or_leaves_out_a_value_on_too_few_people(tmp_path) -> None:
    share = (
        "- {code: S-1, title: Доля, type: share, numerator: Ч, denominator: З, min_denominator: 5,"
        " scoring: {method: linear, low: 0, high: 100}}\n"
    )
    off = "- {code: S-2, title: Без порога, type: share, numerator: Ч, denominator: З, min_denominator: 0, scoring: {method: best}}\n"
    for policy, status in (("flag", EntryStatus.ok), ("not_applicable", EntryStatus.not_applicable)):
        config = _config(
            ROD.replace("MISSING", "not_applicable") + share + off,
            f"validation: {{min_denominator: 10, small_denominator: {policy}}}\n",
        )
        (sub,) = _table(
            tmp_path,
            config,
            [
                _row(
                    "0101",
                    **_rod(1, 1, 3),
                    **{"S-1.numerator": 2, "S-1.denominator": 4, "S-2.numerator": 1, "S-2.denominator": 2},
                )
            ],
        )
        small = [p for p in sub.problems if p.code == "denominator-small"]
        assert [(p.indicator, p.severity) for p in small] == [
            ("ROD-6", Severity.warning),
            ("S-1", Severity.warning),
        ]
        assert "мало данных — «Всего ответивших»: 3, меньше 10" in small[0].message
        assert "«З»: 4, меньше 5" in small[1].message
        for code in ("ROD-6", "S-1"):
            entry = sub.indicators[code]
            assert entry.small and entry.status == status
            assert (entry.value is not None) == (policy == "flag")
        assert not sub.indicators["S-2"].small  # its own min_denominator: 0 turns the flag off


# --------------------------------------------------------------------------- the form

SAMPLE_FIELDS = {
    "code": "0101",
    "name": "Ш",
    "students": 100,
    "teachers": 12,
    "locality": "город",
    "head": "И",
}
SAMPLE_VALUES: dict[str, object] = {
    "ROD-6": {"r1": 12, "r2": 30, "R": 60},
    "ROD-7": (10, 20),
    "OLY-1": {"mun": 1, "reg": 2, "fed": 0, "intl": 5},
    "RAT-1": {"I": 1, "II": 1, "III": 1, "N": 10},
    "EV-1": {"events": 5},
    "KR-1": 4,
}


def _sample_form(path: Path, students: int = 100, **values: object) -> tuple[Any, Path]:
    """The sample config and a form of it filled with SAMPLE_VALUES (``values`` replace some)."""
    config = load_config(SAMPLE / "indicators.yaml")
    return config, fill_form(
        path, config, {**SAMPLE_FIELDS, "students": students}, {**SAMPLE_VALUES, **values}
    )


def test_the_form_asks_for_every_input_on_a_yellow_validated_row(tmp_path) -> None:

    from vosp_monitor.form import build_form

    config, path = _sample_form(tmp_path / "f.xlsx")
    sheet = build_form(config)[layout.SHEET_INDICATORS]
    rows = {
        str(row[0].value): row
        for row in sheet.iter_rows(min_row=layout.INDICATOR_HEADER_ROW + 1)
        if row[0].value
    }
    validated = {str(ref) for dv in sheet.data_validations.dataValidation for ref in dv.sqref.ranges}
    for ind in config.indicators():
        for item in ind.inputs:
            row = rows[layout.input_code(ind.code, item.key)]
            value = row[3]
            assert row[1].value.startswith(item.label)
            assert value.fill.fgColor.rgb.endswith("FFF2CC") and not value.protection.locked
            assert value.coordinate in validated
        if ind.expression is not None:
            title = str(rows[ind.code][1].value)
            assert f"Вычисляется по формуле: {readable(ind.expression)} (данные — в строках ниже)" in title
            if ind.code == "EV-1":  # a school field in the formula is named with its sheet
                assert "students — Численность обучающихся, чел. (лист «Сведения об ОО»)" in title
            assert str(rows[ind.code][3].value).startswith("=IF(COUNTBLANK(")
    path = tmp_path / "f.xlsx"
    sub = check_submission(read_form(path, config, path.name), config)
    assert sub.problems == []
    values = {code: entry.value for code, entry in sub.indicators.items()}
    assert values == pytest.approx(
        {"ROD-6": 70.0, "ROD-7": 50.0, "OLY-1": 20.0, "RAT-1": 0.9, "EV-1": 5.0, "KR-1": 100 / 3}
    )
    assert str(rows["ROD-6"][3].value).startswith("=IF(COUNTBLANK(D7:D9)>0")


def test_sorted_rows_still_read_and_a_repeated_input_row_is_reported(tmp_path) -> None:
    from openpyxl import load_workbook

    config, path = _sample_form(tmp_path / "f.xlsx")
    workbook = load_workbook(path)
    sheet = workbook[layout.SHEET_INDICATORS]
    sheet.protection.sheet = False
    # ROD-6's input rows (7–9) moved above its own row (6), in reverse order
    moved = [[c.value for c in sheet[row]] for row in (9, 8, 7, 6)]
    for offset, values in enumerate(moved):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=6 + offset, column=column).value = value
    assert sheet["A6"].value == "ROD-6.R" and sheet["A9"].value == "ROD-6"
    workbook.save(path)
    assert check_submission(read_form(path, config, path.name), config).indicators[
        "ROD-6"
    ].value == pytest.approx(70.0)
    sheet.cell(row=40, column=1).value = "ROD-6.r1"
    sheet.cell(row=40, column=4).value = 99
    workbook.save(path)
    sub = check_submission(read_form(path, config, path.name), config)
    assert [(p.code, p.indicator) for p in sub.problems] == [("indicator-row-duplicate", "ROD-6")]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_forms_excel_formula_computes_what_the_tool_computes(tmp_path) -> None:
    """LibreOffice recalculates the grey value cells of a filled form: the same values as validation."""
    from openpyxl import load_workbook

    config = load_config(SAMPLE / "indicators.yaml")
    changed = {
        "OLY-1": {"mun": 1, "reg": 2, "fed": 1, "intl": 4},
        "RAT-1": {"I": 2, "II": 1, "III": 4, "N": 11},
    }
    config, path = _sample_form(tmp_path / "f.xlsx", 250, **changed, **{"EV-1": {"events": 7}})
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = load_workbook(out / "f.xlsx", data_only=True)[layout.SHEET_INDICATORS]
    shown = {str(row[0].value): row[3].value for row in sheet.iter_rows(min_row=5) if row[0].value}
    sub = check_submission(read_form(path, config, path.name), config)
    for ind in config.indicators():
        if ind.expression is not None:
            assert shown[ind.code] == pytest.approx(sub.indicators[ind.code].value), ind.code


# --------------------------------------------------------------------------- scoring relative to the best


def test_best_scores_against_the_best_school_of_the_run_either_way() -> None:
    higher = _config("- {code: B, title: Б, type: number, scoring: {method: best}}\n").indicator("B")
    lower = _config(
        "- {code: B, title: Б, type: number, direction: lower, scoring: {method: best}}\n"
    ).indicator("B")
    values = np.array([2.0, 5.0, 10.0, 0.0, 99.0])
    status = np.array([OK, OK, OK, OK, 2])  # the last is not applicable: not the best
    assert score_indicator(higher, values, status).scores[:4] == pytest.approx([20, 50, 100, 0])
    assert score_indicator(lower, values[:3], status[:3]).scores == pytest.approx([100, 40, 20])
    assert score_indicator(lower, values[:4], status[:4]).scores == pytest.approx([0, 0, 0, 100])  # 0 is best
    nobody = score_indicator(higher, np.zeros(3), np.full(3, OK))
    assert nobody.scores == pytest.approx([100, 100, 100])  # nobody is behind anybody
    assert higher.spec.relative and not higher.spec.comparable_across_years


# --------------------------------------------------------------------------- years


def test_a_changed_formula_makes_the_indicator_incomparable() -> None:
    before = load_config(SAMPLE / "indicators.yaml")
    text = (SAMPLE / "indicators.yaml").read_text(encoding="utf-8")
    spaced = parse_config(text.replace("formula: (r1 + r2) / R * 100", "formula: (r1+r2)/R×100"))
    changed = parse_config(text.replace("formula: (r1 + r2) / R * 100", "formula: r1 / R * 100"))
    assert fingerprints(spaced)["values:ROD-6"] == fingerprints(before)["values:ROD-6"]  # only spacing
    assert fingerprints(changed)["values:ROD-6"] != fingerprints(before)["values:ROD-6"]
    assert framework_change(before, changed).changed["ROD-6"] == ["formula"]
    assert "ROD-6" not in framework_change(before, spaced).changed


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_any_formula_text_loads_or_is_a_config_error(text: str) -> None:
    """Whatever a formula holds, loading the config gives a config, or ConfigError naming the key."""
    data = yaml.safe_load(_text(ROD.replace("MISSING", "zero")))
    data["blocks"][0]["indicators"][0]["formula"] = text
    try:
        config = parse_config(yaml.safe_dump(data, allow_unicode=True))
    except ConfigError as exc:
        assert all(issue.path.startswith("blocks[0].indicators[0]") for issue in exc.issues), exc.issues
        return
    assert config.indicator("ROD-6").expression is not None


def test_the_runs_checks_may_name_an_input(tmp_path) -> None:
    config = _config(ROD.replace("MISSING", "zero"), 'checks: [{rule: "ROD-6.R <= students"}]\n')
    ok, bad = _table(tmp_path, config, [_row("0101", **_rod(1, 2, 150)), _row("0102", **_rod(1, 2, 250))])
    assert ok.problems == []
    (problem,) = bad.problems
    assert problem.code == "check-failed" and problem.cell == "G3" and bad.excluded  # at the input R


def test_a_relabelled_input_tells_the_forms_apart() -> None:
    """A form records what it asked, input rows included: a form made before an input was
    relabelled or added is said to be of another framework (form-framework-changed); a changed
    formula alone does not change what the school types."""
    from vosp_monitor.validate.workbook import form_change

    text = (SAMPLE / "indicators.yaml").read_text(encoding="utf-8")
    path = SAMPLE / "forms" / "0101.xlsx"
    for edited, reworded in [
        (text, False),
        (text.replace("formula: (r1 + r2) / R * 100", "formula: r1 / R * 100"), False),
        (text.replace("Всего ответивших на анкету", "Всего анкет"), True),
        (
            text.replace(
                "- {key: R, label:", "- {key: r3, label: Затруднились}\n          - {key: R, label:"
            ),
            True,
        ),
    ]:
        config = parse_config(edited)
        change = form_change(read_form(path, config, path.name), config)
        assert (change is not None and change.reworded) is reworded, edited
