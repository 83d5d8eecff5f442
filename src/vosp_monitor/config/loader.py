"""Loads indicators.yaml and reports *all* its problems at once.

Each problem names the file, the line, the key path and what was expected, in Russian,
so that an analyst can fix a config in one pass: first the structure (pydantic), then
the rules that span several keys (bands, references to fields, checks, levels).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from ..errors import VospError
from ..expressions import ExpressionError, parse_expression
from ..text import clip
from .model import Band, Block, Config, FieldRole, FieldType, Indicator, IndicatorType, Method, SchoolField

PACKAGE_DIR = Path(__file__).resolve().parents[1]
BUNDLED_DIR = PACKAGE_DIR / "_bundled"
REPO_ROOT = PACKAGE_DIR.parents[1]


def default_config_path() -> Path:
    """The bundled default indicators.yaml (installed package first, then the source tree)."""
    for candidate in (BUNDLED_DIR / "indicators.yaml", REPO_ROOT / "indicators.yaml"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("indicators.yaml по умолчанию не найден в установленном пакете")


Loc = tuple[Any, ...]  # a key path: ("blocks", 0, "indicators", 2, "code")


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


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's when present: ten times faster) that refuses duplicate keys.

    A silent override is a typo's best friend.
    """


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"ключ «{clip(str(key), MAX_QUOTED)}» повторяется", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

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


def _format_path(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _node_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
    """The YAML node a key path points at, for its line number.

    A scalar is reported where it stands; a block (mapping or list) and a missing key are
    reported at the key that introduces them, which is where a person looks first.
    """
    node: yaml.Node | None = root
    key_node: yaml.Node | None = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                return key_node or node
            key_node, node = pair
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            key_node, node = node.value[part], node.value[part]
        else:
            return key_node or node
    if isinstance(node, yaml.CollectionNode) and key_node is not None and not node.flow_style:
        return key_node
    return node


def _line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    node = _node_at(root, loc)
    return node.start_mark.line + 1 if node is not None else None


# A config is a few hundred lines. These bounds keep a crafted one (a «billion laughs»
# of nested aliases, a recursive alias, ten thousand nested lists) from exhausting memory
# or the stack before the model even sees it.
MAX_CONFIG_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # YAML nodes after expanding aliases
MAX_DEPTH = 60  # nesting of mappings and lists
MAX_QUOTED = 120  # characters of a value quoted back in a message


class _TooBig(Exception):
    """The YAML tree exceeds a bound; the message is in Russian."""


def _check_tree(root: yaml.Node) -> None:
    """Expanded size, depth and cycles of the node tree, without expanding anything.

    Aliases make the tree a graph: a node reached by several aliases is counted once per
    alias (that is what construction would build), via a size memo per node.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_NODES:
                raise _TooBig(
                    f"файл разворачивается более чем в {MAX_NODES:,} элементов (слишком много ссылок «*» на якоря «&»)".replace(
                        ",", " "
                    )
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _TooBig("якорь «&» ссылается сам на себя (рекурсивная ссылка «*»)")
        if depth > MAX_DEPTH:
            raise _TooBig(f"слишком глубокая вложенность: больше {MAX_DEPTH} уровней")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _compose(text: str) -> tuple[yaml.Node | None, Any]:
    """Parse once: the node tree (for line numbers), checked, and the data built from it."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, None
        _check_tree(root)
        return root, loader.construct_document(root)
    finally:
        loader.dispose()


def load_config(path: Path | str | None = None) -> Config:
    """Load and check a config; raises :class:`ConfigError` listing every problem."""
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
    return parse_config(text, name)


def parse_config(text: str, name: str = "indicators.yaml") -> Config:
    """Parse config text; ``name`` is used in messages."""
    try:
        root, data = _compose(text)
    except _TooBig as exc:
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
        raise ConfigError(
            [ConfigIssue(file=name, line=line, path="", message=f"ошибка синтаксиса YAML: {problem}")]
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
                line=_line(root, tuple(err["loc"])),
                path=_format_path(tuple(p for p in err["loc"] if not str(p).startswith("function-"))),
                message=_pydantic_message(err),
            )
            for err in exc.errors()
        ]
        raise ConfigError(issues) from None
    issues = [
        ConfigIssue(file=name, line=_line(root, loc), path=_format_path(loc), message=message)
        for loc, message in _semantic_problems(config, data)
    ]
    if issues:
        raise ConfigError(issues)
    return config


