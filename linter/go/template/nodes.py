"""The parse tree of Go's text/template/parse (node.go): node kinds, fields and String() forms.

Every node records the `Source` it was parsed from (the file's text and chart-relative name) and its
rune offset in that text; line, column and byte offset are derived from them on demand.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from chartfix.go.template.lexer import go_quote


class Source:
    """The text one `parse` call read, under its (file) name: Go's Tree.ParseName and Tree.text."""

    __slots__ = ("name", "text", "_line_starts")

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.text = text
        self._line_starts: list[int] | None = None

    def renamed(self, name: str) -> Source:
        """The same text under another name (sharing the line index)."""
        twin = Source(name, self.text)
        twin._line_starts = self._line_starts
        return twin

    def line_and_column(self, pos: int) -> tuple[int, int]:
        """1-based line and 0-based byte column of rune offset `pos` (Go's ErrorContext numbers)."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            at = find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = find("\n", at + 1)
            self._line_starts = starts
        line = bisect_right(self._line_starts, pos)
        line_start = self._line_starts[line - 1]
        segment = self.text[line_start:pos]
        if segment.isascii():
            return line, len(segment)
        return line, len(segment.encode("utf-8", errors="surrogateescape"))


class Node:
    __slots__ = ("source", "pos")

    def __init__(self, source: Source, pos: int) -> None:
        self.source = source
        self.pos = pos

    @property
    def template_name(self) -> str:
        """The file this node was parsed from (Go's Tree.ParseName)."""
        return self.source.name

    @property
    def line(self) -> int:
        return self.source.line_and_column(self.pos)[0]

    @property
    def column(self) -> int:
        """1-based byte column."""
        return self.source.line_and_column(self.pos)[1] + 1

    @property
    def byte_offset(self) -> int:
        return len(self.source.text[: self.pos].encode("utf-8", errors="surrogateescape"))

    def __str__(self) -> str:
        parts: list[str] = []
        self.write_to(parts)
        return "".join(parts)

    def rebound(self, source: Source) -> Node:
        """A copy of this subtree that belongs to `source` (the same text under another name);
        ident lists are shared, as trees are never modified after parsing."""
        return type(self)(source, self.pos)

    def write_to(self, out: list[str]) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self)!r} at {self.pos}>"


class ListNode(Node):
    __slots__ = ("nodes",)

    def __init__(self, source: Source, pos: int) -> None:
        self.source = source
        self.pos = pos
        self.nodes: list[Node] = []

    def rebound(self, source: Source) -> ListNode:
        twin = ListNode(source, self.pos)
        twin.nodes = [node.rebound(source) for node in self.nodes]
        return twin

    def write_to(self, out: list[str]) -> None:
        for node in self.nodes:
            node.write_to(out)


class TextNode(Node):
    __slots__ = ("text",)

    def __init__(self, source: Source, pos: int, text: str) -> None:
        self.source = source
        self.pos = pos
        self.text = text

    def rebound(self, source: Source) -> TextNode:
        return TextNode(source, self.pos, self.text)

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


class PipeNode(Node):
    __slots__ = ("is_assign", "decl", "cmds")

    def __init__(self, source: Source, pos: int) -> None:
        self.source = source
        self.pos = pos
        self.is_assign = False
        self.decl: list[VariableNode] = []
        self.cmds: list[CommandNode] = []

    def rebound(self, source: Source) -> PipeNode:
        twin = PipeNode(source, self.pos)
        twin.is_assign = self.is_assign
        twin.decl = [variable.rebound(source) for variable in self.decl]
        twin.cmds = [command.rebound(source) for command in self.cmds]
        return twin

    def write_to(self, out: list[str]) -> None:
        if self.decl:
            for i, variable in enumerate(self.decl):
                if i:
                    out.append(", ")
                variable.write_to(out)
            out.append(" = " if self.is_assign else " := ")
        for i, command in enumerate(self.cmds):
            if i:
                out.append(" | ")
            command.write_to(out)


