"""``vosp-monitor validate`` through CliRunner: exit codes, text and JSON, the written files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main
from vosp_monitor.problems import CATALOGUE, Consequence, problems_markdown
from workbooks import default_config, fill_form, typical_school

REPO = Path(__file__).resolve().parents[1]


def _folder(tmp_path: Path, *schools: tuple[str, str, dict]) -> Path:
    folder = tmp_path / "forms"
    for code, name, overrides in schools:
        fill_form(folder / f"{code}.xlsx", default_config(), *typical_school(code, name, **overrides))
    return folder


def _set_text(path: Path, sheet_name: str, key: str, text: str) -> None:
    """Type text that looks like a formula, as a school could (Excel keeps it as text after «'»)."""
    from openpyxl import load_workbook
    from tools.formfill import locate_inputs

    workbook = load_workbook(path)
    cell = locate_inputs(workbook).fields[key]
    cell.value = text
    cell.data_type = "s"
    workbook.save(path)


def _run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    """Two clean schools, one with an error, one hostile name with a warning-free error."""
    tmp_path = tmp_path_factory.mktemp("mixed")
    folder = _folder(
        tmp_path,
        ("0101", "Школа 1", {}),
        ("0102", "Школа 2", {}),
        ("0103", "Школа 3", {"UPR-4": "нет данных"}),
        ("0104", "Школа 4", {"KR-6": "=1+1"}),
    )
    _set_text(folder / "0104.xlsx", "Сведения об ОО", "name", '=HYPERLINK("http://x","y")')
    fill_form(folder / "sub" / "без кода.xlsx", default_config(), *typical_school("", "Без кода"))
    (folder / "notes.txt").write_text("не форма", encoding="utf-8")
    return folder


def test_clean_folder_exits_0(tmp_path):
    result = _run(
        "validate", _folder(tmp_path, ("0101", "Школа 1", {}), ("0102", "Школа 2", {})), "--jobs", 1
    )
    assert result.exit_code == 0, result.output
    assert "без ошибок:                2" in result.stdout
    assert "Проблемы по файлам" not in result.stdout


def test_errors_exit_1_and_are_listed_by_file(mixed):
    result = _run("validate", mixed, "--jobs", 1)
    assert result.exit_code == 1
    out = result.stdout
    assert "с ошибками:                3" in out
    assert "0103.xlsx — 0103 Школа 3" in out
    assert "Показатели!D9 [value-not-number]" in out
    assert "notes.txt" in out  # skipped, with the reason
    assert result.stderr == ""


def test_json_output_is_the_only_stdout(mixed):
    result = _run("validate", mixed, "--format", "json", "--quiet", "--jobs", 1)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"]["with_errors"] == 3
    assert data["summary"]["skipped"] == 1
    codes = sorted((p["file"], p["code"]) for p in data["problems"])
    assert codes == [
        ("0103.xlsx", "value-not-number"),
        ("0104.xlsx", "value-formula-no-cache"),
        ("sub/без кода.xlsx", "field-missing"),
    ]
    assert {p["location"] for p in data["problems"]} >= {"Показатели!D9"}
    assert isinstance(data["normalisations"], list)


def test_output_files(mixed, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "out"
    result = _run("validate", mixed, "-o", out, "--jobs", 1)
    assert result.exit_code == 1
    sheet = load_workbook(out / "validation.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Файл", "Код ОО", "Наименование ОО")
    assert len(rows) == 4
    hostile = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "0104.xlsx")
    assert hostile[2].value == '=HYPERLINK("http://x","y")'
    assert hostile[2].data_type == "s"  # text, not a live formula
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:K4"
    letters = sorted(p.name for p in (out / "feedback").iterdir())
    assert letters == [
        f"{name}.{ext}" for name in ("0103", "0104", "sub_без кода.xlsx") for ext in ("docx", "md")
    ]
    letter = (out / "feedback" / "0103.md").read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "Лист «Показатели», ячейка D9" in letter
    assert "Последствие: школа исключена из рейтинга" in letter
    assert not [p for p in out.rglob("*.tmp")]


def test_registry_and_table(tmp_path):
    registry = tmp_path / "реестр.csv"
    registry.write_text("Код ОО;Наименование\n0101;Школа 1\n0199;Школа 99\n", encoding="cp1251")
    folder = _folder(tmp_path, ("0101", "Школа 1", {}))
    result = _run("validate", folder, "--schools", registry)
    assert result.exit_code == 0  # not submitted is a warning
    assert "не представили форму:      1" in result.stdout
    assert "0199" in result.stdout


def test_table_input(tmp_path):
    table = tmp_path / "свод.csv"
    config = default_config()
    fields, values = typical_school("0101", "Школа 1")
    headers, row = [], []
    for f in config.school_fields:
        headers.append(f.key)
        row.append(str(fields[f.key]))
    for ind in config.indicators():
        given = values[ind.code]
        if isinstance(given, tuple):
            headers += [f"{ind.code}.numerator", f"{ind.code}.denominator"]
            row += [str(given[0]), str(given[1])]
        else:
            headers.append(f"{ind.code}.numerator" if ind.denominator_field else ind.code)
            row.append(str(given))
    row[headers.index("filled_on")] = "20.05.2026"
    row[headers.index("UPR-3")] = "три"
    table.write_text(";".join(headers) + "\n" + ";".join(row) + "\n", encoding="utf-8-sig")
    result = _run("validate", "--table", table, "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(p["file"], p["code"], p["location"]) for p in data["problems"]] == [
        ("свод.csv, строка 2", "value-not-number", f"свод.csv!{_letter(headers.index('UPR-3'))}2")
    ]


def _letter(index: int) -> str:
    from vosp_monitor.ingest.table import column_letter

    return column_letter(index)


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],  # neither a folder nor a table
        ["validate", "{folder}", "--table", "{table}"],  # both
        ["validate", "{missing}"],
        ["validate", "{folder}", "--format", "xml"],
    ],
)
def test_usage_errors_exit_2(tmp_path, args):
    folder = tmp_path / "empty"
    folder.mkdir()
    table = tmp_path / "t.csv"
    table.write_text("code\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("monitoring: [\n", encoding="utf-8")
    paths = {"folder": folder, "table": table, "missing": tmp_path / "nope.csv", "bad_config": bad}
    result = _run(*[a.format(**paths) for a in args])
    assert result.exit_code == 2, result.output


def test_empty_folder_is_an_error_not_a_clean_check(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    result = _run("validate", folder)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Ошибка: в папке {folder} нет ни одного файла.")


# --------------------------------------------------------------------------- the code table


def test_docs_problems_md_is_generated_from_the_catalogue():
    assert (REPO / "docs" / "problems.md").read_text(encoding="utf-8") == problems_markdown()


def test_every_code_used_in_src_is_in_the_catalogue():
    import re

    used = set()
    for path in (REPO / "src" / "vosp_monitor").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""make_problem\(\s*["']([a-z0-9-]+)["']""", text))
        # codes handed to helpers (scope.problem, indicator_problem, tables of codes)
        used |= set(
            re.findall(
                r"""["']((?:file|form|field|value|numerator|denominator|indicator|school|table|sheet|text|internal)-[a-z-]+|check-failed)["']""",
                text,
            )
        )
    used -= {c.value for c in Consequence}  # consequence ids share the prefixes
    assert used, "no codes found: the pattern is wrong"
    assert used <= set(CATALOGUE), sorted(used - set(CATALOGUE))


# --------------------------------------------------------------------------- unreadable files


def test_unreadable_file_is_one_problem_and_the_batch_goes_on(tmp_path):
    from vosp_monitor.pipeline import collect

    folder = _folder(tmp_path, ("0101", "Школа 1", {}))
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (folder / "letter.xlsx").write_text("Здравствуйте! Форму пришлём позже.", encoding="utf-8")
    collection = collect(folder, default_config(), jobs=1)
    by_file = {s.file: s for s in collection.submissions}
    assert by_file["0101.xlsx"].problems == [] and by_file["0101.xlsx"].readable
    for name in ("broken.xlsx", "letter.xlsx"):
        sub = by_file[name]
        assert not sub.readable and sub.excluded
        assert len(sub.problems) == 1 and sub.problems[0].code.startswith("file-")
        assert sub.problems[0].file == name
        assert sub.problems[0].consequence_text == "файл не обработан"
    summary = collection.summary()
    assert (summary["read"], summary["unreadable"], summary["valid"]) == (1, 2, 1)
    assert [s.school_code for s in collection.scorable] == ["0101"]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("crash", "file-crashed"),
        ("timeout", "file-timeout"),
        ("memory", "file-memory"),
        ("error", "internal-error"),
    ],
)
def test_worker_failures_become_file_problems(kind, code):
    from vosp_monitor.pipeline.collecting import _failed_submission
    from vosp_monitor.pipeline.pool import Failed

    sub = _failed_submission("x.xlsx", Failed(kind, "сигнал 6"))
    assert [(p.code, p.file) for p in sub.problems] == [(code, "x.xlsx")]
    assert not sub.readable and sub.excluded


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "{folder}", "--schools", "{empty}"],  # a registry with nothing in it
        ["validate", "{folder}", "-c", "{bad_config}"],
    ],
)
def test_data_and_config_errors_exit_1(tmp_path, args):
    """A file that opens but holds nonsense is a data error (1); a missing one is the
    command's (2, test_cli_details.py)."""
    folder = tmp_path / "empty"
    folder.mkdir()
    bad = tmp_path / "bad.yaml"
    bad.write_text("monitoring: [\n", encoding="utf-8")
    empty = tmp_path / "реестр.csv"
    empty.write_text("\n\n", encoding="utf-8")
    paths = {"folder": folder, "empty": empty, "bad_config": bad}
    result = _run(*[a.format(**paths) for a in args])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Ошибка: ")


