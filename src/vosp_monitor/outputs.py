"""Safe writing of output files: whole or not at all, safe names, no live formulas.

Every writer in render/ goes through these helpers, so that an interrupted run never
leaves a half-written ranking.xlsx next to last year's results, a school code such as
``../../x`` or ``CON`` cannot escape the output folder, and a school named ``=HYPERLINK(…)``
stays text in Excel and in CSV (OWASP CSV injection, CWE-1236).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import VospError

# Names a run uses inside an output folder (all hidden, so discovery never reads them).
MANIFEST_NAME = ".vosp-monitor.json"  # the list of files the last run wrote there
LOCK_NAME = ".vosp-monitor.lock"  # held while a run writes
STAGING_PREFIX = ".vosp-staging-"  # a run's outputs before they are switched in

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


class OutputError(VospError):
    """An output cannot be written; the message is in Russian."""


def csv_safe(value: object) -> object:
    """Prefix ``'`` to text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_filename(code: str, fallback: str = "school") -> str:
    """A file name (without extension) from a school code that is safe on Windows and POSIX."""
    name = _UNSAFE.sub("_", str(code)).strip(" .")
    name = name.replace("..", "_")[:80]
    if not name:
        name = fallback
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return name


def unique_filenames(codes: list[str]) -> dict[str, str]:
    """Map codes to distinct safe names (two codes may sanitise to the same name)."""
    used: set[str] = set()
    result: dict[str, str] = {}
    for code in codes:
        base = safe_filename(code)
        name, n = base, 2
        while name.lower() in used:
            name, n = f"{base}_{n}", n + 1
        used.add(name.lower())
        result[code] = name
    return result


def ensure_dir(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"не удалось создать папку {path}: {exc.strerror or exc}") from None
    return path


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only on success."""
    ensure_dir(target.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600 files; outputs are ordinary documents, readable as the umask allows.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except PermissionError:
            raise OutputError(
                f"файл {target} занят другой программой (вероятно, открыт в Excel); закройте его и повторите"
            ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_atomic(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result into place."""
    with atomic_path(target) as tmp:
        write(tmp)
    return target


def write_text_atomic(target: Path, text: str, encoding: str = "utf-8") -> Path:
    def write(tmp: Path) -> None:
        tmp.write_text(text, encoding=encoding, newline="\n")

    return write_atomic(target, write)
