"""A small isolated process pool: one bad item costs only itself.

Reading a school's workbook runs native code (python-calamine's Rust core) that can abort
the whole process on a crafted file, and any reader can hang or eat gigabytes on a zip
bomb. ``multiprocessing.Pool.map`` never returns when a worker dies and
``ProcessPoolExecutor`` fails every pending item with ``BrokenProcessPool``. This pool
knows which item each worker is on, so a crash, a timeout or a memory blow-up becomes
that item's :class:`Failed` outcome; the worker is replaced and the batch goes on. A worker
that ends before it is ready has read nothing: its items go back to the queue, and when
workers keep ending while they start the pool stops with :class:`WorkersFailed`.

Design, for throughput at 40,000 files:

* every worker has its own duplex pipe; the parent sends items in chunks (up to
  ``chunk_size`` per message) and queues the next chunk early so a worker never waits;
* a worker sends one tiny message per finished item, in order, so the parent always
  knows the item in progress (the oldest unanswered one) and when it started;
* ``func`` and ``context`` (e.g. the Config) go to each worker once, at start — or, for a
  worker :func:`prestart`-ed before the context is known, the context as its first message;
* always the ``spawn`` start method, so Linux behaves like Windows (and tests show it).

Memory: on POSIX each worker sets ``RLIMIT_AS`` to its size after start-up plus
``memory_mb``, so a blow-up raises ``MemoryError`` (→ ``Failed("memory")``) or, in native
code, kills only that worker (→ ``Failed("crash")`` that mentions the limit). Windows has
no ``resource`` module: there the limit is not enforced (the timeout still is); a Job
Object would be the way to add it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from typing import Any, Generic, Literal, TypeAlias, TypeVar

from ..lifetime import spawn_worker
from .pool_worker import Chunk, ContextFollows, Message, worker_main

DEFAULT_CHUNK = 16  # items per message to a worker (a chunk of paths stays well under 8 KB)
# With ``jobs=None``, one worker per this many items (up to every core). A worker costs about
# 0.4 s of CPU to start (Python and our imports) and reads a form in about 4 ms: for a
# district's 24 forms a second worker only takes a core from the rest of the run.
ITEMS_PER_WORKER = 100
STARTUP_TIMEOUT = 60.0  # seconds a new worker may take to import on a busy machine
# Workers in a row that end before they are ready: the pool cannot start (WorkersFailed).
STARTUP_ATTEMPTS = 3
# Seconds the parent lets results gather before it wakes again. The parent's CPU per item
# (~0.35 ms: unpickling, selector set-up) is taken from the workers on a 2-core machine;
# waking once per result was about a sixth of it. Workers always hold up to two queued
# chunks, so they never wait for this.
COALESCE = 0.005

T = TypeVar("T")  # an item
R = TypeVar("R")  # what ``func`` returns for an item


@dataclass(frozen=True, slots=True)
class Done(Generic[R]):
    """The item was processed; ``value`` is what ``func`` returned."""

    value: R


@dataclass(frozen=True, slots=True)
class Failed:
    """The item could not be processed.

    ``kind``: ``crash`` (the worker process died), ``timeout`` (killed after ``timeout``
    seconds), ``memory`` (``MemoryError`` under the memory limit) or ``error`` (``func``
    raised a Python exception: a bug, since ``func`` should turn expected failures into
    values). ``detail`` is a short Russian explanation for a person.
    """

    kind: Literal["crash", "timeout", "memory", "error"]
    detail: str = ""


Outcome: TypeAlias = Done[R] | Failed


class WorkersFailed(RuntimeError):
    """Workers end while starting, before they read anything (an installation that does not
    import, too little memory, a context that does not load): no item is to blame, so the run
    stops with this instead of failing every item in turn, a new worker for each."""


# --------------------------------------------------------------------------- parent side


@dataclass
class _Worker:
    process: SpawnProcess
    conn: Connection[Chunk, Message]
    pending: deque[int] = field(default_factory=deque)  # indices sent, not yet answered, in order
    started: float = 0.0  # when the oldest pending item became the one in progress
    ready: bool = False  # the worker finished starting up
    born: float = field(default_factory=time.monotonic)


def _death_detail(exitcode: int | None, memory_mb: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"сигнал {-exitcode}"
        text = f"процесс чтения завершён сигналом {name}"
        if memory_mb and name in ("SIGABRT", "SIGKILL", "SIGSEGV"):
            text += f"; возможно, превышен предел памяти {memory_mb} МБ"
        return text
    return f"процесс чтения неожиданно завершился с кодом {exitcode}"


def _spawn(func: Callable[[Any, Any], Any], context: Any, memory_mb: int | None) -> _Worker:
    """A worker process with its own pipe (always spawned: Linux behaves like Windows)."""
    from multiprocessing import Pipe

    parent_conn, child_conn = Pipe(duplex=True)
    process = spawn_worker(worker_main, (child_conn, func, context, memory_mb), "vosp-reader")
    child_conn.close()
    return _Worker(process, parent_conn)


@dataclass
class Prestarted:
    """Workers for ``func`` started before their context is known, so that their start-up
    (Python and the imports: about 0.3 s) overlaps the caller's own (loading the config);
    :func:`map_isolated` given them sends each the context and uses it as one of its workers.
    The caller closes what was not used (``with prestart(…) as workers:``)."""

    func: Callable[[Any, Any], Any]
    memory_mb: int | None
    workers: list[_Worker]

    def __enter__(self) -> Prestarted:
        return self

    def __exit__(self, *_exc: object) -> None:
        _shutdown(self.workers)
        self.workers.clear()


def prestart(func: Callable[[Any, Any], Any], count: int = 1, memory_mb: int | None = None) -> Prestarted:
    """``count`` workers for :func:`map_isolated`'s ``func``, waiting for their context."""
    return Prestarted(func, memory_mb, [_spawn(func, ContextFollows(), memory_mb) for _ in range(count)])


