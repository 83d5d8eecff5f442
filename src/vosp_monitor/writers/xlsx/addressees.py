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
from pathlib import Path

from ...report.addressees import DecisionSet, addressee_header, addressee_rows, by_territory
from ...report.roster import ADDRESSEES_SHEET
from ...results import Results
from .book import RANKING_XLSX
from .stream import Sheet, SheetMaker

INTRO = (
    "ОО, которых называет или пересчитывает каждый пункт проекта приказа, и почему; значение и оценка "
    "показателя (для зоны риска и лидеров — итоговый балл) и место ОО в рейтинге. Номер пункта — как в "
    "проекте приказа; столбец «Почему названа» удобно фильтровать."
)


def addressees_sheet(sheet: SheetMaker, results: Results, sets: Sequence[DecisionSet]) -> None:
    header = addressee_header(by_territory(sets))
    out: Sheet = sheet(ADDRESSEES_SHEET, header, freeze_cols=4, intro=INTRO)
    tail: list[str | None] = ["number", "score", None]  # «Значение», «Оценка», «Место в рейтинге»
    styles = [None] * (len(header) - len(tail)) + tail
    for row in addressee_rows(results, sets):
        out.write_row(row, styles)
    out.finish()


def stale_addressees(folder: Path, results: Results) -> str:
    """A warning for ``report`` when ranking.xlsx in ``folder`` (beside results.json: the run's
    tables) lacks the «Адресаты решений» the order points to, or has it as an earlier version
    wrote it ("" when it matches).

    ``report`` rewrites the documents from results.json but never the tables ``score``
    wrote: a folder scored by an earlier version has a workbook whose sheet the new order's
    «перечень — в …» would send a reader to in vain.
    """
    import zipfile

    import openpyxl

    path = folder / RANKING_XLSX
    expected = addressee_header(results.territories is not None)  # a region's sets are municipalities'
    found: list[object] = []
    try:
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            if ADDRESSEES_SHEET in book.sheetnames:
                rows = book[ADDRESSEES_SHEET].iter_rows(min_row=2, max_row=2, values_only=True)
                found = [value for value in next(rows, ()) if value is not None]
        finally:
            book.close()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        found = []
    if found == expected:
        return ""
    return (
        f"Внимание: проект приказа ссылается на лист «{ADDRESSEES_SHEET}» файла {path}, а в этом файле "
        + ("такого листа нет" if not found else "лист записан более ранней версией vosp-monitor")
        + " (report не переписывает таблицы, записанные командой score). Чтобы перечни ОО совпадали с "
        "приказом, запустите score по тем же формам заново."
    )
