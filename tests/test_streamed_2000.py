"""A 2 000-school run's tables are the same whichever way they are written (issue 28).

At scale ranking.xlsx is written by a worker process from rows sent to it
(``writers.xlsx.remote``) and results.json is streamed school by school (``results.store``);
tests/test_remote_workbook.py compares both ways on small hostile results, this on the scale
the issue names: the samples' 24 forms replicated to 2 000 schools with distinct codes
(``factories.replicate``, as benchmarks/dynamics.py does), scored and analysed, the order's
decisions from the справка's view.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from factories import replicate
from vosp_monitor.analysis import build_results
from vosp_monitor.config import load_config
from vosp_monitor.pipeline import collect
from vosp_monitor.report.addressees import DecisionSet
from vosp_monitor.report.view import build_view
from vosp_monitor.results import Results, results_to_dict, write_results_json
from vosp_monitor.writers import tables

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SCHOOLS = 2000


@pytest.fixture(scope="module")
def results() -> Results:
    config = load_config()
    forms = collect(SAMPLES / "forms", config, jobs=1).scorable
    return build_results(config, replicate(forms, SCHOOLS), uncertainty=False)


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def test_the_tables_of_2000_schools_are_the_same_written_by_the_worker_or_here(
    results, tmp_path, monkeypatch
):
    sets = [DecisionSet("", build_view(results, cards=False).decisions)]
    assert any(d.roster is not None and len(d.roster.codes) > 100 for d in sets[0].decisions)
    monkeypatch.setattr(tables, "PARALLEL_FROM", 10**9)  # every table in this process
    here = tables.write_tables(results, tmp_path / "here", sets)
    monkeypatch.setattr(tables, "PARALLEL_FROM", 1)
    monkeypatch.setattr(tables.os, "cpu_count", lambda: 2)
    there = tables.write_tables(results, tmp_path / "worker", sets)
    assert [p.name for p in here] == [p.name for p in there]
    for path in here:
        other = tmp_path / "worker" / path.name
        if path.suffix == ".xlsx":
            mine, theirs = _parts(path), _parts(other)
            assert list(mine) == list(theirs)
            assert [name for name in mine if mine[name] != theirs[name]] == []
        else:
            assert path.read_bytes() == other.read_bytes(), path.name


def test_the_streamed_results_json_of_2000_schools_holds_what_the_whole_dict_holds(results, tmp_path):
    """Above ``INDENT_UP_TO`` schools results.json is streamed compact, one school at a time."""
    path = tmp_path / "results.json"
    write_results_json(results, path)
    assert path.read_bytes()[:2] == b'{"'  # compact: the streamed path, not the indented one
    assert json.loads(path.read_text(encoding="utf-8")) == results_to_dict(results)
