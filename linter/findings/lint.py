"""`chartfix lint`: render each values scenario of a chart, build its model, run the rule pack."""

from __future__ import annotations

import copy
import glob
import os
from dataclasses import dataclass, field
from typing import Any

from chartfix.analysis.objects import build_model
from chartfix.analysis.scenarios import Scenario, TemplateIndex, derive_scenarios
from chartfix.errors import ChartfixError, ChartLoadError, Position, ValuesError
from chartfix.findings.suppress import SuppressedFinding
from chartfix.helm.chart import Chart
from chartfix.helm.loader import load_chart
from chartfix.helm.render import RenderOptions, RenderResult, render_loaded_chart
from chartfix.helm.reuse import RenderMemo
from chartfix.rules import catalog
from chartfix.rules.checks import CHECKS, LintContext, check_olm_bundled
from chartfix.rules.finding import Finding


@dataclass
class LintOptions:
    values_files: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)
    namespace: str = "default"
    release_name: str = "release-name"
    kube_version: str | None = None
    helm_major: int = 4
    derive_scenarios: bool = True  # also lint the chart's ci/*.yaml and the switched-on scenarios


@dataclass
class ChartReport:
    chart: str
    findings: list[Finding]
    scenarios: list[str]
    # In memory only, for `chartfix patch`: each linted scenario's context, and the template index.
    contexts: list[Any] = field(default_factory=list, repr=False)
    index: TemplateIndex | None = field(default=None, repr=False)
    # Filled by the workflow (chartfix.batch): suppressed findings, notes by fingerprint (e.g. an expired
    # ignore), the error that stopped linting the chart, and the settings its configuration gave it.
    suppressed: list[SuppressedFinding] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)
    error: str | None = None
    fail_on: str = "error"
    disabled_rules: frozenset[str] = frozenset()


def lint_chart(path: str, options: LintOptions) -> ChartReport:
    """Lint one chart in every scenario. Raises ChartfixError when the chart cannot be linted at all."""
    try:
        chart = load_chart(path, options.helm_major)
    except ChartLoadError as error:
        finding = _chart_version_finding(path, error)
        if finding is None:
            raise
        return ChartReport(path, [finding], ["defaults"])
    index = TemplateIndex(chart)
    runner = _ScenarioRunner(path, options, index, chart)
    base = Scenario(
        "defaults", list(options.values_files), list(options.set_values), list(options.set_string)
    )
    ci_files = _ci_values_files(path) if options.derive_scenarios else []
    # Track what the defaults' templates read only when other scenarios may reuse it.
    runner.track = bool(ci_files) or (
        options.derive_scenarios and bool(index.value_toggles or chart.metadata.Dependencies)
    )
    defaults = runner.run(base, required=True)
    for values_file in ci_files:
        label = os.path.relpath(values_file, path)
        runner.run(Scenario(label, [*base.values_files, values_file], base.set_values, base.set_string))
    if options.derive_scenarios and defaults is not None:
        for derived in derive_scenarios(chart, index, defaults.values):
            derived.values_files = list(base.values_files)
            derived.set_values = [*base.set_values, *derived.set_values]
            derived.set_string = [*base.set_string, *derived.set_string]
            runner.run(derived, derived=True)
    findings = sorted(runner.findings.values(), key=Finding.sort_key)
    report = ChartReport(path, findings, runner.labels, runner.contexts, index)
    switch = disabled_cleanup_switch(report)
    if switch is not None:
        for finding in report.findings:
            if finding.rule_id in ("CF1001", "CF1002") and finding.scenario == "defaults":
                finding.message += (
                    f"; the chart's own pre-delete cleanup fixes this {switch}, which is off by default"
                )
                finding.fix = f"Enable the chart's cleanup hook by default ({switch.removeprefix('when ')})."
    return report


def disabled_cleanup_switch(report: ChartReport) -> str | None:
    """The derived scenario (e.g. "when cleanup.enabled=true") in which the chart's own pre-delete
    hook removes the OLM finding the defaults have, if there is one."""

    if not any(f.rule_id in ("CF1001", "CF1002") and f.scenario == "defaults" for f in report.findings):
        return None
    for context in report.contexts:
        if not context.scenario.startswith("when ") or context.olm is None:
            continue
        has_hook = any(h.hook and "pre-delete" in h.hook.events for h in context.model.hooks())
        if has_hook and not list(check_olm_bundled(context)):
            return context.scenario
    return None


