"""What the performance work (issue 15) changed, checked for behaviour, never for time.

Timings belong to ``benchmarks/``; here: the charts drawn by the chart workers are the ones
drawn in-process, to the byte; a failing worker fails the run before anything is switched
in; compiled templates kept between runs are never served stale; the letters written from
the template's precompressed parts are whole documents; docxtpl's ``resolve_listing`` is
skipped only when it would change nothing; a small batch is read by one isolated worker.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from factories import make_results
from hostile import worker_pid
from vosp_monitor.pipeline.pool import Done, map_isolated
from vosp_monitor.report.view import build_view
from vosp_monitor.writers.charts.chart_set import Chart, chart_data, district_charts
from vosp_monitor.writers.charts.worker import ChartDrawer, ChartsFailed, share


@pytest.fixture(scope="module")
def view():
    return build_view(make_results(n_schools=12), cards=False)


def test_chart_workers_draw_what_one_process_draws(view) -> None:
    expected = district_charts(view, png=True)
    with ChartDrawer(workers=2) as drawer:
        drawer.draw(view)
        drawn = drawer.result()
    assert drawn.svg == expected.svg and list(drawn.svg) == list(expected.svg)  # page order
    assert drawn.png == expected.png and list(drawn.png) == list(expected.png)  # byte for byte
    assert drawn.svg[Chart.total].startswith('<svg role="img"')
    assert any(name.startswith("target:") for name in drawn.svg)


def test_a_chart_worker_that_fails_fails_the_run(view) -> None:
    import dataclasses

    broken = dataclasses.replace(chart_data(view), levels=(("уровень", "не число", None),))
    drawer = ChartDrawer(workers=1)
    try:
        drawer.draw_data(broken)
        with pytest.raises(ChartsFailed, match="диаграммы не нарисованы"):
            drawer.result()
    finally:
        drawer.close()
    assert all(not w.process.is_alive() for w in drawer._workers)


def test_a_chart_worker_ends_once_it_has_drawn_before_its_charts_are_asked_for(view) -> None:
    """Its answer is read as soon as it is sent, so the worker (and matplotlib's memory) is gone
    while the run writes its tables: at 40 000 schools that is the run's peak of memory."""
    import time

    with ChartDrawer(workers=1) as drawer:
        drawer.draw(view)
        deadline = time.monotonic() + 60
        while drawer._workers[0].process.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not drawer._workers[0].process.is_alive()
        drawn = drawer.result()
    assert drawn.svg == district_charts(view, png=True).svg


def test_a_drawer_closed_while_its_workers_draw_stops_them_and_its_receiver(view) -> None:
    """The run failed elsewhere (a broken template) while the charts were being drawn: the
    workers are killed, the receiving thread ends, and only then are the pipes closed (closing
    one under the thread's wait raised «Bad file descriptor» in the run, an internal error)."""
    for _ in range(3):
        drawer = ChartDrawer(workers=2)
        drawer.draw(view)
        drawer.close()
        assert drawer._receiver is not None and not drawer._receiver.is_alive()
        assert all(not w.process.is_alive() and w.conn.closed for w in drawer._workers)


def test_an_unused_drawer_is_stopped_at_once() -> None:
    drawer = ChartDrawer(workers=2)
    drawer.close()
    assert all(not w.process.is_alive() for w in drawer._workers)


def test_charts_are_shared_by_cost_and_none_is_lost() -> None:
    keys = [("total", 1.0), ("blocks", 2.0), ("t0", 3.0), ("t1", 3.0), ("places", 2.0)]
    groups = share(keys, 2)
    assert sorted(k for g in groups for k in g) == sorted(k for k, _ in keys)
    loads = [sum(dict(keys)[k] for k in g) for g in groups]
    assert max(loads) - min(loads) <= 1.0
    assert share(keys[:1], 2) == [["total"], []]


def test_compiled_templates_are_kept_and_never_stale(tmp_path, monkeypatch) -> None:
    from vosp_monitor.writers.markup.source import Templates

    monkeypatch.setenv("VOSP_MONITOR_CACHE", str(tmp_path / "cache"))
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "spravka.md.j2").write_text("первый {{ 1 + 1 }}", encoding="utf-8")
    assert "первый 2" in Templates(mine).markup("spravka.md.j2", {})
    assert list((tmp_path / "cache").rglob("*.cache"))  # the compiled code was kept
    (mine / "spravka.md.j2").write_text("второй {{ 2 + 2 }}", encoding="utf-8")
    assert "второй 4" in Templates(mine).markup("spravka.md.j2", {})  # the next run: the edited one


def test_an_unusable_cache_folder_costs_only_time(tmp_path, monkeypatch) -> None:
    from vosp_monitor.writers.docx.engine import docx_environment
    from vosp_monitor.writers.template_cache import bytecode_cache

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("VOSP_MONITOR_CACHE", str(blocker / "cache"))
    assert bytecode_cache("md") is None
    assert docx_environment().from_string("{{ 'а' | upper }}").render() == "А"
    monkeypatch.setenv("VOSP_MONITOR_CACHE", "off")
    assert bytecode_cache("md") is None


