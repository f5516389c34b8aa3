"""The chartfix rule pack: rule metadata as data (catalog.yaml) bound to check functions (checks.py).

catalog.yaml and knowledge/*.yaml are the sources. chartfix reads them compiled into one JSON file,
rule_data.json, which scripts/gen_rule_docs.py writes (the tests check that it is in sync): JSON
reads in about 1 ms, where libyaml took 20 ms of every run building the same data.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

import yaml

from chartfix.records import record

RULE_DATA = "rule_data.json"


@record(frozen=True)
class RuleMeta:
    """A rule's entry in catalog.yaml."""

    id: str
    slug: str
    severity: str
    summary: str
    rationale: str
    fix: str
    example_bad: str
    example_good: str

    def documentation(self) -> str:
        """The rule's page (docs/rules/<id>.md is generated from this)."""
        return (
            f"# {self.id} {self.slug}\n\n"
            f"Default severity: **{self.severity}**\n\n"
            f"## What it does\n\n{self.summary}\n\n"
            f"## Why it matters\n\n{self.rationale.strip()}\n\n"
            f"## Example\n\n```yaml\n{self.example_bad.rstrip()}\n```\n\n"
            f"## How to fix\n\n{self.fix.strip()}\n\n```yaml\n{self.example_good.rstrip()}\n```\n"
        )


# The rule pack's files sit beside this module (importlib.resources would cost ~5 ms of import on
# every run for the same answer: chartfix is never imported from a zip).
_HERE = os.path.dirname(os.path.abspath(__file__))


def read_rule_file(name: str) -> str:
    with open(os.path.join(_HERE, name), encoding="utf-8") as handle:
        return handle.read()


def rule_source_files() -> dict[str, str]:
    """The sources of rule_data.json by key: `catalog` and each knowledge file's name (its
    knowledge.schema.json definition: `operators` for knowledge/operators.yaml)."""
    names = sorted(name for name in os.listdir(os.path.join(_HERE, "knowledge")) if name.endswith(".yaml"))
    return {"catalog": "catalog.yaml", **{name.removesuffix(".yaml"): f"knowledge/{name}" for name in names}}


def rule_sources() -> dict[str, Any]:
    """The data of the YAML sources (what rule_data.json must hold), read with libyaml; they use no
    YAML 1.1/1.2 difference (tests/test_rule_data_loading.py checks)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = rule_source_files()
    return {key: yaml.load(read_rule_file(name), Loader=loader) for key, name in files.items()}  # noqa: S506


def rule_data_text(data: dict[str, Any]) -> str:
    """rule_data.json's text for `data`."""
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


@cache
def rule_data() -> dict[str, Any]:
    """rule_data.json: the data of each of rule_source_files(), by key."""
    return json.loads(read_rule_file(RULE_DATA))


@cache
def catalog() -> dict[str, RuleMeta]:
    return {entry["id"]: RuleMeta(**entry) for entry in rule_data()["catalog"]["rules"]}
