"""A parsed check or formula written out again: for people, and for Excel.

One walk over the tree (:func:`render`) serves every place a formula is shown, with a
:class:`Style` for each audience: the методика, the form and check-config print
``(r1 + r2) / R × 100`` (:data:`READABLE`); the values audit and the cards print the same
formula with the school's numbers in place of the names (``(12 + 30) / 60 × 100``); the form
puts it in its grey «Значение» cell as an Excel formula over the input cells
(:data:`EXCEL`), so a school sees the value while it types. Parentheses are written only
where the order of operations needs them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..words.formatting import format_compact
from .expression_tree import Node, children

# How tightly each operation binds (a higher number binds tighter).
_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "not": 3,
    **dict.fromkeys(("<", "<=", ">", ">=", "==", "!="), 4),
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "neg": 7,
}
_ATOM = 8
# A right operand of the same precedence needs brackets: a − (b − c), a / (b × c), (a < b) = c.
_NOT_ASSOCIATIVE = frozenset({"-", "/", "<", "<=", ">", ">=", "==", "!="})


@dataclass(frozen=True, slots=True)
class Style:
    """How one audience writes an expression."""

    ops: Mapping[str, str]  # binary operation → its text with spaces («×» or «*»)
    functions: Mapping[str, str]  # function name → as written
    separator: str  # between a function's arguments
    number: Callable[[float], str]
    minus: str
    logic_calls: bool  # «and», «or», «not» written as functions: AND(a, b) (Excel)


def _excel_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


@functools.lru_cache(maxsize=65_536)  # a district's inputs repeat: counts of pupils, of events
def number_text(value: float) -> str:
    """A number in a formula as people read it: «12», «2,5», «0,333333»."""
    return format_compact(value, 6)


READABLE = Style(
    ops={
        "+": " + ",
        "-": " − ",
        "*": " × ",
        "/": " / ",
        "<": " < ",
        "<=": " ≤ ",
        ">": " > ",
        ">=": " ≥ ",
        "==": " = ",
        "!=": " ≠ ",
        "and": " и ",
        "or": " или ",
    },
    # as a Russian Excel names them (the parser reads these names too: what is printed can be typed)
    functions={"min": "МИН", "max": "МАКС", "sum": "СУММ", "round": "ОКРУГЛ", "if": "ЕСЛИ"},
    separator="; ",
    number=number_text,
    minus="−",
    logic_calls=False,
)
EXCEL = Style(
    ops={
        "+": "+",
        "-": "-",
        "*": "*",
        "/": "/",
        "<": "<",
        "<=": "<=",
        ">": ">",
        ">=": ">=",
        "==": "=",
        "!=": "<>",
        "and": "AND",
        "or": "OR",
    },
    functions={"min": "MIN", "max": "MAX", "sum": "SUM", "round": "ROUND", "if": "IF"},
    separator=",",
    number=_excel_number,
    minus="-",
    logic_calls=True,
)


def _precedence(node: Node) -> int:
    if node.kind in ("op", "not", "neg"):
        return _PRECEDENCE[str(node.value) if node.kind == "op" else node.kind]
    return _ATOM


def render(node: Node, style: Style, name: Callable[[str], str] = str) -> str:
    """``node`` written in ``style``; ``name`` writes a name (itself, a number, a cell)."""
    kind = node.kind
    if kind == "num":
        return style.number(float(str(node.value)))
    if kind == "name":
        return name(str(node.value))
    parts = [render(child, style, name) for child in children(node)]
    if kind == "call":
        return f"{style.functions[str(node.value)]}({style.separator.join(parts)})"
    own = _precedence(node)
    assert node.left is not None  # an operation has its (left) operand
    if kind == "neg":
        return style.minus + _bracket(parts[0], _precedence(node.left), own)
    if kind == "not":
        inner = _bracket(parts[0], _precedence(node.left), own)
        return f"NOT({parts[0]})" if style.logic_calls else f"не {inner}"
    op = str(node.value)
    if op in ("and", "or") and style.logic_calls:
        return f"{style.ops[op]}({parts[0]}{style.separator}{parts[1]})"
    assert node.right is not None
    left = _bracket(parts[0], _precedence(node.left), own)
    right = _bracket(parts[1], _precedence(node.right), own, strict=op in _NOT_ASSOCIATIVE)
    return f"{left}{style.ops[op]}{right}"


def _bracket(text: str, inner: int, outer: int, *, strict: bool = False) -> str:
    return f"({text})" if inner < outer or (strict and inner == outer) else text


_MARK = "\x00"  # around a name in a formula's template (no formula text holds it)
_TEMPLATES: dict[int, tuple[Node, tuple[str, ...]]] = {}  # id of a root → (the root, its parts)


def _parts(node: Node) -> tuple[str, ...]:
    """The readable formula split at its names: text, name, text, name, …, text (made once per
    formula: the values audit writes it for every school)."""
    known = _TEMPLATES.get(id(node))
    if known is not None and known[0] is node:
        return known[1]
    parts = tuple(render(node, READABLE, lambda key: f"{_MARK}{key}{_MARK}").split(_MARK))
    if len(_TEMPLATES) < 1024:
        _TEMPLATES[id(node)] = (node, parts)  # the node is kept, so its id is not reused
    return parts


def substituted(node: Node, values: Mapping[str, float | None]) -> str:
    """The formula with each name replaced by its value: «(12 + 30) / 60 × 100»."""
    parts = _parts(node)
    out = list(parts)
    for i in range(1, len(parts), 2):
        number = values.get(parts[i])
        text = "—" if number is None else number_text(number)
        out[i] = f"({text})" if number is not None and number < 0 else text
    return "".join(out)


def named_values(values: Mapping[str, float | None], separator: str = "; ") -> str:
    """«r1 = 12; r2 = 30; R = 60»: the numbers a formula read, in the order given."""
    return separator.join(
        f"{key} = {'—' if value is None else number_text(value)}" for key, value in values.items()
    )
