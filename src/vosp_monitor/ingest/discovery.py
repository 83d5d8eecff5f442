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
"""

from __future__ import annotations

import os
from pathlib import Path

from ..outputs import MANIFEST_NAME

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})

RESULTS_FOLDER = "папка с результатами vosp-monitor"
LINK_OUTSIDE = "ссылка ведёт за пределы входной папки; не прочитано"
LINK_TO_FOLDER_INSIDE = "ссылка на папку внутри входной папки; её файлы читаются по их собственному пути"


def discover(root: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every workbook under ``root`` (recursively), sorted by relative path, and what was skipped.

    Returns ``(workbooks, skipped)``; ``skipped`` holds ``(relative path, reason in
    Russian)`` for everything left out (see the module docstring). A single file is
    returned as is (the reader says what is wrong with it, if anything).
    """
    root = Path(root)
    if root.is_file():
        return [root], []
    if (root / MANIFEST_NAME).is_file():
        return [], [(".", RESULTS_FOLDER)]
    real_root = os.path.realpath(root)
    found: list[tuple[str, Path]] = []
    skipped: list[tuple[str, str]] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or root)
        skipped.append((_relative(where, root), "папка недоступна для чтения"))

    for folder, subfolders, files in os.walk(root, onerror=unreadable):
        base = Path(folder)
        kept = []
        for name in sorted(subfolders):
            reason = _folder_skip_reason(base / name, real_root)
            if reason:
                skipped.append((_relative(base / name, root), reason))
            else:
                kept.append(name)
        subfolders[:] = kept
        for name in files:
            relative = _relative(base / name, root)
            reason = _file_skip_reason(name) or _link_reason(base / name, real_root, folder=False)
            if reason:
                skipped.append((relative, reason))
            else:
                found.append((relative, base / name))
    found.sort(key=lambda pair: pair[0])
    skipped.sort()
    return [path for _, path in found], skipped


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _folder_skip_reason(path: Path, real_root: str) -> str:
    name = path.name
    if name == "__MACOSX":
        return "служебная папка macOS"
    if name.startswith("."):
        return "скрытая папка"
    link = _link_reason(path, real_root, folder=True)
    if link:
        return link
    if (path / MANIFEST_NAME).is_file():
        return RESULTS_FOLDER
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
