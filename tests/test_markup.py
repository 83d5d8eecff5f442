"""Our Markdown: a printed value is text wherever a template puts it, the language's mistakes are
named, and the three writers agree on what a block is."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vosp_monitor.words.formatting import typeset
from vosp_monitor.words.text import one_line
from vosp_monitor.writers.html_md.html import html
from vosp_monitor.writers.html_md.markdown import markdown
from vosp_monitor.writers.markup.model import Heading, ListBlock, Paragraph, Style, Table, plain
from vosp_monitor.writers.markup.parse import MarkupError, parse
from vosp_monitor.writers.markup.source import source_text
from vosp_monitor.writers.markup.widths import _longest_word, column_widths

# Anything a cell of a form can hold: markup of every kind, controls, bidi marks, emoji.
text_of_a_form = st.lists(
    st.sampled_from([*"аб Ё12.,-+#*_[](){}|<>!&`\\~:;/=\"'\t\n\x0b\u202e🏫«»№", "1. ", "# ", "- ", "&amp;"]),
    max_size=30,
).map("".join)


def _expected(value: str) -> str:
    return typeset(one_line(value)).strip()


@settings(max_examples=300, deadline=None)
@given(value=text_of_a_form)
def test_a_printed_value_is_text_in_a_paragraph_a_heading_a_list_and_a_cell(value):
    printed = source_text(value)
    document = parse(
        f"## {printed}\n\n{printed}\n\n- {printed}\n\n| a | b |\n|---|---|\n| {printed} | x |\n", "test"
    )
    heading, *rest = document.blocks
    assert isinstance(heading, Heading) and plain(heading.content).strip() == _expected(value)
    paragraphs = [b for b in rest if isinstance(b, Paragraph)]
    lists = [b for b in rest if isinstance(b, ListBlock)]
    tables = [b for b in rest if isinstance(b, Table)]
    if _expected(value):
        assert [plain(p.content).strip() for p in paragraphs] == [_expected(value)]
        assert plain(lists[0].items[0]).strip() == _expected(value)
    assert plain(tables[0].rows[0].cells[0]).strip() == _expected(value)
    assert len(tables[0].rows[0].cells) == 2  # a «|» of the value never splits the cell


def test_a_value_that_looks_like_markup_stays_text_in_every_format():
    value = "**1.** [A](b) | {.note} <script>"
    document = parse(f"{source_text(value)}\n", "test")
    assert plain(document.blocks[0].content) == value
    assert "&lt;script&gt;" in html(document, {}).head
    assert markdown(document).startswith("\\*\\*1.\\*\\* \\[A\\](b) \\| {.note} \\<script\\>")


def test_an_unknown_style_and_a_lost_attribute_line_are_named():
    with pytest.raises(MarkupError, match=r"шаблон раздел: неизвестный стиль \.red"):
        parse("{.red}\nТекст\n", "раздел")
    with pytest.raises(MarkupError, match=r"«\{\.note\}» должна стоять отдельно.*\+%\}"):
        parse("Первый абзац\n{.note}\nВторой\n", "раздел")
    with pytest.raises(MarkupError, match=r"подпись .*прямо перед таблицей"):
        parse("{.caption}\nТаблица без таблицы\n\nАбзац\n", "раздел")
    with pytest.raises(MarkupError, match="только диаграммой"):
        parse("![Снимок](http://example.com/a.png)\n", "раздел")


def test_a_row_of_one_span_spans_the_table_and_an_empty_span_marks_its_row():
    document = parse(
        "| Код | Показатель |\n|---|---|\n| [**UPR.** Блок]{.row} | |\n| []{.risk}UPR-1 | Программа |\n", "t"
    )
    table = document.blocks[0]
    assert isinstance(table, Table)
    assert table.rows[0].spans and plain(table.rows[0].cells[0]) == "UPR. Блок"
    assert table.rows[1].styles == (Style.risk,) and plain(table.rows[1].cells[0]) == "UPR-1"
    assert '<td colspan="2">' in html(document, {}).head and '<tr class="risk">' in html(document, {}).head


def test_a_column_is_never_narrower_than_its_longest_header_word():
    header = ["Код", "Общеобразовательных", "Итог"]
    rows = [["UPR-1", "коротко", "12,5\u00a0%"]] * 3
    widths = column_widths(header, rows, 120.0, body_pt=10, header_pt=9, columns=3)
    em = 25.4 / 72  # mm per point of size
    longest = _longest_word("Общеобразовательных") * em * 9 * 1.1  # the header's bold 9 pt
    assert widths[1] >= longest - 1e-9 and abs(sum(widths) - 120.0) < 1e-6
    assert widths[2] >= _longest_word("12,5\u00a0%") * em * 10  # a number keeps its unit: one word
    assert _longest_word("ROD-2") > _longest_word("лист")  # capitals are wider than small letters


def test_a_framework_with_more_levels_than_colours_gets_its_documents(tmp_path):
    """Seven levels: the higher ones share the highest level's colour (the styles have five);
    before, «{.level-5}» stopped the справка with «неизвестный стиль»."""
    from factories import make_results
    from vosp_monitor.config import load_config
    from vosp_monitor.writers.html_md.report import render_reports

    config = load_config()
    levels = [{"label": f"уровень {k + 1}", "from": k * 14} for k in range(7)]
    scoring = config.scoring.model_copy(
        update={"levels": [type(config.scoring.levels[0])(**x) for x in levels]}
    )
    results = make_results(30, config=config.model_copy(update={"scoring": scoring}))
    written = render_reports(results, tmp_path, cards=False, charts=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert {p.name for p in written} == {"report.md", "report.html"}
    assert '<span class="level level-4">уровень 7</span>' in page
    assert '<span class="level level-0">уровень 1</span>' in page
    assert parse("[a]{.level-9}\n", "t").blocks[0].content[0].styles == (Style.level4,)
