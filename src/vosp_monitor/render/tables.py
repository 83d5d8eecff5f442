"""The result tables: ranking.xlsx, scores.csv, indicators.csv and results.json.

Everything here is read from a finished :class:`Results`; nothing is computed anew.

* ``ranking.xlsx`` is written with xlsxwriter in constant-memory mode (rows streamed to
  disk: 40,000 schools in seconds, flat memory). Every text goes through
  ``write_string``, so a school called ``=HYPERLINK(…)`` stays text.
* The CSV files are for Russian Excel first: UTF-8 with BOM, ``;`` between fields and a
  decimal **comma**, which is what a Russian-locale Excel expects when the file is opened
  with a double click (with a decimal point it would read 12.5 as a date or as text).
  Read them back with ``pandas.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")``.
  Numbers keep 15 significant digits; text that a spreadsheet would take for a formula
  gets a leading ``'`` (:func:`outputs.csv_safe`). Programs should prefer results.json.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..config import Block, Config
from ..outputs import csv_safe, ensure_dir, write_atomic
from ..problems import SEVERITY_RU
from ..results import Results, SchoolResult, write_results_json

STATUS_RU = {"ok": "", "zero": "нет значения (0 баллов)", "not_applicable": "не применимо"}
YES, NO = "да", "нет"
SCORE_FORMAT = "0.0"
MAX_WIDTH = 60
WIDTH_SAMPLE_ROWS = 2000


def write_tables(results: Results, out_dir: Path) -> list[Path]:
    """Write ranking.xlsx, scores.csv, indicators.csv and results.json into ``out_dir``."""
    out_dir = ensure_dir(Path(out_dir))
    written = [
        write_atomic(out_dir / "ranking.xlsx", lambda tmp: write_ranking_xlsx(results, tmp)),
        write_atomic(out_dir / "scores.csv", lambda tmp: _write_csv(tmp, *_scores_rows(results))),
        write_atomic(out_dir / "indicators.csv", lambda tmp: _write_csv(tmp, *_indicator_rows(results))),
        write_atomic(out_dir / "results.json", lambda tmp: write_results_json(results, tmp)),
    ]
    return written


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


def _scores_rows(results: Results) -> tuple[list[str], Iterable[list[Any]]]:
    config = results.config
    blocks = _block_titles(config)
    groups = _group_labels(config)
    header = ["Место", "Код ОО", "Наименование ОО", "Итог", "Уровень"]
    header += [f"Блок {b.id}" for b in blocks]
    for _, label in groups:
        header += [label, f"Место: {label}"]
    header += ["Ниже базового", "Дефициты"]

    def rows() -> Iterable[list[Any]]:
        for s in results.schools:
            row: list[Any] = [s.place, s.code, s.name, csv_number(s.total), s.level]
            row += [csv_number(s.blocks[b.id].score) for b in blocks]
            for key, _ in groups:
                row += [s.groups.get(key, ""), csv_number(s.group_places.get(key))]
            row += [YES if s.below_base else NO, ", ".join(s.deficits)]
            yield row

    return header, rows()


def _indicator_rows(results: Results) -> tuple[list[str], Iterable[list[Any]]]:
    config = results.config
    block_of = config.block_of()
    codes = [ind.code for ind in config.indicators()]
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

    def rows() -> Iterable[list[Any]]:
        for s in results.schools:
            for code in codes:
                r = s.indicators[code]
                yield [
                    s.code,
                    s.name,
                    block_of[code],
                    code,
                    csv_number(r.value),
                    csv_number(r.numerator),
                    csv_number(r.denominator),
                    csv_number(r.points),
                    csv_number(r.max_points),
                    csv_number(r.score),
                    STATUS_RU.get(r.status, r.status),
                    YES if r.deficit else NO,
                ]

    return header, rows()


def _write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([csv_safe(v) for v in row] for row in rows)


# --------------------------------------------------------------------------- ranking.xlsx


class _Sheet:
    """A streamed worksheet: header, typed cells, fitted widths, filter, frozen panes."""

    def __init__(
        self,
        book: Any,
        formats: dict[str, Any],
        name: str,
        header: Sequence[str],
        *,
        freeze_cols: int = 0,
        intro: str = "",
    ) -> None:
        self.ws = book.add_worksheet(name)
        # xlsxwriter's public writers only convert "A1" arguments before calling these;
        # with integer coordinates the inner methods are ~40 % faster for 10⁶ cells.
        self.write_number = getattr(self.ws, "_write_number", self.ws.write_number)
        self.write_string = getattr(self.ws, "_write_string", self.ws.write_string)
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

    def write_row(self, values: Sequence[Any], styles: Sequence[str | None] | None = None) -> None:
        measure = self.row <= WIDTH_SAMPLE_ROWS  # widths from the first rows: enough, and fast
        formats, row = self.formats, self.row
        number, string = self.write_number, self.write_string
        for col, value in enumerate(values):
            style = formats[styles[col]] if styles and styles[col] else None
            if value is None or value == "":
                if style is not None:
                    self.ws.write_blank(row, col, None, style)
                continue
            if isinstance(value, bool):
                value = YES if value else NO
            if isinstance(value, int | float):
                number(row, col, value, style)
                width = len(f"{value:.1f}") + 2 if measure else 0
            else:
                text = str(value)
                string(row, col, text, style)
                width = len(text) + 2 if measure else 0
            if measure and width > self.widths[col]:
                self.widths[col] = min(width, MAX_WIDTH)
        self.row += 1

    def comment(self, col: int, text: str) -> None:
        """A note on the cell just written (the previous row)."""
        self.ws.write_comment(self.row - 1, col, text)

    def finish(self, score_columns: Sequence[int] = ()) -> None:
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


def write_ranking_xlsx(results: Results, path: Path) -> None:
    """The analyst's workbook: ranking, points, values, deficits, problems, missing schools."""
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
    try:
        _ranking_sheet(book, formats, results)
        _points_sheet(book, formats, results)
        _values_sheet(book, formats, results)
        _deficits_sheet(book, formats, results)
        _problems_sheet(book, formats, results)
        _missing_sheet(book, formats, results)
    finally:
        book.close()


