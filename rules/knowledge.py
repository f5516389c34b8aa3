"""The rule pack's knowledge data (rules/knowledge/*.yaml); the tests validate it against
knowledge.schema.json."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import yaml

# libyaml reads these files 10-70x faster than ruamel.yaml's pure-Python parser (a second of a
# one-chart lint); they use no YAML 1.1/1.2 difference (tests/test_rule_data_loading.py checks).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> Any:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _schema() -> dict[str, Any]:
    return json.loads(_read("knowledge.schema.json"))


def _load(name: str, definition: str, validate: bool = False) -> Any:
    """The data of a knowledge file. It ships with chartfix and the tests validate it against the
    schema (`validate=True`: a third of a one-chart lint's time), so linting does not."""
    data = yaml.load(_read(f"knowledge/{name}"), Loader=_LOADER)  # noqa: S506 - a safe loader
    if validate:
        schema = {**_schema(), "$ref": f"#/$defs/{definition}"}
        jsonschema.validators.validator_for(schema).check_schema(schema)
        jsonschema.validators.validator_for(schema)(schema).validate(data)
    return data


@cache
def olm_knowledge() -> dict[str, Any]:
    return _load("olm.yaml", "olm")


@cache
def operator_knowledge() -> list[dict[str, Any]]:
    return _load("operators.yaml", "operators")["operators"]


@cache
def registration_knowledge() -> list[dict[str, Any]]:
    return _load("registrations.yaml", "registrations")["registrations"]