class ActionNode(Node):
    __slots__ = ("pipe",)

    def __init__(self, source: Source, pos: int, pipe: PipeNode) -> None:
        self.source = source
        self.pos = pos
        self.pipe = pipe

    def rebound(self, source: Source) -> ActionNode:
        return ActionNode(source, self.pos, self.pipe.rebound(source))

    def write_to(self, out: list[str]) -> None:
        out.append("{{")
        self.pipe.write_to(out)
        out.append("}}")


class CommandNode(Node):
    __slots__ = ("args",)

    def __init__(self, source: Source, pos: int) -> None:
        self.source = source
        self.pos = pos
        self.args: list[Node] = []

    def rebound(self, source: Source) -> CommandNode:
        twin = CommandNode(source, self.pos)
        twin.args = [arg.rebound(source) for arg in self.args]
        return twin

    def write_to(self, out: list[str]) -> None:
        for i, arg in enumerate(self.args):
            if i:
                out.append(" ")
            if isinstance(arg, PipeNode):
                out.append("(")
                arg.write_to(out)
                out.append(")")
            else:
                arg.write_to(out)


class IdentifierNode(Node):
    """A function name."""

    __slots__ = ("ident",)

    def __init__(self, source: Source, pos: int, ident: str) -> None:
        self.source = source
        self.pos = pos
        self.ident = ident

    def rebound(self, source: Source) -> IdentifierNode:
        return IdentifierNode(source, self.pos, self.ident)

    def write_to(self, out: list[str]) -> None:
        out.append(self.ident)


class VariableNode(Node):
    """`$x` or `$x.Field1.Field2`: ident[0] is the variable name including the dollar."""

    __slots__ = ("ident",)

    def __init__(self, source: Source, pos: int, ident: list[str]) -> None:
        self.source = source
        self.pos = pos
        self.ident = ident

    def rebound(self, source: Source) -> VariableNode:
        return VariableNode(source, self.pos, self.ident)

    def write_to(self, out: list[str]) -> None:
        out.append(".".join(self.ident))


class DotNode(Node):
    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append(".")


class NilNode(Node):
    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append("nil")


class FieldNode(Node):
    """`.Field1.Field2`: ident holds the names without their dots."""

    __slots__ = ("ident",)

    def __init__(self, source: Source, pos: int, ident: list[str]) -> None:
        self.source = source
        self.pos = pos
        self.ident = ident

    def rebound(self, source: Source) -> FieldNode:
        return FieldNode(source, self.pos, self.ident)

    def write_to(self, out: list[str]) -> None:
        for name in self.ident:
            out.append(".")
            out.append(name)


class ChainNode(Node):
    """A term followed by field accesses: `(pipeline).Field1.Field2`."""

    __slots__ = ("node", "field")

    def __init__(self, source: Source, pos: int, node: Node, field: list[str]) -> None:
        self.source = source
        self.pos = pos
        self.node = node
        self.field = field

    def rebound(self, source: Source) -> ChainNode:
        return ChainNode(source, self.pos, self.node.rebound(source), self.field)

    def write_to(self, out: list[str]) -> None:
        if isinstance(self.node, PipeNode):
            out.append("(")
            self.node.write_to(out)
            out.append(")")
        else:
            self.node.write_to(out)
        for name in self.field:
            out.append(".")
            out.append(name)


class BoolNode(Node):
    __slots__ = ("value",)

    def __init__(self, source: Source, pos: int, value: bool) -> None:
        self.source = source
        self.pos = pos
        self.value = value

    def rebound(self, source: Source) -> BoolNode:
        return BoolNode(source, self.pos, self.value)

    def write_to(self, out: list[str]) -> None:
        out.append("true" if self.value else "false")


