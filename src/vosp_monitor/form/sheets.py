"""The form's sheets, laid out from ``layout``: instructions, school fields, indicators, stamp.

Names, header texts, column order and stamp keys all come from ``layout`` (read when the
form is written), which the readers use to find them again. Rows and columns written here
are where a reader first looks, never where it must look: readers find rows by codes,
labels and hidden keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .. import layout
from ..config import Block, Config, FieldRole, FieldType, Indicator, IndicatorType, SchoolField
from ..words.text import xml_text
from .computed import formula_notes, value_formula, write_inputs
from .rules import Lists, comment_rule, field_rule, number_rule, range_words, value_rule
from .styles import (
    BLOCK_FILLS,
    CALC_FILL,
    DATE_FORMAT,
    FIELD_WIDTHS,
    FONT_NAME,
    HINT_COLOR,
    INDICATOR_WIDTHS,
    INPUT_FILL,
    INSTRUCTION_WIDTH,
    PREVIOUS_WIDTH,
    border,
    font,
    header_row,
    hint_font,
    mark_input,
    print_setup,
    protect,
    put,
    quote,
    row_height,
    text,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl.worksheet.worksheet import Worksheet

    from .previous import PreviousValues


def write_instructions(sheet: Worksheet, config: Config) -> None:
    from openpyxl.styles import Alignment, PatternFill

    monitoring = config.monitoring
    sheet.column_dimensions["A"].width = INSTRUCTION_WIDTH
    wrap = Alignment(wrap_text=True, vertical="top")
    rows: list[tuple[str, Any, str | None]] = [(monitoring.title, font(bold=True, size=14), None)]
    if monitoring.authority:
        rows.append((monitoring.authority, None, None))
    if monitoring.period:
        rows.append((f"Период: {monitoring.period}", None, None))
    rows.append((f"Версия формы: {monitoring.form_version} (идентификатор «{monitoring.id}»)", None, None))
    for heading, body in (("Основание", monitoring.basis), ("Цель мониторинга", monitoring.purpose)):
        if body.strip():
            rows += [("", None, None), (heading, font(bold=True), None), (" ".join(body.split()), None, None)]
    rows += [("", None, None), ("Порядок заполнения", font(bold=True), None)]
    rows += [(item, None, None) for item in _paragraphs(monitoring.instructions)]
    rows += [
        ("", None, None),
        ("Обозначения", font(bold=True), None),
        (
            "Жёлтые ячейки — для заполнения. Остальные ячейки защищены от случайных изменений.",
            None,
            INPUT_FILL,
        ),
        ("Серые ячейки вычисляются автоматически (процент для долей).", None, CALC_FILL),
        ("Доли: укажите числитель и знаменатель целыми числами — процент вычислится сам.", None, None),
        ("«да/нет» и варианты ответа выбираются из раскрывающегося списка в ячейке.", None, None),
        (
            "Подсказка к ячейке появляется, когда ячейка выбрана; недопустимое значение Excel не примет.",
            None,
            None,
        ),
        (
            "Защита листов установлена без пароля (Рецензирование → Снять защиту листа), "
            "но снимать её не нужно.",
            None,
            None,
        ),
    ]
    for row, (line, style, fill) in enumerate(rows, start=1):
        cell = text(sheet, row, 1, line)
        cell.alignment = wrap
        cell.font = style or font()
        if fill is not None:
            cell.fill = PatternFill("solid", fgColor=fill)
        sheet.row_dimensions[row].height = row_height([(line, INSTRUCTION_WIDTH, cell.font.sz or 11)])
    print_setup(sheet, landscape=False)
    protect(sheet)


def _paragraphs(body: str) -> list[str]:
    """Instruction items: a line that starts with a space continues the previous item."""
    items: list[str] = []
    for line in body.splitlines():
        if not line.strip():
            continue
        if items and line[:1].isspace():
            items[-1] += " " + line.strip()
        else:
            items.append(line.strip())
    return items


def write_fields(
    sheet: Worksheet, config: Config, prefill: dict[str, object], lists: Lists
) -> dict[str, str]:
    """Writes «Сведения об ОО»; returns field key → absolute reference of its input cell."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    text(sheet, 1, 1, "Сведения об образовательной организации").font = font(bold=True, size=13)
    value_header = layout.column_of(layout.FIELD_COLUMNS, "value").header
    text(sheet, 2, 1, f"Заполните жёлтые ячейки столбца «{value_header}».").font = hint_font(italic=True)
    first = layout.FIELD_HEADER_ROW + 1
    header_row(sheet, layout.FIELD_HEADER_ROW, layout.field_headers())
    number = {
        role: layout.column_number(layout.FIELD_COLUMNS, role) for role in ("label", "value", "hint", "key")
    }
    for column, width in zip((number["label"], number["value"], number["hint"]), FIELD_WIDTHS, strict=True):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.column_dimensions[get_column_letter(number["key"])].hidden = True

    references: dict[str, str] = {}
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, school_field in enumerate(config.school_fields, start=first):
        label = text(sheet, row, number["label"], school_field.label)
        label.alignment = wrap
        border(label)
        cell = sheet.cell(row=row, column=number["value"])
        mark_input(cell)
        field_rule(school_field, lists).apply(sheet, cell.coordinate)
        if school_field.type == FieldType.text:
            cell.number_format = "@"  # keeps a code like 0101 as text when typed in Excel
        elif school_field.type == FieldType.date:
            cell.number_format = DATE_FORMAT
        if prefill.get(school_field.key) is not None:
            put(cell, prefill[school_field.key], force_text=school_field.type == FieldType.text)
        hint = text(sheet, row, number["hint"], _field_hint(school_field))
        hint.alignment = wrap
        hint.font = hint_font()
        border(hint)
        text(sheet, row, number["key"], school_field.key)
        # Full school names usually take two lines: reserve them even in a blank form.
        two_lines = "м" * (2 * FIELD_WIDTHS[1]) if school_field.role == FieldRole.name else ""
        value_text = str(prefill.get(school_field.key) or two_lines)
        sheet.row_dimensions[row].height = row_height(
            [(school_field.label, FIELD_WIDTHS[0], 11)],
            [(value_text, FIELD_WIDTHS[1], 11)],
            [(hint.value or "", FIELD_WIDTHS[2], 9)],
        )
        references[school_field.key] = f"{quote(sheet.title)}!${get_column_letter(number['value'])}${row}"
    sheet.freeze_panes = f"A{first}"
    print_setup(sheet, landscape=False, title_row=layout.FIELD_HEADER_ROW)
    protect(sheet)
    return references


