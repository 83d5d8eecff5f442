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

from .charts import BLUE, ORANGE, SKY, VERMILLION, _pyplot, _to_svg
from .formatting import format_compact, html_text
from .view_dynamics import Cell, DynamicsView

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


def trend_blocks(view: DynamicsView, prefix: str = "d1") -> str:
    """The mean total and the mean score of each top-level block, per year (0–100)."""
    import textwrap

    plt = _pyplot()
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
    return _to_svg(fig, prefix, "Средний итоговый балл и оценки блоков по годам")


def trend_target(
    code: str,
    title: str,
    years: Sequence[str],
    cells: Sequence[Cell],
    targets: Sequence[float | None],
    unit: str,
    prefix: str,
) -> str:
    """One indicator's district value per year against each year's target."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(3.5, 2.3))
    _line(ax, cells, (BLUE, "o", "-"), "по району", 2.0)
    for i, cell in enumerate(cells):
        if cell.value is not None:
            ax.annotate(
                format_compact(cell.value, 1),
                (i, cell.value),
                textcoords="offset points",
                xytext=(0, -13),
                ha="center",
                fontsize=8,
            )
    points = [(i, t) for i, t in enumerate(targets) if t is not None]
    if points:
        xs, ys = zip(*points, strict=True)
        ax.plot(
            xs, ys, color=VERMILLION, marker="_", markersize=18, linestyle="--", linewidth=1.5, label="цель"
        )
    ax.set_xticks(range(len(years)), list(years))
    ax.set_xlim(-0.3, len(years) - 0.7)
    values = [c.value for c in cells if c.value is not None] + [t for _, t in points]
    ax.set_ylim(0, max(values) * 1.25 if values and max(values) > 0 else 1)
    ax.set_ylabel(unit or "значение")
    ax.set_title(code, loc="left", fontsize=9, fontweight="bold")
    ax.tick_params(axis="x", labelsize=7.5)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(loc="lower right", frameon=False, fontsize=7.5)
    return _to_svg(fig, prefix, f"По годам: {title}")


def dynamics_charts(view: DynamicsView | None) -> dict[str, Any]:
    """``Charts`` fields for the «Динамика» section (nothing with fewer than two years)."""
    if view is None or len(view.years) < 2:
        return {}
    targets = {
        t.code: trend_target(
            t.code, f"{t.code}. {t.title}", view.years, t.cells, t.targets, t.unit, prefix=f"d{i + 2}"
        )
        for i, t in enumerate(view.targets)
        if sum(c.value is not None for c in t.cells) >= 2
    }
    return {"trend_blocks": trend_blocks(view), "trend_targets": targets}
