"""encoding/json as sigs.k8s.io/yaml uses it: float64 text, value kinds in messages, the JSON object
of a Go struct, object keys (`go_type_name`, reflect's type names, is re-exported from go.fmt)."""

from __future__ import annotations

import math
from typing import Any

from chartfix.go.fmt import go_type_name
from chartfix.go.strconv import format_float
from chartfix.go.types import GoStruct
from chartfix.go.yaml.errors import JsonMarshalError


def format_float_json(f: float) -> str:
    """encoding/json's float64 text. Raises JsonMarshalError for NaN and infinities."""
    if not math.isfinite(f):
        raise JsonMarshalError(f"json: unsupported value: {format_float(f, 'g', -1)}")
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        text = format_float(f, "e", -1)
        # encoding/json turns e-07 into e-7
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return format_float(f, "f", -1)


def json_kind(value: Any) -> str:
    """How encoding/json names a JSON value's kind in "cannot unmarshal X into ..." errors."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    return "number"


def go_json_fields(value: GoStruct) -> dict[str, Any]:
    """The JSON object encoding/json makes of a Go struct: `go_json()` when the struct defines it
    (json tags, omitempty), else its exported fields under their Go names."""
    custom = getattr(value, "go_json", None)
    if callable(custom):
        return custom()
    return value.go_fields()


def json_object_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    raise JsonMarshalError("json: unsupported type: map[interface {}]interface {}")


__all__ = ["format_float_json", "go_json_fields", "go_type_name", "json_kind", "json_object_key"]
