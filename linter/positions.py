"""Map a rendered document back to a line in the template that produced it.

Best effort: a document is placed on the line of its template that declares its `kind:`, counting
documents of the same kind within the file; where the kind is produced indirectly (an `include`, a
value), the first line of the template is used.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import Position

if TYPE_CHECKING:
    from .chart import Chart
    from .manifest import Manifest


class PositionMapper:
    def __init__(self, chart: Chart) -> None:
        self._sources: dict[str, str] = {}
        self._collect(chart)
        self._seen: dict[tuple[str, str], int] = {}

    def _collect(self, chart: Chart) -> None:
        full = chart.chart_full_path()
        for template in chart.templates:
            text = template.data.decode("utf-8", errors="replace")
            self._sources[f"{full}/{template.name}"] = text
        for child in chart.dependencies:
            self._collect(child)

    def chart_relative(self, template_name: str) -> str:
        """`top/charts/sub/templates/a.yaml` -> `charts/sub/templates/a.yaml` (relative to the chart root)."""
        return template_name.split("/", 1)[1] if "/" in template_name else template_name

    def position(self, manifest: Manifest) -> Position:
        path = self.chart_relative(manifest.source)
        source = self._sources.get(manifest.source)
        if source is None:
            return Position(path, 1, 1)
        key = (manifest.source, manifest.head.kind)
        nth = self._seen.get(key, 0)
        self._seen[key] = nth + 1
        lines = _kind_lines(source, manifest.head.kind)
        if not lines:
            return Position(path, 1, 1)
        line, column = lines[min(nth, len(lines) - 1)]
        return Position(path, line, column)


def _kind_lines(source: str, kind: str) -> list[tuple[int, int]]:
    if not kind:
        return []
    pattern = re.compile(
        r"^([ \t]*)kind:[ \t]*[\"']?" + re.escape(kind) + r"[\"']?[ \t]*(#.*)?$", re.MULTILINE
    )
    found = []
    for match in pattern.finditer(source):
        line = source.count("\n", 0, match.start()) + 1
        found.append((line, len(match.group(1)) + 1))
    return found
