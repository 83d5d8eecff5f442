"""The справка reads as it did before its sections were written once for all three formats.

Before, report.md, report.html and report.docx came from three sets of templates that had
drifted apart; now each section is one template (templates/sections/). This test reads the
samples' справка in each format as words (``spravka_text``: no markup, punctuation, case,
date, table numbers) and compares them with the words of the same format before the change
(tests/fixtures/spravka-before/, written by the last release with separate templates).
Every difference is listed in tests/fixtures/spravka-before/differences.md — mostly where a
format took another format's fuller wording, caption or table; a difference that is not
listed fails the test. ``UPDATE_GOLDEN=1`` rewrites the list after a deliberate change.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from spravka_text import READERS, words
from vosp_monitor.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
BEFORE = Path(__file__).parent / "fixtures" / "spravka-before"
DIFFERENCES = BEFORE / "differences.md"
RUNS = {
    "plain": [],
    "previous": [
        "--previous",
        str(SAMPLES / "years"),
        "--school-map",
        str(SAMPLES / "years" / "school-map.csv"),
    ],
}


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    folders = {}
    for run, extra in RUNS.items():
        out = tmp_path_factory.mktemp(run)
        args = ["score", str(SAMPLES / "forms"), "-o", str(out), "--schools", str(SAMPLES / "registry.csv")]
        result = CliRunner().invoke(main, [*args, "--no-cards", "--quiet", *extra])
        assert result.exit_code == 0, result.output
        folders[run] = out
    return folders


def _differences(run: str, fmt: str, folder: Path) -> list[str]:
    before = (BEFORE / f"{run}.{fmt}.txt").read_text(encoding="utf-8").split()
    now = words(READERS[fmt](folder / f"report.{fmt}"), str(SAMPLES))
    lines = []
    matcher = difflib.SequenceMatcher(None, before, now, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old, new = " ".join(before[i1:i2]), " ".join(now[j1:j2])
            lines.append(f"- {run}, {fmt}: «{old}» → «{new}»")
    return lines


def test_the_spravka_reads_as_before_in_every_format_but_for_the_listed_differences(written):
    found = [
        line for run, folder in written.items() for fmt in READERS for line in _differences(run, fmt, folder)
    ]
    text = (
        "# Отличия справки от прежней (до единого источника разделов)\n\n"
        "Порядок: прогон (plain — образцы; previous — с --previous samples/years), формат: «было» → «стало».\n\n"
        + "\n".join(found)
        + "\n"
    )
    if os.environ.get("UPDATE_GOLDEN"):
        DIFFERENCES.write_text(text, encoding="utf-8", newline="\n")
    listed = DIFFERENCES.read_text(encoding="utf-8")
    unlisted = [line for line in found if line not in listed.splitlines()]
    assert unlisted == [], (
        "отличия, которых нет в differences.md (UPDATE_GOLDEN=1 после проверки):\n" + "\n".join(unlisted)
    )
    assert text == listed, "differences.md lists differences the справка no longer has"


def test_the_three_formats_now_say_the_same(written):
    """One source: the words of report.md, report.html and report.docx agree, but for what only
    a format has (the HTML page's search box and instructions, Word's lack of charts' SVG text)."""
    folder = written["previous"]
    md, html, docx = (words(READERS[fmt](folder / f"report.{fmt}"), str(SAMPLES)) for fmt in READERS)
    assert difflib.SequenceMatcher(None, md, docx, autojunk=False).ratio() > 0.99
    assert difflib.SequenceMatcher(None, md, html, autojunk=False).ratio() > 0.98
