"""One open workbook: sheets as python-calamine reads them, cells as the form reader needs them.

Parsing happens from the bytes pre-flight already checked (``preflight``), one sheet at
a time and only the sheets the form needs; an xlsx sheet's XML is checked before calamine
sees it (``sheetxml.checked_sheet_xml``). A cell leaves here as a
:class:`~vosp_monitor.ingest.raw.RawCell`: its text bounded (``raw.bounded_cell``), and, where it
matters, told apart from an error cell, an uncalculated formula or a percent format.

Which sheets are hidden is known here too: what is scored must be what the school sees,
so the reader never takes data from a hidden sheet (:attr:`Book.hidden`).
"""

from __future__ import annotations

import io
from typing import Any

from ..words.text import TEXT_LIMIT, clip
from .preflight import Package, check_extent
from .raw import RawCell, Rejected, bounded_cell, cell_address, plain
from .sheetxml import cell_details, checked_sheet_xml, percent_cells, percent_styles

SHEET_NAME_LIMIT = 100  # characters of a sheet name kept in locations (Excel allows 31)


class Book:
    """The open workbook: sheet rows on demand; xlsx cell details only where they matter.

    calamine shows error cells, formulas never calculated and empty cells all as ``""``,
    and a percent-formatted 30 % as 0.3. Telling these apart needs the sheet XML, but only
    for cells that validation reads and that are empty, or that hold a number in a percent
    indicator's cell; a correctly filled form needs neither pass (see :meth:`cell`).
    """

    def __init__(self, data: bytes, package: Package) -> None:
        from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

        self.package = package
        try:
            self.workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            metadata = self.workbook.sheets_metadata
        except PasswordError:
            raise Rejected("file-encrypted") from None
        except Exception as error:
            raise Rejected("file-corrupt", f"структура книги нарушена ({short_error(error)})") from None
        self.names: list[str] = [sheet.name for sheet in metadata]
        self.hidden = frozenset(sheet.name for sheet in metadata if sheet.visible != SheetVisibleEnum.Visible)
        self._rows: dict[str, list[list[Any]]] = {}
        self._xml: dict[str, bytes] = {}  # sheet → its XML (xlsx), kept for the detail passes
        self._details: dict[str, dict[str, tuple[str | None, bool]]] = {}
        self._percent: dict[str, frozenset[str]] = {}
        self._labels: dict[str, str] = {}  # sheet → the name as locations carry it
        self._percent_styles: frozenset[int] | None = None

    def rows(self, name: str) -> list[list[Any]]:
        if name not in self._rows:
            part = self.package.sheet_parts.get(name)
            if part is not None and self.package.archive is not None:
                self._xml[name] = checked_sheet_xml(
                    sheet_label(name), part, self.package.archive.read_cells(part)
                )
            try:
                rows = self.workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as error:
                raise Rejected(
                    "file-corrupt", f"лист «{sheet_label(name)}» не читается ({short_error(error)})"
                ) from None
            check_extent(sheet_label(name), len(rows), max(map(len, rows), default=0))
            self._rows[name] = rows
        return self._rows[name]

    def cell(
        self, sheet: str, row: int, column: int, *, details: bool = True, percent: bool = False
    ) -> RawCell:
        """One cell; ``details``: tell empty from error and uncalculated formula cells;
        ``percent``: the cell is a percent indicator's, so a percent format matters."""
        rows = self._rows.get(sheet)
        if rows is None:
            rows = self.rows(sheet)
        line = rows[row] if row < len(rows) else ()
        value = plain(line[column]) if column < len(line) else None
        address = cell_address(row, column)
        label = self._labels.get(sheet)
        if label is None:
            label = self._labels[sheet] = sheet_label(sheet)
        if type(value) is str and len(value) > TEXT_LIMIT:
            cell = bounded_cell(label, address, value)
        else:  # every cell of every form comes here: no call where nothing needs cutting
            cell = RawCell(label, address, value)
        xml = self._xml.get(sheet)
        if xml is None or not details:
            return cell
        if value == "" or value is None:
            if sheet not in self._details:
                self._details[sheet] = cell_details(xml)
            error, cell.formula_without_value = self._details[sheet].get(address, (None, False))
            cell.error = clip(error, 100) if error is not None else None
        elif percent and type(value) in (int, float) and self.percent_styles():
            if sheet not in self._percent:
                self._percent[sheet] = percent_cells(xml, self.percent_styles())
            cell.percent_format = address in self._percent[sheet]
        return cell

    def percent_styles(self) -> frozenset[int]:
        """Style ids with a percent format (xlsx), read from styles.xml on first use."""
        if self._percent_styles is None:
            archive = self.package.archive
            styles = b""
            if archive is not None and "xl/styles.xml" in archive.members:
                styles = archive.read("xl/styles.xml")
            self._percent_styles = percent_styles(styles)
        return self._percent_styles

    def details_of(self, sheet: str) -> dict[str, tuple[str | None, bool]]:
        """The error/formula pass of one sheet read earlier (for benchmarks/read_one.py)."""
        return cell_details(self._xml[sheet])

    def close(self) -> None:
        self.workbook.close()
        if self.package.archive is not None:
            self.package.archive.close()


def short_error(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error)[:120]}"


def sheet_label(name: str) -> str:
    """A sheet name as locations carry it: bounded (a crafted file may hold any length)."""
    return clip(name, SHEET_NAME_LIMIT)
