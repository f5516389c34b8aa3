"""The rendering pipeline of `helm template`, as pkg/cmd/install.go and pkg/action do it.

chart on disk -> user values -> loaded chart -> installability and dependency checks -> values
coalescing and schema validation -> template engine -> NOTES split off -> manifests and hooks sorted
by kind -> the text `helm template` prints.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from chartfix.errors import ChartfixError, LimitExceeded, NotInstallableError, RenderError
from chartfix.go.path import BadPattern, go_match
from chartfix.go.semver import constraint_matches
from chartfix.helm.builtin_objects import make_capabilities
from chartfix.helm.chart import Chart
from chartfix.helm.dependencies import check_dependencies
from chartfix.helm.engine import Engine, Renderable, collect_templates
from chartfix.helm.funcmap import function_map
from chartfix.helm.loader import load_chart
from chartfix.helm.manifest import Manifest, sort_manifests, split_manifests
from chartfix.helm.reuse import FRESH, ChangeSet, ReadLog, RenderMemo, Snapshot
from chartfix.helm.values import prepare_chart_values, render_top_data, user_values
from chartfix.records import field, record

NOTES_SUFFIX = "NOTES.txt"
_MANIFEST_EXTENSIONS = (".yaml", ".yml", ".json")

T = TypeVar("T")


@record
class RenderOptions:
    """What `helm template` takes besides the chart: release, values and capabilities."""

    release_name: str = "release-name"
    namespace: str = "default"
    values_files: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)
    set_file: list[str] = field(default_factory=list)
    set_json: list[str] = field(default_factory=list)
    set_literal: list[str] = field(default_factory=list)
    kube_version: str | None = None
    api_versions: list[str] = field(default_factory=list)
    include_crds: bool = False
    show_only: list[str] = field(default_factory=list)
    is_upgrade: bool = False
    helm_major: int = 4
    lint_mode: bool = False


@record
class RenderResult:
    """A rendered chart: the values used, every template's output, and the sorted manifests and hooks."""

    chart: Chart
    values: dict[str, Any]
    files: dict[str, str]  # every executed template's output, by full template name
    manifests: list[Manifest]
    hooks: list[Manifest]
    crds: list[tuple[str, str]]  # (full file name, content) of crds/ files, chart tree order
    notes: str
    options: RenderOptions
    # Per template file: [(offset in its output, the template node that produced it)].
    origins: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)
    # With render_loaded_chart(track=True): what renders with other values can reuse.
    memo: RenderMemo | None = field(default=None, repr=False)
    # With a memo: no template was executed again, so everything but the values is the memo's render.
    reused: bool = False

    def to_helm_template_output(self) -> str:
        """Exactly what `helm template` prints on stdout."""
        parts: list[str] = []
        if self.options.include_crds:
            parts += [f"---\n# Source: {name}\n{content}\n" for name, content in self.crds]
        parts += [f"---\n# Source: {m.source}\n{m.content}\n" for m in self.manifests]
        manifest = "".join(parts).strip(" \t\n\r\v\f") + "\n"
        output = manifest + "".join(f"---\n# Source: {h.source}\n{h.content}\n" for h in self.hooks)
        if self.options.show_only:
            return _show_only(output, self.options.show_only)
        return output


def render_chart(path: str | os.PathLike[str], options: RenderOptions | None = None) -> RenderResult:
    """Render a chart directory or archive as `helm template` does. Raises ChartfixError."""
    options = options or RenderOptions()
    return run_with_deep_stack(lambda: _render(path, options))


def render_loaded_chart(
    chart: Chart,
    options: RenderOptions,
    *,
    track: bool = False,
    memo: RenderMemo | None = None,
    documents: dict[tuple[str, str], tuple[str, Any]] | None = None,
) -> RenderResult:
    """Render an already loaded chart (the chart is modified: disabled subcharts are dropped).

    track: leave in `result.memo` what later renders of the same chart with other values can reuse.
    memo: such a memo; templates that read no value that differs from its render are not executed
    again (see chartfix.helm.reuse). The result is the same as without it, but for what random
    functions (generated passwords, the clock) give: a reused output keeps the memo render's draw.
    documents: manifests parsed by earlier renders of the same chart, (text, data) by (template, text);
    a document printed again is not parsed again, and new ones are added. Their data is shared, so
    it must not be modified.
    """
    return run_with_deep_stack(
        lambda: _render_chart(
            chart, _user_values(options), options, track=track, memo=memo, documents=documents
        )
    )


