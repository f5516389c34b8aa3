"""`chartfix lint`: render each values scenario of a chart, build its model, run the rule pack."""

from __future__ import annotations

import copy
import glob
import os
import re
from typing import Any

from chartfix.analysis.objects import build_model
from chartfix.analysis.positions import TemplateSources
from chartfix.analysis.scenarios import Scenario, TemplateIndex, derive_scenarios
from chartfix.errors import (
    ChartFailError,
    ChartfixError,
    ChartVersionError,
    MissingDependenciesError,
    Position,
    RenderError,
    SchemaLoadError,
    SchemaValidationError,
    TemplateExecError,
    ValuesError,
)
from chartfix.findings.suppress import SuppressedFinding
from chartfix.findings.values_keys import key_known, supplied_keys
from chartfix.helm.chart import Chart
from chartfix.helm.coalesce import coalesce_values
from chartfix.helm.dependencies import check_dependencies
from chartfix.helm.loader import load_chart
from chartfix.helm.render import RenderOptions, RenderResult, render_loaded_chart
from chartfix.helm.reuse import RenderMemo
from chartfix.helm.schema import validate_against_schema
from chartfix.helm.values import user_values
from chartfix.records import field, record, replace
from chartfix.rules import catalog
from chartfix.rules.checks import check_olm_bundled
from chartfix.rules.context import LintContext
from chartfix.rules.finding import Finding
from chartfix.rules.registry import CHECKS


@record
class LintOptions:
    """The values, release and Helm settings a chart is linted with."""

    values_files: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)
    namespace: str = "default"
    release_name: str = "release-name"
    kube_version: str | None = None
    helm_major: int = 4
    derive_scenarios: bool = True  # also lint the chart's ci/*.yaml and the switched-on scenarios


@record
class ChartReport:
    """The result of linting one chart: its findings, scenarios, suppressions and notes."""

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
    # What could not be linted without stopping the chart: a scenario that fails to render, a template
    # that does not parse. Each is one sentence for the report.
    skipped: list[str] = field(default_factory=list)
    fail_on: str = "error"
    disabled_rules: frozenset[str] = frozenset()


def lint_chart(path: str, options: LintOptions) -> ChartReport:
    """Lint one chart in every scenario. Raises ChartfixError when the chart cannot be linted at all
    (it cannot be loaded, or its defaults fail in a way Helm itself would not get past)."""
    try:
        chart = load_chart(path, options.helm_major)
    except ChartVersionError as error:
        position = _chart_relative(error.position, "Chart.yaml")
        finding = _driver_finding("CF1010", error.message, position, path, "defaults", key="version")
        return ChartReport(path, [finding], ["defaults"])
    if chart.metadata.Type == "library":
        return _lint_library(path, chart, options)
    missing = _missing_dependencies(path, chart)
    index = TemplateIndex(chart)
    runner = _ScenarioRunner(path, options, index, chart)
    for finding in missing:
        _add(runner.findings, finding)
        runner.missing_subcharts.add(finding.key.removeprefix("dependency:"))
    for name, problem in index.unparsed.items():
        runner.skipped.append(
            f"{_chart_relative_name(name)}: not analysed for template conditions (CF1003, CF1005 and the "
            f"derived scenarios use them): {problem}"
        )
    base = Scenario(
        "defaults", list(options.values_files), list(options.set_values), list(options.set_string)
    )
    runner.unknown_keys(base)
    ci_files = _ci_values_files(path) if options.derive_scenarios else []
    # Track what the defaults' templates read only when other scenarios may reuse it.
    runner.track = bool(ci_files) or (
        options.derive_scenarios and bool(index.value_toggles or chart.metadata.Dependencies)
    )
    try:
        defaults = runner.run(base, required=True)
    except ChartfixError as error:
        if not missing:
            raise
        # Helm stops at the missing dependencies; chartfix lints what renders without them.
        runner.skipped.append(
            "the chart does not render without its missing dependencies "
            f"({', '.join(sorted(runner.missing_subcharts))}): {_first_line(str(error))}"
        )
        defaults = None
    for values_file in ci_files:
        label = os.path.relpath(values_file, path).replace(os.sep, "/")
        scenario = Scenario(label, [*base.values_files, values_file], base.set_values, base.set_string)
        runner.unknown_keys(scenario, only=values_file, only_label=label)
        runner.run(scenario)
    if options.derive_scenarios and defaults is not None:
        for derived in derive_scenarios(chart, index, defaults.values):
            derived.values_files = list(base.values_files)
            derived.set_values = [*base.set_values, *derived.set_values]
            derived.set_string = [*base.set_string, *derived.set_string]
            runner.run(derived, derived=True)
        if runner.schema_rejected:
            runner.skipped.append(
                "derived scenarios not linted because values.schema.json rejects their values: "
                + ", ".join(runner.schema_rejected)
            )
    elif options.derive_scenarios:
        runner.skipped.append(
            "derived scenarios (values that switch on OLM or operators) not linted: the chart does not "
            "render with its default values"
        )
    findings = sorted(runner.findings.values(), key=Finding.sort_key)
    report = ChartReport(path, findings, runner.labels, runner.contexts, index, skipped=runner.skipped)
    switch = disabled_cleanup_switch(report)
    if switch is not None:
        setting = ", ".join([*switch.set_values, *switch.set_string])
        for finding in report.findings:
            if finding.rule_id in ("CF1001", "CF1002") and finding.scenario == "defaults":
                finding.message += (
                    f"; the chart's own pre-delete cleanup fixes this {switch.label}, which is off by default"
                )
                finding.fix = f"Enable the chart's cleanup hook by default ({setting})."
    return report


