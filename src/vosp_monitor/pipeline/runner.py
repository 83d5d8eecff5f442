"""``run``: the whole ``score`` as one library call — collect, score, rank, analyse, write."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import VospError
from ..writers.progress import StepProgress, say
from .collecting import collect, prestart_reader
from .writing import few_files, import_writers_meanwhile, write_score_outputs

if TYPE_CHECKING:
    from ..results import Results
    from ..writers.charts.worker import ChartDrawer
    from .pool import Prestarted


class NoSchoolRanked(VospError):
    """No school could be ranked: a справка, an order and letters about nobody are not written."""


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How ``score`` runs, beyond where it reads and writes (each one a ``score`` option).

    ``table``: the source is a consolidated table, not a folder of forms. ``registry``: the
    registry of expected schools (``--schools``). ``jobs``: worker processes (None: one per
    processor). ``templates``: a folder of the user's own templates. ``cards``: write the
    per-school cards (None: only up to ``report.cards.CARDS_AUTO_LIMIT`` schools, since
    40,000 cards take minutes and are rarely all needed). ``uncertainty``: the
    rank-robustness analysis on or off (None: as the config says, see
    :func:`analysis.build_results`). ``previous``: earlier years' results.json files (or
    folders of them) to compare with, ``school_map`` the table of codes that changed
    (``dynamics``); both are read before any form. ``pdf``: PDF copies of the Word
    documents (LibreOffice, checked before any form is read).
    """

    table: bool = False
    registry: Path | None = None
    jobs: int | None = None
    templates: Path | None = None
    cards: bool | None = None
    uncertainty: bool | None = None
    previous: tuple[Path, ...] = ()
    school_map: Path | None = None
    pdf: bool = False


def expected_schools(source: Path, options: RunOptions) -> int | None:
    """How many schools this run will have, known before a form is read: the forms found
    (and the registry's schools); None for a consolidated table, whose rows are not counted."""
    if options.table:
        return None
    from ..ingest import discover

    count = len(discover(source).sources)
    if options.registry is not None:
        from ..ingest.registry import read_registry

        count = max(count, len(read_registry(options.registry)))
    return count


def run(
    source: Path | str,
    config: Config | Path | str | None = None,
    out: Path | str | None = None,
    options: RunOptions = RunOptions(),
    *,
    progress: Callable[[int, int], None] | None = None,
    drawer: ChartDrawer | None = None,
    steps: StepProgress | None = None,
) -> Results:
    """Collect, check, score, rank and analyse; write the tables and reports into ``out``.

    ``config`` is a loaded :class:`Config`, a path to indicators.yaml, or None for the
    bundled default. Without ``out`` nothing is written and only the :class:`Results` are
    returned. ``progress(done, total)`` is called as forms are read, ``steps(name, done,
    total)`` as each later step starts (scoring, each part of the writing) and as the PDF copies
    are made. ``drawer``: chart workers the caller started (the CLI starts them before it loads
    the config, so that matplotlib is imported meanwhile); when writing without one, they are
    started here, before the forms are read. Raises :class:`config.ConfigError`,
    :class:`registry.RegistryError`, :class:`table.TableError` or
    :class:`outputs.OutputError` when the run cannot go on,
    :class:`errors.UsageError` when ``out`` overlaps the ``source`` folder (checked before
    reading), and :class:`NoSchoolRanked` when writing was asked for but no school could be
    ranked (nothing is written then).
    """
    reading = not options.table and Path(source).is_dir()
    with prestart_reader() if reading else contextlib.nullcontext() as reader:
        return _run(source, config, out, options, progress, drawer, steps, reader)


