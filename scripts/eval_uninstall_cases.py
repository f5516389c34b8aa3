"""Run chartfix on every case of tests/uninstall_cases/ and print its verdict next to the one written
by hand from public evidence, then recall (stuck cases caught) and precision (fixed twins with no
uninstall error). Usage: python scripts/eval_uninstall_cases.py [--verbose]"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from uninstall_eval import evaluate, load_cases  # noqa: E402


def main() -> int:
    verbose = "--verbose" in sys.argv
    outcomes = [evaluate(case) for case in load_cases()]
    for outcome in outcomes:
        case = outcome.case
        mark = "ok  " if outcome.correct else "MISS"
        rules = sorted({f"{rule}:{severity}" for rule, severity, _ in outcome.findings})
        print(f"{mark} {case.verdict:5} {case.mechanism:34} {case.id:42} {' '.join(rules) or '-'}")
        if outcome.error:
            print(f"     error: {outcome.error}")
        if verbose or not outcome.correct:
            for rule, severity, message in outcome.findings:
                print(f"     {rule} {severity}: {message[:300]}")
    stuck = [o for o in outcomes if o.case.verdict == "stuck"]
    clean = [o for o in outcomes if o.case.verdict == "clean"]
    caught = sum(o.caught for o in stuck)
    clean_ok = sum(o.correct for o in clean)
    print(f"\nrecall: {caught}/{len(stuck)} stuck cases caught ({100 * caught / max(1, len(stuck)):.0f}%)")
    print(f"precision: {clean_ok}/{len(clean)} fixed twins without an uninstall error")
    return 0


if __name__ == "__main__":
    sys.exit(main())
