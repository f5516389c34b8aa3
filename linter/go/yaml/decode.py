"""Reading: sigs.k8s.io/yaml.Unmarshal. go-yaml v2 decodes the first document into interface{} with
its YAML 1.1 resolver, map keys become strings (convertToJSONableObject), then the result goes
through encoding/json, so every number ends up a float64 (Python float). Also typed decoding into
Go structs (Chart.yaml, Chart.lock) and k8s.io/apimachinery's YAMLReader document split."""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from chartfix.go.strconv import format_float, quote
from chartfix.go.types import INT64_MAX
from chartfix.go.yaml.errors import MAX_DECODE_COUNT, YamlError
from chartfix.go.yaml.gojson import json_kind
from chartfix.go.yaml.parse import build_first_document, parse_first_document
from chartfix.go.yaml.resolve import (
    BINARY_TAG,
    FLOAT_TAG,
    INT_TAG,
    MERGE_TAG,
    STR_TAG,
    resolve,
    resolve_untagged,
)
from chartfix.go.yaml.tree import Node


def _allowed_alias_ratio(decode_count: int) -> float:
    if decode_count <= 400_000:
        return 0.99
    if decode_count >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * ((decode_count - 400_000) / 3_600_000)


def _go_json_string(raw: bytes) -> str:
    """Go's JSON encoding of a byte string: each invalid UTF-8 byte becomes U+FFFD."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    i = 0
    while i < len(raw):
        for width in (1, 2, 3, 4):
            try:
                out.append(raw[i : i + width].decode("utf-8"))
                i += width
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


class _Decoder:
    """go-yaml v2 decoding into interface{}, with sigs.k8s.io/yaml's key conversion and JSON numbers.

    Counts decode operations exactly as decode.go does, for its alias-expansion limit."""

    def __init__(self) -> None:
        self.decode_count = 1  # the document node
        self.alias_count = 0
        self.alias_depth = 0
        self.active_aliases: set[int] = set()
        self.saw_non_finite = False

    # unmarshal() and key() count each decode operation inline (they run once per node; a method
    # call there costs more than the counting): check_limits() runs once a limit may be reached.

    def check_limits(self) -> None:
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise YamlError("yaml: document contains excessive aliasing", limit=True)
        if self.decode_count > MAX_DECODE_COUNT:
            raise YamlError("yaml: document too large after alias expansion", limit=True)

    def unmarshal(self, node: Node, into: dict[str, Any] | None = None) -> Any:
        """The JSON-ready value of `node`; a mapping is decoded into `into` when given (merge)."""
        self.decode_count += 1  # one decode operation
        if self.alias_depth > 0:
            self.alias_count += 1
        if self.alias_count > 100 or self.decode_count > MAX_DECODE_COUNT:
            self.check_limits()
        kind = node.kind
        if kind == "scalar":
            tag, value = self.scalar(node)
            return float(value) if tag == INT_TAG else value
        if kind == "mapping":
            out: dict[str, Any] = {} if into is None else into
            self.mapping_into(node, out)
            return out
        if kind == "sequence":
            return [self.unmarshal(child) for child in node.children]
        return self.follow_alias(node, lambda target: self.unmarshal(target, into))

    def follow_alias(self, node: Node, decode: Any) -> Any:
        if id(node) in self.active_aliases:
            raise YamlError(
                f"yaml: anchor '{node.value}' value contains itself", node.line + 1, node.column + 1
            )
        self.active_aliases.add(id(node))
        self.alias_depth += 1
        try:
            return decode(node.alias)
        finally:
            self.alias_depth -= 1
            self.active_aliases.discard(id(node))

    def scalar(self, node: Node) -> tuple[str, Any]:
        """(go-yaml tag, Go value) of a scalar node; ints stay Python ints here."""
        if not node.tag:
            if not node.implicit:
                return STR_TAG, node.value  # quoted or block: a string
            tag, value = resolve_untagged(node.value)
            if tag == FLOAT_TAG and not math.isfinite(value):
                self.saw_non_finite = True
            return tag, value
        try:
            tag, value = resolve(node.tag, node.value)
        except YamlError as err:
            err.line, err.column = node.line + 1, node.column + 1
            raise
        if tag == BINARY_TAG:
            try:
                raw = base64.b64decode(node.value.replace("\n", "").replace("\r", ""), validate=True)
            except (binascii.Error, ValueError):
                raise YamlError(
                    "yaml: !!binary value contains invalid base64 data", node.line + 1, node.column + 1
                ) from None
            return tag, _go_json_string(raw)
        if tag == FLOAT_TAG and not math.isfinite(value):
            self.saw_non_finite = True
        return tag, value

    def mapping_into(self, node: Node, out: dict[str, Any]) -> None:
        children = node.children
        for i in range(0, len(children), 2):
            key_node, value_node = children[i], children[i + 1]
            if (
                key_node.kind == "scalar"
                and key_node.value == "<<"
                and (key_node.implicit or key_node.tag == MERGE_TAG)
            ):
                self.merge(value_node, out)
                continue
            key = self.key(key_node, value_node)
            out[key] = self.unmarshal(value_node)

    def key(self, node: Node, value_node: Node) -> str:
        """The key as sigs.k8s.io/yaml turns it into a JSON object key."""
        self.decode_count += 1  # one decode operation
        if self.alias_depth > 0:
            self.alias_count += 1
        if self.alias_count > 100 or self.decode_count > MAX_DECODE_COUNT:
            self.check_limits()
        if node.kind == "alias":
            return self.follow_alias(node, lambda target: self.key(target, value_node))
        if node.kind != "scalar":
            raise YamlError("yaml: invalid map key: " + _go_sharp_v(node), node.line + 1, node.column + 1)
        _, value = self.scalar(node)
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            if value > INT64_MAX:
                raise YamlError(
                    f"unsupported map key of type: uint64, key: {hex(value)}, value: {_go_arg_v(value_node)}",
                    node.line + 1,
                    node.column + 1,
                )
            return str(value)
        if isinstance(value, float):
            text = format_float(value, "g", -1, 32)
            return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
        raise YamlError(
            f"unsupported map key of type: %!s(<nil>), key: <nil>, value: {_go_arg_v(value_node)}",
            node.line + 1,
            node.column + 1,
        )

    def merge(self, node: Node, out: dict[str, Any]) -> None:
        want_map = "yaml: map merge requires map or sequence of maps as the value"
        if node.kind == "mapping" or (
            node.kind == "alias" and node.alias is not None and node.alias.kind == "mapping"
        ):
            self.unmarshal(node, out)
            return
        if node.kind != "sequence":
            raise YamlError(want_map, node.line + 1, node.column + 1)
        for child in reversed(node.children):
            target = child.alias if child.kind == "alias" else child
            if target is None or target.kind != "mapping":
                raise YamlError(want_map, child.line + 1, child.column + 1)
            self.unmarshal(child, out)


def _go_sharp_v(node: Node, depth: int = 0) -> str:
    """fmt's %#v of the Go value go-yaml v2 decodes from `node` (for `invalid map key` messages)."""
    while node.kind == "alias" and node.alias is not None and depth < 50:
        node = node.alias
        depth += 1
    if depth > 50:
        return "..."
    if node.kind == "sequence":
        return "[]interface {}{" + ", ".join(_go_sharp_v(c, depth + 1) for c in node.children) + "}"
    if node.kind == "mapping":
        pairs = [
            (_go_sharp_v(node.children[i], depth + 1), _go_sharp_v(node.children[i + 1], depth + 1))
            for i in range(0, len(node.children), 2)
        ]
        body = ", ".join(f"{k}:{v}" for k, v in sorted(pairs))
        return "map[interface {}]interface {}{" + body + "}"
    if not node.tag and not node.implicit:
        return quote(node.value)
    try:
        _, value = resolve(node.tag, node.value)
    except YamlError:
        return quote(node.value)
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value <= INT64_MAX else hex(value)
    if isinstance(value, float):
        return format_float(value, "g", -1)
    return quote(value)