def map_isolated(
    func: Callable[[Any, T], R],
    items: Iterable[T],
    *,
    context: Any = None,
    jobs: int | None = None,
    timeout: float | None = 10.0,
    memory_mb: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    in_process: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    on_result: Callable[[R], R] | None = None,
    prestarted: Prestarted | None = None,
) -> list[Outcome[R]]:
    """Run ``func(context, item)`` for every item in isolated worker processes.

    Returns one :class:`Done` or :class:`Failed` per item, in input order. ``func`` must
    be a module-level function (spawn pickles it by name); ``context`` and the items and
    results must be picklable, and results should be small. ``jobs=None`` uses a worker
    per :data:`ITEMS_PER_WORKER` items, up to every core; ``jobs=1`` still isolates in one worker. ``in_process=True`` runs in this
    process without isolation, timeout or memory limit (for debugging and quick tests).
    ``on_progress(n)`` is called in the parent with the number of finished items;
    ``on_result(value)`` is applied in the parent to each result as it arrives (for
    example to share repeated strings before tens of thousands of results pile up).
    ``prestarted``: workers of :func:`prestart` for the same ``func`` and ``memory_mb``,
    taken (up to ``jobs``) before any new one is started.
    """
    work = list(items)
    if in_process:
        return _map_in_process(func, work, context, on_progress)
    outcomes: list[Outcome[R] | None] = [None] * len(work)
    if not work:
        return []
    if jobs is None:
        jobs = -(-len(work) // ITEMS_PER_WORKER)
        jobs = min(jobs, os.cpu_count() or 1)
    jobs = max(1, min(jobs, len(work)))
    # Small batches spread evenly; large ones use full chunks to keep IPC per item tiny.
    chunk = max(1, min(chunk_size, len(work) // (jobs * 4) or 1))
    queue: deque[int] = deque(range(len(work)))
    workers: list[_Worker] = []
    finished = 0
    failed_starts = 0  # workers in a row that ended before they were ready

    def start_worker() -> _Worker:
        return _spawn(func, context, memory_mb)

    def feed(worker: _Worker) -> None:
        """Queue the next chunk once the worker is on its last one, so it never waits for us.

        At most one unread chunk sits in the pipe: on Windows a send blocks until the
        pipe's 8 KB buffer has room, and a worker blocked on sending a result must never
        face a parent blocked on sending it work.
        """
        while queue and len(worker.pending) <= chunk:
            batch = [queue.popleft() for _ in range(min(chunk, len(queue)))]
            if not worker.pending:
                worker.started = time.monotonic()
            worker.pending.extend(batch)
            try:
                worker.conn.send([(i, work[i]) for i in batch])
            except (OSError, ValueError):
                return  # the worker died; its sentinel will tell us

    def record(index: int, outcome: Outcome[R]) -> None:
        nonlocal finished
        if outcomes[index] is None:
            finished += 1
        outcomes[index] = outcome
        if on_progress is not None:
            on_progress(finished)

    def receive(worker: _Worker) -> None:
        nonlocal failed_starts
        while worker.conn.poll():
            try:
                index, status, payload = worker.conn.recv()
            except (EOFError, OSError):
                return
            worker.started = time.monotonic()
            if status == "ready":
                worker.ready = True
                failed_starts = 0
                continue
            if worker.pending and worker.pending[0] == index:
                worker.pending.popleft()
            if status == "ok":
                record(index, Done(on_result(payload) if on_result else payload))
            elif status == "memory":
                record(index, Failed("memory", f"превышен предел памяти {memory_mb} МБ"))
            else:
                record(index, Failed("error", payload))

    def replace(worker: _Worker, failure: Failed | None) -> None:
        """Fail the item in progress, requeue the rest of the worker's items, restart it.

        A worker that ended before it was ready read nothing: its items are requeued, and
        after :data:`STARTUP_ATTEMPTS` such workers in a row the pool gives up (:class:`WorkersFailed`).
        """
        nonlocal failed_starts
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        with contextlib.suppress(Exception):
            receive(worker)  # results sent before it died (and whether it got ready)
        worker.conn.close()
        failure = failure or Failed("crash", _death_detail(worker.process.exitcode, memory_mb))
        workers.remove(worker)
        if not worker.ready:
            queue.extendleft(reversed(worker.pending))
            failed_starts += 1
            if failed_starts >= STARTUP_ATTEMPTS:
                raise WorkersFailed(
                    f"процессы чтения завершаются при запуске, {failed_starts} раза подряд ({failure.detail})"
                )
        elif worker.pending:
            record(worker.pending.popleft(), failure)
            queue.extendleft(reversed(worker.pending))
        if queue:
            workers.append(start_worker())

    from multiprocessing.connection import wait

    try:
        if prestarted is not None and prestarted.func is func and prestarted.memory_mb == memory_mb:
            while prestarted.workers and len(workers) < jobs:
                worker = prestarted.workers.pop()
                with contextlib.suppress(OSError, ValueError):  # dead already: its sentinel will tell
                    worker.conn.send((context,))  # type: ignore[arg-type]  # the first message: the context
                workers.append(worker)
        workers.extend(start_worker() for _ in range(jobs - len(workers)))
        while finished < len(work):
            for worker in workers:
                feed(worker)
            now = time.monotonic()
            wait_for = None
            if timeout is not None:
                deadlines = [_deadline(w, timeout) for w in workers if w.pending]
                wait_for = max(0.0, min(deadlines) - now) if deadlines else None
            handles: dict[object, _Worker] = {}  # connections and process sentinels
            for worker in workers:
                handles[worker.conn] = worker
                handles[worker.process.sentinel] = worker
            ready = wait([h for w in workers for h in (w.conn, w.process.sentinel)], timeout=wait_for)
            dead: list[_Worker] = []
            for handle in ready:
                worker = handles[handle]
                if handle is worker.conn:
                    with contextlib.suppress(EOFError, OSError):
                        receive(worker)
                elif worker not in dead:
                    dead.append(worker)
            for worker in dead:
                if worker in workers:
                    replace(worker, None)
            if timeout is not None:
                now = time.monotonic()
                for worker in list(workers):
                    if worker.pending and now > _deadline(worker, timeout):
                        detail = (
                            f"чтение заняло больше {timeout:g} с и было прервано"
                            if worker.ready
                            else f"процесс чтения не запустился за {STARTUP_TIMEOUT + timeout:g} с"
                        )
                        replace(worker, Failed("timeout", detail))
            if not workers and finished < len(work):
                workers.append(start_worker())
            elif ready and not dead and finished < len(work) and all(w.ready for w in workers):
                time.sleep(COALESCE)
    finally:
        _shutdown(workers)
    return [outcome if outcome is not None else Failed("crash", "не обработан") for outcome in outcomes]


def _deadline(worker: _Worker, timeout: float) -> float:
    """When the item in progress times out; a worker still starting up gets longer."""
    if worker.ready:
        return worker.started + timeout
    return worker.born + STARTUP_TIMEOUT + timeout


def _shutdown(workers: list[_Worker]) -> None:
    """Ask workers to stop, then make sure they did (no zombies, no orphans)."""
    for worker in workers:
        with contextlib.suppress(OSError, ValueError):
            worker.conn.send(None)
    deadline = time.monotonic() + 2.0
    for worker in workers:
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def _map_in_process(
    func: Callable[[Any, T], R],
    work: list[T],
    context: Any,
    on_progress: Callable[[int], None] | None,
) -> list[Outcome[R]]:
    outcomes: list[Outcome[R]] = []
    for item in work:
        try:
            outcomes.append(Done(func(context, item)))
        except MemoryError:
            outcomes.append(Failed("memory", "не хватило памяти"))
        except Exception as exc:
            outcomes.append(Failed("error", f"{type(exc).__name__}: {exc}"[:500]))
        if on_progress is not None:
            on_progress(len(outcomes))
    return outcomes


if __name__ == "__main__":  # pragma: no cover
    sys.exit("vosp_monitor.pipeline.pool is a library module")
