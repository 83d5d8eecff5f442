"""Writing output files: safe names, no live formulas, clear errors, and what a command owns.

Every writer goes through these helpers, so that a school code such as ``../../x`` or
``CON`` cannot escape the output folder, a school named ``=HYPERLINK(…)`` stays text in
Excel and in CSV (OWASP CSV injection, CWE-1236), and a full disk or a read-only folder
is a Russian message naming the folder, never a traceback.

The commands that fill an output folder (``score``, ``report``, ``validate -o``, ``form
--schools``, ``templates export``) do not write there directly: :func:`staging.publish`
gives their writers a staging folder and switches the finished set in, replacing only
files an earlier run wrote (see staging.py). Each command declares here, as an
:class:`OutputSet`, which names it owns, so that ``report`` never deletes the
ranking.xlsx that ``score`` wrote into the same folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from ..errors import VospError

# Names a run uses inside an output folder (all hidden, so discovery never reads them).
MANIFEST_NAME = ".vosp-monitor.json"  # the list of files the last run wrote there
LOCK_NAME = ".vosp-monitor.lock"  # held while a run writes
STAGING_PREFIX = ".vosp-staging-"  # a run's outputs before they are switched in

# Test-only: pause when the named output is about to be written (or at «:switch», in the
# middle of switching a run in), so a test can kill the process at a known point. The
# paused process creates the file named by VOSP_TEST_PAUSE_FLAG and waits until it is gone.
PAUSE_ENV = "VOSP_TEST_PAUSE"
PAUSE_FLAG_ENV = "VOSP_TEST_PAUSE_FLAG"
PAUSE_LIMIT = 120.0  # seconds; a forgotten pause never hangs a run for ever

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Device names Windows reserves whatever the extension (COM0 and LPT0 too, and the superscript
# digits: Microsoft's «Naming files, paths, and namespaces»).
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CONIN$",
    "CONOUT$",
    *(f"{port}{digit}" for port in ("COM", "LPT") for digit in "0123456789¹²³"),
}
# What OneDrive and SharePoint refuse to sync: «~$» at the start (Office's lock files), «_vti_» anywhere.
_VTI = re.compile("_vti_", re.IGNORECASE)
# Reserved on Windows, control characters (C0, DEL, C1) and the bidi controls and marks that
# would make a file name display differently from what it is (a «cod\u202exslx.exe»).
_UNSAFE = re.compile('[<>:"/\\\\|?*\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+')
_REASONS = {
    errno.ENOSPC: "на диске не хватает места",
    errno.EDQUOT: "исчерпана дисковая квота",
    errno.EROFS: "диск доступен только для чтения",
    errno.EACCES: "нет прав на запись",
    errno.EPERM: "нет прав на запись",
    errno.EEXIST: "на этом месте уже есть файл с таким именем, а нужна папка",
    errno.ENOTDIR: "часть пути — файл, а не папка",
    errno.ENAMETOOLONG: "слишком длинный путь",
}


@dataclass(frozen=True, slots=True)
class OutputSet:
    """The names one command writes into an output folder, as ``/``-separated patterns.

    A run replaces or deletes only files that match its patterns *and* that the folder's
    manifest says an earlier run wrote; ``*`` never crosses a ``/``.
    """

    command: str
    patterns: tuple[str, ...]

    def owns(self, relative: str) -> bool:
        parts = relative.split("/")
        return any(
            len(pattern_parts) == len(parts) and all(map(fnmatchcase, parts, pattern_parts))
            for pattern_parts in (p.split("/") for p in self.patterns)
        )


CARD_PATTERNS = ("schools/*.md", "schools/*.html")
# The Word documents (render/documents.py) and their PDF copies (--pdf): the справка, the
# draft order, a letter to each school and all letters in one file for printing.
DOCUMENT_PATTERNS = (
    *(f"{name}.{ext}" for name in ("report", "order", "letters") for ext in ("docx", "pdf")),
    "letters/*.docx",
    "letters/*.pdf",
)
# A regional run (results with territories): the letters to municipal authorities, and each
# municipality's own district set in territories/<name>/ (writers/regional.py).
SET_PATTERNS = ("report.md", "report.html", *CARD_PATTERNS, *DOCUMENT_PATTERNS)
REGIONAL_PATTERNS = (
    "authorities/*.docx",
    "authorities/*.pdf",
    *(f"territories/*/{pattern}" for pattern in SET_PATTERNS),
)
SCORE_OUTPUTS = OutputSet(
    "score",
    (
        "ranking.xlsx",
        "scores.csv",
        "indicators.csv",
        "territories.csv",
        "results.json",
        "report.md",
        "report.html",
        *CARD_PATTERNS,
        *DOCUMENT_PATTERNS,
        *REGIONAL_PATTERNS,
    ),
)
REPORT_OUTPUTS = OutputSet("report", (*SET_PATTERNS, *REGIONAL_PATTERNS))


def territory_outputs(folder: str) -> OutputSet:
    """What ``report --territory`` owns: one municipality's set (``folder``: its safe name)."""
    literal = "".join(f"[{c}]" if c in "*?[]" else c for c in folder)
    return OutputSet("report", tuple(f"territories/{literal}/{pattern}" for pattern in SET_PATTERNS))


VALIDATE_OUTPUTS = OutputSet("validate", ("validation.xlsx", "feedback/*.md", "feedback/*.docx"))
FORMS_OUTPUTS = OutputSet("form --schools", ("*.xlsx",))


class OutputError(VospError):
    """An output cannot be written; the message is in Russian."""


