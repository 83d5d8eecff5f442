"""A worker process ends when the process that started it dies.

The form readers (``pipeline.pool``), the chart workers and the letter worker are spawned
processes. When the main process ends normally it stops them; killed (Task Manager, ``kill
-9``, a closed console window), it cannot, and a worker busy with a form or waiting for its
next job would live on — and with it multiprocessing's resource tracker, which waits for
every process holding its pipe. So each worker calls :func:`end_with_parent` first: a daemon
thread waits on the parent's sentinel, which multiprocessing gives every spawned child (on
POSIX the read end of a pipe whose write end only the parent holds; on Windows a handle of
the parent process), and ends the worker the moment the parent is gone.

And each is started by :func:`spawn_worker`: spawned on every system, as Windows must, and
without running the program's main script again (:func:`main_script_left_alone`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.context import SpawnProcess

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


@contextlib.contextmanager
def main_script_left_alone() -> Iterator[None]:
    """Spawn workers inside this block: they do not run the main script of this program again.

    multiprocessing's spawn runs the parent's ``__main__`` once more in every child (as
    ``__mp_main__``), so that functions defined there can be unpickled. Every worker's target
    lives in a module of this package, so that run is only a cost: for the ``vosp-monitor``
    command, importing click and the whole CLI (about 0.1 s of CPU per worker, four workers in
    a district's run); for an analyst's script without an ``if __name__ == "__main__"`` guard,
    the script itself, again, in each worker. With no ``__file__`` and a ``__spec__`` of None
    on ``__main__`` spawn leaves it alone, as it does for ``python -m vosp_monitor``; both are
    put back as soon as the block ends (spawn reads them in ``start()``).
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, Any] = {k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__}
    main.__dict__.pop("__file__", None)
    main.__spec__ = None  # spawn reads the attribute: it must exist
    try:
        yield
    finally:
        main.__dict__.update(saved)


def spawn_worker(target: Callable[..., object], args: tuple[Any, ...], name: str) -> SpawnProcess:
    """A daemon worker process running ``target(*args)``, started: spawned on every system (as
    Windows must, so Linux behaves the same), without the main script run again in it."""
    import multiprocessing

    process = multiprocessing.get_context("spawn").Process(target=target, args=args, daemon=True, name=name)
    with main_script_left_alone():
        process.start()
    return process
