"""Sprig's number functions (numeric.go and the arithmetic lambdas of functions.go)."""

from __future__ import annotations

import math
import secrets
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from chartfix.errors import LimitExceeded
from chartfix.go.fmt import sprint
from chartfix.go.sprig.base import FuncTable, register, to_float64, to_int, to_int64
from chartfix.go.types import GoInt, GoPanic, GoSlice, wrap_int64

FUNCS: FuncTable = {}
ANY = "interface {}"
MAX_RANGE_LENGTH = 10_000_000  # until/untilStep/seq beyond this would exhaust memory


@register(FUNCS, "int64", ANY)
def int64(value: Any) -> int:
    return to_int64(value)


@register(FUNCS, "int", ANY)
def int_(value: Any) -> GoInt:
    return to_int(value)


@register(FUNCS, "float64", ANY)
def float64(value: Any) -> float:
    return to_float64(value)


def _go_div(a: int, b: int) -> int:
    """Go's truncating int64 division."""
    if b == 0:
        raise GoPanic("runtime error: integer divide by zero")
    quotient = abs(a) // abs(b)
    return wrap_int64(quotient if (a < 0) == (b < 0) else -quotient)


def _go_mod(a: int, b: int) -> int:
    """Go's int64 remainder: the sign follows the dividend."""
    if b == 0:
        raise GoPanic("runtime error: integer divide by zero")
    remainder = abs(a) % abs(b)
    return remainder if a >= 0 else -remainder


@register(FUNCS, "add1", ANY)
def add1(value: Any) -> int:
    return wrap_int64(to_int64(value) + 1)


@register(FUNCS, "add", variadic=ANY)
def add(*values: Any) -> int:
    total = 0
    for value in values:
        total = wrap_int64(total + to_int64(value))
    return total


@register(FUNCS, "sub", ANY, ANY)
def sub(a: Any, b: Any) -> int:
    return wrap_int64(to_int64(a) - to_int64(b))


@register(FUNCS, "div", ANY, ANY)
def div(a: Any, b: Any) -> int:
    return _go_div(to_int64(a), to_int64(b))


@register(FUNCS, "mod", ANY, ANY)
def mod(a: Any, b: Any) -> int:
    return _go_mod(to_int64(a), to_int64(b))


@register(FUNCS, "mul", ANY, variadic=ANY)
def mul(first: Any, *rest: Any) -> int:
    product = to_int64(first)
    for value in rest:
        product = wrap_int64(product * to_int64(value))
    return product


@register(FUNCS, "randInt", "int", "int")
def rand_int(low: int, high: int) -> GoInt:
    if high - low <= 0:
        raise GoPanic("invalid argument to Intn")
    return GoInt(secrets.randbelow(high - low) + low)


@register(FUNCS, "max", ANY, variadic=ANY, aliases=("biggest",))
def max_(first: Any, *rest: Any) -> int:
    return max([to_int64(first), *(to_int64(v) for v in rest)])


@register(FUNCS, "min", ANY, variadic=ANY)
def min_(first: Any, *rest: Any) -> int:
    return min([to_int64(first), *(to_int64(v) for v in rest)])


def go_math_max(a: float, b: float) -> float:
    """math.Max: +Inf wins, then NaN, and +0 beats -0."""
    if math.isinf(a) and a > 0 or math.isinf(b) and b > 0:
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1, a) > 0 else b
    return a if a > b else b


def go_math_min(a: float, b: float) -> float:
    """math.Min: -Inf wins, then NaN, and -0 beats +0."""
    if math.isinf(a) and a < 0 or math.isinf(b) and b < 0:
        return -math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    if a == 0 and b == 0:
        return a if math.copysign(1, a) < 0 else b
    return a if a < b else b


@register(FUNCS, "maxf", ANY, variadic=ANY)
def maxf(first: Any, *rest: Any) -> float:
    result = to_float64(first)
    for value in rest:
        result = go_math_max(result, to_float64(value))
    return result


@register(FUNCS, "minf", ANY, variadic=ANY)
def minf(first: Any, *rest: Any) -> float:
    result = to_float64(first)
    for value in rest:
        result = go_math_min(result, to_float64(value))
    return result


def _go_floor(value: float) -> float:
    """math.Floor: floats in, floats out, and the sign of a zero result is kept (Floor(-0) = -0)."""
    if not math.isfinite(value):
        return value
    return math.copysign(float(math.floor(value)), value)


def _go_ceil(value: float) -> float:
    """math.Ceil: Ceil(-0.5) is -0, printed "-0"."""
    if not math.isfinite(value):
        return value
    return math.copysign(float(math.ceil(value)), value)


@register(FUNCS, "floor", ANY)
def floor(value: Any) -> float:
    return _go_floor(to_float64(value))


@register(FUNCS, "ceil", ANY)
def ceil(value: Any) -> float:
    return _go_ceil(to_float64(value))


