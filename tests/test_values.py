"""Values as people type them: each form from issue 3, item 3, and the notes they leave."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vosp_monitor.ingest import RawCell
from vosp_monitor.validate.values import (
    Failure,
    match_option,
    read_choice,
    read_date,
    read_number,
    read_special,
    read_text,
    read_yesno,
)


@pytest.mark.parametrize(
    ("typed", "value", "note"),
    [
        ("12,5", 12.5, "12,5"),  # notes are Russian: a decimal comma
        ("12.5", 12.5, ""),
        (" 15 ", 15.0, ""),
        ("15", 15.0, ""),
        ("1 234", 1234.0, "1234"),
        ("1\u00a0234", 1234.0, "1234"),
        ("1\u2009234", 1234.0, "1234"),
        ("1\u202f234", 1234.0, "1234"),
        ("1 234,5", 1234.5, "1234,5"),
        ("12 345 678", 12345678.0, "12\u00a0345\u00a0678"),
        ("-3", -3.0, ""),
        ("\u22123", -3.0, "\u22123"),
        ("+7", 7.0, ""),
        (",5", 0.5, "0,5"),
        (42.0, 42.0, ""),
        (42, 42.0, ""),
        (0.125, 0.125, ""),
    ],
)
def test_numbers_as_typed(typed, value, note):
    reading = read_number(typed)
    assert (reading.value, reading.note, reading.failure) == (value, note, None)


@pytest.mark.parametrize("typed", ["12 чел.", "двенадцать", "1.2.3", "12,5,6", "30 %", "", "-", "1 23"])
def test_not_numbers(typed):
    assert read_number(typed).failure == Failure.not_number


def test_booleans_and_dates_are_not_numbers():
    assert read_number(True).failure == Failure.not_number
    assert read_number(dt.date(2025, 1, 1)).failure == Failure.not_number
    assert read_number(float("nan")).failure == Failure.not_number


@pytest.mark.parametrize(
    ("typed", "percent_format", "value", "note"),
    [
        ("30 %", False, 30.0, "30"),
        ("30%", False, 30.0, "30"),
        ("12,5 %", False, 12.5, "12,5"),
        (30.0, False, 30.0, ""),
        (0.3, True, 30.0, "30"),
        (0.07, True, 7.0, "7"),
    ],
)
def test_percent_cells(typed, percent_format, value, note):
    reading = read_number(typed, percent=True, percent_format=percent_format)
    assert (reading.value, reading.note) == (value, note)


def test_percent_format_note_shows_the_stored_value():
    reading = read_number(0.3, percent=True, percent_format=True)
    assert reading.original == "0,3 (ячейка в формате %)"  # as Russian Excel shows 0.3


@pytest.mark.parametrize(
    ("typed", "answer", "note"),
    [
        ("да", True, ""),
        ("Да", True, ""),
        ("ДА", True, ""),
        (" да ", True, ""),
        ("yes", True, "да"),
        ("Yes", True, "да"),
        ("1", True, "да"),
        (1.0, True, "да"),
        ("+", True, "да"),
        ("есть", True, "да"),
        ("true", True, "да"),
        (True, True, ""),
        ("нет", False, ""),
        ("Нет", False, ""),
        ("no", False, "нет"),
        ("0", False, "нет"),
        (0.0, False, "нет"),
        ("-", False, "нет"),
        ("–", False, "нет"),
        ("false", False, "нет"),
        (False, False, ""),
    ],
)
def test_yes_no(typed, answer, note):
    reading = read_yesno(typed)
    assert (reading.value, reading.note, reading.failure) == (answer, note, None)


@pytest.mark.parametrize("typed", ["может быть", "2", "да нет", 0.5])
def test_not_yes_no(typed):
    assert read_yesno(typed).failure == Failure.not_yesno


OPTIONS = ["Орган не создан", "Создан, вопросы «воспитания» рассматривались 2 раза", "Ёлка ещё есть"]


@pytest.mark.parametrize(
    ("typed", "index", "noted"),
    [
        ("Орган не создан", 0, False),
        ("орган НЕ создан", 0, False),
        ("  Орган   не создан ", 0, False),
        ("Орган не создан.", 0, True),
        ('Создан, вопросы "воспитания" рассматривались 2 раза', 1, True),
        ("Создан, вопросы воспитания рассматривались 2 раза", 1, True),
        ("елка еще есть", 2, True),
        ("2. Создан, вопросы «воспитания» рассматривались 2 раза", 1, True),
    ],
)
def test_choices(typed, index, noted):
    reading = read_choice(typed, OPTIONS)
    assert reading.value == OPTIONS[index]
    assert bool(reading.note) == noted


@pytest.mark.parametrize("typed", ["1", "2", 1.0, "0", "Орган создан", ""])
def test_choice_numbers_are_not_guessed(typed):
    """«1» could be the first option or 1 point (the second option): never guess."""
    assert read_choice(typed, OPTIONS).failure == Failure.not_option
    assert match_option(str(typed), OPTIONS) is None


@pytest.mark.parametrize(
    ("typed", "date", "noted"),
    [
        ("01.09.2025", dt.date(2025, 9, 1), False),
        ("1.9.2025", dt.date(2025, 9, 1), False),
        ("1.9.25", dt.date(2025, 9, 1), True),
        ("2025-09-01", dt.date(2025, 9, 1), False),
        (dt.date(2025, 9, 1), dt.date(2025, 9, 1), False),
        (dt.datetime(2025, 9, 1, 0, 0), dt.date(2025, 9, 1), False),
        (45901.0, dt.date(2025, 9, 1), True),
        ("45901", dt.date(2025, 9, 1), True),
    ],
)
def test_dates(typed, date, noted):
    reading = read_date(typed)
    assert reading.value == date
    assert bool(reading.note) == noted


@pytest.mark.parametrize("typed", ["31.02.2025", "вчера", "2025/13/01", 1.5, True])
def test_not_dates(typed):
    assert read_date(typed).failure == Failure.not_date


@pytest.mark.parametrize(
    "text",
    ["#DIV/0!", "#ДЕЛ/0!", "#REF!", "#ССЫЛКА!", "#N/A", "#Н/Д", "#VALUE!", "#ЗНАЧ!", "#NAME?", "#ИМЯ?"],
)
def test_error_values_typed_or_cached(text):
    reading = read_special(RawCell("Показатели", "D7", text))
    assert (reading.failure, reading.original) == (Failure.error_cell, text)


def test_special_cells():
    assert read_special(None).failure == Failure.empty
    assert read_special(RawCell("S", "A1", "  ")).failure == Failure.empty
    assert read_special(RawCell("S", "A1", None, error="#REF!")).failure == Failure.error_cell
    assert read_special(RawCell("S", "A1", None, formula_without_value=True)).failure == (
        Failure.formula_without_value
    )
    assert read_special(RawCell("S", "A1", 5.0)) is None


def test_codes_typed_as_numbers_keep_no_decimal_point():
    assert read_text(101.0).value == "101"
    assert read_text(" 0101 ").value == "0101"


# --------------------------------------------------------------------------- properties


def _russian(value: float, separator: str) -> str:
    whole, _, fraction = f"{abs(value):.3f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = separator.join(groups) + "," + fraction
    return ("-" if value < 0 else "") + text


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda x: round(x, 3)),
    st.sampled_from([" ", "\u00a0", "\u2009", "\u202f", ""]),
)
def test_russian_formatting_round_trips(value, separator):
    text = _russian(value, separator)
    reading = read_number(text)
    assert reading.ok, text
    assert reading.value == pytest.approx(value, abs=1e-9)
    assert reading.note  # a comma decimal is always worth a note


@given(st.one_of(st.text(max_size=30), st.floats(), st.integers(), st.booleans(), st.dates(), st.none()))
def test_readers_never_raise(value):
    for reader in (read_number, read_yesno, read_date, read_text):
        reading = reader(value)
        assert reading.ok or reading.failure is not None
    assert read_number(value, percent=True, percent_format=True).ok in (True, False)
    assert read_choice(value, OPTIONS).ok in (True, False)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_numbers_as_text_read_back_without_note(number):
    reading = read_number(str(number))
    assert (reading.value, reading.note) == (float(number), "")
