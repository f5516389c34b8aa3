"""The rule pack's data files read the same with libyaml (used at run time, fast) as with ruamel.yaml
(YAML 1.2), and the knowledge data is valid against its schema (not checked at run time)."""

from __future__ import annotations

from importlib import resources

import jsonschema
import pytest
import yaml
from ruamel.yaml import YAML

from chartfix.rules import catalog
from chartfix.rules.knowledge import _load, _schema, olm_knowledge, operator_knowledge, registration_knowledge

RULES = resources.files("chartfix.rules")


@pytest.mark.parametrize(
    "name",
    ["catalog.yaml", "knowledge/olm.yaml", "knowledge/operators.yaml", "knowledge/registrations.yaml"],
)
def test_libyaml_and_yaml_1_2_agree(name):
    text = RULES.joinpath(name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) == YAML(
        typ="safe", pure=True
    ).load(text)


def test_knowledge_schema_is_valid_and_data_is_valid():
    jsonschema.validators.validator_for(_schema()).check_schema(_schema())
    assert _load("olm.yaml", "olm", validate=True) == olm_knowledge()
    assert _load("operators.yaml", "operators", validate=True)["operators"] == operator_knowledge()
    registrations = _load("registrations.yaml", "registrations", validate=True)["registrations"]
    assert registrations == registration_knowledge()
    for entry in registrations:  # names, where given, for exactly the kinds the entry covers
        assert set(entry.get("names", entry["kinds"])) == set(entry["kinds"]), entry["id"]
    assert catalog()
