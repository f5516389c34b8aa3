"""Go's text/template/parse parser (parse.go, Go 1.23+), token by token, with Go's error texts.

`parse_trees` returns every tree one text defines (the text itself under its name, plus each
{{define}} and {{block}}), as parse.Parse does; errors raise TemplateSyntaxError whose `go_message`
is Go's exact text and whose position points at the token Go blames.

Two parsers share the grammar: _FastParser builds the trees of valid texts (nearly all of them);
at the first error it gives up and _TreeParser, which keeps Go's three-token lookahead and so knows
which token Go blames, parses the text again for the exact error. Tests check they build the same
trees.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Container

from chartfix.errors import LimitExceeded, Position, TemplateSyntaxError
from chartfix.go.strconv import parse_float, parse_int, parse_uint
from chartfix.go.template import lexer as lx
from chartfix.go.template.lexer import Item, UnquoteError, go_quote, go_unquote, unquote_char_constant
from chartfix.go.template.nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    ElseNode,
    EndNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    Source,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)

# parse.go's maxStackDepth: nesting of parenthesised pipelines.
MAX_PAREN_DEPTH = 10000
# parse.go's maxPipelineCmds.
MAX_PIPELINE_COMMANDS = 100000

BUILTIN_NAMES = frozenset(
    "and call html index slice js len not or print printf println urlquery eq ge gt le lt ne".split()
)


class Tree:
    """One named template: its body and the source it came from."""

    __slots__ = ("name", "root", "source")

    def __init__(self, name: str, root: ListNode, source: Source) -> None:
        self.name = name
        self.root = root
        self.source = source

    @property
    def parse_name(self) -> str:
        return self.source.name


class _Stop(Exception):
    """Internal: carries a formatted syntax error out of the recursive descent."""

    def __init__(self, error: TemplateSyntaxError) -> None:
        self.error = error


class _Shared:
    """What the trees of one parse call share: the token list and read position, the tree set."""

    __slots__ = ("items", "index", "source", "tree_set", "funcs", "identifiers")

    def __init__(self, items: list[Item], source: Source, funcs: Container[str]) -> None:
        self.items = items
        self.index = 0
        self.source = source
        self.tree_set: dict[str, Tree] = {}
        self.funcs = funcs
        self.identifiers: set[str] = set()

    def next_item(self) -> Item:
        items = self.items
        if self.index < len(items):
            item = items[self.index]
            self.index += 1
            return item
        return items[-1]


_NO_ITEM = Item(lx.EOF, 0, "")
_SPACE = lx.SPACE


class _TreeParser:
    """Parse state of one tree (Go's Tree during parsing): its own three-token lookahead.
    Used for texts _FastParser declines, to report errors as Go does."""

    def __init__(self, shared: _Shared, name: str) -> None:
        self.shared = shared
        self.source = shared.source
        self.name = name
        self.token = [_NO_ITEM, _NO_ITEM, _NO_ITEM]
        self.peek_count = 0
        self.vars = ["$"]
        self.action_pos: int | None = None
        self.range_depth = 0
        self.paren_depth = 0
        self.root: ListNode | None = None

    # --- token stream ------------------------------------------------------------------------------

    def next(self) -> Item:
        if self.peek_count > 0:
            self.peek_count -= 1
            return self.token[self.peek_count]
        item = self.token[0] = self.shared.next_item()
        return item

    def backup(self) -> None:
        self.peek_count += 1

    def backup2(self, t1: Item) -> None:
        self.token[1] = t1
        self.peek_count = 2

    def backup3(self, t2: Item, t1: Item) -> None:
        self.token[1] = t1
        self.token[2] = t2
        self.peek_count = 3

    def peek(self) -> Item:
        if self.peek_count > 0:
            return self.token[self.peek_count - 1]
        self.peek_count = 1
        self.token[0] = self.shared.next_item()
        return self.token[0]

    def next_non_space(self) -> Item:
        tokens = self.token
        next_item = self.shared.next_item
        while True:
            if self.peek_count > 0:
                self.peek_count -= 1
                token = tokens[self.peek_count]
            else:
                token = tokens[0] = next_item()
            if token.typ != _SPACE:
                return token

    def peek_non_space(self) -> Item:
        token = self.next_non_space()
        self.backup()
        return token

    # --- errors ------------------------------------------------------------------------------------

    def line_of(self, token: Item) -> int:
        return 0 if token is _NO_ITEM else self.source.line_and_column(token.pos)[0]

    def errorf(self, message: str) -> None:
        blamed = self.token[0]
        line, column = (0, -1) if blamed is _NO_ITEM else self.source.line_and_column(blamed.pos)
        go_message = f"template: {self.source.name}:{line}: {message}"
        error = TemplateSyntaxError(go_message, Position(self.source.name, line, column + 1))
        error.go_message = go_message
        raise _Stop(error)

    def expect(self, expected: int, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected:
            self.unexpected(token, context)
        return token

    def expect_one_of(self, expected1: int, expected2: int, context: str) -> Item:
        token = self.next_non_space()
        if token.typ != expected1 and token.typ != expected2:
            self.unexpected(token, context)
        return token

    def unexpected(self, token: Item, context: str) -> None:
        if token.typ == lx.ERROR:
            extra = ""
            action_line = 0 if self.action_pos is None else self.source.line_and_column(self.action_pos)[0]
            if action_line != 0 and action_line != self.line_of(token):
                extra = f" in action started at {self.source.name}:{action_line}"
                if token.val.endswith(" action"):
                    extra = extra[len(" in action") :]
            self.errorf(f"{token}{extra}")
        self.errorf(f"unexpected {token} in {context}")

    # --- grammar -----------------------------------------------------------------------------------

    def add(self) -> None:
        tree_set = self.shared.tree_set
        existing = tree_set.get(self.name)
        assert self.root is not None
        if existing is None or is_empty_tree(existing.root):
            tree_set[self.name] = Tree(self.name, self.root, self.source)
            return
        if not is_empty_tree(self.root):
            self.errorf(f"template: multiple definition of template {go_quote(self.name)}")

    def parse(self) -> None:
        self.root = ListNode(self.source, self.peek().pos)
        while self.peek().typ != lx.EOF:
            if self.peek().typ == lx.LEFT_DELIM:
                delim = self.next()
                if self.next_non_space().typ == lx.DEFINE:
                    _TreeParser(self.shared, "definition").parse_definition()
                    continue
                self.backup2(delim)
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                self.errorf(f"unexpected {node}")
            self.root.nodes.append(node)

    def parse_definition(self) -> None:
        context = "define clause"
        name = self.expect_one_of(lx.STRING, lx.RAW_STRING, context)
        try:
            self.name = go_unquote(name.val)
        except UnquoteError:
            self.errorf("invalid syntax")
        self.expect(lx.RIGHT_DELIM, context)
        self.root, end = self.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        self.add()

    def item_list(self) -> tuple[ListNode, Node]:
        body = ListNode(self.source, self.peek_non_space().pos)
        while self.peek_non_space().typ != lx.EOF:
            node = self.text_or_action()
            if isinstance(node, (EndNode, ElseNode)):
                return body, node
            body.nodes.append(node)
        self.errorf("unexpected EOF")
        raise AssertionError("unreachable")

    def text_or_action(self) -> Node:
        token = self.next_non_space()
        if token.typ == lx.TEXT:
            return TextNode(self.source, token.pos, token.val)
        if token.typ == lx.LEFT_DELIM:
            self.action_pos = token.pos
            try:
                return self.action()
            finally:
                self.action_pos = None
        self.unexpected(token, "input")
        raise AssertionError("unreachable")

    def action(self) -> Node:
        token = self.next_non_space()
        typ = token.typ
        if typ == lx.BLOCK:
            return self.block_control()
        if typ == lx.BREAK:
            return self.break_control(token, BreakNode, "break")
        if typ == lx.CONTINUE:
            return self.break_control(token, ContinueNode, "continue")
        if typ == lx.ELSE:
            return self.else_control()
        if typ == lx.END:
            return EndNode(self.source, self.expect(lx.RIGHT_DELIM, "end").pos)
        if typ == lx.IF:
            return self.branch_control(IfNode, "if")
        if typ == lx.RANGE:
            return self.branch_control(RangeNode, "range")
        if typ == lx.TEMPLATE:
            return self.template_control()
        if typ == lx.WITH:
            return self.branch_control(WithNode, "with")
        self.backup()
        token = self.peek()
        return ActionNode(self.source, token.pos, self.pipeline("command", lx.RIGHT_DELIM))

    def break_control(self, keyword: Item, node_type: type[Node], word: str) -> Node:
        token = self.next_non_space()
        if token.typ != lx.RIGHT_DELIM:
            self.unexpected(token, "{{" + word + "}}")
        if self.range_depth == 0:
            self.errorf("{{" + word + "}} outside {{range}}")
        return node_type(self.source, keyword.pos)

    def pipeline(self, context: str, end: int) -> PipeNode:
        token = self.peek_non_space()
        pipe = PipeNode(self.source, token.pos)
        while True:  # Go's `decls:` label
            variable = self.peek_non_space()
            if variable.typ != lx.VARIABLE:
                break
            self.next()
            token_after_variable = self.peek()
            following = self.peek_non_space()
            if following.typ in (lx.ASSIGN, lx.DECLARE):
                pipe.is_assign = following.typ == lx.ASSIGN
                self.next_non_space()
                pipe.decl.append(VariableNode(self.source, variable.pos, [variable.val]))
                self.vars.append(variable.val)
            elif following.typ == lx.CHAR and following.val == ",":
                self.next_non_space()
                pipe.decl.append(VariableNode(self.source, variable.pos, [variable.val]))
                self.vars.append(variable.val)
                if context == "range" and len(pipe.decl) < 2:
                    if self.peek_non_space().typ in (lx.VARIABLE, lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                        continue
                    self.errorf("range can only initialize variables")
                self.errorf(f"too many declarations in {context}")
            elif token_after_variable.typ == lx.SPACE:
                self.backup3(variable, token_after_variable)
            else:
                self.backup2(variable)
            break
        while True:
            token = self.next_non_space()
            typ = token.typ
            if typ == end:
                self.check_pipeline(pipe, context)
                return pipe
            if typ in _OPERAND_STARTS:
                self.backup()
                pipe.cmds.append(self.command())
                if len(pipe.cmds) > MAX_PIPELINE_COMMANDS:
                    self.errorf("pipeline too long")
            else:
                self.unexpected(token, context)

    def check_pipeline(self, pipe: PipeNode, context: str) -> None:
        if not pipe.cmds:
            self.errorf(f"missing value for {context}")
        for i, command in enumerate(pipe.cmds[1:]):
            if isinstance(command.args[0], (BoolNode, DotNode, NilNode, NumberNode, StringNode)):
                self.errorf(f"non executable command in pipeline stage {i + 2}")

    def parse_control(self, context: str) -> tuple[PipeNode, ListNode, ListNode | None]:
        saved_vars = len(self.vars)
        try:
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
            if context == "range":
                self.range_depth += 1
            body, following = self.item_list()
            if context == "range":
                self.range_depth -= 1
            else_list = None
            if isinstance(following, ElseNode):
                # `{{else if}}` / `{{else with}}` chain into a nested if/with that owns the {{end}}.
                if context == "if" and self.peek().typ == lx.IF:
                    self.next()
                    else_list = ListNode(self.source, following.pos)
                    else_list.nodes.append(self.branch_control(IfNode, "if"))
                elif context == "with" and self.peek().typ == lx.WITH:
                    self.next()
                    else_list = ListNode(self.source, following.pos)
                    else_list.nodes.append(self.branch_control(WithNode, "with"))
                else:
                    else_list, following = self.item_list()
                    if not isinstance(following, EndNode):
                        self.errorf(f"expected end; found {following}")
            return pipe, body, else_list
        finally:
            del self.vars[saved_vars:]

    def branch_control(self, node_type: type[BranchNode], context: str) -> BranchNode:
        pipe, body, else_list = self.parse_control(context)
        return node_type(self.source, pipe.pos, pipe, body, else_list)

    def else_control(self) -> Node:
        peeked = self.peek_non_space()
        if peeked.typ in (lx.IF, lx.WITH):
            return ElseNode(self.source, peeked.pos)
        token = self.expect(lx.RIGHT_DELIM, "else")
        return ElseNode(self.source, token.pos)

    def block_control(self) -> Node:
        context = "block clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = self.pipeline(context, lx.RIGHT_DELIM)
        block = _TreeParser(self.shared, name)
        block.root, end = block.item_list()
        if not isinstance(end, EndNode):
            self.errorf(f"unexpected {end} in {context}")
        block.add()
        return TemplateNode(self.source, token.pos, name, pipe)

    def template_control(self) -> Node:
        context = "template clause"
        token = self.next_non_space()
        name = self.parse_template_name(token, context)
        pipe = None
        if self.next_non_space().typ != lx.RIGHT_DELIM:
            self.backup()
            pipe = self.pipeline(context, lx.RIGHT_DELIM)
        return TemplateNode(self.source, token.pos, name, pipe)

    def parse_template_name(self, token: Item, context: str) -> str:
        if token.typ in (lx.STRING, lx.RAW_STRING):
            try:
                return go_unquote(token.val)
            except UnquoteError:
                self.errorf("invalid syntax")
        self.unexpected(token, context)
        raise AssertionError("unreachable")

    def command(self) -> CommandNode:
        command = CommandNode(self.source, self.peek_non_space().pos)
        while True:
            self.peek_non_space()
            operand = self.operand()
            if operand is not None:
                command.args.append(operand)
            token = self.next()
            typ = token.typ
            if typ == lx.SPACE:
                continue
            if typ in (lx.RIGHT_DELIM, lx.RIGHT_PAREN):
                self.backup()
            elif typ != lx.PIPE:
                self.unexpected(token, "operand")
            break
        if not command.args:
            self.errorf("empty command")
        return command

    def operand(self) -> Node | None:
        node = self.term()
        if node is None:
            return None
        if self.peek().typ == lx.FIELD:
            chain_pos = self.peek().pos
            fields = []
            while self.peek().typ == lx.FIELD:
                fields.append(self.next().val[1:])
            # Go rebuilds these from the chain's String(): the same names, one list.
            if isinstance(node, FieldNode):
                return FieldNode(self.source, chain_pos, node.ident + fields)
            if isinstance(node, VariableNode):
                return VariableNode(self.source, chain_pos, node.ident + fields)
            if isinstance(node, (BoolNode, StringNode, NumberNode, NilNode, DotNode)):
                self.errorf(f"unexpected . after term {go_quote(str(node))}")
            return ChainNode(self.source, chain_pos, node, fields)
        return node

    def term(self) -> Node | None:
        token = self.next_non_space()
        typ = token.typ
        source = self.source
        if typ == lx.IDENTIFIER:
            if token.val not in self.shared.funcs and token.val not in BUILTIN_NAMES:
                self.errorf(f"function {go_quote(token.val)} not defined")
            self.shared.identifiers.add(token.val)
            return IdentifierNode(source, token.pos, token.val)
        if typ == lx.DOT:
            return DotNode(source, token.pos)
        if typ == lx.NIL:
            return NilNode(source, token.pos)
        if typ == lx.VARIABLE:
            return self.use_var(token)
        if typ == lx.FIELD:
            return FieldNode(source, token.pos, [token.val[1:]])
        if typ == lx.BOOL:
            return BoolNode(source, token.pos, token.val == "true")
        if typ in (lx.CHAR_CONSTANT, lx.COMPLEX, lx.NUMBER):
            return self.number(token)
        if typ == lx.LEFT_PAREN:
            if self.paren_depth >= MAX_PAREN_DEPTH:
                self.errorf("max expression depth exceeded")
            self.paren_depth += 1
            try:
                return self.pipeline("parenthesized pipeline", lx.RIGHT_PAREN)
            finally:
                self.paren_depth -= 1
        if typ in (lx.STRING, lx.RAW_STRING):
            try:
                text = go_unquote(token.val)
            except UnquoteError:
                self.errorf("invalid syntax")
            return StringNode(source, token.pos, token.val, text)
        self.backup()
        return None

    def use_var(self, token: Item) -> VariableNode:
        if token.val not in self.vars:
            self.errorf(f"undefined variable {go_quote(token.val)}")
        return VariableNode(self.source, token.pos, [token.val])

    def number(self, token: Item) -> NumberNode:
        try:
            return make_number(self.source, token.pos, token.val, token.typ)
        except _NumberError as error:
            self.errorf(str(error))
            raise AssertionError("unreachable") from None


_OPERAND_STARTS = frozenset(
    (
        lx.BOOL,
        lx.CHAR_CONSTANT,
        lx.COMPLEX,
        lx.DOT,
        lx.FIELD,
        lx.IDENTIFIER,
        lx.NUMBER,
        lx.NIL,
        lx.RAW_STRING,
        lx.STRING,
        lx.VARIABLE,
        lx.LEFT_PAREN,
    )
)

# bytes.TrimSpace's notion of space (unicode.IsSpace).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def is_empty_tree(node: Node | None) -> bool:
    """parse.IsEmptyTree: nothing but space (or comments)."""
    if node is None:
        return True
    if isinstance(node, ListNode):
        return all(is_empty_tree(child) for child in node.nodes)
    if isinstance(node, TextNode):
        return not node.text.strip(_GO_SPACE)
    return False


# --- fast path -----------------------------------------------------------------------------------


class _Decline(Exception):
    """The fast parser met something that is not a valid template; the exact parser takes over."""


_NOT_EXECUTABLE = (BoolNode, DotNode, NilNode, NumberNode, StringNode)
_END_OR_ELSE = (EndNode, ElseNode)


class _FastParser:
    """parse.go's grammar over the token columns, for texts that parse without error.

    It builds the same trees as _TreeParser with a plain index instead of Go's three-token
    lookahead buffer, and keeps none of the state Go's error messages need (which token to
    blame, where the action started): at the first sign of an error it raises _Decline and the
    exact parser parses the text again to report it. Runs of space are single SPACE tokens
    (never two in a row), so skipping space is one test.
    """

    __slots__ = (
        "types",
        "starts",
        "values",
        "i",
        "source",
        "funcs",
        "identifiers",
        "tree_set",
        "vars",
        "range_depth",
        "paren_depth",
        "renamable",
    )

    def __init__(self, columns: lx.Columns, source: Source, funcs: Container[str]) -> None:
        # Reading past the end gives the last item again, as _Shared.next_item does.
        types, starts, values = columns
        self.types = types + [types[-1]] * 4
        self.starts = starts + [starts[-1]] * 4
        self.values = values + [values[-1]] * 4
        self.i = 0
        self.source = source
        self.funcs = funcs
        self.identifiers: set[str] = set()
        self.tree_set: dict[str, Tree] = {}
        self.vars = ["$"]
        self.range_depth = 0
        self.paren_depth = 0
        self.renamable = False

    def parse(self, name: str) -> dict[str, Tree]:
        types = self.types
        source = self.source
        root = ListNode(source, self.starts[0])
        nodes = root.nodes
        while True:
            i = self.i
            typ = types[i]
            if typ == _TEXT:
                nodes.append(TextNode(source, self.starts[i], self.values[i]))
                self.i = i + 1
                continue
            if typ == _EOF:
                break
            if typ != _LEFT_DELIM:
                raise _Decline
            i += 1
            if types[i] == _SPACE:
                i += 1
            if types[i] == _DEFINE:
                self.i = i + 1
                self.definition()
                continue
            self.i = i
            node = self.action()
            if isinstance(node, _END_OR_ELSE):
                raise _Decline
            nodes.append(node)
        # The same text parsed under another name gives the same trees unless a name collides.
        self.renamable = name not in self.tree_set
        self.add(name, root)
        return self.tree_set

    def add(self, name: str, root: ListNode) -> None:
        existing = self.tree_set.get(name)
        if existing is None or is_empty_tree(existing.root):
            self.tree_set[name] = Tree(name, root, self.source)
        elif not is_empty_tree(root):
            raise _Decline

    def next_non_space(self) -> int:
        """Skips a space and the token after it; returns that token's index."""
        i = self.i
        if self.types[i] == _SPACE:
            i += 1
        self.i = i + 1
        return i

    def template_name(self) -> tuple[int, str]:
        """The position of the template name that comes next, and the name."""
        i = self.next_non_space()
        if self.types[i] != lx.STRING and self.types[i] != lx.RAW_STRING:
            raise _Decline
        return self.starts[i], go_unquote(self.values[i])

    def definition(self) -> None:
        _, name = self.template_name()
        if self.types[self.next_non_space()] != _RIGHT_DELIM:
            raise _Decline
        root, end = self.tree_body()
        if not isinstance(end, EndNode):
            raise _Decline
        self.add(name, root)

    def tree_body(self) -> tuple[ListNode, Node]:
        """The body of a {{define}} or {{block}}: a new tree, with its own variables."""
        saved = self.vars, self.range_depth
        self.vars = ["$"]
        self.range_depth = 0
        body = self.item_list()
        self.vars, self.range_depth = saved
        return body

    def item_list(self) -> tuple[ListNode, Node]:
        types = self.types
        source = self.source
        i = self.i
        if types[i] == _SPACE:
            i += 1
        body = ListNode(source, self.starts[i])
        nodes = body.nodes
        while True:
            typ = types[i]
            if typ == _TEXT:
                nodes.append(TextNode(source, self.starts[i], self.values[i]))
                i += 1
                continue
            if typ == _SPACE:
                i += 1
                continue
            if typ != _LEFT_DELIM:
                raise _Decline
            self.i = i + 1
            node = self.action()
            if isinstance(node, _END_OR_ELSE):
                return body, node
            nodes.append(node)
            i = self.i

    def action(self) -> Node:
        types = self.types
        i = self.i
        if types[i] == _SPACE:
            i += 1
        typ = types[i]
        self.i = i + 1
        if typ == _END:
            end = self.next_non_space()
            if types[end] != _RIGHT_DELIM:
                raise _Decline
            return EndNode(self.source, self.starts[end])
        if typ == _IF:
            return self.branch_control(IfNode, "if")
        if typ == _ELSE:
            return self.else_control()
        if typ == _RANGE:
            return self.branch_control(RangeNode, "range")
        if typ == _WITH:
            return self.branch_control(WithNode, "with")
        if typ == _TEMPLATE:
            return self.template_control()
        if typ == _BLOCK:
            return self.block_control()
        if typ in (_BREAK, _CONTINUE):
            if types[self.next_non_space()] != _RIGHT_DELIM or self.range_depth == 0:
                raise _Decline
            return (BreakNode if typ == _BREAK else ContinueNode)(self.source, self.starts[i])
        self.i = i
        return ActionNode(self.source, self.starts[i], self.pipeline("command", _RIGHT_DELIM))

    def else_control(self) -> Node:
        types = self.types
        i = self.i
        if types[i] == _SPACE:
            i += 1
        if types[i] == _IF or types[i] == _WITH:
            self.i = i  # left for parse_control to chain
            return ElseNode(self.source, self.starts[i])
        if types[i] != _RIGHT_DELIM:
            raise _Decline
        self.i = i + 1
        return ElseNode(self.source, self.starts[i])

    def branch_control(self, node_type: type[BranchNode], context: str) -> BranchNode:
        variables = self.vars
        saved_vars = len(variables)
        pipe = self.pipeline(context, _RIGHT_DELIM)
        if context == "range":
            self.range_depth += 1
            body, following = self.item_list()
            self.range_depth -= 1
        else:
            body, following = self.item_list()
        else_list = None
        if isinstance(following, ElseNode):
            typ = self.types[self.i]
            if context == "if" and typ == _IF:
                self.i += 1
                else_list = ListNode(self.source, following.pos)
                else_list.nodes.append(self.branch_control(IfNode, "if"))
            elif context == "with" and typ == _WITH:
                self.i += 1
                else_list = ListNode(self.source, following.pos)
                else_list.nodes.append(self.branch_control(WithNode, "with"))
            else:
                else_list, following = self.item_list()
                if not isinstance(following, EndNode):
                    raise _Decline
        del variables[saved_vars:]
        return node_type(self.source, pipe.pos, pipe, body, else_list)

    def block_control(self) -> Node:
        pos, name = self.template_name()
        pipe = self.pipeline("block clause", _RIGHT_DELIM)
        body, end = self.tree_body()
        if not isinstance(end, EndNode):
            raise _Decline
        self.add(name, body)
        return TemplateNode(self.source, pos, name, pipe)

    def template_control(self) -> Node:
        pos, name = self.template_name()
        pipe = None
        if self.types[self.next_non_space()] != _RIGHT_DELIM:
            self.i -= 1
            pipe = self.pipeline("template clause", _RIGHT_DELIM)
        return TemplateNode(self.source, pos, name, pipe)

    def pipeline(self, context: str, end: int) -> PipeNode:
        types = self.types
        starts = self.starts
        source = self.source
        i = self.i
        if types[i] == _SPACE:
            i += 1
        pipe = PipeNode(source, starts[i])
        while types[i] == _VARIABLE:  # Go's `decls:` label
            variable = self.values[i]
            j = i + 1
            if types[j] == _SPACE:
                j += 1
            typ = types[j]
            if typ in (_ASSIGN, _DECLARE):
                pipe.is_assign = typ == _ASSIGN
                pipe.decl.append(VariableNode(source, starts[i], [variable]))
                self.vars.append(variable)
                i = j + 1
            elif typ == _CHAR and self.values[j] == ",":
                pipe.decl.append(VariableNode(source, starts[i], [variable]))
                self.vars.append(variable)
                i = j + 1
                if context == "range" and len(pipe.decl) < 2:
                    if types[i] == _SPACE:
                        i += 1
                    if types[i] in _AFTER_RANGE_COMMA:
                        continue
                raise _Decline
            break
        cmds = pipe.cmds
        while True:
            typ = types[i]
            if typ == _SPACE:
                i += 1
                typ = types[i]
            if typ == end:
                self.i = i + 1
                if not cmds:
                    raise _Decline
                for command in cmds[1:]:
                    if isinstance(command.args[0], _NOT_EXECUTABLE):
                        raise _Decline
                return pipe
            if typ not in _OPERAND_STARTS:
                raise _Decline
            self.i = i
            cmds.append(self.command())
            i = self.i
            if len(cmds) > MAX_PIPELINE_COMMANDS:
                raise _Decline

    def command(self) -> CommandNode:
        """command(), operand() and term() in one loop."""
        types = self.types
        starts = self.starts
        values = self.values
        source = self.source
        i = self.i
        command = CommandNode(source, starts[i])
        args = command.args
        while True:
            if types[i] == _SPACE:
                i += 1
            typ = types[i]
            if typ in _COMMAND_ENDS:  # after a space: the command ends (before a delimiter, after a pipe)
                if typ == _PIPE:
                    i += 1
                break
            pos = starts[i]
            val = values[i]
            i += 1
            if typ in _FIELD_OR_VARIABLE:
                if typ == _VARIABLE and val not in self.vars:
                    raise _Decline
                ident = [val[1:]] if typ == _FIELD else [val]
                if types[i] == _FIELD:
                    # Go rebuilds a chain of fields as one node, at the position of its second field.
                    pos = starts[i]
                    while types[i] == _FIELD:
                        ident.append(values[i][1:])
                        i += 1
                args.append((FieldNode if typ == _FIELD else VariableNode)(source, pos, ident))
            else:
                if typ == _IDENTIFIER:
                    if val not in self.funcs and val not in BUILTIN_NAMES:
                        raise _Decline
                    self.identifiers.add(val)
                    node = IdentifierNode(source, pos, val)
                elif typ == _STRING:
                    # The lexer leaves no quote or newline unescaped: without escapes the text is the body.
                    node = StringNode(source, pos, val, go_unquote(val) if "\\" in val else val[1:-1])
                elif typ == _DOT:
                    node = DotNode(source, pos)
                elif typ == _LEFT_PAREN:
                    if self.paren_depth >= MAX_PAREN_DEPTH:
                        raise _Decline
                    self.paren_depth += 1
                    self.i = i
                    node = self.pipeline("parenthesized pipeline", _RIGHT_PAREN)
                    i = self.i
                    self.paren_depth -= 1
                elif typ in (_NUMBER, _CHAR_CONSTANT, _COMPLEX):
                    node = make_number(source, pos, val, typ)
                elif typ == _RAW_STRING:
                    node = StringNode(source, pos, val, go_unquote(val))
                elif typ == _BOOL:
                    node = BoolNode(source, pos, val == "true")
                elif typ == _NIL:
                    node = NilNode(source, pos)
                else:
                    node = None
                    i -= 1
                if node is not None:
                    if types[i] == _FIELD:
                        if isinstance(node, _NOT_EXECUTABLE):
                            raise _Decline
                        chain_pos = starts[i]
                        fields = []
                        while types[i] == _FIELD:
                            fields.append(values[i][1:])
                            i += 1
                        node = ChainNode(source, chain_pos, node, fields)
                    args.append(node)
            typ = types[i]
            i += 1
            if typ == _SPACE:
                continue
            if typ in (_RIGHT_DELIM, _RIGHT_PAREN):
                i -= 1
            elif typ != _PIPE:
                raise _Decline
            break
        if not args:
            raise _Decline
        self.i = i
        return command


