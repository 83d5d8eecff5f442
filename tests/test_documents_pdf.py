"""--pdf through LibreOffice: every Word document converts and has a sane number of pages;
without LibreOffice the run stops before reading any form and says how to install it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pdf_words import PDFTOTEXT, broken, docx_words, printed_words
from vosp_monitor.cli import main
from vosp_monitor.writers.pdf import SOFFICE_ENV, find_soffice

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"


def _pages(pdf: Path) -> int:
    """Pages of a PDF LibreOffice wrote (its page tree's /Count; no PDF library needed)."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf.read_bytes())]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf.read_bytes())]
    assert counts, f"{pdf.name}: no page tree"
    return max(counts)


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) is not installed: CI installs it")
def test_every_document_converts_to_pdf_with_a_sane_page_count(tmp_path):
    out = tmp_path / "out"
    args = ["score", str(SAMPLES / "forms"), "-o", str(out), "--schools", str(SAMPLES / "registry.csv")]
    result = CliRunner().invoke(main, [*args, "--pdf", "--quiet"])
    assert result.exit_code == 0, result.output
    documents = sorted([*out.glob("*.docx"), *out.glob("letters/*.docx")])
    assert len(documents) == 3 + 25  # report, order, letters.docx and a letter to each of 25 schools
    pages = {doc.relative_to(out).as_posix(): _pages(doc.with_suffix(".pdf")) for doc in documents}
    assert 15 <= pages["report.docx"] <= 45, pages["report.docx"]
    assert 1 <= pages["order.docx"] <= 4, pages["order.docx"]
    letters = {name: n for name, n in pages.items() if name.startswith("letters/")}
    assert all(1 <= n <= 3 for n in letters.values()), letters
    assert pages["letters.docx"] == sum(letters.values())  # the combined file: every letter, whole
    if PDFTOTEXT is not None:  # no header word broken in two by a column narrower than the word
        for doc in (out / "report.docx", out / "letters" / "0122.docx", out / "letters" / "0107.docx"):
            header, everything = docx_words(doc)
            assert len(header) > 5, doc.name
            assert broken(header, everything, printed_words(doc.with_suffix(".pdf"))) == [], doc.name


@pytest.mark.skipif(
    find_soffice() is None or PDFTOTEXT is None, reason="LibreOffice or pdftotext is not installed"
)
def test_the_header_check_sees_a_broken_word(tmp_path):
    """A 12 mm column cannot hold «общеобразовательных»: LibreOffice breaks it, and the check says so."""
    import subprocess

    import docx
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), (12, 60), strict=True):
        column.set(qn("w:w"), str(round(width / 25.4 * 1440)))
    for k, width in enumerate((12, 60)):
        for cell in table.columns[k].cells:
            cell.width = Mm(width)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Общеобразовательных", "Медиана"
    path = tmp_path / "narrow.docx"
    document.save(str(path))
    subprocess.run(
        [str(find_soffice()), "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    header, everything = docx_words(path)
    assert broken(header, everything, printed_words(tmp_path / "narrow.pdf")) == ["общеобразовательных"]


def test_pdf_without_libreoffice_says_how_to_install_it_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "нет-такого" / "soffice.exe"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on PATH either
    monkeypatch.setattr("vosp_monitor.writers.pdf._PLACES", ())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["score", str(SAMPLES / "forms"), "-o", str(out), "--pdf"])
    assert result.exit_code == 1
    assert "нужен LibreOffice" in result.stderr and "winget install" in result.stderr
    assert "apt install libreoffice-writer" in result.stderr
    assert not out.exists()


def test_the_word_templates_are_what_the_generator_writes(tmp_path):
    """templates/*.docx are never edited by hand: regenerated, they are the same bytes."""
    from tools.wordgen import TEMPLATES, build_templates

    build_templates(tmp_path)
    for name in TEMPLATES:
        assert (tmp_path / name).read_bytes() == (REPO / "templates" / name).read_bytes(), (
            f"templates/{name} is out of date: run python -m tools.wordgen"
        )
