"""What ``vosp-monitor validate`` shows and writes: a console summary, JSON for scripts,
``validation.xlsx`` (one row per problem) and the «what to fix» letters: ``feedback/<код ОО>.md``
and, to be signed and sent, ``feedback/<код ОО>.docx`` (the letter template's «what to fix» part,
with the cells in plain words and where and by when to send the corrected form).

The letters are meant to be forwarded to a school as they are (``report.feedback`` says what
they hold, ``templates/feedback.md.j2`` in what words).

Every text here may come from a submission (a school name, a comment, a file name, a value
typed in a cell) and may hold anything a cell can: control characters, ANSI escapes, bidi
overrides, line breaks, emoji. The console gets it through :func:`text.terminal_text`,
validation.xlsx through :func:`text.xml_text`, the letters through the document writers.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..outputs import FORMULA_PREFIXES, VALIDATE_OUTPUTS, unique_filenames, write_file, write_text
from ..problems import SEVERITY_RU, Problem, Severity
from ..validate.submission import Normalisation
from ..words.text import terminal_text, xml_text

if TYPE_CHECKING:
    from ..config import Config
    from ..validate.collection import Collection

CONSOLE_PROBLEM_LIMIT = 200
COLUMNS = (
    ("Файл", 28),
    ("Код ОО", 10),
    ("Наименование ОО", 30),
    ("Лист", 16),
    ("Ячейка", 8),
    ("Показатель", 11),
    ("Уровень", 14),
    ("Код проблемы", 24),
    ("Сообщение", 70),
    ("Найдено", 18),
    ("Последствие", 30),
)


# --------------------------------------------------------------------------- console


def summary_text(collection: Collection) -> str:
    """The console summary and the problems grouped by file, one short line each."""
    counts = collection.summary()
    source = "сводная таблица" if collection.table else "форма" if collection.single else "папка"
    lines = [
        f"Проверка: {source} {terminal_text(collection.source)}",
        f"  форм (строк) всего:        {counts['files']}",
        f"  прочитано:                 {counts['read']}",
        f"  без ошибок:                {counts['valid']} (из них с предупреждениями: {counts['with_warnings']})",
        f"  с ошибками:                {counts['with_errors']}",
        f"  не прочитано:              {counts['unreadable']}",
        f"  пропущено файлов:          {counts['skipped']}",
    ]
    if collection.registry is not None:
        lines.append(f"  не представили форму:      {counts['not_submitted']}")
    if collection.territory_forms:  # a regional run: the territories' own forms, besides the schools'
        lines.append(f"  форм территорий:           {len(collection.territory_forms)}")
    lines.append(f"  ошибок: {counts['errors']}, предупреждений: {counts['warnings']}")
    if collection.skipped:
        lines += ["", "Пропущенные файлы:"]
        lines += [f"  {terminal_text(path)}: {terminal_text(reason)}" for path, reason in collection.skipped]
    by_file = _problems_by_file(collection.problems)
    if by_file:
        lines += ["", "Проблемы по файлам:"]
    shown = 0
    names = {s.file: s for s in collection.submissions}
    for file, problems in by_file.items():
        if shown >= CONSOLE_PROBLEM_LIMIT:
            rest = sum(len(p) for p in by_file.values()) - shown
            lines.append(f"… и ещё {rest}: полный список — в validation.xlsx (-o ПАПКА) или --format json")
            break
        sub = names.get(file)
        who = f" — {sub.school_code} {sub.school_name}".rstrip() if sub and sub.school_code else ""
        lines.append(terminal_text(f"{file}{who}"))
        for problem in problems:
            lines.append("  " + _console_line(problem))
            shown += 1
    return "\n".join(lines)


def _console_line(problem: Problem) -> str:
    level = "ОШИБКА" if problem.severity == Severity.error else "предупр."
    where = terminal_text(problem.location)
    consequence = f" → {problem.consequence_text}" if problem.consequence_text else ""
    return f"{level:8} {where + ' ' if where else ''}[{problem.code}] {terminal_text(problem.message)}{consequence}"


def _problems_by_file(problems: list[Problem]) -> dict[str, list[Problem]]:
    """File → its problems; those of no file under «по реестру» (a school) or «по файлу
    показателей» (the run: indicators.yaml against the forms)."""
    grouped: dict[str, list[Problem]] = defaultdict(list)
    for problem in problems:
        grouped[problem.file or ("по реестру" if problem.school else "по файлу показателей")].append(problem)
    return grouped


# --------------------------------------------------------------------------- JSON


def validation_json(collection: Collection) -> dict[str, Any]:
    """Everything a script needs: counts, per-file status, problems, normalisations."""
    return {
        "source": collection.source,
        "table": collection.table,
        "summary": collection.summary(),
        "submissions": [
            {
                "file": s.file,
                "school_code": s.school_code,
                "school_name": s.school_name,
                "form_version": s.form_version,
                "readable": s.readable,
                "excluded": s.excluded,
                "errors": sum(p.severity == Severity.error for p in s.problems),
                "warnings": sum(p.severity == Severity.warning for p in s.problems),
            }
            for s in collection.submissions
        ],
        "skipped": [{"file": path, "reason": reason} for path, reason in collection.skipped],
        "not_submitted": [{"code": e.code, "name": e.name} for e in collection.not_submitted],
        "problems": [_problem_json(p) for p in collection.problems],
        "normalisations": [_normalisation_json(n) for s in collection.submissions for n in s.normalisations],
    }


def _problem_json(problem: Problem) -> dict[str, Any]:
    """The problem's data (consequence as an id, params) with its Russian texts and location."""
    data = problem.to_dict()
    data["message"] = problem.message
    data["consequence_text"] = problem.consequence_text
    data["location"] = problem.location
    return data


