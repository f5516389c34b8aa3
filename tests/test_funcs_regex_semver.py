"""Regex (Go RE2 semantics) and semver (Masterminds v3.3.0 / v3.4.0) functions. Expected values
come from sprig's regex_test.go / semver_test.go, Go's regexp package examples and Masterminds'
constraint rules."""

from __future__ import annotations

import pytest

from chartfix.go.regexp_syntax import translate
from chartfix.go.semver import check_constraints, constraint_matches
from chartfix.go.sprig.regex import compile_go, find_all
from chartfix.go.types import GoFuncError, GoInt, GoPanic
from chartfix.helm.funcmap import function_map

F = {name: func.impl for name, func in function_map().items()}
F3 = {name: func.impl for name, func in function_map(3).items()}


def call(name, *args):
    return F[name](*args)


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("regexMatch", ("^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$", "test@acme.com"), True),
        ("regexMatch", ("^abc$", "abc\n"), False),  # Go's $ is end of text
        ("regexMatch", ("(?m)^abc$", "abc\n"), True),
        ("regexMatch", ("\\d", "٣"), False),  # \d is ASCII-only in Go
        ("regexMatch", ("[[:alpha:]]+", "abc"), True),
        ("regexMatch", ("a{,2}", "a{,2}"), True),  # not a repeat in Go
        ("regexMatch", ("a(", "x"), False),  # compile errors give false
        ("regexFind", ("[a-zA-Z][1-9]", "abcd1234"), "d1"),
        ("regexFindAll", ("[a-zA-Z][1-9]", "abcd1234", GoInt(-1)), ["d1"]),
        ("regexFindAll", ("[1,3,5,7]", "123456789", GoInt(2)), ["1", "3"]),
        ("regexFindAll", ("a*", "baaab", GoInt(-1)), ["", "aaa", ""]),
        ("regexFindAll", ("a", "aaa", GoInt(0)), []),
        ("regexReplaceAll", ("a(x*)b", "-ab-axxb-", "${1}W"), "-W-xxW-"),
        ("regexReplaceAll", ("a(x*)b", "-ab-axxb-", "$1W"), "---"),
        ("regexReplaceAll", ("a(?P<x>x*)b", "-ab-axxb-", "[$x]"), "-[]-[xx]-"),
        ("regexReplaceAll", ("a*", "baaac", "X"), "XbXcX"),
        ("regexReplaceAll", ("(?i)HELLO", "hello Hello", "$$"), "$ $"),
        ("regexReplaceAllLiteral", ("a(x*)b", "-ab-axxb-", "${1}"), "-${1}-${1}-"),
        ("regexSplit", ("a*", "abaabaccadaaae", GoInt(5)), ["", "b", "b", "c", "cadaaae"]),
        ("regexSplit", ("", "abc", GoInt(-1)), ["a", "b", "c"]),
        ("regexSplit", ("a", "banana", GoInt(-1)), ["b", "n", "n", ""]),
        ("regexSplit", ("z+", "pizza", GoInt(1)), ["pizza"]),
        ("regexSplit", ("z+", "pizza", GoInt(2)), ["pi", "a"]),
        ("regexSplit", ("z+", "pizza", GoInt(0)), []),
        ("regexQuoteMeta", ("1.5-2.0?",), "1\\.5-2\\.0\\?"),
        ("regexFindAll", ("\\pL+", "héllo 日本 123", GoInt(-1)), ["héllo", "日本"]),
        ("regexFindAll", ("[\\PL\\d]+", "ab12-cd", GoInt(-1)), ["12-"]),
        ("regexFindAll", ("\\p{^N}+", "ab12cd", GoInt(-1)), ["ab", "cd"]),
        ("regexFindAll", ("\\p{Sc}", "$€a", GoInt(-1)), ["$", "€"]),
        ("regexFind", ("(?U)a+", "aaa"), "a"),  # (?U) swaps greedy and lazy
        ("regexFind", ("(?U)a+?", "aaa"), "aaa"),
        ("regexFindAll", ("b^*?a", "aab ba", GoInt(-1)), ["ba"]),  # Go repeats assertions
        ("regexFind", ("$+[0-9]", "a1"), ""),
        ("regexReplaceAll", ("(?P<n>a)(?P<n>b)", "ab", "[$n|${2}]"), "[a|b]"),  # duplicate names
        # patterns from the corpus charts
        ("regexMatch", ("^[\\w-\\.]+$", "a-b.c"), True),  # '-' after \w is a literal in Go
        ("regexMatch", ("^[\\w-\\.]+$", "a b"), False),
        ("regexMatch", ("{(v[0-9])*[^}]*}}$", "{{v1 x}}"), True),
        ("regexMatch", ("\\$(?:__(?:env|file|vault))?{[^}]+}", "${x}"), True),
        ("regexReplaceAll", ("(-?[^a-z\\d\\-])+-?", "My_App-1", "-"), "-y-pp-1"),
        ("regexReplaceAll", ("[^a-zA-Z0-9-_.]+", "a b/c", "-"), "a-b-c"),
        ("regexReplaceAllLiteral", ("\\W", "a.b-c", "_"), "a_b_c"),
        ("regexFind", ("-r\\d+$|sha256:", "img-r12"), "-r12"),
    ],
)
def test_regex_functions(name, args, expected):
    assert call(name, *args) == expected


