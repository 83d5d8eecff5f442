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


def feedback_letters(collection: Collection, config: Config) -> list[FeedbackLetter]:
    """A letter per school (or per file without a school code) that has a problem of its own."""
    groups: dict[str, list[Submission]] = defaultdict(list)
    for sub in collection.submissions:
        if any(p.kind.for_schools for p in sub.problems):
            groups[sub.school_code or sub.file].append(sub)
    titles = {ind.code: ind.title for ind in config.indicators()}
    return [_letter(key, subs, config, titles) for key, subs in groups.items()]


def _letter(key: str, subs: list[Submission], config: Config, titles: dict[str, str]) -> FeedbackLetter:
    first = subs[0]
    problems = [p for s in subs for p in s.problems if p.kind.for_schools]
    return FeedbackLetter(
        key=key,
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


def _place(sheet: str, cell: str) -> str:
    if sheet and cell:
        return f"лист «{sheet}», ячейка {cell}"
    return f"лист «{sheet}»" if sheet else ""
