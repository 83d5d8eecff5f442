"""The справка as a signed document reads it (issue 24, point 5): a numbered caption for every table,
one meaning per symbol, the robustness section in plain words with its technical part in
ranking.xlsx, no file names, the order's date, the same appendix numbers in every format, and
the grammar a methodologist corrected by hand: agreement after «из», one form of «п. п.», the
system-deficit explanation once, level bands that do not overlap in words.

The samples with their two earlier years and the реквизиты of the seed order № 522.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from docx_read import full_text, open_docx
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.config import parse_config
from vosp_monitor.report.letter_items import gap_text
from vosp_monitor.report.robustness import _groups_sentence, _span
from vosp_monitor.results import IndicatorResult
from vosp_monitor.words.russian import counted

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
NB = "\u00a0"
FILE_NAME = re.compile(r"[\w.-]+\.(?:xlsx|xls|ods|yaml|yml|csv|json|md|html|docx)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signed")
    config = yaml.safe_load((REPO / "indicators.yaml").read_text(encoding="utf-8"))
    config["documents"].update(
        {
            "authority": "Управление образования администрации Екатериновского муниципального района",
            "territory_name": "Екатериновский муниципальный район",
            "signatory": {"position": "Начальник управления образования", "name": "Н.М. Сизов"},
            "order": {"number": "522", "date": "14.09.2026", "place": "р.п. Екатериновка"},
        }
    )
    path = folder / "indicators.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    out = folder / "out"
    args = [
        "score",
        str(SAMPLES / "forms"),
        "-c",
        str(path),
        "-o",
        str(out),
        "--schools",
        str(SAMPLES / "registry.csv"),
    ]
    args += ["--previous", str(SAMPLES / "years"), "--school-map", str(SAMPLES / "years" / "school-map.csv")]
    result = CliRunner().invoke(main, [*args, "--quiet", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def md(run):
    return (run / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def word(run):
    return open_docx(run / "report.docx")


def test_every_table_has_a_numbered_caption(word):
    """Each table of report.docx follows its «Таблица N — …», numbered 1, 2, 3 …; the only
    table without one is the signature's layout."""
    from docx.oxml.ns import qn

    captions, uncaptioned = [], []
    previous = None
    for element in word.element.body.iterchildren():
        if element.tag == qn("w:tbl"):
            text = "".join(previous.itertext()) if previous is not None else ""
            if text.startswith("Таблица "):
                captions.append(int(text.split()[1]))
            else:
                uncaptioned.append("".join(element.itertext())[:40])
        previous = element
    assert captions == list(range(1, len(captions) + 1)) and len(captions) > 25
    assert len(uncaptioned) == 1 and uncaptioned[0].startswith("Начальник управления образования")


def test_no_file_names_and_no_untested_statistics_in_the_text(word, md):
    text = full_text(word)
    assert FILE_NAME.findall(text) == []
    for jargon in ("статистически", "свёртк", "Соболя", "бутстрэп"):
        assert jargon not in text, jargon
    assert "0107.xlsx" not in md and "ranking.xlsx" not in md and "indicators.yaml" not in md


def test_robustness_in_plain_words_and_its_technical_part_in_ranking_xlsx(run, md):
    """Groups 4–5, 9–10, 11–14, 16–18 of the samples' recounts: two neighbours read «4 и 5»."""
    assert "**Места 4 и 5; 9 и 10; 11–14; 16–18 надёжно различить нельзя.**" in md
    assert (
        "Сильнее всего места зависят от способа сложения баллов в итог, меньше — от весов блоков и весов показателей."
        in md
    )
    results = read_results_json(run / "results.json")
    sheet = load_workbook(run / "ranking.xlsx", read_only=True)["Источники разброса мест"]
    rows = [row for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]]
    effects = results.uncertainty.sensitivity
    assert [r[0] for r in rows] == ["веса показателей", "веса блоков", "способ сложения баллов в итог"]
    assert [r[1] for r in rows] == pytest.approx([e.first_order for e in effects])
    assert [r[4] for r in rows] == pytest.approx([e.total for e in effects])


def test_groups_sentence_words():
    assert (_span(4, 5), _span(11, 14)) == ("4 и 5", "11–14")
    assert _groups_sentence(["4 и 5"]) == "Места 4 и 5 надёжно различить нельзя"
    assert _groups_sentence([]) == ""


