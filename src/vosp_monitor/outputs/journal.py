"""The switch of a complete run into its output folder: journalled, undoable, resumable.

staging.py decides what a run does to the folder and saves that plan here as
``journal.json`` in the run's staging folder; from that instant the run is complete. The
switch (:func:`switch`) then puts the new files in place so that, as a person sees the
folder at any instant — also after a kill at any point — every name holds a whole file,
of the old run or of the new one, and no name of either set is ever missing:

1. names the old set has not (cards of new schools) are moved in;
2. each file of the old set that the new one replaces gets its new version by one
   atomic rename over it (``os.replace``: the name never holds neither); the old version
   stays in ``old/`` as a hard link, for undoing. Files in sub-folders go first and the
   few at the top last (results.json, which other commands read, the very last), so the
   top-level set is mixed for the time of a dozen renames only;
3. files of the old set that the new one has not (cards of schools gone) are moved aside;
4. the manifest is replaced.

A run killed during the switch is finished by the next run into the folder (any command)
before it does anything else; every step checks what is already done. A failure in a live
run puts everything back (``undo_on_error``): a file open in Excel on Windows cannot be
replaced, and then the folder stays exactly as it was.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import OutputError, kill_point_for_tests, not_replaceable, os_error_reason, pause_for_tests
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
    """Put the run's files in place in the module docstring's order, then the manifest.

    Every step checks what is already done, so the same call finishes an interrupted
    switch. A file a person changed or created meanwhile is left as it is and drops out
    of the manifest.
    """
    done = _Done()
    dropped: set[str] = set()
    obstacle_to = Obstacles(folder)
    rel = ""
    try:
        for rel in journal.new:
            if rel not in journal.replace and not _add(folder, staging, rel, obstacle_to, done):
                dropped.add(rel)
        pause_for_tests(":switch")
        for rel in sorted(journal.replace, key=_switch_order):
            if not _replace(folder, staging, rel, journal.replace[rel], done):
                dropped.add(rel)
        for rel, record in journal.delete.items():
            _delete(folder, staging, rel, record, done)
    except OSError as exc:
        if not undo_on_error:
            raise _finish_later(folder, staging, exc) from None
        _undo(folder, staging, done, exc)
        if isinstance(exc, PermissionError):  # a file open in Excel (Windows), or a read-only folder
            raise OutputError(f"{not_replaceable(folder / rel, exc)}. {UNCHANGED}") from None
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


@dataclass(slots=True)
class _Done:
    """What this call of :func:`switch` did, in order, so that a failure can undo it."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def _switch_order(rel: str) -> tuple[int, str]:
    """Files in sub-folders (cards, letters) first, then those at the top, results.json last."""
    return (2 if rel == "results.json" else 1 if "/" not in rel else 0, rel)


def _add(folder: Path, staging: Path, rel: str, obstacle_to: Obstacles, done: _Done) -> bool:
    """Move a new name in; False when something of a person's is in its way now."""
    source, target = staging / NEW / rel, folder / rel
    if not os.path.lexists(source):
        return True  # moved in before an interruption
    if obstacle_to(rel) is not None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    kill_point_for_tests()
    os.replace(source, target)
    done.added.append(rel)
    return True


def _replace(folder: Path, staging: Path, rel: str, record: FileRecord | None, done: _Done) -> bool:
    """Rename the new version over the old one (kept in ``old/`` first); False when a person changed it."""
    source, target, parked = staging / NEW / rel, folder / rel, staging / OLD / rel
    if not os.path.lexists(source):
        return True  # replaced before an interruption
    if not os.path.lexists(parked):
        if record is not None and not unchanged(target, record):
            return False  # changed by a person since the plan: theirs now
        parked.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(target):
            _keep(target, parked)
    kill_point_for_tests()
    os.replace(source, target)  # one rename: the name holds the old file or the new one, never neither
    done.replaced.append(rel)
    return True


def _keep(target: Path, parked: Path) -> None:
    """The old version in ``old/`` while it stays in place: a hard link (the same file, no copy);
    where the disk has none (FAT, some network shares), a copy."""
    try:
        os.link(target, parked)
    except OSError:
        shutil.copy2(target, parked)


def _delete(folder: Path, staging: Path, rel: str, record: FileRecord, done: _Done) -> None:
    """Move a file of the old set that the new one has not (a card of a school gone) aside."""
    target, parked = folder / rel, staging / OLD / rel
    if os.path.lexists(parked) or not os.path.lexists(target):
        return  # moved aside before an interruption, or already gone
    if not unchanged(target, record):
        return  # changed by a person since the plan: theirs now
    parked.parent.mkdir(parents=True, exist_ok=True)
    kill_point_for_tests()
    os.replace(target, parked)
    done.deleted.append(rel)


def _undo(folder: Path, staging: Path, done: _Done, cause: OSError) -> None:
    """Put everything back as it was before the switch began (the journal is then dropped)."""
    try:
        for rel in reversed(done.deleted):
            os.replace(staging / OLD / rel, folder / rel)
        for rel in reversed(done.replaced):
            os.replace(staging / OLD / rel, folder / rel)
        for rel in reversed(done.added):
            os.replace(folder / rel, staging / NEW / rel)
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