def _user_values(options: RenderOptions) -> dict[str, Any]:
    return user_values(
        options.values_files,
        options.set_values,
        options.set_string,
        options.set_file,
        options.set_json,
        options.set_literal,
        helm_major=options.helm_major,
    )


def _render(path: str | os.PathLike[str], options: RenderOptions) -> RenderResult:
    supplied = _user_values(options)
    chart = load_chart(path, options.helm_major)
    return _render_chart(chart, supplied, options)


def _render_chart(
    chart: Chart,
    supplied: dict[str, Any],
    options: RenderOptions,
    *,
    track: bool = False,
    memo: RenderMemo | None = None,
    documents: dict[tuple[str, str], tuple[str, Any]] | None = None,
) -> RenderResult:
    if chart.metadata.Type not in ("", "application"):
        raise NotInstallableError(f"{chart.metadata.Type} charts are not installable", chart.metadata.Type)
    check_dependencies(chart, options.helm_major)
    values = prepare_chart_values(chart, supplied, helm_major=options.helm_major)
    capabilities = make_capabilities(options.kube_version, options.api_versions, options.helm_major)
    _check_kube_version(chart, capabilities, options.helm_major)
    top = render_top_data(
        chart,
        values,
        release_name=options.release_name,
        namespace=options.namespace,
        is_upgrade=options.is_upgrade,
        capabilities=capabilities,
        helm_major=options.helm_major,
    )
    templates = collect_templates(chart, top, options.helm_major)
    engine = Engine(
        function_map(options.helm_major), lint_mode=options.lint_mode, helm_major=options.helm_major
    )
    new_memo = None
    reused = False
    if memo is not None and memo.signature == _signature(chart, templates):
        changes = ChangeSet.between(memo.values, values, memo.changed)
        # The same templates as the memo's render: the same names are executed.
        stale = {name for name in memo.outputs if changes.touches(memo.reads.get(name, {FRESH}))}
        # Only executing a template can change the values (none is when every output is reused).
        snapshot = Snapshot(values, _chart_datas(templates)) if stale else None
        files = engine.render(
            templates, parsed=memo.template_set, reuse=(memo.outputs, memo.origins, stale.__contains__)
        )
        reused = not stale
        if snapshot is not None and _changes_reach(snapshot.changes(values), memo, stale):
            # templates changed values (or the data) that reused templates read: render them all
            values = snapshot.values
            top["Values"] = values
            templates = collect_templates(chart, top, options.helm_major)
            engine = Engine(
                function_map(options.helm_major), lint_mode=options.lint_mode, helm_major=options.helm_major
            )
            files = engine.render(templates, parsed=memo.template_set)
    elif track:
        datas = _chart_datas(templates)
        snapshot = Snapshot(values, datas)
        log = ReadLog(values, datas)
        files = engine.render(templates, reads=log)
        changed = snapshot.changes(values)
        if changed is not None and engine.template_set is not None:
            new_memo = RenderMemo(
                _signature(chart, templates),
                engine.template_set,
                snapshot.values,
                dict(files),
                dict(engine.origins),
                log.paths,
                changed,
            )
    else:
        files = engine.render(templates)
    notes = _split_notes(files, chart.name())
    hooks, manifests = sort_manifests(files, options.helm_major, parsed=documents)
    return RenderResult(
        chart=chart,
        values=values,
        files=files,
        manifests=manifests,
        hooks=hooks,
        crds=crd_files(chart),
        notes=notes,
        options=options,
        origins=engine.origins,
        memo=new_memo,
        reused=reused,
    )


def _signature(chart: Chart, templates: dict[str, Renderable]) -> tuple:
    """What must be the same for a render to reuse another's outputs: the charts rendered (with
    their names and versions) and every template's name and text."""
    charts: list[tuple[str, str]] = []
    stack = [chart]
    while stack:
        current = stack.pop()
        charts.append((current.chart_full_path(), str(current.metadata.Version)))
        stack.extend(current.dependencies)
    return (tuple(charts), tuple((name, renderable.text) for name, renderable in templates.items()))


def _changes_reach(changed: list[tuple[str, ...]] | None, memo: RenderMemo, stale: set[str]) -> bool:
    """Whether what a reusing render's templates changed in place (None: the chart data itself)
    reaches a template whose output was reused."""
    if changed is None:
        return True
    if not changed:
        return False
    changes = ChangeSet(changed)
    return any(changes.touches(reads) for name, reads in memo.reads.items() if name not in stale)


