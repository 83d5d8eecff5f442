"""The district charts as one set: what they are drawn from, which are drawn, under which names.

A chart is named as the section templates name it (``![…](chart:total)``): a :class:`Chart`,
or ``target:CODE`` for a target's chart (:func:`target_chart`). :func:`district_charts`
draws them in one process; ``worker`` shares them among processes. Both go through here:
:func:`chart_data` takes from the report view only what the charts show (plain values, so a
chart worker unpickles it without importing the view, the results or the config),
:func:`chart_keys` lists the charts in page order with their rough cost, :func:`draw_charts`
draws some or all of them: the SVG of each (HTML) and, when asked, its PNG (Word), by name.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .district import NAMED_BARS, block_profile, target_attainment, total_distribution

if TYPE_CHECKING:
    from ...report.view import ReportView


class Chart(enum.StrEnum):
    """The charts of the справка besides the targets' (``chart:NAME`` in the templates)."""

    total = "total"  # the total's distribution over the levels
    blocks = "blocks"  # the blocks' box plots
    places = "places"  # the rank intervals of «Устойчивость мест»
    trend_blocks = "trend_blocks"  # the district by year (with --previous)
    trend_targets = "trend_targets"  # the targets by year (with --previous)


TARGET = "target:"  # a target's chart: «target:KR-1»
# The prefix of each chart's SVG ids (unique in the page) and its rough cost, to share the
# charts between two workers: a named bar per school is the dearest (each bar's label is
# laid out and drawn twice).
_PREFIX = {
    Chart.total: "c1",
    Chart.blocks: "c2",
    Chart.places: "c4",
    Chart.trend_blocks: "d1",
    Chart.trend_targets: "d2",
}
_WEIGHTS = {
    Chart.total: 1.0,
    Chart.blocks: 2.0,
    Chart.places: 2.0,
    Chart.trend_blocks: 1.5,
    Chart.trend_targets: 1.5,
}


def target_chart(code: str) -> str:
    """The name of a target's chart."""
    return f"{TARGET}{code}"


@dataclass(slots=True)
class Drawn:
    """The drawn charts by name: SVG for the HTML page, PNG for the Word documents."""

    svg: dict[str, str] = field(default_factory=dict)
    png: dict[str, bytes] = field(default_factory=dict)


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
    keys: list[tuple[str, float]] = [
        (Chart.total, _WEIGHTS[Chart.total]),
        (Chart.blocks, _WEIGHTS[Chart.blocks]),
    ]
    keys += [(target_chart(t.code), 3.0 if len(t.schools) <= NAMED_BARS else 1.5) for t in data.targets]
    if data.places:
        keys.append((Chart.places, _WEIGHTS[Chart.places]))
    if data.dynamics is not None and len(data.dynamics.years) >= 2:
        keys += [(c, _WEIGHTS[c]) for c in (Chart.trend_blocks, Chart.trend_targets)]
    return keys


def draw_charts(data: ChartData, png: bool = False, only: Collection[str] | None = None) -> Drawn:
    """The charts of :func:`chart_keys` (those in ``only``, when given), in page order; with
    ``png``, each as a PNG too."""
    drawn = Drawn()
    for key, _weight in chart_keys(data):
        if only is not None and key not in only:
            continue
        pictures: dict[str, bytes] | None = {} if png else None
        drawn.svg[key] = _draw(data, key, pictures)
        if pictures:
            drawn.png[key] = next(iter(pictures.values()))
    return drawn


def _draw(data: ChartData, key: str, png: dict[str, bytes] | None) -> str:
    if key == Chart.total:
        return total_distribution(data.totals, data.levels, prefix=_PREFIX[Chart.total], png=png)
    if key == Chart.blocks:
        titles, stats = [t for t, _ in data.blocks], [d for _, d in data.blocks]
        return block_profile(titles, stats, prefix=_PREFIX[Chart.blocks], png=png)
    if key == Chart.places:
        from .places import place_intervals

        return place_intervals(data.places, data.groups, prefix=_PREFIX[Chart.places], png=png)
    if key == Chart.trend_blocks:
        from .dynamics import trend_blocks

        return trend_blocks(data.dynamics, prefix=_PREFIX[Chart.trend_blocks], png=png)
    if key == Chart.trend_targets:
        from .dynamics import trend_targets

        return trend_targets(data.dynamics, prefix=_PREFIX[Chart.trend_targets], png=png)
    t = next(t for t in data.targets if target_chart(t.code) == key)
    return target_attainment(
        f"{t.code}. {t.title}",
        t.schools,
        t.lower_is_better,
        t.target,
        t.district,
        t.unit,
        prefix=f"t{t.index}",
        png=png,
    )


def district_charts(view: ReportView, png: bool = False) -> Drawn:
    """The справка's charts, drawn in this process from the report view (what the page shows)."""
    return draw_charts(chart_data(view), png)
