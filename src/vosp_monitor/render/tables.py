"""The result tables: ranking.xlsx, scores.csv, indicators.csv and results.json.

Everything here is read from a finished :class:`Results`; nothing is computed anew.

* ``ranking.xlsx`` is written with xlsxwriter in constant-memory mode (rows streamed to
  disk, flat memory); the data rows' XML is built by :class:`_Sheet` itself (the same
  bytes xlsxwriter writes, ~10× faster: ~10 s for 40,000 schools). Every text is an
  inline *string* cell, never a formula, so a school called ``=HYPERLINK(…)`` stays text.
* The CSV files are for Russian Excel first: UTF-8 with BOM, ``;`` between fields and a
  decimal **comma**, which is what a Russian-locale Excel expects when the file is opened
  with a double click (with a decimal point it would read 12.5 as a date or as text).
  Read them back with ``pandas.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``.
  Numbers keep 15 significant digits; text that a spreadsheet would take for a formula
  gets a leading ``'`` (:func:`outputs.csv_safe`). Programs should prefer results.json.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from ..config import Block, Config
from ..outputs import csv_safe, ensure_dir, write_file
from ..problems import SEVERITY_RU
from ..results import Results, SchoolResult, gc_paused, write_results_json

STATUS_RU = {"ok": "", "zero": "нет значения (0 баллов)", "not_applicable": "не применимо"}
YES, NO = "да", "нет"
SCORE_FORMAT = "0.0"
MAX_WIDTH = 60
WIDTH_SAMPLE_ROWS = 2000


@gc_paused()  # millions of short-lived strings and dicts; nothing here forms a cycle
def write_tables(results: Results, out_dir: Path) -> list[Path]:
    """Write ranking.xlsx, scores.csv, indicators.csv and results.json into ``out_dir``."""
    out_dir = ensure_dir(Path(out_dir))
    return [write_file(out_dir / name, partial(write, results)) for name, write in TABLE_WRITERS.items()]


def _write_scores_csv(results: Results, path: Path) -> None:
    _write_csv(path, *_scores_rows(results))


def _write_indicators_csv(results: Results, path: Path) -> None:
    _write_csv(path, *_indicator_rows(results))


# --------------------------------------------------------------------------- shared columns


def _group_labels(config: Config) -> list[tuple[str, str]]:
    return [(key, config.field(key).label) for key in config.ranking.groups]


def _block_titles(config: Config) -> list[Block]:
    return config.all_blocks()


def csv_number(value: float | int | None) -> str:
    """A number as Russian Excel reads it: decimal comma, no thousands separator."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return format(value, ".15g").replace(".", ",")


class _CsvNumbers(dict):
    """number → ``csv_safe(csv_number(number))``, memoised (never give it a bool: True == 1).

    Points, maxima, scores and places take few distinct values, so for 40,000 schools ×
    23 indicators most numbers are formatted once; a hit is one dict lookup. Bounded.
    """

    def __init__(self) -> None:
        super().__init__({None: ""})

    def __missing__(self, value: float | int) -> str:
        text = csv_safe(csv_number(value))
        if len(self) < 200_000:
            self[value] = text
        return text


def _scores_rows(results: Results) -> tuple[list[str], Iterable[list[Any]]]:
    config = results.config
    blocks = _block_titles(config)
    groups = _group_labels(config)
    header = ["Место", "Код ОО", "Наименование ОО", "Итог", "Уровень"]
    header += [f"Блок {b.id}" for b in blocks]
    for _, label in groups:
        header += [label, f"Место: {label}"]
    header += ["Ниже базового", "Дефициты"]
    block_ids = [b.id for b in blocks]
    group_keys = [key for key, _ in groups]
    number = _CsvNumbers()

    def rows() -> Iterable[list[Any]]:
        for s in results.schools:
            row: list[Any] = [s.place, csv_safe(s.code), csv_safe(s.name), number[s.total], csv_safe(s.level)]
            sb = s.blocks
            row += [number[sb[b].score] for b in block_ids]
            for key in group_keys:
                row += [csv_safe(s.groups.get(key, "")), number[s.group_places.get(key)]]
            row += [YES if s.below_base else NO, csv_safe(", ".join(s.deficits))]
            yield row

    return header, rows()


