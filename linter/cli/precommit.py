"""`python -m chartfix.precommit patch-check FILE...`: the pre-commit hook chartfix-patch-check. Runs
`chartfix patch --check` once for each chart that contains one of the files (exit 1 when any chart
needs a patch, 2 on an input error)."""

from __future__ import annotations

import sys

import typer

from chartfix.cli import EXIT_INPUT_ERROR
from chartfix.cli.app import app
from chartfix.cli.batch import collect_charts
from chartfix.errors import ChartfixError


def patch_check(files: list[str]) -> int:
    try:
        charts = collect_charts(files)
    except ChartfixError as error:
        sys.stderr.write(f"Error: {error}\n")
        return EXIT_INPUT_ERROR
    command = typer.main.get_command(app)
    worst = 0
    for chart in charts:
        code = command.main(args=["patch", "--check", chart], standalone_mode=False) or 0
        if code == 1:
            sys.stderr.write(f"{chart}: needs `chartfix patch` (run: chartfix patch --in-place {chart})\n")
        worst = max(worst, code)
    return worst


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] != "patch-check":
        sys.stderr.write("usage: python -m chartfix.precommit patch-check FILE...\n")
        return EXIT_INPUT_ERROR
    return patch_check(args[1:])


if __name__ == "__main__":
    sys.exit(main())
