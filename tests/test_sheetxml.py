"""What calamine hides, read from the sheet XML: formulas without a value, as each writer stores them.

openpyxl writes a formula it never calculated as ``<f>…</f><v />`` with the standard
library's XML writer and as ``<f>…</f><v></v>`` with lxml; Excel writes ``<v></v>`` for a
formula whose cached value is the empty string (=IF(…;"")) and marks that cell t="str".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import hostile
from vosp_monitor.ingest import RawForm, read_form
from vosp_monitor.ingest.members import declaration_in
from vosp_monitor.ingest.sheetxml import cell_details
from workbooks import default_config, fill_form, typical_school

CONFIG = default_config()


@pytest.mark.parametrize(
    ("cell", "no_value"),
    [
        (b'<c r="D7"><f>2+3</f></c>', True),  # no <v> at all
        (b'<c r="D7"><f>2+3</f><v /></c>', True),  # openpyxl, standard library XML
        (b'<c r="D7"><f>2+3</f><v/></c>', True),
        (b'<c r="D7"><f>2+3</f><v></v></c>', True),  # openpyxl with lxml
        (b'<c r="D7" s="3"><f t="shared" si="0"/><v></v></c>', True),  # a shared formula's follower
        (b'<c r="D7" s="3" t="str"><f>IF(1,"","")</f><v></v></c>', False),  # Excel's cached ""
        (b'<c r="D7" t="str"><f>IF(1,"","")</f><v/></c>', False),
        (b'<c r="D7"><f>2+3</f><v>5</v></c>', False),  # calculated
        (b'<c r="D7" t="e"><f>1/0</f><v>#DIV/0!</v></c>', False),  # an error, not a missing value
    ],
)
def test_formula_without_a_value_in_each_writers_xml(cell: bytes, no_value: bool) -> None:
    xml = b'<worksheet><sheetData><row r="7">' + cell + b"</row></sheetData></worksheet>"
    assert cell_details(xml).get("D7", (None, False))[1] is no_value


def test_error_text_is_kept_with_the_error_cell() -> None:
    xml = b'<sheetData><row r="7"><c r="D7" t="e"><f>1/0</f><v>#DIV/0!</v></c></row></sheetData>'
    assert cell_details(xml) == {"D7": ("#DIV/0!", False)}


def read_form_of(path: Path, name: str) -> RawForm:
    result = read_form(path, CONFIG, name)
    assert isinstance(result, RawForm), result
    return result


def test_real_files_from_openpyxl_and_with_excels_cached_empty_string(tmp_path: Path) -> None:
    """openpyxl's uncalculated formula is flagged; the same cell as Excel stores =IF(…;"") is not."""
    fields, values = typical_school("0101", "Школа")
    values["KR-6"] = "=2+3"
    written = read_form_of(fill_form(tmp_path / "openpyxl.xlsx", CONFIG, fields, values), "openpyxl.xlsx")
    cell = written.indicators["KR-6"]["value"]
    assert cell.formula_without_value and cell.value in ("", None)

    address = cell.cell.encode()
    excel = hostile.rewrite_zip(
        (tmp_path / "openpyxl.xlsx").read_bytes(),
        tmp_path / "excel.xlsx",
        {"xl/worksheets/sheet3.xml": lambda xml: _as_excel_cached_empty(xml, address)},
    )
    cached = read_form_of(excel, "excel.xlsx").indicators["KR-6"]["value"]
    assert not cached.formula_without_value and cached.value in ("", None)


def _as_excel_cached_empty(xml: bytes, address: bytes) -> bytes:
    """Rewrite one formula cell the way Excel stores a formula whose result is ""."""
    pattern = re.compile(rb'<c r="' + address + rb'"([^>]*)>.*?</c>', re.S)
    replaced, count = pattern.subn(
        b'<c r="' + address + rb'"\1 t="str"><f>IF(1,"","")</f><v></v></c>', xml, count=1
    )
    assert count == 1
    return replaced


@given(
    st.binary(max_size=60).map(lambda b: b.replace(b"\x00", b"<").replace(b"\x01", b"!")),
    st.integers(0, 70),
    st.integers(0, 70),
)
def test_a_declaration_is_found_by_its_rare_mark_as_by_the_pair(xml, start, end):
    """read_cells looks for «<!» (a comment hiding a fake </sheetData>) between two positions."""
    assert declaration_in(bytearray(xml), start, end) == (b"<!" in xml[start:end])