def test_regex_errors():
    with pytest.raises(
        GoPanic, match="^regexp: Compile\\(`a\\(`\\): error parsing regexp: missing closing \\): `a\\(`$"
    ):
        call("regexFind", "a(", "x")
    with pytest.raises(GoFuncError, match="^error parsing regexp: missing closing \\): `a\\(`$"):
        call("mustRegexFind", "a(", "x")
    with pytest.raises(GoFuncError, match="invalid escape sequence: `\\\\1`"):
        call("mustRegexMatch", "(a)\\1", "aa")
    with pytest.raises(GoFuncError, match="invalid or unsupported Perl syntax: `\\(\\?=`"):
        call("mustRegexMatch", "a(?=b)", "ab")
    with pytest.raises(GoFuncError, match="not supported by chartfix"):
        call("regexMatch", "\\p{Greek}", "a")  # scripts: no data in Python's unicodedata
    with pytest.raises(GoFuncError, match="invalid nested repetition operator: `\\+\\+`"):
        call("mustRegexMatch", "a++", "aa")  # possessive in Python 3.11, an error in Go
    with pytest.raises(GoFuncError, match="invalid repeat count: `\\{1001\\}`"):
        call("mustRegexMatch", "a{1001}", "a")
    assert call("regexMatch", "a*?b\\_", "aab_") is True


@pytest.mark.parametrize(
    ("pattern", "text", "spans"),
    [  # rows of Go's src/regexp/find_test.go (FindAllStringIndex)
        ("(|a)*", "aa", [(0, 0), (1, 1), (2, 2)]),
        ("\\b", "x y", [(0, 0), (1, 1), (2, 2), (3, 3)]),
        ("\\B", "xx yy", [(1, 1), (4, 4)]),
        ("$", "abcde", [(5, 5)]),
        ("(aa)*$", "a", [(1, 1)]),
        ("a*(|(b))c*", "aacc", [(0, 4)]),
        ("[a\\-\\]z]+", "az]-bcz", [(0, 4), (6, 7)]),
        ("[^\\S\\s]", "abcd", []),
        ("[^\\D\\d]", "abcd", []),
        ("[^\\S[:space:]]", "abcd", []),
        ("(?i)\\W", "k", []),
        ("(?:(?:^).)", "\n", []),
        ("(?s)(?:(?:^).)", "\n", [(0, 1)]),
        ("ab*", "abbaab", [(0, 3), (3, 4), (4, 6)]),
        ("[[:^alpha:]]+", "ab12cd", [(2, 4)]),
    ],
)
def test_go_find_all_table(pattern, text, spans):
    compiled = compile_go(pattern)
    assert [(m.start(), m.end()) for m in find_all(compiled, text, -1)] == spans


def test_translation_of_flags_and_anchors():
    assert translate("(?i)a(?m)b$c$") == "(?i:a(?m:b$c$))"
    assert translate("x$") == "x\\Z"
    assert translate("\\x{41}\\101") == "\\u0041\\u0041"