def _go_arg_v(node: Node) -> str:
    text = _go_sharp_v(node)
    return "<nil>" if text == "interface {}(nil)" else text


def first_non_finite(value: Any) -> float | None:
    """The NaN/Inf encoding/json trips over first (it walks maps in sorted key order)."""
    if isinstance(value, float):
        return None if math.isfinite(value) else value
    if isinstance(value, dict):
        for key in sorted(value):
            found = first_non_finite(value[key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for item in value:
            found = first_non_finite(item)
            if found is not None:
                return found
    return None


def yaml_to_json_value(text: str, cache_tree: bool = True, non_finite: bool = False) -> Any:
    """sigs.k8s.io/yaml.YAMLToJSON followed by json.Unmarshal into interface{}: the first document
    as JSON-ready Python data (every number a float). None for an empty or null document.
    Raises YamlError with Go's message (without sigs.k8s.io/yaml's prefix).

    `cache_tree`: keep the node tree for the next call with the same text. Callers that keep the
    decoded data themselves pass False, so that their (often large) trees do not outlive them.
    `non_finite`: leave NaN and infinities in the data (for a caller that decides where JSON can
    hold them) instead of raising."""
    root = parse_first_document(text) if cache_tree else build_first_document(text)
    if root is None:
        return None
    decoder = _Decoder()
    try:
        value = decoder.unmarshal(root)
    except RecursionError:
        raise YamlError("yaml: document nested too deeply", limit=True) from None
    if decoder.saw_non_finite and not non_finite:
        bad = first_non_finite(value)
        if bad is not None:
            raise YamlError(f"json: unsupported value: {format_float(bad, 'g', -1)}")
    return value


def yaml_unmarshal(text: str, go_type: str, cache_tree: bool = True) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(text, &target) for a target of Go type `go_type`:
    "map[string]interface {}" (or a named map type such as "chartutil.Values") -> dict (None when the
    document is null), "[]interface {}" -> list (None when null), "interface {}" -> anything.
    Raises YamlError with the full Go error text. `cache_tree`: as for yaml_to_json_value."""
    try:
        value = yaml_to_json_value(text, cache_tree)
    except YamlError as err:
        err.message = "error converting YAML to JSON: " + err.message
        err.args = (err.message,)
        raise
    if value is None or go_type == "interface {}":
        return value
    want = list if go_type.startswith("[]") else dict
    if not isinstance(value, want):
        kind = json_kind(value)
        message = (
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{kind} into Go value of type {go_type}"
        )
        raise YamlError(message)
    return value


def split_yaml_reader_documents(text: str) -> list[str]:
    """k8s.io/apimachinery's YAMLReader: documents split on lines starting with `---` (only spaces
    or a comment may follow); lines are re-terminated with a bare newline.
    Raises YamlError on any other text after the separator."""
    docs: list[str] = []
    buffer: list[str] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        line = line.removesuffix("\r") + "\n"
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise YamlError(f"invalid Yaml document separator: {rest}")
            if buffer:
                docs.append("".join(buffer))
                buffer = []
            continue
        buffer.append(line)
    if buffer:
        docs.append("".join(buffer))
    return docs
