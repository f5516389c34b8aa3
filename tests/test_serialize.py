"""Template serialisation functions. Expected strings were produced by real `helm template`
(v3.17.3 and v4.1.4 agree unless a test says otherwise) on values holding the same inputs."""

import math

import pytest

from chartfix.go.types import GoFuncError, GoPanic, GoStruct
from chartfix.helm import serialize as S

# (value as Helm's values loader hands it over, toYaml output)
TO_YAML_CASES = [
    (
        {"a": 1.0, "b": [1.0, 2.0], "c": {"d": None, "e": True}},
        "a: 1\nb:\n- 1\n- 2\nc:\n  d: null\n  e: true",
    ),
    ("true", '"true"'),
    ("1.0", '"1.0"'),
    ("0777", '"0777"'),
    ("yes", '"yes"'),
    ("~", '"~"'),
    ("", '""'),
    ("a: b", "'a: b'"),
    ("#x", "'#x'"),
    ("- a", "'- a'"),
    ("-", "'-'"),
    ("x #y", "'x #y'"),
    ("x# y", "x# y"),
    (" lead", "' lead'"),
    ("trail ", "'trail '"),
    ("null", '"null"'),
    ("y", '"y"'),
    ("off", '"off"'),
    ("2024-01-15", '"2024-01-15"'),
    ("2024-01-15T10:00:00Z", '"2024-01-15T10:00:00Z"'),
    ("12:30", '"12:30"'),
    ("1_000", '"1_000"'),
    ("0x1F", '"0x1F"'),
    ("0b101", '"0b101"'),
    ("08", '"08"'),
    ("+1", '"+1"'),
    (".5", '".5"'),
    ("1e3", '"1e3"'),
    (".inf", '".inf"'),
    ("<<", "<<"),
    ("...", "'...'"),
    ("---", "'---'"),
    ("multi\nline", "|-\n  multi\n  line"),
    ("multi\nline\n", "|\n  multi\n  line"),
    ("multi\nline\n\n", "|+\n  multi\n  line\n"),
    (" lead\nline", "|2-\n   lead\n  line"),
    ("trail \nline", '"trail \\nline"'),
    ("tab\there", '"tab\\there"'),
    ("tab\nin\tline", '"tab\\nin\\tline"'),
    ("\nstart", "|2-\n\n  start"),
    ("\n", "|2+\n"),
    (
        "word word word word word word word word word word word word word word word word word word word word word word word word",
        "word word word word word word word word word word word word word word word word word\n  word word word word word word word",
    ),
    (
        "k: word word word word word word word word word word word word word word word word word word word word word word word word ",
        "'k: word word word word word word word word word word word word word word word word\n  word word word word word word word word '",
    ),
    ("it's", "it's"),
    ('say "hi"', 'say "hi"'),
    ("back\\slash", "back\\slash"),
    ("emoji 😀", '"emoji \\U0001F600"'),
    ("é ü ñ", "é ü ñ"),
    ("\u2028x", "'\u2028  x'"),
    ("\x7f", ""),
    (1000000.0, "1000000"),
    (1.5, "1.5"),
    (1e-06, "1e-06"),
    (1e21, "1e+21"),
    (1e20, "1e+20"),
    (123456789.5, "1.234567895e+08"),
    (-0.0, "0"),
    (1e-07, "1e-07"),
    (3.0, "3"),
    (100000.0, "100000"),
    (0.0001, "0.0001"),
    (
        {
            "a10": 1.0,
            "a2": 2.0,
            "a1": 3.0,
            "b": 4.0,
            "B": 5.0,
            "_x": 6.0,
            "-y": 7.0,
            "1": 8.0,
            "10": 9.0,
            "9": 10.0,
            "a01": 11.0,
            "a0": 12.0,
            "Z": 13.0,
            "z": 14.0,
        },
        '-y: 7\n_x: 6\n"1": 8\n"9": 10\n"10": 9\nB: 5\nZ: 13\na0: 12\na1: 3\na01: 11\na2: 2\na10: 1\nb: 4\nz: 14',
    ),
    (
        {
            "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": 1.0,
            "short": 2.0,
        },
        "? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n: 1\nshort: 2",
    ),
    ({"multi\nkey": 1.0}, "? |-\n  multi\n  key\n: 1"),
    ({"": 1.0}, '"": 1'),
    ([], "[]"),
    ({}, "{}"),
    ([[]], "- []"),
    ([{}], "- {}"),
    ({"a": []}, "a: []"),
    ({"a": {}}, "a: {}"),
    ([[1.0, 2.0], [3.0]], "- - 1\n  - 2\n- - 3"),
    ([{"a": 1.0, "b": 2.0}], "- a: 1\n  b: 2"),
    ({"a": [{"b": [1.0]}]}, "a:\n- b:\n  - 1"),
    (
        {
            "a": {
                "b": {
                    "c": "long text long text long text long text long text long text long text long text long text long text"
                }
            }
        },
        "a:\n  b:\n    c: long text long text long text long text long text long text long text long\n      text long text long text",
    ),
    ({"a": ["x", {"y": "z"}], "b": "two\nlines"}, 'a:\n- x\n- "y": z\nb: |-\n  two\n  lines'),
    ("a  b", "a  b"),
    ("a \n b", '"a \\n b"'),
    ("line1\n  indented\nline3", "|-\n  line1\n    indented\n  line3"),
    ("x:y", "x:y"),
    ("?x", "?x"),
    ("[x]", "'[x]'"),
    ("{x}", "'{x}'"),
    ("a,b", "a,b"),
    ("@x", "'@x'"),
    ("`x", "'`x'"),
    ("%x", "'%x'"),
    ("!x", "'!x'"),
    ("&x", "'&x'"),
    ("*x", "'*x'"),
    ("|x", "'|x'"),
    (">x", "'>x'"),
    ("'x", "'''x'"),
    ('"x', "'\"x'"),
]


