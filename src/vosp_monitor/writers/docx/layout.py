"""Table widths after rendering: columns that loops repeated, fitted to the table's width.

A template table says how wide it is (``w:tblW`` in twips) and how its columns share that
width (each cell's ``w:tcW``). Once docxtpl has repeated the columns of a loop (the blocks
of the ranking, the years of the dynamics), the row is wider or narrower than planned and
the grid no longer matches; Word and LibreOffice then draw the table off the page or
squeezed. :func:`fit_tables` scales the widest row's cells to the table's width and writes
the grid and every cell's width from them, so a ranking with 3 blocks or 7 fits the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TBL, TBL_PR, TBL_W, TR, TC, TC_PR, TC_W = (
    f"{W}{n}" for n in ("tbl", "tblPr", "tblW", "tr", "tc", "tcPr", "tcW")
)
GRID, GRID_COL, GRID_SPAN = f"{W}tblGrid", f"{W}gridCol", f"{W}gridSpan"
VAL, VAL_W, TYPE = f"{W}val", f"{W}w", f"{W}type"


def fit_tables(root: Any) -> None:
    """Fit every table under ``root`` that has a fixed width (``w:tblW w:type="dxa"``).

    Each row's cells are read once (:func:`_cells`): the ranking of a region is tens of
    thousands of rows.
    """
    for table in root.iter(TBL):
        props = table.find(TBL_PR)
        width = _fixed_width(props)
        if width is None:
            continue
        total = int(width.get(VAL_W, "0"))
        rows = [_cells(row) for row in table.iterchildren(TR)]
        if total <= 0 or not rows:
            continue
        columns = _columns(rows)
        if not columns:
            continue
        scale = total / sum(columns)
        fitted = [max(1, round(w * scale)) for w in columns]
        _write_grid(table, props, fitted)
        for cells in rows:
            _write_cells(cells, fitted)


@dataclass(frozen=True, slots=True)
class TableRepairs:
    """What a template's tables need after rendering, decided once per template.

    Only a column loop (``{%tc for … %}``) changes how many cells a row has: without one,
    every row keeps the template's grid and widths and neither repair does anything, but
    both cost (a letter's tables, fitted and fixed, were half of its time).
    """

    fit: bool  # a column loop somewhere: fit_tables
    fix: bool  # a column loop in a table without a fixed width: docxtpl's fix_tables too

    @classmethod
    def of(cls, document_xml: bytes) -> TableRepairs:
        from lxml import etree

        root = etree.fromstring(document_xml, parser=etree.XMLParser(recover=True, huge_tree=True))
        fit = fix = False
        for table in root.iter(TBL):
            if not _COLUMN_LOOP.search("".join(table.itertext())):
                continue
            fit = True
            fix = fix or _fixed_width(table.find(TBL_PR)) is None
        return cls(fit, fix)


_COLUMN_LOOP = re.compile(r"\{%-?\s*tc\b")


def _fixed_width(props: Any) -> Any:
    """The table's ``w:tblW`` when it is a fixed width (``w:type="dxa"``), else None."""
    width = None if props is None else props.find(TBL_W)
    return width if width is not None and width.get(TYPE) == "dxa" else None


Cell = tuple[Any, int]  # a cell's w:tcW (or None) and how many grid columns it spans


def _cells(row: Any) -> list[Cell]:
    """The row's cells: each with its ``w:tcW`` (or None) and the number of grid columns it spans.

    ``iterchildren`` with a tag runs in C; ``find`` goes through lxml's Python path
    machinery, three times per cell, and a region's ranking has hundreds of thousands.
    """
    out = []
    for cell in row.iterchildren(TC):
        props = next(cell.iterchildren(TC_PR), None)
        if props is None:
            out.append((None, 1))
            continue
        span = next(props.iterchildren(GRID_SPAN), None)
        out.append((next(props.iterchildren(TC_W), None), int(span.get(VAL, "1")) if span is not None else 1))
    return out


def _columns(rows: list[list[Cell]]) -> list[float]:
    """Column widths from the row with the most cells that spans nothing (its tcW values)."""
    best: list[float] = []
    for cells in rows:
        if len(cells) <= len(best) or any(span > 1 for _, span in cells):
            continue
        widths = [float(tcw.get(VAL_W, "0")) if tcw is not None else 0.0 for tcw, _ in cells]
        if all(w > 0 for w in widths):
            best = widths
    return best


def _write_grid(table: Any, props: Any, widths: list[int]) -> None:
    from lxml import etree

    grid = table.find(GRID)
    if grid is None:
        grid = etree.Element(GRID)
        props.addnext(grid)
    for old in list(grid):
        grid.remove(old)
    for w in widths:
        etree.SubElement(grid, GRID_COL, {VAL_W: str(w)})


def _write_cells(cells: list[Cell], widths: list[int]) -> None:
    column = 0
    for tcw, span in cells:
        if tcw is not None:
            tcw.set(VAL_W, str(sum(widths[column : column + span])))
            tcw.set(TYPE, "dxa")
        column += span