def _chart_datas(templates: dict[str, Renderable]) -> list[tuple[dict[str, Any], tuple[str, ...]]]:
    """Every chart's template data (also of charts without templates, under .Subcharts), with the
    path of that chart's values in the top chart's values."""
    found: dict[int, tuple[dict[str, Any], tuple[str, ...]]] = {}
    stack: list[tuple[dict[str, Any], tuple[str, ...]]] = []
    for renderable in templates.values():
        scope: list[str] = []
        current = renderable.chart
        while current.parent is not None:
            scope.insert(0, current.name())
            current = current.parent
        stack.append((renderable.data, tuple(scope)))
    while stack:
        data, scope = stack.pop()
        if id(data) in found:
            continue
        found[id(data)] = (data, scope)
        for name, child in (data.get("Subcharts") or {}).items():
            if isinstance(child, dict):
                stack.append((child, (*scope, name)))
    return list(found.values())


def _check_kube_version(chart: Chart, capabilities: Any, helm_major: int) -> None:
    constraint = chart.metadata.KubeVersion
    if not constraint:
        return
    kube = capabilities.KubeVersion
    if not constraint_matches(constraint, str(kube), modern=helm_major >= 4):
        raise RenderError(
            f"chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {kube.Version}"
        )


def _split_notes(files: dict[str, str], chart_name: str) -> str:
    """Remove every NOTES.txt from the output; keep the top chart's text (Helm's default)."""
    notes = ""
    for name in list(files):
        if name.endswith(NOTES_SUFFIX):
            if name == f"{chart_name}/templates/{NOTES_SUFFIX}":
                notes = files[name]
            del files[name]
    return notes


def crd_files(chart: Chart) -> list[tuple[str, str]]:
    """Helm's CRDObjects: crds/ manifests of the chart, then of its dependencies, recursively."""
    found = [
        (f"{chart.chart_full_path()}/{f.name}", f.data.decode("utf-8", errors="surrogateescape"))
        for f in chart.files
        if f.name.startswith("crds/") and f.name.endswith(_MANIFEST_EXTENSIONS)
    ]
    for dependency in chart.dependencies:
        found += crd_files(dependency)
    return found


def _show_only(output: str, patterns: list[str]) -> str:
    """`helm template --show-only`: documents whose template path (without the chart name) matches."""

    documents = [doc for doc, _ in split_manifests(output)]
    selected: list[str] = []
    for pattern in patterns:
        missing = True
        for document in documents:
            first = document.split("\n", 1)[0]
            if not first.startswith("# Source: ") or "/" not in first:
                continue
            template_path = first[len("# Source: ") :].split("/", 1)[1]
            if _go_path_match(pattern, template_path):
                selected.append(document)
                missing = False
        if missing:
            raise RenderError(f"could not find template {pattern} in chart")
    return "".join(f"---\n{document}\n" for document in selected)


def _go_path_match(pattern: str, name: str) -> bool:
    """`matched, _ := filepath.Match(pattern, name)`: a bad pattern matches nothing."""
    try:
        return go_match(pattern, name)
    except BadPattern:
        return False


# Deeply nested includes recurse deeply in the executor; run on a thread with a large stack.
_STACK_BYTES = 512 * 1024 * 1024
_RECURSION_LIMIT = 200_000
_GC_LEAST_THRESHOLDS = (50_000, 20, 20)


def run_with_deep_stack(work: Callable[[], T]) -> T:
    result: list[T] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(work())
        except BaseException as error:  # re-raised in the caller's thread
            failure.append(error)

    previous_stack = threading.stack_size(_STACK_BYTES)
    previous_limit = sys.getrecursionlimit()
    previous_gc = gc.get_threshold()
    sys.setrecursionlimit(max(previous_limit, _RECURSION_LIMIT))
    # Rendering allocates many long-lived parse-tree nodes; Python's default collector thresholds
    # would spend a third of the time rescanning them (measured on the corpus). Thresholds already
    # higher (a lint over many charts sets them) are kept.
    gc.set_threshold(*(max(now, least) for now, least in zip(previous_gc, _GC_LEAST_THRESHOLDS, strict=True)))
    try:
        thread = threading.Thread(target=target, name="chartfix-render")
        thread.start()
        thread.join()
    finally:
        threading.stack_size(previous_stack)
        sys.setrecursionlimit(previous_limit)
        gc.set_threshold(*previous_gc)
    if failure:
        error = failure[0]
        if isinstance(error, RecursionError):
            raise LimitExceeded("template recursion too deep") from None
        raise error
    return result[0]


__all__ = ["ChartfixError", "RenderOptions", "RenderResult", "render_chart", "render_loaded_chart"]
