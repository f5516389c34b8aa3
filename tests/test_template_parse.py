"""Lexer and parser of chartfix.template against Go's text/template/parse behaviour.

Expected values come from Go's own parse_test.go / lex.go rules (Go 1.23+).
"""

from __future__ import annotations

import pytest

from chartfix.errors import ChartfixError, LimitExceeded, TemplateSyntaxError
from chartfix.go.template import TemplateSet, nodes, parser
from chartfix.go.template import lexer as lx
from chartfix.go.template.parser import parse_trees

FUNCS = {"printf", "contains"}


@pytest.fixture
def quoted_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Go's parse tests print text nodes with %q."""
    from chartfix.go.strconv import quote

    monkeypatch.setattr(nodes.TextNode, "write_to", lambda self, out: out.append(quote(self.text)))


def root_string(text: str, name: str = "test") -> str:
    return str(parse_trees(name, text, FUNCS)[name].root)


# Go parse_test.go parseTests (noError cases): input -> String() of the root with quoted text.
PARSE_OK = [
    ("", ""),
    ("{{/*\n\n\n*/}}", ""),
    (" \t\n", '" \\t\\n"'),
    ("some text", '"some text"'),
    ("{{.X}}", "{{.X}}"),
    ("{{printf}}", "{{printf}}"),
    ("{{$}}", "{{$}}"),
    ("{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}"),
    ("{{$.I}}", "{{$.I}}"),
    ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
    ("{{.X|.Y}}", "{{.X | .Y}}"),
    ("{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
    ("{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"),
    ("{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"),
    ("{{if .X}}hello{{end}}", '{{if .X}}"hello"{{end}}'),
    ("{{if .X}}true{{else}}false{{end}}", '{{if .X}}"true"{{else}}"false"{{end}}'),
    ("{{if .X}}true{{else if .Y}}false{{end}}", '{{if .X}}"true"{{else}}{{if .Y}}"false"{{end}}{{end}}'),
    (
        "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
        '"+"{{if .X}}"X"{{else}}{{if .Y}}"Y"{{else}}{{if .Z}}"Z"{{end}}{{end}}{{end}}"+"',
    ),
    ("{{range .X.Y.Z}}hello{{end}}", '{{range .X.Y.Z}}"hello"{{end}}'),
    ("{{range .X}}true{{else}}false{{end}}", '{{range .X}}"true"{{else}}"false"{{end}}'),
    ("{{range .X|.M}}true{{else}}false{{end}}", '{{range .X | .M}}"true"{{else}}"false"{{end}}'),
    ("{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}"),
    ("{{range .SI}}{{.}}{{break}}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}"),
    ("{{range .SI}}{{.}}{{ continue }}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}"),
    (
        "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
        "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
    ),
    ("{{template `x`}}", '{{template "x"}}'),
    ("{{template `x` .Y}}", '{{template "x" .Y}}'),
    (
        "{{with .X}}hello{{else with .Y}}goodbye{{end}}",
        '{{with .X}}"hello"{{else}}{{with .Y}}"goodbye"{{end}}{{end}}',
    ),
    ("x \r\n\t{{- 3}}", '"x"{{3}}'),
    ("{{3 -}}\n\n\ty", '{{3}}"y"'),
    ("x \r\n\t{{- 3 -}}\n\n\ty", '"x"{{3}}"y"'),
    ("x\n{{-  3   -}}\ny", '"x"{{3}}"y"'),
    ("x \r\n\t{{- /* hi */}}", '"x"'),
    ("{{/* hi */ -}}\n\n\ty", '"y"'),
    ("x \r\n\t{{- /* */ -}}\n\n\ty", '"x""y"'),
    ('{{block "foo" .}}hello{{end}}', '{{template "foo" .}}'),
    ("{{ $x \n := \n 1 \n }}", "{{$x := 1}}"),
    ('{{\n"x"\n|\nprintf\n}}', '{{"x" | printf}}'),
    ("{{-\n/*\nhello\n*/\n-}}", ""),
    ("{{$x:=.}}{{$x +2}}", "{{$x := .}}{{$x +2}}"),
    ("{{range $x = 0}}{{$x}}{{end}}", "{{range $x = 0}}{{$x}}{{end}}"),
    ("{{ (( 1 )) }}", "{{((1))}}"),
    ("{{-3}}", "{{-3}}"),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_OK)
def test_parse_tree_string(quoted_text: None, text: str, expected: str) -> None:
    assert root_string(text) == expected


PARSE_FAILS = [
    "{{}}",
    "hello{{range",
    "{{else}}",
    "{{if .X}}1{{else}}2{{else}}3{{end}}",
    "hello{{range .x}}{{else}}",
    "{{with $x := 4}}{{end}}{{$x}}",
    "{{template $v}}",
    "{{with $x.Y := 4}}{{end}}",
    "{{template .X}}",
    "{{printf 3, 4}}",
    "{{with $v, $u := 3}}{{end}}",
    "{{printf (printf .).}}",
    "{{printf 3`x`}}",
    "{{printf `x`.}}",
    "{{if .X}}a{{else if .Y}}b{{end}}{{end}}",
    "{{range .}}{{else}}{{break}}{{end}}",
    "{{$x += 1}}{{$x}}",
    "{{range $x := $y := 3}}{{end}}",
    "{{$x:=.}}{{$x!2}}",
    "{{$x:=.}}{{$x+2}}",
    "{{1.E}}",
    "{{0.1.E}}",
    "{{'a'.any}}",
    '{{"hello".guys}}',
    "{{..E}}",
    "{{nil.E}}",
    "{{12|.}}",
    "{{.|12|printf}}",
    "{{'c'|nil}}",
    '{{printf "%d" ( ) }}',
    '{{block "foo"}}hello{{end}}',
    "{{\n}}",
]


@pytest.mark.parametrize("text", PARSE_FAILS)
def test_parse_errors(text: str) -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_trees("test", text, FUNCS)
    assert caught.value.go_message.startswith("template: test:")


# Go parse_test.go errorTests: the message must contain the given text.
ERROR_MESSAGES = [
    ("unclosed1", "line1\n{{", "unclosed1:2: unclosed action"),
    ("unclosed2", "line1\n{{define `x`}}line2\n{{", "unclosed2:3: unclosed action"),
    ("unclosed3", 'line1\n{{"x"\n"y"\n', "unclosed3:4: unclosed action started at unclosed3:2"),
    ("unclosed4", "{{\n\n\n\n\n", "unclosed4:6: unclosed action started at unclosed4:1"),
    ("var1", "line1\n{{\nx\n}}", 'var1:3: function "x" not defined'),
    ("comment2", "{{/*\nhello\n}}", "comment2:1: unclosed comment"),
    ("lparen", "{{.X (1 2 3}}", "lparen:1: unclosed left paren"),
    ("rparen", "{{.X 1 2 3 ) }}", "rparen:1: unexpected right paren"),
    ("space", "{{`x`3}}", 'space:1: unexpected "3" in operand'),
    ("idchar", "{{a#}}", "idchar:1: bad character U+0023 '#'"),
    ("charconst", "{{'a}}", "unterminated character constant"),
    ("stringconst", '{{"a}}', "unterminated quoted string"),
    ("rawstringconst", "{{`a}}", "unterminated raw quoted string"),
    ("number", "{{0xi}}", 'illegal number syntax: "0xi"'),
    ("badnumber", "{{3k}}", 'bad number syntax: "3k"'),
    ("multidefine", "{{define `a`}}a{{end}}{{define `a`}}b{{end}}", 'multiple definition of template "a"'),
    ("eof", "{{range .X}}", "eof:1: unexpected EOF"),
    ("variable", "{{$x := 23}}{{with $x.y := 3}}{{$x 23}}{{end}}", 'unexpected ":=" in operand'),
    ("multidecl", "{{$a,$b,$c := 23}}", "too many declarations in command"),
    ("undefvar", "{{$a}}", 'undefined variable "$a"'),
    ("wrongdot", "{{true.any}}", 'unexpected . after term "true"'),
    ("wrongpipeline", "{{12|false}}", "non executable command in pipeline stage 2"),
    ("emptypipeline", "{{ ( ) }}", "missing value for parenthesized pipeline"),
    ("multilinerawstring", "{{ $v := `\n` }} {{", "multilinerawstring:2: unclosed action"),
    ("rangemissingvalue1", "{{range $k,}}{{end}}", "missing value for range"),
    ("rangenotvariable1", "{{range $k, .}}{{end}}", "range can only initialize variables"),
    ("end", "{{end}}", "end:1: unexpected {{end}}"),
    ("break", "{{range .}}{{end}} {{break}}", "{{break}} outside {{range}}"),
    ("elseend", "{{range .}}{{else}}{{else}}{{end}}", "expected end; found {{else}}"),
    ("charsyntax", "{{'ab'}}", "malformed character constant: 'ab'"),
    ("emptychar", "{{''}}", "charsyntax:1: invalid syntax".replace("charsyntax", "emptychar")),
    ("octal", "{{089}}", 'integer overflow: "089"'),
    ("badescape", '{{"\\q"}}', "badescape:1: invalid syntax"),
    ("unknownfn", "a\nb\n{{ nope 1 }}", 'unknownfn:3: function "nope" not defined'),
    ("definebad", "{{define 3}}{{end}}", 'unexpected "3" in define clause'),
    ("defineinside", "{{if 1}}{{define `x`}}{{end}}{{end}}", "unexpected <define> in command"),
    ("unrecognized", "{{ .x \u00a7 }}", "unrecognized character in action: U+00A7 '§'"),
]


@pytest.mark.parametrize(("name", "text", "expected"), ERROR_MESSAGES)
def test_error_messages(name: str, text: str, expected: str) -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_trees(name, text, FUNCS)
    assert expected in caught.value.go_message
    assert caught.value.position is not None and caught.value.position.file == name


def test_syntax_error_position_and_format() -> None:
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_trees("chart/templates/a.yaml", "ok\n\n  {{ nope }}", FUNCS)
    error = caught.value
    assert error.go_message == 'template: chart/templates/a.yaml:3: function "nope" not defined'
    assert (error.position.line, error.position.column) == (3, 6)


def test_defines_and_blocks_join_the_tree_set() -> None:
    trees = parse_trees("f", '{{define "a"}}A{{end}}x{{block "b" .}}B{{end}}', FUNCS)
    assert sorted(trees) == ["a", "b", "f"]
    assert str(trees["f"].root) == 'x{{template "b" .}}'
    assert str(trees["a"].root) == "A"
    assert trees["a"].parse_name == "f"


def test_empty_redefinition_keeps_the_existing_template() -> None:
    template_set = TemplateSet({})
    template_set.parse("one", '{{define "x"}}first{{end}}')
    template_set.parse("two", '{{define "x"}}  {{end}}')
    assert template_set.execute("x", None) == "first"
    template_set.parse("three", '{{define "x"}}third{{end}}')
    assert template_set.execute("x", None) == "third"
    assert template_set.names() == ["one", "three", "two", "x"]


def test_empty_define_in_the_same_text_is_replaced() -> None:
    trees = parse_trees("f", '{{define "x"}} {{end}}{{define "x"}}y{{end}}', FUNCS)
    assert str(trees["x"].root) == "y"


def test_break_is_a_function_when_one_is_defined() -> None:
    trees = parse_trees("f", "{{range .X}}{{break 20}}{{end}}", {"break"})
    assert str(trees["f"].root) == "{{range .X}}{{break 20}}{{end}}"
    with pytest.raises(TemplateSyntaxError):
        parse_trees("f", "{{range .X}}{{break 20}}{{end}}", set())


def test_node_positions() -> None:
    text = 'a\n  {{ .Values.x.y }}\n{{- include "t" . }}'
    root = parse_trees("c/t.yaml", text, {"include"})["c/t.yaml"].root
    action = root.nodes[1]
    assert isinstance(action, nodes.ActionNode)
    field = action.pipe.cmds[0].args[0]
    assert isinstance(field, nodes.FieldNode)
    assert field.ident == ["Values", "x", "y"]
    # Go places a chained field at its second element.
    assert (field.line, field.column, field.template_name) == (2, 13, "c/t.yaml")
    include = root.nodes[2].pipe.cmds[0]
    assert (include.line, include.column) == (3, 5)


def test_byte_columns_count_utf8_bytes() -> None:
    root = parse_trees("f", "é {{ .x }}", FUNCS)["f"].root
    action = root.nodes[1]  # starts at ".x": rune offset 5, byte offset 6
    assert action.column == 7 and action.byte_offset == 6


def test_lexer_items_and_lines() -> None:
    text = 'a\n{{- .x | printf "%d" 3 -}}\n b{{/* c\n */}}`'
    source = nodes.Source("f", text)
    kinds = [(item.typ, item.val, source.line_and_column(item.pos)[0]) for item in lx.lex(text)]
    assert kinds == [
        (lx.TEXT, "a", 1),
        (lx.LEFT_DELIM, "{{", 2),
        (lx.FIELD, ".x", 2),
        (lx.SPACE, " ", 2),
        (lx.PIPE, "|", 2),
        (lx.SPACE, " ", 2),
        (lx.IDENTIFIER, "printf", 2),
        (lx.SPACE, " ", 2),
        (lx.STRING, '"%d"', 2),
        (lx.SPACE, " ", 2),
        (lx.NUMBER, "3", 2),
        (lx.RIGHT_DELIM, "}}", 2),
        (lx.TEXT, "b", 3),
        (lx.TEXT, "`", 4),
        (lx.EOF, "", 4),
    ]


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        ("0x1F", 31),
        ("0o17", 15),
        ("0b101", 5),
        ("017", 15),
        ("1_000", 1000),
        ("'a'", 97),
        ("'\\n'", 10),
        ("'\\u00e9'", 233),
        ("-0", 0),
        ("1e3", 1000),
    ],
)
def test_integer_literals(literal: str, expected: int) -> None:
    root = parse_trees("f", "{{" + literal + "}}", FUNCS)["f"].root
    number = root.nodes[0].pipe.cmds[0].args[0]
    assert isinstance(number, nodes.NumberNode)
    assert number.is_int and number.int64 == expected