@pytest.mark.parametrize(
    ("constraint", "version", "expected_v3", "expected_v4"),
    [
        ("1.2.3", "1.2.3", True, True),
        ("^1.2.0", "1.2.3", True, True),
        ("^1.2.0", "2.2.3", False, False),
        (">=1.2 <2", "1.5.0", True, True),
        ("~1.2", "1.2.9", True, True),
        ("~1.2", "1.3.0", False, False),
        ("^0.2.3", "0.2.9", True, True),
        ("^0.2.3", "0.3.0", False, False),
        ("1.2.x", "1.2.7", True, True),
        ("1.x || >=3", "3.1.0", True, True),
        ("!=1.2.3", "1.2.4", True, True),
        ("1.0 - 2.0", "1.5", True, True),
        (">=1.21.0-0", "1.21.3-gke.100", True, True),
        (">=1.21.0", "1.21.3-gke.100", False, False),
        (">= 1.19-0 < 1.22-0", "v1.21.0-eks-abc", True, True),
        (">=1.0, <2.0-0", "1.9.0-beta", False, True),  # v3.4.0: a prerelease anywhere in the group
        (">1.2", "1.3.0", True, True),
        (">1.2", "1.2.9", False, False),
        ("<=1.2", "1.2.9", True, True),
        ("*", "0.0.1", True, True),
        # Rows of Masterminds/semver's TestConstraintsCheck (v3.3.0 and v3.4.0).
        ("!=4.x", "4.1.0", False, False),
        ("> 1.1    <3", "4.3.2", False, False),
        ("~1.1.1-beta", "1.1.1-alpha", False, False),
        ("~1.x", "2.1.1", False, False),
        ("^0.0.1", "0.3.1", False, False),
        (">=1.1 <2 !=1.2.3 || >= 3", "3.0.0", True, True),
        (">=1.1, <2, !=1.2.3 || >= 3", "3.0.0", True, True),
        (">=1.1 <2 !=1.2.3", "1.2.3", False, False),
        (">= 1.1 < 2 !=1.2.3 || > 3", "3.0.0", False, False),
        ("~1", "1.3.5", True, True),
        ("<1.x", "0.1.1", True, True),
        ("!=4.1-alpha", "4.1.0-alpha", False, False),
        ("0.0.x", "1.2.3", False, False),
        ("^1.1", "4.3.2", False, False),
        ("~1.1", "1.1.1-alpha", False, False),
        ("<1.1.x", "1.1.500", False, False),
        ("!=4.1-alpha", "4.1.1-alpha", False, False),
        ("<=1.x", "1.1.0", True, True),
        (">= 1.0.0  <= 2.0.0-beta", "1.0.1-beta", False, True),
        (">= 1.0.0  <= 2.0.0-beta || > 3", "3.0.1-beta", False, False),
        (">= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3", "1.0.1-beta", False, True),
        (">= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3", "1.0.1-beta", False, False),
        (">= 1.0.0-0  <= 2.0.0", "1.0.1-beta", False, True),
    ],
)
def test_semver_compare(constraint, version, expected_v3, expected_v4):
    assert check_constraints(constraint, version, modern=False) is expected_v3
    assert check_constraints(constraint, version, modern=True) is expected_v4
    assert F3["semverCompare"](constraint, version) is expected_v3


def test_semver_errors_differ_between_helm_versions():
    with pytest.raises(GoFuncError, match="^Invalid Semantic Version$"):
        F3["semverCompare"](">=1.0", "not-a-version")
    with pytest.raises(GoFuncError, match="^invalid semantic version$"):
        F["semverCompare"](">=1.0", "not-a-version")
    with pytest.raises(GoFuncError, match="^improper constraint: >= abc$"):
        F["semverCompare"](">= abc", "1.0.0")


def test_semver_object():
    version = call("semver", "1.2.3-beta.1+c0ff33")
    assert version.go_field("Prerelease").impl() == "beta.1"
    assert version.go_field("Major").impl() == 1
    assert version.go_field("String").impl() == "1.2.3-beta.1+c0ff33"
    assert call("semver", "1.3.3").go_field("Compare").impl(call("semver", "1.2.3")) == 1
    assert call("semver", "1.2.3").go_field("Compare").impl(call("semver", "1.4.3")) == -1
    assert call("semver", "v1.2").go_field("Original").impl() == "v1.2"


def test_constraint_matches_is_is_compatible_range():
    assert constraint_matches(">=1.20.0-0", "v1.29.0") is True
    assert constraint_matches(">=1.20.0", "v1.19.3") is False
    assert constraint_matches("not a constraint", "v1.29.0") is False
    assert constraint_matches(">=1.20.0", "garbage") is False