def _normalisation_json(note: Normalisation) -> dict[str, str]:
    return {
        "file": note.file,
        "sheet": note.sheet,
        "cell": note.cell,
        "target": note.target,
        "original": note.original,
        "read_as": note.read_as,
    }


# --------------------------------------------------------------------------- files


def write_validation_outputs(collection: Collection, out: Path, config: Config) -> list[Path]:
    """``OUT/validation.xlsx`` and ``OUT/feedback/*.md``, switched into ``out`` as one set (outputs/staging.py)."""
    from ..outputs.staging import publish

    def write(folder: Path) -> list[Path]:
        xlsx = write_validation_xlsx(collection, folder / "validation.xlsx")
        feedback = folder / "feedback"
        return [
            xlsx,
            *write_feedback(collection, feedback, config),
            *write_feedback_docx(collection, feedback, config),
        ]

    return publish(Path(out), VALIDATE_OUTPUTS, write, inputs=[Path(collection.source)])


def write_validation_xlsx(collection: Collection, path: Path) -> Path:
    """One row per problem; frozen header, autofilter, readable widths, text never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    names = {s.file: s.school_name for s in collection.submissions}
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Проблемы"
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (title, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(col)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    error_font = Font(color="9C0006")
    for row, problem in enumerate(collection.problems, start=2):
        values = (
            problem.file,
            problem.school,
            names.get(problem.file, ""),
            problem.sheet,
            problem.cell,
            problem.indicator,
            SEVERITY_RU[problem.severity],
            problem.code,
            problem.message,
            problem.value,
            problem.consequence_text,
        )
        for col, value in enumerate(values, start=1):
            target = sheet.cell(row=row, column=col)
            _put_text(target, value)
            target.alignment = wrap
            if col == 7 and problem.severity == Severity.error:
                target.font = error_font
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(collection.problems) + 1)}"
    write_file(path, workbook.save)
    return path


def _put_text(cell: Any, value: str) -> None:
    """Write text as text that xlsx can hold: «=HYPERLINK(…)» typed by a school must not
    become a live formula, and a vertical tab from Word must not stop the whole file."""
    text = xml_text(value)
    cell.value = text
    if text.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"


def write_feedback(collection: Collection, folder: Path, config: Config) -> list[Path]:
    """One letter per school (or per file without a school code) with a problem of its own:
    ``templates/feedback.md.j2`` through the same writers as every document."""
    from ..report.feedback import feedback_letters
    from .html_md.markdown import markdown
    from .markup.source import Templates

    letters = feedback_letters(collection, config)
    names = unique_filenames([letter.key for letter in letters])
    templates = Templates(None)
    return [
        write_text(
            folder / f"{names[letter.key]}.md",
            markdown(templates.document("feedback.md.j2", {"letter": letter})),
        )
        for letter in letters
    ]


def write_feedback_docx(collection: Collection, folder: Path, config: Config) -> list[Path]:
    """The same letters in Word, on the authority's blank, to be signed (letter.docx's «what to
    fix» part: the cells in plain words, where and by when to send the corrected form)."""
    from ..report.feedback import feedback_letters, letter_problems, word_letter
    from .docx.compiled import CompiledDocx
    from .docx.engine import find_template

    letters = feedback_letters(collection, config)
    if not letters:
        return []
    names = unique_filenames([letter.key for letter in letters])
    problems = letter_problems(collection)
    compiled = CompiledDocx(find_template("letter.docx", None))
    written = []
    for letter in letters:
        target = folder / f"{names[letter.key]}.docx"
        compiled.write(target, compiled.render(word_letter(letter, problems[letter.key], config)))
        written.append(target)
    return written
