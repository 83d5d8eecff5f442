"""Writes the Excel form that schools fill, from the config.

The form is generated from the same ``indicators.yaml`` that scores it, so the two can
never disagree. The layout (sheet names, header texts, hidden field keys in column D of
«Сведения об ОО», the hidden «_vosp» stamp) is the contract with ``ingest.py``; readers
find rows by header texts and codes, never by fixed positions.
Only yellow cells are unlocked; the sheets are protected *without* a password, so the
protection only guards against accidental edits and never stops a school from working.
Every input cell carries an Excel data validation with Russian prompt and error texts,
so most typing mistakes are caught while the form is being filled rather than weeks later.

Filling a form programmatically (for the samples and the tests) lives in ``formfill.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Block, Config, FieldRole, FieldType, Indicator, IndicatorType, SchoolField
from .errors import VospError
from .layout import (
    FIELD_HEADER_ROW,
    FIELD_HEADERS,
    INDICATOR_HEADER_ROW,
    INDICATOR_HEADERS,
    SHEET_FIELDS,
    SHEET_INDICATORS,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_STAMP,
)
from .outputs import FORMS_OUTPUTS, unique_filenames, write_atomic

if TYPE_CHECKING:  # pragma: no cover - typing only
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from .registry import RegistryEntry


_INDICATOR_WIDTHS = (9, 56, 10, 30, 13, 17, 32)
_FIELD_WIDTHS = (36, 40, 28)
_INSTRUCTION_WIDTH = 75

FONT_NAME = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
INPUT_FILL = "FFF2CC"  # light yellow: the school types here
CALC_FILL = "EDEDED"  # grey: computed by the form
HEADER_FILL = "D9D9D9"
BLOCK_FILLS = ("BDD7EE", "DDEBF7", "EEF4FB")  # by depth; deeper blocks reuse the last one
DATE_FORMAT = "DD.MM.YYYY"
_DATE_MIN = dt.date(2000, 1, 1)
_DATE_MAX = dt.date(2100, 12, 31)
_TEXT_MAX = 1000  # characters allowed in a text field or a comment
_ANY_NUMBER = 1e15  # bounds for «any number» validations


class FormError(VospError):
    """The form cannot be written or filled; the message is in Russian."""


# --------------------------------------------------------------------------- writing


def write_form(
    config: Config,
    path: Path | str,
    prefill: Mapping[str, object] | None = None,
    *,
    generated: dt.date | None = None,
) -> Path:
    """Write the blank (or prefilled) form to ``path``, whole or not at all.

    ``prefill`` maps school field keys to values written into «Сведения об ОО» (for
    example the code and name from the registry). ``generated`` fixes the stamp date and
    the file timestamps, which makes the file byte-for-byte reproducible (samples, tests).
    An existing folder as ``path`` gets ``form.xlsx`` inside it.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "form.xlsx"
    if path.suffix.lower() != ".xlsx":
        raise FormError(f"имя файла формы должно оканчиваться на .xlsx: {path}")
    workbook = build_form(config, prefill, generated=generated)
    moment = dt.datetime.combine(generated, dt.time(9, 0)) if generated else None
    return save_workbook(workbook, path, moment=moment)


def write_prefilled_forms(
    config: Config,
    registry_entries: Sequence[RegistryEntry],
    out_dir: Path | str,
    *,
    generated: dt.date | None = None,
) -> list[Path]:
    """One form per registry school, named safely from its code (``0101.xlsx``).

    Code and name are filled in; other registry columns whose header matches a field
    label or key («Тип ОО», «Местность») are filled too when the value is acceptable.
    """
    from .staging import publish

    names = unique_filenames([entry.code for entry in registry_entries])

    def write(folder: Path) -> list[Path]:
        return [
            write_form(
                config,
                folder / f"{names[entry.code]}.xlsx",
                registry_prefill(config, entry),
                generated=generated,
            )
            for entry in registry_entries
        ]

    return publish(Path(out_dir), FORMS_OUTPUTS, write)


