"""Sprig's defaults.go (without its JSON functions) and reflect.go."""

from __future__ import annotations

from typing import Any

from chartfix.go.fmt import go_type_name
from chartfix.go.sprig.base import FuncTable, deep_equal, go_kind, is_empty, register

FUNCS: FuncTable = {}
ANY = "interface {}"


@register(FUNCS, "default", ANY, variadic=ANY)
def default(fallback: Any, *given: Any) -> Any:
    if not given or is_empty(given[0]):
        return fallback
    return given[0]


@register(FUNCS, "empty", ANY)
def empty(value: Any) -> bool:
    return is_empty(value)


@register(FUNCS, "coalesce", variadic=ANY)
def coalesce(*values: Any) -> Any:
    return next((v for v in values if not is_empty(v)), None)


@register(FUNCS, "all", variadic=ANY)
def all_(*values: Any) -> bool:
    return all(not is_empty(v) for v in values)


@register(FUNCS, "any", variadic=ANY)
def any_(*values: Any) -> bool:
    return any(not is_empty(v) for v in values)


@register(FUNCS, "ternary", ANY, ANY, "bool")
def ternary(if_true: Any, if_false: Any, condition: bool) -> Any:
    return if_true if condition else if_false


@register(FUNCS, "typeOf", ANY)
def type_of(value: Any) -> str:
    return go_type_name(value)


@register(FUNCS, "typeIs", "string", ANY)
def type_is(target: str, value: Any) -> bool:
    return target == go_type_name(value)


@register(FUNCS, "typeIsLike", "string", ANY)
def type_is_like(target: str, value: Any) -> bool:
    name = go_type_name(value)
    return target == name or "*" + target == name


@register(FUNCS, "kindOf", ANY)
def kind_of(value: Any) -> str:
    return go_kind(value)


@register(FUNCS, "kindIs", "string", ANY)
def kind_is(target: str, value: Any) -> bool:
    return target == go_kind(value)


@register(FUNCS, "deepEqual", ANY, ANY)
def deep_equal_func(a: Any, b: Any) -> bool:
    return deep_equal(a, b)
