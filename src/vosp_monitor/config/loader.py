"""Loads indicators.yaml and reports *all* its problems at once.

Each problem names the file, the line, the key path and what was expected, in Russian,
so that an analyst can fix a config in one pass: first the structure (pydantic), then
the rules that span several keys (bands, references to fields, checks, levels).
"""

from __future__ import annotations

import difflib
import itertools
import re
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import VospError, unopenable
from ..words.text import clip
from .advice import config_warnings
from .model import Config
from .rules import semantic_problems
from .territories import territory_problems
from .yamltree import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_QUOTED, TooBig, compose, line_of, syntax_message

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
    column: int | None = None  # YAML's syntax errors say where in the line

    def __str__(self) -> str:
        where = f"{self.file}, строка {self.line}" if self.line else self.file
        where += f", столбец {self.column}" if self.line and self.column else ""
        return f"{where}, {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ConfigError(VospError):
    """The config cannot be used; ``issues`` lists every problem found."""

    def __init__(self, issues: list[ConfigIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(["ошибки в файле показателей:", *(f"  {i}" for i in issues)]))


_PYDANTIC_MESSAGES = {
    "missing": "обязательный ключ отсутствует",
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


_DECIMAL_COMMA = re.compile(r"\s*[-+]?\d+,\d+\s*")


def _pydantic_message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"])
    given = error.get("input")
    if (
        kind in ("float_parsing", "int_parsing")
        and isinstance(given, str)
        and _DECIMAL_COMMA.fullmatch(given)
    ):
        point = given.strip().replace(",", ".")
        return (
            f"ожидалось число, а записано «{given.strip()}»: в файле показателей дробную часть пишут "
            f"через точку — {point} (запятая — только в формах, которые заполняют школы)"
        )
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


def _unknown_key(loc: tuple[Any, ...]) -> str:
    """«неизвестный ключ «wieght»; возможно, вы имели в виду «weight»», else the keys allowed there."""
    key = str(loc[-1]) if loc else ""
    known = _keys_at(loc[:-1])
    close = difflib.get_close_matches(key.lower(), known, n=1, cutoff=0.6)
    said = f"неизвестный ключ «{clip(key, MAX_QUOTED)}»"
    if close:
        return f"{said}; возможно, вы имели в виду «{close[0]}»"
    if known and len(known) <= 15:
        return f"{said}; здесь допустимы: {', '.join(known)} (описаны в docs/config.md)"
    return f"{said} (проверьте написание; допустимые ключи описаны в docs/config.md)"


def _keys_at(loc: tuple[Any, ...]) -> list[str]:
    """The keys a section of indicators.yaml may have, found by walking the model along ``loc``."""
    kind: Any = Config
    for part in loc:
        kind = _inside(kind, part)
        if kind is None:
            return []
    model = _inside(kind, None)
    return [field.alias or name for name, field in model.model_fields.items()] if model else []


def _inside(kind: Any, part: Any) -> Any:
    """The type one step along a key path (``part`` None: the model ``kind`` is or holds)."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        if part is None:
            return kind
        field = kind.model_fields.get(str(part))
        return field.annotation if field is not None else None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (list, tuple) and (part is None or isinstance(part, int)):
        return args[0] if part is not None else _inside(args[0], None)
    if origin is dict:
        return args[1] if part is not None else None
    for arg in args:  # Optional, unions: the first that leads somewhere
        if arg is not type(None) and (found := _inside(arg, part)) is not None:
            return found
    return None


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
        raise unopenable(
            ConfigError([ConfigIssue(file=name, line=None, path="", message="файл не найден")])
        ) from None
    except OSError as exc:  # a folder, no permission, locked
        message = f"файл не удалось открыть: {exc.strerror or exc}"
        raise unopenable(ConfigError([ConfigIssue(file=name, line=None, path="", message=message)])) from None
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
        line, column, message = syntax_message(exc, text)
        if "nesting depth" in (exc.problem or ""):  # libyaml's own bound (newer releases) met before ours
            message = f"слишком глубокая вложенность: больше {MAX_DEPTH} уровней"
        raise ConfigError(
            [ConfigIssue(file=name, line=line, column=column, path="", message=message)]
        ) from None
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
        for loc, message in itertools.chain(semantic_problems(config, data), territory_problems(config))
    ]
    if issues:
        raise ConfigError(issues)
    return config, root
