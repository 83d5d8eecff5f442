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
            data = self.data
            offset = member.header_offset
            if data[offset : offset + 4] != ZIP_MAGIC:
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
            raise Rejected("file-corrupt", f"часть «{name}» не распаковывается ({error})") from None

    def read_cells(self, name: str, step: int = _FIRST_STEP) -> bytes:
        """A worksheet up to the end of its ``<sheetData>``: everything calamine reads cells from.

        calamine takes cells from the first ``sheetData`` only (a second one is ignored:
        tests pin this), and what follows it (data validations, conditional formats: half
        of a form's sheet) holds none, so it is neither scanned nor, in a long sheet,
        inflated. A comment or CDATA section could hide a fake end tag: then the whole
        member is read, checked. The first step takes a form's whole sheet at once (zlib
        inflates it faster in one call than half of it in small steps); beyond it the steps
        double: zlib copies the rest of the input on every step, so fixed small steps would
        make a 40 MB sheet quadratic (seconds instead of milliseconds).
        """
        member = self.members[name]
        if member.compress_type != zipfile.ZIP_DEFLATED:
            return self.read(name)
        try:
            offset = member.header_offset
            if self.data[offset : offset + 4] != ZIP_MAGIC:
                raise zipfile.BadZipFile("нет локального заголовка части")
            name_length, extra_length = struct.unpack_from("<HH", self.data, offset + 26)
            start = offset + 30 + name_length + extra_length
            inflater = zlib.decompressobj(-15)
            out = bytearray(
                inflater.decompress(
                    memoryview(self.data)[start : start + member.compress_size],
                    min(step, member.file_size + 1),
                )
            )
            searched = 0
            while True:
                end = sheet_data_end(out, searched)
                searched = max(0, len(out) - 32)
                if end >= 0:
                    if declaration_in(out, 4096, end):
                        break  # a comment or CDATA in the cells: read it all
                    return bytes(out[:end])
                if inflater.eof or not inflater.unconsumed_tail or len(out) > member.file_size:
                    break
                step = min(2 * step, _MAX_STEP)
                out += inflater.decompress(inflater.unconsumed_tail, step)
        except (zipfile.BadZipFile, zlib.error, struct.error, ValueError) as error:
            raise Rejected("file-corrupt", f"часть «{name}» не распаковывается ({error})") from None
        return self.read(name)

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
