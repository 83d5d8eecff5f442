"""What one run read and checked, before scoring: the submissions, the files left out, the
registry and every problem (``pipeline.collect`` fills it; ``validate``'s outputs and scoring read it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..problems import Problem, Severity
from .submission import Submission
from .territories import Placement

if TYPE_CHECKING:
    from ..ingest.registry import RegistryEntry


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
    single: bool = False  # one form given as a file, not a folder
    placement: Placement | None = None  # where each school belongs (a regional run), or None
    territory_forms: list[Submission] = field(default_factory=list)  # the territories' own forms

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
