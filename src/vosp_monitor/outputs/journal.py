"""The switch of a complete run into its output folder: journalled, undoable, resumable.

staging.py decides what a run does to the folder and saves that plan here as
``journal.json`` in the run's staging folder; from that instant the run is complete. The
switch moves files to replace or delete aside into ``old/`` and the new files in from
``new/``, then replaces the manifest. Every step checks what is already done, so the same
:func:`switch` finishes a run that was killed halfway (the next run into the folder calls
it), and a failure in a live run puts everything back (:func:`switch` with
``undo_on_error``): a file open in Excel on Windows cannot be moved aside, and then the
folder stays exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import OutputError, file_busy, os_error_reason, pause_for_tests
from .manifest import FileRecord, Manifest, unchanged, write_manifest

JOURNAL = "journal.json"
NEW, OLD = "new", "old"  # inside a staging folder: the run's outputs, and what they displace
UNCHANGED = "Прежние файлы в папке не изменены"


@dataclass(slots=True)
class Journal:
    """A complete run, ready to be switched in (saved before the first file moves)."""

    new: list[str]  # outputs staged in new/, relative
    replace: dict[str, FileRecord | None]  # existing file → what it must still be (None: --force)
    delete: dict[str, FileRecord]
    manifest: Manifest  # the folder's manifest once the switch is done

    def to_json(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "replace": {rel: rec.to_json() if rec else None for rel, rec in self.replace.items()},
            "delete": {rel: rec.to_json() for rel, rec in self.delete.items()},
            "manifest": self.manifest.to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Journal:
        return cls(
            new=[str(rel) for rel in data["new"]],
            replace={rel: FileRecord.from_json(rec) if rec else None for rel, rec in data["replace"].items()},
            delete={rel: FileRecord.from_json(rec) for rel, rec in data["delete"].items()},
            manifest=Manifest.from_json(data["manifest"]),
        )


class Obstacles:
    """What is in the way of a new file: the file itself, or a parent that is not a plain folder.

    Parents are checked once per folder (4,000 cards share one); names are checked with
    ``lexists`` rather than a directory listing, so a case-insensitive disk (Windows,
    macOS) finds ``0101.HTML`` in the way of ``0101.html``.
    """

    def __init__(self, folder: Path) -> None:
        self.root = str(folder)
        self.parents: dict[str, str | None] = {"": None}

    def __call__(self, relative: str) -> str | None:
        parent = relative.rpartition("/")[0]
        if parent not in self.parents:
            self.parents[parent] = self._blocked(parent)
        blocked = self.parents[parent]
        if blocked is not None:
            return blocked
        return relative if os.path.lexists(os.path.join(self.root, relative)) else None

    def _blocked(self, parent: str) -> str | None:
        parts = parent.split("/")
        for depth in range(1, len(parts) + 1):
            path = os.path.join(self.root, *parts[:depth])
            if os.path.lexists(path) and (os.path.islink(path) or not os.path.isdir(path)):
                return "/".join(parts[:depth])
        return None


def save_journal(staging: Path, journal: Journal) -> None:
    tmp = staging / f"{JOURNAL}.tmp"
    try:
        tmp.write_text(json.dumps(journal.to_json(), ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, staging / JOURNAL)  # the run is complete from this instant
    except OSError as exc:
        raise OutputError(f"не удалось записать в папку {staging.parent}: {os_error_reason(exc)}") from None


def load_journal(staging: Path) -> Journal | None:
    try:
        return Journal.from_json(json.loads((staging / JOURNAL).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def switch(folder: Path, staging: Path, journal: Journal, *, undo_on_error: bool) -> None:
    """Move old files aside, new files in, then the manifest; resumable after a kill.

    Every step checks what is already done, so the same call finishes an interrupted
    switch. A file a person changed or created meanwhile is left as it is and drops out
    of the manifest.
    """
    new_root, old_root = staging / NEW, staging / OLD
    aside: list[str] = []
    moved_in: list[str] = []
    dropped: set[str] = set()
    obstacle_to = Obstacles(folder)
    rel = ""
    try:
        for rel, record in [*journal.replace.items(), *journal.delete.items()]:
            target, parked = folder / rel, old_root / rel
            if os.path.lexists(parked) or not os.path.lexists(target):
                continue  # moved aside before an interruption, or already gone
            if rel in journal.replace and not os.path.lexists(new_root / rel):
                continue  # already replaced before an interruption
            if record is not None and not unchanged(target, record):
                dropped.add(rel)  # changed by a person since the plan: theirs now
                continue
            parked.parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, parked)
            aside.append(rel)
        for i, rel in enumerate(journal.new):
            if i == len(journal.new) // 2:
                pause_for_tests(":switch")
            source, target = new_root / rel, folder / rel
            if not os.path.lexists(source):
                continue  # moved in before an interruption
            if rel in dropped or obstacle_to(rel) is not None:
                dropped.add(rel)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            moved_in.append(rel)
    except OSError as exc:
        if not undo_on_error:
            raise _finish_later(folder, staging, exc) from None
        _undo(folder, staging, moved_in, aside, exc)
        if isinstance(exc, PermissionError):  # Windows: a file open in Excel cannot be moved
            raise OutputError(f"{file_busy(folder / rel)}. {UNCHANGED}") from None
        raise OutputError(
            f"не удалось записать результаты в папку {folder}: {os_error_reason(exc)}. {UNCHANGED}"
        ) from None
    for rel in dropped:
        journal.manifest.files.pop(rel, None)
    try:
        write_manifest(folder, journal.manifest)
        (staging / JOURNAL).unlink()
    except OSError as exc:
        raise _finish_later(folder, staging, exc) from None
    _remove_emptied_folders(folder, journal.delete)
    shutil.rmtree(staging, ignore_errors=True)


def _undo(folder: Path, staging: Path, moved_in: list[str], aside: list[str], cause: OSError) -> None:
    """Put everything back as it was before the switch began (the journal is then dropped)."""
    try:
        for rel in reversed(moved_in):
            os.replace(folder / rel, staging / NEW / rel)
        for rel in reversed(aside):
            os.replace(staging / OLD / rel, folder / rel)
        (staging / JOURNAL).unlink()
    except OSError:
        raise _finish_later(folder, staging, cause) from None


def _finish_later(folder: Path, staging: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"не удалось перенести результаты в папку {folder}: {os_error_reason(exc)}. Новые результаты "
        f"сохранены в скрытой папке {staging.name}; устраните причину и запустите программу в эту папку "
        "ещё раз — перенос завершится"
    )


def _remove_emptied_folders(folder: Path, deleted: Iterable[str]) -> None:
    """Remove sub-folders left empty by deleted outputs (a folder with anything in it stays)."""
    for rel in deleted:
        parent = (folder / rel).parent
        while parent != folder:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
