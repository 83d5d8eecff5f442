"""Recognising the form in an open workbook: the stamp, the indicator rows, the school fields.

Everything is found by content, through the layout (``layout``): the indicator table by
its header row («Код», «Значение», …) on «Показатели» first, then on any sheet; each
indicator row by the code in its «Код» cell; each school field by its label (exactly, by
its hidden key, or by a unique label prefix). So inserted rows and columns, sorted rows,
renamed sheets («Показатели (2)») and forms retyped by hand all read.

What is scored is what the school sees: hidden sheets are never read as data (the stamp
and the option lists are hidden by design); the others are listed in
``RawForm.hidden_sheets``. A cell longer than ``layout.HEADER_TEXT_LIMIT`` is never
compared with a header, label or code (it is data, and comparing it would cost time and
memory).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import layout
from ..layout import normalise_header
from ..words.text import clip
from .book import Book, sheet_label
from .raw import CellValue, RawForm, Rejected, cell_text

if TYPE_CHECKING:
    from ..config import Config

STAMP_TEXT_LIMIT = 65_536  # characters of one stamp value (the list of codes can be long)

_HOMOGLYPHS = str.maketrans("АВЕКМНОРСТХУ–—‑−", "ABEKMHOPCTXY----")
_CODE_LIKE = re.compile(r"^[A-ZА-ЯЁ]{0,12}[-_.]?\d{1,4}([-_.]\d{1,4}){0,3}[A-ZА-Я]?$")


@functools.lru_cache(maxsize=4096, typed=True)  # typed: True and 1 fold differently
def fold_code(value: CellValue) -> str:
    """An indicator code as typed («upr–1», « UPR - 1 ») in a comparable form («UPR-1»)."""
    text = cell_text(value).upper().translate(_HOMOGLYPHS)
    return "".join(text.split())


@dataclass(frozen=True, slots=True)
class Wanted:
    """One indicator (or one input of a computed indicator) as the reader needs it: its code
    and the cells to take."""

    code: str
    roles: tuple[str, ...]  # value, numerator, denominator (Indicator.input_cells)
    percent: bool  # a percent indicator: a percent format matters
    part: str = ""  # an input's key: its row's «Значение» is the indicator's cell ``part``


@dataclass(slots=True)
class Expected:
    """A config's codes and labels in the form recognition compares; built once per run."""

    indicators: dict[str, Wanted]  # folded code → what to take
    field_keys: tuple[str, ...]
    labels: dict[str, str]  # normalised label → field key
    keys: dict[str, str]  # lower-case key → field key
    shortest: int  # the shortest normalised label
    matches: dict[str, tuple[int, str] | None] = field(default_factory=dict)  # text → match_label

    @classmethod
    def of(cls, config: Config) -> Expected:
        from ..config import IndicatorType

        labels = {normalise_header(f.label): f.key for f in config.school_fields}
        indicators = {
            fold_code(ind.code): Wanted(ind.code, tuple(ind.input_cells), ind.type == IndicatorType.percent)
            for ind in config.indicators()
        }
        for ind in config.indicators():
            for item in ind.inputs:
                indicators[fold_code(layout.input_code(ind.code, item.key))] = Wanted(
                    ind.code, ("value",), False, item.key
                )
        return cls(
            indicators=indicators,
            field_keys=tuple(f.key for f in config.school_fields),
            labels=labels,
            keys={f.key.lower(): f.key for f in config.school_fields},
            shortest=min(len(label) for label in labels),
        )

    def match_label(self, text: str) -> tuple[int, str] | None:
        """(rank, field key) of a normalised text: rank 0, the label itself; rank 2, a unique
        label that starts with the text or vice versa. Remembered: forms repeat the texts."""
        try:
            return self.matches[text]
        except KeyError:
            pass
        found: tuple[int, str] | None = None
        if text in self.labels:
            found = 0, self.labels[text]
        elif len(text) >= min(8, self.shortest):
            prefixed = {
                k for label, k in self.labels.items() if label.startswith(text) or text.startswith(label)
            }
            if len(prefixed) == 1:
                found = 2, prefixed.pop()
        if len(self.matches) < 4096:
            self.matches[text] = found
        return found


def recognise(book: Book, expected: Expected, display_name: str) -> RawForm:
    """The form in ``book``; :class:`Rejected` (``form-unknown``) when it is not there."""
    form = RawForm(
        file=display_name,
        hidden_sheets=[
            sheet_label(n) for n in book.names if n in book.hidden and not layout.is_service_sheet(n)
        ],
    )
    stamp = next((name for name in book.names if layout.is_stamp_sheet(name)), None)
    if stamp is not None:
        _read_stamp(book, stamp, form)
    data_sheets = [n for n in book.names if n not in book.hidden and not layout.is_service_sheet(n)]
    located = _find_indicator_table(book, data_sheets)
    if located is None:
        hidden = (
            f"; скрытые листы не читаются: {clip(', '.join(form.hidden_sheets), 300)}"
            if form.hidden_sheets
            else ""
        )
        code, value = layout.indicator_header("code"), layout.indicator_header("value")
        raise Rejected(
            "form-unknown",
            f"не найден лист «{layout.SHEET_INDICATORS}» с заголовками «{code}» и «{value}»{hidden}",
        )
    sheet, header_row, columns = located
    _read_indicators(book, sheet, header_row, columns, expected, form)
    if not form.form_id and not form.indicators:
        raise Rejected(
            "form-unknown", f"на листе «{sheet_label(sheet)}» нет ни одного кода показателя этого мониторинга"
        )
    _read_fields(book, [n for n in data_sheets if n != sheet], sheet, expected, form)
    return form


