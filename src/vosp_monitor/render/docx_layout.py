"""Table widths after rendering: columns that loops repeated, fitted to the table's width.

A template table says how wide it is (``w:tblW`` in twips) and how its columns share that
width (each cell's ``w:tcW``). Once docxtpl has repeated the columns of a loop (the blocks
of the ranking, the years of the dynamics), the row is wider or narrower than planned and
the grid no longer matches; Word and LibreOffice then draw the table off the page or
squeezed. :func:`fit_tables` scales the widest row's cells to the table's width and writes
the grid and every cell's width from them, so a ranking with 3 blocks or 7 fits the page.
"""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fit_tables(root: Any) -> None:
    """Fit every table under ``root`` that has a fixed width (``w:tblW w:type="dxa"``)."""
    for table in root.iter(f"{W}tbl"):
        props = table.find(f"{W}tblPr")
        width = None if props is None else props.find(f"{W}tblW")
        if width is None or width.get(f"{W}type") != "dxa":
            continue
        total = int(width.get(f"{W}w", "0"))
        rows = table.findall(f"{W}tr")
        if total <= 0 or not rows:
            continue
        columns = _columns(rows)
        if not columns:
            continue
        scale = total / sum(columns)
        fitted = [max(1, round(w * scale)) for w in columns]
        _write_grid(table, fitted)
        for row in rows:
            _write_cells(row, fitted)


def _cells(row: Any) -> list[tuple[Any, int]]:
    """The row's cells with the number of grid columns each spans."""
    out = []
    for cell in row.findall(f"{W}tc"):
        span = cell.find(f"{W}tcPr/{W}gridSpan")
        out.append((cell, int(span.get(f"{W}val", "1")) if span is not None else 1))
    return out


def _columns(rows: list[Any]) -> list[float]:
    """Column widths from the row with the most cells that spans nothing (its tcW values)."""
    best: list[float] = []
    for row in rows:
        cells = _cells(row)
        if any(span > 1 for _, span in cells) or len(cells) <= len(best):
            continue
        widths = []
        for cell, _ in cells:
            tcw = cell.find(f"{W}tcPr/{W}tcW")
            widths.append(float(tcw.get(f"{W}w", "0")) if tcw is not None else 0.0)
        if all(w > 0 for w in widths):
            best = widths
    return best


def _write_grid(table: Any, widths: list[int]) -> None:
    from lxml import etree

    grid = table.find(f"{W}tblGrid")
    if grid is None:
        grid = etree.Element(f"{W}tblGrid")
        table.find(f"{W}tblPr").addnext(grid)
    for old in list(grid):
        grid.remove(old)
    for w in widths:
        etree.SubElement(grid, f"{W}gridCol", {f"{W}w": str(w)})


def _write_cells(row: Any, widths: list[int]) -> None:
    column = 0
    for cell, span in _cells(row):
        tcw = cell.find(f"{W}tcPr/{W}tcW")
        if tcw is not None:
            tcw.set(f"{W}w", str(sum(widths[column : column + span])))
            tcw.set(f"{W}type", "dxa")
        column += span
