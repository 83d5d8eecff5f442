"""Charts for the findings report, drawn offline as inline SVG strings.

The HTML report must open from a USB stick with no network and print on a black-and-white
office printer, so every chart is matplotlib → SVG text placed straight into the page:
the Okabe–Ito colour-blind-safe palette, fills that differ in lightness *and* hatching,
Russian labels in DejaVu Sans, text kept as text (``svg.fonttype: none``; smaller, and
searchable). Output is deterministic (fixed hash salt, no date metadata) so that
``score`` and ``report`` give byte-identical files.

matplotlib is slow to import and slow per figure (~50 ms), so it is imported only here,
inside the functions, and used only for the few district charts of the main report; a
school card's profile is plain HTML/CSS bars drawn by its template.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .formatting import format_compact, html_text

if TYPE_CHECKING:
    from ..results import Distribution
    from .view import Charts, ReportView

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
BLUE = "#0072B2"
ORANGE = "#E69F00"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
# Level bands from the lowest to the highest level: light fills with distinct lightness
# and hatching, so they stay apart in grey-scale print.
LEVEL_FILLS = ("#F6D3BF", "#FCEDB8", "#CDEBDD", "#D6E9F8", "#EEEEEE")
LEVEL_HATCHES = ("////", "---", "", "\\\\", "||")
PNG_DPI = 200  # pictures in the Word documents: print resolution at their printed width (16 cm)
# zlib level of those PNGs: 1 encodes in half the time of the default 6 for a fifth more bytes
# (about 20 KB a chart); the pixels are the same.
PNG_COMPRESSION = 1
# The prefix each chart of the справка is drawn with (its PNG's key); targets are «t0», «t1», …
CHART_PREFIXES = {"total": "c1", "blocks": "c2", "places": "c4", "trend_blocks": "d1", "trend_targets": "d2"}

_SVG_START = re.compile(r"^.*?(<svg\b)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "svg.fonttype": "none",
            "svg.hashsalt": "vosp-monitor",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10,
            "hatch.color": "#666666",
            "hatch.linewidth": 0.6,
        }
    )
    return plt


def _to_svg(fig: Any, prefix: str, label: str, png: dict[str, bytes] | None = None) -> str:
    """SVG text for inline use: no XML prolog or DOCTYPE, no namespace URLs, unique ids.

    The figure is laid out and drawn once as SVG (:func:`_svg_and_box`), cropped to its
    tight box by the SVG's viewBox. With ``png``, it is also saved as a PNG at
    :data:`PNG_DPI` into ``png[prefix]``, for the Word documents (which take pictures, not
    SVG), cropped by the same box.
    """
    plt = _pyplot()
    text, box = _svg_and_box(fig)
    if png is not None:
        raster = io.BytesIO()
        fig.savefig(
            raster,
            format="png",
            dpi=PNG_DPI,
            bbox_inches=box,
            metadata={"Software": None},
            pil_kwargs={"compress_level": PNG_COMPRESSION},
        )
        png[prefix] = raster.getvalue()
    plt.close(fig)
    svg = _SVG_START.sub(r"\1", text, count=1)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    for old in set(_ID.findall(svg)):
        new = f"{prefix}-{old.replace('.', '-')}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"#{old})", f"#{new})")
        svg = svg.replace(f'href="#{old}"', f'href="#{new}"')
    from markupsafe import escape

    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(html_text(label))}" class="chart" ', 1
    ).strip()


_SVG_SIZE = re.compile(r'width="[^"]*" height="[^"]*" viewBox="[^"]*"')


def _svg_and_box(fig: Any) -> tuple[str, Any]:
    """The figure as SVG, cropped to its tight box, and that box (padded, in inches).

    ``savefig(bbox_inches="tight")`` lays the whole figure out once more just to find its
    extent, in each of the two formats. Here the SVG is drawn once, as ``print_svg``
    draws it; the box is read from the same layout, the SVG is cropped to it by its
    viewBox (the drawing is not moved), and the PNG is saved with the box given.
    """
    import matplotlib
    from matplotlib.backends import backend_mixed, backend_svg

    mixed: Any = backend_mixed.MixedModeRenderer  # untyped in matplotlib's stubs
    svg_renderer: Any = backend_svg.RendererSVG
    buffer = io.StringIO()
    dpi = fig.dpi
    fig.dpi = 72
    try:
        width, height = fig.get_size_inches()
        renderer = mixed(
            fig,
            width,
            height,
            dpi,
            svg_renderer(
                width * 72,
                height * 72,
                buffer,
                image_dpi=dpi,
                metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
            ),
        )
        fig.draw(renderer)
        box = fig.get_tightbbox(renderer).padded(matplotlib.rcParams["savefig.pad_inches"])
        renderer.finalize()
    finally:
        fig.dpi = dpi
    x, y, w, h = box.x0 * 72, (height - box.y1) * 72, box.width * 72, box.height * 72
    size = f'width="{w:.6g}pt" height="{h:.6g}pt" viewBox="{x:.6g} {y:.6g} {w:.6g} {h:.6g}"'
    return _SVG_SIZE.sub(size, buffer.getvalue(), count=1), box


def district_charts(view: ReportView, png: dict[str, bytes] | None = None) -> Charts:
    """The main report's SVG charts, drawn from the report view (what the page shows).

    With ``png``, each chart also goes there as a PNG under its prefix (:data:`CHART_PREFIXES`).
    """
    from .chart_set import assemble, chart_data, draw_charts

    data = chart_data(view)
    return assemble(data, draw_charts(data, png))


def target_prefix(index: int) -> str:
    """The prefix (and PNG key) of the chart of the ``index``-th target."""
    return f"t{index}"


def total_distribution(
    totals: Sequence[float],
    levels: Sequence[tuple[str, float, float]],
    prefix: str = "c1",
    png: dict[str, bytes] | None = None,
) -> str:
    """Histogram of total scores over the level bands (label, from, to)."""
    plt = _pyplot()
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
    return _to_svg(fig, prefix, "Распределение ОО по итоговому баллу", png)


def block_profile(
    titles: Sequence[str],
    stats: Sequence[Distribution],  # or namespaces of its fields (chart_data)
    prefix: str = "c2",
    png: dict[str, bytes] | None = None,
) -> str:
    """Box plots of block scores (quartiles, whiskers min–max) with the mean as a diamond."""
    plt = _pyplot()
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
    return _to_svg(fig, prefix, "Оценки блоков по району", png)


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
    plt = _pyplot()
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
    return _to_svg(fig, prefix, f"Достижение цели: {title}", png)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _comma_formatter() -> Any:
    """Axis numbers the Russian way: «0,5», not «0.5»."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: format_compact(x, 2))


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text
