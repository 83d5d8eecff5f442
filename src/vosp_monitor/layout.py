"""The layout of the school form: the one contract between the form writer and every reader.

The writer (form/) lays the workbook out from these names and texts; the readers
(ingest, formfill, table) find sheets, header rows, columns and the stamp by the same
names and texts, so renaming a header here changes writing and reading together.
"""

from __future__ import annotations

SHEET_INSTRUCTIONS = "Инструкция"
SHEET_FIELDS = "Сведения об ОО"
SHEET_INDICATORS = "Показатели"
SHEET_LISTS = "_lists"  # hidden: the option lists behind drop-downs
SHEET_STAMP = "_vosp"  # hidden: which monitoring and form version this is

FIELD_HEADERS = ("Сведения", "Значение", "Пояснение")
FIELD_HEADER_ROW = 3
INDICATOR_HEADERS = (
    "Код",
    "Показатель",
    "Единица",
    "Значение",
    "Числитель",
    "Знаменатель",
    "Комментарий / подтверждающий документ",
)
INDICATOR_HEADER_ROW = 4
