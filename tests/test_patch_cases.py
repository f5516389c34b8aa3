"""`chartfix patch` over every stuck case of tests/uninstall_cases/: the cases with a chart-level fix
are patched, verified, and the patched chart gets a clean verdict for the case's mechanism; the
others are refused (exit 2, nothing written) for the reason listed here."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from uninstall_eval import MECHANISM_RULES, _values_file, load_cases

from chartfix.analysis.uninstall import Simulation
from chartfix.errors import ChartfixError
from chartfix.findings.lint import LintOptions, lint_chart
from chartfix.patch.errors import NoMechanicalFix, PatchError
from chartfix.patch.output import write_to_folder
from chartfix.patch.patcher import PatchOptions, plan_patch
from chartfix.records import replace

# Stuck cases with no safe mechanical fix, and why (a substring of chartfix's refusal).
NO_MECHANICAL_FIX = {
    # the operator creates its webhook configurations at run time; neither the chart nor chartfix's
    # knowledge names them or a label that selects exactly those, and deleting every one in the
    # cluster is not safe
    "kai-scheduler-0.10.3": "creates these registrations at run time",
    "osm-v0.6.0-e627efa": "creates these registrations at run time",
    # the finalized kind's CRD is not in the chart and no Role names its resource: its resource name
    # and scope are unknown
    "yugabyte-k8s-operator-2d28bf3": "does not ship the CRD of Release and no Role of the chart names",
    # the hook's ServiceAccount name does not match the one the chart defines: the maintainer decides
    "node-feature-discovery-0.16.0": "which name is right is the maintainer's call",
    # OLM outside the chart runs the operator: what to delete (the CSV OLM names, the custom resources
    # of the CRDs its bundle brings) is not in the chart, and removing the CSV first would strand them
    "redhat-cop-operatorhub-0.0.12": "cannot fix CF1015 (olm-operator-outlives-release): OLM, not the chart",
}
# Stuck cases chartfix does not catch (tests/test_uninstall_cases.py KNOWN_MISSES): nothing to patch.
NOT_CAUGHT = {"gatekeeper-3.7.2", "rancher-webhook-pre-be78d95", "rancher-v2.12.3"}

STUCK = [c for c in load_cases() if c.verdict == "stuck"]
# What the uninstall model shows for each mechanism (see _outcomes).
MECHANISM_OUTCOMES = {
    "olm-csv-finalizer": {"stuck", "leftover"},
    "finalizer-controller-gone": {"stuck", "leftover"},
    "finalizer-instances-possible": {"stuck", "leftover"},
    "webhook-blocks-delete": {"rejected", "broken"},
    "apiservice-backend-gone": {"broken", "discovery"},
    "hook-cannot-run": {"hook"},
}


def _outcomes(simulation: Simulation) -> set[tuple[str, str]]:
    """What is stuck or broken after the uninstall, by kind of outcome and object."""
    found = {("stuck", s.victim.ref()) for s in simulation.stuck}
    found |= {("leftover", v.ref()) for v, _ in simulation.leftovers}
    found |= {("rejected", r.target.ref()) for r in simulation.rejected}
    found |= {("broken", b.registration.ref()) for b in simulation.broken}
    found |= {("discovery", namespace) for namespace, _ in simulation.discovery_blocked}
    found |= {("hook", p.hook.ref()) for p in simulation.hook_problems if p.fatal}
    return found


@pytest.mark.parametrize("case", STUCK, ids=[c.id for c in STUCK])
def test_patch_stuck_case(case, tmp_path):
    rules = sorted(MECHANISM_RULES[case.mechanism])
    values = _values_file(case.values, tmp_path)
    options = PatchOptions(values_files=values, rules=rules)
    if case.id in NO_MECHANICAL_FIX:
        with pytest.raises(PatchError) as refused:
            plan_patch(str(case.path), options)
        assert NO_MECHANICAL_FIX[case.id] in str(refused.value)
        assert isinstance(refused.value, NoMechanicalFix) or "cannot fix" in str(refused.value)
        return
    patch = plan_patch(str(case.path), options)
    if case.id in NOT_CAUGHT:
        assert not patch.changed
        return
    assert patch.changed, patch.messages
    out = tmp_path / "patched"
    write_to_folder(patch, str(out), force=False)
    lint = LintOptions(values_files=values, derive_scenarios=False)
    before = {(f.rule_id, f.subject, f.message) for f in lint_chart(str(case.path), lint).findings}
    after = lint_chart(str(out), lint).findings
    assert not [f for f in after if f.rule_id in rules], "the patched chart still has the case's finding"
    assert not [f for f in after if (f.rule_id, f.subject, f.message) not in before], (
        "the patch adds findings"
    )
    for major in (3, 4):  # what `chartfix simulate` prints: the case's mechanism is gone, nothing new
        left = _outcomes(lint_chart(str(out), replace(lint, helm_major=major)).contexts[0].simulate())
        had = _outcomes(lint_chart(str(case.path), replace(lint, helm_major=major)).contexts[0].simulate())
        assert not {o for o in left if o[0] in MECHANISM_OUTCOMES[case.mechanism]}, left
        # A delete the webhook rejected before may now reach the object and meet its own finalizer
        # (a finding the chart already had): the rejection hid it, the patch does not cause it.
        hidden = {(outcome, ref) for _, ref in had if _ == "rejected" for outcome in ("stuck", "leftover")}
        assert left <= had | hidden, left - had
    try:
        again = plan_patch(str(out), options)
    except ChartfixError as error:  # pragma: no cover - reported with the case
        pytest.fail(f"patching the patched chart fails: {error}")
    assert not again.changed, "patching twice must equal patching once"


def test_every_listed_case_exists():
    ids = {c.id for c in STUCK}
    assert set(NO_MECHANICAL_FIX) | NOT_CAUGHT <= ids
    assert all(Path(c.path).exists() for c in STUCK)


HELM_CHECKED = [
    "tigera-operator-v3.26.0",  # cluster-scoped and namespaced kinds, users' objects
    "vault-secrets-operator-a254f79",  # per-namespace Roles, values
    "kubefledged-0.8.2",  # a hook-created webhook configuration, under its condition
    "opentelemetry-operator-0.96.0",  # values.schema.json extended
    "kuma-2.7.0",  # minimal edits of the chart's own hook
    "kyverno-3.0.0",  # run-time webhooks: controllers scaled to zero, then deleted by label
    "reports-server-0.1.5",  # run-time APIServices: server scaled to zero, then deleted by name
    "ibm-namespace-scope-operator-c6418f5",  # no CRD: the resource its operator's Role names
]


@pytest.mark.parametrize("case_id", HELM_CHECKED)
def test_real_helm_and_kubernetes_accept_the_patched_case(case_id, helm3, helm4, tmp_path):
    case = next(c for c in STUCK if c.id == case_id)
    values = _values_file(case.values, tmp_path)
    options = PatchOptions(values_files=values, rules=sorted(MECHANISM_RULES[case.mechanism]))
    out = tmp_path / "patched"
    patch = plan_patch(str(case.path), options)
    write_to_folder(patch, str(out), force=False)
    env = {
        **os.environ,
        **{k: str(tmp_path / k) for k in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME")},
    }
    flags = [arg for v in values for arg in ("-f", v)]
    templates = [name for name in patch.changes if name.startswith("templates/")]
    assert templates
    for helm in (helm3, helm4):
        lint = subprocess.run([str(helm), "lint", str(out), *flags], capture_output=True, text=True, env=env)
        assert lint.returncode == 0, lint.stdout + lint.stderr
        shown = subprocess.run(
            [
                str(helm),
                "template",
                "rel",
                str(out),
                "-n",
                "ops",
                *flags,
                *(a for t in templates for a in ("--show-only", t)),
            ],
            capture_output=True,
            text=True,
            env=env,
        )
        assert shown.returncode == 0, shown.stderr
        objects = [d for d in yaml.safe_load_all(shown.stdout) if isinstance(d, dict)]
        assert objects
        for obj in objects:
            kubernetes_validate.validate(obj, "1.31", strict=True)