def _ranking_sheet(book: Any, formats: dict, results: Results) -> None:
    config = results.config
    blocks = _block_titles(config)
    groups = _group_labels(config)
    header = ["Место", "Код ОО", "Наименование ОО", "Итог", "Уровень"]
    header += [f"{b.id}. {b.title}" for b in blocks]
    for _, label in groups:
        header += [label, f"Место в группе: {label}"]
    header += [f"«{config.scoring.critical.label}»", "Дефицитов"]
    sheet = _Sheet(book, formats, "Рейтинг", header, freeze_cols=3)
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


def _points_sheet(book: Any, formats: dict, results: Results) -> None:
    inds = results.config.indicators()
    header = ["Место", "Код ОО", "Наименование ОО"] + [f"{i.code} (макс. {i.max_points:g})" for i in inds]
    sheet = _Sheet(book, formats, "Баллы", header, freeze_cols=3)
    styles = [None, None, None] + ["number"] * len(inds)
    for s in results.schools:
        sheet.write_row(_school_head(s) + [s.indicators[i.code].points for i in inds], styles)
    sheet.finish()


def _values_sheet(book: Any, formats: dict, results: Results) -> None:
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
    sheet = _Sheet(book, formats, "Значения", header, freeze_cols=3, intro=intro)
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


def _deficits_sheet(book: Any, formats: dict, results: Results) -> None:
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
    sheet = _Sheet(book, formats, "Дефициты", header, freeze_cols=2)
    styles = [None] * 4 + ["number", "number", None]
    for s in sorted(results.schools, key=lambda x: x.code):
        for code in s.deficits:
            r, ind = s.indicators[code], by_code[code]
            sheet.write_row([s.code, s.name, code, ind.title, r.value, r.points, ind.measure], styles)
    sheet.finish()


def _problems_sheet(book: Any, formats: dict, results: Results) -> None:
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
    sheet = _Sheet(book, formats, "Проблемы", header, freeze_cols=1)
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
                str(p.consequence.value),
            ]
        )
    for item in results.skipped:
        sheet.write_row([item.file, None, None, None, None, None, "файл пропущен", None, item.reason, None])
    sheet.finish()


def _missing_sheet(book: Any, formats: dict, results: Results) -> None:
    header = ["Код ОО", "Наименование ОО", "Состояние", "Файл", "Причина"]
    sheet = _Sheet(book, formats, "Не представили", header, freeze_cols=1)
    for e in results.not_submitted:
        sheet.write_row([e.code, e.name, "форма не представлена", None, None])
    for x in results.excluded:
        sheet.write_row([x.code, x.name, "исключена из рейтинга", x.file, "; ".join(x.reasons)])
    sheet.finish()
