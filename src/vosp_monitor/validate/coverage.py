"""Rules on how much of an indicator set one submission covers, and where a value must lie.

``scoring.min_coverage`` (or a block's own ``min_coverage``): the share of a block's
indicator weight that must carry a reported value. Without it a school whose answers are
mostly missing would be scored on the few that are left, by weights re-normalised over
them, and could rank high on two indicators out of ten. Here such a school is told so
(``block-coverage-low``, one problem per block) and excluded from the ranking: its block
score, and so its total, is not computed. Only a value the school reported counts: an
indicator scored 0 for a missing value, or not applicable, is absent. Shares are the
nominal weights through every sub-block (``config.indicator_weight_shares``).

``transform: log``: the value must be above 0 (``value-not-positive``), with the
consequence of the indicator's ``missing`` policy, like an absent value: 0 can be a true
answer that the log scale cannot score, not a mistake to correct.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..config import Block, Config, Indicator, IndicatorType, indicator_weight_shares
from ..ingest.raw import RawCell
from ..problems import Consequence
from .inputs import indicator_problem
from .rules import Rule, Scope
from .shares import Measured
from .submission import EntryStatus, IndicatorEntry

_TOLERANCE = 1e-9  # shares are sums of floats


@dataclass(frozen=True, slots=True)
class CoverageRule:
    block: Block
    required: float  # share 0–1
    shares: dict[str, float]  # indicator code → share of the block


def coverage_rules(config: Config) -> tuple[CoverageRule, ...]:
    """One rule per block whose required coverage is above 0 (built once per run)."""
    default = config.scoring.min_coverage
    rules = []
    for block in config.all_blocks():
        required = default if block.min_coverage is None else block.min_coverage
        if required > 0:
            rules.append(CoverageRule(block, required, indicator_weight_shares(block, config)))
    return tuple(rules)


def check_coverage(
    scope: Scope, rules: tuple[CoverageRule, ...], entries: Mapping[str, IndicatorEntry]
) -> Rule[None]:
    """``block-coverage-low`` for every block of ``rules`` whose reported share is too small."""
    for rule in rules:
        reported = sum(
            share
            for code, share in rule.shares.items()
            if (entry := entries.get(code)) is not None and entry.status == EntryStatus.ok
        )
        if reported < rule.required - _TOLERANCE:
            yield scope.problem(
                "block-coverage-low",
                consequence=Consequence.school_excluded,
                block=rule.block.title,
                coverage=round(reported * 100, 1),
                required=round(rule.required * 100, 1),
            )


def check_log_domain(
    scope: Scope, ind: Indicator, cell: RawCell | None, measured: Measured
) -> Rule[Measured]:
    """A value scored on the log scale must be above 0; else it is not used."""
    if not ind.log_scale or measured.value is None or measured.value > 0:
        return measured
    typed = cell is not None and ind.type not in (IndicatorType.share, IndicatorType.computed)
    shown = cell.value if typed and cell is not None else measured.value
    yield indicator_problem(scope, ind, "value-not-positive", cell, shown)
    return replace(measured, value=None)
