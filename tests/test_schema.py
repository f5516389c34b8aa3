"""values.schema.json validation; expected texts are `helm template` 3.17.3 / 4.1.4 output (the Go
validators range over maps, so where Helm's order is random we compare sorted lines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartfix.errors import ValuesError
from chartfix.helm.loader import load_chart
from chartfix.helm.values import prepare_chart_values

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "required": ["name", "image"],
    "additionalProperties": False,
    "properties": {
        "replicas": {"type": "integer", "minimum": 1},
        "name": {"type": "string"},
        "mode": {"enum": ["a", "b"]},
        "image": {
            "type": "object",
            "properties": {
                "tag": {"type": "string", "pattern": "^v"},
                "pull": {"type": ["string", "null"], "maxLength": 3},
            },
        },
        "sub": {"type": "object"},
    },
}
SUB_SCHEMA = {"type": "object", "properties": {"port": {"type": "integer", "maximum": 1000}}}
VALUES = "replicas: 0\nmode: c\nimage:\n  tag: x1\n  pull: Always\nextra: 1\nsub:\n  port: 5000\n"

HELM3 = """values don't meet the specifications of the schema(s) in the following chart(s):
sch:
- (root): name is required
- (root): Additional property extra is not allowed
- replicas: Must be greater than or equal to 1
- mode: mode must be one of the following: "a", "b"
- image.pull: String length must be less than or equal to 3
- image.tag: Does not match pattern '^v'
sub:
- port: Must be less than or equal to 1000
"""

HELM4 = """values don't meet the specifications of the schema(s) in the following chart(s):
sch:
- at '': missing property 'name'
- at '/replicas': minimum: got 0, want 1
- at '/image': validation failed
  - at '/image/tag': 'x1' does not match pattern '^v'
  - at '/image/pull': maxLength: got 6, want 3
- at '/mode': value must be one of 'a', 'b'
- at '': additional properties 'extra' not allowed
sub:
- at '/port': maximum: got 5,000, want 1,000
"""


def _schema_chart(root: Path, values: str = VALUES, schema: dict = SCHEMA) -> Path:
    (root / "charts" / "sub").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: sch\nversion: 0.1.0\n")
    (root / "values.yaml").write_text(values)
    (root / "values.schema.json").write_text(json.dumps(schema))
    (root / "charts" / "sub" / "Chart.yaml").write_text("apiVersion: v2\nname: sub\nversion: 0.1.0\n")
    (root / "charts" / "sub" / "values.schema.json").write_text(json.dumps(SUB_SCHEMA))
    return root


def _error(root: Path, helm_major: int, user: dict | None = None) -> str:
    chart = load_chart(root, helm_major=helm_major)
    with pytest.raises(ValuesError) as info:
        prepare_chart_values(chart, user or {}, helm_major=helm_major)
    return info.value.message


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """Per chart: (header line, sorted top-level entries with their nested lines)."""
    blocks: list[tuple[str, list[str]]] = []
    for line in text.splitlines()[1:]:
        if not line.startswith((" ", "-")):
            blocks.append((line, []))
        elif line.startswith("-"):
            blocks[-1][1].append(line)
        else:
            blocks[-1][1][-1] += "\n" + line
    return [(head, sorted(entries)) for head, entries in blocks]


def test_helm3_message(tmp_path):
    message = _error(_schema_chart(tmp_path), 3)
    assert message.startswith(HELM3.splitlines()[0] + "\n")
    assert message.endswith("\n")
    assert _blocks(message) == _blocks(HELM3)


def test_helm4_message(tmp_path):
    message = _error(_schema_chart(tmp_path), 4)
    assert message.endswith("\n")
    got = _blocks(message)
    want = _blocks(HELM4)
    # nested lines inside the /image group may come in either order too
    normalise = [(h, sorted("\n".join(sorted(e.split("\n"))) for e in entries)) for h, entries in got]
    expected = [(h, sorted("\n".join(sorted(e.split("\n"))) for e in entries)) for h, entries in want]
    assert normalise == expected


def test_valid_values_pass_and_user_values_are_validated(tmp_path):
    root = _schema_chart(tmp_path, values="name: x\nimage: {tag: v1}\n")
    chart = load_chart(root)
    values = prepare_chart_values(chart, {})
    assert values["name"] == "x"
    message = _error(root, 4, {"replicas": "three"})
    assert "- at '/replicas': got string, want integer" in message
    message3 = _error(root, 3, {"replicas": 1.5})
    assert "- replicas: Invalid type. Expected: integer, given: number" in message3


def test_required_and_combinators(tmp_path):
    schema = {
        "type": "object",
        "required": ["a", "b"],
        "properties": {
            "any": {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 5}]},
            "arr": {"type": "array", "items": {"type": "string"}, "minItems": 3},
        },
    }
    root = _schema_chart(tmp_path, values="any: 2\narr: [a, 1]\n", schema=schema)
    assert _error(root, 3).splitlines()[2:] == [
        "- (root): a is required",
        "- (root): b is required",
        "- any: Must validate at least one schema (anyOf)",
        "- any: Must be greater than or equal to 5",
        "- arr: Array must have at least 3 items",
        "- arr.1: Invalid type. Expected: string, given: integer",
    ]
    assert _error(root, 4).splitlines()[2:] == [
        "- at '': missing properties 'a', 'b'",
        "- at '/any': 'anyOf' failed",
        "  - at '/any': got number, want string",
        "  - at '/any': minimum: got 2, want 5",
        "- at '/arr': validation failed",
        "  - at '/arr': minItems: got 2, want 3",
        "  - at '/arr/1': got number, want string",
    ]


def test_subchart_values_not_a_map(tmp_path):
    from chartfix.helm.schema import validate_against_schema

    chart = load_chart(_schema_chart(tmp_path))
    with pytest.raises(ValuesError) as info:
        validate_against_schema(chart, {"name": "x", "image": {}, "sub": "oops"}, helm_major=4)
    assert info.value.message.endswith("sub:\ninvalid type for values: expected object (map), got string\n")
    validate_against_schema(chart, {"name": "x", "image": {}}, helm_major=4)  # absent: skipped


def test_invalid_schema_json(tmp_path):
    root = _schema_chart(tmp_path, values="name: x\nimage: {tag: v1}\n")
    (root / "values.schema.json").write_text("{not json")
    message = _error(root, 4)
    assert message.startswith("values don't meet the specifications of the schema(s)")
    assert "sch:\n" in message


def test_kept_reports_tell_values_apart_by_type_and_content():
    """Validation results are kept per values: values that only look equal to Python (True == 1,
    1 == 1.0) or that were changed in place since must be validated afresh."""
    from chartfix.helm.schema_check import validate_single

    schema = json.dumps({"type": "object", "properties": {"n": {"type": "integer"}}}).encode()
    values: dict = {"n": 1}
    assert validate_single(values, schema, 4) == ""
    assert "got boolean, want integer" in validate_single({"n": True}, schema, 4)
    assert "got number, want integer" in validate_single({"n": 1.5}, schema, 4)
    assert validate_single({"n": 1}, schema, 4) == ""
    values["n"] = "one"  # the same dict, changed
    assert "got string, want integer" in validate_single(values, schema, 4)
    assert "Invalid type. Expected: integer, given: string" in validate_single(values, schema, 3)
