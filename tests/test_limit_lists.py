"""Above ``analysis.appendix_schools`` the lists that grow with the run are in ranking.xlsx, and
every pointer to them is literal (issue 28, point 2):

* the dynamics section (``--previous``) names no school: sharp falls, last year's risk zone and
  this year's newcomers to it, implausible jumps, new, gone and re-coded schools are counted and
  pointed to the «Динамика» and «Требуют проверки» sheets, which hold each of them;
* an order item that counts its schools points to «Адресаты решений», a sheet written at every
  size from the same decisions, numbered as the order numbers its items;
* a municipality's own set in a regional run points to the region's workbook, whose
  «Адресаты решений» lists each set's decisions with the municipality.

The samples are scored through the command line with the limit at 5 (``test_appendix_limit``'s
config) and with the default; below the limit the documents are the golden tests'.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from district_years import PERIODS, SCHOOL_MAP, year_results
from docx_read import full_text, open_docx
from test_appendix_limit import LIMIT, POINTER, _score, _visible, score_region
from vosp_monitor.analysis.stored import read_results_json
from vosp_monitor.cli import main
from vosp_monitor.dynamics import PreviousYear, compare_years, read_school_map
from vosp_monitor.report import indicator_wording
from vosp_monitor.report.addressees import DecisionSet
from vosp_monitor.report.view import build_view
from vosp_monitor.writers.html_md.report import render_reports
from vosp_monitor.writers.xlsx.ranking import write_ranking_xlsx

TITLE = "Динамика и эффективность принятых мер"
LAST = "Что могут и чего не могут показать"  # the section's last subsection, names no school
WORKBOOK = "в электронной таблице рейтинга ranking.xlsx"
SHEET = "лист «Адресаты решений»"
SHEET_NAME = "Адресаты решений"
FALL = "Снижение итога на 10 б. и более"


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    return _score(tmp_path_factory.mktemp("limited"), LIMIT, previous=True)


@pytest.fixture(scope="module")
def whole(tmp_path_factory):
    return _score(tmp_path_factory.mktemp("whole"), None, previous=True)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _section(text: str) -> str:
    """The dynamics section of a document's text (after a table of contents, if any)."""
    end = text.index(LAST)
    return text[text.rindex(TITLE, 0, end) : end]


def _sections(out: Path) -> dict[str, str]:
    return {
        "report.md": _section(_flat((out / "report.md").read_text(encoding="utf-8"))),
        "report.html": _section(_visible((out / "report.html").read_text(encoding="utf-8"))),
        "report.docx": _section(_flat(full_text(open_docx(out / "report.docx")))),
    }


def _listed(out: Path) -> dict[str, str]:
    """Code → name of every school the dynamics lists name below the limit (from results.json)."""
    results = read_results_json(out / "results.json")
    dynamics = results.dynamics
    assert dynamics is not None
    names = {s.code: s.name for s in results.schools} | {g.code: g.name for g in dynamics.gone_schools}
    f = dynamics.followup
    codes = {*f.falls, *f.risk_new, *dynamics.new_schools, *(m.code for m in f.risk if m.code)}
    codes |= {m.previous_code for m in f.risk} | {g.code for g in dynamics.gone_schools}
    names |= {m.previous_code: m.previous_name for m in f.risk}
    return {code: names[code] for code in codes}


def test_below_the_limit_the_dynamics_section_names_those_schools(whole):
    listed = _listed(whole)
    assert len(listed) >= 10  # falls, risk moves, new and gone schools of the samples
    for name, section in _sections(whole).items():
        assert all(school in section for school in listed.values()), name
        assert POINTER not in section, name


