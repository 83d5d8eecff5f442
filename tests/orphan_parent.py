"""A main process with every kind of worker alive, for tests/test_lifetime.py to kill with -9.

It starts the chart workers, the letter worker (waiting for letters) and a form reader busy
with an item that hangs, prints «ready» and sleeps: the test then kills it and watches its
workers and multiprocessing's resource tracker.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import hostile
from vosp_monitor.pipeline.pool import map_isolated
from vosp_monitor.writers.charts.worker import ChartDrawer
from vosp_monitor.writers.docx.engine import find_template
from vosp_monitor.writers.docx.letter_worker import LetterSet, LetterWorker


def main() -> None:
    folder = Path(sys.argv[1])  # the test's own temporary folder: the killed parent cleans up nothing
    drawer = ChartDrawer()
    letters = LetterWorker(
        LetterSet(find_template("letter.docx", None), folder, folder / "all.docx", 400), {}
    )
    reading = threading.Thread(
        target=map_isolated,
        args=(hostile.square_or_misbehave, [1]),
        kwargs={"context": {"hang": 1}, "jobs": 1, "timeout": None},
        daemon=True,
    )
    reading.start()
    print("ready", flush=True)
    time.sleep(600)
    del drawer, letters


if __name__ == "__main__":
    main()
