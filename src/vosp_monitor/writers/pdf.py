"""PDF copies of the Word documents, made by LibreOffice (``score --pdf``, ``report --pdf``).

The signed copy of an order is often published as PDF, and a school is sent its letter as
one. LibreOffice converts .docx faithfully and is free on Windows, Linux and macOS; it is
found on PATH, in its usual install folders, or where ``VOSP_SOFFICE`` points. When it is
not installed, :func:`require_soffice` says how to install it — before any form is read.

Each conversion runs with a profile folder of its own (``-env:UserInstallation``), so an
open LibreOffice window on the analyst's desktop neither blocks nor receives it, and the
documents are split between two LibreOffice processes so both cores work.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..outputs import OutputError

SOFFICE_ENV = "VOSP_SOFFICE"
PROCESSES = 2
TIMEOUT_BASE = 120.0  # seconds for LibreOffice to start and convert, plus …
TIMEOUT_PER_FILE = 3.0  # … this much per document
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
    """``soffice``, or a :class:`PdfError` saying how to install LibreOffice (Windows, Linux, macOS)."""
    found = find_soffice()
    if found is None:
        raise PdfError(INSTALL)
    return found


def convert_to_pdf(documents: Sequence[Path], soffice: str | None = None) -> list[Path]:
    """A PDF beside each document (``report.docx`` → ``report.pdf``); returns the PDFs in order.

    The documents of each folder are split into :data:`PROCESSES` parts, converted by as
    many LibreOffice processes at once, each with its own profile.
    """
    if not documents:
        return []
    program = soffice or require_soffice()
    folders: dict[Path, list[Path]] = {}
    for doc in documents:
        folders.setdefault(doc.parent, []).append(doc)
    jobs = [(folder, files[i::PROCESSES]) for folder, files in folders.items() for i in range(PROCESSES)]
    jobs = [(folder, files) for folder, files in jobs if files]
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="vosp-lo-") as profiles:
        for wave in range(0, len(jobs), PROCESSES):
            running = [
                (_start(program, folder, files, Path(profiles) / f"p{slot}"), files)
                for slot, (folder, files) in enumerate(jobs[wave : wave + PROCESSES])
            ]
            problems += [text for process, files in running if (text := _finish(process, files))]
    targets = [doc.with_suffix(".pdf") for doc in documents]
    missing = [t.name for t in targets if not t.is_file()]
    if problems or missing:
        detail = "; ".join(problems) or f"не созданы: {', '.join(missing[:5])}"
        raise PdfError(f"LibreOffice не смог сделать PDF: {detail}")
    return targets


def _start(program: str, folder: Path, files: list[Path], profile: Path) -> subprocess.Popen[bytes]:
    command = [
        program,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(folder),
        *map(str, files),
    ]
    try:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as exc:
        raise PdfError(f"LibreOffice ({program}) не запускается: {exc.strerror or exc}") from None


def _finish(process: subprocess.Popen[bytes], files: list[Path]) -> str:
    """Wait for one LibreOffice; "" when it succeeded, else what went wrong."""
    timeout = TIMEOUT_BASE + TIMEOUT_PER_FILE * len(files)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return f"LibreOffice не уложился в {timeout:.0f} с"
    if process.returncode:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
        return f"код завершения {process.returncode}" + (f" ({tail[0]})" if tail else "")
    return ""
