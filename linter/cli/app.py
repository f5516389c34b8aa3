"""The `chartfix` command line: every command, its options and exit codes.

No `from __future__ import annotations` here: typer reads every command's parameters from their
annotations on each run, and string annotations would have to be compiled and evaluated again
(about 25 ms of a one-chart lint)."""

import json
import os
import sys
from enum import Enum
from typing import Annotated, Any, NoReturn

import typer

from chartfix import __version__
from chartfix.analysis.objects import build_model
from chartfix.cli import EXIT_INPUT_ERROR
from chartfix.cli.batch import LintSettings, collect_charts, line_progress, lint_many, tty_progress
from chartfix.errors import ChartfixError, Position
from chartfix.findings.baseline import read_baseline
from chartfix.findings.baseline import write_baseline as save_baseline
from chartfix.findings.lint import LintOptions
from chartfix.helm.render import RenderOptions, render_chart
from chartfix.reports.formats import FORMATS
from chartfix.reports.formats import render as render_report
from chartfix.rules import catalog
from chartfix.rules.context import LintContext
from chartfix.rules.finding import severity_rank

_APP_SETTINGS: dict[str, Any] = {
    "name": "chartfix",
    "help": "Find Helm charts whose uninstall gets stuck, and fix them.",
    "add_completion": False,
    "no_args_is_help": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,  # plain help: no colour codes, no Python type names
}
app = typer.Typer(**_APP_SETTINGS)