def _lint_library(path: str, chart: Chart, options: LintOptions) -> ChartReport:
    """A library chart as `helm lint` checks it: Chart.yaml and values.yaml load (done), the values
    coalesce and meet values.schema.json. Its templates are never rendered (Helm refuses to install a
    library chart), so no rule about rendered objects applies."""
    findings: dict[tuple, Finding] = {}
    skipped = [
        "library chart: templates not rendered (as `helm lint` does, only Chart.yaml, values and schema)"
    ]
    try:
        supplied = user_values(
            options.values_files, options.set_values, options.set_string, helm_major=options.helm_major
        )
        values = coalesce_values(chart, supplied, options.helm_major)
        validate_against_schema(chart, values, options.helm_major)
    except SchemaValidationError as error:
        _add(findings, _schema_finding(path, error, "defaults"))
    except SchemaLoadError as error:
        skipped.append(f"values.schema.json not applied: {_first_line(error.message)}")
    return ChartReport(path, sorted(findings.values(), key=Finding.sort_key), ["defaults"], skipped=skipped)


def _missing_dependencies(path: str, chart: Chart) -> list[Finding]:
    """A CF1021 finding per dependency Chart.yaml lists but charts/ lacks; the dependency is then left
    out of the chart so that the rest of it is linted (Helm itself stops here)."""
    try:
        check_dependencies(chart)
    except MissingDependenciesError as error:
        findings = []
        for name in error.missing:
            where, line = "Chart.yaml", 0
            for candidate in ("Chart.yaml", "requirements.yaml"):  # apiVersion v1 lists them apart
                text = _read_text(os.path.join(path, candidate)) if os.path.isdir(path) else ""
                line = _line_of(text, rf"^\s*-?\s*name:\s*[\"']?{re.escape(name)}[\"']?\s*$")
                if line:
                    where = candidate
                    break
            findings.append(
                _driver_finding(
                    "CF1021",
                    f"dependency {name} is listed in Chart.yaml but missing from charts/ (run `helm dependency "
                    f"build`); chartfix lints the chart without it, Helm refuses to render it",
                    Position(where, line, 1 if line else 0),
                    path,
                    "defaults",
                    key=f"dependency:{name}",
                )
            )
        gone = set(error.missing)
        chart.metadata.Dependencies = [
            d for d in chart.metadata.Dependencies if d is None or d.Name not in gone
        ]
        return findings
    return []


