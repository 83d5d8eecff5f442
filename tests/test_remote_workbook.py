"""ranking.xlsx written by a worker process (writers/xlsx/remote.py): the same file as written
in this process, the run's other tables unchanged, errors that come back as they would have
been raised here, and no worker left behind."""

from __future__ import annotations

import zipfile
from pathlib import Path

import psutil
import pytest

from test_tables import _tricky_results, _unruly_results
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.writers import tables
from vosp_monitor.writers.xlsx.ranking import write_ranking_xlsx
from vosp_monitor.writers.xlsx.remote import RemoteWorkbook, WorkbookFailed

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def _children() -> list[str]:
    """This process's live children but multiprocessing's resource tracker (one per session)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            line = " ".join(child.cmdline())
            if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in line:
                found.append(line)
        except psutil.NoSuchProcess:
            continue
    return found


@pytest.mark.parametrize("make", [_tricky_results, _unruly_results])
def test_the_worker_writes_the_same_workbook(tmp_path, make) -> None:
    """Hostile texts, NaN, comments, every sheet: byte for byte what this process writes
    (but the creation time in docProps/core.xml)."""
    results = make()
    write_ranking_xlsx(results, tmp_path / "here.xlsx")
    write_ranking_xlsx(results, tmp_path / "worker.xlsx", worker=True)
    here, there = _parts(tmp_path / "here.xlsx"), _parts(tmp_path / "worker.xlsx")
    assert list(here) == list(there)
    assert [name for name in here if here[name] != there[name]] == []
    assert _children() == []


def test_write_tables_with_the_worker_writes_what_it_writes_without(tmp_path, monkeypatch) -> None:
    """Last year's sample results (a district, with earlier years) through write_tables both ways:
    every table the same, listed in the same order."""
    results = read_results_json(SAMPLES / "years" / "2024-2025" / "results.json")
    without = tables.write_tables(results, tmp_path / "here")
    monkeypatch.setattr(tables, "PARALLEL_FROM", 1)
    monkeypatch.setattr(tables.os, "cpu_count", lambda: 2)
    waited: list[bool] = []  # the workbook's worker starts once the charts' worker has ended
    with_worker = tables.write_tables(
        results, tmp_path / "worker", workbook_after=lambda: waited.append(True)
    )
    assert waited == [True]
    assert [p.name for p in without] == [p.name for p in with_worker]
    for path in without:
        if path.suffix == ".xlsx":
            assert _parts(path) == _parts(tmp_path / "worker" / path.name)
        else:
            assert path.read_bytes() == (tmp_path / "worker" / path.name).read_bytes(), path.name
    assert _children() == []


def test_a_disk_error_in_the_worker_is_raised_here_as_the_oserror_behind_it(tmp_path) -> None:
    """xlsxwriter wraps the OSError of a failed write in its own error; the worker sends the
    OSError, so the run reports it as a write failure naming the file (outputs/staging.py)."""
    target = tmp_path / "no such folder" / "ranking.xlsx"
    with pytest.raises(FileNotFoundError) as raised, RemoteWorkbook(target) as book:
        sheet = book.sheet("Рейтинг", ["Код ОО", "Балл"])
        sheet.write_row(["0101", 75.5])
        sheet.finish()
    assert "ranking.xlsx" in str(raised.value.filename)
    assert _children() == []


def test_a_worker_that_dies_is_an_internal_error_and_an_error_here_stops_it(tmp_path) -> None:
    book = RemoteWorkbook(tmp_path / "r.xlsx")
    book._process.kill()
    book._process.join()
    sheet = book.sheet("Рейтинг", ["Код ОО"])
    with pytest.raises(WorkbookFailed):
        for i in range(100_000):  # a batch is sent every few hundred rows: the dead pipe answers
            sheet.write_row([f"{i:06d}"])
        book.close()
    with pytest.raises(ZeroDivisionError), RemoteWorkbook(tmp_path / "s.xlsx") as other:
        other.sheet("Рейтинг", ["Код ОО"]).write_row(["0101"])
        _ = 1 / 0  # a bug in a sheet function: the worker is stopped, the error is ours
    assert _children() == []
