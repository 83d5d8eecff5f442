"""The robustness section, the audit appendix, the card interval and the ranking.xlsx sheets on a real run.

``score samples/`` with the bundled indicators.yaml (where the analysis is on) runs once;
every output is read back and compared with what results.json stores.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from vosp_monitor.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _forms(tmp: Path) -> Path:
    """The sample forms (wherever they live in the tree) in a folder of their own."""
    folder = tmp / "forms"
    folder.mkdir()
    for path in sorted(SAMPLES.rglob("01*.xlsx")):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robust")
    forms = _forms(tmp)
    out = tmp / "out"
    result = CliRunner().invoke(main, ["score", str(forms), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return tmp, forms, out, data, result.stdout


def _interval(place: dict) -> str:
    low, high = math.floor(place["low"] + 1e-9), math.ceil(place["high"] - 1e-9)
    return f"{low}–{high}" if high > low else str(low)


def test_the_console_names_the_groups(run):
    *_, data, stdout = run
    groups = ", ".join(f"{g['first']}–{g['last']}" for g in data["uncertainty"]["groups"])
    assert f"Устойчивость мест (1000 пересчётов): неразличимые места {groups}" in stdout.replace(
        "\u00a0", " "
    )


def test_report_md_section_says_what_results_json_holds(run):
    _, _, out, data, _ = run
    text = (out / "report.md").read_text(encoding="utf-8")
    section = text.split("## Устойчивость мест", 1)[1].split("## 6.", 1)[0].replace("\u00a0", " ")
    u = data["uncertainty"]
    spans = [
        f"{g['first']} и {g['last']}" if g["last"] == g["first"] + 1 else f"{g['first']}–{g['last']}"
        for g in u["groups"]
    ]
    assert f"**Места {'; '.join(spans)} надёжно различить нельзя.**" in section
    assert "Медиана мест" not in section  # each school's interval is in ranking.xlsx (test below)
    top = u["removals"][0]
    assert f"исключение показателя {top['code']}" in section
    assert "рейтинг пересчитан 1000 раз" in section
    assert "## Качество системы показателей" in text
    for item in data["audit"]["indicators"]:
        assert f"| {item['code']}" in text


def test_report_html_has_the_chart_and_both_sections(run):
    out = run[2]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<section id="robustness">' in html and '<section id="indicator-quality" class="appendix">' in html
    assert 'aria-label="Интервалы мест ОО при изменении весов и способа свёртки"' in html
    assert html.count("<svg ") >= 3


def test_each_card_states_its_interval(run):
    _, _, out, data, _ = run
    for p in data["uncertainty"]["places"][:6]:
        card = (out / "schools" / f"{p['code']}.md").read_text(encoding="utf-8").replace("\u00a0", " ")
        low, high = math.floor(p["low"] + 1e-9), math.ceil(p["high"] - 1e-9)
        expected = (
            f"ОО оказывается на местах от {low} до {high}" if high > low else f"ОО остаётся на {low}-м месте"
        )
        assert expected in card
        assert "Устойчивость места" in (out / "schools" / f"{p['code']}.html").read_text(encoding="utf-8")


def test_ranking_xlsx_sheets_carry_every_school_and_indicator(run):
    _, _, out, data, _ = run
    book = openpyxl.load_workbook(out / "ranking.xlsx", read_only=True)
    assert book.sheetnames[-3:] == ["Устойчивость мест", "Источники разброса мест", "Качество показателей"]
    rows = list(book["Устойчивость мест"].iter_rows(min_row=3, values_only=True))
    places = data["uncertainty"]["places"]
    assert [(r[0], r[1]) for r in rows] == [(p["place"], p["code"]) for p in places]
    assert [(r[4], r[5], r[6], r[7]) for r in rows] == [
        (p["median"], p["low"], p["high"], _interval(p)) for p in places
    ]
    audit = list(book["Качество показателей"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in audit] == [i["code"] for i in data["audit"]["indicators"]]
    assert [r[4] for r in audit] == pytest.approx([i["r_block"] for i in data["audit"]["indicators"]])


def test_no_uncertainty_leaves_no_trace(run):
    tmp, forms, _, _, _ = run
    out = tmp / "plain"
    result = CliRunner().invoke(main, ["score", str(forms), "-o", str(out), "--quiet", "--no-uncertainty"])
    assert result.exit_code == 0, result.output
    assert "Устойчивость мест" not in result.stdout
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["uncertainty"] is None and data["audit"] is not None
    assert "Устойчивость мест" not in (out / "report.md").read_text(encoding="utf-8")
    assert "Устойчивость места" not in (out / "schools" / "0101.md").read_text(encoding="utf-8")
    assert "Устойчивость мест" not in openpyxl.load_workbook(out / "ranking.xlsx", read_only=True).sheetnames


def test_a_skipped_alternative_is_said_in_the_report_and_the_console(run, tmp_path):
    _, forms, _, _, _ = run
    from vosp_monitor.config import default_config_path

    text = default_config_path().read_text(encoding="utf-8")
    config = tmp_path / "indicators.yaml"
    config.write_text(
        text.replace("aggregations: [arithmetic, percent_of_max]", "aggregations: [geometric]"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["score", str(forms), "-c", str(config), "-o", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "проведён без среднего геометрического" in result.stdout
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "**Внимание:** Анализ устойчивости мест проведён без среднего геометрического" in report
    assert "баллы складывались в итог так, как задано в методике" in report


def test_hostile_names_and_codes_stay_text_in_the_section_and_the_chart(tmp_path):
    from factories import HOSTILE_NAMES
    from scoring_helpers import block, linear, make_config, school
    from vosp_monitor.analysis import build_results
    from vosp_monitor.writers.html_md.report import render_reports

    config = make_config(
        [block("P", [linear("X"), linear("Y")])],
        analysis={"uncertainty": {"enabled": True, "runs": 50, "weight_noise": {"indicators": 0.5}}},
    )
    codes = ["$x$", "a|b", "<b>"]
    subs = [
        school(code, {"X": 50 + 3 * i, "Y": 50 - 2 * i}, name=name)
        for i, (code, name) in enumerate(zip(codes, HOSTILE_NAMES, strict=True))
    ]
    results = build_results(config, subs)
    assert results.uncertainty is not None and results.uncertainty.groups
    render_reports(results, tmp_path, cards=False)
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    section = html.split('<section id="robustness">', 1)[1].split("</section>", 1)[0]
    assert "<script>" not in section and "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert "&lt;b&gt;" in section  # the code «<b>» stays text (in the chart and the removals)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    lines = md.split("## Устойчивость мест", 1)[1].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| Показатель |"))  # without X, Y
    rows = [line for line in lines[start:] if line.startswith("|")][:4]
    assert len(rows) == 4 and all(
        line.replace("\\|", "").count("|") == rows[0].replace("\\|", "").count("|") for line in rows
    )
