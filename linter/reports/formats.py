"""Lint reports: human text, a stable JSON document, GitHub workflow annotations, JUnit XML
(junit.py) and SARIF (sarif.py).

JSON shape (version 1):
{
  "version": 1,
  "tool": {"name": "chartfix", "version": "0.1.0"},
  "charts": [{"chart": "path/as/given", "scenarios": ["defaults", ...],
              "findings": [{"ruleId": "CF1001", "slug": "...", "severity": "error|warning|info",
                            "message": "...", "file": "templates/x.yaml", "line": 3, "column": 1,
                            "scenario": "defaults", "scenarios": ["defaults", "ci/x.yaml"],
                            "subject": "Deployment olm/olm-operator",
                            "fix": "...", "fingerprint": "hex", "timeline": ["step 1: ..."],
                            "timelineFocus": [0, 3], "notes": ["the ignore at templates/x.yaml:3 expired on ..."]}],
              "suppressed": [{...same fields..., "suppression": {"source": "annotation|template-comment|
                              config|baseline", "justification": "...", "location": "..."}}],
              "skipped": ["only when a scenario or template could not be linted: why"],
              "error": "only when the chart could not be linted"}],
  "summary": {"error": 0, "warning": 0, "info": 0, "suppressed": 0}
}
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from chartfix import __version__
from chartfix.reports.sarif import artifact_uri, render_sarif
from chartfix.rules.finding import Finding

if TYPE_CHECKING:
    from chartfix.findings.lint import ChartReport

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def summary_counts(reports: list[ChartReport]) -> Counter[str]:
    return Counter(f.severity for r in reports for f in r.findings)


FORMATS = ("text", "json", "sarif", "github", "junit")


def render(
    output_format: str,
    reports: list[ChartReport],
    colour: bool = False,
    verbose: bool = False,
    errors: bool = True,
) -> str:
    """The report in one of FORMATS. `verbose`: text shows every timeline step, not only the focus;
    `errors=False`: text leaves out the charts that could not be linted (already said on stderr)."""
    if output_format == "text":
        return render_text(reports, colour=colour, verbose=verbose, errors=errors)
    if output_format == "json":
        return render_json(reports)
    if output_format == "sarif":
        return render_sarif(reports)
    if output_format == "github":
        return render_github(reports)
    if output_format == "junit":
        # deferred (docs/architecture.md): xml.etree is loaded only for JUnit output
        from chartfix.reports.junit import render_junit  # noqa: PLC0415

        return render_junit(reports)
    raise ValueError(f"unknown format {output_format!r}")


def render_text(
    reports: list[ChartReport],
    colour: bool = False,
    timeline: bool = True,
    verbose: bool = False,
    errors: bool = True,
) -> str:
    """One line per finding (location, severity, rule, message, the scenarios where it holds), its fix
    indented below, and the uninstall steps that explain it (every step with `verbose`)."""
    lines: list[str] = []
    for report in reports:
        if report.error is not None and errors:
            lines.append(f"{report.chart}: cannot lint: {report.error}")
        for finding in report.findings:
            notes = report.notes.get(finding.fingerprint(), [])
            lines += _text_finding(finding, colour, timeline, notes, verbose)
        for skipped in report.skipped:
            lines.append(f"{report.chart}: note: {skipped}")
    counts = summary_counts(reports)
    charts = len(reports)
    summary = (
        f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info(s) "
        f"in {charts} chart{'s' if charts != 1 else ''}"
    )
    suppressed = sum(len(r.suppressed) for r in reports)
    if suppressed:
        summary += f" ({suppressed} suppressed)"
    failed = sum(r.error is not None for r in reports)
    if failed:
        summary += f"; {failed} chart{'s' if failed != 1 else ''} could not be linted"
    lines.append(f"{_BOLD}{summary}{_RESET}" if colour else summary)
    return "\n".join(lines) + "\n"


def scenarios_text(finding: Finding) -> str:
    """ "" when the finding holds only with the defaults, else "[in: defaults, ci/a.yaml]"."""
    if finding.scenarios == ["defaults"]:
        return ""
    return f" [in: {', '.join(finding.scenarios)}]"


def _text_finding(
    finding: Finding, colour: bool, timeline: bool, notes: list[str], verbose: bool = False
) -> list[str]:
    location = f"{finding.chart.rstrip('/')}/{finding.position}"
    severity = finding.severity
    if colour:
        severity = f"{_COLOURS[severity]}{severity}{_RESET}"
        location = f"{_BOLD}{location}{_RESET}"
    lines = [
        f"{location}: {severity} {finding.rule_id} [{finding.slug}] {finding.message}{scenarios_text(finding)}"
    ]
    lines += [f"  {detail}" for detail in finding.details]
    lines += [f"  note: {note}" for note in notes]
    lines.append(f"  fix: {finding.fix}")
    if timeline and finding.timeline:
        steps = finding.timeline
        if not verbose and finding.timeline_focus and len(finding.timeline_focus) < len(steps):
            steps = [steps[i] for i in finding.timeline_focus if i < len(steps)]
            lines.append(
                f"  uninstall timeline ({len(steps)} of {len(finding.timeline)} steps; --verbose for all):"
            )
        else:
            lines.append("  uninstall timeline:")
        lines += [f"    {step}" for step in steps]
    if colour:
        lines[1:] = [f"{_DIM}{line}{_RESET}" for line in lines[1:]]
    return lines


def render_json(reports: list[ChartReport]) -> str:
    counts = summary_counts(reports)
    document = {
        "version": 1,
        "tool": {"name": "chartfix", "version": __version__},
        "charts": [_chart_json(report) for report in reports],
        "summary": {
            **{severity: counts[severity] for severity in ("error", "warning", "info")},
            "suppressed": sum(len(r.suppressed) for r in reports),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _chart_json(report: ChartReport) -> dict:
    chart: dict = {
        "chart": report.chart,
        "scenarios": report.scenarios,
        "findings": [finding_json(f, report.notes.get(f.fingerprint(), [])) for f in report.findings],
        "suppressed": [
            {
                **finding_json(item.finding, []),
                "suppression": {
                    "source": item.suppression.source,
                    "justification": item.suppression.justification,
                    "location": item.suppression.location,
                },
            }
            for item in report.suppressed
        ],
    }
    if report.skipped:
        chart["skipped"] = report.skipped
    if report.error is not None:
        chart["error"] = report.error
    return chart


def finding_json(finding: Finding, notes: list[str] | None = None) -> dict:
    return {
        "ruleId": finding.rule_id,
        "slug": finding.slug,
        "severity": finding.severity,
        "message": finding.message,
        "file": finding.position.file,
        "line": finding.position.line,
        "column": finding.position.column,
        "scenario": finding.scenario,
        "scenarios": finding.scenarios,
        "subject": finding.subject,
        "fix": finding.fix,
        "fingerprint": finding.fingerprint(),
        "timeline": finding.timeline,
        "timelineFocus": finding.timeline_focus,
        "details": finding.details,
        "notes": notes or [],
    }


_GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(reports: list[ChartReport]) -> str:
    """GitHub Actions workflow commands: one annotation per finding (paths relative to the working
    directory, which is the repository root in a checkout)."""

    lines = []
    for report in reports:
        if report.error is not None:
            lines.append(f"::error title=chartfix::{_github_data(f'{report.chart}: {report.error}')}")
        for note in report.skipped:
            lines.append(f"::notice title=chartfix::{_github_data(f'{report.chart}: {note}')}")
        for finding in report.findings:
            uri, archive = artifact_uri(report.chart, finding.position.file)
            path = uri.removeprefix("file://")
            fields = [f"file={_github_property(path)}"]
            if not archive and finding.position.line > 0:
                fields.append(f"line={finding.position.line}")
                if finding.position.column > 0:
                    fields.append(f"col={finding.position.column}")
            fields.append(f"title={_github_property(f'{finding.rule_id} {finding.slug}')}")
            message = finding.message
            if archive:
                message = f"{finding.position}: {message}"
            for note in report.notes.get(finding.fingerprint(), []):
                message += f" (note: {note})"
            message += f"\nfix: {finding.fix}"
            lines.append(
                f"::{_GITHUB_COMMANDS[finding.severity]} {','.join(fields)}::{_github_data(message)}"
            )
    return "".join(line + "\n" for line in lines)
