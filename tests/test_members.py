"""A part remembered from one form is never trusted for another that differs from it.

``ingest.members`` remembers what the small parts of a form inflated to, keyed by their
stored bytes and directory entry: forms of one template share them, so the next form skips
inflating them. A form read after a good twin must still be refused for anything of its
own: a DTD in its stamp sheet, a checksum in its directory that does not match, a stamp
that says something else. And the first inflation step guessed from the previous form is
only a size: a sheet much longer than its predecessor is still read to its real end.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import hostile
from vosp_monitor.ingest import RawForm, read_form
from vosp_monitor.problems import Problem
from workbooks import default_config, fill_form, typical_school

CONFIG = default_config()
STAMP = "xl/worksheets/sheet5.xml"  # the hidden stamp sheet «_vosp» of a form written by the tool


def _form(path: Path, **overrides: object) -> Path:
    return fill_form(path, CONFIG, *typical_school("0101", "МБОУ «СОШ № 1»", **overrides))


def _read(path: Path) -> RawForm | Problem:
    return read_form(path, CONFIG, path.name)


def test_the_stamp_sheet_is_a_small_part_shared_by_the_forms_of_a_template(tmp_path):
    first, second = _form(tmp_path / "a.xlsx"), _form(tmp_path / "b.xlsx", students=500)
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert "_vosp" in a.read("xl/workbook.xml").decode()
        assert a.read(STAMP) == b.read(STAMP) and b"vospitanie" in a.read(STAMP)
        assert a.getinfo(STAMP).compress_size < 4096


def test_a_dtd_in_the_stamp_of_a_form_read_after_its_good_twin_is_refused(tmp_path):
    good = _form(tmp_path / "good.xlsx")
    assert isinstance(_read(good), RawForm)
    bad = hostile.billion_laughs(good.read_bytes(), tmp_path / "bad.xlsx", part=STAMP)
    found = _read(bad)
    assert isinstance(found, Problem) and found.code == "file-unsafe" and STAMP in found.message
    assert isinstance(_read(good), RawForm)


def test_a_checksum_that_does_not_match_is_found_although_the_stored_bytes_are_known(tmp_path):
    good = _form(tmp_path / "good.xlsx")
    assert isinstance(_read(good), RawForm)  # styles.xml and the stamp are remembered now
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        names = [info.filename for info in archive.infolist()]
    for name in ("xl/styles.xml", STAMP):
        assert name in names
        entry = data.find(b"PK\x01\x02")
        while data[entry + 46 : entry + 46 + len(name)] != name.encode():
            entry = data.find(b"PK\x01\x02", entry + 4)
        (crc,) = struct.unpack_from("<I", data, entry + 16)
        struct.pack_into("<I", data, entry + 16, crc ^ 1)  # the directory's checksum, not the bytes
        broken = tmp_path / f"crc-{names.index(name)}.xlsx"
        broken.write_bytes(bytes(data))
        found = _read(broken)
        assert isinstance(found, Problem) and found.code == "file-corrupt", found
        assert "контрольная сумма" in found.message or "checksum" in found.message  # ours, or calamine's
        struct.pack_into("<I", data, entry + 16, crc)


def test_a_form_with_another_stamp_after_a_good_one_reads_its_own_stamp(tmp_path):
    good = _form(tmp_path / "good.xlsx")
    first = _read(good)
    assert isinstance(first, RawForm) and first.form_version == CONFIG.monitoring.form_version

    def retag(xml: bytes) -> bytes:
        version = CONFIG.monitoring.form_version.encode()
        assert b">" + version + b"<" in xml
        return xml.replace(b">" + version + b"<", b">9.9<", 1)

    other = _read(hostile.rewrite_zip(good.read_bytes(), tmp_path / "other.xlsx", {STAMP: retag}))
    assert isinstance(other, RawForm) and other.form_version == "9.9"


def test_a_sheet_longer_than_the_form_before_is_read_to_its_end(tmp_path):
    short = _form(tmp_path / "short.xlsx")
    assert isinstance(_read(short), RawForm)

    def lengthen(workbook) -> None:
        sheet = workbook["Показатели"]
        for row in range(200, 1200):
            sheet.cell(row=row, column=8, value=f"примечание {row} " * 5)

    from openpyxl import load_workbook

    long = tmp_path / "long.xlsx"
    workbook = load_workbook(short)
    lengthen(workbook)
    workbook["Показатели"].cell(row=1300, column=1, value="ЧУЖОЙ-1")
    workbook.save(long)
    read = _read(long)
    assert isinstance(read, RawForm)
    assert [cell.cell for cell in read.unknown_codes] == ["A1300"]  # below everything the guess took
