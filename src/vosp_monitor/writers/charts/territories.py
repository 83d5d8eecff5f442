"""The chart of municipalities in the regional справка: the value each is ranked by, with its interval.

One row per municipality, the first place on top: a bar to the value it is ranked by (0–100:
the mean total by default, ``territories.ranking``), a whisker over that value's 5–95 %
interval (when intervals were computed), the region's value as a dotted line. A municipality that is not ranked is drawn grey. The colours
and marks are those of the other charts (the Okabe–Ito palette, readable in grey-scale print).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...words.formatting import html_text
from ...words.text import clip
from .canvas import BLUE, pyplot, to_svg

if TYPE_CHECKING:
    from ...report.regional import MunicipalityRow

NAME_LIMIT = 34  # characters of a municipality's name on the axis
LABELLED = 60  # municipalities; above it the names are left out


def municipalities(
    rows: Sequence[MunicipalityRow], region: float | None, png: dict[str, bytes] | None = None
) -> str:
    """The chart's SVG (and with ``png`` its PNG under the name «territories»)."""
    plt = pyplot()
    n = len(rows)
    fig, ax = plt.subplots(figsize=(7.2, 0.9 + 0.26 * max(n, 2)))
    for i, m in enumerate(rows):
        stats = m.row.stats
        value = stats.value if stats.value is not None else stats.total.mean
        if value is None or not stats.counts.scored:
            continue
        ax.barh(i, value, height=0.6, color=BLUE if stats.place else "#BBBBBB", zorder=2)
        interval = stats.interval
        if interval is not None and stats.place:
            ax.plot(
                [interval.value_low, interval.value_high], [i, i], color="#000000", linewidth=1.2, zorder=3
            )
    if region is not None:
        ax.axvline(
            region,
            color="#000000",
            linestyle=":",
            linewidth=1.0,
            zorder=4,
            label="средний итоговый балл по региону",
        )
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8)
    if n <= LABELLED:
        labels = [
            f"{m.row.place_text}. {clip(html_text(m.name), NAME_LIMIT)}".replace("$", r"\$") for m in rows
        ]
        ax.set_yticks(range(n), labels, fontsize=7)
    else:
        ax.set_yticks([])
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 100)
    ax.set_xlabel(
        "Средний итоговый балл ОО (0–100); черта — значение для рейтинга в 90 % пересчётов; серым — не ранжируются"
    )
    return to_svg(fig, "territories", "Средний итоговый балл по муниципалитетам", png)
