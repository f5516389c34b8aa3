"""`chartfix patch` beyond OLM: each uninstall mechanism's made-up fixture patched to a clean
verdict, the generated objects accepted by real Helm 3 and 4 and by Kubernetes' schemas, and the
command line (`--rule`, `--release-name`, `-o`, `--in-place`, `--package`)."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from typer.testing import CliRunner

from chartfix.analysis.objects import build_model
from chartfix.cli.app import app
from chartfix.findings.lint import LintOptions, lint_chart
from chartfix.helm.render import RenderOptions, render_chart
from chartfix.patch.output import write_to_folder
from chartfix.patch.patcher import CLEANUP_TEMPLATE, PatchOptions, plan_patch
from chartfix.rules.context import LintContext

MECHANISMS = Path(__file__).resolve().parent.parent / "fixtures" / "mechanisms"
STUCK = sorted(p.name for p in MECHANISMS.iterdir() if p.name.endswith("-stuck")) + [
    "widget-operator-no-instances"
]
# Stuck fixtures with no chart-level fix, and why.
NO_FIX = {
    # CF1015: OLM (not the chart) runs the operator; deleting its CSV needs the Subscription's
    # status.installedCSV, read at run time: not a mechanical fix chartfix makes.
    "subscription-stuck": "nothing to patch",
}


def _simulate_ok(chart: Path, major: int) -> bool:
    result = render_chart(chart, RenderOptions(helm_major=major))
    context = LintContext(
        chart_label=str(chart), model=build_model(result), scenario="defaults", helm_major=major
    )
    return context.simulate().ok


def _changed(original: Path, patched: Path) -> set[str]:
    return {
        p.relative_to(patched).as_posix()
        for p in patched.rglob("*")
        if p.is_file()
        and (
            not (original / p.relative_to(patched)).exists()
            or not filecmp.cmp(original / p.relative_to(patched), p, shallow=False)
        )
    }


@pytest.mark.parametrize("name", STUCK)
def test_stuck_fixture_is_patched_to_a_clean_verdict(name, tmp_path):
    original = MECHANISMS / name
    patch = plan_patch(str(original), PatchOptions())
    if name in NO_FIX:
        assert not patch.changed and NO_FIX[name] in patch.messages[0]
        return
    assert patch.changed
    out = tmp_path / "patched"
    write_to_folder(patch, str(out), force=False)
    before = {(f.rule_id, f.subject) for f in lint_chart(str(original), LintOptions()).findings}
    after = {(f.rule_id, f.subject) for f in lint_chart(str(out), LintOptions()).findings}
    assert not after - before, "the patch adds findings"
    assert not after & before, "the patch leaves findings"
    assert _simulate_ok(out, 3) and _simulate_ok(out, 4)
    # values.yaml appended (or an empty `{}` replaced), every other existing file untouched but for
    # minimal insertions into the chart's own hook templates
    for changed in _changed(original, out) - {CLEANUP_TEMPLATE, "values.yaml"}:
        old, new = (original / changed).read_text(), (out / changed).read_text()
        assert changed.startswith("templates/") and len(new) > len(old)
    values = (original / "values.yaml").read_text()
    if values.strip() != "{}":
        assert (out / "values.yaml").read_text().startswith(values)
    assert not plan_patch(str(out), PatchOptions()).changed, "patching twice must equal patching once"


def _helm_env(tmp_path: Path) -> dict:
    return {
        **os.environ,
        "HELM_CACHE_HOME": str(tmp_path / "c"),
        "HELM_CONFIG_HOME": str(tmp_path / "f"),
        "HELM_DATA_HOME": str(tmp_path / "d"),
    }


@pytest.mark.parametrize(
    "name",
    ["widget-operator-stuck", "widget-operator-no-instances", "hook-webhook-stuck", "kept-apiservice-stuck"],
)
def test_real_helm_and_kubernetes_schemas_accept_the_generated_hooks(name, helm3, helm4, tmp_path):
    out = tmp_path / "patched"
    write_to_folder(plan_patch(str(MECHANISMS / name), PatchOptions()), str(out), force=False)
    for helm in (helm3, helm4):
        lint = subprocess.run(
            [str(helm), "lint", str(out)], capture_output=True, text=True, env=_helm_env(tmp_path)
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr
        shown = subprocess.run(
            [str(helm), "template", "rel", str(out), "-n", "team-a", "--show-only", CLEANUP_TEMPLATE],
            capture_output=True,
            text=True,
            env=_helm_env(tmp_path),
        )
        assert shown.returncode == 0, shown.stderr
        objects = [d for d in yaml.safe_load_all(shown.stdout) if d]
        assert {o["kind"] for o in objects} >= {"ServiceAccount", "Job"}
        for obj in objects:
            kubernetes_validate.validate(obj, "1.31", strict=True)
            assert len(obj["metadata"]["name"]) <= 63
        job = next(o for o in objects if o["kind"] == "Job")
        pod = job["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] and pod["securityContext"]["seccompProfile"]
        assert job["spec"]["activeDeadlineSeconds"] == 300 and job["spec"]["backoffLimit"] == 2
        # cluster-scoped names depend on the release's namespace as well as its name
        other = subprocess.run(
            [str(helm), "template", "rel", str(out), "-n", "team-b", "--show-only", CLEANUP_TEMPLATE],
            capture_output=True,
            text=True,
            env=_helm_env(tmp_path),
        )
        names_a = {o["metadata"]["name"] for o in objects if "namespace" not in o["metadata"]}
        names_b = {
            o["metadata"]["name"]
            for o in yaml.safe_load_all(other.stdout)
            if o and "namespace" not in o["metadata"]
        }
        assert not names_a & names_b


def test_finalizer_cleanup_is_least_privilege_and_per_namespace(tmp_path):
    out = tmp_path / "patched"
    write_to_folder(
        plan_patch(str(MECHANISMS / "widget-operator-stuck"), PatchOptions()), str(out), force=False
    )
    objects = [
        m.object() for m in render_chart(out, RenderOptions()).hooks if m.source.endswith(CLEANUP_TEMPLATE)
    ]
    kinds = sorted(o["kind"] for o in objects)
    assert kinds == [
        "Job",
        "Role",
        "RoleBinding",
        "ServiceAccount",
    ]  # the instances are in the release namespace
    role = next(o for o in objects if o["kind"] == "Role")
    assert role["rules"] == [
        {"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get", "list", "watch", "delete"]}
    ]
    job = next(o for o in objects if o["kind"] == "Job")
    command = job["spec"]["template"]["spec"]["containers"][0]["command"]
    assert command == [
        "kubectl",
        "delete",
        "widgets.example.com",
        "--all",
        "--namespace",
        "default",
        "--ignore-not-found",
        "--wait=true",
    ]
    # users' objects anywhere (CF1011): every namespace, a ClusterRole
    out2 = tmp_path / "patched2"
    write_to_folder(
        plan_patch(str(MECHANISMS / "widget-operator-no-instances"), PatchOptions()), str(out2), force=False
    )
    objects = [
        m.object() for m in render_chart(out2, RenderOptions()).hooks if m.source.endswith(CLEANUP_TEMPLATE)
    ]
    assert "ClusterRole" in {o["kind"] for o in objects}
    job = next(o for o in objects if o["kind"] == "Job")
    assert "--all-namespaces" in job["spec"]["template"]["spec"]["containers"][0]["command"]


# --- the command line -----------------------------------------------------------------------------

runner = CliRunner()
WIDGET = str(MECHANISMS / "widget-operator-stuck")


def test_rule_unknown_or_not_patchable_exits_2():
    unknown = runner.invoke(app, ["patch", "--check", "--rule", "CF9999", WIDGET])
    assert unknown.exit_code == 2 and "unknown rule CF9999" in unknown.output
    not_patchable = runner.invoke(app, ["patch", "--check", "--rule", "CF1008", WIDGET])
    assert not_patchable.exit_code == 2 and "cannot fix CF1008" in not_patchable.output


def test_no_mechanical_fix_exits_2_and_writes_nothing(tmp_path):
    chart = tmp_path / "chart"
    shutil.copytree(MECHANISMS / "post-delete-hook-stuck", chart)
    hook = chart / "templates" / "hook.yaml"
    # the ServiceAccount is also used outside the hook: no safe mechanical fix
    hook.write_text(
        hook.read_text()
        + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: user\nspec:\n  serviceAccountName: settings-cleanup\n"
        "  containers:\n    - name: c\n      image: busybox:1.36\n"
    )
    result = runner.invoke(app, ["patch", "-o", str(tmp_path / "out"), str(chart)])
    assert result.exit_code == 2
    assert "no safe mechanical fix" in result.output and "CF1014" in result.output
    assert not (tmp_path / "out").exists()


def test_release_name_and_namespace_reach_the_model():
    result = runner.invoke(
        app, ["patch", "--check", "--release-name", "prod", "-n", "ops", "--kube-version", "1.30", WIDGET]
    )
    assert result.exit_code == 1
    assert "Deployment ops/prod-widget-operator" in result.output


def test_output_onto_an_existing_folder_fails_before_any_summary(tmp_path):
    (tmp_path / "out").mkdir()
    result = runner.invoke(app, ["patch", "-o", str(tmp_path / "out"), WIDGET])
    assert result.exit_code == 2
    assert result.output.startswith("Error:") and CLEANUP_TEMPLATE not in result.output


def test_in_place_prints_what_it_changed(tmp_path):
    chart = tmp_path / "chart"
    shutil.copytree(MECHANISMS / "widget-operator-stuck", chart)
    result = runner.invoke(app, ["patch", "--in-place", str(chart)])
    assert result.exit_code == 0
    assert CLEANUP_TEMPLATE in result.output and "rewrote" in result.output and "values.yaml" in result.output


def test_package_is_world_readable_like_helm_package(tmp_path):
    result = runner.invoke(app, ["patch", "--package", "-o", str(tmp_path), WIDGET])
    assert result.exit_code == 0, result.output
    (archive,) = tmp_path.glob("*.tgz")
    assert oct(archive.stat().st_mode & 0o777) == oct(0o644)


def test_cleanup_runs_after_the_charts_own_hooks_that_need_the_operators(corpus_dir, tmp_path):
    """Pixie's vizier-deleter (pre-delete, weight 0) deletes Viziers, which the OLM-installed operator
    finalizes: the OLM cleanup must come after it (Helm: weight, then name)."""
    out = tmp_path / "patched"
    chart = corpus_dir / "pixie-io__pixie__pixie-operator-chart-v0.1.6"
    write_to_folder(plan_patch(str(chart), PatchOptions()), str(out), force=False)
    hooks = [m.object() for m in render_chart(out, RenderOptions()).hooks]
    jobs = [
        h
        for h in hooks
        if h["kind"] == "Job" and "pre-delete" in h["metadata"]["annotations"]["helm.sh/hook"]
    ]
    order = sorted(
        jobs,
        key=lambda j: (
            int(j["metadata"]["annotations"].get("helm.sh/hook-weight", "0")),
            j["metadata"]["name"],
        ),
    )
    names = [j["metadata"]["name"] for j in order]
    assert names[0] == "vizier-deleter" and names[-1].endswith("-olm-cleanup")


BOUNDLESS_HOOK = """apiVersion: v1
kind: ServiceAccount
metadata:
  name: cleanup
  annotations:
    helm.sh/hook: pre-delete
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ .Release.Name }}-cleanup
  annotations:
    helm.sh/hook: pre-delete
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
rules:
  - apiGroups: [admissionregistration.k8s.io]
    resources: [validatingwebhookconfigurations]
    resourceNames: [legacy-webhook]
    verbs: [get, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ .Release.Name }}-cleanup
  annotations:
    helm.sh/hook: pre-delete
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ .Release.Name }}-cleanup
subjects:
  - kind: ServiceAccount
    name: cleanup
    namespace: {{ .Release.Namespace }}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: cleanup
  annotations:
    helm.sh/hook: pre-delete
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  template:
    spec:
      serviceAccountName: cleanup
      restartPolicy: Never
      containers:
        - name: cleanup
          image: registry.k8s.io/kubectl:v1.31.4
          command: [kubectl, delete, validatingwebhookconfiguration, legacy-webhook, --ignore-not-found]
