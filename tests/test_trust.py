"""Findings people can trust in CI (issue #12): one finding per object across scenarios, fingerprints
that survive random names, text a person reads at a glance."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chartfix.cli.app import app
from chartfix.findings.lint import LintOptions, lint_chart

RANDOM_HOOK = """\
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-cleanup-{{ randNumeric 5 }}
  annotations:
    helm.sh/hook: pre-delete
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: c
          image: bitnami/kubectl:latest
          command: [kubectl, delete, namespace, operators]
"""
# What the hook's (default) ServiceAccount needs to delete the namespace, so the hook can run.
HOOK_RBAC = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: namespace-cleaner
rules:
  - {apiGroups: [""], resources: [namespaces], verbs: [get, list, delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: namespace-cleaner
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: namespace-cleaner}
subjects: [{kind: ServiceAccount, name: default, namespace: default}]
"""


def _chart(
    root: Path, templates: dict[str, str], values: str = "{}\n", ci: dict[str, str] | None = None
) -> Path:
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    (root / "values.yaml").write_text(values)
    for name, text in templates.items():
        (root / "templates" / name).write_text(text)
    for name, text in (ci or {}).items():
        (root / "ci").mkdir(exist_ok=True)
        (root / "ci" / name).write_text(text)
    return root


def test_random_names_keep_fingerprints_and_scenarios_merge(tmp_path):
    chart = _chart(
        tmp_path / "c",
        {"cleanup.yaml": RANDOM_HOOK, "rbac.yaml": HOOK_RBAC},
        ci={"a.yaml": "x: 1\n", "b.yaml": "x: 2\n"},
    )
    first = lint_chart(str(chart), LintOptions())
    second = lint_chart(str(chart), LintOptions())
    prints = [f.fingerprint() for f in first.findings]
    assert prints == [f.fingerprint() for f in second.findings]
    # one per sub-problem (deadline, backoff, image, delete policy, --ignore-not-found, ...), not per scenario
    assert len(prints) == len(set(prints)) == 5
    for finding in first.findings:
        assert finding.rule_id == "CF1003"
        assert finding.scenarios == ["defaults", "ci/a.yaml", "ci/b.yaml"]
        assert finding.identity.startswith("Job {{ .Release.Name }}-cleanup-{{ randNumeric 5 }}")
    fixes = {f.key: f.fix for f in first.findings}
    assert len(set(fixes.values())) == len(fixes)  # a fix per sub-problem
    assert "backoffLimit" in fixes["no-backoff-limit"]


def test_baseline_written_once_keeps_matching_random_names(tmp_path):
    chart = _chart(tmp_path / "c", {"cleanup.yaml": RANDOM_HOOK, "rbac.yaml": HOOK_RBAC})
    baseline = tmp_path / "baseline.json"
    runner = CliRunner()
    written = runner.invoke(
        app, ["lint", str(chart), "--fail-on", "warning", "--write-baseline", str(baseline)]
    )
    assert written.exit_code == 0, written.output  # recording findings is not a failure
    for _ in range(2):
        again = runner.invoke(app, ["lint", str(chart), "--baseline", str(baseline), "--format", "json"])
        assert again.exit_code == 0, again.output
        document = json.loads(again.stdout)
        assert document["charts"][0]["findings"] == []
        assert len(document["charts"][0]["suppressed"]) == 5


def test_json_lists_scenarios_and_text_is_one_line_per_finding(tmp_path):
    chart = _chart(
        tmp_path / "c", {"cleanup.yaml": RANDOM_HOOK, "rbac.yaml": HOOK_RBAC}, ci={"a.yaml": "x: 1\n"}
    )
    runner = CliRunner()
    result = runner.invoke(app, ["lint", str(chart), "--format", "json", "--fail-on", "never"])
    finding = json.loads(result.stdout)["charts"][0]["findings"][0]
    assert finding["scenario"] == "defaults"
    assert finding["scenarios"] == ["defaults", "ci/a.yaml"]
    text = runner.invoke(app, ["lint", str(chart), "--fail-on", "never"]).stdout
    heads = [line for line in text.splitlines() if not line.startswith(" ")]
    assert len(heads) == 6  # 5 findings and the summary
    assert all(
        "templates/cleanup.yaml:2:1: warning CF1003" in h and "[in: defaults, ci/a.yaml]" in h
        for h in heads[:5]
    )


