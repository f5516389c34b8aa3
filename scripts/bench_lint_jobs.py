#!/usr/bin/env python3
"""Benchmark: `chartfix lint` of the whole corpus with --jobs 1 and --jobs 2 (worker processes).

Runs the real command line (`chartfix lint DIR --jobs N --format json --no-config`) and prints wall
time per job count, the speed-up, and whether both runs reported exactly the same findings. A script,
not a test: timings depend on the machine.

    .venv/bin/python scripts/bench_lint_jobs.py [--corpus DIR] [--jobs 1 2 4]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import DEFAULT_CORPUS  # noqa: E402

CHARTFIX = Path(sys.executable).with_name("chartfix")


def run_lint(corpus: Path, jobs: int) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [str(CHARTFIX), "lint", str(corpus), "--jobs", str(jobs), "--format", "json", "--no-config",
         "--fail-on", "never"],
        capture_output=True,
        check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    return wall, done.returncode, hashlib.sha256(done.stdout).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    charts = sum(1 for p in args.corpus.iterdir() if (p / "Chart.yaml").is_file())
    results = {}
    for jobs in args.jobs:
        wall, code, digest = run_lint(args.corpus, jobs)
        results[jobs] = (wall, digest)
        print(f"--jobs {jobs}: {charts} charts in {wall:.1f} s wall ({charts / wall:.2f} charts/s), exit {code}, "
              f"output sha256 {digest}")  # fmt: skip
    base_wall, base_digest = results[args.jobs[0]]
    for jobs, (wall, digest) in results.items():
        if jobs != args.jobs[0]:
            same = "identical output" if digest == base_digest else "OUTPUT DIFFERS"
            print(f"--jobs {jobs} vs --jobs {args.jobs[0]}: speed-up {base_wall / wall:.2f}x, {same}")
    return 0 if len({digest for _, digest in results.values()}) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
