"""`chartfix patch`: the patched chart is fixed, valid for real Helm, and otherwise untouched."""

from __future__ import annotations

import filecmp
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

from chartfix.findings.lint import LintOptions, lint_chart
from chartfix.helm.render import RenderOptions, render_chart
from chartfix.patch.output import write_in_place, write_package, write_to_folder
from chartfix.patch.patcher import CLEANUP_TEMPLATE, HOOK_TEMPLATE, PatchOptions, plan_patch

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PIXIE_016 = "pixie-io__pixie__pixie-operator-chart-v0.1.6"
OLM = "operator-framework__operator-lifecycle-manager__olm"


def _patched(chart: Path, tmp_path: Path) -> Path:
    out = tmp_path / "patched"
    write_to_folder(plan_patch(str(chart), PatchOptions()), str(out), force=False)
    return out


def _changed_files(original: Path, patched: Path) -> set[str]:
    changed = set()
    for path in patched.rglob("*"):
        if path.is_file():
            relative = path.relative_to(patched)
            before = original / relative
            if not before.exists() or not filecmp.cmp(before, path, shallow=False):
                changed.add(relative.as_posix())
    return changed


def _only_insertions(before: str, after: str) -> bool:
    import difflib

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def _hook_objects(chart: Path, **options) -> list[dict]:
    result = render_chart(chart, RenderOptions(**options))
    return [m.object() for m in result.hooks if m.source.endswith(HOOK_TEMPLATE)]


def _assert_fixed_and_clean(original: Path, patched: Path) -> None:
    report = lint_chart(str(patched), LintOptions())
    assert not [f for f in report.findings if f.rule_id in ("CF1001", "CF1002")], report.findings
    # the chart's own hooks may have their own CF1003 findings; the patch's hook has none
    assert not [f for f in report.findings if f.position.file.endswith(HOOK_TEMPLATE)], report.findings
    allowed = {HOOK_TEMPLATE, CLEANUP_TEMPLATE, "values.yaml", "values.schema.json"}
    for name in _changed_files(original, patched) - allowed:
        # minimal edits of the chart's own hook templates: text inserted, nothing removed
        assert name.startswith("templates/"), name
        assert _only_insertions((original / name).read_text(), (patched / name).read_text()), name
    original_values = (original / "values.yaml").read_bytes()
    assert (patched / "values.yaml").read_bytes().startswith(original_values)
    again = plan_patch(str(patched), PatchOptions())
    assert not again.changed, "patching a patched chart must change nothing"


def test_fixture_patch_fixes_simulation_and_keeps_other_bytes(tmp_path):
    original = FIXTURES / "olm-bundled-no-hook"
    patched = _patched(original, tmp_path)
    _assert_fixed_and_clean(original, patched)
    kinds = sorted(o["kind"] for o in _hook_objects(patched))
    assert kinds == ["ClusterRole", "ClusterRoleBinding", "Job", "ServiceAccount"]
    assert _hook_objects(patched, set_values=["deployOLM=false"]) == []
    job = next(o for o in _hook_objects(patched) if o["kind"] == "Job")
    assert job["spec"]["activeDeadlineSeconds"] == 300
    commands = [
        c["command"]
        for c in job["spec"]["template"]["spec"]["initContainers"]
        + job["spec"]["template"]["spec"]["containers"]
    ]
    assert commands[0][:6] == [
        "kubectl",
        "delete",
        "subscriptions.operators.coreos.com",
        "--all",
        "--namespace",
        "my-operators",
    ]
    # the hook follows the user's values for the operator namespace
    moved = _hook_objects(patched, set_values=["operatorNamespace=elsewhere"])
    job = next(o for o in moved if o["kind"] == "Job")
    assert "elsewhere" in job["spec"]["template"]["spec"]["containers"][0]["command"]


def test_check_diff_and_in_place(tmp_path):
    chart = tmp_path / "chart"
    import shutil

    shutil.copytree(FIXTURES / "olm-bundled-no-hook", chart)
    (chart / "values.yaml").chmod(0o640)
    patch = plan_patch(str(chart), PatchOptions(bump_version=True))
    assert patch.changed and set(patch.changes) == {HOOK_TEMPLATE, "values.yaml", "Chart.yaml"}
    write_in_place(patch)
    assert (chart / "Chart.yaml").read_text().count("version: 0.1.1") == 1
    assert oct((chart / "values.yaml").stat().st_mode & 0o777) == oct(0o640)
    assert not [p for p in chart.rglob(".chartfix-*")]
    assert not plan_patch(str(chart), PatchOptions()).changed


def test_refuses_existing_output_and_writes_nothing(tmp_path):
    out = tmp_path / "exists"
    out.mkdir()
    (out / "keep").write_text("x")
    from chartfix.errors import ChartfixError

    with pytest.raises(ChartfixError):
        write_to_folder(
            plan_patch(str(FIXTURES / "olm-bundled-no-hook"), PatchOptions()), str(out), force=False
        )
    assert [p.name for p in out.iterdir()] == ["keep"]


