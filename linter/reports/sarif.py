"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps).

Artifact paths are relative to the working directory (run chartfix from the repository root) under
the base id %SRCROOT%; a finding inside a .tgz archive points at the archive. partialFingerprints carry
the finding's fingerprint, which does not change when lines move.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chartfix import __version__
from chartfix.findings.suppress import Suppression, all_rules
from chartfix.rules.finding import Finding

if TYPE_CHECKING:
    from chartfix.findings.lint import ChartReport

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "chartfix/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render_sarif(reports: list[ChartReport]) -> str:
    rules = all_rules()
    rule_index = {rule.id: index for index, rule in enumerate(rules)}
    results = []
    for report in reports:
        for finding in report.findings:
            results.append(_result(report, finding, rule_index, None))
        for item in report.suppressed:
            results.append(_result(report, item.finding, rule_index, item.suppression))
    notifications = [
        {"level": "error", "message": {"text": f"{report.chart}: {report.error}"}}
        for report in reports
        if report.error is not None
    ]
    notes = [
        {"level": "note", "message": {"text": f"{report.chart}: {note}"}}
        for report in reports
        for note in report.skipped
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "chartfix",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [_rule_descriptor(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": Path(os.getcwd()).as_uri() + "/"}},
        "invocations": [
            {
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications + notes,
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.slug.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(rule.rationale.split())},
        "help": {"text": rule.documentation(), "markdown": rule.documentation()},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["helm", "kubernetes"], "slug": rule.slug},
    }


def artifact_uri(chart: str, relative_file: str) -> tuple[str, bool]:
    """(uri, inside an archive). Relative to the working directory when below it, else a file: URI."""
    chart_path = os.path.abspath(chart)
    archive = not os.path.isdir(chart_path)
    target = chart_path if archive else os.path.join(chart_path, relative_file)
    relative = os.path.relpath(target)
    if relative.startswith(".."):
        return Path(target).as_uri(), archive
    return Path(relative).as_posix(), archive


def _result(
    report: ChartReport, finding: Finding, rule_index: dict[str, int], suppression: Suppression | None
) -> dict[str, Any]:
    uri, archive = artifact_uri(report.chart, finding.position.file)
    location: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if not uri.startswith("file:"):
        location["artifactLocation"]["uriBaseId"] = SRCROOT
    if not archive and finding.position.line > 0:
        region = {"startLine": finding.position.line}
        if finding.position.column > 0:
            region["startColumn"] = finding.position.column
        location["region"] = region
    text = finding.message
    for note in report.notes.get(finding.fingerprint(), []):
        text += f" (note: {note})"
    properties: dict[str, Any] = {
        "chart": report.chart,
        "scenario": finding.scenario,
        "scenarios": finding.scenarios,
        "fix": finding.fix,
    }
    if finding.subject:
        properties["subject"] = finding.subject
    if archive:
        properties["archiveMember"] = finding.position.file
    if finding.details:
        properties["details"] = finding.details
    if finding.timeline:
        properties["timeline"] = finding.timeline
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint()},
        "properties": properties,
    }
    if suppression is not None:
        result["suppressions"] = [
            {
                "kind": "inSource" if suppression.in_source else "external",
                "status": "accepted",
                "justification": suppression.justification,
                "properties": {"source": suppression.source, "location": suppression.location},
            }
        ]
    return result