def _indicator_rows(results: Results) -> tuple[list[str], Iterable[list[Any]]]:
    config = results.config
    block_of = config.block_of()
    # Columns that do not depend on the school, made safe once.
    fixed = [(ind.code, csv_safe(block_of[ind.code]), csv_safe(ind.code)) for ind in config.indicators()]
    header = [
        "Код ОО",
        "Наименование ОО",
        "Блок",
        "Показатель",
        "Значение",
        "Числитель",
        "Знаменатель",
        "Баллы",
        "Макс. баллов",
        "Оценка",
        "Статус",
        "Дефицит",
    ]
    status_ru = {key: csv_safe(text) for key, text in STATUS_RU.items()}
    number = _CsvNumbers()

    def rows() -> Iterable[list[Any]]:
        for s in results.schools:
            code, name, inds = csv_safe(s.code), csv_safe(s.name), s.indicators
            for key, block, ind_code in fixed:
                r = inds[key]
                status = status_ru.get(r.status)
                yield [
                    code,
                    name,
                    block,
                    ind_code,
                    number[r.value],
                    number[r.numerator],
                    number[r.denominator],
                    number[r.points],
                    number[r.max_points],
                    number[r.score],
                    csv_safe(r.status) if status is None else status,
                    YES if r.deficit else NO,
                ]

    return header, rows()