def test_package_is_a_loadable_chart_archive(tmp_path):
    target = write_package(plan_patch(str(FIXTURES / "olm-bundled-no-hook"), PatchOptions()), str(tmp_path))
    assert target.name == "olm-bundled-no-hook-0.1.0.tgz"
    with tarfile.open(target) as archive:
        names = archive.getnames()
    assert f"olm-bundled-no-hook/{HOOK_TEMPLATE}" in names
    report = lint_chart(str(target), LintOptions())
    assert "CF1001" not in [f.rule_id for f in report.findings]


def test_cli_check_exit_codes(tmp_path):
    from typer.testing import CliRunner

    from chartfix.cli.app import app

    runner = CliRunner()
    assert runner.invoke(app, ["patch", "--check", str(FIXTURES / "olm-bundled-no-hook")]).exit_code == 1
    assert runner.invoke(app, ["patch", "--check", str(FIXTURES / "olm-bundled-with-hook")]).exit_code == 0
    diff = runner.invoke(app, ["patch", "--diff", str(FIXTURES / "olm-bundled-no-hook")])
    assert diff.exit_code == 0 and "+++ b/templates/chartfix-olm-cleanup.yaml" in diff.output
    assert runner.invoke(app, ["patch", str(FIXTURES / "olm-bundled-no-hook")]).exit_code == 2  # no mode


@pytest.mark.parametrize("major", [3, 4])
@pytest.mark.parametrize("chart", [PIXIE_016, OLM])
def test_real_helm_lints_and_renders_the_patched_corpus_chart(
    chart, major, corpus_dir, helm3, helm4, tmp_path
):
    helm = helm3 if major == 3 else helm4
    original = corpus_dir / chart
    patched = _patched(original, tmp_path)
    _assert_fixed_and_clean(original, patched)
    env = {
        **os.environ,
        "HELM_CACHE_HOME": str(tmp_path / "c"),
        "HELM_CONFIG_HOME": str(tmp_path / "f"),
        "HELM_DATA_HOME": str(tmp_path / "d"),
    }
    lint = subprocess.run([str(helm), "lint", str(patched)], capture_output=True, text=True, env=env)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    shown = subprocess.run(
        [str(helm), "template", "release-name", str(patched), "--show-only", HOOK_TEMPLATE],
        capture_output=True,
        text=True,
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    kinds = sorted(d["kind"] for d in yaml.safe_load_all(shown.stdout) if d)
    # OLM's chart ships a default-deny NetworkPolicy in its namespace: the Job needs its own egress policy
    egress = ["NetworkPolicy"] if chart == OLM else []
    assert kinds == sorted(["ClusterRole", "ClusterRoleBinding", "Job", "ServiceAccount", *egress])
    if chart == PIXIE_016:
        off = subprocess.run(
            [
                str(helm),
                "template",
                "release-name",
                str(patched),
                "--set",
                "deployOLM=false",
                "--show-only",
                HOOK_TEMPLATE,
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        assert off.returncode != 0 and "could not find template" in off.stderr  # not rendered


def test_generated_objects_validate_against_kubernetes_openapi(tmp_path):
    import kubernetes_validate

    patched = _patched(FIXTURES / "olm-bundled-no-hook", tmp_path)
    objects = _hook_objects(patched)
    assert len(objects) == 4
    for obj in objects:
        kubernetes_validate.validate(obj, "1.31", strict=True)


def test_disabled_cleanup_hook_is_switched_on_instead_of_duplicated(tmp_path):
    original = FIXTURES / "olm-bundled-disabled-hook"
    patch = plan_patch(str(original), PatchOptions())
    assert set(patch.changes) == {"values.yaml"}
    before = (original / "values.yaml").read_text().splitlines()
    after = patch.changes["values.yaml"].decode().splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("  enabled: false", "  enabled: true")]
    out = tmp_path / "patched"
    write_to_folder(patch, str(out), force=False)
    assert "CF1001" not in [f.rule_id for f in lint_chart(str(out), LintOptions()).findings]


def test_values_schema_is_extended_and_still_validates(tmp_path):
    import json
    import shutil

    import jsonschema

    chart = tmp_path / "chart"
    shutil.copytree(FIXTURES / "olm-bundled-no-hook", chart)
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "deployOLM": {"type": "boolean"},
            "olmNamespace": {"type": "string"},
            "operatorNamespace": {"type": "string"},
            "olmImage": {"type": "string"},
        },
    }
    (chart / "values.schema.json").write_text(json.dumps(schema, indent=4) + "\n")
    patch = plan_patch(str(chart), PatchOptions())
    assert set(patch.changes) == {HOOK_TEMPLATE, "values.yaml", "values.schema.json"}
    new_schema = json.loads(patch.changes["values.schema.json"])
    jsonschema.Draft7Validator.check_schema(new_schema)
    values = yaml.safe_load(patch.changes["values.yaml"])
    jsonschema.validate(values, new_schema)
    assert patch.changes["values.schema.json"].decode().startswith('{\n    "$schema"')  # indentation kept
