"""Sprig's dict functions (dict.go), with dario.cat/mergo v1.0.1 merge semantics."""

from __future__ import annotations

from typing import Any

from chartfix.go.fmt import go_type_name
from chartfix.go.sprig.base import FuncTable, is_empty, register, strval
from chartfix.go.types import GoMap, GoPanic, GoSlice

FUNCS: FuncTable = {}
MAP = "map[string]interface {}"


@register(FUNCS, "get", MAP, "string")
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    # A nil map (None) reads like an empty one; writing to it panics.
    return mapping.get(key, "") if mapping is not None else ""


@register(FUNCS, "set", MAP, "string", "interface {}")
def set_key(mapping: dict[str, Any] | None, key: str, value: Any) -> dict[str, Any]:
    if mapping is None:
        raise GoPanic("assignment to entry in nil map")
    mapping[key] = value
    return mapping


@register(FUNCS, "unset", MAP, "string")
def unset(mapping: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    if mapping is not None:
        mapping.pop(key, None)
    return mapping


@register(FUNCS, "hasKey", MAP, "string")
def has_key(mapping: dict[str, Any] | None, key: str) -> bool:
    return mapping is not None and key in mapping


@register(FUNCS, "pluck", "string", variadic=MAP)
def pluck(key: str, *mappings: dict[str, Any]) -> list[Any]:
    return [m[key] for m in mappings if m is not None and key in m]


@register(FUNCS, "keys", variadic=MAP)
def keys(*mappings: dict[str, Any]) -> list[str]:
    # Go iterates maps in random order; sorted order is one of the orders Helm can produce.
    return GoSlice([k for m in mappings if m for k in sorted(m)], "[]string")


@register(FUNCS, "values", MAP)
def values(mapping: dict[str, Any]) -> list[Any]:
    return [mapping[k] for k in sorted(mapping)] if mapping else []


@register(FUNCS, "pick", MAP, variadic="string")
def pick(mapping: dict[str, Any], *names: str) -> dict[str, Any]:
    mapping = mapping or {}
    return {k: mapping[k] for k in names if k in mapping}


@register(FUNCS, "omit", MAP, variadic="string")
def omit(mapping: dict[str, Any], *names: str) -> dict[str, Any]:
    dropped = set(names)
    return {k: v for k, v in (mapping or {}).items() if k not in dropped}


@register(FUNCS, "dict", variadic="interface {}")
def make_dict(*pairs: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for i in range(0, len(pairs), 2):
        result[strval(pairs[i])] = pairs[i + 1] if i + 1 < len(pairs) else ""
    return result


def mergo_merge(dst: dict[str, Any], src: dict[str, Any], overwrite: bool) -> None:
    """mergo.Merge / MergeWithOverwrite of two map[string]interface{} values, in place.

    Derived from deepMerge's map case (merge.go): nested maps merge recursively into the existing
    destination map; everything else (slices included) is taken from src when overwriting or when
    the destination value is missing or empty; a nil src value only lands when overwriting.
    """
    for key, src_value in src.items():
        if src_value is None:
            if overwrite:
                dst[key] = None
            continue
        present = key in dst
        dst_value = dst.get(key)
        if isinstance(src_value, dict) and isinstance(dst_value, dict):
            mergo_merge(dst_value, src_value, overwrite)
            if dst_value:
                continue
        if overwrite or not present or is_empty(dst_value):
            dst[key] = src_value


def _merge_all(
    dst: dict[str, Any] | None, sources: tuple[dict[str, Any], ...], overwrite: bool
) -> dict[str, Any]:
    if dst is None:
        dst = {}  # mergo allocates the map behind a nil destination pointer
    for src in sources:
        if src is None:
            continue
        mergo_merge(dst, src, overwrite)
    return dst


@register(FUNCS, "merge", MAP, variadic=MAP)
def merge(dst: dict[str, Any], *sources: dict[str, Any]) -> Any:
    return _merge_all(dst, sources, overwrite=False)


@register(FUNCS, "mustMerge", MAP, variadic=MAP, returns_error=True)
def must_merge(dst: dict[str, Any], *sources: dict[str, Any]) -> Any:
    return _merge_all(dst, sources, overwrite=False)


@register(FUNCS, "mergeOverwrite", MAP, variadic=MAP)
def merge_overwrite(dst: dict[str, Any], *sources: dict[str, Any]) -> Any:
    return _merge_all(dst, sources, overwrite=True)


@register(FUNCS, "mustMergeOverwrite", MAP, variadic=MAP, returns_error=True)
def must_merge_overwrite(dst: dict[str, Any], *sources: dict[str, Any]) -> Any:
    return _merge_all(dst, sources, overwrite=True)


# copystructure.Copy(nil) asks reflect.ValueOf(nil).Type(), which panics.
_COPY_NIL_PANIC = "reflect: call of reflect.Value.Type on zero Value"


def _copy_top(value: Any) -> Any:
    if value is None:
        raise GoPanic(_COPY_NIL_PANIC)
    return deep_copy(value)


def deep_copy(value: Any) -> Any:
    """copystructure.Copy over the value model: maps and slices are copied, leaves are shared."""
    if isinstance(value, GoMap):  # the copy keeps the Go type (chartutil.Values stays one)
        return GoMap({k: deep_copy(v) for k, v in value.items()}, value.go_type, value.is_nil)
    if isinstance(value, GoSlice):
        return GoSlice([deep_copy(v) for v in value], value.go_type, value.is_nil)
    if isinstance(value, dict):
        return {k: deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [deep_copy(v) for v in value]
    return value


@register(FUNCS, "deepCopy", "interface {}")
def deep_copy_func(value: Any) -> Any:
    return _copy_top(value)


@register(FUNCS, "mustDeepCopy", "interface {}", returns_error=True)
def must_deep_copy(value: Any) -> Any:
    return _copy_top(value)


def _assert_type(value: Any, wanted: type, go_wanted: str) -> Any:
    """A Go type assertion `v.(T)` on an interface{}; a mismatch panics like the runtime does."""
    # An exact type match: a named map type (Helm's chartutil.Values) fails the assertion in Go.
    if type(value) is wanted or (isinstance(value, (GoMap, GoSlice)) and value.go_type == go_wanted):
        return value
    concrete = "nil" if value is None else go_type_name(value)
    raise GoPanic(f"interface conversion: interface {{}} is {concrete}, not {go_wanted}")


@register(FUNCS, "dig", variadic="interface {}", returns_error=True)
def dig(*args: Any) -> Any:
    if len(args) < 3:
        raise GoPanic("dig needs at least three arguments")
    current = _assert_type(args[-1], dict, MAP)
    default = args[-2]
    path = [_assert_type(k, str, "string") for k in args[:-2]]
    for index, key in enumerate(path):
        if key not in current:
            return default
        step = current[key]
        if index == len(path) - 1:
            return step
        current = _assert_type(step, dict, MAP)
    return default
