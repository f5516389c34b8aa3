"""`chartfix lint PATH...` over many charts: find the charts behind the paths, lint each once (in
worker processes with --jobs), apply configuration, inline ignores and the baseline."""

from __future__ import annotations

import contextlib
import datetime
import gc
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from chartfix.caches import release_chart_caches
from chartfix.errors import ChartfixError
from chartfix.findings.baseline import Baseline
from chartfix.findings.config import Config, find_config, load_config
from chartfix.findings.lint import ChartReport, LintOptions, lint_chart
from chartfix.findings.suppress import SuppressedFinding, apply_inline_ignores
from chartfix.go.sprig.crypto import libraries
from chartfix.helm.schema import schema_check
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


@contextlib.contextmanager
def _rare_collections() -> Iterator[None]:
    """The collector settings above, for linting charts one after the other."""
    previous = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, _MIDDLE_THRESHOLD, _NO_FULL_COLLECTION)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _sweep() -> None:
    """After a chart: empty the caches of its scenarios, collect its garbage and freeze what survives
    (caches later charts use), so that no later collection scans it again. With the thresholds
    above still in force: default ones would start a collection of their own at the next allocation
    (a chart leaves up to _YOUNG_THRESHOLD allocations counted)."""
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
        with _rare_collections():
            for number, chart in enumerate(charts, 1):
                reports.append(lint_one(chart, settings))
                if number < len(charts):  # the garbage of the last chart is left to the process's end
                    _sweep()
                if progress is not None:
                    progress(number, len(charts), chart)
        return reports
    for chart in charts:  # a broken configuration is reported once, before any work starts
        settings.config_for(chart)
    return _lint_in_workers(charts, settings, min(jobs, len(charts)), progress)


def _lint_in_workers(
    charts: list[str], settings: LintSettings, workers: int, progress: Callable[[int, int, str], None] | None
) -> list[ChartReport]:
    """Lint `charts` in up to `workers` worker processes at once. On Linux each worker is forked from
    this process (the engine is imported once) and lints charts until it has grown past
    _RETIRE_AT_BYTES; then it ends, and the system takes back its memory whole, with no sweep or
    deallocation of its objects, and a fresh worker takes its place. A big chart so gets a worker
    of its own, and small ones share a worker and its caches (parsed library charts). Elsewhere fork is
    unsafe or missing: workers start afresh and are kept to the end. Here is the one deferred import
    of multiprocessing (with pickle and socket), which a one-chart lint never needs
    (docs/architecture.md)."""
    import multiprocessing  # noqa: PLC0415
    from multiprocessing.connection import wait  # noqa: PLC0415

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    if context.get_start_method() == "fork":
        # Libraries a lint imports on first use, imported once here for all the forked workers:
        # each would import them again for every chart that needs them (150 ms of CPU).
        schema_check()
        libraries()
    results: list[ChartReport | None] = [None] * len(charts)
    # Largest charts first, so that no worker is left with a big one at the end.
    waiting = sorted(range(len(charts)), key=lambda index: _size(charts[index]))
    running: dict[Any, tuple[int, Any]] = {}  # a worker's end of the pipe -> (its chart, the process)
    idle: list[tuple[Any, Any]] = []
    # No collection in a child looks at the objects that exist now (nor writes to their pages, which
    # stay shared with this process); they go back to the collector when the workers are done.
    gc.freeze()
    try:
        while waiting or running:
            while waiting and len(running) < workers:
                if idle:
                    connection, process = idle.pop()
                else:
                    connection, child_end = context.Pipe()
                    process = context.Process(target=_worker, args=(child_end, charts, settings))
                    process.start()
                    child_end.close()
                index = waiting.pop()
                connection.send(index)
                running[connection] = (index, process)
            for connection in wait(list(running)):
                index, process = running.pop(connection)
                results[index], available = _receive(connection, process, charts[index], settings)
                if available:
                    idle.append((connection, process))
                if progress is not None:
                    progress(len(charts) - len(waiting) - len(running), len(charts), charts[index])
    finally:
        for _, process in running.values():  # interrupted: stop what still runs
            process.terminate()
        for connection, _ in idle:
            with contextlib.suppress(BrokenPipeError):  # a worker killed since its last report
                connection.send(None)
        for connection, process in [*((c, p) for c, (_, p) in running.items()), *idle]:
            process.join()
            connection.close()
        gc.unfreeze()
    return [r for r in results if r is not None]


# A worker that has used more memory than this (its resident set, after a chart) is replaced by a
# fresh one: what it keeps between charts (caches, the garbage of reference cycles, a heap the
# largest chart fragmented) stays bounded. Measured on the corpus with two workers: 48 MiB gives a
# peak of 178 MiB for all processes together (64 MiB: 195, 80 MiB: 198), at the wall time of 80 MiB
# (19.06 s against 18.98 s, in one run) and of one long-lived worker per CPU.
_RETIRE_AT_BYTES = 48 << 20


def _resident_bytes() -> int:
    """This process's resident set now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: workers are kept
        return 0


def _worker(connection: Any, charts: list[str], settings: LintSettings) -> None:
    """A worker process: lint the charts it is sent (their indexes; None: stop), send back each
    report (or what it raised) and whether it retires, and sweep before the next chart."""
    # Ctrl-C reaches every process of the terminal's group: the main process stops the workers
    # (each would otherwise print a traceback of its own). A main process that is gone ends a worker
    # at its next send or receive.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(_YOUNG_THRESHOLD, _MIDDLE_THRESHOLD, _NO_FULL_COLLECTION)
    with contextlib.suppress(EOFError, BrokenPipeError):
        while (index := connection.recv()) is not None:
            try:
                outcome: Any = lint_one(charts[index], settings)
            except BaseException as error:  # noqa: BLE001 - the parent raises it, as one process would
                outcome = _sendable(error, traceback.format_exc())
            retiring = isinstance(outcome, _Raised) or _resident_bytes() > _RETIRE_AT_BYTES
            connection.send((outcome, retiring))
            if retiring:
                return
            _sweep()


def _sendable(error: BaseException, traceback_text: str) -> _Raised:
    """`error` in a form the parent can receive: pickle sends an exception's arguments, and some
    exceptions cannot be rebuilt from theirs."""
    import pickle  # noqa: PLC0415 - loaded with multiprocessing already

    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001
        error = RuntimeError(f"{type(error).__name__}: {error}")
    return _Raised(error, traceback_text)


@record
class _Raised:
    """An exception raised in a worker, with its traceback there."""

    error: BaseException
    traceback_text: str


class ChildTraceback(Exception):
    """The traceback of an exception raised in a worker process (the cause of the one raised here)."""


def _receive(connection: Any, process: Any, chart: str, settings: LintSettings) -> tuple[ChartReport, bool]:
    """A worker's report on `chart`, and whether the worker is there for another chart (one that
    retired, raised or died is joined)."""
    try:
        outcome, retiring = connection.recv()
    except EOFError:  # the process ended without sending (killed, e.g. out of memory, or crashed)
        outcome, retiring = None, True
    if retiring:
        connection.close()
        process.join()
    if isinstance(outcome, _Raised):
        raise outcome.error from ChildTraceback(outcome.traceback_text)
    if outcome is None:
        how = f"signal {-process.exitcode}" if process.exitcode < 0 else f"exit code {process.exitcode}"
        fail_on = settings.fail_on or settings.config_for(chart).fail_on or "error"
        report = ChartReport(
            chart, [], [], error=f"its lint process ended without a report ({how})", fail_on=fail_on
        )
        return report, False
    return outcome, not retiring


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