@pytest.mark.parametrize(("value", "expected"), TO_YAML_CASES)
def test_to_yaml_matches_helm(value, expected):
    assert S.to_yaml(value) == expected


TO_YAML_PRETTY_CASES = [
    ({"a": [1.0, {"b": [2.0, 3.0]}], "c": [[1.0]]}, "a:\n  - 1\n  - b:\n      - 2\n      - 3\nc:\n  - - 1"),
    (1000000.0, "1e+06"),
    (1.5, "1.5"),
    (
        {"x": "tab\tin value", "y": "multi\nline\twith tab"},
        'x: "tab\\tin value"\n"y": |-\n  multi\n  line\twith tab',
    ),
    (
        "word word word word word word word word word word word word word word word word word word word word word word word word",
        "word word word word word word word word word word word word word word word word word word word word word word word word",
    ),
    ({"a1b": 1.0, "a1-b": 2.0, "a1_b": 3.0, "a1B": 4.0}, "a1B: 4\na1b: 1\na1-b: 2\na1_b: 3"),
    ("yes", '"yes"'),
    ("\nstart", "|2-\n\n  start"),
    ([], "[]"),
    ({}, "{}"),
]


@pytest.mark.parametrize(("value", "expected"), TO_YAML_PRETTY_CASES)
def test_to_yaml_pretty_matches_helm(value, expected):
    assert S.to_yaml_pretty(value) == expected


TO_JSON_CASES = [
    (
        {"a": 1.0, "b": [1.0, 2.5, "x<y>&z"], "c": {"d": None, "e": True}},
        '{"a":1,"b":[1,2.5,"x\\u003cy\\u003e\\u0026z"],"c":{"d":null,"e":true}}',
    ),
    ("x\u2028y", '"x\\u2028y"'),
    (1e21, "1e+21"),
    (1e-07, "1e-7"),
    (1e-06, "0.000001"),
    (123456789.0, "123456789"),
    (-0.0, "-0"),
    (1e20, "100000000000000000000"),
    ([], "[]"),
    ({}, "{}"),
    ([[]], "[[]]"),
    ("\t\n\r\x08\x0c\x01", '"\\t\\n\\r\\b\\f\\u0001"'),
    ({"z": 1.0, "a": {"b": []}}, '{"a":{"b":[]},"z":1}'),
    ("😀", '"😀"'),
    (0.1, "0.1"),
    (1000000.0, "1000000"),
]


@pytest.mark.parametrize(("value", "expected"), TO_JSON_CASES)
def test_to_json_matches_helm(value, expected):
    assert S.to_json(value) == expected