def test_above_the_limit_the_dynamics_section_names_no_school(limited, whole):
    listed = _listed(whole)
    every = {s.code: s.name for s in read_results_json(limited / "results.json").schools} | listed
    for name, section in _sections(limited).items():
        named = [s for s in every.values() if s in section] + [c for c in every if f"({c})" in section]
        assert named == [], name
        assert section.count(POINTER) == 1, name  # written once, in «Изменения по ОО»
        for pointer in (
            f"у 2 ОО — перечень {WORKBOOK}, лист «Динамика», столбец «{FALL}».",
            f"впервые в зоне риска — 1 ОО. Поимённо — {WORKBOOK}, лист «Динамика», столбец «Зона риска».",
            f"Таких ОО 2; перечень — {WORKBOOK}, лист «Динамика», столбец «{FALL}».",
            f"— {WORKBOOK}, лист «Динамика»; значения, изменившиеся неправдоподобно сильно, — на листе «Требуют проверки»",
            "Нет в рейтинге 2024/2025: 2 ОО. Были в рейтинге 2024/2025, нет в рейтинге этого года: 6 ОО.",
        ):
            assert pointer in section.replace("\u00a0", " "), (name, pointer)
    # the headline figures and the conclusions stay
    md = _sections(limited)["report.md"]
    for line in (
        "Средний итоговый балл 19 ОО",
        "устранены 25 из 66",
        "Зона риска 2024/2025 (6",
        "Итоговый балл вырос существенно у 15 ОО, снизился у 2, без существенных изменений — 2",
    ):
        assert line in md.replace("\u00a0", " ")


def test_above_the_limit_ranking_xlsx_holds_every_school_of_those_lists(limited, whole):
    results = read_results_json(whole / "results.json")
    dynamics = results.dynamics
    assert dynamics is not None
    f = dynamics.followup
    book = openpyxl.load_workbook(limited / "ranking.xlsx", read_only=True)
    rows = list(book["Динамика"].iter_rows(min_row=2, values_only=True))
    header, data = rows[0], {row[1]: row for row in rows[1:]}
    risk, fall, link = header.index("Зона риска"), header.index(FALL), header.index("Связь с прошлым годом")
    assert {code for code, row in data.items() if row[fall] == "да"} == set(f.falls) != set()
    expected = {m.code: m.fate.value for m in f.risk if m.code} | dict.fromkeys(f.risk_new, "new")
    words = {"left": "вышла из зоны риска", "stayed": "осталась в зоне риска", "new": "впервые в зоне риска"}
    assert {code: row[risk] for code, row in data.items() if row[risk] and row[0] is not None} == {
        code: words[fate] for code, fate in expected.items()
    }
    gone_risk = {m.previous_code for m in f.risk if not m.code}
    assert {c for c, row in data.items() if row[0] is None and row[risk]} == gone_risk != set()
    assert {c for c, row in data.items() if row[link] == "не было в рейтинге прошлого года"} == set(
        dynamics.new_schools
    )
    assert {c for c, row in data.items() if row[0] is None} == {g.code for g in dynamics.gone_schools}
    whole_book = openpyxl.load_workbook(whole / "ranking.xlsx", read_only=True)
    for sheet in ("Динамика", "Динамика показателей", "Требуют проверки", "Адресаты решений"):
        assert list(book[sheet].iter_rows(values_only=True)) == list(
            whole_book[sheet].iter_rows(values_only=True)
        ), sheet  # the workbook is the same at every size


def test_jumps_and_recoded_schools_are_counted_and_in_the_workbook(tmp_path):
    """The samples have no implausible jump and no code map: the district of ``district_years``
    (year 3 against year 2, jumps from 10 п. п.: S of 1 and 40, C of 2; 4 → 40, 6 merged into 5)."""
    (tmp_path / "map.csv").write_text(SCHOOL_MAP, encoding="utf-8")
    years = [PreviousYear(PERIODS[k - 1], tmp_path / f"y{k}.json", year_results(k)) for k in (1, 2)]
    results = year_results(3, implausible_change=10, implausible_ratio=3, implausible_base=0)
    analysis = results.config.analysis.model_copy(update={"appendix_schools": 2})
    results.config = results.config.model_copy(update={"analysis": analysis})
    results.dynamics = compare_years(results, years, read_school_map(tmp_path / "map.csv"))
    render_reports(results, tmp_path, charts=False, cards=False)
    write_ranking_xlsx(results, tmp_path / "ranking.xlsx")
    section = _section(_flat((tmp_path / "report.md").read_text(encoding="utf-8")))
    assert not re.search(r"Школа \d", section)
    assert f"Таких значений 3; перечень — {WORKBOOK}, лист «Требуют проверки»." in section
    assert "Нет в рейтинге 2024/2025: 1 ОО." in section and "Сменили код или объединены: 2 ОО." in section
    book = openpyxl.load_workbook(tmp_path / "ranking.xlsx", read_only=True)
    jumps = list(book["Требуют проверки"].iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[2], row[4]) for row in jumps] == [
        ("1", "S", "значение"),
        ("2", "C", "значение"),
        ("40", "S", "значение"),
    ]
    assert jumps[1][5:] == (1, 3)
    links = {row[1]: row[3] for row in book["Динамика"].iter_rows(min_row=3, values_only=True)}
    assert (links["40"], links["5"]) == ("новый код", "объединение ОО")


