"""Tests of chartfix.govalues against Go's text/template builtins (src/text/template/funcs.go)."""

from __future__ import annotations

import math

import pytest

from chartfix.go.template import builtins as govalues
from chartfix.go.template.builtins import (
    deep_equal,
    eq,
    ge,
    gt,
    html,
    html_escape,
    index,
    is_true,
    js,
    js_escape,
    kind_name,
    le,
    length,
    lt,
    ne,
    slice,
    to_string,
    type_name,
    urlquery,
)
from chartfix.go.types import GoFunc, GoFuncError, GoInt, GoStruct, go_method


class Release(GoStruct):
    go_type = "*release.Release"

    def __init__(self, name: str = "rel") -> None:
        self.name = name

    def go_fields(self) -> dict:
        return {"Name": self.name, "Revision": GoInt(1)}


class Pair(GoStruct):
    go_type = "main.Pair"

    def __init__(self, a: object, b: object) -> None:
        self.a = a
        self.b = b

    def go_fields(self) -> dict:
        return {"A": self.a, "B": self.b}


class Version(GoStruct):
    go_type = "*semver.Version"

    def go_fields(self) -> dict:
        return {"Original": "v1.2.3"}

    @go_method()
    def String(self) -> str:  # noqa: N802 - Go method name
        return "1.2.3"


# ---------------------------------------------------------------------------------------------
# Types, kinds and truth


@pytest.mark.parametrize(
    ("value", "type_str", "kind"),
    [
        (None, "<nil>", "invalid"),
        (True, "bool", "bool"),
        (GoInt(1), "int", "int"),
        (1, "int64", "int64"),
        (1.5, "float64", "float64"),
        ("s", "string", "string"),
        ([1], "[]interface {}", "slice"),
        ({"a": 1}, "map[string]interface {}", "map"),
        (b"x", "[]uint8", "slice"),
        (Release(), "*release.Release", "ptr"),
        (Pair(1, 2), "main.Pair", "struct"),
        (GoFunc("f", len), "func(...interface {}) interface {}", "func"),
    ],
)
def test_type_and_kind(value: object, type_str: str, kind: str) -> None:
    assert type_name(value) == type_str
    assert kind_name(value) == kind


@pytest.mark.parametrize(
    ("value", "truth"),
    [
        (None, False),
        (False, False),
        (True, True),
        (0, False),
        (GoInt(0), False),
        (-1, True),
        (0.0, False),
        (-0.0, False),
        (0.1, True),
        (math.nan, True),
        ("", False),
        ("0", True),
        ([], False),
        ([None], True),
        ({}, False),
        ({"a": None}, True),
        (b"", False),
        (Release(), True),
        (Pair(0, 0), True),
    ],
)
def test_is_true(value: object, truth: bool) -> None:
    assert is_true(value) == (truth, True)


# ---------------------------------------------------------------------------------------------
# Comparisons


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1, 1), True),
        ((1, GoInt(1)), True),  # int and int64 are both integer kinds
        ((1, 2), False),
        ((1.5, 1.5), True),
        ((math.nan, math.nan), False),
        (("a", "a"), True),
        (("a", "b", "c", "a"), True),
        (("a", "b", "c"), False),
        ((True, True), True),
        ((True, False), False),
        ((None, None), True),
        ((None, "a"), False),
        (("a", None), False),
        ((None, [1]), False),
        (([1], None), False),
        (({"a": 1}, None), False),
        ((Release(), None), False),
    ],
)
def test_eq(args: tuple, expected: bool) -> None:
    assert eq(*args) is expected


def test_eq_pointer_identity() -> None:
    rel = Release()
    assert eq(rel, rel) is True
    assert eq(rel, Release()) is False
    assert eq(Pair(1, "a"), Pair(1, "a")) is True
    assert eq(Pair(1, "a"), Pair(2, "a")) is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1,), "missing argument for comparison"),
        ((1, 1.0), "incompatible types for comparison"),
        ((1, "1"), "incompatible types for comparison"),
        ((True, 1), "incompatible types for comparison"),
        (("a", "b", 1), "incompatible types for comparison"),
        ((1, [1]), "incompatible types for comparison"),
        (([1], [1]), "non-comparable type [%!s(int64=1)]: []interface {}"),
        (
            ({"a": 1}, {"a": 1}),
            "non-comparable type map[a:%!s(int64=1)]: map[string]interface {}",
        ),
        (
            ([1], {"a": "b"}),
            "non-comparable types [%!s(int64=1)]: []interface {}, map[string]interface {}: map[a:b]",
        ),
        ((Pair(1, [1]), Pair(1, [1])), "non-comparable type {%!s(int64=1) [%!s(int64=1)]}: main.Pair"),
    ],
)
def test_eq_errors(args: tuple, message: str) -> None:
    with pytest.raises(GoFuncError) as err:
        eq(*args)
    assert str(err.value) == message


def test_eq_first_match_wins_before_a_later_error() -> None:
    assert eq("a", "a", 1) is True


