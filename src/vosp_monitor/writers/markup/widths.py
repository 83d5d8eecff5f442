"""Column widths of a table from its text, so that no word of a header is ever broken.

Word and LibreOffice break a word in two when its column is narrower than the word (a
browser lets it stick out). The Word writer sets these widths in mm, the HTML writer the
same proportions, so a table looks alike on screen and on paper. A
column here is therefore at least as wide as its longest word (a header's word at the
header's bold size; a number with its unit — «30,0 %», held together by a no-break
space — counts as one word), and the rest of the page is shared out by how much text each
column holds (:func:`_line_chars`). A word's width is estimated letter by letter from Times New Roman's widths
(capitals and digits are wider than small letters), a little generously, so a column is
rather too wide than too narrow.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

MM_PER_CHAR_PT = 0.19  # an average letter of Times New Roman is about 0.19 mm wide per point of size
BOLD = 1.1  # bold letters are about a tenth wider
# Widths in em of Times New Roman (rounded up): a capital or «Ш» is twice an «i».
_EM = {"capital": 0.74, "wide": 0.76, "digit": 0.5, "small": 0.5, "narrow": 0.3, "space": 0.25}
_WIDE_SMALL = set("мшщжюыфМШЩЖЮЫФmw")
_NARROW = set("iljtfr.,;:!'|()[]-–—/ ")
_SIGNS = {"%": 0.84, "★": 1.0, "№": 1.0, "▼": 1.0, "→": 1.0}  # wider than a letter: «18,2 %» is not to wrap
_MM_PER_EM_PT = 25.4 / 72  # one em at one point of size, in mm
PADDING_MM = 2.8  # the cell's left and right margins (68 twips each) and a little air
PREFERRED_CHARS = 60  # a text up to this long asks for one line; a longer one wraps anyway
SAMPLE_ROWS = 3000  # a ranking of 40 000 schools: its widths are decided by its first rows


def column_widths(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    available: float,
    *,
    body_pt: float,
    header_pt: float,
    columns: int,
    fill: bool = True,
    numeric: Sequence[bool] = (),
) -> list[float]:
    """Widths in mm for the columns of a table at most ``available`` mm wide.

    A number keeps its unit by a no-break space, so the two count as one word. ``fill``: the table takes the
    whole width (else only what its text asks for, up to the whole width). ``numeric``: the columns of
    numbers, whose header may wrap word by word (a tall header is printed once a page; a wide
    column of short numbers would take the width from the names and make every row two lines).
    """
    count = columns
    minimum = [PADDING_MM] * count
    preferred = [PADDING_MM] * count
    char_body = MM_PER_CHAR_PT * body_pt
    char_head = MM_PER_CHAR_PT * header_pt * BOLD
    word_body = _MM_PER_EM_PT * body_pt
    word_head = _MM_PER_EM_PT * header_pt * BOLD
    if header is not None:
        for k, text in enumerate(header[:count]):
            minimum[k] = max(minimum[k], _longest_word(text) * word_head + PADDING_MM)
            if not (k < len(numeric) and numeric[k]):
                preferred[k] = max(preferred[k], min(len(text), PREFERRED_CHARS) * char_head / 2 + PADDING_MM)
    for row in rows[:SAMPLE_ROWS]:
        for k, text in enumerate(row[:count]):
            if not text:
                continue
            minimum[k] = max(minimum[k], _longest_word(text) * word_body + PADDING_MM)
            preferred[k] = max(preferred[k], _line_chars(len(text)) * char_body + PADDING_MM)
    preferred = [max(p, m) for p, m in zip(preferred, minimum, strict=True)]
    return _share(minimum, preferred, available, fill)


def _share(minimum: list[float], preferred: list[float], available: float, fill: bool) -> list[float]:
    low = sum(minimum)
    if low >= available:  # even the words do not fit: shrink everything alike
        return [m * available / low for m in minimum]
    high = sum(preferred)
    if high <= available:
        if not fill:
            return preferred
        spare = available - high
        return [p + spare * p / high for p in preferred]
    room = available - low
    want = high - low
    return [m + room * (p - m) / want for m, p in zip(minimum, preferred, strict=True)]


def _line_chars(length: int) -> float:
    """The width a cell of ``length`` characters asks for, in characters: one line up to
    :data:`PREFERRED_CHARS`, beyond that growing as the square root of its length — the share
    that makes a table of long texts shortest (a column's lines are its length over its width,
    and the widths that minimise their sum grow as the square root of the lengths)."""
    if length <= PREFERRED_CHARS:
        return length
    return PREFERRED_CHARS * math.sqrt(min(length, 16 * PREFERRED_CHARS) / PREFERRED_CHARS)


@functools.lru_cache(maxsize=65536)
def _longest_word(text: str) -> float:
    """The widest word of ``text``, in em (a no-break space joins, as in print)."""
    return max((sum(_em(c) for c in word) for word in text.split(" ")), default=0.0)


@functools.cache
def _em(char: str) -> float:
    if char in _SIGNS:
        return _SIGNS[char]
    if char.isdigit():
        return _EM["digit"]
    if char in _WIDE_SMALL:
        return _EM["wide"]
    if char in _NARROW:
        return _EM["narrow"]
    if char == "\u00a0":
        return _EM["space"]
    return _EM["capital"] if char.isupper() else _EM["small"]
