"""Warnings about indicators.yaml: settings that are allowed but contradict each other.

A config with these still works, so they never stop a run; ``check-config`` prints them
after the summary so the analyst fixes them before the forms go out. The one check today:
an indicator gives its full points to a value that misses its own target, so a school
scores 3 of 3 and «цель не достигнута» at once (the default indicators.yaml once did this
for UPR-5: full points from 77 % while the target was 80 %).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..words.formatting import NBSP, format_compact
from .model import Block, Config, Indicator
from .scales import Direction

Loc = tuple[Any, ...]


def config_warnings(config: Config) -> Iterator[tuple[Loc, str]]:
    """(key path, Russian message) for every contradiction found."""
    for block, loc in _indicators_with_paths(config.blocks, ("blocks",)):
        for j, ind in enumerate(block.indicators):
            message = full_points_below_target(ind)
            if message:
                yield (*loc, "indicators", j, "scoring"), message


def _indicators_with_paths(blocks: list[Block], loc: Loc) -> Iterator[tuple[Block, Loc]]:
    for i, block in enumerate(blocks):
        here = (*loc, i)
        yield block, here
        yield from _indicators_with_paths(block.blocks, (*here, "blocks"))


def full_points_below_target(ind: Indicator) -> str:
    """Why ``ind`` gives full points to a value that misses its target ("" when it does not)."""
    if ind.target is None or ind.scoring is None:
        return ""
    lower = ind.direction == Direction.lower_better
    found, edge = ind.spec.full_points_edge(ind, lower)
    if not found or (edge is not None and (edge <= ind.target if lower else edge >= ind.target)):
        return ""
    unit = f"{NBSP}{ind.unit}" if ind.unit and ind.unit != "балл" else ""
    full = format_compact(ind.max_points)
    shown = (
        "при любом значении" if edge is None else f"{'до' if lower else 'от'} {format_compact(edge)}{unit}"
    )
    goal = "не более" if lower else "не менее"
    return (
        f"{ind.code}: полный балл ({full}) даётся {shown}, а цель — {goal} {format_compact(ind.target)}{unit}: "
        f"школа получит {full} из {full}, не достигнув цели; сдвиньте границу полного балла к цели"
    )
