"""A streamed xlsx worksheet: typed cells, fitted widths, filter, frozen panes, A4 print setup.

Printing: A4 landscape with the header row on every page and page numbers. A sheet whose
columns fit one page wide at a readable scale (:data:`ONE_PAGE_WIDTH`) is fitted to the
page width; a wider one (26 indicator columns) is printed at 80 % across several pages,
with the school's code and name repeated on each, rather than shrunk to unreadable 5 pt.

Written with xlsxwriter in constant-memory mode (rows go to disk as they are written, so
memory stays flat for 40,000 schools). Every text is an inline *string* cell, never a
formula, so a school called ``=HYPERLINK(…)`` stays text, and every text first goes
through :func:`excel_text` (``text.xml_text`` and Excel's 32,767-character limit), so a
vertical tab or an ANSI escape from a form cannot break the file.

The data rows take a **fast path**: xlsxwriter keeps one row of cell objects and turns
it into ``<row>`` XML when the next row starts, about 10 µs a cell — 42 s for the ~5
million cells of 40,000 schools, against 11 s here. The fast path builds a row's XML in
one go (the same markup, escaping and style indices xlsxwriter writes;
``tests/test_tables.py`` compares the files byte for byte) and appends it to xlsxwriter's
row file; xlsxwriter still writes everything else. It relies on internals that exist in
the xlsxwriter versions pyproject.toml allows (``>=3.2.1,!=3.2.4,<3.4``, each tested);
:func:`fast_path_available` says whether they are there, and a test fails when not, so
a new xlsxwriter can never switch it off silently. Without them the public API is used:
the same file, four times slower. Two deliberate differences from the public API: a NaN
becomes an empty cell (the API raises), and a text shaped like ``<r>…</r>`` is escaped
like any text (the API would emit it as raw rich-text XML).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ...words.text import xml_text

YES, NO = "да", "нет"
MAX_WIDTH = 60
NUMBER_WIDTH = 14  # a column this wide shows a number of up to 11 digits with its decimal
# Column width (in Excel's characters) an A4 landscape page holds at 60 % (about 6.5 pt of
# Calibri 11): the smallest print a reader still reads; wider sheets go across pages.
ONE_PAGE_WIDTH = 230
WIDTH_SAMPLE_ROWS = 2000
CACHED_CELLS = 100_000  # texts and numbers whose cell XML is kept, each (names and scores recur)
EXCEL_TEXT_LIMIT = 32767  # characters in a cell, counted in UTF-16 units
_WORKSHEET_INTERNALS = ("fh", "previous_row", "_write_single_row", "_check_dimensions")


def excel_text(text: str) -> str:
    """Text an xlsx cell can hold: ``text.xml_text``, line breaks as Excel's own (LF, as
    Alt+Enter types them, not CR, which Excel shows as «_x000D_»-escaped), cut to Excel's
    limit in UTF-16 units."""
    text = xml_text(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (
        len(text) > EXCEL_TEXT_LIMIT // 2
        and len(text.encode("utf-16-le", "surrogatepass")) // 2 > EXCEL_TEXT_LIMIT
    ):
        length = 0
        for index, char in enumerate(text):
            length += 2 if ord(char) > 0xFFFF else 1
            if length > EXCEL_TEXT_LIMIT:
                return text[:index]
    return text


def _fast_cell_helpers() -> tuple[Callable[[str], Any], Callable[[int], str], Any] | None:
    """xlsxwriter's own escaping helpers, or None when this xlsxwriter lacks them."""
    try:
        from xlsxwriter.utility import _preserve_whitespace, xl_col_to_name
        from xlsxwriter.xmlwriter import XMLwriter
    except ImportError:
        return None
    if not hasattr(XMLwriter, "_escape_control_characters") or not hasattr(XMLwriter, "_escape_data"):
        return None
    return _preserve_whitespace, xl_col_to_name, XMLwriter


def fast_path_available() -> bool:
    """True when the installed xlsxwriter has every internal the fast row writer uses."""
    if _fast_cell_helpers() is None:
        return False
    from xlsxwriter.worksheet import Worksheet

    return all(hasattr(Worksheet, name) for name in _WORKSHEET_INTERNALS[2:])


class _StyleAttributes(dict[str | None, str]):
    """Format name → ` s="<xf index>"` (None → ""), looked up when first used.

    xlsxwriter numbers formats in the order cells first use them; asking for the index
    only at first use keeps styles.xml the same as the public API would write it.
    """

    def __init__(self, formats: dict[str, Any]) -> None:
        super().__init__({None: ""})
        self.formats = formats

    def __missing__(self, name: str | None) -> str:
        attr = self[name] = f' s="{self.formats[str(name)]._get_xf_index()}"'
        return attr


