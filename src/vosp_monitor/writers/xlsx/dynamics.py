"""ranking.xlsx sheets «Динамика», «Динамика показателей» and «Требуют проверки»: every school
against last year.

The справка lists only the largest rises and falls (above ``analysis.appendix_schools`` none:
it counts them and points here); these sheets hold the whole comparison, filterable: one row
per school of this year (with its predecessor's codes, total, place, level and blocks then and
now, the deficits closed, persisting and new, its move in or out of the risk zone and a sharp
fall of its total), then last year's schools that are not in this year's ranking; one row per
school with each indicator's value last year and its change; and one row per value that moved
implausibly far. Written only when the results carry a comparison; read from
:class:`Results`, nothing computed anew.
"""

from __future__ import annotations

from typing import Any

from ...report.wording_dynamics import ABSENCE_WORDS, TREND_WORDS, short_year
from ...results import Change, Dynamics, Link, Results, RiskFate
from .stream import YES, Sheet, SheetMaker

LINK_WORDS = {Link.same: "тот же код", Link.renamed: "новый код", Link.merged: "объединение ОО"}
NO_PREDECESSOR = "не было в рейтинге прошлого года"
RISK_WORDS = {
    RiskFate.left: "вышла из зоны риска",
    RiskFate.stayed: "осталась в зоне риска",
    RiskFate.gone: "была в зоне риска",
}
RISK_NEW = "впервые в зоне риска"
JUMPS_SHEET = "Требуют проверки"


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
    header += ["Зона риска", f"Снижение итога на {results.config.dynamics.attention_fall:g} б. и более"]
    intro = (
        f"Сравнение с {dynamics.previous}. Изменение меньше {dynamics.min_change:g} б. — «без существенных "
        "изменений». Пустые ячейки — несопоставимо (изменилась методика или ОО образована объединением)."
    )
    out: Sheet = sheet("Динамика", header, freeze_cols=3, intro=intro)
    scores = ["score"] * 3
    styles: list[str | None] = [None] * 5 + scores + [None] * 5 + scores * len(blocks) + [None] * 5
    changes = {c.code: c for c in dynamics.schools}
    risk, falls = _attention(dynamics)
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
            row += [None, None, None, risk.get(school.code), None]
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
        row += [risk.get(school.code), YES if school.code in falls else None]
        out.write_row(row, styles)
    gone_risk = {m.previous_code for m in dynamics.followup.risk if m.fate == RiskFate.gone}
    for gone in dynamics.gone_schools:
        row = [None, gone.code, gone.name, ABSENCE_WORDS[gone.absence], gone.code]
        row += [None] * (len(header) - len(row) - 2)
        was_risk = f"{RISK_WORDS[RiskFate.gone]} в {then}" if gone.code in gone_risk else None
        out.write_row([*row, was_risk, None])
    out.finish()


def _attention(dynamics: Dynamics) -> tuple[dict[str, str], set[str]]:
    """This year's codes → their move in or out of last year's risk zone; the sharp falls."""
    followup = dynamics.followup
    risk = {m.code: RISK_WORDS[m.fate] for m in followup.risk if m.fate != RiskFate.gone}
    risk |= dict.fromkeys(followup.risk_new, RISK_NEW)
    return risk, set(followup.falls)


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


def jumps_sheet(sheet: SheetMaker, results: Results) -> None:
    """«Требуют проверки»: a row per value that moved implausibly far in a year (the справка's
    «Значения, требующие проверки»), in the units of «Значения» (shares in %)."""
    dynamics = results.dynamics
    if dynamics is None:
        return
    config = results.config
    then, now = short_year(dynamics.previous), short_year(dynamics.years[-1].label)
    header = ["Код ОО", "Наименование ОО", "Показатель", "Наименование показателя", "Что", then, now]
    settings = config.dynamics
    intro = (
        f"Значения, изменившиеся за год неправдоподобно сильно (доли — на {settings.implausible_change:g} п. п. "
        f"и более, количества и численность — в {settings.implausible_ratio:g} раза и более): чаще это ошибка "
        "заполнения формы, чем реальное изменение. Доли — в %."
    )
    out: Sheet = sheet(JUMPS_SHEET, header, freeze_cols=2, intro=intro)
    names = {s.code: s.name for s in results.schools}
    styles: list[str | None] = [None] * 5 + ["number", "number"]
    for jump in dynamics.followup.jumps:
        if jump.code not in names or not config.has_indicator(jump.indicator):
            continue
        what = "знаменатель доли" if jump.part == "denominator" else "значение"
        title = config.indicator(jump.indicator).title
        out.write_row(
            [jump.code, names[jump.code], jump.indicator, title, what, jump.previous, jump.current], styles
        )
    out.finish()
