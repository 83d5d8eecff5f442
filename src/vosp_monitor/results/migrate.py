"""Reading results.json of earlier schema versions: each older shape is upgraded to today's.

An analyst re-renders last year's справка and, next year, compares with it, so no
results.json that vosp-monitor ever wrote may become unreadable. Each version's
differences are upgraded here, at the level of the JSON data, before the one reader in
``store.py`` builds the model; statistics that an older version did not store are then
computed from the stored schools by the same functions a new run uses
(:class:`Derivation`, computed by ``analysis.stored``).

Schema 1 → 2:

* ``excluded[].reasons`` (finished Russian sentences) become ``excluded[].problems``: the
  stored problems whose message is the reason (same file or school code). The reason
  «ни один показатель не применим» becomes a ``school-nothing-applicable`` problem, also
  added to ``problems`` as a new run does. The two generic texts of schema 1
  («файл не прочитан как форма мониторинга», «исключена при проверке») were written only
  for a school without any error problem and say no more than the record itself.
* problems: ``Problem.from_dict`` reads the schema-1 problem dicts.
* normalisations: what a number was read as («72.5») is shown the Russian way («72,5»),
  as schema 2 writes it.
* peer-group comparisons, target attainment, the risk zone and the leaders are computed.

Schema 2 → 3:

* ``uncertainty`` is absent (a Monte Carlo run needs the scoring of that year's forms,
  and an old run is not re-scored on reading);
* ``audit``, the statistical audit of the indicator set, is computed from the stored
  schools by the same function a new run uses (``analysis.audit``).

Schema 3 → 4: the facts of the written conclusions (``conclusions``) are computed from the
stored statistics by the same function a new run uses (``analysis.conclusions``).

Schema ≤ 3 files also get their deficit rule of the time (0 points) written into their
config (``analysis.deficit``), since today's default rule is another one.

Schema 4 → 5: ``dynamics`` is ``None`` (no comparison with earlier years was stored; a
``report --previous`` computes one).

Schema 5 → 6: the heads' names were not stored (``head`` is "", so the letters are addressed
to the school without a name); the stored config lacks the documents' реквизиты, which read
as not given (highlighted placeholders in the documents, as for a config without them).

Schema 6 → 7: ``territories`` is ``None``: an older run was not rolled up by territory (its
schools do not say where they belong), and its config reads with the default ``territories``.

Schema 7 → 8: no indicator had inputs or a «мало данных» flag (``inputs`` empty, ``small``
false, ``small_count`` 0).

Schema 8 → 9: the schools' sizes were not stored (``size`` is None: the profiles say nothing
about size); the conclusions, which now hold what the schools behind each weak result share,
are computed again from the stored schools (``analysis.conclusions``).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from ..problems import Consequence, make_problem
from .model import SCHEMA_VERSION


class Derivation(enum.Enum):
    """What an older schema did not store and must be computed from the stored schools after
    reading. The computing is analysis's (``analysis.stored``): results stays below analysis."""

    findings = "findings"  # peer groups, targets, the risk zone, the leaders (schema 1)
    audit = "audit"  # the statistical audit of the indicator set (schema ≤ 2)
    conclusions = "conclusions"  # the facts of the written conclusions (schema ≤ 3; their causes: ≤ 6)


NOTHING_APPLICABLE_V1 = "ни один показатель не применим"


def upgrade(data: dict[str, Any], version: int) -> tuple[dict[str, Any], list[Derivation]]:
    """``data`` in today's shape, and what must then be computed from the stored schools.

    Each step upgrades one version to the next, so a file of any age goes through them all.
    """
    derived: list[Derivation] = []
    while version < SCHEMA_VERSION:
        step, derivation = _STEPS[version]
        data, version = step(data), version + 1
        if derivation is not None and derivation not in derived:
            derived.append(derivation)
    return data, derived


