"""Sprig string, encoding, path and Helm functions (cases from sprig v3.3.0's strings_test.go,
Go's strings/path docs, and Helm's engine.go)."""

from __future__ import annotations

import re

import pytest

from chartfix.go.types import GoFuncError, GoInt, GoPanic
from chartfix.helm.funcmap import function_map
from chartfix.helm.funcs import WARN_PATTERN

F = {name: func.impl for name, func in function_map().items()}


def call(name, *args):
    return F[name](*args)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("substr", (0, 3, "fooo"), "foo"),
        ("substr", (0, 10, "foo"), "foo"),
        ("substr", (-1, 2, "foo"), "fo"),
        ("trunc", (3, "foooooo"), "foo"),
        ("trunc", (-3, "baaaaaar"), "aar"),
        ("trunc", (-999, "baaaaaar"), "baaaaaar"),
        ("trunc", (0, "baaaaaz"), ""),
        ("quote", ("a", "b", "c"), '"a" "b" "c"'),
        ("quote", ('"a"', "b", "c"), '"\\"a\\"" "b" "c"'),
        ("quote", (GoInt(1), GoInt(2), GoInt(3)), '"1" "2" "3"'),
        ("quote", (None, "x\n"), '"x\\n"'),
        ("squote", ("a", "b", "c"), "'a' 'b' 'c'"),
        ("squote", (GoInt(1), 2.5), "'1' '2.5'"),
        ("trim", ("   5.00   ",), "5.00"),
        ("trim", ("\x1c x \x85",), "\x1c x"),
        ("trimAll", ("$", "$5.00$"), "5.00"),
        ("trimPrefix", ("$", "$5.00"), "5.00"),
        ("trimSuffix", ("$", "5.00$"), "5.00"),
        ("contains", ("cat", "fair catch"), True),
        ("hasPrefix", ("cat", "catch"), True),
        ("hasSuffix", ("cat", "ducat"), True),
        ("split", ("$", "foo$bar$baz"), {"_0": "foo", "_1": "bar", "_2": "baz"}),
        ("splitn", ("$", 2, "foo$bar$baz"), {"_0": "foo", "_1": "bar$baz"}),
        ("splitList", (",", "a,b,,c"), ["a", "b", "", "c"]),
        ("splitList", ("", "ab"), ["a", "b"]),
        ("toString", (GoInt(1),), "1"),
        ("toString", (1000000.0,), "1e+06"),
        ("toString", (b"bytes",), "bytes"),
        ("toStrings", ([GoInt(1), None, "2"],), ["1", "2"]),
        ("join", ("-", ["a", "b", "c"]), "a-b-c"),
        ("join", ("-", "abc"), "abc"),
        ("join", ("-", ["1", None, "2"]), "1-2"),
        ("sortAlpha", (["c", "a", "b"],), ["a", "b", "c"]),
        ("b64enc", ("coffee",), "Y29mZmVl"),
        ("b64dec", ("Y29mZmVl",), "coffee"),
        ("b64dec", ("Y29mZmV",), "illegal base64 data at input byte 4"),
        ("b64dec", ("Y2!m",), "illegal base64 data at input byte 2"),
        ("b32enc", ("coffee",), "MNXWMZTFMU======"),
        # Go's decoder reports these offsets (checked against helm template).
        ("b64dec", ("aGVsbG8==",), "illegal base64 data at input byte 8"),
        ("b64dec", ("abcd=",), "illegal base64 data at input byte 4"),
        ("b64dec", ("ab=d",), "illegal base64 data at input byte 2"),
        ("b64dec", ("YWJj\nZA==",), "abcd"),
        ("b32dec", ("NBSWY3DP======",), "illegal base32 data at input byte 8"),
        ("b32dec", ("NBSWY!DP",), "illegal base32 data at input byte 5"),
        ("b32dec", ("MZXW6YQ=",), "foob"),
        ("b32dec", ("MNXWMZTFMU======",), "coffee"),
        ("abbrev", (5, "hello world"), "he..."),
        ("abbrevboth", (5, 10, "1234 5678 9123"), "...5678..."),
        ("nospace", ("h e l l o ",), "hello"),
        ("untitle", ("First Try",), "first try"),
        ("title", ("hello wORLD-x_y",), "Hello WORLD-X_y"),
        ("initials", ("First Try",), "FT"),
        ("wrap", (5, "Hello World"), "Hello\nWorld"),
        ("wrapWith", (5, "\t", "Hello World"), "Hello\tWorld"),
        ("cat", ("a", "b", None, GoInt(3)), "a b 3"),
        ("indent", (4, "a\nb\nc"), "    a\n    b\n    c"),
        ("nindent", (4, "a\nb\nc"), "\n    a\n    b\n    c"),
        ("replace", (" ", "-", "I Am Henry VIII"), "I-Am-Henry-VIII"),
        ("replace", ("", "-", "ab"), "-a-b-"),
        ("plural", ("1 char", "chars", GoInt(3)), "chars"),
        ("repeat", (3, "ab"), "ababab"),
        ("upper", ("straße",), "STRAßE"),  # unicode.ToUpper maps rune to rune
        ("lower", ("ÀB",), "àb"),
        ("swapcase", ("Hello World",), "hELLO wORLD"),
        ("snakecase", ("FirstName",), "first_name"),
        ("snakecase", ("HTTPServer",), "http_server"),
        ("snakecase", ("NoHTTPS",), "no_https"),
        ("snakecase", ("GO_PATH",), "go_path"),
        ("snakecase", ("GO PATH",), "go_path"),
        ("snakecase", ("GO-PATH",), "go_path"),
        ("snakecase", ("http2xx",), "http_2xx"),
        ("snakecase", ("HTTP20xOK",), "http_20x_ok"),
        ("snakecase", ("Duration2m3s",), "duration_2m3s"),
        ("snakecase", ("Bld4Floor3rd",), "bld4_floor_3rd"),
        ("kebabcase", ("FirstName",), "first-name"),
        ("camelcase", ("http_server",), "HttpServer"),
        ("camelcase", ("no_https",), "NoHttps"),
        ("camelcase", ("_complex__case_",), "_Complex_Case_"),
        ("camelcase", ("some words",), "SomeWords"),
        ("camelcase", ("GOLANG_IS_GREAT",), "GolangIsGreat"),
        ("sha256sum", ("abc",), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("sha1sum", ("abc",), "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("adler32sum", ("abc",), "38600999"),
        ("atoi", ("42",), GoInt(42)),
        ("atoi", ("4x",), GoInt(0)),
        ("hello", (), "Hello!"),
    ],
)
def test_string_functions(name, args, expected):
    assert call(name, *args) == expected


