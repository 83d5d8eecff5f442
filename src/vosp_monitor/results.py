"""The result model and results.json.

Everything computed by ``score`` lives here, so that every report can be regenerated from
results.json alone (``vosp-monitor report``) and next year's run can use it as a
baseline. The file carries a schema version; readers refuse versions they do not know.
Plain dataclasses keep the model cheap to build for tens of thousands of schools.
"""

from __future__ import annotations

import contextlib
import gc
import json
import math
import operator
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .config import Config
from .errors import VospError
from .problems import Problem
from .submission import Normalisation

SCHEMA_VERSION = 1


@dataclass(slots=True)
class IndicatorResult:
    code: str
    value: float | None
    points: float | None  # None when not applicable
    max_points: float
    score: float | None  # 0–100
    status: str  # EntryStatus value
    numerator: float | None = None
    denominator: float | None = None
    deficit: bool = False
    target_met: bool | None = None


@dataclass(slots=True)
class BlockResult:
    id: str
    score: float | None  # 0–100; None when every indicator is not applicable
    points: float = 0.0
    max_points: float = 0.0
    place: int | None = None
    below_base: bool = False  # the critical-indicator rule fired


@dataclass(slots=True)
class SchoolResult:
    code: str
    name: str
    file: str
    total: float
    level: str
    place: int
    groups: dict[str, str] = field(default_factory=dict)  # group field key → value
    group_places: dict[str, int] = field(default_factory=dict)
    blocks: dict[str, BlockResult] = field(default_factory=dict)
    indicators: dict[str, IndicatorResult] = field(default_factory=dict)
    deficits: list[str] = field(default_factory=list)  # indicator codes
    below_base: bool = False  # any block below base
    warnings: int = 0


@dataclass(slots=True)
class Distribution:
    count: int
    min: float | None = None
    q1: float | None = None
    median: float | None = None
    mean: float | None = None
    q3: float | None = None
    max: float | None = None


@dataclass(slots=True)
class IndicatorStats:
    code: str
    block: str
    values: Distribution
    scores: Distribution
    points_shares: dict[str, float] = field(default_factory=dict)  # "2" → share of schools
    pooled: float | None = None  # Σ numerators / Σ denominators × 100, for shares
    target: float | None = None
    target_share: float | None = None  # share of schools reaching the target
    district_meets_target: bool | None = None  # pooled (or mean) value against the target
    deficit_count: int = 0
    deficit_share: float = 0.0
    system_deficit: bool = False


@dataclass(slots=True)
class BlockStats:
    id: str
    scores: Distribution
    level_counts: dict[str, int] = field(default_factory=dict)
    below_base_count: int = 0


@dataclass(slots=True)
class ExcludedSchool:
    file: str
    code: str
    name: str
    reasons: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SkippedFile:
    file: str
    reason: str


@dataclass(slots=True)
class ExpectedSchool:
    code: str
    name: str


@dataclass(slots=True)
class Results:
    config: Config
    generated_at: str  # ISO date-time of the run
    tool_version: str
    source: str  # the folder or table that was read
    schools: list[SchoolResult]  # ordered by place
    excluded: list[ExcludedSchool] = field(default_factory=list)
    not_submitted: list[ExpectedSchool] = field(default_factory=list)
    expected_count: int | None = None  # from the registry, when given
    skipped: list[SkippedFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    total_stats: Distribution = field(default_factory=lambda: Distribution(0))
    level_counts: dict[str, int] = field(default_factory=dict)
    block_stats: dict[str, BlockStats] = field(default_factory=dict)
    indicator_stats: dict[str, IndicatorStats] = field(default_factory=dict)
    system_deficits: list[str] = field(default_factory=list)
    schema_version: int = SCHEMA_VERSION


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored after it).

    Results for 40,000 schools are about a million small objects, none of them in a
    cycle. While they are built, and while the outputs allocate millions of short-lived
    dicts and strings, the collector would otherwise rescan all of them again and again
    (seconds per output). Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --------------------------------------------------------------------------- JSON


