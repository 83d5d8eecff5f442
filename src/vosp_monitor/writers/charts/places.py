"""The rank-interval chart of the «Устойчивость мест» section (inline SVG, like charts.py).

A district (up to :data:`LABELLED` schools) gets one row per school, top place first: a bar
over the 5–95 % interval of its places, a diamond at the median and a dot at the
published place, and light bands behind the groups of places that cannot be told apart.
A larger run gets one vertical bar per school over its published place, against the
diagonal «place = published place». Colours and marks as the other charts: the
Okabe–Ito palette, shapes that stay apart in grey-scale print.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...words.formatting import html_text
from ...words.text import clip
from .canvas import BLUE, ORANGE, pyplot, to_svg

if TYPE_CHECKING:
    from ...report.robustness import GroupView, PlaceRow

LABELLED = 60  # schools; above it one bar per school, without labels
LABEL_LIMIT = 14  # characters of a school code on the axis


def axis_label(place: int, code: str) -> str:
    """«7. 0102»: the code made safe for a figure (a «$» would start matplotlib's math mode)."""
    return f"{place}. {clip(html_text(code), LABEL_LIMIT)}".replace("$", r"\$")


def place_intervals(
    schools: Sequence[PlaceRow],
    groups: Sequence[GroupView],
    prefix: str = "c4",
    png: dict[str, bytes] | None = None,
) -> str:
    """``schools`` in ranking order, with their places over the runs."""
    rows = [(s.code, s.range) for s in schools]
    plt = pyplot()
    n = len(rows)
    if n <= LABELLED:
        fig, ax = plt.subplots(figsize=(7.2, 0.9 + 0.22 * n))
        for g in groups:
            first = next(i for i, (_, r) in enumerate(rows) if r.place == g.first)
            ax.axhspan(first - 0.5, first + g.count - 0.5, color="#EEEEEE", zorder=0, linewidth=0)
        for i, (_, r) in enumerate(rows):
            ax.plot([r.low, r.high], [i, i], color=BLUE, linewidth=5, solid_capstyle="butt", zorder=2)
        ax.scatter(
            [r.median for _, r in rows],
            range(n),
            marker="D",
            s=22,
            color=ORANGE,
            edgecolor="#000000",
            zorder=3,
            label="медиана мест",
        )
        ax.scatter(
            [r.place for _, r in rows],
            range(n),
            marker="o",
            s=10,
            color="#000000",
            zorder=4,
            label="место в рейтинге",
        )
        ax.set_yticks(range(n), [axis_label(r.place, code) for code, r in rows], fontsize=7)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(0.5, max((r.high for _, r in rows), default=1) + 0.5)
        ax.set_xlabel("Место: полоса — от 5 до 95 % пересчётов; серый фон — неразличимые места")
    else:
        fig, ax = plt.subplots(figsize=(7.2, 4.0))
        ax.vlines(
            [r.place for _, r in rows],
            [r.low for _, r in rows],
            [r.high for _, r in rows],
            color=BLUE,
            linewidth=0.8,
        )
        ax.plot([1, n], [1, n], color="#000000", linewidth=0.8, linestyle=":", label="место в рейтинге")
        ax.set_ylim(n + 0.5, 0.5)
        ax.set_xlabel("Место в рейтинге")
        ax.set_ylabel("Места в 90 % пересчётов")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
    return to_svg(fig, prefix, "Интервалы мест ОО при изменении весов и способа свёртки", png)