def _field_hint(school_field: SchoolField) -> str:
    kind = {
        FieldType.text: "текст",
        FieldType.integer: "целое число",
        FieldType.number: "число",
        FieldType.choice: "выберите из списка",
        FieldType.yesno: "да или нет (из списка)",
        FieldType.date: "дата ДД.ММ.ГГГГ",
    }[school_field.type]
    if school_field.type in (FieldType.integer, FieldType.number):
        kind += range_words(school_field.min, school_field.max)
    parts = [kind, "обязательно" if school_field.required else "необязательно"]
    if school_field.hint:
        parts.append(school_field.hint)
    return "; ".join(parts)


def write_indicators(
    sheet: Worksheet,
    config: Config,
    field_cells: dict[str, str],
    lists: Lists,
    previous: PreviousValues | None = None,
) -> None:
    """«Показатели»; with ``previous``, the read-only «Прошлый год» column after the others."""
    from openpyxl.utils import get_column_letter

    text(sheet, 1, 1, config.monitoring.title).font = font(bold=True, size=13)
    value_header = layout.indicator_header("value")
    note = text(
        sheet,
        2,
        1,
        "Заполняйте только жёлтые ячейки. Для долей укажите числитель и знаменатель — "
        f"процент в столбце «{value_header}» вычисляется сам. Числа — цифрами, без единиц измерения.",
    )
    note.font = hint_font(italic=True)
    headers = layout.indicator_headers()
    if previous is not None:
        headers = (*headers, f"{layout.PREVIOUS_COLUMN.header} ({previous.year})")
        note.value = f"{note.value} " + (
            previous.note
            or f"В столбце «{layout.PREVIOUS_COLUMN.header}» — значения, которые ОО указала в {previous.year}, "
            "для сведения; его заполнять не нужно."
        )
    header_row(sheet, layout.INDICATOR_HEADER_ROW, headers)
    widths = (*INDICATOR_WIDTHS, PREVIOUS_WIDTH) if previous is not None else INDICATOR_WIDTHS
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    labels = {f.key: f.label for f in config.school_fields}
    row = layout.INDICATOR_HEADER_ROW + 1
    last_column = len(headers)
    for number, depth, block in _numbered_blocks(config.blocks):
        _block_row(sheet, row, f"{number} {block.title}", depth, last_column)
        row += 1
        for indicator in block.indicators:
            _indicator_row(sheet, row, indicator, labels, field_cells, lists)
            if previous is not None:
                _previous_cell(sheet, row, last_column, previous.values.get(indicator.code, "—"))
            row += 1
            if indicator.type == IndicatorType.computed:
                row = write_inputs(sheet, row, indicator, _previous_writer(sheet, last_column, previous))
    sheet.freeze_panes = f"A{layout.INDICATOR_HEADER_ROW + 1}"
    print_setup(sheet, landscape=True, title_row=layout.INDICATOR_HEADER_ROW)
    protect(sheet)