def _walk_blocks(blocks: list[Block], loc: tuple[Any, ...]) -> Iterator[tuple[Block, Loc]]:
    for i, block in enumerate(blocks):
        here = (*loc, i)
        yield block, here
        yield from _walk_blocks(block.blocks, (*here, "blocks"))


def _semantic_problems(config: Config, data: dict[str, Any]) -> Iterator[tuple[Loc, str]]:
    """Rules that span several keys; yields (key path, Russian message)."""
    fields = {f.key: f for f in config.school_fields}
    for role in (FieldRole.key, FieldRole.name):
        count = sum(f.role == role for f in config.school_fields)
        if count != 1:
            yield (
                ("school_fields",),
                f"нужно ровно одно поле с role: {role.value} (найдено {count})",
            )
    seen_fields: set[str] = set()
    for i, f in enumerate(config.school_fields):
        if f.key in seen_fields:
            yield ("school_fields", i, "key"), f"поле «{f.key}» описано дважды"
        seen_fields.add(f.key)

    seen_codes: dict[str, Loc] = {}
    seen_blocks: set[str] = set()
    for block, loc in _walk_blocks(config.blocks, ("blocks",)):
        if block.id in seen_blocks:
            yield (*loc, "id"), f"блок «{block.id}» описан дважды"
        seen_blocks.add(block.id)
        if not block.indicators and not block.blocks:
            yield loc, "в блоке нет ни показателей, ни вложенных блоков"
        if block.indicators and block.blocks:
            yield (
                loc,
                "блок содержит и показатели, и вложенные блоки: вынесите показатели в отдельный блок",
            )
        for j, ind in enumerate(block.indicators):
            iloc = (*loc, "indicators", j)
            if ind.code in seen_codes or ind.code in seen_blocks:
                yield (*iloc, "code"), f"код «{ind.code}» уже используется"
            seen_codes[ind.code] = iloc
            yield from ((iloc + sub, msg) for sub, msg in _indicator_problems(ind, fields))
    total_weight = sum(b.weight for b in config.blocks)
    if total_weight <= 0:
        yield ("blocks",), "сумма весов блоков должна быть больше 0"

    lowers = [level.lower for level in config.scoring.levels]
    if not lowers:
        yield ("scoring", "levels"), "нужен хотя бы один уровень"
    elif lowers != sorted(set(lowers)) or lowers[0] != 0:
        yield ("scoring", "levels"), "границы уровней должны возрастать и начинаться с 0"
    for i, group in enumerate(config.ranking.groups):
        if group not in fields:
            yield ("ranking", "groups", i), f"нет поля «{group}» в school_fields"
    names = config.check_names()
    for i, check in enumerate(config.checks):
        try:
            expression = parse_expression(check.rule)
        except ExpressionError as exc:
            yield ("checks", i, "rule"), f"выражение не разобрано: {exc}"
            continue
        unknown = sorted(expression.names - names)
        if unknown:
            yield ("checks", i, "rule"), f"неизвестные имена: {', '.join(unknown)}"


def _number_field_problems(key: str, name: str, fields: dict[str, SchoolField]) -> Iterator[tuple[Loc, str]]:
    """``key`` of an indicator names a school field that must exist and hold a number."""
    field = fields.get(name)
    if field is None:
        yield (key,), f"нет поля «{name}» в school_fields"
    elif field.type not in (FieldType.integer, FieldType.number):
        yield (key,), f"поле «{field.key}» не числовое"


