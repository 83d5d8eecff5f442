"""Small builders for scoring, ranking and analysis tests: configs and submissions in code.

Configs go through the real loader (``parse_config``), so every test config is one an
analyst could write. Submissions are built directly, as validation would leave them.
"""

from __future__ import annotations

from typing import Any

import yaml

from vosp_monitor.config import Config, parse_config
from vosp_monitor.validate.submission import EntryStatus, IndicatorEntry, Submission

NA = "n/a"  # marker: status not_applicable
ZERO = "zero"  # marker: status zero (missing, scored 0)


def make_config(
    blocks: list[dict[str, Any]],
    *,
    scoring: dict[str, Any] | None = None,
    ranking: dict[str, Any] | None = None,
    analysis: dict[str, Any] | None = None,
) -> Config:
    data: dict[str, Any] = {
        "monitoring": {"id": "test", "title": "Тест", "form_version": "1"},
        "school_fields": [
            {"key": "code", "label": "Код ОО", "role": "key"},
            {"key": "name", "label": "Наименование", "role": "name"},
            {"key": "kind", "label": "Тип ОО", "role": "group", "required": False},
        ],
        "blocks": blocks,
    }
    if scoring:
        data["scoring"] = scoring
    if ranking:
        data["ranking"] = ranking
    if analysis:
        data["analysis"] = analysis
    return parse_config(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def block(bid: str, indicators: list | None = None, blocks: list | None = None, **extra: Any) -> dict:
    data: dict[str, Any] = {"id": bid, "title": f"Блок {bid}", **extra}
    if indicators:
        data["indicators"] = indicators
    if blocks:
        data["blocks"] = blocks
    return data


def linear(code: str, low: float = 0, high: float = 100, **extra: Any) -> dict:
    """A number scored linearly; with the defaults the score equals the value."""
    return {
        "code": code,
        "title": f"Показатель {code}",
        "type": "number",
        "scoring": {"method": "linear", "low": low, "high": high},
        **extra,
    }


def indicator(code: str, type_: str = "number", scoring: dict | None = None, **extra: Any) -> dict:
    data = {"code": code, "title": f"Показатель {code}", "type": type_, **extra}
    if scoring is not None:
        data["scoring"] = scoring
    return data


def school(code: str, values: dict[str, Any], *, name: str = "", **fields: Any) -> Submission:
    """A valid submission; a value may be a number, (numerator, denominator), NA or ZERO."""
    entries = {}
    for key, value in values.items():
        if value == NA:
            entries[key] = IndicatorEntry(key, status=EntryStatus.not_applicable)
        elif value == ZERO:
            entries[key] = IndicatorEntry(key, status=EntryStatus.zero)
        elif isinstance(value, tuple):
            num, den = value
            entries[key] = IndicatorEntry(key, num / den * 100, num, den)
        else:
            entries[key] = IndicatorEntry(key, float(value))
    return Submission(
        file=f"{code}.xlsx",
        school_code=code,
        school_name=name or f"Школа {code}",
        fields={"code": code, "name": name or f"Школа {code}", **fields},
        indicators=entries,
    )
