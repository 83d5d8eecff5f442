"""The members of a workbook's zip, inflated from the bytes in memory, strictly bounded.

``preflight.inspect_zip`` reads the zip directory and hands on an :class:`Archive`;
``book.Book`` takes a worksheet's cells from it (:meth:`Archive.read_cells`) to check them
before python-calamine parses the sheet.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

from .raw import Rejected

ZIP_MAGIC = b"PK\x03\x04"
_MB = 1024 * 1024
_FIRST_STEP = _MB  # the first inflation step of a sheet read up to its </sheetData>: a whole form sheet
_MAX_STEP = 8 * _MB  # the largest one

# Forms of one template share most parts byte for byte (workbook.xml, its relationships,
# styles, the stamp sheet): what a small member's stored bytes inflated to is remembered,
# keyed by those bytes themselves, so a part differing by one byte is inflated and checked
# anew. Only successes are remembered; a process keeps at most _KNOWN_PARTS of them.
_SMALL_STORED = 4096  # stored bytes of a member worth remembering …
_SMALL_SIZE = 64 * 1024  # … and its declared size
_KNOWN_PARTS = 256
_CELLS = -1  # the «head» of a member read up to its </sheetData>
_INFLATED: dict[tuple[bytes, int, int, int, int], bytes] = {}
# Part name → where its </sheetData> ended in the last form read, as a share of its size:
# only the size of the first inflation step follows from it, never what is read.
_CELLS_SHARE: dict[str, float] = {}


class Archive:
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
            raw = self._compressed(member)
            key = _key(member, raw, head)
            if key is not None and (known := _INFLATED.get(key)) is not None:
                return known
            if member.compress_type == zipfile.ZIP_STORED:
                out = bytes(raw[:head] if head else raw)
            elif member.compress_type == zipfile.ZIP_DEFLATED:
                inflater = zlib.decompressobj(-15)
                out = inflater.decompress(raw, head or member.file_size + 1)
                if not head and not inflater.eof:
                    raise zipfile.BadZipFile("размер части не совпадает с оглавлением архива")
            else:  # bzip2, lzma: rare in workbooks; zipfile knows how
                return self._read_by_zipfile(member, head)
            if not head and (len(out) != member.file_size or zlib.crc32(out) != member.CRC):
                raise zipfile.BadZipFile("контрольная сумма части не совпадает")
            return _remember(key, out)
        except (zipfile.BadZipFile, zlib.error, struct.error, ValueError) as error:
            raise Rejected("file-corrupt", f"часть «{name}» не распаковывается ({error})") from None

    def read_cells(self, name: str, step: int = _FIRST_STEP) -> bytes:
        """A worksheet up to the end of its ``<sheetData>``: everything calamine reads cells from.

        calamine takes cells from the first ``sheetData`` only (a second one is ignored:
        tests pin this), and what follows it (data validations, conditional formats: half
        of a form's sheet) holds none, so it is neither scanned nor, in a long sheet,
        inflated. A comment or CDATA section could hide a fake end tag: then the whole
        member is read, checked. The first step takes about as much as the cells of the
        same part took in the form before (zlib inflates that faster in one call than in
        small steps; a guess too short only costs a second step); beyond it the steps
        double: zlib copies the rest of the input on every step, so fixed small steps would
        make a 40 MB sheet quadratic (seconds instead of milliseconds).
        """
        member = self.members[name]
        if member.compress_type != zipfile.ZIP_DEFLATED:
            return self.read(name)
        try:
            raw = self._compressed(member)
            key = _key(member, raw, _CELLS)
            if key is not None and (known := _INFLATED.get(key)) is not None:
                return known
            guess = _CELLS_SHARE.get(name, 1.0) * member.file_size * 1.1 + 4096
            inflater = zlib.decompressobj(-15)
            out = bytearray(inflater.decompress(raw, int(min(step, guess, member.file_size + 1))))
            searched = 0
            while True:
                end = sheet_data_end(out, searched)
                searched = max(0, len(out) - 32)
                if end >= 0:
                    if declaration_in(out, 4096, end):
                        break  # a comment or CDATA in the cells: read it all
                    _CELLS_SHARE[name] = end / max(member.file_size, 1)
                    return _remember(key, bytes(out[:end]))
                if inflater.eof or not inflater.unconsumed_tail or len(out) > member.file_size:
                    break
                step = min(2 * step, _MAX_STEP)
                out += inflater.decompress(inflater.unconsumed_tail, step)
        except (zipfile.BadZipFile, zlib.error, struct.error, ValueError) as error:
            raise Rejected("file-corrupt", f"часть «{name}» не распаковывается ({error})") from None
        return self.read(name)

    def _compressed(self, member: zipfile.ZipInfo) -> memoryview:
        """A member's bytes as stored, after its local header."""
        offset = member.header_offset
        if self.data[offset : offset + 4] != ZIP_MAGIC:
            raise zipfile.BadZipFile("нет локального заголовка части")
        name_length, extra_length = struct.unpack_from("<HH", self.data, offset + 26)
        start = offset + 30 + name_length + extra_length
        return memoryview(self.data)[start : start + member.compress_size]

    def _read_by_zipfile(self, member: zipfile.ZipInfo, head: int) -> bytes:
        try:
            with self.zip.open(member) as stream:
                return stream.read(head) if head else stream.read(member.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError) as error:
            raise Rejected(
                "file-corrupt", f"часть «{member.filename}» не распаковывается ({error})"
            ) from None

    def close(self) -> None:
        self.zip.close()


def declaration_in(xml: bytearray, start: int, end: int) -> bool:
    """Whether «<!» (a comment, CDATA, a DTD) begins at or after ``start`` and ends by ``end``.

    Found by its rare «!» (memchr) rather than by «<!», whose «<» begins every tag."""
    position = xml.find(b"!", start + 1, end)
    while position >= 0:
        if xml[position - 1] == 0x3C:  # «<»
            return True
        position = xml.find(b"!", position + 1, end)
    return False


def sheet_data_end(xml: bytearray, start: int = 0) -> int:
    """Where the first ``</sheetData>`` (or ``</x:sheetData>``) at or after ``start`` ends, or -1."""
    position = xml.find(b"sheetData>", start)
    while position >= 0:
        if xml[xml.rfind(b"<", 0, position) + 1 : position].startswith(b"/"):
            return position + len(b"sheetData>")
        position = xml.find(b"sheetData>", position + 1)
    return -1


def _key(member: zipfile.ZipInfo, raw: memoryview, head: int) -> tuple[bytes, int, int, int, int] | None:
    """What a small member's inflated bytes are remembered by (None: a member too large)."""
    if member.compress_size > _SMALL_STORED or member.file_size > _SMALL_SIZE:
        return None
    return bytes(raw), member.compress_type, member.file_size, member.CRC, head


def _remember(key: tuple[bytes, int, int, int, int] | None, out: bytes) -> bytes:
    if key is not None:
        if len(_INFLATED) >= _KNOWN_PARTS:
            _INFLATED.clear()
        _INFLATED[key] = out
    return out
