"""The findings report and the school cards: golden Markdown, escaping, no network, templates, CLI.

Results come from ``factories.make_results`` (hand-built, seeded), so these tests do not
depend on scoring. Regenerate the golden file after an intended change of the report:
``UPDATE_GOLDEN=1 python -m pytest tests/test_report.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from factories import HOSTILE_NAMES, make_results
from vosp_monitor.cli import main
from vosp_monitor.outputs import MANIFEST_NAME, OutputError
from vosp_monitor.pipeline.writing import write_report
from vosp_monitor.report import view as view_module
from vosp_monitor.results import write_results_json
from vosp_monitor.words.formatting import (
    format_date,
    format_number,
    format_percent,
    format_share,
    html_text,
    md_escape,
    plural,
)
from vosp_monitor.writers.html_md.report import export_templates, render_reports
from vosp_monitor.writers.markup.parse import ReportError
from vosp_monitor.writers.markup.source import default_templates_dir

GOLDEN = Path(__file__).parent / "golden" / "report.md"
SCRIPT_NAME, FORMULA_NAME, TABLE_NAME = HOSTILE_NAMES


@pytest.fixture(scope="module")
def results():
    return make_results()


@pytest.fixture(scope="module")
def rendered(results, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    paths = render_reports(results, out)
    return out, paths


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _external_references(html: str) -> list[str]:
    """Anything that would make a browser go to the network."""
    patterns = [
        r"""(?:src|href|action|poster|data|srcset)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""",
        r"""url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""",
        r"@import",
        r"<link\b",
        r"<script\b[^>]*\bsrc=",
        r"<iframe\b",
    ]
    return [m.group(0) for p in patterns for m in re.finditer(p, html, re.I)]


# --------------------------------------------------------------------------- formatting


def test_russian_number_formatting():
    assert format_number(12.5) == "12,5"
    assert format_number(12.25, 2) == "12,25"
    assert format_number(40000, 0) == "40\u00a0000"
    assert format_number(1234.5) == "1234,5"  # four digits stay ungrouped
    assert format_number(-0.04) == "0,0"
    assert format_number(None) == "—"
    assert format_percent(30) == "30,0\u00a0%"
    assert format_share(0.125) == "12,5\u00a0%"
    assert format_date("2026-03-15T10:30:00") == "15 марта 2026 г."
    assert [plural(n, "школа", "школы", "школ") for n in (1, 2, 5, 11, 21, 112)] == [
        "1\u00a0школа",  # a no-break space: a number never ends a printed line without its noun
        "2\u00a0школы",
        "5\u00a0школ",
        "11\u00a0школ",
        "21\u00a0школа",
        "112\u00a0школ",
    ]


def test_markdown_escape_keeps_tables_intact():
    assert md_escape("A | B") == "A \\| B"
    assert md_escape("*x* <b>") == "\\*x\\* \\<b\\>"
    assert md_escape("two\nlines") == "two lines"


def test_markdown_and_html_text_neutralise_control_characters():
    assert md_escape("a\x1b[31mb\x0bc") == "a \\[31mb c"  # ANSI escape and vertical tab
    assert md_escape("\u202eАБВ\u2066🏫") == "АБВ 🏫"  # bidi override/isolate
    assert md_escape("x\ud800y") == "xy"  # a lone surrogate cannot be written at all
    assert md_escape("RLM\u200f stays") == "RLM\u200f stays"
    assert html_text("a\x0bb\x00c\x1b[0m\x85\u202ed\ufffe") == "a\nbc[0md"
    assert html_text("обычный текст, 12\u00a0%") == "обычный текст, 12\u00a0%"


# --------------------------------------------------------------------------- report.md


def test_report_md_matches_golden(rendered):
    out, _ = rendered
    text = _read(out / "report.md")
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8", newline="\n")
    assert text == GOLDEN.read_text(encoding="utf-8"), "report.md changed; UPDATE_GOLDEN=1 to accept"


def test_report_md_has_every_section_of_the_management_cycle(rendered):
    text = _read(rendered[0] / "report.md")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings == [
        "Основные выводы",
        "1. Основание и цель мониторинга",
        "2. Методика",
        "3. Участие в мониторинге",
        "4. Результаты по блокам",
        "5. Лидеры и зона риска",
        "6. Достижение целевых показателей",
        "7. Системные дефициты и управленческие решения",
        "8. Адресные рекомендации",
        "Рейтинг общеобразовательных организаций",
        "Адресные рекомендации общеобразовательным организациям",
        "Качество данных",
    ]
    # each appendix under its grif, numbered as in the order that approves them
    assert "Приложение 2  \nк приказу управления образования" in text
    assert "Дата формирования: 15 марта 2026 г." in text  # from results.generated_at
    assert "KR-1 — не достигнута (24,7 % при цели 30 %" in text.replace(
        "\u00a0", " "
    )  # KR-1's verdict among the findings
    assert "«12,5» | 12.5" in text  # a normalisation in the data-quality appendix (as the factory stored it)


def test_report_md_table_row_of_a_school_with_a_pipe_has_all_cells(rendered, results):
    text = _read(rendered[0] / "report.md")
    header = next(line for line in text.splitlines() if line.startswith("| Место | Код | ОО |"))
    school = next(s for s in results.schools if s.name == TABLE_NAME)
    row = next(line for line in text.splitlines() if line.startswith(f"| {school.place} | {school.code} |"))
    cells = re.split(r"(?<!\\)\|", row)
    assert len(cells) == len(header.split("|"))
    assert "МБОУ «СОШ \\| № 3» \\*с углублённым\\* \\[изучением\\]" in row


# --------------------------------------------------------------------------- report.html


def test_html_escapes_school_names(rendered):
    html = _read(rendered[0] / "report.html")
    assert SCRIPT_NAME not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<script>") == 1  # only the report's own sorting script


def test_html_is_self_contained(rendered):
    html = _read(rendered[0] / "report.html")
    assert _external_references(html) == []
    # Outside escaped user text (the school named =HYPERLINK("http://x",…), in the page and
    # as a label of a target chart) no URL at all.
    without_user_text = html.replace("=HYPERLINK(&#34;http://x&#34;,&#34;y&#34;)", "")
    without_user_text = without_user_text.replace('=HYPERLINK("http://x","y")', "")
    assert "http://" not in without_user_text
    assert "https://" not in without_user_text
    assert "<svg" in html  # the charts are inline


def test_html_has_print_css_and_sortable_ranking(rendered, results):
    html = _read(rendered[0] / "report.html")
    assert "@page { size: A4" in html
    assert "@media print" in html
    assert 'class="sortable ranking' in html
    rows = re.search(r'id="ranking-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert rows.count("<tr>") == len(results.schools)
    assert 'data-page-size="0"' in html  # a district fits on one page


def test_html_ranking_prints_whole_and_long_lists_go_to_an_appendix(tmp_path):
    """130 schools: the screen shows a page of the ranking, print every row; the body names the
    weakest (analysis.body_schools) and the appendix lists every addressed school."""
    many = make_results(n_schools=130, seed=7)
    render_reports(many, tmp_path, cards=False, charts=False)
    html = _read(tmp_path / "report.html")
    assert f'data-page-size="{view_module.PAGE_SIZE}"' in html and 'data-print-all="1"' in html
    rows = re.search(r'id="ranking-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert rows.count("<tr>") == len(many.schools)  # all in the page: print shows every school
    assert "ranking-table-rest" not in html
    assert "tr.off-page { display: none; }" in html  # only the screen hides other pages
    view = view_module.build_view(many, cards=False)
    limit = many.config.analysis.body_schools
    body = re.search(r'<section id="recommendations">(.*?)</section>', html, re.S).group(1)
    assert body.count("<h3>") == limit < view.recommendations_count
    appendix = re.search(r'id="all-recommendations-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert appendix.count("<tr") == view.recommendations_count
    assert "и ещё" in html  # target attainment lists are capped, and say where the rest is
    md = _read(tmp_path / "report.md")
    section = md.split("\n## 8. Адресные рекомендации\n", 1)[1].split("\n## ", 1)[0]
    assert section.count("\n### ") == limit


def test_a_huge_ranking_keeps_the_fast_template_and_says_print_is_partial(tmp_path, monkeypatch):
    from vosp_monitor.writers.html_md import html as html_writer

    monkeypatch.setattr(html_writer, "PRINT_ALL", 50)
    many = make_results(n_schools=130, seed=7)
    render_reports(many, tmp_path, cards=False, charts=False)
    html = _read(tmp_path / "report.html")
    first_page = re.search(r'id="ranking-table".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    assert first_page.count("<tr>") == view_module.PAGE_SIZE
    rest = re.search(r'<template id="ranking-table-rest">(.*?)</template>', html, re.S).group(1)
    assert rest.count("<tr>") == len(many.schools) - view_module.PAGE_SIZE
    assert "слишком велика для печати" in html and "ranking.xlsx" in html


def test_charts_can_be_switched_off(results, tmp_path):
    render_reports(results, tmp_path, cards=False, charts=False)
    html = _read(tmp_path / "report.html")
    assert "<svg" not in html
    assert "Рейтинг общеобразовательных организаций" in html


# --------------------------------------------------------------------------- cards


def test_a_card_per_school_with_safe_names(rendered, results):
    out, paths = rendered
    folder = out / "schools"
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 2 * (len(results.schools) + len(results.excluded))  # excluded schools too
    assert "0102_2.html" in files  # the excluded duplicate of 0102 never overwrites its card
    assert "ОО_17.html" in files and "ОО_17.md" in files  # code «ОО/17» cannot make a folder
    assert all(p.parent in (out, folder) for p in paths)
    card = _read(folder / "0101.html")
    assert SCRIPT_NAME not in card
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card
    assert _external_references(card) == []
    assert "<script" not in card


def test_card_shows_place_level_and_measures(rendered, results):
    school = next(s for s in results.schools if s.deficits and s.below_base)
    card = _read(rendered[0] / "schools" / f"{school.code}.md")
    assert f"| **{school.place} из\u00a0{len(results.schools)}** | место в рейтинге |" in card
    assert f"| **{school.level}** | уровень — зона риска |" in card
    measure = results.config.indicator(school.deficits[0]).measure
    assert (
        md_escape(measure[:1].lower() + measure[1:]) in card
    )  # «Мера: направить …», no capital after a colon
    assert "зона риска" in card


def test_report_links_to_cards_by_safe_name(rendered):
    html = _read(rendered[0] / "report.html")
    assert 'href="schools/%D0%9E%D0%9E_17.html"' in html


def test_stale_cards_go_and_a_persons_files_stay(tmp_path):
    write_report(make_results(n_schools=6, seed=3), tmp_path)
    (tmp_path / "schools" / "old-note.txt").write_text("прошлый год", encoding="utf-8")
    written = write_report(make_results(n_schools=4, seed=3), tmp_path)
    cards = sorted(p.name for p in written if p.parent == tmp_path / "schools")
    assert len(cards) == 2 * (4 + 2)  # four ranked schools and the factory's two excluded ones
    assert sorted(p.name for p in (tmp_path / "schools").iterdir()) == sorted([*cards, "old-note.txt"])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        MANIFEST_NAME,
        "letters",
        "letters.docx",
        "order.docx",
        "report.docx",
        "report.html",
        "report.md",
        "schools",
    ]


def test_no_cards(results, tmp_path):
    paths = render_reports(results, tmp_path, cards=False, charts=False)
    assert [p.name for p in paths] == ["report.md", "report.html"]
    assert not (tmp_path / "schools").exists()
    assert 'href="schools/' not in _read(tmp_path / "report.html")


# --------------------------------------------------------------------------- templates


def test_one_section_template_changes_the_spravka_in_every_format(results, tmp_path):
    """An analyst edits one sentence in one file; report.md, report.html and report.docx all say it."""
    from docx_read import full_text, open_docx

    mine = tmp_path / "mine" / "sections"
    mine.mkdir(parents=True)
    basis = (default_templates_dir() / "sections" / "basis.md.j2").read_text(encoding="utf-8")
    own = basis.replace("Мониторинг проведён по управленческому циклу", "Мониторинг проведён по нашему плану")
    (mine / "basis.md.j2").write_text(own, encoding="utf-8")
    write_report(results, tmp_path / "out", templates_dir=tmp_path / "mine", cards=False)
    sentence = "Мониторинг проведён по нашему плану"
    assert sentence in _read(tmp_path / "out" / "report.md")
    assert sentence in _read(tmp_path / "out" / "report.html")
    assert sentence in full_text(open_docx(tmp_path / "out" / "report.docx"))
    assert "6. Достижение целевых показателей" in _read(tmp_path / "out" / "report.md")  # the rest: defaults


def test_broken_user_template_names_file_and_line(results, tmp_path):
    mine = tmp_path / "mine" / "sections"
    mine.mkdir(parents=True)
    (mine / "basis.md.j2").write_text("ok\n{% for x in %}\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"basis\.md\.j2, строка 2"):
        render_reports(results, tmp_path / "out", templates_dir=mine.parent, cards=False)
    (mine / "basis.md.j2").write_text("{{ no_such_thing }}\n", encoding="utf-8")
    with pytest.raises(ReportError, match="no_such_thing"):
        render_reports(results, tmp_path / "out", templates_dir=mine.parent, cards=False)
    (mine / "basis.md.j2").write_text("{.no-such-style}\nТекст\n", encoding="utf-8")
    with pytest.raises(ReportError, match=r"basis\.md\.j2.*неизвестный стиль \.no-such-style"):
        render_reports(results, tmp_path / "out", templates_dir=mine.parent, cards=False)


def test_export_templates_refuses_to_overwrite(tmp_path):
    written = export_templates(tmp_path / "t")
    names = {p.relative_to(tmp_path / "t").as_posix() for p in written}
    assert {"spravka.md.j2", "sections/basis.md.j2", "school.md.j2", "page.html.j2", "_report.css"} <= names
    assert (tmp_path / "t" / "page.html.j2").read_bytes() == (
        default_templates_dir() / "page.html.j2"
    ).read_bytes()
    (tmp_path / "t" / "spravka.md.j2").write_text("мой шаблон", encoding="utf-8")
    with pytest.raises(OutputError, match="--force"):
        export_templates(tmp_path / "t")
    assert _read(tmp_path / "t" / "spravka.md.j2") == "мой шаблон"
    export_templates(tmp_path / "t", force=True)
    assert _read(tmp_path / "t" / "spravka.md.j2") != "мой шаблон"


# --------------------------------------------------------------------------- CLI


def _invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_report_command_rerenders_identical_output(results, rendered, tmp_path):
    results_json = tmp_path / "results.json"
    write_results_json(results, results_json)
    result = _invoke("report", results_json, "-o", tmp_path / "again")
    assert result.exit_code == 0, result.output
    assert "карточек школ: 26" in result.output  # 24 ranked and 2 excluded
    out = rendered[0]
    for name in ("report.md", "report.html"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name
    for card in (out / "schools").iterdir():
        assert (tmp_path / "again" / "schools" / card.name).read_bytes() == card.read_bytes()


def test_report_command_defaults_to_the_results_folder_and_no_cards(results, tmp_path):
    write_results_json(results, tmp_path / "results.json")
    result = _invoke("report", tmp_path / "results.json", "--no-cards")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report.html").is_file()
    assert not (tmp_path / "schools").exists()


def test_report_command_with_user_templates(results, tmp_path):
    write_results_json(results, tmp_path / "results.json")
    assert _invoke("templates", "export", tmp_path / "t").exit_code == 0
    template = tmp_path / "t" / "sections" / "title.md.j2"
    template.write_text(
        _read(template).replace("Аналитическая справка", "Справка для главы"), encoding="utf-8"
    )
    result = _invoke("report", tmp_path / "results.json", "--templates", tmp_path / "t", "--no-cards")
    assert result.exit_code == 0, result.output
    assert "# Справка для главы" in _read(tmp_path / "report.md")
    assert "<h1>Справка для главы</h1>" in _read(tmp_path / "report.html")


def test_report_command_errors(tmp_path):
    missing = _invoke("report", tmp_path / "nope.json")
    assert missing.exit_code == 2  # a parameter file that is not there (issue 22)
    assert "не найден" in missing.output
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    broken = _invoke("report", tmp_path / "bad.json")
    assert broken.exit_code == 1
    assert "повреждён" in broken.output


def test_templates_export_command(tmp_path):
    first = _invoke("templates", "export", tmp_path / "t")
    assert first.exit_code == 0, first.output
    assert "spravka.md.j2" in first.output
    again = _invoke("templates", "export", tmp_path / "t")
    assert again.exit_code == 1
    assert "--force" in again.output
    assert _invoke("templates", "export", tmp_path / "t", "--force").exit_code == 0


def test_report_view_is_frozen_and_holds_no_computation(results):
    """The view is data: frozen rows, and its numbers are those analysis stored in Results."""
    import dataclasses

    view = view_module.build_view(results)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.risk_count = 0  # type: ignore[misc]
    limit = results.config.analysis.body_schools
    weakest_first = sorted(
        results.risk, key=lambda r: -next(s.place for s in results.schools if s.code == r.code)
    )
    assert [r.code for r in view.risk] == [r.code for r in weakest_first][:limit]
    assert view.risk_count == len(results.risk)
    assert [r.code for r in view.leaders] == results.leaders[:limit]
    by_field = [(g.value, g.count, g.mean) for g in view.group_rows]
    assert by_field == [(g.value or "не указано", g.count, g.total.mean) for g in results.group_stats]
    for row in view.targets:
        stored = results.targets[row.code]
        assert (row.district, row.meets, row.reached_count) == (
            stored.district,
            stored.met,
            len(stored.reached),
        )
        assert sorted(e.row.code for e in row.reached) == sorted(stored.reached)  # a district lists all


def test_risk_reasons_are_worded_from_data(results):
    """The risk zone's reasons are words for the structured RiskEntry (level, blocks below base)."""
    import dataclasses

    entry = next(r for r in results.risk if r.blocks_below_base)
    school = next(s for s in results.schools if s.code == entry.code)
    changed = dataclasses.replace(
        results, risk=[dataclasses.replace(r, lowest_level=True) if r is entry else r for r in results.risk]
    )
    row = next(r for r in view_module.build_view(changed).ranking if r.code == entry.code)
    block_titles = {b.id: b.title for b in results.config.all_blocks()}
    assert row.risk_reasons == (
        f"уровень «{school.level}»",
        *(
            f"«{results.config.scoring.critical.label}» по блоку «{block_titles[b]}»"
            for b in entry.blocks_below_base
        ),
    )
