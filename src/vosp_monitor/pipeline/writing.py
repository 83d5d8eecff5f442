"""What ``score`` and ``report`` write, and how it overlaps the rest of the run.

``score`` writes ranking.xlsx, the CSVs, results.json, the справка (HTML, Markdown, Word),
the order, the cards and the letters into a staging folder switched in as one set
(outputs/staging.py). To keep a district's run short, the charts are drawn by chart
workers (``render.chart_worker``) while everything else is written, and the modules the
writers need are imported by a thread while the forms are still being read.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..writers.progress import StepProgress, say

if TYPE_CHECKING:
    from ..results import Results
    from ..writers.charts.worker import ChartDrawer

STEP_TABLES = "Запись таблиц: ranking.xlsx, scores.csv, indicators.csv, results.json"


def few_files(source: Path, limit: int) -> bool:
    """At most ``limit`` files in ``source`` (a file or a table is one); stops counting past it."""
    if not source.is_dir():
        return True
    count = 0
    for _folder, _subfolders, files in os.walk(source):
        count += len(files)
        if count > limit:
            return False
    return True


# What scoring and writing import (about half a second), imported by a thread of this process
# while it waits for the forms to be read, when the second core is often free.
_WRITERS = (
    "vosp_monitor.analysis",
    "vosp_monitor.report.view",
    "vosp_monitor.writers.tables",
    "vosp_monitor.writers.render",
    "markdown_it",
    "mdit_py_plugins.attrs",
    "docx",
    "docxtpl",
)


def import_writers_meanwhile() -> None:
    import importlib
    import threading

    def work() -> None:
        for name in _WRITERS:
            try:
                importlib.import_module(name)
            except Exception:  # imported again where needed, and failing there if it must
                return

    threading.Thread(target=work, name="vosp-imports", daemon=True).start()


def write_score_outputs(
    results: Results,
    out: Path,
    inputs: list[Path],
    *,
    templates_dir: Path | None,
    cards: bool,
    pdf: bool = False,
    drawer: ChartDrawer | None = None,
    steps: StepProgress | None = None,
) -> list[Path]:
    """``score``'s tables, report, cards and Word documents (letters with the cards), switched
    into ``out`` as one set (see outputs/staging.py); ``steps`` hears the PDF copies counted.

    The report view is built first and sent to the chart worker (``drawer``: one started
    early by :func:`run`, or one started here), so the charts are drawn while the tables
    and the rest are written. ``steps`` hears of each step as it starts.
    """
    from ..outputs import SCORE_OUTPUTS
    from ..outputs.staging import publish
    from ..report.addressees import DecisionSet
    from ..report.view import build_view
    from ..results import gc_frozen, gc_paused
    from ..writers.charts.worker import drawing
    from ..writers.render import render_all
    from ..writers.tables import write_tables

    def write(folder: Path) -> list[Path]:
        say(steps, "Подготовка справки")
        if results.territories is not None:  # a region: the regional documents and a set per municipality
            from ..writers.regional import render_regional

            # the sets first: the region's ranking.xlsx lists the schools of their decisions
            sets: list[DecisionSet] = []
            documents = render_regional(
                results, folder, templates_dir, cards=cards, pdf=pdf, steps=steps, decisions=sets
            )
            say(steps, STEP_TABLES)
            return write_tables(results, folder, sets) + documents
        with gc_paused(keep=True):
            view = build_view(results, cards=cards)
        with drawing(view, drawer) as active:  # the charts are drawn while the tables are written
            say(steps, STEP_TABLES)
            tables = write_tables(
                results,
                folder,
                [DecisionSet("", view.decisions)],
                workbook_after=active.wait_drawn if active else None,
            )
            return tables + render_all(
                results, folder, templates_dir, cards=cards, pdf=pdf, view=view, drawer=active, steps=steps
            )

    with gc_frozen():  # the results: the collector's full passes skip them while writing
        return publish(out, SCORE_OUTPUTS, write, inputs=inputs)


def write_report(
    results: Results,
    out: Path,
    *,
    templates_dir: Path | None = None,
    cards: bool = True,
    pdf: bool = False,
    territory: str | None = None,
    steps: StepProgress | None = None,
) -> list[Path]:
    """``report``: the справка, the cards and the Word documents again from saved results,
    switched into ``out`` as one set (``steps`` hears that it started and the PDF copies counted).

    Only report.md, report.html, the cards and the documents belong to it: the tables and
    results.json that ``score`` wrote into the same folder stay. A regional run's results
    make the regional documents and every municipality's set (``writers.regional``); with
    ``territory``, only that municipality's set is written, and nothing else in ``out`` is
    touched. With ``pdf``, LibreOffice is checked before anything is written.
    """
    from ..outputs import REPORT_OUTPUTS
    from ..outputs.staging import publish
    from ..writers.render import render_all

    if pdf:
        from ..writers.pdf import require_soffice

        require_soffice()
    if results.territories is None:
        if territory is not None:
            from ..errors import UsageError

            raise UsageError(
                "--territory: в results.json нет территорий (это запуск по району, а не по региону)"
            )
        return publish(
            out,
            REPORT_OUTPUTS,
            lambda folder: render_all(results, folder, templates_dir, cards=cards, pdf=pdf, steps=steps),
        )
    from ..writers.regional import owned_outputs, render_regional

    return publish(
        out,
        owned_outputs(results, territory),
        lambda folder: render_regional(
            results, folder, templates_dir, cards=cards, pdf=pdf, only=territory, steps=steps
        ),
    )
