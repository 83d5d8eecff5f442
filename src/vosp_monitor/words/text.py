"""Text from submissions made safe and comparable: one helper per job, used everywhere.

A cell can hold any Unicode a school (or an attacker) puts there: a vertical tab that
Excel stores for Shift+Enter in text pasted from Word, ANSI escapes, bidi overrides, a
zero-width space inside a school code, full-width digits, forty megabytes of one name.
Every reader and writer goes through these functions, so that

* a code compares the way a person reads it (``０１０１`` and ``0101`` with a zero-width
  space are the same school: :func:`code_key`);
* a file format gets only characters it can hold (:func:`xml_text` for xlsx and docx,
  :func:`one_line` for Markdown tables and CSV, :func:`terminal_text` for the console);
* no text taken from a submission is longer than :data:`TEXT_LIMIT` (:func:`clip`), so
  memory and output size follow the number of schools, not what one file contains.
"""

from __future__ import annotations

import re
import unicodedata

TEXT_LIMIT = 2000  # characters kept of any text taken from a submission
ELLIPSIS = "…"

# XML 1.0 cannot hold C0 controls other than tab, line feed and carriage return, lone
# surrogates, or U+FFFE/U+FFFF; openpyxl and python-docx raise on them.
# A code a line must not break at its hyphen or dash: «UPR-5», «KR-1.2», places «4–5», «11–14»
# (short parts only: «детско-родительские» may break as any word).
UNBROKEN_CODE = re.compile(
    r"(?<![\w,-])\w{1,6}(?:,\d{1,3})?(?:[-–.]\w{1,6}(?:,\d{1,3})?)*[-–]\w{1,6}(?:,\d{1,3})?(?![\w-])"
)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS_AS_CONTROLS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})  # Shift+Enter from Word
# What must never reach a terminal raw: every C0 and C1 control (ESC starts ANSI
# sequences), line and paragraph separators, and bidi embeddings/overrides/isolates,
# which reorder what the analyst sees (CVE-2021-42574, «Trojan Source»).
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")
_DIRECTION_MARKS = re.compile("[\u061c\u200e\u200f]+")  # harmless in documents, confusing in a terminal
# Invisible characters people paste into codes: zero-width space/joiners, word joiner,
# BOM, soft hyphen, and the other format (Cf) characters.
_INVISIBLE = {ord(ch): None for ch in "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"}


def clip(text: str, limit: int = TEXT_LIMIT) -> str:
    """At most ``limit`` characters; a cut text ends with «…» so the reader sees it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def xml_text(text: str) -> str:
    """Text that xlsx and docx can hold: vertical tab and form feed become line breaks,
    other control characters and lone surrogates are dropped."""
    if text.isprintable():  # the common case: nothing to do (and fast)
        return text
    return _XML_ILLEGAL.sub("", text.translate(_LINE_BREAKS_AS_CONTROLS))


def one_line(text: str) -> str:
    """Text for one table cell or one console line: controls and line breaks become spaces."""
    if text.isprintable():
        return text
    return _TERMINAL_UNSAFE.sub(" ", text).strip()


def in_line(text: str) -> str:
    """A piece of one line (beside emphasis, a link): like :func:`one_line`, its spaces kept."""
    if text.isprintable():
        return text
    return _TERMINAL_UNSAFE.sub(" ", text)


def terminal_text(text: str) -> str:
    """Text for the console: one line, with no escape sequences, controls, bidi overrides or marks.

    Its leading spaces are kept (they indent a list), also when it holds a no-break space.
    """
    return _DIRECTION_MARKS.sub("", in_line(text)).rstrip()


def normalise_code(text: str) -> str:
    """A school code as a person reads it: Unicode NFKC (full-width digits become ASCII),
    invisible characters removed, spaces (including no-break ones) trimmed."""
    folded = unicodedata.normalize("NFKC", text).translate(_INVISIBLE)
    folded = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return folded.strip()


def code_key(text: str) -> str:
    """The key under which two school codes are the same school (also case-insensitive)."""
    return normalise_code(text).casefold()
