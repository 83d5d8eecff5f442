"""Rules about the form as a whole: its stamp, hidden sheets, cut texts, rows nobody asked for.

What is scored must be what the school sees: a hidden sheet is never read as data, and
saying so keeps a school from wondering why numbers typed there were ignored. Texts longer
than :data:`text.TEXT_LIMIT` were cut by the reader (``RawCell.truncated_from``); each cut
is a warning at its cell, so a school name that lost its end is not a silent change.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from ..config import Config
from ..ingest.raw import RawCell, RawForm
from ..ingest.recognise import fold_code
from ..layout import SHEET_INDICATORS, SHEET_LISTS, SHEET_STAMP
from ..problems import Consequence, Problem
from ..words.text import TEXT_LIMIT
from .rules import Scope
from .submission import FormChange

_FORM_OWN_HIDDEN = frozenset({SHEET_LISTS, SHEET_STAMP})  # the form hides these itself


def check_stamp(scope: Scope, raw: RawForm, config: Config) -> Iterator[Problem]:
    """The right monitoring and the current version (a form of another monitoring excludes the school)."""
    monitoring = config.monitoring
    if not raw.form_id:
        yield scope.problem("form-recognised-by-headers", sheet=SHEET_INDICATORS)
    elif raw.form_id != monitoring.id:
        yield scope.problem(
            "form-other-monitoring",
            sheet=SHEET_STAMP,
            value=raw.form_id,
            found=raw.form_id,
            expected=monitoring.id,
            consequence=Consequence.school_excluded,
        )
    elif raw.form_version and raw.form_version != monitoring.form_version:
        yield scope.problem(
            "form-old-version",
            sheet=SHEET_STAMP,
            value=raw.form_version,
            found=raw.form_version,
            expected=monitoring.form_version,
            detail=_version_difference(raw, config),
        )


def is_other_monitoring(raw: RawForm, config: Config) -> bool:
    """A stamp naming another monitoring: nothing else in the form is read."""
    return bool(raw.form_id) and raw.form_id != config.monitoring.id


def form_change(raw: RawForm, config: Config) -> FormChange | None:
    """How indicators.yaml changed since this form was made, its version being the same
    (None: it did not, or the stamp does not tell: no stamp, another version)."""
    monitoring = config.monitoring
    if not raw.form_id or raw.form_id != monitoring.id or raw.form_version != monitoring.form_version:
        return None
    added, removed = _stamp_difference(raw, config)
    reworded = not added and not removed and bool(raw.framework) and raw.framework != config.form_fingerprint
    return FormChange(tuple(added), tuple(removed), reworded) if added or removed or reworded else None


def _stamp_difference(raw: RawForm, config: Config) -> tuple[list[str], list[str]]:
    """(the config's codes the stamp does not list, the stamp's codes the config lacks)."""
    if not raw.stamp_codes:
        return [], []
    listed = set(raw.stamp_codes)
    missing = [ind.code for ind in config.indicators() if ind.code not in listed]
    return missing, [code for code in raw.stamp_codes if not config.has_indicator(code)]


def _version_difference(raw: RawForm, config: Config) -> str:
    described = config.monitoring.previous_versions.get(raw.form_version, "").strip()
    missing, extra = _stamp_difference(raw, config)
    parts = [described] if described else []
    if missing:
        parts.append("в форме нет показателей " + ", ".join(missing))
    if extra:
        parts.append("в форме есть показатели, которых больше нет: " + ", ".join(extra))
    if not parts:
        parts.append("перечень показателей не изменился" if raw.stamp_codes else "различия не описаны")
    return "; ".join(parts)


def check_hidden_sheets(scope: Scope, raw: RawForm) -> Iterator[Problem]:
    """A warning per hidden sheet that is not one of the form's own."""
    for name in raw.hidden_sheets:
        if name not in _FORM_OWN_HIDDEN:
            yield scope.problem("sheet-hidden", sheet=name)


def check_truncated(scope: Scope, raw: RawForm) -> Iterator[Problem]:
    """A warning per cell whose text the reader cut at :data:`text.TEXT_LIMIT`."""
    for cell, indicator in _cells(raw):
        if cell.truncated_from:
            yield scope.problem(
                "text-truncated", cell=cell, indicator=indicator, limit=TEXT_LIMIT, length=cell.truncated_from
            )


def _cells(raw: RawForm) -> Iterator[tuple[RawCell, str]]:
    """Every cell the reader kept, with the indicator it belongs to ("" for others)."""
    for cell in raw.fields.values():
        yield cell, ""
    for code, cells in raw.indicators.items():
        for cell in cells.values():
            yield cell, code
    for cell in (*raw.unknown_codes, *raw.duplicate_codes):
        yield cell, ""


def check_unknown_rows(scope: Scope, raw: RawForm, removed: Collection[str] = ()) -> Iterator[Problem]:
    """A warning per row whose code is not in the config (the row is not read); a row of an
    indicator ``removed`` from the config after the form was made is no school's mistake
    (the run says so once)."""
    dropped = {fold_code(code) for code in removed}
    for cell in raw.unknown_codes:
        if fold_code(cell.value) not in dropped:
            yield scope.problem("indicator-unknown", cell=cell, value=cell.value)
