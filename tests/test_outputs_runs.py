"""A run is all or nothing: killed runs, a broken template and two runs at once never mix two runs.

A run that must be killed or held mid-write is a real ``python -m vosp_monitor`` process:
the test-only hook (``VOSP_TEST_PAUSE``) makes it stop at a named point — before writing
report.html, or halfway through switching its files in — and wait, so the kill lands
there deterministically.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from test_outputs import copy_forms, leftovers, score, snapshot
from vosp_monitor.cli import main
from vosp_monitor.outputs import LOCK_NAME, MANIFEST_NAME, PAUSE_ENV, PAUSE_FLAG_ENV, STAGING_PREFIX
from vosp_monitor.outputs.manifest import read_manifest

SRC = Path(__file__).resolve().parents[1] / "src"
WAIT = 90.0  # seconds for a spawned run to reach its pause point on a busy machine


def score_command(forms: Path, out: Path) -> list[str]:
    """``vosp-monitor score`` as a process of its own (one reader, no progress bar)."""
    return [
        sys.executable,
        "-m",
        "vosp_monitor",
        "score",
        str(forms),
        "-o",
        str(out),
        "--jobs",
        "1",
        "--quiet",
    ]


class PausedRun:
    """``vosp-monitor score`` in its own process, stopped at ``point`` until resumed or killed."""

    def __init__(self, tmp_path: Path, forms: Path, out: Path, point: str) -> None:
        self.flag = tmp_path / f"paused-{point.strip(':').replace('.', '-')}"
        env = {**os.environ, "PYTHONPATH": str(SRC), PAUSE_ENV: point, PAUSE_FLAG_ENV: str(self.flag)}
        self.process = subprocess.Popen(
            score_command(forms, out), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + WAIT
        while not self.flag.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                _, err = self.process.communicate()
                pytest.fail(f"the run did not reach {point}: {err.decode(errors='replace')}")
            time.sleep(0.05)

    def kill(self) -> None:
        self.process.kill()  # SIGKILL on POSIX, TerminateProcess on Windows
        self.process.communicate()

    def resume(self) -> tuple[int, str]:
        self.flag.unlink()
        _, err = self.process.communicate(timeout=WAIT)
        return self.process.returncode, err.decode("utf-8")


@pytest.fixture()
def folders(tmp_path):
    """Two districts' forms and an output folder that already holds the first district's results."""
    first = copy_forms(tmp_path / "first", ["0101", "0102", "0103"])
    second = copy_forms(tmp_path / "second", ["0104", "0105"])
    out = tmp_path / "out"
    assert score(first, out).exit_code == 0
    return first, second, out


def outputs_of(out: Path) -> dict[str, bytes]:
    return {
        rel: data for rel, data in snapshot(out).items() if not rel.startswith((STAGING_PREFIX, LOCK_NAME))
    }


def test_a_run_killed_while_writing_leaves_the_previous_results_and_is_cleaned_up(tmp_path, folders):
    first, second, out = folders
    before = snapshot(out)
    run = PausedRun(tmp_path, second, out, "report.html")
    staged = [p for p in out.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert staged and (staged[0] / "new" / "ranking.xlsx").is_file()  # it was writing
    run.kill()
    assert outputs_of(out) == before  # tables of the killed run never reached the folder
    assert sorted(leftovers(out)) == sorted([LOCK_NAME, staged[0].name])
    assert score(first, out).exit_code == 0  # the lock of a dead process is taken over
    assert leftovers(out) == []
    assert outputs_of(out).keys() == before.keys()


def test_a_run_killed_while_switching_is_finished_by_the_next_run(tmp_path, folders):
    _first, second, out = folders
    run = PausedRun(tmp_path, second, out, ":switch")
    run.kill()
    # Killed halfway: the names the old set had not are in (cards of the new schools), every name
    # of the old set still holds its old file (none is missing), the old cards are still there.
    indicators = (out / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "0101" in indicators and "0104" not in indicators
    assert (out / "schools" / "0104.md").exists() and (out / "schools" / "0101.md").exists()
    # The next run into the folder (any command) finishes that switch before its own work.
    validated = CliRunner().invoke(main, ["validate", str(second), "-o", str(out)])
    assert validated.exit_code in (0, 1), validated.output
    assert leftovers(out) == []
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["source"] == str(second)
    assert sorted(p.name for p in (out / "schools").iterdir()) == [
        "0104.html",
        "0104.md",
        "0105.html",
        "0105.md",
    ]
    manifest = read_manifest(out)
    assert manifest is not None
    on_disk = {
        p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != MANIFEST_NAME
    }
    assert set(manifest.files) == on_disk
    assert {manifest.runs[r.run].command for r in manifest.files.values()} == {"score", "validate"}


def test_a_broken_template_leaves_the_previous_results_exactly(tmp_path, folders):
    first, _second, out = folders
    before = snapshot(out)
    mine = tmp_path / "шаблоны"
    mine.mkdir()
    (mine / "school.md.j2").write_text("{% if %}\n", encoding="utf-8")  # fails after tables and report
    result = score(first, out, "--templates", mine)
    assert result.exit_code == 1
    assert "school.md.j2, строка 1" in result.stderr
    assert snapshot(out) == before and leftovers(out) == []


def test_a_second_run_into_the_same_folder_is_refused_naming_the_first(tmp_path, folders):
    first, second, out = folders
    run = PausedRun(tmp_path, second, out, "report.html")
    try:
        refused = score(first, out)
        assert refused.exit_code == 1
        assert "сейчас пишет другой запуск vosp-monitor" in refused.stderr
        assert f"процесс {run.process.pid} на компьютере {socket.gethostname()}" in refused.stderr
    finally:
        code, err = run.resume()
    assert code == 0, err
    assert json.loads((out / "results.json").read_text(encoding="utf-8"))["source"] == str(second)
    assert leftovers(out) == []


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path, folders):
    first, _second, out = folders
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    lock = {"pid": int(dead.stdout), "host": socket.gethostname(), "process_started": 1.0}
    (out / LOCK_NAME).write_text(
        json.dumps({**lock, "started": "2026-01-01T00:00:00+00:00", "command": "score"})
    )
    assert score(first, out).exit_code == 0
    assert leftovers(out) == []


def test_a_lock_from_another_computer_is_respected_with_a_way_out(tmp_path, folders):
    first, _second, out = folders
    before = snapshot(out)
    lock = {"pid": 1, "host": "ПК-МЕТОДИСТА", "process_started": 1.0, "started": "2026-03-12T07:15:00+00:00"}
    (out / LOCK_NAME).write_text(
        json.dumps({**lock, "command": "score"}, ensure_ascii=False), encoding="utf-8"
    )
    result = score(first, out)
    assert result.exit_code == 1
    assert "на компьютере ПК-МЕТОДИСТА" in result.stderr and "12.03.2026" in result.stderr
    assert f"удалите файл {out / LOCK_NAME}" in result.stderr
    assert outputs_of(out) == before
