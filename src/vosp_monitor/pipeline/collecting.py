"""Reading and checking every submission of a run: the first stage of ``validate`` and ``score``.

:func:`collect` finds the files (or reads a consolidated table), reads and checks each file
in an isolated worker process, and adds the checks across files. Only the compact
:class:`Submission` travels back from a worker, so the parent's memory does not depend on
what a file contains, and a file that crashes, hangs or eats memory becomes that file's
problem while the batch goes on. A Python exception in our own code while checking a file
is reported as what it is, an internal error of the program (``internal-error``), never as
a fault of the school's file. An input with no form in it at all is not a run for nobody
but an error that says what was found there and why none of it is a form (:class:`NoFormsError`).
"""

from __future__ import annotations

import gc
import itertools
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import Config, territory_config, territory_form_id
from ..errors import VospError
from ..problems import Consequence, Problem, Severity, make_problem
from ..validate import Checker, check_batch
from ..validate.collection import Collection
from ..validate.submission import Submission
from ..validate.territories import check_territory_forms, place_schools

if TYPE_CHECKING:
    from ..ingest import FormReader, RawForm
    from ..ingest.archive import ArchiveMember
    from .pool import Failed, Prestarted

READ_TIMEOUT = 10.0  # seconds one file may take
READ_MEMORY_MB = 400  # per worker, above its size after start-up
FREEZE_EVERY = 2_000  # submissions received between two freezes of the collector's view
TABLE_TIMEOUT = 300.0  # a regional table of thousands of rows is one file
TABLE_MEMORY_MB = 400
LISTED = 10  # files named in the message of an input without forms; the rest are counted


class NoFormsError(VospError):
    """The input holds no form at all; the message says what it holds instead."""


def collect(
    source: Path,
    config: Config,
    *,
    table: bool = False,
    registry_path: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    prestarted: Prestarted | None = None,
) -> Collection:
    """Read and check a folder of forms (or, with ``table=True``, a consolidated table).

    ``progress(done, total)`` is called in this process as files finish; ``prestarted``: a
    reader of :func:`prestart_reader`, started while the caller loaded the config. Raises
    :class:`registry.RegistryError` or :class:`table.TableError` when the registry or the
    table cannot be read at all (the caller reports them as usage errors).
    """
    source = Path(source)
    registry = None
    if registry_path is not None:
        from ..ingest.registry import read_registry

        registry = read_registry(registry_path)
    collection = Collection(source=str(source), registry=registry, table=table, single=source.is_file())
    checker = Checker(config)  # built once, sent to every worker
    territory = territory_config(config)
    extra: list[Problem] = []
    if table:
        extra, collection.submissions = _collect_table(source, checker)
        if progress:
            progress(len(collection.submissions), len(collection.submissions))
    else:
        own = None if territory is None else Checker(territory)
        submissions, collection.skipped, extra = _collect_folder(
            source, checker, jobs, progress, own, prestarted
        )
        collection.submissions = [s for s in submissions if not s.territory_form]
        collection.territory_forms = [s for s in submissions if s.territory_form]
    if not any(submission.readable for submission in collection.submissions):
        raise NoFormsError(_no_forms(collection, extra))
    from ..results import gc_paused

    with gc_paused():  # thousands of problems beside the submissions, none in a cycle
        batch, collection.not_submitted = check_batch(collection.submissions, config, registry)
        collection.placement, placed = place_schools(collection.submissions, registry, config)
        unattached = attach_problems(collection.submissions, batch + placed)
        if territory is not None:
            forms = collection.territory_forms
            unattached += attach_problems(
                forms, check_territory_forms(forms, collection.placement, territory)
            )
        collection.problems = extra + [p for s in collection.submissions for p in s.problems] + unattached
        collection.problems += [p for s in collection.territory_forms for p in s.problems]
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


