"""PDF copies of the Word documents, made by LibreOffice (``score --pdf``, ``report --pdf``).

The signed copy of an order is often published as PDF, and a school is sent its letter as
one. LibreOffice converts .docx faithfully and is free on Windows, Linux and macOS; it is
found on PATH, in its usual install folders, or where ``VOSP_SOFFICE`` points. When it is
not installed (or ``VOSP_SOFFICE`` names no program), :func:`require_soffice` says how to
install it — before any form is read.

LibreOffice is another program, and it can misbehave, so:

* each LibreOffice runs with a profile folder of its own (``-env:UserInstallation``), so an
  open LibreOffice window on the analyst's desktop neither blocks nor receives it; two run
  at once, so both cores work;
* the documents go in batches of :data:`BATCH`: LibreOffice 7.4 converts at most about
  245 of the files named in one ``--convert-to`` call and still exits 0;
* each runs in a process group of its own (a session on POSIX), its output to a file, not
  a pipe: the real ``soffice`` starts ``soffice.bin`` as a child, and a child that hangs
  while holding a pipe would make the wait for it endless. The whole conversion has one
  deadline (:func:`deadline`); past it, or on any way out, every group is killed;
* every PDF is checked (there, not empty, a PDF to its end); a batch that left some
  undone runs once more for those (LibreOffice sometimes aborts, exit code 134, on its
  first start in a fresh profile);
* ``steps(name, done, total)`` hears how many PDFs are done (the command line shows it).

Everything is written inside the run's staging folder and a temporary folder that is
removed on every way out, so a failure leaves no lock, staging folder or profile behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..outputs import OutputError
from .progress import StepProgress

SOFFICE_ENV = "VOSP_SOFFICE"
PROCESSES = 2
BATCH = 200  # documents per LibreOffice call: LibreOffice 7.4 silently converts at most ~245
ATTEMPTS = 2  # a batch that left PDFs undone is run once more for them
TIMEOUT_BASE = 120.0  # seconds for LibreOffice to start and convert, plus …
TIMEOUT_PER_FILE = 1.5  # … this much per document (two convert at once: three seconds each)
POLL = 0.1  # seconds between looks at the running LibreOffices
STEP = "PDF-копии документов Word (LibreOffice)"
_PLACES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)
INSTALL = (
    "для --pdf нужен LibreOffice (программа soffice), а он не найден. Установите его и повторите команду:\n"
    "  Windows: скачайте установщик с https://ru.libreoffice.org/download/ и установите с настройками по "
    "умолчанию (или в PowerShell: winget install TheDocumentFoundation.LibreOffice);\n"
    "  Linux: sudo apt install libreoffice-writer (Debian, Ubuntu, Astra Linux) или sudo dnf install "
    "libreoffice-writer (РЕД ОС, Fedora);\n"
    "  macOS: brew install --cask libreoffice.\n"
    f"Если LibreOffice установлен в другую папку, укажите путь к soffice в переменной окружения {SOFFICE_ENV}. "
    "Без --pdf документы Word (report.docx, order.docx, письма) записываются как обычно."
)

_NEW_GROUP: int = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)  # Windows' process group


class PdfError(OutputError):
    """The PDF copies cannot be made; the message is in Russian."""


def find_soffice() -> str | None:
    """LibreOffice's ``soffice``: ``VOSP_SOFFICE``, then PATH, then the usual install folders."""
    own = os.environ.get(SOFFICE_ENV)
    if own:
        return own if Path(own).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((place for place in _PLACES if Path(place).is_file()), None)


def require_soffice() -> str:
    """``soffice``, or a :class:`PdfError` saying how to install LibreOffice (Windows, Linux, macOS),
    or that ``VOSP_SOFFICE`` names a file that is not a program — before any form is read."""
    found = find_soffice()
    if found is None:
        raise PdfError(INSTALL)
    if os.name != "nt" and not os.access(found, os.X_OK):
        raise PdfError(
            f"{found} (переменная {SOFFICE_ENV} или путь к LibreOffice) — файл без права на запуск; "
            f"укажите в {SOFFICE_ENV} программу soffice из папки program установленного LibreOffice"
        )
    return found


def deadline(count: int) -> float:
    """Seconds the whole conversion of ``count`` documents may take."""
    return TIMEOUT_BASE + TIMEOUT_PER_FILE * count


def convert_to_pdf(
    documents: Sequence[Path], soffice: str | None = None, steps: StepProgress | None = None
) -> list[Path]:
    """A PDF beside each document (``report.docx`` → ``report.pdf``); returns the PDFs in order.

    Raises :class:`PdfError` naming what went wrong when LibreOffice does not start, does
    not finish within :func:`deadline`, or leaves a PDF undone after its second attempt.
    """
    if not documents:
        return []
    program = soffice or require_soffice()
    limit = deadline(len(documents))
    with tempfile.TemporaryDirectory(prefix="vosp-lo-", ignore_cleanup_errors=True) as work:
        conversion = _Conversion(program, Path(work), time.monotonic() + limit, steps, len(documents))
        try:
            conversion.run(_batches(documents))
        finally:
            conversion.stop()
    targets = [doc.with_suffix(".pdf") for doc in documents]
    bad = [t.name for t in targets if not valid_pdf(t)]
    if conversion.timed_out:
        raise PdfError(
            f"LibreOffice не уложился в {limit:.0f} с (сделано PDF: {len(targets) - len(bad)} из {len(targets)}) "
            "и был остановлен. Документы Word записаны; закройте LibreOffice, если он открыт, и повторите "
            "запуск, или запустите без --pdf"
        )
    if bad:
        names = ", ".join(bad[:5]) + (f" и ещё {len(bad) - 5}" if len(bad) > 5 else "")
        why = f" ({'; '.join(sorted(set(conversion.problems))[:3])})" if conversion.problems else ""
        raise PdfError(f"LibreOffice не смог сделать PDF: не созданы {names}{why}")
    return targets


