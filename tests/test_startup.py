"""Start-up cost: what `chartfix --version` and a one-chart lint import. Heavy libraries that a
plain lint does not need are imported in the one place each that docs/architecture.md names."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHART = ROOT / "fixtures" / "olm-bundled-with-hook"  # no values.schema.json

# Runs the real entry point, then writes the names of the modules it imported to argv[1].
_RUN = """
import json, sys
from chartfix.cli import main
out, sys.argv = sys.argv[1], ["chartfix", *sys.argv[2:]]
try:
    main()
except SystemExit:
    pass
with open(out, "w") as handle:
    json.dump(sorted(sys.modules), handle)
"""


def _imported(tmp_path: Path, *args: str) -> set[str]:
    out = tmp_path / "modules.json"
    subprocess.run([sys.executable, "-c", _RUN, str(out), *args], check=True, capture_output=True)
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


def test_a_config_file_loads_the_schema_validator(tmp_path: Path) -> None:
    config = tmp_path / ".chartfix.yaml"
    config.write_text("fail-on: never\n")
    modules = _imported(tmp_path, "lint", str(CHART), "--config", str(config), "--format", "json")
    assert "chartfix.helm.schema_check" in modules
    assert "chartfix.findings.config_yaml" in modules


def test_the_patch_command_loads_the_patcher(tmp_path: Path) -> None:
    modules = _imported(tmp_path, "patch", str(CHART), "--check")
    assert "chartfix.patch.patcher" in modules
