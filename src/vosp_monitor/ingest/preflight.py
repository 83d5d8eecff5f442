"""Pre-flight checks on a workbook's bytes, before any parser sees them.

A filled form is ~10–20 KB. Anything else — an empty file, a PDF renamed .xlsx, an
encrypted package, a zip bomb, XML with a DTD, a sheet that declares a million rows —
is recognised here from the magic bytes, the zip directory and the heads of the XML
parts, cheaply and without inflating whole members, and becomes one clear
:class:`Rejected` with a Russian message. ``ingest.FormReader`` turns it into a Problem.
"""

from __future__ import annotations

import functools
import html
import io
import os
import posixpath
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .members import ZIP_MAGIC, Archive
from .raw import Rejected, column_number

# --------------------------------------------------------------------------- limits

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled form is ~10 KB; pictures pasted in stay far below
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # declared uncompressed size of all zip members
MAX_MEMBERS = 2_000  # zip members (a form has ~12)
MAX_RATIO = 200  # compression ratio of one member above which …
RATIO_MIN_BYTES = 5 * 1024 * 1024  # … a member of at least this size counts as a bomb
MAX_ROWS = 5_000  # rows of one sheet (a form has ~40)
MAX_COLUMNS = 1_000  # columns of one sheet (a form has 7)

_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MB = 1024 * 1024


def read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()  # one system call for both questions
        if stat.S_ISDIR(info.st_mode):
            raise Rejected("file-not-workbook", "это папка, а не файл")
        size = info.st_size
        if size == 0:
            raise Rejected("file-empty")
        if size > MAX_FILE_BYTES:
            raise Rejected(
                "file-too-large", f"размер {size / _MB:.0f} МБ, допускается до {MAX_FILE_BYTES // _MB} МБ"
            )
        with path.open("rb") as handle:
            data = handle.read(size + 1)  # read(n) allocates n bytes up front: ask for what is there
    except OSError as error:
        raise open_error(error, windows=os.name == "nt") from None
    if not data:
        raise Rejected("file-empty")
    return data


def open_error(error: OSError, *, windows: bool) -> Rejected:
    """An OS error while opening, in words a methodologist understands."""
    if isinstance(error, FileNotFoundError):
        return Rejected("file-unreadable", "файл не найден: удалён или перемещён во время работы")
    if isinstance(error, PermissionError):
        # Excel holds an open workbook with a sharing lock: on Windows reading it fails
        # with a permission error (winerror 32/33) although the rights are fine.
        if windows or getattr(error, "winerror", None) in (32, 33):
            return Rejected("file-locked")
        return Rejected("file-unreadable", "нет прав на чтение файла")
    if isinstance(error, IsADirectoryError):
        return Rejected("file-not-workbook", "это папка, а не файл")
    return Rejected("file-unreadable", f"ошибка чтения с диска ({error.strerror or error})")


