"""Everything ``score`` and ``report`` render from results, in one pass over one view.

The справка is rendered once (``markup``: its sections' templates → the document model) and
written three times — report.md, report.html (``html_md``), report.docx (``docx``); the
order and the letters are the Word templates' (``docx``); each school's card (Markdown and
HTML) is written beside its letter. The charts are drawn by a worker
(``charts.worker.ChartDrawer``, started early by the caller or here) while report.md, the
order, the cards and the letters are written; report.html and report.docx, which show
them, come last.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..outputs import ensure_dir
from ..report.view import ReportView, build_view
from ..results import Results, gc_frozen, gc_paused
from .charts.chart_set import Drawn
from .docx.documents import write_letters, write_order, write_spravka_docx
from .html_md.report import CardWriter, spravka, write_report_html, write_report_md
from .markup.source import Templates, document_context
from .progress import StepProgress, say

if TYPE_CHECKING:
    from .charts.worker import ChartDrawer

# The steps the command line shows (the letters': docx.documents.LETTERS_STEP).
STEP_TEXT = "Справка: текст и report.md"
STEP_LAYOUT = "Справка: диаграммы, report.html и report.docx"


def render_all(
    results: Results,
    out_dir: Path,
    templates_dir: Path | None = None,
    *,
    cards: bool = True,
    pdf: bool = False,
    view: ReportView | None = None,
    drawer: ChartDrawer | None = None,
    steps: StepProgress | None = None,
) -> list[Path]:
    """report.md/.html/.docx, order.docx, the letters and (with ``cards``) the cards; with
    ``pdf`` the Word documents' PDF copies too. ``steps`` hears each step as it starts (and how
    many letters and PDF copies are done). Returns the paths written."""
    from .charts.worker import drawing

    if view is None:
        with gc_paused():
            view = build_view(results, cards=cards)
    with drawing(view, drawer) as active, gc_frozen():
        out_dir = ensure_dir(Path(out_dir))
        templates = Templates(templates_dir)
        say(steps, STEP_TEXT)
        with gc_paused():
            context = document_context(view, results)
            document = spravka(view, results, templates)
            report_md = write_report_md(document, out_dir)
        order = write_order(context, out_dir, templates_dir)
        card_paths: list[Path] = []
        letter_paths: list[Path] = []
        if cards:
            card_writer = CardWriter(results, out_dir / "schools", view, templates)
            letter_paths = write_letters(
                results, view, context, out_dir, templates_dir, card_writer, steps=steps
            )
            card_paths = card_writer.written
        say(steps, STEP_LAYOUT)
        drawn = active.result() if active is not None else Drawn()
        with gc_paused():
            report_html = write_report_html(document, drawn.svg, out_dir, templates)
        report_docx = write_spravka_docx(document, drawn.png, out_dir, templates_dir)
    documents = [report_docx, order, *letter_paths]
    written = [report_md, report_html, *card_paths, *documents]
    if pdf:
        from .pdf import convert_to_pdf

        written += convert_to_pdf(documents, steps=steps)
    return written
