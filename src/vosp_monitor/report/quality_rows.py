"""The «Качество данных» appendix's rows: each problem and each value read otherwise, by school.

A signed справка names schools, not the files they sent («0107.xlsx» means nothing to the
head who signs it): a row says «0107 МБОУ «СОШ с. Выдуманка»». A file that is no school's
(unreadable, without a code) keeps its file name — it is all there is to name it by.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import Results


@dataclass(frozen=True, slots=True)
class ProblemRow:
    file: str
    location: str
    message: str
    consequence: str
    school: str = ""  # «0107 МБОУ «СОШ с. Выдуманка»», else the file's name


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A value read otherwise than typed, by school."""

    school: str
    sheet: str
    cell: str
    target: str
    original: str
    read_as: str


class Schools:
    """Who a file or a code is, in words: «0107 МБОУ «СОШ с. Выдуманка»»."""

    def __init__(self, results: Results) -> None:
        entries = [
            *((s.file, s.code, s.name) for s in results.schools),
            *((e.file, e.code, e.name) for e in results.excluded),
            *(("", e.code, e.name) for e in results.not_submitted),
        ]
        self.by_file = {file: _named(code, name) for file, code, name in entries if file and (code or name)}
        self.by_code = {code: _named(code, name) for _, code, name in entries if code}

    def of(self, file: str, code: str = "") -> str:
        return self.by_file.get(file) or self.by_code.get(code) or file or code


def _named(code: str, name: str) -> str:
    return " ".join(part for part in (code, name) if part)


def problem_rows(results: Results, limit: int) -> tuple[ProblemRow, ...]:
    schools = Schools(results)
    return tuple(
        ProblemRow(p.file, p.location, p.message, p.consequence_text, schools.of(p.file, p.school))
        for p in results.problems[:limit]
    )


def note_rows(results: Results, limit: int) -> tuple[NoteRow, ...]:
    schools = Schools(results)
    return tuple(
        NoteRow(schools.of(n.file), n.sheet, n.cell, n.target, n.original, n.read_as)
        for n in results.normalisations[:limit]
    )
