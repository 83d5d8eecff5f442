"""The written conclusions: facts chosen in analysis (hand-computed here), their wording, the
management decisions and the rules of the методика — each saying only what the numbers support."""

from __future__ import annotations

import pytest

from scoring_helpers import block, linear, make_config, school
from vosp_monitor.analysis import build_results
from vosp_monitor.report.conclusions import write_conclusions
from vosp_monitor.report.decisions import management_decisions
from vosp_monitor.report.methodology import method_rules
from vosp_monitor.report.rows import ranking_rows, weakest_first
from vosp_monitor.words.formatting import NBSP
from vosp_monitor.words.russian import territory_words

# Scores equal values (linear 0–100); block score = mean of its indicators; total = mean of blocks.
#            kind        A1   A2   B1  → block A, block B, total
SCHOOLS = [
    ("1", "Гимназия", 90, 80, 70),  # 85, 70, 77.5
    ("2", "Гимназия", 100, 60, 90),  # 80, 90, 85
    ("3", "Основная", 40, 50, 60),  # 45, 60, 52.5
    ("4", "Основная", 50, 30, 40),  # 40, 40, 40
    ("5", "Одна", 10, 10, 0),  # 10, 0, 5 — a group of one school is never compared
]


def _results(**analysis):
    config = make_config(
        [block("A", [linear("A1"), linear("A2")]), block("B", [linear("B1")])],
        ranking={"groups": ["kind"]},
        analysis=analysis or None,
    )
    subs = [school(code, {"A1": a1, "A2": a2, "B1": b1}, kind=kind) for code, kind, a1, a2, b1 in SCHOOLS]
    return build_results(config, subs)


def _text(sentences) -> str:
    return " ".join(sentences).replace(NBSP, " ")


def test_facts_are_the_hand_computed_ones():
    facts = _results().conclusions
    a, b = facts.blocks
    assert (a.id, a.mean, b.mean) == ("A", pytest.approx(52), pytest.approx(52))
    assert [(s.code, s.score) for s in a.strongest] == [("A1", pytest.approx(58))]  # (90+100+40+50+10)/5
    assert [(s.code, s.score) for s in a.weakest] == [("A2", pytest.approx(46))]
    assert a.notable  # 12 points apart
    assert [(s.code, b.notable) for s in b.strongest] == [("B1", False)]  # one indicator: nothing to compare
    assert not facts.blocks_notable  # both blocks average 52
    (total,) = facts.total_gaps
    assert (total.high, total.high_mean, total.high_count) == ("Гимназия", pytest.approx(81.25), 2)
    assert (total.low, total.low_mean, total.low_count) == ("Основная", pytest.approx(46.25), 2)
    assert total.gap == pytest.approx(35) and total.notable
    assert [(g.block, g.gap) for g in a.gaps + b.gaps] == [("A", pytest.approx(40)), ("B", pytest.approx(30))]


def test_small_groups_and_small_differences_are_not_called_differences():
    assert _results(min_group_size=3).conclusions.total_gaps == []
    gap = _results(notable_difference=50).conclusions.total_gaps[0]
    assert not gap.notable
    written = write_conclusions(_results(notable_difference=50), territory_words("регион"), [], 10)
    text = _text(written.findings)
    assert "итоговый балл групп почти не различается" in text
    assert "разница 35,0 балла" in text  # the size is still named
    assert "Средние оценки блоков близки: от 52,0 до 52,0 из 100 (разница меньше 50,0 балла)." in text


def test_the_wording_names_the_size_of_every_difference():
    results = _results()
    written = write_conclusions(results, territory_words("городской округ"), [], 10)
    text = _text(written.findings)
    assert "По типу ОО итоговый балл выше всего в группе «Гимназия» — 81,2 (2 ОО)" in text
    assert "ниже всего — в группе «Основная» — 46,2 (2 ОО): разница 35,0 балла." in text
    assert "«Одна»" not in text
    note = dict((n.id, _text(n.sentences)) for n in written.blocks)
    assert (
        "Сильнее всего результаты по показателю A1 «Показатель A1» (средняя оценка 58,0), слабее всего — по показателю A2"
        in note["A"]
    )
    assert "разница 40,0 балла" in note["A"]


def _share_results(values, **documents):
    share = {
        "code": "S",
        "title": "Доля педагогов, прошедших КПК",
        "type": "share",
        "unit": "%",
        "numerator": "прошли КПК",
        "denominator": "педагогов",
        "target": 30,
        "measure": "Организовать курсы повышения квалификации.",
        "scoring": {"method": "target"},
    }
    config = make_config([block("B", [share])])
    if documents:
        data = config.model_dump(by_alias=True)
        data["documents"] = documents
        config = type(config).model_validate(data)
    return build_results(config, [school(str(i), {"S": v}) for i, v in enumerate(values, 1)])


