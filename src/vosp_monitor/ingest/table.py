"""A consolidated table (свод) as input: one row per school, one column per field and indicator.

Authorities that collect answers through an online form or a regional system hold one
sheet instead of a folder of forms. Each row becomes a :class:`RawForm` whose cells carry
the table's sheet name and the A1 address of that row and column, so the same
:func:`validate.check_submission` applies and every problem is located by row and column.

Header cells are matched as ``layout.normalise_header`` compares headers (case, spaces
and «ё» ignored): a school field by its key (``students``) or its label («Численность
обучающихся, чел.»); an indicator by its code (``UPR-2``, compared as ``ingest.fold_code``
compares codes), a share's parts by ``CODE.numerator`` / ``CODE.denominator`` or by the
form's own column headers, ``CODE числитель`` / ``CODE знаменатель`` (``layout``), a
computed indicator's inputs by ``CODE.key`` (``ROD-6.r1``, as the form's input rows are
coded; a column of the computed value itself is read and ignored), a comment by
``CODE.comment``. Empty cells and the texts ``NA``, ``NaN``, ``N/A`` (what R
and pandas write for a missing value) are empty. The file is read by ``tabular`` (first
sheet, or CSV with its encoding and delimiter sniffed); every text is bounded as in a
form (``raw.bounded_cell``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..config import Config, Indicator, IndicatorType
from ..errors import VospError, unopenable
from ..layout import normalise_header
from ..problems import Problem, make_problem
from ..words.text import clip
from . import fold_code
from .raw import CellValue, RawForm, bounded_cell, cell_text, column_letter
from .tabular import read_rows

HEADER_SCAN_ROWS = 20
MISSING_TEXTS = frozenset({"NA", "NaN", "N/A", "nan", "<NA>"})
_PARTS = ("value", "numerator", "denominator", "comment")
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
    if not path.is_file():
        raise unopenable(TableError(f"сводная таблица {path} не найдена"))
    sheet, rows = read_rows(path, TableError)
    table = Table(file=path.name)
    header_index = _find_header_row(rows, config)
    if header_index is None:
        raise TableError(
            f"{path.name}: не найдена строка заголовков (ожидались коды показателей и поля сведений об ОО)"
        )
    headers = [clip(cell_text(v)) for v in rows[header_index]]
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
        cell = bounded_cell(sheet, f"{column_letter(col)}{r + 1}", value)
        if kind == "field":
            form.fields[name] = cell
        else:
            form.indicators[name][part] = cell
    return form


def _needed_columns(config: Config) -> list[tuple[tuple[str, str, str], str]]:
    """Columns without which a row cannot be checked: required fields and every input cell."""
    needed = [(("field", f.key, ""), f.key) for f in config.school_fields if f.required]
    for ind in config.indicators():
        for item in ind.inputs:
            needed.append((("indicator", ind.code, item.key), layout.input_code(ind.code, item.key)))
        for part in ind.input_cells:
            needed.append(
                (("indicator", ind.code, part), ind.code if part == "value" else f"{ind.code}.{part}")
            )
    return needed


def _map_columns(headers: list[str], config: Config) -> dict[int, tuple[str, str, str]]:
    """Column index → (``field``, key, "") or (``indicator``, code, part)."""
    names: dict[str, tuple[str, str, str]] = {}
    for school_field in config.school_fields:
        field_target = ("field", school_field.key, "")
        names[normalise_header(school_field.key)] = field_target
        names.setdefault(normalise_header(school_field.label), field_target)
    codes = {fold_code(ind.code): ind for ind in config.indicators()}
    columns: dict[int, tuple[str, str, str]] = {}
    taken: set[tuple[str, str, str]] = set()
    for col, header in enumerate(headers):
        if not header or len(header) > layout.HEADER_TEXT_LIMIT:
            continue
        target = names.get(normalise_header(header)) or _indicator_column(header, codes)
        if target is None or target in taken:
            continue
        columns[col] = target
        taken.add(target)
    return columns


def _indicator_column(header: str, codes: dict[str, Indicator]) -> tuple[str, str, str] | None:
    """An indicator's value column («UPR-2») or a part of it («UPR-5.numerator», «UPR-5 числитель»)."""
    ind = codes.get(fold_code(header))
    if ind is not None:  # a computed indicator's own value is computed again from its inputs
        return ("indicator", ind.code, "value") if ind.type != IndicatorType.share else None
    code, dot, key = header.strip().partition(layout.INPUT_SEPARATOR)  # codes never hold a dot
    ind = codes.get(fold_code(code)) if dot else None
    inputs = {item.key.lower(): item.key for item in ind.inputs} if ind else {}  # keys differ beyond case
    if ind is not None and key.strip().lower() in inputs:
        return ("indicator", ind.code, inputs[key.strip().lower()])
    match = _SPLIT_PART.match(normalise_header(header))
    if not match:
        return None
    ind = codes.get(fold_code(match["code"]))
    part = _part(match["part"])
    if ind is None or part is None:
        return None
    if part != "comment" and part not in ind.input_cells:
        return None
    return ("indicator", ind.code, part)


def _part(word: str) -> str | None:
    """A part named in English (``numerator``) or by the form's column header («числитель»)."""
    if word in _PARTS:
        return word
    return layout.role_of(layout.INDICATOR_COLUMNS, word, _PARTS)


def _find_header_row(rows: list[list[CellValue]], config: Config) -> int | None:
    """The first row (of the first few) in which at least two cells name fields or indicators."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if len(_map_columns([cell_text(v) for v in row], config)) >= 2:
            return r
    return None


def _blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or value.strip() in MISSING_TEXTS))
