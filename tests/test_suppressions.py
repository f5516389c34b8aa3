"""Suppressions: object annotations, template comments with expiry, baselines, --no-inline-ignores."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chartfix.cli.app import app
from chartfix.cli.batch import LintSettings, lint_one
from chartfix.errors import ChartfixError
from chartfix.findings.baseline import read_baseline, write_baseline

ROLEBINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
{extra}roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing-{name}}}
subjects: [{{kind: ServiceAccount, name: default}}]
"""
TODAY = datetime.date(2026, 6, 1)


def annotated(name: str, value: str) -> str:
    return ROLEBINDING.format(name=name, extra=f'  annotations:\n    chartfix.io/ignore: "{value}"\n')


def plain(name: str) -> str:
    return ROLEBINDING.format(name=name, extra="")


def write_chart(folder: Path, documents: list[str]) -> Path:
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(f"apiVersion: v2\nname: {folder.name}\nversion: 0.1.0\n")
    (folder / "templates" / "rb.yaml").write_text("---\n".join(documents))
    return folder


def lint(chart: Path, **settings) -> tuple[list[tuple[str, str]], list[tuple[str, str]], object]:
    report = lint_one(str(chart), LintSettings(today=TODAY, use_config=False, **settings))
    active = [(f.rule_id, f.subject) for f in report.findings]
    suppressed = [(s.finding.subject, s.suppression.source) for s in report.suppressed]
    return active, suppressed, report


def test_annotation_with_reason_suppresses_its_object_only(tmp_path):
    chart = write_chart(
        tmp_path / "app", [annotated("a", "CF1008 -- role comes from the platform"), plain("b")]
    )
    active, suppressed, report = lint(chart)
    assert active == [("CF1008", "RoleBinding default/b")]
    assert suppressed == [("RoleBinding default/a", "annotation")]
    assert report.suppressed[0].suppression.justification == "role comes from the platform"


def test_annotation_accepts_slugs_and_lists(tmp_path):
    chart = write_chart(tmp_path / "app", [annotated("a", "CF1004, dangling-role-ref -- platform")])
    active, suppressed, _ = lint(chart)
    assert active == [] and suppressed == [("RoleBinding default/a", "annotation")]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("CF1008", "has no reason"),
        ("CF1008 --   ", "has no reason"),
        ("CF9999 -- why", "unknown rule(s): CF9999"),
    ],
)
def test_annotation_without_reason_is_not_honoured_and_reported(tmp_path, value, problem):
    chart = write_chart(tmp_path / "app", [annotated("a", value)])
    active, suppressed, report = lint(chart)
    assert suppressed == []
    assert sorted(active) == [("CF0001", "RoleBinding default/a"), ("CF1008", "RoleBinding default/a")]
    invalid = next(f for f in report.findings if f.rule_id == "CF0001")
    assert problem in invalid.message and invalid.position.file == "templates/rb.yaml"


def test_template_comment_covers_the_document_below_it_until_the_date(tmp_path):
    chart = write_chart(
        tmp_path / "app",
        [
            '{{/* chartfix:ignore CF1008 reason="tracked in OPS-1" until=2026-06-01 */}}\n' + plain("a"),
            plain("b"),
            '{{- /* chartfix:ignore dangling-role-ref reason="old" until=2026-05-31 */ -}}\n' + plain("c"),
        ],
    )
    active, suppressed, report = lint(chart)
    assert suppressed == [("RoleBinding default/a", "template-comment")]
    assert report.suppressed[0].suppression.location == "templates/rb.yaml:1:1"
    assert active == [("CF1008", "RoleBinding default/b"), ("CF1008", "RoleBinding default/c")]
    expired = report.findings[1]
    assert report.notes[expired.fingerprint()] == [
        "the ignore at templates/rb.yaml:16:1 expired on 2026-05-31 (old)"
    ]
    assert len(report.notes) == 1


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("{{/* chartfix:ignore CF1008 */}}", "no reason"),
        ('{{/* chartfix:ignore CF1008 reason="x" until=2026-13-01 */}}', "bad date until=2026-13-01"),
        ('{{/* chartfix:ignore CF1008 reason="x" owner=me */}}', "unknown option(s): owner"),
    ],
)
def test_bad_template_comment_is_reported(tmp_path, comment, problem):
    chart = write_chart(tmp_path / "app", [comment + "\n" + plain("a")])
    active, suppressed, report = lint(chart)
    assert suppressed == []
    invalid = next(f for f in report.findings if f.rule_id == "CF0001")
    assert problem in invalid.message and invalid.position.line == 1


