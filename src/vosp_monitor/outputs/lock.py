"""One run at a time per output folder: a lock file naming the run that holds it.

Two runs switching their outputs into one folder would mix their files, so a run holds
``.vosp-monitor.lock`` (:data:`outputs.LOCK_NAME`) while it writes there. The file is
created with ``O_EXCL`` (atomic on local disks and on Windows shares alike) and says
which process holds it: PID, computer, the process's start time, the command and when it
started, so a refused run can tell the person which run is in the way.

A lock whose process is gone (killed, the computer restarted) is taken over: the process
is looked up with psutil, which works on Windows, Linux and macOS, and its start time
must match, so a PID reused by another program does not keep the folder locked for ever.
A lock held from another computer cannot be checked; the message says how to remove it
if that run is no longer going.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from . import LOCK_NAME, OutputError, os_error_reason

UNREADABLE_GRACE = 5.0  # seconds a just-created lock may stay empty while its owner writes it
ATTEMPTS = 50


@dataclass(frozen=True, slots=True)
class LockOwner:
    """Who holds the lock (stored as JSON in the lock file)."""

    pid: int
    host: str
    process_started: float  # psutil's create_time of the process: tells a reused PID apart
    started: str  # ISO 8601, when the run began
    command: str

    def describe(self) -> str:
        try:
            when = dt.datetime.fromisoformat(self.started).astimezone().strftime("%d.%m.%Y %H:%M")
        except ValueError:
            when = self.started
        return f"«{self.command}», процесс {self.pid} на компьютере {self.host}, начат {when}"

    def alive(self) -> bool:
        """False only when this process is surely gone; a lock from another computer counts as alive."""
        if self.host != socket.gethostname():
            return True
        import psutil

        try:
            process = psutil.Process(self.pid)
            if process.status() == psutil.STATUS_ZOMBIE:
                return False
            return abs(process.create_time() - self.process_started) < 1.0
        except psutil.NoSuchProcess:
            return False
        except psutil.Error:  # exists, but we may not look at it: assume it is running
            return True


def _this_process(command: str) -> LockOwner:
    import psutil

    return LockOwner(
        pid=os.getpid(),
        host=socket.gethostname(),
        process_started=psutil.Process().create_time(),
        started=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        command=command,
    )


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ""


def _parse(text: str) -> LockOwner | None:
    try:
        data = json.loads(text)
        return LockOwner(
            int(data["pid"]),
            str(data["host"]),
            float(data["process_started"]),
            str(data["started"]),
            str(data["command"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def busy_error(folder: Path, owner: LockOwner) -> OutputError:
    return OutputError(
        f"в папку {folder} сейчас пишет другой запуск vosp-monitor ({owner.describe()}). "
        "Дождитесь его окончания и повторите. Если этот запуск уже не идёт (например, компьютер "
        f"перезагружали), удалите файл {folder / LOCK_NAME}"
    )


def live_owner(folder: Path) -> LockOwner | None:
    """The run holding ``folder``'s lock now, if any (for refusing early, before reading forms)."""
    text = _read(folder / LOCK_NAME)
    owner = _parse(text) if text else None
    return owner if owner is not None and owner.alive() else None


@contextlib.contextmanager
def hold_lock(folder: Path, command: str) -> Iterator[LockOwner]:
    """Hold ``folder``'s lock for the ``with`` block; :class:`OutputError` if another run has it."""
    path = folder / LOCK_NAME
    me = _this_process(command)
    text = json.dumps(asdict(me), ensure_ascii=False)
    for _ in range(ATTEMPTS):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            seen = _read(path)
            if seen is None:
                continue  # released just now: try again
            owner = _parse(seen)
            if owner is None and _age(path) < UNREADABLE_GRACE:
                time.sleep(0.1)  # its owner is writing it
                continue
            if owner is not None and owner.alive():
                raise busy_error(folder, owner) from None
            _take_over(path, seen)
            continue
        except OSError as exc:
            raise OutputError(f"не удалось записать в папку {folder}: {os_error_reason(exc)}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        break
    else:
        raise OutputError(
            f"не удалось занять папку {folder} для записи: её всё время занимают другие запуски"
        )
    try:
        yield me
    finally:
        if _read(path) == text:
            with contextlib.suppress(OSError):
                path.unlink()


def _age(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _take_over(path: Path, seen: str) -> None:
    """Remove a dead run's lock, unless another run took it over between our read and now.

    The lock is renamed away first (atomic: of two runs taking over, one gets it) and
    its text compared with what was judged dead; a live lock moved by mistake is put back.
    """
    grave = path.with_name(f"{LOCK_NAME}.{uuid.uuid4().hex[:8]}.stale")
    try:
        os.replace(path, grave)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"не удалось снять устаревшую блокировку {path}: {os_error_reason(exc)}") from None
    if _read(grave) != seen and not path.exists():
        os.replace(grave, path)
        return
    with contextlib.suppress(OSError):
        grave.unlink()
