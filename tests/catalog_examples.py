"""Turn a catalog example (rules/catalog.yaml, `example_bad` / `example_good`) into a tiny chart.

The format, documented at the top of catalog.yaml: a stream of documents separated by `---` lines. A
document whose first line is `# file: PATH` is written to PATH in the chart (Chart.yaml, values.yaml,
values.schema.json, crds/..., ci/..., charts/<sub>/..., templates/...); every other document goes, in
order, into templates/example.yaml. Chart.yaml defaults to `apiVersion: v2`, `name: example`,
`version: 0.1.0`; values.yaml to `{}`.
"""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_CHART_YAML = "apiVersion: v2\nname: example\nversion: 0.1.0\n"
_SEPARATOR = re.compile(r"^---[ \t]*$", re.MULTILINE)
_FILE = re.compile(r"\A# file: *(\S+)[ \t]*\n")


def example_files(text: str) -> dict[str, str]:
    files: dict[str, str] = {"Chart.yaml": DEFAULT_CHART_YAML, "values.yaml": "{}\n"}
    templates: list[str] = []
    for document in _SEPARATOR.split(text):
        document = document.strip("\n") + "\n"
        if not document.strip():
            continue
        named = _FILE.match(document)
        if named:
            path = named.group(1)
            body = document[named.end() :]
            files[path] = (
                files[path] + "---\n" + body if path in files and path.startswith("templates/") else body
            )
        else:
            templates.append(document)
    if templates:
        files["templates/example.yaml"] = "---\n".join(templates)
    return files


def write_example_chart(text: str, root: Path) -> Path:
    for relative, content in example_files(text).items():
        target = root / relative
        if ".." in Path(relative).parts or target.is_absolute() and not str(target).startswith(str(root)):
            raise ValueError(f"example file outside the chart: {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return root
