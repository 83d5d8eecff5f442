"""The letters written by a process of their own while this one writes the cards.

Per school, ``score`` makes the card once and writes it three times: the HTML and the
Markdown card (Jinja) and the letter (Word: Jinja, lxml, zip). For 2 000 schools with two
earlier years that is about ten seconds in one process, the letters a little over half of
it. From :data:`PARALLEL_FROM` letters on, on a machine with more than one core, a spawned
worker writes the letters (``letters/<file>.docx`` and ``letters.docx``) from the letter
views and cards this process sends it, in batches, while this process goes on with the
cards. Below that, starting a process costs more than it saves, and the letters are
written here, by the same function.

Which process writes a school's HTML and Markdown card is decided as the batches go: the
worker too, whenever it is about to run out of letters (fewer than :data:`HUNGRY` batches
sent and not yet written), this process otherwise. So neither waits for the other, on a
machine or with templates where letters cost more than cards or less; the files are the
same either way.

The worker writes only into the run's staging folder, so the whole-or-nothing switch
(outputs/staging.py) is untouched: an error in it (a broken user template, a disk that is
full) comes back as the same :class:`~vosp_monitor.errors.VospError` it would be here,
and a worker that dies is :class:`LettersFailed`, an internal error; either way nothing is
switched in. Spawn only: the entry point is a module-level function, as Windows needs.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...lifetime import end_with_parent, spawn_worker
from ...report.letters import LetterView, letter_context
from .compiled import CompiledDocx

if TYPE_CHECKING:
    from multiprocessing.context import SpawnProcess

    from ...report.cards import ExcludedCard, SchoolCard
    from ..html_md.report import CardWriter

    Card = SchoolCard | ExcludedCard | None
    Item = tuple[
        LetterView, Card, bool
    ]  # the letter, its card, and whether the card's files are written there

PARALLEL_FROM = 300  # letters: fewer are written here (a worker's start-up is ~0.5 s of CPU)
BATCH = 32  # letters per message: few messages, yet the worker starts on the first ones at once
QUEUED = 64  # batches waiting at most (back-pressure: the cards are never far ahead)
HUNGRY = 2  # batches sent and not yet written: fewer, and the worker writes the cards too
RESULT_TIMEOUT = 3600.0  # seconds after the last batch (at most QUEUED batches behind: seconds)


@dataclass(frozen=True)
class LetterSet:
    """The letters of a run: ``folder/<file>.docx`` for each of ``count`` letters from
    ``template``, and all of them in ``combined``."""

    template: Path
    folder: Path
    combined: Path
    count: int


class LettersFailed(RuntimeError):
    """The letter worker died or failed on a bug of ours: reported as an internal error."""


class LetterFiles:
    """Letters written in this process: :meth:`add` each letter with its card, :meth:`finish`
    for the paths; with ``cards``, each school's card files too. The template is compiled
    first, so a broken one is reported before anything is written. Also what the worker runs."""

    def __init__(self, letters: LetterSet, common: dict[str, Any], cards: CardWriter | None = None) -> None:
        self.compiled = CompiledDocx(letters.template)
        self.folder, self.common, self.cards = letters.folder, common, cards
        self.written: list[Path] = []
        self._stack = contextlib.ExitStack()
        self._add = self._stack.enter_context(self.compiled.combined(letters.combined, letters.count))

    def add(self, letter: LetterView, card: Card, with_card: bool = True) -> None:
        if with_card and card is not None and self.cards is not None:
            self.cards.write(letter.file, card)
        body = self.compiled.render(letter_context(self.common, letter, card))
        target = self.folder / f"{letter.file}.docx"
        self.compiled.write(target, body)
        self.written.append(target)
        self._add(body)

    def finish(self) -> list[Path]:
        self._stack.close()  # letters.docx completed (and checked to hold every letter)
        return self.written

    def __enter__(self) -> LetterFiles:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)  # after an error: letters.docx closed as it is, in the staging folder


def _serve(queue: Any, conn: Connection[Any, Any], done: Any, letters: LetterSet) -> None:
    """Worker: the letters from the batches in ``queue`` (the common context and the card
    writer first, None last); ``done`` counts the batches written."""
    from ...errors import VospError

    end_with_parent()  # a killed parent must not leave us waiting (lifetime.py)

    try:
        common, cards = queue.get()
        with LetterFiles(letters, common, cards) as files:
            while (batch := queue.get()) is not None:
                for letter, card, with_card in pickle.loads(batch):
                    files.add(letter, card, with_card)
                done.value += 1
            conn.send(("ok", files.finish(), cards.written if cards is not None else []))
    except VospError as exc:  # the user's to act on: raised again in the parent as it is
        conn.send(("vosp", exc))
    except BaseException as exc:
        detail = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with contextlib.suppress(Exception):
            conn.send(("error", detail[-4000:]))
    finally:
        conn.close()
        os._exit(0)  # answered; a parent with batches left for us kills us


class LetterWorker:
    """The same as :class:`LetterFiles`, written by a spawned worker from batches sent to it;
    the cards' files by whichever process has the time (``cards.written`` lists them all
    after :meth:`finish`)."""

    def __init__(self, letters: LetterSet, common: dict[str, Any], cards: CardWriter | None = None) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.queue = ctx.Queue(QUEUED)
        self.conn, child = ctx.Pipe(duplex=False)
        self.done = ctx.RawValue("q", 0)  # written by the worker only; read here
        self.process: SpawnProcess = spawn_worker(
            _serve, (self.queue, child, self.done, letters), "vosp-letters"
        )
        child.close()
        self.cards = cards
        self.batch: list[Item] = []
        self.sent = 0  # batches
        self._put((common, cards))

    def add(self, letter: LetterView, card: Card) -> None:
        there = False  # the card's files written by the worker
        if card is not None and self.cards is not None:
            if self.sent - self.done.value < HUNGRY:  # it is about to run out of letters
                there = True
            else:
                self.cards.write(letter.file, card)
        self.batch.append((letter, card, there))
        if len(self.batch) >= BATCH:
            self._send_batch()

    def _send_batch(self) -> None:
        """The batch pickled here, not by the queue's feeder thread: that thread waits for the
        GIL this process holds while it writes cards, and the worker would wait for it."""
        self._put(pickle.dumps(self.batch, pickle.HIGHEST_PROTOCOL))
        self.batch = []
        self.sent += 1

    def _put(self, message: Any) -> None:
        """Into the queue; a full queue waits for the worker, unless it has ended (with an error)."""
        import queue

        while True:
            try:
                self.queue.put(message, timeout=0.5)
                return
            except queue.Full:
                if not self.process.is_alive() or self.conn.poll():
                    self._answer()

    def finish(self) -> list[Path]:
        if self.batch:
            self._send_batch()
        self._put(None)
        if not self.conn.poll(RESULT_TIMEOUT):
            raise LettersFailed("письма не записаны за отведённое время")
        return self._answer()

    def _answer(self) -> list[Path]:
        """The worker's answer: the letters written, or its error raised here."""
        message = None
        with contextlib.suppress(EOFError, OSError):
            message = self.conn.recv()
        if message is None:
            self.process.join(5.0)
            raise LettersFailed(
                f"процесс, писавший письма, завершился без результата (код {self.process.exitcode})"
            )
        status, value, *cards = message
        if status == "vosp":
            raise value
        if status != "ok":
            raise LettersFailed(f"письма не записаны:\n{value}")
        if self.cards is not None:
            self.cards.written += cards[0]
        written: list[Path] = value
        return written

    def __enter__(self) -> LetterWorker:
        return self

    def __exit__(self, *exc: Any) -> None:
        """Stop the worker: it has answered (and ends by itself), or the run failed."""
        self.process.join(2.0 if exc[0] is None else 0.0)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.queue.cancel_join_thread()  # batches a killed worker never took are dropped
        self.queue.close()
        self.conn.close()


def letter_writer(
    letters: LetterSet, common: dict[str, Any], cards: CardWriter | None = None
) -> LetterFiles | LetterWorker:
    """Where the letters (and, with ``cards``, the cards' files) go: a :class:`LetterWorker`
    from :data:`PARALLEL_FROM` letters on a machine with two cores or more, else
    :class:`LetterFiles` in this process. Either is a context manager: ``add`` every letter
    with its card, then ``finish`` inside the block."""
    if letters.count >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        return LetterWorker(letters, common, cards)
    return LetterFiles(letters, common, cards)
