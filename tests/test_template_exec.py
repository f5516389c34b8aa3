"""Executor of chartfix.template: Go text/template semantics and Go's exact error messages.

Expected values follow Go's exec.go / funcs.go (Go 1.23; Go 1.25 where stated).
"""

from __future__ import annotations

from typing import Any

import pytest

from chartfix.errors import LimitExceeded, TemplateExecError
from chartfix.go.template import TemplateSet
from chartfix.go.types import GoFunc, GoFuncError, GoPanic, GoSignature, GoStruct, go_method

CALLS: list[str] = []


def _record(name: str) -> str:
    CALLS.append(name)
    return name


def _boom(message: str) -> str:
    raise GoFuncError(message)


def _panics() -> str:
    raise GoPanic("runtime error: index out of range [3] with length 1")


FUNCS = {
    "record": GoFunc("record", _record, GoSignature(("string",))),
    "boom": GoFunc("boom", _boom, GoSignature(("string",), returns_error=True)),
    "panics": GoFunc("panics", _panics, GoSignature(())),
    "trunc": GoFunc("trunc", lambda n, s: s[:n], GoSignature(("int", "string"))),
    "add1": GoFunc("add1", lambda n: n + 1, GoSignature(("int64",))),
    "half": GoFunc("half", lambda f: f / 2, GoSignature(("float64",))),
    "upper": GoFunc("upper", str.upper, GoSignature(("string",))),
    "list": GoFunc("list", lambda *items: list(items), GoSignature((), variadic="interface {}")),
    "keys": GoFunc("keys", lambda m: sorted(m or {}), GoSignature(("map[string]interface {}",))),
    "typeOf": GoFunc("typeOf", lambda v: type(v).__name__, GoSignature(("interface {}",))),
}


class Metadata(GoStruct):
    go_type = "*chart.Metadata"

    def __init__(self, name: str) -> None:
        self.name = name

    def go_fields(self) -> dict[str, Any]:
        return {"Name": self.name, "Version": "1.0.0"}

    @go_method("string")
    def Greet(self, who: str) -> str:  # noqa: N802
        return f"hi {who} from {self.name}"


class ValuesMap(dict):
    """A map type with a method, like Helm's chartutil.Values."""

    @go_method()
    def AsMap(self) -> dict:  # noqa: N802
        return dict(self)


DATA = {
    "s": "str",
    "n": 3.0,
    "i": 7,
    "t": True,
    "f": False,
    "empty": "",
    "l": ["a", None, "c"],
    "ml": [{"name": "x"}, {"name": "y"}],
    "m": {"b": 2.0, "a": 1.0, "c": None},
    "nil": None,
    "Chart": Metadata("demo"),
}


def render(text: str, data: Any = DATA, missing_key: str = "zero", **options: Any) -> str:
    template_set = TemplateSet(dict(FUNCS), missing_key, **options)
    template_set.parse("c/t.yaml", text)
    return template_set.execute("c/t.yaml", data)