def _indicator_problems(ind: Indicator, fields: dict[str, SchoolField]) -> Iterator[tuple[Loc, str]]:
    method = ind.method
    scoring = ind.scoring
    fixed = {
        IndicatorType.choice: Method.options,
        IndicatorType.yesno: Method.yesno,
        IndicatorType.mark: Method.mark,
    }
    if ind.type in fixed:
        if scoring is not None and scoring.method != fixed[ind.type]:
            yield (
                ("scoring", "method"),
                f"для типа {ind.type.value} способ оценки — {fixed[ind.type].value}",
            )
    elif scoring is None:
        yield (), "не задан раздел scoring (способ начисления баллов)"
        return
    elif method in (Method.options, Method.yesno, Method.mark):
        yield ("scoring", "method"), f"способ {method.value} не подходит для типа {ind.type.value}"

    if ind.type == IndicatorType.choice and not ind.options:
        yield ("options",), "для типа choice нужен список options"
    if ind.type == IndicatorType.mark and ind.max_mark is None:
        yield ("max_mark",), "для экспертной оценки нужен max_mark"
    if ind.type == IndicatorType.share:
        if not ind.numerator:
            yield ("numerator",), "для доли нужно описание числителя (numerator)"
        if ind.denominator_field is None and not ind.denominator:
            yield (
                ("denominator",),
                "для доли нужен знаменатель: denominator (вводится) или denominator_field",
            )
        if ind.denominator_field is not None:
            yield from _number_field_problems("denominator_field", ind.denominator_field, fields)
        if ind.numerator_within is not None and ind.numerator_within not in fields:
            yield ("numerator_within",), f"нет поля «{ind.numerator_within}» в school_fields"
        if ind.denominator_within is not None:
            yield from _number_field_problems("denominator_within", ind.denominator_within, fields)
            if ind.denominator_field is not None:
                yield ("denominator_within",), "ограничивается только вводимый знаменатель (denominator)"
    elif (
        ind.numerator
        or ind.denominator
        or ind.denominator_field
        or ind.numerator_within
        or ind.denominator_within
    ):
        yield ("type",), "числитель и знаменатель задаются только для типа share"
    if ind.min is not None and ind.max is not None and ind.min >= ind.max:
        yield ("min",), "min должен быть меньше max"

    if scoring is None:
        return
    if method == Method.bands:
        yield from _band_problems(scoring.bands)
    if method == Method.linear:
        if scoring.low is None or scoring.high is None:
            yield ("scoring",), "для linear нужны low и high (границы, дающие 0 и 100)"
        elif scoring.low >= scoring.high:
            yield ("scoring", "high"), "high должен быть больше low"
    if method == Method.target:
        if ind.target is None:
            yield ("target",), "для способа target нужен target (целевое значение)"
        elif ind.target <= 0:
            yield ("target",), "целевое значение должно быть больше 0"
    if method != Method.bands and scoring.bands:
        yield (
            ("scoring", "bands"),
            f"bands используются только со способом bands, а не {method.value}",
        )


def _band_problems(bands: list[Band] | None) -> Iterator[tuple[Loc, str]]:
    if not bands:
        yield ("scoring", "bands"), "для способа bands нужен список интервалов"
        return
    for i, band in enumerate(bands):
        if band.lower is not None and band.upper is not None and band.lower >= band.upper:
            yield ("scoring", "bands", i), "нижняя граница интервала должна быть меньше верхней"
        if i > 0:
            prev = bands[i - 1]
            if band.lower is None or prev.upper is None or band.lower < prev.upper:
                yield (
                    ("scoring", "bands"),
                    "границы интервалов должны возрастать и не перекрываться",
                )
                return
            if band.lower > prev.upper:
                yield (
                    ("scoring", "bands", i),
                    f"между интервалами пропуск: значения от {_num(prev.upper)} до {_num(band.lower)} не получат баллов",
                )


def _num(value: float) -> str:
    return str(int(value)) if math.isfinite(value) and value == int(value) else str(value)
