"""The config rules of a computed indicator (``type: computed``, see ``computed``).

The formula and its checks parse, name only the indicator's inputs and numeric school
fields (another indicator, a text field or an unknown name is an error that says which), the
inputs' keys are distinct (case aside) and not words of the formula language, and a division
by something that may be 0 says what then happens: an explicit ``missing`` (what a division by
zero does), a guarding ``if``, or a divisor whose ``min`` is above 0.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping
from typing import Any

from .computed import denominator_node
from .expression_text import READABLE, render
from .expression_tree import Node, children
from .expressions import FUNCTIONS, Expression, ExpressionError, parse_expression
from .model import Indicator

Loc = tuple[Any, ...]

_RESERVED = frozenset({"and", "or", "not", "и", "или", "не", *FUNCTIONS})


def _unguarded_divisors(node: Node, inside_if: bool = False) -> Iterator[Node]:
    """Divisors that hold a name and are not inside a branch of ``if`` (which says what happens)."""
    if node.kind == "call" and node.value == "if":
        yield from _unguarded_divisors(node.args[0], inside_if)
        for branch in node.args[1:]:
            yield from _unguarded_divisors(branch, True)
        return
    if node.kind == "op" and node.value == "/" and not inside_if and node.right and node.right.kind != "num":
        yield node.right
    for child in children(node):
        yield from _unguarded_divisors(child, inside_if)


def computed_problems(
    ind: Indicator,
    numeric_fields: Mapping[str, float | None],
    other_fields: set[str],
    codes: set[str],
) -> Iterator[tuple[Loc, str]]:
    """The rules of one computed indicator.

    ``numeric_fields``: school fields a formula may use, with their ``min``; ``other_fields``:
    the rest (text, choices, dates), named in the message; ``codes``: every indicator code.
    """
    if not ind.inputs:
        yield ("inputs",), "для вычисляемого показателя нужен список inputs (что вводит школа)"
    if not ind.formula:
        yield ("formula",), "для вычисляемого показателя нужна формула (formula)"
    seen: dict[str, int] = {}
    for i, item in enumerate(ind.inputs):
        folded = item.key.lower()
        if folded in seen:
            yield (
                ("inputs", i, "key"),
                f"входное значение «{item.key}» уже есть (регистр букв не различается)",
            )
        elif folded in _RESERVED:
            yield ("inputs", i, "key"), f"«{item.key}» — служебное слово формул; выберите другое имя"
        elif item.key in numeric_fields or item.key in other_fields:
            yield ("inputs", i, "key"), f"«{item.key}» — это поле сведений об ОО; выберите другое имя"
        seen[folded] = i
    bounds = {item.key: item.min for item in ind.inputs} | dict(numeric_fields)
    expression = yield from _parsed(("formula",), ind.formula, bounds, other_fields, codes)
    if expression is not None:
        loose = [render(d, READABLE) for d in _unguarded_divisors(expression.root) if _may_be_zero(d, bounds)]
        if loose and "missing" not in ind.model_fields_set:
            yield (
                ("formula",),
                f"формула делит на {', '.join(dict.fromkeys(loose))}, а это может быть 0: укажите missing "
                "(что тогда делать: error — исключить ОО, zero — 0 баллов, not_applicable — не учитывать), "
                "задайте min больше 0 или обойдите 0 через if(…)",
            )
        if ind.min_denominator and denominator_node(expression.root) is None:
            yield ("min_denominator",), "в формуле нет деления: min_denominator не к чему применить"
    for i, check in enumerate(ind.checks):
        yield from _parsed(("checks", i, "rule"), check.rule, bounds, other_fields, codes)


def _may_be_zero(divisor: Node, bounds: Mapping[str, float | None]) -> bool:
    """A single name whose ``min`` is above 0 cannot be 0; anything else with a name may."""
    if divisor.kind == "name":
        low = bounds.get(str(divisor.value))
        return low is None or low <= 0
    return divisor.kind != "num"


def _parsed(
    loc: Loc, text: str | None, names: Mapping[str, object], other_fields: set[str], codes: set[str]
) -> Generator[tuple[Loc, str], None, Expression | None]:
    """Parse a formula or a check and check its names; yields problems, returns the expression."""
    if not text:
        return None
    try:
        expression = parse_expression(text)
    except ExpressionError as exc:
        yield loc, f"выражение не разобрано: {exc}"
        return None
    for name in sorted(expression.names - set(names)):
        if name in other_fields:
            yield loc, f"поле «{name}» не числовое: в формуле его использовать нельзя"
        elif name.partition(".")[0] in codes:
            yield (
                loc,
                (
                    f"«{name}» — другой показатель: формула использует только входные данные своего "
                    "показателя (inputs) и числовые поля сведений об ОО"
                ),
            )
        else:
            yield loc, f"неизвестное имя «{name}»: это не входное значение (inputs) и не поле сведений об ОО"
    return expression
