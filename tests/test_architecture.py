"""The house: README's table of rooms matches the folders, the layers hold, modules stay small."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "vosp_monitor"
LONG_MODULE = 400  # lines


def _readme_rooms() -> dict[str, set[str]]:
    """«комната» → the modules and sub-folders the README's table lists for it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Как устроен код", 1)[1].split("\n### ", 1)[0]
    rooms: dict[str, set[str]] = {}
    for line in section.splitlines():
        if line.startswith(("| `", "| (корень)")):
            room, modules = (cell.strip() for cell in line.strip("|").split("|")[:2])
            rooms[room.strip("`")] = set(re.findall(r"`([^`]+)`", modules))
    return rooms


def _actual_rooms() -> dict[str, set[str]]:
    rooms: dict[str, set[str]] = {}
    for folder in [PACKAGE, *sorted(p for p in PACKAGE.rglob("*") if p.is_dir())]:
        if folder.name == "__pycache__" or not (folder / "__init__.py").is_file():
            continue
        entries = {p.stem for p in folder.glob("*.py") if p.name != "__init__.py"}
        entries |= {f"{p.name}/" for p in folder.iterdir() if (p / "__init__.py").is_file()}
        name = "(корень)" if folder == PACKAGE else f"{folder.relative_to(PACKAGE).as_posix()}/"
        if name == "(корень)":
            entries = {e for e in entries if not e.endswith("/")}
        rooms[name] = entries
    return rooms


def test_the_readme_table_of_rooms_matches_the_folders_one_to_one():
    assert _readme_rooms() == _actual_rooms()


def test_modules_stay_under_400_lines_but_for_data():
    long = {
        p.relative_to(PACKAGE).as_posix(): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > LONG_MODULE
    }
    # problems/catalogue.py is data: one entry per problem code with its Russian texts.
    long.pop("problems/catalogue.py", None)
    assert len(long) <= 2, long


def test_the_import_contracts_hold():
    """The layers and the absence of cycles, as CI checks them with ``lint-imports``."""
    cli = pytest.importorskip("importlinter.cli")
    assert cli.lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0
