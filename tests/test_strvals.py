"""Helm's --set family parsers (pkg/strvals): grammar, typing, escapes, limits, error texts."""

from __future__ import annotations

import pytest

from chartfix.helm import strvals
from chartfix.helm.strvals import StrvalsError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a=b", {"a": "b"}),
        ("a.b=c,d[0]=1", {"a": {"b": "c"}, "d": [1]}),
        ("name=value\\,with\\,commas", {"name": "value,with,commas"}),
        ("a\\.b=c", {"a.b": "c"}),
        ("a\\=b=c", {"a=b": "c"}),
        ("a={x,y,z}", {"a": ["x", "y", "z"]}),
        ("a={1,true}", {"a": [1, True]}),
        ("a[1].b=c", {"a": [None, {"b": "c"}]}),
        ("a[0][1]=x", {"a": [[None, "x"]]}),
        ("a=", {"a": ""}),
        ("a.", {}),
        ("a=1,", {"a": 1}),
        ("a[0]", {"a": []}),
        ("x=1,x=2", {"x": 2}),
        ("a.b=1,a.c=2", {"a": {"b": 1, "c": 2}}),
        ("a[0].b=1,a[0].c=2", {"a": [{"b": 1, "c": 2}]}),
    ],
)
def test_parse(text, expected):
    assert strvals.parse(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("FALSE", False),
        ("Null", None),
        ("0", 0),
        ("012", "012"),  # leading zero: stays a string
        ("-5", -5),
        ("+3", 3),
        ("1.5", "1.5"),  # floats stay strings
        ("9223372036854775807", 9223372036854775807),
        ("9223372036854775808", "9223372036854775808"),  # int64 overflow
        ("1_000", "1_000"),
        ("", ""),
    ],
)
def test_typed_values(value, expected):
    got = strvals.parse(f"k={value}")["k"]
    assert got == expected and type(got) is type(expected)


def test_set_string_keeps_strings():
    assert strvals.parse_string("a=true,b=1,c=null") == {"a": "true", "b": "1", "c": "null"}


def test_parse_into_merges_into_existing():
    dest = {"a": {"x": 1}, "l": [1, 2]}
    strvals.parse_into("a.y=2,l[1]=3", dest)
    assert dest == {"a": {"x": 1, "y": 2}, "l": [1, 3]}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a", 'key "a" has no value'),
        ("a,b=c", 'key "a" has no value (cannot end with ,)'),
        ("a[65537]=1", "index of 65537 is greater than maximum supported index of 65536"),
        ("a[-1]=1", "negative -1 index not allowed"),
        ("a[x]=1", 'error parsing index: strconv.Atoi: parsing "x": invalid syntax'),
        ("a[0]x=1", "unexpected data at end of array index: ['x']"),
        ("a[0]xy=1", "unexpected data at end of array index: ['x' 'y']"),
        ("a={x,y", "list must terminate with '}'"),
        (
            "x=1,x.y=2",
            "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}",
        ),
        (
            "x=s,x[0]=2",
            "unable to parse key: interface conversion: interface {} is string, not []interface {}",
        ),
        ("a.b", 'key "b" has no value'),
    ],
)
def test_errors(text, message):
    with pytest.raises(StrvalsError) as info:
        strvals.parse(text)
    assert str(info.value) == message


def test_nesting_limit():
    ok = ".".join(f"k{i}" for i in range(31)) + "=1"  # 30 dots
    assert strvals.parse(ok)
    too_deep = ".".join(f"k{i}" for i in range(32)) + "=1"
    with pytest.raises(StrvalsError, match="greater than maximum supported nested level of 30"):
        strvals.parse(too_deep)


def test_set_json():
    dest: dict = {}
    strvals.parse_json('a={"b": [1, 2]},c=null, d="x",e[1]={"f":true}', dest)
    # Numbers are float64 (encoding/json); the space after a comma is part of the next key.
    assert dest == {"a": {"b": [1.0, 2.0]}, "c": None, " d": "x", "e": [None, {"f": True}]}
    with pytest.raises(StrvalsError):
        strvals.parse_json("a={bad", {})


def test_set_file_reads_each_value():
    dest: dict = {}
    strvals.parse_into_file("a=/p/one,b={/p/x,/p/y}", dest, lambda path: f"<{path}>")
    assert dest == {"a": "</p/one>", "b": ["</p/x>", "</p/y>"]}


def test_set_literal_takes_everything_verbatim():
    assert strvals.parse_literal("a.b=c,d=e\\,f") == {"a": {"b": "c,d=e\\,f"}}
    assert strvals.parse_literal("x[1]=y") == {"x": [None, "y"]}
    with pytest.raises(StrvalsError, match='key "x" has no value'):
        strvals.parse_literal("x")
