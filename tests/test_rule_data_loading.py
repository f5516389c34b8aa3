"""The rule pack's data files read the same with libyaml (used at run time, fast) as with ruamel.yaml
(YAML 1.2), and the knowledge data is valid against its schema (not checked at run time)."""

from __future__ import annotations

from importlib import resources

import jsonschema
import pytest
import yaml
from ruamel.yaml import YAML

from chartfix.rules import catalog
from chartfix.rules.knowledge import knowledge_schema, load_knowledge, olm_knowledge, operator_knowledge

RULES = resources.files("chartfix.rules")


@pytest.mark.parametrize("name", ["catalog.yaml", "knowledge/olm.yaml", "knowledge/operators.yaml"])
def test_libyaml_and_yaml_1_2_agree(name):
    text = RULES.joinpath(name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == YAML(
        typ="safe", pure=True
    ).load(text)


def _valid(name: str, definition: str) -> object:
    schema = {**knowledge_schema(), "$ref": f"#/$defs/{definition}"}
    jsonschema.validators.validator_for(schema).check_schema(schema)
    data = load_knowledge(name)
    jsonschema.validators.validator_for(schema)(schema).validate(data)
    return data


def test_knowledge_schema_is_valid_and_data_is_valid():
    assert _valid("olm.yaml", "olm") == olm_knowledge()
    assert _valid("operators.yaml", "operators")["operators"] == operator_knowledge()
    assert catalog()