def _olm_fixture() -> str:
    return str(Path(__file__).resolve().parent.parent / "fixtures" / "olm-bundled-no-hook")


def test_timeline_shows_the_steps_that_explain_it_and_verbose_shows_all():
    runner = CliRunner()
    short = runner.invoke(app, ["lint", _olm_fixture()]).stdout
    full = runner.invoke(app, ["lint", _olm_fixture(), "--verbose"]).stdout
    steps = [line for line in short.splitlines() if line.startswith("    step ")]
    all_steps = [line for line in full.splitlines() if line.startswith("    step ")]
    assert 0 < len(steps) < len(all_steps)
    assert "--verbose for all" in short
    assert any("Helm deletes Deployment olm/olm-operator" in line for line in steps)
    assert any("stays Terminating" in line for line in steps)
    assert not any("Helm deletes Service" in line for line in steps)  # unrelated deletes left out


def test_colour_follows_no_color_and_the_option(monkeypatch):
    runner = CliRunner()
    always = runner.invoke(app, ["lint", _olm_fixture(), "--color", "always"]).stdout
    assert "\033[" in always
    never = runner.invoke(app, ["lint", _olm_fixture(), "--color", "never"]).stdout
    assert "\033[" not in never
    monkeypatch.setenv("NO_COLOR", "1")
    auto = runner.invoke(app, ["lint", _olm_fixture()]).stdout
    assert "\033[" not in auto


def test_help_has_no_python_type_names_and_path_errors_read_the_same(tmp_path):
    runner = CliRunner()
    for command in ("lint", "render", "patch", "simulate"):
        options = runner.invoke(app, [command, "--help"]).stdout.split("Options:")[1]
        assert "<bool>" not in options and "<str>" not in options and "list[str]>" not in options
    missing = str(tmp_path / "nope")
    for command in (["lint"], ["render"], ["simulate"], ["patch", "--diff"]):
        result = runner.invoke(app, [*command, missing])
        assert result.exit_code == 2
        assert result.stderr == f"Error: {missing}: no such file or folder\n"


def test_a_chart_error_is_printed_once(tmp_path):
    chart = _chart(tmp_path / "c", {"bad.yaml": "{{ .Values.x.y.z }}\n"})
    result = CliRunner().invoke(app, ["lint", str(chart)])
    assert (result.stdout + result.stderr).count("nil pointer") == 1, result.output


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: {{ .Values.a | quote }}}\n"


def test_library_chart_is_linted_like_helm_lint(tmp_path):
    chart = _chart(tmp_path / "lib", {"_helpers.tpl": '{{- define "lib.x" -}}x{{- end -}}\n'})
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n")
    result = CliRunner().invoke(app, ["lint", str(chart)])
    assert result.exit_code == 0, result.output
    assert "library chart: templates not rendered" in result.stdout
    (chart / "values.schema.json").write_text('{"properties": {"a": {"type": "integer"}}}')
    bad = CliRunner().invoke(app, ["lint", str(chart), "--set", "a=text", "--format", "json"])
    assert bad.exit_code == 1
    assert [f["ruleId"] for f in json.loads(bad.stdout)["charts"][0]["findings"]] == ["CF1009"]


def test_missing_dependency_is_a_warning_and_the_rest_is_linted(tmp_path):
    chart = _chart(tmp_path / "c", {"cleanup.yaml": RANDOM_HOOK, "rbac.yaml": HOOK_RBAC})
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: demo\nversion: 0.1.0\ndependencies:\n"
        "  - name: redis\n    version: 1.0.0\n    repository: https://example.com\n"
    )
    report = lint_chart(str(chart), LintOptions())
    missing = [f for f in report.findings if f.rule_id == "CF1021"]
    assert len(missing) == 1 and missing[0].position.file == "Chart.yaml" and missing[0].position.line == 5
    assert "redis" in missing[0].message and "helm dependency build" in missing[0].message
    assert any(f.rule_id == "CF1003" for f in report.findings)  # what renders is still linted
    assert CliRunner().invoke(app, ["lint", str(chart)]).exit_code == 0  # warnings only
    with_values = lint_chart(str(chart), LintOptions(set_values=["redis.auth.enabled=false"]))
    assert "CF1020" not in [f.rule_id for f in with_values.findings]  # the subchart's, not a typo


