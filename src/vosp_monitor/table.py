"""A consolidated table (свод) as input: one row per school, one column per field and indicator.

Authorities that collect answers through an online form or a regional system hold one
sheet instead of a folder of forms. Each row becomes a :class:`RawForm` whose cells carry
the table's sheet name and the A1 address of that row and column, so the same
:func:`validate.check_submission` applies and every problem is located by row and column.

Header cells are matched, ignoring case, spaces and «ё»: a school field by its key
(``students``) or its label («Численность обучающихся, чел.»); an indicator by its code
(``UPR-2``), a share's parts by ``CODE.numerator`` / ``CODE.denominator`` or
``CODE числитель`` / ``CODE знаменатель``, a comment by ``CODE.comment``. Empty cells and
the texts ``NA``, ``NaN``, ``N/A`` (what R and pandas write for a missing value) are empty.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config, IndicatorType
from .errors import VospError
from .ingest import CellValue, RawCell, RawForm
from .problems import Problem, make_problem

HEADER_SCAN_ROWS = 20
MISSING_TEXTS = frozenset({"NA", "NaN", "N/A", "nan", "<NA>"})
_PART_WORDS = {
    "numerator": "numerator",
    "числитель": "numerator",
    "denominator": "denominator",
    "знаменатель": "denominator",
    "value": "value",
    "значение": "value",
    "comment": "comment",
    "комментарий": "comment",
}
_SPLIT_PART = re.compile(r"^(?P<code>.+?)\s*(?:[.:_]\s*|\s+|\s*\(\s*)(?P<part>[^\s.():_]+)\s*\)?$")


class TableError(VospError):
    """The table cannot be read at all; the message is in Russian."""


@dataclass(slots=True)
class Table:
    """What a consolidated table became: one raw form per row, and problems with its columns."""

    file: str
    forms: list[RawForm] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_table(path: Path | str, config: Config) -> Table:
    """Read a consolidated table (xlsx, xlsm, xls, ods or csv) into one RawForm per row."""
    path = Path(path)
    sheet, rows = _read_rows(path)
    table = Table(file=path.name)
    header_index = _find_header_row(rows, config)
    if header_index is None:
        raise TableError(
            f"{path.name}: не найдена строка заголовков (ожидались коды показателей и поля сведений об ОО)"
        )
    headers = [_text(v) for v in rows[header_index]]
    columns = _map_columns(headers, config)
    for col, header in enumerate(headers):
        if header and col not in columns:
            table.problems.append(
                make_problem(
                    "table-column-unknown",
                    file=table.file,
                    sheet=sheet,
                    cell=f"{column_letter(col)}{header_index + 1}",
                    value=header,
                )
            )
    present = set(columns.values())
    for target, title in _needed_columns(config):
        if target not in present:
            table.problems.append(
                make_problem("table-column-missing", file=table.file, sheet=sheet, value=title)
            )
    for r in range(header_index + 1, len(rows)):
        row = rows[r]
        if all(_blank(v) for v in row):
            continue
        table.forms.append(_row_form(table.file, sheet, r, row, columns, config))
    return table


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _row_form(
    file: str,
    sheet: str,
    r: int,
    row: list[CellValue],
    columns: dict[int, tuple[str, str, str]],
    config: Config,
) -> RawForm:
    form = RawForm(
        file=f"{file}, строка {r + 1}",
        form_id=config.monitoring.id,
        form_version=config.monitoring.form_version,
    )
    for code in (ind.code for ind in config.indicators()):
        form.indicators[code] = {}
    for col, (kind, name, part) in columns.items():
        value = row[col] if col < len(row) else None
        if isinstance(value, str) and value.strip() in MISSING_TEXTS:
            value = None
        cell = RawCell(sheet=sheet, cell=f"{column_letter(col)}{r + 1}", value=value)
        if kind == "field":
            form.fields[name] = cell
        else:
            form.indicators[name][part] = cell
    return form


def _needed_columns(config: Config) -> list[tuple[tuple[str, str, str], str]]:
    """Columns without which a row cannot be checked: required fields and every input cell."""
    needed = [(("field", f.key, ""), f.key) for f in config.school_fields if f.required]
    for ind in config.indicators():
        for part in ind.input_cells:
            needed.append(
                (("indicator", ind.code, part), ind.code if part == "value" else f"{ind.code}.{part}")
            )
    return needed


def _map_columns(headers: list[str], config: Config) -> dict[int, tuple[str, str, str]]:
    """Column index → (``field``, key, "") or (``indicator``, code, part)."""
    names: dict[str, tuple[str, str, str]] = {}
    for school_field in config.school_fields:
        target = ("field", school_field.key, "")
        names[_norm(school_field.key)] = target
        names.setdefault(_norm(school_field.label), target)
    codes = {_norm(ind.code): ind for ind in config.indicators()}
    columns: dict[int, tuple[str, str, str]] = {}
    taken: set[tuple[str, str, str]] = set()
    for col, header in enumerate(headers):
        key = _norm(header)
        if not key:
            continue
        target = names.get(key)
        if target is None:
            target = _indicator_column(key, codes)
        if target is None or target in taken:
            continue
        columns[col] = target
        taken.add(target)
    return columns


def _indicator_column(key: str, codes: dict) -> tuple[str, str, str] | None:
    ind = codes.get(key)
    if ind is not None:
        part = "value" if ind.type != IndicatorType.share else ""
        return ("indicator", ind.code, part) if part else None
    match = _SPLIT_PART.match(key)
    if not match:
        return None
    ind = codes.get(match["code"])
    part = _PART_WORDS.get(match["part"])
    if ind is None or part is None:
        return None
    if part != "comment" and part not in ind.input_cells:
        return None
    return ("indicator", ind.code, part)


def _find_header_row(rows: list[list[CellValue]], config: Config) -> int | None:
    """The first row (of the first few) in which at least two cells name fields or indicators."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if len(_map_columns([_text(v) for v in row], config)) >= 2:
            return r
    return None


def _read_rows(path: Path) -> tuple[str, list[list[CellValue]]]:
    """(sheet name for messages, rows as Python values)."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise TableError(f"сводная таблица {path} не найдена")
    if suffix in (".csv", ".txt"):
        return path.name, _read_csv(path)
    if suffix not in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise TableError(f"{path.name}: ожидалась таблица .xlsx, .xls, .ods или .csv")
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        name = workbook.sheet_names[0]
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several exception types of its own
        raise TableError(f"{path.name}: таблица не прочитана ({exc})") from None
    return name, [list(row) for row in rows]


def _read_csv(path: Path) -> list[list[CellValue]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or value.strip() in MISSING_TEXTS))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("ё", "е"))
