"""Which figures of two years mean the same thing: fingerprints and reasons.

A year's total, a block score, an indicator's points or its raw values can be compared
with another year's only when they were made the same way. Each is summarised by a
*fingerprint*, a short hash of everything that shapes it:

* ``values:<code>`` — what a raw value is: a percentage (shares and percents, whose
  denominators may differ), a number in its unit, «да/нет», a choice among the same
  options with the same points (a choice's value *is* its points), a mark out of the same
  maximum, a computed value by the same formula over the same inputs (a changed formula
  makes it «несопоставимо»);
* ``scores:<code>`` — how points are given: type, method and its parameters, direction,
  the missing-value policy, where the denominator comes from, the block holding it.
  Relative methods (``MethodSpec.relative``: ``minmax``, ``zscore``) score a school against the other schools of
  its own year, so their scores are never comparable (empty fingerprint) and only raw
  values are compared;
* ``block:<id>`` — the block's aggregation, its indicators' effective shares and scores,
  its sub-blocks, and whether a critical indicator zeroes it;
* ``total`` — the top-level blocks, their shares and the total aggregation;
* ``levels`` — the level boundaries, over a comparable total.

Fingerprints are stored with each year (``YearPoint.fingerprints``), so years known only
from a stored series are checked the same way. An empty fingerprint never matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from ..config import Block, Config, Indicator, IndicatorType, block_aggregation, indicator_shares
from ..config.computed import readable
from ..results import FrameworkChange, RemovedIndicator

# Why an indicator's points or values are not comparable (or what else changed), as data;
# the report view words them.
REASONS = (
    "type",
    "scoring",
    "direction",
    "missing",
    "denominator",
    "block",
    "relative",
    "target",
    "weight",
    "deficit",
    "formula",
)
_VALUE_KIND = {
    IndicatorType.share: "percent",
    IndicatorType.percent: "percent",
    IndicatorType.quantity: "number",
    IndicatorType.number: "number",
    IndicatorType.yesno: "yesno",
    IndicatorType.choice: "choice",
    IndicatorType.mark: "mark",
    IndicatorType.computed: "computed",
}


def _hash(spec: Any) -> str:
    text = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def comparable(a: str | None, b: str | None) -> bool:
    """Two fingerprints match (an empty or missing one never does)."""
    return bool(a) and a == b


def _values_spec(ind: Indicator) -> dict[str, Any]:
    kind = _VALUE_KIND[ind.type]
    spec: dict[str, Any] = {"kind": kind}
    if kind == "number":
        spec["unit"] = ind.unit
    elif kind == "choice":
        spec["options"] = [[o.label, o.points] for o in ind.options or []]
    elif kind == "mark":
        spec["max_mark"] = ind.max_mark
    elif kind == "computed":
        spec |= {"unit": ind.unit, "formula": _formula(ind)}
    return spec


def _formula(ind: Indicator) -> list[Any] | None:
    """A computed indicator's formula, written out the one way (spacing and ``×``/``*`` do not
    matter), with its inputs' keys and types; None for any other indicator."""
    if ind.expression is None:
        return None
    return [readable(ind.expression), [[item.key, item.type.value] for item in ind.inputs]]


def _denominator(ind: Indicator) -> str | None:
    if ind.type != IndicatorType.share:
        return None
    return ind.denominator_field or "entered"


def _scores_spec(ind: Indicator, block_id: str) -> dict[str, Any] | None:
    if not ind.spec.comparable_across_years:
        return None
    return {
        "type": ind.type.value,
        "method": ind.method.value,
        "scoring": ind.scoring.model_dump(mode="json", by_alias=True) if ind.scoring else None,
        "options": [[o.label, o.points] for o in ind.options or []],
        "max_mark": ind.max_mark,
        "direction": ind.direction.value,
        "missing": ind.missing.value,
        "denominator": _denominator(ind),
        "block": block_id,
        "target": ind.target if ind.spec.uses_target else None,
        # only where there is one: the fingerprints stored with earlier years stay valid
        **({"formula": _formula(ind)} if ind.expression is not None else {}),
    }