class NumberNode(Node):
    """A numeric constant stored under every Go type that can represent it (Go's ideal constants)."""

    __slots__ = (
        "text",
        "is_int",
        "is_uint",
        "is_float",
        "is_complex",
        "int64",
        "uint64",
        "float64",
        "complex128",
    )

    def __init__(self, source: Source, pos: int, text: str) -> None:
        self.source = source
        self.pos = pos
        self.text = text
        self.is_int = False
        self.is_uint = False
        self.is_float = False
        self.is_complex = False
        self.int64 = 0
        self.uint64 = 0
        self.float64 = 0.0
        self.complex128 = 0j

    def rebound(self, source: Source) -> NumberNode:
        twin = NumberNode(source, self.pos, self.text)
        twin.is_int, twin.is_uint, twin.is_float, twin.is_complex = (
            self.is_int,
            self.is_uint,
            self.is_float,
            self.is_complex,
        )
        twin.int64, twin.uint64, twin.float64, twin.complex128 = (
            self.int64,
            self.uint64,
            self.float64,
            self.complex128,
        )
        return twin

    def write_to(self, out: list[str]) -> None:
        out.append(self.text)


class StringNode(Node):
    __slots__ = ("quoted", "text")

    def __init__(self, source: Source, pos: int, quoted: str, text: str) -> None:
        self.source = source
        self.pos = pos
        self.quoted = quoted
        self.text = text

    def rebound(self, source: Source) -> StringNode:
        return StringNode(source, self.pos, self.quoted, self.text)

    def write_to(self, out: list[str]) -> None:
        out.append(self.quoted)


class EndNode(Node):
    """`{{end}}`: never in a finished tree."""

    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append("{{end}}")


class ElseNode(Node):
    """`{{else}}`: never in a finished tree."""

    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append("{{else}}")


class BranchNode(Node):
    """Shared shape of if, range and with."""

    __slots__ = ("pipe", "list", "else_list")
    keyword = ""

    def __init__(
        self, source: Source, pos: int, pipe: PipeNode, body: ListNode, else_list: ListNode | None
    ) -> None:
        self.source = source
        self.pos = pos
        self.pipe = pipe
        self.list = body
        self.else_list = else_list

    def rebound(self, source: Source) -> BranchNode:
        else_list = None if self.else_list is None else self.else_list.rebound(source)
        return type(self)(source, self.pos, self.pipe.rebound(source), self.list.rebound(source), else_list)

    def write_to(self, out: list[str]) -> None:
        out.append("{{" + self.keyword + " ")
        self.pipe.write_to(out)
        out.append("}}")
        self.list.write_to(out)
        if self.else_list is not None:
            out.append("{{else}}")
            self.else_list.write_to(out)
        out.append("{{end}}")


class IfNode(BranchNode):
    __slots__ = ()
    keyword = "if"


class RangeNode(BranchNode):
    __slots__ = ()
    keyword = "range"


class WithNode(BranchNode):
    __slots__ = ()
    keyword = "with"


class BreakNode(Node):
    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append("{{break}}")


class ContinueNode(Node):
    __slots__ = ()

    def write_to(self, out: list[str]) -> None:
        out.append("{{continue}}")


class TemplateNode(Node):
    """`{{template "name" pipeline}}` (also what `{{block}}` leaves in place)."""

    __slots__ = ("name", "pipe")

    def __init__(self, source: Source, pos: int, name: str, pipe: PipeNode | None) -> None:
        self.source = source
        self.pos = pos
        self.name = name
        self.pipe = pipe

    def rebound(self, source: Source) -> TemplateNode:
        pipe = None if self.pipe is None else self.pipe.rebound(source)
        return TemplateNode(source, self.pos, self.name, pipe)

    def write_to(self, out: list[str]) -> None:
        out.append("{{template " + go_quote(self.name))
        if self.pipe is not None:
            out.append(" ")
            self.pipe.write_to(out)
        out.append("}}")


def walk_nodes(node: Any):
    """Yields `node` and every node below it, depth first (for static analysis)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current is None:
            continue
        yield current
        children: list[Any] = []
        if isinstance(current, ListNode):
            children = current.nodes
        elif isinstance(current, ActionNode):
            children = [current.pipe]
        elif isinstance(current, PipeNode):
            children = [*current.decl, *current.cmds]
        elif isinstance(current, CommandNode):
            children = current.args
        elif isinstance(current, ChainNode):
            children = [current.node]
        elif isinstance(current, BranchNode):
            children = [current.pipe, current.list, current.else_list]
        elif isinstance(current, TemplateNode):
            children = [current.pipe]
        stack.extend(reversed(children))
