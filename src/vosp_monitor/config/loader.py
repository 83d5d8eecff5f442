"""Loads indicators.yaml and reports *all* its problems at once.

Each problem names the file, the line, the key path and what was expected, in Russian,
so that an analyst can fix a config in one pass: first the structure (pydantic), then
the rules that span several keys (bands, references to fields, checks, levels).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import VospError
from ..words.text import clip
from .advice import config_warnings
from .model import Config
from .rules import semantic_problems
from .yamltree import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_QUOTED, TooBig, compose, line_of

PACKAGE_DIR = Path(__file__).resolve().parents[1]
BUNDLED_DIR = PACKAGE_DIR / "_bundled"
REPO_ROOT = PACKAGE_DIR.parents[1]


def default_config_path() -> Path:
    """The bundled default indicators.yaml (installed package first, then the source tree)."""
    for candidate in (BUNDLED_DIR / "indicators.yaml", REPO_ROOT / "indicators.yaml"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("indicators.yaml по умолчанию не найден в установленном пакете")


class ConfigIssue(BaseModel):
    """One problem in a config file, located by line and key path."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, строка {self.line}" if self.line else self.file
        return f"{where}, {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(VospError):
    """The config cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[ConfigIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(["ошибки в файле показателей:", *(f"  {i}" for i in issues)]))


_PYDANTIC_MESSAGES = {
    "missing": "обязательный ключ отсутствует",
    "extra_forbidden": "неизвестный ключ (проверьте написание; допустимые ключи описаны в docs/config.md)",
    "float_parsing": "ожидалось число",
    "float_type": "ожидалось число",
    "int_parsing": "ожидалось целое число",
    "int_type": "ожидалось целое число",
    "int_from_float": "ожидалось целое число",
    "string_type": "ожидался текст",
    "bool_parsing": "ожидалось true или false",
    "bool_type": "ожидалось true или false",
    "list_type": "ожидался список",
    "dict_type": "ожидался раздел (ключ: значение)",
    "model_type": "ожидался раздел (ключ: значение)",
    "too_short": "список не должен быть пустым",
    "string_too_short": "значение не должно быть пустым",
    "string_pattern_mismatch": "недопустимые символы (латиница, цифры, дефис, подчёркивание)",
    "finite_number": "ожидалось конечное число",
}


def _pydantic_message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind in ("enum", "literal_error"):
        expected = str(error.get("ctx", {}).get("expected", "")).replace(" or ", " или ")
        return f"недопустимое значение «{clip(str(error.get('input')), MAX_QUOTED)}»; допустимо: {expected}"
    if kind in ("greater_than_equal", "greater_than"):
        sign = "≥" if kind.endswith("equal") else ">"
        return f"значение должно быть {sign} {error['ctx'].get('ge', error['ctx'].get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        sign = "≤" if kind.endswith("equal") else "<"
        return f"значение должно быть {sign} {error['ctx'].get('le', error['ctx'].get('lt'))}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    return _PYDANTIC_MESSAGES.get(kind, str(error["msg"]))


def validation_messages(exc: ValidationError) -> list[str]:
    """«путь: сообщение» in Russian for each error pydantic found (a config stored in results.json)."""
    return [
        f"{_format_path(tuple(p for p in err['loc'] if not str(p).startswith('function-')))}: "
        f"{_pydantic_message(err)}"
        for err in exc.errors()
    ]


def _format_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_config(path: Path | str | None = None) -> Config:
    """Load and check a config; raises :class:`ConfigError` listing every problem."""
    return load_config_with_warnings(path)[0]


def load_config_with_warnings(path: Path | str | None = None) -> tuple[Config, list[ConfigIssue]]:
    """A config and its warnings (settings that work but contradict each other, ``advice``)."""
    path = Path(path) if path is not None else default_config_path()
    name = path.name
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(
                [
                    ConfigIssue(
                        file=name,
                        line=None,
                        path="",
                        message="файл слишком большой для файла показателей (больше 2 МБ)",
                    )
                ]
            )
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([ConfigIssue(file=name, line=None, path="", message="файл не найден")]) from None
    except UnicodeDecodeError:
        raise ConfigError(
            [ConfigIssue(file=name, line=None, path="", message="файл должен быть в кодировке UTF-8")]
        ) from None
    config, root = _parse(text, name)
    warnings = [
        ConfigIssue(file=name, line=line_of(root, loc), path=_format_path(loc), message=message)
        for loc, message in config_warnings(config)
    ]
    return config, warnings


def parse_config(text: str, name: str = "indicators.yaml") -> Config:
    """Parse config text; ``name`` is used in messages."""
    return _parse(text, name)[0]


def _parse(text: str, name: str) -> tuple[Config, Any]:
    """The config and its YAML tree (for the line numbers of warnings)."""
    try:
        root, data = compose(text)
    except TooBig as exc:
        raise ConfigError([ConfigIssue(file=name, line=None, path="", message=str(exc))]) from None
    except RecursionError:
        raise ConfigError(
            [
                ConfigIssue(
                    file=name,
                    line=None,
                    path="",
                    message=f"слишком глубокая вложенность: больше {MAX_DEPTH} уровней",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        if "nesting depth" in problem:  # libyaml's own bound (newer releases) met before ours
            message = f"слишком глубокая вложенность: больше {MAX_DEPTH} уровней"
        else:
            message = f"ошибка синтаксиса YAML: {problem}"
        raise ConfigError([ConfigIssue(file=name, line=line, path="", message=message)]) from None
    except yaml.YAMLError as exc:
        raise ConfigError([ConfigIssue(file=name, line=None, path="", message=str(exc))]) from None
    if not isinstance(data, dict):
        raise ConfigError(
            [ConfigIssue(file=name, line=1, path="", message="файл должен быть разделом «ключ: значение»")]
        )
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        issues = [
            ConfigIssue(
                file=name,
                line=line_of(root, tuple(err["loc"])),
                path=_format_path(tuple(p for p in err["loc"] if not str(p).startswith("function-"))),
                message=_pydantic_message(err),
            )
            for err in exc.errors()
        ]
        raise ConfigError(issues) from None
    issues = [
        ConfigIssue(file=name, line=line_of(root, loc), path=_format_path(loc), message=message)
        for loc, message in semantic_problems(config, data)
    ]
    if issues:
        raise ConfigError(issues)
    return config, root
