"""`chartfix lint PATH...` over many charts: find the charts behind the paths, lint each once (in
worker processes with --jobs), apply configuration, inline ignores and the baseline."""

from __future__ import annotations

import contextlib
import datetime
import gc
import os
import sys
from collections.abc import Callable

from chartfix.caches import release_chart_caches
from chartfix.errors import ChartfixError
from chartfix.findings.baseline import Baseline
from chartfix.findings.config import Config, find_config, load_config
from chartfix.findings.lint import ChartReport, LintOptions, lint_chart
from chartfix.findings.suppress import SuppressedFinding, apply_inline_ignores
from chartfix.records import field, record, replace

_SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"})


def _is_chart_folder(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "Chart.yaml"))


def _chart_root_of(path: str) -> str | None:
    """The top chart folder containing `path` (a subchart's file maps to its parent chart)."""
    folder = os.path.dirname(os.path.abspath(path))
    root = None
    while True:
        if _is_chart_folder(folder):
            root = folder
        elif root is not None and os.path.basename(folder) != "charts":
            return root
        parent = os.path.dirname(folder)
        if parent == folder:
            return root
        folder = parent


def _search(folder: str) -> list[str]:
    found = []
    for current, folders, _ in os.walk(folder):
        if _is_chart_folder(current):
            found.append(current)
            folders.clear()  # a chart's subcharts belong to it
            continue
        folders[:] = sorted(f for f in folders if f not in _SKIPPED_FOLDERS)
    return found


def collect_charts(paths: list[str]) -> list[str]:
    """The charts to lint, each once, in the order the paths name them: chart folders and archives as
    given, files inside a chart mapped to the chart root, other folders searched recursively. Files
    outside any chart are skipped. Raises ChartfixError for a missing path or a folder with no chart."""
    charts: dict[str, str] = {}  # real path -> path as shown

    def add(path: str) -> None:
        charts.setdefault(os.path.realpath(path), path)

    for path in paths:
        if not os.path.exists(path):
            raise ChartfixError(f"{path}: no such file or folder")
        if os.path.isdir(path):
            if _is_chart_folder(path):
                add(path)
                continue
            found = _search(path)
            if not found:
                raise ChartfixError(f"{path}: no chart (Chart.yaml) in this folder or below")
            for chart in found:
                add(os.path.relpath(chart) if not os.path.isabs(path) else chart)
        elif path.endswith((".tgz", ".tar.gz")) and _chart_root_of(path) is None:
            add(path)
        else:
            root = _chart_root_of(path)
            if root is not None:
                add(os.path.relpath(root) if not os.path.isabs(path) else root)
    return list(charts.values())


@record
class LintSettings:
    """Everything the command line decides, shared by every chart of a run."""

    options: LintOptions = field(default_factory=LintOptions)
    config_file: str | None = None  # --config; None: look upward from each chart
    use_config: bool = True
    inline_ignores: bool = True
    baseline: Baseline | None = None
    fail_on: str | None = None  # --fail-on; None: the configuration's, else "error"
    today: datetime.date | None = None

    def config_for(self, chart: str) -> Config:
        if self.config_file is not None:
            return load_config(self.config_file)
        found = find_config(chart) if self.use_config else None
        return load_config(found) if found else Config()


def lint_one(chart: str, settings: LintSettings) -> ChartReport:
    """Lint one chart with its configuration and suppressions. A chart that cannot be linted gives a
    report with `error` set; a broken configuration raises ChartfixError."""
    config = settings.config_for(chart)
    today = settings.today or datetime.date.today()
    options = settings.options
    chart_settings = config.settings_for(chart)
    if chart_settings is not None:
        options = replace(
            options,
            values_files=[*chart_settings.values, *options.values_files],
            set_values=[*chart_settings.set_values, *options.set_values],
            set_string=[*chart_settings.set_string, *options.set_string],
            namespace=chart_settings.namespace or options.namespace,
        )
    try:
        report = lint_chart(chart, options)
    except ChartfixError as error:
        return ChartReport(
            chart, [], [], error=str(error), fail_on=settings.fail_on or config.fail_on or "error"
        )
    report.fail_on = settings.fail_on or config.fail_on or "error"
    report.disabled_rules = config.disabled
    if settings.inline_ignores:
        apply_inline_ignores(report, today)
    kept, suppressed, notes = config.apply(report.findings, chart, today)
    report.findings = kept
    report.suppressed += [SuppressedFinding(f, s) for f, s in suppressed]
    for fingerprint, texts in notes.items():
        report.notes.setdefault(fingerprint, []).extend(texts)
    if settings.baseline is not None:
        settings.baseline.apply(report)
    report.suppressed.sort(key=lambda s: s.finding.sort_key())
    report.contexts, report.index = [], None  # in-memory only; not sent back from workers
    return report