def exec_error(text: str, data: Any = DATA, **options: Any) -> TemplateExecError:
    with pytest.raises(TemplateExecError) as caught:
        render(text, data, **options)
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ .s }}", "str"),
        ("{{ .n }} {{ .i }} {{ 1.5e6 }} {{ 10000000.0 }}", "3 7 1.5e+06 1e+07"),
        ("{{ .missing }}|{{ .nil }}|{{ $x := .missing }}{{ $x }}", "<no value>|<no value>|<no value>"),
        ("{{ if .t }}T{{ end }}{{ if .f }}F{{ else }}nf{{ end }}", "Tnf"),
        ("{{ if .empty }}x{{ else if .l }}list{{ end }}", "list"),
        (
            "{{ if .m }}m{{ end }}{{ if 0 }}zero{{ end }}{{ if 0.0 }}z{{ end }}{{ if .Chart }}struct{{ end }}",
            "mstruct",
        ),
        ("{{ with .s }}[{{ . }}]{{ end }}{{ with .empty }}x{{ else }}none{{ end }}", "[str]none"),
        ("{{ with .empty }}a{{ else with .s }}b{{ . }}{{ end }}", "bstr"),
        ('{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 "" }} {{ or 0 "x" 3 }}', "0 2  x"),
        ("{{ not 0 }} {{ not .s }} {{ not .missing }}", "true false true"),
        ('{{ eq 1 2 3 1 }} {{ eq .s "str" }} {{ ne 1 2 }} {{ eq .missing nil }}', "true true true true"),
        ('{{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 2.5 }}', "true true true false"),
        ('{{ len .l }} {{ len .m }} {{ len "héllo" }}', "3 3 6"),
        (
            '{{ index .l 0 }} {{ index .m "a" }} {{ index .ml 1 "name" }} {{ index .m "zz" }}',
            "a 1 y <no value>",
        ),
        ('{{ index "abc" 1 }}', "98"),
        ('{{ slice .l 1 }} {{ slice "hello" 1 3 }} {{ slice .l }}', "[<nil> c] el [a <nil> c]"),
        (
            '{{ print 1 2 "a" "b" 3 }}|{{ println 1 "x" }}|{{ printf "%05.1f-%q-%v" 3.14159 "s" .l }}',
            '1 2ab3|1 x\n|003.1-"s"-[a <nil> c]',
        ),
        (
            '{{ html "<a href=\'x\'>&" }} {{ js "a\'b\\"<>" }} {{ urlquery "a b&c" }}',
            "&lt;a href=&#39;x&#39;&gt;&amp; a\\'b\\\"\\u003C\\u003E a+b%26c",
        ),
        ("{{ html .missing }}", "&lt;no value&gt;"),
        (
            '{{ .Chart.Name }} {{ .Chart.Greet "bob" }} {{ "amy" | .Chart.Greet }}',
            "demo hi bob from demo hi amy from demo",
        ),
        ("{{ $.s }} {{ $x := .m }}{{ $x.b }}", "str 2"),
        ("{{ (index .ml 0).name }}", "x"),
        ("{{ trunc 2 .s }} {{ .s | trunc 1 }} {{ add1 4 }} {{ half 3 }}", "st s 5 1.5"),
        (
            "{{ typeOf 3 }} {{ typeOf 3.5 }} {{ typeOf 'a' }} {{ typeOf 0x10 }} {{ typeOf 1e2 }}",
            "GoInt float GoInt GoInt float",
        ),
        ("{{ keys .m }} {{ keys nil }}", "[a b c] []"),
        ('{{ "x" | printf "%s-%s" "y" }}', "y-x"),
        ('{{ .s | upper | printf "<%s>" }}', "<STR>"),
        ("{{ $x := 1 }}{{ if .t }}{{ $x = 2 }}{{ $y := 3 }}{{ end }}{{ $x }}", "2"),
        ("a  {{- 1 -}}  b", "a1b"),
        ("{{/* comment */}}x", "x"),
        ("{{ `raw\\n` }}", "raw\\n"),
    ],
)
def test_render(text: str, expected: str) -> None:
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ range .l }}[{{ . }}]{{ end }}", "[a][<no value>][c]"),
        ("{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}", "0=a;1=<no value>;2=c;"),
        ("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}", "a=1;b=2;c=<no value>;"),
        ("{{ range $v := .m }}{{ $v }},{{ end }}", "1,2,<no value>,"),
        ("{{ range .ml }}{{ .name }}{{ end }}", "xy"),
        ("{{ range .missing }}x{{ else }}empty{{ end }}", "empty"),
        ('{{ range .l }}{{ if eq . "c" }}{{ break }}{{ end }}{{ . }}{{ end }}', "a<no value>"),
        ("{{ range $i, $_ := .l }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $i }}{{ end }}", "02"),
        ('{{ $last := "" }}{{ range .l }}{{ $last = . }}{{ end }}{{ $last }}', "c"),
        (
            "{{ range $i, $x := list 5 6 }}{{ range $j, $y := list 7 }}{{ $i }}{{ $x }}{{ $j }}{{ $y }} {{ end }}{{ end }}",
            "0507 1607 ",
        ),
    ],
)
def test_range(text: str, expected: str) -> None:
    assert render(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{ range 3 }}{{ . }}{{ end }}", "012"),
        ("{{ range $i := 2 }}{{ $i }}{{ end }}", "01"),
        ("{{ range 0 }}x{{ else }}none{{ end }}", "none"),
    ],
)
def test_range_over_int_needs_go_1_24(text: str, expected: str) -> None:
    assert render(text, go_version=(1, 25)) == expected
    assert "range can't iterate over" in exec_error(text).message


