"""The letters written by a worker process: the same files as in this process, and its
errors raised here as they would be here (a user's broken template), or as an internal
error (the worker dying), with nothing switched in."""

from __future__ import annotations

from pathlib import Path

import pytest
from tools.wordgen.base import Builder

from docx_read import body_texts, open_docx, section_count
from factories import make_results
from vosp_monitor.report.view import build_view
from vosp_monitor.writers.docx import letter_worker
from vosp_monitor.writers.docx.documents import write_letters
from vosp_monitor.writers.html_md.report import CardWriter
from vosp_monitor.writers.markup.parse import ReportError
from vosp_monitor.writers.markup.source import Templates
from vosp_monitor.writers.markup.source import document_context as documents_context


@pytest.fixture(scope="module")
def district():
    results = make_results(n_schools=9, seed=7)
    view = build_view(results)
    return results, view, documents_context(view, results)


def _write(out: Path, district, parallel_from: int, monkeypatch, templates: Path | None = None) -> list[Path]:
    results, view, context = district
    monkeypatch.setattr(letter_worker, "PARALLEL_FROM", parallel_from)
    cards = CardWriter(results, out / "schools", view, Templates(templates))
    return write_letters(results, view, context, out, templates, cards) + sorted(cards.written)


@pytest.mark.parametrize("hungry", [0, 10**6], ids=["cards here", "cards there"])
def test_the_worker_writes_what_this_process_writes(tmp_path, district, monkeypatch, hungry):
    """Letters by the worker, and the cards' files by this process (never hungry) or by the
    worker (always hungry): the same bytes as when everything is written here."""
    monkeypatch.setattr(letter_worker, "HUNGRY", hungry)
    here = _write(tmp_path / "here", district, 10_000, monkeypatch)
    there = _write(tmp_path / "there", district, 1, monkeypatch)
    results = district[0]
    count = len(results.schools) + len(results.excluded) + len(results.not_submitted)
    letters = [p for p in here if p.parent.name == "letters"]
    assert len(letters) == count == 13
    assert [p.relative_to(tmp_path / "here") for p in here] == [
        p.relative_to(tmp_path / "there") for p in there
    ]
    for a, b in zip(here, there, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name  # byte for byte, letters.docx too
    assert section_count(tmp_path / "there" / "letters.docx") == count
    assert any(t.startswith("Уважаем") for t in body_texts(open_docx(letters[0])))


def test_the_worker_writes_cards_from_the_users_templates(tmp_path, district, monkeypatch):
    """A user's own card template (``--templates``) is the one the worker renders too."""
    from vosp_monitor.writers.markup.source import default_templates_dir

    templates = tmp_path / "templates"
    templates.mkdir()
    card = (default_templates_dir() / "school.md.j2").read_text(encoding="utf-8")
    mine = card.replace("## Итоги", "своя карточка\n\n## Итоги", 1)
    assert mine != card
    (templates / "school.md.j2").write_text(mine, "utf-8")
    monkeypatch.setattr(letter_worker, "HUNGRY", 10**6)  # every card written by the worker
    written = _write(tmp_path / "out", district, 1, monkeypatch, templates)
    cards = [p for p in written if p.suffix == ".html" and p.parent.name == "schools"]
    assert len(cards) == len(district[0].schools) + len(district[0].excluded)
    school_cards = [p for p in cards if "своя карточка" in p.read_text(encoding="utf-8")]
    assert len(school_cards) == len(district[0].schools)


def test_a_broken_user_template_is_the_same_error_from_the_worker(tmp_path, district, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    b = Builder(body_pt=12, title="письмо")
    b.p("Уважаемый {{ letter.greting }}")  # a typo in a user's own letter.docx
    b.save(templates / "letter.docx")
    for parallel_from in (10_000, 1):
        out = tmp_path / f"out{parallel_from}"
        with pytest.raises(ReportError, match=r"шаблон letter\.docx: .*поля «greting» нет"):
            _write(out, district, parallel_from, monkeypatch, templates)


class _EndsTheProcessWhenUnpickled:
    def __reduce__(self):
        import os

        return os._exit, (7,)


def test_a_worker_that_dies_is_an_internal_error(tmp_path, district, monkeypatch):
    results, view, context = district
    dying = (results, view, {**context, "boom": _EndsTheProcessWhenUnpickled()})
    with pytest.raises(letter_worker.LettersFailed, match=r"завершился без результата \(код 7\)"):
        _write(tmp_path / "out", dying, 1, monkeypatch)
