"""ranking.xlsx written by a process of its own, from the rows this one makes: at scale.

At 40 000 schools ranking.xlsx takes about 8 s in one process: 2 s making its rows from
the results, 5 s turning them into sheet XML (:class:`~.stream.StreamSheet`) and 1 s
zipping it, while the second core waits. With :class:`RemoteWorkbook` this process still
makes every row (the sheet functions need the results, which stay here) and sends them in
batches; a spawned worker writes them with the same :class:`~.stream.StreamSheet` into the
same file, byte for byte. ``writers.tables`` makes the rows in a thread of its own, so
that this process writes the CSVs and results.json meanwhile.

The worker needs only xlsxwriter and :mod:`.stream` (about 25 MB: at 40 000 schools the
run's memory is tight). Batches go through a pipe, whose buffer is small: the sender
waits when the worker is behind, so a few batches at most are ever in memory. The worker
writes only the file it is given, inside the run's staging folder, so the whole-or-nothing
switch is untouched: its error (a full disk) comes back and is raised here as writing in
this process would have raised it, and a worker that dies is :class:`WorkbookFailed`, an
internal error. Spawn only: the entry point is a module-level function, as Windows needs.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...lifetime import end_with_parent, spawn_worker
from ...outputs.staging import os_error_behind
from .book import close_workbook, open_workbook

if TYPE_CHECKING:
    from multiprocessing.context import SpawnProcess

    from .stream import StreamSheet

PARALLEL_FROM = 5000  # schools: below, starting a process costs more than it saves
BATCH = 256  # operations per message: a row is one
RESULT_TIMEOUT = 600.0  # seconds for the worker to zip the file once the last row is sent

# Operations, in the order the sheet functions call them.
_SHEET, _ROW, _COMMENT, _FINISH = range(4)


class WorkbookFailed(RuntimeError):
    """The workbook's worker died or failed on a bug of ours: reported as an internal error."""


class RemoteSheet:
    """A sheet of a :class:`RemoteWorkbook`: :class:`~.stream.StreamSheet`'s methods, sent."""

    def __init__(self, book: RemoteWorkbook) -> None:
        self._book = book

    def write_row(self, values: Sequence[Any], styles: Sequence[str | None] | None = None) -> None:
        # Copied: a caller may fill the same list again for its next row before the batch goes.
        self._book.add((_ROW, tuple(values), tuple(styles) if styles else None))

    def comment(self, col: int, text: str) -> None:
        self._book.add((_COMMENT, col, text))

    def finish(self, score_columns: Sequence[int] = ()) -> None:
        self._book.add((_FINISH, tuple(score_columns)))


class RemoteWorkbook:
    """The workbook at ``path``, written by a spawned worker: :meth:`sheet` as
    :func:`~.book.open_workbook`'s factory; leaving the block closes the file (waiting
    for the worker), or, after an error here, stops the worker."""

    def __init__(self, path: Path, *, fast: bool = True) -> None:
        from multiprocessing import Pipe

        self._conn, child = Pipe(duplex=True)
        self._process: SpawnProcess = spawn_worker(_serve, (child, str(path), fast), "vosp-workbook")
        child.close()
        self._batch: list[tuple[Any, ...]] = []

    def sheet(self, name: str, header: list[str], **options: Any) -> RemoteSheet:
        self.add((_SHEET, name, list(header), options))
        return RemoteSheet(self)

    def add(self, operation: tuple[Any, ...]) -> None:
        self._batch.append(operation)
        if len(self._batch) >= BATCH:
            self._send(self._batch)
            self._batch = []

    def _send(self, message: list[tuple[Any, ...]] | None) -> None:
        try:
            self._conn.send(message)
        except (OSError, ValueError):  # the worker has ended: its answer says why
            self._answer(0.0)
            raise WorkbookFailed("процесс записи ranking.xlsx завершился, не записав книгу") from None

    def close(self) -> None:
        """Send the rest, then wait until the worker has written and zipped the file."""
        if self._batch:
            self._send(self._batch)
            self._batch = []
        self._send(None)
        self._answer(RESULT_TIMEOUT)

    def _answer(self, timeout: float) -> None:
        """The worker's answer: nothing when it wrote the file, its error raised here otherwise."""
        message = None
        if self._conn.poll(timeout):
            with contextlib.suppress(EOFError, OSError):
                message = self._conn.recv()
        self._stop()
        if message is None:
            raise WorkbookFailed(f"процесс записи ranking.xlsx не ответил (код {self._process.exitcode})")
        status, detail = message
        if status == "error":
            raise detail  # the OSError behind the worker's error (a full disk), as writing here would
        if status == "bug":
            raise WorkbookFailed(f"ranking.xlsx не записана: {detail}")

    def _stop(self) -> None:
        if self._process.is_alive():
            self._process.join(2.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._conn.close()

    def __enter__(self) -> RemoteWorkbook:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.close()
        elif not self._conn.closed:  # an error here: the half-written file is left to the staging folder
            self._process.kill()
            self._stop()


def _serve(conn: Connection[Any, Any], path: str, fast: bool) -> None:
    """Worker: open the workbook, apply the operations of every batch, close it on None, answer."""
    end_with_parent()  # a killed parent must not leave us waiting (lifetime.py)
    try:
        book, make_sheet = open_workbook(Path(path), fast=fast)
        sheet: StreamSheet | None = None
        try:
            while (batch := conn.recv()) is not None:
                for operation in batch:
                    kind = operation[0]
                    if kind == _ROW:
                        assert sheet is not None
                        sheet.write_row(operation[1], operation[2])
                    elif kind == _SHEET:
                        sheet = make_sheet(operation[1], operation[2], **operation[3])
                    elif kind == _COMMENT:
                        assert sheet is not None
                        sheet.comment(operation[1], operation[2])
                    else:
                        assert sheet is not None
                        sheet.finish(operation[1])
        finally:
            close_workbook(book)
        conn.send(("ok", None))
    except BaseException as exc:
        cause = os_error_behind(exc)  # the disk: the user's to act on, raised again in the parent
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with contextlib.suppress(Exception):
            conn.send(("error", cause) if cause is not None else ("bug", detail[-4000:]))
    finally:
        conn.close()
        os._exit(0)  # answered
