"""The registry of expected schools (``--schools FILE``): xlsx, ods or csv.

Authorities keep this list in Excel or export it from a regional system as CSV, often in
Windows-1251 with semicolons. The first row holds headers; the code column is found by
its header («Код ОО», «код», «code»), the name column likewise («Наименование», «name»).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import VospError

CODE_HEADERS = ("код оо", "код", "code", "код школы", "код организации")
NAME_HEADERS = (
    "наименование",
    "наименование оо",
    "название",
    "name",
    "школа",
    "полное наименование оо",
)


class RegistryError(VospError):
    """The registry cannot be used; the message is in Russian."""


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    code: str
    name: str
    extra: tuple[tuple[str, str], ...] = ()  # other columns, header → text (for prefilled forms)


def read_table_rows(path: Path) -> list[list[object]]:
    """All rows of the first sheet (xlsx/xlsm/xls/ods) or of a CSV file, as Python values."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return [list(row) for row in _read_csv(path)]
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            return [list(row) for row in sheet.to_python(skip_empty_area=False)]
        except Exception as exc:  # calamine raises several of its own exception types
            raise RegistryError(f"{path.name}: файл не прочитан ({exc})") from None
    raise RegistryError(f"{path.name}: ожидался файл .xlsx, .ods или .csv")


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes any byte string
        raise RegistryError(f"{path.name}: неизвестная кодировка")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def cell_text(value: object) -> str:
    """A cell as text; whole floats lose their «.0» (codes typed as numbers)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _find_column(headers: list[str], candidates: tuple[str, ...]) -> int | None:
    normalised = [h.strip().lower().replace("ё", "е") for h in headers]
    for candidate in candidates:
        if candidate in normalised:
            return normalised.index(candidate)
    return None


def read_registry(path: Path | str) -> list[RegistryEntry]:
    """Read the expected schools; raises :class:`RegistryError` with a Russian message."""
    path = Path(path)
    if not path.is_file():
        raise RegistryError(f"реестр школ {path} не найден")
    rows = [[cell_text(v) for v in row] for row in read_table_rows(path)]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise RegistryError(f"{path.name}: реестр пуст")
    headers = rows[0]
    code_col = _find_column(headers, CODE_HEADERS)
    if code_col is None:
        raise RegistryError(f"{path.name}: не найден столбец с кодом ОО (заголовок «Код ОО» или «code»)")
    name_col = _find_column(headers, NAME_HEADERS)
    entries: list[RegistryEntry] = []
    seen: set[str] = set()
    for row in rows[1:]:
        row = row + [""] * (len(headers) - len(row))
        code = row[code_col]
        if not code or code in seen:
            continue
        seen.add(code)
        extra = tuple(
            (headers[i], row[i]) for i in range(len(headers)) if i not in (code_col, name_col) and headers[i]
        )
        entries.append(
            RegistryEntry(code=code, name=row[name_col] if name_col is not None else "", extra=extra)
        )
    return entries