def disabled_cleanup_switch(report: ChartReport) -> Scenario | None:
    """The derived scenario (e.g. "when cleanup.enabled=true", with its --set values) in which the
    chart's own pre-delete hook removes the OLM finding the defaults have, if there is one."""

    if not any(f.rule_id in ("CF1001", "CF1002") and f.scenario == "defaults" for f in report.findings):
        return None
    for context in report.contexts:
        scenario = context.extra.get("scenario")
        if not isinstance(scenario, Scenario) or not context.extra.get("derived") or context.olm is None:
            continue
        has_hook = any(h.hook and "pre-delete" in h.hook.events for h in context.model.hooks())
        if has_hook and not list(check_olm_bundled(context)):
            return scenario
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
        self.sources = TemplateSources(chart)  # the template texts findings are placed in
        self.findings: dict[tuple, Finding] = {}
        self.labels: list[str] = []
        self.contexts: list[Any] = []
        self.skipped: list[str] = []
        self.missing_subcharts: set[str] = set()  # values for them are not unknown, only unused (CF1021)
        self.schema_rejected: list[str] = []  # derived scenarios values.schema.json does not allow
        # The first render that leaves a memo (the defaults', unless they fail or their templates
        # change values), which the later scenarios reuse where their values do not differ.
        self.memo: RenderMemo | None = None
        # Every scenario's parsed manifests: a document printed again is not parsed again.
        self.documents: dict[tuple[str, str], tuple[str, Any]] = {}
        # That render's context and the merge keys of its checks' findings, in order.
        self.checked: tuple[LintContext, list[tuple]] | None = None
        self.track = True

    def unknown_keys(self, scenario: Scenario, only: str | None = None, only_label: str = "") -> None:
        """CF1020 for each key of the user's values (or of the chart's ci/ file `only`, chart-relative
        `only_label`) that neither values.yaml, values.schema.json nor a template knows: most likely a
        typo, and Helm silently ignores it. Placed on the ci/ file's line, else on values.yaml."""
        files = [only] if only else scenario.values_files
        sets = [] if only else [*scenario.set_values, *scenario.set_string]
        source = _read_text(only) if only else ""
        try:
            for origin, key_path in supplied_keys(files, sets, self.options.helm_major):
                if key_path[0] in self.missing_subcharts or key_known(self.chart, key_path, self.sources):
                    continue
                shown = ".".join(key_path)
                position = Position("values.yaml")
                if only:
                    origin = only_label
                    line = _line_of(source, rf"^\s*{re.escape(key_path[-1])}\s*:")
                    position = Position(only_label, line, 1 if line else 0)
                _add(
                    self.findings,
                    _driver_finding(
                        "CF1020",
                        f"{origin} sets {shown}, which neither values.yaml, values.schema.json nor a template "
                        "of the chart knows: Helm ignores it (a typo?)",
                        position,
                        self.path,
                        scenario.label,
                        key=f"unknown:{shown}",
                    ),
                )
        except ChartfixError:
            return  # unreadable values are reported when the scenario renders

    def run(self, scenario: Scenario, required: bool = False, derived: bool = False) -> RenderResult | None:
        """Render and check one scenario. Defaults (`required`) that the chart's own `fail` or
        `required` reject and ci/*.yaml files that do not render become a CF1022 finding
        (CF1009 for the schema), and the other scenarios are still linted; other errors in the defaults
        (broken -f/--set values, a template bug, output that is not YAML) raise. A
        derived scenario (our own guess at values) that fails is a note in the report."""

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
                scenario_copy(self.chart),
                options,
                track=self.track and self.memo is None,
                memo=self.memo,
                documents=self.documents,
            )
        except SchemaLoadError as error:
            if not _drop_schemas(self.chart, error.charts):
                raise
            self.skipped.append(
                f"values.schema.json of {', '.join(error.charts)} not applied (chartfix does not fetch "
                f"remote references): {_first_line(error.message, skip_header=True)}"
            )
            return self.run(scenario, required, derived)
        except SchemaValidationError as error:
            if derived:
                self.schema_rejected.append(scenario.label)
                return None
            _add(self.findings, _schema_finding(self.path, error, scenario.label))
            self.labels.append(scenario.label)
            return None
        except (TemplateExecError, RenderError, ValuesError) as error:
            if derived:
                self.skipped.append(f"scenario {scenario.label}: not rendered: {_first_line(error.message)}")
                return None
            if required and not isinstance(error, ChartFailError):
                raise  # broken -f/--set values, a template bug, output that is not YAML
            _add(self.findings, _render_failure_finding(self.path, error, scenario.label))
            self.labels.append(scenario.label)
            return None
        except ChartfixError as error:
            if required:
                raise
            self.skipped.append(f"scenario {scenario.label}: not rendered: {_first_line(error.message)}")
            return None
        memo_source = result.memo is not None
        if memo_source:
            self.memo = result.memo
            result.memo = None
        self.labels.append(scenario.label)
        extra = {"scenario": scenario, "derived": derived}
        if result.reused and self.checked is not None:
            # Every output is the defaults' (at the same template places): so are the findings.
            context, merge_keys = self.checked
            self.contexts.append(replace(context, scenario=scenario.label, extra=extra))
            for merge_key in merge_keys:
                _add_scenario(self.findings[merge_key], scenario.label)
            return result
        context = LintContext(
            chart_label=self.path,
            model=build_model(result, self.sources),
            scenario=scenario.label,
            app_version=str(result.chart.metadata.AppVersion or ""),
            guards=self.index.guards_of,
            helm_major=self.options.helm_major,
            extra=extra,
        )
        self.contexts.append(context)
        merge_keys = []
        for check in CHECKS.values():
            for finding in check(context):
                _identify(context.model, finding)
                _add(self.findings, finding)
                merge_keys.append(finding.merge_key())
        if memo_source:
            self.checked = (context, merge_keys)
        return result