def registry_prefill(config: Config, entry: RegistryEntry) -> dict[str, object]:
    """Field values a registry row can give: code, name and matching extra columns."""
    values: dict[str, object] = {config.key_field.key: entry.code}
    if entry.name:
        values[config.name_field.key] = entry.name
    by_header = {normalise_text(f.label): f for f in config.school_fields}
    by_header |= {normalise_text(f.key): f for f in config.school_fields}
    for header, text in entry.extra:
        school_field = by_header.get(normalise_text(header))
        if school_field is None or school_field.key in values or not text.strip():
            continue
        value = _registry_value(school_field, text.strip())
        if value is not None:
            values[school_field.key] = value
    return values


def _registry_value(school_field: SchoolField, text: str) -> object | None:
    """A registry cell converted to the field's type, or None when it does not fit."""
    if school_field.type == FieldType.choice:
        choices = {normalise_text(c): c for c in school_field.choices or []}
        return choices.get(normalise_text(text))
    if school_field.type == FieldType.yesno:
        return {"да": "да", "нет": "нет"}.get(normalise_text(text))
    if school_field.type in (FieldType.integer, FieldType.number):
        try:
            number = float(text.replace(",", ".").replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            return None
        if school_field.type == FieldType.integer:
            return int(number) if number.is_integer() else None
        return number
    if school_field.type == FieldType.date:
        return None
    return text


def build_form(
    config: Config,
    prefill: Mapping[str, object] | None = None,
    *,
    generated: dt.date | None = None,
) -> Workbook:
    """The form as an openpyxl workbook (not saved); see :func:`write_form`."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.protection import WorkbookProtection

    prefill = dict(prefill or {})
    unknown = sorted(set(prefill) - {f.key for f in config.school_fields})
    if unknown:
        raise FormError(f"в сведениях об ОО нет полей: {', '.join(unknown)}")
    generated = generated or dt.date.today()

    workbook = Workbook()
    instructions = workbook.active
    instructions.title = SHEET_INSTRUCTIONS
    fields_sheet = workbook.create_sheet(SHEET_FIELDS)
    indicators_sheet = workbook.create_sheet(SHEET_INDICATORS)
    lists = _Lists(workbook.create_sheet(SHEET_LISTS))
    stamp = workbook.create_sheet(SHEET_STAMP)

    _write_instructions(instructions, config)
    field_cells = _write_fields(fields_sheet, config, prefill, lists)
    _write_indicators(indicators_sheet, config, field_cells, lists)
    _write_stamp(stamp, config, generated)
    _protect(lists.sheet)
    lists.sheet.sheet_state = "hidden"
    stamp.sheet_state = "hidden"
    workbook.active = 1  # open on «Сведения об ОО»: that is where filling starts
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is fields_sheet

    monitoring = config.monitoring
    workbook.properties.title = monitoring.title
    workbook.properties.subject = f"Форма мониторинга, версия {monitoring.form_version}"
    workbook.properties.creator = "vosp-monitor"
    workbook.properties.lastModifiedBy = "vosp-monitor"
    workbook.custom_doc_props.append(StringProperty(name="vosp_form_id", value=monitoring.id))
    workbook.custom_doc_props.append(StringProperty(name="vosp_form_version", value=monitoring.form_version))
    # Structure lock without a password: sheets cannot be renamed, deleted or unhidden
    # by accident; anyone can lift it from the Review menu.
    workbook.security = WorkbookProtection(lockStructure=True)
    return workbook


def save_workbook(workbook: Workbook, path: Path, *, moment: dt.datetime | None = None) -> Path:
    """Save atomically; with ``moment`` every timestamp is fixed, so the bytes are reproducible."""
    from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

    from openpyxl.writer.excel import ExcelWriter

    def write(tmp: Path) -> None:
        if moment is None:
            workbook.save(tmp)
            return
        workbook.properties.created = moment
        workbook.properties.modified = moment

        class _FixedTimeZip(ZipFile):
            def writestr(self, name: Any, data: Any, *args: Any, **kwargs: Any) -> None:
                if isinstance(name, str):
                    name = ZipInfo(name, date_time=moment.timetuple()[:6])
                    name.compress_type = ZIP_DEFLATED
                    name.external_attr = 0o600 << 16
                super().writestr(name, data, *args, **kwargs)

            def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
                # openpyxl streams worksheets through temporary files: stamp those too.
                self.writestr(arcname or Path(filename).name, Path(filename).read_bytes())

        ExcelWriter(workbook, _FixedTimeZip(tmp, "w", ZIP_DEFLATED, allowZip64=True)).save()

    return write_atomic(path, write)


# --------------------------------------------------------------------------- sheets


def _write_instructions(sheet: Worksheet, config: Config) -> None:
    from openpyxl.styles import Alignment, PatternFill

    monitoring = config.monitoring
    sheet.column_dimensions["A"].width = _INSTRUCTION_WIDTH
    wrap = Alignment(wrap_text=True, vertical="top")
    rows: list[tuple[str, Any, str | None]] = [
        (monitoring.title, _font(bold=True, size=14), None),
    ]
    if monitoring.authority:
        rows.append((monitoring.authority, None, None))
    if monitoring.period:
        rows.append((f"Период: {monitoring.period}", None, None))
    rows.append((f"Версия формы: {monitoring.form_version} (идентификатор «{monitoring.id}»)", None, None))
    for heading, text in (("Основание", monitoring.basis), ("Цель мониторинга", monitoring.purpose)):
        if text.strip():
            rows += [
                ("", None, None),
                (heading, _font(bold=True), None),
                (" ".join(text.split()), None, None),
            ]
    rows += [("", None, None), ("Порядок заполнения", _font(bold=True), None)]
    rows += [(item, None, None) for item in _paragraphs(monitoring.instructions)]
    rows += [
        ("", None, None),
        ("Обозначения", _font(bold=True), None),
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
    for row, (text, font, fill) in enumerate(rows, start=1):
        cell = _text(sheet, row, 1, text)
        cell.alignment = wrap
        cell.font = font or _font()
        if fill is not None:
            cell.fill = PatternFill("solid", fgColor=fill)
        size = cell.font.sz or 11
        sheet.row_dimensions[row].height = _row_height([(text, _INSTRUCTION_WIDTH, size)])
    _print_setup(sheet, landscape=False)
    _protect(sheet)


def _paragraphs(text: str) -> list[str]:
    """Instruction items: a line that starts with a space continues the previous item."""
    items: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if items and line[:1].isspace():
            items[-1] += " " + line.strip()
        else:
            items.append(line.strip())
    return items


def _write_fields(
    sheet: Worksheet, config: Config, prefill: dict[str, object], lists: _Lists
) -> dict[str, str]:
    """Writes «Сведения об ОО»; returns field key → absolute reference of its input cell."""
    from openpyxl.styles import Alignment

    title = sheet.cell(row=1, column=1, value="Сведения об образовательной организации")
    title.font = _font(bold=True, size=13)
    note = sheet.cell(row=2, column=1, value="Заполните жёлтые ячейки столбца «Значение».")
    note.font = _font(italic=True, size=9, color="595959")
    _header_row(sheet, FIELD_HEADER_ROW, FIELD_HEADERS)
    for letter, width in zip("ABC", _FIELD_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.column_dimensions["D"].hidden = True

    references: dict[str, str] = {}
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, school_field in enumerate(config.school_fields, start=FIELD_HEADER_ROW + 1):
        label = _text(sheet, row, 1, school_field.label)
        label.alignment = wrap
        _border(label)
        cell = sheet.cell(row=row, column=2)
        _input(cell)
        rule = _field_rule(school_field, lists)
        rule.apply(sheet, cell.coordinate)
        if school_field.type == FieldType.text:
            cell.number_format = "@"  # keeps a code like 0101 as text when typed in Excel
        elif school_field.type == FieldType.date:
            cell.number_format = DATE_FORMAT
        if school_field.key in prefill and prefill[school_field.key] is not None:
            _put(cell, prefill[school_field.key], force_text=school_field.type == FieldType.text)
        hint = _text(sheet, row, 3, _field_hint(school_field))
        hint.alignment = wrap
        hint.font = _font(size=9, color="595959")
        _border(hint)
        sheet.cell(row=row, column=4, value=school_field.key)
        # Full school names usually take two lines: reserve them even in a blank form.
        two_lines = "м" * (2 * _FIELD_WIDTHS[1]) if school_field.role == FieldRole.name else ""
        value_text = str(prefill.get(school_field.key) or two_lines)
        sheet.row_dimensions[row].height = _row_height(
            [(school_field.label, _FIELD_WIDTHS[0], 11)],
            [(value_text, _FIELD_WIDTHS[1], 11)],
            [(hint.value or "", _FIELD_WIDTHS[2], 9)],
        )
        references[school_field.key] = f"{_quote(sheet.title)}!$B${row}"
    sheet.freeze_panes = f"A{FIELD_HEADER_ROW + 1}"
    _print_setup(sheet, landscape=False, title_row=FIELD_HEADER_ROW)
    _protect(sheet)
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
        kind += _range_text(school_field.min, school_field.max)
    parts = [kind, "обязательно" if school_field.required else "необязательно"]
    if school_field.hint:
        parts.append(school_field.hint)
    return "; ".join(parts)


def _write_indicators(sheet: Worksheet, config: Config, field_cells: dict[str, str], lists: _Lists) -> None:
    monitoring = config.monitoring
    title = _text(sheet, 1, 1, monitoring.title)
    title.font = _font(bold=True, size=13)
    note = sheet.cell(
        row=2,
        column=1,
        value=(
            "Заполняйте только жёлтые ячейки. Для долей укажите числитель и знаменатель — "
            "процент в столбце «Значение» вычисляется сам. Числа — цифрами, без единиц измерения."
        ),
    )
    note.font = _font(italic=True, size=9, color="595959")
    _header_row(sheet, INDICATOR_HEADER_ROW, INDICATOR_HEADERS)
    for letter, width in zip("ABCDEFG", _INDICATOR_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width

    labels = {f.key: f.label for f in config.school_fields}
    row = INDICATOR_HEADER_ROW + 1
    for number, depth, block in _numbered_blocks(config.blocks):
        _block_row(sheet, row, f"{number} {block.title}", depth)
        row += 1
        for indicator in block.indicators:
            _indicator_row(sheet, row, indicator, labels, field_cells, lists)
            row += 1
    sheet.freeze_panes = f"A{INDICATOR_HEADER_ROW + 1}"
    _print_setup(sheet, landscape=True, title_row=INDICATOR_HEADER_ROW)
    _protect(sheet)


def _numbered_blocks(
    blocks: list[Block], prefix: str = "", depth: int = 0
) -> Iterable[tuple[str, int, Block]]:
    """Blocks depth-first with their outline numbers («1.», «1.2.») and depth."""
    for i, block in enumerate(blocks, start=1):
        number = f"{prefix}{i}."
        yield number, depth, block
        yield from _numbered_blocks(block.blocks, number, depth + 1)


def _block_row(sheet: Worksheet, row: int, text: str, depth: int) -> None:
    from openpyxl.styles import Alignment, PatternFill

    fill = PatternFill("solid", fgColor=BLOCK_FILLS[min(depth, len(BLOCK_FILLS) - 1)])
    for column in range(1, len(INDICATOR_HEADERS) + 1):
        cell = sheet.cell(row=row, column=column)
        cell.fill = fill
        _border(cell)
    cell = _text(sheet, row, 2, text)
    cell.font = _font(bold=True, size=12 if depth == 0 else 11)
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[row].height = _row_height([(text, _INDICATOR_WIDTHS[1], 12)])


def _indicator_row(
    sheet: Worksheet,
    row: int,
    indicator: Indicator,
    labels: dict[str, str],
    field_cells: dict[str, str],
    lists: _Lists,
) -> None:
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Alignment, PatternFill

    wrap = Alignment(wrap_text=True, vertical="top")
    for column in range(1, len(INDICATOR_HEADERS) + 1):
        cell = sheet.cell(row=row, column=column)
        cell.alignment = wrap
        _border(cell)
    sheet.cell(row=row, column=1, value=indicator.code).font = _font(bold=True)
    notes = _indicator_notes(indicator, labels)
    title_cell = sheet.cell(row=row, column=2)
    if notes:
        small = InlineFont(rFont=FONT_NAME, sz=9, i=True, color="595959")
        title_cell.value = CellRichText(indicator.title, TextBlock(small, "\n" + "\n".join(notes)))
    else:
        _put(title_cell, indicator.title, force_text=True)
    _text(sheet, row, 3, indicator.unit)

    value, numerator, denominator, comment = (sheet.cell(row=row, column=column) for column in (4, 5, 6, 7))
    computed = PatternFill("solid", fgColor=CALC_FILL)
    heights = [[(indicator.title, _INDICATOR_WIDTHS[1], 11), ("\n".join(notes), _INDICATOR_WIDTHS[1], 9)]]
    if indicator.type == IndicatorType.share:
        _input(numerator)
        _number_rule("whole", 0, None, "Числитель", indicator.numerator or "", indicator.code).apply(
            sheet, numerator.coordinate
        )
        if indicator.denominator_field:
            reference = field_cells[indicator.denominator_field]
            _put(denominator, f"из сведений: {labels[indicator.denominator_field]}", force_text=True)
            denominator.font = _font(size=9, italic=True, color="595959")
            heights.append([(denominator.value, _INDICATOR_WIDTHS[5], 9)])
        else:
            reference = denominator.coordinate
            _input(denominator)
            _number_rule("whole", 0, None, "Знаменатель", indicator.denominator or "", indicator.code).apply(
                sheet, denominator.coordinate
            )
        num = numerator.coordinate
        value.value = (
            f'=IF(AND(ISNUMBER({num}),ISNUMBER({reference}),{reference}>0),{num}/{reference}*100,"")'
        )
        value.number_format = "0.0"
        value.fill = computed
    else:
        _input(value)
        rule = _value_rule(indicator, lists)
        rule.apply(sheet, value.coordinate)
        if indicator.type == IndicatorType.choice:
            longest = max((o.label for o in indicator.options or []), key=len, default="")
            heights.append([(longest, _INDICATOR_WIDTHS[3], 11)])
        numerator.fill = computed
        denominator.fill = computed
    _input(comment)
    _Rule(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(_TEXT_MAX),
        prompt_title=f"{indicator.code}: подтверждение",
        prompt=indicator.evidence or "Реквизиты документа или ссылка на страницу сайта ОО.",
        error=f"Не более {_TEXT_MAX} символов.",
    ).apply(sheet, comment.coordinate)
    sheet.row_dimensions[row].height = _row_height(*heights)


def _indicator_notes(indicator: Indicator, labels: dict[str, str]) -> list[str]:
    """Small-print lines under the title: hint, what numerator and denominator are, evidence."""
    notes = [indicator.hint] if indicator.hint else []
    if indicator.type == IndicatorType.share:
        notes.append(f"Числитель: {indicator.numerator}")
        if indicator.denominator_field:
            notes.append(f"Знаменатель: {labels[indicator.denominator_field]} (лист «{SHEET_FIELDS}»)")
        else:
            notes.append(f"Знаменатель: {indicator.denominator}")
    elif indicator.type == IndicatorType.choice:
        notes.append("Выберите вариант из списка в столбце «Значение»")
    elif indicator.type == IndicatorType.yesno:
        notes.append("Выберите «да» или «нет»")
    elif indicator.type == IndicatorType.mark:
        notes.append(f"Оценка от 0 до {indicator.max_mark}")
    if indicator.evidence:
        notes.append(f"Подтверждение: {indicator.evidence}")
    return notes


def _write_stamp(sheet: Worksheet, config: Config, generated: dt.date) -> None:
    rows = (
        ("form_id", config.monitoring.id),
        ("form_version", config.monitoring.form_version),
        ("generated", generated.isoformat()),
        ("codes", ",".join(ind.code for ind in config.indicators())),
        ("fields", ",".join(f.key for f in config.school_fields)),
    )
    for row, (key, value) in enumerate(rows, start=1):
        sheet.cell(row=row, column=1, value=key)
        _put(sheet.cell(row=row, column=2), value, force_text=True)
    _protect(sheet)


# --------------------------------------------------------------------------- validations


@dataclass(frozen=True)
class _Rule:
    """One Excel data validation with Russian texts."""

    type: str | None
    prompt_title: str
    prompt: str
    error: str
    operator: str | None = None
    formula1: str | None = None
    formula2: str | None = None
    error_title: str = "Недопустимое значение"

    def apply(self, sheet: Worksheet, coordinate: str) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        validation = DataValidation(
            type=self.type,
            operator=self.operator,
            formula1=self.formula1,
            formula2=self.formula2,
            allow_blank=True,
            showErrorMessage=self.type is not None,
            showInputMessage=True,
            errorStyle="stop",
            promptTitle=_clip(self.prompt_title, 32),
            prompt=_clip(self.prompt, 255),
            errorTitle=_clip(self.error_title, 32),
            error=_clip(self.error, 255),
        )
        validation.add(coordinate)
        sheet.add_data_validation(validation)


def _number_rule(
    kind: str, low: float | None, high: float | None, title: str, prompt: str, code: str = ""
) -> _Rule:
    """Whole or decimal number in [low, high] (either edge may be open)."""
    what = "целое число" if kind == "whole" else "число"
    expected = what + _range_text(low, high)
    if low is not None and high is not None:
        operator, f1, f2 = "between", _formula_number(low), _formula_number(high)
    elif low is not None:
        operator, f1, f2 = "greaterThanOrEqual", _formula_number(low), None
    elif high is not None:
        operator, f1, f2 = "lessThanOrEqual", _formula_number(high), None
    else:
        operator, f1, f2 = "between", _formula_number(-_ANY_NUMBER), _formula_number(_ANY_NUMBER)
    head = f"{code}: {title.lower()}" if code else title
    tail = "" if kind == "whole" else " Дробную часть отделяйте запятой."
    return _Rule(
        type=kind,
        operator=operator,
        formula1=f1,
        formula2=f2,
        prompt_title=head,
        prompt=f"{prompt} — {expected}." if prompt else f"Введите {expected}.",
        error=f"Нужно {expected}, цифрами, без пробелов и единиц измерения.{tail}",
    )


def _value_rule(indicator: Indicator, lists: _Lists) -> _Rule:
    code = indicator.code
    if indicator.type == IndicatorType.quantity:
        low = max(0.0, indicator.min) if indicator.min is not None else 0.0
        return _number_rule("whole", low, indicator.max, "Значение", "Количество", code)
    if indicator.type == IndicatorType.percent:
        low = indicator.min if indicator.min is not None else 0.0
        high = indicator.max if indicator.max is not None else 100.0
        return _number_rule("decimal", low, high, "Значение", "Процент (без знака %)", code)
    if indicator.type == IndicatorType.number:
        return _number_rule("decimal", indicator.min, indicator.max, "Значение", "Значение", code)
    if indicator.type == IndicatorType.mark:
        return _number_rule("whole", 0, indicator.max_mark, "Оценка", "Экспертная оценка", code)
    if indicator.type == IndicatorType.yesno:
        return _yes_no_rule(code)
    labels = [option.label for option in indicator.options or []]
    return _Rule(
        type="list",
        formula1=lists.add(code, labels),
        prompt_title=f"{code}: выбор из списка",
        prompt="Выберите вариант из раскрывающегося списка (стрелка справа от ячейки).",
        error="Выберите один из вариантов списка; свой текст вводить нельзя.",
    )


def _yes_no_rule(title: str) -> _Rule:
    return _Rule(
        type="list",
        formula1='"да,нет"',
        prompt_title=f"{title}: да или нет",
        prompt="Выберите «да» или «нет» из списка.",
        error="Допустимо только «да» или «нет».",
    )


def _field_rule(school_field: SchoolField, lists: _Lists) -> _Rule:
    title = _clip(school_field.label, 32)
    required = "Обязательное поле." if school_field.required else "Необязательное поле."
    kind = school_field.type
    if kind == FieldType.integer:
        return _number_rule("whole", school_field.min, school_field.max, title, "")
    if kind == FieldType.number:
        return _number_rule("decimal", school_field.min, school_field.max, title, "")
    if kind == FieldType.choice:
        return _Rule(
            type="list",
            formula1=lists.add(school_field.key, list(school_field.choices or [])),
            prompt_title=title,
            prompt=f"Выберите значение из списка. {required}",
            error="Выберите одно из значений списка.",
        )
    if kind == FieldType.yesno:
        return _yes_no_rule(title)
    if kind == FieldType.date:
        return _Rule(
            type="date",
            operator="between",
            formula1=str(_excel_serial(_DATE_MIN)),
            formula2=str(_excel_serial(_DATE_MAX)),
            prompt_title=title,
            prompt=f"Дата в формате ДД.ММ.ГГГГ, например 20.05.2026. {required}",
            error="Введите дату в формате ДД.ММ.ГГГГ.",
        )
    prompt = {
        FieldRole.key: "Код ОО точно как в реестре (например, 0101).",
        FieldRole.name: "Полное наименование ОО по уставу.",
    }.get(school_field.role, school_field.hint or "Текст.")
    return _Rule(
        type="textLength",
        operator="lessThanOrEqual",
        formula1=str(_TEXT_MAX),
        prompt_title=title,
        prompt=f"{prompt} {required}",
        error=f"Не более {_TEXT_MAX} символов.",
    )


class _Lists:
    """Option lists on the hidden «_lists» sheet: one column per list, name in row 1.

    Inline list validations are limited to 255 characters, so long option labels must
    come from a range.
    """

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.column = 0

    def add(self, name: str, labels: list[str]) -> str:
        from openpyxl.utils import get_column_letter

        self.column += 1
        self.sheet.cell(row=1, column=self.column, value=name)
        for row, label in enumerate(labels, start=2):
            _put(self.sheet.cell(row=row, column=self.column), label, force_text=True)
        letter = get_column_letter(self.column)
        return f"{_quote(self.sheet.title)}!${letter}$2:${letter}${len(labels) + 1}"


# --------------------------------------------------------------------------- helpers


def normalise_text(text: object) -> str:
    """Case-, spacing- and «ё»-insensitive form of a label or header."""
    return " ".join(str(text).replace("ё", "е").replace("Ё", "Е").lower().split())


def _put(cell: Any, value: object, *, force_text: bool = False) -> None:
    """Write a value; ``force_text`` keeps «=…» from becoming a live formula."""
    cell.value = value
    if force_text and isinstance(value, str):
        cell.data_type = "s"


def _text(sheet: Worksheet, row: int, column: int, text: str) -> Any:
    """Write config text as text: a title starting with «=» must not become a formula."""
    cell = sheet.cell(row=row, column=column)
    if text:
        _put(cell, text, force_text=True)
    return cell


def _font(size: float = 11, **style: Any) -> Any:
    from openpyxl.styles import Font

    return Font(name=FONT_NAME, size=size, **style)


def _input(cell: Any) -> None:
    from openpyxl.styles import Alignment, PatternFill, Protection

    cell.fill = PatternFill("solid", fgColor=INPUT_FILL)
    cell.protection = Protection(locked=False)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    _border(cell)


def _border(cell: Any) -> None:
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="A6A6A6")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)


def _header_row(sheet: Worksheet, row: int, headers: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, PatternFill

    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=text)
        cell.font = _font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        _border(cell)
    sheet.row_dimensions[row].height = 32


def _print_setup(sheet: Worksheet, *, landscape: bool, title_row: int | None = None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    sheet.oddFooter.center.text = "Стр. &P из &N"
    if title_row is not None:
        sheet.print_title_rows = f"{title_row}:{title_row}"


def _protect(sheet: Worksheet) -> None:
    """Sheet protection without a password; resizing rows and columns stays allowed."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _row_height(*cells: Sequence[tuple[str, float, float]]) -> float:
    """A row height (points) that fits wrapped text without clipping.

    Each argument is one cell, as the parts stacked inside it: (text, column width, font
    size). Neither openpyxl nor Excel fits wrapped rows when a file opens, so the height
    is estimated from characters per line, generously rather than clipped.
    """
    best = 15.0
    for parts in cells:
        height = 0.0
        for text, width, size in parts:
            if not text:
                continue
            per_line = max(1.0, width * 1.05 * 11 / size)
            lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
            height += lines * size * 1.35
        best = max(best, height + 4)
    return min(409.0, round(best, 1))


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f" от {_number_text(low)} до {_number_text(high)}"
    if low is not None:
        return f" не меньше {_number_text(low)}"
    if high is not None:
        return f" не больше {_number_text(high)}"
    return ""


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _formula_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days


def _quote(sheet_title: str) -> str:
    return "'" + sheet_title.replace("'", "''") + "'"


def _clip(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
