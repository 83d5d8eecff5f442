"""One-sheet table files: the first sheet of a workbook, or delimited text (CSV).

The registry of schools (``registry``) and a consolidated table (``table``) are both
tables people export from Excel or a regional system, so they are read the same way:

* a workbook (.xlsx, .xlsm, .xls, .ods): its first sheet, through python-calamine;
* delimited text (.csv, .txt): its encoding found by detection (:func:`decode`) — UTF-8
  with or without a BOM, UTF-16 (Excel's «Текст Юникод»), else the Cyrillic code page
  whose decoding reads most like Russian: Windows-1251 (what Russian Excel writes by
  default), DOS 866 (old DOS and 1C exports) or KOI8-R; a file none of them fits is an
  error naming it. The delimiter is sniffed among «;», tab and «,» — the one that
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
CODE_PAGES = ("cp1251", "cp866", "koi8_r")  # on a tie the first wins
UNKNOWN_ENCODING = (
    "не удалось определить кодировку текста (проверены UTF-8, UTF-16, Windows-1251, DOS 866 и KOI8-R); "
    "сохраните таблицу в Excel как «CSV UTF-8 (разделитель — запятая)» или как книгу .xlsx"
)
# How often each letter occurs in Russian text, per cent: a decoding that reads like Russian
# scores high; pseudo-graphics, stray symbols and «шКОЛА» (case flipped inside a word: KOI8-R
# read as Windows-1251) score against it.
_FREQUENCY = {
    letter: float(share)
    for letter, share in zip(
        "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
        [
            "10.97",
            "8.45",
            "8.01",
            "7.35",
            "6.7",
            "6.26",
            "5.47",
            "4.73",
            "4.54",
            "4.4",
            "3.49",
            "3.21",
            "2.98",
            "2.81",
            "2.62",
            "2.01",
            "1.9",
            "1.74",
            "1.7",
            "1.65",
            "1.59",
            "1.44",
            "1.21",
            "0.97",
            "0.94",
            "0.73",
            "0.64",
            "0.48",
            "0.36",
            "0.32",
            "0.26",
            "0.04",
            "0.04",
        ],
        strict=True,
    )
}
_TYPOGRAPHY = frozenset("«»—–№…„“”‘’\xa0°")
_STRAY, _FLIPPED = 5.0, 3.0


class EncodingUnknown(ValueError):
    """No encoding fits the text (:func:`decode`)."""


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
        except EncodingUnknown:
            raise error(f"{path.name}: {UNKNOWN_ENCODING}") from None
        except csv.Error:  # a field above csv's size limit, a broken quote
            raise error(
                f"{path.name}: текст не разбирается как таблица CSV (слишком длинное значение в ячейке или "
                "незакрытая кавычка); откройте файл в Excel и сохраните как CSV или .xlsx заново"
            ) from None
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
    except Exception:  # calamine raises several exception types of its own, in English
        raise error(f"{path.name}: файл не прочитан: {_what_it_is(path)}") from None
    return name, [[plain(value) for value in row] for row in rows]


def _what_it_is(path: Path) -> str:
    """Why a workbook did not open, in the words the form reader uses (``preflight.sniff``)."""
    from .preflight import sniff
    from .raw import Rejected

    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        sniff(head)
    except Rejected as rejected:
        return rejected.detail or "это не книга Excel"
    except OSError as exc:
        return exc.strerror or "ошибка чтения с диска"
    return "книга повреждена; откройте её в Excel и сохраните заново"


def read_delimited(data: bytes) -> list[list[CellValue]]:
    """Rows of delimited text: encoding and delimiter found as the module docstring says."""
    text = decode(data)
    delimiter = sniff_delimiter(text)
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def decode(data: bytes) -> str:
    """The text of ``data``: UTF-16 with a BOM, UTF-16 without one (zero bytes), UTF-8 (BOM or
    not), else the most Russian-looking of :data:`CODE_PAGES` (judged on the first 64 KB).
    Raises :class:`EncodingUnknown` when nothing fits: zero bytes in a text that is neither
    UTF-16 nor UTF-8, or a decoding with more stray symbols than letters."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    zeros = b"\0" in data
    if zeros:  # UTF-16's ASCII and Cyrillic are valid UTF-8 too: its zero bytes tell it apart
        wide = _utf16_without_bom(data)
        if wide is not None:
            return wide
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if zeros:  # no text in a code page holds a zero byte: this is no text at all
            raise EncodingUnknown from None
    sample = data[:_SNIFF_CHARS]
    ranked = []
    for order, encoding in enumerate(CODE_PAGES):
        try:
            ranked.append((_russian_score(sample.decode(encoding, "replace")), -order, encoding))
        except UnicodeDecodeError:  # pragma: no cover - "replace" never raises
            continue
    for score, _order, encoding in sorted(ranked, reverse=True):
        if score <= 0:
            break
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:  # Windows-1251 has no byte 0x98: the next best
            continue
    raise EncodingUnknown


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 without a BOM: every high byte of ASCII and Cyrillic is 0x00 or 0x04."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:_SNIFF_CHARS]
    for encoding, low, high in (("utf-16-le", head[0::2], head[1::2]), ("utf-16-be", head[1::2], head[0::2])):
        plain = high.count(0) + high.count(4)
        if 0 not in low and high.count(0) and plain >= 0.9 * len(high):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def _russian_score(text: str) -> float:
    """How much ``text`` reads like Russian: letter frequencies, less stray symbols and case flips."""
    score = 0.0
    previous_lower = False
    for ch in text:
        if ch < "\x80":
            previous_lower = False
            continue
        low = ch.lower()
        frequency = _FREQUENCY.get(low)
        if frequency is None:
            score -= 0.0 if ch in _TYPOGRAPHY else _STRAY
            previous_lower = False
            continue
        score += frequency
        if ch != low and previous_lower:
            score -= _FLIPPED
        previous_lower = ch == low
    return score


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
