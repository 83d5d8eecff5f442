"""Every scoring method and aggregation has its Russian name, its scoring branch and its documentation.

Adding a member to ``Method`` or ``Aggregation`` without teaching the engine, the report and
docs/scoring.md about it fails here (each member needs an example below, too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scoring_helpers import make_config
from vosp_monitor.config import Aggregation, Method, aggregation_ru, method_ru
from vosp_monitor.scoring.methods import OK, aggregate, score_indicator

DOCS = (Path(__file__).resolve().parents[1] / "docs" / "scoring.md").read_text(encoding="utf-8")

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


@pytest.mark.parametrize("aggregation", list(Aggregation), ids=[a.value for a in Aggregation])
def test_every_aggregation_is_named_and_documented(aggregation: Aggregation) -> None:
    assert aggregation_ru(aggregation)
    assert f"`{aggregation.value}`" in DOCS, f"docs/scoring.md does not describe «{aggregation.value}»"
    if aggregation != Aggregation.percent_of_max:  # works on points, in score_table
        combined = aggregate(np.array([[50.0, 100.0]]), np.array([1.0, 1.0]), aggregation)
        assert 50 < combined[0] <= 75
