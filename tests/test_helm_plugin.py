"""The Helm plugin (plugin.yaml + scripts/helm-chartfix.sh) installed into real Helm 3.17.3 and 4.1.4,
each with its own temporary Helm home, so that `helm chartfix lint ...` runs the chartfix of this
environment."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helm import helm_binary_path, helm_problem, require

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
VENV_BIN = Path(sys.executable).parent


def test_manifest_is_legacy_format_with_the_package_version():
    manifest = yaml.safe_load((ROOT / "plugin.yaml").read_text())
    # Helm 3 unmarshals plugin.yaml strictly: an apiVersion/type/runtime (Helm 4's v1 format) would fail.
    assert set(manifest) <= {"name", "version", "usage", "description", "ignoreFlags", "platformCommand"}
    assert "command" not in manifest  # Helm 4 rejects command together with platformCommand
    assert manifest["name"] == "chartfix"
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert manifest["version"] == version
    assert {entry["os"] for entry in manifest["platformCommand"]} == {"linux", "darwin", "windows"}


@pytest.fixture
def plugin_source(tmp_path) -> Path:
    source = tmp_path / "chartfix"
    (source / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "plugin.yaml", source / "plugin.yaml")
    shutil.copy2(ROOT / "scripts" / "helm-chartfix.sh", source / "scripts" / "helm-chartfix.sh")
    return source


def helm_env(home: Path, path: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HELM_", "CHARTFIX_"))}
    # Helm 4.1.4 installs into $HELM_DATA_HOME/plugins whatever HELM_PLUGINS says: keep the default.
    env.update(
        HELM_DATA_HOME=str(home / "data"),
        HELM_CONFIG_HOME=str(home / "config"),
        HELM_CACHE_HOME=str(home / "cache"),
        KUBECONFIG=str(home / "no-kubeconfig"),
        PATH=path,
        **extra,
    )
    return env


def run(helm: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(helm), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.helm
@pytest.mark.parametrize("major", [3, 4])
def test_helm_chartfix_lint_runs_the_installed_chartfix(major, plugin_source, tmp_path):
    problem = helm_problem(major)
    if problem:
        require(problem)
    helm = helm_binary_path(major)
    env = helm_env(tmp_path / "home", f"{VENV_BIN}{os.pathsep}/usr/bin{os.pathsep}/bin")
    installed = run(helm, ["plugin", "install", str(plugin_source)], env)
    assert installed.returncode == 0, installed.stderr
    assert "Installed plugin: chartfix" in installed.stdout
    listed = run(helm, ["plugin", "list"], env)
    assert re.search(r"^chartfix\s+0\.1\.0\s", listed.stdout, re.M), listed.stdout

    bad = run(helm, ["chartfix", "lint", "fixtures/olm-bundled-no-hook", "--format", "github"], env)
    assert bad.returncode == 1, bad.stderr
    assert bad.stdout.startswith("::error file=fixtures/olm-bundled-no-hook/templates/olm.yaml,line=36,")
    good = run(helm, ["chartfix", "lint", "fixtures/olm-uses-only", "-n", "ops"], env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.endswith("0 error(s), 0 warning(s), 0 info(s) in 1 chart\n")

    explicit = helm_env(
        tmp_path / "home", f"/usr/bin{os.pathsep}/bin", CHARTFIX_BIN=str(VENV_BIN / "chartfix")
    )
    assert run(helm, ["chartfix", "--version"], explicit).stdout == "chartfix 0.1.0\n"
    missing = run(helm, ["chartfix", "--version"], helm_env(tmp_path / "home", f"/usr/bin{os.pathsep}/bin"))
    if "chartfix 0.1.0" not in missing.stdout:  # the system python3 may have chartfix installed
        assert missing.returncode != 0
        assert "chartfix is not installed" in missing.stderr
