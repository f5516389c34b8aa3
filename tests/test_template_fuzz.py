"""Property tests: any text fed to the lexer, the parser or parse+execute ends in a result or in a
chartfix error, never in another exception."""

from __future__ import annotations

import re

import pytest
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


def _token_by_token(text: str, break_ok: bool, continue_ok: bool) -> list[lx.Token]:
    """lex_tokens with the bulk path switched off: every action read by _lex_inside_action."""
    lexer = lx._Lexer(text, break_ok, continue_ok)
    original = lx._ACTION_TOKENS
    lx._ACTION_TOKENS = _NEVER_MATCHES
    try:
        columns = lexer.run()
    finally:
        lx._ACTION_TOKENS = original
    return list(zip(*columns, strict=True))


_NEVER_MATCHES = re.compile(r"(?!)")
BULK_EDGE_CASES = [
    "{{ \"a}}b\" }}{{ `}}` }}{{ '}' }}",
    "{{  -}}  x {{ .a  -}}\n{{- .b\t-}}{{-\n.c\n-}}",
    "{{ ( }}{{ ) }}{{ (.a)) }}{{ ((.a) }}{{ (.a) }}",
    "{{}}{{ }}{{-}}{{ -}}{{.}}{{$}}{{ $x := 1 }}{{ $x = 2 }}",
    "{{ .é }}{{ é }}{{ -1 }}{{ 1.5 }}{{ 0x1F }}{{ 07 }}{{ 1e3 }}{{ .a.b.c }}{{ $.a.b }}",
    "{{ x-}}{{ x -}}{{ 3-}}{{ 3 -}}{{ }}}{{ } }}{{ {{ }}{{ '\\'' }}{{ \"\\\"\" }}",
    "{{ break }}{{ continue }}{{ true }}{{ nil }}{{ if }}{{ ,:= }}",
    "{{ .a",
    "{{ .a }",
    '{{ "a',
    "{{ 1 }}{{ .5 }}{{ .a.5 }}{{ x.5 }}{{ 1|x }}{{ (1) }}",
]


@pytest.mark.parametrize("text", BULK_EDGE_CASES)
@pytest.mark.parametrize("flags", [(True, True), (False, False)])
def test_bulk_lexing_matches_token_by_token_lexing_on_edge_cases(text: str, flags: tuple[bool, bool]) -> None:
    assert lx.lex_tokens(text, *flags) == _token_by_token(text, *flags)


# Actions made of tokens the bulk path reads, and a few it does not.
ACTION_PIECES = [" ", "  ", "\n", ".a", ".b", "x", "if", "end", "$x", "$", ".", "1", "0", ".5", "1.5", "07"]
ACTION_PIECES += ["(", ")", "|", ":=", "=", ",", '"s"', '"}}"', "`r`", "'c'", "-", "é", ".é", "true", "break"]
ACTION_PIECES += ["continue", "nil", "}", "{", "!", "#", "\\", '"']
actions = st.lists(st.sampled_from(ACTION_PIECES), max_size=12).map(
    lambda pieces: "{{" + "".join(pieces) + "}}"
)
action_text = st.lists(st.one_of(actions, st.sampled_from(["x", "\n", " ", "{{- ", " -}}"])), max_size=8).map(
    "".join
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(template_text, action_text), st.booleans(), st.booleans())
def test_bulk_lexing_matches_token_by_token_lexing(text: str, break_ok: bool, continue_ok: bool) -> None:
    assert lx.lex_tokens(text, break_ok, continue_ok) == _token_by_token(text, break_ok, continue_ok)
