"""Reading `.chartfix.yaml` with ruamel.yaml's round-trip loader, which keeps every key's line and
column for error messages. `config.load_config` imports this module with the first configuration
file: most lints read none, and importing ruamel.yaml costs about 20 ms."""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import YAMLError

from chartfix.errors import ChartfixError, Position


class _Constructor(RoundTripConstructor):
    """Round-trip loading with timestamps kept as text: `until:` dates are checked (with their line)
    by the schema and by the configuration builder, not by the YAML reader."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def read_document(path: str, text: str) -> Any:
    """The round-trip document of `text` (mappings and lists carry `.lc` positions)."""
    try:
        yaml = YAML(typ="rt", pure=True)
        yaml.Constructor = _Constructor
        return yaml.load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        position = Position(path, mark.line + 1, mark.column + 1) if mark else Position(path)
        raise ChartfixError(f"invalid YAML: {getattr(error, 'problem', None) or error}", position) from error
