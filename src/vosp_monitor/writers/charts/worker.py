"""The district charts drawn in a process of their own, while this one writes everything else.

matplotlib takes about half a second to import and 0.1–0.4 s per chart (each drawn twice:
SVG for report.html, PNG for report.docx). For a district of 24 schools that was about
40 % of a ``score`` run, spent while one of the two cores had nothing to do. So ``score``
starts a :class:`ChartDrawer` when the run begins: a spawned process that imports
matplotlib while the forms are read, then waits for the report view. Once the view is
built it is sent over; the worker draws every chart and sends back the SVG strings and the
PNGs while this process writes the tables, report.md, the cards, the order and the
letters. report.html and report.docx, the two outputs that show charts, are written last.
A thread of this process reads the workers' answers as soon as they come: a worker ends
only once its answer is read, and it holds matplotlib (about 110 MB) until then — at
40 000 schools that was through the run's peak of memory, the tables.

The worker writes nothing: the charts come back as data and this process writes them into
the run's staging folder, so the whole-or-nothing switch (outputs/staging.py) is
untouched. A failure in the worker (an exception, or the process dying) is raised here as
:class:`ChartsFailed` before anything is switched in. Spawn only: the entry point is a
module-level function, as Windows needs.
"""

from __future__ import annotations

import contextlib
import os
import threading
import traceback
from collections.abc import Iterator
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from ...lifetime import end_with_parent, spawn_worker

if TYPE_CHECKING:
    from multiprocessing.context import SpawnProcess

    from ...report.view import ReportView
    from .chart_set import ChartData, Drawn

RESULT_TIMEOUT = 900.0  # seconds; even 40,000 schools' charts are histograms, drawn in seconds


class ChartsFailed(RuntimeError):
    """The chart worker raised or died: our bug, reported as an internal error."""


def _serve(conn: Connection[Any, Any]) -> None:
    """Worker: import matplotlib at once, then draw the charts it is sent (ChartData, keys)."""
    end_with_parent()  # a killed parent must not leave us waiting (lifetime.py)
    try:
        from .canvas import pyplot
        from .chart_set import draw_charts

        pyplot()
        job = conn.recv()
        if job is not None:
            data, keys = job
            drawn = draw_charts(data, png=True, only=keys)
            conn.send(("ok", drawn.svg, drawn.png))
    except (EOFError, OSError):
        pass  # the parent is gone or closed us
    except BaseException as exc:  # reported to the parent, which fails the run
        with contextlib.suppress(Exception):
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            conn.send(("error", detail[:2000], None))
    finally:
        conn.close()
    # Everything is sent and the parent only waits for us to end: skip the interpreter's
    # teardown of matplotlib (~0.1 s, paid on every run).
    os._exit(0)


def share(keys: list[tuple[str, float]], workers: int) -> list[list[str]]:
    """Charts shared among ``workers`` by their rough cost (each to the least loaded so far)."""
    groups: list[list[str]] = [[] for _ in range(workers)]
    loads = [0.0] * workers
    for key, weight in sorted(keys, key=lambda kw: -kw[1]):
        i = loads.index(min(loads))
        groups[i].append(key)
        loads[i] += weight
    return groups


