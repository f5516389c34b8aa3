"""The rule pack's data files read the same with libyaml (used at run time, fast) as with ruamel.yaml
(YAML 1.2), and the knowledge schema is a valid JSON Schema."""

from __future__ import annotations

from importlib import resources

import jsonschema
import pytest
import yaml
from ruamel.yaml import YAML

from chartfix.rules import catalog
from chartfix.rules.knowledge import _schema, olm_knowledge, operator_knowledge

RULES = resources.files("chartfix.rules")


@pytest.mark.parametrize("name", ["catalog.yaml", "knowledge/olm.yaml", "knowledge/operators.yaml"])
def test_libyaml_and_yaml_1_2_agree(name):
    text = RULES.joinpath(name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == YAML(
        typ="safe", pure=True
    ).load(text)


def test_knowledge_schema_is_valid_and_data_loads():
    jsonschema.validators.validator_for(_schema()).check_schema(_schema())
    assert olm_knowledge() and operator_knowledge() and catalog()
