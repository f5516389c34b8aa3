"""Values loading and the go-yaml building blocks. Expectations come from go-yaml v2 / encoding/json
source and were confirmed with real `helm template` runs (v3.17.3, v4.1.4)."""

import math
import time

import pytest

from chartfix.errors import LimitExceeded, Position, ValuesError
from chartfix.go.strconv import format_float
from chartfix.go.yaml import decode as yaml_decode
from chartfix.go.yaml import parse as yaml_parse
from chartfix.go.yaml import parse_ruamel
from chartfix.go.yaml.decode import split_yaml_reader_documents, yaml_unmarshal
from chartfix.go.yaml.emit import marshal_yaml, marshal_yaml_v3
from chartfix.go.yaml.errors import YamlError
from chartfix.go.yaml.gojson import format_float_json
from chartfix.go.yaml.keys import sorted_yaml_keys
from chartfix.go.yaml.resolve import is_timestamp, resolve
from chartfix.helm.valuesfile import load_values_file, load_yaml_values

INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"


@pytest.mark.parametrize(
    ("text", "tag", "value"),
    [
        ("yes", BOOL, True),
        ("Off", BOOL, False),
        ("n", BOOL, False),
        ("~", NULL, None),
        ("", NULL, None),
        ("0777", INT, 511),
        ("0o17", INT, 15),
        ("0x_1F", INT, 31),
        ("-0b11", INT, -3),
        ("1_000", INT, 1000),
        ("08", FLOAT, 8.0),
        ("1e3", FLOAT, 1000.0),
        (".5", FLOAT, 0.5),
        ("+.inf", FLOAT, math.inf),
        ("18446744073709551615", INT, 2**64 - 1),
        ("18446744073709551616", FLOAT, 18446744073709551616.0),
        ("1e400", STR, "1e400"),
        ("2024-01-15", "tag:yaml.org,2002:timestamp", "2024-01-15"),
        ("2024-13-01", STR, "2024-13-01"),
        ("0x", STR, "0x"),
        ("NaN", STR, "NaN"),
        ("._5", STR, "._5"),
    ],
)
def test_resolve_follows_go_yaml_v2(text, tag, value):
    assert resolve("", text) == (tag, value)


def test_resolve_explicit_tags():
    assert resolve(FLOAT, "3") == (FLOAT, 3.0)
    assert resolve(STR, "3") == (STR, "3")
    assert resolve("!custom", "3") == ("!custom", "3")
    with pytest.raises(YamlError, match=r"^yaml: cannot decode !!str `abc` as a !!int$"):
        resolve(INT, "abc")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2001-12-14", True), ("2001-12-14t21:59:43.10Z", True), ("2001-12-14 21:59:43.10", True),
     ("2001-2-30", False), ("2000-2-29", True), ("1900-2-29", False), ("2001-12-14 25:00:00", False),
     ("20011-12-14", False), ("2001-12-14T21:59:43+05:00", True)],
)  # fmt: skip
def test_timestamps(text, expected):
    assert is_timestamp(text) is expected


@pytest.mark.parametrize(
    ("value", "g", "json_text", "f"),
    [
        (1000000.0, "1e+06", "1000000", "1000000"),
        (123456.0, "123456", "123456", "123456"),
        (0.0001, "0.0001", "0.0001", "0.0001"),
        (0.00001, "1e-05", "0.00001", "0.00001"),
        (1e-7, "1e-07", "1e-7", "0.0000001"),
        (1e21, "1e+21", "1e+21", "1000000000000000000000"),
        (-0.0, "-0", "-0", "-0"),
        (1.5, "1.5", "1.5", "1.5"),
        (123456789.5, "1.234567895e+08", "123456789.5", "123456789.5"),
        (5e-324, "5e-324", "5e-324", "0." + "0" * 323 + "5"),
    ],
)
def test_go_float_formats(value, g, json_text, f):
    assert format_float(value, "g", -1) == g
    assert format_float_json(value) == json_text
    assert format_float(value, "f", -1) == f


def test_float32_key_format():
    assert format_float(3.14159265358979, "g", -1, 32) == "3.1415927"
    assert format_float(0.1, "g", -1, 32) == "0.1"
    assert format_float(1e6, "g", -1, 32) == "1e+06"
    assert format_float(2.5, "g", -1, 32) == "2.5"


