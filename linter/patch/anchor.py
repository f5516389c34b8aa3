"""Where a generated hook stands in the chart: the template condition of the object it serves (copied
from the AST with the variable definitions it depends on) and the chart's own text for that object's
name and namespace."""

from __future__ import annotations

import re
from typing import Any

from chartfix.analysis.objects import KubeObject
from chartfix.analysis.scenarios import TemplateIndex, enclosing_branches
from chartfix.findings.lint import ChartReport
from chartfix.go.template.nodes import (
    ActionNode,
    BranchNode,
    ListNode,
    Node,
    RangeNode,
    TextNode,
    VariableNode,
    WithNode,
    walk_nodes,
)
from chartfix.patch.errors import PatchError
from chartfix.patch.settings import (
    unique_values_path,
)
from chartfix.patch.source import ChartSource, template_file


class Anchor:
    """A hook rendered under the template condition of an object of the chart (the anchor: the OLM
    install, an operator's controller, a webhook configuration), copied from the template AST with the
    variable definitions it depends on, and written with the chart's own namespace expressions."""

    def __init__(self, report: ChartReport, model: Any, anchor: KubeObject, source: ChartSource) -> None:
        self.index: TemplateIndex = report.index  # type: ignore[assignment]
        self.model = model
        self.anchor = anchor
        self.source = source
        self.guards, self.preamble = self._guards_and_preamble()
        self.job_namespace = (
            self._namespace_expression(anchor) if anchor.namespace else "{{ $.Release.Namespace }}"
        )
        self.job_namespace_value = anchor.namespace or model.namespace

    # The condition of the anchor, as template text.
    def _guards_and_preamble(self) -> tuple[list[str], list[str]]:
        anchor = self.anchor
        manifest = anchor.manifest
        tree = self.index.trees.get(manifest.source) if manifest else None
        branches = enclosing_branches(tree, anchor.position.line) if tree else None
        if tree is None or branches is None:
            raise PatchError(
                f"cannot find the template text of {anchor.ref()} to copy its condition", anchor.position
            )
        if manifest is not None:
            template_file(manifest.source)  # refuses subcharts
        guards = []
        for branch, in_else in branches:
            if isinstance(branch, RangeNode):
                raise PatchError(f"{anchor.ref()} is rendered inside a range loop", anchor.position)
            pipe = str(branch.pipe)
            if branch.pipe.decl and in_else:
                raise PatchError(
                    f"{anchor.ref()} sits in the else branch of a declaring condition", anchor.position
                )
            guards.append(f"not ({pipe})" if in_else else pipe)
        preamble = _preamble(tree, [b for b, _ in branches])
        return guards, preamble

    def condition_text(self) -> str:
        return (
            " and ".join(f"`{g}`" for g in self.guards)
            if self.guards
            else f"no condition (as {self.anchor.ref()})"
        )

    def _namespace_expression(self, obj: KubeObject) -> str:
        """The chart's own text for the object's namespace: its template line, a values key, or the
        rendered value."""
        if obj is not self.anchor and self.anchor.namespace and obj.namespace == self.anchor.namespace:
            return self.job_namespace
        raw, context_ok = self._metadata_text(obj, "namespace")
        if raw is not None and context_ok and "$" not in raw.replace("$.", ""):
            return raw
        if raw is None and context_ok and "namespace" not in obj.metadata:
            return "{{ $.Release.Namespace }}"
        path = unique_values_path(self.source.text("values.yaml"), obj.namespace or "")
        return f"{{{{ $.Values.{path} }}}}" if path else str(obj.namespace)

    def name_expression(self, obj: KubeObject) -> str | None:
        """The chart's own text for the object's name, when it can be used outside its template."""
        raw, context_ok = self._metadata_text(obj, "name")
        if raw is None or not context_ok or "$" in raw.replace("$.", ""):
            return None
        if "{{" not in raw and raw != obj.name:
            return None
        return raw

    def _metadata_text(self, obj: KubeObject, key: str) -> tuple[str | None, bool]:
        manifest = obj.manifest
        if manifest is None or obj.position.line <= 1:
            return None, False
        text = self.source.text(template_file(manifest.source))
        raw = metadata_field_text(text, obj.position.line, key)
        tree = self.index.trees.get(manifest.source)
        branches = enclosing_branches(tree, obj.position.line) if tree is not None else None
        context_ok = branches is not None and not any(
            isinstance(b, (RangeNode, WithNode)) for b, _ in branches
        )
        return raw, context_ok


def _preamble(tree: ListNode, chain: list[BranchNode]) -> list[str]:
    """The variable definitions, before the OLM condition, that the condition depends on."""
    needed = set()
    for branch in chain:
        needed |= _variables_used(branch.pipe)
    candidates: list[Node] = []
    level: ListNode | None = tree
    for branch in chain:
        if level is None:
            break
        for node in level.nodes:
            if node is branch or _contains(node, branch):
                break
            candidates.append(node)
        level = branch.list
    selected: list[Node] = []
    for node in reversed(candidates):
        defined = _variables_defined(node)
        if defined & needed:
            if any(isinstance(n, TextNode) and n.text.strip() for n in walk_nodes(node)):
                raise PatchError(
                    f"the OLM condition depends on {sorted(defined & needed)}, set in a block that also prints text"
                )
            selected.append(node)
            needed |= _variables_used(node)
    return [str(node) for node in reversed(selected)]


def _contains(node: Node, target: Node) -> bool:
    return any(n is target for n in walk_nodes(node))


def _variables_used(node: Node) -> set[str]:
    return {n.ident[0] for n in walk_nodes(node) if isinstance(n, VariableNode) and n.ident[0] != "$"}


def _variables_defined(node: Node) -> set[str]:
    found = set()
    for n in walk_nodes(node):
        pipe = getattr(n, "pipe", None)
        if isinstance(n, ActionNode | BranchNode) and pipe is not None and pipe.decl:
            found |= {v.ident[0] for v in pipe.decl}
    return found


def metadata_field_text(text: str, kind_line: int, key: str) -> str | None:
    """The raw value of `metadata.<key>` in the template document around `kind_line`."""
    pattern = re.compile(rf"^(\s+){key}:[ \t]*(.*?)[ \t]*(#.*)?$")
    lines = text.split("\n")
    start = kind_line - 1
    while (
        start > 0
        and not lines[start - 1].startswith("---")
        and lines[start - 1].strip() != ""
        and not lines[start - 1].startswith("{{")
    ):
        start -= 1
    in_metadata = False
    indent: str | None = None
    for line in lines[start:]:
        if line.startswith("---"):
            break
        if re.match(r"^metadata:\s*$", line):
            in_metadata = True
            continue
        if in_metadata and line and not line[0].isspace():
            in_metadata = False
        if in_metadata and line.strip() and not line.lstrip().startswith(("#", "{{")):
            current = line[: len(line) - len(line.lstrip())]
            indent = current if indent is None else indent
            match = pattern.match(line)
            if match and current == indent:
                value = match.group(2).strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                return value or None
    return None