TO_PRETTY_JSON_CASES = [
    (
        {"a": 1.0, "b": [1.0, 2.5, "x<y>&z"], "c": {"d": None, "e": True}},
        '{\n  "a": 1,\n  "b": [\n    1,\n    2.5,\n    "x\\u003cy\\u003e\\u0026z"\n  ],\n  "c": {\n    "d": null,\n    "e": true\n  }\n}',
    ),
    ("x\u2028y", '"x\\u2028y"'),
    (1e21, "1e+21"),
    (1e-07, "1e-7"),
    (1e-06, "0.000001"),
    (123456789.0, "123456789"),
    (-0.0, "-0"),
    (1e20, "100000000000000000000"),
    ([], "[]"),
    ({}, "{}"),
    ([[]], "[\n  []\n]"),
    ("\t\n\r\x08\x0c\x01", '"\\t\\n\\r\\b\\f\\u0001"'),
    ({"z": 1.0, "a": {"b": []}}, '{\n  "a": {\n    "b": []\n  },\n  "z": 1\n}'),
    ("😀", '"😀"'),
    (0.1, "0.1"),
    (1000000.0, "1000000"),
]


@pytest.mark.parametrize(("value", "expected"), TO_PRETTY_JSON_CASES)
def test_to_pretty_json_matches_helm(value, expected):
    assert S.to_pretty_json(value) == expected


TO_RAW_JSON_CASES = [
    (
        {"a": 1.0, "b": [1.0, 2.5, "x<y>&z"], "c": {"d": None, "e": True}},
        '{"a":1,"b":[1,2.5,"x<y>&z"],"c":{"d":null,"e":true}}',
    ),
    ("x\u2028y", '"x\\u2028y"'),
    (1e21, "1e+21"),
    (1e-07, "1e-7"),
    (1e-06, "0.000001"),
    (123456789.0, "123456789"),
    (-0.0, "-0"),
    (1e20, "100000000000000000000"),
    ([], "[]"),
    ({}, "{}"),
    ([[]], "[[]]"),
    ("\t\n\r\x08\x0c\x01", '"\\t\\n\\r\\b\\f\\u0001"'),
    ({"z": 1.0, "a": {"b": []}}, '{"a":{"b":[]},"z":1}'),
    ("😀", '"😀"'),
    (0.1, "0.1"),
    (1000000.0, "1000000"),
]


@pytest.mark.parametrize(("value", "expected"), TO_RAW_JSON_CASES)
def test_to_raw_json_matches_helm(value, expected):
    assert S.to_raw_json(value) == expected


def test_long_plain_strings_fold_at_80_columns():
    text = "word " * 30
    out = S.to_yaml({"key": text.strip()})
    first, second = out.split("\n")
    assert first == "key: " + " ".join(["word"] * 16)
    assert second == "  " + " ".join(["word"] * 14)


def test_ints_and_int64_survive_json_round_trip():
    assert S.to_yaml({"num": 3, "big": 2**62}) == "big: 4611686018427387904\nnum: 3"
    # `n` and `y` are YAML 1.1 booleans, so go-yaml quotes them as keys too
    assert S.to_yaml({"n": 1, "y": 2}) == '"n": 1\n"y": 2'
    assert S.to_json([3, 2**62]) == "[3,4611686018427387904]"


def test_bytes_are_base64():
    assert S.to_json(b"hi") == '"aGk="'
    assert S.to_yaml(b"hi") == "aGk="


def test_nan_and_inf_swallowed_or_reported_per_function():
    for bad in (math.nan, math.inf, -math.inf):
        assert S.to_json({"a": bad}) == ""
        assert S.to_yaml({"a": bad}) == ""
        assert S.to_pretty_json(bad) == ""
    # toYamlPretty goes through yaml.v3 directly: no JSON step, no error
    assert S.to_yaml_pretty({"a": math.nan, "b": -math.inf}) == "a: .nan\nb: -.inf"
    with pytest.raises(GoFuncError, match=r"^json: unsupported value: NaN$"):
        S.must_to_json(math.nan)
    with pytest.raises(GoPanic, match=r"^json: unsupported value: \+Inf$"):
        S.to_raw_json(math.inf)
    with pytest.raises(GoPanic, match=r"^error marshaling into JSON: json: unsupported value: -Inf$"):
        S.must_to_yaml(-math.inf)


def test_unreadable_control_characters_make_to_yaml_empty():
    # encoding/json leaves U+007F raw; go-yaml's reader then rejects the JSON text.
    assert S.to_yaml({"a": "x\x7fy"}) == ""
    assert S.to_json("x\x7fy") == '"x\x7fy"'