def _clean(value: Any) -> Any:
    """NaN and infinities are not JSON; they never belong in results anyway."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


_INDICATOR_FIELDS = tuple(f.name for f in fields(IndicatorResult))
_BLOCK_FIELDS = tuple(f.name for f in fields(BlockResult))
_SCHOOL_FIELDS = tuple(f.name for f in fields(SchoolResult))


_school_values = operator.attrgetter(*_SCHOOL_FIELDS)


# Dict displays, field by field: four times faster than dict(zip(fields, values)) for the
# million indicator records of 40,000 schools. tests/test_tables.py keeps them in step
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


def _parts_to_dict(results: Results) -> dict[str, Any]:
    """Everything except the schools, cleaned of NaN."""
    data = {f.name: getattr(results, f.name) for f in fields(results) if f.name != "schools"}
    data["config"] = results.config.model_dump(mode="json", by_alias=True, exclude_defaults=False)
    for key in ("excluded", "not_submitted", "skipped", "normalisations"):
        data[key] = [asdict(item) for item in data[key]]
    data["problems"] = [p.to_dict() for p in results.problems]
    data["total_stats"] = asdict(results.total_stats)
    data["block_stats"] = {k: asdict(v) for k, v in results.block_stats.items()}
    data["indicator_stats"] = {k: asdict(v) for k, v in results.indicator_stats.items()}
    return _clean(data)


def results_to_dict(results: Results) -> dict[str, Any]:
    data = _parts_to_dict(results)
    data["schools"] = [_clean(_school_to_dict(s)) for s in results.schools]
    return {f.name: data[f.name] for f in fields(results)}


INDENT_UP_TO = 300  # schools (a district); larger runs are streamed compact, one school at a time


def write_results_json(results: Results, path: Path) -> None:
    """Serialise to ``path`` (the caller writes atomically).

    A district-sized run is indented (readable, diffable between years). A large one is
    streamed: each school is encoded on its own by json's C encoder (the indenting
    encoder is pure Python and would take minutes), so neither a million small dicts
    nor one huge string is ever held in memory.
    """
    if len(results.schools) <= INDENT_UP_TO:
        text = json.dumps(results_to_dict(results), ensure_ascii=False, indent=1)
        path.write_text(text, encoding="utf-8")
        return
    parts = _parts_to_dict(results)
    # json.dumps would build an encoder per school; these are built once.
    strict = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
    lenient = json.JSONEncoder(ensure_ascii=False)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("{")
        for k, f in enumerate(fields(results)):
            handle.write(("," if k else "") + json.dumps(f.name) + ":")
            if f.name != "schools":
                handle.write(json.dumps(parts[f.name], ensure_ascii=False))
                continue
            handle.write("[")
            for i, school in enumerate(results.schools):
                data = _school_to_dict(school)
                try:
                    text = strict.encode(data)
                except ValueError:  # a NaN slipped through: write it as null
                    text = lenient.encode(_clean(data))
                handle.write(("," if i else "") + text)
            handle.write("]")
        handle.write("}")


class ResultsFileError(VospError):
    """results.json cannot be read; the message is in Russian."""


def _school_from_dict(data: dict[str, Any]) -> SchoolResult:
    data = dict(data)
    data["blocks"] = {k: BlockResult(**v) for k, v in data["blocks"].items()}
    data["indicators"] = {k: IndicatorResult(**v) for k, v in data["indicators"].items()}
    return SchoolResult(**data)


def results_from_dict(data: dict[str, Any]) -> Results:
    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ResultsFileError(
            f"results.json версии схемы {version}, эта программа понимает версию {SCHEMA_VERSION}"
        )
    return Results(
        config=Config.model_validate(data["config"]),
        generated_at=data["generated_at"],
        tool_version=data["tool_version"],
        source=data["source"],
        schools=[_school_from_dict(s) for s in data["schools"]],
        excluded=[ExcludedSchool(**e) for e in data["excluded"]],
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
        schema_version=version,
    )


def read_results_json(path: Path) -> Results:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ResultsFileError(f"файл {path} не найден") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ResultsFileError(f"файл {path} повреждён: {exc}") from None
    try:
        return results_from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise ResultsFileError(f"файл {path} не похож на results.json vosp-monitor: {exc}") from None
