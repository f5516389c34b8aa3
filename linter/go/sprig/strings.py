"""Sprig's core string functions (strings.go and the Go strings/strconv calls of functions.go)."""

from __future__ import annotations

from typing import Any

from chartfix.go.fmt import sprint
from chartfix.go.sprig.base import (
    FuncTable,
    check_size,
    register,
    strval,
)
from chartfix.go.strconv import parse_int
from chartfix.go.strconv import quote as quote_string
from chartfix.go.types import GoInt, GoMap, GoPanic, GoSlice
from chartfix.go.unicode import (
    GO_SPACE,
    byte_slice,
    go_bytes,
    go_runes,
    slice_panic,
    to_lower_rune,
    to_upper_rune,
    utf8_len,
)

FUNCS: FuncTable = {}


# --- quoting -------------------------------------------------------------------------------------


@register(FUNCS, "quote", variadic="interface {}")
def quote(*values: Any) -> str:
    return " ".join(quote_string(strval(v)) for v in values if v is not None)


@register(FUNCS, "squote", variadic="interface {}")
def squote(*values: Any) -> str:
    return " ".join(f"'{sprint(v)}'" for v in values if v is not None)


@register(FUNCS, "cat", variadic="interface {}")
def cat(*values: Any) -> str:
    return " ".join(sprint(v) for v in values if v is not None)


# --- simple wrappers around Go's strings package -----------------------------------------------------


@register(FUNCS, "trim", "string")
def trim(text: str) -> str:
    return text.strip(GO_SPACE)


@register(FUNCS, "upper", "string")
def upper(text: str) -> str:
    text = go_runes(text)  # strings.Map: invalid bytes become U+FFFD
    return text.upper() if text.isascii() else "".join(to_upper_rune(c) for c in text)


@register(FUNCS, "lower", "string")
def lower(text: str) -> str:
    text = go_runes(text)  # strings.Map: invalid bytes become U+FFFD
    return text.lower() if text.isascii() else "".join(to_lower_rune(c) for c in text)


@register(FUNCS, "substr", "int", "int", "string")
def substr(start: int, end: int, text: str) -> str:
    length = utf8_len(text)
    if start < 0:
        if end < 0 or end > length:
            raise slice_panic(None, end, length)
        return byte_slice(text, 0, end)
    if end < 0 or end > length:
        if start > length:
            raise slice_panic(start, None, length)
        return byte_slice(text, start)
    if start > end:
        raise slice_panic(start, end, length)
    return byte_slice(text, start, end)


@register(FUNCS, "trunc", "int", "string")
def trunc(count: int, text: str) -> str:
    length = utf8_len(text)
    if count < 0 and length + count > 0:
        return byte_slice(text, length + count)
    if count >= 0 and length > count:
        return byte_slice(text, 0, count)
    return text


@register(FUNCS, "repeat", "int", "string")
def repeat(count: int, text: str) -> str:
    if count < 0:
        raise GoPanic("strings: negative Repeat count")
    check_size(count * len(text), "repeat")
    return text * count


def _go_trim(text: str, cutset: str) -> str:
    return text.strip(cutset) if cutset else text


@register(FUNCS, "trimAll", "string", "string", aliases=("trimall",))
def trim_all(cutset: str, text: str) -> str:
    return _go_trim(text, cutset)


@register(FUNCS, "trimSuffix", "string", "string")
def trim_suffix(suffix: str, text: str) -> str:
    return text[: -len(suffix)] if suffix and text.endswith(suffix) else text


@register(FUNCS, "trimPrefix", "string", "string")
def trim_prefix(prefix: str, text: str) -> str:
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


@register(FUNCS, "contains", "string", "string")
def contains(needle: str, text: str) -> bool:
    return needle in text


@register(FUNCS, "hasPrefix", "string", "string")
def has_prefix(prefix: str, text: str) -> bool:
    return text.startswith(prefix)


@register(FUNCS, "hasSuffix", "string", "string")
def has_suffix(suffix: str, text: str) -> bool:
    return text.endswith(suffix)