@pytest.mark.parametrize(
    ("literal", "expected"),
    [("1.5", 1.5), (".5", 0.5), ("0x1p-2", 0.25), ("1_0.2_5", 10.25), ("1e-400", 0.0)],
)
def test_float_literals(literal: str, expected: float) -> None:
    number = parse_trees("f", "{{" + literal + "}}", FUNCS)["f"].root.nodes[0].pipe.cmds[0].args[0]
    assert number.is_float and number.float64 == expected


@pytest.mark.parametrize("literal", ["1__0", "0x", "1e400", "0x1.8", "1_"])
def test_bad_number_literals(literal: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        parse_trees("f", "{{" + literal + "}}", FUNCS)


def test_imaginary_and_complex_literals() -> None:
    args = parse_trees("f", "{{printf 2i 1+2i 0i}}", FUNCS)["f"].root.nodes[0].pipe.cmds[0].args
    assert args[1].is_complex and args[1].complex128 == 2j
    assert args[2].is_complex and args[2].complex128 == 1 + 2j
    assert args[3].is_int and args[3].int64 == 0


@pytest.mark.parametrize(
    ("literal", "expected"),
    [
        (r'"a\tb"', "a\tb"),
        (r'"\x41\101\u00e9\U0001F600"', "AAé\U0001f600"),
        ("`raw\\n`", "raw\\n"),
        ("`a\r\nb`", "a\nb"),
        (r'"\""', '"'),
    ],
)
def test_string_literals(literal: str, expected: str) -> None:
    node = parse_trees("f", "{{" + literal + "}}", FUNCS)["f"].root.nodes[0].pipe.cmds[0].args[0]
    assert isinstance(node, nodes.StringNode)
    assert node.text == expected and node.quoted == literal


def test_deep_nesting_is_a_limit_error_not_a_crash() -> None:
    text = "{{if 1}}" * 3000 + "{{end}}" * 3000
    with pytest.raises(ChartfixError) as caught:
        parse_trees("deep", text, FUNCS)
    assert isinstance(caught.value, LimitExceeded)


def test_walk_nodes_visits_everything() -> None:
    root = parse_trees("f", "{{if .a}}{{range $x := .b}}{{$x.c}}{{end}}{{end}}", FUNCS)["f"].root
    names = [type(node).__name__ for node in nodes.walk_nodes(root)]
    assert names.count("FieldNode") == 2 and "VariableNode" in names and "RangeNode" in names


def test_cached_parse_still_checks_the_function_map() -> None:
    text = "{{ f 1 }}"
    assert str(parse_trees("cache", text, {"f"})["cache"].root) == "{{f 1}}"
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_trees("cache", text, set())
    assert caught.value.go_message == 'template: cache:1: function "f" not defined'
    first = parse_trees("cache", text, {"f"})
    second = parse_trees("cache", text, {"f", "g"})
    assert first["cache"] is second["cache"]


# --- the fast parser, the exact parser and the parse cache ----------------------------------------


def _shape(trees: dict[str, parser.Tree]) -> list[tuple]:
    """Every node of every tree: name, kind, source name, rune offset, line and column, String()."""
    return [
        (name, type(node).__name__, node.template_name, node.pos, node.line, node.column, str(node))
        for name, tree in trees.items()
        for node in nodes.walk_nodes(tree.root)
    ]


def _exact_trees(name: str, text: str) -> dict[str, parser.Tree]:
    source = nodes.Source(name, text)
    shared = parser._Shared(lx.lex(text), source, FUNCS)
    top = parser._TreeParser(shared, name)
    top.parse()
    top.add()
    return shared.tree_set


MORE_VALID = [
    '{{define "a"}}{{$x := 1}}{{$x}}{{end}}{{block "b" .}}{{range $i, $v := .}}{{break}}{{end}}{{end}}',
    "{{ $x := 1 }}{{ $x = 2 }}{{ $x.y.z }}{{ ($x).w }}{{ $.a.b }}{{ (.a .b).c.d }}",
    "{{- if .a -}}\n x {{- else if .b }} y {{ else }}{{ with .c }}{{ . }}{{ else with .d }}z{{ end }}{{ end -}}",
    "{{ template `t` (printf \"%d\" 1 | printf) }}{{ .a\n.b }}{{ 0x1F 'x' 1e3 -2 +3i }}",
    "{{range $k, $v := .m}}{{if $k}}{{continue}}{{end}}{{$v}}{{end}}{{/* c */}}é{{ .é }}",
]


@pytest.mark.parametrize("text", [text for text, _ in PARSE_OK] + MORE_VALID)
def test_fast_parser_builds_what_the_exact_parser_builds(text: str) -> None:
    columns = lx.lex_columns(text)
    fast = parser._FastParser(columns, nodes.Source("c/t.yaml", text), FUNCS)
    assert _shape(fast.parse("c/t.yaml")) == _shape(_exact_trees("c/t.yaml", text))


@pytest.mark.parametrize("text", PARSE_FAILS + [text for _, text, _ in ERROR_MESSAGES])
def test_fast_parser_leaves_every_error_to_the_exact_parser(text: str) -> None:
    columns = lx.lex_columns(text)
    fast = parser._FastParser(columns, nodes.Source("t", text), FUNCS)
    with pytest.raises((parser._Decline, lx.UnquoteError, parser._NumberError)):
        fast.parse("t")


def test_lexer_tokens_beyond_the_fast_patterns() -> None:
    text = "{{ .é $é é1 +1 -2.5 0x1F 1e3 3i 07 .5 1+2i ':' $ . }}"
    tokens = [(typ, val) for typ, _, val in lx.lex_tokens(text) if typ != lx.SPACE]
    assert tokens == [
        (lx.LEFT_DELIM, "{{"),
        (lx.FIELD, ".é"),
        (lx.VARIABLE, "$é"),
        (lx.IDENTIFIER, "é1"),
        (lx.NUMBER, "+1"),
        (lx.NUMBER, "-2.5"),
        (lx.NUMBER, "0x1F"),
        (lx.NUMBER, "1e3"),
        (lx.NUMBER, "3i"),
        (lx.NUMBER, "07"),
        (lx.NUMBER, ".5"),
        (lx.COMPLEX, "1+2i"),
        (lx.CHAR_CONSTANT, "':'"),
        (lx.VARIABLE, "$"),
        (lx.DOT, "."),
        (lx.RIGHT_DELIM, "}}"),
        (lx.EOF, ""),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "{{ .a  -}} x",
            [(lx.SPACE, 2, " "), (lx.FIELD, 3, ".a"), (lx.SPACE, 5, " "), (lx.RIGHT_DELIM, 8, "}}")]
            + [(lx.TEXT, 11, "x"), (lx.EOF, 12, "")],
        ),
        (
            "{{ .a -}} x",
            [
                (lx.SPACE, 2, " "),
                (lx.FIELD, 3, ".a"),
                (lx.RIGHT_DELIM, 7, "}}"),
                (lx.TEXT, 10, "x"),
                (lx.EOF, 11, ""),
            ],
        ),
        ("{{.a.b}}", [(lx.FIELD, 2, ".a"), (lx.FIELD, 4, ".b"), (lx.RIGHT_DELIM, 6, "}}"), (lx.EOF, 8, "")]),
        (
            "{{(1)}}",
            [
                (lx.LEFT_PAREN, 2, "("),
                (lx.NUMBER, 3, "1"),
                (lx.RIGHT_PAREN, 4, ")"),
                (lx.RIGHT_DELIM, 5, "}}"),
            ]
            + [(lx.EOF, 7, "")],
        ),
        ("{{ 4-}}", [(lx.SPACE, 2, " "), (lx.ERROR, 3, 'bad number syntax: "4-"')]),
        ("{{ ) }}", [(lx.SPACE, 2, " "), (lx.ERROR, 3, "unexpected right paren")]),
        ("{{ ( -}}", [(lx.SPACE, 2, " "), (lx.LEFT_PAREN, 3, "("), (lx.ERROR, 4, "unclosed left paren")]),
        ("{{ a# }}", [(lx.SPACE, 2, " "), (lx.ERROR, 3, "bad character U+0023 '#'")]),
    ],
)
def test_lexer_spaces_delimiters_and_errors(text: str, expected: list[tuple[int, int, str]]) -> None:
    assert lx.lex_tokens(text)[1:] == expected


