"""The house: README's table of rooms matches the folders, the layers hold, modules stay small."""

from __future__ import annotations

import ast
import re
import zipfile
from collections import defaultdict
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


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
REPEATED_SENTENCES = 10  # Russian sentences of 40+ characters allowed in more than one file


def _texts(path: Path) -> list[str]:
    if path.suffix == ".py":
        texts = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
            elif isinstance(node, ast.JoinedStr):
                texts.append("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values))
        return texts
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        return [re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))]
    return [path.read_text(encoding="utf-8")]


def _sentences(text: str) -> set[str]:
    text = re.sub(r"<[^>]+>", " ", _TAG.sub(" ", text)).replace("\u00a0", " ")
    found = set()
    for part in _SENTENCE_END.split(text):
        sentence = re.sub(r"\s+", " ", part).strip(" *|-#>:;,")
        if len(sentence) >= 40 and re.search(r"[а-яё]", sentence, re.I):
            found.add(sentence)
    return found


def test_a_sentence_of_the_documents_is_written_once():
    """Words live in one place: at most a few long Russian sentences repeat across files of
    src/ and templates/ (a section's words are its template's; a message is its module's)."""
    where: dict[str, set[str]] = defaultdict(set)
    for folder in (ROOT / "src", ROOT / "templates"):
        for path in folder.rglob("*"):
            if (
                path.suffix in {".py", ".j2", ".docx", ".md", ".js", ".css"}
                and "__pycache__" not in path.parts
            ):
                for sentence in set().union(*(_sentences(text) for text in _texts(path))):
                    where[sentence].add(path.relative_to(ROOT).as_posix())
    repeated = {s: sorted(files) for s, files in where.items() if len(files) > 1}
    assert len(repeated) <= REPEATED_SENTENCES, repeated
