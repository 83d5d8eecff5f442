"""The справка of the bundled samples as a methodologist reads it (issue 12): written conclusions
(golden text), Russian typography, no codes or dead links on paper, the complete lists, the
cards of excluded schools and of a value left out for an error.

The samples are scored once per module through the command line, as in the Quick start.
Regenerate the golden conclusions after an intended change of wording:
``UPDATE_GOLDEN=1 python -m pytest tests/test_spravka.py``.
"""

from __future__ import annotations

import html as html_module
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from factories import make_results
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.problems import CATALOGUE
from vosp_monitor.report import view as view_module

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).parent / "golden" / "conclusions-samples.md"
UNITS = r"(?:%|ОО|балл\w*|б\.|ед\.)"


def _score(out: Path, *extra: str) -> Path:
    args = ["score", str(SAMPLES / "forms"), "-o", str(out), "--schools", str(SAMPLES / "registry.csv")]
    result = CliRunner().invoke(main, [*args, "--jobs", "1", "--quiet", *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return _score(tmp_path_factory.mktemp("samples") / "out")


def _visible(page: str) -> str:
    """What a reader sees of an HTML page: no styles, scripts, SVG internals or tags."""
    page = re.sub(r"<(style|script|svg)\b.*?</\1>", " ", page, flags=re.S)
    return html_module.unescape(re.sub(r"<[^>]+>", " ", page))


def _conclusions_text(results_json: Path) -> str:
    view = view_module.build_view(read_results_json(results_json))
    lines = ["# Основные выводы", ""]
    lines += [f"{i}. {s}" for i, s in enumerate(view.findings, 1)]
    for note in view.block_notes:
        lines += ["", f"## {note.id}. {note.title}", "", " ".join(note.sentences)]
    lines += ["", "# Целевые показатели", ""]
    lines += [f"- {t.verdict}" + (f" {t.explanation}" if t.explanation else "") for t in view.targets]
    lines += ["", "# Управленческие решения", ""]
    lines += [
        f"{i}. {d.text} — {d.addressee}; {d.deadline}; основание: {d.basis}"
        for i, d in enumerate(view.decisions, 1)
    ]
    return "\n".join(lines).replace("\u00a0", " ") + "\n"


def test_conclusions_of_the_samples_match_the_golden_text(run):
    text = _conclusions_text(run / "results.json")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    assert text == GOLDEN.read_text(encoding="utf-8"), "conclusions changed; UPDATE_GOLDEN=1 to accept"


def test_a_number_and_its_unit_never_part_at_a_line_end(run):
    for name in ("report.html", "report.md", "schools/0103.html"):
        text = (run / name).read_text(encoding="utf-8")
        text = _visible(text) if name.endswith(".html") else text
        assert re.findall(rf"\d {UNITS}(?!\w)", text) == [], name


def test_decimal_commas_everywhere_a_person_reads(run):
    page = _visible((run / "report.html").read_text(encoding="utf-8"))
    page = page.replace(f"vosp-monitor {read_results_json(run / 'results.json').tool_version}", "")
    assert re.findall(r"\d\.\d", page) == []
    md = (run / "report.md").read_text(encoding="utf-8").split("\n---\n")[0]  # the footer names the version
    assert re.findall(r"\d\.\d", md) == []
    assert "«72,5» | 72,5" in md  # what a value was read as, the Russian way


def test_no_problem_code_in_the_spravka(run):
    text = (run / "report.md").read_text(encoding="utf-8") + _visible(
        (run / "report.html").read_text(encoding="utf-8")
    )
    assert [code for code in CATALOGUE if code in text] == []
    assert "Не заполнено поле сведений об ОО" in text  # the problem's Russian title instead


def test_headings_symbols_and_links_read_right_on_paper(run):
    md = (run / "report.md").read_text(encoding="utf-8")
    assert [h for h in re.findall(r"^### (.+)$", md, re.M) if re.match(r"\d", h)] == []  # no «10. МБОУ…»
    html = (run / "report.html").read_text(encoding="utf-8")
    assert "Место в группе «Тип ОО»" in html and "Место в группе «Местность»" in html
    assert "Место в группе «Тип ОО»" in md
    # ★ is a critical indicator, ▼ a block below base: one meaning per symbol.
    assert "★ — критический показатель" in md and "▼ — уровень «ниже базового»" in md
    ranking = md.split("## Рейтинг общеобразовательных организаций")[1].split("## ")[0]
    assert "★" not in ranking
    # A link to a card is for the screen; on paper the section names no folder (no file names on paper).
    assert all('class="no-print"' in link for link in re.findall(r"<a [^>]*>Карточка ОО</a>", html))
    assert "полные сведения по ОО — и в её карточке." in html and "папка schools" not in html
    # No numbered section of the body forces a new printed page (no half-empty pages before
    # them); the appendices do.
    page_breaks = re.findall(r'<h2 class="page">([^<]+)', html)
    assert [h for h in page_breaks if re.match(r"\d", h)] == []
    assert {
        "Рейтинг общеобразовательных организаций",
        "Адресные рекомендации общеобразовательным организациям",
        "Качество данных",
    } <= set(page_breaks)


def test_target_charts_name_every_school(run):
    html = (run / "report.html").read_text(encoding="utf-8")
    results = read_results_json(run / "results.json")
    figures = re.findall(r"<figure><svg[^>]*aria-label=\"Достижение цели[^\"]*\".*?</figure>", html, re.S)
    assert len(figures) == len(results.targets)
    for figure in figures:
        assert all(html_module.escape(s.name, quote=False)[:40] in figure for s in results.schools)


def test_the_samples_folder_holds_forms_only(run):
    results = read_results_json(run / "results.json")
    assert results.skipped == []
    assert "не книга Excel" not in (run / "report.md").read_text(encoding="utf-8")


def test_lists_go_weakest_first_and_nothing_is_cut_silently(run):
    results = read_results_json(run / "results.json")
    view = view_module.build_view(results)
    totals = [r.total for r in view.risk]
    assert totals == sorted(totals)
    assert [r.school.total for r in view.recommendations] == sorted(
        r.school.total for r in view.recommendations
    )
    md = (run / "report.md").read_text(encoding="utf-8")
    appendix = md.split("## Адресные рекомендации общеобразовательным организациям")[1].split("## ")[0]
    for rec in view.recommendations:
        row = next(
            line
            for line in appendix.splitlines()
            if line.startswith(f"| {rec.school.place} | {rec.school.code} |")
        )
        assert all(f"**{d.code}**" in row for d in rec.deficits)
    body = md.split("## 8. Адресные рекомендации")[1].split("\n## ")[0]
    assert body.count("\n### ") == min(view.recommendations_count, results.config.analysis.body_schools)
    if view.recommendations_appendix:
        assert f"все {view.recommendations_count} — в приложении 3 к приказу" in body


def test_an_excluded_school_gets_a_card_saying_what_to_correct(run):
    card = (run / "schools" / "0107.md").read_text(encoding="utf-8")
    assert "ОО не включена в рейтинг" in card and "пришлите форму заново" in card
    assert "Показатели!E16" in card and "числитель 5 больше знаменателя 3" in card
    html = (run / "schools" / "0107.html").read_text(encoding="utf-8")
    assert "Показатели!E16" in html
    report = (run / "report.html").read_text(encoding="utf-8")
    assert 'href="schools/0107.html"' in report  # the excluded list links to it


def test_a_value_left_out_for_an_error_says_so_on_the_card(tmp_path):
    """With validation.invalid_value: not_applicable, 0107 is ranked without RES-5 — and its card
    says the value was left out for an error, not that it does not apply."""
    from vosp_monitor.config import default_config_path

    config = tmp_path / "indicators.yaml"
    text = default_config_path().read_text(encoding="utf-8")
    config.write_text(
        text.replace("  invalid_value: error\n", "  invalid_value: not_applicable\n"), encoding="utf-8"
    )
    out = _score(tmp_path / "out", "-c", str(config))
    card = (out / "schools" / "0107.md").read_text(encoding="utf-8")
    row = next(line for line in card.splitlines() if line.startswith("| RES-5 |"))
    assert "не учитывается: ошибка в данных" in row and "числитель 5 больше знаменателя 3" in row
    assert "не применяется" not in row


def test_headline_figures_agree_with_their_numbers():
    view = view_module.build_view(make_results(n_schools=19))  # 19 ranked + 2 excluded = 21 forms
    labels = {k.value.split()[0]: k.label for k in view.kpis}
    # «21 из 23 организаций представила форму»: the noun after «из 23», the verb with 21
    assert labels["21"].startswith("организаций представила форму")
    systemic = view.kpis[-1]
    assert systemic.label in ("системный дефицит", "системных дефицита", "системных дефицитов")
    n = int(systemic.value)
    expected = (
        "системный дефицит"
        if n % 10 == 1 and n % 100 != 11
        else (
            "системных дефицита"
            if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14)
            else "системных дефицитов"
        )
    )
    assert systemic.label == expected


def test_ranking_xlsx_prints_readably_with_one_format_per_column(run):
    import openpyxl

    book = openpyxl.load_workbook(run / "ranking.xlsx")
    ranking, points = book["Рейтинг"], book["Баллы"]
    assert ranking.page_setup.orientation == "landscape" and ranking.page_setup.paperSize == 9
    assert ranking.sheet_properties.pageSetUpPr.fitToPage  # one page wide (Excel's default width 1) …
    assert (
        ranking.page_setup.fitToWidth in (None, 1) and ranking.page_setup.fitToHeight == 0
    )  # … as many down
    # 23 indicator columns do not shrink to 5 pt: 80 % across pages, code and name on each.
    assert not (points.sheet_properties.pageSetUpPr and points.sheet_properties.pageSetUpPr.fitToPage)
    assert points.page_setup.scale == 80 and points.print_title_cols == "$A:$C"
    assert "&P" in (ranking.oddFooter.right.text or "")  # page numbers on paper
    header = [c.value for c in points[1]]
    column = {h.split()[0]: i for i, h in enumerate(header) if h and "(макс." in h}
    formats = {
        code: {row[i].number_format for row in points.iter_rows(min_row=2)} for code, i in column.items()
    }
    assert formats["UPR-2"] == {"0"}  # whole points of a bands scale
    assert formats["ROD-3"] == {"0.0"}  # linear: fractional points, one decimal for every school
    assert {"Исключены", "Не представили"} <= set(book.sheetnames)
