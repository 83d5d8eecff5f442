"""The district's charts of the справка: the total's distribution, the blocks' profile, and each
target's attainment (drawn on :mod:`canvas`).

matplotlib is slow to import and slow per figure (~50 ms), so it is imported only here,
inside the functions, and used only for the few district charts of the main report; a
school card's profile is plain HTML/CSS bars drawn by its template.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...words.formatting import format_compact, html_text
from .canvas import BLUE, LEVEL_FILLS, LEVEL_HATCHES, ORANGE, SKY, VERMILLION, pyplot, to_svg

if TYPE_CHECKING:
    from ...results import Distribution


def total_distribution(
    totals: Sequence[float],
    levels: Sequence[tuple[str, float, float]],
    prefix: str = "c1",
    png: dict[str, bytes] | None = None,
) -> str:
    """Histogram of total scores over the level bands (label, from, to)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 2.8))
    for i, (label, low, high) in enumerate(levels):
        ax.axvspan(
            low,
            high,
            facecolor=LEVEL_FILLS[i % len(LEVEL_FILLS)],
            hatch=LEVEL_HATCHES[i % len(LEVEL_HATCHES)],
            edgecolor="#999999",
            linewidth=0,
            zorder=0,
        )
        ax.text((low + high) / 2, 1.0, label, transform=ax.get_xaxis_transform(), ha="center", va="bottom")
    ax.hist(list(totals), bins=list(range(0, 105, 5)), color=BLUE, edgecolor="white", zorder=2)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(_comma_formatter())
    ax.set_xlabel("Итоговый балл (0–100)")
    ax.set_ylabel("Число ОО")
    ax.yaxis.get_major_locator().set_params(integer=True)
    return to_svg(fig, prefix, "Распределение ОО по итоговому баллу", png)


def block_profile(
    titles: Sequence[str],
    stats: Sequence[Distribution],  # or namespaces of its fields (chart_data)
    prefix: str = "c2",
    png: dict[str, bytes] | None = None,
) -> str:
    """Box plots of block scores (quartiles, whiskers min–max) with the mean as a diamond."""
    plt = pyplot()
    height = 0.9 + 0.55 * len(titles)
    fig, ax = plt.subplots(figsize=(7.2, height))
    boxes: list[dict[str, Any]] = [
        {
            "label": _wrap(html_text(title), 38),
            "whislo": d.min,
            "q1": d.q1,
            "med": d.median,
            "q3": d.q3,
            "whishi": d.max,
            "mean": d.mean,
            "fliers": [],
        }
        for title, d in zip(titles, stats, strict=True)
        if d.count
    ]
    if boxes:
        ax.bxp(
            boxes[::-1],
            orientation="horizontal",
            showmeans=True,
            patch_artist=True,
            widths=0.55,
            boxprops={"facecolor": SKY, "edgecolor": "#222222"},
            medianprops={"color": "#000000", "linewidth": 2},
            meanprops={"marker": "D", "markerfacecolor": ORANGE, "markeredgecolor": "#000000"},
        )
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(_comma_formatter())
    ax.set_xlabel("Оценка блока (0–100): ящик — от 1-го до 3-го квартиля, черта — медиана, ◆ — среднее")
    return to_svg(fig, prefix, "Оценки блоков по району", png)


NAMED_BARS = 40  # up to this many schools a target chart names each one; beyond, a histogram


def target_attainment(
    title: str,
    schools: Sequence[tuple[str, float]],
    lower_is_better: bool,
    target: float,
    district: float | None,
    unit: str = "%",
    prefix: str = "c3",
    png: dict[str, bytes] | None = None,
) -> str:
    """Schools' values against the target: a named bar per school for a district, a histogram for many.

    ``schools`` are (name, value) pairs. Bars go from the furthest below the target at the
    top, each labelled with the school's name, so the chart reads as the list beside it.
    ``title`` labels the chart for screen readers; the page shows it as a heading already.
    """
    plt = pyplot()
    ordered = sorted(schools, key=lambda s: s[1], reverse=lower_is_better)
    values = [v for _, v in ordered]
    suffix = f" {unit}" if unit and unit != "балл" else ""
    if len(ordered) <= NAMED_BARS:
        fig, ax = plt.subplots(figsize=(7.2, 0.9 + 0.2 * len(ordered)))
        met = [v <= target if lower_is_better else v >= target for v in values]
        positions = list(range(len(ordered)))[::-1]  # the first school at the top
        ax.barh(
            positions,
            values,
            color=[BLUE if m else ORANGE for m in met],
            edgecolor="#333333",
            linewidth=0.3,
            height=0.72,
        )
        for bar, m in zip(ax.patches, met, strict=True):
            if not m:
                bar.set_hatch("////")
        ax.set_yticks(positions, [_clip(html_text(name), 46) for name, _ in ordered], fontsize=7.5)
        ax.set_ylim(-0.6, len(ordered) - 0.4)
        ax.xaxis.set_major_formatter(_comma_formatter())
        ax.set_xlabel(f"Значение показателя{',' + suffix if suffix else ''} (штриховка — цель не достигнута)")
        line = ax.axvline
    else:
        fig, ax = plt.subplots(figsize=(7.2, 2.8))
        ax.hist(values, bins=30, color=BLUE, edgecolor="white")
        ax.xaxis.set_major_formatter(_comma_formatter())
        ax.set_xlabel(f"Значение показателя{',' + suffix if suffix else ''}")
        ax.set_ylabel("Число ОО")
        line = ax.axvline
    line(target, color=VERMILLION, linewidth=2, linestyle="--", label=f"цель {format_compact(target, 1)}")
    if district is not None:
        line(
            district,
            color="#000000",
            linewidth=1.5,
            linestyle=":",
            label=f"{'сводное значение' if unit == '%' else 'среднее'} {format_compact(district, 1)}",
        )
    # Where the bars are shortest: at the top for «higher is better» (the weakest first), at
    # the bottom for «lower is better»; a histogram's mass is in the middle.
    corner = "upper right" if not lower_is_better or len(ordered) > NAMED_BARS else "lower right"
    ax.legend(loc=corner, frameon=True, framealpha=0.9, fontsize=8)
    return to_svg(fig, prefix, f"Достижение цели: {title}", png)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _comma_formatter() -> Any:
    """Axis numbers the Russian way: «0,5», not «0.5»."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: format_compact(x, 2))


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text
