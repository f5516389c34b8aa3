"""The rule pack's knowledge data (rules/knowledge/*.yaml, read from rule_data.json); the tests
validate it against knowledge.schema.json (not checked at run time: it ships with chartfix)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from chartfix.rules import read_rule_file, rule_data


@cache
def knowledge_schema() -> dict[str, Any]:
    """knowledge.schema.json: one `$defs` entry per knowledge file (the tests validate with it)."""
    return json.loads(read_rule_file("knowledge.schema.json"))


def olm_knowledge() -> dict[str, Any]:
    return rule_data()["olm"]


def operator_knowledge() -> list[dict[str, Any]]:
    return rule_data()["operators"]["operators"]


def registration_knowledge() -> list[dict[str, Any]]:
    return rule_data()["registrations"]["registrations"]
