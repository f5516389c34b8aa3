"""`chartfix lint` on fixture charts and the mission's corpus charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chartfix.findings.lint import LintOptions, lint_chart

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _rules(report) -> list[str]:
    return [f.rule_id for f in report.findings]


def test_bundled_olm_without_cleanup_is_an_error_with_a_timeline():
    report = lint_chart(str(FIXTURES / "olm-bundled-no-hook"), LintOptions())
    main = [f for f in report.findings if f.rule_id == "CF1001"]
    assert len(main) == 1
    finding = main[0]
    assert finding.severity == "error"
    assert finding.position.file == "templates/olm.yaml"
    assert finding.position.line == 36  # the olm-operator Deployment's `kind:` line
    assert "operators.coreos.com/csv-cleanup" in finding.message
    assert "namespace my-operators stays Terminating" in finding.message
    timeline = "\n".join(finding.timeline)
    assert "Helm deletes Deployment olm/olm-operator" in timeline
    assert timeline.index("Helm deletes Deployment olm/olm-operator") < timeline.index(
        "Helm deletes Namespace my-operators"
    )


def test_working_cleanup_hook_silences_the_main_rule():
    report = lint_chart(str(FIXTURES / "olm-bundled-with-hook"), LintOptions())
    assert "CF1001" not in _rules(report)
    assert "CF1003" not in _rules(report), [f.message for f in report.findings]


def test_chart_that_only_uses_olm_is_clean():
    report = lint_chart(str(FIXTURES / "olm-uses-only"), LintOptions())
    assert report.findings == []


def test_older_olm_gives_the_latent_warning():
    options = LintOptions(set_values=["olmImage=quay.io/operator-framework/olm:v0.26.0"])
    report = lint_chart(str(FIXTURES / "olm-bundled-no-hook"), options)
    assert "CF1001" not in _rules(report)
    latent = [f for f in report.findings if f.rule_id == "CF1002"]
    assert len(latent) == 1 and latent[0].severity == "warning"


def test_olm_switched_off_by_default_is_found_through_a_scenario():
    options = LintOptions(set_values=["deployOLM=false"])
    report = lint_chart(str(FIXTURES / "olm-bundled-no-hook"), options)
    main = [f for f in report.findings if f.rule_id == "CF1001"]
    assert main and main[0].scenario == "when deployOLM=true"


def test_cli_lint_exit_codes_and_json(tmp_path):
    from typer.testing import CliRunner

    from chartfix.cli.app import app

    runner = CliRunner()
    bad = runner.invoke(app, ["lint", "--format", "json", str(FIXTURES / "olm-bundled-no-hook")])
    assert bad.exit_code == 1, bad.output
    document = json.loads(bad.output)
    assert document["summary"]["error"] >= 1
    assert document["charts"][0]["findings"][0]["ruleId"]
    good = runner.invoke(app, ["lint", str(FIXTURES / "olm-uses-only")])
    assert good.exit_code == 0, good.output
    missing = runner.invoke(app, ["lint", str(tmp_path / "nope")])
    assert missing.exit_code == 2


@pytest.mark.corpus
def test_pixie_v016_fires_and_v017_does_not(corpus_dir):
    v016 = lint_chart(str(corpus_dir / "pixie-io__pixie__pixie-operator-chart-v0.1.6"), LintOptions())
    main = [f for f in v016.findings if f.rule_id == "CF1001"]
    assert main and main[0].severity == "error"
    assert "px-operator" in main[0].message
    v017 = lint_chart(str(corpus_dir / "pixie-io__pixie__pixie-operator-chart-v0.1.7"), LintOptions())
    assert "CF1001" not in _rules(v017)
    hygiene = [f.message for f in v017.findings if f.rule_id == "CF1003"]
    assert any("activeDeadlineSeconds" in m for m in hygiene)
    # Pixie's deleter binds pl-deleter-role but defines pl-deleter-cluster-role.
    assert any(f.rule_id == "CF1008" and "pl-deleter-role" in f.message for f in v017.findings)


@pytest.mark.corpus
@pytest.mark.parametrize(
    "chart",
    [
        "operator-framework__operator-lifecycle-manager__olm",
        "operator-framework__operator-lifecycle-manager__olm-v0.27.0",
    ],
)
def test_olm_own_chart_fires_and_pinning_026_gives_the_warning(corpus_dir, chart):
    report = lint_chart(str(corpus_dir / chart), LintOptions())
    main = [f for f in report.findings if f.rule_id == "CF1001"]
    assert main and "packageserver" in main[0].message
    pinned = LintOptions(
        set_values=["olm.image.ref=quay.io/operator-framework/olm:v0.26.0"], derive_scenarios=False
    )
    report = lint_chart(str(corpus_dir / chart), pinned)
    assert "CF1001" not in _rules(report)
    assert "CF1002" in _rules(report)


def test_chart_with_its_own_disabled_cleanup_is_told_which_switch_fixes_it():
    report = lint_chart(str(FIXTURES / "olm-bundled-disabled-hook"), LintOptions())
    main = [f for f in report.findings if f.rule_id == "CF1001"]
    assert len(main) == 1
    assert "when cleanup.enabled=true, which is off by default" in main[0].message
    assert "CF1003" not in _rules(report)


def test_operator_crs_webhook_and_role_ref_hazards():
    report = lint_chart(str(FIXTURES / "operator-with-finalized-crs"), LintOptions())
    by_rule = {f.rule_id: f for f in report.findings}
    assert sorted(by_rule) == ["CF1004", "CF1006", "CF1007", "CF1008"]
    assert by_rule["CF1006"].severity == "error"
    assert "deletion.finalizers.rabbitmqclusters.rabbitmq.com" in by_rule["CF1006"].message
    assert by_rule["CF1006"].position.file == "templates/operator.yaml"
    assert "RabbitmqCluster" in by_rule["CF1004"].message
    assert "post-install hook" in by_rule["CF1007"].message
    assert "release-name-operator-role" in by_rule["CF1008"].message


def test_helm3_deletes_webhooks_last_helm4_first():
    from chartfix.helm.manifest import uninstall_order

    assert uninstall_order(4)[0] == "ValidatingWebhookConfiguration"
    assert "ValidatingWebhookConfiguration" not in uninstall_order(3)


def test_binding_into_another_releases_namespace_is_not_a_dangling_role_ref(tmp_path):
    chart = tmp_path / "c"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n")
    (chart / "templates" / "rbac.yaml").write_text(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
        "metadata: {name: read-config, namespace: platform}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}\n"
        "subjects: [{kind: ServiceAccount, name: app, namespace: default}]\n"
        "---\n"
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
        "metadata: {name: read-own}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: own-reader}\n"
        "subjects: [{kind: ServiceAccount, name: app, namespace: default}]\n"
    )
    report = lint_chart(str(chart), LintOptions(derive_scenarios=False))
    dangling = [f.subject for f in report.findings if f.rule_id == "CF1008"]
    # the Role of namespace `platform` belongs to the release that owns that namespace; the one in the
    # release's own namespace is the chart's to define
    assert dangling == ["RoleBinding default/read-own"]
