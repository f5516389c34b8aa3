"""Value rules of Go's text/template builtins (src/text/template/funcs.go) and reflect helpers.

Functions take and return values of the chartfix.gotypes model and raise GoFuncError with the
message the Go builtin returns as its error. None stands for a nil interface value.

Comparison errors differ between Go releases: Go 1.25 (Helm 4.1) names the two types in
"incompatible types for comparison: int and string"; earlier releases (Helm 3.17) do not. Pass
`typed_errors=True` to eq/ne/lt/le/gt/ge for the newer form.
"""

from __future__ import annotations

import math
from typing import Any

from chartfix.go.fmt import go_type_name, sprint, sprint_indirect, sprintf
from chartfix.go.types import GoFunc, GoFuncError, GoInt, GoMethod, GoStruct, GoUint8

__all__ = [
    "deep_equal",
    "eq",
    "ge",
    "gt",
    "html",
    "html_escape",
    "index",
    "is_true",
    "js",
    "js_escape",
    "kind_name",
    "le",
    "length",
    "lt",
    "ne",
    "slice",
    "to_string",
    "type_name",
    "urlquery",
    "urlquery_escape",
]


def type_name(v: Any) -> str:
    """reflect.Type.String() of a value, as `typeOf` and `%T` print it (`<nil>` for nil)."""
    return go_type_name(v)


def kind_name(v: Any) -> str:
    """reflect.Kind.String() of a value, as `kindOf` prints it (`invalid` for nil)."""
    if v is None:
        return "invalid"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, str):
        return "string"
    if isinstance(v, GoInt):
        return "int"
    if isinstance(v, GoUint8):
        return "uint8"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, (list, tuple, bytes, bytearray)):
        return "slice"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, GoStruct):
        return "ptr" if v.go_type.startswith("*") else "struct"
    if isinstance(v, GoFunc):
        return "func"
    return "struct"


# ---------------------------------------------------------------------------------------------
# Truth


def is_true(v: Any) -> tuple[bool, bool]:
    """template.IsTrue: (truth, ok). Empty strings/collections, zero numbers, false and nil are
    false; structs are always true."""
    if v is None:
        return False, True
    if isinstance(v, bool):
        return v, True
    if isinstance(v, (int, float)):
        return v != 0, True
    if isinstance(v, (str, list, tuple, dict, bytes, bytearray)):
        return len(v) > 0, True
    if isinstance(v, (GoStruct, GoFunc)):
        return True, True
    return False, False


# ---------------------------------------------------------------------------------------------
# Comparison (funcs.go basicKind, eq, lt, ...)

_BOOL, _INT, _FLOAT, _STRING = "bool", "int", "float", "string"


def _basic_kind(v: Any) -> str | None:
    if isinstance(v, bool):
        return _BOOL
    if isinstance(v, int):
        return _INT
    if isinstance(v, float):
        return _FLOAT
    if isinstance(v, str):
        return _STRING
    return None


def _incompatible(a: Any, b: Any, typed_errors: bool) -> GoFuncError:
    if typed_errors:
        return GoFuncError(f"incompatible types for comparison: {type_name(a)} and {type_name(b)}")
    return GoFuncError("incompatible types for comparison")


def _is_nil(v: Any) -> bool:
    """funcs.go isNil: nil, or a nil slice or map of its type (regexFindAll's empty []string)."""
    return v is None or getattr(v, "is_nil", False)


def _can_be_compared_by_kind(a: Any, b: Any) -> bool:
    # funcs.go canCompare: same reflect kind, or one side is nil.
    return a is None or b is None or kind_name(a) == kind_name(b)


def _go_equal_composite(a: Any, b: Any) -> bool:
    """Go's == on two non-basic, non-nil interface values whose dynamic types are comparable."""
    if isinstance(a, GoStruct) and isinstance(b, GoStruct):
        if a.go_type != b.go_type:
            return False
        if a.go_type.startswith("*"):
            return a is b
        return deep_equal(a, b)
    return a is b


def _comparable(v: Any) -> bool:
    """reflect.Type.Comparable for the non-basic kinds of our model."""
    if isinstance(v, (list, tuple, dict, bytes, bytearray, GoFunc)):
        return False
    if isinstance(v, GoStruct) and not v.go_type.startswith("*"):
        return all(_comparable(f) or _basic_kind(f) is not None for f in v.go_fields().values())
    return True


