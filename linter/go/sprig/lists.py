"""Sprig's list functions (list.go)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from chartfix.go.sprig.base import (
    FuncTable,
    ListKindError,
    deep_equal,
    is_empty,
    register,
    require_list,
    to_int,
)
from chartfix.go.types import GoFunc, GoFuncError, GoPanic, GoSignature, GoSlice, nil_slice

FUNCS: FuncTable = {}


def _register_pair(
    names: tuple[str, ...], must_names: tuple[str, ...], params: tuple[str, ...], variadic: str | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a list helper twice: the plain name panics on a non-list, the must* name returns
    the error (sprig implements every plain one as `panic(err)` around the must one)."""

    def wrap(impl: Callable[..., Any]) -> Callable[..., Any]:
        def plain(*args: Any) -> Any:
            try:
                return impl(*args)
            except ListKindError as err:
                raise GoPanic(str(err)) from None

        def must(*args: Any) -> Any:
            try:
                return impl(*args)
            except ListKindError as err:
                raise GoFuncError(str(err)) from None

        for name in names:
            FUNCS[name] = GoFunc(name, plain, GoSignature(params, variadic))
        for name in must_names:
            FUNCS[name] = GoFunc(name, must, GoSignature(params, variadic, returns_error=True))
        return impl

    return wrap


@register(FUNCS, "list", variadic="interface {}", aliases=("tuple",))
def make_list(*values: Any) -> list[Any]:
    return list(values)


@_register_pair(("append", "push"), ("mustAppend", "mustPush"), ("interface {}", "interface {}"))
def push(items: Any, value: Any) -> list[Any]:
    return [*require_list(items, "Cannot push on type %s"), value]


@_register_pair(("prepend",), ("mustPrepend",), ("interface {}", "interface {}"))
def prepend(items: Any, value: Any) -> list[Any]:
    return [value, *require_list(items, "Cannot prepend on type %s")]


@_register_pair(("chunk",), ("mustChunk",), ("int", "interface {}"))
def chunk(size: int, items: Any) -> list[list[Any]]:
    values = require_list(items, "Cannot chunk type %s")
    # sprig counts chunks with float division: a size of 0 or a negative count makes make() panic,
    # while some negative sizes give no chunk at all
    length = len(values)
    if size == 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    count = int(math.floor((length - 1) / size) + 1)
    if count < 0:
        raise GoPanic("runtime error: makeslice: len out of range")
    chunks = []
    for i in range(count):
        width = size
        if i == count - 1:
            width = int(math.floor(math.fmod(length, size))) or size
        if width < 0:
            raise GoPanic("runtime error: makeslice: len out of range")
        chunks.append(values[i * size : i * size + width])
    return GoSlice(chunks, "[][]interface {}")  # the chunks are []interface {}, not interfaces


@_register_pair(("last",), ("mustLast",), ("interface {}",))
def last(items: Any) -> Any:
    values = require_list(items, "Cannot find last on type %s")
    return values[-1] if values else None


@_register_pair(("first",), ("mustFirst",), ("interface {}",))
def first(items: Any) -> Any:
    values = require_list(items, "Cannot find first on type %s")
    return values[0] if values else None


@_register_pair(("rest",), ("mustRest",), ("interface {}",))
def rest(items: Any) -> list[Any]:
    # An empty input gives a nil []interface{}, which prints and ranges like [] (toJson: null).
    values = require_list(items, "Cannot find rest on type %s")
    return GoSlice(values[1:], is_nil=not values)


@_register_pair(("initial",), ("mustInitial",), ("interface {}",))
def initial(items: Any) -> list[Any]:
    values = require_list(items, "Cannot find initial on type %s")
    return GoSlice(values[:-1], is_nil=not values)


@_register_pair(("reverse",), ("mustReverse",), ("interface {}",))
def reverse(items: Any) -> list[Any]:
    return require_list(items, "Cannot find reverse on type %s")[::-1]


@_register_pair(("compact",), ("mustCompact",), ("interface {}",))
def compact(items: Any) -> list[Any]:
    return [v for v in require_list(items, "Cannot compact on type %s") if not is_empty(v)]


def _contains(haystack: list[Any], needle: Any) -> bool:
    return any(deep_equal(needle, item) for item in haystack)


@_register_pair(("uniq",), ("mustUniq",), ("interface {}",))
def uniq(items: Any) -> list[Any]:
    result: list[Any] = []
    for item in require_list(items, "Cannot find uniq on type %s"):
        if not _contains(result, item):
            result.append(item)
    return result


@_register_pair(("without",), ("mustWithout",), ("interface {}",), variadic="interface {}")
def without(items: Any, *omit: Any) -> list[Any]:
    omitted = list(omit)
    return [v for v in require_list(items, "Cannot find without on type %s") if not _contains(omitted, v)]


@_register_pair(("has",), ("mustHas",), ("interface {}", "interface {}"))
def has(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    return _contains(require_list(haystack, "Cannot find has on type %s"), needle)


@_register_pair(("slice",), ("mustSlice",), ("interface {}",), variadic="interface {}")
def slice_list(items: Any, *indices: Any) -> Any:
    values = require_list(items, "list should be type of slice or array but %s")
    if not values:
        return None
    start = to_int(indices[0]) if indices else 0
    end = to_int(indices[1]) if len(indices) >= 2 else len(values)
    if start < 0 or end < start or end > len(values):
        raise GoPanic("reflect.Value.Slice: slice index out of bounds")
    if isinstance(items, GoSlice):  # reflect's Slice keeps the type: a []int's part is a []int
        return GoSlice(values[start:end], items.go_type)
    return values[start:end]


@register(FUNCS, "concat", variadic="interface {}")
def concat(*lists: Any) -> list[Any] | None:
    result: list[Any] | None = None
    for each in lists:
        try:
            values = require_list(each, "Cannot concat type %s as list")
        except ListKindError as err:
            raise GoPanic(str(err)) from None
        result = [*(result or []), *values]
    return result or nil_slice()  # appending nothing to Go's nil slice leaves it nil
