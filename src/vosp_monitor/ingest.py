"""Finds submissions in a folder and reads each workbook into raw cells with locations.

The data model at the top (RawCell, RawForm) is the contract with values.py and
validate.py. Reading is a pure function from a path to a RawForm or to one file-level
Problem, safe on hostile input: the bytes are read once; a cheap pre-flight (magic bytes,
the zip directory, XML heads, declared sheet sizes) rejects empty, foreign, encrypted,
unsafe and oversized files before python-calamine parses anything; calamine does the fast
reading; a regex pass over the two sheets that matter restores what calamine hides (error
cells, formulas never calculated, percent formats). Run it in ``pool.map_isolated``
workers, which bound time and memory and survive a native crash.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .problems import Consequence, Problem, make_problem

if TYPE_CHECKING:
    from .config import Config

CellValue = str | float | int | bool | dt.date | dt.datetime | None


@dataclass(slots=True)
class RawCell:
    """One cell as the reader saw it, before any interpretation."""

    sheet: str
    cell: str  # A1 address, e.g. "E14"
    value: CellValue  # what the reader returned ("" and None both mean empty)
    error: str | None = None  # Excel error text such as "#DIV/0!", when the reader can see it
    formula_without_value: bool = False  # a formula that was never calculated
    percent_format: bool = False  # the cell is formatted as a percentage (0.3 shown as 30 %)


@dataclass(slots=True)
class RawForm:
    """A workbook recognised as (some version of) the monitoring form."""

    file: str  # path relative to the input folder
    form_id: str = ""  # from the stamp; "" when recognised by headers only
    form_version: str = ""
    stamp_codes: list[str] = field(default_factory=list)  # indicator codes listed in the stamp
    fields: dict[str, RawCell] = field(default_factory=dict)  # school field key → value cell
    # indicator code → {"value" | "numerator" | "denominator" | "comment": cell}
    indicators: dict[str, dict[str, RawCell]] = field(default_factory=dict)
    unknown_codes: list[RawCell] = field(default_factory=list)  # code cells not in the config
    duplicate_codes: list[RawCell] = field(default_factory=list)  # a known code met again (ignored)


# --------------------------------------------------------------------------- limits

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled form is ~10 KB; pictures pasted in stay far below
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # declared uncompressed size of all zip members
MAX_MEMBERS = 2_000  # zip members (a form has ~12)
MAX_RATIO = 200  # compression ratio of one member above which …
RATIO_MIN_BYTES = 5 * 1024 * 1024  # … a member of at least this size counts as a bomb
MAX_ROWS = 5_000  # rows of one sheet (a form has ~40)
MAX_COLUMNS = 1_000  # columns of one sheet (a form has 7)
HEADER_SEARCH_ROWS = 40  # how far down a header row may have moved

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MB = 1024 * 1024


class _Rejected(Exception):
    """A file-level problem found while reading; becomes the one Problem for the file."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------- discovery