def eq(arg1: Any, *args: Any, typed_errors: bool = False) -> bool:
    """The `eq` builtin: arg1 == args[0] || arg1 == args[1] || ..."""
    if not args:
        raise GoFuncError("missing argument for comparison")
    k1 = _basic_kind(arg1)
    for arg in args:
        k2 = _basic_kind(arg)
        if k1 != k2:
            if arg1 is not None and arg is not None:
                raise _incompatible(arg1, arg, typed_errors)
            truth = False
        elif k1 is not None:
            truth = arg1 == arg
        else:
            if not _can_be_compared_by_kind(arg1, arg):
                raise GoFuncError(
                    sprintf(
                        "non-comparable types %s: %v, %s: %v",
                        arg1,
                        type_name(arg1),
                        type_name(arg),
                        arg,
                    )
                )
            if _is_nil(arg1) or _is_nil(arg):
                truth = _is_nil(arg) == _is_nil(arg1)
            else:
                if not _comparable(arg):
                    raise GoFuncError(sprintf("non-comparable type %s: %v", arg, type_name(arg)))
                truth = _go_equal_composite(arg1, arg)
        if truth:
            return True
    return False


def ne(arg1: Any, arg2: Any, *, typed_errors: bool = False) -> bool:
    """The `ne` builtin."""
    return not eq(arg1, arg2, typed_errors=typed_errors)


def lt(arg1: Any, arg2: Any, *, typed_errors: bool = False) -> bool:
    """The `lt` builtin: ints with ints, floats with floats, strings with strings."""
    k1 = _basic_kind(arg1)
    if k1 is None:
        raise GoFuncError("invalid type for comparison")
    k2 = _basic_kind(arg2)
    if k2 is None:
        raise GoFuncError("invalid type for comparison")
    if k1 != k2:
        raise _incompatible(arg1, arg2, typed_errors)
    if k1 == _BOOL:
        raise GoFuncError("invalid type for comparison")
    # Go compares strings bytewise; code point order is the same as UTF-8 byte order.
    return arg1 < arg2


def le(arg1: Any, arg2: Any, *, typed_errors: bool = False) -> bool:
    """The `le` builtin: lt or eq."""
    return lt(arg1, arg2, typed_errors=typed_errors) or eq(arg1, arg2, typed_errors=typed_errors)


def gt(arg1: Any, arg2: Any, *, typed_errors: bool = False) -> bool:
    """The `gt` builtin: not le."""
    return not le(arg1, arg2, typed_errors=typed_errors)


def ge(arg1: Any, arg2: Any, *, typed_errors: bool = False) -> bool:
    """The `ge` builtin: not lt."""
    return not lt(arg1, arg2, typed_errors=typed_errors)


# ---------------------------------------------------------------------------------------------
# index, slice, len


def _index_arg(index: Any, cap: int) -> int:
    """funcs.go indexArg: an integer index in [0, cap]."""
    if index is None:
        raise GoFuncError("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise GoFuncError(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index > cap:
        raise GoFuncError(f"index out of range: {index}")
    return int(index)


def _struct_type(v: GoStruct) -> str:
    # indirect() dereferences pointers before the kind checks, so errors name the struct type.
    return v.go_type[1:] if v.go_type.startswith("*") else v.go_type


def _string_bytes(s: str) -> bytes:
    return s.encode("utf-8", "surrogateescape")


def index(item: Any, *indexes: Any) -> Any:
    """The `index` builtin: item[i][j]...; a missing map key gives nil (the map's zero value).

    Indexing a string or []byte gives the byte at that byte offset (Go's uint8)."""
    if item is None:
        raise GoFuncError("index of untyped nil")
    for idx in indexes:
        if item is None:
            raise GoFuncError("index of nil pointer")
        if isinstance(item, (list, tuple)):
            x = _index_arg(idx, len(item))
            if x == len(item):
                raise GoFuncError(f"index out of range: {x}")
            item = item[x]
        elif isinstance(item, str):
            data = item if item.isascii() else _string_bytes(item)
            x = _index_arg(idx, len(data))
            if x == len(data):
                raise GoFuncError(f"index out of range: {x}")
            item = GoUint8(ord(data[x]) if isinstance(data, str) else data[x])
        elif isinstance(item, (bytes, bytearray)):
            x = _index_arg(idx, len(item))
            if x == len(item):
                raise GoFuncError(f"index out of range: {x}")
            item = GoUint8(item[x])
        elif isinstance(item, dict):
            if idx is None:
                raise GoFuncError("value is nil; should be of type string")
            if not isinstance(idx, str):
                raise GoFuncError(f"value has type {type_name(idx)}; should be string")
            # a missing key gives the zero value of the element type ("" for map[string]string)
            missing = "" if getattr(item, "go_type", "") == "map[string]string" else None
            item = item.get(idx, missing)
        elif isinstance(item, GoStruct):
            raise GoFuncError(f"can't index item of type {_struct_type(item)}")
        else:
            raise GoFuncError(f"can't index item of type {type_name(item)}")
    return item


def slice(item: Any, *indexes: Any) -> Any:
    """The `slice` builtin: item[i:j] or item[i:j:k] (string offsets are byte offsets)."""
    if item is None:
        raise GoFuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise GoFuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise GoFuncError("cannot 3-index slice a string")
        data: Any = item if item.isascii() else _string_bytes(item)
    elif isinstance(item, (list, tuple, bytes, bytearray)):
        data = item
    elif isinstance(item, GoStruct):
        raise GoFuncError(f"can't slice item of type {_struct_type(item)}")
    else:
        raise GoFuncError(f"can't slice item of type {type_name(item)}")
    # Our slices have no spare capacity: cap == len.
    bounds = [0, len(data), len(data)]
    for i, idx in enumerate(indexes):
        bounds[i] = _index_arg(idx, len(data))
    if bounds[0] > bounds[1]:
        raise GoFuncError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and bounds[1] > bounds[2]:
        raise GoFuncError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    part = data[bounds[0] : bounds[1]]
    if isinstance(item, str) and isinstance(part, bytes):
        return part.decode("utf-8", "surrogateescape")
    if isinstance(item, tuple):
        return list(part)
    return part


def length(item: Any) -> GoInt:
    """The `len` builtin (a string's length is its length in bytes)."""
    if item is None:
        raise GoFuncError("len of nil pointer")
    if isinstance(item, str):
        return GoInt(len(item) if item.isascii() else len(_string_bytes(item)))
    if isinstance(item, (list, tuple, dict, bytes, bytearray)):
        return GoInt(len(item))
    if isinstance(item, GoStruct):
        raise GoFuncError(f"len of type {_struct_type(item)}")
    raise GoFuncError(f"len of type {type_name(item)}")


# ---------------------------------------------------------------------------------------------
# Escapers (html, js, urlquery)

_HTML_ESCAPES = {
    "\0": "\ufffd",
    '"': "&#34;",
    "'": "&#39;",
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
}
_HTML_TABLE = str.maketrans(_HTML_ESCAPES)


def html_escape(s: str) -> str:
    """template.HTMLEscapeString."""
    if not any(c in s for c in "'\"&<>\0"):
        return s
    return s.translate(_HTML_TABLE)


_JS_ASCII_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "=": "\\u003D",
}


