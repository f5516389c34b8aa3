#!/usr/bin/env python3
"""Check that `chartfix lint --format json` output is unchanged: compare a saved run with a new one.

    chartfix lint CORPUS --format json --no-config --fail-on never > before.json   # old code
    .venv/bin/python scripts/compare_lint.py before.json [--corpus DIR] [--jobs N]

Lints the corpus again with the current code (the real command line, run from the folder the saved
run was made in: chart paths are compared as printed) unless a second file is given,
and prints every chart whose scenarios, findings or suppressions differ. Exit code 1 on a difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_render import DEFAULT_CORPUS  # noqa: E402

CHARTFIX = Path(sys.executable).with_name("chartfix")


def lint_json(corpus: Path, jobs: int) -> dict:
    done = subprocess.run(
        [str(CHARTFIX), "lint", os.path.relpath(corpus), "--format", "json", "--no-config", "--fail-on", "never",
         "--jobs", str(jobs)],
        capture_output=True, check=False, text=True,
    )  # fmt: skip
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path, nargs="?")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--save", type=Path, help="also write the new run's JSON here")
    args = parser.parse_args()
    before = json.loads(args.before.read_text())
    after = json.loads(args.after.read_text()) if args.after else lint_json(args.corpus, args.jobs)
    if args.save:
        args.save.write_text(json.dumps(after))
    old = {report["chart"]: report for report in before["charts"]}
    new = {report["chart"]: report for report in after["charts"]}
    differing = 0
    for chart in sorted(old.keys() | new.keys()):
        if old.get(chart) != new.get(chart):
            differing += 1
            print(f"DIFFERS: {chart}")
            for key in sorted((old.get(chart) or {}).keys() | (new.get(chart) or {}).keys()):
                a, b = (old.get(chart) or {}).get(key), (new.get(chart) or {}).get(key)
                if a != b:
                    print(f"  {key}:\n    before: {json.dumps(a)[:600]}\n    after:  {json.dumps(b)[:600]}")
    same_summary = before.get("summary") == after.get("summary")
    print(f"{len(old)} charts before, {len(new)} after; {differing} differ; summary "
          f"{'identical' if same_summary else 'DIFFERS'}")  # fmt: skip
    return 1 if differing or not same_summary else 0


if __name__ == "__main__":
    sys.exit(main())
