"""report.html in a real headless Chromium: no console errors, no network, sorting works.

Needs Playwright for Python and Debian's Chromium (``/usr/bin/chromium``); CI installs both.
Playwright's own browser download is never used. Leaves a full-page screenshot in
``tests/artifacts/report.png`` for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factories import make_results
from vosp_monitor.writers.html_md.report import render_reports

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright для Python не установлен")
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium не найден ({CHROMIUM})")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    render_reports(make_results(), out)
    return out / "report.html"


def _open(browser, path: Path):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    events = {"console": [], "requests": [], "errors": []}
    page.on(
        "console",
        lambda msg: (
            events["console"].append(f"{msg.type}: {msg.text}") if msg.type in ("error", "warning") else None
        ),
    )
    page.on("pageerror", lambda exc: events["errors"].append(str(exc)))
    page.on("request", lambda request: events["requests"].append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    return page, events


def _column(page, index: int) -> list[str]:
    return page.eval_on_selector_all(
        "#ranking-table tbody tr", f"rows => rows.map(r => r.cells[{index}].textContent.trim())"
    )


def test_report_opens_offline_and_sorts(browser, report):
    page, events = _open(browser, report)
    assert events["errors"] == []
    assert events["console"] == []
    assert events["requests"] == [report.as_uri()]  # the file itself and nothing else

    places = _column(page, 0)
    assert places == sorted(places, key=int)
    # Sort by the school's name (text), then by total ascending (numbers written «12,5»).
    page.click("#ranking-table thead th:nth-child(3) .sort")
    names = _column(page, 2)
    assert _column(page, 0) != places
    page.click("#ranking-table thead th:nth-child(3) .sort")
    assert _column(page, 2) == names[::-1]  # names are distinct, so descending is the reverse
    page.click("#ranking-table thead th:nth-child(4) .sort")
    totals = [float(t.replace(",", ".")) for t in _column(page, 3)]
    assert totals == sorted(totals)
    assert _column(page, 0) != places
    assert page.get_attribute("#ranking-table thead th:nth-child(4)", "aria-sort") == "ascending"
    page.click("#ranking-table thead th:nth-child(4) .sort")
    totals_desc = [float(t.replace(",", ".")) for t in _column(page, 3)]
    assert totals_desc == sorted(totals, reverse=True)
    assert page.get_attribute("#ranking-table thead th:nth-child(4)", "aria-sort") == "descending"

    # The hostile name is shown as text and did not run.
    assert page.locator("text=<script>alert(1)</script>").count() >= 1
    assert page.evaluate("() => typeof window.alert") == "function"

    page.fill("#ranking-table-controls input[type=search]", "0101")
    assert len(_column(page, 0)) == 1

    ARTIFACTS.mkdir(exist_ok=True)
    page.fill("#ranking-table-controls input[type=search]", "")
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert events["errors"] == [] and events["console"] == []
    assert events["requests"] == [report.as_uri()]
    page.close()


def test_school_card_opens_offline(browser, report):
    card = report.parent / "schools" / "0101.html"
    page, events = _open(browser, card)
    assert events["errors"] == [] and events["console"] == []
    assert events["requests"] == [card.as_uri()]
    assert page.locator("h1").inner_text() == "<script>alert(1)</script>"
    page.screenshot(path=str(ARTIFACTS / "school.png"), full_page=True)
    page.close()


def test_printed_report_breaks_no_header_word(browser, report, tmp_path):
    """report.html printed by Chromium (A4, as a reader prints it): every word of a table header
    is found whole in the PDF as often as the headers hold it."""
    from pdf_words import PDFTOTEXT, broken, printed_words, words

    if PDFTOTEXT is None:
        pytest.skip("pdftotext не установлен")
    page, _ = _open(browser, report)
    headers = words(" ".join(page.eval_on_selector_all("th", "cells => cells.map(c => c.textContent)")))
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4")
    page.close()
    assert len(headers) > 10
    assert broken(headers, headers, printed_words(pdf)) == []
