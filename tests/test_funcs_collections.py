"""Sprig list, dict and default functions (expected values from sprig v3.3.0's *_test.go and the Go
sources they call)."""

from __future__ import annotations

import pytest

from chartfix.go.types import GoFuncError, GoInt, GoPanic
from chartfix.helm.funcmap import function_map

F = {name: func.impl for name, func in function_map().items()}


def call(name, *args):
    return F[name](*args)


def test_merge_keeps_destination_values_and_deep_merges():
    src2 = {"h": 10.0, "i": "i", "j": "j"}
    src1 = {
        "a": 1.0,
        "b": 2.0,
        "d": {"e": "four"},
        "g": [6.0, 7.0],
        "i": "aye",
        "j": "jay",
        "k": {"l": False},
    }
    dst = {"a": "one", "c": 3.0, "d": {"f": 5.0}, "g": [8.0, 9.0], "i": "eye", "k": {"l": True}}
    result = call("merge", dst, src1, src2)
    assert result is dst
    assert dst == {
        "a": "one",
        "b": 2.0,
        "c": 3.0,
        "d": {"e": "four", "f": 5.0},
        "g": [8.0, 9.0],
        "h": 10.0,
        "i": "eye",
        "j": "jay",
        "k": {"l": True},
    }


def test_merge_overwrite_lets_later_sources_win():
    src2 = {"h": 10.0, "i": "i", "j": "j"}
    src1 = {
        "a": 1.0,
        "b": 2.0,
        "d": {"e": "four"},
        "g": [6.0, 7.0],
        "i": "aye",
        "j": "jay",
        "k": {"l": False},
    }
    dst = {"a": "one", "c": 3.0, "d": {"f": 5.0}, "g": [8.0, 9.0], "i": "eye", "k": {"l": True}}
    call("mergeOverwrite", dst, src1, src2)
    assert dst == {
        "a": 1.0,
        "b": 2.0,
        "c": 3.0,
        "d": {"e": "four", "f": 5.0},
        "g": [6.0, 7.0],
        "h": 10.0,
        "i": "i",
        "j": "j",
        "k": {"l": False},
    }


@pytest.mark.parametrize(
    ("dst", "src", "overwrite", "expected"),
    [
        ({"a": ""}, {"a": "x"}, False, {"a": "x"}),  # empty destination values are filled
        ({"a": 0.0}, {"a": 5.0}, False, {"a": 5.0}),
        ({"a": None}, {"a": {"b": 1.0}}, False, {"a": {"b": 1.0}}),
        ({"a": "s"}, {"a": {"b": 1.0}}, False, {"a": "s"}),
        ({"a": "s"}, {"a": {"b": 1.0}}, True, {"a": {"b": 1.0}}),
        ({"a": 1.0}, {"a": None}, False, {"a": 1.0}),  # nil never lands without overwrite
        ({"a": 1.0}, {"a": None}, True, {"a": None}),
        ({}, {"a": None}, False, {}),
        ({"a": []}, {"a": [1.0]}, False, {"a": [1.0]}),
        ({"a": {}}, {"a": {"b": 2.0}}, False, {"a": {"b": 2.0}}),
    ],
)
def test_mergo_edge_cases(dst, src, overwrite, expected):
    call("mergeOverwrite" if overwrite else "merge", dst, src)
    assert dst == expected


def test_merge_into_nil_destination_allocates():
    assert call("merge", None, {"a": 1.0}) == {"a": 1.0}


def test_dict_get_set_unset_haskey():
    d = call("dict", "a", 1.0, 2.0, "two", "odd")
    assert d == {"a": 1.0, "2": "two", "odd": ""}
    assert call("get", d, "missing") == ""
    assert call("set", d, "b", True)["b"] is True
    assert call("hasKey", d, "b") is True
    assert call("unset", d, "b") is d and "b" not in d


def test_pick_omit_pluck_keys_values():
    d = {"a": 1.0, "b": 2.0, "c": 3.0}
    assert call("pick", d, "a", "c", "z") == {"a": 1.0, "c": 3.0}
    assert call("omit", d, "a") == {"b": 2.0, "c": 3.0}
    assert call("pluck", "a", d, {"b": 1.0}, {"a": "x"}) == [1.0, "x"]
    assert call("keys", {"b": 1, "a": 2}, {"c": 3}) == ["a", "b", "c"]
    assert call("values", {"b": 1, "a": 2}) == [2, 1]


