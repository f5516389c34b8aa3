"""Go's text/template for chartfix: a set of named templates parsed and executed as Go does.

    template_set = TemplateSet(funcs)          # funcs: name -> gotypes.GoFunc (sprig, include...)
    template_set.parse("mychart/templates/a.yaml", text)
    output = template_set.execute("mychart/templates/a.yaml", data)

Parse errors raise errors.TemplateSyntaxError, execution errors errors.TemplateExecError; both carry
Go's exact message in `.go_message`. Nesting deeper than MAX_TEMPLATE_DEPTH raises LimitExceeded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from chartfix.errors import Position, TemplateExecError, TemplateSyntaxError
from chartfix.go.strconv import quote as go_quote
from chartfix.go.template import nodes
from chartfix.go.template.executor import (
    BUILTINS_GO_1_23,
    BUILTINS_GO_1_25,
    MAX_TEMPLATE_DEPTH,
    Executor,
    TracingExecutor,
)
from chartfix.go.template.parser import Tree, is_empty_tree, parse_trees
from chartfix.go.types import GoFunc

__all__ = ["MAX_TEMPLATE_DEPTH", "TemplateSet", "Tree", "nodes"]

_MISSING_KEY_MODES = {"zero": "zero", "error": "error", "default": "default", "invalid": "default"}


class TemplateSet:
    """Go's *template.Template with its associated templates (one namespace of names).

    funcs: the set's function map; mutable (the engine adds include/tpl after creation). Names are
    checked against it (and the builtins) at parse time, as Go does.
    missing_key: Go's `missingkey=` option: "zero" (Helm's default), "error" (strict), "default".
    go_version: the Go release whose text/template to follow; (1, 25) and later name the operand
    types in "incompatible types for comparison" errors.
    root_name: the name Go reports in "no template %q associated with template %q".
    """

    def __init__(
        self,
        funcs: dict[str, GoFunc],
        missing_key: str = "zero",
        *,
        go_version: tuple[int, int] = (1, 23),
        root_name: str = "gotpl",
    ) -> None:
        if missing_key not in _MISSING_KEY_MODES:
            raise ValueError(f"unrecognized missing_key option {missing_key!r}")
        self.funcs = funcs
        self.missing_key = _MISSING_KEY_MODES[missing_key]
        self.go_version = go_version
        self.root_name = root_name
        self._trees: dict[str, Tree] = {}
        self._builtins = BUILTINS_GO_1_25 if go_version >= (1, 25) else BUILTINS_GO_1_23
        self.reads: Any = None  # see track_reads

    def track_reads(self, reads: Any) -> None:
        """Report what executions read to `reads`: `reads.chain(receiver, fields)` after every field
        chain, `reads.consume(value, printed)` for pipeline and printed values, and every function
        and builtin is replaced by `reads.wrap(name, function)` (which sees the arguments)."""
        self.reads = reads
        self.funcs = {name: reads.wrap(name, function) for name, function in self.funcs.items()}
        self._builtins = {name: reads.wrap(name, function) for name, function in self._builtins.items()}

    def with_funcs(self, funcs: dict[str, GoFunc]) -> TemplateSet:
        """The same parsed templates with another function map (which must define the same names),
        the plain builtins and no read tracking: parse once, execute in several engines."""
        twin = self.clone()
        twin.funcs = funcs
        twin._builtins = BUILTINS_GO_1_25 if self.go_version >= (1, 25) else BUILTINS_GO_1_23
        twin.reads = None
        return twin

    def parse(self, name: str, text: str) -> Tree | None:
        """Parses `text` as template `name`; every {{define}}/{{block}} in it joins the set.

        Go's rule for names defined before (`associate`): a template whose body is empty (only
        space) does not replace an existing one in the set; anything else does. Returns the tree
        parsed for `name`, which `t.New(name).Parse(text)` leaves in the new *Template (its `Tree`)
        even where the set keeps the older one: `t.Execute` runs that tree, `ExecuteTemplate` the
        set's.
        """
        try:
            trees = parse_trees(name, text, self.funcs)
        except TemplateSyntaxError as error:
            if self.go_version < (1, 24):
                _go_1_23_comment_lines(error, name, text)
            raise
        for tree_name, tree in trees.items():
            if tree_name in self._trees and is_empty_tree(tree.root):
                continue
            self._trees[tree_name] = tree
        return trees.get(name)

    def clone(self) -> TemplateSet:
        """A set with the same templates (parse trees are shared) and the same function map."""
        twin = TemplateSet.__new__(TemplateSet)
        twin.funcs = self.funcs
        twin.missing_key = self.missing_key
        twin.go_version = self.go_version
        twin.root_name = self.root_name
        twin._trees = dict(self._trees)
        twin._builtins = self._builtins
        twin.reads = self.reads
        return twin

    def has(self, name: str) -> bool:
        return name in self._trees

    def names(self) -> list[str]:
        return sorted(self._trees)

    def tree(self, name: str) -> nodes.ListNode:
        """The parsed body of template `name` (KeyError when there is none)."""
        return self._trees[name].root

    def execute(self, name: str, data: Any, tree: Tree | None = None) -> str:
        """Runs template `name` with `data` as dot and returns its output (Go's ExecuteTemplate);
        with `tree`, runs that tree under the name (Go's Execute of the *Template `parse` made)."""
        if tree is None:
            tree = self._trees.get(name)
        if tree is None:
            message = (
                f"template: no template {go_quote(name)} associated with template {go_quote(self.root_name)}"
            )
            error = TemplateExecError(message, Position(name))
            error.go_message = message
            error.template_name = name
            raise error
        executor = Executor(self._trees, self.funcs, self._builtins, self.missing_key, name, self.reads)
        return executor.run(tree.root, data)

    def execute_traced(
        self, name: str, data: Any, rewrite: Callable[[str], str]
    ) -> tuple[str, list[tuple[int, Any]]]:
        """Like execute, with each output piece passed through `rewrite` (Helm's `<no value>`
        removal), and where each piece came from: [(offset in the output, node)], offsets ascending."""
        tree = self._trees.get(name)
        if tree is None:
            return rewrite(self.execute(name, data)), []
        executor = TracingExecutor(
            self._trees, self.funcs, self._builtins, self.missing_key, name, self.reads
        )
        executor.run(tree.root, data)
        pieces = list(map(rewrite, executor.out))
        offsets = list(accumulate(map(len, pieces), initial=0))
        offsets.pop()  # the end of the last piece
        return "".join(pieces), list(zip(offsets, executor.origins, strict=True))


_COMMENT = re.compile(r"\{\{(?:- )?/\*.*?\*/", re.DOTALL)


def _go_1_23_comment_lines(error: TemplateSyntaxError, name: str, text: str) -> None:
    """Go 1.23's lexer skips a comment without counting its newlines, so the line of every later
    token, the line of parse errors, is short by the newlines of the comments before it (fixed in
    Go 1.24). Rewrites the error's line that way."""
    position = error.position
    if position is None or not position.line or "\n" not in text:
        return
    line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
    if position.line > len(line_starts):
        return
    offset = line_starts[position.line - 1]
    lost = sum(m[0].count("\n") for m in _COMMENT.finditer(text) if m.end() <= offset)
    if not lost:
        return
    old, new = f"{name}:{position.line}:", f"{name}:{position.line - lost}:"
    error.go_message = error.go_message.replace(old, new, 1)
    error.message = error.message.replace(old, new, 1)
    error.args = (error.message,)
    error.position = Position(position.file, position.line - lost, position.column)
