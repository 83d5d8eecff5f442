"""The typed model of indicators.yaml: what is asked, how it is scored, weighted and banded.

Every later stage reads these frozen pydantic objects, never raw YAML. Unknown keys are
errors (``extra="forbid"``): a typo must never pass silently. Longer than 400 lines only
because it is the whole schema, one class per section of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..expressions import Expression, parse_expression


class _Model(BaseModel):
    # allow_inf_nan=False: «weight: .inf» or «.nan» would pass every range check and then
    # exclude every school; no number in a config is ever meant to be infinite.
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class FieldType(StrEnum):
    text = "text"
    integer = "integer"
    number = "number"
    choice = "choice"
    yesno = "yesno"
    date = "date"


class FieldRole(StrEnum):
    key = "key"  # the school code: one per config
    name = "name"  # the school's name: one per config
    group = "group"  # a peer-group field (тип ОО, город/село)
    contingent = "contingent"  # a number used as a denominator
    info = "info"  # anything else (head, phone, who filled in the form)


class SchoolField(_Model):
    """One labelled row of the «Сведения об ОО» sheet."""

    key: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str = Field(min_length=1)
    type: FieldType = FieldType.text
    role: FieldRole = FieldRole.info
    required: bool = True
    min: float | None = None
    max: float | None = None
    choices: list[str] | None = None
    hint: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> SchoolField:
        if self.type == FieldType.choice and not self.choices:
            raise ValueError("для поля типа choice нужен список choices")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min больше max")
        return self


class IndicatorType(StrEnum):
    share = "share"  # numerator / denominator × 100, in %
    quantity = "count"  # a whole number ≥ 0 (member not named `count`: it would shadow str.count)
    number = "number"  # any number
    percent = "percent"  # a percentage typed by the school
    yesno = "yesno"  # да / нет
    choice = "choice"  # one of several options, each worth some points
    mark = "mark"  # an expert mark 0..max_mark


class Direction(StrEnum):
    """Which way is better. Members are not named `lower`/`higher`: `lower` would shadow str.lower."""

    higher_better = "higher"
    lower_better = "lower"


class MissingPolicy(StrEnum):
    error = "error"  # the school is excluded from the ranking
    zero = "zero"  # the indicator scores 0 points
    not_applicable = "not_applicable"  # dropped from both the sum and the maximum


class Method(StrEnum):
    bands = "bands"
    options = "options"
    yesno = "yesno"
    mark = "mark"
    linear = "linear"
    minmax = "minmax"
    target = "target"
    zscore = "zscore"


class Aggregation(StrEnum):
    arithmetic = "arithmetic"
    geometric = "geometric"
    percent_of_max = "percent_of_max"


class Transform(StrEnum):
    """Done to a value and the goalposts before scoring (``log``: ln, as UNDP's income index)."""

    none = "none"
    log = "log"


class Band(_Model):
    """Points for values in [from, to): lower edge inclusive, upper exclusive, None = open."""

    lower: float | None = Field(default=None, alias="from")
    upper: float | None = Field(default=None, alias="to")
    points: float = Field(ge=0)

    def contains(self, value: float) -> bool:
        return (self.lower is None or value >= self.lower) and (self.upper is None or value < self.upper)


class Option(_Model):
    label: str = Field(min_length=1)
    points: float = Field(ge=0)


class Scoring(_Model):
    """How a value becomes points and a score 0–100.

    ``bands``/``options``/``yesno``/``mark`` give points; the score is points / max × 100.
    ``linear``/``minmax``/``target``/``zscore`` give a score 0–100; the points are
    score / 100 × ``max_points``.
    """

    method: Method
    bands: list[Band] | None = None
    low: float | None = None
    high: float | None = None
    max_points: float | None = Field(default=None, gt=0)
    yes_points: float | None = Field(default=None, ge=0)
    transform: Transform = Transform.none


class DeficitRule(_Model):
    """When a school has a deficit on an indicator; any condition that is set fires it."""

    points_at_most: float | None = None
    score_below: float | None = Field(default=None, ge=0, le=100)
    target_missed: bool = False


class Indicator(_Model):
    code: str = Field(pattern=r"^[A-Za-zА-Яа-яЁё][\w-]*$")
    title: str = Field(min_length=1)
    hint: str = ""
    type: IndicatorType
    unit: str = ""
    numerator: str | None = None
    denominator: str | None = None
    denominator_field: str | None = None
    numerator_within: str | None = None
    denominator_within: str | None = None
    min: float | None = None
    max: float | None = None
    direction: Direction = Direction.higher_better
    weight: float = Field(default=1.0, ge=0)
    missing: MissingPolicy = MissingPolicy.error
    scoring: Scoring | None = None
    options: list[Option] | None = None
    max_mark: int | None = Field(default=None, ge=1)
    target: float | None = None
    critical: bool = False
    deficit: DeficitRule | None = None
    measure: str = ""
    district_measure: str = ""
    evidence: str = ""

    @property
    def method(self) -> Method:
        if self.scoring is not None:
            return self.scoring.method
        return {
            IndicatorType.choice: Method.options,
            IndicatorType.yesno: Method.yesno,
            IndicatorType.mark: Method.mark,
        }[self.type]

    @property
    def max_points(self) -> float:
        """The most points this indicator can give one school."""
        method = self.method
        scoring = self.scoring
        if method == Method.bands and scoring and scoring.bands:
            return max(band.points for band in scoring.bands)
        if method == Method.options and self.options:
            return max(option.points for option in self.options)
        if method == Method.yesno:
            return scoring.yes_points if scoring and scoring.yes_points is not None else 1.0
        if method == Method.mark:
            return float(self.max_mark or 1)
        return scoring.max_points if scoring and scoring.max_points else 100.0

    @property
    def log_scale(self) -> bool:
        """True when the value and the goalposts are scored on the log scale (``transform: log``)."""
        return self.scoring is not None and self.scoring.transform == Transform.log

    @property
    def deficit_rule(self) -> DeficitRule:
        return self.deficit or DeficitRule(points_at_most=0)

    @property
    def input_cells(self) -> tuple[str, ...]:
        """The value columns this indicator needs in the form."""
        if self.type == IndicatorType.share:
            return ("numerator",) if self.denominator_field else ("numerator", "denominator")
        return ("value",)


class Block(_Model):
    id: str = Field(pattern=r"^[A-Za-zА-Яа-яЁё][\w-]*$")
    title: str = Field(min_length=1)
    weight: float = Field(default=1.0, ge=0)
    aggregation: Aggregation | None = None
    min_coverage: float | None = Field(default=None, ge=0, le=1)  # overrides scoring.min_coverage
    indicators: list[Indicator] = Field(default_factory=list)
    blocks: list[Block] = Field(default_factory=list)

    def all_indicators(self) -> Iterator[Indicator]:
        yield from self.indicators
        for child in self.blocks:
            yield from child.all_indicators()

    def all_blocks(self) -> Iterator[Block]:
        yield self
        for child in self.blocks:
            yield from child.all_blocks()


class Level(_Model):
    label: str = Field(min_length=1)
    lower: float = Field(alias="from", ge=0, le=100)


class CriticalRule(_Model):
    label: str = "ниже базового"
    zero_block_score: bool = False


class ScoringSettings(_Model):
    aggregation: Aggregation = Aggregation.arithmetic
    levels: list[Level] = Field(
        default_factory=lambda: [
            Level(label="низкий", **{"from": 0}),
            Level(label="средний", **{"from": 50}),
            Level(label="высокий", **{"from": 80}),
        ]
    )
    critical: CriticalRule = Field(default_factory=CriticalRule)
    min_coverage: float = Field(default=0.0, ge=0, le=1)  # share of a block's weight with values


class Ranking(_Model):
    ties: Literal["min", "dense"] = "min"
    decimals: int = Field(default=2, ge=0, le=12)
    groups: list[str] = Field(default_factory=list)


class WeightNoise(_Model):
    """± share by which each weight may vary in the Monte Carlo runs, per level of the tree."""

    indicators: float = Field(default=0.25, ge=0, lt=1)  # indicators within their block
    subblocks: float = Field(default=0.25, ge=0, lt=1)  # nested blocks within their parent
    blocks: float = Field(default=0.25, ge=0, lt=1)  # top-level blocks within the total


class UncertaintySettings(_Model):
    """Rank robustness: how far places move under reasonable changes of weights and aggregation."""

    enabled: bool = False
    runs: int = Field(default=1000, ge=10, le=100_000)
    seed: int = Field(default=1, ge=0, le=2**63 - 1)
    weight_noise: WeightNoise = Field(default_factory=WeightNoise)
    aggregations: list[Aggregation] = Field(default_factory=list)  # besides the configured scheme
    leave_one_out: bool = True
    sensitivity: bool = True


class AuditSettings(_Model):
    """Thresholds of the statistical audit of the indicator set (advice for next year)."""

    enabled: bool = True
    weak_correlation: float = Field(default=0.2, ge=0, le=1)
    collinear: float = Field(default=0.9, gt=0, le=1)
    same_points_share: float = Field(default=0.9, gt=0, le=1)
    low_alpha: float = Field(default=0.6, ge=0, le=1)


class AnalysisSettings(_Model):
    system_deficit_share: float = Field(default=0.3, gt=0, le=1)
    outlier_iqr: float = Field(default=3.0, gt=0)
    top_share: float = Field(default=0.1, gt=0, le=1)
    uncertainty: UncertaintySettings = Field(default_factory=UncertaintySettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)


class DynamicsSettings(_Model):
    """Year over year (``--previous``): how large a change must be to count.

    ``min_change`` is in points of a 0–100 score (totals, blocks) and in percentage points
    of a percentage (shares, percents, «да/нет» as the share of schools answering «да»,
    choices and expert marks as a share of their maximum); ``min_relative_change`` is a
    percentage of last year's value, for counts and other numbers, which have no natural
    scale. A smaller change is «без существенных изменений» and is never ranked.
    """

    min_change: float = Field(default=2.0, ge=0)
    min_relative_change: float = Field(default=10.0, ge=0)


class Check(_Model):
    rule: str = Field(min_length=1)
    message: str = ""
    severity: Literal["error", "warning"] = "error"


class Monitoring(_Model):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    authority: str = ""
    period: str = ""
    form_version: str = Field(min_length=1)
    basis: str = ""
    purpose: str = ""
    instructions: str = ""
    previous_versions: dict[str, str] = Field(default_factory=dict)


class Config(_Model):
    monitoring: Monitoring
    school_fields: list[SchoolField] = Field(min_length=1)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    ranking: Ranking = Field(default_factory=Ranking)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    dynamics: DynamicsSettings = Field(default_factory=DynamicsSettings)
    checks: list[Check] = Field(default_factory=list)
    blocks: list[Block] = Field(min_length=1)

    # ---- navigation helpers used by every later stage ----
    # Built once per Config (cached_property writes to the instance __dict__, which a
    # frozen model allows and pydantic leaves out of fields, dumps and equality), so
    # that no later stage needs a cache of its own.
    @cached_property
    def _indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for block in self.blocks for ind in block.all_indicators())

    @cached_property
    def _indicator_index(self) -> dict[str, Indicator]:
        return {ind.code: ind for ind in self._indicators}

    @cached_property
    def _field_index(self) -> dict[str, SchoolField]:
        return {f.key: f for f in self.school_fields}

    @cached_property
    def _block_of(self) -> dict[str, str]:
        return {ind.code: b.id for b in self.all_blocks() for ind in b.indicators}

    def indicators(self) -> list[Indicator]:
        """Every indicator, depth first in config order (a new list: callers may keep it)."""
        return list(self._indicators)

    def all_blocks(self) -> list[Block]:
        return [b for block in self.blocks for b in block.all_blocks()]

    def indicator(self, code: str) -> Indicator:
        return self._indicator_index[code]

    def has_indicator(self, code: str) -> bool:
        return code in self._indicator_index

    def field(self, key: str) -> SchoolField:
        return self._field_index[key]

    @cached_property
    def key_field(self) -> SchoolField:
        return next(f for f in self.school_fields if f.role == FieldRole.key)

    @cached_property
    def name_field(self) -> SchoolField:
        return next(f for f in self.school_fields if f.role == FieldRole.name)

    def block_of(self) -> dict[str, str]:
        """Indicator code → id of the block that holds it directly."""
        return self._block_of

    def check_expressions(self) -> list[tuple[Check, Expression]]:
        return [(check, parse_expression(check.rule)) for check in self.checks]

    def check_names(self) -> set[str]:
        """Names that a cross-field check may use."""
        names = {f.key for f in self.school_fields}
        for ind in self.indicators():
            names |= {ind.code, f"{ind.code}.value", f"{ind.code}.numerator"}
            names.add(f"{ind.code}.denominator")
        return names

    def level_for(self, score: float) -> str:
        label = self.scoring.levels[0].label
        for level in self.scoring.levels:
            if score >= level.lower:
                label = level.label
        return label


Block.model_rebuild()
