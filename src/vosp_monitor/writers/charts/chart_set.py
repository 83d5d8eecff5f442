"""The district charts as one set: what they are drawn from, which are drawn, and the report's
:class:`~.view.Charts` assembled from them.

``chart_set.district_charts`` draws them in one process; ``worker`` shares them among
processes. Both go through here: :func:`chart_data` takes from the report view only what the
charts show (plain values, so a chart worker unpickles it without importing the view, the
results or the config), :func:`chart_keys` lists the charts in page order with their rough
cost, :func:`draw_charts` draws some or all of them, :func:`assemble` puts the SVGs where the
report's templates look for them.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .district import NAMED_BARS, block_profile, target_attainment, target_prefix, total_distribution

if TYPE_CHECKING:
    from ...report.view import Charts, ReportView


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
    the chart workers (``worker``) even at 40,000 schools."""

    totals: tuple[float, ...]
    levels: tuple[tuple[str, float, float], ...]
    blocks: tuple[tuple[str, Any], ...]  # (title, Distribution's fields)
    targets: tuple[TargetData, ...]
    places: tuple[Any, ...]  # robustness PlaceRow, in ranking order ("" chart when empty)
    groups: tuple[Any, ...]
    dynamics: Any  # the «Динамика» view or None


# Rough cost of each chart, to share them between two workers: a named bar per school is
# the dearest (each bar's label is laid out and drawn twice).
# The prefix each chart of the справка is drawn with (its PNG's key); targets are «t0», «t1», …
CHART_PREFIXES = {"total": "c1", "blocks": "c2", "places": "c4", "trend_blocks": "d1", "trend_targets": "d2"}
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
            from .places import place_intervals

            drawn[key] = place_intervals(data.places, data.groups, png=png)
        elif key == "trend_blocks":
            from .dynamics import trend_blocks

            drawn[key] = trend_blocks(data.dynamics, png=png)
        elif key == "trend_targets":
            from .dynamics import trend_targets

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
    from ...report.view import Charts

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
