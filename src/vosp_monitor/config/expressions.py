"""A small, safe expression language for the cross-field checks in indicators.yaml.

Config text is never passed to ``eval``: checks such as ``class_teachers <= teachers`` or
``RES-4.numerator <= students`` are tokenised and parsed here into a tiny tree that only
knows numbers, names, arithmetic, comparisons and ``and`` / ``or`` / ``not``.

Names are school field keys (``students``) and indicator codes with an optional part
(``RES-4``, ``RES-4.numerator``, ``RES-4.denominator``, ``RES-4.value``). Because indicator
codes contain hyphens, a minus sign between two names must be surrounded by spaces
(``a - b``); ``a-b`` is read as one name.
"""

from __future__ import annotations

import contextlib
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from ..errors import VospError

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:[.,]\d+)?)
      | (?P<name>[^\W\d][\w]*(?:-[\w]+)*(?:\.[^\W\d]\w*)?)
      | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\))
    )""",
    re.VERBOSE | re.UNICODE,
)

_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_ARITH: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
_KEYWORDS = {"and", "or", "not", "и", "или", "не"}
# A check compares a few fields («class_teachers <= teachers»). The limits keep a crafted
# config from exhausting the stack: parsing and evaluation recurse once per nesting level
# and once per term of a chain.
MAX_TOKENS = 200
MAX_NESTING = 20


class ExpressionError(VospError, ValueError):
    """The text of a check cannot be parsed; the message is in Russian."""


@dataclass(frozen=True, slots=True)
class Node:
    kind: str  # "num", "name", "op", "not"
    value: object = None
    left: Node | None = None
    right: Node | None = None


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed check; ``names`` lists every variable it reads."""

    text: str
    root: Node
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, float | None]) -> bool | float | None:
        """Evaluate with ``values``; ``None`` when any name it needs has no value."""
        return _eval(self.root, values)


def _tokenise(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"непонятный символ «{stripped[pos:].strip()[:1]}» в позиции {pos + 1}")
        kind = match.lastgroup or ""
        token = match.group(kind)
        if kind == "name" and token.lower() in _KEYWORDS:
            kind = "kw"
            token = {"и": "and", "или": "or", "не": "not"}.get(token.lower(), token.lower())
        tokens.append((kind, token))
        if len(tokens) > MAX_TOKENS:
            raise ExpressionError(f"выражение слишком длинное: больше {MAX_TOKENS} элементов")
        pos = match.end()
    return tokens


class _Parser:
    """Precedence climbing: or < and < not < comparison < + - < * /."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0  # open brackets and «not»s around the current position

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise ExpressionError("выражение оборвано")
        self.pos += 1
        return token

    def parse(self) -> Node:
        node = self.parse_or()
        if self.peek() is not None:
            raise ExpressionError(f"лишний фрагмент «{self.peek()[1]}»")  # type: ignore[index]
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.peek() == ("kw", "or"):
            self.take()
            node = Node("op", "or", node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.peek() == ("kw", "and"):
            self.take()
            node = Node("op", "and", node, self.parse_not())
        return node

    def parse_not(self) -> Node:
        if self.peek() == ("kw", "not"):
            self.take()
            with self.nested():
                return Node("not", None, self.parse_not())
        return self.parse_compare()

    @contextlib.contextmanager
    def nested(self) -> Iterator[None]:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExpressionError(
                f"слишком глубокая вложенность: больше {MAX_NESTING} уровней скобок и «not»"
            )
        try:
            yield
        finally:
            self.depth -= 1

    def parse_compare(self) -> Node:
        node = self.parse_sum()
        token = self.peek()
        if token and token[0] == "op" and token[1] in _COMPARE:
            self.take()
            node = Node("op", token[1], node, self.parse_sum())
        return node

    def parse_sum(self) -> Node:
        node = self.parse_product()
        while (token := self.peek()) and token[0] == "op" and token[1] in "+-":
            self.take()
            node = Node("op", token[1], node, self.parse_product())
        return node

    def parse_product(self) -> Node:
        node = self.parse_atom()
        while (token := self.peek()) and token[0] == "op" and token[1] in "*/":
            self.take()
            node = Node("op", token[1], node, self.parse_atom())
        return node

    def parse_atom(self) -> Node:
        kind, token = self.take()
        if kind == "number":
            return Node("num", float(token.replace(",", ".")))
        if kind == "name":
            return Node("name", token)
        if token == "(":
            with self.nested():
                node = self.parse_or()
            if self.peek() != ("op", ")"):
                raise ExpressionError("не хватает закрывающей скобки")
            self.take()
            return node
        if token == "-":
            with self.nested():
                return Node("op", "-", Node("num", 0.0), self.parse_atom())
        raise ExpressionError(f"неожиданный знак «{token}»")


def _collect_names(node: Node | None, into: set[str]) -> None:
    if node is None:
        return
    if node.kind == "name":
        into.add(str(node.value))
    _collect_names(node.left, into)
    _collect_names(node.right, into)


def parse_expression(text: str) -> Expression:
    """Parse a check; raises :class:`ExpressionError` with a Russian message."""
    if not text or not text.strip():
        raise ExpressionError("пустое выражение")
    root = _Parser(_tokenise(text)).parse()
    names: set[str] = set()
    _collect_names(root, names)
    return Expression(text=text, root=root, names=frozenset(names))


def _eval(node: Node, values: Mapping[str, float | None]) -> bool | float | None:
    if node.kind == "num":
        return float(node.value)  # type: ignore[arg-type]
    if node.kind == "name":
        return values.get(str(node.value))
    if node.kind == "not":
        inner = _eval(node.left, values)  # type: ignore[arg-type]
        return None if inner is None else not inner
    left = _eval(node.left, values)  # type: ignore[arg-type]
    right = _eval(node.right, values)  # type: ignore[arg-type]
    op = str(node.value)
    if op == "and":
        if left is False or right is False:
            return False
        return None if left is None or right is None else True
    if op == "or":
        if left is True or right is True:
            return True
        return None if left is None or right is None else False
    if left is None or right is None:
        return None
    if op in _COMPARE:
        return _COMPARE[op](float(left), float(right))
    if op == "/" and float(right) == 0:
        return None
    return _ARITH[op](float(left), float(right))
