"""The `chartfix` entry point. `chartfix --version` answers without loading the command line,
which imports every layer (templates, Helm, rules, reports)."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import NoReturn

from chartfix import __version__

EXIT_INPUT_ERROR = 2


def main() -> None:
    """Run the command line. An unexpected exception is a chartfix bug: it is reported in one line
    (exit code 2) unless CHARTFIX_DEBUG=1 asks for the traceback."""
    if sys.argv[1:] == ["--version"]:
        print(f"chartfix {__version__}")
        return
    # The import creates several hundred thousand objects that live until the process ends; the
    # cyclic garbage collector would rescan them again and again while they are made (about 40 ms
    # of a one-chart lint), and at every later full collection. Freeze them out of its sight.
    gc.disable()
    from chartfix.cli.app import command_line  # noqa: PLC0415 - the one deferred import: start-up time

    gc.freeze()
    gc.enable()
    try:
        command_line(sys.argv[1:])()
    except SystemExit as stop:
        _leave(stop.code)
    except Exception as error:  # noqa: BLE001 - the last line of defence for users
        if os.environ.get("CHARTFIX_DEBUG") == "1":
            raise
        sys.stderr.write(
            f"chartfix: internal error: {type(error).__name__}: {error} "
            "(a bug in chartfix; rerun with CHARTFIX_DEBUG=1 for details and please report it)\n"
        )
        _leave(EXIT_INPUT_ERROR)


def _leave(code: object) -> NoReturn:
    """End the process with `code` (as SystemExit reads it) without tearing the interpreter down:
    freeing every module and object one by one takes about 40 ms, a tenth of a one-chart lint, and
    the operating system reclaims it all at once. Output is flushed and atexit handlers run first;
    every file chartfix writes is closed by then (they are written inside `with` blocks)."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # e.g. a closed pipe: let Python's own exit report it as usual
        sys.exit(status)
    atexit._run_exitfuncs()  # noqa: SLF001 - what the interpreter's own exit would run
    os._exit(status)