def test_go_yaml_v2_key_order():
    keys = ["a10", "a2", "a1", "b", "B", "_x", "-y", "1", "10", "9", "a01", "a0", "Z", "z"]
    assert sorted_yaml_keys(keys) == [
        "-y",
        "_x",
        "1",
        "9",
        "10",
        "B",
        "Z",
        "a0",
        "a1",
        "a01",
        "a2",
        "a10",
        "b",
        "z",
    ]
    assert sorted_yaml_keys(["a_b", "aB", "ab", "a-b", "a.b"]) == ["a-b", "a.b", "a_b", "aB", "ab"]
    assert sorted_yaml_keys(["é", "e", "z"]) == ["e", "z", "é"]
    # yaml.v3 puts a letter first after a shared digit
    assert sorted_yaml_keys(["a1-b", "a1B", "a1_b", "a1b"], v3=True) == ["a1B", "a1b", "a1-b", "a1_b"]
    assert sorted_yaml_keys(["a1-b", "a1B", "a1_b", "a1b"]) == ["a1-b", "a1_b", "a1B", "a1b"]


def test_load_values_numbers_are_floats_and_keys_strings():
    values = load_yaml_values("a: 1\nb: [1, two]\n1: x\ny: yy\n0.5: z\nc: {d: 0777}\n", "values.yaml")
    assert values == {"a": 1.0, "b": [1.0, "two"], "1": "x", "true": "yy", "0.5": "z", "c": {"d": 511.0}}
    assert all(type(v) is float for v in (values["a"], values["b"][0], values["c"]["d"]))


def test_load_values_empty_documents():
    assert load_yaml_values("", "v.yaml") == {}
    assert load_yaml_values("# just a comment\n", "v.yaml") == {}
    assert load_yaml_values("---\n", "v.yaml") == {}
    assert load_yaml_values("~", "v.yaml") == {}


def test_load_values_aliases_give_independent_copies():
    values = load_yaml_values("a: &x {b: [1]}\nc: *x\n", "v.yaml")
    assert values["a"] == values["c"]
    values["a"]["b"].append(2)
    assert values["c"] == {"b": [1.0]}


def test_load_values_syntax_error_has_helm_message_and_position():
    with pytest.raises(ValuesError) as info:
        load_yaml_values("a: 1\nb: c: d\n", "mychart/values.yaml")
    err = info.value
    assert (
        err.message
        == "error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context"
    )
    assert err.position == Position("mychart/values.yaml", 2, 5)
    with pytest.raises(ValuesError) as info:
        load_yaml_values("a:\n  b: 1\n c: 2\n", "v.yaml")
    # parser errors keep go-yaml's 0-based line in the text; the position is the real one
    assert info.value.message == "error converting YAML to JSON: yaml: line 2: did not find expected key"
    assert info.value.position.line == 3


def test_load_values_non_map_document():
    with pytest.raises(
        ValuesError, match=r"cannot unmarshal array into Go value of type map\[string\]interface \{\}$"
    ):
        load_yaml_values("- 1\n", "v.yaml")
    with pytest.raises(
        ValuesError, match=r"cannot unmarshal number into Go value of type chartutil\.Values$"
    ):
        load_yaml_values("42", "v.yaml", "chartutil.Values")


def test_load_values_rejects_infinity_and_control_characters():
    with pytest.raises(ValuesError) as info:
        load_yaml_values("a: .inf\n", "v.yaml")
    assert info.value.message == "error converting YAML to JSON: json: unsupported value: +Inf"
    with pytest.raises(ValuesError) as info:
        load_yaml_values("a: \x7f\n", "v.yaml")
    assert info.value.message == "error converting YAML to JSON: yaml: control characters are not allowed"


