"""Real forms with arbitrary Unicode in every text cell, for the fuzz tests of the CLI.

A school's workbook can hold any text Excel can: a vertical tab (Shift+Enter in text
pasted from Word), other control characters, ANSI escapes, bidi marks, emoji, ten
thousand characters. openpyxl refuses to *write* control characters, so a form is first
filled by the tool's own writer (``workbooks.fill_form``) with a placeholder in each text
cell, and the placeholders are then replaced in the sheet XML by the text encoded as Excel
encodes it (``_xHHHH_`` for characters XML cannot hold). The strategies also make file
names and registry names. Shared with the fuzz test of ``validate -o``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import strategies as st

from workbooks import default_config, fill_form, typical_school

HOSTILE = (
    "Школа\x0bс переносом",
    "\x1b[31mкрасный\x1b[0m",
    '=HYPERLINK("http://x","y")',
    "<script>alert(1)</script>",
    "A | B *c* [d]",
    "\u202eанавИ",
    "строка\r\nвторая",
    "🏫👩‍🏫",
    "_x0041_",
    "",
    " ",
)

# Any text a cell can hold (hypothesis leaves out lone surrogates, which no file can hold),
# the usual suspects, and long texts (beyond the readers' limit of 2,000 characters).
texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(HOSTILE),
    st.builds(lambda part, n: (part * n)[:n], st.text(min_size=1, max_size=3), st.integers(10_000, 10_050)),
)
# File names: anything a file system allows (no «/» or NUL, not too long in bytes).
file_names = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"), min_size=1, max_size=24
).filter(lambda s: s not in (".", "..") and len(s.encode("utf-8")) <= 200)
# Registry names: what a spreadsheet exported as CSV can hold (no NUL).
registry_names = texts.map(lambda s: s.replace("\x00", ""))


@dataclass
class FuzzForm:
    """One school's form: its file name and the text of every text cell."""

    file_name: str
    code: str
    name: str
    head: str
    filled_by: str
    school_type: str
    word_in_number: str  # typed into a count cell (UPR-4)
    comments: dict[str, str] = field(default_factory=dict)  # indicator code → comment


@st.composite
def fuzz_forms(draw: st.DrawFn, max_forms: int = 2) -> list[FuzzForm]:
    codes = ("0101", "0102", "0103")
    forms = []
    for i in range(draw(st.integers(1, max_forms))):
        code = draw(st.one_of(st.just(codes[i]), texts))
        forms.append(
            FuzzForm(
                file_name=f"{i}-{draw(file_names)}.xlsx",
                code=code,
                name=draw(texts),
                head=draw(texts),
                filled_by=draw(texts),
                school_type=draw(st.one_of(st.just("Средняя школа"), texts)),
                word_in_number=draw(st.one_of(st.just("8"), texts)),
                comments={code: draw(texts) for code in ("UPR-1", "RES-5", "KR-1")},
            )
        )
    return forms


def excel_xml(text: str) -> str:
    """Text as Excel stores it in a sheet: XML-escaped, ``_xHHHH_`` for what XML cannot hold."""
    text = re.sub(r"_(x[0-9A-Fa-f]{4}_)", r"_x005F_\1", text)
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", lambda m: f"_x{ord(m.group()):04X}_", text)
    return escape(text)


def write_fuzz_form(folder: Path, form: FuzzForm) -> Path:
    """Fill a real form with placeholders, then put the fuzzed texts in their place."""
    fields, values = typical_school("0000", "placeholder")
    texts_by_mark: dict[str, str] = {}

    def mark(text: str) -> str:
        placeholder = f"FUZZMARK{len(texts_by_mark):03d}"
        texts_by_mark[placeholder] = text
        return placeholder

    fields.update(
        code=mark(form.code),
        name=mark(form.name),
        head=mark(form.head),
        filled_by=mark(form.filled_by),
        school_type=mark(form.school_type),
    )
    values["UPR-4"] = mark(form.word_in_number)
    for code, comment in form.comments.items():
        value = values[code]
        parts = (
            dict(zip(("numerator", "denominator"), value, strict=True))
            if isinstance(value, tuple)
            else {"value": value}
        )
        values[code] = {**parts, "comment": mark(comment)}
    filled = fill_form(folder / ".filling.xlsx", default_config(), fields, values)
    pattern = re.compile(r"<t(?: [^>]*)?>(FUZZMARK\d{3})</t>")
    replaced: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        replaced.add(match.group(1))
        return f'<t xml:space="preserve">{excel_xml(texts_by_mark[match.group(1)])}</t>'

    buffer = io.BytesIO()
    with zipfile.ZipFile(filled) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(".xml") and b"FUZZMARK" in data:
                data = pattern.sub(replace, data.decode("utf-8")).encode("utf-8")
            new.writestr(info, data)
    filled.unlink()
    assert replaced == set(texts_by_mark), "a placeholder was not found in the sheet XML"
    path = folder / form.file_name
    path.write_bytes(buffer.getvalue())
    return path


def write_fuzz_registry(path: Path, forms: list[FuzzForm], names: list[str]) -> Path:
    """A registry CSV (as a spreadsheet exports it) naming the forms' schools and more."""
    rows = [(form.code.replace("\x00", ""), name) for form, name in zip(forms, names, strict=False)]
    rows += [(f"09{i:02d}", name) for i, name in enumerate(names[len(forms) :])]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(["Код ОО", "Наименование"])
        writer.writerows(rows)
    return path