def test_templates_define_block_and_variables() -> None:
    text = (
        '{{ define "inner" }}<{{ . }}|{{ $ }}>{{ end }}'
        '{{ template "inner" .s }}{{ template "inner" }}{{ block "blk" .i }}b{{ . }}{{ end }}'
    )
    assert render(text) == "<str|str><<no value>|<no value>>b7"


def test_execute_other_template_and_unknown_name() -> None:
    template_set = TemplateSet({})
    template_set.parse("a", '{{ define "x" }}X{{ . }}{{ end }}')
    assert template_set.execute("x", 1) == "X1"
    assert template_set.has("x") and not template_set.has("y")
    with pytest.raises(TemplateExecError) as caught:
        template_set.execute("y", None)
    assert caught.value.go_message == 'template: no template "y" associated with template "gotpl"'


def test_clone_shares_trees_but_not_names() -> None:
    template_set = TemplateSet({})
    template_set.parse("a", '{{ define "x" }}X{{ end }}')
    twin = template_set.clone()
    twin.parse("gotpl", '{{ template "x" }}!')
    assert twin.execute("gotpl", None) == "X!"
    assert not template_set.has("gotpl")
    assert twin.tree("x") is template_set.tree("x")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "{{ .m.c.d }}",
            'template: c/t.yaml:1:5: executing "c/t.yaml" at <.m.c.d>: nil pointer evaluating interface {}.d',
        ),
        (
            "{{ .missing.x }}",
            'template: c/t.yaml:1:11: executing "c/t.yaml" at <.missing.x>: nil pointer evaluating interface {}.x',
        ),
        (
            "\n  {{ .s.x }}",
            'template: c/t.yaml:2:7: executing "c/t.yaml" at <.s.x>: can\'t evaluate field x in type interface {}',
        ),
        (
            "{{ range .l }}{{ .x }}{{ end }}",
            'template: c/t.yaml:1:17: executing "c/t.yaml" at <.x>: can\'t evaluate field x in type interface {}',
        ),
        (
            '{{ range .l }}{{ if not (eq . "a") }}{{ .x }}{{ end }}{{ end }}',
            "nil pointer evaluating interface {}.x",
        ),
        ("{{ (upper .s).x }}", "at <.s>: can't evaluate field x in type string"),
        ("{{ .Chart.Nope }}", "at <.Chart.Nope>: can't evaluate field Nope in type interface {}"),
        ("{{ .Chart.Name 1 }}", "at <.Chart.Name>: Name has arguments but cannot be invoked as function"),
        ("{{ .s 1 }}", "at <.s>: s is not a method but has arguments"),
        ("{{ .Chart.Greet }}", "at <.Chart.Greet>: wrong number of args for Greet: want 1 got 0"),
        (
            '{{ boom "bad" }}',
            'template: c/t.yaml:1:3: executing "c/t.yaml" at <boom "bad">: error calling boom: bad',
        ),
        (
            "{{ panics }}",
            "at <panics>: error calling panics: runtime error: index out of range [3] with length 1",
        ),
        ("{{ trunc 1 }}", "at <trunc>: wrong number of args for trunc: want 2 got 1"),
        ("{{ trunc 1 2 3 }}", "at <trunc>: wrong number of args for trunc: want 2 got 3"),
        ("{{ printf }}", "at <printf>: wrong number of args for printf: want at least 1 got 0"),
        ("{{ trunc .n .s }}", "at <.n>: wrong type for value; expected int; got float64"),
        ("{{ trunc 1.5 .s }}", "at <1.5>: expected integer; found 1.5"),
        ("{{ trunc 1 2 }}", "at <2>: expected string; found 2"),
        ("{{ trunc 1 .missing }}", "at <.missing>: wrong type for value; expected string; got interface {}"),
        ("{{ .missing | trunc 1 }}", "at <1>: invalid value; expected string"),
        ("{{ trunc 1 nil }}", "at <nil>: cannot assign nil to string"),
        ("{{ add1 .n }}", "at <.n>: wrong type for value; expected int64; got float64"),
        ("{{ eq .n 1 }}", "at <eq .n 1>: error calling eq: incompatible types for comparison"),
        ("{{ lt .m 1 }}", "error calling lt: invalid type for comparison"),
        ("{{ eq }}", "at <eq>: wrong number of args for eq: want at least 1 got 0"),
        ("{{ index .l 3 }}", "at <index .l 3>: error calling index: reflect: slice index out of range"),
        ("{{ index .l 4 }}", "error calling index: index out of range: 4"),
        ('{{ index .l "x" }}', "error calling index: cannot index slice/array with type string"),
        ("{{ index .l .n }}", "error calling index: cannot index slice/array with type float64"),
        ("{{ index .missing 1 }}", "error calling index: index of untyped nil"),
        ('{{ index .m "c" "d" }}', "error calling index: index of nil pointer"),
        ("{{ index .s 3 }}", "error calling index: reflect: string index out of range"),
        ("{{ len .missing }}", "at <len .missing>: error calling len: len of nil pointer"),
        ("{{ len nil }}", "error calling len: reflect: call of reflect.Value.Type on zero Value"),
        ("{{ len 3 }}", "error calling len: len of type int"),
        ("{{ slice .l 2 1 }}", "error calling slice: invalid slice index: 2 > 1"),
        ('{{ template "nope" }}', 'at <{{template "nope"}}>: template "nope" not defined'),
        ("{{ nil }}", "at <nil>: nil is not a command"),
        ("{{ 1 2 }}", "at <1>: can't give argument to non-function 1"),
        ("{{ range .n }}{{ end }}", "at <.n>: range can't iterate over 3"),
        ("{{ range .s }}{{ end }}", "at <.s>: range can't iterate over str"),
        ("{{ range $i, $v := 3 }}{{ end }}", "range can't iterate over 3"),  # Go 1.23
        ("{{ $x := 1 }}{{ $x 2 }}", "at <$x>: can't give argument to non-function $x"),
        ("{{ $x = 1 }}", "undefined variable: $x"),
        ("{{ 18446744073709551615 }}", "at <18446744073709551615>: 18446744073709551615 overflows int"),
        ("{{ call .s }}", "error calling call: non-function .s of type string"),
        ("{{ call .missing }}", "error calling call: call of nil"),
    ],
)
def test_exec_errors(text: str, message: str) -> None:
    error = exec_error(text)
    assert message in error.go_message
    assert error.go_message.startswith("template: c/t.yaml:") or error.go_message.startswith(
        "template: c/t.yaml"
    )
    assert error.template_name == "c/t.yaml"


