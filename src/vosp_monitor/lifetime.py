"""A worker process ends when the process that started it dies.

The form readers (``pipeline.pool``), the chart workers and the letter worker are spawned
processes. When the main process ends normally it stops them; killed (Task Manager, ``kill
-9``, a closed console window), it cannot, and a worker busy with a form or waiting for its
next job would live on — and with it multiprocessing's resource tracker, which waits for
every process holding its pipe. So each worker calls :func:`end_with_parent` first: a daemon
thread waits on the parent's sentinel, which multiprocessing gives every spawned child (on
POSIX the read end of a pipe whose write end only the parent holds; on Windows a handle of
the parent process), and ends the worker the moment the parent is gone.
"""

from __future__ import annotations

import os

PARENT_GONE = 70  # the worker's exit code when it ended because its parent died


def end_with_parent() -> None:
    """In a spawned worker: end this process when its parent dies (nothing in the main process)."""
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([sentinel])
        os._exit(PARENT_GONE)  # no clean-up: there is nobody left to hand anything to

    threading.Thread(target=watch, name="vosp-parent-watch", daemon=True).start()