def _ci_values_files(path: str) -> list[str]:
    if not os.path.isdir(path):
        return []
    return sorted(glob.glob(os.path.join(glob.escape(path), "ci", "*.yaml")))


class _ScenarioRunner:
    def __init__(self, path: str, options: LintOptions, index: TemplateIndex, chart: Chart) -> None:
        self.path = path
        self.chart = chart  # as loaded; each scenario renders a copy (rendering drops disabled subcharts)
        self.options = options
        self.index = index
        self.findings: dict[tuple, Finding] = {}
        self.labels: list[str] = []
        self.contexts: list[Any] = []
        # The defaults' render, which the other scenarios reuse where their values do not differ.
        self.memo: RenderMemo | None = None
        self.track = True

    def run(self, scenario: Scenario, required: bool = False, derived: bool = False) -> RenderResult | None:
        """Render and check one scenario. Only a failing required scenario raises. A derived scenario
        (our own guess at values) that the chart's schema or templates reject is skipped silently."""

        options = RenderOptions(
            release_name=self.options.release_name,
            namespace=self.options.namespace,
            values_files=scenario.values_files,
            set_values=scenario.set_values,
            set_string=scenario.set_string,
            kube_version=self.options.kube_version,
            helm_major=self.options.helm_major,
        )
        try:
            result = render_loaded_chart(
                scenario_copy(self.chart), options, track=required and self.track, memo=self.memo
            )
        except ValuesError as error:
            if derived or "values don't meet the specifications" not in error.message:
                if required:
                    raise
                return None
            _add(self.findings, _schema_finding(self.path, error, scenario.label))
            self.labels.append(scenario.label)
            return None
        except ChartfixError:
            if required:
                raise
            return None
        if required:
            self.memo = result.memo
            result.memo = None
        self.labels.append(scenario.label)
        context = LintContext(
            chart_label=self.path,
            model=build_model(result),
            scenario=scenario.label,
            app_version=str(result.chart.metadata.AppVersion or ""),
            guards=self.index.guards_of,
        )
        self.contexts.append(context)
        for check in CHECKS.values():
            for finding in check(context):
                _add(self.findings, finding)
        return result


def scenario_copy(chart: Chart, parent: Chart | None = None) -> Chart:
    """A copy of a loaded chart tree for one render: rendering drops disabled subcharts, rewrites
    metadata and values (templates may even change values), but never the loaded files, which the
    copies share (deep-copying them cost 4% of a corpus lint)."""
    twin = copy.copy(chart)
    twin.parent = parent
    twin.metadata = copy.deepcopy(chart.metadata)
    twin.values = copy.deepcopy(chart.values)
    twin.lock = copy.deepcopy(chart.lock)
    twin.warnings = list(chart.warnings)
    twin.dependencies = [scenario_copy(child, twin) for child in chart.dependencies]
    return twin


def _add(findings: dict[tuple, Finding], finding: Finding) -> None:
    key = (finding.rule_id, finding.position, finding.subject, finding.message)
    findings.setdefault(key, finding)


def _schema_finding(path: str, error: ValuesError, scenario: str) -> Finding:
    return _driver_finding(
        "CF1009", error.message, error.position or Position("values.yaml", 1, 1), path, scenario
    )


def _chart_version_finding(path: str, error: ChartLoadError) -> Finding | None:
    message = error.message
    if "version" not in message or ("semver" not in message.lower() and "invalid" not in message):
        return None
    return _driver_finding(
        "CF1010", message, error.position or Position("Chart.yaml", 1, 1), path, "defaults"
    )


def _driver_finding(rule_id: str, message: str, position: Position, path: str, scenario: str) -> Finding:
    """A finding the driver reports itself (from loading or values errors, before any check runs)."""

    meta = catalog()[rule_id]
    return Finding(
        rule_id=rule_id,
        slug=meta.slug,
        severity=meta.severity,
        message=message,
        position=position,
        chart=path,
        fix=meta.fix.strip(),
        scenario=scenario,
    )


__all__ = ["ChartReport", "LintOptions", "RenderResult", "lint_chart"]