def test_error_position_is_one_based_and_go_column_zero_based() -> None:
    error = exec_error("ab\ncd {{ .m.c.d }}")
    assert error.go_message.startswith("template: c/t.yaml:2:8: ")
    assert (error.position.file, error.position.line, error.position.column) == ("c/t.yaml", 2, 9)


def test_typed_comparison_errors_from_go_1_25() -> None:
    error = exec_error("{{ eq .n 1 }}", go_version=(1, 25))
    assert error.go_message.endswith("error calling eq: incompatible types for comparison: float64 and int")


def test_missing_key_modes() -> None:
    assert render("{{ .nope }}", missing_key="default") == "<no value>"
    error = exec_error("{{ .nope }}", missing_key="error")
    assert error.go_message.endswith('at <.nope>: map has no entry for key "nope"')
    error = exec_error("{{ $x := .nil }}{{ $x.y }}", missing_key="error")
    assert error.go_message.endswith('nil data; no entry for key "y"')
    # With missingkey=default a missing key is the invalid value, not a nil interface.
    assert render("{{ .nope.x }}", missing_key="default") == "<no value>"


def test_methods_win_over_map_keys() -> None:
    data = {"Values": ValuesMap({"AsMap": "shadowed", "a": 1.0})}
    assert render("{{ .Values.AsMap.a }} {{ .Values.a }}", data) == "1 1"


