"""Reading a values file as Helm does: chartutil.ReadValues (Helm 3, the first YAML document) and
Helm 4's loader.LoadValues (every `---` document, deep-merged in order)."""

from __future__ import annotations

from typing import Any

from chartfix.errors import LimitExceeded, Position, ValuesError
from chartfix.go.yaml.decode import split_yaml_reader_documents, yaml_unmarshal
from chartfix.go.yaml.errors import YamlError


def load_yaml_values(text: str, filename: str, go_type: str = "map[string]interface {}") -> dict[str, Any]:
    """sigs.k8s.io/yaml.Unmarshal of one values document into a map, as Helm's ReadValues and
    Helm 3's `-f` / chart values.yaml loading do: a dict of JSON-like data (numbers are floats);
    an empty or null document gives {}.

    `go_type` names the Go map type in type-mismatch messages ("chartutil.Values" for
    chartutil.ReadValues in Helm 3, "common.Values" in Helm 4). Raises ValuesError, or
    LimitExceeded for alias bombs and absurd nesting.
    """
    try:
        value = yaml_unmarshal(text, go_type)
    except YamlError as err:
        position = Position(filename, err.line, err.column)
        if err.limit:
            raise LimitExceeded(err.message, position) from None
        raise ValuesError(err.message, position) from None
    return value if value else {}


def merge_values_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Helm 4's loader.MergeMaps: b wins, nested maps merge recursively (inputs untouched)."""
    out = dict(a)
    for key, value in b.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_values_maps(out[key], value)
        else:
            out[key] = value
    return out


def load_values_file(text: str, filename: str, helm_major: int) -> dict[str, Any]:
    """A values file as Helm reads a chart's values.yaml or a `-f` file.

    Helm 3 reads the first YAML document only. Helm 4 (loader.LoadValues) splits the text into
    `---` documents and deep-merges them in order; its messages start with
    `cannot unmarshal yaml document: ` / `error reading yaml document: `. The caller adds Helm's
    own prefix (`cannot load values.yaml: ` or `failed to parse FILE: `).
    """
    if helm_major < 4:
        return load_yaml_values(text, filename)
    try:
        documents = split_yaml_reader_documents(text)
    except YamlError as err:
        raise ValuesError("error reading yaml document: " + err.message, Position(filename)) from None
    values: dict[str, Any] = {}
    for document in documents:
        try:
            current = yaml_unmarshal(document, "map[string]interface {}")
        except YamlError as err:
            position = Position(filename, err.line, err.column)
            message = "cannot unmarshal yaml document: " + err.message
            if err.limit:
                raise LimitExceeded(message, position) from None
            raise ValuesError(message, position) from None
        values = merge_values_maps(values, current or {})
    return values
