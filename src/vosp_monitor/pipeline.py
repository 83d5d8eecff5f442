"""The library entry points: collect and check submissions (and, later, score them).

:func:`collect` is the first stage of both ``validate`` and ``score``: it finds the files
(or reads a consolidated table), reads and checks each file in an isolated worker process,
and adds the checks across files. Only the compact :class:`Submission` travels back from a
worker, so the parent's memory does not depend on what a file contains, and a file that
crashes, hangs or eats memory becomes that file's problem while the batch goes on. A
Python exception in our own code while checking a file is reported as what it is, an
internal error of the program (``internal-error``), never as a fault of the school's file.
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import Config
from .problems import Consequence, Problem, Severity, make_problem
from .submission import Submission
from .validate import Checker, check_batch
from .writing import few_files, import_writers_meanwhile, write_report, write_score_outputs

__all__ = ["Collection", "collect", "run", "write_report", "write_score_outputs"]

if TYPE_CHECKING:
    from .ingest import FormReader
    from .pool import Failed
    from .registry import RegistryEntry
    from .render.chart_worker import ChartDrawer
    from .results import Results

READ_TIMEOUT = 10.0  # seconds one file may take
READ_MEMORY_MB = 400  # per worker, above its size after start-up
FREEZE_EVERY = 2_000  # submissions received between two freezes of the collector's view
TABLE_TIMEOUT = 300.0  # a regional table of thousands of rows is one file
TABLE_MEMORY_MB = 400


@dataclass(slots=True)
class Collection:
    """Everything read and checked in one run, before scoring."""

    source: str
    submissions: list[Submission] = field(default_factory=list)  # unreadable files included
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (relative path, reason)
    registry: list[RegistryEntry] | None = None
    not_submitted: list[RegistryEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # every problem, flattened
    table: bool = False

    @property
    def scorable(self) -> list[Submission]:
        """Submissions that scoring may use."""
        return [s for s in self.submissions if s.readable and not s.excluded]

    def summary(self) -> dict[str, int]:
        """Counts for the console and for ``--format json``."""
        subs = self.submissions
        return {
            "files": len(subs),
            "read": sum(s.readable for s in subs),
            "valid": sum(s.readable and not s.has_errors for s in subs),
            "with_warnings": sum(s.readable and not s.has_errors and s.has_warnings for s in subs),
            "with_errors": sum(s.has_errors for s in subs),
            "unreadable": sum(not s.readable for s in subs),
            "excluded": sum(s.excluded or not s.readable for s in subs),
            "skipped": len(self.skipped),
            "not_submitted": len(self.not_submitted),
            "errors": sum(p.severity == Severity.error for p in self.problems),
            "warnings": sum(p.severity == Severity.warning for p in self.problems),
        }

    @property
    def has_errors(self) -> bool:
        return any(p.severity == Severity.error for p in self.problems)


def collect(
    source: Path,
    config: Config,
    *,
    table: bool = False,
    registry_path: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Collection:
    """Read and check a folder of forms (or, with ``table=True``, a consolidated table).

    ``progress(done, total)`` is called in this process as files finish. Raises
    :class:`registry.RegistryError` or :class:`table.TableError` when the registry or the
    table cannot be read at all (the caller reports them as usage errors).
    """
    source = Path(source)
    registry = None
    if registry_path is not None:
        from .registry import read_registry

        registry = read_registry(registry_path)
    collection = Collection(source=str(source), registry=registry, table=table)
    checker = Checker(config)  # built once, sent to every worker
    extra: list[Problem] = []
    if table:
        extra, collection.submissions = _collect_table(source, checker)
        if progress:
            progress(len(collection.submissions), len(collection.submissions))
    else:
        collection.submissions, collection.skipped = _collect_folder(source, checker, jobs, progress)
    from .results import gc_paused

    with gc_paused():  # thousands of problems beside the submissions, none in a cycle
        batch, collection.not_submitted = check_batch(collection.submissions, config, registry)
        unattached = attach_problems(collection.submissions, batch)
        collection.problems = extra + [p for s in collection.submissions for p in s.problems] + unattached
    return collection


def attach_problems(submissions: list[Submission], problems: list[Problem]) -> list[Problem]:
    """Add each problem to the submission of its file; returns those of no submission.

    The file is the key: a relative path in the input folder, or «table.csv, строка 5» for
    a row of a consolidated table, unique within a run.
    """
    by_file = {sub.file: sub for sub in submissions}
    rest = []
    for problem in problems:
        sub = by_file.get(problem.file) if problem.file else None
        if sub is None:
            rest.append(problem)
        else:
            sub.problems.append(problem)
    return rest


def _collect_folder(
    root: Path, checker: Checker, jobs: int | None, progress: Callable[[int, int], None] | None
) -> tuple[list[Submission], list[tuple[str, str]]]:
    from .ingest import FormReader, discover
    from .pool import Done, map_isolated
    from .results import gc_frozen

    paths, skipped = discover(root)
    context = (FormReader(checker.config), checker)  # built once, sent to every worker
    items = [(str(path), _display_name(path, root)) for path in paths]
    total = len(items)
    arrived = itertools.count(1)

    def keep(submission: Submission) -> Submission:
        if next(arrived) % FREEZE_EVERY == 0:
            gc.freeze()  # the collector's full passes skip what has arrived (see gc_frozen)
        return _share_strings(submission)

    with gc_frozen():
        outcomes = map_isolated(
            _check_file,
            items,
            context=context,
            jobs=jobs,
            timeout=READ_TIMEOUT,
            memory_mb=READ_MEMORY_MB,
            on_progress=(lambda done: progress(done, total)) if progress else None,
            on_result=keep,
        )
    submissions = [
        outcome.value if isinstance(outcome, Done) else _failed_submission(name, outcome)
        for (_, name), outcome in zip(items, outcomes, strict=True)
    ]
    return submissions, list(skipped)


def _share_strings(submission: Submission) -> Submission:
    """Make every submission point at one copy of its codes, sheet names and cell addresses.

    Each result is unpickled on its own, so «Показатели», «E14» and «KR-1» would otherwise
    be 40,000 separate strings each: about a third of the parent's memory in a large run.
    """
    from sys import intern

    for entry in submission.indicators.values():
        entry.code, entry.sheet, entry.cell = intern(entry.code), intern(entry.sheet), intern(entry.cell)
    submission.indicators = {intern(code): entry for code, entry in submission.indicators.items()}
    submission.fields = {intern(key): value for key, value in submission.fields.items()}
    submission.field_cells = {intern(key): intern(cell) for key, cell in submission.field_cells.items()}
    return submission


def _collect_table(path: Path, checker: Checker) -> tuple[list[Problem], list[Submission]]:
    """Read and check a consolidated table in one isolated worker (a crafted file cannot abort us)."""
    from .pool import Failed, map_isolated
    from .table import TableError

    (outcome,) = map_isolated(
        _check_table,
        [str(path)],
        context=checker,
        jobs=1,
        timeout=TABLE_TIMEOUT,
        memory_mb=TABLE_MEMORY_MB,
    )
    if isinstance(outcome, Failed) and outcome.kind == "error":
        # our own bug, not the table's: reported as an internal error (exit code 3)
        raise RuntimeError(f"при проверке таблицы {path.name}: {outcome.detail}")
    if isinstance(outcome, Failed):
        raise TableError(f"{path.name}: таблица не прочитана ({outcome.detail or outcome.kind})")
    value: tuple[list[Problem], list[Submission]] | str = outcome.value
    if isinstance(value, str):
        raise TableError(value)
    return value


def _check_table(checker: Checker, path: str) -> tuple[list[Problem], list[Submission]] | str:
    """Worker: the table's column problems and one checked submission per row (or an error text)."""
    from .table import TableError, read_table

    try:
        table = read_table(Path(path), checker.config)
    except TableError as exc:
        return str(exc)
    return table.problems, [checker.check(raw) for raw in table.forms]


