"""The evaluation set of real charts whose uninstall gets stuck (tests/uninstall_cases/): loading the
hand-written cases and checking chartfix's verdict on each. Used by tests/test_uninstall_cases.py
and scripts/eval_uninstall_cases.py (which prints recall and precision)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from chartfix.findings.lint import LintOptions, lint_chart

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "uninstall_cases"
CORPUS = ROOT.parent / "shared" / "corpus" / "charts"

# The rules that report each mechanism the cases are labelled with.
MECHANISM_RULES = {
    "olm-csv-finalizer": {"CF1001", "CF1002"},
    "finalizer-controller-gone": {"CF1006", "CF1011"},
    "finalizer-instances-possible": {"CF1011", "CF1006"},
    "webhook-blocks-delete": {"CF1007", "CF1012"},
    "apiservice-backend-gone": {"CF1013"},
    "hook-cannot-run": {"CF1014", "CF1003"},
    "olm-subscription-operator-outlives": {"CF1015"},
}
UNINSTALL_RULES = set().union(*MECHANISM_RULES.values())
SEVERITIES = ("error", "warning", "info")


@dataclass
class Case:
    id: str
    path: Path
    verdict: str
    mechanism: str
    values: dict
    evidence: list[str]
    reason: str
    source_file: str
    twin: str = ""  # the id of the fixed version of a stuck case


@dataclass
class Outcome:
    case: Case
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (rule, severity, message)
    problems: set[tuple[str, str, str]] = field(default_factory=set)  # (rule, severity, sub-problem key)
    error: str = ""

    @property
    def caught(self) -> bool:
        """A stuck case is caught when a rule of its mechanism reports it (at any severity)."""
        return any(rule in MECHANISM_RULES[self.case.mechanism] for rule, _, _ in self.findings)

    @property
    def mechanism_findings(self) -> set[tuple[str, str, str]]:
        """(rule, severity, sub-problem) of the findings of the case's mechanism."""
        rules = MECHANISM_RULES[self.case.mechanism]
        return {problem for problem in self.problems if problem[0] in rules}

    def mechanism_findings_at(self, severity: str) -> set[tuple[str, str, str]]:
        """The findings of the case's mechanism at `severity` or above."""
        wanted = SEVERITIES[: SEVERITIES.index(severity) + 1]
        return {problem for problem in self.mechanism_findings if problem[1] in wanted}

    def caught_at(self, severity: str) -> bool:
        return bool(self.mechanism_findings_at(severity))

    def told_apart_from(self, twin: Outcome) -> bool:
        """The stuck case has a finding of its mechanism that its fixed twin has not."""
        return bool(self.mechanism_findings - twin.mechanism_findings)

    @property
    def errors(self) -> list[tuple[str, str, str]]:
        return [f for f in self.findings if f[1] == "error" and f[0] in UNINSTALL_RULES]

    @property
    def correct(self) -> bool:
        if self.error:
            return False
        return self.caught if self.case.verdict == "stuck" else not self.errors


def load_cases() -> list[Case]:
    cases = []
    for file in sorted(CASES_DIR.glob("cases-*.yaml")):
        for entry in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            path = CORPUS / entry["corpus"] if "corpus" in entry else CASES_DIR / entry["chart"]
            cases.append(
                Case(
                    id=entry["id"],
                    path=path,
                    verdict=entry["verdict"],
                    mechanism=entry.get("mechanism") or _twin_mechanism(entry, file),
                    values=entry.get("values") or {},
                    evidence=list(entry.get("evidence") or []),
                    reason=entry.get("reason", ""),
                    source_file=file.name,
                    twin=entry.get("twin") or "",
                )
            )
    return cases


def _twin_mechanism(entry: dict, file: Path) -> str:
    """A fixed twin labelled without a mechanism takes its stuck sibling's."""
    for other in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
        if other.get("twin") == entry["id"] and other.get("mechanism"):
            return other["mechanism"]
    return "finalizer-controller-gone"


def _values_file(values: dict, folder: Path) -> list[str]:
    """The case's values (dotted keys, as `--set` names them) as a values file."""
    if not values:
        return []
    nested: dict = {}
    for key, value in values.items():
        target = nested
        *parents, last = key.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    path = folder / "case-values.yaml"
    path.write_text(yaml.safe_dump(nested), encoding="utf-8")
    return [str(path)]


def evaluate(case: Case) -> Outcome:
    outcome = Outcome(case)
    with tempfile.TemporaryDirectory() as folder:
        options = LintOptions(values_files=_values_file(case.values, Path(folder)), derive_scenarios=False)
        return _lint(case, options, outcome)


def _lint(case: Case, options: LintOptions, outcome: Outcome) -> Outcome:
    try:
        report = lint_chart(str(case.path), options)
    except Exception as error:  # noqa: BLE001 - recorded per case, reported by the caller
        outcome.error = f"{type(error).__name__}: {error}"
        return outcome
    outcome.findings = [(f.rule_id, f.severity, f.message) for f in report.findings]
    outcome.problems = {(f.rule_id, f.severity, f.key) for f in report.findings}
    return outcome
