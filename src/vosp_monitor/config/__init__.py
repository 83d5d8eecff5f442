"""The indicators.yaml model (``model``), its loader (``loader``) and its summary (``summary``).

Everything the tool does starts from this file: the form, the reading of submissions,
the scoring and the report.
"""

from __future__ import annotations

from .base import Aggregation, DeficitRule, MissingPolicy
from .documents import Body, Documents, MeasurePlan, Monitoring, Responsible
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
from .model import (
    Band,
    Block,
    Config,
    Direction,
    FieldMissing,
    FieldRole,
    FieldType,
    Indicator,
    IndicatorType,
    Method,
    Option,
    SchoolField,
    Scoring,
)
from .settings import (
    AnalysisSettings,
    Check,
    CriticalRule,
    Level,
    Ranking,
    ScoringSettings,
    ValidationSettings,
)
from .summary import aggregation_ru, block_aggregation, indicator_shares, method_ru, summarise_config

__all__ = [
    "BUNDLED_DIR",
    "REPO_ROOT",
    "Aggregation",
    "AnalysisSettings",
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
    "FieldMissing",
    "FieldRole",
    "FieldType",
    "Indicator",
    "IndicatorType",
    "Level",
    "MeasurePlan",
    "Method",
    "MissingPolicy",
    "Monitoring",
    "Option",
    "Ranking",
    "Responsible",
    "SchoolField",
    "Scoring",
    "ScoringSettings",
    "ValidationSettings",
    "aggregation_ru",
    "block_aggregation",
    "default_config_path",
    "indicator_shares",
    "load_config",
    "load_config_with_warnings",
    "method_ru",
    "parse_config",
    "summarise_config",
]