def _display_name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


def _check_file(context: tuple[FormReader, Checker], item: tuple[str, str]) -> Submission:
    """Worker: read one workbook and check it; runs in a spawned process."""
    reader, checker = context
    path, name = item
    raw = reader.read(Path(path), name)
    if isinstance(raw, Problem):
        return unreadable(name, raw)
    return checker.check(raw)


def unreadable(name: str, problem: Problem) -> Submission:
    """A file that could not be read as a form: one problem, not scored."""
    if problem.consequence == Consequence.none and problem.severity == Severity.error:
        problem = replace(problem, consequence=Consequence.file_excluded, file=problem.file or name)
    return Submission(file=name, problems=[problem], readable=False)


def _failed_submission(name: str, outcome: Failed) -> Submission:
    """The one problem of a file whose worker failed: our bug (``internal-error``) or the file's."""
    detail = outcome.detail or outcome.kind
    params: dict[str, Any]
    if outcome.kind == "error":  # a Python exception in our code: never the school's fault
        code, params = "internal-error", {"detail": detail}
    elif outcome.kind == "timeout":
        code, params = "file-timeout", {"seconds": f"{READ_TIMEOUT:g}"}
    elif outcome.kind == "memory":
        code, params = "file-memory", {"limit_mb": READ_MEMORY_MB}
    else:  # the reader's native code died (segfault, abort)
        code, params = "file-crashed", {"detail": detail}
    return unreadable(name, make_problem(code, file=name, consequence=Consequence.file_excluded, **params))


