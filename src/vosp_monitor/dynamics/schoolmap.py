"""The school map (``--school-map``): last year's codes → this year's, for renamed and merged schools.

Schools are matched across years by their code as a person reads it (``text.code_key``).
When a school got a new code, or several schools were merged into one, the analyst lists
it in a small table (xlsx, ods or csv, read like the registry by ``tabular``): one row
per *old* code with the code it has now. Several old codes may lead to one new code (a
merger); one old code may not lead to two (a split cannot be compared school by school,
so it is refused with the row named), and an old code may not be one a school still has this
year (:meth:`SchoolMap.refuse_codes_still_present`). The headers are recognised loosely («Прежний код»,
«Код в прошлом году», «old» … and «Новый код», «Код в этом году», «new» …); a table of
two columns without a header row is read as old → new.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import VospError, unopenable
from ..ingest.raw import cell_text
from ..ingest.tabular import read_rows
from ..layout import normalise_header
from ..words.text import clip, code_key, normalise_code

OLD_HEADERS = (
    "прежний код",
    "старый код",
    "код в прошлом году",
    "код прошлого года",
    "прошлый год",
    "было",
    "old",
    "old code",
)
NEW_HEADERS = ("новый код", "код в этом году", "код этого года", "этот год", "стало", "new", "new code")


class SchoolMapError(VospError):
    """The school map cannot be used; the message is in Russian."""


@dataclass(frozen=True, slots=True)
class SchoolMap:
    """(old code, new code) pairs as written, in the file's order (``rows``: their rows in ``file``)."""

    pairs: tuple[tuple[str, str], ...]
    rows: tuple[int, ...] = ()
    file: str = ""

    def old_codes(self) -> set[str]:
        """The keys (``code_key``) of every old code the map names."""
        return {code_key(old) for old, _ in self.pairs}

    def refuse_codes_still_present(self, present: Iterable[str]) -> None:
        """A school cannot have moved to another code and still send a form under its own: a
        row whose old code is among ``present`` (this year's schools) is an error, never a
        merger with a «new» school of the same code."""
        now = {code_key(code) for code in present}
        for k, (old, new) in enumerate(self.pairs):
            if code_key(old) != code_key(new) and code_key(old) in now:
                row = f", строка {self.rows[k]}" if k < len(self.rows) else ""
                raise SchoolMapError(
                    f"{self.file or 'таблица соответствия кодов'}{row}: прежний код «{old}» указан как перешедший "
                    f"в «{new}», но ОО с кодом «{old}» есть и в этом году. ОО не может одновременно получить новый "
                    "код и остаться с прежним: уберите строку или исправьте код"
                )


def _header(row: list[str]) -> tuple[int, int] | None:
    names = [normalise_header(cell) for cell in row]
    old = next((i for i, name in enumerate(names) if name in OLD_HEADERS), None)
    new = next((i for i, name in enumerate(names) if name in NEW_HEADERS), None)
    return None if old is None or new is None else (old, new)


def read_school_map(path: Path | str) -> SchoolMap:
    """Read the map; raises :class:`SchoolMapError` naming the file and row when it is unusable."""
    path = Path(path)
    if not path.is_file():
        raise unopenable(SchoolMapError(f"таблица соответствия кодов ОО {path} не найдена"))
    _sheet, table = read_rows(path, SchoolMapError)
    rows = [(number, [clip(cell_text(v)) for v in row]) for number, row in enumerate(table, start=1)]
    rows = [(number, row) for number, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise SchoolMapError(f"{path.name}: таблица соответствия кодов ОО пуста")
    columns = _header(rows[0][1])
    if columns is not None:
        rows = rows[1:]
    elif len([cell for cell in rows[0][1] if cell.strip()]) == 2:
        first = [i for i, cell in enumerate(rows[0][1]) if cell.strip()]
        columns = (first[0], first[1])
    else:
        raise SchoolMapError(
            f"{path.name}: не найдены столбцы «Прежний код» и «Новый код» (или таблица из двух столбцов: "
            "прежний код, новый код)"
        )
    pairs: list[tuple[str, str]] = []
    numbers: list[int] = []
    seen: dict[str, tuple[int, str]] = {}
    for number, row in rows:
        row = row + [""] * (max(columns) + 1 - len(row))
        old, new = normalise_code(row[columns[0]]), normalise_code(row[columns[1]])
        if not old and not new:
            continue
        if not old or not new:
            raise SchoolMapError(f"{path.name}, строка {number}: нужны оба кода — прежний и новый")
        earlier = seen.get(code_key(old))
        if earlier is not None and code_key(earlier[1]) != code_key(new):
            raise SchoolMapError(
                f"{path.name}, строка {number}: код «{old}» уже указан в строке {earlier[0]} с новым кодом "
                f"«{earlier[1]}»; разделение ОО на несколько сравнить по школам нельзя"
            )
        if earlier is None:
            seen[code_key(old)] = (number, new)
            pairs.append((old, new))
            numbers.append(number)
    return SchoolMap(tuple(pairs), tuple(numbers), path.name)
