"""The workbook around the streamed sheets: opened with ranking.xlsx's formats, closed (zipped)
at a lower deflate level than xlsxwriter's own. In this process (``ranking``) or in the
workbook's worker (``remote``): the same file either way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .stream import StreamSheet

SCORE_FORMAT = "0.0"  # scores and shares: one decimal shown, full precision kept


def open_workbook(path: Path, *, fast: bool = True) -> tuple[Any, Callable[..., StreamSheet]]:
    """A streamed xlsxwriter workbook at ``path`` (no cell becomes a formula, a link or a
    number it was not) with the workbook's formats, and its sheet factory ``(name, header,
    **options) → StreamSheet``; close it with :func:`close_workbook`."""
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    formats = {
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1}
        ),
        "score": book.add_format({"num_format": SCORE_FORMAT}),
        "number": book.add_format({"num_format": SCORE_FORMAT}),
        "whole": book.add_format({"num_format": "0"}),
        "normalised": book.add_format({"bg_color": "#FFE699", "num_format": SCORE_FORMAT}),
        "normalised_whole": book.add_format({"bg_color": "#FFE699", "num_format": "0"}),
        "normalised_text": book.add_format({"bg_color": "#FFE699"}),
        "note": book.add_format({"italic": True}),
        "flag": book.add_format({"bold": True, "font_color": "#9C0006"}),
    }
    text_cache: dict[str, str] = {}  # names recur on every sheet: escape them once

    def sheet(name: str, header: list[str], **options: Any) -> StreamSheet:
        return StreamSheet(book, formats, name, header, fast=fast, text_cache=text_cache, **options)

    return book, sheet


ZIP_LEVEL = 2  # deflate level of the workbook's parts
RANKING_XLSX = "ranking.xlsx"  # the run's workbook (writers.tables writes it first)


def close_workbook(book: Any) -> None:
    """Close (that is, write) an xlsxwriter workbook, its parts deflated at :data:`ZIP_LEVEL`.

    xlsxwriter zips at zlib's default level (6) and has no option for it. A region's
    ranking.xlsx holds 320 MB of sheet XML (40 000 schools): at level 2 it is zipped in
    1.3 s instead of 4.6 s, and the file is 37 MB instead of 28. The ZipFile that
    xlsxwriter's module uses is swapped for the close only (without it, as in an
    xlsxwriter that no longer has it, the file is the same at level 6).
    """
    import functools

    import xlsxwriter.workbook as module

    original = getattr(module, "ZipFile", None)
    if original is None:
        book.close()
        return
    module.ZipFile = functools.partial(original, compresslevel=ZIP_LEVEL)
    try:
        book.close()
    finally:
        module.ZipFile = original
