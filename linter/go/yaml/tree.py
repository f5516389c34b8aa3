"""go-yaml v2's parser (decode.go) over an event stream: the node tree of the first document. The
events come from libyaml (`parse`) or, where libyaml and go-yaml differ, from ruamel.yaml
(`parse_ruamel`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from chartfix.go.yaml.errors import MAX_DEPTH, YamlError


class Node:
    __slots__ = ("kind", "value", "tag", "implicit", "children", "alias", "line", "column")

    def __init__(
        self,
        kind: str,
        value: str,
        tag: str,
        implicit: bool,
        children: Sequence[Node],
        alias: Node | None,
        line: int,
        column: int,
    ) -> None:
        self.kind = kind  # "scalar", "mapping", "sequence", "alias"
        self.value = value  # a scalar's text, an alias's anchor name
        self.tag = tag  # a scalar's explicit tag, else ""
        self.implicit = implicit  # a plain scalar without a tag: its tag comes from resolve()
        self.children = children  # a mapping's keys and values in turn, a sequence's items
        self.alias = alias  # an alias's anchored node
        self.line = line
        self.column = column


# The children of every scalar and alias: one shared empty sequence, not a new list per leaf
_NO_CHILDREN: tuple[Node, ...] = ()


def too_deep(line: int, column: int) -> YamlError:
    return YamlError(f"yaml: nesting deeper than {MAX_DEPTH} levels", line + 1, column + 1, limit=True)


class LibyamlDiverges(Exception):
    """libyaml (0.2.5 and later) reads this text differently from go-yaml v2."""


def tree_from_events(
    next_event: Callable[[], Any], kinds: dict[type, str], is_libyaml: bool = False
) -> Node | None:
    """go-yaml v2's parser (decode.go) over an event stream: the first document's node tree.
    `kinds` maps event classes to "scalar", "alias", "mapping", "sequence", "end" (of a collection)
    or "stop" (document or stream end); other events are skipped.

    This loop runs once per event of every YAML text read, so it is written for speed: the most
    common events are tested first, and new nodes go straight into the open collection's list."""
    anchors: dict[str, Node] = {}
    document: list[Node] = []  # the document node's one child: the root
    siblings = document  # the children of the innermost open collection
    enclosing: list[list[Node]] = []  # the `siblings` of each open collection's parent
    flow_from = -1  # depth (len(enclosing)) of the outermost flow collection, -1 in block context
    while True:
        event = next_event()
        kind = kinds.get(type(event))
        if kind == "scalar":
            mark = event.start_mark
            value = event.value
            node = Node(
                kind,
                value,
                event.tag or "",
                bool(event.implicit[0]),
                _NO_CHILDREN,
                None,
                mark.line,
                mark.column,
            )
            # go-yaml ends a plain scalar at `?` in flow context; libyaml 0.2.5 does not
            if is_libyaml and flow_from >= 0 and not event.style and "?" in value:
                raise LibyamlDiverges
            if event.anchor:
                anchors[event.anchor] = node
            siblings.append(node)
        elif kind == "end":
            siblings = enclosing.pop()
            if len(enclosing) == flow_from:
                flow_from = -1
        elif kind == "mapping" or kind == "sequence":
            mark = event.start_mark
            if len(enclosing) >= MAX_DEPTH:
                raise too_deep(mark.line, mark.column)
            node = Node(kind, "", "", False, [], None, mark.line, mark.column)
            if event.anchor:
                anchors[event.anchor] = node
            siblings.append(node)
            if flow_from < 0 and event.flow_style:
                flow_from = len(enclosing)
            enclosing.append(siblings)
            siblings = node.children  # type: ignore[assignment]  # a collection's is a list
        elif kind == "alias":
            mark = event.start_mark
            target = anchors.get(event.anchor)
            if target is None:
                raise YamlError(
                    f"yaml: unknown anchor '{event.anchor}' referenced", mark.line + 1, mark.column + 1
                )
            siblings.append(Node(kind, event.anchor, "", False, _NO_CHILDREN, target, mark.line, mark.column))
        elif kind == "stop":
            # yaml.v2 stops after the first document's DOCUMENT-END event (it peeks one token past
            # the root node, so an error right after it still counts)
            return document[0] if document else None