# The cyclic garbage collector while one chart is linted: young objects only, and rarely. A chart's
# lint builds long-lived structures (parse trees, renders other scenarios reuse) that the default
# thresholds would rescan again and again, and full collections rescanned every earlier chart's
# cached trees too: together a tenth of a corpus lint. Garbage cycles that survive a young
# collection wait for the sweep after the chart.
_YOUNG_THRESHOLD = 200_000
_MIDDLE_THRESHOLD = 50
_NO_FULL_COLLECTION = 1_000_000


def _lint_one_collecting(chart: str, settings: LintSettings, sweep: bool = True) -> ChartReport:
    """lint_one with the collector settings above; `sweep`: empty the caches of this chart's
    scenarios, collect its garbage and freeze what survives (caches later charts use), so that no
    later collection scans it again."""
    previous = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, _MIDDLE_THRESHOLD, _NO_FULL_COLLECTION)
    try:
        return lint_one(chart, settings)
    finally:
        gc.set_threshold(*previous)
        if sweep:
            release_chart_caches()
            gc.collect()
            gc.freeze()


def available_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, e.g. a container's limit)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _size(chart: str) -> int:
    """Bytes of a chart's files: a cheap guess at how long it takes to lint."""
    if not os.path.isdir(chart):
        return os.path.getsize(chart) if os.path.isfile(chart) else 0
    total = 0
    for folder, _, files in os.walk(chart):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.path.getsize(os.path.join(folder, name))
    return total


def lint_many(
    charts: list[str],
    settings: LintSettings,
    jobs: int | None = 1,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[ChartReport]:
    """Lint `charts` (in that order in the result, whatever the number of jobs; None: one per CPU
    available). `progress(done, total, chart)` is called as each chart is finished."""
    if jobs is None:
        jobs = available_cpus()
    if jobs <= 1 or len(charts) <= 1:
        reports = []
        for number, chart in enumerate(charts, 1):
            # The garbage of the last chart is left to the process's end.
            reports.append(_lint_one_collecting(chart, settings, sweep=number < len(charts)))
            if progress is not None:
                progress(number, len(charts), chart)
        return reports
    for chart in charts:  # a broken configuration is reported once, before any work starts
        settings.config_for(chart)
    return _lint_in_workers(charts, settings, min(jobs, len(charts)), progress)


def _lint_in_workers(
    charts: list[str], settings: LintSettings, workers: int, progress: Callable[[int, int, str], None] | None
) -> list[ChartReport]:
    """Lint `charts` in `workers` processes. Here is the one deferred import of concurrent.futures
    (with multiprocessing, pickle, socket, logging: about 25 ms of CPU), which a one-chart lint never
    needs (docs/architecture.md)."""
    from concurrent.futures import ProcessPoolExecutor, as_completed  # noqa: PLC0415

    results: list[ChartReport | None] = [None] * len(charts)
    # Largest charts first, so that no worker is left with a big one at the end.
    order = sorted(range(len(charts)), key=lambda index: -_size(charts[index]))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_lint_one_collecting, charts[index], settings): index for index in order}
        for done, future in enumerate(as_completed(futures), 1):
            results[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(charts), charts[futures[future]])
    return [r for r in results if r is not None]


def line_progress(number: int, total: int, chart: str) -> None:
    """A line per chart on stderr when it is not a terminal (CI logs show how far linting got)."""
    sys.stderr.write(f"[{number}/{total}] {chart}\n")
    sys.stderr.flush()


def tty_progress(number: int, total: int, chart: str) -> None:
    """One updating line on stderr, cleared after the last chart."""
    line = f"[{number}/{total}] {chart}"
    sys.stderr.write("\r\033[K" + line[:200])
    if number == total:
        sys.stderr.write("\r\033[K")
    sys.stderr.flush()
