"""Last year's values in this year's form (``form --schools … --previous``).

A school fills its form better when it sees what it reported a year ago: a share that
halved, a count that tripled is then a typo caught before sending, or a change it can
explain. Each prefilled form gets a read-only column «Прошлый год» beside the input
cells (a computed indicator's input rows show the inputs typed a year ago) (``layout.PREVIOUS_COLUMN``; no reader takes it) holding the school's values from
the latest earlier results.json, worded as the cards word them («35,1 % (13 из 37)»,
«да», a choice's label). Schools are matched as the comparison matches them
(``dynamics.matching``: same code or the school map; a merged school sees its pooled
shares). Indicators new this year, or whose values mean something else now, say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..config import Config, Indicator, IndicatorType
from ..dynamics import (
    Limits,
    PreviousYear,
    SchoolMap,
    comparable,
    current_label,
    fingerprints,
    load_baseline,
    match_schools,
    previous_value,
)
from ..results import IndicatorResult
from ..words.formatting import format_compact

NEW_INDICATOR = "новый показатель"
NOT_COMPARABLE = "не сопоставимо (показатель изменился)"
NO_VALUE = "—"


@dataclass(frozen=True, slots=True)
class PreviousValues:
    """One school's values last year, as its form shows them."""

    year: str  # «2024/2025»
    values: dict[str, str] = field(default_factory=dict)  # indicator code → text
    note: str = ""  # said above the table: why there are no values


def previous_values(
    config: Config, codes: Sequence[str], years: Sequence[PreviousYear], school_map: SchoolMap | None
) -> dict[str, PreviousValues]:
    """For each of ``codes``: its values in the latest of ``years`` (a note where it had none)."""
    from ..report.wording import indicator_words
    from ..report.wording_dynamics import school_value_text, short_year

    last = years[-1]
    before = last.results.config
    prints_now, prints_then = fingerprints(config), fingerprints(before)
    words = indicator_words(config, {})
    if school_map is not None:
        school_map.refuse_codes_still_present(codes)
    matching = match_schools(codes, last.results.schools, school_map)
    out: dict[str, PreviousValues] = {}
    for code, found in matching.by_code.items():
        texts: dict[str, str] = {}
        for ind in config.indicators():
            key = f"values:{ind.code}"
            if not before.has_indicator(ind.code):
                texts[ind.code] = NEW_INDICATOR
                continue
            if not comparable(prints_then[key], prints_now[key]):
                texts[ind.code] = NOT_COMPARABLE
                continue
            if ind.inputs and len(found.schools) == 1:
                texts |= _input_texts(ind, found.schools[0].indicators.get(ind.code))
            value = previous_value(ind.code, found.schools, ind.type == IndicatorType.share)
            if value is None:
                entry = found.schools[0].indicators.get(ind.code) if len(found.schools) == 1 else None
                texts[ind.code] = "не применялся" if entry and entry.status == "not_applicable" else NO_VALUE
                continue
            single = found.schools[0].indicators.get(ind.code) if len(found.schools) == 1 else None
            texts[ind.code] = school_value_text(
                ind, words[ind.code], *value, small=bool(single and single.small)
            )
        merged = ""
        if len(found.schools) > 1:
            merged = (
                f"В столбце «Прошлый год» — значения {short_year(last.label)} объединённых ОО "
                f"({', '.join(s.code for s in found.schools)}): доли — по ним вместе, остальное не сопоставимо; "
                "его заполнять не нужно."
            )
        out[code] = PreviousValues(short_year(last.label), texts, merged)
    year = short_year(last.label)
    note = f"В {year} ОО не было в рейтинге мониторинга, поэтому столбец «Прошлый год» пуст."
    return {code: out.get(code) or PreviousValues(year, {}, note) for code in codes}


def _input_texts(ind: Indicator, entry: IndicatorResult | None) -> dict[str, str]:
    """A computed indicator's inputs as typed last year, by their rows' codes («ROD-6.r1»)."""
    keys = {item.key for item in ind.inputs}
    given = entry.inputs if entry is not None else {}
    return {layout.input_code(ind.code, k): format_compact(v, 6) for k, v in given.items() if k in keys}


def read_previous_values(
    config: Config, codes: Sequence[str], previous: Sequence[Path], school_map: Path | None
) -> dict[str, PreviousValues] | None:
    """``form --previous``: read the earlier results (and the map) and word each school's values.

    None without ``previous``; raises what ``dynamics.load_baseline`` raises.
    """
    label = current_label(config.monitoring.period)
    baseline = load_baseline(previous, school_map, config.monitoring.id, label, Limits(len(codes)))
    if baseline is None:
        return None
    return previous_values(config, codes, baseline.years, baseline.school_map)