def valid_pdf(path: Path) -> bool:
    """A PDF to its end: starts with «%PDF-» and ends with «%%EOF» (a cut file does not)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(5)
            handle.seek(max(0, path.stat().st_size - 1024))
            tail = handle.read()
    except OSError:
        return False
    return head == b"%PDF-" and b"%%EOF" in tail


def _batches(documents: Sequence[Path]) -> deque[_Batch]:
    folders: dict[Path, list[Path]] = {}
    for doc in documents:
        folders.setdefault(doc.parent, []).append(doc)
    return deque(
        _Batch(folder, files[i : i + BATCH])
        for folder, files in folders.items()
        for i in range(0, len(files), BATCH)
    )


@dataclass
class _Batch:
    folder: Path
    files: list[Path]
    attempt: int = 1
    slot: int | None = None  # run again in the slot it ran in: its profile is set up by then


@dataclass
class _Running:
    batch: _Batch
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    slot: int


@dataclass
class _Conversion:
    """Up to :data:`PROCESSES` LibreOffices at a time, each slot with a profile of its own."""

    program: str
    work: Path
    until: float  # time.monotonic() of the deadline
    steps: StepProgress | None
    total: int
    running: list[_Running] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    done: int = 0
    shown: int = 0  # PDFs last said to be there
    timed_out: bool = False

    def run(self, queue: deque[_Batch]) -> None:
        free = list(range(PROCESSES))
        self._say()
        told = time.monotonic()
        while queue or self.running:
            while queue and free:
                batch = queue.popleft()
                slot = batch.slot if batch.slot in free else free[0]
                free.remove(slot)
                self.running.append(self._start(batch, slot))
            if time.monotonic() > self.until:
                self.timed_out = True
                return
            time.sleep(POLL)
            if time.monotonic() - told > 1.0:  # the PDFs of the batches at work too, once a second
                told = time.monotonic()
                self._say()
            for item in [r for r in self.running if r.process.poll() is not None]:
                self.running.remove(item)
                free.append(item.slot)
                again = self._finish(item)
                if again is not None:
                    queue.appendleft(again)

    def _start(self, batch: _Batch, slot: int) -> _Running:
        profile = (self.work / f"profile-{slot}").resolve()
        command = [
            self.program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(batch.folder),
            *map(str, batch.files),
        ]
        log = (self.work / f"log-{slot}-{time.monotonic_ns()}.txt").open("w+b")
        try:
            process = subprocess.Popen(  # a group of its own, to be killed with its children
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=os.name != "nt",
                creationflags=_NEW_GROUP,
            )
        except OSError as exc:
            log.close()
            raise PdfError(f"LibreOffice ({self.program}) не запускается: {exc.strerror or exc}") from None
        return _Running(batch, process, log, slot)

    def _finish(self, item: _Running) -> _Batch | None:
        """Count the batch's PDFs; the batch of those undone, when it may run again."""
        _kill_group(item.process)  # a soffice.bin left behind by its wrapper goes with it
        code = item.process.returncode
        item.log.seek(0)
        tail = item.log.read()[-2000:].decode("utf-8", "replace").strip().splitlines()[-1:]
        item.log.close()
        undone = [doc for doc in item.batch.files if not valid_pdf(doc.with_suffix(".pdf"))]
        self.done += len(item.batch.files) - len(undone)
        self._say()
        if not undone:
            return None
        if item.batch.attempt < ATTEMPTS:
            return _Batch(item.batch.folder, undone, item.batch.attempt + 1, item.slot)
        self.problems.append(f"код завершения {code}" + (f": {tail[0][:200]}" if tail else ""))
        return None

    def _say(self) -> None:
        """How many PDFs are there: the finished batches' and those the running ones have made so
        far (never fewer than said before: a finished batch's count replaces its estimate)."""
        if self.steps is None:
            return
        ready = sum(doc.with_suffix(".pdf").exists() for r in self.running for doc in r.batch.files)
        self.shown = max(self.shown, min(self.done + ready, self.total))
        self.steps(STEP, self.shown, self.total)

    def stop(self) -> None:
        """Kill every LibreOffice still running (the deadline passed, or an error or Ctrl+C on the way)."""
        for item in self.running:
            _kill_group(item.process)
            with contextlib.suppress(subprocess.TimeoutExpired):
                item.process.wait(5.0)
            item.log.close()
        self.running.clear()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill ``process`` and everything in its group (on POSIX its children even when it has ended:
    a group's id is not reused while the group has a member)."""
    if os.name != "nt":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    elif process.poll() is None:  # the tree while it lives (soffice.exe waits for its soffice.bin); an
        # ended process's id may already be another program's, so nothing is killed by it then
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    if process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()