def test_dig():
    d = {"a": {"b": {"c": 1.0}}}
    assert call("dig", "a", "b", "c", "dflt", d) == 1.0
    assert call("dig", "a", "x", "c", "dflt", d) == "dflt"
    with pytest.raises(GoPanic, match="interface conversion: interface {} is float64, not map"):
        call("dig", "a", "b", "c", "d", "dflt", d)
    with pytest.raises(GoPanic, match="dig needs at least three arguments"):
        call("dig", "a", d)


def test_deep_copy_is_independent():
    original = {"a": [1.0, {"b": "c"}]}
    copied = call("deepCopy", original)
    copied["a"][1]["b"] = "changed"
    assert original == {"a": [1.0, {"b": "c"}]}


def test_list_functions():
    assert call("list", 1, "a") == [1, "a"]
    assert call("append", [1], 2) == [1, 2]
    assert call("prepend", [1], 0) == [0, 1]
    assert call("first", [3, 4]) == 3 and call("first", []) is None
    assert call("last", [3, 4]) == 4
    assert call("rest", [1, 2, 3]) == [2, 3] and call("rest", []) == []
    assert call("initial", [1, 2, 3]) == [1, 2]
    assert call("reverse", [1, 2, 3]) == [3, 2, 1]
    assert call("compact", [1, "", None, 0, "a", False, []]) == [1, "a"]
    assert call("uniq", [1.0, 1.0, "a", "a", GoInt(1)]) == [1.0, "a", GoInt(1)]
    assert call("without", [1, 2, 3, 2], 2) == [1, 3]
    assert call("has", 2, [1, 2]) is True and call("has", 2, None) is False
    assert call("concat", [1], [2, 3]) == [1, 2, 3]
    assert call("chunk", 2, [1, 2, 3]) == [[1, 2], [3]]
    assert call("slice", [1, 2, 3, 4], 1, 3) == [2, 3]
    assert call("slice", [1, 2, 3], 1) == [2, 3]
    assert call("sortAlpha", ["b", "a", 3]) == ["3", "a", "b"]


def test_list_functions_on_wrong_types():
    with pytest.raises(GoPanic, match="Cannot push on type string"):
        call("append", "x", 1)
    with pytest.raises(GoFuncError, match="Cannot push on type map"):
        call("mustAppend", {}, 1)
    with pytest.raises(GoPanic, match="nil pointer dereference"):
        call("first", None)
    with pytest.raises(GoFuncError, match="list should be type of slice or array but string"):
        call("mustSlice", "abc", 1)
    with pytest.raises(GoPanic, match="reflect.Value.Slice: slice index out of bounds"):
        call("slice", [1, 2], 1, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, True), ("", True), (0.0, True), (GoInt(0), True), ([], True), ({}, True), (False, True)]
    + [("a", False), (1, False), ([0], False), ({"a": None}, False), (True, False)],
)
def test_empty(value, expected):
    assert call("empty", value) is expected


def test_default_coalesce_ternary_all_any():
    assert call("default", "d", "") == "d"
    assert call("default", "d") == "d"
    assert call("default", "d", "v") == "v"
    assert call("default", "d", 0.0) == "d"
    assert call("coalesce", None, "", 0, "x", "y") == "x"
    assert call("coalesce", None, "") is None
    assert call("ternary", "a", "b", False) == "b"
    assert call("all", 1, "a") is True and call("all", 1, "") is False
    assert call("any", 0, "") is False and call("any", 0, "x") is True


def test_reflection():
    assert call("typeOf", 1.0) == "float64"
    assert call("typeOf", GoInt(1)) == "int"
    assert call("typeOf", 1) == "int64"
    assert call("typeOf", None) == "<nil>"
    assert call("typeIs", "string", "x") is True
    assert call("kindOf", [1]) == "slice"
    assert call("kindIs", "map", {}) is True
    assert call("kindOf", None) == "invalid"
    assert call("deepEqual", [1.0], [1.0]) is True
    assert call("deepEqual", GoInt(1), 1) is False


def test_nil_maps_read_as_empty_and_panic_on_write():
    assert call("get", None, "a") == ""
    assert call("hasKey", None, "a") is False
    assert call("unset", None, "a") is None
    assert call("keys", None) == []
    assert call("pick", None, "a") == {}
    with pytest.raises(GoPanic, match="assignment to entry in nil map"):
        call("set", None, "a", 1)
    with pytest.raises(GoPanic, match="interface conversion: interface {} is nil, not map"):
        call("dig", "a", "d", None)
