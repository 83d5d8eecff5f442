"""The YAML side of loading indicators.yaml: a safe loader, bounds, and line numbers.

A config is a few hundred lines written by an analyst, but it may also be a crafted file.
The loader is libyaml's safe loader (no Python objects, never ``eval``), refuses
duplicate keys, and checks the node tree before building anything from it, so that a
«billion laughs» of nested aliases, a recursive alias or ten thousand nested lists is a
clear error instead of exhausted memory or a RecursionError. The node tree is kept for
the line numbers of messages.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..words.text import clip

MAX_CONFIG_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000  # YAML nodes after expanding aliases
MAX_DEPTH = 60  # nesting of mappings and lists
MAX_QUOTED = 120  # characters of a value quoted back in a message


class TooBig(Exception):
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
                raise TooBig(
                    f"файл разворачивается более чем в {MAX_NODES:,} элементов (слишком много ссылок «*» на якоря «&»)".replace(
                        ",", " "
                    )
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise TooBig("якорь «&» ссылается сам на себя (рекурсивная ссылка «*»)")
        if depth > MAX_DEPTH:
            raise TooBig(f"слишком глубокая вложенность: больше {MAX_DEPTH} уровней")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node) if id(child) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def compose(text: str) -> tuple[yaml.Node | None, Any]:
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


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _construct_int(loader: _Loader, node: yaml.ScalarNode) -> int | str:
    """A plain decimal as an int; YAML 1.1's other integers stay the text the analyst typed.

    YAML 1.1 reads «0522» as octal 338, «12:30» as 750 and «0x1A» as 26: an order number or
    a time would be printed wrong with no message. Such a value stays text; a field that
    needs a number then reads it as a decimal or says it is not one.
    """
    text = str(loader.construct_scalar(node))
    return int(text) if _DECIMAL.fullmatch(text) else text


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def node_at(root: yaml.Node | None, loc: tuple[Any, ...]) -> yaml.Node | None:
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


def line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    node = node_at(root, loc)
    return node.start_mark.line + 1 if node is not None else None


# YAML's own syntax errors (libyaml's words, and the pure-Python loader's) in Russian.
_QUOTE_IT = "возьмите значение в кавычки"
_SYNTAX_RU = (
    (
        r"tab character|character '\\t'",
        "знак табуляции: отступы в YAML делаются только пробелами, замените его пробелами",
    ),
    (
        r"mapping values are not allowed",
        "лишнее двоеточие или неверный отступ: если в значении есть «: », "
        f'{_QUOTE_IT} (title: "Мониторинг: итоги"); иначе выровняйте отступ строки по соседним ключам',
    ),
    (
        r"expected '-' indicator",
        "неверный отступ в списке: ключи элемента списка пишутся ровно под первым ключом после «- »",
    ),
    (
        r"did not find expected key|expected <block end>",
        "неверный отступ, лишний текст после значения или незакрытая кавычка выше: ключи одного "
        "раздела начинаются в одном столбце, после закрывающей кавычки в строке ничего не пишут, а "
        "открытая кавычка закрывается в той же строке",
    ),
    (r"expected ',' or '\]'", "не закрыта скобка «[»: список в квадратных скобках кончается «]»"),
    (r"expected ',' or '\}'", "не закрыта скобка «{»: раздел в фигурных скобках кончается «}»"),
    (r"could not find expected ':'", "нет двоеточия после ключа: пишите «ключ: значение»"),
    (r"undefined alias", "ссылка «*» на якорь «&», которого нет выше"),
    (
        r"escape|hexdecimal",
        "обратная косая черта «\\» в двойных кавычках начинает спецзнак: возьмите такое значение "
        "(путь к файлу) в одинарные кавычки ('C:\\Папка') или удвойте её",
    ),
    (r"expected node content", "здесь нужно значение, а его нет"),
)


def syntax_message(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, int | None, str]:
    """(line, column, the error in Russian) of a YAML syntax error in ``text``."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
    problem = exc.problem or str(exc)
    if "quoted scalar" in (exc.context or "") and "end of stream" in problem:
        opened = exc.context_mark.line + 1 if exc.context_mark else line
        return opened, None, f"кавычка, открытая в строке {opened}, не закрыта"
    if "cannot start any token" in problem and mark is not None:
        lines = text.splitlines()
        found = lines[mark.line][mark.column : mark.column + 1] if mark.line < len(lines) else ""
        if found and found != "\t":
            return line, column, f"значение не может начинаться со знака «{found}»: {_QUOTE_IT}"
    for pattern, russian in _SYNTAX_RU:
        if re.search(pattern, problem):
            return line, column, russian
    if "cannot start any token" in problem:  # libyaml does not name the character: a tab
        return line, column, _SYNTAX_RU[0][1]
    if any("\u0400" <= c <= "\u04ff" for c in problem):  # our own (a repeated key)
        return line, column, problem
    return line, column, f"ошибка синтаксиса YAML ({problem})"