def _version(value: bool) -> None:
    if value:
        print(f"chartfix {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """chartfix: a static linter and patcher for Helm charts."""


ValuesFiles = Annotated[
    list[str], typer.Option("--values", "-f", metavar="FILE", help="A values file (repeatable).")
]
SetValues = Annotated[
    list[str], typer.Option("--set", metavar="KEY=VALUE", help="Set values: a.b=c,d=e (repeatable).")
]
SetString = Annotated[
    list[str], typer.Option("--set-string", metavar="KEY=VALUE", help="Set STRING values (repeatable).")
]
SetFile = Annotated[
    list[str], typer.Option("--set-file", metavar="KEY=PATH", help="Set values from files: key=path.")
]
SetJson = Annotated[
    list[str], typer.Option("--set-json", metavar="KEY=JSON", help="Set JSON values: key=json.")
]
SetLiteral = Annotated[
    list[str], typer.Option("--set-literal", metavar="KEY=VALUE", help="Set a literal STRING value.")
]


@app.command()
def render(
    chart: Annotated[str, typer.Argument(metavar="CHART", help="Chart folder or .tgz archive.")],
    values: ValuesFiles = [],  # noqa: B006 - typer reads the default, never mutates it
    set_values: SetValues = [],  # noqa: B006
    set_string: SetString = [],  # noqa: B006
    set_file: SetFile = [],  # noqa: B006
    set_json: SetJson = [],  # noqa: B006
    set_literal: SetLiteral = [],  # noqa: B006
    release_name: Annotated[str, typer.Option(metavar="NAME", help="Release name.")] = "release-name",
    namespace: Annotated[
        str, typer.Option("--namespace", "-n", metavar="NAMESPACE", help="Release namespace.")
    ] = "default",
    kube_version: Annotated[
        str | None, typer.Option(metavar="VERSION", help="Kubernetes version for .Capabilities.")
    ] = None,
    api_versions: Annotated[
        list[str],
        typer.Option(
            "--api-versions", "-a", metavar="GROUP/VERSION", help="Extra API versions for .Capabilities."
        ),
    ] = [],  # noqa: B006
    include_crds: Annotated[bool, typer.Option(help="Include crds/ files in the output.")] = False,
    show_only: Annotated[
        list[str],
        typer.Option(
            "--show-only", "-s", metavar="TEMPLATE", help="Only show manifests from these templates."
        ),
    ] = [],  # noqa: B006
    is_upgrade: Annotated[bool, typer.Option(help="Set .Release.IsUpgrade instead of IsInstall.")] = False,
    helm_major: Annotated[
        int,
        typer.Option(
            "--helm-major", min=3, max=4, metavar="3|4", help="Follow Helm 3 or Helm 4 where they differ."
        ),
    ] = 4,
) -> None:
    """Render a chart and print what `helm template` prints."""

    options = RenderOptions(
        release_name=release_name,
        namespace=namespace,
        values_files=values,
        set_values=set_values,
        set_string=set_string,
        set_file=set_file,
        set_json=set_json,
        set_literal=set_literal,
        kube_version=kube_version,
        api_versions=api_versions,
        include_crds=include_crds,
        show_only=show_only,
        is_upgrade=is_upgrade,
        helm_major=helm_major,
    )
    _require_path(chart)
    output = _guard(lambda: render_chart(chart, options).to_helm_template_output())
    sys.stdout.write(output)


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def use_colour(mode: ColorMode, stream) -> bool:  # type: ignore[no-untyped-def]
    """--color always/never wins; auto colours a terminal unless NO_COLOR is set (https://no-color.org)."""
    if mode is ColorMode.always:
        return True
    if mode is ColorMode.never or os.environ.get("NO_COLOR", ""):
        return False
    return stream.isatty()


class LintFormat(str, Enum):
    text = "text"
    json = "json"


def _parse_format(value: str) -> tuple[str, str | None]:
    """`sarif` or `sarif=out.sarif` -> (format, file or None)."""

    name, separator, target = value.partition("=")
    if name not in FORMATS:
        _fail(f"unknown --format {name!r}; choose from {', '.join(FORMATS)} (optionally FORMAT=FILE)")
    if separator and not target:
        _fail(f"--format {value!r}: a file name must follow '='")
    return name, target or None


@app.command()
def lint(
    charts: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH",
            help="Chart folders, .tgz archives, files inside charts, or folders to search for charts.",
        ),
    ],
    values: ValuesFiles = [],  # noqa: B006
    set_values: SetValues = [],  # noqa: B006
    set_string: SetString = [],  # noqa: B006
    namespace: Annotated[
        str, typer.Option("--namespace", "-n", metavar="NAMESPACE", help="Release namespace.")
    ] = "default",
    kube_version: Annotated[
        str | None, typer.Option(metavar="VERSION", help="Kubernetes version for .Capabilities.")
    ] = None,
    output_formats: Annotated[
        list[str],
        typer.Option(
            "--format",
            metavar="FORMAT[=FILE]",
            help="text, json, sarif, github or junit; FORMAT=FILE writes that format to FILE (repeatable).",
        ),
    ] = ["text"],  # noqa: B006
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the format given without =FILE here."),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            metavar="error|warning|info|never",
            help="Lowest severity that makes the exit code 1 (default: the config's, else error).",
        ),
    ] = None,
    no_scenarios: Annotated[
        bool, typer.Option("--no-scenarios", help="Lint only the given values, not derived scenarios.")
    ] = False,
    config: Annotated[
        str | None,
        typer.Option("--config", metavar="FILE", help="Configuration file (default: .chartfix.yaml upward)."),
    ] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore .chartfix.yaml files.")] = False,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline", metavar="FILE", help="Report only findings not recorded in this baseline."
        ),
    ] = None,
    write_baseline: Annotated[
        str | None,
        typer.Option("--write-baseline", metavar="FILE", help="Record the current findings in this file."),
    ] = None,
    no_inline_ignores: Annotated[
        bool,
        typer.Option("--no-inline-ignores", help="Disregard ignore annotations and template comments."),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="Lint this many charts in parallel (default: the CPUs available).",
        ),
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every step of uninstall timelines.")
    ] = False,
    color: Annotated[
        ColorMode,
        typer.Option(
            "--color",
            metavar="auto|always|never",
            help="Colour text output: auto (a terminal and NO_COLOR unset), always or never.",
        ),
    ] = ColorMode.auto,
) -> None:
    """Find charts whose uninstall gets stuck (and related hazards). Exit 1 on findings at --fail-on."""

    targets: dict[str | None, str] = {}
    for value in output_formats:
        name, target = _parse_format(value)
        target = target or output
        if target in targets:
            _fail(f"--format {targets[target]} and {name} would both write to {target or 'stdout'}")
        targets[target] = name
    settings = LintSettings(
        options=LintOptions(
            values_files=values,
            set_values=set_values,
            set_string=set_string,
            namespace=namespace,
            kube_version=kube_version,
            derive_scenarios=not no_scenarios,
        ),
        config_file=config,
        use_config=not no_config,
        inline_ignores=not no_inline_ignores,
        baseline=_guard(lambda: read_baseline(baseline)) if baseline else None,
        fail_on=fail_on.value if fail_on is not None else None,
    )
    paths = _guard(lambda: collect_charts(charts))
    progress = None
    if len(paths) > 1:
        progress = tty_progress if sys.stderr.isatty() else line_progress
    reports = _guard(lambda: lint_many(paths, settings, jobs=jobs, progress=progress))
    for report in reports:  # on stderr only: the text report on stdout does not repeat them
        if report.error is not None:
            sys.stderr.write(f"Error: {report.chart}: {report.error}\n")
    for target, name in targets.items():
        if target is None:
            colour = name == "text" and use_colour(color, sys.stdout)
            text = render_report(name, reports, colour=colour, verbose=verbose, errors=False)
            sys.stdout.write(text)
        else:
            _guard(
                lambda target=target, name=name: _write_file(
                    target, render_report(name, reports, verbose=verbose)
                )
            )
    if write_baseline:
        count = _guard(lambda: save_baseline(write_baseline, reports))
        sys.stderr.write(f"wrote {count} finding(s) to baseline {write_baseline}\n")
    if any(report.error is not None for report in reports):
        raise typer.Exit(EXIT_INPUT_ERROR)
    if write_baseline:
        return  # recording the findings is what was asked: they are accepted, not failures
    for report in reports:
        if report.fail_on == "never":
            continue
        threshold = severity_rank(report.fail_on)
        if any(severity_rank(f.severity) >= threshold for f in report.findings):
            raise typer.Exit(1)


