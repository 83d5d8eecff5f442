"""Real filled forms for tests, in one line: ``fill_form(path, config, *typical_school("0101", "…"))``.

The blank form is written once per config by the tool's own writer (``form.build_form``)
and kept in memory as bytes; each call loads those bytes with openpyxl, types the values
into the cells a reader would find (rows by the code in «Код», fields by key or label) and
saves. Strings are written as given, so «12,5», «30 %», «Да» or «нет данных» reach the
reader as a school would type them; only characters an xlsx cannot hold (a vertical tab,
other control characters) are made XML-safe first (``text.xml_text``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from collections.abc import Mapping
from pathlib import Path

from tools.formfill import fill_workbook

from vosp_monitor.config import Config, load_config
from vosp_monitor.form import build_form

GENERATED = dt.date(2026, 5, 20)

_BLANK_FORMS: dict[str, bytes] = {}


@functools.cache
def default_config() -> Config:
    """The bundled indicators.yaml, loaded once per test session."""
    return load_config()


def blank_form_bytes(config: Config) -> bytes:
    """The blank form for ``config`` as xlsx bytes, written once and cached."""
    key = hashlib.sha256(config.model_dump_json().encode()).hexdigest()
    if key not in _BLANK_FORMS:
        buffer = io.BytesIO()
        build_form(config, generated=GENERATED).save(buffer)
        _BLANK_FORMS[key] = buffer.getvalue()
    return _BLANK_FORMS[key]


def fill_form(
    path: Path | str,
    config: Config,
    fields: Mapping[str, object],
    values: Mapping[str, object],
    *,
    template: Path | str | None = None,
) -> Path:
    """Write a filled form to ``path`` and return it.

    ``fields``: school field key → value (omit a key to leave it empty). ``values``:
    indicator code → value; for a share ``(numerator, denominator)``, or ``(numerator,)``
    / the numerator alone when the denominator comes from a school field; or a dict with
    any of ``value``, ``numerator``, ``denominator``, ``comment``. ``template``: start from
    this workbook (for example one re-saved by LibreOffice) instead of a fresh blank form.
    """
    from openpyxl import load_workbook

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    source = Path(template).read_bytes() if template is not None else blank_form_bytes(config)
    workbook = load_workbook(io.BytesIO(source), rich_text=True)
    fill_workbook(workbook, config, fields, values)
    workbook.save(path)
    return path


def typical_school(code: str, name: str, **overrides: object) -> tuple[dict[str, object], dict[str, object]]:
    """Plausible, valid fields and values for the default config: an average town school.

    ``overrides`` replace a field (``students=120``) or an indicator value
    (``**{"RES-5": (5, 3)}``); ``None`` leaves that cell empty.
    """
    config = default_config()
    fields: dict[str, object] = {
        "code": code,
        "name": name,
        "school_type": "Средняя школа",
        "locality": "город",
        "students": 400,
        "teachers": 32,
        "class_teachers": 16,
        "families": 330,
        "head": "Иванова Ирина Петровна",
        "filled_by": "Петров П. П., 8 (800) 000-00-00",
        "filled_on": GENERATED,
    }
    options = {ind.code: [o.label for o in ind.options or []] for ind in config.indicators()}
    values: dict[str, object] = {
        "UPR-1": options["UPR-1"][2],
        "UPR-2": 2,
        "UPR-3": 3,
        "UPR-4": 8,
        "UPR-5": 280,
        "RES-1": 180,
        "RES-2": 60,
        "RES-3": 150,
        "RES-4": 4,
        "RES-5": (2, 4),
        "RES-6": 1,
        "ROD-1": options["ROD-1"][2],
        "ROD-2": 200,
        "ROD-3": 65,
        "ROD-4": 6,
        "ROD-5": (150, 200),
        "KR-1": 10,
        "KR-2": 12,
        "KR-3": 13,
        "KR-4": options["KR-4"][1],
        "KR-5": "да",
        "KR-6": 4,
        "KR-7": 2,
    }
    for key, value in overrides.items():
        if key in fields:
            fields[key] = value
        elif key in values:
            values[key] = value
        else:
            raise KeyError(f"no school field or indicator {key!r} in the default config")
    return fields, values
