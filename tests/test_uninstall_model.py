"""The uninstall model on made-up charts, one stuck and one fixed per mechanism (fixtures/mechanisms/).
Every expectation (rule, file, line, severity, key words) is written by hand from the chart; the
operator in these charts is made up, so only inference from the chart itself can find it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chartfix.analysis.selectors import label_selector_matches, parse_selector
from chartfix.cli.app import app
from chartfix.findings.lint import LintOptions, lint_chart

MECHANISMS = Path(__file__).resolve().parent.parent / "fixtures" / "mechanisms"

# fixture -> [(rule, severity, file, line, words the message must contain)]
EXPECTED = {
    "widget-operator-stuck": [
        (
            "CF1006",
            "warning",
            "templates/operator.yaml",
            35,
            ["Widget default/first", "widgets/finalizers", "inferred"],
        ),
    ],
    "widget-operator-fixed": [],
    "widget-operator-no-instances": [
        ("CF1011", "info", "templates/operator.yaml", 35, ["Widget", "users", "widgets/finalizers"]),
    ],
    "widget-operator-no-instances-fixed": [],
    "delete-webhook-stuck": [
        (
            "CF1012",
            "error",
            "templates/webhook.yaml",
            2,
            ["Helm 3", "ConfigMap default/guard-settings", "guard.example.com"],
        ),
    ],
    "delete-webhook-fixed": [],
    "hook-webhook-stuck": [
        ("CF1007", "error", "templates/webhook.yaml", 2, ["post-install hook", "Service default/guard"]),
        (
            "CF1012",
            "error",
            "templates/webhook.yaml",
            2,
            ["Helm 3 and 4", "ConfigMap default/guard-settings"],
        ),
    ],
    "kept-apiservice-stuck": [
        (
            "CF1013",
            "error",
            "templates/apiservice.yaml",
            2,
            ["resource-policy: keep", "Service default/metrics-api"],
        ),
    ],
    "kept-apiservice-fixed": [],
    "post-delete-hook-stuck": [
        (
            "CF1014",
            "error",
            "templates/hook.yaml",
            12,
            ["post-delete", "ServiceAccount default/settings-cleanup"],
        ),
    ],
    "post-delete-hook-fixed": [],
    "subscription-stuck": [
        (
            "CF1015",
            "warning",
            "templates/subscription.yaml",
            2,
            ["Subscription operators/my-operator", "running"],
        ),
    ],
    "subscription-fixed": [],
    # A pre-delete hook that lists Widgets and exits 1 refuses the uninstall while users have any: the
    # release stays until they are deleted, nothing hangs (its script is mounted from a ConfigMap).
    "widget-operator-guard-script": [],
    # The same refusal by a program of its own: its RBAC may list Widgets but not delete them.
    "widget-operator-guard-opaque": [],
    # Two workloads share the operator's RBAC; the hook strips the finalizers while the operator runs.
    "widget-operator-strip-stuck": [
        (
            "CF1006",
            "warning",
            "templates/operator.yaml",
            35,
            ["Deployment default/release-name-widget-operator", "Widget default/first"],
        ),
    ],
    # The hook stops the operator first: the chart's authors name the controller, and the API server
    # sharing its RBAC is not taken to put the finalizers back.
    "widget-operator-strip-fixed": [],
}


@pytest.mark.parametrize("fixture", sorted(EXPECTED))
def test_mechanism_fixture(fixture):
    report = lint_chart(str(MECHANISMS / fixture), LintOptions(derive_scenarios=False))
    actual = sorted(report.findings, key=lambda f: (f.rule_id, f.position.line))
    expected = EXPECTED[fixture]
    assert [(f.rule_id, f.severity, f.position.file, f.position.line) for f in actual] == [
        (rule, severity, file, line) for rule, severity, file, line, _ in expected
    ]
    for finding, (*_, words) in zip(actual, expected, strict=True):
        for word in words:
            assert word in finding.message, (word, finding.message)


def test_fixtures_cover_every_mechanism_rule():
    fired = {rule for findings in EXPECTED.values() for rule, *_ in findings}
    assert fired == {"CF1006", "CF1007", "CF1011", "CF1012", "CF1013", "CF1014", "CF1015"}


def test_simulate_shows_the_steps_and_exits_1_when_stuck():
    runner = CliRunner()
    stuck = runner.invoke(app, ["simulate", str(MECHANISMS / "widget-operator-stuck")])
    assert stuck.exit_code == 1
    assert "Helm deletes Deployment default/release-name-widget-operator" in stuck.output
    assert "Widget default/first keeps" in stuck.output
    fixed = runner.invoke(app, ["simulate", str(MECHANISMS / "widget-operator-fixed")])
    assert fixed.exit_code == 0, fixed.output
    assert "the hook deletes Widget default/first" in fixed.output
    assert fixed.output.rstrip().endswith("stuck: nothing")
    helm3 = runner.invoke(app, ["simulate", "--helm-major", "3", str(MECHANISMS / "delete-webhook-stuck")])
    assert helm3.exit_code == 1 and "rejected by webhook guard.example.com" in helm3.output
    helm4 = runner.invoke(app, ["simulate", "--helm-major", "4", str(MECHANISMS / "delete-webhook-stuck")])
    assert helm4.exit_code == 0, helm4.output  # Helm 4 deletes webhook configurations first


def test_guard_hook_refuses_the_uninstall_while_objects_exist():
    runner = CliRunner()
    result = runner.invoke(app, ["simulate", str(MECHANISMS / "widget-operator-guard-script")])
    assert result.exit_code == 0, result.output
    assert "Job default/release-name-widget-guard runs and Helm waits for it" in result.output


def test_stripping_hook_races_a_running_controller():
    runner = CliRunner()
    stuck = runner.invoke(app, ["simulate", str(MECHANISMS / "widget-operator-strip-stuck")])
    assert stuck.exit_code == 1
    assert "Deployment default/release-name-widget-operator still runs and adds them again" in stuck.output
    fixed = runner.invoke(app, ["simulate", str(MECHANISMS / "widget-operator-strip-fixed")])
    assert fixed.exit_code == 0, fixed.output
    assert "the hook scales Deployment default/release-name-widget-operator to zero" in fixed.output
    assert "the hook removes the finalizers of Widget default/first\n" in fixed.output


CASES = Path(__file__).resolve().parent / "uninstall_cases" / "charts"


def _simulate_text(chart: Path, *args: str) -> str:
    return CliRunner().invoke(app, ["simulate", str(chart), *args]).output


def test_run_time_registrations_known_by_name_are_reached_only_by_those_names():
    # reports-server registers three APIServices at run time (rules/knowledge/registrations.yaml):
    # 0.1.5's hook deletes two of them by name, 0.1.7's all three
    before = _simulate_text(CASES / "reports-server-0.1.5")
    assert "the hook deletes APIService v1.reports.kyverno.io" in before
    assert "left behind: APIService (created by release-name-reports-server)" in before
    after = _simulate_text(CASES / "reports-server-0.1.7")
    assert "the hook deletes APIService (created by release-name-reports-server)" in after
    assert "stuck: nothing" in after


def test_run_time_webhooks_deleted_while_their_creator_runs_come_back():
    # Kyverno 1.8's five webhook configurations, deleted by name while Kyverno still runs
    out = _simulate_text(CASES / "kyverno-2.6.1", "--set", "webhooksCleanup.enable=true")
    assert out.count("still runs and creates it again") == 5
    assert "left behind: MutatingWebhookConfiguration (created by release-name-kyverno)" in out
    # Kyverno 1.10's chart scales its Deployments to zero, then deletes them by their label
    fixed = _simulate_text(CASES / "kyverno-3.0.2")
    assert "the hook deletes MutatingWebhookConfiguration (created by kyverno-admission-controller)" in fixed
    assert "stuck: nothing" in fixed


@pytest.mark.parametrize(
    "text,labels,selected",
    [
        ("webhook.kyverno.io/managed-by=kyverno", {"webhook.kyverno.io/managed-by": "kyverno"}, True),
        ("webhook.kyverno.io/managed-by=kyverno", {"webhook.kyverno.io/managed-by": "other"}, False),
        ("a in (b, c),!d", {"a": "c"}, True),
        ("a in (b, c),!d", {"a": "c", "d": "x"}, False),
        ("x!=y,z", {"z": "1"}, True),
    ],
)
def test_kubectl_selectors(text, labels, selected):
    assert label_selector_matches(parse_selector(text), labels) is selected


def test_unreadable_selector_is_none():
    assert parse_selector("a b (") is None
