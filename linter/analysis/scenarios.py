"""Values scenarios worth linting, and the template conditions that guard each rendered object.

Read from the template AST: `if`/`with` conditions over `.Values` around the parts of templates that
produce operator, OLM or hook resources, and subchart `condition`s / `tags` from Chart.yaml. Each
becomes a scenario that switches that part on, named like "when deployOLM=true".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from chartfix.analysis.objects import KubeObject
from chartfix.go.template import TemplateSet
from chartfix.go.template.nodes import (
    BranchNode,
    ChainNode,
    CommandNode,
    FieldNode,
    IdentifierNode,
    ListNode,
    Node,
    PipeNode,
    RangeNode,
    StringNode,
    TextNode,
)
from chartfix.go.types import value_at
from chartfix.helm.chart import Chart
from chartfix.helm.funcmap import function_map
from chartfix.records import field, record

# Template text that makes a guarded block interesting for the uninstall rules.
_INTERESTING = re.compile(
    r"kind:\s*[\"']?(Subscription|OperatorGroup|CatalogSource|ClusterServiceVersion|CustomResourceDefinition"
    r"|Deployment|StatefulSet|Job|ValidatingWebhookConfiguration|MutatingWebhookConfiguration)\b"
    r"|helm\.sh/hook|finalizers:"
)
MAX_DERIVED_SCENARIOS = 8


@record
class Scenario:
    """A set of values to lint with, and its label in findings."""

    label: str  # "defaults", "ci/foo-values.yaml", "when deployOLM=true"
    values_files: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)


class TemplateIndex:
    """Parsed templates of a chart tree, for condition analysis (never executed)."""

    def __init__(self, chart: Chart) -> None:
        self.trees: dict[str, ListNode] = {}
        self.unparsed: dict[str, str] = {}  # template name -> why it is left out of the analysis
        self._parse(chart)

    def _parse(self, chart: Chart) -> None:
        full = chart.chart_full_path()
        for template in chart.templates:
            name = f"{full}/{template.name}"
            template_set = TemplateSet(_FUNCS.get())
            try:
                template_set.parse(name, template.data.decode("utf-8", errors="surrogateescape"))
            except Exception as error:  # noqa: BLE001 - rendering reports it; the lint report notes it
                self.unparsed[name] = str(error)
                continue
            if template_set.has(name):
                self.trees[name] = template_set.tree(name)
        for child in chart.dependencies:
            self._parse(child)

    def guards_at(self, template_name: str, line: int) -> list[str] | None:
        """The conditions enclosing `line` of a template (None when the line is not template text)."""
        tree = self.trees.get(template_name)
        branches = enclosing_branches(tree, line) if tree is not None else None
        if branches is None:
            return None
        guards: list[str] = []
        for branch, in_else in branches:
            if in_else:
                guards.append(f"not ({branch.pipe})")
            else:
                guards += conjuncts(branch.pipe)
        return guards

    def guards_of(self, obj: KubeObject) -> list[str] | None:
        if obj.manifest is None or obj.position.line <= 1 and obj.position.column <= 1:
            return None
        return self.guards_at(obj.manifest.source, obj.position.line)

    @cached_property
    def value_toggles(self) -> list[tuple[str, Any]]:
        """(values path, value) pairs that switch on guarded interesting blocks, in template order."""
        toggles: list[tuple[str, Any]] = []
        memo: dict[int, bool] = {}  # by id of a list: whether interesting text is below it
        for tree in self.trees.values():
            for node in _branches(tree):
                if isinstance(node, RangeNode):
                    continue
                in_list = _mentions_interesting(node.list, memo)
                if not in_list and not _mentions_interesting(node.else_list, memo):
                    continue
                for toggle in _toggles_for(node.pipe, negate=not in_list):
                    if toggle not in toggles:
                        toggles.append(toggle)
        return toggles


class _LazyFuncs:
    def __init__(self) -> None:
        self._funcs: dict | None = None

    def get(self) -> dict:
        if self._funcs is None:
            self._funcs = function_map()
            for name in ("include", "tpl", "required", "fail"):
                self._funcs.setdefault(name, self._funcs.get("quote"))
        return self._funcs


_FUNCS = _LazyFuncs()


def _branches(tree: ListNode) -> Iterator[BranchNode]:
    """The if/with/range nodes of a tree in template order (that of walk_nodes, without visiting the
    pipelines, which hold none)."""
    stack: list[Node] = [tree]
    while stack:
        current = stack.pop()
        if isinstance(current, ListNode):
            stack.extend(reversed(current.nodes))
        elif isinstance(current, BranchNode):
            yield current
            stack.extend(branch for branch in (current.else_list, current.list) if branch is not None)


def enclosing_branches(node: Node, line: int, stack: tuple = ()) -> list[tuple[BranchNode, bool]] | None:
    """The if/with/range nodes around template text at `line`, outermost first, each with whether
    the line is in its else branch; None when no text node covers the line."""
    if isinstance(node, ListNode):
        for child in node.nodes:
            found = enclosing_branches(child, line, stack)
            if found is not None:
                return found
        return None
    if isinstance(node, TextNode):
        start = node.line
        return list(stack) if start <= line <= start + node.text.count("\n") else None
    if isinstance(node, BranchNode):
        found = enclosing_branches(node.list, line, (*stack, (node, False)))
        if found is None and node.else_list is not None:
            found = enclosing_branches(node.else_list, line, (*stack, (node, True)))
        return found
    return None


def conjuncts(pipe: PipeNode) -> list[str]:
    """`and a b c` -> ["a", "b", "c"]; any other condition -> [its text]."""
    if not pipe.decl and len(pipe.cmds) == 1:
        args = pipe.cmds[0].args
        if len(args) > 2 and isinstance(args[0], IdentifierNode) and args[0].ident == "and":
            return [_bare(arg) for arg in args[1:]]
    return [_bare(pipe)]


def _bare(node: Node) -> str:
    """A condition's text without the parentheses of a sub-pipeline."""
    text = str(node)
    return text[1:-1] if isinstance(node, PipeNode) and text.startswith("(") and text.endswith(")") else text


