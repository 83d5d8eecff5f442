"""Builders of broken and hostile inputs for tests (files, and misbehaving pool workers).

Only the standard library is imported at the top: pool workers import this module.
"""

from __future__ import annotations

import io
import os
import random
import re
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# --------------------------------------------------------------------------- pool workers


def square_or_misbehave(context: dict, item: int) -> int:
    """Squares an item; the items named in ``context`` abort, hang, allocate or raise."""
    if item == context.get("abort"):
        os.abort()
    if item == context.get("exit"):
        os._exit(3)
    if item == context.get("hang"):
        time.sleep(60)
    if item == context.get("allocate"):
        blob = bytearray(2_000 * 1024 * 1024)  # 2 GB, far beyond memory_mb
        return len(blob)
    if item == context.get("raise"):
        raise ValueError("плохой элемент")
    return item * item + context.get("add", 0)


def _refuse_to_load() -> None:
    raise RuntimeError("контекст не загружается")


class LoadsNowhere:
    """A context no worker can unpickle: every worker ends while starting."""

    def __reduce__(self) -> tuple[Callable[[], None], tuple[()]]:
        return _refuse_to_load, ()


def worker_pid(context: None, item: int) -> int:
    return os.getpid()


def worker_main_modules(context: None, item: int) -> tuple[bool, bool]:
    """Whether the worker ran the parent's main script again (as ``__mp_main__``), and whether
    it has click, which the parent's script imported (and the pool's workers do not)."""
    return sys.modules["__main__"].__name__ == "__mp_main__", "click" in sys.modules


# --------------------------------------------------------------------------- broken files


def rewrite_zip(source: bytes, path: Path, replace: dict[str, Callable[[bytes], bytes]]) -> Path:
    """Copy a workbook's zip, passing the named members through ``replace`` functions."""
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename in replace:
                data = replace[info.filename](data)
            new.writestr(info.filename, data)
    return path


