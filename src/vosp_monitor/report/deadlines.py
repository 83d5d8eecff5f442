"""The order's deadlines: absolute dates, in the order a school can keep them.

An order dated 14 September 2026 cannot say «в следующем учебном году» or «в течение
месяца»: each item's срок is a date, and the dates follow one another — the forms sent
again first, then the meeting on the results, the schools' decisions, the measures, the
report on them, the next monitoring. The school year is the order's: an order of
September 2026 belongs to 2026/2027, whose measures end by 31 May 2027.

The config's deadlines (``documents.deadline``, ``report_back``, ``letters.resend``, a
measure's own) are kept when they are dates («до 31 мая 2027 г.», «31.05.2027»); a date
without a year («ежегодно, до 31 декабря») takes the first such day after the order; a
relative phrase («в течение учебного года», «в течение месяца», «в течение 5 рабочих дней»)
is counted from the order's date. Without a date of the order (a highlighted placeholder in
the draft), 1 September after the monitored school year stands for it (``monitoring.period``
«2025/2026 учебный год» → 1 September 2026: the order on a year's monitoring opens the next
one), so the same results give the same draft whenever it is made; without a period, the
day of the run.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..config import Config
from ..words.formatting import MONTHS, NBSP

_WORDS = re.compile(r"(\d{1,2})\s+(" + "|".join(MONTHS) + r")(?:\s+(\d{4}))?", re.IGNORECASE)
_DOTS = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_WORKDAYS = re.compile(r"в течение\s+(\d+)\s+рабоч", re.IGNORECASE)
_DAYS = re.compile(r"в течение\s+(\d+)\s+(?:календарн\w+\s+)?дн", re.IGNORECASE)
REVIEW_DAYS = 14  # the meeting on the results: two weeks after the order
SCHOOL_YEAR_END = (5, 31)  # measures of a school year end by 31 May
MONITORING_DUE = (8, 31)  # the next monitoring is summed up before the next school year


@dataclass(frozen=True, slots=True)
class Due:
    """A срок: its words («до 31 мая 2027 г.», «ежегодно, до 31 декабря 2026 г.») and its date."""

    text: str
    date: dt.date

    def __str__(self) -> str:
        return self.text


def due(date: dt.date) -> Due:
    return Due(f"до {date_words(date)}", date)


def date_words(date: dt.date) -> str:
    """«31 мая 2027 г.» (no-break spaces: a date is never broken across lines)."""
    return f"{date.day}{NBSP}{MONTHS[date.month - 1]}{NBSP}{date.year}{NBSP}г."


def parse_date(text: str, after: dt.date | None = None) -> dt.date | None:
    """The date a text names («14.09.2026», «до 31 мая 2027 г.»); a day without a year is the
    first such day on or after ``after``. None when the text names no date."""
    if match := _DOTS.search(text):
        return _safe(int(match[3]), int(match[2]), int(match[1]))
    if match := _WORDS.search(text):
        day, month = int(match[1]), MONTHS.index(match[2].lower()) + 1
        if match[3]:
            return _safe(int(match[3]), month, day)
        if after is not None:
            date = _safe(after.year, month, day)
            if date is not None and date < after:
                date = _safe(after.year + 1, month, day)
            return date
    return None


def _safe(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def school_year_end(order: dt.date) -> int:
    """The calendar year in which the order's school year ends (September starts a new one)."""
    return order.year + 1 if order.month >= 6 else order.year


def add_months(date: dt.date, months: int) -> dt.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    for day in (date.day, 30, 29, 28):
        if (moved := _safe(year, month, day)) is not None:
            return moved
    raise AssertionError("unreachable: the 28th exists in every month")


def add_workdays(date: dt.date, days: int) -> dt.date:
    while days > 0:
        date += dt.timedelta(days=1)
        if date.weekday() < 5:
            days -= 1
    return date


def resolve(text: str, order: dt.date, default: Due) -> Due:
    """A config's срок as a date: kept when it names one (in the words of :func:`date_words`),
    counted from the order when relative, else the default (a phrase with no date in it
    cannot be ordered against the others)."""
    text = text.strip()
    date = parse_date(text, order)
    if date is not None:
        found = _DOTS.search(text) or _WORDS.search(text)
        assert found is not None  # parse_date found it
        prefix = re.sub(r"\bдо\s*$", "", text[: found.start()])
        return Due(f"{prefix}до {date_words(date)}", date)
    lowered = text.lower()
    if match := _WORKDAYS.search(lowered):
        return due(add_workdays(order, int(match[1])))
    if match := _DAYS.search(lowered):
        return due(order + dt.timedelta(days=int(match[1])))
    if "месяц" in lowered:
        return due(add_months(order, 1))
    return default


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Every срок of the order, in the order they fall."""

    order: dt.date  # the order's date (or what stands for it, see the module)
    dated: bool  # the order's date was given
    resend: Due  # forms sent again, the missing form sent
    review: Due  # the meeting of heads on the results
    adopt: Due  # the schools' decisions on their recommendations
    measures: Due  # the measures (documents.deadline)
    report: Due  # the schools report back (documents.report_back)
    next_cycle: Due  # the next monitoring, which checks the order's effect

    def measure(self, text: str) -> Due:
        """A measure's own срок (``documents.measures``), or the measures' one."""
        return resolve(text, self.order, self.measures) if text.strip() else self.measures


def deadlines(config: Config, generated_at: str) -> Deadlines:
    docs = config.documents
    given = parse_date(docs.order.date)
    period = re.search(r"(\d{4})\s*/\s*(\d{4})", config.monitoring.period)
    order = given or (dt.date(int(period[2]), 9, 1) if period else dt.date.fromisoformat(generated_at[:10]))
    end = school_year_end(order)
    measures = resolve(docs.deadline, order, due(dt.date(end, *SCHOOL_YEAR_END)))
    report = resolve(docs.report_back, order, due(measures.date + dt.timedelta(days=10)))
    adopt = due(min(add_months(order, 1), report.date))
    return Deadlines(
        order=order,
        dated=given is not None,
        resend=resolve(docs.letters.resend, order, due(add_workdays(order, 5))),
        review=due(order + dt.timedelta(days=REVIEW_DAYS)),
        adopt=adopt,
        measures=measures,
        report=report,
        next_cycle=due(_after(measures.date, max(dt.date(end, *MONITORING_DUE), report.date))),
    )


def _after(measures: dt.date, earliest: dt.date) -> dt.date:
    """The next monitoring: the first 31 August after the measures end, not before ``earliest``."""
    cycle = dt.date(measures.year, *MONITORING_DUE)
    if cycle < measures:
        cycle = dt.date(measures.year + 1, *MONITORING_DUE)
    return max(cycle, earliest)
