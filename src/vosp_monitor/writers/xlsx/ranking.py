"""ranking.xlsx: the analyst's workbook, one sheet per question an analyst asks.

Рейтинг (places, totals, block scores, group places), Баллы (points per indicator),
Значения (values, with what the school originally typed where it was read differently),
Дефициты (one row per school and deficit, with the measure), Проблемы (every problem of
the run and every skipped file), Исключены (schools left out of the ranking: one row per
error to correct), Не представили (schools of the registry without a form), Адресаты решений
(the schools of each management decision, ``addressees``), and, when the
run has them, Устойчивость мест and Качество показателей (``robustness_xlsx``) and, with
a comparison with earlier years, Динамика, Динамика показателей and Требуют проверки
(``dynamics``), and in
a run by territory «Муниципалитеты» (``territories``).
Read from a finished :class:`Results`; nothing is computed anew. Each sheet is streamed by
:class:`.stream.StreamSheet`, so codes such as ``0101`` stay text and no text from a
submission can become a formula or break the file.

Numbers keep full precision in the cells and are *shown* consistently, one format per
column: scores and shares with one decimal, counts, marks and whole points without.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...config import Block, Config, Indicator, IndicatorType, MethodKind
from ...problems import SEVERITY_RU
from ...report.addressees import DecisionSet
from ...report.wording import excluded_reasons, small_text
from ...results import Results, SchoolResult
from ...validate.small import base_words
from ...words.formatting import format_compact
from .addressees import addressees_sheet
from .book import close_workbook, open_workbook
from .computations import computations_sheet
from .dynamics import dynamics_sheet, indicator_dynamics_sheet, jumps_sheet
from .robustness import SHEETS as ROBUSTNESS_SHEETS
from .stream import YES, SheetMaker
from .territories import territories_sheet

_WHOLE_VALUES = (IndicatorType.quantity, IndicatorType.yesno, IndicatorType.mark)


def write_ranking_xlsx(
    results: Results,
    path: Path,
    *,
    fast: bool = True,
    worker: bool = False,
    decisions: Sequence[DecisionSet] = (),
) -> None:
    """The analyst's workbook: ranking, points, values, deficits, problems, missing schools.

    ``decisions``: the orders whose schools «Адресаты решений» lists (the run's, or each
    municipality's in a regional run). ``fast=False`` writes every cell through xlsxwriter's
    public API (the reference the fast row writer is tested against; same file, four times
    slower). With ``worker``, the rows made here are written into the file by a process of its
    own (:mod:`.remote`: the same file, while this process goes on with other work in another
    thread).
    """
    if worker:
        from .remote import RemoteWorkbook

        with RemoteWorkbook(path, fast=fast) as remote:
            _write_sheets(remote.sheet, results, decisions)
        return
    book, sheet = open_workbook(path, fast=fast)
    try:
        _write_sheets(sheet, results, decisions)
    finally:
        close_workbook(book)


def _write_sheets(sheet: SheetMaker, results: Results, decisions: Sequence[DecisionSet]) -> None:
    for write_sheet in SHEETS:
        write_sheet(sheet, results)
    addressees_sheet(sheet, results, decisions)
    for write_sheet in RUN_SHEETS:
        write_sheet(sheet, results)


def _group_labels(config: Config) -> list[tuple[str, str]]:
    return [(key, config.field(key).label) for key in config.ranking.groups]


def _blocks(config: Config) -> list[Block]:
    return config.all_blocks()


def _ranking_sheet(sheet: SheetMaker, results: Results) -> None:
    config = results.config
    blocks = _blocks(config)
    groups = _group_labels(config)
    header = ["Место", "Код ОО", "Наименование ОО", "Итог", "Уровень"]
    header += [f"{b.id}. {b.title}" for b in blocks]
    for _, label in groups:
        header += [label, f"Место в группе «{label}»"]
    header += [f"«{config.scoring.critical.label}»", "Дефицитов"]
    out = sheet("Рейтинг", header, freeze_cols=3)
    styles: list[str | None] = [None, None, None, "score", None] + ["score"] * len(blocks)
    styles += [None] * (2 * len(groups)) + ["flag", None]
    for s in results.schools:
        row: list[Any] = [s.place, s.code, s.name, s.total, s.level]
        row += [s.blocks[b.id].score for b in blocks]
        for key, _ in groups:
            row += [s.groups.get(key), s.group_places.get(key)]
        row += [YES if s.below_base else None, len(s.deficits)]
        out.write_row(row, styles)
    out.finish(score_columns=[3, *range(5, 5 + len(blocks))])


def _school_head(s: SchoolResult) -> list[Any]:
    return [s.place, s.code, s.name]


def _whole_points(ind: Indicator) -> bool:
    """Points from a scale of whole points (bands, options, yes/no, marks) show no decimals."""
    if ind.spec.kind != MethodKind.points:
        return False
    scale = [b.points for b in (ind.scoring.bands or [])] if ind.scoring and ind.scoring.bands else []
    scale += [o.points for o in ind.options or []] + [ind.max_points]
    return all(float(x).is_integer() for x in scale)


def _value_style(ind: Indicator) -> str:
    return "whole" if ind.type in _WHOLE_VALUES else "number"


def _points_sheet(sheet: SheetMaker, results: Results) -> None:
    inds = results.config.indicators()
    header = ["Место", "Код ОО", "Наименование ОО"]
    header += [f"{i.code} (макс. {format_compact(i.max_points)})" for i in inds]
    out = sheet("Баллы", header, freeze_cols=3)
    styles: list[str | None] = [None, None, None] + ["whole" if _whole_points(i) else "number" for i in inds]
    for s in results.schools:
        out.write_row(_school_head(s) + [s.indicators[i.code].points for i in inds], styles)
    out.finish()


def _values_sheet(sheet: SheetMaker, results: Results) -> None:
    config = results.config
    inds = config.indicators()
    columns = {ind.code: 3 + k for k, ind in enumerate(inds)}
    small = {  # what a «мало данных» note says: the denominator in words and the threshold
        ind.code: (base_words(ind, config), limit)
        for ind in inds
        if (limit := config.min_denominator(ind)) is not None
    }
    notes: dict[tuple[str, str], list[str]] = {}
    for n in results.normalisations:
        notes.setdefault((n.file, n.target), []).append(f"введено: «{n.original}», прочитано как {n.read_as}")
    header = ["Место", "Код ОО", "Наименование ОО"] + [
        f"{i.code}" + (f", {i.unit}" if i.unit else "") for i in inds
    ]
    intro = (  # «мало данных» and «Вычисления» only where the config has them
        "Значения в единицах показателя (доли — в %). Жёлтым отмечены значения, записанные школой "
        "иначе (например, «12,5 %»), — исходная запись в примечании к ячейке; «н/п» — не применимо"
        + ("; «мало данных» (знаменатель меньше min_denominator) — в примечании" if small else "")
        + (
            "; как получены значения вычисляемых показателей — на листе «Вычисления»"
            if any(i.type == IndicatorType.computed for i in inds)
            else ""
        )
        + "."
    )
    out = sheet("Значения", header, freeze_cols=3, intro=intro)
    base: list[str | None] = [None, None, None] + [_value_style(i) for i in inds]
    for s in results.schools:
        row: list[Any] = _school_head(s)
        styles = list(base)
        marks: dict[int, list[str]] = {}
        for ind in inds:
            r = s.indicators[ind.code]
            row.append("н/п" if r.status == "not_applicable" else r.value)
            col = columns[ind.code]
            note = notes.get((s.file, ind.code))
            if note:
                whole = base[col] == "whole"
                styles[col] = (
                    ("normalised_whole" if whole else "normalised")
                    if r.value is not None
                    else "normalised_text"
                )
                marks[col] = list(note)
            if r.small:  # a note only: the cell keeps its colour (yellow means «read otherwise»)
                marks.setdefault(col, []).append(small_text(*small[ind.code], r.denominator))
        out.write_row(row, styles)
        for col, lines in marks.items():
            out.comment(col, "\n".join(lines))
    out.finish()


def _deficits_sheet(sheet: SheetMaker, results: Results) -> None:
    by_code = {ind.code: ind for ind in results.config.indicators()}
    header = [
        "Код ОО",
        "Наименование ОО",
        "Показатель",
        "Наименование показателя",
        "Значение",
        "Баллы",
        "Рекомендуемая мера",
    ]
    styles: dict[str, list[str | None]] = {  # a region has hundreds of thousands of deficits
        code: [None, None, None, None, _value_style(ind), "whole" if _whole_points(ind) else "number", None]
        for code, ind in by_code.items()
    }
    out = sheet("Дефициты", header, freeze_cols=2)
    for s in sorted(results.schools, key=lambda x: x.code):
        for code in s.deficits:
            r, ind = s.indicators[code], by_code[code]
            out.write_row([s.code, s.name, code, ind.title, r.value, r.points, ind.measure], styles[code])
    out.finish()


def _problems_sheet(sheet: SheetMaker, results: Results) -> None:
    header = [
        "Файл",
        "Код ОО",
        "Лист",
        "Ячейка",
        "Показатель",
        "Значение",
        "Вид",
        "Код проблемы",
        "Описание",
        "Последствие",
    ]
    out = sheet("Проблемы", header, freeze_cols=1)
    for p in results.problems:
        out.write_row(
            [
                p.file,
                p.school,
                p.sheet,
                p.cell,
                p.indicator,
                p.value,
                SEVERITY_RU[p.severity],
                p.code,
                p.message,
                p.consequence_text,
            ]
        )
    for item in results.skipped:
        out.write_row([item.file, None, None, None, None, None, "файл пропущен", None, item.reason, None])
    out.finish()


def _excluded_sheet(sheet: SheetMaker, results: Results) -> None:
    """A row per error to correct in each excluded school's form (the school's card says the same)."""
    header = ["Код ОО", "Наименование ОО", "Файл", "Лист", "Ячейка", "Что найдено", "Последствие"]
    out = sheet("Исключены", header, freeze_cols=2)
    for x in results.excluded:
        if not x.problems:
            out.write_row([x.code, x.name, x.file, None, None, excluded_reasons(x.problems)[0], None])
        for p in x.problems:
            out.write_row([x.code, x.name, x.file, p.sheet, p.cell, p.message, p.consequence_text])
    out.finish()


def _missing_sheet(sheet: SheetMaker, results: Results) -> None:
    out = sheet("Не представили", ["Код ОО", "Наименование ОО"], freeze_cols=1)
    for e in results.not_submitted:
        out.write_row([e.code, e.name])
    out.finish()


SHEETS = (
    _ranking_sheet,
    territories_sheet,  # «Муниципалитеты» (and «Регионы»): only in a run with territories
    _points_sheet,
    _values_sheet,
    computations_sheet,  # «Вычисления»: only with computed indicators
    _deficits_sheet,
    _problems_sheet,
    _excluded_sheet,
    _missing_sheet,
)
# After «Адресаты решений»: the sheets of what the run computed beside the ranking.
RUN_SHEETS = (
    *ROBUSTNESS_SHEETS,
    dynamics_sheet,  # «Динамика», «Динамика показателей», «Требуют проверки»: only with --previous
    indicator_dynamics_sheet,
    jumps_sheet,
)
