"""Year over year (``--previous``): earlier results, matching schools and indicators, the changes.

The monitoring's management cycle ends with «анализ эффективности принятых мер»: did the
deficits recommended to schools last year go, did the district reach its targets. This
package reads earlier results.json files (``previous``, every schema version), matches
schools across years by code and an optional school map (``schoolmap``, ``matching``),
decides which figures mean the same thing in both years (``frameworks``), judges changes
against the configured thresholds (``trends``), and computes the comparison that
:class:`~vosp_monitor.results.Results` carries as ``dynamics`` (``compare``, ``series``).

Entry point: :func:`load_baseline` (before any form is read, so a wrong file stops the run
at once), then :meth:`Baseline.compare` on the finished results.
"""

from __future__ import annotations

from .baseline import Baseline, compare_again, load_baseline
from .compare import compare_years
from .frameworks import comparable, fingerprints, framework_change
from .matching import Matching, Predecessors, match_schools, previous_value
from .previous import Limits, PreviousError, PreviousYear, current_label, read_previous, year_label
from .schoolmap import SchoolMap, SchoolMapError, read_school_map
from .trends import value_scale

__all__ = [
    "Baseline",
    "Limits",
    "Matching",
    "Predecessors",
    "PreviousError",
    "PreviousYear",
    "SchoolMap",
    "SchoolMapError",
    "comparable",
    "compare_again",
    "compare_years",
    "current_label",
    "fingerprints",
    "framework_change",
    "load_baseline",
    "match_schools",
    "previous_value",
    "read_previous",
    "read_school_map",
    "value_scale",
    "year_label",
]
