"""The documents an analyst signs, in Word: report.docx, order.docx, letters to schools.

* ``report.docx`` — the справка, the same document as report.md and report.html
  (``markup``), laid out for paper by :mod:`blocks` on the styles of ``templates/report.docx``:
  appendix 1 to the order, the ranking and the addressed recommendations as appendices 2
  and 3, charts as pictures at print resolution;
* ``order.docx`` — the draft order «Об итогах мониторинга …» (``report.documents``), from
  its Word template with Jinja tags (docxtpl: :mod:`engine`);
* ``letters/<code>.docx`` — a letter to each school: ranked, excluded, or (with a registry)
  one that sent no form, and ``letters.docx`` — all of them in one file for printing, each
  letter's pages numbered from 1 (a template compiled once: :mod:`compiled`).

A реквизит the config does not give is a highlighted placeholder; :func:`requisites_warning`
says which, for the console.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...config import Config
from ...outputs import ensure_dir, write_file
from ...report.documents import missing_requisites
from ...report.letters import letters
from ...report.view import ReportView
from ...results import Results
from ..markup.model import Document
from ..markup.source import REPORT_ONLY
from ..progress import StepProgress
from .blocks import BlockWriter
from .engine import find_template, render_docx, repack
from .letter_worker import LetterSet, letter_writer
from .template_errors import template_error

if TYPE_CHECKING:
    from ..html_md.report import CardWriter

LETTERS_FOLDER = "letters"
LETTERS_STEP = "Письма школам"  # the step the command line shows while they are written
BODY_PT, TABLE_PT = 12.0, 10.0  # the справка's text and tables (its styles may say otherwise)


def write_order(context: Mapping[str, Any], out_dir: Path, templates_dir: Path | None) -> Path:
    """order.docx: the draft order, from its docxtpl template (``templates/order.docx``)."""
    template = find_template("order.docx", templates_dir)
    return write_file(out_dir / "order.docx", lambda path: render_docx(template, context, path, {}))


def write_spravka_docx(
    document: Document, pictures: Mapping[str, bytes], out_dir: Path, templates_dir: Path | None
) -> Path:
    """report.docx: the справка laid out on the styles and page setup of ``templates/report.docx``
    (an analyst's copy first); ``pictures``: each drawn chart's PNG by name."""
    import docx

    template = find_template("report.docx", templates_dir)
    try:
        word = docx.Document(str(template))
    except Exception as exc:  # not a Word file at all: python-docx's own errors vary
        raise template_error(template.name, exc) from None
    BlockWriter(word, pictures, body_pt=BODY_PT, table_pt=TABLE_PT).write(document)

    def save(path: Path) -> None:
        buffer = io.BytesIO()
        word.save(buffer)
        repack(buffer.getvalue(), path)

    return write_file(out_dir / "report.docx", save)


def letters_common(context: Mapping[str, Any]) -> dict[str, Any]:
    """What every letter sees of the documents' context (the справка's long lists left out)."""
    return {k: v for k, v in context.items() if k not in REPORT_ONLY}


def write_letters(
    results: Results,
    view: ReportView,
    context: dict[str, Any],
    out_dir: Path,
    templates_dir: Path | None,
    cards: CardWriter | None = None,
    steps: StepProgress | None = None,
) -> list[Path]:
    """letters/<file>.docx for every school (also those of the registry that sent no form),
    and letters.docx with all of them; with ``cards``, each school's HTML and Markdown card
    too, from the same card (made once for both). ``steps`` hears how many are under way.

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
    step = LETTERS_STEP if cards is None else f"{LETTERS_STEP} и карточки"
    with letter_writer(target, common, cards) as writer:
        for done, (letter, card) in enumerate(letters(results, view)):
            if steps is not None and done % 20 == 0:
                steps(step, done, count)
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


def requisites_warning(config: Config, previous: bool = False) -> str:
    """«Внимание: … не заполнены: номер приказа, …» for the console, or "" when nothing is missing."""
    missing = missing_requisites(config, previous)
    if not missing:
        return ""
    return (
        f"Внимание: в приказе, справке и письмах не заполнены: {', '.join(missing)}. Они выделены в документах "
        "жёлтым; впишите их в раздел documents файла показателей (docs/config.md) или в документы вручную."
    )
