"""The result tables: ranking.xlsx, scores.csv, indicators.csv, results.json (and territories.csv).

Everything here is read from a finished :class:`Results`; nothing is computed anew.
Files are written plainly into the run's staging folder (``outputs.write_file``; outputs/staging.py
switches the whole set in). ranking.xlsx is
``ranking_xlsx`` (streamed by ``xlsx_stream``), results.json is ``results.store``; the
CSV files are written here: scores.csv with a row per school, indicators.csv with a row per
school and indicator, and, in a run by territory, territories.csv with a row per territory.

The CSV files are for Russian Excel first: UTF-8 with BOM, ``;`` between fields and a
decimal **comma**, which is what a Russian-locale Excel expects when the file is opened
with a double click (with a decimal point it would read 12.5 as a date or as text).
Read them back with ``pandas.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig",
dtype={"Код ОО": str})``. Numbers are rounded for people — scores to one decimal (or
``ranking.decimals``, if more), values and points to two — and are never guarded (a number
we format, such as ``-5,5``, cannot start a formula); full precision stays in
results.json; *text* gets
:func:`csv_text`: one line (``text.one_line``: no control characters or line breaks),
at most ``text.TEXT_LIMIT`` characters (indicators.csv repeats a school's name on every
row, so nothing longer may be multiplied), and a leading ``'`` when a spreadsheet would
take it for a formula (:func:`outputs.csv_safe`). Programs should prefer results.json.

Codes with leading zeros (``0101``): a double-clicked CSV makes Excel read them as the
number 101. No CSV-only remedy is safe — ``="0101"`` is a live formula, an invisible
prefix corrupts the code for programs — so the file keeps the code as it is and the
README points to ranking.xlsx (codes stored as text) or Excel's text import.
"""

from __future__ import annotations

import csv
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Any

from ..config import Config
from ..config.expression_text import named_values
from ..outputs import csv_safe, ensure_dir, write_file
from ..report.addressees import DecisionSet
from ..results import Results, gc_paused, write_results_json
from ..words.text import clip, one_line
from .xlsx.book import RANKING_XLSX
from .xlsx.ranking import write_ranking_xlsx
from .xlsx.remote import PARALLEL_FROM

STATUS_RU = {"ok": "", "zero": "нет значения (0 баллов)", "not_applicable": "не применимо"}
VALUE_DECIMALS = 2  # values and points in indicators.csv


def score_decimals(config: Config) -> int:
    """Scores 0–100 in the CSV files: one decimal, as the справка shows them (more if places
    are decided at more decimals, so that two places never look tied)."""
    return max(1, config.ranking.decimals)


YES, NO = "да", "нет"


def csv_number(value: float | int | None, decimals: int | None = None) -> str:
    """A number as Russian Excel reads it: decimal comma, no thousands separator.

    ``decimals``: rounded to so many places first (trailing zeros dropped: 68.80 → «68,8»).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if decimals is not None and not isinstance(value, int):
        value = round(float(value), decimals) + 0.0  # + 0.0: no «-0»
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return format(value, ".15g").replace(".", ",")


def csv_text(value: object) -> str:
    """Text for one CSV cell: one line, bounded, and never read as a formula."""
    return str(csv_safe(one_line(clip(str(value)))))


class _CsvNumbers(dict[float | int | None, str]):
    """number → :func:`csv_number`, memoised (never give it a bool: True == 1).

    Points, maxima, scores and places take few distinct values, so for 40,000 schools ×
    23 indicators most numbers are formatted once; a hit is one dict lookup. Bounded.
    """

    def __init__(self, decimals: int | None = None) -> None:
        super().__init__({None: ""})
        self.decimals = decimals

    def __missing__(self, value: float | int | None) -> str:
        text = csv_number(value, self.decimals)
        if len(self) < 200_000:
            self[value] = text
        return text


class _Texts(dict[str, str]):
    """text → :func:`csv_text`, memoised (levels, group values and names repeat). Bounded."""

    def __missing__(self, value: str) -> str:
        text = csv_text(value)
        if len(self) < 200_000:
            self[value] = text
        return text


def scores_rows(results: Results) -> tuple[list[str], Iterator[list[Any]]]:
    config = results.config
    blocks = config.all_blocks()
    groups = [(key, config.field(key).label) for key in config.ranking.groups]
    header = ["Место", "Код ОО", "Наименование ОО", "Итог", "Уровень"]
    header += [f"Блок {b.id}" for b in blocks]
    for _, label in groups:
        header += [label, f"Место: {label}"]
    header += ["Ниже базового", "Дефициты"]
    block_ids = [b.id for b in blocks]
    group_keys = [key for key, _ in groups]
    number, text = _CsvNumbers(score_decimals(config)), _Texts()

    def rows() -> Iterator[list[Any]]:
        for s in results.schools:
            row: list[Any] = [s.place, text[s.code], text[s.name], number[s.total], text[s.level]]
            sb = s.blocks
            row += [number[sb[b].score] for b in block_ids]
            for key in group_keys:
                row += [text[s.groups.get(key, "")], number[s.group_places.get(key)]]
            row += [YES if s.below_base else NO, text[", ".join(s.deficits)]]
            yield row

    return header, rows()


def csv_fields(*texts: str) -> str:
    """Texts already made safe (:func:`csv_text`) as one piece of a CSV line: quoted where
    csv.writer would quote them, joined by ``;``, without the line's end."""
    if texts == ("",):
        return ""  # csv.writer writes a row of one empty field as «""»; a field of a longer row is empty
    piece = _Lines()
    csv.writer(piece, delimiter=";", lineterminator="").writerow(texts)
    return piece[0]


