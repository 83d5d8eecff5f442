"""Finds submissions in a folder and reads each workbook into raw cells with locations.

Reading is safe on hostile input and split along its seams:

* ``discovery`` — which files under the input folder are read, and what is skipped and why;
  ``archive`` — zip archives of forms read as folders;
* ``reader`` — one file: pre-flight (``preflight``), then :class:`FormReader` (built once
  per run, sent to the worker processes) or :func:`read_form` for a single file;
* ``book`` — the open workbook (python-calamine), visible and hidden sheets, bounded cells;
* ``sheetxml`` — what calamine hides, from the sheet XML: error cells, formulas without a
  value, percent formats, the real extent;
* ``recognise`` — the stamp, the indicator rows and the school fields, found by content
  through ``layout``.

The result (``raw.RawForm`` of ``raw.RawCell``) is the contract with values.py and
validate.py.
"""

from __future__ import annotations

from .archive import Source
from .discovery import WORKBOOK_SUFFIXES, Found, discover
from .raw import CellValue, RawCell, RawForm
from .reader import FormReader, read_form
from .recognise import fold_code

__all__ = [
    "WORKBOOK_SUFFIXES",
    "CellValue",
    "FormReader",
    "Found",
    "RawCell",
    "RawForm",
    "Source",
    "discover",
    "fold_code",
    "read_form",
]
