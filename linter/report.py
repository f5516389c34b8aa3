"""Lint reports: human text and a stable JSON document.

JSON shape (version 1):
{
  "version": 1,
  "tool": {"name": "chartfix", "version": "0.1.0"},
  "charts": [{"chart": "path/as/given", "scenarios": ["defaults", ...],
              "findings": [{"ruleId": "CF1001", "slug": "...", "severity": "error|warning|info",
                            "message": "...", "file": "templates/x.yaml", "line": 3, "column": 1,
                            "scenario": "defaults", "subject": "Deployment olm/olm-operator",
                            "fix": "...", "fingerprint": "hex", "timeline": ["step 1: ..."]}]}],
  "summary": {"error": 0, "warning": 0, "info": 0}
}
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from . import __version__
from .findings import Finding

if TYPE_CHECKING:
    from .lint import ChartReport

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def summary_counts(reports: list[ChartReport]) -> Counter[str]:
    return Counter(f.severity for r in reports for f in r.findings)


def render_text(reports: list[ChartReport], colour: bool = False, timeline: bool = True) -> str:
    lines: list[str] = []
    for report in reports:
        for finding in report.findings:
            lines += _text_finding(finding, colour, timeline)
    counts = summary_counts(reports)
    charts = len(reports)
    summary = (
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info(s) "
        f"in {charts} chart{'s' if charts != 1 else ''}"
    )
    lines.append(f"{_BOLD}{summary}{_RESET}" if colour else summary)
    return "\n".join(lines) + "\n"


def _text_finding(finding: Finding, colour: bool, timeline: bool) -> list[str]:
    location = f"{finding.chart.rstrip('/')}/{finding.position}"
    severity = finding.severity
    if colour:
        severity = f"{_COLOURS[severity]}{severity}{_RESET}"
        location = f"{_BOLD}{location}{_RESET}"
    lines = [f"{location}: {severity} {finding.rule_id} [{finding.slug}] {finding.message}"]
    if finding.scenario != "defaults":
        lines.append(f"  scenario: {finding.scenario}")
    lines.append(f"  fix: {finding.fix}")
    if timeline and finding.timeline:
        lines.append("  uninstall timeline:")
        lines += [f"    {step}" for step in finding.timeline]
    if colour:
        lines[1:] = [f"{_DIM}{line}{_RESET}" for line in lines[1:]]
    return lines


def render_json(reports: list[ChartReport]) -> str:
    counts = summary_counts(reports)
    document = {
        "version": 1,
        "tool": {"name": "chartfix", "version": __version__},
        "charts": [
            {
                "chart": report.chart,
                "scenarios": report.scenarios,
                "findings": [finding_json(f) for f in report.findings],
            }
            for report in reports
        ],
        "summary": {severity: counts[severity] for severity in ("error", "warning", "info")},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def finding_json(finding: Finding) -> dict:
    return {
        "ruleId": finding.rule_id,
        "slug": finding.slug,
        "severity": finding.severity,
        "message": finding.message,
        "file": finding.position.file,
        "line": finding.position.line,
        "column": finding.position.column,
        "scenario": finding.scenario,
        "subject": finding.subject,
        "fix": finding.fix,
        "fingerprint": finding.fingerprint(),
        "timeline": finding.timeline,
    }
