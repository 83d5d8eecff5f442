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