def test_substr_out_of_range_panics_like_go():
    with pytest.raises(GoPanic, match=re.escape("slice bounds out of range [5:3]")):
        call("substr", 5, 6, "abc")
    with pytest.raises(GoPanic, match=re.escape("slice bounds out of range [2:1]")):
        call("substr", 2, 1, "abc")


def test_random_strings_have_the_right_shape():
    assert re.fullmatch(r"[A-Za-z0-9]{20}", call("randAlphaNum", 20))
    assert re.fullmatch(r"[A-Za-z]{7}", call("randAlpha", 7))
    assert re.fullmatch(r"[0-9]{5}", call("randNumeric", 5))
    assert re.fullmatch(r"[ -~]{9}", call("randAscii", 9))
    assert call("randAlpha", 0) == ""
    assert sorted(call("shuffle", "abcdef")) == list("abcdef")


@pytest.mark.parametrize(
    ("name", "path", "expected"),
    [
        ("base", "a/b/", "b"),
        ("base", "", "."),
        ("base", "///", "/"),
        ("dir", "a/b/c", "a/b"),
        ("dir", "c", "."),
        ("clean", "a/../../b/./c//", "../b/c"),
        ("clean", "/../a", "/a"),
        ("ext", "x.tar.gz", ".gz"),
        ("ext", "a.b/c", ""),
        ("isAbs", "/x", True),
        ("osBase", "a/b", "b"),
    ],
)
def test_paths(name, path, expected):
    assert call(name, path) == expected


