"""Every scoring method and aggregation has its Russian name, its formula and its documentation.

Adding a member to ``Method`` without its spec (``config.method_specs``) or its formula
(``scoring.formulas``) stops the import; without docs/scoring.md or an example below it fails
here, as does a list of methods kept anywhere but in the two tables.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scoring_helpers import make_config
from vosp_monitor.config import SPECS, Aggregation, Method, MethodKind, aggregation_ru, method_ru
from vosp_monitor.config.method_specs import every_method
from vosp_monitor.scoring.formulas import FORMULAS
from vosp_monitor.scoring.methods import OK, aggregate, score_indicator

ROOT = Path(__file__).resolve().parents[1]
DOCS = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")

# One indicator per method, and values that should score in increasing order.
EXAMPLES: dict[Method, tuple[dict[str, Any], list[float]]] = {
    Method.bands: (
        {
            "type": "percent",
            "scoring": {
                "method": "bands",
                "bands": [{"from": 0, "to": 50, "points": 0}, {"from": 50, "to": None, "points": 2}],
            },
        },
        [10, 60, 90],
    ),
    Method.options: (
        {"type": "choice", "options": [{"label": "нет", "points": 0}, {"label": "да", "points": 2}]},
        [0, 2, 2],
    ),
    Method.yesno: ({"type": "yesno"}, [0, 1, 1]),
    Method.mark: ({"type": "mark", "max_mark": 5}, [1, 3, 5]),
    Method.linear: ({"type": "count", "scoring": {"method": "linear", "low": 0, "high": 10}}, [0, 5, 10]),
    Method.minmax: ({"type": "number", "scoring": {"method": "minmax"}}, [1, 2, 3]),
    Method.target: ({"type": "percent", "target": 50, "scoring": {"method": "target"}}, [10, 25, 60]),
    Method.zscore: ({"type": "number", "scoring": {"method": "zscore"}}, [1, 2, 3]),
    Method.best: ({"type": "count", "scoring": {"method": "best"}}, [1, 2, 4]),
}


@pytest.mark.parametrize("method", list(Method), ids=[m.value for m in Method])
def test_every_method_is_named_documented_and_scored(method: Method) -> None:
    assert method_ru(method)
    assert f"`{method.value}`" in DOCS, f"docs/scoring.md does not describe «{method.value}»"
    spec, values = EXAMPLES[method]
    config = make_config([{"id": "B", "title": "Б", "indicators": [{"code": "X-1", "title": "Х", **spec}]}])
    indicator = config.indicator("X-1")
    assert indicator.method == method
    result = score_indicator(indicator, np.array(values, dtype=float), np.full(len(values), OK))
    assert np.all((result.scores >= 0) & (result.scores <= 100))
    assert np.all(np.diff(result.scores) >= 0) and result.scores[-1] > result.scores[0]
    assert np.allclose(result.points, result.scores / 100 * indicator.max_points)
    spec = indicator.spec
    assert spec.method == method and SPECS[method] is spec and FORMULAS[method]
    assert spec.name == method_ru(method) and spec.describe(indicator)
    assert indicator.min_points <= indicator.max_points
    if spec.kind == MethodKind.points:  # a points method gives the points of its own scale
        assert set(result.points) <= {*_scale_points(indicator), 0.0}
    assert not spec.relative or spec.kind == MethodKind.scaled  # points do not depend on the run
    assert spec.indicator_type is None or spec.kind == MethodKind.points


def _scale_points(indicator: Any) -> set[float]:
    bands = [band.points for band in indicator.scoring.bands] if indicator.scoring else []
    options = [option.points for option in indicator.options or []]
    marks = list(range((indicator.max_mark or 0) + 1))
    return {float(p) for p in [*bands, *options, *marks, indicator.max_points]}


def test_a_table_without_every_method_stops_the_import() -> None:
    partial = {method: method.value for method in Method if method != Method.zscore}
    with pytest.raises(RuntimeError, match="zscore"):
        every_method(partial, "test")
    assert set(every_method({**partial, Method.zscore: "z"}, "test")) == set(Method)


def _method_lists(tree: ast.AST) -> list[int]:
    """Lines of tuples, lists, sets and dict keys naming two or more ``Method`` members."""
    found = []
    for node in ast.walk(tree):
        items: list[ast.expr | None] = []
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = list(node.keys)
        named = [
            item
            for item in items
            if isinstance(item, ast.Attribute)
            and isinstance(item.value, ast.Name)
            and item.value.id == "Method"
        ]
        if len(named) >= 2:
            found.append(node.lineno)
    return found


def test_no_list_of_methods_outside_the_specs_and_the_formulas() -> None:
    """What a method is (points or scaled, relative, its type) is read from its spec, never listed."""
    allowed = {"config/method_specs.py", "scoring/formulas.py"}
    package = ROOT / "src" / "vosp_monitor"
    lists = {
        f"{path.relative_to(package).as_posix()}:{line}"
        for path in package.rglob("*.py")
        if path.relative_to(package).as_posix() not in allowed
        for line in _method_lists(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert not lists, f"lists of methods outside their specs: {sorted(lists)}"
    assert _method_lists(ast.parse("x = (Method.bands, Method.mark)"))  # the walk does find one


@pytest.mark.parametrize("aggregation", list(Aggregation), ids=[a.value for a in Aggregation])
def test_every_aggregation_is_named_and_documented(aggregation: Aggregation) -> None:
    assert aggregation_ru(aggregation)
    assert f"`{aggregation.value}`" in DOCS, f"docs/scoring.md does not describe «{aggregation.value}»"
    if aggregation != Aggregation.percent_of_max:  # works on points, in score_table
        combined = aggregate(np.array([[50.0, 100.0]]), np.array([1.0, 1.0]), aggregation)
        assert 50 < combined[0] <= 75