def test_versions_differ_in_must_functions_and_toml_floats():
    v3, v4 = S.SERIALIZE_FUNCS_HELM3, S.SERIALIZE_FUNCS_HELM4
    assert "mustToYaml" not in v3 and "mustToYaml" in v4
    assert v3["mustToJson"].signature.returns_error
    assert not v4["mustToJson"].signature.returns_error
    assert v3["toToml"].impl({"l": 1e6}) == "l = 1000000.0\n"
    assert v4["toToml"].impl({"l": 1e6}) == "l = 1e+06\n"
    assert S.SERIALIZE_FUNCS is v4
    expected = {
        "toYaml",
        "toYamlPretty",
        "mustToYaml",
        "fromYaml",
        "fromYamlArray",
        "toJson",
        "mustToJson",
        "fromJson",
        "fromJsonArray",
        "mustFromJson",
        "toPrettyJson",
        "mustToPrettyJson",
        "toRawJson",
        "mustToRawJson",
        "toToml",
        "fromToml",
    }
    assert set(v4) == expected
    assert all(f.name == name for name, f in v4.items())


TO_TOML_V3_CASES = [
    (
        {
            "a": 1.0,
            "b": "x",
            "c": {"d": 2.0, "e": {"f": [1.0, 2.0]}},
            "g": [{"h": 1.0}, {"h": 2.0}],
            "i": [],
            "j": True,
            "k": 1.5,
            "l": 1000000.0,
            "m": None,
        },
        'a = 1.0\nb = "x"\ni = []\nj = true\nk = 1.5\nl = 1000000.0\n\n[c]\n  d = 2.0\n  [c.e]\n    f = [1.0, 2.0]\n\n[[g]]\n  h = 1.0\n\n[[g]]\n  h = 2.0\n',
    ),
    ({"a b": 1.0, "": 2.0, "x.y": {'q"': 1.0}}, '"" = 2.0\n"a b" = 1.0\n\n["x.y"]\n  "q\\"" = 1.0\n'),
    ([1.0, 2.0], "[1.0, 2.0]"),
    ("str", '"str"'),
    ({"a": [1.0, None]}, "toml: cannot encode array with nil element"),
    ({"a": [{"b": 1.0}, 2.0]}, "a = [{b = 1.0}, 2.0]\n"),
    ({"a": 1e21, "b": 1e-07, "c": 0.1}, "a = 1000000000000000000000.0\nb = 0.0000001\nc = 0.1\n"),
    ({"a": 'tab\there\x7f\x01 "q" \\'}, 'a = "tab\\there\\u007f\\u0001 \\"q\\" \\\\"\n'),
]


@pytest.mark.parametrize(("value", "expected"), TO_TOML_V3_CASES)
def test_to_toml_matches_helm3(value, expected):
    assert S.SERIALIZE_FUNCS_HELM3["toToml"].impl(value) == expected


def test_to_toml_helm4_uses_shortest_g_floats():
    to_toml = S.SERIALIZE_FUNCS_HELM4["toToml"].impl
    assert to_toml({"a": 1e21, "b": 1e-07, "c": 0.1}) == "a = 1e+21\nb = 1e-07\nc = 0.1\n"


