"""The manifest of an output folder: which files vosp-monitor wrote there, and are they still ours.

An output folder is often a folder people also keep their own files in (the forms, last
year's results, notes). A run may replace or delete a file only when it can show the
tool wrote it: the file is listed in ``.vosp-monitor.json`` (:data:`outputs.MANIFEST_NAME`)
with its size, modification time and SHA-256, and it has not been changed since. A file a
person edited after the run (ranking.xlsx saved with notes in Excel) is theirs again.

Checking a file costs one ``stat`` when size and modification time match the record
(as git and rsync do); the hash is read only when they differ, so a folder copied
elsewhere (new times, same bytes) is still recognised.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

from . import MANIFEST_NAME

MANIFEST_FORMAT = 1
NOTE = (
    "Файлы, которые записала в эту папку программа vosp-monitor. Программа заменяет и удаляет "
    "только их, и только если они не изменены после записи. Не правьте этот файл вручную."
)


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One written file: what it looked like right after the run that wrote it."""

    size: int
    mtime_ns: int
    sha256: str
    run: str  # key into Manifest.runs

    def to_json(self) -> dict[str, Any]:
        return {"size": self.size, "mtime_ns": self.mtime_ns, "sha256": self.sha256, "run": self.run}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileRecord:
        return cls(int(data["size"]), int(data["mtime_ns"]), str(data["sha256"]), str(data["run"]))


@dataclass(frozen=True, slots=True)
class RunRecord:
    """A run that wrote some of the listed files."""

    command: str
    started: str  # ISO 8601 with the time zone
    finished: str
    version: str

    def to_json(self) -> dict[str, str]:
        return {
            "command": self.command,
            "started": self.started,
            "finished": self.finished,
            "version": self.version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        return cls(str(data["command"]), str(data["started"]), str(data["finished"]), str(data["version"]))


@dataclass(slots=True)
class Manifest:
    """Relative ``/``-separated path → record, and the runs those records name."""

    files: dict[str, FileRecord] = field(default_factory=dict)
    runs: dict[str, RunRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        used = {record.run for record in self.files.values()}
        return {
            "format": MANIFEST_FORMAT,
            "tool": "vosp-monitor",
            "note": NOTE,
            "runs": {key: run.to_json() for key, run in self.runs.items() if key in used},
            "files": {path: record.to_json() for path, record in sorted(self.files.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("tool") != "vosp-monitor" or data.get("format") != MANIFEST_FORMAT:
            raise ValueError("not a vosp-monitor manifest of a known format")
        return cls(
            files={str(path): FileRecord.from_json(rec) for path, rec in data["files"].items()},
            runs={str(key): RunRecord.from_json(run) for key, run in data["runs"].items()},
        )


def read_manifest(folder: Path) -> Manifest | None:
    """The folder's manifest; None when there is none or it cannot be understood.

    An unreadable manifest proves nothing, so no file counts as the tool's (the caller
    then refuses to touch them rather than guess).
    """
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        return Manifest.from_json(data)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Replace the manifest in one step (a temporary file, then a rename)."""
    target = folder / MANIFEST_NAME
    tmp = folder / f"{MANIFEST_NAME}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps(manifest.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def sha256_of(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def record_file(path: Path, run: str) -> FileRecord:
    """The record of a file just written (before it is renamed: a rename keeps both times)."""
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        return FileRecord(
            stat.st_size, stat.st_mtime_ns, hashlib.file_digest(handle, "sha256").hexdigest(), run
        )


def unchanged(path: Path, record: FileRecord) -> bool:
    """True when ``path`` is a regular file with the recorded content (a symlink never is)."""
    try:
        stat = path.lstat()
    except OSError:
        return False
    if not S_ISREG(stat.st_mode) or stat.st_size != record.size:
        return False
    if stat.st_mtime_ns == record.mtime_ns:
        return True
    try:
        return sha256_of(path) == record.sha256
    except OSError:
        return False
