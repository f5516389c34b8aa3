"""Write docs/rules/<id>.md for every rule of rules/catalog.yaml (run after editing the catalog)."""

from __future__ import annotations

import sys
from pathlib import Path

from chartfix.rules import catalog

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def expected_pages() -> dict[Path, str]:
    pages = {DOCS / f"{rule.id}.md": rule.documentation() for rule in catalog().values()}
    index = ["# chartfix rules\n", "| id | slug | severity | summary |", "|---|---|---|---|"]
    index += [f"| [{r.id}]({r.id}.md) | {r.slug} | {r.severity} | {r.summary} |" for r in catalog().values()]
    pages[DOCS / "README.md"] = "\n".join(index) + "\n"
    return pages


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    for path, text in expected_pages().items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(expected_pages())} pages to {DOCS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
