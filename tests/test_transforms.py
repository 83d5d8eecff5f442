"""``transform: log`` (hand-computed goalposts) and ``min_coverage``, down to real forms."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from scoring_helpers import NA, ZERO, block, indicator, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.cli import main
from vosp_monitor.config import ConfigError, indicator_weight_shares, parse_config
from vosp_monitor.scoring.methods import OK, score_indicator
from vosp_monitor.validate.coverage import coverage_rules
from workbooks import fill_form


def _score(spec: dict, values: list[float], direction: str = "higher") -> np.ndarray:
    config = make_config([block("P", [indicator("I", scoring=spec, direction=direction)])])
    result = score_indicator(config.indicator("I"), np.array(values, dtype=float), np.full(len(values), OK))
    return result.scores


def test_log_linear_is_undps_income_index():
    """UNDP: (ln GNI − ln 100) / (ln 75 000 − ln 100); 20 000 → ln 200 / ln 750."""
    spec = {"method": "linear", "low": 100, "high": 75000, "transform": "log"}
    scores = _score(spec, [20000, 100, 75000, 200000, 50])
    assert scores[0] == pytest.approx(100 * math.log(200) / math.log(750), abs=1e-12)
    assert scores[1:].tolist() == [0.0, pytest.approx(100.0), 100.0, 0.0]
    lower = _score(spec, [20000], direction="lower")
    assert lower[0] == pytest.approx(100 - 100 * math.log(200) / math.log(750), abs=1e-12)


def test_log_minmax_and_zscore_use_the_logs_of_the_values():
    assert _score({"method": "minmax", "transform": "log"}, [1, 10, 100]).tolist() == pytest.approx(
        [0, 50, 100]
    )
    e = math.e
    z = _score({"method": "zscore", "transform": "log"}, [1 / e, 1, e])  # logs −1, 0, 1: sd 1
    assert z.tolist() == pytest.approx([100 * 0.5 * (1 + math.erf(k / math.sqrt(2))) for k in (-1, 0, 1)])


def test_a_non_positive_value_that_reaches_scoring_is_not_used():
    assert _score({"method": "minmax", "transform": "log"}, [0, 10, 100]).tolist() == [0.0, 0.0, 100.0]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {
                "method": "bands",
                "bands": [{"to": 1, "points": 0}, {"from": 1, "points": 1}],
                "transform": "log",
            },
            "только со способами",
        ),
        ({"method": "target", "transform": "log"}, "только со способами"),
        ({"method": "linear", "low": 0, "high": 10, "transform": "log"}, "low должна быть больше 0"),
    ],
)
def test_log_is_refused_where_it_means_nothing(spec, message):
    with pytest.raises(ConfigError) as caught:
        make_config([block("P", [indicator("I", scoring=spec, target=5)])])
    assert message in str(caught.value)


def test_coverage_shares_follow_the_weights_through_sub_blocks():
    config = make_config(
        [
            block(
                "T",
                blocks=[
                    block("P", [linear("A", weight=3), linear("B")], weight=1),
                    block("Q", [linear("C")], weight=3),
                ],
            )
        ]
    )
    shares = indicator_weight_shares(config.blocks[0], config)
    assert shares == pytest.approx({"A": 0.1875, "B": 0.0625, "C": 0.75})


def test_min_coverage_is_a_rule_of_validation_per_block():
    config = make_config(
        [
            block(
                "P",
                [linear("A", weight=2, missing="zero"), linear("B", missing="not_applicable"), linear("C")],
            )
        ],
        scoring={"min_coverage": 0.6},
    )
    rules = coverage_rules(config)
    assert [(r.block.id, r.required) for r in rules] == [("P", 0.6)]
    # without validation nothing is excluded: the rule lives where problems are found
    results = build_results(
        config, [school("1", {"A": ZERO, "B": NA, "C": 50}), school("2", {"A": 5, "B": 5, "C": 5})]
    )
    assert len(results.schools) == 2


YAML = {
    "monitoring": {"id": "t", "title": "Тест", "form_version": "1"},
    "school_fields": [
        {"key": "code", "label": "Код ОО", "role": "key"},
        {"key": "name", "label": "Наименование", "role": "name"},
    ],
    "scoring": {"min_coverage": 0.6},
    "blocks": [
        {
            "id": "P",
            "title": "Блок P",
            "indicators": [
                {
                    "code": "INC",
                    "title": "Доход",
                    "type": "number",
                    "missing": "zero",
                    "scoring": {"method": "linear", "low": 100, "high": 75000, "transform": "log"},
                },
                {
                    "code": "A",
                    "title": "А",
                    "type": "number",
                    "weight": 2,
                    "missing": "zero",
                    "scoring": {"method": "linear", "low": 0, "high": 100},
                },
                {
                    "code": "B",
                    "title": "Б",
                    "type": "number",
                    "missing": "not_applicable",
                    "scoring": {"method": "linear", "low": 0, "high": 100},
                },
            ],
        }
    ],
}


def test_real_forms_log_values_and_coverage(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(YAML, allow_unicode=True), encoding="utf-8")
    config = parse_config(path.read_text(encoding="utf-8"))
    forms = tmp_path / "forms"
    forms.mkdir()
    fill_form(forms / "1.xlsx", config, {"code": "1", "name": "Школа 1"}, {"INC": 20000, "A": 50, "B": 30})
    fill_form(forms / "2.xlsx", config, {"code": "2", "name": "Школа 2"}, {"INC": 0, "A": 80, "B": 30})
    fill_form(forms / "3.xlsx", config, {"code": "3", "name": "Школа 3"}, {"INC": 5000})
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["score", str(forms), "-c", str(path), "-o", str(out), "--quiet", "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    totals = {s["code"]: s["total"] for s in data["schools"]}
    income = 100 * math.log(200) / math.log(750)
    assert totals["1"] == pytest.approx((income + 2 * 50 + 30) / 4, abs=1e-9)
    assert totals["2"] == pytest.approx((0 + 2 * 80 + 30) / 4, abs=1e-9)  # INC ≤ 0: not used, 0 points
    problems = {(p["school"], p["code"], p["consequence"]) for p in data["problems"]}
    assert ("2", "value-not-positive", "indicator-zero") in problems
    assert ("3", "block-coverage-low", "school-excluded") in problems
    assert [e["code"] for e in data["excluded"]] == ["3"]
    (low,) = [p for p in data["problems"] if p["code"] == "block-coverage-low"]
    assert low["params"] == {"block": "Блок P", "coverage": 25.0, "required": 60.0}
    checked = CliRunner().invoke(main, ["validate", str(forms), "-c", str(path), "--jobs", "1"])
    assert checked.exit_code == 1
    assert "значения есть по 25 % веса показателей, нужно не меньше 60 %" in checked.stdout
    assert "нужно число больше 0" in checked.stdout
