"""The справка of 600 generated schools (benchmarks/generate.py): complete and printable.

Issue 12, item 4: every school in the ranking appendix, every school of the risk zone with
its recommendations (weakest first), nothing silently cut, and the HTML printed by headless
Chromium on at most 80 A4 pages. The page count depends on the narrow face the appendix
tables print in (templates/_report.css): with Liberation Sans Narrow (Debian's
fonts-liberation) or Arial Narrow the справка takes 77 pages, a row of the ranking on one
line (the long tables' columns are measured at that size: html.py's _colgroup); with only
DejaVu Sans Condensed (fonts-liberation2 has no narrow face) its rows wrap and it takes
more, so the page test needs one of the two narrow faces,
as it needs Chromium. The district is generated and scored once for the module
(about 10 s), and printed once (about 10 s more): the tests are marked slow; CI runs them
(the README's test command selects every test).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.report import view as view_module

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SCHOOLS = 600
MAX_PAGES = 80
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NARROW_FACES = ("Arial Narrow", "Liberation Sans Narrow")  # the first two of _report.css's list


def _narrow_face() -> str | None:
    """The narrow face of the appendix tables that fontconfig has (Chromium uses fontconfig)."""
    if not shutil.which("fc-list"):
        return None
    families = subprocess.run(["fc-list", ":", "family"], check=True, capture_output=True, text=True).stdout
    return next((face for face in NARROW_FACES if face in families), None)


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    base = tmp_path_factory.mktemp("district600")
    forms, out = base / "forms", base / "out"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(SCHOOLS), str(forms)],
        check=True,
        capture_output=True,
    )
    result = CliRunner().invoke(main, ["score", str(forms), "-o", str(out), "--no-cards", "--quiet"])
    assert result.exit_code == 0, result.output
    return out, read_results_json(out / "results.json")


def _rows(html: str, table: str) -> list[str]:
    body = re.search(rf'<table id="{table}"[^>]*>.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body is not None, table
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def test_every_school_is_in_the_ranking_appendix(district):
    out, results = district
    html = (out / "report.html").read_text(encoding="utf-8")
    rows = _rows(html, "ranking-table")
    assert len(rows) == len(results.schools) > 500  # all in the page, so print shows all
    codes = [_cells(row)[1] for row in rows]
    assert codes == [s.code for s in results.schools]
    md = (out / "report.md").read_text(encoding="utf-8")
    ranking = md.split("## Рейтинг общеобразовательных организаций")[1].split("## ")[0]
    assert sum(line.startswith("| ") and line[2].isdigit() for line in ranking.splitlines()) == len(
        results.schools
    )


def test_every_risk_zone_school_is_in_the_appendix_with_its_recommendations_weakest_first(district):
    out, results = district
    html = (out / "report.html").read_text(encoding="utf-8")
    rows = _rows(html, "all-recommendations-table")
    view = view_module.build_view(results, cards=False)
    assert len(rows) == view.recommendations_count >= len(results.risk) > 100
    listed = {_cells(row)[1]: row for row in rows}
    by_code = {s.code: s for s in results.schools}
    for entry in results.risk:
        row = listed[entry.code]
        bold = re.findall(r"<b>(.*?)</b>", row)  # a code kept on one line: <b><span class="nb">…</span></b>
        codes = {re.sub(r"<[^>]+>", "", b) for b in bold}
        assert set(by_code[entry.code].deficits) <= codes, entry.code
    totals = [float(re.findall(r'<td class="n">([^<]*)</td>', row)[1].replace(",", ".")) for row in rows]
    assert totals == sorted(totals)  # weakest first
    # The body names the weakest and says where the rest is: nothing is cut silently.
    limit = results.config.analysis.body_schools
    body = re.search(r'<section id="recommendations">(.*?)</section>', html, re.S).group(1)
    assert body.count("<h3>") == limit
    assert f"все {view.recommendations_count} — в приложении 3 к приказу" in html.replace("\u00a0", " ")
    risk = re.search(r'<section id="leaders">.*?</section>', html, re.S).group(0)
    assert f"Названы {limit} самых слабых из {len(results.risk)}" in risk.replace("\u00a0", " ")


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).is_file(), reason="Chromium не найден")
def test_the_spravka_of_600_schools_prints_on_at_most_80_pages(district, tmp_path):
    if _narrow_face() is None:
        pytest.skip(
            "нет узкого шрифта Liberation Sans Narrow (Debian: apt-get install fonts-liberation) или "
            "Arial Narrow: без него строки приложений переносятся и страниц больше"
        )
    out, _ = district
    pdf = tmp_path / "report.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            (out / "report.html").as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pages = _page_count(pdf)
    assert 20 < pages <= MAX_PAGES, pages
    if shutil.which("pdftotext"):
        # The ranking's header repeats, with its words, on every page it runs over (a header
        # made of form controls printed blank on continuation pages).
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        ranking = (
            text.split("Рейтинг общеобразовательных организаций")[-1].split("Приложение 3")[0].split("\f")
        )
        assert len(ranking) > 5
        assert all("Уровень" in page for page in ranking if re.search(r"\(синтетическая\)", page))


def _page_count(pdf: Path) -> int:
    """Pages of a PDF: pdfinfo when poppler is installed, else the page objects counted."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
