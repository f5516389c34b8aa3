"""The rule pack's YAML sources read the same with libyaml (which compiles them) as with ruamel.yaml
(YAML 1.2), rules/rule_data.json is what they compile to, and the knowledge data is valid against
its schema (none of this is checked at run time)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import jsonschema
import pytest
import yaml
from ruamel.yaml import YAML

from chartfix.rules import catalog, read_rule_file, rule_data, rule_source_files, rule_sources
from chartfix.rules.knowledge import (
    knowledge_schema,
    olm_knowledge,
    operator_knowledge,
    registration_knowledge,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(rule_source_files().values()))
def test_libyaml_and_yaml_1_2_agree(name):
    text = read_rule_file(name)
    assert yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == YAML(
        typ="safe", pure=True
    ).load(text)


def test_rule_data_is_in_sync_with_its_sources():
    spec = importlib.util.spec_from_file_location("gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.RULE_DATA_FILE.read_text(encoding="utf-8") == module.expected_rule_data(), (
        "rules/rule_data.json is stale: run python scripts/gen_rule_docs.py"
    )
    assert rule_data() == rule_sources()


@pytest.mark.parametrize("key", sorted(set(rule_source_files()) - {"catalog"}))
def test_knowledge_schema_is_valid_and_data_is_valid(key):
    schema = {**knowledge_schema(), "$ref": f"#/$defs/{key}"}
    jsonschema.validators.validator_for(schema).check_schema(schema)
    jsonschema.validators.validator_for(schema)(schema).validate(rule_sources()[key])


def test_knowledge_and_catalog_come_from_the_rule_data():
    assert olm_knowledge() == rule_sources()["olm"]
    assert operator_knowledge() == rule_sources()["operators"]["operators"]
    assert registration_knowledge() == rule_sources()["registrations"]["registrations"]
    assert list(catalog()) == [entry["id"] for entry in rule_sources()["catalog"]["rules"]]


def test_registration_names_cover_exactly_their_kinds():
    for entry in registration_knowledge():  # names, where given, for exactly the kinds the entry covers
        assert set(entry.get("names", entry["kinds"])) == set(entry["kinds"]), entry["id"]
