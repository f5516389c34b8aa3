"""Sprig number functions and spf13/cast conversions (cases from sprig v3.3.0's numeric_test.go and
cast v1.7.0's caste.go rules)."""

from __future__ import annotations

import math

import pytest

from chartfix.go.sprig.base import to_float64, to_int64
from chartfix.go.types import INT64_MIN, GoInt, GoPanic
from chartfix.helm.funcmap import function_map

F = {name: func.impl for name, func in function_map().items()}


def call(name, *args):
    return F[name](*args)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0),
        (True, 1),
        (GoInt(102), 102),
        (102.9, 102),
        (-102.9, -102),
        ("102", 102),
        ("12.00", 12),  # trimZeroDecimal
        ("12.50", 0),
        ("0x1F", 31),
        ("0o17", 15),
        ("017", 15),
        ("0b101", 5),
        ("1_000", 1000),
        ("08", 0),
        (" 1", 0),
        ("9223372036854775808", 0),  # out of range is an error, so 0
        (float("nan"), INT64_MIN),
        (1e300, INT64_MIN),
        ([1], 0),
    ],
)
def test_to_int64_follows_cast(value, expected):
    assert to_int64(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, 0.0),
        (False, 0.0),
        (GoInt(3), 3.0),
        ("1.5", 1.5),
        ("1e3", 1000.0),
        ("0x1p-2", 0.25),
        ("abc", 0.0),
    ]
    + [("1e400", 0.0), ("Inf", math.inf), ("1_0.5", 10.5), ({}, 0.0)],
)
def test_to_float64_follows_cast(value, expected):
    assert to_float64(value) == expected


def test_conversion_functions_return_go_types():
    assert call("int", "7") == 7 and type(call("int", "7")) is GoInt
    assert type(call("int64", GoInt(7))) is int
    assert call("float64", "2") == 2.0 and type(call("float64", "2")) is float


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("add1", (GoInt(3),), 4),
        ("add", (GoInt(1), GoInt(2), GoInt(3)), 6),
        ("add", (1.9, "2"), 3),
        ("sub", (GoInt(14), GoInt(3)), 11),
        ("div", (GoInt(5), GoInt(4)), 1),
        ("div", (GoInt(-7), GoInt(2)), -3),
        ("mod", (GoInt(-7), GoInt(2)), -1),
        ("mul", (GoInt(1), "2", GoInt(3), "4"), 24),
        ("mul", (1 << 62, 4), 0),  # int64 wrap-around
        ("max", (GoInt(1), GoInt(2), GoInt(345), GoInt(5)), 345),
        ("biggest", (GoInt(345),), 345),
        ("min", (GoInt(1), GoInt(2), GoInt(-3)), -3),
        ("maxf", (GoInt(1), GoInt(2), 345.7, GoInt(5)), 345.7),
        ("minf", (1.4, GoInt(2), 345.6), 1.4),
        ("add1f", (3.4,), 4.4),
        ("addf", (GoInt(1), 1.5, 2.2), 4.7),
        ("subf", (4.5, GoInt(1), GoInt(3)), 0.5),
        ("mulf", (1.2, "2.4", GoInt(10), "4"), 115.2),
        ("divf", (GoInt(5), GoInt(4), GoInt(2)), 0.625),
        ("divf", (GoInt(10), GoInt(3)), 3.3333333333333335),
        ("addf", (0.1, 0.2), 0.3),
        ("floor", ("3.7",), 3.0),
        ("ceil", (3.2,), 4.0),
        ("ceil", (-0.5,), -0.0),
        ("round", (123.5555, 3), 123.556),
        ("round", ("123.55555", 3), 123.556),
        ("round", (123.500001, 0), 124.0),
        ("round", (123.49999999, 0), 123.0),
        ("round", (123.2329999, 2, 0.3), 123.23),
        ("round", (123.233, 2, 0.3), 123.24),
        ("toDecimal", ("777",), 511),
        ("toDecimal", ("8",), 0),
    ],
)
def test_arithmetic(name, args, expected):
    result = call(name, *args)
    assert result == expected
    assert type(result) is type(expected)


def test_ceil_keeps_the_sign_of_zero():
    assert math.copysign(1.0, call("ceil", -0.5)) == -1.0  # Go prints "-0"


def test_integer_division_by_zero_panics():
    with pytest.raises(GoPanic, match="integer divide by zero"):
        call("div", GoInt(1), GoInt(0))
    with pytest.raises(GoPanic, match="decimal division by 0"):
        call("divf", GoInt(1), GoInt(0))


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("until", (5,), [0, 1, 2, 3, 4]),
        ("until", (-5,), [0, -1, -2, -3, -4]),
        ("untilStep", (3, 6, 1), [3, 4, 5]),
        ("untilStep", (0, -10, -2), [0, -2, -4, -6, -8]),
        ("untilStep", (3, 0, 1), []),
        ("untilStep", (3, 99, 0), []),
        ("untilStep", (3, 99, -1), []),
        ("untilStep", (3, 0, 0), []),
    ],
)
def test_until(name, args, expected):
    result = call(name, *args)
    assert result == expected
    assert all(type(item) is GoInt for item in result)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0, 1, 3), "0 1 2 3"),
        ((0, 3, 10), "0 3 6 9"),
        ((3, 3, 2), ""),
        ((3, -3, 2), "3"),
        ((), ""),
        ((0, 4), "0 1 2 3 4"),
        ((5,), "1 2 3 4 5"),
        ((-5,), "1 0 -1 -2 -3 -4 -5"),
        ((0,), "1 0"),
        ((0, 1, 2, 3), ""),
        ((0, -4), "0 -1 -2 -3 -4"),
    ],
)
def test_seq(args, expected):
    assert call("seq", *(GoInt(a) for a in args)) == expected


def test_rand_int_range():
    values = {call("randInt", GoInt(2), GoInt(5)) for _ in range(200)}
    assert values <= {2, 3, 4} and len(values) > 1
    with pytest.raises(GoPanic, match="invalid argument to Intn"):
        call("randInt", GoInt(5), GoInt(5))