def _numbered_blocks(
    blocks: list[Block], prefix: str = "", depth: int = 0
) -> Iterable[tuple[str, int, Block]]:
    """Blocks depth-first with their outline numbers («1.», «1.2.») and depth."""
    for i, block in enumerate(blocks, start=1):
        number = f"{prefix}{i}."
        yield number, depth, block
        yield from _numbered_blocks(block.blocks, number, depth + 1)


def _previous_writer(sheet: Worksheet, column: int, previous: PreviousValues | None) -> Any:
    """Writes last year's value of an input row (None without ``previous``)."""
    if previous is None:
        return None
    return lambda row, code: _previous_cell(sheet, row, column, previous.values.get(code, "—"))


def _previous_cell(sheet: Worksheet, row: int, column: int, value: str) -> None:
    """Last year's value: grey, italic, locked (the sheet is protected), never read back."""
    from openpyxl.styles import Alignment, PatternFill

    cell = text(sheet, row, column, value)
    cell.fill = PatternFill("solid", fgColor=CALC_FILL)
    cell.font = hint_font(italic=True)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    border(cell)


def _block_row(sheet: Worksheet, row: int, title: str, depth: int, last_column: int) -> None:
    from openpyxl.styles import Alignment, PatternFill

    fill = PatternFill("solid", fgColor=BLOCK_FILLS[min(depth, len(BLOCK_FILLS) - 1)])
    for column in range(1, last_column + 1):
        cell = sheet.cell(row=row, column=column)
        cell.fill = fill
        border(cell)
    cell = text(sheet, row, layout.column_number(layout.INDICATOR_COLUMNS, "title"), title)
    cell.font = font(bold=True, size=12 if depth == 0 else 11)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[row].height = row_height([(title, INDICATOR_WIDTHS[1], 12)])


