"""The function map driven through chartfix's text/template executor: Go's argument conversion meets
the Python implementations (expected output written from the Go sources)."""

from __future__ import annotations

import pytest

from chartfix.errors import TemplateExecError
from chartfix.go.template import TemplateSet
from chartfix.helm.funcmap import function_map


def render(text: str, data: object = None, helm_major: int = 4) -> str:
    template_set = TemplateSet(function_map(helm_major))
    template_set.parse("t", text)
    return template_set.execute("t", data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{{ "hello" | upper | quote }}', '"HELLO"'),
        ('{{ list 1 2 3 | join "," }}', "1,2,3"),
        ('{{ $d := dict "a" 1 "b" (list 1 2) }}{{ toString $d }}', "map[a:1 b:[1 2]]"),
        ("{{ until 3 }}|{{ range until 3 }}{{ . }}{{ end }}", "[0 1 2]|012"),
        ('{{ semverCompare ">=1.20-0" "1.29.3" }}', "true"),
        ('{{ (semver "1.2.3-beta").Major }} {{ semver "1.2.3" }}', "1 1.2.3"),
        (
            '{{ add 1 2.5 "3" }} {{ div 7 2 }} {{ mulf 1.1 3 }} {{ 5 | add1 }} {{ int "12" | typeOf }}',
            "6 3 3.3 6 int",
        ),
        ('{{ toDate "2006-01-02" "2020-01-01" | date "Jan 2, 2006" }}', "Jan 1, 2020"),
        ('{{ dig "a" "b" "dflt" (dict "a" (dict "b" "found")) }}', "found"),
        ('{{ regexReplaceAll "(\\\\w+)@" "bob@x alice@y" "${1}#" }}', "bob#x alice#y"),
        ('{{ dateModify "1h" (toDate "2006" "2020") | date "15:04" }}', "01:00"),
        ("{{ .x | default 5 }} {{ .y | default 5 }}", "5 7"),
        ('{{ $m := merge (dict "a" 1) (dict "a" 2 "b" 3) }}{{ $m }}', "map[a:1 b:3]"),
        ('{{ $ca := genCA "x" 365 }}{{ $ca.Cert | trunc 27 }}', "-----BEGIN CERTIFICATE-----"),
        ("{{ typeOf 1.5 }} {{ kindOf (list) }} {{ typeOf nil }}", "float64 slice <nil>"),
    ],
)
def test_rendering(text, expected):
    assert render(text, {"x": None, "y": 7}) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{{ required "need x" .missing }}', "error calling required: HELM_ERR_STARTneed xHELM_ERR_END"),
        ('{{ fail "nope" }}', "error calling fail: HELM_ERR_STARTnope"),
        (
            "{{ first nil }}",
            "error calling first: runtime error: invalid memory address or nil pointer dereference",
        ),
        (
            '{{ mustRegexMatch "a(" "a" }}',
            "error calling mustRegexMatch: error parsing regexp: missing closing )",
        ),
        ('{{ trunc 1.5 "abc" }}', "expected integer; found 1.5"),
    ],
)
def test_errors(text, message):
    with pytest.raises(TemplateExecError) as info:
        render(text, {"missing": None})
    assert message in str(info.value)