def test_url_parse_and_join():
    parsed = call("urlParse", "https://u:p@host:8080/a%20b?x=1#frag")
    assert parsed == {
        "scheme": "https",
        "host": "host:8080",
        "hostname": "host",
        "path": "/a b",
        "query": "x=1",
        "opaque": "",
        "fragment": "frag",
        "userinfo": "u:p",
    }
    assert (
        call("urlJoin", {"scheme": "http", "host": "h", "path": "/a b", "query": "q=1"})
        == "http://h/a%20b?q=1"
    )
    with pytest.raises(GoPanic, match="unable to parse host key, must be of type string, but float64 found"):
        call("urlJoin", {"host": 1.0})


@pytest.mark.parametrize(
    ("raw", "message"),
    [  # messages as helm template reports them
        ("http://host/%zz", 'parse "http://host/%zz": invalid URL escape "%zz"'),
        ("http://[::1", "parse \"http://[::1\": missing ']' in host"),
        (":nope", 'parse ":nope": missing protocol scheme'),
        ("http://h:port/", 'parse "http://h:port/": invalid port ":port" after host'),
        ("a b://x", 'parse "a b://x": first path segment in URL cannot contain colon'),
        ("http://ho st/", 'parse "http://ho st/": invalid character " " in host name'),
        ("\x7f", 'parse "\\x7f": net/url: invalid control character in URL'),
    ],
)
def test_url_parse_errors(raw, message):
    with pytest.raises(GoPanic) as info:
        call("urlParse", raw)
    assert str(info.value) == "unable to parse url: " + message


def test_url_join_userinfo():
    assert call("urlJoin", {"userinfo": "u:p@x"}) == "//u:p%40x@"
    with pytest.raises(
        GoPanic, match='unable to parse userinfo in dict: parse "proto://u%zz@host": invalid URL escape "%zz"'
    ):
        call("urlJoin", {"userinfo": "u%zz"})


def test_required_and_fail_wrap_the_message_as_helm_does():
    with pytest.raises(GoFuncError) as info:
        call("required", "A value is required!", None)
    assert str(info.value) == "HELM_ERR_STARTA value is required!HELM_ERR_END"
    assert WARN_PATTERN.search(str(info.value)).group(1) == "A value is required!"
    with pytest.raises(GoFuncError):
        call("required", "x", "")
    assert call("required", "x", 0.0) == 0.0
    assert call("required", "x", False) is False
    with pytest.raises(GoFuncError, match="^HELM_ERR_STARTboom\nlineHELM_ERR_END$"):
        call("fail", "boom\nline")


def test_lookup_and_dns_are_inert_under_helm_template():
    assert call("lookup", "v1", "Secret", "ns", "name") == {}
    assert call("getHostByName", "example.com") == ""


def test_function_map_matches_helm():
    helm3, helm4 = function_map(3), function_map(4)
    for table in (helm3, helm4):
        assert "env" not in table and "expandenv" not in table
        assert "include" not in table and "tpl" not in table
        for name in ("required", "fail", "lookup", "date_in_zone", "tuple", "biggest", "trimall", "push"):
            assert name in table
        assert all(func.name == name for name, func in table.items())
    sig = helm4["trunc"].signature
    assert sig.params == ("int", "string") and sig.variadic is None and not sig.returns_error
    assert helm4["dict"].signature.variadic == "interface {}"
    assert helm4["merge"].signature.params == ("map[string]interface {}",)
    assert helm4["merge"].signature.variadic == "map[string]interface {}"
    assert helm4["semverCompare"].signature.returns_error