def truncated(source: bytes, path: Path) -> Path:
    """The first half of a real workbook, as an interrupted download or copy leaves it."""
    path.write_bytes(source[: len(source) // 2])
    return path


def random_bytes(path: Path, size: int = 20_000) -> Path:
    path.write_bytes(random.Random(7).randbytes(size))
    return path


def pdf_renamed(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return path


def html_renamed(path: Path) -> Path:
    """What «save as web page» or a web export named .xls/.xlsx looks like."""
    text = "<html><head><meta charset='utf-8'></head><body><table><tr><td>Код</td></tr></table></body></html>"
    path.write_bytes(text.encode("utf-8"))
    return path


def billion_laughs(source: bytes, path: Path, part: str = "xl/workbook.xml") -> Path:
    """A workbook whose XML part declares nested entities (exponential expansion)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )

    def poison(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml.lstrip())
        return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'.encode() + body

    return rewrite_zip(source, path, {part: poison})


def declared_dimension(source: bytes, path: Path, part: str = "xl/worksheets/sheet3.xml") -> Path:
    """A sheet that declares the whole grid (A1:XFD1048576) as used."""

    def enlarge(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml)

    return rewrite_zip(source, path, {part: enlarge})


def far_cell(source: bytes, path: Path, part: str = "xl/worksheets/sheet3.xml") -> Path:
    """A sheet with one value at XFD1048576 and an honest-looking dimension.

    A reader that allocates the used range would need 17 billion cells.
    """

    def add(xml: bytes) -> bytes:
        row = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
        return xml.replace(b"</sheetData>", row, 1)

    return rewrite_zip(source, path, {part: add})


def far_cell_evasive(source: bytes, path: Path, part: str = "xl/worksheets/sheet3.xml") -> Path:
    """The far cell again, with a tab before ``r=`` and no row number: harder to spot.

    python-calamine aborts the whole process (SIGABRT) on this file.
    """

    def add(xml: bytes) -> bytes:
        return xml.replace(
            b"</sheetData>", b'<row><c\tr="XFD1048576" t="n"><v>1</v></c></row></sheetData>', 1
        )

    return rewrite_zip(source, path, {part: add})


def calamine_only(context: object, path: str) -> int:
    """Pool worker that reads with python-calamine and no pre-flight (to crash it for real)."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    return sum(len(workbook.get_sheet_by_name(name).to_python()) for name in workbook.sheet_names)


def zip_bomb(path: Path, megabytes: int = 300) -> Path:
    """A valid .xlsx whose one sheet expands to ``megabytes`` MB of rows, ~1000× compressed.

    The deflate stream is built from one compressed block repeated (each block ends with
    a full flush, so blocks are independent): building it takes a fraction of a second.
    """
    rows = b'<row><c t="n"><v>1</v></c></row>'  # no r="…": rows may omit it, and identical rows compress best
    block = (rows * (1024 * 1024 // len(rows) + 1))[: 1024 * 1024]
    head = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    tail = b"</sheetData></worksheet>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(megabytes):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    sheet = _RawMember(
        "xl/worksheets/sheet1.xml",
        [first, *([repeated] * megabytes), last],
        crc,
        len(head) + megabytes * len(block) + len(tail),
    )
    members = [_RawMember.deflated(name, data) for name, data in _minimal_xlsx_parts().items()]
    _write_raw_zip(path, [*members, sheet])
    return path


def _minimal_xlsx_parts() -> dict[str, bytes]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    return {
        "[Content_Types].xml": (
            b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            b"</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Показатели" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ).encode(),
    }


@dataclass
class _RawMember:
    name: str
    chunks: list[bytes]  # raw deflate data
    crc: int
    size: int

    @classmethod
    def deflated(cls, name: str, data: bytes) -> _RawMember:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return cls(name, [compressor.compress(data) + compressor.flush()], zlib.crc32(data), len(data))


def _write_raw_zip(path: Path, members: list[_RawMember]) -> None:
    """A zip of already-deflated members (zipfile cannot take pre-compressed data)."""
    central = b""
    with path.open("wb") as out:
        for member in members:
            offset = out.tell()
            name = member.name.encode()
            compressed = sum(len(chunk) for chunk in member.chunks)
            fixed = struct.pack("<HHHHHIII", 20, 0x0800, 8, 0, 0x21, member.crc, compressed, member.size)
            out.write(b"PK\x03\x04" + fixed + struct.pack("<HH", len(name), 0) + name)
            for chunk in member.chunks:
                out.write(chunk)
            central += (
                b"PK\x01\x02"
                + struct.pack("<H", 20)
                + fixed
                + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset)
                + name
            )
        start = out.tell()
        out.write(central)
        out.write(
            b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, len(members), len(members), len(central), start, 0)
        )


def encrypted_workbook(path: Path) -> Path:
    """A password-protected .xlsx as Office writes it: an OLE2 compound file holding
    «EncryptionInfo» and «EncryptedPackage» streams instead of a zip.

    The streams are filler (a reader must refuse the file before decrypting anything);
    the container itself is a valid compound file: header, one FAT sector, one directory
    sector, and both streams in regular 512-byte sectors (4 KB each, so no mini stream).
    """
    sector = 512
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    streams = [
        ("EncryptionInfo", b"\x04\x00\x04\x00" + b"\x00" * 4092),
        ("EncryptedPackage", bytes(range(256)) * 32),
    ]
    fat = [fat_sector, end]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for _, data in streams:
        count = len(data) // sector
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [end]
    fat += [free] * (sector // 4 - len(fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (
            raw.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(raw), kind, 1, free, right, child)
            + b"\x00" * 16
            + struct.pack("<I", 0)
            + b"\x00" * 16
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, free, end, 0)
        + entry(streams[0][0], 2, free, 2, starts[0], len(streams[0][1]))
        + entry(streams[1][0], 2, free, free, starts[1], len(streams[1][1]))
        + entry("", 0, free, free, 0, 0)
    )
    body = struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(data for _, data in streams)
    path.write_bytes(header + body)
    return path


def read_in_worker(config: object, item: tuple[str, str]) -> object:
    """Pool worker for batch tests: read one file as the pipeline's workers do."""
    from vosp_monitor.ingest import read_form

    path, name = item
    return read_form(Path(path), config, name)  # type: ignore[arg-type]
