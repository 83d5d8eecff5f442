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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class TargetData:
    """What one target's chart shows."""

    index: int  # in the view's targets: the chart's prefix
    code: str
    title: str
    schools: tuple[tuple[str, float], ...]  # (name, value)
    lower_is_better: bool
    target: float
    district: float | None
    unit: str


@dataclass(frozen=True, slots=True)
class ChartData:
    """Everything the district charts are drawn from, and nothing else: small to send to
    the chart workers (``chart_worker``) even at 40,000 schools."""

    totals: tuple[float, ...]
    levels: tuple[tuple[str, float, float], ...]
    blocks: tuple[tuple[str, Any], ...]  # (title, Distribution's fields)
    targets: tuple[TargetData, ...]
    places: tuple[Any, ...]  # robustness PlaceRow, in ranking order ("" chart when empty)
    groups: tuple[Any, ...]
    dynamics: Any  # the «Динамика» view or None


# Rough cost of each chart, to share them between two workers: a named bar per school is
# the dearest (each bar's label is laid out and drawn twice).
_WEIGHTS = {"total": 1.0, "blocks": 2.0, "places": 2.0, "trend_blocks": 1.5, "trend_targets": 1.5}


def _plain(value: Any) -> Any:
    """A view's dataclass as a namespace of the same fields, recursively.

    A chart worker then unpickles its data without importing the view, results and config
    modules (a quarter of a second per worker); the drawing functions read only fields.
    """
    import dataclasses
    from types import SimpleNamespace

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return SimpleNamespace(**{f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)})
    if isinstance(value, tuple | list):
        return type(value)(_plain(v) for v in value)
    return value


def chart_data(view: ReportView) -> ChartData:
    """The charts' part of the report view."""
    robustness = view.robustness
    intervals = robustness.intervals if robustness is not None and robustness.intervals else ()
    return ChartData(
        totals=tuple(r.total for r in view.ranking),
        levels=tuple((lvl.label, lvl.lower, lvl.upper) for lvl in view.levels),
        blocks=tuple((r.title, _plain(r.stats)) for r in view.block_rows if r.depth == 0),
        targets=tuple(
            TargetData(
                i,
                t.code,
                t.title,
                tuple((s.row.name, s.value) for s in t.schools),
                t.lower_is_better,
                t.target,
                t.district,
                t.unit,
            )
            for i, t in enumerate(view.targets)
            if t.schools
        ),
        places=_plain(tuple(intervals)),
        groups=_plain(tuple(robustness.groups)) if intervals and robustness is not None else (),
        dynamics=view.dynamics,
    )


def chart_keys(data: ChartData) -> list[tuple[str, float]]:
    """The charts to draw, in page order, each with its rough cost."""
    if not data.totals:
        return []
    keys = [("total", _WEIGHTS["total"]), ("blocks", _WEIGHTS["blocks"])]
    keys += [(target_prefix(t.index), 3.0 if len(t.schools) <= NAMED_BARS else 1.5) for t in data.targets]
    if data.places:
        keys.append(("places", _WEIGHTS["places"]))
    if data.dynamics is not None and len(data.dynamics.years) >= 2:
        keys += [("trend_blocks", _WEIGHTS["trend_blocks"]), ("trend_targets", _WEIGHTS["trend_targets"])]
    return keys


def draw_charts(
    data: ChartData, png: dict[str, bytes] | None = None, only: Collection[str] | None = None
) -> dict[str, str]:
    """The SVG of each chart of ``chart_keys`` (those in ``only``, when given), in page order."""
    drawn: dict[str, str] = {}
    for key, _weight in chart_keys(data):
        if only is not None and key not in only:
            continue
        if key == "total":
            drawn[key] = total_distribution(data.totals, data.levels, png=png)
        elif key == "blocks":
            drawn[key] = block_profile([t for t, _ in data.blocks], [d for _, d in data.blocks], png=png)
        elif key == "places":
            from .chart_places import place_intervals

            drawn[key] = place_intervals(data.places, data.groups, png=png)
        elif key == "trend_blocks":
            from .charts_dynamics import trend_blocks

            drawn[key] = trend_blocks(data.dynamics, png=png)
        elif key == "trend_targets":
            from .charts_dynamics import trend_targets

            drawn[key] = trend_targets(data.dynamics, png=png)
        else:
            t = next(t for t in data.targets if target_prefix(t.index) == key)
            drawn[key] = target_attainment(
                f"{t.code}. {t.title}",
                t.schools,
                t.lower_is_better,
                t.target,
                t.district,
                t.unit,
                prefix=key,
                png=png,
            )
    return drawn


def assemble(data: ChartData, drawn: dict[str, str]) -> Charts:
    """The report's :class:`Charts` from the drawn SVGs (of one worker or of several)."""
    from .view import Charts

    if not data.totals:
        return Charts()
    dynamics = (
        {"trend_blocks": drawn.get("trend_blocks", ""), "trend_targets": drawn.get("trend_targets", "")}
        if "trend_blocks" in drawn or "trend_targets" in drawn
        else {}
    )
    return Charts(
        total=drawn.get("total", ""),
        blocks=drawn.get("blocks", ""),
        targets={
            t.code: drawn[target_prefix(t.index)] for t in data.targets if target_prefix(t.index) in drawn
        },
        places=drawn.get("places", ""),
        **dynamics,
    )


def district_charts(view: ReportView, png: dict[str, bytes] | None = None) -> Charts:
    """The main report's SVG charts, drawn from the report view (what the page shows).

    With ``png``, each chart also goes there as a PNG under its prefix (:data:`CHART_PREFIXES`).
    """
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