def _run(
    source: Path | str,
    config: Config | Path | str | None,
    out: Path | str | None,
    options: RunOptions,
    progress: Callable[[int, int], None] | None,
    drawer: ChartDrawer | None,
    steps: StepProgress | None,
    reader: Prestarted | None,
) -> Results:
    """:func:`run` once a reading worker is starting (``reader``, None for a table or one file)."""
    from ..analysis import build_results
    from ..config import load_config
    from ..report.cards import CARDS_AUTO_LIMIT, cards_written
    from ..results import gc_frozen

    if not isinstance(config, Config):
        config = load_config(config)
    target = Path(out) if out is not None else None
    if target is not None:
        from ..outputs.staging import check_output_folder

        check_output_folder(target, [Path(source)])  # before reading, not after
        if options.pdf:
            from ..writers.pdf import require_soffice

            require_soffice()  # before reading, not after
    from ..dynamics import Limits, current_label, load_baseline

    limits = Limits(expected_schools(Path(source), options) if options.previous else None, target)
    label = current_label(config.monitoring.period)
    baseline = load_baseline(options.previous, options.school_map, config.monitoring.id, label, limits)
    if target is not None:
        import_writers_meanwhile()
    own = drawer is None and target is not None
    if own and few_files(Path(source), CARDS_AUTO_LIMIT):
        from ..writers.charts.worker import ChartDrawer

        drawer = ChartDrawer()  # imports matplotlib while the forms are read
    try:
        collection = collect(
            Path(source),
            config,
            table=options.table,
            registry_path=options.registry,
            jobs=options.jobs,
            progress=progress,
            prestarted=reader,
        )
        with gc_frozen():  # the submissions: the collector's full passes skip them from here on
            say(steps, "Баллы, рейтинг и анализ")
            results = build_results(
                config,
                collection.submissions,
                skipped=collection.skipped,
                not_submitted=collection.not_submitted,
                problems=collection.problems,
                source=str(source),
                expected_count=len(collection.registry) if collection.registry is not None else None,
                uncertainty=options.uncertainty,
                placement=collection.placement,
                territory_forms=collection.territory_forms,
            )
            # The forms as read are in the results now: freed before the writers build the
            # report view (at 40 000 forms the view then grows into their memory: −70 MB at the peak).
            del collection
            if own and drawer is None and results.territories is None:
                from ..writers.charts.worker import ChartDrawer

                # A large run: the worker's memory (matplotlib, 100 MB) is not held while reading,
                # and one worker, beside the whole results, draws every chart while this process
                # writes ranking.xlsx, which takes longer. A region draws its charts itself.
                drawer = ChartDrawer(workers=1)
            if target is not None and not results.schools:
                raise NoSchoolRanked(nobody_ranked(results, Path(source)))
            if baseline is not None:
                results.dynamics = baseline.compare(results)
                baseline = None  # last year's schools are not needed for writing: free them first
            if target is not None:
                write_score_outputs(
                    results,
                    target,
                    [Path(source)],
                    templates_dir=options.templates,
                    cards=cards_written(options.cards, len(results.schools)),
                    pdf=options.pdf,
                    drawer=drawer,
                    steps=steps,
                )
    finally:
        if own and drawer is not None:
            drawer.close()
    return results


def nobody_ranked(results: Results, source: Path) -> str:
    """Why the ranking is empty, for the error: the forms read, the commonest reasons, what to do."""
    from collections import Counter

    from ..problems import CATALOGUE, Severity
    from ..words.russian import count, pick

    excluded = results.excluded
    if not excluded:
        return f"в рейтинг некого включить: в «{source}» не прочитано ни одной формы; документы не записаны"
    reasons: Counter[str] = Counter()
    for school in excluded:
        reasons.update({CATALOGUE[p.code].title for p in school.problems if p.severity == Severity.error})
    n = len(excluded)
    common = ", ".join(f"«{title}» — {count(k, 'форма')}" for title, k in reasons.most_common(3))
    return (
        f"ни одну школу нельзя включить в рейтинг: {pick(n, 'исключена', 'исключены')} все "
        f"{count(n, 'форма')} (чаще всего: {common}). Таблицы, справка, приказ и письма не записаны. "
        f"Что исправить в каждой форме, покажет: vosp-monitor validate {source}"
    )
