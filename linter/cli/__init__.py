"""The `chartfix` entry point. `chartfix --version` answers without loading the command line,
which imports every layer (templates, Helm, rules, reports)."""

from __future__ import annotations

import os
import sys

from chartfix import __version__

EXIT_INPUT_ERROR = 2


def main() -> None:
    """Run the command line. An unexpected exception is a chartfix bug: it is reported in one line
    (exit code 2) unless CHARTFIX_DEBUG=1 asks for the traceback."""
    if sys.argv[1:] == ["--version"]:
        print(f"chartfix {__version__}")
        return
    from chartfix.cli.app import app  # noqa: PLC0415 - the one deferred import: start-up time

    try:
        app()
    except Exception as error:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("CHARTFIX_DEBUG") == "1":
            raise
        sys.stderr.write(
            f"chartfix: internal error: {type(error).__name__}: {error} "
            "(a bug in chartfix; rerun with CHARTFIX_DEBUG=1 for details and please report it)\n"
        )
        sys.exit(EXIT_INPUT_ERROR)
