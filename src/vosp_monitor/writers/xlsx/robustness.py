"""ranking.xlsx sheets «Устойчивость мест», «Источники разброса мест» and «Качество показателей».

Written only when the results carry them (``Results.uncertainty``, ``Results.audit``), with
the same streamed sheets as the rest of the workbook (``stream``). Every school's
place interval is here (the справка says only which places cannot be told apart), and the
Sobol indices the справка words as «сильнее всего места зависят от …»; the audit's advice is
in words, one cell per indicator.
"""

from __future__ import annotations

from ...report.audit import audit_view
from ...report.robustness import INPUT_RU, place_ranges, whole_places
from ...results import Results
from ...words.formatting import format_compact
from .stream import Sheet, SheetMaker


def robustness_sheet(sheet: SheetMaker, results: Results) -> None:
    uncertainty = results.uncertainty
    if uncertainty is None:
        return
    names = {s.code: s.name for s in results.schools}
    totals = {s.code: s.total for s in results.schools}
    words = place_ranges(results)
    intro = (
        f"Места ОО в {uncertainty.runs} пересчётах рейтинга с изменёнными весами и способом сложения баллов "
        f"(зерно {uncertainty.seed}): медиана, 5-й и 95-й процентили и среднее; «Места в 90 % пересчётов» — "
        "от 5-го до 95-го процентиля, округлённые наружу до целых; «Неразличимые места» — группа мест, "
        "начинающаяся с ОО и включающая следующие за ней ОО, которые она опережала менее чем в "
        f"{format_compact(uncertainty.distinct_share * 100)} % пересчётов (см. справку, «Устойчивость мест»)."
    )
    header = [
        "Место",
        "Код ОО",
        "Наименование ОО",
        "Итог",
        "Медиана мест",
        "Место: 5 %",
        "Место: 95 %",
        "Места в 90 % пересчётов",
        "Среднее место",
        "Неразличимые места",
    ]
    out: Sheet = sheet("Устойчивость мест", header, freeze_cols=3, intro=intro)
    styles: list[str | None] = [None, None, None, "score", "number", "number", "number", None, "number", None]
    for entry in uncertainty.places:
        _low, _high = whole_places(entry)
        view = words[entry.code]
        out.write_row(
            [
                entry.place,
                entry.code,
                names.get(entry.code, ""),
                totals.get(entry.code),
                entry.median,
                entry.low,
                entry.high,
                view.text,
                entry.mean,
                view.group or None,
            ],
            styles,
        )
    out.finish()


def effects_sheet(sheet: SheetMaker, results: Results) -> None:
    """The shares of the places' spread by source (Sobol indices): the technical part of the
    справка's «Устойчивость мест», which says the main source in words."""
    uncertainty = results.uncertainty
    if uncertainty is None or not uncertainty.sensitivity:
        return
    intro = (
        "Доли разброса среднего смещения мест по источникам неопределённости: индексы чувствительности "
        f"Соболя первого порядка («сам по себе») и полные, по {uncertainty.sensitivity_runs} пересчётам; "
        "границы — 5–95 % по бутстрэпу. Полные доли в сумме больше 100 %, когда источники действуют совместно."
    )
    header = [
        "Источник неопределённости",
        "Сам по себе",
        "Сам по себе: 5 %",
        "Сам по себе: 95 %",
        "Полная доля",
        "Полная: 5 %",
        "Полная: 95 %",
    ]
    out: Sheet = sheet("Источники разброса мест", header, intro=intro)
    styles: list[str | None] = [None, "number", "number", "number", "number", "number", "number"]
    for e in uncertainty.sensitivity:
        out.write_row(
            [
                INPUT_RU.get(e.input, e.input),
                e.first_order,
                e.first_order_low,
                e.first_order_high,
                e.total,
                e.total_low,
                e.total_high,
            ],
            styles,
        )
    out.finish()


def audit_sheet(sheet: SheetMaker, results: Results) -> None:
    if results.audit is None:
        return
    view = audit_view(results.config, results.audit)
    alpha = {b.id: b.alpha for b in results.audit.blocks}
    block_of = results.config.block_of()
    header = [
        "Код",
        "Показатель",
        "Блок",
        "α блока",
        "r с блоком",
        "r с итогом",
        "Одинаковые баллы",
        "Асимметрия значений",
        "Что пересмотреть",
    ]
    intro = "Статистическая проверка перечня показателей (см. справку, «Качество системы показателей»)."
    out: Sheet = sheet("Качество показателей", header, freeze_cols=2, intro=intro)
    styles: list[str | None] = [None, None, None, "number", "number", "number", None, "number", None]
    for row in view.rows:
        out.write_row(
            [
                row.code,
                row.title,
                row.block,
                alpha.get(block_of.get(row.code, "")),
                row.r_block,
                row.r_total,
                row.same_text,
                row.skew,
                "; ".join(row.advice) or None,
            ],
            styles,
        )
    out.finish()


SHEETS = (robustness_sheet, effects_sheet, audit_sheet)