_AFTER_RANGE_COMMA = frozenset((lx.VARIABLE, lx.RIGHT_DELIM, lx.RIGHT_PAREN))
_FIELD_OR_VARIABLE = frozenset((lx.FIELD, lx.VARIABLE))
_COMMAND_ENDS = frozenset((lx.RIGHT_DELIM, lx.RIGHT_PAREN, lx.PIPE))
(_ASSIGN, _BLOCK, _BOOL, _BREAK, _CHAR, _CHAR_CONSTANT, _COMPLEX, _CONTINUE, _DECLARE, _DEFINE) = (
    lx.ASSIGN,
    lx.BLOCK,
    lx.BOOL,
    lx.BREAK,
    lx.CHAR,
    lx.CHAR_CONSTANT,
    lx.COMPLEX,
    lx.CONTINUE,
    lx.DECLARE,
    lx.DEFINE,
)
(_DOT, _ELSE, _END, _EOF, _FIELD, _IDENTIFIER, _IF, _LEFT_DELIM, _LEFT_PAREN, _NIL, _NUMBER) = (
    lx.DOT,
    lx.ELSE,
    lx.END,
    lx.EOF,
    lx.FIELD,
    lx.IDENTIFIER,
    lx.IF,
    lx.LEFT_DELIM,
    lx.LEFT_PAREN,
    lx.NIL,
    lx.NUMBER,
)
(_PIPE, _RANGE, _RAW_STRING, _RIGHT_DELIM, _RIGHT_PAREN, _STRING, _TEMPLATE, _TEXT, _VARIABLE, _WITH) = (
    lx.PIPE,
    lx.RANGE,
    lx.RAW_STRING,
    lx.RIGHT_DELIM,
    lx.RIGHT_PAREN,
    lx.STRING,
    lx.TEMPLATE,
    lx.TEXT,
    lx.VARIABLE,
    lx.WITH,
)


