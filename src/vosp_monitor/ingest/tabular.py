"""One-sheet table files: the first sheet of a workbook, or delimited text (CSV).

The registry of schools (``registry``) and a consolidated table (``table``) are both
tables people export from Excel or a regional system, so they are read the same way:

* a workbook (.xlsx, .xlsm, .xls, .ods): its first sheet, through python-calamine;
* delimited text (.csv, .txt): decoded as UTF-8 (with or without a BOM), UTF-16 when it
  starts with a UTF-16 BOM (Excel's «Текст Юникод»), else Windows-1251 (what Russian
  Excel writes by default); the delimiter is sniffed among «;», tab and «,» — the one that
  splits the first rows into the same number of columns, the most columns on a tie
  (a label such as «Обучающихся, чел.» must not split a «;» file on its commas).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from pathlib import Path

from ..errors import VospError, unopenable
from .raw import CellValue, plain

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt")
DELIMITERS = (";", "\t", ",")  # on a tie the first wins: «;» is what Russian Excel writes
_SNIFF_CHARS = 65_536
_SNIFF_ROWS = 20


def read_rows(path: Path, error: type[VospError]) -> tuple[str, list[list[CellValue]]]:
    """(sheet name for messages, rows as Python values) of a one-sheet table file.

    ``error``: the exception a caller's user knows (``RegistryError``, ``TableError``),
    raised with a Russian message when the file cannot be read.
    """
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        try:
            return path.name, read_delimited(path.read_bytes())
        except OSError as exc:
            raise unopenable(error(f"{path.name}: файл не прочитан ({exc.strerror or exc})")) from None
        except csv.Error as exc:  # a field above csv's size limit, a broken quote
            raise error(f"{path.name}: текст не разбирается как таблица CSV ({exc})") from None
    if suffix not in WORKBOOK_SUFFIXES:
        raise error(f"{path.name}: ожидалась таблица .xlsx, .xls, .ods или .csv")
    from python_calamine import CalamineWorkbook

    try:
        path.open("rb").close()  # a file that cannot be opened at all is the command's mistake
    except OSError as exc:
        raise unopenable(error(f"{path.name}: файл не удалось открыть ({exc.strerror or exc})")) from None
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        name = workbook.sheet_names[0]
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several exception types of its own
        raise error(f"{path.name}: файл не прочитан ({exc})") from None
    return name, [[plain(value) for value in row] for row in rows]


def read_delimited(data: bytes) -> list[list[CellValue]]:
    """Rows of delimited text: encoding and delimiter found as the module docstring says."""
    text = decode(data)
    delimiter = sniff_delimiter(text)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def decode(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with a BOM, else Windows-1251 (which decodes any bytes)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows most consistently, and widest on a tie."""
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # no half row at the end
    best, best_score = DELIMITERS[0], (False, 0, 0)
    for delimiter in DELIMITERS:
        rows = itertools.islice(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), _SNIFF_ROWS)
        widths = [len(row) for row in rows if any(cell.strip() for cell in row)]
        if not widths:
            continue
        score = (widths[0] > 1, sum(width == widths[0] for width in widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
