"""The Word template engine: escaping, placeholders, table widths, errors, the compiled fast path."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from markupsafe import escape
from tools.wordgen.base import Builder, Column

from docx_read import body_texts, document_xml, full_text, highlighted, open_docx, section_count
from factories import make_results
from vosp_monitor.report.documents import Phrase, Slot
from vosp_monitor.report.letters import letter_context, letters
from vosp_monitor.report.view import build_view
from vosp_monitor.writers.docx.compiled import CompiledDocx
from vosp_monitor.writers.docx.engine import docx_finalize, render_docx
from vosp_monitor.writers.docx.layout import TableRepairs
from vosp_monitor.writers.markup.parse import ReportError
from vosp_monitor.writers.markup.source import default_templates_dir
from vosp_monitor.writers.markup.source import document_context as documents_context

HOSTILE = 'МБОУ «СОШ № 1» & <b>жирный</b>\x0bперенос\x07\u202eнаоборот\u202c "кавычки"'


def _template(tmp_path: Path, build, name: str = "t.docx") -> Path:
    b = Builder(body_pt=12, title="тест")
    build(b)
    return b.save(tmp_path / name)


def test_finalize_keeps_text_and_drops_what_word_cannot_hold():
    text = docx_finalize(HOSTILE)
    assert "\x0b" not in text and "\x07" not in text and "\u202e" not in text
    # Escaped once, here (as Markup, so autoescaping does not escape it again).
    assert "МБОУ «СОШ № 1» &amp; &lt;b&gt;жирный&lt;/b&gt; перенос" in text
    assert str(escape(text)) == str(text) and docx_finalize(HOSTILE) is text  # once per run
    assert docx_finalize(None) == "" and docx_finalize(3) == 3
    assert docx_finalize(Slot("522")) == "522"
    missing = docx_finalize(Slot("[номер]", missing=True))
    assert missing.strip("\ue000\ue001") == "[номер]" and missing != "[номер]"
    assert docx_finalize("school \ue000marked\ue001") == "school marked"  # a school cannot fake a placeholder


def test_hostile_text_stays_text_and_the_document_opens(tmp_path):
    template = _template(tmp_path, lambda b: (b.p("{{ name }}"), b.p("**Итого:** {{ name }}")))
    target = tmp_path / "out.docx"
    render_docx(template, {"name": HOSTILE}, target)
    texts = [t for t in body_texts(open_docx(target)) if t]
    assert texts[0].startswith("МБОУ «СОШ № 1» & <b>жирный</b> перенос")
    assert "\u202e" not in "".join(texts)
    assert '"кавычки"' in texts[0]
    assert texts[1].startswith("Итого: МБОУ")


def test_a_placeholder_is_highlighted_in_the_formatting_of_its_run(tmp_path):
    template = _template(tmp_path, lambda b: b.p("**от {{ date }} № {{ number }} ({{ place }})**"))
    target = tmp_path / "out.docx"
    found = render_docx(
        template,
        {
            "date": Slot("[дата приказа]", missing=True),
            "number": Slot("522"),
            "place": Phrase(("р.п. ", Slot("[место]", missing=True))),
        },
        target,
    )
    document = open_docx(target)
    assert found == 2
    assert highlighted(document) == ["[дата приказа]", "[место]"]
    paragraph = next(p for p in document.paragraphs if p.text)
    assert paragraph.text == "от [дата приказа] № 522 (р.п. [место])"
    assert all(run.bold for run in paragraph.runs if run.text)  # every piece keeps the bold of its run


def test_repeated_columns_are_fitted_to_the_table_width(tmp_path):
    def build(b: Builder) -> None:
        b.table(
            [
                Column("Код", 20),
                Column("{{ x }}", 15, "right", loop="for v in r.cells", head_loop="for x in heads"),
            ],
            ["{%tr for r in rows %}", ("{{ r.code }}", "{{ v }}"), "{%tr endfor %}"],
            width=160,
        )

    template = _template(tmp_path, build)
    target = tmp_path / "out.docx"
    heads = ["a", "b", "c", "d", "e", "f", "g"]
    rows = [{"code": "0101", "cells": list(range(7))}, {"code": "0102", "cells": list(range(7))}]
    render_docx(template, {"heads": heads, "rows": rows}, target)
    table = open_docx(target).tables[0]
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 8 == len(table.rows[0].cells)
    assert sum(grid) == pytest.approx(round(160 / 25.4 * 1440), abs=8)
    assert grid[0] > grid[1] == grid[7]  # the code column stays wider than each repeated one
    assert [c.text for c in table.rows[0].cells] == ["Код", *heads]
    assert [c.text for c in table.rows[2].cells] == ["0102", *map(str, range(7))]


def _grids(path: Path) -> list[list[int]]:
    return [
        [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        for table in open_docx(path).tables
    ]


def _column_loop(b: Builder) -> None:
    b.table(
        [Column("Код", 20), Column("{{ x }}", 15, loop="for v in r.cells", head_loop="for x in heads")],
        ["{%tr for r in rows %}", ("{{ r.code }}", "{{ v }}"), "{%tr endfor %}"],
        width=160,
    )


def test_only_a_column_loop_makes_tables_repaired(tmp_path):
    """The compiled path skips fit_tables and docxtpl's fix_tables where no column loop exists
    (the letters), and still fits the grid of a table whose columns a loop repeated."""
    with zipfile.ZipFile(default_templates_dir() / "letter.docx") as archive:
        assert TableRepairs.of(archive.read("word/document.xml")) == TableRepairs(fit=False, fix=False)
    template = _template(tmp_path, _column_loop)
    with zipfile.ZipFile(template) as archive:
        xml = archive.read("word/document.xml")
    assert TableRepairs.of(xml) == TableRepairs(fit=True, fix=False)
    auto = xml.replace(b'w:type="dxa"', b'w:type="auto"', 1)
    assert b"<w:tblW" in xml.split(b'w:type="dxa"', 1)[0][-40:]  # the first dxa was the table's width
    assert TableRepairs.of(auto) == TableRepairs(fit=True, fix=True)
    context = {"heads": list("abcde"), "rows": [{"code": "0101", "cells": list(range(5))}]}
    compiled = CompiledDocx(template)
    fast, full = tmp_path / "fast.docx", tmp_path / "full.docx"
    compiled.write(fast, compiled.render(context))
    render_docx(template, context, full)
    assert _grids(fast) == _grids(full)
    assert len(_grids(fast)[0]) == 6


def _png(width: int, height: int) -> bytes:
    """A white PNG of the given size (python-docx reads its size from the header)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("width_type", ["dxa", "auto"])
