"""What the comparison asks a reader to weigh (``results.Followup``), computed once.

* the composition: the mean total on the schools ranked in both years beside the new and
  the gone ones — a district mean over 21 schools against one over 25 mixes a change of
  the schools with a change of the list;
* the contrast: did last year's recommendations help? Each indicator's score change
  (0–100) at the schools that had its deficit (and were recommended a measure) against
  the other schools of both years, and against the indicators nobody was recommended;
* last year's risk zone, school by school: left, stayed, gone; and who is new in it;
* the schools whose total fell by at least ``dynamics.attention_fall``, whatever their level;
* raw values that moved implausibly far (``dynamics.implausible_*``): «требует проверки».

Only schools with one predecessor (the same or a renamed code) are compared here: a merged
school's total and scores have no single value last year. Linear in schools × indicators.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..config import DynamicsSettings, IndicatorType
from ..results import (
    Composition,
    Followup,
    Jump,
    Link,
    MeasureContrast,
    Results,
    RiskFate,
    RiskMove,
    SchoolChange,
    SchoolResult,
)
from ..words.text import code_key
from .matching import Matching

_EPSILON = 1e-9


def followup(
    results: Results,
    then: Results,
    matching: Matching,
    changes: Sequence[SchoolChange],
    scores_ok: dict[str, bool],
    values_ok: dict[str, bool],
) -> Followup:
    settings = results.config.dynamics
    now = {s.code: s for s in results.schools}
    pairs = [
        (now[code], found.schools[0])
        for code, found in matching.by_code.items()
        if found.link != Link.merged and code in now
    ]
    recommended, others, unrecommended, contrast = _contrast(pairs, scores_ok, results)
    return Followup(
        composition=_composition(results, matching, pairs),
        contrast=contrast,
        recommended_change=_mean(recommended),
        others_change=_mean(others),
        unrecommended=unrecommended[0],
        unrecommended_change=_mean(unrecommended[1]),
        risk=_risk(results, then, matching),
        risk_new=_risk_new(results, then, matching),
        falls=[
            c.code
            for c in sorted(changes, key=lambda c: (c.total.change or 0.0, c.code))
            if c.total.change is not None and c.total.change <= -settings.attention_fall + _EPSILON
        ],
        jumps=_jumps(results, pairs, values_ok, settings),
        computed=True,
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _composition(
    results: Results, matching: Matching, pairs: list[tuple[SchoolResult, SchoolResult]]
) -> Composition:
    """Merged schools are neither new nor gone: they are in neither list."""
    new = [s.total for s in results.schools if s.code not in matching.by_code]
    gone = [school.total for school, _ in matching.unmatched]
    return Composition(
        matched=len(pairs),
        previous=_mean([before.total for _, before in pairs]),
        current=_mean([school.total for school, _ in pairs]),
        new=len(new),
        new_mean=_mean(new),
        gone=len(gone),
        gone_mean=_mean(gone),
    )


def _contrast(
    pairs: list[tuple[SchoolResult, SchoolResult]], scores_ok: dict[str, bool], results: Results
) -> tuple[list[float], list[float], tuple[list[str], list[float]], list[MeasureContrast]]:
    """Score changes of every comparable (school, indicator): with last year's deficit, without
    it on the same indicators, and on the indicators where no school had it."""
    by_code: dict[str, tuple[list[float], list[float]]] = {}
    for school, before in pairs:
        deficits = set(before.deficits)
        for code, ok in scores_ok.items():
            entry, old = school.indicators.get(code), before.indicators.get(code)
            if not ok or entry is None or old is None or entry.score is None or old.score is None:
                continue
            with_it, without = by_code.setdefault(code, ([], []))
            (with_it if code in deficits else without).append(entry.score - old.score)
    recommended: list[float] = []
    others: list[float] = []
    quiet_codes: list[str] = []
    quiet: list[float] = []
    contrast = []
    for ind in results.config.indicators():
        if ind.code not in by_code:
            continue
        with_it, without = by_code[ind.code]
        if not with_it:
            quiet_codes.append(ind.code)
            quiet += without
            continue
        recommended += with_it
        others += without
        contrast.append(MeasureContrast(ind.code, len(with_it), _mean(with_it), len(without), _mean(without)))
    return recommended, others, (quiet_codes, quiet), contrast


def _risk(results: Results, then: Results, matching: Matching) -> list[RiskMove]:
    """Each school of last year's risk zone: where it is now."""
    now_of = {code_key(s.code): code for code, found in matching.by_code.items() for s in found.schools}
    at_risk = {code_key(entry.code) for entry in results.risk}
    names = {code_key(s.code): s.name for s in then.schools}
    moves = []
    for entry in then.risk:
        key = code_key(entry.code)
        code = now_of.get(key, "")
        fate = RiskFate.gone if not code else RiskFate.stayed if code_key(code) in at_risk else RiskFate.left
        moves.append(RiskMove(entry.code, names.get(key, ""), code, fate))
    return moves


def _risk_new(results: Results, then: Results, matching: Matching) -> list[str]:
    """This year's risk zone without last year's: schools new to it (new schools too)."""
    was = {code_key(entry.code) for entry in then.risk}
    new = []
    for entry in results.risk:
        found = matching.by_code.get(entry.code)
        if found is None or not any(code_key(s.code) in was for s in found.schools):
            new.append(entry.code)
    return new


def _jumps(
    results: Results,
    pairs: list[tuple[SchoolResult, SchoolResult]],
    values_ok: dict[str, bool],
    settings: DynamicsSettings,
) -> list[Jump]:
    config = results.config
    base, ratio = settings.implausible_base, settings.implausible_ratio
    jumps: dict[tuple[str, str, float, float], Jump] = {}  # a school's base once, not per share
    for school, before in pairs:
        for ind in config.indicators():
            entry, old = school.indicators.get(ind.code), before.indicators.get(ind.code)
            if not values_ok.get(ind.code) or entry is None or old is None:
                continue
            if entry.value is None or old.value is None:
                continue
            if ind.type in (IndicatorType.share, IndicatorType.percent):
                dens = (old.denominator, entry.denominator)
                large = ind.type == IndicatorType.percent or all(d is not None and d >= base for d in dens)
                if large and abs(entry.value - old.value) >= settings.implausible_change - _EPSILON:
                    jump = Jump(school.code, ind.code, "value", old.value, entry.value)
                elif (
                    old.denominator
                    and entry.denominator
                    and _far(old.denominator, entry.denominator, ratio, base)
                ):
                    jump = Jump(school.code, ind.code, "denominator", old.denominator, entry.denominator)
                else:
                    continue
            elif ind.type in (IndicatorType.quantity, IndicatorType.number) and _far(
                old.value, entry.value, ratio, base
            ):
                jump = Jump(school.code, ind.code, "value", old.value, entry.value)
            else:
                continue
            key = jump.indicator if jump.part == "value" else "base"
            jumps.setdefault((school.code, key, jump.previous, jump.current), jump)
    return list(jumps.values())


def _far(a: float, b: float, ratio: float, base: float) -> bool:
    """``ratio`` times apart, the larger at least ``base`` (2 → 7 pupils on a register is no error)."""
    low, high = sorted((abs(a), abs(b)))
    return high >= base and high >= ratio * max(low, 1.0) - _EPSILON
