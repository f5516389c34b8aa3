#!/usr/bin/env python3
"""Benchmark: `chartfix lint` against the real Helm loops, alternating in the same run.

Three comparisons (each run RUNS times, chartfix and Helm alternating, medians printed):

- scenarios: `chartfix lint CORPUS` with its defaults (every values scenario, --jobs = the CPUs
  available) vs a loop of `helm template` per chart (Helm 4);
- no-scenarios: `chartfix lint CORPUS --no-scenarios` vs a loop of `helm lint` per chart;
- one: `chartfix lint CHART` vs `helm lint CHART` for one chart, whole processes (the pre-commit case).

chartfix runs as the real command line (`--format json --no-config --fail-on never`), its modules
byte-compiled first as installing a wheel does (an editable install under PYTHONDONTWRITEBYTECODE
would otherwise compile every module in every run). CPU time is user + system of the process and
the children it waited for: on a shared machine it moves less than wall time. Peak RSS is the
largest of chartfix's processes (wait4's ru_maxrss covers the workers) and the sum over the process
tree of the proportional set size (shared pages counted once), sampled every 20 ms in one extra run
that is not timed: reading /proc/PID/smaps_rollup walks the page tables of every process, and on two
CPUs that sampling made the linting 13% slower (measured: 23.6 s against 20.1-21.0 s). On a shared
machine only the ratios measured in one run mean anything.

    .venv/bin/python scripts/bench_lint.py [--corpus DIR] [--helm PATH] [--runs 3]
        [--only scenarios|no-scenarios|one] [--chart DIR] [--jobs N] [--chartfix COMMAND]
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import DEFAULT_CORPUS, DEFAULT_HELM, RELEASE_NAME, corpus_charts  # noqa: E402

CHARTFIX = [str(Path(sys.executable).with_name("chartfix"))]
ONE_CHART = DEFAULT_CORPUS / "pixie-io__pixie__pixie-operator-chart-v0.1.6"
ONE_CHART_RUNS = 10


@dataclass
class Run:
    wall: float
    cpu: float  # user + system, the process and the children it waited for
    max_rss_mib: float  # the largest single process
    tree_rss_mib: float  # sampled sum of PSS over the process tree (0 when not sampled)


def _tree_pss_kib(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:  # proportional set size: pages shared by forked workers counted once in all
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str], env: dict[str, str] | None = None, sample: bool = False) -> Run:
    """Wall time and peak RSS of one process (and its children)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = [0]
    done = threading.Event()

    def sampler() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_pss_kib(process.pid))

    thread = threading.Thread(target=sampler, daemon=True)
    if sample:
        thread.start()
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    process.returncode = 0  # reaped by wait4
    if sample:
        thread.join()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 1024)