def _write_file(path: str, text: str) -> None:

    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise ChartfixError(f"cannot write: {error.strerror}", Position(path)) from error


@app.command()
def patch(
    chart: Annotated[str, typer.Argument(metavar="CHART", help="Chart folder or .tgz archive.")],
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="DIR", help="Write the patched chart to this new folder."),
    ] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Rewrite the chart folder (atomic writes).")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff; write nothing.")] = False,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when the chart needs a patch; write nothing.")
    ] = False,
    package: Annotated[
        bool, typer.Option("--package", help="Write <name>-<version>.tgz (into -o or the current folder).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --output folder.")] = False,
    rule: Annotated[
        list[str], typer.Option("--rule", metavar="RULE", help="Only fix these rules (repeatable).")
    ] = [],  # noqa: B006
    values: ValuesFiles = [],  # noqa: B006
    set_values: SetValues = [],  # noqa: B006
    set_string: SetString = [],  # noqa: B006
    namespace: Annotated[
        str, typer.Option("--namespace", "-n", metavar="NAMESPACE", help="Release namespace.")
    ] = "default",
    release_name: Annotated[
        str,
        typer.Option(
            "--release-name", metavar="NAME", help="Release name (hook names and order depend on it)."
        ),
    ] = "release-name",
    kube_version: Annotated[
        str | None, typer.Option(metavar="VERSION", help="Kubernetes version for .Capabilities.")
    ] = None,
    bump_version: Annotated[
        bool, typer.Option("--bump-version", help="Bump Chart.yaml's patch version.")
    ] = False,
) -> None:
    """Write the chart with a fix for each stuck uninstall it finds (rules CF1001-CF1003, CF1006,
    CF1007, CF1011-CF1014), verified by linting the patched chart. Exit 2 when a finding has no safe
    mechanical fix (nothing is written)."""

    # deferred: only this command needs the patcher (and ruamel.yaml); see docs/architecture.md
    from chartfix.patch.output import unified_diff, write_in_place, write_package, write_to_folder
    from chartfix.patch.patcher import PatchOptions, check_rule_ids, plan_patch

    modes = [bool(output) and not package, in_place, diff, check, package]
    if sum(modes) != 1:
        _fail("choose exactly one of -o DIR, --in-place, --diff, --check, --package [-o DIR]")
    options = PatchOptions(
        values_files=values,
        set_values=set_values,
        set_string=set_string,
        namespace=namespace,
        release_name=release_name,
        kube_version=kube_version,
        rules=[r.upper() for r in rule],
        bump_version=bump_version,
    )
    _require_path(chart)
    _guard(lambda: check_rule_ids(options.rules))
    if output and not package and not force and os.path.lexists(output):
        _fail(f"{output} exists; use --force to replace it")
    planned = _guard(lambda: plan_patch(chart, options))

    def summary() -> None:
        for message in planned.messages:
            sys.stderr.write(f"{message}\n")

    if check:
        summary()
        raise typer.Exit(1 if planned.changed else 0)
    if diff:
        summary()
        sys.stdout.write(unified_diff(planned))
        return
    if not planned.changed:
        summary()
        return
    if in_place:
        _guard(lambda: write_in_place(planned))
        summary()
        sys.stderr.write(f"rewrote {', '.join(sorted(planned.changes))} in {chart}\n")
    elif package:
        target = _guard(lambda: write_package(planned, output or "."))
        summary()
        sys.stderr.write(f"wrote {target}\n")
    else:
        _guard(lambda: write_to_folder(planned, output, force))
        summary()
        sys.stderr.write(f"wrote {output}\n")


