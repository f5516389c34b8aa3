"""Errors and limits of the YAML layer."""

from __future__ import annotations

# Nesting deeper than this is refused (go-yaml v2 has no limit; Python's stack has one).
MAX_DEPTH = 400
# Hard cap on decoded nodes, on top of go-yaml's alias-ratio rule.
MAX_DECODE_COUNT = 5_000_000


class YamlError(Exception):
    """A go-yaml / sigs.k8s.io/yaml error: `message` is Go's err.Error() text."""

    def __init__(self, message: str, line: int = 0, column: int = 0, limit: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based position of the problem when known, for our own reports
        self.column = column
        self.limit = limit


class JsonMarshalError(Exception):
    """encoding/json.Marshal failed; `message` is Go's text (e.g. `json: unsupported value: NaN`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
