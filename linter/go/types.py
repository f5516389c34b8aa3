"""How Go values from Helm's template world are represented in Python.

This is the contract shared by the template executor, the function library, the values code and the
serialisers. Helm reads values as JSON-like data, so almost everything is one of these:

  Go                          Python
  --------------------------  ------------------------------------------------------------
  nil (and missing map keys)  None
  bool                        bool          (check `bool` before `int`: bool subclasses int)
  string                      str
  int64 (sprig math results,  int           (plain Python int is Go's int64)
    --set integers)
  int (len, atoi, `int`,      GoInt         (subclass of int; only typeOf/kindOf/printf %T differ)
    untyped template consts)
  float64 (every number read  float         (so values `1000000` prints `1e+06`)
    from YAML/JSON values)
  []interface{} / []string    list
  map[string]interface{}      dict          (str keys; Go prints and ranges maps in sorted key order)
  []byte                      bytes
  structs (.Release, .Chart,  GoStruct subclasses: fields by Go name, methods as GoMethod
    .Capabilities, .Files)
  functions                   GoFunc (Python callable + Go signature for argument checking)
"""

from __future__ import annotations

import copy
import marshal
from collections.abc import Callable, Iterable
from typing import Any

from chartfix.records import record

INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
UINT64_MAX = (1 << 64) - 1


def wrap_int64(value: int) -> int:
    """Two's-complement wrap-around of Go int64 arithmetic."""
    if INT64_MIN <= value <= INT64_MAX:
        return value
    return (value - INT64_MIN) % (1 << 64) + INT64_MIN


class GoInt(int):
    """A Go `int` (as opposed to `int64`, which is plain Python int)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"GoInt({int(self)})"

    __str__ = int.__repr__


class GoUint8(int):
    """A Go `uint8` (a byte): what indexing a string gives."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"GoUint8({int(self)})"

    __str__ = int.__repr__


