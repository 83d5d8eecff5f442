"""Computed indicators and «мало данных» in every output of a run of samples/computed, the next
year's comparison and form, and the samples themselves reproduced byte for byte."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docx_read import full_text, open_docx
from vosp_monitor import layout
from vosp_monitor.cli import main

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "computed"
CONFIG = SAMPLE / "indicators.yaml"


def _text(path: Path) -> str:
    """A written Markdown file with plain spaces (numbers keep their units on a no-break space)."""
    return path.read_text(encoding="utf-8").replace("\u00a0", " ")


def _run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("computed") / "out"
    _run("score", str(SAMPLE / "forms"), "-c", str(CONFIG), "-o", str(out))
    return out


def test_the_card_and_the_letter_show_the_inputs_and_the_flag(run: Path) -> None:
    card = _text(run / "schools" / "0111.md")
    assert (
        "(2 + 1) / 6 × 100 = 50 % (мало данных: «Всего ответивших на анкету» — 6, меньше 10)" in card
    )  # the flag says why
    assert "6 + 2 × 2 + 3 × 0 + МИН(5 × 0; 15) = 10" in card
    gymnasium = _text(run / "schools" / "0103.md")
    assert "| ROD-6 |" in gymnasium and "не применяется" in gymnasium  # R = 0: no survey held
    assert "МИН(5 × 4; 15) = 40" in gymnasium  # 4 international victories, capped at 15
    letter = full_text(open_docx(run / "letters" / "0111.docx"))
    assert (
        "(2 + 1) / 6 × 100 = 50 % (мало данных: «Всего ответивших на анкету» — 6, меньше 10)" in letter
    )  # a deficit, with its inputs
    no_contests = _text(run / "schools" / "0108.md")  # N = 0 under missing: zero — 0 points, no error
    assert (
        "| RAT-1 | Рейтинг результативности участников конкурсов (на одного участника) | "
        "ОКРУГЛ((5 × 0 + 3 × 0 + 0) / 0; 3) не вычисляется (деление на 0) | медиана 1,4 | 0 из 100 | да |"
    ) in no_contests
    assert "ошибка в данных" not in no_contests
    assert (
        "**RAT-1** Рейтинг результативности участников конкурсов (на одного участника) — ОКРУГЛ((5 × 0 + 3 × 0 + 0) / 0; 3) не вычисляется (деление на 0), 0 из 100 б."
        in no_contests
    )


def test_the_spravka_prints_each_formula_and_counts_the_flagged_values(run: Path) -> None:
    report = _text(run / "report.md")
    assert "Вычисляемые показатели: формулы" in report
    assert (
        "| ROD-6 | Доля родителей, удовлетворённых воспитательной работой | (r1 + r2) / R × 100 "
        "(проверка: r1 + r2 ≤ R); при R = 0 — не учитывается |" in report
    )
    assert (
        "ОКРУГЛ((5 × I + 3 × II + III) / N; 3) (проверка: I + II + III ≤ N); при N = 0 — 0 баллов |" in report
    )
    assert "| events / students × 100 |" in report  # students ≥ 1: no word on a zero divisor
    data = json.loads((run / "results.json").read_text(encoding="utf-8"))
    flagged = sum(s["small_count"] for s in data["indicator_stats"].values())
    by_school = sum(i["small"] for s in data["schools"] for i in s["indicators"].values())
    assert flagged == by_school == 4
    assert (
        "**Мало данных.**" in report
        and f"Так отмечено {flagged} значения: ROD-6 — 1; RAT-1 — 1; KR-1 — 2." in report
    )
    docx_text = full_text(open_docx(run / "report.docx"))
    assert "(r1 + r2) / R × 100" in docx_text and "Так отмечено 4 значения" in docx_text


def test_the_tables_hold_the_inputs_the_computation_and_the_flag(run: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(run / "ranking.xlsx")
    sheet = book["Вычисления"]
    header = [c.value for c in sheet[2]]
    assert header[:4] == [
        "Место",
        "Код ОО",
        "Наименование ОО",
        "ROD-6. Доля родителей, удовлетворённых воспитательной работой",
    ]
    audit = {
        row[1]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)
    }
    rod, oly = header[3], header[4]
    assert audit["0111"][rod] == "(2 + 1) / 6 × 100 = 50 (мало данных)"
    assert audit["0103"][rod] == "(0 + 0) / 0 × 100 = н/п"  # no survey held
    assert audit["0103"][oly].endswith("МИН(5 × 4; 15) = 40")
    assert [h.split(".")[0] for h in header[3:]] == ["ROD-6", "OLY-1", "RAT-1", "EV-1"]
    values = book["Значения"]
    notes = [c.comment.text for row in values.iter_rows() for c in row if c.comment]
    assert "мало данных: «Всего ответивших на анкету» — 6, меньше 10" in notes
    assert audit["0108"][header[5]] == "ОКРУГЛ((5 × 0 + 3 × 0 + 0) / 0; 3) не вычисляется (деление на 0)"
    with (run / "indicators.csv").open(encoding="utf-8-sig") as handle:
        table = {(r["Код ОО"], r["Показатель"]): r for r in csv.DictReader(handle, delimiter=";")}
    assert table[("0111", "ROD-6")]["Введённые данные"] == "r1 = 2; r2 = 1; R = 6"
    assert (
        table[("0111", "ROD-6")]["Мало данных"] == "да" and table[("0101", "ROD-6")]["Мало данных"] == "нет"
    )
    assert table[("0101", "EV-1")]["Введённые данные"].endswith("students = 812")


def test_the_table_of_the_same_answers_gives_the_same_results(run: Path, tmp_path: Path) -> None:
    _run(
        "score",
        "--table",
        str(SAMPLE / "svod.csv"),
        "-c",
        str(CONFIG),
        "-o",
        str(tmp_path / "t"),
        "--no-cards",
    )
    forms = json.loads((run / "results.json").read_text(encoding="utf-8"))
    table = json.loads((tmp_path / "t" / "results.json").read_text(encoding="utf-8"))
    assert [(s["code"], s["total"], s["place"]) for s in forms["schools"]] == [
        (s["code"], s["total"], s["place"]) for s in table["schools"]
    ]
    assert [s["indicators"]["RAT-1"]["inputs"] for s in forms["schools"]] == [
        s["indicators"]["RAT-1"]["inputs"] for s in table["schools"]
    ]


def test_next_year_compares_computed_values_and_a_changed_formula_is_incomparable(
    run: Path, tmp_path: Path
) -> None:
    text = CONFIG.read_text(encoding="utf-8").replace("2025/2026", "2026/2027")
    same, changed = tmp_path / "same.yaml", tmp_path / "changed.yaml"
    same.write_text(text, encoding="utf-8")
    changed.write_text(
        text.replace("formula: (r1 + r2) / R * 100", "formula: r1 / R * 100"), encoding="utf-8"
    )
    previous = str(run / "results.json")
    for config, out in ((same, "a"), (changed, "b")):
        _run(
            "score",
            str(SAMPLE / "forms"),
            "-c",
            str(config),
            "-o",
            str(tmp_path / out),
            "--no-cards",
            "--previous",
            previous,
        )
    kept = json.loads((tmp_path / "a" / "results.json").read_text(encoding="utf-8"))["dynamics"]
    lost = json.loads((tmp_path / "b" / "results.json").read_text(encoding="utf-8"))["dynamics"]
    assert (
        kept["framework"]["changed"].get("ROD-6") is None and kept["indicators"]["ROD-6"]["values_comparable"]
    )
    assert (
        lost["framework"]["changed"]["ROD-6"] == ["formula"]
        and not lost["indicators"]["ROD-6"]["values_comparable"]
    )
    report = _text(tmp_path / "b" / "report.md")
    assert "изменилась формула вычисляемого показателя" in report


def test_the_form_of_next_year_shows_last_years_inputs(run: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    next_year = tmp_path / "next.yaml"
    next_year.write_text(
        CONFIG.read_text(encoding="utf-8").replace("2025/2026", "2026/2027"), encoding="utf-8"
    )
    registry = tmp_path / "registry.csv"
    registry.write_text("Код ОО;Наименование\n0111;МБОУ «НОШ д. Примерная»\n", encoding="utf-8")
    previous = str(run / "results.json")
    _run(
        "form",
        "-c",
        str(next_year),
        "--schools",
        str(registry),
        "--previous",
        previous,
        "-o",
        str(tmp_path / "forms"),
    )
    sheet = load_workbook(tmp_path / "forms" / "0111.xlsx")[layout.SHEET_INDICATORS]
    shown = {row[0].value: row[-1].value for row in sheet.iter_rows() if row[0].value}
    assert shown[layout.input_code("ROD-6", "R")] == "6" and shown[layout.input_code("RAT-1", "N")] == "3"
    assert (
        shown["ROD-6"].replace("\u00a0", " ")
        == "50 % (мало данных: «Всего ответивших на анкету» — 6, меньше 10)"
    )


def test_the_computed_samples_are_reproducible(tmp_path: Path) -> None:
    """make_computed.py writes the committed files again, byte for byte."""
    spec = importlib.util.spec_from_file_location("make_computed", SAMPLE / "make_computed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written and all((tmp_path / p).read_bytes() == (SAMPLE / p).read_bytes() for p in written), written