def sniff(data: bytes) -> str:
    """``zip`` or ``ole`` from the first bytes; anything else is rejected with what it looks like."""
    if data.startswith((ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if head.startswith(b"%pdf"):
        raise Rejected("file-not-workbook", "это PDF-документ, переименованный в книгу Excel")
    if head.startswith(b"{\\rtf"):
        raise Rejected("file-not-workbook", "это документ RTF (Word), переименованный в книгу Excel")
    if b"<html" in head or b"<!doctype html" in head or b"<table" in head:
        raise Rejected(
            "file-not-workbook",
            "это веб-страница (HTML), сохранённая с расширением книги Excel; откройте её в Excel "
            "и сохраните как «Книга Excel (.xlsx)»",
        )
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        raise Rejected(
            "file-not-workbook",
            "это XML-файл (например, «Таблица XML 2003»), а не книга; сохраните его как «Книга Excel (.xlsx)»",
        )
    if head.startswith((b"\x1f\x8b", b"rar!", b"7z\xbc\xaf")):
        raise Rejected("file-not-workbook", "это архив другого формата (gzip, rar или 7z)")
    if _looks_like_text(data[:4096]):
        raise Rejected("file-not-workbook", "это текстовый файл (например, CSV), а не книга Excel")
    raise Rejected("file-not-workbook", "содержимое не похоже ни на .xlsx, ни на .xls, ни на .ods")


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "cp1251"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


@dataclass(slots=True)
class Package:
    """What the pre-flight learned about the container, kept for reading the sheets."""

    kind: str  # "xlsx" | "ods" | "xls"
    archive: Archive | None = None
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name → part (xlsx)


def inspect_zip(data: bytes) -> Package:
    """Check the zip directory and the XML heads of the parts calamine parses on opening.

    Only the small parts are inflated here (workbook.xml and its relationships whole, the
    heads of styles and shared strings); worksheets are inflated and checked just before
    calamine parses them (``ingest.book.Book.rows``), and only the ones the form needs.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise Rejected("file-corrupt", f"архив книги обрезан или испорчен ({error})") from None
    if len(members) > MAX_MEMBERS:
        raise Rejected("file-too-large", f"в архиве {len(members)} частей, допускается до {MAX_MEMBERS}")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise Rejected(
            "file-too-large",
            f"в распакованном виде {total / _MB:.0f} МБ, допускается до {MAX_UNPACKED_BYTES // _MB} МБ",
        )
    for member in members:
        if member.file_size >= RATIO_MIN_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise Rejected(
                "file-too-large",
                f"часть «{member.filename}» сжата в {ratio} раз (допускается до {MAX_RATIO}); похоже на «zip-бомбу»",
            )
        if member.flag_bits & 0x1:
            raise Rejected("file-encrypted")
    reader = Archive(data, archive, members)
    kind = _zip_kind(reader)
    package = Package(kind, archive=reader)
    if kind == "ods":
        for name in reader.members:
            if name.endswith(".xml"):
                check_xml_head(name, reader.read(name, head=4096))
        return package
    workbook = reader.read("xl/workbook.xml")
    rels = (
        reader.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in reader.members else b""
    )
    check_xml_head("xl/workbook.xml", workbook[:4096])
    check_xml_head("xl/_rels/workbook.xml.rels", rels[:4096])
    for name in _XLSX_HEADS:
        if name in reader.members:
            check_xml_head(name, reader.read(name, head=4096))
    package.sheet_parts = _xlsx_sheet_parts(workbook, rels, set(reader.members))
    return package


# Other parts calamine parses on opening; worksheets are checked when read (ingest.book.Book.rows).
_XLSX_HEADS = ("xl/styles.xml", "xl/sharedStrings.xml")


def _zip_kind(reader: Archive) -> str:
    names = reader.members
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        mimetype = reader.read("mimetype", head=200)
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if b"opendocument.text" in mimetype:
            raise Rejected("file-not-workbook", "это текстовый документ OpenDocument (.odt), а не таблица")
        raise Rejected("file-not-workbook", "это документ OpenDocument, но не электронная таблица")
    if "word/document.xml" in names:
        raise Rejected("file-not-workbook", "это документ Word (.docx), переименованный в книгу Excel")
    if "ppt/presentation.xml" in names:
        raise Rejected("file-not-workbook", "это презентация PowerPoint (.pptx), а не книга Excel")
    if "[Content_Types].xml" in names:
        raise Rejected("file-corrupt", "в архиве книги нет части xl/workbook.xml")
    raise Rejected("file-not-workbook", "это zip-архив, а не книга Excel")


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def check_xml_head(name: str, head: bytes) -> None:
    """A DTD is never in a real workbook; it is how entity-expansion attacks start."""
    if (b"<!" in head or b"<\x00!" in head) and _DTD.search(head.replace(b"\x00", b"")):
        raise Rejected("file-unsafe", f"часть «{name}» содержит объявление DTD/XML-сущностей")


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"')


def check_declared_dimension(sheet: str, head: bytes) -> None:
    match = _DIMENSION.search(head) if b"dimension" in head else None
    if not match:
        return
    last_col = match.group(3) or match.group(1)
    last_row = match.group(4) or match.group(2)
    check_extent(sheet, int(last_row or 0), column_number(last_col.decode()) if last_col else 0)


def check_extent(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise Rejected("file-too-large", f"на листе «{sheet}» {rows} строк, допускается до {MAX_ROWS}")
    if columns > MAX_COLUMNS:
        raise Rejected(
            "file-too-large", f"на листе «{sheet}» {columns} столбцов, допускается до {MAX_COLUMNS}"
        )


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")


def _xlsx_sheet_parts(workbook: bytes, rels: bytes, names: set[str]) -> dict[str, str]:
    """Sheet name → worksheet part, from workbook.xml and its relationships."""
    return {name: part for name, part in _sheet_targets(workbook, rels) if part in names}


@functools.lru_cache(maxsize=64)  # forms from one template share these parts byte for byte
def _sheet_targets(workbook: bytes, rels: bytes) -> tuple[tuple[str, str], ...]:
    """(sheet name, part the relationship points to), in workbook order."""
    targets: dict[str, str] = {}
    for match in _RELATIONSHIP.finditer(rels):
        attrs = xml_attributes(match.group(1))
        target = attrs.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[attrs.get("Id", "")] = part
    parts: list[tuple[str, str]] = []
    for match in _SHEET_TAG.finditer(workbook):
        attrs = xml_attributes(match.group(1))
        rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        parts.append((attrs.get("name", ""), targets.get(rel_id, "")))
    return tuple(parts)


def xml_attributes(raw: bytes) -> dict[str, str]:
    """The attributes of a start tag's inside (``name="…"``), unescaped."""
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(raw)}


def inspect_ole(data: bytes) -> Package:
    """An OLE2 compound file: an .xls, or an encrypted .xlsx (Office wraps those in OLE2)."""
    names = data.replace(b"\x00", b"")  # directory entry names are UTF-16LE
    if b"EncryptedPackage" in names or b"EncryptionInfo" in names:
        raise Rejected("file-encrypted")
    if b"Workbook" in names or b"Book" in names:
        return Package("xls")
    if b"WordDocument" in names:
        raise Rejected("file-not-workbook", "это документ Word (.doc), переименованный в книгу Excel")
    if b"PowerPoint Document" in names:
        raise Rejected("file-not-workbook", "это презентация PowerPoint (.ppt), а не книга Excel")
    raise Rejected("file-not-workbook", "это документ Office другого типа, а не книга Excel")
