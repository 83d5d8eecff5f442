"""The parsed tree of a check or a formula, and how it is evaluated.

``expressions`` parses text into these nodes; ``expression_text`` writes them out again.
Evaluation turns a tree once into nested closures, one per node (:func:`compile_tree`): a form
of 20 computed indicators evaluates 40 formulas and checks, and a run reads thousands of
forms. A name is looked up in a dictionary of values; nothing else is reachable.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Value = float | bool | None
Values = Mapping[str, float | None]
Run = Callable[[Values], Value]

COMPARE: dict[str, Callable[[float, float], bool]] = {
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


@dataclass(frozen=True, slots=True)
class Node:
    """``kind``: num, name, op (binary), not, neg (unary minus) or call (``value`` names it)."""

    kind: str
    value: object = None
    left: Node | None = None
    right: Node | None = None
    args: tuple[Node, ...] = ()


def children(node: Node) -> tuple[Node, ...]:
    """The nodes directly under ``node``, left to right."""
    if node.kind == "call":
        return node.args
    return tuple(child for child in (node.left, node.right) if child is not None)


def round_half_up(value: float, digits: int) -> float:
    """Rounded as a person (and Excel's ОКРУГЛ) rounds: 2.5 → 3, 1.005 → 1.01 (Python's
    ``round`` rounds half to even and works on the binary value: 2.5 → 2, 1.005 → 1.0)."""
    if not math.isfinite(value) or abs(value) * 10.0**digits >= 1e17:
        return value  # nothing left to round: a double holds no more digits
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def compile_tree(node: Node) -> Run:
    """``node`` as a function of the values: ``None`` when a name has no value or a division
    by zero leaves the result undefined; ``if`` evaluates only the branch it takes."""
    kind = node.kind
    if kind == "num":
        number = float(str(node.value))
        return lambda values: number
    if kind == "name":
        key = str(node.value)
        return lambda values: values.get(key)
    if kind == "call":
        return _compile_call(str(node.value), [compile_tree(arg) for arg in node.args])
    assert node.left is not None
    inner = compile_tree(node.left)
    if kind == "not":
        return lambda values: None if (x := inner(values)) is None else not x
    if kind == "neg":
        return lambda values: None if (x := inner(values)) is None else -float(x)
    assert node.right is not None
    return _compile_operation(str(node.value), inner, compile_tree(node.right))


def _compile_operation(op: str, left: Run, right: Run) -> Run:
    if op == "and":

        def both(values: Values) -> Value:
            a, b = left(values), right(values)
            if a is False or b is False:
                return False
            return None if a is None or b is None else True

        return both
    if op == "or":

        def either(values: Values) -> Value:
            a, b = left(values), right(values)
            if a is True or b is True:
                return True
            return None if a is None or b is None else False

        return either
    apply = COMPARE.get(op) or _ARITH[op]
    divides = op == "/"

    def operation(values: Values) -> Value:
        a = left(values)
        if a is None:
            return None
        b = right(values)
        if b is None or (divides and b == 0):
            return None
        return apply(float(a), float(b))

    return operation


def _compile_call(name: str, args: list[Run]) -> Run:
    if name == "if":
        condition, then, otherwise = args

        def branch(values: Values) -> Value:  # only the branch taken is evaluated
            chosen = condition(values)
            return None if chosen is None else (then if chosen else otherwise)(values)

        return branch

    def call(values: Values) -> Value:
        numbers = []
        for arg in args:
            value = arg(values)
            if value is None:
                return None
            numbers.append(float(value))
        if name == "round":
            return round_half_up(numbers[0], int(numbers[1]) if len(numbers) > 1 else 0)
        if name == "sum":
            return math.fsum(numbers)
        return min(numbers) if name == "min" else max(numbers)

    return call