def csv_safe(value: object) -> object:
    """Prefix ``'`` to text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


_NAME_BYTES = 200  # of UTF-8, leaving room for «_2» and «.html» within 255


def safe_filename(code: str, fallback: str = "school") -> str:
    """A file name (without extension) from a school code that is safe on Windows and POSIX."""
    name = _UNSAFE.sub("_", str(code)).strip(" .")
    name = name.replace("..", "_")[:80]
    while len(name.encode("utf-8")) > _NAME_BYTES:  # a file name is 255 *bytes* on most systems
        name = name[:-1]
    if not name:
        name = fallback
    if name.split(".")[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    if name.startswith("~$"):
        name = "~_" + name[2:]
    return _VTI.sub("_vti-", name)


def unique_filenames(codes: list[str]) -> dict[str, str]:
    """Map codes to distinct safe names (two codes may sanitise to the same name)."""
    used: set[str] = set()
    return {code: unused_name(safe_filename(code), used) for code in codes}


def unused_name(base: str, used: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3`` … — the first not in ``used`` (case-insensitive, as
    Windows compares file names); it is added to ``used``."""
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name.lower())
    return name


def os_error_reason(exc: OSError) -> str:
    """What went wrong, in Russian words a methodologist understands."""
    reason = _REASONS.get(exc.errno or 0)
    if reason is None and isinstance(exc, PermissionError):
        reason = _REASONS[errno.EACCES]
    return reason or (exc.strerror or str(exc))


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and its parents); a Russian :class:`OutputError` when it cannot be."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"не удалось создать папку {path}: {os_error_reason(exc)}") from None
    return path


def file_busy(path: Path) -> OutputError:
    """The error for a file another program holds open (Excel on Windows)."""
    return OutputError(
        f"файл {path} занят другой программой (вероятно, открыт в Excel); закройте его и повторите"
    )


_SHARING_VIOLATIONS = (32, 33)  # Windows: ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def not_replaceable(path: Path, exc: PermissionError) -> OutputError:
    """Why a file could not be replaced, as it is: open in another program (what Windows says of a
    file Excel holds), or no rights on the folder (what a read-only folder says everywhere)."""
    if getattr(exc, "winerror", None) in _SHARING_VIOLATIONS:
        return file_busy(path)
    if os.name == "nt":  # «access denied» is both: a file open in Excel, or rights
        return OutputError(
            f"файл {path} не удалось заменить: он открыт в другой программе (например, в Excel) или нет прав "
            "на запись в папку; закройте его или проверьте права и повторите"
        )
    return OutputError(f"не удалось записать файл {path}: нет прав на запись в папку {path.parent}")


def pause_for_tests(point: str) -> None:
    """The test-only hook (see :data:`PAUSE_ENV`); does nothing unless a test asks for ``point``."""
    if os.environ.get(PAUSE_ENV) != point or not os.environ.get(PAUSE_FLAG_ENV):
        return
    flag = Path(os.environ[PAUSE_FLAG_ENV])
    flag.write_text(str(os.getpid()), encoding="ascii")
    deadline = time.monotonic() + PAUSE_LIMIT
    while flag.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


KILL_ENV = "VOSP_TEST_KILL_AT_SWITCH_STEP"  # test-only: kill -9 this process before that rename
_switch_steps = 0  # renames of the switch so far in this process


def kill_point_for_tests() -> None:
    """The test-only kill point (see :data:`KILL_ENV`): before the N-th rename of a switch this
    process kills itself as ``kill -9`` would, so a test can stop it between any two renames."""
    global _switch_steps
    _switch_steps += 1
    wanted = os.environ.get(KILL_ENV)
    if wanted and int(wanted) == _switch_steps:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))  # TerminateProcess on Windows


def write_file(target: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(target)`` for an output inside a staging folder (no temporary needed)."""
    pause_for_tests(target.name)
    target.parent.mkdir(parents=True, exist_ok=True)
    write(target)
    return target


def write_text(target: Path, text: str) -> Path:
    """Write an output text file inside a staging folder: UTF-8, ``\\n`` line ends."""
    return write_file(target, lambda path: _write_utf8(path, text))


def _write_utf8(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only on success.

    For a single file written outside a staging folder (``form -o form.xlsx``).
    """
    ensure_dir(target.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise _not_written(target, exc) from None
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600 files; outputs are ordinary documents, readable as the umask allows.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        try:
            yield tmp
        except OSError as exc:
            raise _not_written(target, exc) from None
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise not_replaceable(target, exc) from None
        except OSError as exc:
            raise _not_written(target, exc) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _not_written(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"не удалось записать файл {target}: {os_error_reason(exc)}")


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result into place."""
    with atomic_path(target) as tmp:
        write(tmp)
    return target


def write_text_atomic(target: Path, text: str, encoding: str = "utf-8") -> Path:
    """A single text file written whole or not at all (samples/make_samples.py writes its README so)."""

    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding=encoding, newline="\n")

    return write_atomic(target, write)


def user_folder(env: str, kind: str) -> Path | None:
    """This user's folder for vosp-monitor's ``kind`` of files, «cache» (compiled templates,
    may be deleted) or «data» (what it remembers: the forms made); the environment variable
    ``env`` moves it, and set to ``off`` turns it off (None)."""
    import sys

    chosen = os.environ.get(env)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    cache = kind == "cache"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "vosp-monitor"
        return base / "Cache" if cache else base
    if sys.platform == "darwin":
        library = Path.home() / "Library"
        return library / ("Caches" if cache else "Application Support") / "vosp-monitor"
    xdg, fallback = ("XDG_CACHE_HOME", ".cache") if cache else ("XDG_DATA_HOME", ".local/share")
    return Path(os.environ.get(xdg) or Path.home() / fallback) / "vosp-monitor"
