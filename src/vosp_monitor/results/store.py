"""results.json: writing the result model, and reading it back from any schema version.

The file carries ``schema_version``. Reading an older file is a migration, never a
refusal (``migrate.py``; what an old schema did not store is computed by
``analysis.stored``, whose readers every caller uses: an analyst must be able to re-render, and next year compare
with, every results.json ever written); only a file from a *newer* vosp-monitor is
refused, with a message saying to update. Problems are stored as data with their
parameters (``Problem.to_dict``), so their Russian wording can change without making old
files unreadable.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Iterable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import orjson

from ..config import Config
from ..problems import Problem
from ..validate.submission import Normalisation
from ..words.text import TEXT_LIMIT, clip
from .distribution import Distribution
from .dynamics import dynamics_from_dict, dynamics_to_dict, school_change_to_dict
from .jsonfile import ResultsFileError
from .migrate import Derivation, upgrade
from .model import (
    SCHEMA_VERSION,
    BlockConclusion,
    BlockResult,
    BlockStats,
    Conclusions,
    DistrictKind,
    ExcludedSchool,
    ExpectedSchool,
    GroupGap,
    GroupStats,
    IndicatorResult,
    IndicatorStats,
    Results,
    RiskEntry,
    SchoolResult,
    SkippedFile,
    Standing,
    TargetStats,
)
from .profiles import CommonCause, Contrast, Profile, SizeContrast, Subject, Trait
from .robustness import audit_from_dict, uncertainty_from_dict
from .shape import ShapeError, check_results_shape, clip_texts
from .territories import territories_from_dict, territories_to_dict


def _clean(value: Any) -> Any:
    """NaN and infinities are not JSON; they never belong in results anyway."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


_SCHOOL_FIELDS = tuple(f.name for f in fields(SchoolResult))
_school_values = operator.attrgetter(*_SCHOOL_FIELDS)


# Dict displays, field by field: four times faster than dict(zip(fields, values)) for the
# million indicator records of 40,000 schools. tests/test_results.py keeps them in step
# with the dataclasses.
def _indicator_dict(i: IndicatorResult) -> dict[str, Any]:
    return {
        "code": i.code,
        "value": i.value,
        "points": i.points,
        "max_points": i.max_points,
        "score": i.score,
        "status": i.status,
        "numerator": i.numerator,
        "denominator": i.denominator,
        "deficit": i.deficit,
        "target_met": i.target_met,
        "inputs": dict(i.inputs),
        "small": i.small,
    }


def _block_dict(b: BlockResult) -> dict[str, Any]:
    return {
        "id": b.id,
        "score": b.score,
        "points": b.points,
        "max_points": b.max_points,
        "place": b.place,
        "below_base": b.below_base,
    }


def _school_to_dict(school: SchoolResult) -> dict[str, Any]:
    """Like ``asdict`` but without its deep copies: 40,000 schools × 25 indicators in seconds."""
    data = dict(zip(_SCHOOL_FIELDS, _school_values(school), strict=True))
    data["groups"] = dict(school.groups)
    data["group_places"] = dict(school.group_places)
    data["deficits"] = list(school.deficits)
    data["blocks"] = {k: _block_dict(b) for k, b in school.blocks.items()}
    data["indicators"] = {k: _indicator_dict(i) for k, i in school.indicators.items()}
    return data


def _excluded_dict(item: ExcludedSchool) -> dict[str, Any]:
    return {
        "file": item.file,
        "code": item.code,
        "name": item.name,
        "problems": [p.to_dict() for p in item.problems],
        "head": item.head,
    }


def _parts_to_dict(results: Results, *, schools: bool = True) -> dict[str, Any]:
    """Everything except the schools (and, with ``schools=False``, the schools' changes), cleaned of NaN."""
    data = {f.name: getattr(results, f.name) for f in fields(results) if f.name != "schools"}
    data["config"] = results.config.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    data["excluded"] = [_excluded_dict(item) for item in results.excluded]
    for key in ("not_submitted", "skipped", "normalisations", "group_stats", "risk"):
        data[key] = [asdict(item) for item in data[key]]
    data["problems"] = [p.to_dict() for p in results.problems]
    data["total_stats"] = asdict(results.total_stats)
    for key in ("block_stats", "indicator_stats", "targets"):
        data[key] = {k: asdict(v) for k, v in data[key].items()}
    data["targets"] = {k: {**v, "kind": str(v["kind"])} for k, v in data["targets"].items()}
    data["leaders"] = list(results.leaders)
    for key in ("uncertainty", "audit"):
        data[key] = None if data[key] is None else asdict(data[key])
    data["conclusions"] = asdict(results.conclusions)
    data["dynamics"] = (
        None if results.dynamics is None else dynamics_to_dict(results.dynamics, schools=schools)
    )
    data["territories"] = territories_to_dict(results.territories)
    cleaned: dict[str, Any] = _clean(data)
    return cleaned


