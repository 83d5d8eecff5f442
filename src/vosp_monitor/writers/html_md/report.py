"""The справка and the school cards as Markdown and HTML files.

Both are documents of our Markdown (``writers.markup``): the справка is ``spravka.md.j2``
with its sections, a card is ``school.md.j2`` (or ``excluded.md.j2`` for a school left out
of the ranking). Each is rendered once and written twice: as Markdown (:mod:`markdown`) and
as an HTML page (:mod:`html`, inside ``page.html.j2``: styles and script inlined, no
network). Output is deterministic: the date shown is the run's ``generated_at``, never the
clock.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from ...outputs import OutputError, OutputSet, ensure_dir, write_file, write_text
from ...report.cards import ExcludedCard, SchoolCard, card_fields
from ...report.view import ReportView
from ...results import Results
from ..markup.model import Document
from ..markup.source import REPORT_ONLY, Templates, default_templates_dir, document_context, template_errors
from .html import html
from .markdown import markdown

CARD_TEMPLATES = {False: "school.md.j2", True: "excluded.md.j2"}  # by «excluded»


def write_report_md(document: Document, out_dir: Path) -> Path:
    """report.md from the справка."""
    return write_text(out_dir / "report.md", markdown(document))


def write_report_html(
    document: Document, charts: Mapping[str, str], out_dir: Path, templates: Templates
) -> Path:
    """report.html from the справка; ``charts``: the SVG of each drawn chart by name."""
    return write_text(out_dir / "report.html", page_html(document, charts, templates))


def page_html(
    document: Document,
    charts: Mapping[str, str],
    templates: Templates,
    *,
    card: bool = False,
    cards: str = "schools",
) -> str:
    """A whole HTML page: the document laid out by :func:`html.html` inside ``page.html.j2``."""
    page = html(document, charts, cards)
    with template_errors("page.html.j2"):
        text: str = templates.page().render(
            title=page.title,
            head=page.head,
            body=page.body,
            contents=page.contents,
            appendices=page.appendices,
            card=card,
        )
    return text


def export_templates(dest: Path, force: bool = False) -> list[Path]:
    """Copy the default templates into ``dest`` for editing; refuse to overwrite unless ``force``.

    Nothing is copied when any target exists (and ``force`` is off), so a user's edited
    templates are never half-replaced.
    """
    source = default_templates_dir()
    files = sorted(p for p in source.rglob("*") if p.is_file() and not _hidden(p.relative_to(source)))
    relative = [p.relative_to(source) for p in files]
    targets = [Path(dest) / rel for rel in relative]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        names = ", ".join(str(t.relative_to(dest)) for t in existing[:5])
        raise OutputError(f"в папке {dest} уже есть шаблоны ({names}); чтобы заменить их, добавьте --force")
    from ...outputs.staging import publish

    def write(folder: Path) -> list[Path]:
        return [
            write_file(folder / rel, partial(shutil.copyfile, src))
            for src, rel in zip(files, relative, strict=True)
        ]

    owned = OutputSet("templates export", tuple(rel.as_posix() for rel in relative))
    return publish(Path(dest), owned, write, replace_foreign=force)


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") or part == "__pycache__" for part in relative.parts)


class CardWriter:
    """Writes a school's card as ``<name>.md`` and ``<name>.html``, from one rendering.

    Used card by card with the letters (``docx.documents.write_letters``): each card is made
    once for both. A pickled copy writes cards in another process (the letter worker:
    ``docx.letter_worker``), with the templates compiled there again (Jinja's bytecode cache)
    and a ``written`` list of its own.
    """

    def __init__(self, results: Results, folder: Path, view: ReportView, templates: Templates) -> None:
        self.folder = ensure_dir(folder)
        self.templates = templates
        self.common = {k: v for k, v in document_context(view, results).items() if k not in REPORT_ONLY}
        self.written: list[Path] = []

    def __getstate__(self) -> dict[str, Any]:
        return {"folder": self.folder, "templates_dir": self.templates.folder, "common": self.common}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.folder, self.common = state["folder"], state["common"]
        self.templates = Templates(state["templates_dir"])
        self.written = []

    def write(self, name: str, card: SchoolCard | ExcludedCard) -> None:
        template = CARD_TEMPLATES[isinstance(card, ExcludedCard)]
        document = self.templates.document(template, {**self.common, **card_fields(card)})
        texts = {
            ".md": markdown(document, cards="."),
            ".html": page_html(document, {}, self.templates, card=True, cards="."),
        }
        for suffix, text in texts.items():
            path = self.folder / (name + suffix)
            path.write_text(text, encoding="utf-8", newline="\n")
            self.written.append(path)


def render_cards(results: Results, folder: Path, view: ReportView, templates: Templates) -> list[Path]:
    """One Markdown and one HTML card per ranked school and per excluded school; linear."""
    from ...report.cards import CardMaker, excluded_cards

    maker = CardMaker(view, results)
    writer = CardWriter(results, folder, view, templates)
    for school, row in zip(results.schools, view.ranking, strict=True):
        writer.write(row.file, maker.card(school, row))
    for card in excluded_cards(results):
        writer.write(card.card, card)
    return writer.written


def spravka(view: ReportView, results: Results, templates: Templates) -> Document:
    """The справка as a document: ``spravka.md.j2`` and its sections, rendered once for every format."""
    return templates.document("spravka.md.j2", document_context(view, results))


def render_reports(
    results: Results,
    out_dir: Path,
    templates_dir: Path | None = None,
    *,
    cards: bool = True,
    charts: bool = True,
    view: ReportView | None = None,
) -> list[Path]:
    """report.md, report.html and (with ``cards``) schools/<code>.md/.html, without the Word
    documents; ``charts=False`` skips matplotlib (about 1.5 s of import and drawing)."""
    from ...report.view import build_view
    from ...results import gc_paused

    out_dir = ensure_dir(Path(out_dir))
    templates = Templates(templates_dir)
    with gc_paused():
        view = view or build_view(results, cards=cards)
        document = spravka(view, results, templates)
    svg: dict[str, str] = {}
    if charts and view.ranking:
        from ..charts.chart_set import district_charts

        svg = district_charts(view).svg
    written = [write_report_md(document, out_dir), write_report_html(document, svg, out_dir, templates)]
    if cards:
        written += render_cards(results, out_dir / "schools", view, templates)
    return written