def helm_env(home: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELM_")}
    env.update(HELM_CACHE_HOME=f"{home}/c", HELM_CONFIG_HOME=f"{home}/f", HELM_DATA_HOME=f"{home}/d")
    return env


def helm_loop(helm: Path, charts: list[Path], verb: str, env: dict[str, str]) -> Run:
    start = time.perf_counter()
    rss = cpu = 0.0
    for chart in charts:
        if verb == "template":
            command = [str(helm), "template", RELEASE_NAME, str(chart), "--namespace", "default"]
        else:
            command = [str(helm), "lint", str(chart)]
        run = measure(command, env)
        rss, cpu = max(rss, run.max_rss_mib), cpu + run.cpu
    return Run(time.perf_counter() - start, cpu, rss, 0.0)


def chartfix_lint(paths: list[Path], extra: list[str], sample: bool = False) -> Run:
    command = [
        *CHARTFIX,
        "lint",
        *map(str, paths),
        "--format",
        "json",
        "--no-config",
        "--fail-on",
        "never",
    ]
    return measure([*command, *extra], sample=sample)


def compare(
    title: str,
    runs: int,
    ours: Callable[[], Run],
    theirs: Callable[[], Run],
    helm_label: str,
    ours_sampled: Callable[[], Run] | None = None,
) -> None:
    """`ours_sampled`: one more run of chartfix, not timed, whose process tree's PSS is sampled."""
    mine: list[Run] = []
    helms: list[Run] = []
    for _ in range(runs):  # alternating, so that both see the same load
        mine.append(ours())
        helms.append(theirs())
    tree_pss = ours_sampled().tree_rss_mib if ours_sampled else 0.0
    wall = statistics.median(r.wall for r in mine)
    helm_wall = statistics.median(r.wall for r in helms)
    cpu = statistics.median(r.cpu for r in mine)
    helm_cpu = statistics.median(r.cpu for r in helms)
    print(f"{title}:")
    print(
        f"  chartfix: median {_seconds(wall)} of {[_seconds(r.wall) for r in mine]}, CPU {_seconds(cpu)}, "
        f"peak RSS {max(r.max_rss_mib for r in mine):.0f} MiB largest process"
        + (f", {tree_pss:.0f} MiB PSS all processes (separate run)" if tree_pss else "")
    )
    print(
        f"  {helm_label}: median {_seconds(helm_wall)} of {[_seconds(r.wall) for r in helms]}, CPU {_seconds(helm_cpu)}, "
        f"peak RSS {max(r.max_rss_mib for r in helms):.0f} MiB"
    )
    print(f"  ratio chartfix / helm: {wall / helm_wall:.2f}x wall, {cpu / helm_cpu:.2f}x CPU")


def byte_compile_chartfix() -> None:
    """Write the .pyc files of the chartfix this interpreter imports (its `linter/` and `rules/`)."""
    for package in ("chartfix", "chartfix.rules"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations if spec else None) or []:
            compileall.compile_dir(folder, quiet=1)


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--helm", type=Path, default=DEFAULT_HELM)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["scenarios", "no-scenarios", "one"], action="append")
    parser.add_argument("--chart", type=Path, default=ONE_CHART, help="the chart of the one-chart case")
    parser.add_argument("--jobs", type=int, help="chartfix --jobs (default: chartfix's default)")
    parser.add_argument("--chartfix", help="the chartfix command to time (e.g. another version's)")
    args = parser.parse_args()
    if args.chartfix:
        CHARTFIX[:] = shlex.split(args.chartfix)
    else:
        byte_compile_chartfix()
    if not os.access(args.helm, os.X_OK):
        raise SystemExit(f"Helm not found at {args.helm} (run scripts/fetch_helm.sh)")
    charts = corpus_charts(args.corpus)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    only = args.only or ["scenarios", "no-scenarios", "one"]
    print(
        f"{len(charts)} charts, {os.cpu_count()} CPUs, {args.runs} runs each, chartfix and Helm alternating"
    )
    with tempfile.TemporaryDirectory() as home:
        env = helm_env(home)
        if "scenarios" in only:
            compare(
                "lint, all scenarios vs helm template loop",
                args.runs,
                lambda: chartfix_lint([args.corpus], jobs),
                lambda: helm_loop(args.helm, charts, "template", env),
                "helm template loop",
                lambda: chartfix_lint([args.corpus], jobs, sample=True),
            )
        if "no-scenarios" in only:
            compare(
                "lint --no-scenarios vs helm lint loop",
                args.runs,
                lambda: chartfix_lint([args.corpus], ["--no-scenarios", *jobs]),
                lambda: helm_loop(args.helm, charts, "lint", env),
                "helm lint loop",
                lambda: chartfix_lint([args.corpus], ["--no-scenarios", *jobs], sample=True),
            )
        if "one" in only:
            compare(
                f"one chart ({args.chart.name}), whole process",
                max(args.runs, ONE_CHART_RUNS),
                lambda: chartfix_lint([args.chart], []),
                lambda: helm_loop(args.helm, [args.chart], "lint", env),
                "helm lint",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
