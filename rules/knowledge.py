"""The rule pack's knowledge data (rules/knowledge/*.yaml); the tests validate it against
knowledge.schema.json (not checked at run time: it ships with chartfix)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import yaml

# libyaml reads these files 10-70x faster than ruamel.yaml's pure-Python parser (a second of a
# one-chart lint); they use no YAML 1.1/1.2 difference (tests/test_rule_data_loading.py checks).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(name: str) -> Any:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def knowledge_schema() -> dict[str, Any]:
    """knowledge.schema.json: one `$defs` entry per knowledge file (the tests validate with it)."""
    return json.loads(_read("knowledge.schema.json"))


def load_knowledge(name: str) -> Any:
    """The data of knowledge/`name`."""
    return yaml.load(_read(f"knowledge/{name}"), Loader=_LOADER)  # noqa: S506 - a safe loader


@cache
def olm_knowledge() -> dict[str, Any]:
    return load_knowledge("olm.yaml")


@cache
def operator_knowledge() -> list[dict[str, Any]]:
    return load_knowledge("operators.yaml")["operators"]
