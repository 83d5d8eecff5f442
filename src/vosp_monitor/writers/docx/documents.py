"""The documents an analyst signs, in Word: report.docx, order.docx, letters to schools.

* ``report.docx`` — the справка with everything report.html has (the same view), laid out
  for paper: appendix 1 to the order, with the ranking and the addressed recommendations
  as appendices 2 and 3, charts as pictures at print resolution;
* ``order.docx`` — the draft order «Об итогах мониторинга …» (:mod:`view_documents`);
* ``letters/<code>.docx`` — a letter to each school: ranked, excluded, or (with a registry)
  one that sent no form, and ``letters.docx`` — all of them in one file for printing, each letter's pages
  numbered from 1.

Templates are .docx files with Jinja tags (``templates/``; a user's copy with
``--templates``), rendered by :mod:`docx_engine`. A реквизит the config does not give is
a highlighted placeholder; :func:`requisites_warning` says which, for the console.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...config import Config
from ...outputs import ensure_dir, write_file
from ...report.documents import documents_view, missing_requisites
from ...report.letters import letters
from ...report.view import ReportView, build_view
from ...results import Results
from ..html_md.report import REPORT_ONLY, template_context
from .engine import Picture, find_template, render_docx
from .letter_worker import LetterSet, letter_writer

if TYPE_CHECKING:
    from ..charts.worker import ChartDrawer
    from ..html_md.report import CardWriter

LETTERS_FOLDER = "letters"
CHART_MM = (
    160.0  # printed width of a chart (the text is 165 mm wide; PNGs are drawn at charts.canvas.PNG_DPI)
)


def render_all(
    results: Results,
    out_dir: Path,
    templates_dir: Path | None = None,
    *,
    cards: bool = True,
    pdf: bool = False,
    view: ReportView | None = None,
    drawer: ChartDrawer | None = None,
    steps: Callable[[str, int, int], None] | None = None,
) -> list[Path]:
    """Everything ``score`` and ``report`` render from results: report.md/.html, the cards, the
    Word documents (and with ``pdf`` their PDF copies, ``steps`` hearing how many are done), from
    one view and one drawing of the charts.

    The charts are drawn by a :class:`~.chart_worker.ChartDrawer` (``drawer``, started early
    by the caller, or one started here) while report.md, the cards, the order and the
    letters are written; report.html and report.docx, which show them, come last.
    """
    from ...results import gc_frozen, gc_paused
    from ..charts.worker import drawing
    from ..html_md.report import CardWriter, report_environments, write_report_html, write_report_md

    if view is None:
        with gc_paused():
            view = build_view(results, cards=cards)
    with drawing(view, drawer) as active, gc_frozen():
        out_dir = ensure_dir(Path(out_dir))
        md_env, html_env = report_environments(templates_dir)
        with gc_paused():
            context = template_context(view, results)
            report_md = write_report_md(md_env, context, out_dir)
        word_context = documents_context(view, results)
        order = write_file(
            out_dir / "order.docx",
            lambda path: render_docx(find_template("order.docx", templates_dir), word_context, path, {}),
        )
        card_paths: list[Path] = []
        letter_paths: list[Path] = []
        if cards:
            card_writer = CardWriter(results, out_dir / "schools", view, templates_dir, (md_env, html_env))
            letter_paths = write_letters(results, view, word_context, out_dir, templates_dir, card_writer)
            card_paths = card_writer.written
        png: dict[str, bytes] = {}
        if active is not None:
            context["charts"], png = active.result()
        with gc_paused():
            report_html = write_report_html(html_env, context, out_dir)
        pictures = chart_pictures(view, png)
        report_docx = write_file(
            out_dir / "report.docx",
            lambda path: render_docx(
                find_template("report.docx", templates_dir), word_context, path, pictures
            ),
        )
    documents = [report_docx, order, *letter_paths]
    written = [report_md, report_html, *card_paths, *documents]
    if pdf:
        from ..pdf import convert_to_pdf

        written += convert_to_pdf(documents, steps=steps)
    return written


def documents_context(view: ReportView, results: Results) -> dict[str, Any]:
    """What the Word templates see: the report's names (:func:`~.report.template_context`) and
    ``documents`` (реквизиты, addressees, deadlines: :func:`~.view_documents.documents_view`)."""
    return {**template_context(view, results), "documents": documents_view(results.config, view)}


def letters_common(context: dict[str, Any]) -> dict[str, Any]:
    """What every letter sees of the Word templates' context (the справка's long lists left out)."""
    return {k: v for k, v in context.items() if k not in REPORT_ONLY}


def chart_pictures(view: ReportView, png: dict[str, bytes]) -> dict[str, Any]:
    """The charts' PNGs under the names the template prints them by; "" for a chart not drawn."""
    from ..charts.chart_set import CHART_PREFIXES
    from ..charts.district import target_prefix

    pictures: dict[str, Any] = {
        f"chart_{name}": Picture(png[prefix], CHART_MM) if prefix in png else ""
        for name, prefix in CHART_PREFIXES.items()
    }
    pictures["chart_targets"] = {
        t.code: Picture(png[target_prefix(i)], CHART_MM)
        for i, t in enumerate(view.targets)
        if target_prefix(i) in png
    }
    return pictures


def write_letters(
    results: Results,
    view: ReportView,
    context: dict[str, Any],
    out_dir: Path,
    templates_dir: Path | None,
    cards: CardWriter | None = None,
) -> list[Path]:
    """letters/<file>.docx for every school (also those of the registry that sent no form),
    and letters.docx with all of them; with ``cards``, each school's HTML and Markdown card
    too, from the same card (made once for both).

    The letter template is compiled once and filled per school (:class:`~.docx_compiled.CompiledDocx`):
    600 letters take seconds, not the minute docxtpl's full pipeline would; from
    ``letter_worker.PARALLEL_FROM`` letters on, a worker process writes them while this one
    writes the cards (and writes cards too whenever it is about to run out of letters).
    """
    common = letters_common(context)
    folder = ensure_dir(out_dir / LETTERS_FOLDER)
    count = len(results.schools) + len(results.excluded) + len(results.not_submitted)
    if not count:
        return []
    combined = out_dir / "letters.docx"
    target = LetterSet(find_template("letter.docx", templates_dir), folder, combined, count)
    with letter_writer(target, common, cards) as writer:
        for letter, card in letters(results, view):
            writer.add(letter, card)
        written = writer.finish()
    return [combined, *written]


def take_documents_section(results: Results, config: Config) -> None:
    """Use ``config``'s ``documents`` section (реквизиты, addressees, deadlines) for ``results``.

    An analyst fills in the order's number and date after ``score``: ``report -c`` makes the
    documents again with them, while the scores, the ranking and the методика stay those of
    the results.
    """
    results.config = results.config.model_copy(update={"documents": config.documents})


def requisites_warning(config: Config) -> str:
    """«Внимание: … не заполнены: номер приказа, …» for the console, or "" when nothing is missing."""
    missing = missing_requisites(config)
    if not missing:
        return ""
    return (
        f"Внимание: в приказе, справке и письмах не заполнены: {', '.join(missing)}. Они выделены в документах "
        "жёлтым; впишите их в раздел documents файла показателей (docs/config.md) или в документы вручную."
    )