class _Lines(list):
    """A csv.writer target that collects lines, written to the file a batch at a time."""

    write = list.append


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    """Rows whose text is already made safe (:func:`outputs.csv_safe`) by the row builders.

    The BOM is written once and the text encoded as plain UTF-8 in batches of rows
    (the utf-8-sig codec and one file write per row cost seconds for a million rows).
    """
    lines = _Lines()
    writer = csv.writer(lines, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_safe(v) for v in header])
    rows = iter(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff")
        while True:
            batch = list(itertools.islice(rows, 20_000))
            writer.writerows(batch)
            handle.write("".join(lines))
            lines.clear()
            if not batch:
                break


# --------------------------------------------------------------------------- ranking.xlsx


def _fast_cell_helpers() -> tuple[Any, Any, Any, Any, Any] | None:
    """xlsxwriter's own escaping helpers, or None when this xlsxwriter lacks them."""
    try:
        from xlsxwriter.utility import _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name
        from xlsxwriter.xmlwriter import XMLwriter
    except ImportError:  # a future xlsxwriter: use the public API only
        return None
    return _preserve_whitespace, _utf16_len, _utf16_truncate, xl_col_to_name, XMLwriter


class _StyleAttributes(dict):
    """Format name → ` s="<xf index>"` (None → ""), looked up when first used.

    xlsxwriter numbers formats in the order cells first use them; asking for the index
    only at first use keeps styles.xml the same as the public API would write it.
    """

    def __init__(self, formats: dict[str, Any]) -> None:
        super().__init__({None: ""})
        self.formats = formats

    def __missing__(self, name: str) -> str:
        attr = self[name] = f' s="{self.formats[name]._get_xf_index()}"'
        return attr


class _Sheet:
    """A streamed worksheet: header, typed cells, fitted widths, filter, frozen panes.

    The data rows take a fast path: in constant_memory mode xlsxwriter keeps one row of
    cell objects and turns it into ``<row>`` XML in its row file when the next row
    starts, which costs about 10 µs a cell — a minute for the ~5 million cells of 40,000
    schools. Here a row's XML is built in one go (the same markup, escaping and
    style indices xlsxwriter would write; ``tests/test_tables.py`` compares the two
    byte for byte) and appended to that row file; xlsxwriter still writes everything
    else (header, styles, comments, filter, colour scales, print setup). Without
    constant_memory or with an xlsxwriter whose internals differ, the public API is used.
    Two deliberate differences: a NaN becomes an empty cell (the API raises), and a text
    shaped like ``<r>…</r>`` is escaped like any text (the API would emit it as raw
    rich-text XML).
    """

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
        self.header = list(header)
        self.widths = [min(max(len(h) for h in str(text).split()) + 2, 30) for text in header]
        self.widths = [max(w, 8) for w in self.widths]
        self.row = 0
        if intro:
            self.ws.write_string(0, 0, intro, formats["note"])
            self.row = 1
        self.header_row = self.row
        for col, text in enumerate(self.header):
            self.ws.write_string(self.row, col, text, formats["header"])
        lines = max(
            -(-len(text) // max(width - 1, 1)) for text, width in zip(header, self.widths, strict=True)
        )
        self.ws.set_row(self.row, 15 * min(max(lines, 1), 8))
        self.row += 1
        self.ws.freeze_panes(self.row, freeze_cols)
        self.ws.set_landscape()
        self.ws.set_paper(9)  # A4
        self.ws.fit_to_pages(1, 0)  # all columns on one page width, as many pages down as needed
        self.ws.repeat_rows(self.header_row)
        self.row_limit = getattr(self.ws, "xls_rowmax", 1048576)
        helpers = _fast_cell_helpers() if fast else None
        self.fast = bool(
            helpers
            and getattr(self.ws, "constant_memory", False)
            and all(
                hasattr(self.ws, a) for a in ("fh", "previous_row", "_write_single_row", "_check_dimensions")
            )
        )
        if self.fast:
            assert helpers is not None
            self._preserve, self._utf16_len, self._utf16_truncate, col_name, xml = helpers
            self._escape_control = xml._escape_control_characters
            self._escape_data = xml._escape_data.__get__(self.ws)
            self.refs = [f'<c r="{col_name(col)}' for col in range(len(self.header))]
            self.style_attrs = _StyleAttributes(formats)
            self.text_cells = {} if text_cache is None else text_cache
            self.number_cells: dict[float, str] = {}
            self.row_attrs: dict[tuple | None, list[str]] = {}
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
            if isinstance(value, bool):
                value = YES if value else NO
            width = len(f"{value:.1f}") + 2 if isinstance(value, int | float) else len(str(value)) + 2
            if width > widths[col]:
                widths[col] = min(width, MAX_WIDTH)

    def _write_row_api(self, values: Sequence[Any], styles: Sequence[str | None] | None) -> None:
        formats, row, ws = self.formats, self.row, self.ws
        for col, value in enumerate(values):
            style = formats[styles[col]] if styles and styles[col] else None
            if value is None or value == "":
                if style is not None:
                    ws.write_blank(row, col, None, style)
                continue
            if isinstance(value, bool):
                value = YES if value else NO
            if isinstance(value, int | float):
                ws.write_number(row, col, value, style)
            else:
                ws.write_string(row, col, str(value), style)

    def _text_cell(self, text: str) -> str:
        """The part of an inline-string cell after its reference and style (cached)."""
        tail = self.text_cells.get(text)
        if tail is None:
            original = text
            if len(text) > 16383 and self._utf16_len(text) > 32767:
                text = self._utf16_truncate(text, 32767)
            text = self._escape_control(text)
            space = ' xml:space="preserve"' if self._preserve(text) else ""
            tail = f' t="inlineStr"><is><t{space}>{self._escape_data(text)}</t></is></c>'
            self.text_cells[original] = tail
        return tail

    def _number_cell(self, value: float) -> str | None:
        """``><v>…</v></c>`` for a number, as xlsxwriter formats it (None for NaN/inf)."""
        if value - value != 0:  # NaN or infinity: not a number Excel can hold
            return None
        text = f"><v>{value:.16G}</v></c>"
        # Points and scores repeat: format them once (not 0, which would answer for -0).
        if value and len(self.number_cells) < 100_000:
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
        self.ws.write_comment(self.row - 1, col, text)

    def finish(self, score_columns: Sequence[int] = ()) -> None:
        if self.fast and self.fast_rows:
            self._flush()
            # The last data row is already in the row file; xlsxwriter must not write it
            # again when it closes the sheet (nor choke on a comment in it).
            self.ws.previous_row = self.row
        for col, width in enumerate(self.widths):
            self.ws.set_column(col, col, width)
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


def _formats(book: Any) -> dict[str, Any]:
    return {
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        ),
        "score": book.add_format({"num_format": SCORE_FORMAT}),
        "number": book.add_format({"num_format": "0.0##"}),
        "normalised": book.add_format({"bg_color": "#FFE699", "num_format": "0.0##"}),
        "normalised_text": book.add_format({"bg_color": "#FFE699"}),
        "note": book.add_format({"italic": True}),
        "flag": book.add_format({"bold": True, "font_color": "#9C0006"}),
    }


def write_ranking_xlsx(results: Results, path: Path, *, fast: bool = True) -> None:
    """The analyst's workbook: ranking, points, values, deficits, problems, missing schools.

    ``fast=False`` writes every cell through xlsxwriter's public API (the reference the
    fast row writer is tested against; same file, ten times slower).
    """
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    formats = _formats(book)
    options = {"fast": fast, "text_cache": {}}  # names recur on every sheet: escape them once
    try:
        for write_sheet in (
            _ranking_sheet,
            _points_sheet,
            _values_sheet,
            _deficits_sheet,
            _problems_sheet,
            _missing_sheet,
        ):
            write_sheet(book, formats, results, **options)
    finally:
        book.close()


def _ranking_sheet(book: Any, formats: dict, results: Results, **options: Any) -> None:
    config = results.config
    blocks = _block_titles(config)
    groups = _group_labels(config)
    header = ["Место", "Код ОО", "Наименование ОО", "Итог", "Уровень"]
    header += [f"{b.id}. {b.title}" for b in blocks]
    for _, label in groups:
        header += [label, f"Место в группе: {label}"]
    header += [f"«{config.scoring.critical.label}»", "Дефицитов"]
    sheet = _Sheet(book, formats, "Рейтинг", header, freeze_cols=3, **options)
    styles = [None, None, None, "score", None] + ["score"] * len(blocks) + [None] * (2 * len(groups))
    styles += ["flag", None]
    for s in results.schools:
        row: list[Any] = [s.place, s.code, s.name, s.total, s.level]
        row += [s.blocks[b.id].score for b in blocks]
        for key, _ in groups:
            row += [s.groups.get(key), s.group_places.get(key)]
        row += [YES if s.below_base else None, len(s.deficits)]
        sheet.write_row(row, styles)
    sheet.finish(score_columns=[3, *range(5, 5 + len(blocks))])


def _school_head(s: SchoolResult) -> list[Any]:
    return [s.place, s.code, s.name]


def _points_sheet(book: Any, formats: dict, results: Results, **options: Any) -> None:
    inds = results.config.indicators()
    header = ["Место", "Код ОО", "Наименование ОО"] + [f"{i.code} (макс. {i.max_points:g})" for i in inds]
    sheet = _Sheet(book, formats, "Баллы", header, freeze_cols=3, **options)
    styles = [None, None, None] + ["number"] * len(inds)
    for s in results.schools:
        sheet.write_row(_school_head(s) + [s.indicators[i.code].points for i in inds], styles)
    sheet.finish()


def _values_sheet(book: Any, formats: dict, results: Results, **options: Any) -> None:
    inds = results.config.indicators()
    columns = {ind.code: 3 + k for k, ind in enumerate(inds)}
    notes: dict[tuple[str, str], list[str]] = {}
    for n in results.normalisations:
        notes.setdefault((n.file, n.target), []).append(f"введено: «{n.original}», прочитано как {n.read_as}")
    header = ["Место", "Код ОО", "Наименование ОО"] + [
        f"{i.code}" + (f", {i.unit}" if i.unit else "") for i in inds
    ]
    intro = (
        "Значения в единицах показателя (доли — в %). Жёлтым отмечены значения, записанные школой "
        "иначе (например, «12,5 %»), — исходная запись в примечании к ячейке; «н/п» — не применимо."
    )
    sheet = _Sheet(book, formats, "Значения", header, freeze_cols=3, intro=intro, **options)
    base = [None, None, None] + ["number"] * len(inds)
    for s in results.schools:
        row: list[Any] = _school_head(s)
        styles = list(base)
        marks: list[tuple[int, str]] = []
        for ind in inds:
            r = s.indicators[ind.code]
            row.append("н/п" if r.status == "not_applicable" else r.value)
            note = notes.get((s.file, ind.code))
            if note:
                col = columns[ind.code]
                styles[col] = "normalised" if r.value is not None else "normalised_text"
                marks.append((col, "\n".join(note)))
        sheet.write_row(row, styles)
        for col, text in marks:
            sheet.comment(col, text)
    sheet.finish()


def _deficits_sheet(book: Any, formats: dict, results: Results, **options: Any) -> None:
    by_code = {ind.code: ind for ind in results.config.indicators()}
    header = [
        "Код ОО",
        "Наименование ОО",
        "Показатель",
        "Наименование показателя",
        "Значение",
        "Баллы",
        "Рекомендуемая мера",
    ]
    sheet = _Sheet(book, formats, "Дефициты", header, freeze_cols=2, **options)
    styles = [None] * 4 + ["number", "number", None]
    for s in sorted(results.schools, key=lambda x: x.code):
        for code in s.deficits:
            r, ind = s.indicators[code], by_code[code]
            sheet.write_row([s.code, s.name, code, ind.title, r.value, r.points, ind.measure], styles)
    sheet.finish()


def _problems_sheet(book: Any, formats: dict, results: Results, **options: Any) -> None:
    header = [
        "Файл",
        "Код ОО",
        "Лист",
        "Ячейка",
        "Показатель",
        "Значение",
        "Вид",
        "Код проблемы",
        "Описание",
        "Последствие",
    ]
    sheet = _Sheet(book, formats, "Проблемы", header, freeze_cols=1, **options)
    for p in results.problems:
        sheet.write_row(
            [
                p.file,
                p.school,
                p.sheet,
                p.cell,
                p.indicator,
                p.value,
                SEVERITY_RU[p.severity],
                p.code,
                p.message,
                p.consequence_text,
            ]
        )
    for item in results.skipped:
        sheet.write_row([item.file, None, None, None, None, None, "файл пропущен", None, item.reason, None])
    sheet.finish()


def _missing_sheet(book: Any, formats: dict, results: Results, **options: Any) -> None:
    header = ["Код ОО", "Наименование ОО", "Состояние", "Файл", "Причина"]
    sheet = _Sheet(book, formats, "Не представили", header, freeze_cols=1, **options)
    for e in results.not_submitted:
        sheet.write_row([e.code, e.name, "форма не представлена", None, None])
    for x in results.excluded:
        sheet.write_row([x.code, x.name, "исключена из рейтинга", x.file, "; ".join(x.reasons)])
    sheet.finish()


# File name → writer(results, path); write_tables writes them in this order.
TABLE_WRITERS = {
    "ranking.xlsx": write_ranking_xlsx,
    "scores.csv": _write_scores_csv,
    "indicators.csv": _write_indicators_csv,
    "results.json": write_results_json,
}
