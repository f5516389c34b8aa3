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
