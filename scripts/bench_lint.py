#!/usr/bin/env python3
"""Benchmark: `chartfix lint` of the whole corpus in one process vs one `helm lint` per chart.

Prints wall and CPU times, their ratio, charts per second and chartfix's peak RSS. chartfix lints
every values scenario it derives (defaults, ci/*.yaml, switched-on toggles); `--no-scenarios`
measures the defaults alone, like `helm lint`. A script, not a test: timings depend on the machine.

    .venv/bin/python scripts/bench_lint.py [--corpus DIR] [--helm PATH] [--no-scenarios]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import DEFAULT_CORPUS, DEFAULT_HELM, _children_cpu_seconds, corpus_charts  # noqa: E402


def bench_chartfix(charts: list[Path], scenarios: bool) -> tuple[float, float, int, int]:
    from chartfix.errors import ChartfixError
    from chartfix.findings.lint import LintOptions, lint_chart

    linted = findings = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    for chart in charts:
        try:
            report = lint_chart(str(chart), LintOptions(derive_scenarios=scenarios))
        except ChartfixError:
            continue  # charts Helm cannot render either
        linted += 1
        findings += len(report.findings)
    return time.perf_counter() - start, time.process_time() - cpu_start, linted, findings


def bench_helm_lint(helm: Path, charts: list[Path]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as home:
        env = {key: value for key, value in os.environ.items() if not key.startswith("HELM_")}
        env.update(HELM_CACHE_HOME=f"{home}/c", HELM_CONFIG_HOME=f"{home}/f", HELM_DATA_HOME=f"{home}/d")
        start, cpu_start = time.perf_counter(), _children_cpu_seconds()
        for chart in charts:
            subprocess.run([str(helm), "lint", str(chart)], capture_output=True, env=env)
        return time.perf_counter() - start, _children_cpu_seconds() - cpu_start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--helm", type=Path, default=DEFAULT_HELM)
    parser.add_argument("--no-scenarios", action="store_true")
    args = parser.parse_args()
    charts = corpus_charts(args.corpus)
    wall, cpu, linted, findings = bench_chartfix(charts, scenarios=not args.no_scenarios)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"chartfix lint: {len(charts)} charts ({linted} linted, {findings} findings) in {wall:.1f} s wall, "
        f"{cpu:.1f} s CPU, {len(charts) / wall:.2f} charts/s, peak RSS {peak_mb:.0f} MB"
    )
    if not args.helm.is_file():
        print(f"helm lint: skipped ({args.helm} missing)")
        return 0
    helm_wall, helm_cpu = bench_helm_lint(args.helm, charts)
    print(
        f"helm lint loop: {helm_wall:.1f} s wall, {helm_cpu:.1f} s CPU, {len(charts) / helm_wall:.2f} charts/s"
    )
    print(f"ratio chartfix/helm: {wall / helm_wall:.2f} wall, {cpu / helm_cpu:.2f} CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