INDICATORS_HEADER = [
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
    "Введённые данные",
    "Мало данных",
]


def indicator_lines(results: Results) -> Iterator[str]:
    """indicators.csv's lines after the header, a row per school and indicator, each line whole.

    A million lines at 40 000 schools: each is one f-string of pieces made once — the
    school's code and name per school, the block and code per indicator, numbers memoised
    (:class:`_CsvNumbers`; a number never needs quoting: digits, sign, comma, «да»/«нет») —
    the same bytes as csv.writer over a list per row, in less than half the time.
    """
    config = results.config
    block_of = config.block_of()
    fixed = [
        (ind.code, csv_fields(csv_text(block_of[ind.code]), csv_text(ind.code)))
        for ind in config.indicators()
    ]
    status_ru = {key: csv_fields(csv_text(text)) for key, text in STATUS_RU.items()}
    number, score = _CsvNumbers(VALUE_DECIMALS), _CsvNumbers(score_decimals(config))
    for s in results.schools:
        head, inds = csv_fields(csv_text(s.code), csv_text(s.name)), s.indicators
        for key, block_and_code in fixed:
            r = inds[key]
            status = status_ru.get(r.status)
            if status is None:
                status = csv_fields(csv_text(r.status))
            inputs = csv_fields(csv_text(named_values(r.inputs))) if r.inputs else ""
            yield (
                f"{head};{block_and_code};{number[r.value]};{number[r.numerator]};{number[r.denominator]};"
                f"{number[r.points]};{number[r.max_points]};{score[r.score]};{status};"
                f"{YES if r.deficit else NO};{inputs};{YES if r.small else NO}\r\n"
            )


class _Lines(list[str]):
    """A csv.writer target that collects lines, written to the file a batch at a time."""

    write = list.append  # a C method: a Python one would cost a call per row


LINES_PER_WRITE = 20_000


def write_lines(path: Path, header: list[str], lines: Iterable[str]) -> None:
    """A CSV file: the BOM and the header, then ``lines`` (each whole, ending in CRLF).

    Encoded as plain UTF-8 a batch of lines at a time (the utf-8-sig codec and one file
    write per row cost seconds for a million rows).
    """
    lines = iter(lines)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("\ufeff" + csv_fields(*(csv_text(v) for v in header)) + "\r\n")
        while batch := "".join(itertools.islice(lines, LINES_PER_WRITE)):
            handle.write(batch)


def write_csv(path: Path, header: list[str], rows: Iterable[list[Any]]) -> None:
    """Rows whose text is already made safe (:func:`csv_text`) by the row builders."""
    write_lines(path, header, _formatted(rows))


