"""Line charts of the district over the years: block means and each target's value.

Drawn like the other charts (``charts``: matplotlib → inline SVG, Okabe–Ito colours,
DejaVu Sans, deterministic), from the «Динамика» view alone. Each series has its own
marker and line style as well as its colour, so it reads on a black-and-white printer.
A line is broken between two years whose figures are not comparable (the method
changed), so a reader never sees a jump that is only a change of method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...report.dynamics import Cell, DynamicsView
from ...words.formatting import format_compact, html_text
from .canvas import BLUE, ORANGE, SKY, VERMILLION, pyplot, to_svg

_STYLES = (  # (colour, marker, line style): total first, then the blocks
    ("#000000", "o", "-"),
    (BLUE, "s", "--"),
    (ORANGE, "^", "-."),
    ("#009E73", "D", ":"),
    (VERMILLION, "v", "--"),
    (SKY, "P", "-."),
    ("#CC79A7", "X", ":"),
)


def _segments(cells: Sequence[Cell]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive comparable years that have a value."""
    runs: list[list[tuple[int, float]]] = []
    for i, cell in enumerate(cells):
        if cell.value is None:
            continue
        if runs and runs[-1][-1][0] == i - 1 and not cell.breaks:
            runs[-1].append((i, cell.value))
        else:
            runs.append([(i, cell.value)])
    return runs


def _line(ax: Any, cells: Sequence[Cell], style: tuple[str, str, str], label: str, width: float) -> None:
    colour, marker, dash = style
    for k, run in enumerate(_segments(cells)):
        xs, ys = zip(*run, strict=True)
        ax.plot(
            xs,
            ys,
            color=colour,
            marker=marker,
            linestyle=dash,
            linewidth=width,
            label=label if k == 0 else None,
        )


def trend_blocks(view: DynamicsView, prefix: str = "d1", png: dict[str, bytes] | None = None) -> str:
    """The mean total and the mean score of each top-level block, per year (0–100)."""
    import textwrap

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 2.9))
    for k, row in enumerate(view.district):
        label = textwrap.shorten(html_text(row.title), 70, placeholder="…")
        _line(ax, row.cells, _STYLES[k % len(_STYLES)], label, 2.4 if k == 0 else 1.4)
    ax.set_xticks(range(len(view.years)), list(view.years))
    ax.set_xlim(-0.3, len(view.years) - 0.7)
    ax.set_ylim(0, 100)
    ax.set_ylabel("Средняя оценка (0–100)")
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.12), frameon=False, fontsize=8.5, ncol=1)
    return to_svg(fig, prefix, "Средний итоговый балл и оценки блоков по годам", png)


def _target_axes(
    ax: Any,
    code: str,
    years: Sequence[str],
    cells: Sequence[Cell],
    targets: Sequence[float | None],
    unit: str,
) -> None:
    """One indicator's district value per year against each year's target, on ``ax``."""
    _line(ax, cells, (BLUE, "o", "-"), "по району", 2.0)
    for i, cell in enumerate(cells):
        if cell.value is not None:
            ax.annotate(
                format_compact(cell.value, 1),
                (i, cell.value),
                textcoords="offset points",
                xytext=(0, -13),
                ha="center",
                fontsize=7.5,
            )
    points = [(i, t) for i, t in enumerate(targets) if t is not None]
    if points:
        xs, ys = zip(*points, strict=True)
        ax.plot(
            xs, ys, color=VERMILLION, marker="_", markersize=16, linestyle="--", linewidth=1.5, label="цель"
        )
    ax.set_xticks(range(len(years)), [year.replace("/", "/\n") for year in years])
    ax.set_xlim(-0.3, len(years) - 0.7)
    values = [c.value for c in cells if c.value is not None] + [t for _, t in points]
    ax.set_ylim(0, max(values) * 1.25 if values and max(values) > 0 else 1)
    ax.set_ylabel(unit or "значение")
    # y given: matplotlib skips placing the title clear of the axes (0.1 s a figure; none is on top here)
    ax.set_title(code, loc="left", fontsize=9, fontweight="bold", y=1.0)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="lower right", frameon=False, fontsize=7)


def trend_targets(view: DynamicsView, prefix: str = "d2", png: dict[str, bytes] | None = None) -> str:
    """Every target's district value and target per year, side by side in one figure."""
    rows = [t for t in view.targets if sum(c.value is not None for c in t.cells) >= 2]
    if not rows:
        return ""
    plt = pyplot()
    columns = min(3, len(rows))
    lines = -(-len(rows) // columns)
    fig, axes = plt.subplots(lines, columns, figsize=(7.2, 2.4 * lines), squeeze=False)
    for ax, row in zip(axes.flat, rows, strict=False):
        _target_axes(ax, row.code, view.years, row.cells, row.targets, row.unit)
    for ax in list(axes.flat)[len(rows) :]:
        ax.set_visible(False)
    fig.subplots_adjust(wspace=0.45, hspace=0.6)
    names = ", ".join(row.code for row in rows)
    return to_svg(fig, prefix, f"Целевые показатели по годам: {names}", png)
