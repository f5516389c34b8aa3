""".chartfix.yaml: discovery, schema validation with file/line errors, rules, fail-on, per-chart
values and ignores by path / kind / namespace / name."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from typer.testing import CliRunner

from chartfix.cli.app import app
from chartfix.cli.batch import LintSettings, lint_one
from chartfix.errors import ChartfixError
from chartfix.findings.config import config_schema, find_config, load_config
from chartfix.reports.junit import render_junit

ROLEBINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
{{{{- if .Values.ns }}}}
  namespace: {{{{ .Values.ns }}}}
{{{{- end }}}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing-{name}}}
subjects: [{{kind: ServiceAccount, name: default}}]
"""


def write_chart(folder: Path, names: list[str], template: str = "templates/rb.yaml") -> Path:
    (folder / template).parent.mkdir(parents=True, exist_ok=True)
    (folder / "Chart.yaml").write_text(f"apiVersion: v2\nname: {folder.name}\nversion: 0.1.0\n")
    (folder / template).write_text("---\n".join(ROLEBINDING.format(name=n) for n in names))
    return folder


def write_config(folder: Path, text: str) -> Path:
    path = folder / ".chartfix.yaml"
    path.write_text(text)
    load_config.cache_clear()
    return path


def findings(chart: Path, **settings) -> tuple[list[tuple[str, str, str]], object]:
    report = lint_one(str(chart), LintSettings(today=datetime.date(2026, 6, 1), **settings))
    return [(f.rule_id, f.severity, f.subject) for f in report.findings], report


def test_found_upward_and_rules_switched_and_reseverityd(tmp_path):
    chart = write_chart(tmp_path / "repo" / "charts" / "app", ["a"])
    write_config(tmp_path / "repo", "fail-on: info\nrules:\n  dangling-role-ref: {severity: info}\n")
    assert find_config(str(chart)) == str(tmp_path / "repo" / ".chartfix.yaml")
    active, report = findings(chart)
    assert active == [("CF1008", "info", "RoleBinding default/a")]
    assert report.fail_on == "info"
    write_config(tmp_path / "repo", "rules:\n  CF1008: off\n")
    active, report = findings(chart)
    assert active == [] and "CF1008" in report.disabled_rules
    suite = ElementTree.fromstring(render_junit([report])).find("testsuite")
    assert suite.get("skipped") == "1"
    assert suite.find("testcase[@name='CF1008 dangling-role-ref']/skipped") is not None
    assert findings(chart, use_config=False)[0] == [("CF1008", "warning", "RoleBinding default/a")]


def test_explicit_config_and_command_line_fail_on_win(tmp_path):
    chart = write_chart(tmp_path / "app", ["a"])
    other = tmp_path / "elsewhere"
    other.mkdir()
    write_config(tmp_path, "rules:\n  CF1008: off\n")
    path = write_config(other, "fail-on: warning\n")
    active, report = findings(chart, config_file=str(path))
    assert len(active) == 1 and report.fail_on == "warning"
    assert findings(chart, config_file=str(path), fail_on="never")[1].fail_on == "never"


def test_values_per_chart(tmp_path):
    chart = write_chart(tmp_path / "charts" / "app", ["a"])
    # the chart lives in the namespace too (a RoleBinding alone there would bind another release's Role)
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"
        "  namespace: {{ .Values.ns | default .Release.Namespace }}\n"
    )
    (tmp_path / "prod.yaml").write_text("ns: prod\n")
    write_config(tmp_path, "charts:\n  - path: charts/*\n    values: [prod.yaml]\n")
    assert findings(chart)[0] == [("CF1008", "warning", "RoleBinding prod/a")]


def test_ignores_by_path_kind_namespace_and_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart = write_chart(tmp_path / "app", ["a", "b"])
    write_chart(chart / "charts" / "sub", ["c"])
    write_config(
        tmp_path,
        """ignore:
  - path: charts/sub/**
    reason: third-party subchart
  - kind: RoleBinding
    namespace: default
    name: "a*"
    rules: [CF1008]
    reason: platform role
""",
    )
    active, report = findings(chart)
    assert active == [("CF1008", "warning", "RoleBinding default/b")]
    sources = sorted((s.finding.subject, s.suppression.location) for s in report.suppressed)
    assert sources == [
        ("RoleBinding default/a", ".chartfix.yaml:4"),
        ("RoleBinding default/c", ".chartfix.yaml:2"),
    ]
    assert {s.suppression.source for s in report.suppressed} == {"config"}


def test_expired_config_ignore_returns_with_a_note(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart = write_chart(tmp_path / "app", ["a"])
    write_config(tmp_path, "ignore:\n  - name: a\n    reason: later\n    until: 2026-05-01\n")
    active, report = findings(chart)
    assert len(active) == 1
    assert report.notes[report.findings[0].fingerprint()] == [
        "the ignore at .chartfix.yaml:2 expired on 2026-05-01 (later)"
    ]


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("rulez: {}\n", ":1:1:", "unknown key 'rulez' in (top level)"),
        ("rules:\n  CF1008:\n    severity: fatal\n", ":2:3:", "rules.CF1008"),
        ("ignore:\n  - kind: Pod\n    reson: x\n", ":3:5:", "unknown key 'reson' in ignore[0]"),
        ("ignore:\n  - kind: Pod\n", ":2:5:", "'reason' is a required property"),
        ("fail-on: sometimes\n", ":1:1:", "fail-on: 'sometimes' is not one of"),
        ("rules:\n  CF9999: off\n", ":2:3:", "unknown rule 'CF9999'"),
        ("ignore:\n  - name: a\n    reason: x\n    until: 2026-02-30\n", ":4:5:", "bad date"),
        ("rules: [\n", ":2:1:", "invalid YAML"),
    ],
)
def test_bad_config_names_file_and_line(tmp_path, text, where, message):
    path = write_config(tmp_path, text)
    with pytest.raises(ChartfixError) as raised:
        load_config(str(path))
    assert str(raised.value).startswith(str(path) + where), str(raised.value)
    assert message in str(raised.value)


def test_cli_bad_config_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_chart(tmp_path / "app", ["a"])
    write_config(tmp_path, "colour: red\n")
    result = CliRunner().invoke(app, ["lint", "app"])
    assert result.exit_code == 2
    assert ".chartfix.yaml:1:1: invalid configuration: unknown key 'colour'" in result.stderr
    assert CliRunner().invoke(app, ["lint", "app", "--no-config"]).exit_code == 0


def test_schema_is_shipped_and_is_a_valid_schema():
    schema = config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(schema["properties"]) == {"fail-on", "rules", "charts", "ignore"}
    assert json.loads(json.dumps(schema)) == schema