def js_escape(s: str) -> str:
    """template.JSEscapeString: quotes, backslash, < > & = and control characters are escaped;
    printable non-ASCII runes stay, other non-ASCII runes become \\uXXXX."""
    out: list[str] = []
    for ch in s:
        if ch in _JS_ASCII_ESCAPES:
            out.append(_JS_ASCII_ESCAPES[ch])
        elif ch < " ":
            out.append(f"\\u00{ord(ch):02X}")
        elif ch < "\x80" or ch.isprintable() or "\ud800" <= ch <= "\udfff":
            # Invalid UTF-8 (kept as surrogates) decodes to the printable U+FFFD in Go: kept as is.
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04X}")
    return "".join(out)


_URL_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def urlquery_escape(s: str) -> str:
    """url.QueryEscape: unreserved bytes stay, space becomes '+', the rest %XX (upper case)."""
    out: list[str] = []
    for byte in _string_bytes(s):
        if byte in _URL_SAFE:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def _eval_args(args: tuple[Any, ...]) -> str:
    """funcs.go evalArgs: a lone string as is, otherwise fmt.Sprint of the arguments."""
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint_indirect(*args)


def html(*args: Any) -> str:
    """The `html` builtin."""
    return html_escape(_eval_args(args))


def js(*args: Any) -> str:
    """The `js` builtin."""
    return js_escape(_eval_args(args))


def urlquery(*args: Any) -> str:
    """The `urlquery` builtin."""
    return urlquery_escape(_eval_args(args))


# ---------------------------------------------------------------------------------------------
# reflect.DeepEqual and Sprig's strval


def deep_equal(a: Any, b: Any) -> bool:
    """reflect.DeepEqual on the value model: the Go types must match (GoInt(1) != int 1)."""
    if a is b:
        return not (isinstance(a, float) and math.isnan(a))
    if type_name(a) != type_name(b):
        return False
    if a is None or b is None:
        return a is None and b is None
    if getattr(a, "is_nil", False) != getattr(b, "is_nil", False):
        return False  # a nil slice or map is not deeply equal to an empty one
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(deep_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return len(a) == len(b) and all(key in b and deep_equal(value, b[key]) for key, value in a.items())
    if isinstance(a, GoStruct):
        fa, fb = a.go_fields(), b.go_fields()
        return fa.keys() == fb.keys() and all(deep_equal(fa[k], fb[k]) for k in fa)
    if isinstance(a, GoFunc):
        return False  # Go: funcs are equal only when both are nil
    return a == b


def to_string(v: Any) -> str:
    """Sprig's strval: a string as is, []byte decoded, Error()/String() of a struct that has one,
    otherwise fmt.Sprintf("%v", v)."""
    if isinstance(v, str):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", "surrogateescape")
    if isinstance(v, GoStruct):
        for name in ("Error", "String"):
            method = getattr(type(v), name, None)
            if isinstance(method, GoMethod) and not method.signature.params:
                return method.func(v)
    return sprint(v)