class GoUint64(int):
    """A Go `uint64`: the fields of a `*semver.Version`, as `printf` shows them."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"GoUint64({int(self)})"

    __str__ = int.__repr__


class GoSlice(list):
    """A slice whose Go type is not `[]interface {}` (`[]string` from splitList, `[]int` from until)
    or that is nil (Go's empty results: toJson prints `null`, not `[]`). Go passes a `[]string`
    nowhere a `[]interface {}` is expected, and reflect.DeepEqual tells them apart."""

    __slots__ = ("go_type", "is_nil")

    def __init__(self, items: Any = (), go_type: str = "[]interface {}", is_nil: bool = False) -> None:
        super().__init__(items)
        self.go_type = go_type
        self.is_nil = is_nil and not self

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (GoSlice, (list(self), self.go_type, self.is_nil))

    def __deepcopy__(self, memo: dict[int, Any]) -> GoSlice:
        twin = GoSlice((), self.go_type)
        memo[id(self)] = twin
        twin.extend(deep_copy(item, memo) for item in self)
        twin.is_nil = self.is_nil
        return twin


class GoMap(dict):
    """A map whose Go type is not `map[string]interface {}` (`map[string]string` from split, the
    named `chartutil.Values` of `.Values`) or that is nil (toJson prints `null`)."""

    __slots__ = ("go_type", "is_nil")

    def __init__(
        self, items: Any = (), go_type: str = "map[string]interface {}", is_nil: bool = False
    ) -> None:
        super().__init__(items)
        self.go_type = go_type
        self.is_nil = is_nil and not self

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (GoMap, (dict(self), self.go_type, self.is_nil))

    def __deepcopy__(self, memo: dict[int, Any]) -> GoMap:
        # copy.deepcopy would go through __reduce_ex__, copying the items twice
        twin = GoMap((), self.go_type)
        memo[id(self)] = twin
        for key, value in self.items():
            twin[key] = deep_copy(value, memo)
        twin.is_nil = self.is_nil
        return twin


# Classes copy.deepcopy returns as they are (their subclasses, such as GoInt, it copies).
ATOMIC_CLASSES = frozenset((str, int, float, bool, type(None), bytes))


def deep_copy(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """copy.deepcopy(value, memo), several times faster on the plain dicts and lists values are made
    of (a map or list reached twice is copied once, as deepcopy does); anything else is handed to
    copy.deepcopy with the same memo."""
    if memo is None:
        memo = {}
    cls = value.__class__
    if cls in ATOMIC_CLASSES:
        return value
    if cls is not dict and cls is not list:
        return copy.deepcopy(value, memo)
    twin = memo.get(id(value))
    if twin is not None:
        return twin
    if cls is dict:
        twin = {}
        memo[id(value)] = twin
        for key, item in value.items():
            if key.__class__ not in ATOMIC_CLASSES:
                key = copy.deepcopy(key, memo)
            twin[key] = item if item.__class__ in ATOMIC_CLASSES else deep_copy(item, memo)
        return twin
    twin = []
    memo[id(value)] = twin
    twin.extend(item if item.__class__ in ATOMIC_CLASSES else deep_copy(item, memo) for item in value)
    return twin


def value_at(tree: Any, keys: Iterable[str]) -> Any:
    """The value under `keys` in nested maps: None where a key is missing or a value on the way is
    not a map."""
    for key in keys:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def exact_bytes(value: Any) -> bytes | None:
    """Bytes equal for two values exactly when they are the same plain data (dicts, lists, str, int,
    float, bool, None) with the same key order: marshal's format 2, which tells bool, int and float
    apart and writes a part shared by two places twice (no back-references). None for a value of
    another type (a GoMap, a Go struct) or nested too deeply."""
    try:
        return marshal.dumps(value, 2)
    except ValueError:
        return None


def from_exact_bytes(data: bytes) -> Any:
    """The plain data exact_bytes wrote (an equal copy)."""
    return marshal.loads(data)


def nil_slice(go_type: str = "[]interface {}") -> GoSlice:
    return GoSlice((), go_type, is_nil=True)


def string_slice(items: Any) -> GoSlice:
    """A Go []string (nil when empty and `items` came from a function returning nil for none)."""
    return GoSlice(items, "[]string")


class GoStruct:
    """Base for Go structs exposed to templates.

    `go_type` is the Go type name as `printf "%T"` shows it (e.g. `*chart.Metadata`).
    `go_fields()` returns the exported fields in declaration order (used by `%v` printing and by
    field access); methods are Python attributes wrapped in `GoMethod`.
    """

    go_type: str = "struct"

    def go_fields(self) -> dict[str, Any]:
        raise NotImplementedError

    def go_printed_fields(self) -> dict[str, Any]:
        """Every field in declaration order, unexported ones included: what fmt prints of the struct
        for a verb its String() method does not serve."""
        return self.go_fields()

    def go_field(self, name: str) -> Any:
        """Field or method lookup by its Go name. Raises KeyError when there is none."""
        attr = getattr(type(self), name, None)
        if isinstance(attr, GoMethod):
            return attr.__get__(self, type(self))
        fields = self.go_fields()
        if name in fields:
            return fields[name]
        raise KeyError(name)


@record(frozen=True)
class GoSignature:
    """A Go function's parameter and result types, as Go spells them.

    params: e.g. ("int", "string"); variadic: the element type of a trailing `...T` or None;
    returns_error: the function's last result is `error` (a non-nil error aborts execution).
    Type spellings used: "interface {}", "string", "int", "int64", "float64", "bool",
    "[]interface {}", "map[string]interface {}", "[]string", "[]byte", "reflect.Value".
    """

    params: tuple[str, ...] = ()
    variadic: str | None = None
    returns_error: bool = False


@record(frozen=True)
class GoFunc:
    """A template function: a Python callable plus its Go signature.

    The executor checks and converts the arguments as Go's text/template does (untyped numeric
    constants take the parameter's type; a float64 passed to an `int` parameter is an error), then
    calls `impl(*args)`. `impl` raises `GoFuncError` for the Go function's returned error.
    """

    name: str
    impl: Callable[..., Any]
    signature: GoSignature = GoSignature(variadic="interface {}")


class GoMethod:
    """Marks a GoStruct method callable from templates, with its Go signature."""

    def __init__(self, func: Callable[..., Any], signature: GoSignature) -> None:
        self.func = func
        self.signature = signature
        self.__name__ = func.__name__

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return GoFunc(self.__name__, self.func.__get__(obj, owner), self.signature)


def go_method(*params: str, variadic: str | None = None, returns_error: bool = False):
    """Decorator: expose a GoStruct method to templates with the given Go parameter types."""

    def wrap(func: Callable[..., Any]) -> GoMethod:
        return GoMethod(func, GoSignature(tuple(params), variadic, returns_error))

    return wrap


class GoFuncError(Exception):
    """Raised by a function implementation for the `error` its Go counterpart returns.

    The executor wraps it as Go does: `error calling NAME: MESSAGE` at the call's position.
    """


class GoUnsupported(GoFuncError):
    """The function is called with something chartfix does not implement (e.g. `\\p{Greek}` in a
    regular expression): an error, never a quiet false result."""


class GoPanic(Exception):
    """Raised by a function implementation where the Go function panics; the executor reports it as
    Go's text/template recovers it: `error calling NAME: MESSAGE`."""