def test_word_templates_compiled_once_render_the_same(tmp_path, monkeypatch) -> None:
    from vosp_monitor.writers.docx.engine import docx_environment

    monkeypatch.setenv("VOSP_MONITOR_CACHE", str(tmp_path))
    source = "<w:t>{{ name }}: {{ value | num }}</w:t>"
    first = docx_environment().from_string(source).render(name="<Школа & №1>", value=2.5)
    again = docx_environment().from_string(source).render(name="<Школа & №1>", value=2.5)
    assert first == again == "<w:t>&lt;Школа &amp; №1&gt;: 2,5</w:t>"
    assert len(list(tmp_path.rglob("*.cache"))) == 1


def test_letters_from_precompressed_parts_are_whole_documents(tmp_path) -> None:
    from vosp_monitor.writers.docx.compiled import CompiledDocx
    from vosp_monitor.writers.docx.engine import find_template

    compiled = CompiledDocx(find_template("letter.docx", None))
    with zipfile.ZipFile(find_template("letter.docx", None)) as archive:
        template_names = set(archive.namelist())
    bodies = []
    for i in range(3):
        body = compiled.render(_letter_context(i))
        compiled.write(tmp_path / f"{i}.docx", body)
        bodies.append(body)
    for i in range(3):
        with zipfile.ZipFile(tmp_path / f"{i}.docx") as archive:
            assert archive.testzip() is None
            assert set(archive.namelist()) == template_names
            assert archive.namelist()[0] == "[Content_Types].xml"
            document = archive.read("word/document.xml").decode("utf-8")
            assert bodies[i].content in document
            for name in template_names - {"word/document.xml"}:
                assert archive.read(name) == _template_member(name)


def _template_member(name: str) -> bytes:
    from vosp_monitor.writers.docx.engine import find_template

    with zipfile.ZipFile(find_template("letter.docx", None)) as archive:
        return archive.read(name)


def _letter_context(i: int) -> dict:
    """The letters' own context for one school, built as ``write_letters`` builds it."""
    from vosp_monitor.report.letters import letter_context, letters
    from vosp_monitor.writers.docx.documents import letters_common
    from vosp_monitor.writers.markup.source import document_context as documents_context

    results = make_results(n_schools=4)
    view = build_view(results, cards=True)
    context = documents_context(view, results)
    common = letters_common(context)
    letter, card = list(letters(results, view))[i]
    return letter_context(common, letter, card)


@pytest.mark.parametrize(
    "text",
    [
        "<w:p><w:r><w:t>одна строка</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>две\nстроки</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>таб\tуляция</w:t></w:r></w:p>",
        "<w:p><w:pPr/><w:r><w:t xml:space='preserve'>новый\aабзац</w:t></w:r></w:p>",
        "<w:p><w:r><w:t>разрыв\fстраницы</w:t></w:r></w:p>",
        "<w:p>\n<w:r><w:t>перевод строки между тегами</w:t></w:r>\n</w:p>",
    ],
)
def test_resolve_listing_is_skipped_only_when_it_changes_nothing(text: str) -> None:
    from docxtpl import DocxTemplate

    from vosp_monitor.writers.docx.engine import find_template, resolve_listing

    document = DocxTemplate(str(find_template("letter.docx", None)))
    assert resolve_listing(document, text) == DocxTemplate.resolve_listing(document, text)


def test_a_small_batch_is_read_by_one_isolated_worker() -> None:
    outcomes = map_isolated(worker_pid, range(8))
    pids = {o.value for o in outcomes if isinstance(o, Done)}
    assert len(pids) == 1 and pids != {__import__("os").getpid()}
    assert len({o.value for o in map_isolated(worker_pid, range(8), jobs=2)}) == 2


def test_letters_zip_is_smaller_than_the_parts(tmp_path: Path) -> None:
    """The parts are compressed, not stored (a letter stays the size it was)."""
    from vosp_monitor.writers.docx.compiled import CompiledDocx
    from vosp_monitor.writers.docx.engine import find_template

    compiled = CompiledDocx(find_template("letter.docx", None))
    compiled.write(tmp_path / "a.docx", compiled.render(_letter_context(0)))
    with zipfile.ZipFile(tmp_path / "a.docx") as archive:
        infos = archive.infolist()
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in infos)
    assert sum(i.compress_size for i in infos) < sum(i.file_size for i in infos) / 2


def test_chart_workers_wait_for_the_forms_of_a_region(tmp_path: Path) -> None:
    """Up to the limit they start before the forms are read; above it, after (memory)."""
    from vosp_monitor.pipeline.writing import few_files

    (tmp_path / "sub").mkdir()
    for name in ("a.xlsx", "b.xlsx", "sub/c.xlsx"):
        (tmp_path / name).write_bytes(b"")
    assert few_files(tmp_path, 3) and not few_files(tmp_path, 2)
    assert few_files(tmp_path / "a.xlsx", 0)