def test_the_rendered_body_replaces_the_template_s_whole(tmp_path, width_type):
    """The body is parsed in its place in the document (``dxa``: a fixed-width table) or, where
    docxtpl's grid repair is needed (``auto``: a column loop in a table without a fixed width),
    by docxtpl's own path. Either way: the text, the sections, the grid and pictures with ids
    of their own, and no namespace declared again on the body."""
    from vosp_monitor.writers.docx.engine import Picture

    def build(b: Builder) -> None:
        b.p("Рисунок 1: {{ first }}")
        _column_loop(b)
        b.p("{{ second }}")

    template = _template(tmp_path, build)
    if width_type == "auto":
        with zipfile.ZipFile(template) as archive:
            parts = {n: archive.read(n) for n in archive.namelist()}
        parts["word/document.xml"] = parts["word/document.xml"].replace(b'w:type="dxa"', b'w:type="auto"', 1)
        with zipfile.ZipFile(template, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
    target = tmp_path / "out.docx"
    context = {
        "heads": list("abc"),
        "rows": [{"code": f"0{i}", "cells": [i, i + 1, i + 2]} for i in range(50)],
    }
    pictures = {"first": Picture(_png(40, 20), 40), "second": Picture(_png(30, 30), 30)}
    render_docx(template, context, target, pictures)
    document = open_docx(target)
    assert len(document.sections) == section_count(target) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Код", "a", "b", "c"]
    assert [c.text for c in table.rows[50].cells] == ["049", "49", "50", "51"]
    assert len(_grids(target)[0]) == 4
    xml = document_xml(target)
    ids = [int(i) for i in re.findall(r'<wp:docPr id="(\d+)"', xml)]
    assert ids == [1001, 1002]  # docxtpl's renumbering (from 1001): every picture its own id
    body = re.search(r"<w:body[^>]*>", xml)
    assert body is not None and body.group(0) == "<w:body>"
    assert "Рисунок 1:" in full_text(document)


def test_a_broken_tag_names_the_template_and_the_paragraph(tmp_path):
    template = _template(tmp_path, lambda b: (b.p("Введение"), b.p("Итог: {{ total|num( }}")))
    said = (
        r"^шаблон t\.docx, абзац 2: «Итог: \{\{ total\|num\( \}\}»: лишний или недопустимый знак «\}» в теге$"
    )
    with pytest.raises(ReportError, match=said):
        render_docx(template, {"total": 1}, tmp_path / "out.docx")
    with pytest.raises(ReportError, match=said):
        CompiledDocx(template)


@pytest.mark.parametrize(
    ("quote", "what"),
    [
        ("«", "в теге кавычка « вместо прямой"),
        ("„", "в теге кавычка „ вместо прямой"),
        ("“", "тег {{ … }} не закрыт"),  # docxtpl straightens “ ” itself; the closing » remains
    ],
)
def test_word_s_curly_quotes_in_a_tag_are_named_with_the_advice(tmp_path, quote, what):
    """Word's autocorrect turns " into «ёлочки» as a tag is typed: the message says so, in Russian."""
    text = f"Место: {{{{ place or {quote}р.п. Екатериновка» }}}} и «название» вне тега"
    template = _template(tmp_path, lambda b: (b.p("Введение"), b.p("Вторая строка"), b.p(text)))
    with pytest.raises(ReportError) as raised:
        CompiledDocx(template)
    message = str(raised.value)
    assert message.startswith("шаблон t.docx, абзац 3: «Место: {{ place or ")
    assert f"»: {what}" in message
    assert 'Кавычки внутри тегов должны быть прямыми (")' in message and "Автоформат при вводе" in message


def test_an_unclosed_block_and_quotes_outside_tags(tmp_path):
    """«ёлочки» in the text around a tag are fine: no quote advice for another mistake."""
    template = _template(tmp_path, lambda b: (b.p("{%p for x in items %}"), b.p("«{{ x }}»")))
    with pytest.raises(ReportError) as raised:
        CompiledDocx(template)
    assert "блок «for» не закрыт: нет тега {% endfor %}" in str(raised.value)
    assert "Кавычки" not in str(raised.value)


def test_an_unknown_field_is_a_clear_error(tmp_path):
    template = _template(tmp_path, lambda b: (b.p("Школа"), b.p("Название: {{ school.nmae }}")))
    said = r"шаблон t\.docx: неизвестное имя или поле — поля «nmae» нет \(в абзаце «Название: \{\{ school\.nmae \}\}»\)"
    with pytest.raises(ReportError, match=said):
        render_docx(template, {"school": {"name": "x"}}, tmp_path / "out.docx")
    with pytest.raises(ReportError, match=said) as raised:
        CompiledDocx(template).render({"school": {"name": "x"}})
    assert "object" not in str(raised.value) and "dict" not in str(raised.value)
    template = _template(tmp_path, lambda b: b.p("{{ shcool.name }}"))
    with pytest.raises(ReportError, match=r"имени «shcool» нет \(в абзаце «\{\{ shcool\.name \}\}»\)"):
        render_docx(template, {"school": {"name": "x"}}, tmp_path / "out.docx")


def test_not_a_word_file_is_a_clear_error(tmp_path):
    fake = tmp_path / "letter.docx"
    fake.write_text("это не docx", encoding="utf-8")
    with pytest.raises(ReportError, match="не документ Word"):
        CompiledDocx(fake)


@pytest.fixture(scope="module")
def sample_letters():
    results = make_results(n_schools=8, seed=11)
    view = build_view(results)
    context = documents_context(view, results)
    return [letter_context(context, letter, card) for letter, card in letters(results, view)]


def test_the_compiled_letter_is_what_docxtpl_renders(tmp_path, sample_letters):
    """The fast path (compiled once, filled per school) gives docxtpl's own result."""
    template = default_templates_dir() / "letter.docx"
    compiled = CompiledDocx(template)
    for i, context in enumerate(sample_letters[:3]):
        fast, full = tmp_path / f"fast{i}.docx", tmp_path / f"full{i}.docx"
        compiled.write(fast, compiled.render(context))
        render_docx(template, context, full)
        assert body_texts(open_docx(fast)) == body_texts(open_docx(full))
        assert highlighted(open_docx(fast)) == highlighted(open_docx(full))
        # the letter's tables are left as laid out, not fitted again (a twip of rounding apart)
        for fast_grid, full_grid in zip(_grids(fast), _grids(full), strict=True):
            assert fast_grid == pytest.approx(full_grid, abs=2)


def test_placeholders_are_highlighted_on_the_text_only_where_that_is_safe():
    """The string path takes well-formed bodies with marks in plain runs; anything else goes
    to the tree (whose parser repairs what is broken)."""
    compiled = CompiledDocx(default_templates_dir() / "letter.docx")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    run = '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">№ \ue000[номер]\ue001 от</w:t></w:r>'
    done = compiled._marked_runs(f"<w:body {w}><w:p>{run}</w:p><w:p>{run}</w:p></w:body>")
    assert done is not None
    text, found = done
    assert found == 2 and "\ue000" not in text
    assert text.count('<w:highlight w:val="yellow"/>') == 2 and text.count("<w:b/>") == 6
    assert compiled._marked_runs(f"<w:body {w}><w:p>{run}</w:body>") is None  # not well-formed
    odd = run.replace("<w:r>", '<w:r w:rsidR="00A1">')
    assert compiled._marked_runs(f"<w:body {w}><w:p>{odd}</w:p></w:body>") is None  # not a plain run


def test_combined_letters_restart_page_numbers_in_each_section(tmp_path, sample_letters):
    compiled = CompiledDocx(default_templates_dir() / "letter.docx")
    target = tmp_path / "letters.docx"
    with compiled.combined(target, len(sample_letters)) as add:
        for context in sample_letters:
            add(compiled.render(context))
    assert section_count(target) == len(sample_letters)
    xml = document_xml(target)
    assert xml.count('<w:pgNumType w:start="1"/>') == len(sample_letters)
    assert xml.count("<w:titlePg") == len(sample_letters)  # no number on each letter's first page
    document = docx.Document(str(target))
    assert len(document.sections) == len(sample_letters)
    greetings = [t for t in body_texts(document) if t.startswith("Уважаем")]
    assert len(greetings) == len(sample_letters)


def test_combined_checks_it_got_every_body(tmp_path, sample_letters):
    compiled = CompiledDocx(default_templates_dir() / "letter.docx")
    with (
        pytest.raises(ValueError, match="1 bodies written, 2 announced"),
        compiled.combined(tmp_path / "x.docx", 2) as add,
    ):
        add(compiled.render(sample_letters[0]))


def test_rendering_is_byte_identical(tmp_path, sample_letters):
    template = default_templates_dir() / "letter.docx"
    for name in ("a.docx", "b.docx"):
        render_docx(template, sample_letters[0], tmp_path / name)
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