# --- numbers (node.go newNumber with strconv's parsers) ----------------------------------------------


class _NumberError(Exception):
    pass


def _float_is_int64(value: float) -> bool:
    return value == value and -(2.0**63) <= value < 2.0**63 and float(int(value)) == value


def _float_is_uint64(value: float) -> bool:
    return value == value and 0 <= value < 2.0**64 and float(int(value)) == value


def _simplify_complex(number: NumberNode) -> None:
    number.is_float = number.complex128.imag == 0
    if number.is_float:
        number.float64 = number.complex128.real
        number.is_int = _float_is_int64(number.float64)
        if number.is_int:
            number.int64 = int(number.float64)
        number.is_uint = _float_is_uint64(number.float64)
        if number.is_uint:
            number.uint64 = int(number.float64)


def _parse_complex(text: str) -> complex:
    """fmt.Sscan into a complex128 of the lexer's `real±imag i` form."""
    for i in range(len(text) - 1, 0, -1):
        if text[i] in "+-" and text[i - 1] not in "eEpP":
            real = parse_float(text[:i])
            imag = parse_float(text[i:-1])
            if real is not None and imag is not None and text.endswith("i"):
                return complex(real, imag)
            break
    raise _NumberError("expected integer")


def make_number(source: Source, pos: int, text: str, typ: int) -> NumberNode:
    """node.go newNumber: the constant under every type that can hold it."""
    number = NumberNode(source, pos, text)
    if (
        typ == lx.NUMBER
        and len(text) < 19
        and text.isascii()
        and text.isdigit()
        and (text[0] != "0" or text == "0")
    ):
        # A decimal integer below 10**18: every type holds it (the common case, as parsed below).
        number.int64 = number.uint64 = int(text)
        number.is_int = number.is_uint = number.is_float = True
        number.float64 = float(number.int64)
        return number
    if typ == lx.CHAR_CONSTANT:
        try:
            value, tail = unquote_char_constant(text)
        except (UnquoteError, IndexError):
            raise _NumberError("invalid syntax") from None
        if tail != "'":
            raise _NumberError(f"malformed character constant: {text}")
        number.int64 = number.uint64 = value
        number.is_int = number.is_uint = number.is_float = True
        number.float64 = float(value)
        return number
    if typ == lx.COMPLEX:
        number.complex128 = _parse_complex(text)
        number.is_complex = True
        _simplify_complex(number)
        return number
    if text.endswith("i"):
        imaginary = parse_float(text[:-1])
        if imaginary is not None:
            number.is_complex = True
            number.complex128 = complex(0, imaginary)
            _simplify_complex(number)
            return number
    unsigned = parse_uint(text)
    if unsigned is not None:
        number.is_uint = True
        number.uint64 = unsigned
    signed = parse_int(text)
    if signed is not None:
        number.is_int = True
        number.int64 = signed
        if signed == 0:
            number.is_uint = True
            number.uint64 = unsigned or 0
    if number.is_int:
        number.is_float = True
        number.float64 = float(number.int64)
    elif number.is_uint:
        number.is_float = True
        number.float64 = float(number.uint64)
    else:
        value = parse_float(text)
        if value is not None:
            if not any(c in text for c in ".eEpP"):
                raise _NumberError(f"integer overflow: {go_quote(text)}")
            number.is_float = True
            number.float64 = value
            if _float_is_int64(value):
                number.is_int = True
                number.int64 = int(value)
            if _float_is_uint64(value):
                number.is_uint = True
                number.uint64 = int(value)
    if not (number.is_int or number.is_uint or number.is_float):
        raise _NumberError(f"illegal number syntax: {go_quote(text)}")
    return number


