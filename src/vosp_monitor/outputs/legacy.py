"""Outputs of the release before manifests: recognised by their content, so an upgrade is seamless.

Releases up to 0.1 wrote no manifest. A folder they filled holds ranking.xlsx, results.json,
report.html, cards and so on that the next run must be allowed to replace (and stale cards
it must be allowed to delete), but a file of the same name that a person put there must
still be safe. So, only in a folder without a manifest, a file at one of the command's
output names counts as the old release's when its content carries that release's
signature: the footer «Сформировано программой vosp-monitor» of reports and cards, the
header row of scores.csv and indicators.csv, the sheet names of ranking.xlsx and
validation.xlsx, the title of a feedback letter, the closing ``"schema_version"`` of
results.json. Forms written by ``form --schools`` are never recognised this way: a
school's filled-in form carries the same stamp as the blank one, and it must not be lost.

The old release also left hidden temporaries when killed (``.ranking.xlsx.k3j9x_2a.tmp``,
``.schools.tmp-1234-0badf00d``); :func:`remove_old_temporaries` deletes those.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

from . import OutputSet
from .manifest import FileRecord, record_file

LEGACY_RUN = "before-manifest"
MAX_SNIFF = 64 * 1024 * 1024  # a bigger file at an output name is not read to recognise it
_FOOTER = "Сформировано программой vosp-monitor".encode()
_OLD_FILE_TMP = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp$")
_OLD_CARDS_TMP = re.compile(r"^\.schools\.(tmp|old)-\d+-[0-9a-f]{8}$")


def _head(path: Path, size: int = 256) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _tail(path: Path, size: int = 256) -> bytes:
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - size))
        return handle.read()


def _has_footer(path: Path) -> bool:
    return _FOOTER in path.read_bytes()


def _starts_with(text: str) -> Callable[[Path], bool]:
    return lambda path: _head(path).startswith(text.encode("utf-8"))


def _sheets(*names: str) -> Callable[[Path], bool]:
    def check(path: Path) -> bool:
        with zipfile.ZipFile(path) as archive:
            workbook = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        return all(f'name="{name}"' in workbook for name in names)

    return check


def _results_json(path: Path) -> bool:
    return _head(path, 1) == b"{" and b'"schema_version"' in _tail(path)


SIGNATURES: dict[str, Callable[[Path], bool]] = {
    "ranking.xlsx": _sheets("Рейтинг", "Не представили"),
    "scores.csv": _starts_with("\ufeffМесто;Код ОО;"),
    "indicators.csv": _starts_with("\ufeffКод ОО;Наименование ОО;Блок;Показатель;"),
    "results.json": _results_json,
    "report.md": _has_footer,
    "report.html": _has_footer,
    "schools/*.md": _has_footer,
    "schools/*.html": _has_footer,
    "validation.xlsx": _sheets("Проблемы"),
    "feedback/*.md": _starts_with("# Замечания по форме мониторинга"),
}


def old_release_files(folder: Path, outputs: OutputSet) -> dict[str, FileRecord]:
    """Files in ``folder`` at ``outputs``' names that the release before manifests wrote."""
    found: dict[str, FileRecord] = {}
    for pattern in outputs.patterns:
        check = SIGNATURES.get(pattern)
        if check is None:
            continue
        for path in folder.glob(pattern):
            try:
                if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_SNIFF:
                    continue
                if check(path):
                    found[path.relative_to(folder).as_posix()] = record_file(path, LEGACY_RUN)
            except (OSError, zipfile.BadZipFile, KeyError):
                continue
    return found


def remove_old_temporaries(folder: Path, outputs: OutputSet) -> None:
    """Delete the hidden temporaries a killed run of the old release left at these outputs."""
    cards = outputs.owns("schools/card.html")
    folders = {folder} | {folder / p.rsplit("/", 1)[0] for p in outputs.patterns if "/" in p}
    for directory in folders:
        try:
            entries = list(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            match = _OLD_FILE_TMP.match(entry.name)
            relative = entry.relative_to(folder).parent / match["name"] if match else None
            if relative is not None and outputs.owns(relative.as_posix()) and entry.is_file():
                with contextlib.suppress(OSError):
                    entry.unlink()
            elif directory == folder and cards and _OLD_CARDS_TMP.match(entry.name) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