def test_and_or_short_circuit() -> None:
    CALLS.clear()
    assert render('{{ and 0 (record "a") }}{{ or 1 (record "b") }}{{ and 1 (record "c") }}') == "01c"
    assert CALLS == ["c"]


def test_and_or_with_piped_final_argument() -> None:
    assert render("{{ 0 | and 1 }} {{ 5 | or 0 }} {{ 5 | and 0 }}") == "0 5 0"


def test_nested_template_errors_keep_the_innermost_location() -> None:
    template_set = TemplateSet(dict(FUNCS))
    template_set.parse("c/_helpers.tpl", '{{ define "h" }}\n  {{ boom "inner" }}{{ end }}')
    template_set.parse("c/t.yaml", '{{ template "h" . }}')
    with pytest.raises(TemplateExecError) as caught:
        template_set.execute("c/t.yaml", {})
    error = caught.value
    assert error.go_message == (
        'template: c/_helpers.tpl:2:5: executing "h" at <boom "inner">: error calling boom: inner'
    )
    assert (error.position.file, error.position.line, error.position.column) == ("c/_helpers.tpl", 2, 6)
    assert error.template_name == "h"


def test_function_raising_a_nested_exec_error_is_wrapped_with_inner_position() -> None:
    funcs = dict(FUNCS)
    template_set = TemplateSet(funcs)

    def include(name: str, data: Any) -> str:
        return template_set.execute(name, data)

    funcs["include"] = GoFunc("include", include, GoSignature(("string", "interface {}"), returns_error=True))
    template_set.parse("c/_h.tpl", '{{ define "h" }}{{ .x.y }}{{ end }}')
    template_set.parse("c/t.yaml", 'a: {{ include "h" . }}')
    with pytest.raises(TemplateExecError) as caught:
        template_set.execute("c/t.yaml", {})
    error = caught.value
    assert error.go_message == (
        'template: c/t.yaml:1:6: executing "c/t.yaml" at <include "h" .>: error calling include: '
        'template: c/_h.tpl:1:21: executing "h" at <.x.y>: nil pointer evaluating interface {}.y'
    )
    assert (error.position.file, error.position.column) == ("c/_h.tpl", 22)


def test_recursive_template_hits_the_depth_limit() -> None:
    template_set = TemplateSet({})
    template_set.parse("r", '{{ define "loop" }}{{ template "loop" . }}{{ end }}{{ template "loop" . }}')
    with pytest.raises(LimitExceeded) as caught:
        template_set.execute("r", None)
    assert caught.value.position is not None and caught.value.position.file == "r"


def test_call_builtin() -> None:
    data = {"f": GoFunc("f", lambda a, b: a + b, GoSignature(("int", "int")))}
    assert render("{{ call .f 1 2 }}", data) == "3"
    error = exec_error("{{ call .f 1 }}", data)
    assert error.go_message.endswith("error calling call: wrong number of args for .f: got 1 want 2")


def test_function_values_cannot_be_printed() -> None:
    data = {"f": GoFunc("f", lambda: 1, GoSignature(()))}
    error = exec_error("{{ .f }}", data)
    assert "at <{{.f}}>: can't print {{.f}} of type func() interface {}" in error.go_message


def test_int_kinds_are_checked_like_go() -> None:
    # len returns Go int, which is not assignable to an int64 parameter.
    error = exec_error("{{ len .l | add1 }}")
    assert error.go_message.endswith("at <add1>: wrong type for value; expected int64; got int")
    # A range index is an int, so it fits an int parameter.
    assert render('{{ range $i, $v := list "ab" "cd" }}{{ trunc $i $v }},{{ end }}') == ",c,"
