"""close.assert_close: the last bits of a float may differ between machines, nothing else may."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from close import assert_close, differences


@dataclass
class Stat:
    code: str
    skew: float
    places: list[int]


def test_the_last_bits_of_a_float_pass():
    # The audit's skewness with and without AVX-512 (issue 22).
    assert_close({"skew": -0.09489563620692713}, {"skew": -0.09489563620692659})
    assert_close(Stat("A", 1e-17, [1, 2]), Stat("A", 0.0, [1, 2]))  # zero here, 1e-17 there
    assert_close([float("nan")], [float("nan")])


@pytest.mark.parametrize(
    ("actual", "expected", "where"),
    [
        (Stat("A", 0.12345, [1]), Stat("A", 0.12346, [1]), ".skew"),  # a printed digit moved
        (Stat("A", 0.1, [1, 3]), Stat("A", 0.1, [1, 2]), ".places[1]"),  # places are exact
        (Stat("A", 0.1, [1]), Stat("B", 0.1, [1]), ".code"),
        ({"a": 1.0}, {"a": 1.0, "b": 2.0}, "keys"),
        ([1.0, 2.0], [1.0], "2 items"),
        ({"flag": True}, {"flag": 1.0}, ".flag"),
    ],
)
def test_anything_else_fails_and_says_where(actual, expected, where):
    found = differences(actual, expected)
    assert len(found) == 1 and where in found[0], found
    with pytest.raises(AssertionError, match="out of date"):
        assert_close(actual, expected, "out of date")
