"""The entry point builds only the command it runs (chartfix.cli.app.command_line): help, usage
errors and results must read exactly as with the whole app."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chartfix.cli.app import app, command_line

ROOT = Path(__file__).resolve().parent.parent
CHART = str(ROOT / "fixtures" / "olm-bundled-no-hook")
COMMANDS = ["render", "lint", "patch", "simulate", "rules", "explain"]


def _names() -> list[str]:
    return sorted(c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands)


def test_every_command_is_covered() -> None:
    assert _names() == sorted(COMMANDS)


@pytest.mark.parametrize(
    "args",
    [
        *[[name, "--help"] for name in COMMANDS],
        ["lint", "--no-such-option"],
        ["lint"],
        ["lint", CHART, "--no-config", "--format", "json"],
        ["render", CHART],
        ["rules"],
        ["--help"],
        ["lnit", CHART],
        [],
    ],
)
def test_the_single_command_app_reads_as_the_whole_app(args: list[str]) -> None:
    runner = CliRunner()
    whole = runner.invoke(app, args)
    single = runner.invoke(command_line(args), args)
    assert (single.exit_code, single.output) == (whole.exit_code, whole.output)


def test_only_the_named_command_is_built() -> None:
    assert [c.callback.__name__ for c in command_line(["lint", CHART]).registered_commands] == ["lint"]
    assert command_line(["--help"]) is app
    assert command_line([]) is app
