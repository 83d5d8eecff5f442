"""The order's сроки: dates read from the config's words, counted from the order's date, in order."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring_helpers import block, linear, make_config
from vosp_monitor.report.deadlines import add_workdays, date_words, deadlines, due, parse_date, resolve
from vosp_monitor.words.formatting import NBSP

ORDER = dt.date(2026, 9, 14)  # a Monday
DEFAULT = due(dt.date(2027, 5, 31))


@pytest.mark.parametrize(
    ("text", "words", "date"),
    [
        ("до 31 мая 2027 г.", "до 31 мая 2027 г.", dt.date(2027, 5, 31)),
        ("31.05.2027", "до 31 мая 2027 г.", dt.date(2027, 5, 31)),
        ("ежегодно, до 31 декабря", "ежегодно, до 31 декабря 2026 г.", dt.date(2026, 12, 31)),
        ("до 1 сентября", "до 1 сентября 2027 г.", dt.date(2027, 9, 1)),  # the next one after the order
        ("в течение 5 рабочих дней", "до 21 сентября 2026 г.", dt.date(2026, 9, 21)),  # Mon + 5 working days
        ("в течение 10 дней", "до 24 сентября 2026 г.", dt.date(2026, 9, 24)),
        ("в течение месяца", "до 14 октября 2026 г.", dt.date(2026, 10, 14)),
        ("в течение учебного года", "до 31 мая 2027 г.", dt.date(2027, 5, 31)),  # no date in it: the default
    ],
)
def test_a_config_deadline_becomes_a_date(text, words, date):
    result = resolve(text, ORDER, DEFAULT)
    assert (result.text.replace(NBSP, " "), result.date) == (words, date)


def test_the_deadlines_of_an_order_of_september_are_in_order():
    config = make_config([block("X", [linear("A")])])
    data = config.model_dump(by_alias=True)
    data["documents"] = {"order": {"date": "14.09.2026"}, "report_back": "до 1 февраля 2027 г."}
    found = deadlines(type(config).model_validate(data), "2030-01-01T00:00:00")
    assert found.dated and found.order == ORDER
    dates = [found.resend, found.review, found.adopt, found.report, found.measures, found.next_cycle]
    assert [d.date for d in dates] == [
        dt.date(2026, 9, 21),
        dt.date(2026, 9, 28),
        dt.date(2026, 10, 14),
        dt.date(2027, 2, 1),
        dt.date(2027, 5, 31),  # the school year 2026/2027 of the order
        dt.date(2027, 8, 31),
    ]


def test_without_an_order_date_the_school_year_after_the_monitored_one():
    config = make_config([block("X", [linear("A")])])
    data = config.model_dump(by_alias=True)
    data["monitoring"]["period"] = "2025/2026 учебный год"
    found = deadlines(type(config).model_validate(data), "2030-01-01T00:00:00")
    assert not found.dated and found.order == dt.date(2026, 9, 1)
    assert found.measures.date == dt.date(2027, 5, 31)
    # with no period either, the day of the run; an order of March ends its measures that May
    found = deadlines(config, "2026-03-15T10:00:00")
    assert found.order == dt.date(2026, 3, 15) and found.measures.date == dt.date(2026, 5, 31)
    assert found.next_cycle.date == dt.date(2026, 8, 31)


def test_decisions_are_adopted_before_the_report_even_when_it_is_soon():
    config = make_config([block("X", [linear("A")])])
    data = config.model_dump(by_alias=True)
    data["documents"] = {"order": {"date": "14.09.2026"}, "report_back": "до 1 октября 2026 г."}
    found = deadlines(type(config).model_validate(data), "2026-09-14T00:00:00")
    assert found.adopt.date == found.report.date == dt.date(2026, 10, 1)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_a_date_in_words_reads_back_as_itself(date):
    assert parse_date(date_words(date)) == date
    assert parse_date(date.strftime("%d.%m.%Y")) == date


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(1, 30))
def test_working_days_skip_weekends(date, days):
    end = add_workdays(date, days)
    assert end.weekday() < 5 and end > date
    weekdays = sum((date + dt.timedelta(d)).weekday() < 5 for d in range(1, (end - date).days + 1))
    assert weekdays == days
