"""«Помогли ли меры?»: the comparison on the same schools, the effect against a comparison, last
year's risk zone, sharp falls and implausible jumps (issue 24, point 3).

The three-year district of ``district_years`` (every number by hand in its docstring), year 3
against year 2. Block A = S (bands, max 3) + C (bands, max 2), block B = Y (2 for «да») + N
(mark 0–3), each «сумма баллов / максимум»; the total is their mean. Totals of year 2: 1 — 100,
2 — 20, 3 — 80, 4 — 80, 5 — 40, 6 — 20, 9 — 100; of year 3: 1 — 100, 2 — 70, 3 — 80,
40 (was 4) — 40, 5 (5 and 6 merged) — 80, 7 (new) — 60.
"""

from __future__ import annotations

import pytest

from district_years import PERIODS, compared_third_year, year_results
from vosp_monitor.analysis.stored import results_from_dict
from vosp_monitor.dynamics import PreviousYear, compare_years, read_school_map
from vosp_monitor.results import RiskFate, results_to_dict
from vosp_monitor.writers.html_md.report import render_reports

NB = "\u00a0"


@pytest.fixture(scope="module")
def third(tmp_path_factory):
    return compared_third_year(tmp_path_factory.mktemp("district"))


def test_the_same_schools_new_and_gone_apart(third):
    comp = third.dynamics.followup.composition
    # pairs with one predecessor: 1, 2, 3, 4 → 40 (5 is a merger: neither new nor gone)
    assert comp.matched == 4
    assert comp.previous == pytest.approx((100 + 20 + 80 + 80) / 4)  # 70.0
    assert comp.current == pytest.approx((100 + 70 + 80 + 40) / 4)  # 72.5
    assert (comp.new, comp.new_mean) == (1, pytest.approx(60.0))  # 7
    assert (comp.gone, comp.gone_mean) == (1, pytest.approx(100.0))  # 9, last year


def test_recommended_schools_against_the_others_and_the_unrecommended_indicators(third):
    """Last year's deficits (S: target 30 % missed; C, Y, N: the lowest points): only school 2
    (S 15 %, C 0 points, Y «нет»). Score changes (0–100) of the pairs 1, 2, 3, 4→40:
    S 0, +33.3, 0, 0; C 0, +50, 0, −50; Y 0, +100, 0, −100; N (nobody's deficit) 0, +33.3, 0, −33.3."""
    f = third.dynamics.followup
    rows = {c.code: c for c in f.contrast}
    assert set(rows) == {"S", "C", "Y"}
    assert (rows["S"].recommended, rows["S"].recommended_change) == (1, pytest.approx(100 / 3))
    assert (rows["S"].others, rows["S"].others_change) == (3, pytest.approx(0.0))
    assert rows["C"].recommended_change == pytest.approx(50.0)
    assert rows["C"].others_change == pytest.approx(-50 / 3)
    assert rows["Y"].others_change == pytest.approx(-100 / 3)
    assert f.recommended_change == pytest.approx((100 / 3 + 50 + 100) / 3)  # 61.1
    assert f.others_change == pytest.approx(-150 / 9)  # −16.7
    assert f.unrecommended == ["N"]
    assert f.unrecommended_change == pytest.approx(0.0)


def test_last_years_risk_zone_and_the_falls(third):
    """Year 2's risk zone (level «низкий», below 50): 2 (20), 5 (40), 6 (20); year 3's: 40 (40)."""
    f = third.dynamics.followup
    fates = {m.previous_code: (m.code, m.fate) for m in f.risk}
    assert fates == {"2": ("2", RiskFate.left), "5": ("5", RiskFate.left), "6": ("5", RiskFate.left)}
    assert f.risk_new == ["40"]  # 4 was «высокий» last year
    assert f.falls == ["40"]  # 80 → 40; school 2 rose, the others did not move
    assert f.jumps == []  # nothing moved 40 п. п. or 3 times with a base of 10


def test_implausible_jumps_by_the_configured_thresholds(tmp_path):
    """With jumps from 10 п. п. and 3 times, whatever the base: S of 1 (30 → 40 %) and of 40
    (4: 30 → 40 %), C of 2 (1 → 3); not S of 2 (15 → 20 %) nor C of 40 (2 → 1)."""
    (tmp_path / "map.csv").write_text("Прежний код;Новый код\r\n4;40\r\n6;5\r\n", encoding="utf-8")
    years = [PreviousYear(PERIODS[k - 1], tmp_path / f"y{k}.json", year_results(k)) for k in (1, 2)]
    results = year_results(3, implausible_change=10, implausible_ratio=3, implausible_base=0)
    dynamics = compare_years(results, years, read_school_map(tmp_path / "map.csv"))
    jumps = [(j.code, j.indicator, j.part, j.previous, j.current) for j in dynamics.followup.jumps]
    assert [(c, i, p) for c, i, p, *_ in jumps] == [
        ("1", "S", "value"),
        ("2", "C", "value"),
        ("40", "S", "value"),
    ]
    assert jumps[1][3:] == (1, 3)


def test_the_followup_survives_results_json(third):
    again = results_from_dict(results_to_dict(third))
    assert again.dynamics.followup == third.dynamics.followup
    # a file written before the follow-up existed reads as «not computed», and the section says less
    data = results_to_dict(third)
    del data["dynamics"]["followup"]
    assert results_from_dict(data).dynamics.followup.computed is False


def test_the_section_words_the_followup(third, tmp_path):
    render_reports(third, tmp_path, charts=False)
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    section = text[text.index("Динамика и эффективность принятых мер") :]
    assert (
        f"- Помогли ли рекомендации: изменение оценки показателя (из{NB}100) в среднем у ОО, получивших по нему "
        "рекомендацию, — +61,1; у остальных ОО по тем же показателям — −16,7; по показателям, по которым "
        "рекомендаций не было, — 0,0." in section
    )
    assert "| S | Доля педагогов, прошедших КПК | 1 | +33,3 | 3 | 0,0 |" in section
    assert "регрессия к среднему" in section
    assert f"- Зона риска 2024/2025 (3{NB}ОО): вышли из неё 3; впервые в зоне риска — 1." in section
    assert (
        "- Впервые в зоне риска (1): Школа 40 (40) — итог 40,0, уровень «низкий»; в прошлом году — 80,0."
        in section
    )
    assert "| Школа 40 (40) | 80,0 | 40,0 | −40,0 | 3 → 6 | высокий → низкий |" in section
    assert "### Что могут и чего не могут показать три года" in section
    assert "Требуют проверки" not in section  # no jumps