def _indicator_row(
    sheet: Worksheet,
    row: int,
    indicator: Indicator,
    labels: dict[str, str],
    field_cells: dict[str, str],
    lists: Lists,
) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.styles.colors import Color
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    cells = {
        column.role: sheet.cell(row=row, column=number)
        for number, column in enumerate(layout.INDICATOR_COLUMNS, start=1)
    }
    for cell in cells.values():
        cell.alignment = wrap
        border(cell)
    put(cells["code"], indicator.code, force_text=True)
    cells["code"].font = font(bold=True)
    notes = _indicator_notes(indicator, labels)
    if notes:
        small = InlineFont(rFont=FONT_NAME, sz=9, i=True, color=Color(HINT_COLOR))
        cells["title"].value = CellRichText(
            xml_text(indicator.title), TextBlock(small, xml_text("\n" + "\n".join(notes)))
        )
    else:
        put(cells["title"], indicator.title, force_text=True)
    if indicator.unit:
        put(cells["unit"], indicator.unit, force_text=True)

    value, numerator, denominator = cells["value"], cells["numerator"], cells["denominator"]
    computed = PatternFill("solid", fgColor=CALC_FILL)
    heights = [[(indicator.title, INDICATOR_WIDTHS[1], 11), ("\n".join(notes), INDICATOR_WIDTHS[1], 9)]]
    if indicator.type == IndicatorType.share:
        mark_input(numerator)
        number_rule(
            "whole", 0, None, layout.indicator_header("numerator"), indicator.numerator or "", indicator.code
        ).apply(sheet, numerator.coordinate)
        if indicator.denominator_field:
            reference = field_cells[indicator.denominator_field]
            put(denominator, f"из сведений: {labels[indicator.denominator_field]}", force_text=True)
            denominator.font = hint_font(italic=True)
            heights.append([(str(denominator.value), INDICATOR_WIDTHS[5], 9)])
        else:
            reference = denominator.coordinate
            mark_input(denominator)
            number_rule(
                "whole",
                0,
                None,
                layout.indicator_header("denominator"),
                indicator.denominator or "",
                indicator.code,
            ).apply(sheet, denominator.coordinate)
        num = numerator.coordinate
        value.value = (
            f'=IF(AND(ISNUMBER({num}),ISNUMBER({reference}),{reference}>0),{num}/{reference}*100,"")'
        )
        value.number_format = "0.0"
        value.fill = computed
    elif indicator.type == IndicatorType.computed:
        column = layout.column_number(layout.INDICATOR_COLUMNS, "value")
        value.value = value_formula(indicator, get_column_letter(column), row + 1, field_cells)
        value.number_format = "0.0##"
        for cell in (value, numerator, denominator):
            cell.fill = computed
    else:
        mark_input(value)
        value_rule(indicator, lists).apply(sheet, value.coordinate)
        if indicator.type == IndicatorType.choice:
            longest = max((o.label for o in indicator.options or []), key=len, default="")
            heights.append([(longest, INDICATOR_WIDTHS[3], 11)])
        numerator.fill = computed
        denominator.fill = computed
    mark_input(cells["comment"])
    comment_rule(indicator.code, indicator.evidence).apply(sheet, cells["comment"].coordinate)
    sheet.row_dimensions[row].height = row_height(*heights)


def _indicator_notes(indicator: Indicator, labels: dict[str, str]) -> list[str]:
    """Small-print lines under the title: hint, what numerator and denominator are, evidence."""
    notes = [indicator.hint] if indicator.hint else []
    numerator, denominator = layout.indicator_header("numerator"), layout.indicator_header("denominator")
    if indicator.type == IndicatorType.share:
        notes.append(f"{numerator}: {indicator.numerator}")
        if indicator.denominator_field:
            notes.append(
                f"{denominator}: {labels[indicator.denominator_field]} (лист «{layout.SHEET_FIELDS}»)"
            )
        else:
            notes.append(f"{denominator}: {indicator.denominator}")
    elif indicator.type == IndicatorType.choice:
        notes.append(f"Выберите вариант из списка в столбце «{layout.indicator_header('value')}»")
    elif indicator.type == IndicatorType.yesno:
        notes.append("Выберите «да» или «нет»")
    elif indicator.type == IndicatorType.mark:
        notes.append(f"Оценка от 0 до {indicator.max_mark}")
    elif indicator.type == IndicatorType.computed:
        notes += formula_notes(indicator, labels)
    if indicator.evidence:
        notes.append(f"Подтверждение: {indicator.evidence}")
    return notes


def write_stamp(sheet: Worksheet, config: Config, generated: dt.date) -> None:
    """The hidden stamp by which readers recognise the form and its version."""
    rows = (
        (layout.STAMP_FORM_ID, config.monitoring.id),
        (layout.STAMP_FORM_VERSION, config.monitoring.form_version),
        (layout.STAMP_GENERATED, generated.isoformat()),
        (layout.STAMP_CODES, layout.STAMP_SEPARATOR.join(ind.code for ind in config.indicators())),
        (layout.STAMP_FIELDS, layout.STAMP_SEPARATOR.join(f.key for f in config.school_fields)),
        (layout.STAMP_FRAMEWORK, config.form_fingerprint),
        (layout.STAMP_PERIOD, config.monitoring.period),
    )
    for row, (key, value) in enumerate(rows, start=1):
        put(sheet.cell(row=row, column=1), key, force_text=True)
        put(sheet.cell(row=row, column=2), value, force_text=True)
    protect(sheet)
