"""Computed indicators (``type: computed``): the inputs a school types and the rules of their formula.

Real regional indicator sets define an indicator by a formula over numbers a school has at
hand — the positive answers of a survey over its respondents, points per level of
achievement, a rate per 100 pupils. The school types the inputs; the tool computes the
value, so a share above 100 % or a sum that does not match its parts is caught where it is
typed. This module holds the input model and what the formula's denominator is (for
``min_denominator``); the config rules of a computed indicator are ``computed_rules``.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field, model_validator

from .base import ConfigModel
from .expression_text import READABLE, render
from .expression_tree import Node
from .expressions import Expression


class InputType(StrEnum):
    """What one input of a computed indicator is (members as ``IndicatorType``'s)."""

    quantity = "count"  # a whole number ≥ 0
    number = "number"  # any number
    yesno = "yesno"  # да / нет, as 1 / 0 in the formula


class Input(ConfigModel):
    """One number a school types for a computed indicator: a row of its own in the form."""

    key: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    label: str = Field(min_length=1)
    type: InputType = InputType.quantity
    min: float | None = None
    max: float | None = None
    hint: str = ""

    @model_validator(mode="after")
    def _bounds(self) -> Input:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min больше max")
        return self


def denominator_node(root: Node) -> Node | None:
    """What a formula divides by last: ``R`` in ``(r1 + r2) / R * 100`` or ``round(x / N, 1)``.

    Multiplying or dividing by a number and rounding are looked through; a formula without a
    division at its top (a sum of points, a minimum) has no denominator.
    """
    node = root
    while True:
        if node.kind == "call" and node.value == "round":
            node = node.args[0]
        elif node.kind == "op" and node.value in ("*", "/") and node.right and node.right.kind == "num":
            node = node.left  # type: ignore[assignment]
        elif node.kind == "op" and node.value == "*" and node.left and node.left.kind == "num":
            node = node.right  # type: ignore[assignment]
        else:
            break
    return node.right if node.kind == "op" and node.value == "/" else None


def readable(expression: Expression) -> str:
    """The formula as the методика and the form print it: «(r1 + r2) / R × 100»."""
    return render(expression.root, READABLE)
