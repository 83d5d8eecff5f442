"""Reading a results.json of any age: what its schema did not store is computed here.

``results.store`` decodes the file and ``results.migrate`` upgrades older shapes, at the
level of the data; statistics an older schema did not store (:class:`Derivation`) are
computed from the stored schools by the same functions a new run uses. That computing is
analysis, so the reader every caller uses lives here, above both packages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..results import Results, ResultsFileError, load_results_data
from ..results.migrate import Derivation
from ..results.shape import ShapeError
from ..results.store import decode_results
from .audit import audit_schools
from .conclusions import draw_conclusions
from .findings import summarise


def read_results_json(path: Path) -> Results:
    """The results stored in ``path``, complete whatever its schema version."""
    return results_from_data(load_results_data(path), path)


def results_from_data(data: Any, path: Path, *, schools: bool = True) -> Results:
    """:func:`results_from_dict` with the file named in every error.

    ``schools=False`` leaves the schools (and the schools of a stored comparison) out: an
    earlier year known only by its district figures reads in a fraction of the time. A file
    of a schema whose missing statistics are computed from its schools (1 and 2) is always
    read whole.
    """
    try:
        return results_from_dict(data, schools=schools)
    except ResultsFileError as exc:
        raise ResultsFileError(f"файл {path} {exc}") from None
    except ShapeError as exc:
        raise ResultsFileError(f"файл {path} не похож на results.json vosp-monitor: {exc}") from None
    except KeyError as exc:
        raise ResultsFileError(f"файл {path} не похож на results.json vosp-monitor: нет поля {exc}") from None
    except (TypeError, ValueError, AttributeError, IndexError, RecursionError):
        # the shape is checked first, so this is a value no run writes (e.g. an unknown level or status)
        raise ResultsFileError(
            f"файл {path} не похож на results.json vosp-monitor: значения в нём не такие, какие записывает "
            "программа (файл изменён вручную или другой программой)"
        ) from None


def results_from_dict(data: dict[str, Any], *, schools: bool = True) -> Results:
    """Results from the parsed JSON of a results.json of any schema version (see
    :func:`~vosp_monitor.results.store.decode_results` for the errors)."""
    results, derivations = decode_results(data, schools=schools)
    for derivation in derivations:  # in schema order: the conclusions need schema 1's findings
        _DERIVE[derivation](results)
    return results


def _derive_findings(results: Results) -> None:
    findings = summarise(results.config, results.schools, results.indicator_stats)
    results.group_stats = findings.group_stats
    results.targets = findings.targets
    results.risk = findings.risk
    results.leaders = findings.leaders


def _derive_audit(results: Results) -> None:
    if results.config.analysis.audit.enabled:
        results.audit = audit_schools(results.config, results.schools)


def _derive_conclusions(results: Results) -> None:
    results.conclusions = draw_conclusions(
        results.config,
        results.block_stats,
        results.indicator_stats,
        results.group_stats,
        results.targets,
        results.schools,
        results.risk,
        results.leaders,
    )


_DERIVE: dict[Derivation, Callable[[Results], None]] = {
    Derivation.findings: _derive_findings,
    Derivation.audit: _derive_audit,
    Derivation.conclusions: _derive_conclusions,
}
