"""The indicators.yaml model (``model``), its loader (``loader``) and its summary (``summary``).

Everything the tool does starts from this file: the form, the reading of submissions,
the scoring and the report.
"""

from __future__ import annotations

from .loader import (
    BUNDLED_DIR,
    REPO_ROOT,
    ConfigError,
    ConfigIssue,
    default_config_path,
    load_config,
    parse_config,
)
from .model import (
    Aggregation,
    AnalysisSettings,
    Band,
    Block,
    Check,
    Config,
    CriticalRule,
    DeficitRule,
    Direction,
    FieldRole,
    FieldType,
    Indicator,
    IndicatorType,
    Level,
    Method,
    MissingPolicy,
    Monitoring,
    Option,
    Ranking,
    SchoolField,
    Scoring,
    ScoringSettings,
)
from .summary import aggregation_ru, block_aggregation, indicator_shares, method_ru, summarise_config

__all__ = [
    "BUNDLED_DIR",
    "REPO_ROOT",
    "Aggregation",
    "AnalysisSettings",
    "Band",
    "Block",
    "Check",
    "Config",
    "ConfigError",
    "ConfigIssue",
    "CriticalRule",
    "DeficitRule",
    "Direction",
    "FieldRole",
    "FieldType",
    "Indicator",
    "IndicatorType",
    "Level",
    "Method",
    "MissingPolicy",
    "Monitoring",
    "Option",
    "Ranking",
    "SchoolField",
    "Scoring",
    "ScoringSettings",
    "aggregation_ru",
    "block_aggregation",
    "default_config_path",
    "indicator_shares",
    "load_config",
    "method_ru",
    "parse_config",
    "summarise_config",
]
