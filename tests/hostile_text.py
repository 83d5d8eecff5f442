"""Any text a cell can hold, for tests of every writer: fixed samples and a hypothesis strategy.

Excel keeps what a school pastes: a vertical tab for Shift+Enter in text from Word, other
control characters, ANSI escapes, bidi overrides, emoji, very long strings. openpyxl
refuses to write C0 controls, so :func:`excel_escaped` stores them the way Excel itself
does (``_x000B_``); the readers unescape them, so the program sees the raw character.

Shared by the ``validate -o`` and ``score -o`` fuzz tests: :func:`hostile_forms` writes a
folder of real forms (the project's own form writer) with one text in every text cell,
a file name made of it and a registry naming the schools with it.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from workbooks import default_config, fill_form, typical_school

VERTICAL_TAB = "\x0b"
SAMPLES = (
    "МБОУ «СОШ\x0bс переносом строки из Word»",
    "\x1b[31mКрасная\x1b[0m школа\x07",
    "Школа \u202eанидолп\u202c и \u2066изолят\u2069",
    "Школа 🏫🎓👩‍🏫 с эмодзи",
    "строка 1\nстрока 2\r\nстрока 3\u2028ещё",
    '=HYPERLINK("http://x","y")',
    "нулевой\x00символ и \x7f\x9b",
    "Ш" * 10_000,
)
_OPENPYXL_REFUSES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FILE_NAME_UNSAFE = re.compile("[/\x00]")


def excel_escaped(text: str) -> str:
    """Text openpyxl can write that reads back as ``text`` (controls as ``_xHHHH_``, as Excel does)."""
    return _OPENPYXL_REFUSES.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def file_stem(text: str, limit: int = 60) -> str:
    """A file name (no suffix) from any text: only «/» and NUL are impossible on POSIX."""
    stem = _FILE_NAME_UNSAFE.sub("_", text)[:limit]
    while len(stem.encode("utf-8")) > 200:
        stem = stem[:-1]
    return stem.lstrip(".") or "_"


def cell_texts(max_size: int = 200) -> Any:
    """A hypothesis strategy: arbitrary Unicode (no lone surrogates), or one of :data:`SAMPLES`."""
    from hypothesis import strategies as st

    anything = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=max_size)
    return st.one_of(st.sampled_from(SAMPLES), anything)


def hostile_forms(folder: Path, text: str, *, schools: int = 2) -> tuple[Path, Path]:
    """Forms with ``text`` in every text cell (and typed into a count), and a registry CSV.

    The first school's code is ``text`` itself, its file name is made of it; the others
    have ordinary codes. Returns (the forms folder, the registry file).
    """
    config = default_config()
    forms = folder / "forms"
    registry = folder / "registry.csv"
    rows = []
    for i in range(schools):
        code = text if i == 0 else f"{101 + i:04d}"
        fields, values = typical_school(code, text, head=text, filled_by=text, **{"UPR-4": text})
        for ind in config.indicators():
            given = values[ind.code]
            parts = dict(zip(ind.input_cells, given if isinstance(given, tuple) else (given,), strict=False))
            values[ind.code] = {**parts, "comment": text}
        name = file_stem(text) if i == 0 else code
        fill_form(forms / f"{name}.xlsx", config, _escaped(fields), _escaped(values))
        rows.append((code, text))
    rows.append(("0199", text))  # expected, never submitted
    with registry.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Код ОО", "Наименование"])
        writer.writerows(rows)
    return forms, registry


def _escaped(values: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in values.items():
        if isinstance(value, str):
            out[key] = excel_escaped(value)
        elif isinstance(value, dict):
            out[key] = {k: excel_escaped(v) if isinstance(v, str) else v for k, v in value.items()}
        else:
            out[key] = value
    return out
