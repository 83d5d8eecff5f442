"""What ``--previous`` and ``--school-map`` give a run: read once, before any form is read.

``score`` reads the earlier years and the school map before it reads a single form, so a
wrong file stops the run at once instead of after minutes of reading; ``report`` does the
same for results.json it re-renders. :meth:`Baseline.compare` then computes the
comparison for the finished results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..results import Dynamics, Results
from .compare import compare_years
from .previous import Limits, PreviousYear, read_previous
from .schoolmap import SchoolMap, read_school_map
from .territories import compare_territories


@dataclass(frozen=True, slots=True)
class Baseline:
    years: list[PreviousYear]  # oldest first
    school_map: SchoolMap | None

    def compare(self, results: Results) -> Dynamics:
        """The comparison with the earlier years; the territories' changes go into
        ``results.territories`` (a run by territory compared with one)."""
        compare_territories(results, self.years[-1], self.school_map)
        return compare_years(results, self.years, self.school_map)


def load_baseline(
    previous: Sequence[Path],
    school_map: Path | None,
    monitoring_id: str,
    label_now: str,
    limits: Limits | None = None,
) -> Baseline | None:
    """The earlier years and the map, or None without ``previous``.

    Raises :class:`~vosp_monitor.errors.UsageError` for a school map without earlier
    results, and the readers' errors (``PreviousError``, ``ResultsFileError``,
    ``SchoolMapError``) for files that cannot be used.
    """
    if not previous:
        if school_map is not None:
            raise UsageError("таблица соответствия кодов --school-map нужна только вместе с --previous")
        return None
    years = read_previous(previous, monitoring_id, label_now, limits or Limits())
    return Baseline(years, read_school_map(school_map) if school_map is not None else None)


def compare_again(
    results: Results, previous: Sequence[Path], school_map: Path | None, output: Path | None = None
) -> None:
    """``report --previous``: replace the stored comparison by one with the given years
    (``output``: the folder the report is written to, never an earlier year).

    Without ``previous`` the stored comparison (if any) stays as it is.
    """
    from .previous import year_label

    config = results.config
    label = year_label(config.monitoring.period, results.generated_at)
    schools = len(results.schools) + len(results.excluded) + len(results.not_submitted)
    limits = Limits(schools, output)
    baseline = load_baseline(previous, school_map, config.monitoring.id, label, limits)
    if baseline is not None:
        results.dynamics = baseline.compare(results)