def run(
    source: Path | str,
    config: Config | Path | str | None = None,
    out: Path | str | None = None,
    *,
    table: bool = False,
    registry_path: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    write: bool = True,
    templates_dir: Path | None = None,
    cards: bool | None = None,
    uncertainty: bool | None = None,
    previous: Sequence[Path] = (),
    school_map: Path | None = None,
    pdf: bool = False,
    drawer: ChartDrawer | None = None,
) -> Results:
    """Collect, check, score, rank and analyse; write the tables and reports into ``out``.

    ``config`` is a loaded :class:`Config`, a path to indicators.yaml, or None for the
    bundled default. With ``write=False`` (or no ``out``) nothing is written and only the
    :class:`Results` are returned. ``templates_dir`` is a folder of the user's own report
    templates; ``cards`` writes the per-school cards (None: only up to
    :data:`render.cards.CARDS_AUTO_LIMIT` schools, since 40,000 cards take minutes and are rarely all needed).
    ``uncertainty`` turns the rank-robustness analysis on or off (None: as the config says,
    see :func:`analysis.build_results`). ``previous``: earlier years' results.json files (or
    folders of them) to compare with, ``school_map`` the table of codes that changed
    (``dynamics``); both are read before any form. ``pdf``: PDF copies of the Word documents
    (LibreOffice, checked before any form is read). ``drawer``: chart workers the caller
    started (the CLI starts them before it loads the config); when writing without one,
    they are started here, before the forms are read. Raises :class:`config.ConfigError`,
    :class:`registry.RegistryError`, :class:`table.TableError` or
    :class:`outputs.OutputError` when the run cannot go on, and
    :class:`errors.UsageError` when ``out`` overlaps the ``source`` folder (checked before reading).
    """
    from .analysis import build_results
    from .config import load_config
    from .render.cards import CARDS_AUTO_LIMIT, cards_written
    from .results import gc_frozen

    if not isinstance(config, Config):
        config = load_config(config)
    target = Path(out) if write and out is not None else None
    if target is not None:
        from .outputs.staging import check_output_folder

        check_output_folder(target, [Path(source)])  # before reading, not after
        if pdf:
            from .render.pdf import require_soffice

            require_soffice()  # before reading, not after
    from .dynamics import current_label, load_baseline

    baseline = load_baseline(
        previous, school_map, config.monitoring.id, current_label(config.monitoring.period)
    )
    if target is not None:
        import_writers_meanwhile()
    own = drawer is None and target is not None
    if own and few_files(Path(source), CARDS_AUTO_LIMIT):
        from .render.chart_worker import ChartDrawer

        drawer = ChartDrawer()  # imports matplotlib while the forms are read
    try:
        collection = collect(
            Path(source), config, table=table, registry_path=registry_path, jobs=jobs, progress=progress
        )
        with gc_frozen():  # the submissions: the collector's full passes skip them from here on
            if own and drawer is None:  # a region: the workers' memory is not held while reading
                from .render.chart_worker import ChartDrawer

                drawer = ChartDrawer()
            results = build_results(
                config,
                collection.submissions,
                skipped=collection.skipped,
                not_submitted=collection.not_submitted,
                problems=collection.problems,
                source=str(source),
                expected_count=len(collection.registry) if collection.registry is not None else None,
                uncertainty=uncertainty,
            )
            if baseline is not None:
                results.dynamics = baseline.compare(results)
                baseline = None  # last year's schools are not needed for writing: free them first
            if target is not None:
                cards = cards_written(cards, len(results.schools))
                write_score_outputs(
                    results,
                    target,
                    [Path(source)],
                    templates_dir=templates_dir,
                    cards=cards,
                    pdf=pdf,
                    drawer=drawer,
                )
    finally:
        if own and drawer is not None:
            drawer.close()
    return results
