"""--pdf with a LibreOffice that misbehaves, as real processes (tests/fake_soffice.py): one that hangs
in a child holding its output ends within the deadline, killed with its children, leaving no lock,
staging folder or profile; long lists go in batches LibreOffice can take; every PDF is checked;
a first start that aborts is tried again; progress is reported."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from test_outputs import copy_forms, leftovers, score, snapshot
from vosp_monitor.writers import pdf
from vosp_monitor.writers.pdf import BATCH, STEP, PdfError, convert_to_pdf, valid_pdf

pytestmark = pytest.mark.skipif(os.name == "nt", reason="the fake LibreOffice is a POSIX script")
TESTS = Path(__file__).resolve().parent


@pytest.fixture()
def fake(tmp_path, monkeypatch):
    """The fake soffice as VOSP_SOFFICE, a private temporary folder, and its logs."""
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(TESTS)!r})\nfrom fake_soffice import main\nmain()\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(script))
    for name in ("LOG", "PIDS"):
        monkeypatch.setenv(f"FAKE_SOFFICE_{name}", str(tmp_path / f"fake-{name.lower()}.txt"))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    return tmp_path


def _mode(monkeypatch, mode: str) -> None:
    monkeypatch.setenv("FAKE_SOFFICE_MODE", mode)


def _lines(path: Path) -> list[int]:
    return [int(line) for line in path.read_text(encoding="utf-8").split()] if path.exists() else []


def _alive(pids: list[int]) -> list[int]:
    """The processes of the fake still running a moment after the run (zombies are not running)."""
    time.sleep(0.5)
    alive = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except psutil.NoSuchProcess:
            continue
    return alive


def _documents(folder: Path, count: int, prefix: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    docs = [folder / f"{prefix}{i:05d}.docx" for i in range(count)]
    for doc in docs:
        doc.write_bytes(b"PK word")
    return docs


@pytest.mark.parametrize("mode", ["hang", "orphan"])
def test_a_libreoffice_that_hangs_in_a_child_ends_within_the_deadline(fake, monkeypatch, mode) -> None:
    """The wrapper hangs (or ends) while its child sleeps holding stderr: the run ends within its
    deadline with a clear message, the child killed with it, nothing left behind."""
    _mode(monkeypatch, mode)
    monkeypatch.setattr(pdf, "TIMEOUT_BASE", 4.0)
    monkeypatch.setattr(pdf, "TIMEOUT_PER_FILE", 0.05)
    forms = copy_forms(fake / "forms", ["0101", "0102", "0103"])
    out = fake / "out"
    assert score(forms, out).exit_code == 0  # an earlier run's results, kept as they are
    before = snapshot(out)
    started = time.monotonic()
    result = score(forms, out, "--pdf")
    took = time.monotonic() - started
    assert result.exit_code == 1, result.output
    first = result.stderr.splitlines()[0]
    if mode == "hang":
        assert first.startswith(
            "Ошибка: LibreOffice не уложился в 4 с (сделано PDF: 0 из 6) и был остановлен."
        ), first
        assert took < 60
    else:  # the wrapper ended at once, twice (a second attempt), and made nothing
        assert first.startswith(
            "Ошибка: LibreOffice не смог сделать PDF: не созданы report.pdf, order.pdf"
        ), first
    assert snapshot(out) == before and leftovers(out) == []
    assert list((fake / "tmp").iterdir()) == []  # the LibreOffice profiles and logs are gone
    assert _alive(_lines(fake / "fake-pids.txt")) == []


def test_long_lists_go_in_batches_and_two_thousand_documents_convert(fake, monkeypatch) -> None:
    """LibreOffice 7.4 converts at most ~245 files of one call and exits 0: the fake does the same."""
    _mode(monkeypatch, "convert")
    docs = _documents(fake / "letters", 2000) + _documents(fake / "root", 3, "report-")
    heard: list[tuple[str, int, int]] = []
    pdfs = convert_to_pdf(docs, steps=lambda *said: heard.append(said))
    assert pdfs == [doc.with_suffix(".pdf") for doc in docs] and all(map(valid_pdf, pdfs))
    calls = _lines(fake / "fake-log.txt")
    assert sum(calls) == 2003 and max(calls) <= BATCH < 245
    assert heard[0] == (STEP, 0, 2003) and heard[-1] == (STEP, 2003, 2003)
    assert [done for _, done, _ in heard] == sorted(done for _, done, _ in heard)


def test_a_first_start_that_aborts_is_tried_again(fake, monkeypatch) -> None:
    _mode(monkeypatch, "abort-first")
    docs = _documents(fake / "letters", 30)
    assert all(map(valid_pdf, convert_to_pdf(docs)))
    assert _lines(fake / "fake-log.txt") == [30, 30]  # aborted, then converted with the profile it set up


def test_every_pdf_is_checked_and_a_cut_one_is_named(fake, monkeypatch) -> None:
    _mode(monkeypatch, "cut")
    docs = _documents(fake / "letters", 5) + _documents(fake / "letters", 1, "cut-")
    with pytest.raises(
        PdfError, match=r"^LibreOffice не смог сделать PDF: не созданы cut-00000\.pdf \(код завершения 0"
    ):
        convert_to_pdf(docs)
    assert _lines(fake / "fake-log.txt")[-1] == 1  # the cut one alone, a second time


def test_a_vosp_soffice_that_is_not_a_program_is_said_before_any_form_is_read(fake, monkeypatch) -> None:
    plain = fake / "bin" / "soffice.txt"
    plain.write_text("not a program", encoding="utf-8")
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(plain))
    monkeypatch.setattr("vosp_monitor.pipeline.collecting.collect", lambda *a, **k: pytest.fail("read forms"))
    result = score(copy_forms(fake / "forms", ["0101"]), fake / "out", "--pdf")
    assert result.exit_code == 1
    assert (
        f"{plain} (переменная VOSP_SOFFICE или путь к LibreOffice) — файл без права на запуск"
        in result.stderr
    )
    assert not (fake / "out").exists()


def test_a_regional_run_with_pdf_has_a_pdf_beside_every_word_document(fake) -> None:
    """The regional documents, the letters to the municipal authorities, and in each
    municipality's set its справка, order and school letters (one by one and together), as
    --pdf promises (README: «рядом с каждым документом Word появляется его PDF-копия»)."""
    region = TESTS.parent / "samples" / "region"
    out = fake / "out"
    result = score(
        region / "forms", out, "--schools", region / "registry.csv", "-c", region / "indicators.yaml", "--pdf"
    )
    assert result.exit_code == 0, result.output
    documents = sorted(out.rglob("*.docx"))
    letters = [d for d in documents if d.parent.name == "letters"]
    assert len(letters) >= 19 and any(d.name == "letters.docx" for d in documents)
    assert [d for d in documents if not valid_pdf(d.with_suffix(".pdf"))] == []
    assert sum(_lines(fake / "fake-log.txt")) == len(documents)  # each converted once
