"""Comparing computed results with stored ones on any machine: floats within a tolerance.

numpy picks its vector code by processor (SSE, AVX2, AVX-512 on x86-64, NEON or SVE on ARM):
a sum or a power may differ in the last bits from one machine to the next (the audit's
skewness: ``-0.09489563620692713`` with AVX-512, ``…659`` without). A fixture made on one
machine is then compared with what another computes, and an exact ``==`` fails for a
difference nobody can see. :func:`assert_close` compares nested results (dicts, lists,
dataclasses, pydantic models) exactly except for floats, which agree to :data:`REL` — nine
significant digits, far below anything printed (a score to a tenth, a statistic to a
hundredth) and far above the last bits of a double. Everything that is not a float (codes,
places, counts, texts, the shape of the structure) must be equal.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

REL = 1e-9  # relative: nine significant digits
ABS = 1e-12  # absolute, for values that are zero on one machine and 1e-17 on another


def plain(value: Any) -> Any:
    """Dataclasses and pydantic models as dicts, tuples as lists; the rest as it is."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def differences(actual: Any, expected: Any, path: str = "") -> list[str]:
    """Where ``actual`` and ``expected`` differ beyond the tolerance, as readable paths."""
    actual, expected = plain(actual), plain(expected)
    if isinstance(actual, float) or isinstance(expected, float):
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (actual, expected))
        if numbers:
            if math.isnan(actual) and math.isnan(expected):
                return []
            if math.isclose(actual, expected, rel_tol=REL, abs_tol=ABS):
                return []
        return [f"{path}: {actual!r} != {expected!r}"]
    if isinstance(actual, dict) and isinstance(expected, dict):
        if actual.keys() != expected.keys():
            return [f"{path}: keys {sorted(map(str, actual))} != {sorted(map(str, expected))}"]
        found: list[str] = []
        for key in actual:
            found += differences(actual[key], expected[key], f"{path}.{key}")
        return found
    if isinstance(actual, list) and isinstance(expected, list):
        if len(actual) != len(expected):
            return [f"{path}: {len(actual)} items != {len(expected)}"]
        found = []
        for index, (a, e) in enumerate(zip(actual, expected, strict=True)):
            found += differences(a, e, f"{path}[{index}]")
        return found
    return [] if actual == expected else [f"{path}: {actual!r} != {expected!r}"]


def assert_close(actual: Any, expected: Any, message: str = "") -> None:
    """``actual == expected`` but for floats, which agree to :data:`REL` (see the module)."""
    found = differences(actual, expected)
    assert not found, (message + "\n" if message else "") + "\n".join(found[:20])