# Parsed texts, reused when the same file is parsed again (every render of a chart parses all its
# templates; the linter renders a chart several times). Trees are never modified after parsing.
_CACHE_SIZE = 300
_cache: dict[tuple[str, str, bool, bool], tuple[dict[str, Tree], frozenset[str]]] = {}
# The trees of each text under the first name it was parsed as: charts often carry the same file
# under other names (library subcharts such as bitnami's common), and copying a tree with another
# name into its nodes is cheaper than parsing it again.
_by_text: dict[tuple[str, bool, bool], tuple[str, dict[str, Tree], frozenset[str]]] = {}
_cache_lock = threading.Lock()


def _all_known(identifiers: frozenset[str], funcs: Container[str]) -> bool:
    return all(ident in funcs or ident in BUILTIN_NAMES for ident in identifiers)


def _store(cache: dict, key: tuple, value: tuple) -> None:
    with _cache_lock:
        while len(cache) >= _CACHE_SIZE:
            del cache[next(iter(cache))]
        cache[key] = value


def parse_trees(name: str, text: str, funcs: Container[str]) -> dict[str, Tree]:
    """parse.Parse: the trees `text` defines, keyed by template name (`name` for the text itself)."""
    break_ok = "break" not in funcs
    continue_ok = "continue" not in funcs
    key = (name, text, break_ok, continue_ok)
    cached = _cache.get(key)
    if cached is not None and _all_known(cached[1], funcs):
        return dict(cached[0])
    text_key = (text, break_ok, continue_ok)
    # Parsing allocates many small objects that all survive (the trees) and form no cycles: the
    # cyclic collector would only rescan the whole heap again and again meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        trees = _renamed_copy(_by_text.get(text_key), name, funcs)
        if trees is not None:
            known = _by_text[text_key][2]
        else:
            trees, identifiers, renamable = _parse(name, text, funcs, break_ok, continue_ok)
            known = frozenset(identifiers)
            if renamable:
                _store(_by_text, text_key, (name, trees, known))
    finally:
        if collecting:
            gc.enable()
    _store(_cache, key, (trees, known))
    return dict(trees)


