"""The indicators.yaml model (``model``), its loader (``loader``) and its summary (``summary``).

Everything the tool does starts from this file: the form, the reading of submissions,
the scoring and the report.
"""

from __future__ import annotations

from .base import Aggregation, DeficitRule, FieldMissing, FieldRole, FieldType, MissingPolicy, SmallBase
from .computed import Input, InputType
from .documents import Body, Documents, MeasurePlan, Monitoring, MunicipalAuthority, Responsible
from .loader import (
    BUNDLED_DIR,
    REPO_ROOT,
    ConfigError,
    ConfigIssue,
    default_config_path,
    load_config,
    load_config_with_warnings,
    parse_config,
)
from .method_specs import SPECS, MethodKind, MethodSpec, method_ru, method_spec
from .model import (
    Block,
    Config,
    Indicator,
    SchoolField,
    TerritorySettings,
)
from .scales import Band, Direction, IndicatorType, Method, Option, Scoring, Transform
from .settings import (
    AnalysisSettings,
    AuditSettings,
    Check,
    CriticalRule,
    DynamicsSettings,
    Level,
    Ranking,
    ScoringSettings,
    TerritoryRanking,
    TerritoryWeights,
    UncertaintySettings,
    ValidationSettings,
    WeightNoise,
)
from .summary import (
    aggregation_ru,
    block_aggregation,
    indicator_shares,
    indicator_weight_shares,
    summarise_config,
)
from .territories import TERRITORY_FORM_SUFFIX, territory_config, territory_form_id

__all__ = [
    "BUNDLED_DIR",
    "REPO_ROOT",
    "SPECS",
    "TERRITORY_FORM_SUFFIX",
    "Aggregation",
    "AnalysisSettings",
    "AuditSettings",
    "Band",
    "Block",
    "Body",
    "Check",
    "Config",
    "ConfigError",
    "ConfigIssue",
    "CriticalRule",
    "DeficitRule",
    "Direction",
    "Documents",
    "DynamicsSettings",
    "FieldMissing",
    "FieldRole",
    "FieldType",
    "Indicator",
    "IndicatorType",
    "Input",
    "InputType",
    "Level",
    "MeasurePlan",
    "Method",
    "MethodKind",
    "MethodSpec",
    "MissingPolicy",
    "Monitoring",
    "MunicipalAuthority",
    "Option",
    "Ranking",
    "Responsible",
    "SchoolField",
    "Scoring",
    "ScoringSettings",
    "SmallBase",
    "TerritoryRanking",
    "TerritorySettings",
    "TerritoryWeights",
    "Transform",
    "UncertaintySettings",
    "ValidationSettings",
    "WeightNoise",
    "aggregation_ru",
    "block_aggregation",
    "default_config_path",
    "indicator_shares",
    "indicator_weight_shares",
    "load_config",
    "load_config_with_warnings",
    "method_ru",
    "method_spec",
    "parse_config",
    "summarise_config",
    "territory_config",
    "territory_form_id",
]