def results_to_dict(results: Results) -> dict[str, Any]:
    data = _parts_to_dict(results)
    data["schools"] = [_clean(_school_to_dict(s)) for s in results.schools]
    return {f.name: data[f.name] for f in fields(results)}


INDENT_UP_TO = 300  # schools (a district); larger runs are streamed compact, one school at a time


def write_results_json(results: Results, path: Path) -> None:
    """Serialise to ``path`` (the caller writes atomically).

    A district-sized run is indented (readable, diffable between years). A large one is
    streamed compact: each school is encoded on its own by orjson (json's indenting
    encoder is pure Python and would take minutes; orjson is four times faster than its C
    encoder), so neither a million small dicts nor one huge string is ever held in
    memory. orjson writes a NaN that slipped through as null, as :func:`_clean` does.
    """
    if len(results.schools) <= INDENT_UP_TO:
        text = json.dumps(results_to_dict(results), ensure_ascii=False, indent=1)
        path.write_text(text, encoding="utf-8")
        return
    parts = _parts_to_dict(results, schools=False)
    with path.open("wb") as handle:
        handle.write(b"{")
        for k, f in enumerate(fields(results)):
            handle.write(b"," * bool(k) + orjson.dumps(f.name) + b":")
            if f.name == "schools":
                _stream(handle, (_school_to_dict(school) for school in results.schools))
            elif f.name == "dynamics" and results.dynamics is not None:
                rest = {k: v for k, v in parts[f.name].items() if k != "schools"}
                handle.write(_dumps(rest)[:-1] + b',"schools":')
                _stream(handle, (school_change_to_dict(change) for change in results.dynamics.schools))
                handle.write(b"}")
            else:
                handle.write(_dumps(parts[f.name]))
        handle.write(b"}")


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


def _stream(handle: Any, items: Iterable[dict[str, Any]]) -> None:
    """A JSON array written item by item."""
    handle.write(b"[")
    for i, item in enumerate(items):
        handle.write(b"," * bool(i) + _dumps(item))
    handle.write(b"]")


# --------------------------------------------------------------------------- reading


def _indicator_from_dict(v: dict[str, Any]) -> IndicatorResult:
    """Field by field (positional): twice as fast as ``IndicatorResult(**v)`` for a million records."""
    return IndicatorResult(
        v["code"],
        v["value"],
        v["points"],
        v["max_points"],
        v["score"],
        v["status"],
        v["numerator"],
        v["denominator"],
        v["deficit"],
        v["target_met"],
        v["inputs"],
        v["small"],
    )


def _school_from_dict(data: dict[str, Any]) -> SchoolResult:
    data = dict(data)
    for key in ("code", "name", "file", "head"):  # texts of a form: cut as a form's are
        if len(data.get(key, "")) > TEXT_LIMIT:
            data[key] = clip(data[key])
    data["groups"] = clip_texts(data["groups"])
    data["blocks"] = {k: BlockResult(**v) for k, v in data["blocks"].items()}
    data["indicators"] = {k: _indicator_from_dict(v) for k, v in data["indicators"].items()}
    return SchoolResult(**data)


def _group_from_dict(data: dict[str, Any]) -> GroupStats:
    return GroupStats(
        key=data["key"],
        value=data["value"],
        count=data["count"],
        total=Distribution(**data["total"]),
        blocks={k: Distribution(**v) for k, v in data["blocks"].items()},
    )


def _target_from_dict(data: dict[str, Any]) -> TargetStats:
    return TargetStats(**{**data, "kind": DistrictKind(data["kind"])})


def _conclusions_from_dict(data: dict[str, Any]) -> Conclusions:
    def gaps(items: list[dict[str, Any]]) -> list[GroupGap]:
        return [GroupGap(**g) for g in items]

    blocks = [
        BlockConclusion(
            **{
                **b,
                "strongest": [Standing(**s) for s in b["strongest"]],
                "weakest": [Standing(**s) for s in b["weakest"]],
                "gaps": gaps(b["gaps"]),
            }
        )
        for b in data["blocks"]
    ]
    cause = data["cause"]
    return Conclusions(
        **{
            **data,
            "blocks": blocks,
            "total_gaps": gaps(data["total_gaps"]),
            "weakest": [Standing(**s) for s in data["weakest"]],
            "profiles": [_profile_from_dict(p) for p in data["profiles"]],
            "cause": None
            if cause is None
            else CommonCause(**{**cause, "traits": [Trait(**t) for t in cause["traits"]]}),
        }
    )


