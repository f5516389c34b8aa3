"""Start-up cost: what `chartfix --version` and a one-chart lint import. Heavy libraries that a
plain lint does not need are imported in the one place each that docs/architecture.md names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "fixtures" / "olm-bundled-with-hook"  # no values.schema.json

# Runs the real entry point, which ends the process itself (after the atexit handlers, which write
# the names of the modules it imported to argv[1]).
_RUN = """
import atexit, json, sys
from chartfix.cli import main
out, sys.argv = sys.argv[1], ["chartfix", *sys.argv[2:]]

def dump():
    with open(out, "w") as handle:
        json.dump(sorted(sys.modules), handle)

atexit.register(dump)
main()
"""


def _imported(tmp_path: Path, *args: str) -> set[str]:
    out = tmp_path / "modules.json"
    subprocess.run([sys.executable, "-c", _RUN, str(out), *args], capture_output=True)
    return set(json.loads(out.read_text()))


def _loaded(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages)


def test_version_loads_no_command_line(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "--version")
    assert _loaded(modules, "typer", "chartfix") == ["chartfix", "chartfix.cli"]


def test_one_chart_lint_loads_no_schema_validator_nor_process_pool(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "lint", str(CHART), "--no-config", "--format", "json")
    assert "chartfix.findings.lint" in modules
    assert _loaded(modules, "jsonschema", "referencing", "multiprocessing") == []
    assert "concurrent.futures.process" not in modules
    assert "chartfix.helm.schema_check" not in modules


def test_one_chart_lint_loads_neither_ruamel_nor_the_patcher(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "lint", str(CHART), "--no-config", "--format", "json")
    assert "chartfix.go.yaml.parse" in modules
    assert _loaded(modules, "ruamel") == []
    assert [m for m in modules if m.startswith("chartfix.patch")] == []


def test_one_chart_lint_loads_no_library_only_some_templates_or_outputs_use(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "lint", str(CHART), "--no-config", "--format", "json")
    assert _loaded(modules, "tomllib", "zoneinfo", "pickle", "xml") == []
    assert "chartfix.reports.junit" not in modules


def test_junit_output_loads_the_xml_writer(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "lint", str(CHART), "--no-config", "--format", "junit")
    assert "chartfix.reports.junit" in modules


def test_a_config_file_loads_the_schema_validator(tmp_path: Path) -> None:
    config = tmp_path / ".chartfix.yaml"
    config.write_text("fail-on: never\n")
    modules = _imported(tmp_path, "lint", str(CHART), "--config", str(config), "--format", "json")
    assert "chartfix.helm.schema_check" in modules
    assert "chartfix.findings.config_yaml" in modules


def test_the_patch_command_loads_the_patcher(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "patch", str(CHART), "--check")
    assert "chartfix.patch.patcher" in modules


def test_the_entry_point_flushes_its_output_and_keeps_the_exit_code(tmp_path: Path) -> None:
    """main() ends the process with os._exit (no interpreter teardown): what it printed must all be
    there, with the command's exit code (1: an error finding; 2: a broken input)."""
    chartfix = [
        sys.executable,
        "-c",
        "import sys; from chartfix.cli import main; sys.argv[0] = 'chartfix'; main()",
    ]
    stuck = ROOT / "fixtures" / "olm-bundled-no-hook"
    linted = subprocess.run(
        [*chartfix, "lint", str(stuck), "--no-config", "--format", "json"], capture_output=True
    )
    assert linted.returncode == 1
    assert json.loads(linted.stdout)["charts"][0]["findings"]
    broken = subprocess.run([*chartfix, "lint", str(tmp_path / "absent")], capture_output=True, text=True)
    assert broken.returncode == 2
    assert "no such file or folder" in broken.stderr
    usage = subprocess.run([*chartfix, "--no-such-option"], capture_output=True, text=True)
    assert usage.returncode == 2
    assert "No such option" in usage.stderr
