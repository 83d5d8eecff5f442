"""What every reader hands on: raw cells with their locations, before any interpretation.

A :class:`RawForm` comes from a school's workbook (``ingest``) or from one row of a
consolidated table (``table``); ``values`` and ``validate`` take it from there; a file
that cannot be read is a :class:`Rejected` instead, raised wherever reading finds out. Two rules
hold for every reader, so that nothing downstream has to repeat them:

* no text value is longer than :data:`text.TEXT_LIMIT` (:func:`bounded_cell` cuts it with
  «…» and records the original length), so memory and outputs follow the number of
  schools, never what one file contains;
* a cell becomes text one way only (:func:`cell_text`), whether it is a school code, a
  header or what a school typed.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import cast

from ..errors import VospError
from ..words.text import TEXT_LIMIT, clip

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
    truncated_from: int = 0  # the text's length before it was cut to TEXT_LIMIT (0: not cut)


@dataclass(slots=True)
class RawForm:
    """A workbook recognised as (some version of) the monitoring form."""

    file: str  # path relative to the input folder
    form_id: str = ""  # from the stamp; "" when recognised by headers only
    form_version: str = ""
    stamp_codes: list[str] = field(default_factory=list)  # indicator codes listed in the stamp
    framework: str = ""  # the stamp's Config.form_fingerprint ("" in forms made before it)
    period: str = ""  # the stamp's monitoring.period (the same)
    fields: dict[str, RawCell] = field(default_factory=dict)  # school field key → value cell
    # indicator code → {"value" | "numerator" | "denominator" | "comment": cell}
    indicators: dict[str, dict[str, RawCell]] = field(default_factory=dict)
    unknown_codes: list[RawCell] = field(default_factory=list)  # code cells not in the config
    duplicate_codes: list[RawCell] = field(default_factory=list)  # a known code met again (ignored)
    hidden_sheets: list[str] = field(default_factory=list)  # hidden sheets not read (stamp and lists aside)


class Rejected(VospError):
    """A file-level problem found while reading; becomes the one Problem for the file."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


_PLAIN_TYPES = frozenset({str, float, int, bool, dt.date, dt.datetime, type(None)})


def plain(value: object) -> CellValue:
    """A reader's value as a CellValue: python-calamine's times and durations become text."""
    return cast(CellValue, value) if type(value) in _PLAIN_TYPES else str(value)  # one lookup: every cell


def bounded_cell(sheet: str, address: str, value: CellValue) -> RawCell:
    """A cell whose text is at most TEXT_LIMIT characters; a cut one says how long it was."""
    if isinstance(value, str) and len(value) > TEXT_LIMIT:
        return RawCell(sheet, address, clip(value), truncated_from=len(value))
    return RawCell(sheet, address, value)


def cell_text(value: CellValue) -> str:
    """A cell as the text a person sees in it, trimmed.

    Whole numbers lose their «.0» (a code typed as a number, 101.0, is «101»); other numbers
    keep at most 15 significant digits, as Excel shows them, with a decimal comma
    (0.65 → «0,65»); dates are dd.mm.yyyy, booleans ИСТИНА/ЛОЖЬ as in Russian Excel.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "ИСТИНА" if value else "ЛОЖЬ"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.15g}".replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() != dt.time() else value.strftime("%d.%m.%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


@functools.lru_cache(maxsize=4096)
def cell_address(row: int, column: int) -> str:
    """The A1 address of a 0-based (row, column): (13, 4) → «E14»."""
    return f"{column_letter(column)}{row + 1}"


@functools.lru_cache(maxsize=256)
def column_letter(index: int) -> str:
    """The letters of a 0-based column: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """The 1-based number of a column's letters: A → 1, Z → 26, AA → 27."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number
