"""Rules for the sheet «Сведения об ОО»: the school's code and name, and every school field.

An empty or unreadable field does what its ``missing`` says (``SchoolField.missing_policy``):
a field the school cannot be ranked without — its code, name, group or contingent —
excludes the whole school; a reference field (the head, who filled the form in, the date)
only warns, and its value is left out. The school code is read the way a person reads
it (:func:`text.normalise_code`: full-width digits, zero-width spaces and other look-alikes
folded), so that an impostor typing ``０１０１`` is caught as a duplicate of ``0101``; when
that changes what was typed, a warning and a normalisation say so.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from ..config import Config, FieldMissing, FieldType, SchoolField
from ..ingest.raw import RawCell, RawForm
from ..layout import SHEET_FIELDS
from ..problems import Consequence, Problem, Severity
from ..words.formatting import format_range
from ..words.text import normalise_code
from .fast import FieldRule
from .rules import Rule, Scope, is_whole, within
from .submission import FieldValue, Normalisation
from .values import (
    Failure,
    Reading,
    read_choice,
    read_date,
    read_number,
    read_special,
    read_text,
    read_yesno,
)

_FIELD_EXPECTED = {
    FieldType.integer: "целое число",
    FieldType.number: "число",
    FieldType.date: "дата в виде ДД.ММ.ГГГГ",
    FieldType.yesno: "«да» или «нет»",
}
_CHANGES_SHOWN = 5  # characters named in a school-code-normalised message


def identity(raw: RawForm, config: Config) -> tuple[str, str]:
    """The school code (normalised) and name, read first so that every problem names the school."""
    return normalise_code(_text(raw.fields.get(config.key_field.key))), _text(
        raw.fields.get(config.name_field.key)
    )


def _text(cell: RawCell | None) -> str:
    if cell is None or read_special(cell) is not None:
        return ""
    return str(read_text(cell.value).value)


def check_fields(
    scope: Scope, raw: RawForm, config: Config, shortcuts: Mapping[str, FieldRule | None] | None = None
) -> Rule[dict[str, FieldValue]]:
    """Every school field; returns the usable values (a field with an error is left out).

    ``shortcuts``: field key → its ``fast.compile_field``, tried first (None: the rules decide)."""
    values: dict[str, FieldValue] = {}
    for school_field in config.school_fields:
        cell = raw.fields.get(school_field.key)
        rule = shortcuts.get(school_field.key) if shortcuts else None
        decided = rule(cell) if rule is not None else None
        if decided is None:
            is_key = school_field.key == config.key_field.key
            decided = yield from _check_field(scope, cell, school_field, is_key)
        usable, value = decided
        if usable:
            values[school_field.key] = value
    return values


def _check_field(
    scope: Scope, cell: RawCell | None, school_field: SchoolField, is_key: bool
) -> Rule[tuple[bool, FieldValue]]:
    """(usable, value) of one field; an unusable field has had its problem reported."""
    special = read_special(cell)
    if cell is None or special is not None:
        failure = special.failure if special is not None else Failure.empty
        if failure == Failure.empty:
            if not school_field.required:
                return True, None
            yield _field_problem(scope, cell, school_field, "field-missing")
        elif special is not None and failure == Failure.error_cell:
            yield _field_problem(scope, cell, school_field, "field-type", special.original, expected=True)
        else:
            yield _field_problem(
                scope, cell, school_field, "field-type", "формула без значения", expected=True
            )
        return False, None
    reading = _read_field_value(cell, school_field)
    if not reading.ok:
        yield _field_problem(scope, cell, school_field, "field-type", reading.original, expected=True)
        return False, None
    value = reading.value
    if isinstance(value, float) and school_field.type in (FieldType.integer, FieldType.number):
        if school_field.type == FieldType.integer and not is_whole(value):
            yield _field_problem(scope, cell, school_field, "field-type", value, expected="целое число")
            return False, None
        if not within(value, school_field.min, school_field.max):
            expected = format_range(school_field.min, school_field.max)
            yield _field_problem(scope, cell, school_field, "field-range", value, expected=expected)
            return False, None
    if is_key and isinstance(value, str):
        code = yield from _school_code(scope, cell, school_field, value)
        if not code:
            return False, None
        return True, code
    yield from scope.note(reading, cell, school_field.key)
    return True, value


def _school_code(scope: Scope, cell: RawCell, school_field: SchoolField, typed: str) -> Rule[str]:
    """The code as a person reads it; a warning when that differs from what was typed."""
    code = normalise_code(typed)
    if not code:
        yield _field_problem(scope, cell, school_field, "field-missing")
        return ""
    if code != typed:
        yield scope.problem(
            "school-code-normalised",
            cell=cell,
            value=typed,
            typed=typed,
            read_as=code,
            detail=_changes(typed),
        )
        yield Normalisation(scope.file, cell.sheet, cell.cell, school_field.key, typed, code)
    return code


def _changes(typed: str) -> str:
    """Which characters normalisation changed, named so a person can find them."""
    changed = list(dict.fromkeys(ch for ch in typed if normalise_code(ch) != ch and not ch.isspace()))
    names = [f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip() for ch in changed[:_CHANGES_SHOWN]]
    if len(changed) > _CHANGES_SHOWN:
        names.append("…")
    return "изменены символы: " + ", ".join(names) if names else "убраны пробелы"


def _field_problem(
    scope: Scope,
    cell: RawCell | None,
    school_field: SchoolField,
    code: str,
    value: object = "",
    *,
    expected: str | bool = False,
) -> Problem:
    """A field problem: by the field's ``missing``, an error that excludes the school or a
    warning. ``expected=True``: the field's own wording."""
    params: dict[str, Any] = {"label": school_field.label}
    if expected:
        params["expected"] = _field_expected(school_field) if expected is True else expected
    if school_field.missing_policy == FieldMissing.warning:
        return scope.problem(
            code, cell=cell, sheet=SHEET_FIELDS, value=value, severity=Severity.warning, **params
        )
    return scope.problem(
        code,
        cell=cell,
        sheet=SHEET_FIELDS,
        value=value,
        consequence=Consequence.school_excluded,
        **params,
    )


def _read_field_value(cell: RawCell, school_field: SchoolField) -> Reading:
    kind = school_field.type
    if kind in (FieldType.integer, FieldType.number):
        return read_number(cell.value)
    if kind == FieldType.choice:
        return read_choice(cell.value, school_field.choices or [])
    if kind == FieldType.yesno:
        return read_yesno(cell.value)
    if kind == FieldType.date:
        return read_date(cell.value)
    return read_text(cell.value)


def _field_expected(school_field: SchoolField) -> str:
    if school_field.type == FieldType.choice:
        return "один из вариантов: " + "; ".join(f"«{c}»" for c in school_field.choices or [])
    expected = _FIELD_EXPECTED.get(school_field.type, "текст")
    if school_field.type in (FieldType.integer, FieldType.number) and (
        school_field.min is not None or school_field.max is not None
    ):
        expected += " " + format_range(school_field.min, school_field.max)
    return expected
