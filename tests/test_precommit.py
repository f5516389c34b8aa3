"""The pre-commit hooks, end to end with the real `pre-commit try-repo`: pre-commit installs this
repository (its current working tree, copied into a temporary git repository so that uncommitted and
new files take part) into its own virtualenv and runs the hooks on a temporary project's staged
chart. Each try-repo run installs chartfix afresh (~20 s)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helm import require

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
GIT = ["git", "-c", "user.email=chartfix-tests@example.invalid", "-c", "user.name=chartfix tests"]


def pre_commit() -> list[str]:
    executable = Path(sys.executable).with_name("pre-commit")
    if not executable.is_file():
        require("pre-commit is not installed (pip install -e '.[test]')")
    return [str(executable)]


def git(cwd: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


def test_hook_manifest_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"chartfix-lint", "chartfix-patch-check"}
    assert hooks["chartfix-lint"]["entry"] == "chartfix lint"
    assert hooks["chartfix-patch-check"]["entry"] == "python -m chartfix.cli.precommit patch-check"
    assert all(hook["language"] == "python" and hook["require_serial"] for hook in hooks.values())


def test_patch_check_entry_maps_files_to_charts(capsys):
    from chartfix.cli.precommit import main

    bad = FIXTURES / "olm-bundled-no-hook"
    assert main(["patch-check", str(bad / "templates" / "olm.yaml"), str(ROOT / "README.md")]) == 1
    assert f"{bad}: needs `chartfix patch`" in capsys.readouterr().err
    assert main(["patch-check", str(FIXTURES / "olm-uses-only" / "Chart.yaml")]) == 0
    assert main(["patch-check", str(ROOT / "README.md")]) == 0  # no chart: nothing to check
    assert main(["lint"]) == 2


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """This repository's working tree as a committed temporary git repository."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        require("the chartfix source tree is not a git checkout")
    target = tmp_path_factory.mktemp("hook-repo")
    for name in listed.stdout.decode().split("\0"):
        source = ROOT / name
        if name and source.is_file() and not name.startswith(("tests/", "docs/")):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "chartfix working tree")
    return target


def try_repo(hook_repo: Path, project: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "GIT_"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    return subprocess.run(
        [*pre_commit(), "try-repo", str(hook_repo)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def project_with(tmp_path: Path, fixture: str) -> Path:
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / fixture, project / "charts" / "app")
    (project / "README.md").write_text("not a chart\n")
    git(project, "init", "-q")
    git(project, "add", "-A")  # try-repo runs the hooks on the staged files, as a commit would
    return project


def test_try_repo_fails_a_bad_chart_with_the_finding(hook_repo, tmp_path):
    done = try_repo(hook_repo, project_with(tmp_path, "olm-bundled-no-hook"), tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "charts/app/templates/olm.yaml:36:1: error CF1001 [olm-bundled-without-cleanup]" in done.stdout
    assert "chartfix patch --check" in done.stdout and "charts/app: needs `chartfix patch`" in done.stdout


def test_try_repo_passes_a_good_chart(hook_repo, tmp_path):
    done = try_repo(hook_repo, project_with(tmp_path, "olm-uses-only"), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("Passed") == 2