@register(FUNCS, "indent", "int", "string")
def indent(spaces: int, text: str) -> str:
    if spaces < 0:
        raise GoPanic("strings: negative Repeat count")
    check_size(spaces * (text.count("\n") + 1) + len(text), "indent")
    pad = " " * spaces
    return pad + text.replace("\n", "\n" + pad)


@register(FUNCS, "nindent", "int", "string")
def nindent(spaces: int, text: str) -> str:
    return "\n" + indent(spaces, text)


def go_replace(text: str, old: str, new: str) -> str:
    """strings.Replace(s, old, new, -1): an empty `old` inserts `new` around every rune."""
    if old:
        return text.replace(old, new)
    return new + new.join(text) + new if text else new


@register(FUNCS, "replace", "string", "string", "string")
def replace(old: str, new: str, text: str) -> str:
    return go_replace(text, old, new)


@register(FUNCS, "plural", "string", "string", "int")
def plural(one: str, many: str, count: int) -> str:
    return one if count == 1 else many


@register(FUNCS, "hello")
def hello() -> str:
    return "Hello!"


# --- conversions and splitting ------------------------------------------------------------------------


@register(FUNCS, "toString", "interface {}")
def to_string(value: Any) -> str:
    return strval(value)


@register(FUNCS, "atoi", "string")
def atoi(text: str) -> GoInt:
    """strconv.Atoi with the error dropped: base 10, optional sign, no underscores."""
    body = text[1:] if text[:1] in "+-" else text
    if not body.isascii() or not body.isdigit():
        return GoInt(0)
    # out of range: strconv.Atoi returns the nearest int64 with its (dropped) ErrRange
    digits = body.lstrip("0")[:20]  # more than 19 digits is out of range anyway (and cheap to parse)
    value = int(digits or "0") * (-1 if text[0] == "-" else 1)
    return GoInt(min(max(value, -(1 << 63)), (1 << 63) - 1))


def go_split(text: str, sep: str, limit: int = -1) -> list[str]:
    """strings.SplitN: an empty separator splits into runes; limit 0 gives nil (here [])."""
    if limit == 0:
        return []
    if sep == "":
        runes = list(text)
        if 0 < limit < len(runes):
            return [*runes[: limit - 1], "".join(runes[limit - 1 :])]
        return runes
    if limit < 0:
        return text.split(sep)
    return text.split(sep, limit - 1)


@register(FUNCS, "splitList", "string", "string")
def split_list(sep: str, text: str) -> list[str]:
    return GoSlice(go_split(text, sep), "[]string")


@register(FUNCS, "split", "string", "string")
def split(sep: str, text: str) -> dict[str, Any]:
    return GoMap({f"_{i}": part for i, part in enumerate(go_split(text, sep))}, "map[string]string")


@register(FUNCS, "splitn", "string", "int", "string")
def splitn(sep: str, count: int, text: str) -> dict[str, Any]:
    parts = go_split(text, sep, count)
    return GoMap({f"_{i}": part for i, part in enumerate(parts)}, "map[string]string")


def strslice(value: Any) -> list[str]:
    """sprig's strslice: lists lose their nil elements and stringify the rest; nil gives []."""
    if isinstance(value, (list, tuple)):
        return [strval(v) for v in value if v is not None]
    if isinstance(value, bytes):
        return [str(b) for b in value]
    if value is None:
        return []
    return [strval(value)]


@register(FUNCS, "toStrings", "interface {}")
def to_strings(value: Any) -> list[str]:
    return GoSlice(strslice(value), "[]string")


@register(FUNCS, "join", "string", "interface {}")
def join(sep: str, value: Any) -> str:
    return sep.join(strslice(value))


@register(FUNCS, "sortAlpha", "interface {}")
def sort_alpha(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, bytes)):
        return GoSlice(sorted(strslice(value), key=go_bytes), "[]string")
    return GoSlice([strval(value)], "[]string")


@register(FUNCS, "toDecimal", "interface {}")
def to_decimal(value: Any) -> int:
    """strconv.ParseInt(fmt.Sprint(v), 8, 64), 0 on error."""
    parsed = parse_int(sprint(value), 8)
    return 0 if parsed is None else parsed
