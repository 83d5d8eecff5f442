"""What every validation rule shares: findings, how a rule reports them, and small tests.

A rule is a generator: it *yields* what it finds — a :class:`Problem`, or a
:class:`Normalisation` when a value was read as something other than what was typed — and
*returns* the value it read (``value = yield from rule(...)``). Nothing is raised to stop
a rule and nothing is set on the side: a rule that finds an unusable value reports it and
returns None, and whoever runs it decides from the findings what they mean (an
indicator's status, a school's exclusion). :func:`drain` runs a rule from plain code.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ..config import Indicator, MissingPolicy
from ..ingest.raw import RawCell
from ..problems import CATALOGUE, Consequence, Problem, make_problem
from .submission import EntryStatus, Normalisation
from .values import Reading

T = TypeVar("T")
Finding = Problem | Normalisation
Rule = Generator[Finding, None, T]

_WHOLE_TOLERANCE = 1e-9

# What an unusable indicator value does, by the indicator's ``missing`` policy.
POLICY_CONSEQUENCE = {
    MissingPolicy.error: Consequence.school_excluded,
    MissingPolicy.zero: Consequence.indicator_zero,
    MissingPolicy.not_applicable: Consequence.indicator_excluded,
}
POLICY_STATUS = {
    MissingPolicy.error: EntryStatus.invalid,
    MissingPolicy.zero: EntryStatus.zero,
    MissingPolicy.not_applicable: EntryStatus.not_applicable,
}
# The reverse: an indicator's status follows from the consequence of its own errors.
STATUS_OF_CONSEQUENCE = {POLICY_CONSEQUENCE[policy]: status for policy, status in POLICY_STATUS.items()}
POLICY_RU = {
    MissingPolicy.error: "без него школа не участвует в рейтинге",
    MissingPolicy.zero: "показатель оценивается в 0 баллов",
    MissingPolicy.not_applicable: "показатель не учитывается",
}


def drain(rule: Rule[T], into: list[Finding]) -> T:
    """Run ``rule`` to its end: its findings are appended to ``into``, its value returned."""
    result: list[T] = []

    def run() -> Iterator[Finding]:
        result.append((yield from rule))

    into.extend(run())
    return result[0]


@dataclass(frozen=True, slots=True)
class Scope:
    """The form a rule is looking at: every problem names its file and school.

    ``invalid_value`` is the run's consequence of a wrong indicator value
    (``validation.invalid_value``), which every indicator rule applies alike.
    """

    file: str
    school: str = ""
    invalid_value: MissingPolicy = MissingPolicy.error

    def policy(self, ind: Indicator, code: str) -> MissingPolicy:
        """What a problem ``code`` about ``ind`` does: by ``missing`` for an absent value
        (``ProblemType.absent``), else the run's ``validation.invalid_value`` or the indicator's
        own ``invalid``."""
        return ind.missing if CATALOGUE[code].absent else self.invalid(ind)

    def invalid(self, ind: Indicator) -> MissingPolicy:
        """What a wrong value of ``ind`` does: its own ``invalid``, else the run's."""
        return ind.invalid or self.invalid_value

    def problem(
        self, code: str, *, cell: RawCell | None = None, sheet: str = "", address: str = "", **kwargs: Any
    ) -> Problem:
        """A problem at ``cell`` (or at ``sheet``/``address`` when there is no cell)."""
        return make_problem(
            code,
            file=self.file,
            sheet=cell.sheet if cell else sheet,
            cell=cell.cell if cell else address,
            school=self.school,
            **kwargs,
        )

    def note(self, reading: Reading, cell: RawCell, target: str) -> Iterator[Normalisation]:
        """The normalisation a successful reading made, if any («12,5» → 12.5)."""
        if reading.ok and reading.note:
            yield Normalisation(self.file, cell.sheet, cell.cell, target, reading.original, reading.note)


def is_whole(value: float) -> bool:
    return math.isfinite(value) and abs(value - round(value)) < _WHOLE_TOLERANCE


def within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)