def _identify(model: Any, finding: Finding) -> None:
    """Name the finding's object as written in the template (kind and name source, plus its rank among
    objects the same template position prints under the same source name, e.g. in a `range`)."""
    if finding.identity or not finding.subject:
        return
    same_place = [o for o in model.objects if o.position == finding.position]
    for obj in same_place:
        if obj.ref() == finding.subject:
            twins = [o for o in same_place if o.identity() == obj.identity()]
            rank = next(i for i, o in enumerate(twins) if o is obj)
            finding.identity = obj.identity() + (f" #{rank + 1}" if rank else "")
            return


def scenario_copy(chart: Chart, parent: Chart | None = None) -> Chart:
    """A copy of a loaded chart tree for one render: rendering drops disabled subcharts, rewrites
    the metadata and replaces the values (import-values), but never changes the loaded files, values
    or Chart.lock, which the copies share (coalescing copies the values it uses: templates that
    change .Values change that copy). Deep-copying files cost 4% of a corpus lint, values 1%."""
    twin = copy.copy(chart)
    twin.parent = parent
    # What rendering assigns (name, dependencies and their fields) is in a fresh copy; the one map
    # templates could change in place (`set` on .Chart.Annotations) is copied too.
    twin.metadata = chart.metadata.copy()
    if isinstance(chart.metadata.Annotations, dict):
        twin.metadata.Annotations = dict(chart.metadata.Annotations)
    twin.warnings = list(chart.warnings)
    twin.dependencies = [scenario_copy(child, twin) for child in chart.dependencies]
    return twin


def _add(findings: dict[tuple, Finding], finding: Finding) -> None:
    """One finding per (rule, template position, object identity, sub-problem), listing its scenarios."""
    existing = findings.setdefault(finding.merge_key(), finding)
    if existing is not finding:
        _add_scenario(existing, finding.scenario)


def _add_scenario(finding: Finding, scenario: str) -> None:
    if scenario not in finding.scenarios:
        finding.scenarios.append(scenario)


def _schema_finding(path: str, error: ValuesError, scenario: str) -> Finding:
    position = _chart_relative(error.position, "values.schema.json")
    return _driver_finding("CF1009", error.message, position, path, scenario, key=f"schema:{position.file}")


def _render_failure_finding(path: str, error: ChartfixError, scenario: str) -> Finding:
    what = "its default values" if scenario == "defaults" else scenario
    position = _chart_relative(error.position, "values.yaml")
    return _driver_finding(
        "CF1022",
        f"the chart does not render with {what}: {error.message}",
        position,
        path,
        scenario,
        key="does-not-render",  # one finding per failing place, listing the scenarios that reach it
    )


def _chart_relative(position: Position | None, default: str) -> Position:
    """Loader and engine positions start with the chart's name (`mychart/templates/a.yaml`)."""
    if position is None or not position.file:
        return Position(default, 1, 1)
    return Position(_chart_relative_name(position.file), position.line, position.column)


def _chart_relative_name(name: str) -> str:
    return name.split("/", 1)[1] if "/" in name else name


def _first_line(message: str, skip_header: bool = False) -> str:
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if skip_header and len(lines) > 1:
        lines = lines[1:]
    return " ".join(lines[:3])[:300]


def _drop_schemas(chart: Chart, full_paths: list[str]) -> bool:
    """Forget the schemas of these charts (in the tree); False when none was there to drop."""
    dropped = False
    if chart.chart_full_path() in full_paths and chart.schema is not None:
        chart.schema = None
        dropped = True
    for child in chart.dependencies:
        dropped |= _drop_schemas(child, full_paths)
    return dropped


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return ""


def _line_of(text: str, pattern: str) -> int:
    match = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _driver_finding(
    rule_id: str, message: str, position: Position, path: str, scenario: str, key: str = ""
) -> Finding:
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
        key=key,
    )


__all__ = ["ChartReport", "LintOptions", "RenderResult", "lint_chart"]
