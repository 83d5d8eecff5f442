"""ranking.xlsx sheet «Вычисления»: how each computed value was made (the values audit).

A row per school, as on «Значения», and a column per computed indicator holding the formula
over the numbers the school typed and its result («(12 + 30) / 60 × 100 = 70»), so an analyst
can check any value by hand; a value flagged «мало данных» says so. (indicators.csv names each
input: «r1 = 12; r2 = 30; R = 60».) One text cell per school and indicator: a region's 40 000
schools × 20 formulas stay a sheet of 40 000 rows. Written only when the run has computed
indicators.
"""

from __future__ import annotations

from typing import Any

from ...config.expression_text import number_text, substituted
from ...report.wording import UNDEFINED, undefined
from ...results import Results
from .stream import Sheet, SheetMaker


def computations_sheet(sheet: SheetMaker, results: Results) -> None:
    inds = [ind for ind in results.config.indicators() if ind.expression is not None]
    if not inds:
        return
    intro = (
        "Как получено значение каждого вычисляемого показателя: формула с числами, которые ввела ОО, и "
        "результат (каждое введённое число по имени — в indicators.csv); «н/п» — не применимо (например, "
        "деление на 0 при missing: not_applicable); «мало данных» — знаменатель меньше min_denominator."
    )
    header = ["Место", "Код ОО", "Наименование ОО"] + [f"{ind.code}. {ind.title}" for ind in inds]
    out: Sheet = sheet("Вычисления", header, freeze_cols=3, intro=intro)
    for school in results.schools:
        row: list[Any] = [school.place, school.code, school.name]
        for ind in inds:
            r = school.indicators[ind.code]
            assert ind.expression is not None
            if not r.inputs:
                row.append(None)
                continue
            formula = substituted(ind.expression.root, r.inputs)
            if r.value is None and r.status != "not_applicable" and undefined(ind.expression, r.inputs):
                text = f"{formula} {UNDEFINED}"
            else:
                result = (
                    "н/п"
                    if r.status == "not_applicable"
                    else "—"
                    if r.value is None
                    else number_text(r.value)
                )
                text = f"{formula} = {result}"
            row.append(f"{text} (мало данных)" if r.small else text)
        out.write_row(row)
    out.finish()
