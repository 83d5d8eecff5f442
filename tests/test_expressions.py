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


# --------------------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a + b", 5.0),
        ("a − b", -1.0),  # the typographic minus
        ("a * b", 6.0),
        ("a × b", 6.0),
        ("a / b", 2 / 3),
        ("a ÷ b", 2 / 3),
        ("-a + b", 1.0),
        ("-(a + b) * 2", -10.0),
        ("2 * (a + b) - b / a", 8.5),
        ("a - b - 1", -2.0),  # left to right
        ("a / b / 2", 1 / 3),
        ("min(a, b, 1)", 1.0),
        ("max(a, b, 1)", 3.0),
        ("sum(a, b, 10)", 15.0),
        ("min(5 * b, 12)", 12.0),
        ("round(a / b, 2)", 0.67),
        ("round(2.5)", 3.0),  # half up, as ОКРУГЛ: not Python's half to even
        ("round(-2.5)", -3.0),
        ("round(1.005, 2)", 1.01),  # the decimal value typed, not its binary neighbour
        ("round(7)", 7.0),
        ("if(a > b, 10, 20)", 20.0),
        ("if(a < b, 10, 20)", 10.0),
        ("if(a <= 2 and b >= 3, 1, 0)", 1.0),
        ("if(a == 2 or b != 3, 1, 0)", 1.0),
        ("if(not a > 1, 1, 0)", 0.0),
        ("(a < b) * 5", 5.0),  # a comparison counts as 1 or 0
        ("a ≤ b", True),
        ("a ≥ b", False),
        ("a ≠ b", True),
        ("0,5 * a", 1.0),  # a decimal comma outside a function
        ("max(0.5, a / 10)", 0.5),
        # the Russian Excel names, as the методика and the form print them
        ("МИН(a, b, 1)", 1.0),
        ("МАКС(a, b)", 3.0),
        ("СУММ(a, b, 10)", 15.0),
        ("ОКРУГЛ(a / b, 2)", 0.67),
        ("ЕСЛИ(a > b, 10, 20)", 20.0),
        ("если(a < b, 10, 20)", 10.0),  # in any case
    ],
)
def test_every_operator_and_function_by_hand(text: str, expected: object) -> None:
    result = parse_expression(text).evaluate({"a": 2.0, "b": 3.0})
    assert (
        result == pytest.approx(expected, abs=1e-12) if not isinstance(expected, bool) else result is expected
    )


def test_division_by_zero_is_undefined_but_an_if_guards_it() -> None:
    assert parse_expression("(r1 + r2) / R * 100").evaluate({"r1": 0, "r2": 0, "R": 0}) is None
    assert parse_expression("if(R > 0, r1 / R * 100, 0)").evaluate({"r1": 0, "R": 0}) == 0.0
    assert parse_expression("min(1 / R, 5)").evaluate({"R": 0}) is None
    assert parse_expression("round(1 / R, 1)").evaluate({"R": 0}) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2 ** 10", "степень"),
        ("2 ^ 10", "степень"),
        ("a.__class__(1)", "неизвестная функция"),
        ("eval(a)", "неизвестная функция «eval»"),
        ("__import__(a)", "неизвестная функция"),
        ("open(a)", "неизвестная функция"),
        ("min()", "аргументов"),
        ("if(a, b)", "аргументов: 3"),
        ("round(a, 1, 2)", "аргументов"),
        ("round(a, b)", "целое число от 0 до 10"),
        ("round(a, 11)", "целое число от 0 до 10"),
        ("max(1,5)", "неоднозначно"),
        ("9" * 40, "слишком длинное число"),
        ("a[0]", "непонятный символ"),
        ("'text'", "непонятный символ"),
        ("lambda: 1", "непонятный символ"),
        ("min(" * 25 + "a" + ")" * 25, "вложенность"),
    ],
)
def test_a_formula_cannot_reach_python(text: str, words: str) -> None:
    """No attribute, call, index, string or power exists: all of them are errors of the text."""
    with pytest.raises(ExpressionError, match=words):
        parse_expression(text)


def test_a_dotted_name_is_only_a_name_looked_up_in_the_values() -> None:
    expression = parse_expression("a.__class__ + 1")
    assert expression.names == {"a.__class__"}
    assert expression.evaluate({}) is None


def test_huge_values_stay_floats_and_never_raise() -> None:
    expression = parse_expression("a * a * a * a * a * a * a * a * a * a * a")
    assert expression.evaluate({"a": 1e300}) == float("inf")
    assert parse_expression("round(a, 10)").evaluate({"a": 1e300}) == 1e300


_ALPHABET = st.sampled_from(
    [
        *list("abRr12 .,+-−*×/÷()<>=!^_'\"[]:;"),
        "min(",
        "max(",
        "sum(",
        "round(",
        "if(",
        "ЕСЛИ(",
        "ОКРУГЛ(",
        " and ",
        " or ",
        " not ",
        "и",
        "R1",
        "ROD-6.r1",
    ]
)


@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_formula_like_text_raises_nothing_but_expression_error(text: str) -> None:
    """Text made of the language's own pieces, in any order: a config error or a formula that
    evaluates (to a number, a truth value or «undefined») without raising."""
    try:
        expression = parse_expression(text)
    except ExpressionError:
        return
    result = expression.evaluate(dict.fromkeys(expression.names, 0.0))
    assert result is None or isinstance(result, float | bool)
    result = expression.evaluate(dict.fromkeys(expression.names, 3.0))
    assert result is None or isinstance(result, float | bool)


@pytest.mark.parametrize(
    ("text", "readable", "excel"),
    [
        ("(r1 + r2) / R * 100", "(r1 + r2) / R × 100", "(r1+r2)/R*100"),
        ("a - (b - c)", "a − (b − c)", "a-(b-c)"),
        ("a / (b * c)", "a / (b × c)", "a/(b*c)"),
        ("-(a + b)", "−(a + b)", "-(a+b)"),
        (
            "if(R > 0 and a != 1, round(a / R, 1), 0)",
            "ЕСЛИ(R > 0 и a ≠ 1; ОКРУГЛ(a / R; 1); 0)",
            "IF(AND(R>0,a<>1),ROUND(a/R,1),0)",
        ),
        (
            "mun + 2 * reg + min(5 * intl, 15)",
            "mun + 2 × reg + МИН(5 × intl; 15)",
            "mun+2*reg+MIN(5*intl,15)",
        ),
        ("not a == 1", "не a = 1", "NOT(a=1)"),
    ],
)
def test_a_formula_is_written_back_for_people_and_for_excel(text: str, readable: str, excel: str) -> None:
    from vosp_monitor.config.expression_text import EXCEL, READABLE, render

    root = parse_expression(text).root
    assert render(root, READABLE) == readable
    assert render(root, EXCEL) == excel
    typed = render(root, READABLE).replace(";", ",").replace(" и ", " and ").replace(" = ", " == ")
    again = parse_expression(typed)  # what a person reads can be typed back as is
    values = {
        "R": 4.0,
        "a": 3.0,
        "b": 2.0,
        "c": 5.0,
        "r1": 1.0,
        "r2": 2.0,
        "mun": 1.0,
        "reg": 2.0,
        "intl": 4.0,
    }
    assert again.evaluate(values) == parse_expression(text).evaluate(values)  # the same formula


def test_the_values_of_a_school_fill_the_formula() -> None:
    from vosp_monitor.config.expression_text import substituted

    root = parse_expression("(r1 + r2) / R * 100 - d").root
    assert substituted(root, {"r1": 12, "r2": 30, "R": 60, "d": -2.5}) == "(12 + 30) / 60 × 100 − (−2,5)"
