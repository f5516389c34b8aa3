"""What a rule reports."""

from __future__ import annotations

import hashlib

from chartfix.errors import Position
from chartfix.records import field, record

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@record
class Finding:
    """One problem a rule reports, where, and how to fix it."""

    rule_id: str
    slug: str
    severity: str
    message: str
    position: Position
    chart: str  # the chart as the user named it (folder or archive path)
    fix: str
    scenario: str = "defaults"  # the first values scenario that triggers it, e.g. "when deployOLM=true"
    timeline: list[str] = field(default_factory=list)
    subject: str = ""  # the object it is about, e.g. "Deployment olm/olm-operator"
    # Every scenario in which the finding holds (the lint driver merges one finding per scenario).
    scenarios: list[str] = field(default_factory=list)
    # The object as written in the template: kind and the source text of its name (never a rendered,
    # possibly random, value). Set by the lint driver; empty for findings not about one object.
    identity: str = ""
    # Distinguishes several findings of one rule on one object (e.g. CF1003's sub-problems), or names
    # what a finding without an object is about (e.g. the values path of a schema error).
    key: str = ""
    # Longer explanations, printed below the finding's line (the message stays one short sentence).
    details: list[str] = field(default_factory=list)
    # Indexes into `timeline` of the steps that explain the finding (all steps with --verbose).
    timeline_focus: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.scenarios:
            self.scenarios = [self.scenario]

    def fingerprint(self) -> str:
        """Stable across line moves, random names and message wording: rule, chart-relative file, the
        object as written in the template (kind and name source) and the sub-problem key."""
        key = "\x1f".join((self.rule_id, self.position.file, self.identity or self.subject, self.key))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def merge_key(self) -> tuple:
        """Findings with this key in several scenarios are one finding listing those scenarios."""
        return (self.rule_id, self.position, self.identity or self.subject, self.key)

    def sort_key(self) -> tuple:
        return (
            self.chart,
            self.position.file,
            self.position.line,
            self.position.column,
            self.rule_id,
            self.key,
            self.message,
        )