FROM_YAML_CASES = [
    ("a: 1", {"a": 1.0}),
    (
        "a: yes\nb: no\nc: on\nd: off\ne: y\nf: ~\ng: null\nh:\n",
        {"a": True, "b": False, "c": True, "d": False, "e": True, "f": None, "g": None, "h": None},
    ),
    (
        "a: 0777\nb: 0x1F\nc: 1_000\nd: 1e3\ne: .5\nf: 08\ng: 0o17\nh: 0b101\ni: -0b11\nj: +12",
        {
            "a": 511.0,
            "b": 31.0,
            "c": 1000.0,
            "d": 1000.0,
            "e": 0.5,
            "f": 8.0,
            "g": 15.0,
            "h": 5.0,
            "i": -3.0,
            "j": 12.0,
        },
    ),
    (
        "a: 2024-01-15\nb: 2024-01-15T10:00:00Z\nc: 12:30:00",
        {"a": "2024-01-15", "b": "2024-01-15T10:00:00Z", "c": "12:30:00"},
    ),
    (
        "1: a\n2.5: b\ntrue: c\nyes: d\n0.1: e\n3.14159265358979: f\n1e3: g\n-0: h",
        {"1": "a", "2.5": "b", "true": "d", "0.1": "e", "3.1415927": "f", "1000": "g", "0": "h"},
    ),
    (
        "a: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2",
        {"a": {"b": 1.0}, "c": {"b": 1.0}, "d": {"b": 1.0, "e": 2.0}},
    ),
    # go-yaml v2 merges in document order: a key before `<<` is overwritten by the merged map
    (
        "base: &b {x: 1, w: 2}\nm:\n  x: 0\n  <<: *b\n  z: 3",
        {"base": {"x": 1.0, "w": 2.0}, "m": {"x": 1.0, "w": 2.0, "z": 3.0}},
    ),
    ("m:\n  <<: [{a: 1}, {a: 2, b: 3}]", {"m": {"a": 1.0, "b": 3.0}}),
    ("a: 1\na: 2", {"a": 2.0}),
    ("", {}),
    ("# only comment", {}),
    ("---\na: 1\n---\nb: 2", {"a": 1.0}),
    (
        'a: !!binary aGVsbG8=\nb: !!str 123\nc: !!int "42"\nd: !!float 3',
        {"a": "hello", "b": "123", "c": 42.0, "d": 3.0},
    ),
    ("a: 12345678901234567890", {"a": 12345678901234567890.0}),
    ("a: |\n  line1\n  line2\nb: >\n  folded\n  text\n", {"a": "line1\nline2\n", "b": "folded text\n"}),
    ("x: a\n  b\n", {"x": "a b"}),
    ("x: !custom foo", {"x": "foo"}),
    # errors go into the "Error" key, with go-yaml's (libyaml's) wording and line numbers
    (
        "- 1\n- 2",
        {
            "Error": "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
        },
    ),
    (
        "just a string",
        {
            "Error": "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}"
        },
    ),
    (
        "a: b: c",
        {"Error": "error converting YAML to JSON: yaml: mapping values are not allowed in this context"},
    ),
    ("a:\n  - b\n c: d", {"Error": "error converting YAML to JSON: yaml: line 2: did not find expected key"}),
    ("a: [1, 2", {"Error": "error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"}),
    ("a: 'unterminated", {"Error": "error converting YAML to JSON: yaml: found unexpected end of stream"}),
    ('a: "x\\qy"', {"Error": "error converting YAML to JSON: yaml: found unknown escape character"}),
    ("\ta: 1", {"Error": "error converting YAML to JSON: yaml: found character that cannot start any token"}),
    (
        "a:\n\tb: 1",
        {"Error": "error converting YAML to JSON: yaml: line 2: found character that cannot start any token"},
    ),
    ("a: !!int abc", {"Error": "error converting YAML to JSON: yaml: cannot decode !!str `abc` as a !!int"}),
    ("a: .inf", {"Error": "error converting YAML to JSON: json: unsupported value: +Inf"}),
    ("a: *unknown", {"Error": "error converting YAML to JSON: yaml: unknown anchor 'unknown' referenced"}),
    ("? [a]\n: 1", {"Error": 'error converting YAML to JSON: yaml: invalid map key: []interface {}{"a"}'}),
    (
        "~: a",
        {
            "Error": 'error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "a"'
        },
    ),
    (
        "x: -",
        {
            "Error": "error converting YAML to JSON: yaml: block sequence entries are not allowed in this context"
        },
    ),
    (
        "- a\nb: c",
        {"Error": "error converting YAML to JSON: yaml: line 1: did not find expected '-' indicator"},
    ),
    (
        "a:\n  - b\n  -c",
        {"Error": "error converting YAML to JSON: yaml: line 4: could not find expected ':'"},
    ),
    ("a: &a [*a]", {"Error": "error converting YAML to JSON: yaml: anchor 'a' value contains itself"}),
    ('x: "\\x"', {"Error": "error converting YAML to JSON: yaml: did not find expected hexdecimal number"}),
]


@pytest.mark.parametrize(("text", "expected"), FROM_YAML_CASES)
def test_from_yaml_matches_helm(text, expected):
    assert S.from_yaml(text) == expected


def test_from_yaml_array():
    assert S.from_yaml_array("- a\n- b: 1") == ["a", {"b": 1.0}]
    assert S.from_yaml_array("") == []
    assert S.from_yaml_array("a: 1") == [
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}"
    ]


