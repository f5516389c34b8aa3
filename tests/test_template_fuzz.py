"""Property tests: any text fed to the lexer, the parser or parse+execute ends in a result or in a
chartfix error, never in another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chartfix.errors import ChartfixError
from chartfix.go.template import TemplateSet
from chartfix.go.template import lexer as lx
from chartfix.go.template.parser import parse_trees
from chartfix.go.types import GoFunc, GoSignature

# Fragments that make random text look like templates often enough to reach deep code paths.
FRAGMENTS = [
    "{{",
    "}}",
    "{{- ",
    " -}}",
    "{{/*",
    "*/}}",
    " ",
    "\n",
    ".",
    ".a",
    ".b.c",
    "$",
    "$x",
    ":=",
    "=",
    "|",
    "(",
    ")",
    ",",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
    "nil",
    "true",
    '"s"',
    "`r`",
    "'c'",
    "1",
    "-2.5",
    "0x1F",
    "1e3",
    "3i",
    "and",
    "or",
    "not",
    "eq",
    "lt",
    "len",
    "index",
    "slice",
    "print",
    "printf",
    "html",
    "js",
    "urlquery",
    "call",
    "fn",
    "x",
    '"t"',
    "\\",
    '"',
    "'",
    "`",
    "-",
    "+",
    "#",
    "é",
    "\t",
]

template_text = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
)

FUNCS = {
    "fn": GoFunc("fn", lambda *args: len(args), GoSignature((), variadic="interface {}")),
}
DATA = {"a": 1.0, "b": {"c": [1.0, None, "x"]}, "s": "str", "l": ["p", "q"], "m": {"k": None}}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_text)
def test_lexer_always_ends_with_eof_or_error(text: str) -> None:
    items = lx.lex(text)
    assert items and items[-1].typ in (lx.EOF, lx.ERROR)
    assert all(0 <= item.pos <= len(text) for item in items)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_text)
def test_parse_gives_trees_or_chartfix_errors(text: str) -> None:
    try:
        trees = parse_trees("fuzz", text, FUNCS)
    except ChartfixError:
        return
    assert "fuzz" in trees
    for tree in trees.values():
        str(tree.root)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template_text, st.sampled_from(["zero", "error", "default"]))
def test_parse_and_execute_give_text_or_chartfix_errors(text: str, missing_key: str) -> None:
    template_set = TemplateSet(dict(FUNCS), missing_key)
    try:
        template_set.parse("fuzz", text)
        output = template_set.execute("fuzz", DATA)
    except ChartfixError as error:
        assert error.message
        return
    assert isinstance(output, str)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join))
def test_actions_with_random_bodies(body: str) -> None:
    template_set = TemplateSet(dict(FUNCS))
    try:
        template_set.parse("fuzz", "{{ " + body + " }}")
        template_set.execute("fuzz", DATA)
    except ChartfixError:
        pass
