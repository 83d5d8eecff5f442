"""The canvas every chart is drawn on: matplotlib set up once, the palette, and a figure turned
into inline SVG text (and, for the Word documents, a PNG at print resolution).

The HTML report must open from a USB stick with no network and print on a black-and-white
office printer, so every chart is matplotlib → SVG text placed straight into the page:
the Okabe–Ito colour-blind-safe palette, fills that differ in lightness *and* hatching,
Russian labels in DejaVu Sans, text kept as text (``svg.fonttype: none``; smaller, and
searchable). Output is deterministic (fixed hash salt, no date metadata) so that
``score`` and ``report`` give byte-identical files.
"""

from __future__ import annotations

import io
import re
from typing import Any

from ...words.formatting import html_text

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

_SVG_START = re.compile(r"^.*?(<svg\b)", re.S)
_ID = re.compile(r'\bid="([^"]+)"')


def pyplot() -> Any:
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


def to_svg(fig: Any, prefix: str, label: str, png: dict[str, bytes] | None = None) -> str:
    """SVG text for inline use: no XML prolog or DOCTYPE, no namespace URLs, unique ids.

    The figure is laid out and drawn once as SVG (:func:`_svg_and_box`), cropped to its
    tight box by the SVG's viewBox. With ``png``, it is also saved as a PNG at
    :data:`PNG_DPI` into ``png[prefix]``, for the Word documents (which take pictures, not
    SVG), cropped by the same box.
    """
    plt = pyplot()
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
