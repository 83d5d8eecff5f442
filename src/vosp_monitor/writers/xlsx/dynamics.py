"""ranking.xlsx sheets «Динамика» and «Динамика показателей»: every school against last year.

The справка lists only the largest rises and falls; these sheets hold the whole
comparison, filterable: one row per school of this year (with its predecessor's codes,
total, place, level and blocks then and now, and the deficits closed, persisting and
new), then last year's schools that are not in this year's ranking; and one row per
school with each indicator's value last year and its change. Written only
when the results carry a comparison; read from :class:`Results`, nothing computed anew.
"""

from __future__ import annotations

from typing import Any

from ...report.wording_dynamics import ABSENCE_WORDS, TREND_WORDS, short_year
from ...results import Change, Link, Results
from .stream import Sheet, SheetMaker

LINK_WORDS = {Link.same: "тот же код", Link.renamed: "новый код", Link.merged: "объединение ОО"}
NO_PREDECESSOR = "не было в рейтинге прошлого года"


def _trio(change: Change | None) -> list[Any]:
    if change is None:
        return [None, None, None]
    return [change.previous, change.current, change.change]


def dynamics_sheet(sheet: SheetMaker, results: Results) -> None:
    """«Динамика»: a row per school of this year, then last year's schools not ranked now."""
    dynamics = results.dynamics
    if dynamics is None:
        return
    config = results.config
    then, now = short_year(dynamics.previous), short_year(dynamics.years[-1].label)
    blocks = [b.id for b in config.blocks]
    header = ["Место", "Код ОО", "Наименование ОО", "Связь с прошлым годом", f"Код ОО в {then}"]
    header += [f"Итог {then}", f"Итог {now}", "Изменение итога", "Оценка изменения"]
    header += [f"Место {then}", f"Место {now}", f"Уровень {then}", f"Уровень {now}"]
    for block_id in blocks:
        header += [f"{block_id} {then}", f"{block_id} {now}", f"{block_id}: изменение"]
    header += ["Дефициты устранены", "Дефициты сохраняются", "Новые дефициты"]
    intro = (
        f"Сравнение с {dynamics.previous}. Изменение меньше {dynamics.min_change:g} б. — «без существенных "
        "изменений». Пустые ячейки — несопоставимо (изменилась методика или ОО образована объединением)."
    )
    out: Sheet = sheet("Динамика", header, freeze_cols=3, intro=intro)
    scores = ["score"] * 3
    styles: list[str | None] = [None] * 5 + scores + [None] * 5 + scores * len(blocks) + [None] * 3
    changes = {c.code: c for c in dynamics.schools}
    for school in results.schools:
        change = changes.get(school.code)
        row: list[Any] = [school.place, school.code, school.name]
        if change is None:
            row += [
                NO_PREDECESSOR,
                None,
                None,
                school.total,
                None,
                None,
                None,
                school.place,
                None,
                school.level,
            ]
            for block_id in blocks:
                block = school.blocks.get(block_id)
                row += [None, block.score if block else None, None]
            row += [None, None, None]
            out.write_row(row, styles)
            continue
        row += [LINK_WORDS[change.link], ", ".join(change.previous_codes)]
        row += [*_trio(change.total), TREND_WORDS[change.total.trend]]
        row += [change.place.previous, school.place, change.level.previous, school.level]
        for block_id in blocks:
            block = school.blocks.get(block_id)
            row += (
                _trio(change.blocks.get(block_id))
                if block_id in change.blocks
                else [None, block.score if block else None, None]
            )
        row += [", ".join(change.closed), ", ".join(change.persisting), ", ".join(change.new)]
        out.write_row(row, styles)
    for gone in dynamics.gone_schools:
        row = [None, gone.code, gone.name, ABSENCE_WORDS[gone.absence], gone.code]
        out.write_row(row + [None] * (len(header) - len(row)))
    out.finish()


def indicator_dynamics_sheet(sheet: SheetMaker, results: Results) -> None:
    """«Динамика показателей»: a row per school; per indicator last year's value and the change.

    Wide, like «Значения» (which holds this year's values): a long sheet of one row per
    school and indicator would be 46,000 rows for 2,000 schools.
    """
    dynamics = results.dynamics
    if dynamics is None:
        return
    then = short_year(dynamics.previous)
    codes = [ind.code for ind in results.config.indicators() if ind.code in dynamics.indicators]
    units = {ind.code: ind.unit for ind in results.config.indicators()}
    header = ["Место", "Код ОО", "Наименование ОО"]
    for code in codes:
        unit = f", {units[code]}" if units[code] else ""
        header += [f"{code} {then}{unit}", f"{code}: изменение"]
    intro = (
        f"Значение {then} и изменение к этому году (значения этого года — на листе «Значения»); доли — в %, "
        "их изменение — в процентных пунктах; «да/нет» — 1/0. Пусто — несопоставимо или значения нет."
    )
    out: Sheet = sheet("Динамика показателей", header, freeze_cols=3, intro=intro)
    styles: list[str | None] = [None, None, None] + ["number"] * (2 * len(codes))
    places = {s.code: s for s in results.schools}
    for change in dynamics.schools:
        school = places[change.code]
        row: list[Any] = [school.place, school.code, school.name]
        values = change.values
        for code in codes:
            value = values.get(code)
            row += [None, None] if value is None else [value.previous, value.change]
        out.write_row(row, styles)
    out.finish()
