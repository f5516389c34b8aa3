"""The rule pack's knowledge data (rules/knowledge/*.yaml), validated against knowledge.schema.json."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from ruamel.yaml import YAML


def _read(name: str) -> Any:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def _schema() -> dict[str, Any]:
    return json.loads(_read("knowledge.schema.json"))


def _load(name: str, definition: str) -> Any:
    data = YAML(typ="safe", pure=True).load(_read(f"knowledge/{name}"))
    schema = {**_schema(), "$ref": f"#/$defs/{definition}"}
    jsonschema.validate(data, schema)
    return data


@cache
def olm_knowledge() -> dict[str, Any]:
    return _load("olm.yaml", "olm")


@cache
def operator_knowledge() -> list[dict[str, Any]]:
    return _load("operators.yaml", "operators")["operators"]
