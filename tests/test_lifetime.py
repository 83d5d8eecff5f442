"""Killing only the main process (kill -9, Task Manager) leaves no worker and no resource tracker:
each spawned worker ends when its parent dies (vosp_monitor/lifetime.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

TESTS = Path(__file__).resolve().parent
SRC = TESTS.parent / "src"


def _running(processes: list[psutil.Process]) -> list[str]:
    alive = []
    for process in processes:
        try:
            if process.status() != psutil.STATUS_ZOMBIE:
                alive.append(" ".join(process.cmdline())[:120])
        except psutil.NoSuchProcess:
            continue
    return alive


def test_every_worker_and_the_resource_tracker_end_with_a_killed_parent(tmp_path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
    parent = subprocess.Popen(
        [sys.executable, str(TESTS / "orphan_parent.py"), str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == b"ready"
        family = psutil.Process(parent.pid)
        deadline = time.monotonic() + 60
        while len(family.children(recursive=True)) < 5 and time.monotonic() < deadline:
            time.sleep(0.2)  # two chart workers, the letter worker, a reader, the resource tracker
        children = family.children(recursive=True)
        names = " ".join(" ".join(c.cmdline()) for c in children)
        assert len(children) >= 5 and "resource_tracker" in names, names
        time.sleep(1.0)  # the reader is inside its hanging item, the others wait for work
    finally:
        parent.kill()  # SIGKILL: no clean-up in the parent
        parent.wait()
    deadline = time.monotonic() + 15
    while _running(children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _running(children) == []


UNGUARDED_SCRIPT = """
import sys
from pathlib import Path

if __name__ == "__mp_main__":  # the script run again in a worker
    Path(sys.argv[1]).write_text("run again", encoding="utf-8")
import click  # noqa: F401  (as the vosp-monitor command has it: imported before any worker starts)

from hostile import worker_main_modules
from vosp_monitor.pipeline.pool import map_isolated

before = (__file__, __spec__)
outcomes = map_isolated(worker_main_modules, [1, 2, 3], jobs=2)
print([o.value for o in outcomes], (__file__, __spec__) == before)
"""


def test_a_worker_does_not_run_the_main_script_again(tmp_path) -> None:
    """Spawn runs the parent's main script again in each worker unless told not to
    (lifetime.main_script_left_alone): for the vosp-monitor command that is the whole CLI
    imported per worker, for an analyst's script without an ``if __name__ == "__main__"``
    guard the script itself. This one has no guard: it would start workers from its workers."""
    script, marker = tmp_path / "analysis.py", tmp_path / "marker.txt"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), str(TESTS)])}
    done = subprocess.run(
        [sys.executable, str(script), str(marker)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[(False, False), (False, False), (False, False)] True"
    assert not marker.exists()
