"""Map a rendered document back to the template line that produced it.

The executor records, for every piece of a file's output, the node of that file that produced it
(render.RenderResult.origins). A document is placed where its `kind:` line came from: the exact line
and column inside template text, or the action (`include`, a printed value) or `{{template}}` call
that printed it. Without origins (or when the kind line is not found) a text search of the template
for its `kind:` lines is the fallback, and line 1 the last resort.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

from chartfix.errors import Position
from chartfix.go.template.nodes import TextNode

if TYPE_CHECKING:
    from chartfix.helm.chart import Chart
    from chartfix.helm.manifest import Manifest

_KIND_LINE = re.compile(r"^kind:", re.MULTILINE)
_METADATA_LINE = re.compile(r"^([ \t]*)metadata:[ \t]*(#.*)?$")
_NAME_LINE = re.compile(r"^([ \t]*)name:[ \t]*(.*?)[ \t]*$")


class TemplateSources:
    """The template texts of a chart tree, read as needed and kept: the same in every values
    scenario of a lint (a template of CRDs has thousands of lines and many objects)."""

    def __init__(self, chart: Chart) -> None:
        self._data: dict[str, bytes] = {}
        self._texts: dict[str, str] = {}
        self._split: dict[str, tuple[list[str], list[int]]] = {}
        self.names: dict[tuple[str, int], str] = {}  # PositionMapper.name_source by (template, line)
        self._collect(chart)

    def _collect(self, chart: Chart) -> None:
        full = chart.chart_full_path()
        for template in chart.templates:
            self._data[f"{full}/{template.name}"] = template.data
        for child in chart.dependencies:
            self._collect(child)

    def text(self, template_name: str) -> str | None:
        text = self._texts.get(template_name)
        if text is None and template_name in self._data:
            text = self._texts[template_name] = self._data[template_name].decode("utf-8", errors="replace")
        return text

    def lines(self, template_name: str) -> tuple[list[str], list[int]] | None:
        """The lines of a template's source and the indexes of its `---` lines."""
        split = self._split.get(template_name)
        if split is None:
            text = self.text(template_name)
            if text is None:
                return None
            lines = text.split("\n")
            separators = [i for i, line in enumerate(lines) if line.startswith("---")]
            split = self._split[template_name] = (lines, separators)
        return split


class PositionMapper:
    def __init__(
        self,
        chart: Chart,
        origins: dict[str, list[tuple[int, Any]]] | None = None,
        sources: TemplateSources | None = None,
    ) -> None:
        """`sources`: the chart's (as loaded, before a scenario dropped subcharts) to share them
        between the scenarios of a lint."""
        self._sources = sources or TemplateSources(chart)
        self._origins = origins or {}
        self._offsets = {name: [offset for offset, _ in pieces] for name, pieces in self._origins.items()}
        self._seen: dict[tuple[str, str], int] = {}

    def chart_relative(self, template_name: str) -> str:
        """`top/charts/sub/templates/a.yaml` -> `charts/sub/templates/a.yaml` (relative to the chart root)."""
        return template_name.split("/", 1)[1] if "/" in template_name else template_name

    def position(self, manifest: Manifest) -> Position:
        path = self.chart_relative(manifest.source)
        traced = self._traced(manifest)
        if traced is not None:
            return Position(path, *traced)
        return self._searched(manifest, path)

    def name_source(self, manifest: Manifest, position: Position) -> str:
        """The object's name as written in the template: the source text after `name:` under the
        `metadata:` of the document at `position` (e.g. `{{ .Release.Name }}-cleanup-{{ randNumeric 5 }}`).
        When the document is printed by an action (an `include`), that action's source line. Stable
        whatever the name renders to, so findings keep their fingerprint when names are random."""
        key = (manifest.source, position.line)
        found = self._sources.names.get(key)
        if found is None:
            found = self._sources.names[key] = self._name_source(manifest.source, position.line)
        return found

    def _name_source(self, template_name: str, line: int) -> str:
        split = self._sources.lines(template_name)
        if split is None or line < 1:
            return ""
        lines, separators = split
        start = line - 1
        if start >= len(lines):
            return ""
        if not _KIND_LINE.match(lines[start].lstrip()):
            return lines[start].strip()  # printed by an action
        # the template document around `start`: between the separator lines before and after it
        after = bisect_right(separators, start)
        begin = separators[after - 1] + 1 if after else 0
        end = separators[after] - 1 if after < len(separators) else len(lines) - 1
        for index in range(begin, end + 1):
            meta = _METADATA_LINE.match(lines[index])
            if meta is None:
                continue
            indent = len(meta.group(1))
            for inner_index in range(index + 1, end + 1):
                inner = lines[inner_index]
                if not inner.strip() or inner.lstrip().startswith(("#", "{{-", "{{")) and ":" not in inner:
                    continue
                found = _NAME_LINE.match(inner)
                if found and len(found.group(1)) > indent:
                    return found.group(2).strip()
                if len(inner) - len(inner.lstrip()) <= indent:
                    break
        return ""

    def _traced(self, manifest: Manifest) -> tuple[int, int] | None:
        pieces = self._origins.get(manifest.source)
        kind = _KIND_LINE.search(manifest.content)
        if not pieces or kind is None:
            return None
        offset = manifest.offset + kind.start()
        index = bisect_right(self._offsets[manifest.source], offset) - 1
        if index < 0:
            return None
        start, node = pieces[index]
        if node.template_name != manifest.source:
            return None
        if isinstance(node, TextNode):
            before = node.text[: offset - start]
            newlines = before.count("\n")
            line_start = node.source.text.rfind("\n", 0, node.pos) + 1
            if newlines:
                return node.line + newlines, len(before) - before.rfind("\n")
            return node.line, node.pos - line_start + len(before) + 1
        return node.line, node.column

    def _searched(self, manifest: Manifest, path: str) -> Position:
        source = self._sources.text(manifest.source)
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