def test_same_text_under_another_name_gets_its_own_positions() -> None:
    text = '{{define "h"}}{{ .x }}{{end}}a\n{{ include "h" . | nindent 2 }}'
    funcs = {"include", "nindent"}
    first = parse_trees("one/templates/_h.tpl", text, funcs)
    second = parse_trees("two/templates/_h.tpl", text, funcs)
    assert list(second) == ["h", "two/templates/_h.tpl"]
    assert {node.template_name for tree in second.values() for node in nodes.walk_nodes(tree.root)} == {
        "two/templates/_h.tpl"
    }
    assert second["h"].root is not first["h"].root
    fresh, _, _ = parser._parse("two/templates/_h.tpl", text, funcs, True, True)
    assert _shape(second) == _shape(fresh)


def test_another_name_that_collides_with_a_define_is_parsed_again() -> None:
    text = '{{define "b"}}x{{end}}y'
    assert sorted(parse_trees("a", text, FUNCS)) == ["a", "b"]
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_trees("b", text, FUNCS)
    assert caught.value.go_message == 'template: b:1: template: multiple definition of template "b"'


def test_cached_text_under_another_name_still_checks_the_function_map() -> None:
    text = "{{ g 1 }}"
    assert str(parse_trees("x1", text, {"g"})["x1"].root) == "{{g 1}}"
    with pytest.raises(TemplateSyntaxError) as caught:
        parse_trees("x2", text, set())
    assert caught.value.go_message == 'template: x2:1: function "g" not defined'
