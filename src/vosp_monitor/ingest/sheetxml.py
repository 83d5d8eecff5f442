"""What python-calamine does not show, read from a worksheet's XML (xlsx only).

calamine gives an error cell, a formula never calculated and an empty cell all as ``""``,
and a percent-formatted 30 % as 0.3; and it allocates a sheet's whole used range, so one
cell at XFD1048576 aborts the process. The passes here work on the raw bytes of the
sheet's ``<sheetData>`` with literal-prefixed regexes (the scan stays in C; Python sees
only the flagged cells):

* :func:`checked_sheet_xml` — before calamine parses a sheet: no DTD, declared and real
  extent within the limits;
* :func:`cell_details` — error cells with their text, and formulas without a value;
* :func:`percent_styles`, :func:`percent_cells` — cells whose style shows a percentage.

The last two run only for the cells validation needs (see ``book.Book.cell``).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator

from .preflight import MAX_ROWS, check_declared_dimension, check_extent, check_xml_head, xml_attributes
from .raw import column_number


def checked_sheet_xml(sheet: str, part: str, xml: bytes) -> bytes:
    """The sheet's XML after the checks that must come before calamine parses it.

    No DTD; a declared and a real extent within the limits (the declared dimension can
    lie, and calamine allocates the whole used range: one cell at XFD1048576 would
    exhaust memory and abort the process).
    """
    head = xml[:4096]
    check_xml_head(part, head)
    check_declared_dimension(sheet, head)
    check_extent(sheet, *used_extent(xml))
    if b":worksheet" in head and _PREFIXED_ROOT.search(head):
        # «<x:worksheet>» from some generators: drop the prefixes so the literals match.
        xml = re.sub(rb"<(/?)\w+:", rb"<\1", xml)
    return xml


def cell_details(xml: bytes) -> dict[str, tuple[str | None, bool]]:
    """Error cells (with their text) and formulas without a value: address → (error, no value)."""
    details: dict[str, tuple[str | None, bool]] = {}
    for position in _find_all(xml, b' t="e"'):
        address, _tag, body = _cell_at(xml, position, in_tag=True)
        value = _VALUE.search(body)
        error = html.unescape(value.group(1).decode("utf-8", "replace")) if value else "#ERROR"
        details[address] = (error, details.get(address, (None, False))[1])
    for pattern in _FORMULA_END:
        for match in pattern.finditer(xml):
            address, tag, _body = _cell_at(xml, match.start())
            if match.group(1) and _CACHED_TEXT in tag:
                continue  # Excel's cached "" of =IF(…;""): the formula has a value
            details[address] = (details.get(address, (None, False))[0], True)
    details.pop("", None)
    return details


_CELL_XFS = re.compile(rb"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF_FORMAT = re.compile(rb'<(?:\w+:)?xf\b(?:[^>]*?\bnumFmtId="(\d+)")?')
_NUM_FMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_BUILTIN_PERCENT = {9, 10}


@functools.lru_cache(maxsize=16)  # forms from one template share styles.xml byte for byte
def percent_styles(styles: bytes) -> frozenset[int]:
    """Style ids (the ``s`` of a cell) whose number format shows a percentage (from styles.xml)."""
    percent_formats = set(_BUILTIN_PERCENT)
    if b"%" in styles:
        for match in _NUM_FMT.finditer(styles):
            attrs = xml_attributes(match.group(1))
            code = re.sub(r'"[^"]*"|\\.', "", attrs.get("formatCode", ""))
            if "%" in code and attrs.get("numFmtId", "").isdigit():
                percent_formats.add(int(attrs["numFmtId"]))
    block = _CELL_XFS.search(styles)
    if not block:
        return frozenset()
    formats = _XF_FORMAT.findall(block.group(1))
    return frozenset(i for i, fmt in enumerate(formats) if int(fmt or 0) in percent_formats)


def percent_cells(xml: bytes, styles: frozenset[int]) -> frozenset[str]:
    """Addresses of the cells whose style shows a percentage."""
    found = set()
    for style in styles:
        for position in _find_all(xml, b' s="%d"' % style):
            address, _tag, _body = _cell_at(xml, position, in_tag=True)
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


def used_extent(xml: bytes) -> tuple[int, int]:
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
        split = _SPLIT_REF.fullmatch(match.group(1).decode())
        letters, digits = split.groups() if split else ("", "")
        last_row = max(last_row, int(digits or 0))
        columns = max(columns, column_number(letters))
    return last_row, columns


# Where a formula ends its cell: a formula with no cached value has no <v> after it, or an
# empty one — openpyxl writes <v /> (standard library XML) or <v></v> (with lxml). Excel
# writes <v></v> too, for a cached empty string (=IF(…;"")), and then marks the cell
# t="str": only that combination has a value.
_FORMULA_END = (
    re.compile(rb"</f>(<v ?/>|<v></v>)?</c>"),
    re.compile(rb"<f [^>]*/>(<v ?/>|<v></v>)?</c>"),  # a shared formula's follower: <f t="shared" si="0"/>
)
_CACHED_TEXT = b' t="str"'
_REF = re.compile(rb'\br="([A-Z]{1,4}\d{1,8})"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")


def _cell_at(xml: bytes, position: int, *, in_tag: bool = False) -> tuple[str, bytes, bytes]:
    """The address, start tag and body of the ``<c>`` element around ``position``
    (``""`` when there is none).

    ``in_tag``: the position is an attribute, so it must lie inside the cell's start tag
    (``s="9"`` on a ``<row>`` is a row style, not a cell's).
    """
    start = xml.rfind(b"<c ", 0, position + 1)
    tag_end = xml.find(b">", start)
    if start < 0 or tag_end < 0 or (in_tag and tag_end < position):
        return "", b"", b""
    end = xml.find(b"</c>", tag_end)
    body = b"" if xml[tag_end - 1 : tag_end] == b"/" else xml[tag_end + 1 : end if end >= 0 else len(xml)]
    ref = _REF.search(xml, start, tag_end)
    return (ref.group(1).decode() if ref else ""), xml[start:tag_end], body


def _find_all(data: bytes, needle: bytes) -> Iterator[int]:
    """Positions of a literal (bytes.find is several times faster than a regex scan)."""
    position = data.find(needle)
    while position >= 0:
        yield position
        position = data.find(needle, position + 1)