def _formatted(rows: Iterable[list[Any]]) -> Iterator[str]:
    """Each row as its CSV line, csv.writer formatting a batch of rows at a time."""
    lines = _Lines()
    writer = csv.writer(lines, delimiter=";", lineterminator="\r\n")
    rows = iter(rows)
    while batch := list(itertools.islice(rows, LINES_PER_WRITE)):
        writer.writerows(batch)
        yield from lines
        lines.clear()


def territories_rows(results: Results) -> tuple[list[str], Iterator[list[Any]]]:
    """territories.csv: the columns of ranking.xlsx's «Муниципалитеты», a row per territory
    (regions of a two-level run after the municipalities), the whole run last."""
    from ..report.territories import territories_view, territory_table

    view, territories = territories_view(results), results.territories
    assert view is not None and territories is not None
    header, styles, data = territory_table(results.config, territories, view.rows)
    if view.parents:  # regions after the municipalities, named in the region column; the whole run last
        _, _, regions = territory_table(results.config, territories, view.parents, parents=True)
        width = len(header)
        named = [
            [row[0], row[1], row[2], None, *row[3:]] + [None] * (width - 1 - len(row)) for row in regions[:-1]
        ]
        data = [*data[:-1], *named, data[-1]]
    score, number = _CsvNumbers(score_decimals(results.config)), _CsvNumbers(VALUE_DECIMALS)
    formats = [score if style == "score" else number for style in styles]

    def rows() -> Iterator[list[Any]]:
        for line in data:
            yield [
                csv_text(v)
                if isinstance(v, str)
                else formats[i][v]
                if v is not None and not isinstance(v, bool)
                else ""
                for i, v in enumerate(line)
            ]

    return header, rows()


def write_territories_csv(results: Results, path: Path) -> None:
    write_csv(path, *territories_rows(results))


def write_scores_csv(results: Results, path: Path) -> None:
    write_csv(path, *scores_rows(results))


def write_indicators_csv(results: Results, path: Path) -> None:
    write_lines(path, INDICATORS_HEADER, indicator_lines(results))


def _ranking_in_worker(
    results: Results, path: Path, decisions: Sequence[DecisionSet], after: Callable[[], object] | None
) -> Path:
    if after is not None:
        after()
    return write_file(path, partial(write_ranking_xlsx, results, worker=True, decisions=decisions))


TERRITORIES_CSV = "territories.csv"  # only in a run by territory

# File name → writer(results, path) of the other tables; write_tables writes them in this order.
TABLE_WRITERS: dict[str, Callable[[Results, Path], None]] = {
    "scores.csv": write_scores_csv,
    "indicators.csv": write_indicators_csv,
    "results.json": write_results_json,
}


@gc_paused()  # millions of short-lived strings and dicts; nothing here forms a cycle
def write_tables(
    results: Results,
    out_dir: Path,
    decisions: Sequence[DecisionSet] = (),
    *,
    workbook_after: Callable[[], object] | None = None,
) -> list[Path]:
    """Write ranking.xlsx, scores.csv, indicators.csv and results.json into ``out_dir``.

    ``decisions``: the management decisions whose schools ranking.xlsx's «Адресаты решений»
    lists (the справка's view made them; the run's, or each municipality's in a region).

    From ``remote.PARALLEL_FROM`` schools on (and more than one core), ranking.xlsx is
    written by a worker process from rows a thread of this process makes, while this
    thread writes the rest: the same files, in about two thirds of the time. That worker
    starts once ``workbook_after()`` returns (the chart worker's end: at 40 000 schools the
    two workers' memory together would take the run over 1 GB).
    """
    out_dir = ensure_dir(Path(out_dir))
    in_worker = len(results.schools) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    with ThreadPoolExecutor(1, thread_name_prefix="vosp-ranking") if in_worker else nullcontext() as pool:
        ranking = out_dir / RANKING_XLSX
        if pool is not None:
            workbook = pool.submit(_ranking_in_worker, results, ranking, decisions, workbook_after)
        else:
            write_file(ranking, partial(write_ranking_xlsx, results, decisions=decisions))
        written = [ranking] + [
            write_file(out_dir / name, partial(write, results)) for name, write in TABLE_WRITERS.items()
        ]
        if pool is not None:
            workbook.result()  # its error, raised here
    if results.territories is not None:  # a run by territory; a district writes what it always did
        written.append(write_file(out_dir / TERRITORIES_CSV, partial(write_territories_csv, results)))
    return written