class Sheet(Protocol):
    """What a sheet function writes to: :class:`StreamSheet`, or ``remote.RemoteSheet``
    (the same rows, written by another process)."""

    def write_row(self, values: Sequence[Any], styles: Sequence[str | None] | None = None) -> None: ...

    def comment(self, col: int, text: str) -> None: ...

    def finish(self, score_columns: Sequence[int] = ()) -> None: ...


SheetMaker = Callable[..., Sheet]  # (name, header, **options) → a sheet


class StreamSheet:
    """One streamed worksheet with a header row; rows are written with :meth:`write_row`."""

    def __init__(
        self,
        book: Any,
        formats: dict[str, Any],
        name: str,
        header: Sequence[str],
        *,
        freeze_cols: int = 0,
        intro: str = "",
        fast: bool = True,
        text_cache: dict[str, str] | None = None,
    ) -> None:
        self.ws = book.add_worksheet(name)
        self.formats = formats
        self.header = [excel_text(str(text)) for text in header]
        self.widths = [max(min(max(len(h) for h in text.split() or [""]) + 2, 30), 8) for text in self.header]
        self.row = 0
        if intro:
            self.ws.write_string(0, 0, excel_text(intro), formats["note"])
            self.row = 1
        self.header_row = self.row
        for col, text in enumerate(self.header):
            self.ws.write_string(self.row, col, text, formats["header"])
        lines = max(
            -(-len(text) // max(width - 1, 1)) for text, width in zip(self.header, self.widths, strict=True)
        )
        self.ws.set_row(self.row, 15 * min(max(lines, 1), 8))
        self.row += 1
        self.ws.freeze_panes(self.row, freeze_cols)
        self.freeze_cols = freeze_cols
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        self.ws.set_footer(f"&L{_header_text(name)}&RСтраница &P из &N")
        self.ws.repeat_rows(self.header_row)
        self.row_limit: int = getattr(self.ws, "xls_rowmax", 1048576)
        helpers = _fast_cell_helpers() if fast else None
        self.fast = bool(
            helpers
            and getattr(self.ws, "constant_memory", False)
            and all(hasattr(self.ws, a) for a in _WORKSHEET_INTERNALS)
        )
        if helpers is not None and self.fast:
            self._preserve, col_name, xml = helpers
            self._escape_control = xml._escape_control_characters
            self._escape_data = xml._escape_data.__get__(self.ws)
            self.refs = [f'<c r="{col_name(col)}' for col in range(len(self.header))]
            self.style_attrs = _StyleAttributes(formats)
            self.text_cells: dict[str, str] = {} if text_cache is None else text_cache
            self.number_cells: dict[float, str] = {}
            self.row_attrs: dict[tuple[str | None, ...] | None, list[str]] = {}
            self.pending: list[str] = []  # rows' XML not yet in the row file
            self.fast_rows = False  # True once data rows go to the row file directly

    # ------------------------------------------------------------------ writing rows

    def write_row(self, values: Sequence[Any], styles: Sequence[str | None] | None = None) -> None:
        if self.row >= self.row_limit:  # Excel's last row: xlsxwriter would drop it too
            return
        if self.row <= WIDTH_SAMPLE_ROWS:  # widths from the first rows: enough, and fast
            self._measure(values)
        if self.fast:
            self._write_row_xml(values, styles)
        else:
            self._write_row_api(values, styles)
        self.row += 1

    def _measure(self, values: Sequence[Any]) -> None:
        widths = self.widths
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            kind = value.__class__
            if kind is str:
                width = len(value) + 2
            elif kind is bool:
                width = len(YES if value else NO) + 2
            elif isinstance(value, int | float):
                if widths[col] >= NUMBER_WIDTH:  # already wide enough for any number it shows
                    continue
                width = len(f"{value:.1f}") + 2
            else:
                width = len(str(value)) + 2
            if width > widths[col]:
                widths[col] = min(width, MAX_WIDTH)

    def _write_row_api(self, values: Sequence[Any], styles: Sequence[str | None] | None) -> None:
        formats, row, ws = self.formats, self.row, self.ws
        for col, value in enumerate(values):
            name = styles[col] if styles else None
            style = formats[name] if name else None
            if isinstance(value, float) and value - value != 0:  # NaN or infinity
                value = None
            if value is None or value == "":
                if style is not None:
                    ws.write_blank(row, col, None, style)
                continue
            if isinstance(value, bool):
                value = YES if value else NO
            if isinstance(value, int | float):
                ws.write_number(row, col, value, style)
            else:
                ws.write_string(row, col, excel_text(str(value)), style)

    def _text_cell(self, text: str) -> str:
        """The part of an inline-string cell after its reference and style (cached)."""
        tail = self.text_cells.get(text)
        if tail is None:
            safe = self._escape_control(excel_text(text))
            space = ' xml:space="preserve"' if self._preserve(safe) else ""
            tail = f' t="inlineStr"><is><t{space}>{self._escape_data(safe)}</t></is></c>'
            if len(self.text_cells) < CACHED_CELLS:  # bounded: a sheet of unique texts fills no memory
                self.text_cells[text] = tail
        return tail

    def _number_cell(self, value: float) -> str | None:
        """``><v>…</v></c>`` for a number, as xlsxwriter formats it (None for NaN/inf)."""
        if value - value != 0:  # NaN or infinity: not a number Excel can hold
            return None
        text = f"><v>{value:.16G}</v></c>"
        # Points and scores repeat: format them once (not 0, which would answer for -0).
        if value and len(self.number_cells) < CACHED_CELLS:
            self.number_cells[value] = text
        return text

    def _write_row_xml(self, values: Sequence[Any], styles: Sequence[str | None] | None) -> None:
        ws, row = self.ws, self.row
        if not self.fast_rows:
            if row > ws.previous_row:
                ws._write_single_row(row)  # the rows xlsxwriter still holds (the header)
            self.fast_rows = True
        ws.previous_row = row  # so that a comment on this row is accepted
        key = tuple(styles) if styles else None
        attrs = self.row_attrs.get(key)
        if attrs is None:
            style_attrs = self.style_attrs
            attrs = self.row_attrs[key] = [style_attrs[name] for name in key or [None] * len(self.refs)]
        number = str(row + 1)
        numbers, texts = self.number_cells, self.text_cells
        cells = []
        for ref, attr, value in zip(self.refs, attrs, values, strict=True):
            kind = value.__class__
            if kind is float or kind is int:
                tail = numbers.get(value) or self._number_cell(value)
                if tail is not None:
                    cells.append(f'{ref}{number}"{attr}{tail}')
                    continue
                value = None
            if value is None or value == "":
                if attr:
                    cells.append(f'{ref}{number}"{attr}/>')
                continue
            if kind is not str:
                if kind is bool:
                    value = YES if value else NO
                elif isinstance(value, int | float):
                    tail = self._number_cell(value)
                    if tail is not None:
                        cells.append(f'{ref}{number}"{attr}{tail}')
                    elif attr:
                        cells.append(f'{ref}{number}"{attr}/>')
                    continue
                else:
                    value = str(value)
            cells.append(f'{ref}{number}"{attr}{texts.get(value) or self._text_cell(value)}')
        if not cells:
            return  # xlsxwriter writes no <row> without cells
        # The header spans every column, so only the last row needs recording.
        ws._check_dimensions(row, 0)
        self.pending.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(self.pending) >= 1000:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.ws.fh.write("".join(self.pending))
            self.pending.clear()

    def comment(self, col: int, text: str) -> None:
        """A note on the cell just written (the previous row)."""
        self.ws.write_comment(self.row - 1, col, excel_text(text))

    def finish(self, score_columns: Sequence[int] = ()) -> None:
        if self.fast and self.fast_rows:
            self._flush()
            # The last data row is already in the row file; xlsxwriter must not write it
            # again when it closes the sheet (nor choke on a comment in it).
            self.ws.previous_row = self.row
        for col, width in enumerate(self.widths):
            self.ws.set_column(col, col, width)
        if sum(self.widths) <= ONE_PAGE_WIDTH:
            self.ws.fit_to_pages(1, 0)  # all columns on one page width, as many pages down as needed
        else:
            self.ws.set_print_scale(80)
            if self.freeze_cols:
                self.ws.repeat_columns(0, self.freeze_cols - 1)
        last = max(self.row - 1, self.header_row)
        self.ws.autofilter(self.header_row, 0, last, len(self.header) - 1)
        if self.row - 1 > self.header_row:
            for col in score_columns:
                self.ws.conditional_format(
                    self.header_row + 1,
                    col,
                    last,
                    col,
                    {
                        "type": "2_color_scale",
                        "min_type": "num",
                        "min_value": 0,
                        "max_type": "num",
                        "max_value": 100,
                        "min_color": "#FFFFFF",
                        "max_color": "#4393C3",  # ColorBrewer RdBu blue: safe for colour-blind readers
                    },
                )


def _header_text(text: str) -> str:
    """A sheet name inside a page header or footer, where «&» starts a code."""
    return text.replace("&", "&&")
