"""Run chartfix on every case of tests/uninstall_cases/ and print its verdict next to the one written
by hand from public evidence, then per case file and in all: recall (stuck cases caught by a rule of
their mechanism, at any severity and at error severity) and precision (of the cases chartfix flags
with an uninstall error, how many are really stuck; a fixed twin flagged is a false positive), and
how many stuck cases get a finding their fixed twin does not (a rule that fires on both only says
"operator here", not "this uninstall gets stuck").
Usage: python scripts/eval_uninstall_cases.py [--verbose]"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from uninstall_eval import Outcome, evaluate, load_cases  # noqa: E402


def main() -> int:
    verbose = "--verbose" in sys.argv
    outcomes = [evaluate(case) for case in load_cases()]
    for outcome in outcomes:
        _print_case(outcome, verbose)
    print()
    for source in sorted({o.case.source_file for o in outcomes}):
        print(_summary(source, [o for o in outcomes if o.case.source_file == source]))
    print(_summary("all", outcomes))
    print(_pairs(outcomes))
    return 0


def _print_case(outcome: Outcome, verbose: bool) -> None:
    case = outcome.case
    mark = "ok  " if outcome.correct else "MISS"
    rules = sorted({f"{rule}:{severity}" for rule, severity, _ in outcome.findings})
    print(f"{mark} {case.verdict:5} {case.mechanism:34} {case.id:42} {' '.join(rules) or '-'}")
    if outcome.error:
        print(f"     error: {outcome.error}")
    if verbose or not outcome.correct:
        for rule, severity, message in outcome.findings:
            print(f"     {rule} {severity}: {message[:300]}")


def _summary(label: str, outcomes: Sequence[Outcome]) -> str:
    stuck = [o for o in outcomes if o.case.verdict == "stuck"]
    clean = [o for o in outcomes if o.case.verdict == "clean"]
    caught = sum(o.caught for o in stuck)
    caught_as_error = sum(o.caught and bool(o.errors) for o in stuck)
    caught_as_warning = sum(o.caught_at("warning") for o in stuck)
    twins_warned = sum(bool(o.mechanism_findings_at("warning")) for o in clean)
    false_alarms = sum(bool(o.errors) for o in clean)
    flagged = caught_as_error + false_alarms
    precision = f"{caught_as_error}/{flagged}" if flagged else "-"
    return (
        f"{label:28} recall {caught}/{len(stuck)} (as error {caught_as_error}/{len(stuck)}), "
        f"precision of errors {precision}, fixed twins flagged {false_alarms}/{len(clean)}; "
        f"at --fail-on warning: stuck {caught_as_warning}/{len(stuck)}, twins {twins_warned}/{len(clean)}"
    )


def _pairs(outcomes: Sequence[Outcome]) -> str:
    """Stuck cases whose fixed twin is in the set: how many chartfix tells apart from the twin (a
    finding of the mechanism that the twin does not get), and which it does not."""
    by_id = {o.case.id: o for o in outcomes}
    pairs = [(o, by_id[o.case.twin]) for o in outcomes if o.case.verdict == "stuck" and o.case.twin in by_id]
    same = [stuck.case.id for stuck, twin in pairs if not stuck.told_apart_from(twin)]
    told = len(pairs) - len(same)
    return f"stuck/fixed pairs told apart: {told}/{len(pairs)}" + (
        f" (not: {', '.join(same)})" if same else ""
    )


if __name__ == "__main__":
    sys.exit(main())
