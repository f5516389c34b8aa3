"""The findings of every chart in fixtures/, written by hand from reading the fixtures (not produced by
chartfix): rule, chart-relative file, line of the object's `kind:` line, and words the message must
contain. A fixture not listed here is a test failure, so a new fixture needs its expectations."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartfix.findings.lint import LintOptions, lint_chart

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

EXPECTED: dict[str, list[tuple[str, str, int, tuple[str, ...]]]] = {
    # a parent with vendored subcharts and nothing uninstall-related: clean
    "deps-parent": [],
    # OLM v0.27.0 (values.yaml olmImage) installed by templates/olm.yaml (olm-operator Deployment's
    # kind: line 36), a Subscription in my-operators, no pre-delete hook
    "olm-bundled-no-hook": [
        (
            "CF1001",
            "templates/olm.yaml",
            36,
            ("OLM v0.27.0", "operators.coreos.com/csv-cleanup", "my-operators stays Terminating"),
        ),
    ],
    # the same, with a cleanup hook that only renders when cleanup.enabled=true (off by default)
    "olm-bundled-disabled-hook": [
        (
            "CF1001",
            "templates/olm.yaml",
            36,
            ("OLM v0.27.0", "cleanup.enabled=true", "off by default"),
        ),
    ],
    # a working pre-delete cleanup (SA, RBAC as hooks at weight -10, deadline, backoff, pinned image)
    "olm-bundled-with-hook": [],
    # Subscriptions only, OLM comes from the cluster
    "olm-uses-only": [],
    "operator-with-finalized-crs": [
        # templates/crd.yaml: the RabbitmqCluster CRD under templates/ (kind: line 2) and an instance
        ("CF1004", "templates/crd.yaml", 2, ("rabbitmqclusters.rabbitmq.com", "RabbitmqCluster")),
        # templates/operator.yaml: RoleBinding (line 7) to {{ .Release.Name }}-operator-role, undefined
        (
            "CF1008",
            "templates/operator.yaml",
            7,
            ("binds Role release-name-operator-role", "does not define"),
        ),
        # the operator Deployment (line 19) is deleted before the RabbitmqCluster it finalizes
        (
            "CF1006",
            "templates/operator.yaml",
            19,
            ("RabbitMQ Cluster Operator", "deletion.finalizers.rabbitmqclusters.rabbitmq.com"),
        ),
        # templates/webhook.yaml: a post-install webhook configuration (line 2), failurePolicy Fail
        ("CF1007", "templates/webhook.yaml", 2, ("post-install hook", "failurePolicy Fail")),
    ],
}


def test_every_fixture_has_expectations():
    assert sorted(p.name for p in FIXTURES.iterdir() if (p / "Chart.yaml").exists()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_findings_match_the_hand_written_expectations(name):
    report = lint_chart(str(FIXTURES / name), LintOptions())
    got = sorted((f.rule_id, f.position.file, f.position.line) for f in report.findings)
    assert got == sorted((rule, file, line) for rule, file, line, _ in EXPECTED[name])
    for rule, file, line, words in EXPECTED[name]:
        (finding,) = [
            f for f in report.findings if (f.rule_id, f.position.file, f.position.line) == (rule, file, line)
        ]
        for word in words:
            assert word in finding.message, f"{name} {rule}: {word!r} not in {finding.message!r}"
    assert report.skipped == []
