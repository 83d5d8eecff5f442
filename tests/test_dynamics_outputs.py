"""Where the comparison shows: the справка, the cards, ranking.xlsx, the console and the CLI.

The three-year district (``district_years``) with hand-computed figures, rendered into
real files and read back; the command line on the bundled samples with their two
earlier years (``samples/years``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from district_years import compared_third_year, year_results
from vosp_monitor.cli import main
from vosp_monitor.report.wording_dynamics import console_summary
from vosp_monitor.words.formatting import format_difference
from vosp_monitor.writers.html_md.report import render_reports
from vosp_monitor.writers.xlsx.ranking import write_ranking_xlsx

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
YEARS = SAMPLES / "years"
NB = "\u00a0"


@pytest.fixture(scope="module")
def third(tmp_path_factory):
    return compared_third_year(tmp_path_factory.mktemp("district"))


@pytest.fixture(scope="module")
def rendered(third, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    render_reports(third, out, charts=True)
    write_ranking_xlsx(third, out / "ranking.xlsx")
    return out


def test_signed_differences_read_the_russian_way():
    assert [format_difference(later, 0.0) for later in (6.88, -2.0, 0.0)] == ["+6,9", "−2,0", "0,0"]
    assert format_difference(5.5, 0.0, unit=f"п.{NB}п.") == f"+5,5{NB}п.{NB}п."


def test_the_report_section_words_the_hand_computed_figures(rendered):
    text = (rendered / "report.md").read_text(encoding="utf-8")
    start = text.index("## 9. Динамика и эффективность принятых мер")  # after «8. Адресные рекомендации»
    section = text[start : text.index("\n## ", start)]
    # the same schools (1, 2, 3, 4 → 40): 280/4 = 70.0 → 290/4 = 72.5; the whole ranking's mean
    # 440/7 = 62.9 → 430/6 = 71.7 is another list of schools: 7 is new (60), 9 gone (100), 5 merged
    assert (
        f"- Средний итоговый балл 4{NB}ОО, участвовавших в рейтинге в оба года: 70,0 → **72,5** (+2,5, улучшение). "
        "Средний балл всего рейтинга (62,9 → 71,7) с этим изменением не сравним: состав ОО изменился — "
        "новых в рейтинге 1 (средний итог 60,0), выбыла 1 (средний итог в 2024/2025 — 100,0), "
        "1 образована объединением." in section
    )
    assert "| Итоговый балл (среднее по ОО) | 53,0 |" not in section  # (the series row stays, see below)
    assert f"устранены 6 из{NB}7 (85,7{NB}%), сохраняются 1; новых дефицитов — 2" in section
    assert (
        f"S: 2023/2024 — 21,0{NB}%; 2024/2025 — 27,0{NB}%; 2025/2026 — 33,0{NB}% — цель достигнута впервые в 2025/2026"
        in section
    )
    assert (
        f"вырос существенно у 1{NB}ОО, снизился у 1, без существенных изменений — 2 (из{NB}4{NB}ОО" in section
    )
    assert (
        f"| S | Доля педагогов, прошедших КПК | 27,0{NB}% | 33,0{NB}% | +6,0{NB}п.{NB}п. | улучшение | 3 → 1 |"
        in section
    )
    # C's series breaks between years 1 and 2 (its bands changed): the block A row is marked
    assert "| A. Блок A | 64,0 | ‖ 68,6 | 80,0 | +11,4 | улучшение |" in section
    assert "| Школа 2 (2) | 20,0 | 70,0 | +50,0 | 6 → 4 |" in section
    assert "| Школа 40 (40) | 80,0 | 40,0 | −40,0 | 3 → 6 |" in section
    assert "Школа 40 (40) — в 2024/2025 — код 4" in section
    assert "Школа 5 (5) — объединение ОО 2024/2025: 5 Школа 5, 6 Школа 6" in section
    assert "**Нет в рейтинге 2024/2025** (1): Школа 7 (7)." in section
    assert "Школа 9 (9) — нет в данных этого года" in section
    assert "| высокий | 4 | 3 | −1 |" in section and "| средний | 0 | 2 | +2 |" in section
    html = (rendered / "report.html").read_text(encoding="utf-8")
    assert 'id="dynamics"' in html and '<a href="#dynamics">' in html
    assert html.count('<svg role="img" aria-label="Целевые показатели по годам: S"') == 1
    assert 'aria-label="Средний итоговый балл и оценки блоков по годам"' in html


def test_a_card_shows_last_year_beside_this_year(rendered):
    card = (rendered / "schools" / "40.md").read_text(encoding="utf-8")
    part = card[card.index("## Сравнение с 2024/2025") :]
    assert "В 2024/2025 — код 4." in part
    assert "| Итоговый балл | 80,0 | 40,0 | −40,0 | ухудшение |" in part
    assert "| Блок A | 80,0 | 60,0 | −20,0 | ухудшение |" in part
    assert "Место в рейтинге: 3 → 6; уровень: высокий → низкий." in part
    assert "- Новые: **C** Число мероприятий; **Y** Положение принято" in part
    # the «Прошлый год / Изменение» columns of the indicator table
    table = card[card.index("| Код | Показатель | Значение ОО") : card.index("## Сравнение")]
    assert "| Прошлый год (2024/2025) | Изменение |" in table
    assert (
        f"| 40,0{NB}% (4 из{NB}10) | 33,0{NB}% | 3 из{NB}3 |  | 30,0{NB}% (3 из{NB}10) | +10,0{NB}п.{NB}п. (лучше) |"
        in table
    )
    assert f"| 1{NB}ед. | медиана 3{NB}ед. | 0 из{NB}2 | да | 2{NB}ед. | −1{NB}ед. (хуже) |" in table
    assert "| нет | «да» у 66,7" in table and "| да | стало «нет» (хуже) |" in table
    merged = (rendered / "schools" / "5.md").read_text(encoding="utf-8")
    assert "не сравниваются: ОО образована объединением нескольких ОО" in merged
    assert f"| 20,0{NB}% (4 из{NB}20) | +10,0{NB}п.{NB}п. (лучше) |" in merged
    assert "| — | — |" in merged  # C, Y, N of two schools cannot be one school's
    new = (rendered / "schools" / "7.md").read_text(encoding="utf-8")
    assert f"В 2024/2025{NB}ОО не было в рейтинге мониторинга: сравнивать не с чем." in new
    assert "Прошлый год" not in new
    html = (rendered / "schools" / "40.html").read_text(encoding="utf-8")
    assert 'id="last-year"' in html and "<th>Прошлый год (2024/2025)</th>" in html
    assert '<span class="tag ok">лучше</span>' in html and '<span class="tag warn">хуже</span>' in html
    assert '<td colspan="8">Блок A</td>' in html


def test_ranking_xlsx_holds_every_school_against_last_year(rendered):
    book = load_workbook(rendered / "ranking.xlsx")
    assert book.sheetnames[-3:] == ["Динамика", "Динамика показателей", "Требуют проверки"]
    rows = list(book["Динамика"].iter_rows(min_row=2, values_only=True))
    header, data = rows[0], {row[1]: row for row in rows[1:]}
    school = dict(zip(header, data["2"], strict=True))
    assert (school["Итог 2024/2025"], school["Итог 2025/2026"], school["Изменение итога"]) == (20, 70, 50)
    assert (school["Место 2024/2025"], school["Место 2025/2026"]) == (6, 4)
    assert (school["Уровень 2024/2025"], school["Уровень 2025/2026"]) == ("низкий", "средний")
    assert (school["Дефициты устранены"], school["Дефициты сохраняются"]) == ("C, Y", "S")
    assert dict(zip(header, data["40"], strict=True))["Код ОО в 2024/2025"] == "4"
    assert (
        dict(zip(header, data["7"], strict=True))["Связь с прошлым годом"]
        == "не было в рейтинге прошлого года"
    )
    assert data["9"][3].startswith("нет в данных этого года")
    # last year's risk zone (2, 5, 6 → 5) and this year's (40, which also fell by 40 points)
    fall = "Снижение итога на 10 б. и более"
    moves = {code: (row[header.index("Зона риска")], row[header.index(fall)]) for code, row in data.items()}
    assert moves == {
        "1": (None, None), "3": (None, None), "5": ("вышла из зоны риска", None), "7": (None, None),
        "2": ("вышла из зоны риска", None), "40": ("впервые в зоне риска", "да"), "9": (None, None),
    }  # fmt: skip
    values = list(book["Динамика показателей"].iter_rows(min_row=2, values_only=True))
    assert values[0] == (
        "Место", "Код ОО", "Наименование ОО", "S 2024/2025, %", "S: изменение", "C 2024/2025, ед.", "C: изменение",
        "Y 2024/2025", "Y: изменение", "N 2024/2025", "N: изменение",
    )  # fmt: skip
    rows = {row[1]: row[3:] for row in values[1:]}
    assert rows["40"] == (30, 10, 2, -1, 1, -1, 2, -1)
    assert rows["5"] == (20, 10, None, None, None, None, None, None)  # merged: only the pooled share
    assert list(rows) == ["1", "3", "5", "2", "40"]


def test_without_a_comparison_nothing_is_added(tmp_path):
    results = year_results(3)
    render_reports(results, tmp_path, charts=False)
    write_ranking_xlsx(results, tmp_path / "ranking.xlsx")
    assert "Динамика" not in (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "Сравнение с" not in (tmp_path / "schools" / "1.md").read_text(encoding="utf-8")
    assert "Динамика" not in load_workbook(tmp_path / "ranking.xlsx").sheetnames
    assert console_summary(results) == ""


# --------------------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    out = tmp_path_factory.mktemp("samples") / "out"
    args = [
        "score",
        str(SAMPLES / "forms"),
        "-o",
        str(out),
        "--schools",
        str(SAMPLES / "registry.csv"),
        "--jobs",
        "1",
    ]
    args += ["--previous", str(YEARS), "--school-map", str(YEARS / "school-map.csv"), "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return out, result.stdout


def test_score_with_previous_years_on_the_samples(scored):
    out, stdout = scored
    # The 19 schools ranked in both years (not 0119, new; not 0109, merged with 0127; 0126 is 0124
    # now), their mean totals recomputed here from the two files: 64,8 → 70,3, while the whole
    # ranking's mean (other schools each year) went 62,0 → 68,8.
    then = json.loads((YEARS / "2024-2025" / "results.json").read_text(encoding="utf-8"))
    now = json.loads((out / "results.json").read_text(encoding="utf-8"))
    before = {("0124" if s["code"] == "0126" else s["code"]): s["total"] for s in then["schools"]}
    after = {s["code"]: s["total"] for s in now["schools"] if s["code"] not in ("0119", "0109")}
    assert len(after) == 19 and set(after) <= set(before)
    old_mean, new_mean = (sum(t[c] for c in after) / 19 for t in (before, after))
    assert (round(old_mean, 1), round(new_mean, 1)) == (64.8, 70.3)
    assert (
        "Сравнение с 2024/2025: средний итоговый балл 19 ОО, участвовавших в рейтинге в оба года, "
        "64,8 → 70,3 (+5,5); всего рейтинга 62,0 → 68,8 (состав ОО изменился)." in stdout
    )
    assert "Дефициты 2024/2025: устранены 26 из 72, сохраняются 46; новых — 8." in stdout
    report = (out / "report.md").read_text(encoding="utf-8")
    assert (
        f"KR-1: 2023/2024 — 21,4{NB}%; 2024/2025 — 27,5{NB}%; 2025/2026 — 33,2{NB}% — цель достигнута впервые"
        in report
    )
    assert "МБОУ «ООШ д. Небывальщина» (0124) — в 2024/2025 — код 0126" in report
    assert "Сравнение с 2024/2025" in (out / "schools" / "0124.md").read_text(encoding="utf-8")
    assert "Динамика" in load_workbook(out / "ranking.xlsx", read_only=True).sheetnames
    findings = report.split("## Основные выводы", 1)[1].split("\n## ", 1)[0]
    assert (
        "По сравнению с 2024/2025 средний итоговый балл 19 ОО, участвовавших в рейтинге в оба года, вырос "
        "с 64,8 до 70,3; из 72 дефицитов прошлого года, "
        "по которым ОО давались рекомендации, устранены 26, сохраняются 46; новых — 8"
        in findings.replace(NB, " ")
    )


def test_report_keeps_or_recomputes_the_comparison(scored, tmp_path):
    out, _ = scored
    again = tmp_path / "again"
    result = CliRunner().invoke(main, ["report", str(out / "results.json"), "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert (again / "report.md").read_bytes() == (out / "report.md").read_bytes()
    assert (again / "schools" / "0124.html").read_bytes() == (out / "schools" / "0124.html").read_bytes()
    # Against 2023/2024 alone the framework differs (KR-7 added, RES-2's bands): the total is not compared.
    older = tmp_path / "older"
    args = ["report", str(out / "results.json"), "-o", str(older), "--no-cards"]
    result = CliRunner().invoke(main, [*args, "--previous", str(YEARS / "2023-2024" / "results.json")])
    assert result.exit_code == 0, result.output
    text = (older / "report.md").read_text(encoding="utf-8")
    assert "Итоговый балл (среднее по ОО): несопоставим с 2023/2024 — изменилась методика" in text
    assert "KR-7 Экспертная оценка системы поддержки классных руководителей" in text
    assert (
        "RES-2 Доля обучающихся, вовлечённых в добровольческую (волонтёрскую) деятельность — изменилась шкала баллов"
        in text
    )


def test_a_school_map_needs_previous_results(tmp_path):
    args = ["score", str(SAMPLES / "forms" / "0101.xlsx"), "-o", str(tmp_path / "out"), "--quiet"]
    result = CliRunner().invoke(main, [*args, "--school-map", str(YEARS / "school-map.csv")])
    assert result.exit_code == 2
    assert "--school-map нужна только вместе с --previous" in result.stderr


def test_previous_results_of_the_same_period_are_refused(scored, tmp_path):
    out, _ = scored
    args = ["score", str(SAMPLES / "forms" / "0101.xlsx"), "-o", str(tmp_path / "out"), "--quiet"]
    result = CliRunner().invoke(main, [*args, "--previous", str(out / "results.json")])
    assert result.exit_code == 1
    assert "относится к тому же периоду «2025/2026 учебный год», что и этот запуск" in result.stderr
    assert "Уберите его из --previous" in result.stderr  # the period is set: this is this year's run
    assert not (tmp_path / "out").exists()  # refused before anything was read or written


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_results_of_every_older_schema_serve_as_last_year(tmp_path, version):
    """Every fixture as «last year» of v5 (the same forms): v4 is the same run, so nothing changed;
    v1–v3 are a run under the rules before issue 12 (UPR-5's bands, the deficit rule), so
    their values compare, their UPR block, total and deficits do not."""
    import json

    fixtures = REPO / "tests" / "fixtures" / "results"
    data = json.loads((fixtures / f"v{version}.json").read_text(encoding="utf-8"))
    data["config"]["monitoring"]["period"] = "2024/2025 учебный год"
    (tmp_path / "last").mkdir()
    (tmp_path / "last" / "results.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    args = ["report", str(fixtures / "v5.json"), "-o", str(tmp_path / "out"), "--no-cards"]
    result = CliRunner().invoke(main, [*args, "--previous", str(tmp_path / "last")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    section = text[text.index("Динамика и эффективность принятых мер") :]
    if version == 4:
        assert "Итоговый балл (среднее по ОО): 68,8 → **68,8** (0,0, без существенных изменений)" in section
        assert (
            f"вырос существенно у 0{NB}ОО, снизился у 0, без существенных изменений — 21 (из{NB}21{NB}ОО"
            in section
        )
        assert f"устранены 0 из{NB}56 (0,0{NB}%), сохраняются 56; новых дефицитов — 0" in section
    else:
        assert "Итоговый балл (среднее по ОО): несопоставим с 2024/2025 — изменилась методика" in section
        assert (
            "UPR-5 Доля обучающихся, охваченных дополнительным образованием — изменилась шкала баллов"
            in section
        )
        assert f"KR-1: 2024/2025 — 32,9{NB}%; 2025/2026 — 33,2{NB}%" in section
        assert (
            "Правило дефицита изменилось по сравнению с 2024/2025, поэтому дефициты прошлого года" in section
        )