def test_a_target_met_across_the_territory_can_still_be_a_system_deficit_and_says_why():
    # Pooled 96/130 = 73,8 % meets 30 %; two of four schools miss it: 50 % > 30 % of schools.
    results = _share_results([(1, 10), (90, 100), (2, 10), (3, 10)])
    assert results.conclusions.systemic_with_target_met == ["S"]
    written = write_conclusions(results, territory_words("муниципальный округ"), [], 10)
    verdict = _text(written.targets["S"])
    assert "цель по округу достигнута (сводное значение 73,8 %, на 43,8 п. п. выше цели)" in verdict
    assert "цели не достигли 2 ОО (50,0 %) — больше порога системного дефицита (30 %)" in verdict
    assert "У S цель по округу достигнута, но её не достигли более 30 % ОО" in _text(written.findings)


def test_decisions_are_addressed_with_deadlines_from_the_config():
    # 10 %, 20 %, 30 %: pooled 6/30 = 20 % misses 30 %; schools 1 and 2 miss it (school 3 reaches it).
    results = _share_results(
        [(1, 10), (2, 10), (3, 10)],
        measures={"S": {"responsible": "schools", "deadline": "до 1 марта 2027 г."}},
        responsible={"schools": "Директора школ"},
        report_back="до 15 января 2027 г.",
        order={"date": "14.09.2026"},
    )
    decisions = management_decisions(results, territory_words("муниципальный район"), 3, appendix=False)
    by_text = {d.text: d for d in decisions}
    s = next(d for d in decisions if d.text.startswith("Организовать курсы"))
    # A school measure goes to the schools that miss the target, named (weakest of them last).
    assert s.text.replace(NBSP, " ") == (
        "Организовать курсы повышения квалификации — в 2 ОО, не достигших цели 30 % по показателю «Доля педагогов, "
        "прошедших КПК» (S): Школа 2, Школа 1."
    )
    assert (s.addressee, s.deadline.replace(NBSP, " ")) == ("Директора школ", "до 1 марта 2027 г.")
    assert "цель S не достигнута" in s.basis and "системный дефицит S" in s.basis
    # The report (15 January) comes before the measures' end (31 May 2027): it is on the
    # decisions taken and the measures under way, after the decisions (14 October 2026).
    report = by_text[
        "Представить в Управление образования информацию о принятых решениях и ходе выполнения мер."
    ]
    assert (report.addressee, report.deadline.replace(NBSP, " ")) == (
        "Директора школ",
        "до 15 января 2027 г.",
    )
    adopt = next(d for d in decisions if d.text.startswith("Рассмотреть результаты мониторинга"))
    assert adopt.deadline.replace(NBSP, " ") == "до 14 октября 2026 г."
    assert decisions[0].addressee == "Управление образования"  # the authority first
    assert any("зоны риска" in d.text for d in decisions)  # the methodological centre supports them
    assert {d.addressee for d in decisions} == {
        "Управление образования",
        "МКУ «Методический центр»",
        "Директора школ",
    }
    assert all(d.deadline == "" or d.due is not None for d in decisions)  # every срок is a date


def test_the_rules_of_the_method_name_every_exception_of_the_config():
    config = make_config(
        [
            block(
                "B",
                [
                    linear("A", target=50),
                    linear("C", deficit={"score_below": 40}, invalid="zero"),
                    linear("D", missing="not_applicable"),
                ],
            )
        ]
    )
    rules = method_rules(config, territory_words("муниципальный район"))
    assert (
        "ОО получила наименьший балл шкалы показателя или не достигла его цели (цели заданы: A)"
        in rules.deficit
    )
    assert (
        "кроме заданных в перечне показателей особо: C — если оценка показателя ниже 40 из 100"
        in rules.deficit
    )
    errors = " ".join(rules.errors)
    assert (
        "исключает ОО из рейтинга до исправления формы — одинаково для всех показателей, кроме: C — оценивается в 0 баллов"
        in errors
    )
    assert "у D — не учитывается" in errors
    assert (
        rules.system == f"Дефицит системный, если он выявлен более чем у 30{NBSP}% ОО рейтинга."
    )  # why a met target can still be one: said once, in «Достижение целевых показателей»


def test_the_risk_zone_is_listed_weakest_first_and_names_at_most_the_limit(monkeypatch):
    from vosp_monitor.report import conclusions

    results = _results()
    rows = weakest_first([r for r in ranking_rows(results) if r.risk])
    assert [r.code for r in rows] == ["5", "4"]  # totals 5 and 40: the lowest level
    written = write_conclusions(results, territory_words("регион"), rows, limit=10)
    (risk,) = [f.replace(NBSP, " ") for f in written.findings if f.startswith("В зоне риска")]
    assert risk.startswith(
        "В зоне риска — 2 ОО: Школа 5 — 5,0; Школа 4 — 40,0 (от слабых к сильным); "
        "адресные рекомендации им — в разделе «Адресные рекомендации»."
    )
    monkeypatch.setattr(conclusions, "FINDING_NAMES", 1)
    written = write_conclusions(results, territory_words("регион"), rows, limit=1)
    (risk,) = [f.replace(NBSP, " ") for f in written.findings if f.startswith("В зоне риска")]
    assert risk.startswith("В зоне риска — 2 ОО; самые слабые: Школа 5 — 5,0.")
    assert "Все 2 — в приложении 3 к приказу" in risk
