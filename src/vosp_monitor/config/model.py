"""The typed model of indicators.yaml: what is asked, how it is scored, weighted and banded.

Every later stage reads these frozen pydantic objects, never raw YAML. Unknown keys are
errors (``extra="forbid"``): a typo must never pass silently. The closed sets the model
uses are in :mod:`.base` and :mod:`.scales`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from functools import cached_property

from pydantic import Field, model_validator

from .base import Aggregation, DeficitRule, FieldMissing, FieldRole, FieldType, MissingPolicy, SmallBase
from .base import ConfigModel as _Model
from .computed import Input, denominator_node
from .documents import Documents, Monitoring
from .expressions import Expression, expression_of, parse_expression
from .method_specs import IMPLIED_METHODS, MethodSpec, method_spec
from .scales import Direction, IndicatorType, Method, Option, Scoring, Transform
from .settings import (
    AnalysisSettings,
    Check,
    DynamicsSettings,
    Ranking,
    ScoringSettings,
    TerritoryRanking,
    TerritoryWeights,
    ValidationSettings,
)

# Fields a school can be ranked without: by default an empty one only warns. A territory
# can also come from the registry or the folder, so its field is not essential either.
_REFERENCE_ROLES = (FieldRole.info, FieldRole.territory)


class SchoolField(_Model):
    """One labelled row of the «Сведения об ОО» sheet.

    ``missing`` says what an empty (or unreadable) field does; by default a reference
    field (``role: info`` — the head, who filled the form in, the date — and ``role:
    territory``) only warns and every other field excludes the school, since without its code, name, group or
    contingent the school cannot be ranked or its shares computed.
    """

    key: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str = Field(min_length=1)
    type: FieldType = FieldType.text
    role: FieldRole = FieldRole.info
    required: bool = True
    missing: FieldMissing | None = None
    min: float | None = None
    max: float | None = None
    choices: list[str] | None = None
    hint: str = ""

    @property
    def missing_policy(self) -> FieldMissing:
        if self.missing is not None:
            return self.missing
        return FieldMissing.warning if self.role in _REFERENCE_ROLES else FieldMissing.error

    @model_validator(mode="after")
    def _consistent(self) -> SchoolField:
        if self.type == FieldType.choice and not self.choices:
            raise ValueError("для поля типа choice нужен список choices")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min больше max")
        return self


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
    invalid: MissingPolicy | None = None  # None: validation.invalid_value
    scoring: Scoring | None = None
    options: list[Option] | None = None
    max_mark: int | None = Field(default=None, ge=1)
    target: float | None = None
    critical: bool = False
    deficit: DeficitRule | None = None
    measure: str = ""
    district_measure: str = ""
    evidence: str = ""
    # type: computed — what the school types, the formula over it, and checks between the inputs
    inputs: list[Input] = Field(default_factory=list)
    formula: str | None = None
    checks: list[Check] = Field(default_factory=list)
    # A value whose denominator is below this rests on too few people (0: never, whatever
    # validation.min_denominator says); None: validation's.
    min_denominator: float | None = Field(default=None, ge=0)
    small_denominator: SmallBase | None = None  # None: validation.small_denominator

    @cached_property
    def expression(self) -> Expression | None:
        """The parsed formula of a computed indicator (the config rules parsed it once already)."""
        return parse_expression(self.formula) if self.formula else None

    @cached_property
    def formula_fields(self) -> frozenset[str]:
        """The school fields a computed indicator's formula reads (its names besides the inputs)."""
        names = self.expression.names if self.expression else frozenset()
        return names - {item.key for item in self.inputs}

    @cached_property
    def parsed_checks(self) -> tuple[tuple[Check, Expression], ...]:
        """The checks between a computed indicator's inputs, parsed (once per run)."""
        return tuple((check, parse_expression(check.rule)) for check in self.checks)

    @cached_property
    def formula_denominator(self) -> Expression | None:
        """What the formula divides by last (``computed.denominator_node``), for ``min_denominator``."""
        node = denominator_node(self.expression.root) if self.expression else None
        return None if node is None else expression_of(node)

    @property
    def method(self) -> Method:
        if self.scoring is not None:
            return self.scoring.method
        return IMPLIED_METHODS[self.type]

    @property
    def spec(self) -> MethodSpec:
        """Everything the indicator's scoring method means (``method_specs``)."""
        return method_spec(self.method)

    @property
    def max_points(self) -> float:
        """The most points this indicator can give one school."""
        return self.spec.max_points(self)

    @property
    def min_points(self) -> float:
        """The fewest points this indicator can give a school (the bottom of its scale)."""
        return self.spec.min_points(self)

    @property
    def log_scale(self) -> bool:
        """True when the value and the goalposts are scored on the log scale (``transform: log``)."""
        return self.scoring is not None and self.scoring.transform == Transform.log

    @property
    def in_percent(self) -> bool:
        """The value is a percentage: a share, a percent, or a computed value whose unit is «%»
        (changes are in percentage points, a district value is a percentage)."""
        computed_share = self.type == IndicatorType.computed and self.unit.strip() == "%"
        return self.type in (IndicatorType.share, IndicatorType.percent) or computed_share

    @property
    def input_cells(self) -> tuple[str, ...]:
        """The value columns this indicator needs in the form."""
        if self.type == IndicatorType.share:
            return ("numerator",) if self.denominator_field else ("numerator", "denominator")
        if self.type == IndicatorType.computed:  # its inputs have rows of their own
            return ()
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