def discover(root: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Every workbook under ``root`` (recursively), sorted by relative path, and what was skipped.

    Returns ``(workbooks, skipped)``; ``skipped`` holds ``(relative path, reason in
    Russian)`` for office lock and temporary files, hidden files and folders and every
    other file that is not a workbook, so the analyst sees what was left out and why.
    A single file is returned as is (the reader says what is wrong with it, if anything).
    """
    root = Path(root)
    if root.is_file():
        return [root], []
    found: list[tuple[str, Path]] = []
    skipped: list[tuple[str, str]] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or root)
        skipped.append((_relative(where, root), "папка недоступна для чтения"))

    for folder, subfolders, files in os.walk(root, onerror=unreadable):
        base = Path(folder)
        for name in sorted(subfolders):
            reason = _folder_skip_reason(name)
            if reason:
                skipped.append((_relative(base / name, root), reason))
        subfolders[:] = sorted(n for n in subfolders if not _folder_skip_reason(n))
        for name in files:
            relative = _relative(base / name, root)
            reason = _file_skip_reason(name)
            if reason:
                skipped.append((relative, reason))
            else:
                found.append((relative, base / name))
    found.sort(key=lambda pair: pair[0])
    skipped.sort()
    return [path for _, path in found], skipped


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _folder_skip_reason(name: str) -> str:
    if name == "__MACOSX":
        return "служебная папка macOS"
    if name.startswith("."):
        return "скрытая папка"
    return ""


def _file_skip_reason(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if name.startswith("~$"):
        return "временный файл Excel (книга открыта в Excel)"
    if name.startswith(".~lock.") and name.endswith("#"):
        return "файл блокировки LibreOffice (книга открыта в LibreOffice)"
    if name.startswith("."):
        return "скрытый файл"
    if suffix in WORKBOOK_SUFFIXES:
        return ""
    if suffix == ".xlsb":
        return "формат .xlsb не поддерживается; сохраните книгу как .xlsx"
    return f"не книга Excel ({suffix})" if suffix else "не книга Excel (файл без расширения)"


# --------------------------------------------------------------------------- reading


def read_form(path: Path, config: Config, display_name: str) -> RawForm | Problem:
    """Read one submission into raw cells, or say in one Problem why it cannot be read.

    Pure: never modifies or moves the file and holds no handle after returning (the
    bytes are read once, then parsed from memory). Cheap pre-flight checks reject
    empty, foreign, encrypted, unsafe and oversized files before any full parse; see the
    limits at the top of this module. Rows and columns are found by their texts and
    codes, never by fixed positions.
    """
    try:
        data = _read_bytes(Path(path))
        container = _sniff(data)
        package = _inspect_zip(data) if container == "zip" else _inspect_ole(data)
        return _read_workbook(data, package, config, display_name)
    except _Rejected as rejected:
        return make_problem(
            rejected.code,
            file=display_name,
            detail=rejected.detail,
            title=config.monitoring.title,
            consequence=Consequence.file_excluded,
        )


def _read_bytes(path: Path) -> bytes:
    try:
        info = path.stat()  # one system call for both questions
        if stat.S_ISDIR(info.st_mode):
            raise _Rejected("file-not-workbook", "это папка, а не файл")
        size = info.st_size
        if size == 0:
            raise _Rejected("file-empty")
        if size > MAX_FILE_BYTES:
            raise _Rejected(
                "file-too-large", f"размер {size / _MB:.0f} МБ, допускается до {MAX_FILE_BYTES // _MB} МБ"
            )
        with path.open("rb") as handle:
            data = handle.read(size + 1)  # read(n) allocates n bytes up front: ask for what is there
    except OSError as error:
        raise _open_error(error, windows=os.name == "nt") from None
    if not data:
        raise _Rejected("file-empty")
    return data


def _open_error(error: OSError, *, windows: bool) -> _Rejected:
    """An OS error while opening, in words a methodologist understands."""
    if isinstance(error, FileNotFoundError):
        return _Rejected("file-unreadable", "файл не найден: удалён или перемещён во время работы")
    if isinstance(error, PermissionError):
        # Excel holds an open workbook with a sharing lock: on Windows reading it fails
        # with a permission error (winerror 32/33) although the rights are fine.
        if windows or getattr(error, "winerror", None) in (32, 33):
            return _Rejected("file-locked")
        return _Rejected("file-unreadable", "нет прав на чтение файла")
    if isinstance(error, IsADirectoryError):
        return _Rejected("file-not-workbook", "это папка, а не файл")
    return _Rejected("file-unreadable", f"ошибка чтения с диска ({error.strerror or error})")


def _sniff(data: bytes) -> str:
    """``zip`` or ``ole`` from the first bytes; anything else is rejected with what it looks like."""
    if data.startswith((_ZIP_MAGIC, _EMPTY_ZIP_MAGIC)):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower()
    if head.startswith(b"%pdf"):
        raise _Rejected("file-not-workbook", "это PDF-документ, переименованный в книгу Excel")
    if head.startswith(b"{\\rtf"):
        raise _Rejected("file-not-workbook", "это документ RTF (Word), переименованный в книгу Excel")
    if b"<html" in head or b"<!doctype html" in head or b"<table" in head:
        raise _Rejected(
            "file-not-workbook",
            "это веб-страница (HTML), сохранённая с расширением книги Excel; откройте её в Excel "
            "и сохраните как «Книга Excel (.xlsx)»",
        )
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        raise _Rejected(
            "file-not-workbook",
            "это XML-файл (например, «Таблица XML 2003»), а не книга; сохраните его как «Книга Excel (.xlsx)»",
        )
    if head.startswith((b"\x1f\x8b", b"rar!", b"7z\xbc\xaf")):
        raise _Rejected("file-not-workbook", "это архив другого формата (gzip, rar или 7z)")
    if _looks_like_text(data[:4096]):
        raise _Rejected("file-not-workbook", "это текстовый файл (например, CSV), а не книга Excel")
    raise _Rejected("file-not-workbook", "содержимое не похоже ни на .xlsx, ни на .xls, ни на .ods")


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "cp1251"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return False


@dataclass(slots=True)
class _Package:
    """What the pre-flight learned about the container, kept for reading the sheets."""

    kind: str  # "xlsx" | "ods" | "xls"
    archive: _Archive | None = None
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name → part (xlsx)
    _percent: frozenset[int] | None = None

    def percent_styles(self) -> frozenset[int]:
        """Style ids with a percent format (xlsx), read from styles.xml on first use."""
        if self._percent is None:
            styles = b""
            if self.archive is not None and "xl/styles.xml" in self.archive.members:
                styles = self.archive.read("xl/styles.xml")
            self._percent = _percent_styles(styles)
        return self._percent


class _Archive:
    """A zip held in memory: members are inflated straight from those bytes, at most once each.

    ``zipfile`` reads the central directory (sizes, flags, offsets); inflating a member
    here skips zipfile's file-object machinery (several times faster for the small parts
    of a form) and is strictly bounded: never more than the declared size plus one byte
    is produced, and a member whose size or CRC does not match its directory entry is
    refused as corrupt.
    """

    def __init__(self, data: bytes, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
        self.data = data
        self.zip = archive
        self.members = {member.filename: member for member in members}

    def read(self, name: str, head: int = 0) -> bytes:
        """The whole member, or (``head`` > 0) at most its first ``head`` bytes, unchecked."""
        member = self.members[name]
        try:
            data = self.data
            offset = member.header_offset
            if data[offset : offset + 4] != _ZIP_MAGIC:
                raise zipfile.BadZipFile("нет локального заголовка части")
            name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
            start = offset + 30 + name_length + extra_length
            raw = memoryview(data)[start : start + member.compress_size]
            if member.compress_type == zipfile.ZIP_STORED:
                out = bytes(raw[:head] if head else raw)
            elif member.compress_type == zipfile.ZIP_DEFLATED:
                inflater = zlib.decompressobj(-15)
                out = inflater.decompress(raw, head or member.file_size + 1)
                if not head and not inflater.eof:
                    raise zipfile.BadZipFile("размер части не совпадает с оглавлением архива")
            else:  # bzip2, lzma: rare in workbooks; zipfile knows how
                return self._read_by_zipfile(member, head)
            if head:
                return out
            if len(out) != member.file_size or zlib.crc32(out) != member.CRC:
                raise zipfile.BadZipFile("контрольная сумма части не совпадает")
            return out
        except (zipfile.BadZipFile, zlib.error, struct.error, ValueError) as error:
            raise _Rejected("file-corrupt", f"часть «{name}» не распаковывается ({error})") from None

    def read_cells(self, name: str, step: int = 16 * 1024) -> bytes:
        """A worksheet up to the end of its ``<sheetData>``: everything calamine reads cells from.

        calamine takes cells from the first ``sheetData`` only (a second one is ignored:
        tests pin this), and what follows it (data validations, conditional formats: half
        of a form's sheet) holds none, so it is neither inflated nor scanned. A comment or
        CDATA section could hide a fake end tag: then the whole member is read, checked.
        """
        member = self.members[name]
        if member.compress_type != zipfile.ZIP_DEFLATED:
            return self.read(name)
        try:
            offset = member.header_offset
            if self.data[offset : offset + 4] != _ZIP_MAGIC:
                raise zipfile.BadZipFile("нет локального заголовка части")
            name_length, extra_length = struct.unpack_from("<HH", self.data, offset + 26)
            start = offset + 30 + name_length + extra_length
            inflater = zlib.decompressobj(-15)
            out = bytearray(
                inflater.decompress(memoryview(self.data)[start : start + member.compress_size], step)
            )
            searched = 0
            while True:
                end = _sheet_data_end(out, searched)
                searched = max(0, len(out) - 32)
                if end >= 0:
                    if b"<!" in out[4096:end]:
                        break  # a comment or CDATA in the cells: read it all
                    return bytes(out[:end])
                if inflater.eof or not inflater.unconsumed_tail or len(out) > member.file_size:
                    break
                out += inflater.decompress(inflater.unconsumed_tail, step)
        except (zipfile.BadZipFile, zlib.error, struct.error, ValueError) as error:
            raise _Rejected("file-corrupt", f"часть «{name}» не распаковывается ({error})") from None
        return self.read(name)

    def _read_by_zipfile(self, member: zipfile.ZipInfo, head: int) -> bytes:
        try:
            with self.zip.open(member) as stream:
                return stream.read(head) if head else stream.read(member.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as error:
            raise _Rejected(
                "file-corrupt", f"часть «{member.filename}» не распаковывается ({error})"
            ) from None

    def close(self) -> None:
        self.zip.close()


def _inspect_zip(data: bytes) -> _Package:
    """Check the zip directory and the XML heads of the parts calamine parses on opening.

    Only the small parts are inflated here (workbook.xml and its relationships whole, the
    heads of styles and shared strings); worksheets are inflated and checked just before
    calamine parses them (:meth:`_Book.rows`), and only the ones the form needs.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise _Rejected("file-corrupt", f"архив книги обрезан или испорчен ({error})") from None
    if len(members) > MAX_MEMBERS:
        raise _Rejected("file-too-large", f"в архиве {len(members)} частей, допускается до {MAX_MEMBERS}")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise _Rejected(
            "file-too-large",
            f"в распакованном виде {total / _MB:.0f} МБ, допускается до {MAX_UNPACKED_BYTES // _MB} МБ",
        )
    for member in members:
        if member.file_size >= RATIO_MIN_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise _Rejected(
                "file-too-large",
                f"часть «{member.filename}» сжата в {ratio} раз (допускается до {MAX_RATIO}); похоже на «zip-бомбу»",
            )
        if member.flag_bits & 0x1:
            raise _Rejected("file-encrypted")
    reader = _Archive(data, archive, members)
    kind = _zip_kind(reader)
    package = _Package(kind, archive=reader)
    if kind == "ods":
        for name in reader.members:
            if name.endswith(".xml"):
                _check_xml_head(name, reader.read(name, head=4096))
        return package
    workbook = reader.read("xl/workbook.xml")
    rels = (
        reader.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in reader.members else b""
    )
    _check_xml_head("xl/workbook.xml", workbook[:4096])
    _check_xml_head("xl/_rels/workbook.xml.rels", rels[:4096])
    for name in _XLSX_HEADS:
        if name in reader.members:
            _check_xml_head(name, reader.read(name, head=4096))
    package.sheet_parts = _xlsx_sheet_parts(workbook, rels, set(reader.members))
    return package


def _sheet_data_end(xml: bytearray, start: int = 0) -> int:
    """Where the first ``</sheetData>`` (or ``</x:sheetData>``) at or after ``start`` ends, or -1."""
    position = xml.find(b"sheetData>", start)
    while position >= 0:
        if xml[xml.rfind(b"<", 0, position) + 1 : position].startswith(b"/"):
            return position + len(b"sheetData>")
        position = xml.find(b"sheetData>", position + 1)
    return -1


# Other parts calamine parses on opening; worksheets are checked when read (_Book.rows).
_XLSX_HEADS = ("xl/styles.xml", "xl/sharedStrings.xml")


def _zip_kind(reader: _Archive) -> str:
    names = reader.members
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "mimetype" in names:
        mimetype = reader.read("mimetype", head=200)
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if b"opendocument.text" in mimetype:
            raise _Rejected("file-not-workbook", "это текстовый документ OpenDocument (.odt), а не таблица")
        raise _Rejected("file-not-workbook", "это документ OpenDocument, но не электронная таблица")
    if "word/document.xml" in names:
        raise _Rejected("file-not-workbook", "это документ Word (.docx), переименованный в книгу Excel")
    if "ppt/presentation.xml" in names:
        raise _Rejected("file-not-workbook", "это презентация PowerPoint (.pptx), а не книга Excel")
    if "[Content_Types].xml" in names:
        raise _Rejected("file-corrupt", "в архиве книги нет части xl/workbook.xml")
    raise _Rejected("file-not-workbook", "это zip-архив, а не книга Excel")


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml_head(name: str, head: bytes) -> None:
    """A DTD is never in a real workbook; it is how entity-expansion attacks start."""
    if (b"<!" in head or b"<\x00!" in head) and _DTD.search(head.replace(b"\x00", b"")):
        raise _Rejected("file-unsafe", f"часть «{name}» содержит объявление DTD/XML-сущностей")


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"')


def _check_declared_dimension(sheet: str, head: bytes) -> None:
    match = _DIMENSION.search(head) if b"dimension" in head else None
    if not match:
        return
    last_col = match.group(3) or match.group(1)
    last_row = match.group(4) or match.group(2)
    _check_extent(sheet, int(last_row or 0), _column_number(last_col.decode()) if last_col else 0)


def _check_extent(sheet: str, rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise _Rejected("file-too-large", f"на листе «{sheet}» {rows} строк, допускается до {MAX_ROWS}")
    if columns > MAX_COLUMNS:
        raise _Rejected(
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
        attrs = _attrs(match.group(1))
        target = attrs.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[attrs.get("Id", "")] = part
    parts: list[tuple[str, str]] = []
    for match in _SHEET_TAG.finditer(workbook):
        attrs = _attrs(match.group(1))
        rel_id = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        parts.append((attrs.get("name", ""), targets.get(rel_id, "")))
    return tuple(parts)


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(raw)}


_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF_FORMAT = re.compile(rb'<(?:\w+:)?xf\b(?:[^>]*?\bnumFmtId="(\d+)")?')
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_BUILTIN_PERCENT = {9, 10}


@functools.lru_cache(maxsize=16)  # forms from one template share styles.xml byte for byte
def _percent_styles(styles: bytes) -> frozenset[int]:
    """Style ids (the ``s`` of a cell) whose number format shows a percentage."""
    percent_formats = set(_BUILTIN_PERCENT)
    if b"%" in styles:
        for match in _NUM_FMT.finditer(styles):
            attrs = _attrs(match.group(1))
            code = re.sub(r'"[^"]*"|\\.', "", attrs.get("formatCode", ""))
            if "%" in code and attrs.get("numFmtId", "").isdigit():
                percent_formats.add(int(attrs["numFmtId"]))
    block = _CELL_XFS.search(styles)
    if not block:
        return frozenset()
    formats = _XF_FORMAT.findall(block.group(1))
    return frozenset(i for i, fmt in enumerate(formats) if int(fmt or 0) in percent_formats)


def _inspect_ole(data: bytes) -> _Package:
    """An OLE2 compound file: an .xls, or an encrypted .xlsx (Office wraps those in OLE2)."""
    names = data.replace(b"\x00", b"")  # directory entry names are UTF-16LE
    if b"EncryptedPackage" in names or b"EncryptionInfo" in names:
        raise _Rejected("file-encrypted")
    if b"Workbook" in names or b"Book" in names:
        return _Package("xls")
    if b"WordDocument" in names:
        raise _Rejected("file-not-workbook", "это документ Word (.doc), переименованный в книгу Excel")
    if b"PowerPoint Document" in names:
        raise _Rejected("file-not-workbook", "это презентация PowerPoint (.ppt), а не книга Excel")
    raise _Rejected("file-not-workbook", "это документ Office другого типа, а не книга Excel")


# --------------------------------------------------------------------------- the workbook


class _Book:
    """The open workbook: sheet rows on demand; xlsx cell details only where they matter.

    calamine shows error cells, formulas never calculated and empty cells all as ``""``,
    and a percent-formatted 30 % as 0.3. Telling these apart needs the sheet XML, but only
    for cells that validation reads and that are empty, or that hold a number in a percent
    indicator's cell; a correctly filled form needs neither pass (see :meth:`cell`).
    """

    def __init__(self, data: bytes, package: _Package) -> None:
        from python_calamine import CalamineWorkbook, PasswordError

        self.package = package
        try:
            self.workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.names: list[str] = list(self.workbook.sheet_names)
        except PasswordError:
            raise _Rejected("file-encrypted") from None
        except Exception as error:
            raise _Rejected("file-corrupt", f"структура книги нарушена ({_short(error)})") from None
        self._rows: dict[str, list[list[Any]]] = {}
        self._xml: dict[str, bytes] = {}  # sheet → its XML (xlsx), kept for the detail passes
        self._details: dict[str, dict[str, tuple[str | None, bool]]] = {}
        self._percent: dict[str, frozenset[str]] = {}

    def rows(self, name: str) -> list[list[Any]]:
        if name not in self._rows:
            part = self.package.sheet_parts.get(name)
            if part is not None and self.package.archive is not None:
                self._xml[name] = _checked_sheet_xml(name, part, self.package.archive.read_cells(part))
            try:
                rows = self.workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as error:
                raise _Rejected("file-corrupt", f"лист «{name}» не читается ({_short(error)})") from None
            _check_extent(name, len(rows), max((len(row) for row in rows), default=0))
            self._rows[name] = rows
        return self._rows[name]

    def cell(
        self, sheet: str, row: int, column: int, *, details: bool = True, percent: bool = False
    ) -> RawCell:
        """One cell; ``details``: tell empty from error and uncalculated formula cells;
        ``percent``: the cell is a percent indicator's, so a percent format matters."""
        rows = self.rows(sheet)
        value = rows[row][column] if row < len(rows) and column < len(rows[row]) else None
        address = _address(row, column)
        cell = RawCell(sheet, address, _plain(value))
        xml = self._xml.get(sheet)
        if xml is None or not details:
            return cell
        if value == "" or value is None:
            if sheet not in self._details:
                self._details[sheet] = _cell_details(xml)
            cell.error, cell.formula_without_value = self._details[sheet].get(address, (None, False))
        elif percent and type(value) in (int, float) and self.package.percent_styles():
            if sheet not in self._percent:
                self._percent[sheet] = _percent_cells(xml, self.package.percent_styles())
            cell.percent_format = address in self._percent[sheet]
        return cell

    def _cell_details(self, sheet: str) -> dict[str, tuple[str | None, bool]]:
        """The error/formula pass of one sheet read earlier (for benchmarks/read_one.py)."""
        return _cell_details(self._xml[sheet])


def _checked_sheet_xml(sheet: str, part: str, xml: bytes) -> bytes:
    """The sheet's XML after the checks that must come before calamine parses it.

    No DTD; a declared and a real extent within the limits (the declared dimension can
    lie, and calamine allocates the whole used range: one cell at XFD1048576 would
    exhaust memory and abort the process).
    """
    head = xml[:4096]
    _check_xml_head(part, head)
    _check_declared_dimension(sheet, head)
    _check_extent(sheet, *_used_extent(xml))
    if b":worksheet" in head and _PREFIXED_ROOT.search(head):
        # «<x:worksheet>» from some generators: drop the prefixes so the literals match.
        xml = re.sub(rb"<(/?)\w+:", rb"<\1", xml)
    return xml


def _cell_details(xml: bytes) -> dict[str, tuple[str | None, bool]]:
    """Error cells (with their text) and formulas never calculated: address → (error, no value).

    Literal-prefixed patterns keep the scan in C; Python sees only the flagged cells.
    """
    details: dict[str, list] = {}
    for position in _find_all(xml, b' t="e"'):
        address, body = _enclosing_cell(xml, position, in_tag=True)
        value = _VALUE.search(body)
        error = html.unescape(value.group(1).decode("utf-8", "replace")) if value else "#ERROR"
        details.setdefault(address, [None, False])[0] = error
    for pattern in _FORMULA_NO_VALUE:
        for match in pattern.finditer(xml):
            address, _ = _enclosing_cell(xml, match.start())
            details.setdefault(address, [None, False])[1] = True
    details.pop("", None)
    return {address: (flags[0], flags[1]) for address, flags in details.items()}


def _percent_cells(xml: bytes, styles: frozenset[int]) -> frozenset[str]:
    """Addresses of the cells whose style shows a percentage."""
    found = set()
    for style in styles:
        for position in _find_all(xml, b' s="%d"' % style):
            address, _ = _enclosing_cell(xml, position, in_tag=True)
            found.add(address)
    found.discard("")
    return frozenset(found)


_PREFIXED_ROOT = re.compile(rb"<\w+:worksheet\b")
# Only references that can exceed the limits: three letters (column 703+) or a number of
# 1000+, in a cell's r="…" or a row's. The character before r must be white space (checked
# in Python: matches are rare), whatever kind: a tab before r= hides from a ' r="' search.
_BIG_REF = re.compile(rb'r="([A-Za-z]{3,}\d*|[A-Za-z]{0,2}\d{4,})"')
_SPLIT_REF = re.compile(r"([A-Za-z]*)(\d*)")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s/>]")
_MIN_ROW_BYTES = 6  # «<row/>»: a sheet shorter than MAX_ROWS × this cannot have too many rows


def _used_extent(xml: bytes) -> tuple[int, int]:
    """Rows and columns the sheet really uses, from the row numbers and cell references.

    A cell placed at XFD1048576 makes python-calamine allocate the whole grid and abort
    the process, whatever the declared dimension says; rows may also omit their number
    (then they are counted, which only a long sheet needs). One regex pass, in C.
    """
    last_row = columns = 0
    if len(xml) > MAX_ROWS * _MIN_ROW_BYTES and xml.count(b"row") > MAX_ROWS:  # a cheap upper bound first
        last_row = len(_ROW_TAG.findall(xml))
    for match in _BIG_REF.finditer(xml):
        if xml[match.start() - 1 : match.start()] not in (b" ", b"\t", b"\n", b"\r"):
            continue  # another attribute ending in r, e.g. header="…"
        letters, digits = _SPLIT_REF.fullmatch(match.group(1).decode()).groups()
        last_row = max(last_row, int(digits or 0))
        columns = max(columns, _column_number(letters))
    return last_row, columns


# A formula with no cached value: the formula is the cell's last child, or is followed by
# openpyxl's empty <v />. (Excel's <v></v> is a cached "" from =IF(…;"") and counts as a value.)
_FORMULA_NO_VALUE = (
    re.compile(rb"</f>(?:<v ?/>)?</c>"),
    re.compile(rb"<f [^>]*/>(?:<v ?/>)?</c>"),  # a shared formula's follower: <f t="shared" si="0"/>
)
_REF = re.compile(rb'\br="([A-Z]{1,4}\d{1,8})"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _enclosing_cell(xml: bytes, position: int, *, in_tag: bool = False) -> tuple[str, bytes]:
    """The address and body of the ``<c>`` element around ``position`` ("" when none).

    ``in_tag``: the position is an attribute, so it must lie inside the cell's start tag
    (``s="9"`` on a ``<row>`` is a row style, not a cell's).
    """
    start = xml.rfind(b"<c ", 0, position + 1)
    tag_end = xml.find(b">", start)
    if start < 0 or tag_end < 0 or (in_tag and tag_end < position):
        return "", b""
    end = xml.find(b"</c>", tag_end)
    body = b"" if xml[tag_end - 1 : tag_end] == b"/" else xml[tag_end + 1 : end if end >= 0 else len(xml)]
    ref = _REF.search(xml, start, tag_end)
    return (ref.group(1).decode() if ref else ""), body


def _find_all(data: bytes, needle: bytes) -> Iterator[int]:
    """Positions of a literal (bytes.find is several times faster than a regex scan)."""
    position = data.find(needle)
    while position >= 0:
        yield position
        position = data.find(needle, position + 1)


def _short(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error)[:120]}"


_PLAIN_TYPES = frozenset({str, float, int, bool, dt.date, dt.datetime, type(None)})


def _plain(value: Any) -> CellValue:
    """calamine's value as a CellValue; times and durations become text."""
    return value if type(value) in _PLAIN_TYPES else str(value)


@functools.lru_cache(maxsize=4096)
def _address(row: int, column: int) -> str:
    """The A1 address of a 0-based (row, column)."""
    return f"{_column_letter(column + 1)}{row + 1}"


@functools.lru_cache(maxsize=256)
def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


# --------------------------------------------------------------------------- recognising the form


@functools.lru_cache(maxsize=4096, typed=True)  # every form repeats the same labels and headers
def normalise_header(value: object) -> str:
    """Case-, spacing- and «ё»-insensitive text, without trailing colons or asterisks."""
    return " ".join(str(value).replace("ё", "е").replace("Ё", "Е").lower().split()).strip(" :*.")


_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХУ–—‑−", "ABEKMHOPCTXY----")


@functools.lru_cache(maxsize=4096, typed=True)  # typed: True and 1 fold differently
def fold_code(value: object) -> str:
    """An indicator code as typed («upr–1», « UPR - 1 ») in a comparable form («UPR-1»)."""
    text = _text(value).upper().translate(_HOMOGLYPHS)
    return "".join(text.split())


_CODE_LIKE = re.compile(r"^[A-ZА-ЯЁ]{0,12}[-_.]?\d{1,4}([-_.]\d{1,4}){0,3}[A-ZА-Я]?$")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_workbook(data: bytes, package: _Package, config: Config, display_name: str) -> RawForm:
    book = _Book(data, package)
    try:
        return _recognise(book, config, display_name)
    finally:
        book.workbook.close()
        if package.archive is not None:
            package.archive.close()


def _recognise(book: _Book, config: Config, display_name: str) -> RawForm:
    form = RawForm(file=display_name)
    stamp = next((name for name in book.names if normalise_header(name) == "_vosp"), None)
    if stamp is not None:
        _read_stamp(book, stamp, form)
    located = _find_indicator_table(book, stamp)
    if located is None:
        raise _Rejected("form-unknown", "не найден лист «Показатели» с заголовками «Код» и «Значение»")
    sheet, header_row, columns = located
    _read_indicators(book, sheet, header_row, columns, config, form)
    if not form.form_id and not form.indicators:
        raise _Rejected("form-unknown", f"на листе «{sheet}» нет ни одного кода показателя этого мониторинга")
    _read_fields(book, sheet, stamp, config, form)
    return form


def _read_stamp(book: _Book, sheet: str, form: RawForm) -> None:
    for row in book.rows(sheet)[:20]:
        if len(row) < 2:
            continue
        key, value = normalise_header(row[0]), _text(row[1])
        if key == "form_id":
            form.form_id = value
        elif key == "form_version":
            form.form_version = value
        elif key == "codes":
            form.stamp_codes = [code.strip() for code in value.split(",") if code.strip()]


_INDICATOR_ROLES = (
    ("code", lambda h: h == "код" or h.startswith("код показател")),
    ("value", lambda h: h.startswith("значение")),
    ("numerator", lambda h: h.startswith("числитель")),
    ("denominator", lambda h: h.startswith("знаменатель")),
    ("comment", lambda h: h.startswith("комментар") or "подтверждающ" in h),
)


def _header_columns(row: list[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(row):
        if not isinstance(value, str) or not value:
            continue
        header = normalise_header(value)
        for role, matches in _INDICATOR_ROLES:
            if role not in columns and matches(header):
                columns[role] = index
                break
    return columns


def _find_indicator_table(book: _Book, stamp: str | None) -> tuple[str, int, dict[str, int]] | None:
    """The sheet, header row and column of each role: «Показатели» first, then any sheet."""
    named = [n for n in book.names if "показател" in normalise_header(n)]
    others = [n for n in book.names if n not in named and n != stamp and normalise_header(n) != "_lists"]
    for sheet in named + others:
        for index, row in enumerate(book.rows(sheet)[:HEADER_SEARCH_ROWS]):
            columns = _header_columns(row)
            if "code" in columns and ("value" in columns or "numerator" in columns):
                return sheet, index, columns
    return None


def _read_indicators(
    book: _Book, sheet: str, header_row: int, columns: dict[str, int], config: Config, form: RawForm
) -> None:
    indicators = _lookups(config).indicators
    code_column = columns["code"]
    rows = book.rows(sheet)
    for index in range(header_row + 1, len(rows)):
        row = rows[index]
        raw_code = row[code_column] if code_column < len(row) else None
        code = fold_code(raw_code)
        if not code:
            continue  # a block header, a blank or a note row
        indicator = indicators.get(code)
        if indicator is None:
            if _CODE_LIKE.match(code):
                form.unknown_codes.append(book.cell(sheet, index, code_column))
            continue
        if indicator.code in form.indicators:
            form.duplicate_codes.append(book.cell(sheet, index, code_column))
            continue
        cells: dict[str, RawCell] = {}
        percent = indicator.type == "percent"  # IndicatorType is a StrEnum; config stays unimported
        for role in indicator.input_cells:
            if role in columns:
                cells[role] = book.cell(sheet, index, columns[role], percent=percent)
        if "comment" in columns:  # free text: its errors and formats are never looked at
            cells["comment"] = book.cell(sheet, index, columns["comment"], details=False)
        form.indicators[indicator.code] = cells


def _read_fields(book: _Book, indicator_sheet: str, stamp: str | None, config: Config, form: RawForm) -> None:
    """School fields by label (exact, then by key, then by a unique label prefix)."""
    named = [n for n in book.names if "сведени" in normalise_header(n)]
    others = [
        n
        for n in book.names
        if n not in named and n not in (stamp, indicator_sheet) and normalise_header(n) != "_lists"
    ]
    lookups = _lookups(config)
    keys = lookups.keys
    for sheet in [*named, *others, indicator_sheet]:
        missing = {f.key for f in config.school_fields} - set(form.fields)
        if not missing:
            return
        rows = book.rows(sheet)
        header_row, value_column = _field_value_column(rows)
        best: dict[str, tuple[int, int, int]] = {}  # key → (rank, row, column of the match)
        for r, row in enumerate(rows):
            has_header = value_column is not None and r > header_row
            for c, value in enumerate(row):
                if not value or type(value) is not str:
                    continue
                if has_header and c >= value_column:  # right of the values: hints and keys
                    key = keys.get(value.strip().lower())
                    match = (1, key) if key else None
                else:
                    match = lookups.match(normalise_header(value))
                if match is None or match[1] not in missing:
                    continue
                rank, key = match
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, r, c)
        for key, (_rank, r, c) in best.items():
            if value_column is not None and r > header_row and value_column != c:
                form.fields[key] = book.cell(sheet, r, value_column)
            else:
                form.fields[key] = book.cell(sheet, r, _next_filled(rows[r], c))


@dataclass(frozen=True, slots=True)
class _Lookups:
    """A config's codes and labels in comparable form, built once per process, not per form."""

    config: Config  # held, so that the id() key below cannot be reused while cached
    indicators: dict[str, Any]  # folded code → Indicator
    labels: dict[str, str]  # normalised label → field key
    keys: dict[str, str]  # lower-case key → field key
    shortest: int
    matches: dict[str, tuple[int, str] | None] = field(default_factory=dict)  # text → _match_field

    def match(self, text: str) -> tuple[int, str] | None:
        """:func:`_match_field`, remembered: forms repeat the same texts."""
        try:
            return self.matches[text]
        except KeyError:
            found = _match_field(text, self.labels, self.shortest)
            if len(self.matches) < 4096:
                self.matches[text] = found
            return found


_LOOKUPS: dict[int, _Lookups] = {}


def _lookups(config: Config) -> _Lookups:
    found = _LOOKUPS.get(id(config))
    if found is None or found.config is not config:
        if len(_LOOKUPS) >= 8:  # tests build many configs; a run uses one
            _LOOKUPS.clear()
        labels = {normalise_header(f.label): f.key for f in config.school_fields}
        found = _Lookups(
            config,
            {fold_code(ind.code): ind for ind in config.indicators()},
            labels,
            {f.key.lower(): f.key for f in config.school_fields},
            min(len(label) for label in labels),
        )
        _LOOKUPS[id(config)] = found
    return found


def _match_field(text: str, labels: dict[str, str], shortest: int) -> tuple[int, str] | None:
    """Rank 0: the label itself; rank 2: a unique label that starts with the text or vice versa."""
    if text in labels:
        return 0, labels[text]
    if len(text) >= min(8, shortest):
        prefixed = {key for label, key in labels.items() if label.startswith(text) or text.startswith(label)}
        if len(prefixed) == 1:
            return 2, prefixed.pop()
    return None


def _field_value_column(rows: list[list[Any]]) -> tuple[int, int | None]:
    """The header row and its «Значение» column; rows above it have no header."""
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        for index, value in enumerate(row):
            if isinstance(value, str) and normalise_header(value) == "значение":
                return number, index
    return len(rows), None


def _next_filled(row: list[Any], column: int) -> int:
    """Without a header: the first non-empty cell right of the label, else the one next to it."""
    for index in range(column + 1, len(row)):
        if row[index] not in ("", None):
            return index
    return column + 1
