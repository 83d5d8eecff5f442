"""Which of last year's schools each school of this year continues, and its values then.

A school continues last year's school with the same code (compared as a person reads
it, ``text.code_key``) unless the school map says where that code went; the map adds
the schools that changed their code and, several old codes to one new, the merged ones.
The same matching serves the comparison (``compare``) and the form that shows each
school what it reported last year (``form --previous``).

Last year's value of a merged school is known only for shares: the predecessors' pupils
or teachers are pooled (Σ numerators / Σ denominators), exactly as the district value
is. A count or a choice of two schools cannot be made into one school's value, so for
those, and for totals, places and levels, a merged school is «несопоставимо».
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..results import Link, SchoolResult
from ..words.text import code_key
from .schoolmap import SchoolMap


@dataclass(slots=True)
class Predecessors:
    link: Link
    schools: list[SchoolResult]  # last year's records, by code


@dataclass(slots=True)
class Matching:
    by_code: dict[str, Predecessors] = field(default_factory=dict)  # this year's code → predecessors
    unmatched: list[tuple[SchoolResult, str | None]] = field(default_factory=list)  # (school, code now)
    unused_map: list[str] = field(default_factory=list)  # «old → new» rows that name an unknown code


def match_schools(
    current: Sequence[str],
    previous: Sequence[SchoolResult],
    school_map: SchoolMap | None,
    *,
    known_now: Iterable[str] = (),
    known_then: Iterable[str] = (),
) -> Matching:
    """Predecessors of each ``current`` code among last year's ranked ``previous`` schools.

    ``known_now`` / ``known_then``: every code of each year (excluded and missing schools
    too), so that a map row is reported unused only when a code in it is unknown.
    """
    then = {code_key(s.code): s for s in previous}
    now = {code_key(code): code for code in current}
    known_now_keys = set(now) | {code_key(c) for c in known_now}
    known_then_keys = set(then) | {code_key(c) for c in known_then}
    result = Matching()
    mapped: dict[str, list[SchoolResult]] = {}
    moved: dict[str, str] = {}  # old key → the code it has now (the map's new code)
    for old, new in school_map.pairs if school_map else ():
        old_key, new_key = code_key(old), code_key(new)
        if old_key not in known_then_keys or new_key not in known_now_keys:
            result.unused_map.append(f"{old} → {new}")
        moved[old_key] = new
        if old_key in then and new_key in now:
            mapped.setdefault(new_key, []).append(then[old_key])
    linked: set[str] = set()
    for code in current:
        key = code_key(code)
        schools = sorted(mapped.get(key, []), key=lambda s: s.code)
        if key in then and key not in moved:
            schools.insert(0, then[key])
        if not schools:
            continue
        if len(schools) > 1:
            link = Link.merged
        else:
            link = Link.same if code_key(schools[0].code) == key else Link.renamed
        result.by_code[code] = Predecessors(link, schools)
        linked.update(code_key(s.code) for s in schools)
    for key, school in then.items():
        if key not in linked:
            result.unmatched.append((school, moved.get(key, school.code)))
    return result


def previous_value(
    code: str, schools: Sequence[SchoolResult], share: bool
) -> tuple[float, float | None, float | None] | None:
    """(value, numerator, denominator) of last year, or None when there is none to compare.

    One predecessor: its value. Several (a merger): shares pooled over all of them, and
    only when every one of them reported the share; anything else None.
    """
    if len(schools) == 1:
        entry = schools[0].indicators.get(code)
        if entry is None or entry.value is None:
            return None
        return entry.value, entry.numerator, entry.denominator
    if not share:
        return None
    numerator = denominator = 0.0
    for school in schools:
        entry = school.indicators.get(code)
        if entry is None or entry.value is None or entry.numerator is None or not entry.denominator:
            return None
        numerator += entry.numerator
        denominator += entry.denominator
    return numerator / denominator * 100.0, numerator, denominator