def _mentions_interesting(node: ListNode | None, memo: dict[int, bool]) -> bool:
    """Whether text below `node` matches _INTERESTING; `memo` keeps the answer for every list seen,
    so that nested branches do not rescan the same text (quadratic in nesting depth otherwise)."""
    if node is None:
        return False
    known = memo.get(id(node))
    if known is not None:
        return known
    found = False
    for child in node.nodes:  # text only sits in lists, directly or in a branch's lists
        if isinstance(child, TextNode):
            found = _INTERESTING.search(child.text) is not None
        elif isinstance(child, BranchNode):
            found = _mentions_interesting(child.list, memo) or _mentions_interesting(child.else_list, memo)
        if found:
            break
    memo[id(node)] = found
    return found


def _values_path(node: Node) -> str | None:
    """`.Values.a.b` (also `$.Values.a.b`) -> "a.b"."""
    if isinstance(node, FieldNode) and len(node.ident) > 1 and node.ident[0] == "Values":
        return ".".join(node.ident[1:])
    if isinstance(node, ChainNode) or not hasattr(node, "ident"):
        return None
    ident = getattr(node, "ident", [])
    if len(ident) > 2 and ident[0] == "$" and ident[1] == "Values":
        return ".".join(ident[2:])
    return None


def _toggles_for(pipe: PipeNode, negate: bool) -> list[tuple[str, Any]]:
    """Guesses of values that make `pipe` true (or false when `negate`)."""
    found: list[tuple[str, Any]] = []
    for command in pipe.cmds:
        found += _toggles_for_command(command, negate)
    return found


def _toggles_for_command(command: CommandNode, negate: bool) -> list[tuple[str, Any]]:
    args = command.args
    if not args:
        return []
    head = args[0]
    if isinstance(head, IdentifierNode):
        name = head.ident
        if name == "not" and len(args) == 2:
            return _toggles_for_operand(args[1], not negate)
        if name in ("and", "or"):
            found = []
            for arg in args[1:]:
                found += _toggles_for_operand(arg, negate)
            return found
        if name == "eq" and len(args) == 3 and not negate:
            for left, right in ((args[1], args[2]), (args[2], args[1])):
                path = _operand_path(left)
                if path and isinstance(right, StringNode):
                    return [(path, right.text)]
        return []
    path = _operand_path(head)
    if path and len(args) == 1:
        return [(path, not negate)]
    return []


def _toggles_for_operand(node: Node, negate: bool) -> list[tuple[str, Any]]:
    if isinstance(node, PipeNode):
        return _toggles_for(node, negate)
    path = _operand_path(node)
    return [(path, not negate)] if path else []


def _operand_path(node: Node) -> str | None:
    if isinstance(node, PipeNode) and node.cmds:
        # (.Values.x | toString) and friends: the first operand names the value
        first = node.cmds[0].args[0] if node.cmds[0].args else None
        return _operand_path(first) if first is not None else None
    return _values_path(node)


def derive_scenarios(chart: Chart, index: TemplateIndex, defaults: dict[str, Any]) -> list[Scenario]:
    """Scenarios that switch on what the defaults leave off (bounded in number)."""
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    candidates: list[tuple[str, Any]] = list(index.value_toggles)
    for dependency in _dependency_switches(chart):
        candidates.append(dependency)
    for path, value in candidates:
        if len(scenarios) >= MAX_DERIVED_SCENARIOS:
            break
        current = value_at(defaults, path.split("."))
        if current == value:
            continue
        if isinstance(value, bool) and current is not None and not isinstance(current, bool):
            continue  # a truthiness test on a string or number: no value of ours is a fair guess
        label = f"when {path}={_show(value)}"
        if label in seen:
            continue
        seen.add(label)
        if isinstance(value, bool):
            scenarios.append(Scenario(label, set_values=[f"{_escape(path)}={str(value).lower()}"]))
        else:
            scenarios.append(Scenario(label, set_string=[f"{_escape(path)}={value}"]))
    return scenarios


def _dependency_switches(chart: Chart) -> list[tuple[str, Any]]:
    found = []
    for dependency in getattr(chart.metadata, "Dependencies", None) or []:
        condition = getattr(dependency, "Condition", "") or ""
        for path in condition.split(","):
            if path.strip():
                found.append((path.strip(), True))
        for tag in getattr(dependency, "Tags", None) or []:
            found.append((f"tags.{tag}", True))
    return found


def _show(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _escape(path: str) -> str:
    return path.replace(",", "\\,").replace("=", "\\=")
