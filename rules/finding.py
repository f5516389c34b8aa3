"""What a rule reports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from chartfix.errors import Position

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass
class Finding:
    rule_id: str
    slug: str
    severity: str
    message: str
    position: Position
    chart: str  # the chart as the user named it (folder or archive path)
    fix: str
    scenario: str = "defaults"  # the values scenario that triggers it, e.g. "when deployOLM=true"
    timeline: list[str] = field(default_factory=list)
    subject: str = ""  # the object it is about, e.g. "Deployment olm/olm-operator"

    def fingerprint(self) -> str:
        """Stable across line moves: rule, chart-relative file, subject and message."""
        key = "\x1f".join((self.rule_id, self.position.file, self.subject, self.message))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple:
        return (
            self.chart,
            self.position.file,
            self.position.line,
            self.position.column,
            self.rule_id,
            self.message,
        )
