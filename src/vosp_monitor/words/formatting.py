"""The one presentation formatter: numbers, dates, ranges and escaping for people.

Every number a person reads in a report, card, letter or table cell is formatted here:
a decimal comma, a no-break space before units («12,5 %») and in thousands («40 000»).
Text that comes from the config (a measure «довести долю до 30 %») gets the same no-break
spaces when a template prints it (:func:`typeset`, in both finalize hooks).
Text from submissions is made safe for each format here too: :func:`md_escape` keeps a
school called ``A | B`` from breaking a Markdown table and turns control characters into
spaces; :func:`html_text` removes what an HTML page cannot hold (autoescaping does the
rest). CSV and xlsx cells use ``text.one_line`` and ``text.xml_text``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from .text import in_line, one_line, xml_text

NBSP = "\u00a0"
MONTHS = (  # the genitive: «14 сентября»
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
# What no HTML page (nor a UTF-8 file) can hold, beyond what XML forbids: DEL and the C1
# controls, and the bidi embeddings/overrides/isolates that reorder what a reader sees.
_HTML_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Lone surrogates cannot be encoded as UTF-8 at all.
_SURROGATES = re.compile("[\ud800-\udfff]")
# A number and its unit that a line must not part (names such as «СОШ № 3» are left as typed).
_UNIT_SPACE = re.compile(
    r"(?<=\d) (?=(?:%|ОО|б\.|ед\.|чел\.|п\.\u00a0?п\.|балл|баллов|балла|раз|лет|года?)(?![А-Яа-яЁё]))"
    # and a short word before a number: «1,7 из 2», «от 50 до 80»
    r"|(?<=\bиз|\bдо|\bот) (?=\d)"
)


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


def printed_difference(
    later: float, earlier: float, decimals: int = 1, earlier_decimals: int | None = None
) -> float:
    """``later − earlier`` as a reader works it out from the two numbers printed beside it.

    Each value is rounded as :func:`format_number` prints it (``decimals``; ``earlier_decimals``
    when the earlier one is printed otherwise, a target «27,25» beside a share «30,0 %»), and
    the difference is kept to the finer of the two. So «62,0 → 68,8» is «+6,8», never the
    «+6,9» of 61,96 and 68,84; «96,0 … 50,1» differ by 45,9. Every difference the documents
    and the console print goes through here (:func:`format_difference`).
    """
    before = decimals if earlier_decimals is None else earlier_decimals
    return round(round(float(later), decimals) - round(float(earlier), before), max(decimals, before))


def format_difference(
    later: float, earlier: float, decimals: int = 1, *, unit: str = "", earlier_decimals: int | None = None
) -> str:
    """The printed difference with its sign: «+6,8», «−2,0 п.п.», «0,0» (no sign for zero)."""
    places = max(decimals, decimals if earlier_decimals is None else earlier_decimals)
    text = format_number(printed_difference(later, earlier, decimals, earlier_decimals), places)
    if not text.startswith("−") and text.strip("0,") != "":
        text = "+" + text
    return f"{text}{NBSP}{unit}" if unit else text


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
    return f"{day.day} {MONTHS[day.month - 1]} {day.year} г."


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: ``plural(2, "школа", "школы", "школ")`` → ``2 школы`` (a no-break space between)."""
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
    return f"{format_int(n)}{NBSP}{word}"


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
    """Text safe inside Markdown (and Markdown tables): one line, specials backslash-escaped.

    Line breaks, control characters (an ANSI escape, a vertical tab) and bidi overrides
    become spaces (``text.one_line``); lone surrogates, which no file can hold, go.
    Cached: indicator titles and measures repeat in every one of thousands of cards.
    """
    text = one_line(str(value))
    if not text.isprintable():
        text = _SURROGATES.sub("", text)
    return _MD_SPECIAL.sub(r"\\\g<0>", text)


@functools.lru_cache(maxsize=8192)
def md_inline(text: str) -> str:
    """:func:`md_escape` for a piece of a line (text beside emphasis): its spaces kept."""
    text = in_line(text)
    if not text.isprintable():
        text = _SURROGATES.sub("", text)
    return _MD_SPECIAL.sub(r"\\\g<0>", text)


@functools.lru_cache(maxsize=65536)
def typeset(text: str) -> str:
    """No-break spaces where a line must not part: «30 %», «5 ОО», «2 балла», «из 2», «до 80»."""
    return _UNIT_SPACE.sub(NBSP, text) if " " in text else text


def printed_once(clean: Callable[[str], Markup | str]) -> Callable[[str], Markup | str]:
    """``clean`` kept per text: a template's finalize hook runs for every printed value, and
    in thousands of cards and letters most of them repeat (titles, units, «—», marks).

    A dict, not ``lru_cache``: nothing to reorder on a hit. Only short texts (a long one
    rarely repeats), and at most :data:`PRINTED_KEPT` of them, so memory stays bounded.
    """
    kept: dict[str, Markup | str] = {}

    def cleaned(text: str) -> Markup | str:
        found = kept.get(text)
        if found is None:
            found = clean(text)
            if len(text) <= 200 and len(kept) < PRINTED_KEPT:
                kept[text] = found
        return found

    return cleaned


PRINTED_KEPT = 20_000  # texts per hook: a few MB at most; the repeating ones are far fewer
_md_printed = printed_once(lambda text: md_escape(typeset(text)))


def md_finalize(value: Any) -> Any:
    """Jinja2 ``finalize`` for Markdown templates: every printed value typeset and escaped."""
    if value.__class__ is str:
        return _md_printed(value)
    if value is None or isinstance(value, Markup | int | float):
        return "" if value is None else value
    return md_escape(typeset(str(value)))


def html_text(text: str) -> str:
    """Text an HTML page can hold: what XML forbids, DEL/C1 controls and bidi overrides removed.

    A vertical tab or form feed becomes a line break, as in ``text.xml_text``; escaping
    of ``<`` and ``&`` is left to the template engine's autoescaping.
    """
    if text.isprintable():
        return text
    return _HTML_UNSAFE.sub("", xml_text(text))


_html_printed = printed_once(lambda text: escape(html_text(typeset(text))))


def html_finalize(value: Any) -> Any:
    """Jinja2 ``finalize`` for HTML templates: text cleaned before autoescaping (markup kept).

    A plain string comes back already escaped (as :class:`Markup`, which autoescaping
    leaves as it is), so each distinct text is cleaned and escaped once per process.
    """
    if value.__class__ is str:
        return _html_printed(value)
    if value is None:
        return ""
    if isinstance(value, str) and not isinstance(value, Markup):
        return html_text(typeset(value))
    return value