def _from_v1(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    problems: list[dict[str, Any]] = list(data["problems"])
    by_message: dict[str, list[dict[str, Any]]] = {}
    for problem in problems:
        if problem.get("severity") == "error":
            by_message.setdefault(problem.get("message", ""), []).append(problem)
    excluded = []
    for entry in data["excluded"]:
        found = []
        for reason in entry["reasons"]:
            match = _matching(by_message.get(reason, []), entry)
            if match is not None:
                found.append(match)
            elif reason == NOTHING_APPLICABLE_V1:
                nothing = make_problem(
                    "school-nothing-applicable",
                    file=entry["file"],
                    school=entry["code"],
                    consequence=Consequence.school_excluded,
                ).to_dict()
                problems.append(nothing)
                found.append(nothing)
        excluded.append(
            {"file": entry["file"], "code": entry["code"], "name": entry["name"], "problems": found}
        )
    data["excluded"] = excluded
    data["problems"] = problems
    data["normalisations"] = [{**n, "read_as": _russian_number(n["read_as"])} for n in data["normalisations"]]
    data.update(group_stats=[], targets={}, risk=[], leaders=[])
    return data


def _russian_number(read_as: str) -> str:
    """«72.5» → «72,5»; any other note (a date, «да», an option) stays as written."""
    from ..validate.values import note_number

    try:
        number = float(read_as)
    except ValueError:
        return read_as
    return note_number(number) if read_as.strip() == read_as and "." in read_as else read_as


def _matching(candidates: list[dict[str, Any]], entry: dict[str, Any]) -> dict[str, Any] | None:
    """The problem behind a reason: of the same file or school, else any with that message."""
    own = [p for p in candidates if p.get("file") == entry["file"] or p.get("school") == entry["code"]]
    chosen = own or candidates
    return chosen[0] if chosen else None


def _from_v2(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "uncertainty": None, "audit": None}


# The deficit rule every indicator without its own had before schema 4 (0 points), which
# the stored deficits of an older file were found by; today's default is another rule.
DEFICIT_RULE_BEFORE_V4 = {
    "lowest_points": False,
    "target_missed": False,
    "score_below": None,
    "points_at_most": 0,
}


def _from_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Nothing renamed; the conclusions are computed after reading. The run's deficit rule is
    written into its config as it was then, so that the config says what the stored deficits
    mean (and a comparison with this year sees whether the rule changed)."""
    config = dict(data["config"])
    analysis = dict(config.get("analysis") or {})
    analysis.setdefault("deficit", dict(DEFICIT_RULE_BEFORE_V4))
    return {**data, "config": {**config, "analysis": analysis}}


def _from_v4(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "dynamics": None}


def _from_v5(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **data,
        "schools": [{**school, "head": ""} for school in data["schools"]],
        "excluded": [{**entry, "head": ""} for entry in data["excluded"]],
    }


def _from_v6(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "territories": None}


def _from_v7(data: dict[str, Any]) -> dict[str, Any]:
    """No computed indicators and no «мало данных» flags before schema 8."""
    schools = [
        {
            **school,
            "indicators": {k: {**v, "inputs": {}, "small": False} for k, v in school["indicators"].items()},
        }
        for school in data["schools"]
    ]
    stats = {k: {**v, "small_count": 0} for k, v in data["indicator_stats"].items()}
    return {**data, "schools": schools, "indicator_stats": stats}


def _from_v8(data: dict[str, Any]) -> dict[str, Any]:
    data = {**data, "schools": [{**school, "size": None} for school in data["schools"]]}
    if isinstance(data.get("conclusions"), dict):  # decodable until computed again
        data["conclusions"] = {**data["conclusions"], "weakest": [], "profiles": [], "cause": None}
    return data


# version → (the step to the next version, what must then be computed, if anything)
_STEPS: dict[int, tuple[Callable[[dict[str, Any]], dict[str, Any]], Derivation | None]] = {
    1: (_from_v1, Derivation.findings),
    2: (_from_v2, Derivation.audit),
    3: (_from_v3, Derivation.conclusions),
    4: (_from_v4, None),
    5: (_from_v5, None),
    6: (_from_v6, None),
    7: (_from_v7, None),
    8: (_from_v8, Derivation.conclusions),
}
