"""A small, safe expression language for indicators.yaml: cross-field checks and formulas.

Config text is never passed to ``eval``: checks such as ``class_teachers <= teachers`` and
formulas such as ``(r1 + r2) / R * 100`` are tokenised and parsed here into a tiny tree that
only knows numbers, names, arithmetic (``+ - * /``, also typed ``− × ÷``), comparisons,
``and`` / ``or`` / ``not`` and the functions of :data:`FUNCTIONS` (``min``, ``max``,
``sum``, ``round``, ``if``; also by their Russian Excel names ``МИН``, ``МАКС``, ``СУММ``,
``ОКРУГЛ``, ``ЕСЛИ``, which is how they are printed). Nothing else exists: a name is looked up in a dictionary of
values, a call names one of those functions with its arity checked while parsing, and there
is no power operator, attribute, index or string, so no text can reach Python; the number
of tokens, the nesting and every literal are bounded.

Names are school field keys (``students``), a computed indicator's input keys (``r1``) and,
in checks, indicator codes with an optional part (``RES-4``, ``RES-4.numerator``). Because
indicator codes contain hyphens, a minus sign between two names must be surrounded by
spaces (``a - b``); ``a-b`` is read as one name. A decimal comma is read as in «0,5»; inside
a function call arguments are separated by commas, so a decimal there takes a point.

Evaluation (:meth:`Expression.evaluate`, the tree compiled once into closures) returns
``None`` when a name has no value or a division by zero makes the result undefined; ``if`` evaluates only the branch it takes, so
``if(R > 0, r1 / R * 100, 0)`` is defined when ``R`` is 0.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from ..errors import VospError
from .expression_tree import COMPARE, Node, Value, children, compile_tree

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>\d+(?:[.,]\d+)?)
      | (?P<name>[^\W\d][\w]*(?:-[\w]+)*(?:\.[^\W\d]\w*)?)
      | (?P<op><=|>=|==|!=|≤|≥|≠|<|>|\+|-|−|\*|×|/|÷|\(|\)|,)
    )""",
    re.VERBOSE | re.UNICODE,
)
_SYNONYMS = {"−": "-", "×": "*", "÷": "/", "≤": "<=", "≥": ">=", "≠": "!="}

_KEYWORDS = {"and", "or", "not", "и", "или", "не"}
# name → (fewest, most arguments); None: any number from the fewest.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (1, None),
    "max": (1, None),
    "sum": (1, None),
    "round": (1, 2),
    "if": (3, 3),
}
# The same functions as a Russian Excel names them (the методика and the form print these).
RUSSIAN_FUNCTIONS = {"мин": "min", "макс": "max", "сумм": "sum", "округл": "round", "если": "if"}
# A check compares a few fields, a formula combines a few inputs. The limits keep a crafted
# config from exhausting the stack or the memory: parsing and evaluation recurse once per
# nesting level and once per term of a chain.
MAX_TOKENS = 200
MAX_NESTING = 20
MAX_DIGITS = 15  # of one number literal: more than a double holds exactly
MAX_ROUND_DIGITS = 10  # round(x, n): n a whole number 0..10


class ExpressionError(VospError, ValueError):
    """The text of a check or a formula cannot be parsed; the message is in Russian."""