FROM_JSON_ERRORS = [
    ("", "unexpected end of JSON input"),
    ("{", "unexpected end of JSON input"),
    ('{"a": 1 "b"}', "invalid character '\"' after object key:value pair"),
    ("{a: 1}", "invalid character 'a' looking for beginning of object key string"),
    ('{"a" 1}', "invalid character '1' after object key"),
    ("[1 2]", "invalid character '2' after array element"),
    ('{"a": tru}', "invalid character '}' in literal true (expecting 'e')"),
    ('{"a": -}', "invalid character '}' in numeric literal"),
    ('{"a": 01}', "invalid character '1' after object key:value pair"),
    ('{"a": 1.}', "invalid character '}' after decimal point in numeric literal"),
    ('{"a": 1e}', "invalid character '}' in exponent of numeric literal"),
    ('{"a": "\\q"}', "invalid character 'q' in string escape code"),
    ('{"a": "\\u12G4"}', "invalid character 'G' in \\u hexadecimal character escape"),
    ('{"a": "x\ny"}', "invalid character '\\n' in string literal"),
    ('{"a": 1} x', "invalid character 'x' after top-level value"),
    ('{"a": NaN}', "invalid character 'N' looking for beginning of value"),
    ("{'a': 1}", "invalid character '\\'' looking for beginning of object key string"),
    ("[1]", "json: cannot unmarshal array into Go value of type map[string]interface {}"),
    ('"x"', "json: cannot unmarshal string into Go value of type map[string]interface {}"),
]


@pytest.mark.parametrize(("text", "message"), FROM_JSON_ERRORS)
def test_from_json_errors_match_go(text, message):
    assert S.from_json(text) == {"Error": message}


def test_from_json_values_and_partial_results():
    assert S.from_json('{"a": [1, {"b": null}], "a2": -0}') == {"a": [1.0, {"b": None}], "a2": -0.0}
    assert S.from_json('{"a": 1, "a": 2}') == {"a": 2.0}
    # Go keeps decoding after a number float64 cannot hold, storing nil for it
    assert S.from_json('{"a": 1e400}') == {
        "a": None,
        "Error": "json: cannot unmarshal number 1e400 into Go value of type float64",
    }
    assert S.from_json_array("[1, 2]") == [1.0, 2.0]
    assert S.from_json_array('{"a": 1e400}') == [
        "json: cannot unmarshal object into Go value of type []interface {}"
    ]
    assert S.must_from_json('"x"') == "x"
    assert S.must_from_json("null") is None
    with pytest.raises(GoFuncError, match="^unexpected end of JSON input$"):
        S.must_from_json("{")


def test_from_toml():
    assert S.from_toml('a = 1\nb = "x"\n[c]\nd = 1.5\ne = [1, 2]\n[[f]]\ng = true') == {
        "a": 1,
        "b": "x",
        "c": {"d": 1.5, "e": [1, 2]},
        "f": [{"g": True}],
    }
    assert S.from_toml("x = 1979-05-27T07:32:00Z\ny = 1979-05-27") == {
        "x": "1979-05-27T07:32:00Z",
        "y": "1979-05-27T00:00:00Z",
    }
    assert set(S.from_toml("a = ")) == {"Error"}
    assert S.from_toml("a = ")["Error"].startswith("toml: line ")


class _Meta(GoStruct):
    go_type = "*chart.Metadata"

    def go_fields(self):
        return {"Name": "demo", "Version": "1.0.0", "Keywords": None}

    def go_json(self):
        return {"name": "demo", "version": "1.0.0"}


def test_structs_use_their_json_form_in_declaration_order():
    assert S.to_json(_Meta()) == '{"name":"demo","version":"1.0.0"}'
    assert S.to_yaml({"chart": _Meta()}) == "chart:\n  name: demo\n  version: 1.0.0"


def test_unsupported_values():
    assert S.to_json(lambda: 1) == ""
    with pytest.raises(GoFuncError, match="^json: unsupported type: "):
        S.must_to_json({"f": print})


def test_nel_is_a_line_break_when_go_yaml_rereads_the_json():
    # encoding/json leaves U+0085 raw; go-yaml folds it like a line break in a quoted scalar.
    assert S.to_yaml("0.5,\x85word} ") == "'0.5, word} '"
    assert S.to_yaml("-?\x85%") == "-? %"
    assert S.to_yaml("a\x85\x85 \x85b") == "|-\n  a\n\n  b"
    assert S.to_yaml(["x\x85..."]) == "- x ..."
    # a key broken over two lines no longer parses, and neither does a document marker
    assert S.to_yaml({"a\x85b": 1}) == ""
    assert S.to_yaml(["x\x85--- y"]) == ""
    assert S.to_json("a\x85b") == '"a\x85b"'
