"""`chartfix lint` over the whole corpus: every finding is kept in corpus_lint_expected.yaml.

That file is a change detector, not an oracle: it is written by the code under test and only means
something because each change to it is reviewed by hand. A change in any finding (new, gone, moved,
reworded) fails this test; review it, then regenerate the file with
`CHARTFIX_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_corpus_lint.py`. The hand-written
expectations are tests/test_fixtures_expected.py and the executed catalog examples; tests/corpus_lint_review.md
says why each finding the uninstall model added is right. The OLM rules
may fire only on the charts that bundle OLM (checked below).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from chartfix.errors import ChartfixError
from chartfix.findings.lint import LintOptions, lint_chart

EXPECTED = Path(__file__).with_name("corpus_lint_expected.yaml")
OLM_RULES = {"CF1001", "CF1002"}
# Charts that bundle OLM v0 itself (the only ones operator rules may fire on, per the shared notes).
BUNDLES_OLM = {
    "operator-framework__operator-lifecycle-manager__olm",
    "operator-framework__operator-lifecycle-manager__olm-v0.26.0",
    "operator-framework__operator-lifecycle-manager__olm-v0.27.0",
    "pixie-io__pixie__pixie-operator-chart-v0.1.6",
}


def _lint_corpus(corpus_dir: Path) -> dict[str, object]:
    results: dict[str, object] = {}
    for chart in sorted(p for p in corpus_dir.iterdir() if (p / "Chart.yaml").is_file()):
        try:
            report = lint_chart(str(chart), LintOptions())
        except ChartfixError as error:
            results[chart.name] = {"error": str(error).splitlines()[0][:160]}
            continue
        entries: list[str] = [
            f"{f.rule_id} {f.severity} {f.position} [{', '.join(f.scenarios)}] {f.subject} :: {_key_words(f.message)}"
            for f in report.findings
        ]
        entries += [f"note: {_key_words(note)}" for note in report.skipped]
        results[chart.name] = entries
    return results


def _key_words(message: str, count: int = 14) -> str:
    """The message's first words (enough to see what it says, short enough to review)."""
    return " ".join(message.split()[:count])


HEADER = """\
# CHANGE-DETECTOR SNAPSHOT, NOT AN ORACLE. Written by `chartfix lint` itself
# (CHARTFIX_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/test_corpus_lint.py) and reviewed by
# hand on every change: a diff here says that findings changed, not that they are right. Per chart:
# "RULE severity file:line:col [scenarios] subject :: first words of the message", and the notes of
# what could not be linted; `error:` when the chart could not be linted at all.
"""


@pytest.mark.corpus
def test_corpus_findings_match_the_reviewed_list(corpus_dir):
    actual = _lint_corpus(corpus_dir)
    if os.environ.get("CHARTFIX_UPDATE_SNAPSHOTS") == "1":
        EXPECTED.write_text(HEADER + yaml.safe_dump(actual, sort_keys=True, width=300), encoding="utf-8")
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    assert actual == expected


@pytest.mark.corpus
def test_olm_rules_fire_only_on_charts_that_bundle_olm():
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    firing = {
        chart
        for chart, findings in expected.items()
        if isinstance(findings, list) and any(f.split()[0] in OLM_RULES for f in findings)
    }
    assert firing == BUNDLES_OLM