@dataclass(frozen=True, slots=True)
class Expression:
    """A parsed check or formula; ``names`` lists every variable it reads."""

    text: str
    root: Node
    names: frozenset[str]
    run: Callable[[Mapping[str, float | None]], Value] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "run", compile_tree(self.root))

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled as its tree (a config goes to the worker processes); compiled again there."""
        return (Expression, (self.text, self.root, self.names))

    def evaluate(self, values: Mapping[str, float | None]) -> Value:
        """Evaluate with ``values``; ``None`` when a name it needs has no value or a division
        by zero leaves the result undefined."""
        return self.run(values)


def _tokenise(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if not match or match.end() == pos:
            rest = stripped[pos:].strip()
            if rest.startswith(("^", "**")):
                raise ExpressionError(f"возведение в степень не поддерживается (позиция {pos + 1})")
            raise ExpressionError(f"непонятный символ «{rest[:1]}» в позиции {pos + 1}")
        kind = match.lastgroup or ""
        token = match.group(kind)
        if kind == "name" and token.lower() in _KEYWORDS:
            kind = "kw"
            token = {"и": "and", "или": "or", "не": "not"}.get(token.lower(), token.lower())
        elif kind == "op":
            token = _SYNONYMS.get(token, token)
        elif kind == "number" and len(token) > MAX_DIGITS + 1:
            raise ExpressionError(f"слишком длинное число «{token[:20]}…»: не больше {MAX_DIGITS} цифр")
        tokens.append((kind, token))
        if len(tokens) > MAX_TOKENS:
            raise ExpressionError(f"выражение слишком длинное: больше {MAX_TOKENS} элементов")
        pos = match.end()
    return tokens


class _Parser:
    """Precedence climbing: or < and < not < comparison < + - < * / < unary minus < atom."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0  # open brackets, calls, «not»s and minus signs around the current position
        self.calls = 0  # open function calls: a comma there separates arguments

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
        token = self.peek()
        if token is not None:
            raise ExpressionError(f"лишний фрагмент «{token[1]}»")
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
                f"слишком глубокая вложенность: больше {MAX_NESTING} уровней скобок, функций и «not»"
            )
        try:
            yield
        finally:
            self.depth -= 1

    def parse_compare(self) -> Node:
        node = self.parse_sum()
        token = self.peek()
        if token and token[0] == "op" and token[1] in COMPARE:
            self.take()
            node = Node("op", token[1], node, self.parse_sum())
        return node

    def parse_sum(self) -> Node:
        node = self.parse_product()
        while (token := self.peek()) and token[0] == "op" and token[1] in ("+", "-"):
            self.take()
            node = Node("op", token[1], node, self.parse_product())
        return node

    def parse_product(self) -> Node:
        node = self.parse_unary()
        while (token := self.peek()) and token[0] == "op" and token[1] in ("*", "/"):
            self.take()
            node = Node("op", token[1], node, self.parse_unary())
        return node

    def parse_unary(self) -> Node:
        if self.peek() == ("op", "-"):
            self.take()
            with self.nested():
                return Node("neg", None, self.parse_unary())
        return self.parse_atom()

    def parse_atom(self) -> Node:
        kind, token = self.take()
        if kind == "number":
            return self.number(token)
        if kind == "name":
            if self.peek() == ("op", "("):
                return self.call(token)
            return Node("name", token)
        if token == "(":
            with self.nested():
                node = self.parse_or()
            self.expect_closing()
            return node
        if token == "*":
            raise ExpressionError("неожиданный знак «*» (возведение в степень «**» не поддерживается)")
        raise ExpressionError(f"неожиданный знак «{token}»")

    def number(self, token: str) -> Node:
        if "," in token and self.calls:
            raise ExpressionError(
                f"«{token}» внутри функции читается неоднозначно: дробную часть отделяйте точкой, "
                "аргументы — запятой с пробелом"
            )
        value = float(token.replace(",", "."))
        if not math.isfinite(value):  # pragma: no cover - MAX_DIGITS keeps literals finite
            raise ExpressionError(f"число «{token}» слишком велико")
        return Node("num", value)

    def call(self, name: str) -> Node:
        function = RUSSIAN_FUNCTIONS.get(name.lower(), name.lower())
        if function not in FUNCTIONS:
            known = ", ".join([*FUNCTIONS, *(name.upper() for name in RUSSIAN_FUNCTIONS)])
            raise ExpressionError(f"неизвестная функция «{name}»; допустимы: {known}")
        self.take()  # the opening bracket
        args: list[Node] = []
        with self.nested():
            self.calls += 1
            try:
                if self.peek() != ("op", ")"):
                    args.append(self.parse_or())
                    while self.peek() == ("op", ","):
                        self.take()
                        args.append(self.parse_or())
            finally:
                self.calls -= 1
        self.expect_closing()
        fewest, most = FUNCTIONS[function]
        if len(args) < fewest or (most is not None and len(args) > most):
            wanted = str(fewest) if fewest == most else f"от {fewest}" + (f" до {most}" if most else "")
            raise ExpressionError(f"функции {function} нужно аргументов: {wanted}, а задано {len(args)}")
        if function == "round" and len(args) == 2:
            digits = args[1]
            if not (digits.kind == "num" and float(str(digits.value)) in range(MAX_ROUND_DIGITS + 1)):
                raise ExpressionError(
                    f"round(x, n): n — целое число от 0 до {MAX_ROUND_DIGITS} (сколько знаков оставить)"
                )
        return Node("call", function, args=tuple(args))

    def expect_closing(self) -> None:
        if self.peek() != ("op", ")"):
            raise ExpressionError("не хватает закрывающей скобки")
        self.take()


def _collect_names(node: Node, into: set[str]) -> None:
    if node.kind == "name":
        into.add(str(node.value))
    for child in children(node):
        _collect_names(child, into)


def parse_expression(text: str) -> Expression:
    """Parse a check or a formula; raises :class:`ExpressionError` with a Russian message."""
    if not text or not text.strip():
        raise ExpressionError("пустое выражение")
    return expression_of(_Parser(_tokenise(text)).parse(), text)


def expression_of(root: Node, text: str = "") -> Expression:
    """An expression of a parsed tree (or a part of one: a formula's denominator)."""
    names: set[str] = set()
    _collect_names(root, names)
    return Expression(text=text, root=root, names=frozenset(names))
