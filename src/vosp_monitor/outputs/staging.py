"""A run's outputs as one set: written aside, checked against the folder, switched in.

Why: the output folder is a person's folder. A run must never delete or overwrite what
the tool did not write (with the forms kept in ``OUT/schools/``, replacing that folder
deleted every form), and the folder must never hold half of one run and half of another
(tables new, report old) after a kill, a broken template or two runs at once.

How — :func:`publish`, a journalled switch:

1. refuse an output folder that overlaps the input folder; take the folder's lock
   (folderlock.py); finish or discard what a killed run left behind;
2. the command's writers write every output into ``.vosp-staging-<id>/new/`` inside the
   output folder (the same file system, so moving a file in is a rename, never a copy);
3. plan: each output takes a free name, or replaces a file that the manifest
   (manifest.py) lists and that nobody changed since; listed files of the command's own
   outputs that this run did not produce (cards of schools that are gone) are deleted.
   Any other file at an output name stops the run before anything in the folder changes;
4. the plan and the new manifest are saved as ``journal.json``: from here on the run is
   complete and is switched in, by this process or, if it is killed, by the next run;
5. switch (journal.py): files to replace or delete are moved aside into ``old/`` (if one cannot be
   moved — open in Excel on Windows — everything moved so far goes back and the folder is
   as it was), the new files are moved in, the manifest is replaced, staging is removed.

A kill during 1–3 leaves the folder as it was (the next run deletes the staging folder);
a kill during 5 is finished by the next run into the folder before it does anything else.
Each output costs one rename (two when it replaces a file). There is no fsync: the design
protects against a killed process, not against a power cut.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..errors import UsageError, VospError
from ..version import __version__
from . import (
    STAGING_PREFIX,
    OutputError,
    OutputSet,
    ensure_dir,
    os_error_reason,
)
from .journal import JOURNAL, NEW, UNCHANGED, Journal, Obstacles, load_journal, save_journal, switch
from .legacy import old_release_files, remove_old_temporaries
from .lock import busy_error, hold_lock, live_owner
from .manifest import FileRecord, Manifest, RunRecord, read_manifest, record_file, unchanged

LISTED = 10  # conflicting files named in a message; the rest are counted

Writer = Callable[[Path], Sequence[Path]]


def publish(
    folder: Path,
    outputs: OutputSet,
    write: Writer,
    *,
    inputs: Iterable[Path] = (),
    replace_foreign: bool = False,
) -> list[Path]:
    """Run ``write(staging_folder)`` and switch the files it wrote into ``folder`` as one set.

    ``write`` returns the paths it wrote (inside the staging folder); the same paths in
    ``folder`` are returned. ``inputs`` are the folders the run read (an output folder
    overlapping one is a usage error). ``replace_foreign`` lets the run replace files the
    tool did not write (``templates export --force``); it never deletes them.
    Raises :class:`OutputError` (nothing in ``folder`` changed) when a file of someone
    else's is in the way, the folder cannot be written, or another run holds it.
    """
    folder = Path(folder)
    check_output_folder(folder, inputs)
    ensure_dir(folder)
    with hold_lock(folder, outputs.command) as owner:
        finish_interrupted(folder)
        remove_old_temporaries(folder, outputs)
        staging = _make_staging(folder)
        new_root = staging / NEW
        try:
            try:
                written = list(write(new_root))
            except OutputError as exc:  # name the place a person knows, not the hidden staging folder
                raise OutputError(str(exc).replace(str(new_root), str(folder))) from None
            except VospError:
                raise  # already says what is wrong (a broken template: TemplateNotFound is an OSError too)
            except Exception as exc:
                cause = os_error_behind(exc)
                if cause is None:
                    raise
                raise _write_failed(folder, staging, cause) from None
            journal = _plan(folder, new_root, outputs, owner.started, replace_foreign)
            save_journal(staging, journal)
            switch(folder, staging, journal, undo_on_error=True)
        finally:
            if not (staging / JOURNAL).exists():
                shutil.rmtree(staging, ignore_errors=True)
    return [folder / path.relative_to(new_root) for path in written]


def check_output_folder(folder: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse, before any work, an output folder that overlaps an input folder or is in use."""
    folder = Path(folder)
    for source in inputs:
        overlap = _overlap(folder, Path(source))
        if overlap:
            resolved = Path(source).resolve()
            raise UsageError(
                f"{overlap}: программа не пишет результаты туда, откуда читает формы (их можно испортить "
                "или прочитать как формы). Укажите для результатов другую папку -o, например "
                f"{resolved.parent / (resolved.name + '-результаты')}"
            )
    owner = live_owner(folder) if folder.is_dir() else None
    if owner is not None:
        raise busy_error(folder, owner)


