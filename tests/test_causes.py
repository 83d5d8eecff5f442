"""Conclusions with causes: what the schools behind a weak result share (hand-computed on seven
schools), its words and tables, and the same facts on the samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring_helpers import block, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.report.causes import causes_view
from vosp_monitor.report.decisions import Role, management_decisions
from vosp_monitor.report.founders import own_school
from vosp_monitor.results import Subject
from vosp_monitor.words.formatting import NBSP
from vosp_monitor.words.russian import territory_words

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

# Scores equal values; the block (and total) is the mean of A and B.
#          code kind        students  A    B   → total
SCHOOLS = [
    ("1", "Гимназия", 900, 100, 90),  # 95
    ("2", "Гимназия", 700, 90, 100),  # 95
    ("3", "Средняя", 300, 80, 70),  # 75
    ("4", "Средняя", 250, 70, 60),  # 65
    ("5", "Основная", 40, 0, 20),  # 10: the lowest level — the risk zone
    ("6", "Основная", 60, 0, 30),  # 15: the risk zone
    ("7", "Основная", 50, 60, 50),  # 55
]


def _results():
    base = make_config([block("X", [linear("A"), linear("B")])], ranking={"groups": ["kind"]})
    data = base.model_dump(by_alias=True)
    data["school_fields"].append(
        {"key": "students", "label": "Численность обучающихся, чел.", "type": "integer", "role": "contingent"}
    )
    config = type(base).model_validate(data)
    subs = [school(c, {"A": a, "B": b}, kind=k, students=n) for c, k, n, a, b in SCHOOLS]
    return build_results(config, subs)


def _profile(results, subject):
    return next(p for p in results.conclusions.profiles if p.subject == subject)


def test_the_risk_zone_profile_is_the_hand_computed_one():
    results = _results()
    risk = _profile(results, Subject.risk)
    assert risk.schools == ["6", "5"] and risk.others == 5  # ranking order: 15 before 10
    # «Основная»: 2 of 2 in the zone against 3 of 7 in the district.
    assert [(t.key, t.value, t.count, t.district) for t in risk.traits] == [("kind", "Основная", 2, 3)]
    assert (risk.size.median, risk.size.others) == (50, 300)  # median(40, 60); median(900, 700, 300, 250, 50)
    # A: 0 against (100+90+80+70+60)/5 = 80; B: 25 against (90+100+70+60+50)/5 = 74.
    assert [(c.code, c.mean, c.others, c.deficits, c.others_deficits) for c in risk.contrasts] == [
        ("A", 0, pytest.approx(80), 2, 0),
        ("B", 25, pytest.approx(74), 0, 0),
    ]


def test_the_common_cause_is_the_deficit_only_schools_of_the_zone_profile_have():
    cause = _results().conclusions.cause
    # A = 0 (the lowest points: a deficit) at schools 5 and 6 only, both «Основная».
    assert (cause.code, cause.schools, cause.in_risk, cause.value) == ("A", ["6", "5"], 2, 0)
    assert [(t.value, t.count, t.district) for t in cause.traits] == [("Основная", 2, 3)]


def test_no_cause_when_a_school_of_another_profile_shares_the_deficit():
    base = make_config([block("X", [linear("A"), linear("B")])], ranking={"groups": ["kind"]})
    rows = [*SCHOOLS[:3], ("4", "Средняя", 250, 0, 60), *SCHOOLS[4:]]  # an «Средняя» with A = 0
    results = build_results(base, [school(c, {"A": a, "B": b}, kind=k) for c, k, _, a, b in rows])
    assert results.conclusions.cause is None
    assert _profile(results, Subject.risk).size is None  # no size field in this config


def test_the_leaders_and_the_weakest_indicators():
    results = _results()
    leaders = _profile(results, Subject.leaders)
    assert leaders.schools == ["1", "2"]  # 95 and 95: tied at the cut of 10 %
    assert [(t.value, t.count, t.district) for t in leaders.traits] == [("Гимназия", 2, 2)]
    assert (leaders.size.median, leaders.size.others) == (800, 60)
    # A: 95 against (80+70+0+0+60)/5 = 42; B: 95 against (70+60+20+30+50)/5 = 46.
    assert [(c.code, c.mean, c.others) for c in leaders.contrasts] == [
        ("A", 95, pytest.approx(42)),
        ("B", 95, pytest.approx(46)),
    ]
    # A: (100+90+80+70+0+0+60)/7 = 57.14; B: 420/7 = 60.
    assert [(s.code, s.score) for s in results.conclusions.weakest] == [
        ("A", pytest.approx(400 / 7)),
        ("B", pytest.approx(60)),
    ]


def test_the_words_state_the_figures_of_their_table():
    results = _results()
    view = causes_view(results)
    note = view.risk.note.replace(NBSP, " ")
    assert note == (
        "Общее у ОО зоны риска: все 2 — тип ОО «Основная» (в районе таких ОО — 3); численность обучающихся "
        "меньше: медиана 50 против 300 у остальных ОО; сильнее всего они отстают по A (средняя оценка 0,0 "
        "против 80,0 у остальных ОО), B (25,0 против 74,0)."
    )
    rows = [(r.what, r.inside, r.others) for r in view.risk.rows]
    assert rows[:2] == [
        ("Тип ОО «Основная»", "2 из 2", "1 из 5"),
        ("Численность обучающихся, медиана", "50", "300"),
    ]
    assert rows[2] == ("A «Показатель A»: средняя оценка (ОО с дефицитом)", "0,0 (2)", "80,0 (0)")
    assert "1 из 3 ОО с признаком «Основная» не в зоне риска" in view.limits
    assert "одна ОО меняет долю группы на 33,3 п. п." in view.limits.replace(NBSP, " ")
    assert view.cause.startswith("Общая черта слабых результатов: дефицит A «Показатель A» есть у всех 2")


def test_the_cause_gets_a_district_item_for_its_schools():
    results = _results()
    decisions = management_decisions(results, territory_words("муниципальный район"), 3, appendix=False)
    (cause,) = [d for d in decisions if "(A; все" in d.text]
    assert cause.role == Role.body and "общая черта ОО зоны риска" in cause.basis
    # A has no district measure: methodological help to the schools, named — never the school measure.
    assert cause.text.replace(NBSP, " ") == (
        "Оказать методическую помощь 2 ОО с дефицитом по показателю «Показатель A» (A; все — тип ОО «Основная»; из них 2 — "
        "в зоне риска): "
        "Школа 6, Школа 5 — в устранении дефицита A."
    )


@pytest.mark.parametrize(
    ("name", "territory", "own"),
    [
        ("МБОУ «СОШ № 1»", "муниципальный район", True),
        ("МАОУ «Лицей»", "городской округ", True),
        ("ГКОУ «Школа-интернат с. Небывалово»", "муниципальный район", False),
        ("ГБОУ СО «Школа»", "муниципальный округ", False),
        ("ФГКОУ «Кадетский корпус»", "муниципальный район", False),
        ("ЧОУ «Школа Знание»", "муниципальный район", False),
        ("Школа без аббревиатуры", "муниципальный район", True),
        ("ГБОУ «Школа № 5»", "регион", True),
        ("МБОУ «СОШ № 1»", "регион", False),
    ],
)
def test_whose_school_it_is_comes_from_its_name(name, territory, own):
    assert own_school(name, territory) is own


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    from click.testing import CliRunner

    from vosp_monitor.analysis.stored import read_results_json
    from vosp_monitor.cli import main

    out = tmp_path_factory.mktemp("samples")
    args = ["score", str(SAMPLES / "forms"), "-o", str(out), "--schools", str(SAMPLES / "registry.csv")]
    result = CliRunner().invoke(main, [*args, "--quiet", "--jobs", "2", "--no-uncertainty"])
    assert result.exit_code == 0, result.output
    return read_results_json(out / "results.json"), out


def test_on_the_samples_the_risk_zone_and_upr2_are_rural_basic_schools(samples):
    results, _ = samples
    risk = _profile(results, Subject.risk)
    assert risk.schools == ["0117", "0109", "0122"]
    assert [(t.value, t.count, t.district) for t in risk.traits] == [
        ("Основная школа", 3, 6),
        ("село", 3, 16),
    ]
    # 45, 38, 57 students; the other 18 schools' median is (197 + 205) / 2 = 201.
    assert (risk.size.median, risk.size.others) == (45, 201)
    assert [c.code for c in risk.contrasts] == ["UPR-2", "KR-4", "RES-6"]
    cause = results.conclusions.cause
    assert (cause.code, cause.schools, cause.in_risk, cause.value) == (
        "UPR-2",
        ["0113", "0124", "0117", "0109", "0122"],
        3,
        0,
    )
    leaders = _profile(results, Subject.leaders)
    assert leaders.schools == ["0103", "0104", "0123"]
    assert [(t.value, t.count) for t in leaders.traits] == [("Гимназия, лицей", 2), ("город", 2)]
    assert [s.code for s in results.conclusions.weakest] == ["RES-6", "RES-3", "KR-4"]


def test_on_the_samples_every_main_finding_is_in_the_spravka_tables(samples):
    _, out = samples
    text = (out / "report.md").read_text(encoding="utf-8").replace(NBSP, " ")
    findings = text[text.index("## Основные выводы") : text.index("## 1.")]
    assert (
        "все 3 — тип ОО «Основная школа» (в районе таких ОО — 6) и местность «село» (таких — 16)" in findings
    )
    assert "медиана 45 против 201 у остальных ОО" in findings
    assert "UPR-2 (средняя оценка 0,0 против 63,9 у остальных ОО)" in findings
    assert "все 5 ОО с этим дефицитом — тип ОО «Основная школа» и местность «село»" in findings
    assert "Чего данные не показывают" in findings
    # the same figures in the table of the section «Лидеры и зона риска»
    assert "| Тип ОО «Основная школа» | 3 из 3 | 3 из 18 |" in text
    assert "| Численность обучающихся, медиана | 45 | 201 |" in text
    assert "средняя оценка (ОО с дефицитом) | 0,0 (3) | 63,9 (2) |" in text
    # where each system deficit and weakest indicator sits, in the section on system deficits
    assert "- RES-2: дефицит у 8 ОО из 21; 6 из 8 — тип ОО «Основная школа» (все такие ОО района)" in text
    assert "- RES-6: дефицит у 5 ОО из 21 — в разных группах ОО (ни одно значение полей" in text
    assert "- UPR-5:" not in text  # 16 of 21: most schools, nothing to locate
    decisions = text[text.index("### Предлагаемые управленческие решения") :]
    assert "Исполнитель — МКУ «Методический центр», срок — до 31 мая 2027 г. Основание:" in decisions
    assert "г.." not in text
