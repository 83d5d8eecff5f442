"""The safe expression evaluator used by cross-field checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vosp_monitor.config.expressions import ExpressionError, parse_expression


@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("class_teachers <= teachers", {"class_teachers": 5, "teachers": 7}, True),
        ("class_teachers <= teachers", {"class_teachers": 9, "teachers": 7}, False),
        ("RES-4.numerator <= students", {"RES-4.numerator": 3, "students": 2}, False),
        ("a - b > 1", {"a": 5, "b": 3}, True),
        ("a + b * 2 == 7", {"a": 1, "b": 3}, True),
        ("(a + b) * 2 == 8", {"a": 1, "b": 3}, True),
        ("a / b >= 0,5", {"a": 1, "b": 2}, True),
        ("a > 1 and b > 1", {"a": 2, "b": 0}, False),
        ("a > 1 или b > 1", {"a": 2, "b": 0}, True),
        ("not a > 1", {"a": 0}, True),
        ("-a < 0", {"a": 3}, True),
        ("a <= b", {"a": 1, "b": None}, None),  # a missing value skips the check
        ("a > 1 and b > 1", {"a": 0, "b": None}, False),  # …unless the answer is already known
        ("a / b > 1", {"a": 1, "b": 0}, None),  # division by zero is "unknown", not a crash
    ],
)
def test_evaluates(text: str, values: dict, expected: object) -> None:
    assert parse_expression(text).evaluate(values) == expected


def test_names_are_collected() -> None:
    expr = parse_expression("RES-5.denominator <= students and KR-1 >= 0")
    assert expr.names == {"RES-5.denominator", "students", "KR-1"}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "пустое"),
        ("a <=", "оборвано"),
        ("(a <= b", "скобки"),
        ("a <= b)", "лишний"),
        ("__import__('os')", "непонятный символ"),
        ("a ; b", "непонятный символ"),
    ],
)
def test_rejects_bad_text(text: str, words: str) -> None:
    with pytest.raises(ExpressionError, match=words):
        parse_expression(text)


@given(st.text(max_size=40))
def test_never_raises_anything_but_expression_error(text: str) -> None:
    try:
        expr = parse_expression(text)
    except ExpressionError:
        return
    expr.evaluate(dict.fromkeys(expr.names, 1.0))
