"""The chartfix rule pack: rule metadata as data (catalog.yaml) bound to check functions (checks.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class RuleMeta:
    """A rule's entry in catalog.yaml."""

    id: str
    slug: str
    severity: str
    summary: str
    rationale: str
    fix: str
    example_bad: str
    example_good: str

    def documentation(self) -> str:
        """The rule's page (docs/rules/<id>.md is generated from this)."""
        return (
            f"# {self.id} {self.slug}\n\n"
            f"Default severity: **{self.severity}**\n\n"
            f"## What it does\n\n{self.summary}\n\n"
            f"## Why it matters\n\n{self.rationale.strip()}\n\n"
            f"## Example\n\n```yaml\n{self.example_bad.rstrip()}\n```\n\n"
            f"## How to fix\n\n{self.fix.strip()}\n\n```yaml\n{self.example_good.rstrip()}\n```\n"
        )


@cache
def catalog() -> dict[str, RuleMeta]:
    text = resources.files(__package__).joinpath("catalog.yaml").read_text(encoding="utf-8")
    entries = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["rules"]  # noqa: S506
    return {entry["id"]: RuleMeta(**entry) for entry in entries}
