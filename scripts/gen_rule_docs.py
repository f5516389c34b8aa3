"""Write rules/rule_data.json from rules/catalog.yaml and rules/knowledge/*.yaml, then
docs/rules/<id>.md for every rule (run after editing any of them)."""

from __future__ import annotations

import sys
from pathlib import Path

from chartfix.rules import RULE_DATA, catalog, rule_data, rule_data_text, rule_sources

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules"
RULE_DATA_FILE = ROOT / "rules" / RULE_DATA


def expected_rule_data() -> str:
    return rule_data_text(rule_sources())


def expected_pages() -> dict[Path, str]:
    pages = {DOCS / f"{rule.id}.md": rule.documentation() for rule in catalog().values()}
    index = ["# chartfix rules\n", "| id | slug | severity | summary |", "|---|---|---|---|"]
    index += [f"| [{r.id}]({r.id}.md) | {r.slug} | {r.severity} | {r.summary} |" for r in catalog().values()]
    pages[DOCS / "README.md"] = "\n".join(index) + "\n"
    return pages


def main() -> int:
    RULE_DATA_FILE.write_text(expected_rule_data(), encoding="utf-8")
    rule_data.cache_clear()
    catalog.cache_clear()
    print(f"wrote {RULE_DATA_FILE}")
    DOCS.mkdir(parents=True, exist_ok=True)
    for path, text in expected_pages().items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(expected_pages())} pages to {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
