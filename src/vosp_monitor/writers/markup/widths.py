"""Column widths of a table from its text, so that no word of a header is ever broken.

Word and LibreOffice break a word in two when its column is narrower than the word (a
browser lets it stick out). The Word writer sets these widths in mm, the HTML writer the
same proportions, so a table looks alike on screen and on paper. A
column here is therefore at least as wide as its longest word (a header's word at the
header's bold size; a number with its unit — «30,0 %», held together by a no-break
space — as a whole), and the rest of the page is shared out by how much text each column
holds. The estimate is conservative (Times New Roman's Cyrillic letters are narrower than
assumed), so a column is a little too wide rather than too narrow.
"""

from __future__ import annotations

from collections.abc import Sequence

MM_PER_CHAR_PT = 0.19  # an average letter of Times New Roman is about 0.19 mm wide per point of size
BOLD = 1.1  # bold letters are about a tenth wider
PADDING_MM = 2.8  # the cell's left and right margins (68 twips each) and a little air
PREFERRED_CHARS = 60  # a long text wraps anyway: beyond this it asks for no more width
SAMPLE_ROWS = 3000  # a ranking of 40 000 schools: its widths are decided by its first rows


def column_widths(
    header: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    available: float,
    *,
    body_pt: float,
    header_pt: float,
    numeric: Sequence[bool],
    fill: bool = True,
) -> list[float]:
    """Widths in mm for the columns of a table at most ``available`` mm wide.

    ``numeric``: the column holds numbers, which never wrap. ``fill``: the table takes the
    whole width (else only what its text asks for, up to the whole width).
    """
    count = len(numeric)
    minimum = [PADDING_MM] * count
    preferred = [PADDING_MM] * count
    char_body = MM_PER_CHAR_PT * body_pt
    char_head = MM_PER_CHAR_PT * header_pt * BOLD
    if header is not None:
        for k, text in enumerate(header[:count]):
            minimum[k] = max(minimum[k], _longest_word(text) * char_head + PADDING_MM)
            preferred[k] = max(preferred[k], min(len(text), PREFERRED_CHARS) * char_head / 2 + PADDING_MM)
    for row in rows[:SAMPLE_ROWS]:
        for k, text in enumerate(row[:count]):
            if not text:
                continue
            unbroken = len(text) if numeric[k] else _longest_word(text)
            minimum[k] = max(minimum[k], unbroken * char_body + PADDING_MM)
            preferred[k] = max(preferred[k], min(len(text), PREFERRED_CHARS) * char_body + PADDING_MM)
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


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split(" ")), default=0)  # a no-break space joins, as in print
