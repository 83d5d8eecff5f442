"""Zip archives of forms, read as folders: forms arrive by e-mail as ``forms.zip``.

The parent lists an archive (:func:`list_archive`) the way discovery lists a folder; each
member that may be a form becomes a :class:`Source`, and a worker reads just that member
(:func:`read_member`) from its offset, without parsing the archive again. Limits, as for
a folder of forms:

* an archive whose directory announces more than :data:`MAX_ARCHIVE_MEMBERS` entries is
  not opened (the count is read from the end record before ``zipfile`` builds a record per
  entry, so a crafted directory of millions of entries costs nothing);
* a member is held to the size of a form (``preflight.MAX_FILE_BYTES``), inflated with a
  bound and checked against its CRC; an encrypted member is refused;
* names that climb out of the archive («../x.xlsx»), absolute names and repeated names are
  listed as skipped, never read: a member's name only names it in messages, and two
  members must not share one name there. Archives inside archives are not opened.

Names written without the UTF-8 flag are what Windows' «Send to → Compressed folder» writes
for Cyrillic names: bytes in the OEM code page (cp866); they are decoded so, after UTF-8.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .preflight import MAX_FILE_BYTES, open_error
from .raw import Rejected

ARCHIVE_SUFFIXES = frozenset({".zip"})
MAX_ARCHIVE_MEMBERS = 100_000  # a region's 40,000 forms with their folders fit
_END = b"PK\x05\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END64 = b"PK\x06\x06"
_LOCAL = b"PK\x03\x04"
_UTF8_FLAG = 0x800
_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class ArchiveMember:
    """Where a member's bytes are in its archive: what a worker needs to read it alone."""

    offset: int
    compress_size: int
    file_size: int
    method: int
    crc: int
    flags: int


@dataclass(frozen=True, slots=True)
class Source:
    """One file to read: a file on disk, or a member of a zip archive on disk.

    ``name`` is how messages, tables and letters name it: the path relative to the input
    folder («sub/0101.xlsx», «forms.zip/0101.xlsx»), or the file's own name when a single
    file was given.
    """

    path: Path
    name: str
    member: ArchiveMember | None = None


def list_archive(path: Path, name: str) -> tuple[list[tuple[str, ArchiveMember]], list[tuple[str, str]]]:
    """The members of the archive ``path`` (shown as ``name``): ``(name, member)`` for every
    file in it, and ``(name, reason)`` for what cannot be read; an archive that cannot be
    opened at all is one reason under its own name."""
    try:
        declared = declared_entries(path)
        if declared > MAX_ARCHIVE_MEMBERS:
            return [], [
                (name, f"в архиве {declared} файлов, допускается до {MAX_ARCHIVE_MEMBERS}; не прочитан")
            ]
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, struct.error):
        return [], [(name, "zip-архив повреждён или обрезан; не прочитан")]
    except OSError as exc:
        return [], [(name, f"архив не прочитан: {open_error(exc, windows=os.name == 'nt').detail or exc}")]
    members: list[tuple[str, ArchiveMember]] = []
    skipped: list[tuple[str, str]] = []
    seen: set[str] = set()
    for info in infos:
        if info.is_dir():
            continue
        inner = member_name(info)
        shown = f"{name}/{inner}"
        reason = _unsafe_name(inner)
        if not reason and inner.casefold() in seen:
            reason = "в архиве два файла с таким именем; прочитан первый"
        seen.add(inner.casefold())
        if reason:
            skipped.append((shown, reason))
            continue
        member = ArchiveMember(
            info.header_offset,
            info.compress_size,
            info.file_size,
            info.compress_type,
            info.CRC,
            info.flag_bits,
        )
        members.append((shown, member))
    return members, skipped


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as its author typed it (see the module docstring), with «/» separators."""
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        try:
            raw = name.encode("cp437")  # zipfile decoded the bytes so; undo it
        except UnicodeEncodeError:
            raw = b""
        if raw:
            try:
                name = raw.decode("utf-8")
            except UnicodeDecodeError:
                name = raw.decode("cp866")
    return name.replace("\\", "/")


def _unsafe_name(name: str) -> str:
    """Why a member's name is not read ("" when it is an ordinary relative name)."""
    path = PurePosixPath(name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in path.parts:
        return "имя файла в архиве ведёт за пределы архива; не прочитан"
    if not name.strip("/"):
        return "файл в архиве без имени; не прочитан"
    return ""


def declared_entries(path: Path) -> int:
    """How many entries the archive's end record announces (zip64 too), before anything is parsed.

    Raises ``zipfile.BadZipFile`` when there is no end record (not a zip, or cut short).
    """
    with path.open("rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        tail_size = min(size, 65_536 + 22)
        handle.seek(size - tail_size)
        tail = handle.read(tail_size)
        end = tail.rfind(_END)
        if end < 0 or len(tail) - end < 22:
            raise zipfile.BadZipFile("нет оглавления архива")
        (count,) = struct.unpack_from("<H", tail, end + 10)
        locator = end - 20
        if count != 0xFFFF or locator < 0 or tail[locator : locator + 4] != _END64_LOCATOR:
            return int(count)
        (end64,) = struct.unpack_from("<Q", tail, locator + 8)
        handle.seek(end64)
        record = handle.read(56)
    if record[:4] != _END64 or len(record) < 40:
        raise zipfile.BadZipFile("повреждено оглавление архива zip64")
    (count64,) = struct.unpack_from("<Q", record, 32)
    return int(count64)


def read_member(path: Path, member: ArchiveMember) -> bytes:
    """A member's bytes, bounded and checked; :class:`Rejected` with the reason otherwise.

    Stored and deflated members are read (what Windows, macOS, 7-Zip and mail programs
    write); another method is refused with advice, never inflated without a bound.
    """
    if member.flags & 0x1:
        raise Rejected("file-unreadable", "архив защищён паролем; распакуйте его и укажите папку с формами")
    if member.file_size == 0:
        raise Rejected("file-empty")
    if member.file_size > MAX_FILE_BYTES or member.compress_size > 2 * MAX_FILE_BYTES:
        size = max(member.file_size, member.compress_size) / _MB
        raise Rejected("file-too-large", f"размер {size:.0f} МБ, допускается до {MAX_FILE_BYTES // _MB} МБ")
    if member.method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Rejected(
            "file-unreadable",
            f"форма сжата в архиве способом, который программа не читает (метод {member.method}); "
            "распакуйте архив и укажите папку с формами",
        )
    try:
        with path.open("rb") as handle:
            handle.seek(member.offset)
            header = handle.read(30)
            if len(header) < 30 or header[:4] != _LOCAL:
                raise zipfile.BadZipFile("нет заголовка файла в архиве")
            name_length, extra_length = struct.unpack_from("<HH", header, 26)
            handle.seek(member.offset + 30 + name_length + extra_length)
            raw = handle.read(member.compress_size)
    except OSError as exc:
        raise open_error(exc, windows=os.name == "nt") from None
    except zipfile.BadZipFile:
        raise Rejected("file-corrupt", "архив повреждён: нет заголовка формы в архиве") from None
    try:
        if member.method == zipfile.ZIP_STORED:
            data = raw
        else:
            data = zlib.decompressobj(-15).decompress(raw, member.file_size + 1)
    except zlib.error:
        raise Rejected("file-corrupt", "форма в архиве не распаковывается: архив повреждён") from None
    if len(data) != member.file_size or zlib.crc32(data) != member.crc:
        raise Rejected("file-corrupt", "форма в архиве повреждена: контрольная сумма не совпадает")
    return data
