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
    chart = _chart(tmp_path / "c", {"cleanup.yaml": RANDOM_HOOK}, ci={"a.yaml": "x: 1\n", "b.yaml": "x: 2\n"})
    first = lint_chart(str(chart), LintOptions())
    second = lint_chart(str(chart), LintOptions())
    prints = [f.fingerprint() for f in first.findings]
    assert prints == [f.fingerprint() for f in second.findings]
    assert len(prints) == len(set(prints)) == 5  # one per sub-problem, not one per scenario
    for finding in first.findings:
        assert finding.rule_id == "CF1003"
        assert finding.scenarios == ["defaults", "ci/a.yaml", "ci/b.yaml"]
        assert finding.identity.startswith("Job {{ .Release.Name }}-cleanup-{{ randNumeric 5 }}")
    fixes = {f.key: f.fix for f in first.findings}
    assert len(set(fixes.values())) == len(fixes)  # a fix per sub-problem
    assert "backoffLimit" in fixes["no-backoff-limit"]


def test_baseline_written_once_keeps_matching_random_names(tmp_path):
    chart = _chart(tmp_path / "c", {"cleanup.yaml": RANDOM_HOOK})
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
    chart = _chart(tmp_path / "c", {"cleanup.yaml": RANDOM_HOOK}, ci={"a.yaml": "x: 1\n"})
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