def _go_pow10(places: int) -> float:
    """math.Pow(10, float64(places)) as Go 1.23 and 1.25 compute it for an integral exponent: the
    Frexp mantissa of 10 squared along the exponent's bits, then one Ldexp. It is not correctly
    rounded (Pow(10, 39) is 1.0000000000000001e39, Pow(10, 65) is 1.0000000000000002e65), so sprig's
    `round 3 39` is 2.9999999999999996 and `round 3 65` is 3."""
    exponent = float(places)
    if exponent == 0:
        return 1.0
    if abs(exponent) >= 2.0**63:  # overflows (or underflows to 0) whatever the mantissa
        return math.inf if exponent > 0 else 0.0
    mantissa, scale = 1.0, 0
    base, base_scale = math.frexp(10.0)
    bits = int(abs(exponent))
    while bits:
        if not -(1 << 12) <= base_scale <= 1 << 12:  # the result is out of range: stop early
            scale += base_scale
            break
        if bits & 1:
            mantissa *= base
            scale += base_scale
        base *= base
        base_scale <<= 1
        if base < 0.5:
            base += base
            base_scale -= 1
        bits >>= 1
    if exponent < 0:
        mantissa, scale = 1 / mantissa, -scale
    try:
        return math.ldexp(mantissa, scale)
    except OverflowError:
        return math.inf


@register(FUNCS, "round", ANY, "int", variadic="float64")
def round_(value: Any, places: int, *round_on: float) -> float:
    threshold = round_on[0] if round_on else 0.5
    number = to_float64(value)
    power = _go_pow10(places)
    digit = power * number
    fraction = math.modf(digit)[0] if math.isfinite(digit) else 0.0
    rounded = _go_ceil(digit) if fraction >= threshold else _go_floor(digit)
    return go_float_div(rounded, power)


def go_float_div(a: float, b: float) -> float:
    """IEEE division as Go does it: x/0 is ±Inf and 0/0 is NaN instead of an exception."""
    if b != 0:
        return a / b
    if a == 0 or math.isnan(a):
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


# --- shopspring/decimal based float arithmetic ---------------------------------------------------------

_DIVISION_PRECISION = Decimal(1).scaleb(-16)  # decimal.DivisionPrecision = 16


def _to_decimal(value: Any) -> Decimal:
    """decimal.NewFromFloat(cast.ToFloat64(v)): the shortest decimal that round-trips."""
    number = to_float64(value)
    if not math.isfinite(number):
        raise GoPanic(f"Cannot create a Decimal from {sprint(number)}")
    return Decimal(repr(number))


def _decimal_fold(first: Any, rest: tuple[Any, ...], operation: str) -> float:
    with localcontext() as context:
        context.prec = 800
        context.Emax = 999_999
        context.Emin = -999_999
        result = _to_decimal(first)
        for value in rest:
            operand = _to_decimal(value)
            if operation == "add":
                result = result + operand
            elif operation == "sub":
                result = result - operand
            elif operation == "mul":
                result = result * operand
            else:
                if operand == 0:
                    raise GoPanic("decimal division by 0")
                result = (result / operand).quantize(_DIVISION_PRECISION, rounding=ROUND_HALF_UP)
        return float(result) + 0.0  # shopspring/decimal has no negative zero


@register(FUNCS, "add1f", ANY)
def add1f(value: Any) -> float:
    return _decimal_fold(value, (1,), "add")


@register(FUNCS, "addf", variadic=ANY)
def addf(*values: Any) -> float:
    return _decimal_fold(0.0, values, "add")


@register(FUNCS, "subf", ANY, variadic=ANY)
def subf(first: Any, *rest: Any) -> float:
    return _decimal_fold(first, rest, "sub")


@register(FUNCS, "mulf", ANY, variadic=ANY)
def mulf(first: Any, *rest: Any) -> float:
    return _decimal_fold(first, rest, "mul")


@register(FUNCS, "divf", ANY, variadic=ANY)
def divf(first: Any, *rest: Any) -> float:
    return _decimal_fold(first, rest, "div")


# --- integer ranges -----------------------------------------------------------------------------------


def until_step(start: int, stop: int, step: int) -> list[GoInt]:
    if stop < start:
        if step >= 0:
            return []
    elif step <= 0:
        return []
    count = -((start - stop) // step)  # ceil((stop - start) / step); the signs agree here
    if count > MAX_RANGE_LENGTH:
        raise LimitExceeded(f"untilStep {int(start)} {int(stop)} {int(step)} would build {count} integers")
    return [GoInt(i) for i in range(start, stop, step)]


@register(FUNCS, "untilStep", "int", "int", "int")
def until_step_func(start: int, stop: int, step: int) -> list[GoInt]:
    return GoSlice(until_step(start, stop, step), "[]int")


@register(FUNCS, "until", "int")
def until(count: int) -> list[GoInt]:
    return GoSlice(until_step(0, count, -1 if count < 0 else 1), "[]int")


@register(FUNCS, "seq", variadic="int")
def seq(*params: int) -> str:
    if len(params) == 1:
        end = params[0]
        increment = -1 if end < 1 else 1
        numbers = until_step(1, end + increment, increment)
    elif len(params) == 2:
        start, end = params
        step = -1 if end < start else 1
        numbers = until_step(start, end + step, step)
    elif len(params) == 3:
        start, step, end = params
        increment = 1
        if end < start:
            increment = -1
            if step > 0:
                return ""
        numbers = until_step(start, end + increment, step)
    else:
        return ""
    return " ".join(str(int(n)) for n in numbers)
