"""``validate -o`` takes any text a cell, a file name or a registry can hold (issue 9, item 2).

Before: a vertical tab (what Excel stores for Shift+Enter in text from Word) or another
control character in a school name made openpyxl raise IllegalCharacterError — no
validation.xlsx, no letters, no summary — and ANSI escapes and bidi overrides reached the
terminal raw. Now every writer gets text it can hold, and the console gets one clean line
per item.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings

from docx_read import full_text, open_docx
from hostile_text import SAMPLES, VERTICAL_TAB, cell_texts, hostile_forms
from vosp_monitor.cli import main

# What must never reach a terminal: controls other than the line feed that ends a line,
# DEL and C1 controls, bidi embeddings/overrides/isolates, line and paragraph separators.
_RAW_ON_TERMINAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _validate(folder: Path, registry: Path, out: Path) -> Result:
    args = ["validate", str(folder), "-o", str(out), "--schools", str(registry), "--jobs", "1"]
    return CliRunner().invoke(main, args)


def _check_outputs(result: Result, out: Path) -> None:
    """No traceback, exit 0 or 1, every output written and holding only what its format can."""
    from openpyxl import load_workbook

    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    assert "Внутренняя ошибка" not in result.stderr
    assert not _RAW_ON_TERMINAL.search(result.stdout), repr(_RAW_ON_TERMINAL.search(result.stdout))
    sheet = load_workbook(out / "validation.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) > 1
    assert not any(isinstance(v, str) and _XML_ILLEGAL.search(v) for row in rows for v in row)
    # a letter per school (or per file without a code) with a problem of its own
    letters = list((out / "feedback").glob("*.md")) if (out / "feedback").exists() else []
    assert len(letters) == len({code or file for file, code, *_ in rows[1:] if file})
    for letter in letters:
        assert not _RAW_ON_TERMINAL.search(letter.read_text(encoding="utf-8"))
        word = full_text(open_docx(letter.with_suffix(".docx")))  # the same letter in Word opens
        assert not _RAW_ON_TERMINAL.search(word)


def test_control_characters_escapes_bidi_newlines_emoji_and_long_text_everywhere(tmp_path):
    text = "".join(SAMPLES)  # all of them in every text cell, the file name and the registry
    folder, registry = hostile_forms(tmp_path, text)
    out = tmp_path / "out"
    result = _validate(folder, registry, out)
    _check_outputs(result, out)
    assert result.exit_code == 1  # the count typed as text is an error
    assert len(list((out / "feedback").glob("*.md"))) == 2
    # a line break typed in a name does not start a new console line
    assert not any(line.startswith("строка 2") for line in result.stdout.splitlines())
    from openpyxl import load_workbook

    names = [
        row[2] for row in load_workbook(out / "validation.xlsx").active.iter_rows(min_row=2, values_only=True)
    ]
    assert any(isinstance(n, str) and "СОШ\nс переносом" in n for n in names)  # Shift+Enter kept as a break


def test_the_vertical_tab_alone_in_a_school_name(tmp_path):
    """The original report: one VT in a name stopped `validate -o` with a traceback."""
    folder, registry = hostile_forms(tmp_path, f"МБОУ «СОШ{VERTICAL_TAB}№ 1»")
    out = tmp_path / "out"
    _check_outputs(_validate(folder, registry, out), out)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=cell_texts())
def test_fuzz_any_text_in_every_text_cell(tmp_path_factory, text):
    tmp_path = tmp_path_factory.mktemp("fuzz")
    folder, registry = hostile_forms(tmp_path, text)
    out = tmp_path / "out"
    _check_outputs(_validate(folder, registry, out), out)
