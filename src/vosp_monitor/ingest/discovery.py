"""Finding the submissions in an input folder, and saying what was left out and why.

Everything under the folder that is a workbook is read; everything else is listed with a
reason in Russian, so the analyst sees what the run did not read:

* office lock and temporary files (``~$…``, ``.~lock…#``), hidden files and folders,
  macOS's ``__MACOSX``, files that are not workbooks;
* a folder a run of vosp-monitor wrote its results into (it holds
  ``outputs.MANIFEST_NAME``): ranking.xlsx is not a school's form;
* links (symbolic links, Windows junctions) that lead outside the input folder: reading
  follows what the analyst chose to read, not where a link points. A link to a file inside
  the folder is read; a link to a folder inside it is not followed (its files are read by
  their own path, and a link cannot make a loop).

A zip archive is read as a folder (``archive``): forms arrive by e-mail as ``forms.zip``.
A folder or file the user may not open is a problem of its own (``folder-unreadable``,
with its path), never a stop: the rest of the batch is read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..outputs import MANIFEST_NAME
from ..problems import Problem, make_problem
from .archive import ARCHIVE_SUFFIXES, Source, list_archive

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

RESULTS_FOLDER = "папка с результатами vosp-monitor"
LINK_OUTSIDE = "ссылка ведёт за пределы входной папки; не прочитано"
LINK_TO_FOLDER_INSIDE = "ссылка на папку внутри входной папки; её файлы читаются по их собственному пути"


@dataclass(slots=True)
class Found:
    """What is under an input folder: the files to read, what was left out and why, and the
    folders that could not be opened (problems of their own)."""

    sources: list[Source] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (relative path, reason in Russian)
    problems: list[Problem] = field(default_factory=list)


def discover(root: Path) -> Found:
    """Every workbook under ``root`` (recursively, and inside zip archives), sorted by
    relative path, and what was skipped (see the module docstring).

    A single file is read as is, named by its own name (the reader says what is wrong with
    it, if anything); a single zip archive is read as a folder.
    """
    root = Path(root)
    found = Found()
    if root.is_file():
        if root.suffix.lower() in ARCHIVE_SUFFIXES:
            _add_archive(found, root, root.name)
        else:
            found.sources.append(Source(root, root.name))
        return found
    if _is_file(root / MANIFEST_NAME):
        found.skipped.append((".", RESULTS_FOLDER))
        return found
    real_root = os.path.realpath(root)

    def unreadable(error: OSError) -> None:
        where = _relative(Path(error.filename or root), root)
        found.problems.append(make_problem("folder-unreadable", file=where, detail=_reason(error)))

    for folder, subfolders, files in os.walk(root, onerror=unreadable):
        base = Path(folder)
        kept = []
        for name in sorted(subfolders):
            reason = _folder_skip_reason(base / name, real_root)
            if reason:
                found.skipped.append((_relative(base / name, root), reason))
            else:
                kept.append(name)
        subfolders[:] = kept
        for name in files:
            relative = _relative(base / name, root)
            reason = _link_reason(base / name, real_root, folder=False)
            if not reason and Path(name).suffix.lower() in ARCHIVE_SUFFIXES and not name.startswith("."):
                _add_archive(found, base / name, relative)
                continue
            reason = reason or _file_skip_reason(name)
            if reason:
                found.skipped.append((relative, reason))
            else:
                found.sources.append(Source(base / name, relative))
    found.sources.sort(key=lambda source: source.name)
    found.skipped.sort()
    return found


def _add_archive(found: Found, path: Path, name: str) -> None:
    """The forms inside a zip archive, as if it were a folder (archives inside it are not opened)."""
    members, skipped = list_archive(path, name)
    found.skipped += skipped
    hidden: set[str] = set()
    for shown, member in members:
        inner = shown[len(name) + 1 :].split("/")
        folders = inner[:-1]
        hidden_at = next((i for i, part in enumerate(folders) if _folder_name_reason(part)), None)
        if hidden_at is not None:
            folder = "/".join([name, *folders[: hidden_at + 1]])
            if folder not in hidden:
                hidden.add(folder)
                found.skipped.append((folder, _folder_name_reason(folders[hidden_at])))
            continue
        file_name = inner[-1]
        if Path(file_name).suffix.lower() in ARCHIVE_SUFFIXES:
            reason = "архив внутри архива не читается; распакуйте его"
        else:
            reason = _file_skip_reason(file_name)
        if reason:
            found.skipped.append((shown, reason))
        else:
            found.sources.append(Source(path, shown, member))


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False where the folder may not be looked into (its own problem, reported by the walk)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "нет прав на чтение"
    return error.strerror or str(error)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _folder_skip_reason(path: Path, real_root: str) -> str:
    reason = _folder_name_reason(path.name)
    if reason:
        return reason
    link = _link_reason(path, real_root, folder=True)
    if link:
        return link
    if _is_file(path / MANIFEST_NAME):
        return RESULTS_FOLDER
    return ""


def _folder_name_reason(name: str) -> str:
    if name == "__MACOSX":
        return "служебная папка macOS"
    if name.startswith("."):
        return "скрытая папка"
    return ""


def _file_skip_reason(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if name.startswith("~$"):
        return "временный файл Excel (книга открыта в Excel)"
    if name.startswith(".~lock.") and name.endswith("#"):
        return "файл блокировки LibreOffice (книга открыта в LibreOffice)"
    if name.startswith("."):
        return "скрытый файл"
    if suffix in WORKBOOK_SUFFIXES:
        return ""
    if suffix == ".xlsb":
        return "формат .xlsb не поддерживается; сохраните книгу как .xlsx"
    return f"не книга Excel ({suffix})" if suffix else "не книга Excel (файл без расширения)"


def _link_reason(path: Path, real_root: str, *, folder: bool) -> str:
    """Why a link is not followed ("" when ``path`` is no link, or a file link inside the folder)."""
    is_junction = getattr(os.path, "isjunction", None)  # Python 3.12+; junctions are Windows' folder links
    if not (path.is_symlink() or (is_junction is not None and is_junction(path))):
        return ""
    if not _inside(os.path.realpath(path), real_root):
        return LINK_OUTSIDE
    return LINK_TO_FOLDER_INSIDE if folder else ""


def _inside(target: str, root: str) -> bool:
    target, root = os.path.normcase(target), os.path.normcase(root)
    try:
        return os.path.commonpath([target, root]) == root
    except ValueError:  # another drive (Windows)
        return False
