"""Shared helpers of the function library: registration, emptiness, list checks and spf13/cast
conversions. Go kinds, DeepEqual and sprig's strval come from chartfix.govalues (re-exported here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chartfix.errors import LimitExceeded
from chartfix.go.strconv import parse_float, parse_int
from chartfix.go.template.builtins import deep_equal
from chartfix.go.template.builtins import kind_name as go_kind
from chartfix.go.template.builtins import to_string as strval
from chartfix.go.types import INT64_MIN, GoFunc, GoInt, GoPanic, GoSignature

FuncTable = dict[str, GoFunc]

# Largest string or list a single function call may build; beyond it Go would exhaust memory too.
MAX_BUILT_SIZE = 64 * 1024 * 1024
# What `reflect.TypeOf(nil).Kind()` does inside sprig's list helpers.
NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference"


def register(
    table: FuncTable,
    name: str,
    *params: str,
    variadic: str | None = None,
    returns_error: bool = False,
    aliases: tuple[str, ...] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: add the function to `table` under `name` (and `aliases`) with its Go signature."""

    def wrap(impl: Callable[..., Any]) -> Callable[..., Any]:
        signature = GoSignature(tuple(params), variadic, returns_error)
        for each in (name, *aliases):
            table[each] = GoFunc(each, impl, signature)
        return impl

    return wrap


def check_size(size: int, what: str) -> None:
    """Refuse to build something huge (a hostile chart could ask for gigabytes)."""
    if size > MAX_BUILT_SIZE:
        raise LimitExceeded(f"{what} would build {size} elements (limit {MAX_BUILT_SIZE})")


def float_to_int64(value: float) -> int:
    """Go's `int64(f)` conversion on amd64: truncation; NaN and out-of-range give the minimum int64."""
    if value != value or value >= 9.223372036854775807e18 or value < -9.223372036854775808e18:
        return INT64_MIN
    return int(value)


def is_empty(value: Any) -> bool:
    """sprig's `empty`: nil, false, 0, "" and empty collections are empty; structs never are."""
    if value is None:
        return True
    if isinstance(value, (bool, int, float, str, list, tuple, dict, bytes)):
        return not value
    return False


def require_list(value: Any, message: str) -> list[Any]:
    """sprig's `reflect.TypeOf(list).Kind()` switch: slices pass, nil panics, anything else errors.

    `message` is formatted with the kind name, e.g. "Cannot push on type %s".
    """
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return [GoInt(b) for b in value]
    if value is None:
        raise GoPanic(NIL_DEREFERENCE)
    raise ListKindError(message % go_kind(value))


class ListKindError(Exception):
    """A list helper got a non-list; the must* variant returns it as error, the plain one panics."""


# --- spf13/cast v1.7.0 (caste.go) -------------------------------------------------------------------


def _trim_zero_decimal(text: str) -> str:
    """cast's trimZeroDecimal: "12.00" -> "12", anything else unchanged."""
    found_zero = False
    for i in range(len(text) - 1, -1, -1):
        char = text[i]
        if char == ".":
            if found_zero:
                return text[:i]
        elif char == "0":
            found_zero = True
        else:
            return text
    return text


def to_int64(value: Any) -> int:
    """cast.ToInt64 (errors give 0)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float_to_int64(value)
    if isinstance(value, str):
        parsed = parse_int(_trim_zero_decimal(value))
        return 0 if parsed is None else parsed
    return 0


def to_int(value: Any) -> GoInt:
    """cast.ToInt (errors give 0)."""
    return GoInt(to_int64(value))


def to_float64(value: Any) -> float:
    """cast.ToFloat64 (errors give 0)."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        parsed = parse_float(value)
        return 0.0 if parsed is None else parsed
    return 0.0


__all__ = ["deep_equal", "go_kind", "strval"]
