"""The statistical audit of the indicator set, against hand-computed numbers; the audit command."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from scoring_helpers import NA, ZERO, block, indicator, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.analysis.audit import cronbach_alpha, pearson, skewness
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.results import BlockFlag, IndicatorFlag, ResultsFileError, write_results_json

BANDS = [{"to": 10, "points": 0}, {"from": 10, "to": 20, "points": 1}, {"from": 20, "points": 3}]
X = [10, 20, 30, 40, 50]
Y = [12, 18, 33, 41, 46]
Z = [50, 40, 30, 20, 10]


def _config(**audit):
    return make_config(
        [
            block("P", [linear("X"), linear("Y"), linear("Z")]),
            block(
                "Q",
                [
                    indicator("W", scoring={"method": "bands", "bands": BANDS}),
                    indicator("V", "yesno"),
                    linear("S", type="number"),
                ],
            ),
        ],
        analysis={"audit": audit} if audit else None,
    )


def _results(**audit):
    w = [25, 25, 25, 25, 5]  # 4 of 5 at the maximum (3 points)
    s = [1, 1, 1, 2, 96]
    subs = [school(f"{i}", {"X": X[i], "Y": Y[i], "Z": Z[i], "W": w[i], "V": 0, "S": s[i]}) for i in range(5)]
    return build_results(_config(**audit), subs)


def test_cronbach_alpha_by_hand():
    # variances (ddof 1): X 250, Y 213.5, Z 250; X + Y + Z = 72, 78, 93, 101, 106 → variance 213.5
    results = _results()
    p = next(b for b in results.audit.blocks if b.id == "P")
    assert (p.items, p.schools) == (3, 5)
    assert p.alpha == pytest.approx(1.5 * (1 - (250 + 213.5 + 250) / 213.5), abs=1e-12)
    assert p.flags == ["low-alpha"]
    alpha, rows = cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 4, 6, 8.0]}).to_numpy())
    # a and 2a: Σvar = 1.6667 + 6.6667, var(3a) = 15 → α = 2 (1 − 8.3333/15) = 0.8889
    assert (alpha, rows) == (pytest.approx(2 * (1 - (5 / 3 + 20 / 3) / 15)), 4)


def test_alpha_uses_only_schools_where_every_item_applies():
    import numpy as np

    items = np.array([[1.0, 2.0], [2.0, np.nan], [3.0, 5.0], [4.0, 7.0], [5.0, 9.0]])
    alpha, rows = cronbach_alpha(items)
    complete = items[[0, 2, 3, 4]]
    total = complete.sum(axis=1).var(ddof=1)
    assert rows == 4 and alpha == pytest.approx(2 * (1 - complete.var(axis=0, ddof=1).sum() / total))
    assert cronbach_alpha(items[:2]) == (None, 1)


def test_correlations_with_block_and_total_by_hand():
    audit = {i.code: i for i in _results().audit.indicators}
    # Z = 60 − X, and block P is (X + Y + Z) / 3: r(Z, P) = −r(X, X + Y + Z) = −910 / √(1000·854)
    r = 910 / math.sqrt(1000 * 854)
    assert audit["Z"].r_block == pytest.approx(-r, abs=1e-12)
    assert audit["X"].r_block == pytest.approx(r, abs=1e-12)
    assert "negative-block" in audit["Z"].flags and "negative-block" not in audit["X"].flags
    assert pearson(
        pd.Series(X, dtype=float).to_numpy(), pd.Series(Y, dtype=float).to_numpy()
    ) == pytest.approx(r)


def test_indicators_that_do_not_discriminate():
    audit = {i.code: i for i in _results().audit.indicators}
    assert (audit["W"].same_points, audit["W"].same_share) == (3.0, 0.8)
    assert "same-points" not in audit["W"].flags  # 80 % < 90 %
    assert (audit["V"].same_points, audit["V"].same_share) == (0.0, 1.0)
    assert "same-points" in audit["V"].flags
    stricter = {i.code: i for i in _results(same_points_share=0.8).audit.indicators}
    assert "same-points" in stricter["W"].flags


def test_skew_matches_pandas_and_flags_scaled_methods_only():
    audit = {i.code: i for i in _results().audit.indicators}
    values = pd.Series([1, 1, 1, 2, 96], dtype=float)
    assert audit["S"].skew == pytest.approx(values.skew(), abs=1e-12)
    assert audit["S"].kurtosis == pytest.approx(values.kurt(), abs=1e-12)
    assert "skewed" in audit["S"].flags  # 2.236, 5.0
    assert audit["V"].skew is None  # yes/no: no value scale
    assert skewness(pd.Series([1.0, 2.0]).to_numpy()) == (None, None)


def test_collinear_pairs_strongest_first():
    pairs = [(p.first, p.second, round(p.r, 6), p.same_block) for p in _results().audit.pairs]
    r = round(910 / math.sqrt(1000 * 854), 6)
    assert pairs[0] == ("X", "Z", -1.0, True)
    assert ("X", "Y", r, True) in pairs and ("Y", "Z", -r, True) in pairs


def test_not_applicable_values_are_left_out_of_correlations():
    config = make_config([block("P", [linear("A", missing="not_applicable"), linear("B")])])
    subs = [school(f"{i}", {"A": NA if i == 0 else 10 * i, "B": 10 * i + (i % 2)}) for i in range(6)]
    audit = build_results(config, subs).audit
    a = next(i for i in audit.indicators if i.code == "A")
    assert a.schools == 5 and a.r_block is not None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_run_audits_its_score_arrays_as_the_records_would_be_audited(seed):
    """A run takes the audit's columns from its score arrays (fast); read back from the school
    records (``vosp-monitor audit``, an older results.json) they give the same audit, to the
    last digit: the same numbers in the ranking's order."""
    import random

    from vosp_monitor.analysis.audit import audit_schools

    rng = random.Random(seed)
    config = make_config(
        [
            block("P", [linear("A", missing="not_applicable"), linear("B", missing="zero"), linear("C")]),
            block(
                "Q", [indicator("W", scoring={"method": "bands", "bands": BANDS}), indicator("V", "yesno")]
            ),
        ]
    )
    subs = [
        school(
            f"{i:03d}",
            {
                "A": NA if rng.random() < 0.2 else rng.uniform(0, 100),
                "B": ZERO if rng.random() < 0.1 else rng.uniform(0, 100),
                "C": rng.lognormvariate(2, 1.5),
                "W": rng.choice([5, 15, 25]),
                "V": rng.choice([0, 1]),
            },
        )
        for i in range(40)
    ]
    results = build_results(config, subs)
    assert [s.code for s in results.schools] != sorted(s.code for s in results.schools)  # ranked, not by code
    assert results.audit is not None and results.audit.pairs is not None
    assert results.audit == audit_schools(results.config, results.schools)


