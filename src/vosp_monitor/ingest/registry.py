"""The registry of expected schools (``--schools FILE``): xlsx, ods or csv.

Authorities keep this list in Excel or export it from a regional system as CSV, often in
Windows-1251 with semicolons (read by ``tabular``). The first non-empty row holds headers;
the code column is found by its header («Код ОО», «код», «code»), the name column likewise
(«Наименование», «name»), compared as ``layout.normalise_header`` compares headers. Every
text is cut to ``text.TEXT_LIMIT``; a code repeated (also as a look-alike, ``text.code_key``)
counts once.

A regional registry says where each school belongs: a column «Муниципалитет» (or
«Муниципальный район», «Муниципальное образование», «Муниципальный округ», «Городской
округ», «Территория», «МО») gives the territory, and a column «Регион» («Субъект РФ») the
level above it in a country-wide run. No setting is needed; a district registry without
them reads as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import VospError, unopenable
from ..layout import normalise_header
from ..words.text import clip, code_key
from .raw import cell_text
from .tabular import read_rows

CODE_HEADERS = ("код оо", "код", "code", "код школы", "код организации")
NAME_HEADERS = (
    "наименование",
    "наименование оо",
    "название",
    "name",
    "школа",
    "полное наименование оо",
)
TERRITORY_HEADERS = (
    "муниципалитет",
    "муниципальный район",
    "муниципальное образование",
    "муниципальный округ",
    "городской округ",
    "территория",
    "мо",
)
PARENT_HEADERS = ("регион", "субъект рф", "субъект российской федерации", "субъект")


class RegistryError(VospError):
    """The registry cannot be used; the message is in Russian."""


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    code: str
    name: str
    extra: tuple[tuple[str, str], ...] = ()  # other columns, header → text (for prefilled forms)
    territory: tuple[str, ...] = ()  # (region, municipality), (municipality,) or () when not given


def _find_column(headers: list[str], candidates: tuple[str, ...]) -> int | None:
    normalised = [normalise_header(h) for h in headers]
    for candidate in candidates:
        if candidate in normalised:
            return normalised.index(candidate)
    return None


def read_registry(path: Path | str) -> list[RegistryEntry]:
    """Read the expected schools; raises :class:`RegistryError` with a Russian message."""
    path = Path(path)
    if not path.is_file():
        raise unopenable(RegistryError(f"реестр школ {path} не найден"))
    _sheet, table = read_rows(path, RegistryError)
    rows = [row for row in ([clip(cell_text(v)) for v in row] for row in table) if any(row)]
    if not rows:
        raise RegistryError(f"{path.name}: реестр пуст")
    headers = rows[0]
    code_col = _find_column(headers, CODE_HEADERS)
    if code_col is None:
        raise RegistryError(f"{path.name}: не найден столбец с кодом ОО (заголовок «Код ОО» или «code»)")
    name_col = _find_column(headers, NAME_HEADERS)
    levels = [
        c
        for c in (_find_column(headers, PARENT_HEADERS), _find_column(headers, TERRITORY_HEADERS))
        if c is not None
    ]
    entries: list[RegistryEntry] = []
    seen: set[str] = set()
    for row in rows[1:]:
        row = row + [""] * (len(headers) - len(row))
        code = row[code_col]
        if not code or code_key(code) in seen:
            continue
        seen.add(code_key(code))
        extra = tuple(
            (headers[i], row[i]) for i in range(len(headers)) if i not in (code_col, name_col) and headers[i]
        )
        name = row[name_col] if name_col is not None else ""
        entries.append(RegistryEntry(code, name, extra, _territory(row[c] for c in levels)))
    return entries


def _territory(parts: Iterable[str]) -> tuple[str, ...]:
    """The names, upper level first (a name may be "" where the row leaves it empty); () when
    the row names no territory at all. Grouping decides what an incomplete path means."""
    names = tuple(part.strip() for part in parts)
    return names if any(names) else ()