def test_one_meaning_per_symbol(md):
    """★ marks a critical indicator only; the audit's advice is «(совет)»."""
    assert md.count("★ — ") == 1 and "★ — критический показатель." in md
    audit = md[md.index("## Качество системы показателей") :]
    assert "★" not in audit and "| UPR-3 (совет) |" in audit


def test_dated_with_the_order_and_the_same_appendices_everywhere(run, word, md):
    assert "Дата формирования: 14.09.2026" in full_text(word)
    assert "Дата формирования: 14.09.2026" in (run / "schools" / "0101.md").read_text(encoding="utf-8")
    html = (run / "report.html").read_text(encoding="utf-8")
    grif = re.compile(r"Приложение\s(\d)")
    numbers = [grif.findall(text) for text in (md, html, full_text(word))]
    assert numbers[0] == numbers[1] == numbers[2] == ["1", "2", "3", "1", "2"]


def test_grammar_a_methodologist_corrected(md):
    findings = md[md.index("## Основные выводы") : md.index("## 1.")]
    assert "| **24 из 25** | организаций представили формы (96,0 %) |" in findings.replace(NB, " ")
    assert "п.п." not in md and f"п.{NB}п." in md  # one form of «процентный пункт»
    assert md.count("перевешивают") == 1 and "перевешивают тех" not in md  # the explanation once
    assert "низкий — менее 50; средний — от 50 до менее 80; высокий — 80 и более." in md.replace(NB, " ")


def test_counted_things_agree_with_their_number():
    assert counted(1, "педагогов") == f"1{NB}педагог"
    assert counted(3, "педагогов") == f"3{NB}педагога"
    assert counted(16, "обучающихся") == f"16{NB}обучающихся"
    assert counted(21, "классных руководителей") == f"21{NB}классный руководитель"
    assert counted(2, "семей") == f"2{NB}семьи"
    assert counted(5, "абырвалг") is None


def _indicator(**extra):
    base = {
        "monitoring": {"id": "t", "title": "Тест", "form_version": "1"},
        "school_fields": [
            {"key": "code", "label": "Код ОО", "role": "key"},
            {"key": "name", "label": "Наименование", "role": "name"},
        ],
        "blocks": [{"id": "A", "title": "Блок", "indicators": [extra]}],
    }
    return parse_config(yaml.safe_dump(base, allow_unicode=True)).indicator(extra["code"])


def test_the_gap_to_the_target_or_the_next_band_by_hand():
    share = _indicator(
        code="S",
        title="Доля педагогов",
        type="share",
        numerator="Число педагогов, прошедших курсы",
        denominator="Число педагогов",
        target=30,
        scoring={"method": "bands", "bands": [{"from": 0, "to": 30, "points": 0}, {"from": 30, "points": 2}]},
    )
    # 2 of 8 = 25 %: 0.3 × 8 = 2.4 → 3 teachers, 1 more
    entry = IndicatorResult("S", 25.0, 0.0, 2.0, 0.0, "ok", 2.0, 8.0, True, False)
    assert gap_text(share, entry) == f"ещё 1{NB}педагог — и цель 30{NB}% достигнута"
    # 8 of 34 = 23.5 %: 10.2 → 11, 3 more
    entry = IndicatorResult("S", 800 / 34, 0.0, 2.0, 0.0, "ok", 8.0, 34.0, True, False)
    assert gap_text(share, entry) == f"ещё 3{NB}педагога — и цель 30{NB}% достигнута"
    count = _indicator(
        code="C",
        title="Число мероприятий",
        type="count",
        unit="ед.",
        scoring={"method": "bands", "bands": [{"from": 0, "to": 2, "points": 0}, {"from": 2, "points": 1}]},
    )
    entry = IndicatorResult("C", 0.0, 0.0, 1.0, 0.0, "ok", None, None, True, None)
    assert gap_text(count, entry) == f"ещё 2{NB}ед. — и 1 из{NB}1 б."
    lower = _indicator(
        code="L",
        title="Правонарушения",
        type="count",
        direction="lower",
        unit="ед.",
        scoring={"method": "bands", "bands": [{"from": 0, "to": 2, "points": 1}, {"from": 2, "points": 0}]},
    )
    assert gap_text(lower, IndicatorResult("L", 3.0, 0.0, 2.0, 0.0, "ok")) == ""  # nothing to count up to
