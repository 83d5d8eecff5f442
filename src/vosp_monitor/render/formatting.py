"""Russian number, date and Markdown formatting used by the report and card templates.

Numbers use a decimal comma and a no-break space before units («12,5 %»); Markdown
escaping keeps a school called ``A | B`` from breaking a table.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from typing import Any

from markupsafe import Markup

NBSP = "\u00a0"
_MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
# Characters that change inline Markdown or break a table cell; others stay readable as is.
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|&~]")
_NEWLINES = re.compile(r"[\r\n]+")


@functools.lru_cache(maxsize=65536)
def format_number(value: float | None, decimals: int = 1) -> str:
    """``12.5`` → ``12,5``; thousands grouped with a no-break space from 10 000; None → «—»."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no «-0,0»
    text = f"{abs(rounded):,.{decimals}f}" if decimals else f"{abs(rounded):,.0f}"
    whole, _, frac = text.partition(".")
    if abs(rounded) < 10000:
        whole = whole.replace(",", "")
    whole = whole.replace(",", NBSP)
    sign = "−" if rounded < 0 else ""
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def format_int(value: float | None) -> str:
    return format_number(value, 0)


def format_percent(value: float | None, decimals: int = 1) -> str:
    """A value already in percent: ``30`` → ``30,0 %``."""
    return "—" if value is None else f"{format_number(value, decimals)}{NBSP}%"


def format_share(fraction: float | None, decimals: int = 1) -> str:
    """A fraction 0–1 as percent: ``0.3`` → ``30,0 %``."""
    return "—" if fraction is None else format_percent(fraction * 100, decimals)


def format_date(iso: str) -> str:
    """``2026-03-15T10:30:00`` → ``15 марта 2026 г.``"""
    try:
        day = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year} г."


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: ``plural(2, "школа", "школы", "школ")`` → ``2 школы``."""
    n = int(n)
    tail = n % 100
    if 11 <= tail <= 14:
        word = many
    elif n % 10 == 1:
        word = one
    elif 2 <= n % 10 <= 4:
        word = few
    else:
        word = many
    return f"{format_int(n)} {word}"


def format_range(low: float | None, high: float | None) -> str:
    """An allowed range in words: «от 0 до 100», «не меньше 1», «не больше 5», «любое число»."""
    if low is not None and high is not None:
        return f"от {format_compact(low)} до {format_compact(high)}"
    if low is not None:
        return f"не меньше {format_compact(low)}"
    if high is not None:
        return f"не больше {format_compact(high)}"
    return "любое число"


def format_compact(value: float | None, decimals: int = 2) -> str:
    """Points, bounds, targets: no useless zeros (``3.0`` → ``3``, ``0.5`` → ``0,5``)."""
    text = format_number(value, decimals)
    if "," in text:
        text = text.rstrip("0").removesuffix(",")
    return text


@functools.lru_cache(maxsize=8192)
def md_escape(value: Any) -> str:
    """Text safe inside Markdown (and Markdown tables): specials backslash-escaped, one line.

    Cached: indicator titles and measures repeat in every one of thousands of cards.
    """
    return _NEWLINES.sub(" ", _MD_SPECIAL.sub(r"\\\g<0>", str(value)))


def md_finalize(value: Any) -> Any:
    if value is None or isinstance(value, Markup | int | float):
        return "" if value is None else value
    return md_escape(value)
