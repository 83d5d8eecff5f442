"""The benchmarks kit checks every target of the performance issues and names each in Russian.

No timing here (timings live in benchmarks/): made-up measures go through ``run.verdicts`` and
``readme_table.table_text`` as the kit's own rows would.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def kit():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import readme_table
        import run

        yield run, readme_table
    finally:
        sys.path.remove(str(BENCHMARKS))


def _rows(run):  # type: ignore[no-untyped-def]
    measure = run.Measure
    rows = [
        measure(0, "--help", 0.07, 0.0, 15.0, 0),
        measure(24, run.DISTRICT, 1.9, 12.6, 290.0, 0, 4.1),
        measure(1500, run.REGION, 30.0, 50.0, 900.0, 0, 45.0),
    ]
    for n, floor, validate, score, cpu in ((600, 1.0, 1.6, 2.5, 1.5), (40000, 22.7, 33.0, 48.0, 1.4)):
        rows += [
            measure(n, "floor (calamine)", floor, n / floor, 50.0, 0, floor * 1.9),
            measure(n, "naive (pandas+openpyxl)", floor * 20, 1.0, 90.0, 0, floor * 20),
            measure(n, "vosp validate", validate, n / validate, 200.0, 0, floor * 1.9 * cpu),
            measure(n, "vosp score", score, n / score, 990.0, 0, score * 1.8),
        ]
    return rows


def test_every_target_of_issue_28_is_checked_with_its_margin(kit) -> None:  # type: ignore[no-untyped-def]
    run, _ = kit
    found = {v.label: v for v in run.verdicts(_rows(run))}
    assert found["a district of 24 schools, everything (score --schools)"].limit == 2.0
    assert found["N=600: score, every document"].limit == 3.0
    assert found["N=600: score, every document"].met  # 2.5 s
    per_form = found["N=40000: validate / floor, CPU time per form"]
    assert per_form.value == pytest.approx(1.4) and per_form.met
    assert not found["N=40000: score / floor"].met  # 48 / 22.7 = 2.11×
    assert "MISSED by 0.11×" in found["N=40000: score / floor"].line()
    assert found["N=40000: peak RSS of score"].met


def test_the_readme_table_says_every_target_and_the_region_in_russian(kit) -> None:  # type: ignore[no-untyped-def]
    run, readme_table = kit
    rows = _rows(run)
    checked = run.verdicts(rows)
    unnamed = [v.label for v in checked if v.label not in readme_table.LABELS]
    assert unnamed == []
    text = readme_table.table_text(run.table_rows(rows), checked, {"date": "—", "machine": "—", "jobs": 2})
    assert "Регион: 1\u00a0500 школ в 40 муниципалитетах" in text
    assert "600 школ: `score`, все документы" in text