def test_table_without_headers_is_a_data_error(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("a;b\n1;2\n", encoding="utf-8")
    result = _run("validate", "--table", table)
    assert result.exit_code == 1
    assert "строка заголовков" in result.stderr
    assert result.stdout == ""


@pytest.mark.skipif(not (REPO / "samples" / "forms" / "0101.xlsx").is_file(), reason="samples not generated")
def test_samples_report_exactly_the_planted_mistakes():
    """samples/README.md lists three planted mistakes; validation must find those and nothing else."""
    result = _run(
        "validate",
        REPO / "samples" / "forms",
        "--format",
        "json",
        "--schools",
        REPO / "samples" / "registry.csv",
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    found = sorted((p["file"], p["location"], p["indicator"], p["code"]) for p in data["problems"])
    assert found == [
        ("", "", "", "school-not-submitted"),
        ("0107.xlsx", "Показатели!E16", "RES-5", "numerator-above-denominator"),
        ("0115.xlsx", "Показатели!D9", "UPR-4", "value-not-number"),
        ("0121.xlsx", "Сведения об ОО!B9", "", "field-missing"),
    ]
    assert [n["target"] for n in data["normalisations"]] == ["ROD-3"]
    assert data["summary"]["valid"] == 21


def test_a_bug_of_ours_is_an_internal_error_and_a_native_crash_stays_the_files(tmp_path):
    """Item 5 of issue 10: an exception in our code is never blamed on the school's file."""
    from buggy_checker import BuggyChecker
    from vosp_monitor.pipeline.collecting import _collect_folder
    from vosp_monitor.validate.collection import Collection
    from vosp_monitor.writers.validation import write_validation_outputs

    folder = _folder(tmp_path, ("0101", "Школа 1", {}), ("BUG", "Школа Б", {}), ("CRASH", "Школа К", {}))
    subs, _, _ = _collect_folder(folder, BuggyChecker(default_config()), 1, None)
    by_file = {s.file: s for s in subs}
    assert by_file["0101.xlsx"].problems == [] and not by_file["0101.xlsx"].excluded
    (bug,) = by_file["BUG.xlsx"].problems
    assert (bug.code, bug.file, bug.consequence_text) == ("internal-error", "BUG.xlsx", "файл не обработан")
    assert "ошибка vosp-monitor, а не файла школы" in bug.message
    assert "KeyError" in bug.message and "сообщите о ней разработчикам" in bug.message
    (crash,) = by_file["CRASH.xlsx"].problems
    assert crash.code == "file-crashed" and "SIGABRT" in crash.message
    assert by_file["BUG.xlsx"].excluded and by_file["CRASH.xlsx"].excluded
    # the school gets no letter about our bug; the crashed file's school does get one
    collection = Collection(source=str(folder), submissions=subs, problems=[bug, crash])
    out = tmp_path / "out"
    write_validation_outputs(collection, out, default_config())
    assert sorted(p.name for p in (out / "feedback").iterdir()) == ["CRASH.xlsx.docx", "CRASH.xlsx.md"]


def _school_codes_run(tmp_path: Path, impostor_code: str, *extra: object):
    folder = _folder(tmp_path, ("0101", "Школа 1", {}), ("0102", "Школа 2", {}))
    fill_form(
        folder / "impostor.xlsx",
        default_config(),
        *typical_school(impostor_code, "Самозванец", **{"UPR-4": 60}),
    )
    result = _run("validate", folder, "--format", "json", "--jobs", 1, *extra)
    return result, json.loads(result.stdout)


@pytest.mark.parametrize("impostor_code", ["０１０１", "0101\u200b", " \u20600101\u00a0"])
def test_a_look_alike_code_is_caught_as_a_duplicate_not_ranked_under_the_others_name(tmp_path, impostor_code):
    result, data = _school_codes_run(tmp_path, impostor_code)
    assert result.exit_code == 1
    status = {s["file"]: (s["school_code"], s["excluded"]) for s in data["submissions"]}
    assert status == {
        "0101.xlsx": ("0101", True),
        "0102.xlsx": ("0102", False),
        "impostor.xlsx": ("0101", True),
    }
    codes = sorted((p["file"], p["code"]) for p in data["problems"])
    assert ("0101.xlsx", "school-duplicate") in codes and ("impostor.xlsx", "school-duplicate") in codes
    assert ("impostor.xlsx", "school-code-normalised") in codes
    assert [n["target"] for n in data["normalisations"]] == ["code"]


def test_look_alike_codes_match_the_registry(tmp_path):
    registry = tmp_path / "реестр.csv"
    registry.write_text(
        "Код ОО;Наименование\n０１０１;Школа 1\n0102\u200b;Школа 2\n0103;Школа 3\n", encoding="utf-8"
    )
    folder = _folder(tmp_path, ("0101", "Школа 1", {}), ("0102", "Школа 2", {}))
    result = _run("validate", folder, "--format", "json", "--jobs", 1, "--schools", registry)
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [p["code"] for p in data["problems"]] == ["school-not-submitted"]
    assert [e["code"] for e in data["not_submitted"]] == ["0103"]


def test_a_repeated_row_and_absurd_counts_are_reported_through_the_cli(tmp_path):
    """Issue 9, items 4 and 9: a second «UPR-4» row, 10^12 surveyed parents, 500 of 400 pupils on the register."""
    from test_validate import ind_cell
    from test_validate_rules import _add_row

    folder = _folder(
        tmp_path,
        ("0101", "Школа 1", {}),
        ("0102", "Школа 2", {"ROD-5": (10**12, 10**12)}),
        ("0103", "Школа 3", {"RES-5": (2, 500)}),
    )
    row = _add_row(folder / "0101.xlsx", "UPR-4", 50)
    result = _run("validate", folder, "--format", "json", "--jobs", 1)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    found = sorted(
        (p["file"], p["location"], p["code"], p["severity"], p["consequence"]) for p in data["problems"]
    )
    assert found == [
        ("0101.xlsx", f"Показатели!A{row}", "indicator-row-duplicate", "error", "school-excluded"),
        ("0102.xlsx", f"Показатели!{ind_cell('ROD-5', 'denominator')}", "value-implausible", "warning", ""),
        (
            "0103.xlsx",
            f"Показатели!{ind_cell('RES-5', 'denominator')}",
            "denominator-above-contingent",
            "error",
            "school-excluded",  # a wrong value: validation.invalid_value, the same for RES-5 as for any
        ),
    ]
    excluded = {s["file"]: s["excluded"] for s in data["submissions"]}
    assert excluded == {"0101.xlsx": True, "0102.xlsx": False, "0103.xlsx": True}


def test_the_samples_three_erroneous_forms_get_word_letters_to_sign(tmp_path):
    """validate -o on the samples: a Word letter for each of 0107, 0115 and 0121 (before any
    ranking, so it may say the corrected form will be ranked), the cell in the form's words,
    where and by when to send it, the реквизиты of documents.feedback."""
    import yaml

    from docx_read import full_text, open_docx

    repo = Path(__file__).resolve().parents[1]
    config = yaml.safe_load((repo / "indicators.yaml").read_text(encoding="utf-8"))
    config["documents"]["letters"] = {"send_to": "на адрес электронной почты monitoring@example.ru"}
    config["documents"]["feedback"] = {"number": "01-12/300", "date": "01.09.2026"}
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    result = _run("validate", repo / "samples" / "forms", "-c", path, "-o", out, "--jobs", 1)
    assert result.exit_code == 1
    assert "писем для школ: 3 (Word и Markdown)" in result.stdout
    assert sorted(p.name for p in (out / "feedback").glob("*.docx")) == [
        "0107.docx",
        "0115.docx",
        "0121.docx",
    ]
    text = full_text(open_docx(out / "feedback" / "0107.docx")).replace("\u00a0", " ")
    assert "О повторном представлении формы мониторинга" in text and "от 01.09.2026 № 01-12/300" in text
    assert "лист «Показатели», ячейка E16" in text
    assert (
        "число обучающихся, снятых с учёта в связи с исправлением — 5, число обучающихся, состоявших "
        "на учёте в течение года — 3: первое не может быть больше второго" in text
    )
    assert (
        "направить форму повторно на адрес электронной почты monitoring@example.ru в течение 5 рабочих дней. "
        "После проверки исправленной формы ОО будет включена в рейтинг." in text
    )
    assert "Руководителю МБОУ «СОШ с. Выдуманка»" in text
    other = full_text(open_docx(out / "feedback" / "0121.docx")).replace("\u00a0", " ")
    assert "лист «Сведения об ОО», ячейка B9" in other
    assert "Не заполнено поле «Численность педагогических работников, чел.»" in other