def test_comparison_errors_name_types_in_go_1_25() -> None:
    with pytest.raises(GoFuncError, match=r"^incompatible types for comparison: int64 and float64$"):
        eq(1, 1.5, typed_errors=True)
    with pytest.raises(GoFuncError, match=r"^incompatible types for comparison: string and int$"):
        lt("a", GoInt(1), typed_errors=True)


@pytest.mark.parametrize(
    ("a", "b", "lt_", "le_", "gt_", "ge_"),
    [
        (1, 2, True, True, False, False),
        (2, 2, False, True, False, True),
        (GoInt(3), 2, False, False, True, True),
        (1.5, 2.5, True, True, False, False),
        (-0.0, 0.0, False, True, False, True),
        ("a", "b", True, True, False, False),
        ("b", "a", False, False, True, True),
        ("Z", "a", True, True, False, False),  # bytewise
        ("é", "z", False, False, True, True),
        ("", "", False, True, False, True),
    ],
)
def test_ordering(a: object, b: object, lt_: bool, le_: bool, gt_: bool, ge_: bool) -> None:
    assert (lt(a, b), le(a, b), gt(a, b), ge(a, b)) == (lt_, le_, gt_, ge_)


@pytest.mark.parametrize(
    ("a", "b", "message"),
    [
        (1, 1.0, "incompatible types for comparison"),
        ("1", 1, "incompatible types for comparison"),
        (True, False, "invalid type for comparison"),
        (None, 1, "invalid type for comparison"),
        (1, None, "invalid type for comparison"),
        ([1], [2], "invalid type for comparison"),
        ({}, 1, "invalid type for comparison"),
    ],
)
@pytest.mark.parametrize("func", [lt, le, gt, ge])
def test_ordering_errors(a: object, b: object, message: str, func) -> None:
    with pytest.raises(GoFuncError) as err:
        func(a, b)
    assert str(err.value) == message


def test_ne() -> None:
    assert ne(1, 2) is True
    assert ne("a", "a") is False
    assert ne(None, None) is False
    with pytest.raises(GoFuncError, match="incompatible types for comparison"):
        ne(1, "a")


# ---------------------------------------------------------------------------------------------
# index, slice, len


@pytest.mark.parametrize(
    ("item", "indexes", "expected"),
    [
        ([1, 2, 3], (0,), 1),
        ([1, 2, 3], (GoInt(2),), 3),
        ([[1, 2], [3, 4]], (1, 0), 3),
        ({"a": {"b": [5, 6]}}, ("a", "b", 1), 6),
        ({"a": 1}, ("missing",), None),
        ({"a": None}, ("a",), None),
        ([1, 2], (), [1, 2]),
        ("abc", (1,), 98),  # a string indexes to a byte
        ("héllo", (2,), 0xA9),  # byte offsets, not characters
        (b"xyz", (0,), 0x78),
    ],
)
def test_index(item: object, indexes: tuple, expected: object) -> None:
    assert index(item, *indexes) == expected


@pytest.mark.parametrize(
    ("item", "indexes", "message"),
    [
        (None, (1,), "index of untyped nil"),
        (None, (), "index of untyped nil"),
        ({"a": None}, ("a", "b"), "index of nil pointer"),
        ({"a": 1}, ("b", "c"), "index of nil pointer"),
        ([1, 2], (2,), "index out of range: 2"),
        ([1, 2], (3,), "index out of range: 3"),
        ([1, 2], (-1,), "index out of range: -1"),
        ("ab", (2,), "index out of range: 2"),
        ([1, 2], ("0",), "cannot index slice/array with type string"),
        ([1, 2], (1.0,), "cannot index slice/array with type float64"),
        ([1, 2], (None,), "cannot index slice/array with nil"),
        ({"a": 1}, (1,), "value has type int64; should be string"),
        ({"a": 1}, (GoInt(1),), "value has type int; should be string"),
        ({"a": 1}, (None,), "value is nil; should be of type string"),
        (1, (0,), "can't index item of type int64"),
        (True, (0,), "can't index item of type bool"),
        (Release(), ("Name",), "can't index item of type release.Release"),
    ],
)
def test_index_errors(item: object, indexes: tuple, message: str) -> None:
    with pytest.raises(GoFuncError) as err:
        index(item, *indexes)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("item", "indexes", "expected"),
    [
        ([1, 2, 3], (), [1, 2, 3]),
        ([1, 2, 3], (1,), [2, 3]),
        ([1, 2, 3], (1, 2), [2]),
        ([1, 2, 3], (3,), []),
        ([1, 2, 3], (0, 3, 3), [1, 2, 3]),
        ("hello", (1, 3), "el"),
        ("hello", (5,), ""),
        ("héllo", (0, 3), "hé"),  # byte offsets
        (b"abc", (1,), b"bc"),
    ],
)
def test_slice(item: object, indexes: tuple, expected: object) -> None:
    assert slice(item, *indexes) == expected