def _order_items(path: Path) -> dict[str, str]:
    """Number → text of each numbered item of order.docx («4.4. Оказать …»), no-break spaces as spaces."""
    items = {}
    for paragraph in open_docx(path).paragraphs:
        found = re.match(r"(\d+(?:\.\d+)?)\. (.*)", paragraph.text.replace("\u00a0", " ").strip())
        if found:
            items[found.group(1)] = found.group(2)
    return items


def _addressees(path: Path) -> tuple[list[str], list[tuple]]:
    rows = list(openpyxl.load_workbook(path, read_only=True)["Адресаты решений"].iter_rows(values_only=True))
    return list(rows[1]), rows[2:]


def test_an_order_item_that_counts_its_schools_points_to_their_sheet(tmp_path_factory):
    limited = _score(tmp_path_factory.mktemp("no-previous"), LIMIT)
    items = _order_items(limited / "order.docx")
    pointed = {n: t for n, t in items.items() if f"(перечень — {WORKBOOK}, {SHEET})" in t}
    assert pointed, "an item of the samples' order counts more schools than it names"
    header, rows = _addressees(limited / "ranking.xlsx")
    assert header == [
        "Пункт приказа",
        "Решение",
        "Код ОО",
        "Наименование ОО",
        "Почему названа",
        "Показатель",
        "Значение",
        "Оценка (из 100)",
        "Место в рейтинге",
    ]
    assert {row[0] for row in rows} <= set(items)  # every row names an item the order has
    results = read_results_json(limited / "results.json")
    scores = {s.code: s.indicators for s in results.schools}
    places = {s.code: s.place for s in results.schools}
    for number, text in pointed.items():
        counted = re.search(
            r"(\d+) ОО с низкой оценкой \(ниже (\d+) из 100\) по показателю .*?\(([A-Z]+-\d+)\)", text
        )
        assert counted is not None, text
        n, low, code = int(counted.group(1)), float(counted.group(2)), counted.group(3)
        mine = [row for row in rows if row[0] == number]
        assert len(mine) == n and {row[5] for row in mine} == {code}
        for row in mine:
            assert row[7] == pytest.approx(scores[row[2]][code].score) and row[7] < low
            assert row[4] == f"низкая оценка (ниже {low:g} из 100)" and row[3]
            assert row[8] == places[row[2]]


def test_the_sheet_of_the_decisions_schools_is_there_below_the_limit_too(whole, limited):
    """The same rows at every size (the order's numbers do not depend on the limit)."""
    assert _addressees(whole / "ranking.xlsx") == _addressees(limited / "ranking.xlsx")
    _header, rows = _addressees(whole / "ranking.xlsx")
    items = _order_items(whole / "order.docx")
    reasons = {row[4] for row in rows}  # a few words per decision, the same for its every school
    assert {
        "зона риска",
        "лидер рейтинга",
        "не достигла цели 80\u00a0%",
        "низкая оценка (ниже 50 из 100)",
    } <= reasons
    assert len(reasons) <= len({row[0] for row in rows})
    for row in rows:
        if row[4] == "зона риска":
            assert "ОО зоны риска" in items[row[0]]
        if row[4] == "лидер рейтинга":
            assert "лидеров рейтинга" in items[row[0]]
    assert SHEET not in full_text(open_docx(whole / "order.docx"))