def test_chart_failing_on_defaults_gets_a_finding_and_its_ci_files_are_linted(tmp_path):
    templates = {
        "cm.yaml": '{{- $_ := required "a must be set" .Values.a }}\n' + CONFIG_MAP,
        "cleanup.yaml": RANDOM_HOOK,
        "rbac.yaml": HOOK_RBAC,
    }
    chart = _chart(tmp_path / "c", templates, ci={"good.yaml": "a: x\n", "bad.yaml": "b: y\n"})
    report = lint_chart(str(chart), LintOptions())
    (failed,) = [f for f in report.findings if f.rule_id == "CF1022"]  # one place, two scenarios
    assert (failed.position.file, failed.position.line) == ("templates/cm.yaml", 1)
    assert failed.scenarios == ["defaults", "ci/bad.yaml"]
    assert all("a must be set" in f.message for f in report.findings if f.rule_id == "CF1022")
    hooks = [f for f in report.findings if f.rule_id == "CF1003"]
    assert hooks and all(f.scenarios == ["ci/good.yaml"] for f in hooks)
    assert any("derived scenarios" in note for note in report.skipped)


def test_remote_schema_ref_is_a_note_not_a_values_finding(tmp_path):
    chart = _chart(tmp_path / "c", {"cm.yaml": CONFIG_MAP}, values="a: x\n")
    (chart / "values.schema.json").write_text(
        '{"properties": {"a": {"$ref": "https://example.com/schemas/a.json"}}}'
    )
    report = lint_chart(str(chart), LintOptions())
    assert [f.rule_id for f in report.findings] == []
    assert any("values.schema.json" in note and "not applied" in note for note in report.skipped)
    assert report.scenarios == ["defaults"]


def test_unknown_set_key_is_reported(tmp_path):
    chart = _chart(tmp_path / "c", {"cm.yaml": CONFIG_MAP}, values="a: x\ndeployOLM: true\nextra: {}\n")
    report = lint_chart(
        str(chart), LintOptions(set_values=["deployOml=false", "deployOLM=false", "extra.free=1"])
    )
    unknown = [f for f in report.findings if f.rule_id == "CF1020"]
    assert len(unknown) == 1 and unknown[0].severity == "warning"
    assert "--set deployOml=false" in unknown[0].message and "deployOml" in unknown[0].key
    (chart / "values.schema.json").write_text('{"properties": {"deployOml": {"type": "boolean"}}}')
    allowed = lint_chart(str(chart), LintOptions(set_values=["deployOml=false"]))
    assert not [f for f in allowed.findings if f.rule_id == "CF1020"]


def test_readme_pre_commit_snippet_names_real_hooks_and_a_commit_sha():
    import re

    import yaml

    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(repos:\n.*?)```", readme, re.DOTALL).group(1)
    (repo,) = yaml.safe_load(block)["repos"]
    assert re.fullmatch(r"[0-9a-f]{40}", str(repo["rev"]))  # a sha works with pre-commit; tags do not exist
    defined = {hook["id"] for hook in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}
    assert {hook["id"] for hook in repo["hooks"]} <= defined
    assert "pip install chartfix" not in readme  # not published


def test_notes_reach_every_format(tmp_path):
    chart = _chart(tmp_path / "lib", {"_helpers.tpl": '{{- define "lib.x" -}}x{{- end -}}\n'})
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: lib\nversion: 0.1.0\ntype: library\n")
    runner = CliRunner()
    sarif = json.loads(runner.invoke(app, ["lint", str(chart), "--format", "sarif"]).stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["level"] for n in notes] == ["note"] and "library chart" in notes[0]["message"]["text"]
    github = runner.invoke(app, ["lint", str(chart), "--format", "github"]).stdout
    assert github.startswith("::notice title=chartfix::") and "library chart" in github
    document = json.loads(runner.invoke(app, ["lint", str(chart), "--format", "json"]).stdout)
    assert "library chart" in document["charts"][0]["skipped"][0]


def test_keys_below_a_map_the_templates_range_over_are_the_users_to_choose(tmp_path):
    template = "{{- range $name, $c := .Values.collectors }}\n# {{ $name }}\n{{- end }}\n"
    chart = _chart(tmp_path / "c", {"cm.yaml": template}, values="collectors:\n  daemon: {mode: daemonset}\n")
    report = lint_chart(
        str(chart), LintOptions(set_values=["collectors.mine.mode=deployment", "colectors.x=1"])
    )
    unknown = [f.message.split(" sets ")[1].split(",")[0] for f in report.findings if f.rule_id == "CF1020"]
    assert unknown == ["colectors.x"]
