"""What one submission becomes after reading and checking: a small, picklable record.

Workers read a workbook and send back only this record, never the workbook's cells, so
the parent's memory does not grow with what a file contains. It carries the parsed
values, their locations (for messages), the normalisations made while reading, and the
problems found in this file alone; the pipeline adds the problems of the checks across
submissions that concern it. Whether it is scored at all is not stored: it follows from
its problems (:attr:`Submission.excluded`).
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, TypeVar

from ..problems import Problem, Severity

FieldValue = str | float | bool | dt.date | None
_Record = TypeVar("_Record", bound=type)


def pickled_by_fields(cls: _Record) -> _Record:
    """Pickle a slotted dataclass as its constructor's arguments, in field order.

    Every form's record crosses a process boundary (the reading workers send it to the
    parent). A slotted dataclass's own pickling calls a Python ``__getstate__`` and
    ``__setstate__`` per record; a C ``attrgetter`` on one side and the class's ``__init__``
    on the other make the parent's unpickling of 40 000 forms a third cheaper (0.04 → 0.027 ms
    per form) and the messages a quarter smaller.
    """
    names = [f.name for f in fields(cls)]
    assert all(f.init for f in fields(cls)), f"{cls.__name__}: every field must be an __init__ argument"
    values = operator.attrgetter(*names)

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        return cls, values(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010  (mypy refuses assigning a method)
    return cls


class EntryStatus(StrEnum):
    """How scoring treats an indicator of one school."""

    ok = "ok"  # a valid value: scored
    zero = "zero"  # missing/invalid under missing: zero → 0 points
    not_applicable = "not_applicable"  # excluded from both the sum and the maximum
    invalid = "invalid"  # missing/invalid under missing: error → the school is excluded


@dataclass(slots=True)
class Normalisation:
    """A typed value that was read as something else («12,5» → 12.5)."""

    file: str
    sheet: str
    cell: str
    target: str  # indicator code or school field key
    original: str
    read_as: str


@pickled_by_fields
@dataclass(slots=True)
class IndicatorEntry:
    code: str
    value: float | None = None  # in the indicator's unit; shares in %
    numerator: float | None = None
    denominator: float | None = None
    status: EntryStatus = EntryStatus.ok
    sheet: str = ""
    cell: str = ""  # the value (or numerator, or first input) cell, for messages
    inputs: dict[str, float] = field(default_factory=dict)  # a computed indicator's inputs as read
    small: bool = False  # the denominator is below min_denominator («мало данных»)


@dataclass(frozen=True, slots=True)
class FormChange:
    """How indicators.yaml changed since the form was made, its ``form_version`` unchanged.

    Known from the form's stamp (its list of codes and its fingerprint). No school can fix
    it, so it is no problem of the form: an indicator the form never asked for is not
    applicable for it, a row the framework no longer has is not read, and the run says so
    once (``validate.batch``).
    """

    added: tuple[str, ...] = ()  # indicators of the config the form does not ask for
    removed: tuple[str, ...] = ()  # indicators the form asks for that the config no longer has
    reworded: bool = False  # the fingerprints differ: titles, types, units or choices changed


@pickled_by_fields
@dataclass(slots=True)
class Submission:
    """One school's form (or one row of a consolidated table) after reading."""

    file: str  # path relative to the input folder, or «table.xlsx, строка 5»
    school_code: str = ""  # the key field, as text ("" when not read)
    school_name: str = ""
    form_version: str = ""
    form_period: str = ""  # the period in the form's stamp ("" when it has none)
    fields: dict[str, FieldValue] = field(default_factory=dict)
    field_cells: dict[str, str] = field(default_factory=dict)  # key → «Сведения об ОО!C5»
    indicators: dict[str, IndicatorEntry] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    readable: bool = True  # False: the file itself could not be read as a form
    form_change: FormChange | None = None  # None: the form matches the config (or nothing is known)
    territory_form: bool = False  # a territory's own form (``form --level territory``), not a school's

    @property
    def excluded(self) -> bool:
        """Not scored: unreadable, or an error whose consequence excludes the file or the school."""
        return not self.readable or any(
            p.severity == Severity.error and p.consequence.excludes_school for p in self.problems
        )

    @property
    def has_errors(self) -> bool:
        return any(p.severity == Severity.error for p in self.problems)

    @property
    def has_warnings(self) -> bool:
        return any(p.severity == Severity.warning for p in self.problems)
