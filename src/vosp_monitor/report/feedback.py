"""The «what to fix» letter of ``validate``: what is wrong in a school's form, where, and what
it means for the results — as data for its template (``templates/feedback.md.j2``).

One letter per school (or per file without a school code) with a problem of its own: errors
first with the place in the form, then warnings, then the values read differently from how
they were typed. An internal error of the program is not the school's to fix and stays out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..config import Config
from ..problems import Problem, Severity
from ..validate.collection import Collection
from ..validate.submission import Submission
from .problem_words import place_words


@dataclass(frozen=True, slots=True)
class FeedbackItem:
    place: str  # «лист «Показатели», ячейка D9» ("" for the form as a whole)
    message: str
    consequence: str  # «школа исключена из рейтинга …» ("" for none)
    indicator: str  # the indicator's code, also for a computed indicator's input ("" for none)
    indicator_title: str


@dataclass(frozen=True, slots=True)
class FeedbackNote:
    place: str
    target: str  # the field or indicator the value is for
    original: str  # what was typed
    read_as: str


@dataclass(frozen=True, slots=True)
class FeedbackLetter:
    key: str  # the school's code, or the file's name when it has none
    title: str  # the monitoring's title
    period: str
    school: str  # «0103 — МБОУ …» ("" when the form names none)
    files: tuple[str, ...]
    errors: tuple[FeedbackItem, ...]
    warnings: tuple[FeedbackItem, ...]
    notes: tuple[FeedbackNote, ...]
    head: str = ""  # the head's name as the form gives it (the Word letter's addressee)
    name: str = ""  # the school's name as the form gives it


def feedback_letters(collection: Collection, config: Config) -> list[FeedbackLetter]:
    """A letter per school (or per file without a school code) that has a problem of its own."""
    titles = {ind.code: ind.title for ind in config.indicators()}
    return [_letter(key, subs, config, titles) for key, subs in _groups(collection).items()]


def letter_problems(collection: Collection) -> dict[str, list[Problem]]:
    """Each letter's problems by its key, errors first (for the Word letter)."""
    return {
        key: sorted(
            (p for s in subs for p in s.problems if p.kind.for_schools),
            key=lambda p: p.severity != Severity.error,
        )
        for key, subs in _groups(collection).items()
    }


def _groups(collection: Collection) -> dict[str, list[Submission]]:
    groups: dict[str, list[Submission]] = defaultdict(list)
    for sub in collection.submissions:
        if any(p.kind.for_schools for p in sub.problems):
            groups[sub.school_code or sub.file].append(sub)
    return groups


def _letter(key: str, subs: list[Submission], config: Config, titles: dict[str, str]) -> FeedbackLetter:
    first = subs[0]
    problems = [p for s in subs for p in s.problems if p.kind.for_schools]
    head = first.fields.get(config.documents.letters.head_field)
    return FeedbackLetter(
        key=key,
        head=head.strip() if isinstance(head, str) else "",
        name=first.school_name,
        title=config.monitoring.title,
        period=config.monitoring.period,
        school=" — ".join(x for x in (first.school_code, first.school_name) if x),
        files=tuple(s.file for s in subs),
        errors=tuple(_item(p, titles) for p in problems if p.severity == Severity.error),
        warnings=tuple(_item(p, titles) for p in problems if p.severity == Severity.warning),
        notes=tuple(
            FeedbackNote(_place(n.sheet, n.cell), n.target, n.original, n.read_as)
            for s in subs
            for n in s.normalisations
        ),
    )


def _item(problem: Problem, titles: dict[str, str]) -> FeedbackItem:
    return FeedbackItem(
        place=_place(problem.sheet, problem.cell),
        message=problem.message.rstrip().rstrip("."),
        consequence=problem.consequence_text,
        indicator=problem.indicator_code if problem.indicator_code in titles else "",
        indicator_title=titles.get(problem.indicator_code, ""),
    )


def word_letter(letter: FeedbackLetter, problems: list[Problem], config: Config) -> dict[str, object]:
    """What letter.docx sees of a «what to fix» letter: its letter view (``validation``), the
    problems in plain words (errors first) and the реквизиты of a letter sent before the order."""
    from .cards import card_problem
    from .documents import feedback_documents
    from .letters import letter_view

    view = letter_view(
        letter.key,
        letter.name,
        ", ".join(letter.files),
        letter.key,
        letter.head,
        excluded=bool(letter.errors),
        validation=True,
    )
    return {
        "letter": view,
        "problems": tuple(card_problem(p, config) for p in problems),
        "documents": feedback_documents(config),
    }


def _place(sheet: str, cell: str) -> str:
    return place_words(sheet, cell)
