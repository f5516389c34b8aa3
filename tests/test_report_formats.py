"""chartfix lint's CI formats: SARIF 2.1.0 (validated against the OASIS schema), GitHub annotations,
JUnit XML, several outputs in one run."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
from helm import require
from typer.testing import CliRunner

from chartfix.cli.app import app
from chartfix.cli.batch import LintSettings, lint_one
from chartfix.reports.formats import render_github, render_json, render_text
from chartfix.reports.junit import render_junit
from chartfix.reports.sarif import FINGERPRINT_KEY, render_sarif
from chartfix.rules import catalog

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SARIF_SCHEMA = ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"

ROLEBINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {name}
{extra}roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing-{name}}}
subjects: [{{kind: ServiceAccount, name: default}}]
"""


def write_chart(folder: Path, documents: list[str]) -> Path:
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(f"apiVersion: v2\nname: {folder.name}\nversion: 0.1.0\n")
    (folder / "templates" / "rb.yaml").write_text("---\n".join(documents))
    return folder


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def two_findings(in_tmp):
    write_chart(
        in_tmp / "charts" / "app",
        [
            ROLEBINDING.format(name="a", extra=""),
            ROLEBINDING.format(
                name="b", extra='  annotations:\n    chartfix.io/ignore: "CF1008 -- platform role"\n'
            ),
        ],
    )
    return [lint_one("charts/app", LintSettings())]


def sarif_schema() -> dict:
    if not SARIF_SCHEMA.is_file():
        require(f"SARIF schema not found at {SARIF_SCHEMA}")
    return json.loads(SARIF_SCHEMA.read_text())


def test_sarif_validates_and_has_rules_results_and_suppressions(two_findings):
    document = json.loads(render_sarif(two_findings))
    jsonschema.validate(document, sarif_schema())
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= set(catalog())
    cf1001 = next(r for r in rules if r["id"] == "CF1001")
    assert cf1001["defaultConfiguration"]["level"] == "error"
    assert cf1001["help"]["markdown"] == catalog()["CF1001"].documentation()
    assert cf1001["shortDescription"]["text"] == catalog()["CF1001"].summary
    active, suppressed = run["results"]
    assert active["ruleId"] == "CF1008" and active["level"] == "warning"
    location = active["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "charts/app/templates/rb.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 1}
    assert rules[active["ruleIndex"]]["id"] == "CF1008"
    assert "suppressions" not in active
    assert suppressed["suppressions"][0]["kind"] == "inSource"
    assert suppressed["suppressions"][0]["justification"] == "platform role"
    assert len(active["partialFingerprints"][FINGERPRINT_KEY]) == 32


def test_sarif_fingerprint_survives_moved_lines(in_tmp):
    chart = write_chart(in_tmp / "app", [ROLEBINDING.format(name="a", extra="")])
    before = json.loads(render_sarif([lint_one("app", LintSettings())]))["runs"][0]["results"][0]
    template = chart / "templates" / "rb.yaml"
    template.write_text("# a comment\n\n" + template.read_text())
    after = json.loads(render_sarif([lint_one("app", LintSettings())]))["runs"][0]["results"][0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert before["partialFingerprints"] == after["partialFingerprints"]


def test_sarif_for_an_archive_points_at_the_archive(in_tmp):
    import tarfile

    write_chart(in_tmp / "src" / "app", [ROLEBINDING.format(name="a", extra="")])
    with tarfile.open(in_tmp / "app-0.1.0.tgz", "w:gz") as archive:
        archive.add(in_tmp / "src" / "app", arcname="app")
    document = json.loads(render_sarif([lint_one("app-0.1.0.tgz", LintSettings())]))
    jsonschema.validate(document, sarif_schema())
    result = document["runs"][0]["results"][0]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app-0.1.0.tgz"
    assert "region" not in location
    assert result["properties"]["archiveMember"] == "templates/rb.yaml"


def test_github_annotations_escape_and_map_levels(two_findings):
    lines = render_github(two_findings).splitlines()
    assert len(lines) == 1  # the suppressed finding is not annotated
    assert lines[0].startswith(
        "::warning file=charts/app/templates/rb.yaml,line=2,col=1,title=CF1008 dangling-role-ref::"
    )
    assert "\n" not in lines[0] and "%0Afix: " in lines[0]
    two_findings[0].findings[0].severity = "info"
    two_findings[0].findings[0].message = "50% done: a, b"
    line = render_github(two_findings).splitlines()[0]
    assert line.startswith("::notice ") and "::50%25 done: a, b%0A" in line


def test_junit_has_a_case_per_rule_and_failures_at_fail_on(two_findings):
    two_findings[0].fail_on = "warning"
    tree = ElementTree.fromstring(render_junit(two_findings))
    suite = tree.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(catalog())  # CF0001 included
    failing = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failing] == ["CF1008 dangling-role-ref"]
    assert "charts/app/templates/rb.yaml:2:1" in failing[0].find("failure").text
    assert tree.get("failures") == "1" and suite.get("tests") == str(len(cases))
    two_findings[0].fail_on = "error"  # a warning below fail-on is output, not a failure
    tree = ElementTree.fromstring(render_junit(two_findings))
    assert tree.get("failures") == "0"
    assert any("missing-a" in (c.findtext("system-out") or "") for c in tree.iter("testcase"))


def test_json_and_text_show_suppressed_separately(two_findings):
    document = json.loads(render_json(two_findings))
    chart = document["charts"][0]
    assert [f["subject"] for f in chart["findings"]] == ["RoleBinding default/a"]
    assert chart["suppressed"][0]["suppression"] == {
        "source": "annotation",
        "justification": "platform role",
        "location": "templates/rb.yaml:9:1",
    }
    assert document["summary"] == {"error": 0, "warning": 1, "info": 0, "suppressed": 1}
    assert render_text(two_findings).endswith(
        "0 error(s), 1 warning(s), 0 info(s) in 1 chart (1 suppressed)\n"
    )


def test_cli_writes_several_formats_in_one_run(in_tmp):
    write_chart(in_tmp / "app", [ROLEBINDING.format(name="a", extra="")])
    result = CliRunner().invoke(
        app,
        ["lint", "app", "--fail-on", "warning", "--format", "github", "--format", "sarif=out.sarif",
         "--format", "junit=out.xml"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("::warning file=app/templates/rb.yaml")
    assert json.loads((in_tmp / "out.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "CF1008"
    assert ElementTree.parse(in_tmp / "out.xml").getroot().get("failures") == "1"
    result = CliRunner().invoke(app, ["lint", "app", "--format", "json", "--output", "report.json"])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads((in_tmp / "report.json").read_text())["summary"]["warning"] == 1


def test_cli_rejects_two_formats_for_one_destination_and_unknown_formats(in_tmp):
    write_chart(in_tmp / "app", [ROLEBINDING.format(name="a", extra="")])
    result = CliRunner().invoke(app, ["lint", "app", "--format", "text", "--format", "json"])
    assert result.exit_code == 2 and "both write to stdout" in result.stderr
    result = CliRunner().invoke(app, ["lint", "app", "--format", "xml"])
    assert result.exit_code == 2 and "unknown --format 'xml'" in result.stderr


def test_fixture_chart_sarif_validates_from_the_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    document = json.loads(render_sarif([lint_one("fixtures/olm-bundled-no-hook", LintSettings())]))
    jsonschema.validate(document, sarif_schema())
    result = document["runs"][0]["results"][0]
    assert result["ruleId"] == "CF1001" and result["level"] == "error"
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert (ROOT / uri).is_file()
    assert result["properties"]["timeline"][0].startswith("step 1:")