def test_billion_laughs_is_refused():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    with pytest.raises(LimitExceeded, match="document contains excessive aliasing"):
        load_yaml_values("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 5


def test_moderate_alias_reuse_is_fine():
    text = "base: &b {x: 1}\n" + "".join(f"k{i}: *b\n" for i in range(200))
    assert len(load_yaml_values(text, "v.yaml")) == 201


def test_deep_nesting_is_refused():
    with pytest.raises(LimitExceeded):
        load_yaml_values("a: " + "[" * 5000 + "]" * 5000, "deep.yaml")
    value = load_yaml_values("a: " + "[" * 50 + "]" * 50, "ok.yaml")["a"]
    for _ in range(49):
        assert len(value) == 1
        value = value[0]
    assert value == []


def test_values_file_helm4_merges_documents():
    text = "a: {x: 1}\nb: 1\n---\na: {w: 2}\n--- # comment\nc: 3\n"
    assert load_values_file(text, "v.yaml", 3) == {"a": {"x": 1.0}, "b": 1.0}
    assert load_values_file(text, "v.yaml", 4) == {"a": {"x": 1.0, "w": 2.0}, "b": 1.0, "c": 3.0}
    with pytest.raises(ValuesError) as info:
        load_values_file("a: 1\n---x\n", "v.yaml", 4)
    assert info.value.message == "error reading yaml document: invalid Yaml document separator: x"
    with pytest.raises(ValuesError) as info:
        load_values_file("a: b: c\n", "v.yaml", 4)
    assert info.value.message == (
        "cannot unmarshal yaml document: error converting YAML to JSON: yaml: "
        "mapping values are not allowed in this context"
    )


def test_split_yaml_reader_documents():
    assert split_yaml_reader_documents("a: 1\r\n---\r\nb: 2") == ["a: 1\n", "b: 2\n"]
    assert split_yaml_reader_documents("---\n---\n") == []


def test_yaml_unmarshal_targets():
    assert yaml_unmarshal("- 1\n- a", "[]interface {}") == [1.0, "a"]
    assert yaml_unmarshal("3", "interface {}") == 3.0
    assert yaml_unmarshal("", "map[string]interface {}") is None


def test_marshal_yaml_document_shape():
    assert marshal_yaml({"a": [1, {"b": None}], "c": {}}) == "a:\n- 1\n- b: null\nc: {}\n"
    assert marshal_yaml([[1, 2], []]) == "- - 1\n  - 2\n- []\n"
    assert marshal_yaml("x\ny\n") == "|\n  x\n  y\n"
    assert marshal_yaml({"k": " x\n"}) == "k: |2\n   x\n"
    assert marshal_yaml({"k": "a\n\n"}) == "k: |+\n  a\n\n"
    assert marshal_yaml({"k": "line \nnext"}) == 'k: "line \\nnext"\n'
    assert marshal_yaml(None) == "null\n"
    assert marshal_yaml_v3({"a": [1, 2]}) == "a:\n  - 1\n  - 2\n"


def test_marshal_yaml_long_keys_and_quotes():
    key = "k" * 129
    assert marshal_yaml({key: 1}) == f"? {key}\n: 1\n"
    assert marshal_yaml({"a": "it's: here"}) == "a: 'it''s: here'\n"
    assert marshal_yaml({"a": "\ufeffx"}) == 'a: "\\uFEFF\\x78"\n'
    assert marshal_yaml("😀") == '"\\U0001F600"\n'


def test_corpus_sized_values_load_quickly():
    text = "".join(
        f"# comment {i}\nkey{i}:\n  image: repo/app:{i}\n  list: [a, b, {{c: d}}]\n" for i in range(3000)
    )
    start = time.perf_counter()
    values = load_yaml_values(text, "big.yaml")
    assert len(values) == 3000
    assert time.perf_counter() - start < 3


def test_tabs_are_blanks_where_libyaml_allows_them():
    assert load_yaml_values("a: b\t# c\nd: e\tf\ng:\th\n", "v.yaml") == {"a": "b", "d": "e\tf", "g": "h"}
    with pytest.raises(ValuesError) as info:
        load_yaml_values("a: b\t\n\tc\n", "v.yaml")
    assert info.value.message == (
        "error converting YAML to JSON: yaml: line 2: found a tab character that violates indentation"
    )
    with pytest.raises(ValuesError) as info:
        load_yaml_values("a:\n\t- x\n", "v.yaml")
    assert info.value.message.endswith("yaml: line 2: found character that cannot start any token")


def test_anchor_names_are_libyaml_names():
    assert load_yaml_values("a: &x-1_y 1\nb: *x-1_y\n", "v.yaml") == {"a": 1.0, "b": 1.0}
    with pytest.raises(ValuesError) as info:
        load_yaml_values("a: &x.y 1\n", "v.yaml")
    assert info.value.message.endswith("yaml: did not find expected alphabetic or numeric character")


# Both syntax layers (libyaml through PyYAML's C extension, and the ruamel fallback) must give
# the same value or the same go-yaml message on these.
AGREED_INPUTS = [
    "a: 1\nb: [x, {c: d}]\n",
    "a: &x {b: 1}\nc: *x\n<<: *x\n",
    "k: |\n  line\n\n  more\nf: >-\n  folded\n  text\n",
    "k: 'it''s'\nd: \"tab\\tand \\u00e9\"\n",
    "? complex\n: value\n",
    "- a\n- - b\n  - c\n",
    "a: b: c\n",
    "a:\n  b: 1\n c: 2\n",
    "k: [a, b\n",
    "k: {a: 1\n",
    "a: 1\nb\nc: 2\n",
    'k: "unterminated\n',
    "k: @x\n",
    "a: *nope\n",
    "a: &x.y 1\n",
    "\ufeffa: 1\n",
    "a:\n\t- x\n",
    "a: b\t# c\nd: e\tf\n",
    "k: [a:b]\n",
    "---\na: 1\n---\nb: 2\n",
    "a: 1\n...\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
]


@pytest.mark.skipif(not yaml_parse._LIBYAML, reason="PyYAML without libyaml")
@pytest.mark.parametrize("text", AGREED_INPUTS)
def test_libyaml_and_ruamel_parsers_agree(text):
    def outcome(build):
        try:
            root = build(text)
        except YamlError as err:
            return err.message
        return yaml_decode._Decoder().unmarshal(root) if root is not None else None

    assert outcome(yaml_parse._build_tree_libyaml) == outcome(parse_ruamel.build_tree)


# Where libyaml 0.2.5+ and go-yaml v2 part ways; expectations from Helm v3.17.3 / v4.1.4 fromYaml.
@pytest.mark.skipif(not yaml_parse._LIBYAML, reason="the ruamel fallback is less exact")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("k: [a?b]", "yaml: did not find expected ',' or ']'"),  # `?` ends a flow plain scalar
        ("k: {a:,}", {"k": {"a:": None}}),  # libyaml: "found unexpected ':'"
        ("k: !a,b", {"k": ""}),  # the tag is `!a,b`
        ("a: 1\n\ufeffb: 2", {"a": 1.0, "\ufeffb": 2.0}),  # a later BOM is content
        ("%YAML 1.2\n---\nk: 1", "yaml: found incompatible YAML document"),
        ("# c\n%YAML 1.2\n---\nk: 1", "yaml: line 1: found incompatible YAML document"),
        ("!WARNING! text", "yaml: did not find expected tag URI"),
        ("a: 1\nb\n\n  ", "yaml: line 4: could not find expected ':'"),
        ("a: 1\nb\n# note\nc: 2", "yaml: line 3: could not find expected ':'"),
        ("a:\n  b: 1\n  c\n    d\ne: 1", "yaml: line 5: could not find expected ':'"),
        ("k: |-\n*x\n\n    ", "yaml: line 5: could not find expected ':'"),
        ("k: \t\na\n  yes", "yaml: line 3: could not find expected ':'"),
        ("a: 'x\n  y'\nb\n", "yaml: line 4: could not find expected ':'"),
        ("a: 1\n'x\n  y'\n\n  #c\n", "yaml: line 3: could not find expected ':'"),  # quoted key's end
        ("a: 1\nb\n  # c\nd", "yaml: line 3: could not find expected ':'"),  # a plain key stops at `#`
        ("a: \udcff\n", "yaml: invalid leading UTF-8 octet"),  # byte 0xFF kept by surrogateescape
    ],
)
def test_go_yaml_v2_where_libyaml_differs(text, expected):
    try:
        value = yaml_unmarshal(text, "map[string]interface {}")
    except YamlError as err:
        assert err.message == "error converting YAML to JSON: " + expected
    else:
        assert value == expected


def test_libyaml_scan_ahead_depth_limit_is_ours():
    with pytest.raises(LimitExceeded, match="nesting deeper than 400 levels"):
        load_yaml_values("a: " + "[" * 1200 + "]" * 1200, "deep.yaml")


@pytest.mark.parametrize(
    ("text", "libyaml"),
    [
        ("a: !x,y\n", False),  # a tag holding a flow character: go-yaml takes it in, libyaml ends there
        ("!x[1]\n", False),  # at the very start
        ("a: [!t, b]\n", False),
        ("a: b!c,d\n", True),  # `!` after a URI character starts no tag
        ("a: x != y, z\n", True),
        ("a: '!x,'\n", False),  # inside quotes: merely the slower parser
        ("a: !!str x\n", True),
    ],
)
def test_texts_libyaml_would_read_otherwise_are_found(text, libyaml):
    from chartfix.go.yaml.parse import _libyaml_reads_like_go_yaml

    assert _libyaml_reads_like_go_yaml(text) is libyaml