def _no_forms(collection: Collection, problems: list[Problem]) -> str:
    """What an input without a single form holds, and why none of it is a form."""
    source = collection.source
    if collection.table:
        return f"в сводной таблице {source} нет ни одной строки со сведениями об ОО под строкой заголовков"
    found = [(p.file, p.message) for p in problems]
    found += list(collection.skipped)
    found += [
        (s.file, s.problems[0].message if s.problems else "не прочитан") for s in collection.submissions
    ]
    advice = "Положите в папку заполненные формы школ (.xlsx, .xls, .ods или zip-архив с ними) или укажите другую папку"
    if collection.single and len(found) == 1:
        return f"файл {source} — не форма мониторинга: {_lower(found[0][1])}"
    if not found:
        return f"в папке {source} нет ни одного файла. {advice}"
    listed = "; ".join(f"{name} — {_lower(reason)}" for name, reason in sorted(found)[:LISTED])
    if len(found) > LISTED:
        listed += f"; и ещё {len(found) - LISTED}"
    return f"в {source} нет ни одной формы мониторинга. Найдено: {listed}. {advice}"


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _collect_folder(
    root: Path,
    checker: Checker,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
    territory: Checker | None = None,
    prestarted: Prestarted | None = None,
) -> tuple[list[Submission], list[tuple[str, str]], list[Problem]]:
    from ..ingest import FormReader, discover
    from ..results import gc_frozen
    from .pool import Done, map_isolated

    found = discover(root)
    own = None if territory is None else (FormReader(territory.config), territory)
    context = (
        FormReader(checker.config),
        checker,
        territory_form_id(checker.config),
        own,
    )  # built once, sent to every worker
    items = [(str(source.path), source.name, source.member) for source in found.sources]
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
            prestarted=prestarted,
        )
    submissions = [
        outcome.value if isinstance(outcome, Done) else _failed_submission(name, outcome)
        for (_, name, _), outcome in zip(items, outcomes, strict=True)
    ]
    return submissions, found.skipped, found.problems


def prestart_reader() -> Prestarted:
    """One reading worker started now, its context sent when the forms are read: a district's
    whole run waits for a reader's start-up (about 0.3 s of imports) only while it loads the
    config. Close it with ``with``: what :func:`collect` did not use is stopped."""
    from .pool import prestart

    return prestart(_check_file, memory_mb=READ_MEMORY_MB)


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
    from ..ingest.table import TableError
    from .pool import Failed, map_isolated

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
    from ..ingest.table import TableError, read_table

    try:
        table = read_table(Path(path), checker.config)
    except TableError as exc:
        return str(exc)
    return table.problems, [checker.check(raw) for raw in table.forms]


def _check_file(
    context: tuple[FormReader, Checker, str, tuple[FormReader, Checker] | None],
    item: tuple[str, str, ArchiveMember | None],
) -> Submission:
    """Worker: read one workbook (or a member of a zip archive) and check it; runs in a spawned process.

    With territory-level indicators, a workbook stamped as the territory form (or one the
    school reader refused) is read again as the territory form (``config.territories``).
    Without them a territory form is set aside with a warning, not excluded as a school.
    """
    reader, checker, territory_id, territory = context
    path, name, member = item
    raw = reader.read(Path(path), name, member)
    if territory is None and not isinstance(raw, Problem) and raw.form_id == territory_id:
        unused = make_problem("territory-form-unused", file=name, value=territory_id)
        return Submission(file=name, problems=[unused], territory_form=True)
    if territory is not None and _maybe_territory_form(raw, territory_id):
        own = territory[0].read(Path(path), name, member)
        if not isinstance(own, Problem) and (own.form_id or own.indicators):
            submission = territory[1].check(own)
            submission.territory_form = True
            return submission
    if isinstance(raw, Problem):
        return unreadable(name, raw)
    return checker.check(raw)


def _maybe_territory_form(raw: RawForm | Problem, territory_id: str) -> bool:
    """Stamped as the territory form, or not a school form (a territory form retyped by hand
    has no stamp; a broken file is refused by the territory reader too, for the same reason)."""
    return isinstance(raw, Problem) or raw.form_id == territory_id


def unreadable(name: str, problem: Problem) -> Submission:
    """A file that could not be read as a form: one problem, not scored."""
    if problem.consequence == Consequence.none and problem.severity == Severity.error:
        problem = replace(problem, consequence=Consequence.file_excluded, file=problem.file or name)
    return Submission(file=name, problems=[problem], readable=False)


def _failed_submission(name: str, outcome: Failed) -> Submission:
    """The one problem of a file whose worker failed: our bug (``internal-error``) or the file's."""
    detail = outcome.detail or outcome.kind
    excluded = Consequence.file_excluded
    if outcome.kind == "error":  # a Python exception in our code: never the school's fault
        problem = make_problem("internal-error", file=name, consequence=excluded, detail=detail)
    elif outcome.kind == "timeout":
        problem = make_problem("file-timeout", file=name, consequence=excluded, seconds=f"{READ_TIMEOUT:g}")
    elif outcome.kind == "memory":
        problem = make_problem("file-memory", file=name, consequence=excluded, limit_mb=READ_MEMORY_MB)
    else:  # the reader's native code died (segfault, abort)
        problem = make_problem("file-crashed", file=name, consequence=excluded, detail=detail)
    return unreadable(name, problem)
