"""A regional run's documents: the regional справка, order and letters, and each municipality's set.

A run whose schools have territories (``Results.territories``) writes, instead of a district's
documents:

* ``report.md`` / ``report.html`` / ``report.docx`` — the regional справка
  (``templates/regional.md.j2``: the same document model and the same three writers as a
  district's справка), with the chart of municipalities;
* ``order.docx`` — the draft regional order, by the district order's Word template
  (``report.regional_documents``: its heading, preamble and items);
* ``authorities/<municipality>.docx`` — a letter to each municipal authority
  (``templates/authority_letter.docx``, made by ``tools/wordgen``);
* ``territories/<municipality>/`` — each municipality's own district set, written by
  :func:`~.render.render_all` exactly as a district run writes its documents.

With ``only`` (``report --territory NAME``) only that municipality's set is written. The sets
are written one after another, each from its own small results, so memory stays bounded by
one municipality at a time whatever the size of the region.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from ..lifetime import main_script_left_alone
from ..outputs import REPORT_OUTPUTS, OutputSet, ensure_dir, territory_outputs, write_file
from ..report.addressees import DecisionSet
from ..report.documents import Grif
from ..report.regional import label, regional_view
from ..report.regional_documents import authority_letters, regional_decisions, regional_order
from ..report.territory_set import find_unit, municipal_set, territory_folders
from ..report.view import ReportView, build_view
from ..results import Results, TerritoryStats, gc_paused
from ..words.russian import inflect
from .charts.chart_set import Drawn
from .charts.worker import ChartDrawer
from .docx.documents import write_spravka_docx
from .docx.engine import find_template, render_docx
from .html_md.report import write_report_html, write_report_md
from .markup.source import Templates, document_context
from .progress import StepProgress, say
from .render import render_all

TERRITORIES_FOLDER = "territories"
AUTHORITIES_FOLDER = "authorities"
STEP_REGION = "Региональная справка, приказ и письма органам управления образованием"
STEP_SETS = "Документы муниципалитетов"


def render_regional(
    results: Results,
    out_dir: Path,
    templates_dir: Path | None = None,
    *,
    cards: bool = True,
    pdf: bool = False,
    only: str | None = None,
    steps: StepProgress | None = None,
    decisions: list[DecisionSet] | None = None,
) -> list[Path]:
    """The regional documents and every municipality's set (with ``only``: that set alone).

    ``decisions`` (``score`` passes a list, then writes the region's ranking.xlsx) receives
    each set's management decisions in the order of the municipalities: the region's
    workbook lists their schools («Адресаты решений»), to which the sets' orders point."""
    territories = results.territories
    assert territories is not None  # the caller renders a district run with render_all
    folders = territory_folders(territories)
    units = territories.units
    if only is not None:
        units = [_unit(results, only)]
    out_dir = ensure_dir(Path(out_dir))
    written: list[Path] = []
    documents: list[Path] = []
    if only is None:
        say(steps, STEP_REGION)
        region, region_docs = _regional_documents(results, out_dir, templates_dir, folders)
        written += region
        documents += region_docs
    jobs = [(unit, out_dir / TERRITORIES_FOLDER / folders[label(unit)]) for unit in units]
    helper = _helper(results, len(jobs))
    made: dict[str, DecisionSet] = {}
    try:
        with main_script_left_alone():  # the helper process is started by its first job
            theirs = helper.submit(_sets, jobs[1::2], templates_dir, cards) if helper is not None else None
        mine = jobs[0::2] if helper is not None else jobs
        for done, (unit, folder) in enumerate(mine):
            if steps is not None:
                steps(STEP_SETS, done * len(jobs) // len(mine), len(jobs))
            paths, decided = _municipal(results, unit, folder, templates_dir, cards)
            written += paths
            made[decided.territory] = decided
        if theirs is not None:
            for paths, decided in theirs.result():
                written += paths
                made[decided.territory] = decided
    finally:
        if helper is not None:
            helper.shutdown()
    if decisions is not None:
        decisions += [made[label(unit)] for unit, _folder in jobs]
    if pdf:
        from .pdf import convert_to_pdf

        # Every Word document, as --pdf promises (README «PDF»): the schools' letters too, which
        # take LibreOffice as long as a district's of the same size (2 000: about 13 minutes).
        written += convert_to_pdf([p for p in written if p.suffix == ".docx"], steps=steps)
    return written


def _unit(results: Results, name: str) -> TerritoryStats:
    """The municipality ``--territory`` names, or a usage error listing what there is."""
    from ..errors import UsageError

    territories = results.territories
    assert territories is not None
    unit = find_unit(territories, name)
    if unit is None:
        names = ", ".join(f"«{label(u)}»" for u in territories.units[:10])
        more = f" и ещё {len(territories.units) - 10}" if len(territories.units) > 10 else ""
        raise UsageError(f"--territory: в results.json нет территории «{name}»; есть: {names}{more}")
    return unit


def owned_outputs(results: Results, only: str | None) -> OutputSet:
    """What a regional ``report`` owns in the output folder: everything, or one municipality's set."""
    if only is None:
        return REPORT_OUTPUTS
    territories = results.territories
    assert territories is not None
    return territory_outputs(territory_folders(territories)[label(_unit(results, only))])


# Schools of a region up to which the municipal sets have their charts. Drawing them costs about 3 s
# per municipality (a named bar per school in each target's chart), 2 minutes for 40: above
# this the sets are written without charts (their tables hold the same figures).
SET_CHARTS_LIMIT = 300


class _HereDrawer(ChartDrawer):
    """Draws a municipality's charts in this process (``charts``), or none: a set is small, and
    starting chart workers for each of 40 municipalities would cost more than the drawing."""

    def __init__(self, charts: bool) -> None:
        self._charts = charts
        self._drawn: Drawn | None = None

    def draw(self, view: ReportView) -> None:
        from .charts.chart_set import district_charts

        if self._charts:
            self._drawn = district_charts(view, png=True)

    def result(self) -> Drawn:
        return self._drawn or Drawn()

    def close(self) -> None:
        """Nothing to stop."""


# Municipalities from which a second process writes every other set (a set takes 0.3–0.7 s).
PARALLEL_FROM = 8
_shared: Results | None = None  # the run's results in the helper process


def _helper(results: Results, sets: int) -> Any:
    """A process that writes every other municipal set (None for a few sets or on one core)."""
    if sets < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return None
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(1, mp_context=context, initializer=_receive, initargs=(results,))


def _receive(results: Results) -> None:
    global _shared
    _shared = results


def _sets(
    jobs: list[tuple[TerritoryStats, Path]], templates_dir: Path | None, cards: bool
) -> list[tuple[list[Path], DecisionSet]]:
    """In the helper process: the municipal sets of ``jobs`` (units matched by name: pickling copied them)."""
    results = _shared
    assert results is not None and results.territories is not None
    units = {label(u): u for u in results.territories.units}
    return [_municipal(results, units[label(unit)], folder, templates_dir, cards) for unit, folder in jobs]


def _municipal(
    results: Results, unit: TerritoryStats, folder: Path, templates_dir: Path | None, cards: bool
) -> tuple[list[Path], DecisionSet]:
    """One municipality's district set, as a district run writes it (its charts drawn here), and
    its order's decisions."""
    with gc_paused():
        own, view = municipal_set(results, unit, cards=cards)
    charts = len(results.schools) <= SET_CHARTS_LIMIT
    paths = render_all(own, folder, templates_dir, cards=cards, view=view, drawer=_HereDrawer(charts))
    return paths, DecisionSet(label(unit), view.decisions)


def _regional_documents(
    results: Results, out_dir: Path, templates_dir: Path | None, folders: dict[str, str]
) -> tuple[list[Path], list[Path]]:
    """report.md/.html/.docx, order.docx and the letters to municipal authorities."""
    from .charts.territories import municipalities

    with gc_paused():
        view = build_view(results, cards=False)
        regional = regional_view(results, folders)
        assert regional is not None
        decisions = regional_decisions(results, regional)
        context = document_context(view, results)
        docs = context["documents"]
        name = results.config.documents.territory_name
        territory_of = inflect(name, "gent") if name else "региона"
        ranking = docs.appendices.ranking
        appendices = dataclasses.replace(
            docs.appendices, recommendations=Grif(3, True, ranking.to, ranking.dated)
        )
        order = regional_order(results, regional, decisions, territory_of)
        context["documents"] = dataclasses.replace(
            docs, territory_of=territory_of, order=order, appendices=appendices
        )
        letters = authority_letters(results, regional)
        docs_config = results.config.documents
        context.update(
            regional=regional,
            regional_decisions=decisions,
            authority_letters=letters,
            regional_report_back=(docs_config.regional.report_back or docs_config.report_back).rstrip("."),
        )
        templates = Templates(templates_dir)
        document = templates.document("regional.md.j2", context)
    png: dict[str, bytes] = {}
    whole = regional.whole
    svg = {
        "territories": municipalities(
            regional.rows, whole.value if whole.value is not None else whole.total.mean, png
        )
    }
    report_md = write_report_md(document, out_dir)
    report_html = write_report_html(document, svg, out_dir, templates)
    report_docx = write_spravka_docx(document, png, out_dir, templates_dir)
    order_template = find_template("order.docx", templates_dir)
    order_docx = write_file(
        out_dir / "order.docx", lambda path: render_docx(order_template, context, path, {})
    )
    letter_template = find_template("authority_letter.docx", templates_dir)
    folder = ensure_dir(out_dir / AUTHORITIES_FOLDER)
    common: dict[str, Any] = {k: v for k, v in context.items() if k not in _LONG}
    letter_paths = [
        write_file(
            folder / f"{letter.file}.docx",
            lambda path, letter=letter: render_docx(letter_template, {**common, "letter": letter}, path, {}),  # type: ignore[misc]
        )
        for letter in letters
    ]
    documents = [report_docx, order_docx, *letter_paths]
    return [report_md, report_html, *documents], documents


# The long lists of the справка that no letter needs.
_LONG = ("ranking", "recommendations", "recommendations_body", "authority_letters")


def regional_warning(results: Results) -> str:
    """What the regional documents lack (placeholders), for the console; "" when nothing or no region."""
    from ..report.regional_documents import missing_authorities

    missing = missing_authorities(results.config, results)
    if not missing:
        return ""
    return (
        f"Внимание: в региональном приказе и письмах муниципалитетам не заполнены: {'; '.join(missing)}. "
        "Они выделены в документах жёлтым; впишите их в раздел documents.regional файла показателей (docs/config.md)."
    )