@pytest.mark.parametrize(
    ("item", "indexes", "message"),
    [
        (None, (), "slice of untyped nil"),
        ([1], (0, 1, 1, 1), "too many slice indexes: 4"),
        ("abc", (0, 1, 2), "cannot 3-index slice a string"),
        (1, (0,), "can't slice item of type int64"),
        ({"a": 1}, (0,), "can't slice item of type map[string]interface {}"),
        ([1, 2, 3], (2, 1), "invalid slice index: 2 > 1"),
        ([1, 2, 3], (0, 3, 2), "invalid slice index: 3 > 2"),
        ([1, 2, 3], (4,), "index out of range: 4"),
        ([1, 2, 3], (-1,), "index out of range: -1"),
        ([1, 2, 3], ("1",), "cannot index slice/array with type string"),
        ([1, 2, 3], (None,), "cannot index slice/array with nil"),
    ],
)
def test_slice_errors(item: object, indexes: tuple, message: str) -> None:
    with pytest.raises(GoFuncError) as err:
        slice(item, *indexes)
    assert str(err.value) == message


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("", 0),
        ("abc", 3),
        ("héllo", 6),  # bytes
        ("日本", 6),
        ([1, None], 2),
        ({"a": 1, "b": 2}, 2),
        (b"\x00\x01", 2),
    ],
)
def test_length(item: object, expected: int) -> None:
    result = length(item)
    assert result == expected
    assert type(result) is GoInt


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (None, "len of nil pointer"),
        (1, "len of type int64"),
        (GoInt(1), "len of type int"),
        (1.5, "len of type float64"),
        (True, "len of type bool"),
        (Release(), "len of type release.Release"),
    ],
)
def test_length_errors(item: object, message: str) -> None:
    with pytest.raises(GoFuncError) as err:
        length(item)
    assert str(err.value) == message


# ---------------------------------------------------------------------------------------------
# Escapers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("<a href=\"x\">'&'</a>", "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"),
        ("a\x00b", "a\ufffdb"),
        ("é", "é"),
    ],
)
def test_html_escape(text: str, expected: str) -> None:
    assert html_escape(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text", "plain text"),
        ("'\"\\", "\\'\\\"\\\\"),
        ("<b>&=", "\\u003Cb\\u003E\\u0026\\u003D"),
        ("\x01\n\t\x1f", "\\u0001\\u000A\\u0009\\u001F"),
        ("\x7f", "\x7f"),
        ("é日", "é日"),
        ("\u0085\u2028", "\\u0085\\u2028"),
        ("\U000e0001", "\\uE0001"),
    ],
)
def test_js_escape(text: str, expected: str) -> None:
    assert js_escape(text) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("a b",), "a+b"),
        (("a&b=c/d?e",), "a%26b%3Dc%2Fd%3Fe"),
        (("-_.~",), "-_.~"),
        (("é",), "%C3%A9"),
        ((1, 2), "1+2"),
        (("a", 1), "a1"),
    ],
)
def test_urlquery(args: tuple, expected: str) -> None:
    assert urlquery(*args) == expected


def test_escapers_print_their_arguments_like_sprint() -> None:
    assert html("<", 1, 2) == "&lt;1 2"
    assert js(None) == "\\u003Cnil\\u003E"
    assert html([1, "<"]) == "[1 &lt;]"
    assert js() == ""


# ---------------------------------------------------------------------------------------------
# deep_equal and to_string


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (1, 1, True),
        (GoInt(1), 1, False),
        (GoInt(1), GoInt(1), True),
        (1, 1.0, False),
        (True, 1, False),
        ("a", "a", True),
        (None, None, True),
        (None, [], False),
        ([], [], True),
        ([1, [2, {"a": None}]], [1, [2, {"a": None}]], True),
        ([1, [2, {"a": None}]], [1, [2, {"a": 0}]], False),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        ({"a": 1}, {"b": 1}, False),
        (math.nan, math.nan, False),
        (b"ab", b"ab", True),
        (Pair(1, [2]), Pair(1, [2]), True),
        (Pair(1, [2]), Pair(1, [3]), False),
        (Release("a"), Release("a"), True),
        (Release("a"), Release("b"), False),
    ],
)
def test_deep_equal(a: object, b: object, expected: bool) -> None:
    assert deep_equal(a, b) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s", "s"),
        (b"bytes", "bytes"),
        (1, "1"),
        (GoInt(-2), "-2"),
        (1e6, "1e+06"),
        (1.5, "1.5"),
        (True, "true"),
        (None, "<nil>"),
        ([1, "a", None], "[1 a <nil>]"),
        ({"k": [1.0]}, "map[k:[1]]"),
        (Version(), "1.2.3"),
        (Release(), "&{rel 1}"),
    ],
)
def test_to_string(value: object, expected: str) -> None:
    assert to_string(value) == expected


def test_public_api_is_listed() -> None:
    for name in govalues.__all__:
        assert callable(getattr(govalues, name))


def test_escapers_dereference_struct_pointers_like_eval_args() -> None:
    assert html(Release("<x>")) == "{&lt;x&gt; 1}"
    assert html(Version()) == "1.2.3"