def _profile_from_dict(data: dict[str, Any]) -> Profile:
    size = data["size"]
    return Profile(
        subject=Subject(data["subject"]),
        ref=data["ref"],
        schools=data["schools"],
        others=data["others"],
        traits=[Trait(**t) for t in data["traits"]],
        size=None if size is None else SizeContrast(**size),
        contrasts=[Contrast(**c) for c in data["contrasts"]],
    )


def _excluded_from_dict(data: dict[str, Any]) -> ExcludedSchool:
    problems = [Problem.from_dict(p) for p in data["problems"]]
    return ExcludedSchool(
        file=data["file"], code=data["code"], name=data["name"], problems=problems, head=data["head"]
    )


def _schema_version(data: Any) -> int:
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ResultsFileError(f"не похож на results.json vosp-monitor: нет версии схемы ({version!r})")
    if version > SCHEMA_VERSION:
        raise ResultsFileError(
            f"записан более новой версией vosp-monitor (версия схемы {version}); эта версия "
            f"программы читает версии схемы до {SCHEMA_VERSION}. Обновите vosp-monitor "
            "(pip install --upgrade vosp-monitor) и повторите"
        )
    return version


def decode_results(data: dict[str, Any], *, schools: bool = True) -> tuple[Results, list[Derivation]]:
    """Results from a results.json of any schema version up to :data:`SCHEMA_VERSION`, and
    what its schema did not store (computed by ``analysis.stored``, which callers use).

    ``schools=False``: see ``analysis.stored.results_from_data``. Raises
    :class:`ResultsFileError` for a newer schema; ``KeyError``/``TypeError``/``ValueError``
    when the data is not a results.json at all (``shape.ShapeError``, a ValueError, says
    where the data differs from the model).
    """

    version = _schema_version(data)
    data, derived = upgrade(data, version)
    if not schools and not derived:
        data = {**data, "schools": []}
        if isinstance(data.get("dynamics"), dict):
            data["dynamics"] = {**data["dynamics"], "schools": []}
    check_results_shape(data)
    data = _clipped(data)
    results = Results(
        config=_stored_config(data["config"]),
        generated_at=data["generated_at"],
        tool_version=data["tool_version"],
        source=data["source"],
        schools=[_school_from_dict(s) for s in data["schools"]],
        excluded=[_excluded_from_dict(e) for e in data["excluded"]],
        not_submitted=[ExpectedSchool(**e) for e in data["not_submitted"]],
        expected_count=data.get("expected_count"),
        skipped=[SkippedFile(**s) for s in data["skipped"]],
        problems=[Problem.from_dict(p) for p in data["problems"]],
        normalisations=[Normalisation(**n) for n in data["normalisations"]],
        total_stats=Distribution(**data["total_stats"]),
        level_counts=data["level_counts"],
        block_stats={
            k: BlockStats(**{**v, "scores": Distribution(**v["scores"])})
            for k, v in data["block_stats"].items()
        },
        indicator_stats={
            k: IndicatorStats(
                **{
                    **v,
                    "values": Distribution(**v["values"]),
                    "scores": Distribution(**v["scores"]),
                }
            )
            for k, v in data["indicator_stats"].items()
        },
        system_deficits=data["system_deficits"],
        group_stats=[_group_from_dict(g) for g in data["group_stats"]],
        targets={k: _target_from_dict(v) for k, v in data["targets"].items()},
        risk=[RiskEntry(**r) for r in data["risk"]],
        leaders=list(data["leaders"]),
        uncertainty=uncertainty_from_dict(data["uncertainty"]),
        audit=audit_from_dict(data["audit"]),
        conclusions=_conclusions_from_dict(data["conclusions"]) if "conclusions" in data else Conclusions(),
        dynamics=dynamics_from_dict(data["dynamics"]),
        territories=territories_from_dict(data["territories"]),
        schema_version=SCHEMA_VERSION,
    )
    return results, derived


def _clipped(data: dict[str, Any]) -> dict[str, Any]:
    """Every text cut to a form's limit: the schools' where they are decoded, the rest here."""
    rest = {k: clip_texts(v) for k, v in data.items() if k not in ("schools", "dynamics", "config")}
    dynamics = data.get("dynamics")
    if isinstance(dynamics, dict):
        changes = [
            {**change, **{k: clip_texts(change[k]) for k in ("code", "previous_codes", "previous_names")}}
            for change in dynamics["schools"]
        ]
        rest["dynamics"] = {
            **clip_texts({k: v for k, v in dynamics.items() if k != "schools"}),
            "schools": changes,
        }
    return {**data, **rest}


def _stored_config(data: dict[str, Any]) -> Config:
    """The config the results were computed with; pydantic's complaints in Russian (a ShapeError)."""
    from pydantic import ValidationError

    from ..config.loader import validation_messages

    try:
        return Config.model_validate(clip_texts(data))
    except ValidationError as exc:
        raise ShapeError(f"config.{'; config.'.join(validation_messages(exc)[:3])}") from None