def fingerprints(config: Config) -> dict[str, str]:
    """Every fingerprint of a framework (see the module docstring)."""
    out: dict[str, str] = {}
    for block in config.all_blocks():
        for ind in block.indicators:
            out[f"values:{ind.code}"] = _hash(_values_spec(ind))
            spec = _scores_spec(ind, block.id)
            out[f"scores:{ind.code}"] = "" if spec is None else _hash(spec)
    zeroes = config.scoring.critical.zero_block_score

    def block_print(block: Block) -> str:
        """The block's fingerprint (its sub-blocks' first: each is recorded, comparable or not)."""
        shares = indicator_shares(block, config)
        total = sum(child.weight for child in block.blocks) or 1.0
        children = [[child.id, round(child.weight / total, 12), block_print(child)] for child in block.blocks]
        parts = [
            [ind.code, round(shares[ind.code], 12), out[f"scores:{ind.code}"], ind.critical and zeroes]
            for ind in block.indicators
        ]
        whole = all(part[2] for part in parts) and all(child[2] for child in children)
        spec = {
            "aggregation": block_aggregation(block, config).value,
            "indicators": parts,
            "blocks": children,
        }
        out[f"block:{block.id}"] = _hash(spec) if whole else ""
        return out[f"block:{block.id}"]

    top: list[Any] = []
    total_weight = sum(b.weight for b in config.blocks) or 1.0
    for block in config.blocks:
        top.append([block.id, round(block.weight / total_weight, 12), block_print(block)])
    whole = (
        ""
        if any(not part[2] for part in top)
        else _hash({"aggregation": config.scoring.aggregation.value, "blocks": top})
    )
    out["total"] = whole
    levels = [[lvl.label, lvl.lower] for lvl in config.scoring.levels]
    out["levels"] = _hash({"levels": levels, "total": whole}) if whole else ""
    return out


def _located(config: Config) -> Iterator[tuple[Indicator, str]]:
    for block in config.all_blocks():
        for ind in block.indicators:
            yield ind, block.id


def indicator_reasons(old: Indicator, old_block: str, new: Indicator, new_block: str) -> list[str]:
    """What changed in one indicator between two years (:data:`REASONS`, in that order).

    «deficit» is an indicator's *own* deficit rule (the run's rule is :class:`FrameworkChange`'s
    ``deficit_rule``, said once rather than for every indicator).
    """
    found = {
        "type": old.type != new.type,
        "scoring": (old.method, old.scoring, old.options, old.max_mark)
        != (new.method, new.scoring, new.options, new.max_mark),
        "direction": old.direction != new.direction,
        "missing": old.missing != new.missing,
        "denominator": _denominator(old) != _denominator(new),
        "block": old_block != new_block,
        "relative": old.spec.relative or new.spec.relative,
        "target": old.target != new.target,
        "weight": old.weight != new.weight,
        "deficit": old.deficit != new.deficit,
        "formula": _formula(old) != _formula(new),
    }
    return [reason for reason in REASONS if found[reason]]


def framework_change(previous: Config, current: Config) -> FrameworkChange:
    """Indicators added, removed and changed since ``previous``; what stays comparable."""
    old = {ind.code: (ind, block) for ind, block in _located(previous)}
    new = {ind.code: (ind, block) for ind, block in _located(current)}
    old_prints, new_prints = fingerprints(previous), fingerprints(current)
    changed = {}
    for code, (ind, block) in new.items():
        if code in old:
            reasons = indicator_reasons(old[code][0], old[code][1], ind, block)
            if reasons:
                changed[code] = reasons
    return FrameworkChange(
        added=[code for code in new if code not in old],
        removed=[RemovedIndicator(code, ind.title) for code, (ind, _) in old.items() if code not in new],
        changed=changed,
        blocks={
            b.id: comparable(old_prints.get(f"block:{b.id}"), new_prints[f"block:{b.id}"])
            for b in current.all_blocks()
        },
        total=comparable(old_prints["total"], new_prints["total"]),
        levels=comparable(old_prints["levels"], new_prints["levels"]),
        deficit_rule=previous.analysis.deficit != current.analysis.deficit,
    )