"""


def test_hook_bounds_read_appended_values_and_schema(helm3, helm4, tmp_path):
    chart = tmp_path / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: bounds\nversion: 1.0.0\n")
    (chart / "values.yaml").write_text("replicas: 1\n")
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"replicas": {"type": "integer"}},
    }
    (chart / "values.schema.json").write_text(json.dumps(schema, indent=2) + "\n")
    (chart / "templates" / "hook.yaml").write_text(BOUNDLESS_HOOK)
    patch = plan_patch(str(chart), PatchOptions(rules=["CF1003"]))
    assert set(patch.changes) == {"templates/hook.yaml", "values.yaml", "values.schema.json"}
    assert patch.changes["values.yaml"].startswith(b"replicas: 1\n")
    values = yaml.safe_load(patch.changes["values.yaml"])
    assert values["deleteHookLimits"] == {"activeDeadlineSeconds": 300, "backoffLimit": 2}
    new_schema = json.loads(patch.changes["values.schema.json"])
    jsonschema.validate(values, new_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**values, "deleteHookLimits": {"backoffLimit": -1}}, new_schema)
    out = tmp_path / "patched"
    write_to_folder(patch, str(out), force=False)
    for helm in (helm3, helm4):
        lint = subprocess.run(
            [str(helm), "lint", str(out)], capture_output=True, text=True, env=_helm_env(tmp_path)
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr
        for flags, deadline in (([], 300), (["--set", "deleteHookLimits.activeDeadlineSeconds=120"], 120)):
            shown = subprocess.run(
                [str(helm), "template", "rel", str(out), *flags, "--show-only", "templates/hook.yaml"],
                capture_output=True,
                text=True,
                env=_helm_env(tmp_path),
            )
            assert shown.returncode == 0, shown.stderr
            job = [d for d in yaml.safe_load_all(shown.stdout) if d and d["kind"] == "Job"][0]
            assert job["spec"]["activeDeadlineSeconds"] == deadline and job["spec"]["backoffLimit"] == 2
            kubernetes_validate.validate(job, "1.31", strict=True)
    assert not [f for f in lint_chart(str(out), LintOptions()).findings if f.rule_id == "CF1003"]
    assert not plan_patch(str(out), PatchOptions(rules=["CF1003"])).changed
