"""Writes the Excel form that schools fill, from the config.

The form is generated from the same ``indicators.yaml`` that scores it, so the two can
never disagree. Its layout (sheet names, header texts, column order, hidden field keys,
the hidden «_vosp» stamp) comes from ``layout``, which every reader uses to find them
again; readers find rows by header texts and codes, never by fixed positions.
Only yellow cells are unlocked; the sheets are protected *without* a password, so the
protection only guards against accidental edits and never stops a school from working.
Every input cell carries an Excel data validation with Russian prompt and error texts,
so most typing mistakes are caught while the form is being filled rather than weeks later.

The package along its seams:

* ``writer`` — the public API: :func:`write_form`, :func:`write_prefilled_forms`,
  :func:`build_form`, :func:`save_workbook`, :func:`registry_prefill`, :class:`FormError`;
* ``sheets`` — the instructions, school fields, indicators and stamp sheets;
* ``rules`` — the Excel data validations and the hidden option lists;
* ``styles`` — fonts, fills, print setup, and how text gets into a cell (XML-safe).

Filling a form programmatically (for the samples and the tests) lives in ``formfill``.
"""

from __future__ import annotations

from .styles import INPUT_FILL
from .writer import FormError, build_form, registry_prefill, save_workbook, write_form, write_prefilled_forms

__all__ = [
    "INPUT_FILL",
    "FormError",
    "build_form",
    "registry_prefill",
    "save_workbook",
    "write_form",
    "write_prefilled_forms",
]