class _Worker:
    def __init__(self) -> None:
        from multiprocessing import Pipe

        self.conn, child = Pipe(duplex=True)
        self.process: SpawnProcess = spawn_worker(_serve, (child,), "vosp-charts")
        child.close()
        self.sent = False  # a job or None (nothing to draw) was sent
        self.expects = False  # it was a job: an answer will come
        self.answered = False

    def send(self, job: Any) -> None:
        self.sent = True
        self.expects = job is not None
        try:
            self.conn.send(job)
        except (OSError, ValueError) as exc:
            raise ChartsFailed(f"процесс рисования диаграмм недоступен: {exc}") from None

    def receive(self, deadline: float) -> tuple[dict[str, str], dict[str, bytes]]:
        import time

        ready = wait([self.conn, self.process.sentinel], timeout=max(0.0, deadline - time.monotonic()))
        message: tuple[str, Any, Any] | None = None
        if self.conn in ready or self.conn.poll():
            with contextlib.suppress(EOFError, OSError):
                message = self.conn.recv()
        self.answered = True
        if message is None:  # dead, or silent past the deadline: ChartDrawer.close() stops it
            code = self.process.exitcode
            raise ChartsFailed(f"процесс рисования диаграмм завершился без результата (код {code})")
        status, drawn, png = message
        if status != "ok":
            raise ChartsFailed(f"диаграммы не нарисованы: {drawn}")
        return drawn, png

    def end(self) -> None:
        """Kill the worker unless it has answered (it writes nothing, so nothing is left half
        done); its pipe stays open for the receiving thread, whose wait this ends."""
        if not self.answered and self.process.is_alive():
            self.process.kill()

    def stop(self) -> None:
        """End the worker (:meth:`end`), wait for it and close its pipe: in the thread that
        started it, once the receiving thread is done with the pipe."""
        self.end()
        self.process.join(2.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class ChartDrawer:
    """Chart workers: :meth:`draw` sends them the view's charts, :meth:`result` waits for them.

    ``workers`` processes (two on a machine with two cores or more) share the charts by
    their rough cost. Use as a context manager (or call :meth:`close`), so no worker
    outlives the run.
    """

    def __init__(self, workers: int | None = None) -> None:
        count = workers or min(2, os.cpu_count() or 1)
        self._workers = [_Worker() for _ in range(count)]
        self._data: ChartData | None = None
        self._result: Drawn | None = None
        self._answers: list[tuple[dict[str, str], dict[str, bytes]]] = []
        self._failure: ChartsFailed | None = None
        self._receiver: threading.Thread | None = None

    def draw(self, view: ReportView) -> None:
        """Send the view's charts to draw (once; a second call is ignored)."""
        from ...results import gc_paused
        from .chart_set import chart_data

        if self._data is not None:
            return
        with gc_paused():  # a tuple per school beside millions alive: a full pass took 2.5 s
            data = chart_data(view)
        self.draw_data(data)

    def draw_data(self, data: ChartData) -> None:
        """:meth:`draw` with the charts' data made: sent to the workers, their answers awaited."""
        from .chart_set import chart_keys

        self._data = data
        groups = share(chart_keys(data), len(self._workers))
        for worker, keys in zip(self._workers, groups, strict=True):
            worker.send((data, keys) if keys else None)
        self._receiver = threading.Thread(target=self._receive, name="vosp-charts-answers", daemon=True)
        self._receiver.start()

    def _receive(self) -> None:
        """The receiving thread: each worker's answer, in turn, as soon as it is sent."""
        import time

        deadline = time.monotonic() + RESULT_TIMEOUT
        try:
            for worker in self._workers:
                if worker.expects and not worker.answered:
                    self._answers.append(worker.receive(deadline))
        except ChartsFailed as exc:
            self._failure = exc
        except (OSError, ValueError, EOFError) as exc:  # the pipe broke mid-answer (a worker killed)
            self._failure = ChartsFailed(f"процесс рисования диаграмм остановлен: {exc}")

    def wait_drawn(self) -> None:
        """Until every worker has answered (or failed: :meth:`result` says how) and so ended."""
        if self._receiver is not None:
            self._receiver.join()

    def result(self) -> Drawn:
        """The SVG charts and their PNGs by name, in page order (as ``chart_set.district_charts``
        draws them in one process)."""
        from .chart_set import Drawn, chart_keys

        if self._result is not None:
            return self._result
        if self._data is None or self._receiver is None:
            raise RuntimeError("ChartDrawer.result() before draw()")
        drawn: dict[str, str] = {}
        png: dict[str, bytes] = {}
        try:
            self._receiver.join()  # it gives up at its deadline
            if self._failure is not None:
                raise self._failure
            for part, pictures in self._answers:
                drawn.update(part)
                png.update(pictures)
        finally:
            self.close()
        order = [key for key, _ in chart_keys(self._data)]  # page order, as one process draws them
        self._result = Drawn(
            svg={key: drawn[key] for key in order if key in drawn},
            png={key: png[key] for key in order if key in png},
        )
        return self._result

    def close(self) -> None:
        """Stop the workers (they have answered, are not needed, or the run failed). The pipes
        are closed only after the receiving thread has ended: closing one under its wait would
        close a descriptor it still reads (and then perhaps another file's, reusing the number)."""
        for worker in self._workers:
            if not worker.conn.closed:
                worker.end()
        if self._receiver is not None:
            self._receiver.join()  # a killed worker's sentinel ends its wait at once
        for worker in self._workers:
            if not worker.conn.closed:
                worker.stop()

    def __enter__(self) -> ChartDrawer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def drawing(view: ReportView, drawer: ChartDrawer | None = None) -> Iterator[ChartDrawer | None]:
    """A drawer with the view's charts sent to it (None when the view has no ranking, so no
    charts): the caller's ``drawer``, or one started here and stopped when the block ends."""
    if not view.ranking:
        yield None
        return
    own = drawer is None
    active = ChartDrawer() if drawer is None else drawer
    try:
        active.draw(view)
        yield active
    finally:
        if own:
            active.close()
