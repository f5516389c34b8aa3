"""chartfix's verdict on every real chart of tests/uninstall_cases/ against the verdict written by hand
from the public evidence (an issue or PR per case). `scripts/eval_uninstall_cases.py` prints the same
with recall and precision."""

from __future__ import annotations

import pytest
from helm import require
from uninstall_eval import MECHANISM_RULES, evaluate, load_cases

CASES = load_cases()
# Stuck cases chartfix does not catch, each with why (see the note in tests/uninstall_cases/README.md).
KNOWN_MISSES = {
    "gatekeeper-3.7.2": "the webhook's rules list CREATE and UPDATE only; the model has no request of the "
    "uninstall that they match, so the rejected deletes of gatekeeper#1769 stay unexplained",
    "rancher-webhook-pre-be78d95": "the webhook server creates its MutatingWebhookConfiguration at run time with "
    "RBAC the chart does not ship (bound elsewhere), so nothing in the chart shows it",
    "rancher-v2.12.3": "the server creates APIService v1.ext.cattle.io at run time under cluster-admin; a grant "
    "of everything is no sign of what a workload registers, so the model infers no run-time APIService",
}


# Stuck cases that get no finding of their mechanism which their fixed twin does not get too: chartfix
# sees the operator or the hook in both, but not what the fix changed.
KNOWN_ALIKE = {
    "yugabyte-k8s-operator-2d28bf3": "the fix strips the finalizers while the operator (RBAC over its whole API "
    "group: possible evidence) still runs; the model sees a race (as sympozium-v0.0.104 had), the PR says it works",
    "kai-scheduler-0.10.3": "the fix deletes a Config the operator's webhooks hang off by owner references; the "
    "model has no ownership of run-time objects",
    "kube-starrocks-1.6.1": "the fixed twin differs only in the operator's image tag (operator 1.7.1 stopped "
    "adding the finalizer); the chart's RBAC is the same, and no knowledge data covers this operator",
    "consul-helm-0.19.0": "stuck only after a failed install (the hook's ServiceAccount never created); the model "
    "simulates the uninstall of a complete install",
    **KNOWN_MISSES,
}


def test_cases_are_labelled_with_known_mechanisms():
    assert len(CASES) >= 30
    assert {c.mechanism for c in CASES} <= set(MECHANISM_RULES)
    assert all(c.evidence and c.reason for c in CASES)
    assert set(KNOWN_MISSES) <= {c.id for c in CASES if c.verdict == "stuck"}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_verdict_matches_the_evidence(case):
    if not case.path.exists():
        require(f"{case.path} not found (the corpus is expected at ../shared/corpus/charts)")
    outcome = evaluate(case)
    assert not outcome.error, outcome.error
    if case.id in KNOWN_MISSES:
        assert not outcome.correct, f"{case.id} is caught now: remove it from KNOWN_MISSES"
        return
    if case.verdict == "stuck":
        assert outcome.caught, (
            f"expected a finding of {sorted(MECHANISM_RULES[case.mechanism])}: {case.reason}"
        )
    else:
        assert not outcome.errors, f"fixed twin got uninstall errors: {outcome.errors}"


PAIRS = [(c, next(t for t in CASES if t.id == c.twin)) for c in CASES if c.verdict == "stuck" and c.twin]


@pytest.mark.parametrize("stuck,twin", PAIRS, ids=[c.id for c, _ in PAIRS])
def test_stuck_case_is_told_apart_from_its_fixed_twin(stuck, twin):
    for case in (stuck, twin):
        if not case.path.exists():
            require(f"{case.path} not found (the corpus is expected at ../shared/corpus/charts)")
    told_apart = evaluate(stuck).told_apart_from(evaluate(twin))
    if stuck.id in KNOWN_ALIKE:
        assert not told_apart, f"{stuck.id} is told apart from {twin.id} now: remove it from KNOWN_ALIKE"
    else:
        assert told_apart, f"{stuck.id} and its fix {twin.id} get the same findings of {stuck.mechanism}"