def _overlap(folder: Path, source: Path) -> str:
    """How the output folder and an input folder overlap, in Russian; "" when they do not."""
    if not source.is_dir():
        return ""  # one form or a table: the manifest protects it like any other file
    out, src = (Path(os.path.normcase(p.resolve())) for p in (folder, source))
    if out == src:
        return f"папка для результатов {folder} совпадает с папкой форм {source}"
    if out.is_relative_to(src):
        return f"папка для результатов {folder} находится внутри папки форм {source}"
    if src.is_relative_to(out):
        return f"папка форм {source} находится внутри папки для результатов {folder}"
    return ""


def finish_interrupted(folder: Path) -> None:
    """Finish the switch of a complete run that was killed; delete an incomplete run's files.

    Called with the folder's lock held, so every staging folder found belongs to a dead run.
    """
    try:
        entries = [e for e in folder.iterdir() if e.name.startswith(STAGING_PREFIX)]
    except OSError as exc:
        raise OutputError(f"не удалось прочитать папку {folder}: {os_error_reason(exc)}") from None
    for staging in entries:
        if staging.is_symlink() or not staging.is_dir():
            continue
        journal = load_journal(staging)
        if journal is None:
            shutil.rmtree(staging, ignore_errors=True)
        else:
            switch(folder, staging, journal, undo_on_error=False)


def _make_staging(folder: Path) -> Path:
    staging = folder / f"{STAGING_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        (staging / NEW).mkdir(parents=True)
    except OSError as exc:
        raise OutputError(f"не удалось записать в папку {folder}: {os_error_reason(exc)}") from None
    return staging


def os_error_behind(exc: BaseException) -> OSError | None:
    """The OSError behind an exception: xlsxwriter, for one, wraps a full disk in its own error."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return None


def _write_failed(folder: Path, staging: Path, exc: OSError) -> OutputError:
    where = ""
    if exc.filename:
        path = Path(os.fsdecode(exc.filename))
        if path.is_relative_to(staging / NEW):
            where = f" (файл {path.relative_to(staging / NEW).as_posix()})"
    return OutputError(
        f"не удалось записать результаты в папку {folder}{where}: {os_error_reason(exc)}. {UNCHANGED}"
    )


def _relative_files(root: Path) -> list[str]:
    found = []
    for directory, _dirs, files in os.walk(root):
        base = Path(directory).relative_to(root)
        found += [(base / name).as_posix() for name in files]
    return sorted(found)


def _plan(folder: Path, new_root: Path, outputs: OutputSet, started: str, replace_foreign: bool) -> Journal:
    """Decide what each output does to the folder; refuse if a file of someone else's is in the way."""
    staged = _relative_files(new_root)
    stray = [rel for rel in staged if not outputs.owns(rel)]
    if stray:  # a writer and its command's OutputSet disagree: a bug of ours
        raise RuntimeError(f"{outputs.command} wrote outputs it does not declare: {stray[:5]}")
    manifest = read_manifest(folder)
    previous = manifest.files if manifest is not None else old_release_files(folder, outputs)
    replace: dict[str, FileRecord | None] = {}
    conflicts: set[str] = set()
    obstacle_to = Obstacles(folder)
    for rel in staged:
        obstacle = obstacle_to(rel)
        if obstacle is None:
            continue
        record = previous.get(rel)
        if obstacle == rel and record is not None and unchanged(folder / rel, record):
            replace[rel] = record
        elif obstacle == rel and replace_foreign and (folder / rel).is_file():
            replace[rel] = None
        else:
            conflicts.add(obstacle)
    if conflicts:
        raise _conflict_error(folder, sorted(conflicts))
    produced = set(staged)
    delete = {
        rel: record
        for rel, record in previous.items()
        if outputs.owns(rel) and rel not in produced and unchanged(folder / rel, record)
    }
    run_id = uuid.uuid4().hex[:12]
    finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    files = {rel: rec for rel, rec in (manifest.files if manifest else {}).items() if not outputs.owns(rel)}
    files |= {rel: record_file(new_root / rel, run_id) for rel in staged}
    runs = dict(manifest.runs) if manifest else {}
    runs[run_id] = RunRecord(outputs.command, started, finished, __version__)
    return Journal(staged, replace, delete, Manifest(files, runs))


def _conflict_error(folder: Path, conflicts: list[str]) -> OutputError:
    names = ", ".join(conflicts[:LISTED])
    if len(conflicts) > LISTED:
        names += f" и ещё {len(conflicts) - LISTED}"
    return OutputError(
        f"в папке {folder} уже есть файлы с именами результатов, которые программа не записывала "
        f"или которые изменены после записи: {names}. Чтобы не потерять их, программа ничего не записала. "
        "Перенесите или переименуйте эти файлы либо укажите для результатов другую папку (-o)"
    )
