#!/usr/bin/env python3
"""Benchmark: render the whole corpus with chartfix in one process vs one `helm template` per chart.

Runs both --runs times (3), alternating so that both see the same load, and prints the medians of
wall and CPU time (CPU is steadier on a busy machine), their ratio, charts per second, chartfix's
peak RSS and the wall time of `chartfix --version` (median of 5 runs). A script, not a test:
timings depend on the machine.

    .venv/bin/python scripts/bench_render.py [--corpus DIR] [--helm PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "charts"
DEFAULT_HELM = Path(os.environ.get("CHARTFIX_HELM4") or REPO_ROOT / ".cache" / "helm" / "v4.1.4" / "helm")
RELEASE_NAME, NAMESPACE = "release-name", "default"
VERSION_RUNS = 5


def corpus_charts(corpus: Path) -> list[Path]:
    return sorted(path for path in corpus.iterdir() if (path / "Chart.yaml").is_file())


def bench_chartfix(charts: list[Path]) -> tuple[float, float, int, list[str]]:
    """Wall and CPU time of rendering every chart in this process, charts that rendered, crashes."""
    from chartfix.errors import ChartfixError
    from chartfix.helm.render import RenderOptions, render_chart

    rendered, crashes = 0, []
    start, cpu_start = time.perf_counter(), time.process_time()
    for chart in charts:
        options = RenderOptions(release_name=RELEASE_NAME, namespace=NAMESPACE, helm_major=4)
        try:
            render_chart(chart, options).to_helm_template_output()
            rendered += 1
        except ChartfixError:
            pass  # Helm fails on some corpus charts too; failing fast is part of the work measured
        except Exception as error:  # a bug, but the benchmark still measures the rest
            crashes.append(f"{chart.name}: {type(error).__name__}: {error}")
    return time.perf_counter() - start, time.process_time() - cpu_start, rendered, crashes


def bench_helm(helm: Path, charts: list[Path]) -> tuple[float, float, int]:
    """Wall and CPU time of one `helm template` process per chart, and charts that rendered."""
    with tempfile.TemporaryDirectory() as home:
        env = {key: value for key, value in os.environ.items() if not key.startswith("HELM_")}
        env.update(
            HELM_CACHE_HOME=f"{home}/cache", HELM_CONFIG_HOME=f"{home}/config", HELM_DATA_HOME=f"{home}/data"
        )
        rendered = 0
        start, cpu_start = time.perf_counter(), _children_cpu_seconds()
        for chart in charts:
            done = subprocess.run(
                [str(helm), "template", RELEASE_NAME, str(chart), "--namespace", NAMESPACE],
                capture_output=True,
                env=env,
            )
            rendered += done.returncode == 0
        return time.perf_counter() - start, _children_cpu_seconds() - cpu_start, rendered


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_version() -> float:
    """Median wall time of `chartfix --version` in a fresh process."""
    script = Path(sys.executable).parent / "chartfix"
    if not script.is_file():
        raise SystemExit(f"{script} not found: install chartfix into this Python environment first")
    times = []
    for _ in range(VERSION_RUNS):
        start = time.perf_counter()
        subprocess.run([str(script), "--version"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of chart folders")
    parser.add_argument("--helm", type=Path, default=DEFAULT_HELM, help="Helm binary (Helm 4)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternating")
    args = parser.parse_args()

    charts = corpus_charts(args.corpus)
    if not charts:
        raise SystemExit(f"no charts found in {args.corpus}")
    if not os.access(args.helm, os.X_OK):
        raise SystemExit(f"Helm not found at {args.helm} (run scripts/fetch_helm.sh)")

    chartfix_runs, helm_runs = [], []
    for _ in range(args.runs):  # alternating, so that both see the same load
        chartfix_runs.append(bench_chartfix(charts))
        helm_runs.append(bench_helm(args.helm, charts))
    peak_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    version_seconds = bench_version()
    chartfix_seconds = statistics.median(run[0] for run in chartfix_runs)
    chartfix_cpu = statistics.median(run[1] for run in chartfix_runs)
    chartfix_rendered, crashes = chartfix_runs[0][2], chartfix_runs[0][3]
    helm_seconds = statistics.median(run[0] for run in helm_runs)
    helm_cpu = statistics.median(run[1] for run in helm_runs)
    helm_rendered = helm_runs[0][2]

    count = len(charts)
    print(f"charts:                 {count} ({args.runs} runs each, alternating; medians)")
    print(
        f"chartfix (1 process):   {chartfix_seconds:7.2f} s wall {chartfix_cpu:7.2f} s CPU "
        f"{count / chartfix_seconds:6.1f} charts/s  ({chartfix_rendered} rendered)"
        f"  runs {[round(run[0], 1) for run in chartfix_runs]}"
    )
    print(
        f"helm template (each):   {helm_seconds:7.2f} s wall {helm_cpu:7.2f} s CPU "
        f"{count / helm_seconds:6.1f} charts/s  ({helm_rendered} rendered)"
        f"  runs {[round(run[0], 1) for run in helm_runs]}"
    )
    print(
        f"ratio chartfix / helm:  {chartfix_seconds / helm_seconds:7.2f}x wall "
        f"{chartfix_cpu / helm_cpu:7.2f}x CPU"
    )
    print(f"chartfix peak RSS:      {peak_rss_mib:7.1f} MiB")
    print(f"chartfix --version:     {version_seconds * 1000:7.1f} ms wall (median of {VERSION_RUNS})")
    for crash in crashes:
        print(f"crash: {crash}", file=sys.stderr)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
