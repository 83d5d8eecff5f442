"""Finds submissions in a folder and reads each workbook into raw cells with locations.

(The reading functions are being written; the data model below is the contract with
values.py and validate.py.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

CellValue = str | float | int | bool | dt.date | dt.datetime | None


@dataclass(slots=True)
class RawCell:
    """One cell as the reader saw it, before any interpretation."""

    sheet: str
    cell: str  # A1 address, e.g. "E14"
    value: CellValue  # what the reader returned ("" and None both mean empty)
    error: str | None = None  # Excel error text such as "#DIV/0!", when the reader can see it
    formula_without_value: bool = False  # a formula that was never calculated
    percent_format: bool = False  # the cell is formatted as a percentage (0.3 shown as 30 %)


@dataclass(slots=True)
class RawForm:
    """A workbook recognised as (some version of) the monitoring form."""

    file: str  # path relative to the input folder
    form_id: str = ""  # from the stamp; "" when recognised by headers only
    form_version: str = ""
    stamp_codes: list[str] = field(default_factory=list)  # indicator codes listed in the stamp
    fields: dict[str, RawCell] = field(default_factory=dict)  # school field key → value cell
    # indicator code → {"value" | "numerator" | "denominator" | "comment": cell}
    indicators: dict[str, dict[str, RawCell]] = field(default_factory=dict)
    unknown_codes: list[RawCell] = field(default_factory=list)  # code cells not in the config
