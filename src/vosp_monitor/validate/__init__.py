"""Validation: rules that turn a raw form into a checked :class:`Submission`, then rules across forms.

The rules yield problems as data (file, sheet, cell, indicator, school, the value found,
parameters for the Russian message the school can act on, and the consequence) and return
the values they read; see :mod:`.rules`. The package follows the order of the work:

* :mod:`.checker` — :class:`Checker`, one submission: runs the rules below in order and
  derives each indicator's status from what they found; runs in the worker processes;
* :mod:`.workbook` — the form as a whole (stamp, hidden sheets, cut texts, unknown rows);
* :mod:`.fields` — the school's code, name and fields;
* :mod:`.inputs`, :mod:`.shares` — indicator values, shares;
* :mod:`.crossfield` — the ``checks`` of indicators.yaml;
* :mod:`.batch` — across submissions: duplicates, outliers, the registry.

Consequences (issue 3, item 5):

* an error in a school field, a failed cross-field check, a form of another monitoring →
  the whole school is excluded (:attr:`Submission.excluded` follows from the problem);
* an invalid or missing indicator value → by the indicator's ``missing`` policy:
  ``error`` → the school is excluded (status ``invalid``), ``zero`` → status ``zero``
  (0 points), ``not_applicable`` → status ``not_applicable`` (left out of the sum and the
  maximum); the problem stays an error either way, so the school is told to fix it;
* warnings change nothing.
"""

from __future__ import annotations

from .batch import MIN_SCHOOLS_FOR_OUTLIERS, check_batch
from .checker import Checker, check_submission
from .inputs import PLAUSIBLE_COUNT

__all__ = ["MIN_SCHOOLS_FOR_OUTLIERS", "PLAUSIBLE_COUNT", "Checker", "check_batch", "check_submission"]