def _territory_fields() -> list[SchoolField]:
    return [
        SchoolField(key="territory", label="Муниципальное образование", role=FieldRole.key),
        SchoolField(
            key="authority",
            label="Орган местного самоуправления, осуществляющий управление в сфере образования",
            role=FieldRole.name,
        ),
        SchoolField(key="head", label="Руководитель органа (ФИО)"),
        SchoolField(key="filled_by", label="Ответственный за заполнение (ФИО, телефон)"),
    ]


class TerritorySettings(_Model):
    """A region by municipality (``territories:``): how schools are grouped, compared and ranked.

    Where a school belongs is found without any setting (a registry column «Муниципалитет»,
    a school field with ``role: territory``, or the sub-folder its form lies in); these keys
    say what a territory is called, when it is compared, how territories are ranked, and
    the indicators a territory answers itself (``blocks``, filled once per territory in its
    own form, ``form --level territory``, whose fields are ``fields``).
    """

    enabled: bool = True  # False: never group schools by territory
    word: str = Field(default="муниципалитет", min_length=1)  # what a territory is called (nominative)
    parent_word: str = Field(default="регион", min_length=1)  # the upper level of a two-level run
    min_schools: int = Field(default=3, ge=1)  # scored schools a territory needs to be ranked
    ranking: TerritoryRanking = TerritoryRanking.mean
    folders: int = Field(default=1, ge=0, le=2)  # levels of sub-folders that name territories
    intervals: bool = True  # places with intervals (weights Monte Carlo + bootstrap over schools)
    weights: TerritoryWeights = Field(default_factory=TerritoryWeights)
    fields: list[SchoolField] = Field(default_factory=_territory_fields, min_length=1)
    blocks: list[Block] = Field(default_factory=list)


class Config(_Model):
    monitoring: Monitoring
    school_fields: list[SchoolField] = Field(min_length=1)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)
    ranking: Ranking = Field(default_factory=Ranking)
    analysis: AnalysisSettings = Field(default_factory=AnalysisSettings)
    validation: ValidationSettings = Field(default_factory=ValidationSettings)
    documents: Documents = Field(default_factory=Documents)
    dynamics: DynamicsSettings = Field(default_factory=DynamicsSettings)
    territories: TerritorySettings = Field(default_factory=TerritorySettings)
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

    @cached_property
    def form_fingerprint(self) -> str:
        """What the school form asks, as a short hash (the stamp's ``framework``).

        The school fields and the indicators as a school reads and answers them: codes,
        titles, types, units, the cells to fill (a computed indicator's input rows) and the
        choices offered — not weights, scales, targets or formulas, which change the scoring
        but not what the school types. A form made before such a
        change carries another fingerprint under the same ``form_version``: the reader then
        knows that the form and indicators.yaml no longer match (``check-config`` and
        ``validate`` say so once, for the whole run).
        """
        asked = {
            "fields": [[f.key, f.type, f.label, f.choices or []] for f in self.school_fields],
            "indicators": [
                [
                    i.code,
                    i.title,
                    i.type,
                    i.unit,
                    list(i.input_cells),
                    [o.label for o in i.options or []],
                    i.max_mark,
                    # a computed indicator's input rows; nothing for the others, so their
                    # fingerprints (and forms made before computed indicators) stay as they were
                    *([[[x.key, x.label, x.type, x.min, x.max] for x in i.inputs]] if i.inputs else []),
                ]
                for i in self._indicators
            ],
        }
        text = json.dumps(asked, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

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

    @cached_property
    def size_field(self) -> SchoolField | None:
        """The field a school's size is read from: the first contingent field (обучающихся)."""
        return next((f for f in self.school_fields if f.role == FieldRole.contingent), None)

    def deficit_rule(self, indicator: Indicator) -> DeficitRule:
        """The deficit rule of an indicator: its own exception, else the one rule of the run."""
        return indicator.deficit or self.analysis.deficit

    def invalid_policy(self, indicator: Indicator) -> MissingPolicy:
        """What a wrong value of this indicator does: its own ``invalid``, else the run's."""
        return indicator.invalid or self.validation.invalid_value

    @property
    def authority(self) -> str:
        """The authority's full name for documents (``documents.authority`` or ``monitoring.authority``)."""
        return self.documents.authority or self.monitoring.authority

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
            names |= {f"{ind.code}.{item.key}" for item in ind.inputs}
        return names

    def min_denominator(self, indicator: Indicator) -> float | None:
        """Below which denominator a value is «мало данных» (None: never): its own, else the run's.

        Only a share and a computed indicator whose formula divides have a denominator.
        """
        if indicator.type != IndicatorType.share and indicator.formula_denominator is None:
            return None
        own = indicator.min_denominator
        limit = own if own is not None else self.validation.min_denominator
        return limit or None

    def small_policy(self, indicator: Indicator) -> SmallBase:
        """What a value on too small a denominator does: its own rule, else the run's."""
        return indicator.small_denominator or self.validation.small_denominator

    def level_for(self, score: float) -> str:
        label = self.scoring.levels[0].label
        for level in self.scoring.levels:
            if score >= level.lower:
                label = level.label
        return label


Block.model_rebuild()
