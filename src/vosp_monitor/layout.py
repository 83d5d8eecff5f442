"""The layout of the school form: the one contract between the form writer and every reader.

The writer (``form/``) lays the workbook out from the names, columns, header texts and
stamp keys below; the readers (``ingest``, ``formfill``, ``table``) find sheets, header
rows, columns and the stamp through the functions below, which recognise the same texts.
So renaming a header here changes writing and reading together (a test pins this).
Every module reads these names as ``layout.NAME`` when it runs, not at import, so that
such a change reaches all of them.

Recognition is deliberately loose, because schools retype and rearrange forms: header and
sheet texts are compared by :func:`normalise_header` (case, spacing, «ё», trailing «:», «*»
and «.» ignored), a header may be longer than the written one where the column says so
(«Значение показателя», «Код показателя»), and a renamed sheet is still found by its stem
(«Показатели (2)», «показатель»).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

# --------------------------------------------------------------------------- sheets

SHEET_INSTRUCTIONS = "Инструкция"
SHEET_FIELDS = "Сведения об ОО"
SHEET_INDICATORS = "Показатели"
SHEET_LISTS = "_lists"  # hidden: the option lists behind drop-downs
SHEET_STAMP = "_vosp"  # hidden: which monitoring and form version this is

# What a renamed data sheet still contains (normalised): «Показатели (2)», «Лист показателей».
_SHEET_STEMS = {SHEET_INDICATORS: ("показател",), SHEET_FIELDS: ("сведени",)}

# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True, eq=False)  # compared by identity: cheap keys for the recogniser cache
class Column:
    """One column of a data sheet: its role, the header the writer puts on it, and the
    longer headers a retyped form may use instead (normalised prefixes and words)."""

    role: str
    header: str
    prefixes: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    def matches(self, normalised: str) -> bool:
        """Whether a header cell (already :func:`normalise_header`-ed) names this column."""
        if not normalised:
            return False
        return (
            normalised == normalise_header(self.header)
            or normalised.startswith(self.prefixes)
            or any(word in normalised for word in self.words)
        )


# «Показатели», left to right; a row is an indicator when its «Код» cell holds a code.
INDICATOR_COLUMNS = (
    Column("code", "Код", prefixes=("код показател",)),
    Column("title", "Показатель"),
    Column("unit", "Единица"),
    Column("value", "Значение", prefixes=("значение",)),
    Column("numerator", "Числитель", prefixes=("числитель",)),
    Column("denominator", "Знаменатель", prefixes=("знаменатель",)),
    Column(
        "comment", "Комментарий / подтверждающий документ", prefixes=("комментар",), words=("подтверждающ",)
    ),
)
# With ``form --previous``: a read-only column after the others with what the school reported
# last year. No reader takes it (its role is not in INDICATOR_INPUT_ROLES, and its header
# names no input column), so a school that types into it changes nothing that is scored.
PREVIOUS_COLUMN = Column("previous", "Прошлый год")
INDICATOR_HEADER_ROW = 4  # where the writer puts the header (readers search for it)
# The roles a reader takes from an indicator row, in the order they are looked for.
INDICATOR_INPUT_ROLES = ("code", "value", "numerator", "denominator", "comment")

# «Сведения об ОО»: label, the value the school types, a hint, and the field key in a hidden
# column (a row is found by its key even when a school rewrote the label).
FIELD_COLUMNS = (
    Column("label", "Сведения"),
    Column("value", "Значение"),
    Column("hint", "Пояснение"),
    Column("key", ""),  # hidden, no header
)
FIELD_HEADER_ROW = 3

HEADER_SEARCH_ROWS = 40  # how far down a header row may have moved

# --------------------------------------------------------------------------- the stamp

# The hidden «_vosp» sheet: key in column A, value in column B, one row each, from row 1.
STAMP_FORM_ID = "form_id"
STAMP_FORM_VERSION = "form_version"
STAMP_GENERATED = "generated"
STAMP_CODES = "codes"  # the indicator codes of the form, comma-separated
STAMP_FIELDS = "fields"  # the school field keys, comma-separated
STAMP_FRAMEWORK = "framework"  # Config.form_fingerprint: what the form asks, as a short hash
STAMP_PERIOD = "period"  # monitoring.period the form was made for
STAMP_SEARCH_ROWS = 20
STAMP_SEPARATOR = ","
# The same two facts as custom document properties (File → Properties in Excel).
PROPERTY_FORM_ID = "vosp_form_id"
PROPERTY_FORM_VERSION = "vosp_form_version"


def indicator_headers() -> tuple[str, ...]:
    """The header texts of «Показатели», left to right, as the writer puts them."""
    return tuple(column.header for column in INDICATOR_COLUMNS)


def field_headers() -> tuple[str, ...]:
    """The header texts of «Сведения об ОО» (the key column has none)."""
    return tuple(column.header for column in FIELD_COLUMNS if column.header)


def __getattr__(name: str) -> tuple[str, ...]:
    """``INDICATOR_HEADERS`` and ``FIELD_HEADERS`` (the names main had), derived from the
    columns when asked for, so that they never disagree with them."""
    if name == "INDICATOR_HEADERS":
        return indicator_headers()
    if name == "FIELD_HEADERS":
        return field_headers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def column_number(columns: Sequence[Column], role: str) -> int:
    """The 1-based column in which the writer puts ``role``."""
    return next(number for number, column in enumerate(columns, start=1) if column.role == role)


def column_of(columns: Sequence[Column], role: str) -> Column:
    return next(column for column in columns if column.role == role)


def indicator_header(role: str) -> str:
    """The header the writer puts on an indicator column: «Значение», «Числитель» …"""
    return column_of(INDICATOR_COLUMNS, role).header


# --------------------------------------------------------------------------- recognising


HEADER_TEXT_LIMIT = 500  # characters: a longer cell is never a header, a label, a sheet name or a code


def normalise_header(value: object) -> str:
    """A header, label or sheet name compared the way a person reads it: case, spacing and
    «ё» ignored, without trailing colons, asterisks or full stops («Код ОО:*» → «код оо»)."""
    text = str(value)
    return _normalise_cached(text) if len(text) <= HEADER_TEXT_LIMIT else _normalise(text)


def _normalise(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").lower().split()).strip(" :*.")


_normalise_cached = functools.lru_cache(maxsize=4096)(_normalise)  # forms repeat the same texts


def role_of(columns: Sequence[Column], value: object, roles: Sequence[str] | None = None) -> str | None:
    """The role of the column whose header cell holds ``value``, or None.

    ``roles``: only these roles, in this order (the first that matches wins).
    """
    if not isinstance(value, str) or not value or len(value) > HEADER_TEXT_LIMIT:
        return None
    header = normalise_header(value)
    wanted = tuple(roles) if roles is not None else tuple(column.role for column in columns)
    for role, exact, prefixes, words in _recogniser(tuple(columns), wanted):
        if header == exact or header.startswith(prefixes) or any(word in header for word in words):
            return role
    return None


def header_columns(columns: Sequence[Column], row: Sequence[object], roles: Sequence[str]) -> dict[str, int]:
    """Role → 0-based index of the first cell in ``row`` whose header names it (each cell
    takes the first of ``roles`` it names that no cell before it took)."""
    found: dict[str, int] = {}
    recogniser = _recogniser(tuple(columns), tuple(roles))
    for index, value in enumerate(row):
        if not isinstance(value, str) or not value or len(value) > HEADER_TEXT_LIMIT:
            continue
        header = normalise_header(value)
        for role, exact, prefixes, words in recogniser:
            if role not in found and (
                header == exact or header.startswith(prefixes) or any(word in header for word in words)
            ):
                found[role] = index
                break
    return found


@functools.lru_cache(maxsize=32)  # keyed by the columns themselves: a changed layout gets its own
def _recogniser(
    columns: tuple[Column, ...], roles: tuple[str, ...]
) -> tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...]:
    """(role, normalised header, prefixes, words) of ``roles``, in that order: what
    :meth:`Column.matches` compares, computed once per layout (headers are hot: every form)."""
    by_role = {column.role: column for column in columns}
    return tuple(
        (role, normalise_header(by_role[role].header), by_role[role].prefixes, by_role[role].words)
        for role in roles
    )


def is_sheet(title: str, sheet: str) -> bool:
    """Whether a workbook's sheet ``title`` is the layout's ``sheet`` («Показатели»): its
    name, or a renamed copy that still contains the name or its stem."""
    if len(title) > HEADER_TEXT_LIMIT:
        return False
    text = normalise_header(title)
    return normalise_header(sheet) in text or any(stem in text for stem in _SHEET_STEMS.get(sheet, ()))


def is_stamp_sheet(title: str) -> bool:
    """The hidden stamp, «_vosp» (case and spacing ignored)."""
    return len(title) <= HEADER_TEXT_LIMIT and normalise_header(title) == normalise_header(SHEET_STAMP)


def is_service_sheet(title: str) -> bool:
    """The stamp and the option lists: hidden by design, never read as data."""
    return is_stamp_sheet(title) or (
        len(title) <= HEADER_TEXT_LIMIT and normalise_header(title) == normalise_header(SHEET_LISTS)
    )


# --------------------------------------------------------------------------- computed indicators

# An input of a computed indicator has a row of its own under the indicator's row, its code
# «ROD-6.r1» in the «Код» column and what the school types in «Значение»; a consolidated
# table names the same input by a column «ROD-6.r1».
INPUT_SEPARATOR = "."


def input_code(code: str, key: str) -> str:
    """The code of an input's row (and table column): «ROD-6» and «r1» → «ROD-6.r1»."""
    return f"{code}{INPUT_SEPARATOR}{key}"
