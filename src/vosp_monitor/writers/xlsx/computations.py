"""ranking.xlsx sheet «Вычисления»: how each computed value was made, and every «мало данных».

The values audit of a run with computed indicators: a row per school and computed indicator
with what the school typed («r1 = 12; r2 = 30; R = 60»), the formula over those numbers and
its result («(12 + 30) / 60 × 100 = 70»), so an analyst can check any value by hand; and a
row per value flagged «мало данных» (a share or a computed value whose denominator is below
``min_denominator``). Written only when the run has either.
"""

from __future__ import annotations

from typing import Any

from ...config.expression_text import named_values, substituted
from ...results import Results
from ...words.formatting import format_compact
from .stream import YES, StreamSheet

SheetMaker = Any  # ranking_xlsx's sheet factory: (name, header, **options) → StreamSheet


def computations_sheet(sheet: SheetMaker, results: Results) -> None:
    inds = [
        ind
        for ind in results.config.indicators()
        if ind.expression is not None or results.config.min_denominator(ind) is not None
    ]
    if not inds:
        return
    intro = (
        "Как получено значение каждого вычисляемого показателя: введённые ОО данные, формула с этими числами "
        "и результат; «мало данных» — знаменатель меньше min_denominator (значение ненадёжно)."
    )
    header = [
        "Код ОО",
        "Наименование ОО",
        "Показатель",
        "Введённые данные",
        "Вычисление",
        "Значение",
        "Знаменатель",
        "Мало данных",
    ]
    out: StreamSheet = sheet("Вычисления", header, freeze_cols=2, intro=intro)
    styles: list[str | None] = [None, None, None, None, None, "number", "number", "flag"]
    for school in sorted(results.schools, key=lambda s: s.code):
        for ind in inds:
            r = school.indicators[ind.code]
            if not r.inputs and not r.small:
                continue
            computation = ""
            if ind.expression is not None and r.inputs:
                result = "—" if r.value is None else format_compact(r.value, 6)
                computation = f"{substituted(ind.expression.root, r.inputs)} = {result}"
            value = "н/п" if r.status == "not_applicable" else r.value
            out.write_row(
                [
                    school.code,
                    school.name,
                    ind.code,
                    named_values(r.inputs),
                    computation,
                    value,
                    r.denominator,
                    YES if r.small else None,
                ],
                styles,
            )
    out.finish()