def _renamed_copy(
    shared: tuple[str, dict[str, Tree], frozenset[str]] | None, name: str, funcs: Container[str]
) -> dict[str, Tree] | None:
    """The trees of a text parsed before under another name, as parsing it as `name` gives them;
    None when that cannot be reused."""
    if shared is None:
        return None
    old_name, trees, identifiers = shared
    if not _all_known(identifiers, funcs) or (name != old_name and name in trees):
        return None
    if name == old_name:
        return trees
    source = next(iter(trees.values())).source.renamed(name)
    renamed = {}
    try:
        for tree_name, tree in trees.items():
            new_name = name if tree_name == old_name else tree_name
            renamed[new_name] = Tree(new_name, tree.root.rebound(source), source)
    except RecursionError:
        return None
    return renamed


def _parse(
    name: str, text: str, funcs: Container[str], break_ok: bool, continue_ok: bool
) -> tuple[dict[str, Tree], set[str], bool]:
    """Parses without the cache: the trees, the function names they call, and whether the same
    text under another name gives the same trees but for that name."""
    source = Source(name, text)
    columns = lx.lex_columns(text, break_ok, continue_ok)
    fast = _FastParser(columns, source, funcs)
    try:
        return fast.parse(name), fast.identifiers, fast.renamable
    except (_Decline, UnquoteError, _NumberError, IndexError, RecursionError):
        pass
    shared = _Shared(lx.items_of(columns), source, funcs)
    top = _TreeParser(shared, name)
    try:
        top.parse()
        top.add()
    except _Stop as stop:
        raise stop.error from None
    except RecursionError:
        line = top.line_of(top.token[0])
        raise LimitExceeded(
            f"template nesting too deep to parse (Python stack limit) near line {line}",
            Position(name, line),
        ) from None
    return shared.tree_set, shared.identifiers, False