def test_a_municipal_set_points_to_the_regions_workbook_and_its_sheet(tmp_path, monkeypatch):
    """samples/region's municipalities have 8, 8 and 3 schools: no list of its decisions is longer
    than the ten schools an item names, so the test names at most 3 (``indicator_wording.NAMES``)."""
    monkeypatch.setattr(indicator_wording, "NAMES", 3)
    out = score_region(tmp_path)
    header, rows = _addressees(out / "ranking.xlsx")
    assert header[4] == "Муниципалитет"
    region_pointer = (
        "(перечень — в электронной таблице рейтинга региона (ranking.xlsx в папке результатов региона; "
        f"ОО муниципалитета там — с местами в регионе), {SHEET})"
    )
    checked = 0
    for folder in sorted((out / "territories").iterdir()):
        items = _order_items(folder / "order.docx")
        assert not (folder / "ranking.xlsx").exists()
        md = _flat((folder / "report.md").read_text(encoding="utf-8")).replace("\u00a0", " ")
        assert f"(перечень — {WORKBOOK}" not in md
        mine = [row for row in rows if row[4] == folder.name]
        assert mine and {row[0] for row in mine} <= set(items), folder.name
        for number, text in items.items():
            if region_pointer not in text:
                continue
            counted = re.search(r"(\d+) ОО", text)
            assert counted is not None
            assert len([row for row in mine if row[0] == number]) == int(counted.group(1)), text
            assert region_pointer in md
            checked += 1
    assert checked >= 2  # «Северный» and «Южный» have more than 3 schools on a list


def test_the_workbook_written_by_a_worker_lists_the_same_decisions(limited, tmp_path):
    """The decisions made again from results.json (as ``report`` makes them) give the sheet
    ``score`` wrote; the worker process that writes ranking.xlsx at scale writes the same file."""
    results = read_results_json(limited / "results.json")
    sets = [DecisionSet("", build_view(results, cards=False).decisions)]
    write_ranking_xlsx(results, tmp_path / "here.xlsx", decisions=sets)
    write_ranking_xlsx(results, tmp_path / "worker.xlsx", decisions=sets, worker=True)
    assert _addressees(tmp_path / "here.xlsx") == _addressees(limited / "ranking.xlsx")
    parts = []
    for name in ("here.xlsx", "worker.xlsx"):
        with zipfile.ZipFile(tmp_path / name) as book:
            parts.append({p: book.read(p) for p in book.namelist() if p != "docProps/core.xml"})
    assert parts[0] == parts[1]


def _report(out: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", str(out / "results.json"), "--no-cards", *options])
    return result.exit_code, result.stderr


def test_report_says_when_the_folders_workbook_lacks_the_sheet_the_order_points_to(tmp_path):
    """``report`` rewrites the documents, never the tables: after a workbook written by an earlier
    version (no «Адресаты решений», or its earlier columns) it says so and what to do."""
    out = _score(tmp_path, LIMIT)
    code, said = _report(out)
    assert code == 0 and SHEET_NAME not in said  # the workbook score wrote matches
    # the documents written elsewhere: the workbook that counts is the one beside results.json
    code, said = _report(out, "-o", str(tmp_path / "again"))
    assert code == 0 and SHEET_NAME not in said
    book = openpyxl.load_workbook(out / "ranking.xlsx")
    sheet = book[SHEET_NAME]
    sheet.delete_cols(9)  # «Место в рейтинге»: the sheet as the version before wrote it
    book.save(out / "ranking.xlsx")
    code, said = _report(out)
    assert code == 0 and "лист записан более ранней версией" in said and "запустите score" in said
    del book[SHEET_NAME]
    book.save(out / "ranking.xlsx")
    code, said = _report(out)
    assert code == 0 and f"ссылается на лист «{SHEET_NAME}»" in said and "такого листа нет" in said
    (out / "ranking.xlsx").unlink()
    assert "такого листа нет" in _report(out)[1]


def test_report_of_a_region_finds_its_workbook_current(tmp_path):
    out = score_region(tmp_path)
    code, said = _report(out)
    assert code == 0 and SHEET_NAME not in said, said