def test_the_audit_can_be_switched_off():
    assert _results(enabled=False).audit is None


def test_the_audit_command_reads_results_json(tmp_path):
    results = _results()
    path = tmp_path / "results.json"
    write_results_json(results, path)
    text = CliRunner().invoke(main, ["audit", str(path)])
    assert text.exit_code == 0, text.output
    assert "Качество системы показателей" in text.stdout
    assert (
        "\n  Z Показатель Z\n" in text.stdout and "проверьте" in text.stdout and "направление" in text.stdout
    )
    assert "у 100,0\u00a0% ОО 0 баллов" in text.stdout  # V
    data = json.loads(CliRunner().invoke(main, ["audit", str(path), "--format", "json"]).stdout)
    z = next(i for i in data["indicators"] if i["code"] == "Z")
    assert z["flags"][0] == "negative-block" and z["advice"]
    assert read_results_json(path).audit == results.audit


def test_the_audit_command_computes_what_an_old_file_lacks(tmp_path):
    results = _results(enabled=False)
    path = tmp_path / "results.json"
    write_results_json(results, path)
    out = CliRunner().invoke(main, ["audit", str(path)])
    assert out.exit_code == 0 and "Что пересмотреть" in out.stdout
    missing = CliRunner().invoke(main, ["audit", str(tmp_path / "нет.json")])
    assert missing.exit_code == 2 and "не найден" in missing.output  # a parameter file: exit code 2


def test_a_small_negative_correlation_is_weak_not_the_other_way():
    from vosp_monitor.analysis.audit import _correlation_flags

    assert _correlation_flags(-0.05, 0.2, "total") == ["weak-total"]
    assert _correlation_flags(-0.2, 0.2, "total") == ["negative-total"]
    assert _correlation_flags(0.19, 0.2, "block") == ["weak-block"]
    assert _correlation_flags(0.2, 0.2, "block") == [] and _correlation_flags(None, 0.2, "block") == []


def test_flags_are_typed_and_read_back_as_their_enums(tmp_path):
    results = _results()
    path = tmp_path / "results.json"
    write_results_json(results, path)
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert {"negative-block", "same-points"} <= {f for i in stored["audit"]["indicators"] for f in i["flags"]}
    audit = read_results_json(path).audit
    assert audit is not None
    flags = [f for i in audit.indicators for f in i.flags]
    assert IndicatorFlag.negative_block in flags and all(type(f) is IndicatorFlag for f in flags)
    assert [b.flags for b in audit.blocks if b.id == "P"] == [[BlockFlag.low_alpha]]
    assert all(type(f) is BlockFlag for b in audit.blocks for f in b.flags)
    stored["audit"]["indicators"][0]["flags"] = ["negative-blok"]  # a misspelt flag is not silently kept
    path.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ResultsFileError):
        read_results_json(path)
