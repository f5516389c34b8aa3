"""JUnit XML lint reports: a test suite per chart, a test case per rule of the pack."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from chartfix.findings.suppress import all_rules
from chartfix.rules.finding import Finding, severity_rank

if TYPE_CHECKING:
    from chartfix.findings.lint import ChartReport


def render_junit(reports: list[ChartReport]) -> str:
    """JUnit XML: a test suite per chart, a test case per rule; findings at the chart's fail-on level
    are failures (one per rule, listing every finding), findings below it are printed as output."""

    suites = ElementTree.Element("testsuites", name="chartfix")
    totals: Counter[str] = Counter()
    for report in reports:
        totals.update(_junit_suite(suites, report, all_rules()))
    for key in _JUNIT_COUNTS:
        suites.set(key, str(totals[key]))
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
    )


_JUNIT_COUNTS = ("tests", "failures", "errors", "skipped")


def _junit_suite(parent: ElementTree.Element, report: ChartReport, rules: tuple) -> Counter[str]:

    suite = ElementTree.SubElement(parent, "testsuite", name=report.chart)
    counts: Counter[str] = Counter()
    if report.error is not None:
        case = ElementTree.SubElement(suite, "testcase", classname=report.chart, name="lint")
        ElementTree.SubElement(case, "error", message=report.error, type="ChartfixError").text = report.error
        counts.update(tests=1, errors=1)
        rules = ()
    threshold = None if report.fail_on == "never" else severity_rank(report.fail_on)
    for rule in rules:
        case = ElementTree.SubElement(
            suite, "testcase", classname=report.chart, name=f"{rule.id} {rule.slug}"
        )
        counts.update(tests=1)
        if rule.id in report.disabled_rules:
            ElementTree.SubElement(case, "skipped", message="disabled by configuration")
            counts.update(skipped=1)
            continue
        findings = [f for f in report.findings if f.rule_id == rule.id]
        failing = [f for f in findings if threshold is not None and severity_rank(f.severity) >= threshold]
        details = "\n\n".join(_junit_finding(report, f) for f in findings)
        if failing:
            first = failing[0]
            message = (
                first.message if len(failing) == 1 else f"{len(failing)} findings; first: {first.message}"
            )
            ElementTree.SubElement(case, "failure", message=message, type=first.severity).text = details
            counts.update(failures=1)
        elif details:
            ElementTree.SubElement(case, "system-out").text = details
    for key in _JUNIT_COUNTS:
        suite.set(key, str(counts[key]))
    return counts


def _junit_finding(report: ChartReport, finding: Finding) -> str:
    lines = [f"{report.chart.rstrip('/')}/{finding.position}: {finding.severity} {finding.message}"]
    if finding.scenarios != ["defaults"]:
        lines.append(f"scenarios: {', '.join(finding.scenarios)}")
    lines += [f"note: {note}" for note in report.notes.get(finding.fingerprint(), [])]
    lines.append(f"fix: {finding.fix}")
    return "\n".join(lines)
