"""Turn what people type into values, and say when what was typed had to be reinterpreted.

Schools type «12,5», «1 234», «30 %», «Да», «+», «01.09.25» or leave an Excel error in a
cell. Each reader here is a pure function from a raw cell value to a :class:`Reading`:
the value, the text as typed, a note saying what it was read as when that differs from
what was typed (so a report can show «введено «12,5» — прочитано как 12,5» or «введено
«1 234» — прочитано как 1234»: numbers in notes are written the Russian way, by
``render.formatting``), or the reason it could not be read. Which reading applies
(number, yes/no, choice, date) is decided by the caller from the config; nothing here
knows about indicators. A cell becomes text by ``raw.cell_text``, as everywhere.

What counts as a change worth noting: a comma decimal, thousands separators, a Unicode
minus, a percent sign, a percent-formatted cell scaled to percent, a yes/no typed as a
word other than «да»/«нет», an option matched only after normalising case, quotes or
spaces, an Excel serial number read as a date. Not noted: surrounding spaces, a whole
number stored as 42.0, «12.5» typed as text, a change of letter case in «Да».
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass
from enum import StrEnum

from ..ingest.raw import CellValue, RawCell, cell_text
from ..words.formatting import format_compact

NOTE_DECIMALS = 6  # a value read from text is shown with up to this many decimals


class Failure(StrEnum):
    """Why a cell could not be read as the expected kind of value."""

    empty = "empty"
    error_cell = "error_cell"  # #DIV/0!, #ССЫЛКА! …
    formula_without_value = "formula_without_value"
    not_number = "not_number"
    not_yesno = "not_yesno"
    not_option = "not_option"
    not_date = "not_date"


@dataclass(frozen=True, slots=True)
class Reading:
    """The result of reading one cell: a value, or a failure, plus the text as typed."""

    value: float | bool | str | dt.date | None = None
    original: str = ""  # the cell as the school typed it, as text
    note: str = ""  # what it was read as, when that differs from what was typed
    failure: Failure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


ERROR_VALUES = frozenset(
    {
        "#DIV/0!",
        "#ДЕЛ/0!",
        "#REF!",
        "#ССЫЛКА!",
        "#N/A",
        "#Н/Д",
        "#VALUE!",
        "#ЗНАЧ!",
        "#NAME?",
        "#ИМЯ?",
        "#NUM!",
        "#ЧИСЛО!",
        "#NULL!",
        "#ПУСТО!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    }
)

# Characters people (and office suites) put between groups of digits.
_GROUP_SEPARATORS = " \u00a0\u2009\u202f\u2007'"
_MINUS_SIGNS = "\u2212\u2013\u2014"  # − – — typed or pasted as a minus
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}([" + _GROUP_SEPARATORS + r"]\d{3})+([.,]\d+)?$")
_COMMA_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3}){2,}(\.\d+)?$")  # 1,234,567 (English style)

YES_WORDS = frozenset({"да", "yes", "y", "1", "+", "есть", "true", "истина", "д", "имеется"})
NO_WORDS = frozenset({"нет", "no", "n", "0", "-", "–", "—", "false", "ложь", "н", "отсутствует"})


def note_number(value: float) -> str:
    """A number as a note shows what it was read as: «12,5», «1234», «−3»."""
    return format_compact(value, NOTE_DECIMALS)


def is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_special(cell: RawCell | None) -> Reading | None:
    """The failure shared by every kind of value (missing, error cell, uncalculated formula), or None."""
    if cell is None:
        return Reading(failure=Failure.empty)
    if cell.error:
        return Reading(original=cell.error, failure=Failure.error_cell)
    if cell.formula_without_value and is_blank(cell.value):
        return Reading(failure=Failure.formula_without_value)
    if is_blank(cell.value):
        return Reading(failure=Failure.empty)
    if isinstance(cell.value, str) and cell.value.strip().upper() in ERROR_VALUES:
        return Reading(original=cell.value.strip(), failure=Failure.error_cell)
    return None


def read_number(value: CellValue, *, percent: bool = False, percent_format: bool = False) -> Reading:
    """Read a number typed in any of the usual ways.

    ``percent``: the cell holds a percentage, so «30 %» and «30%» are read as 30 and a
    value from a percent-formatted cell (Excel stores 30 % as 0.3) is scaled to 30.
    Elsewhere a percent sign is not a number: a count of pupils typed as «30 %» is a
    mistake the school must correct, not something to guess.
    """
    original = cell_text(value)
    if isinstance(value, bool):
        return Reading(original=original, failure=Failure.not_number)
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return Reading(original=original, failure=Failure.not_number)
        if percent and percent_format:
            scaled = _clean_float(number * 100)
            return Reading(scaled, f"{original} (ячейка в формате %)", note_number(scaled))
        return Reading(number, original)
    if not isinstance(value, str):  # a date in a number cell
        return Reading(original=original, failure=Failure.not_number)
    parsed, changed = parse_number_text(value, percent=percent)
    if parsed is None:
        return Reading(original=value.strip(), failure=Failure.not_number)
    return Reading(parsed, value.strip(), note_number(parsed) if changed else "")


def parse_number_text(text: str, *, percent: bool = False) -> tuple[float | None, bool]:
    """(number, whether reading it needed more than ``float()``), or (None, False)."""
    s = text.strip()
    changed = False
    if percent and s.endswith("%"):
        s = s[:-1].rstrip()
        changed = True
    if s and s[0] in _MINUS_SIGNS:
        s = "-" + s[1:]
        changed = True
    if s.startswith("+"):
        s = s[1:]
    if _NUMBER.match(s):
        pass
    elif _GROUPED.match(s):
        s = "".join(ch for ch in s if ch not in _GROUP_SEPARATORS).replace(",", ".")
        changed = True
    elif _COMMA_GROUPED.match(s):
        s = s.replace(",", "")
        changed = True
    elif s.count(",") == 1 and _NUMBER.match(s.replace(",", ".")):
        s = s.replace(",", ".")
        changed = True
    else:
        return None, False
    try:
        number = float(s)
    except ValueError:  # pragma: no cover - the patterns above only let floats through
        return None, False
    if not math.isfinite(number):
        return None, False
    return number, changed


def _clean_float(value: float) -> float:
    """Remove binary noise from a scaled value (0.07 × 100 = 7.000000000000001 → 7)."""
    return float(f"{value:.12g}")


def read_yesno(value: CellValue) -> Reading:
    """«да/Да/ДА/yes/1/+/есть/true» → True, «нет/no/0/-/–/false» → False."""
    original = cell_text(value)
    if isinstance(value, bool):
        return Reading(value, original)
    if isinstance(value, int | float) and value in (0, 1):
        answer = bool(value)
        return Reading(answer, original, "да" if answer else "нет")
    word = normalise_label(original).rstrip(".")
    if word in YES_WORDS or word in NO_WORDS:
        answer = word in YES_WORDS
        note = "" if word in ("да", "нет") else ("да" if answer else "нет")
        return Reading(answer, original.strip(), note)
    return Reading(original=original.strip(), failure=Failure.not_yesno)


_QUOTES = re.compile(r"[«»\"“”„'`‘’]")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_ENUMERATION = re.compile(r"^\s*\d{1,2}\s*[.)]\s+")


def normalise_label(text: str) -> str:
    """An answer compared with an option list: case, «ё», quotes, repeated spaces and end
    punctuation ignored.

    Looser than ``layout.normalise_header`` (which finds headers, labels and sheets):
    what a school *types* as an answer varies in quotes («Да», "да", да.) in a way the
    form's own texts never do.
    """
    s = _QUOTES.sub("", text.lower().replace("ё", "е"))
    s = _SPACES.sub(" ", s).strip()
    return s.rstrip(".;,").strip()


def read_choice(value: CellValue, options: list[str]) -> Reading:
    """Match a typed option to the list; the value is the option's label as in the config.

    A bare number is deliberately *not* accepted: an option's number and its points
    differ (options are numbered from 1, points often start at 0), so «1» could mean two
    different answers and guessing would silently change a school's score. A label
    prefixed with its number («2. Создан, …») is accepted when the label matches.
    """
    original = cell_text(value).strip()
    index = match_option(original, options)
    if index is None:
        return Reading(original=original, failure=Failure.not_option)
    label = options[index]
    same = original.casefold().split() == label.casefold().split()  # only case or spacing differs
    return Reading(label, original, "" if same else label)


def match_option(text: str, options: list[str]) -> int | None:
    """The index of the option that ``text`` names, or None."""
    wanted = normalise_label(text)
    if not wanted:
        return None
    labels = _normalised_labels(tuple(options))
    if wanted in labels:
        return labels.index(wanted)
    stripped = normalise_label(_ENUMERATION.sub("", text))
    if stripped != wanted and stripped in labels:
        return labels.index(stripped)
    return None


@functools.lru_cache(maxsize=64)  # a config's option lists: the same few for every form
def _normalised_labels(options: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(normalise_label(option) for option in options)


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{2})$"), "dmy2"),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$"), "ymd"),
)


def read_date(value: CellValue) -> Reading:
    """dd.mm.yyyy, d.m.yy, ISO yyyy-mm-dd, a date cell, or an Excel serial number."""
    original = cell_text(value).strip()
    if isinstance(value, dt.datetime):
        return Reading(value.date(), original)
    if isinstance(value, dt.date):
        return Reading(value, original)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466 and float(value).is_integer():
            date = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            return Reading(date, original, date.strftime("%d.%m.%Y"))
        return Reading(original=original, failure=Failure.not_date)
    text = str(value).strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        a, b, c = (int(g) for g in match.groups())
        day, month, year = (c, b, a) if order == "ymd" else (a, b, c)
        if order == "dmy2":
            year += 2000 if year < 70 else 1900
        try:
            date = dt.date(year, month, day)
        except ValueError:
            break
        return Reading(date, text, date.strftime("%d.%m.%Y") if order == "dmy2" else "")
    number, _ = parse_number_text(text)
    if number is not None and number.is_integer():
        return read_date(number)
    return Reading(original=text, failure=Failure.not_date)


def read_text(value: CellValue) -> Reading:
    """Free text (a code, a name): trimmed; a code typed as a number loses its «.0»."""
    text = cell_text(value).strip()
    return Reading(text, text)
