"""ranking.xlsx sheet «Адресаты решений»: the schools of each management decision, and why.

Above ``analysis.appendix_schools`` the order counts the schools of an item and sends the
reader here («перечень — в … лист «Адресаты решений»»); the rows are
:func:`report.addressees.addressee_rows`, written from the decisions the справка's view made
(``pipeline.writing`` passes them), in every run, so the workbook has the same sheets at
every size. Written with no decisions (a caller without the справка's view), it has its
header only.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...report.addressees import DecisionSet, addressee_header, addressee_rows
from ...report.roster import ADDRESSEES_SHEET
from ...results import Results
from .stream import Sheet, SheetMaker

INTRO = (
    "ОО, которых называет или пересчитывает каждый пункт проекта приказа, и почему; значение и оценка "
    "показателя (для зоны риска и лидеров — итоговый балл) и место ОО в рейтинге. Номер пункта — как в "
    "проекте приказа; столбец «Почему названа» удобно фильтровать."
)


def addressees_sheet(sheet: SheetMaker, results: Results, sets: Sequence[DecisionSet]) -> None:
    header = addressee_header(sets)
    out: Sheet = sheet(ADDRESSEES_SHEET, header, freeze_cols=4, intro=INTRO)
    tail: list[str | None] = ["number", "score", None]  # «Значение», «Оценка», «Место в рейтинге»
    styles = [None] * (len(header) - len(tail)) + tail
    for row in addressee_rows(results, sets):
        out.write_row(row, styles)
    out.finish()