def test_no_inline_ignores_reports_everything(tmp_path):
    chart = write_chart(
        tmp_path / "app",
        [annotated("a", "CF1008 -- x"), '{{/* chartfix:ignore CF1008 reason="y" */}}\n' + plain("b")],
    )
    active, suppressed, _ = lint(chart, inline_ignores=False)
    assert len(active) == 2 and suppressed == []


def test_baseline_reports_only_new_findings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart = write_chart(tmp_path / "app", [plain("a")])
    _, _, report = lint(chart)
    assert write_baseline("baseline.json", [report]) == 1
    recorded = json.loads((tmp_path / "baseline.json").read_text())["findings"]
    assert recorded[0]["chart"] == "app" and recorded[0]["ruleId"] == "CF1008"
    template = chart / "templates" / "rb.yaml"
    template.write_text("# moved down\n" + template.read_text() + "---\n" + plain("b"))
    active, suppressed, _ = lint(chart, baseline=read_baseline("baseline.json"))
    assert active == [("CF1008", "RoleBinding default/b")]
    assert suppressed == [("RoleBinding default/a", "baseline")]


def test_bad_baseline_is_an_input_error(tmp_path):
    (tmp_path / "b.json").write_text('{"version": 1, "findings": [{"chart": 1}]}')
    with pytest.raises(ChartfixError, match="not a chartfix baseline"):
        read_baseline(str(tmp_path / "b.json"))
    (tmp_path / "b.json").write_text("{")
    with pytest.raises(ChartfixError, match="not JSON"):
        read_baseline(str(tmp_path / "b.json"))


def test_cli_baseline_round_trip_and_exit_codes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_chart(tmp_path / "app", [plain("a")])
    runner = CliRunner()
    first = runner.invoke(app, ["lint", "app", "--fail-on", "warning", "--write-baseline", "base.json"])
    assert first.exit_code == 0 and "wrote 1 finding(s) to baseline base.json" in first.stderr
    second = runner.invoke(
        app, ["lint", "app", "--fail-on", "warning", "--baseline", "base.json", "--format", "json"]
    )
    assert second.exit_code == 0, second.output
    document = json.loads(second.stdout)
    assert document["charts"][0]["findings"] == []
    assert document["charts"][0]["suppressed"][0]["suppression"]["source"] == "baseline"


def test_rewriting_a_baseline_while_using_it_keeps_old_entries(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart = write_chart(tmp_path / "app", [plain("a"), annotated("b", "CF1008 -- inline")])
    _, _, report = lint(chart)
    write_baseline("base.json", [report])
    template = chart / "templates" / "rb.yaml"
    template.write_text(template.read_text() + "---\n" + plain("c"))
    _, _, report = lint(chart, baseline=read_baseline("base.json"))
    assert write_baseline("base.json", [report]) == 2  # a (from the old baseline) and c; b stays inline
    subjects = {
        entry["message"].split(" binds")[0]
        for entry in json.loads((tmp_path / "base.json").read_text())["findings"]
    }
    assert subjects == {"RoleBinding default/a", "RoleBinding default/c"}


def test_bad_ignores_are_reported_even_where_nothing_is_found(tmp_path):
    good_object = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"
    chart = write_chart(tmp_path / "app", [])
    (chart / "templates" / "cm.yaml").write_text(
        "{{/* chartfix:ignore CF1001 until=2026-01-01 */}}\n"
        + good_object.replace("  name: cm\n", '  name: cm\n  annotations: {chartfix.io/ignore: "CF1001"}\n')
    )
    sub = write_chart(chart / "charts" / "sub", [])
    (sub / "templates" / "x.yaml").write_text('{{/* chartfix:ignore nope reason="r" */}}\n')
    active, _, report = lint(chart)
    assert [f.rule_id for f in report.findings] == ["CF0001"] * 3
    assert sorted((f.position.file, f.position.line) for f in report.findings) == [
        ("charts/sub/templates/x.yaml", 1),
        ("templates/cm.yaml", 1),
        ("templates/cm.yaml", 3),
    ]
    assert ("CF0001", "ConfigMap default/cm") in active


def test_template_comment_just_above_the_separator_covers_the_next_document(tmp_path):
    chart = write_chart(tmp_path / "app", [])
    (chart / "templates" / "rb.yaml").write_text(
        plain("a") + '\n{{- /* chartfix:ignore CF1008 reason="next one" */}}\n' + "---\n" + plain("b")
    )
    active, suppressed, report = lint(chart)
    assert active == [("CF1008", "RoleBinding default/a")]
    assert suppressed == [("RoleBinding default/b", "template-comment")]
    assert report.suppressed[0].suppression.location == "templates/rb.yaml:8:1"
