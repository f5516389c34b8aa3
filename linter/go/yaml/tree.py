"""go-yaml v2's parser (decode.go) over an event stream: the node tree of the first document. The
events come from libyaml (`parse`) or, where libyaml and go-yaml differ, from ruamel.yaml
(`parse_ruamel`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chartfix.go.yaml.errors import MAX_DEPTH, YamlError


class Node:
    __slots__ = ("kind", "value", "tag", "implicit", "children", "alias", "line", "column")

    def __init__(self, kind: str, line: int, column: int) -> None:
        self.kind = kind  # "scalar", "mapping", "sequence", "alias"
        self.value = ""
        self.tag = ""
        self.implicit = False
        self.children: list[Node] = []
        self.alias: Node | None = None
        self.line = line
        self.column = column


def too_deep(line: int, column: int) -> YamlError:
    return YamlError(f"yaml: nesting deeper than {MAX_DEPTH} levels", line + 1, column + 1, limit=True)


class LibyamlDiverges(Exception):
    """libyaml (0.2.5 and later) reads this text differently from go-yaml v2."""


def tree_from_events(
    next_event: Callable[[], Any], kinds: dict[type, str], is_libyaml: bool = False
) -> Node | None:
    """go-yaml v2's parser (decode.go) over an event stream: the first document's node tree.
    `kinds` maps event classes to "scalar", "alias", "mapping", "sequence", "end" (of a collection)
    or "stop" (document or stream end); other events are skipped."""
    anchors: dict[str, Node] = {}
    stack: list[Node] = []
    root: Node | None = None
    flow_from = -1  # stack index of the outermost flow collection, -1 in block context
    while True:
        event = next_event()
        kind = kinds.get(type(event))
        if kind is None:
            continue
        # yaml.v2 stops after the first document's DOCUMENT-END event (it peeks one token past
        # the root node, so an error right after it still counts)
        if kind == "stop":
            return root
        if kind == "end":
            stack.pop()
            if len(stack) == flow_from:
                flow_from = -1
            continue
        mark = event.start_mark
        node = Node(kind, mark.line, mark.column)
        if kind == "scalar":
            node.value = event.value
            node.tag = event.tag or ""
            node.implicit = bool(event.implicit[0])
            # go-yaml ends a plain scalar at `?` in flow context; libyaml 0.2.5 does not
            if is_libyaml and flow_from >= 0 and not event.style and "?" in event.value:
                raise LibyamlDiverges
        elif kind == "alias":
            node.value = event.anchor
            node.alias = anchors.get(event.anchor)
            if node.alias is None:
                raise YamlError(
                    f"yaml: unknown anchor '{event.anchor}' referenced", mark.line + 1, mark.column + 1
                )
        elif len(stack) >= MAX_DEPTH:
            raise too_deep(mark.line, mark.column)
        if kind != "alias" and event.anchor:
            anchors[event.anchor] = node
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        if kind == "mapping" or kind == "sequence":
            if flow_from < 0 and event.flow_style:
                flow_from = len(stack)
            stack.append(node)