@app.command()
def simulate(
    chart: Annotated[str, typer.Argument(metavar="CHART", help="Chart folder or .tgz archive.")],
    values: ValuesFiles = [],  # noqa: B006
    set_values: SetValues = [],  # noqa: B006
    set_string: SetString = [],  # noqa: B006
    namespace: Annotated[
        str, typer.Option("--namespace", "-n", metavar="NAMESPACE", help="Release namespace.")
    ] = "default",
    release_name: Annotated[
        str, typer.Option("--release-name", metavar="NAME", help="Release name.")
    ] = "release-name",
    kube_version: Annotated[
        str | None, typer.Option(metavar="VERSION", help="Kubernetes version for .Capabilities.")
    ] = None,
    helm_major: Annotated[
        int, typer.Option("--helm-major", metavar="3|4", help="Simulate Helm 3 or Helm 4 (default).")
    ] = 4,
) -> None:
    """Print what `helm uninstall` of the rendered chart does, step by step: who deletes what, which
    controller is gone, which webhook rejects which request, what stays. Exit 1 when something is
    stuck or broken."""

    if helm_major not in (3, 4):
        _fail("--helm-major must be 3 or 4")
    options = RenderOptions(
        release_name=release_name,
        namespace=namespace,
        values_files=values,
        set_values=set_values,
        set_string=set_string,
        kube_version=kube_version,
        helm_major=helm_major,
    )
    _require_path(chart)
    result = _guard(lambda: render_chart(chart, options))
    context = LintContext(
        chart_label=chart,
        model=build_model(result),
        scenario="defaults",
        app_version=str(result.chart.metadata.AppVersion or ""),
        helm_major=helm_major,
    )
    simulation = context.simulate()
    print(simulation.timeline())
    problems = [f"hook {p.hook.ref()} cannot do its job: {p.message}" for p in simulation.hook_problems]
    problems += [
        f"{s.victim.ref()} keeps {s.finalizer}"
        + (f" (namespace {s.namespace_terminating} stays Terminating)" if s.namespace_terminating else "")
        for s in simulation.stuck
    ]
    problems += [
        f"{r.requester} cannot delete {r.target.ref()}: webhook {r.webhook} rejects it"
        for r in simulation.rejected
    ]
    problems += [f"{b.registration.ref()} outlives its {b.backend}" for b in simulation.broken]
    problems += [
        f"{v.ref()} is left with {d.finalizer_text()} and no controller" for v, d in simulation.leftovers
    ]
    if not problems:
        print("stuck: nothing")
        return
    print(f"stuck or broken: {len(problems)}")
    for line in problems:
        print(f"  {line}")
    raise typer.Exit(1)


@app.command("rules")
def list_rules(
    output_format: Annotated[
        LintFormat, typer.Option("--format", metavar="text|json", help="Output format.")
    ] = LintFormat.text,
) -> None:
    """List the rules chartfix checks."""

    rules = list(catalog().values())
    if output_format is LintFormat.json:
        print(
            json.dumps(
                [{"id": r.id, "slug": r.slug, "severity": r.severity, "summary": r.summary} for r in rules],
                indent=2,
            )
        )
        return
    for rule in rules:
        print(f"{rule.id}  {rule.severity:<8} {rule.slug:<32} {rule.summary}")


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE", help="Rule id (CF1001) or slug.")],
) -> None:
    """Print a rule's documentation page."""

    for rule in catalog().values():
        if rule_id.upper() == rule.id or rule_id == rule.slug:
            sys.stdout.write(rule.documentation())
            return
    _fail(f"unknown rule {rule_id!r}; `chartfix rules` lists them")


def _guard(work):  # type: ignore[no-untyped-def]
    """Run `work`; a ChartfixError becomes one message on stderr and exit code 2."""

    try:
        return work()
    except ChartfixError as error:
        _fail(str(error))


def _require_path(path: str) -> None:
    """The same words for a missing path in every command (as `chartfix lint` says it)."""
    if not os.path.exists(path):
        _fail(f"{path}: no such file or folder")


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"Error: {message}\n")
    raise typer.Exit(EXIT_INPUT_ERROR)


def command_line(args: list[str]) -> typer.Typer:
    """The app that runs `args`: when they start with a command's name, one that holds only that
    command (typer builds a click command, signature and type hints included, for every registered
    command on each run: 22 million instructions for all of them, 3% of a one-chart lint); else
    (help, a mistyped command) the whole app. Usage and errors read the same either way."""
    chosen = [
        command
        for command in app.registered_commands
        if args and (command.name or typer.main.get_command_name(command.callback.__name__)) == args[0]
    ]
    if not chosen:
        return app
    single = typer.Typer(**_APP_SETTINGS)
    single.registered_callback = app.registered_callback
    single.registered_commands = chosen
    return single
