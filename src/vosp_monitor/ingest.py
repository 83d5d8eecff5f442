"""Finds submissions in a folder and reads each workbook into raw cells with locations.

The data model at the top (RawCell, RawForm) is the contract with values.py and
validate.py. Reading is a pure function from a path to a RawForm or to one file-level
Problem, safe on hostile input: the bytes are read once; ``preflight`` rejects empty,
foreign, encrypted, unsafe and oversized files before python-calamine parses anything;
calamine does the fast reading; where a cell that validation needs came back empty or
as a percent candidate, a regex pass over that sheet's XML restores what calamine hides
(error cells, formulas never calculated, percent formats). Rows and fields are then
located by content. Run it in ``pool.map_isolated`` workers, which bound time and
memory and survive a native crash.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .preflight import (
    MAX_ROWS,
    Package,
    Rejected,
    check_declared_dimension,
    check_extent,
    check_xml_head,
    column_number,
    inspect_ole,
    inspect_zip,
    read_bytes,
    sniff,
)
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
    truncated_from: int = 0  # the original length when a text was cut at text.TEXT_LIMIT


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
    hidden_sheets: list[str] = field(default_factory=list)  # sheets the school cannot see


HEADER_SEARCH_ROWS = 40  # how far down a header row may have moved
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})


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
        data = read_bytes(Path(path))
        container = sniff(data)
        package = inspect_zip(data) if container == "zip" else inspect_ole(data)
        return _read_workbook(data, package, config, display_name)
    except Rejected as rejected:
        return make_problem(
            rejected.code,
            file=display_name,
            detail=rejected.detail,
            title=config.monitoring.title,
            consequence=Consequence.file_excluded,
        )


# --------------------------------------------------------------------------- the workbook


class _Book:
    """The open workbook: sheet rows on demand; xlsx cell details only where they matter.

    calamine shows error cells, formulas never calculated and empty cells all as ``""``,
    and a percent-formatted 30 % as 0.3. Telling these apart needs the sheet XML, but only
    for cells that validation reads and that are empty, or that hold a number in a percent
    indicator's cell; a correctly filled form needs neither pass (see :meth:`cell`).
    """

    def __init__(self, data: bytes, package: Package) -> None:
        from python_calamine import CalamineWorkbook, PasswordError

        self.package = package
        try:
            self.workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            self.names: list[str] = list(self.workbook.sheet_names)
        except PasswordError:
            raise Rejected("file-encrypted") from None
        except Exception as error:
            raise Rejected("file-corrupt", f"структура книги нарушена ({_short(error)})") from None
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
                raise Rejected("file-corrupt", f"лист «{name}» не читается ({_short(error)})") from None
            check_extent(name, len(rows), max((len(row) for row in rows), default=0))
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
    check_xml_head(part, head)
    check_declared_dimension(sheet, head)
    check_extent(sheet, *_used_extent(xml))
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
        columns = max(columns, column_number(letters))
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


def _read_workbook(data: bytes, package: Package, config: Config, display_name: str) -> RawForm:
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
        raise Rejected("form-unknown", "не найден лист «Показатели» с заголовками «Код» и «Значение»")
    sheet, header_row, columns = located
    _read_indicators(book, sheet, header_row, columns, config, form)
    if not form.form_id and not form.indicators:
        raise Rejected("form-unknown", f"на листе «{sheet}» нет ни одного кода показателя этого мониторинга")
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