def _read_stamp(book: Book, sheet: str, form: RawForm) -> None:
    for row in book.rows(sheet)[: layout.STAMP_SEARCH_ROWS]:
        if len(row) < 2 or not isinstance(row[0], str) or len(row[0]) > layout.HEADER_TEXT_LIMIT:
            continue
        key, value = normalise_header(row[0]), clip(cell_text(row[1]), STAMP_TEXT_LIMIT)
        if key == layout.STAMP_FORM_ID:
            form.form_id = clip(value)
        elif key == layout.STAMP_FORM_VERSION:
            form.form_version = clip(value)
        elif key == layout.STAMP_FRAMEWORK:
            form.framework = clip(value, 100)
        elif key == layout.STAMP_PERIOD:
            form.period = clip(value, 200)
        elif key == layout.STAMP_CODES:
            codes = (code.strip() for code in value.split(layout.STAMP_SEPARATOR))
            form.stamp_codes = [clip(code, 100) for code in codes if code]


def _find_indicator_table(book: Book, sheets: list[str]) -> tuple[str, int, dict[str, int]] | None:
    """The sheet, header row and column of each role: «Показатели» first, then any sheet."""
    named = [n for n in sheets if layout.is_sheet(n, layout.SHEET_INDICATORS)]
    for sheet in named + [n for n in sheets if n not in named]:
        for index, row in enumerate(book.rows(sheet)[: layout.HEADER_SEARCH_ROWS]):
            columns = layout.header_columns(layout.INDICATOR_COLUMNS, row, layout.INDICATOR_INPUT_ROLES)
            if "code" in columns and ("value" in columns or "numerator" in columns):
                return sheet, index, columns
    return None


def _read_indicators(
    book: Book, sheet: str, header_row: int, columns: dict[str, int], expected: Expected, form: RawForm
) -> None:
    code_column = columns["code"]
    rows = book.rows(sheet)
    seen: set[str] = set()  # the folded codes of the rows read (a repeated one is not read again)
    for index in range(header_row + 1, len(rows)):
        row = rows[index]
        raw_code = row[code_column] if code_column < len(row) else None
        if isinstance(raw_code, str) and len(raw_code) > layout.HEADER_TEXT_LIMIT:
            continue  # text, not a code
        code = fold_code(raw_code)
        if not code:
            continue  # a block header, a blank or a note row
        wanted = expected.indicators.get(code)
        if wanted is None:
            if _CODE_LIKE.match(code):
                form.unknown_codes.append(book.cell(sheet, index, code_column))
            continue
        if code in seen:
            form.duplicate_codes.append(book.cell(sheet, index, code_column))
            continue
        seen.add(code)
        cells = form.indicators.setdefault(wanted.code, {})  # a computed one: its row and its inputs' rows
        if wanted.part:
            if "value" in columns:
                cells[wanted.part] = book.cell(sheet, index, columns["value"])
            continue
        for role in wanted.roles:
            if role in columns:
                cells[role] = book.cell(sheet, index, columns[role], percent=wanted.percent)
        if "comment" in columns:  # free text: its errors and formats are never looked at
            cells["comment"] = book.cell(sheet, index, columns["comment"], details=False)


def _read_fields(
    book: Book, others: list[str], indicator_sheet: str, expected: Expected, form: RawForm
) -> None:
    """School fields by label (exact, then by key, then by a unique label prefix):
    «Сведения об ОО» first, then the other visible sheets, the indicator sheet last."""
    named = [n for n in others if layout.is_sheet(n, layout.SHEET_FIELDS)]
    for sheet in [*named, *(n for n in others if n not in named), indicator_sheet]:
        missing = set(expected.field_keys) - set(form.fields)
        if not missing:
            return
        rows = book.rows(sheet)
        header_row, value_column = _field_value_column(rows)
        best: dict[str, tuple[int, int, int]] = {}  # key → (rank, row, column of the match)
        for r, row in enumerate(rows):
            has_header = value_column is not None and r > header_row
            for c, value in enumerate(row):
                if not value or type(value) is not str or len(value) > layout.HEADER_TEXT_LIMIT:
                    continue
                if has_header and value_column is not None and c >= value_column:  # hints and keys
                    key = expected.keys.get(value.strip().lower())
                    match = (1, key) if key else None
                else:
                    match = expected.match_label(normalise_header(value))
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


def _field_value_column(rows: list[list[Any]]) -> tuple[int, int | None]:
    """The header row and its «Значение» column; rows above it have no header."""
    for number, row in enumerate(rows[: layout.HEADER_SEARCH_ROWS]):
        for index, value in enumerate(row):
            if layout.role_of(layout.FIELD_COLUMNS, value, ("value",)):
                return number, index
    return len(rows), None


def _next_filled(row: list[Any], column: int) -> int:
    """Without a header: the first non-empty cell right of the label, else the one next to it."""
    for index in range(column + 1, len(row)):
        if row[index] not in ("", None):
            return index
    return column + 1
