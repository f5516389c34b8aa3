"""The rule pack's data: catalog entries, their checks, generated docs and the knowledge files."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import jsonschema
import pytest

from chartfix.rules import catalog
from chartfix.rules.knowledge import olm_knowledge, operator_knowledge
from chartfix.rules.registry import CHECKS

ROOT = Path(__file__).resolve().parent.parent


def test_every_rule_has_complete_metadata():
    rules = catalog()
    assert len(rules) >= 10
    for rule_id, rule in rules.items():
        assert re.fullmatch(r"CF\d{4}", rule_id)
        assert rule.severity in ("error", "warning", "info")
        assert re.fullmatch(r"[a-z0-9-]+", rule.slug)
        for text in (rule.summary, rule.rationale, rule.fix, rule.example_bad, rule.example_good):
            assert text.strip(), f"{rule_id} has an empty field"
    assert len({r.slug for r in rules.values()}) == len(rules)


def test_every_check_is_bound_to_a_catalog_rule():
    assert set(CHECKS) <= set(catalog())


def test_generated_rule_docs_are_in_sync():
    spec = importlib.util.spec_from_file_location("gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for path, text in module.expected_pages().items():
        assert path.exists(), f"{path} missing: run python scripts/gen_rule_docs.py"
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run python scripts/gen_rule_docs.py"
        )


def test_olm_knowledge_validates_and_knows_the_pixie_digest():
    olm = olm_knowledge()
    assert olm["finalizer"]["name"] == "operators.coreos.com/csv-cleanup"
    assert olm["finalizer"]["introduced_in"] == "0.27.0"
    digest = "1b6002156f568d722c29138575733591037c24b4bfabc67946f268ce4752c3e6"
    assert olm["release_digests"][digest]["version"] == "0.27.0"
    for pattern in olm["bundle_signatures"]["image_repositories"]:
        re.compile(pattern)


def test_operator_knowledge_validates():
    families = operator_knowledge()
    assert len(families) >= 6
    for family in families:
        for pattern in family["controller"]["images"]:
            re.compile(pattern)


def test_knowledge_schema_rejects_a_bad_digest_table():
    from chartfix.rules.knowledge import knowledge_schema

    bad = dict(olm_knowledge())
    bad["release_digests"] = {"not-a-digest": {"version": "0.27.0", "source": "x"}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, {**knowledge_schema(), "$ref": "#/$defs/olm"})


def _lint_example(text: str, root: Path):
    from catalog_examples import write_example_chart

    from chartfix.cli.batch import LintSettings, lint_many

    chart = write_example_chart(text, root / "example")
    (report,) = lint_many([str(chart)], LintSettings(use_config=False))
    assert report.error is None, f"the example does not lint: {report.error}"
    return report


@pytest.mark.parametrize("rule_id", sorted(catalog()))
def test_example_bad_fires_and_example_good_does_not(rule_id, tmp_path):
    """Each rule's examples, executed: the bad one as a chart must get the rule, the good one not."""
    rule = catalog()[rule_id]
    bad = _lint_example(rule.example_bad, tmp_path / "bad")
    fired = [f.rule_id for f in bad.findings]
    assert rule_id in fired, f"{rule_id} example_bad does not fire; findings: {fired}, notes: {bad.skipped}"
    good = _lint_example(rule.example_good, tmp_path / "good")
    assert rule_id not in [f.rule_id for f in good.findings], (
        f"{rule_id} example_good fires: {[f.message for f in good.findings if f.rule_id == rule_id]}"
    )
