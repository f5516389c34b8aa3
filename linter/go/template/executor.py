"""Go's text/template executor (exec.go, funcs.go) over the chartfix.gotypes value model.

The structure follows exec.go function by function, including where it records the node it blames
(`self.node`, Go's `s.at`), so that error messages and positions match Go's ErrorContext.

Static types matter in a few of Go's messages and behaviours; two markers carry them:
- NIL_IFACE: a nil `interface {}` read out of a map or a slice (Go's reflect.Zero(interface{})):
  walking a field of it is an error ("nil pointer evaluating interface {}.x"), while the untyped nil
  a pipeline yields (None) silently gives nil again.
- IfaceValue: a non-nil element of a []interface{} or map seen as dot or a range variable, whose
  static type is `interface {}` ("can't evaluate field x in type interface {}").
Pipelines strip both markers as Go's evalPipeline does, and functions never see them.
"""

from __future__ import annotations

import threading
from typing import Any

from chartfix.errors import ChartfixError, LimitExceeded, Position, TemplateExecError
from chartfix.go.fmt import sprint, sprint_indirect, sprintf, sprintln
from chartfix.go.strconv import quote as go_quote
from chartfix.go.template import builtins as govalues
from chartfix.go.template.nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    ListNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    RangeNode,
    StringNode,
    TemplateNode,
    TextNode,
    VariableNode,
    WithNode,
)
from chartfix.go.types import (
    GoFunc,
    GoFuncError,
    GoInt,
    GoMap,
    GoMethod,
    GoPanic,
    GoSignature,
    GoSlice,
    GoStruct,
)

# Nested {{template}} calls and executions started by functions (include, tpl) together. Go allows
# 100000 {{template}} levels; Python's stack cannot, so deeper nesting raises LimitExceeded. The
# limit is above Helm's own include limit (1000 per name) so that Helm's error wins there. Running
# this deep needs sys.setrecursionlimit(>= 60000) and a large thread stack (the engine does that);
# with less, Python's RecursionError is reported as LimitExceeded too.
MAX_TEMPLATE_DEPTH = 2000
# Budgets for one top-level execution (includes and tpl included): steps and printed characters.
# Go has neither; hostile templates would otherwise run for hours or fill memory. A step is a range
# iteration or an evaluated command (a function call, field, variable or constant), so the budget
# bounds the work and not only the loop count: a range body calling two functions costs chartfix
# about 100 us an iteration, and a budget of 5,000,000 iterations let `range 30000000` (Go 1.24)
# run for over ten minutes. The largest template of the corpus takes about 3,000 steps.
MAX_STEPS = 1_000_000
MAX_OUTPUT_CHARS = 256 * 1024 * 1024
_CHECK_EVERY = 65_536
_LONG_OUTPUT = 4096  # printing a longer string counts it against MAX_OUTPUT_CHARS at once

_depth = threading.local()  # .value: nesting of executions on this thread
_budget = threading.local()  # .current: the _Budget of this thread's top-level execution


class _Budget:
    """What the current top-level execution spent: steps and characters printed. Executions nested
    in it (template calls, include, tpl) share it; an attribute of a plain object is cheaper to
    update than one of a threading.local on every command."""

    __slots__ = ("steps", "printed")

    def __init__(self) -> None:
        self.steps = 0
        self.printed = 0


class _NilInterface:
    """A nil value whose static type is `interface {}`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NIL_IFACE"


NIL_IFACE = _NilInterface()


class IfaceValue:
    """A non-nil value whose static type is `interface {}`."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class _Missing:
    """Go's missingVal: no value is piped into this command."""

    __slots__ = ()


MISSING = _Missing()
_ABSENT = object()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _strip(value: Any) -> Any:
    if value.__class__ is IfaceValue:
        return value.value
    if value is NIL_IFACE:
        return None
    return value


# --- Go types of values --------------------------------------------------------------------------


def type_name(value: Any) -> str:
    """reflect.Type.String() of a concrete value."""
    return govalues.type_name(value)


def _assignable(value: Any, typ: str) -> bool:
    """Whether a concrete (non-nil) value can be passed as a parameter of Go type `typ`."""
    if typ == "interface {}" or typ == "reflect.Value":
        return True
    cls = value.__class__
    if typ == "string":
        return cls is str
    if typ == "int":
        return cls is GoInt
    if typ == "int64":
        return cls is int
    if typ == "float64":
        return cls is float
    if typ == "bool":
        return cls is bool
    if typ in ("[]interface {}", "[]string"):
        # Plain lists carry no element type in this model; []string accepts them as well.
        if isinstance(value, GoSlice):
            return value.go_type == typ
        return isinstance(value, (list, tuple))
    if typ == "map[string]interface {}":
        # a named map type (chartutil.Values) is assignable to its unnamed underlying type
        if isinstance(value, GoMap):
            return value.go_type in (typ, "chartutil.Values", "common.Values")
        return isinstance(value, dict)
    if typ == "[]byte" or typ == "[]uint8":
        return isinstance(value, (bytes, bytearray))
    if isinstance(value, GoStruct):
        return value.go_type == typ
    return type_name(value) == typ


_CONCRETE_ELEMENTS = frozenset({"[]string", "[]int", "map[string]string", "[][]interface {}"})
_NILLABLE_PREFIXES = ("[", "map[", "*", "func", "chan")


def _can_be_nil(typ: str | None) -> bool:
    """exec.go canBeNil: interfaces, pointers, maps, slices, funcs and reflect.Value."""
    if typ is None or typ == "interface {}" or typ == "reflect.Value" or typ == "error":
        return True
    return typ.startswith(_NILLABLE_PREFIXES)


def is_true(value: Any) -> bool:
    """template.IsTrue for the value model (every value has a truth value here)."""
    if value is None:
        return False
    cls = value.__class__
    if cls is bool:
        return value
    if cls is str or cls is list or cls is dict:
        return len(value) > 0
    if cls is complex:
        return value != 0
    return govalues.is_true(value)[0]


def _find_method(receiver: Any, name: str) -> GoFunc | None:
    attr = getattr(receiver.__class__, name, None)
    if isinstance(attr, GoMethod):
        return attr.__get__(receiver, receiver.__class__)
    return None


# --- builtins (funcs.go) -------------------------------------------------------------------------

_VALUE = "reflect.Value"


def _truth(value: Any) -> bool:
    return is_true(_strip(value))


def _builtin_not(arg: Any) -> bool:
    return not _truth(arg)


def _builtin_len(item: Any) -> GoInt:
    if item is None:
        # Go's length() asks the zero reflect.Value for its type, which panics.
        raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
    return govalues.length(_strip(item))


def _builtin_index(item: Any, *indexes: Any) -> Any:
    item = _strip(item)
    if item is None:
        raise GoFuncError("index of untyped nil")
    for position in indexes:
        position = _strip(position)
        if item is None:
            raise GoFuncError("index of nil pointer")
        if isinstance(item, (list, tuple, bytes, bytearray, str)):
            data = item.encode("utf-8", "surrogateescape") if isinstance(item, str) else item
            # funcs.go indexArg accepts index == len; reflect's Index then panics.
            if isinstance(position, int) and not isinstance(position, bool) and position == len(data):
                kind = "string" if isinstance(item, str) else "slice"
                raise GoPanic(f"reflect: {kind} index out of range")
            if isinstance(position, GoInt):
                position = int(position)  # a plain int prints as a number in govalues' messages
            item = govalues.index(item, position)  # a byte of a string or []byte is a uint8
        else:
            item = govalues.index(item, position)
    return item


def _builtin_slice(item: Any, *indexes: Any) -> Any:
    return govalues.slice(_strip(item), *(_strip(index) for index in indexes))


def _eval_args(args: tuple[Any, ...]) -> str:
    """funcs.go evalArgs: a lone string as is, else fmt.Sprint of the printable forms."""
    if len(args) == 1:
        arg = args[0]
        if isinstance(arg, str):
            return arg
        return "<no value>" if arg is None else sprint_indirect(arg)
    return sprint(*("<no value>" if arg is None else arg for arg in args))


def _builtin_html(*args: Any) -> str:
    return govalues.html_escape(_eval_args(args))


def _builtin_js(*args: Any) -> str:
    return govalues.js_escape(_eval_args(args))


def _builtin_urlquery(*args: Any) -> str:
    return govalues.urlquery_escape(_eval_args(args))


def _unreachable(*_: Any) -> Any:  # and, or, call: evaluated by the executor itself
    raise AssertionError("handled by the executor")


def _comparisons(typed_errors: bool) -> dict[str, GoFunc]:
    def eq(arg1: Any, *args: Any) -> bool:
        if len(args) == 1 and arg1.__class__ is str and args[0].__class__ is str:
            return arg1 == args[0]  # the commonest comparison, as govalues.eq does it
        return govalues.eq(_strip(arg1), *(_strip(a) for a in args), typed_errors=typed_errors)

    def binary(function: Any) -> Any:
        def compare(arg1: Any, arg2: Any) -> bool:
            return function(_strip(arg1), _strip(arg2), typed_errors=typed_errors)

        return compare

    two = GoSignature((_VALUE, _VALUE), returns_error=True)
    return {
        "eq": GoFunc("eq", eq, GoSignature((_VALUE,), variadic=_VALUE, returns_error=True)),
        "ne": GoFunc("ne", binary(govalues.ne), two),
        "lt": GoFunc("lt", binary(govalues.lt), two),
        "le": GoFunc("le", binary(govalues.le), two),
        "gt": GoFunc("gt", binary(govalues.gt), two),
        "ge": GoFunc("ge", binary(govalues.ge), two),
    }


def make_builtins(typed_comparison_errors: bool) -> dict[str, GoFunc]:
    """text/template's builtin functions; comparisons name the types from Go 1.25 on."""
    variadic_any = GoSignature((), variadic="interface {}")
    table = {
        "and": GoFunc("and", _unreachable, GoSignature((_VALUE,), variadic=_VALUE)),
        "or": GoFunc("or", _unreachable, GoSignature((_VALUE,), variadic=_VALUE)),
        "call": GoFunc("call", _unreachable, GoSignature((_VALUE,), variadic=_VALUE)),
        "not": GoFunc("not", _builtin_not, GoSignature((_VALUE,))),
        "len": GoFunc("len", _builtin_len, GoSignature((_VALUE,), returns_error=True)),
        "index": GoFunc("index", _builtin_index, GoSignature((_VALUE,), variadic=_VALUE, returns_error=True)),
        "slice": GoFunc("slice", _builtin_slice, GoSignature((_VALUE,), variadic=_VALUE, returns_error=True)),
        "html": GoFunc("html", _builtin_html, variadic_any),
        "js": GoFunc("js", _builtin_js, variadic_any),
        "urlquery": GoFunc("urlquery", _builtin_urlquery, variadic_any),
        "print": GoFunc("print", sprint, variadic_any),
        "println": GoFunc("println", sprintln, variadic_any),
        "printf": GoFunc("printf", sprintf, GoSignature(("string",), variadic="interface {}")),
    }
    table.update(_comparisons(typed_comparison_errors))
    return table


BUILTINS_GO_1_23 = make_builtins(False)
BUILTINS_GO_1_25 = make_builtins(True)


# --- the executor --------------------------------------------------------------------------------


class Executor:
    """One execution (Go's `state`): output buffer, variable stack, the node being evaluated.

    With `reads` (a chartfix.helm.reuse.ReadLog), reports what the template reads, to decide which
    templates a changed value can affect: `reads.chain(receiver, fields)` for every field chain,
    `reads.assigning(pipe)` before an action that only assigns variables, `reads.condition(pipe)`
    before the condition of `if` and `with`, `reads.piped(pipe, value)` for every pipeline's value,
    `reads.truth(value)` for every argument of `and`/`or` (while `reads.testing`) and
    `reads.consume(value, True)` for every printed value (functions are wrapped by the caller, see
    TemplateSet.track_reads)."""

    __slots__ = (
        "trees", "funcs", "builtins", "missing_key", "tmpl_name", "node", "vars", "out", "reads", "budget"
    )  # fmt: skip

    def __init__(
        self,
        trees: dict[str, Any],
        funcs: dict[str, GoFunc],
        builtins: dict[str, GoFunc],
        missing_key: str,
        name: str,
        reads: Any = None,
    ) -> None:
        self.reads = reads
        self.trees = trees
        self.funcs = funcs
        self.builtins = builtins
        self.missing_key = missing_key
        self.tmpl_name = name
        self.node: Node | None = None
        self.vars: list[list[Any]] = []
        self.out: list[str] = []
        self.budget: _Budget | None = None  # set by run

    # --- errors ------------------------------------------------------------------------------------

    def errorf(self, message: str, position: Position | None = None, cause: list[str] | None = None) -> None:
        """exec.go errorf: `template: FILE:LINE:COL: executing "NAME" at <NODE>: MESSAGE`.

        cause: what a failing function returned, as the texts errors.Unwrap walks through (Go wraps
        it with %w); the error's `chain` is its own text followed by those."""
        raise self.error(message, position, cause)

    def error(
        self, message: str, position: Position | None = None, cause: list[str] | None = None
    ) -> TemplateExecError:
        node = self.node
        name = self.tmpl_name
        if node is None:
            go_message = f"template: {name}: {message}"
            here = Position(name)
        else:
            line, column = node.source.line_and_column(node.pos)
            go_message = (
                f"template: {node.source.name}:{line}:{column}: executing {go_quote(name)} "
                f"at <{node}>: {message}"
            )
            here = Position(node.source.name, line, column + 1)
        error = TemplateExecError(go_message, position or here)
        error.go_message = go_message
        error.template_name = name
        error.chain = [go_message, *(cause or ())]
        return error

    def limit_error(self, message: str) -> LimitExceeded:
        node = self.node
        if node is None:
            return LimitExceeded(message, Position(self.tmpl_name))
        line, column = node.source.line_and_column(node.pos)
        return LimitExceeded(message, Position(node.source.name, line, column + 1))

    # --- entry -------------------------------------------------------------------------------------

    def run(self, root: ListNode, data: Any) -> str:
        depth = getattr(_depth, "value", 0)
        if depth >= MAX_TEMPLATE_DEPTH:
            raise self.limit_error(f"template nesting deeper than {MAX_TEMPLATE_DEPTH} levels")
        if depth == 0:
            _budget.current = _Budget()
        self.budget = _budget.current
        _depth.value = depth + 1
        self.vars = [["$", data]]
        try:
            self.walk_list(data, root)
        except RecursionError:
            raise self.limit_error("template nesting too deep for the Python stack") from None
        finally:
            _depth.value = depth
        return "".join(self.out)

    # --- walking -----------------------------------------------------------------------------------

    def walk_list(self, dot: Any, body: ListNode) -> None:
        self.node = body
        out = self.out
        walk = self.walk
        for node in body.nodes:
            if node.__class__ is TextNode:
                self.node = node
                out.append(node.text)  # type: ignore[attr-defined]
            else:
                walk(dot, node)

    def walk(self, dot: Any, node: Node) -> None:
        self.node = node
        cls = node.__class__
        if cls is ActionNode:
            pipe = node.pipe  # type: ignore[attr-defined]
            if pipe.decl:
                if self.reads is not None:
                    self.reads.assigning(pipe)
                self.eval_pipeline(dot, pipe)
            else:
                value = self.eval_pipeline(dot, pipe)
                if value.__class__ is str and len(value) <= _LONG_OUTPUT and self.reads is None:
                    self.node = node
                    self.out.append(value)  # what print_value does with it
                else:
                    self.print_value(node, value)
        elif cls is IfNode:
            self.walk_if_or_with(False, dot, node)
        elif cls is ListNode:
            self.walk_list(dot, node)  # type: ignore[arg-type]
        elif cls is TextNode:
            self.out.append(node.text)  # type: ignore[attr-defined]
        elif cls is RangeNode:
            self.walk_range(dot, node)  # type: ignore[arg-type]
        elif cls is WithNode:
            self.walk_if_or_with(True, dot, node)
        elif cls is TemplateNode:
            self.walk_template(dot, node)  # type: ignore[arg-type]
        elif cls is BreakNode:
            raise _Break
        elif cls is ContinueNode:
            raise _Continue
        else:
            self.errorf(f"unknown node: {node}")

    def walk_if_or_with(self, is_with: bool, dot: Any, node: Any) -> None:
        vars_ = self.vars
        mark = len(vars_)
        try:
            if self.reads is not None:
                self.reads.condition(node.pipe)
            value = self.eval_pipeline(dot, node.pipe)
            if value if value.__class__ is bool else is_true(value):
                if is_with:
                    self.walk_list(value, node.list)
                else:
                    self.walk_list(dot, node.list)
            elif node.else_list is not None:
                self.walk_list(dot, node.else_list)
        finally:
            del vars_[mark:]

    def walk_range(self, dot: Any, node: RangeNode) -> None:
        self.node = node
        vars_ = self.vars
        mark = len(vars_)
        try:
            value = self.eval_pipeline(dot, node.pipe)
            if not self.range_over(value, node) and node.else_list is not None:
                self.walk_list(dot, node.else_list)
        except _Break:
            pass
        finally:
            del vars_[mark:]

    def range_over(self, value: Any, node: RangeNode) -> bool:
        """Runs the body for each element; False when there was none (so {{else}} runs)."""
        decl = node.pipe.decl
        body = node.list
        vars_ = self.vars
        mark = len(vars_)
        is_assign = node.pipe.is_assign
        first = decl[0].ident[0] if decl else ""
        second = decl[1].ident[0] if len(decl) > 1 else ""

        budget = self.budget

        def one_iteration(index: Any, elem: Any) -> None:
            budget.steps += 1
            if budget.steps % _CHECK_EVERY == 0:
                self.check_budget()
            if decl:
                if is_assign:
                    self.set_var(first, index if second else elem)
                else:
                    vars_[-1][1] = elem
            if second:
                if is_assign:
                    self.set_var(second, elem)
                else:
                    vars_[-2][1] = index
            try:
                self.walk_list(elem, body)
            except _Continue:
                pass
            finally:
                del vars_[mark:]

        cls = value.__class__
        if cls is list or cls is tuple:
            if not value:
                return False
            for i, elem in enumerate(value):
                one_iteration(GoInt(i), NIL_IFACE if elem is None else IfaceValue(elem))
            return True
        # Elements of []string, []int, map[string]string are not interfaces (error messages say so)
        concrete = (cls is GoSlice or cls is GoMap) and value.go_type in _CONCRETE_ELEMENTS
        if isinstance(value, dict):
            if not value:
                return False
            for key in sorted(value):
                elem = value[key]
                one_iteration(key, elem if concrete else NIL_IFACE if elem is None else IfaceValue(elem))
            return True
        if value is None:
            return False
        # Ranging over an integer came with Go 1.24's text/template (Helm 4); Go 1.23 (Helm 3) fails.
        if isinstance(value, int) and cls is not bool and self.builtins is not BUILTINS_GO_1_23:
            if len(decl) > 1:
                self.errorf(f"can't use {sprint(value)} to iterate over more than one variable")
            if value <= 0:
                return False
            for i in range(value):
                one_iteration(None, cls(i))
            return True
        if isinstance(value, (list, tuple)):
            if not value:
                return False
            for i, elem in enumerate(value):
                one_iteration(GoInt(i), elem if concrete else NIL_IFACE if elem is None else IfaceValue(elem))
            return True
        if isinstance(value, (bytes, bytearray)):
            if not value:
                return False
            for i, byte in enumerate(value):
                one_iteration(GoInt(i), GoInt(byte))
            return True
        self.errorf(f"range can't iterate over {sprint(value)}")
        return False

    def walk_template(self, dot: Any, node: TemplateNode) -> None:
        self.node = node
        tree = self.trees.get(node.name)
        if tree is None:
            self.errorf(f"template {go_quote(node.name)} not defined")
        depth = getattr(_depth, "value", 0)
        if depth >= MAX_TEMPLATE_DEPTH:
            raise self.limit_error(f"template nesting deeper than {MAX_TEMPLATE_DEPTH} levels")
        dot = self.eval_pipeline(dot, node.pipe)
        saved = (self.tmpl_name, self.vars)
        self.tmpl_name = node.name
        self.vars = [["$", dot]]
        _depth.value = depth + 1
        try:
            self.walk_list(dot, tree.root)
        finally:
            _depth.value = depth
            self.tmpl_name, self.vars = saved

    # --- variables ---------------------------------------------------------------------------------

    def set_var(self, name: str, value: Any) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        self.errorf(f"undefined variable: {name}")

    # --- evaluation --------------------------------------------------------------------------------

    def eval_pipeline(self, dot: Any, pipe: PipeNode | None) -> Any:
        if pipe is None:
            return None
        self.node = pipe
        value: Any = MISSING
        budget = self.budget
        funcs = self.funcs
        for command in pipe.cmds:
            budget.steps += 1
            if budget.steps % _CHECK_EVERY == 0:
                self.check_budget()
            args = command.args
            first = args[0]
            cls = first.__class__
            # exec.go evalCommand for the commonest commands; eval_command does the others
            if cls is IdentifierNode and (function := funcs.get(first.ident)) is not None:
                self.node = first
                value = self.eval_call(dot, function, False, command, first.ident, args, value)
            elif cls is FieldNode:
                self.node = first
                value = self.eval_field_chain(dot, dot, first, first.ident, args, value)
            elif cls is VariableNode:
                value = self.eval_variable_node(dot, first, args, value)
            else:
                value = self.eval_command(dot, command, value)
            cls = value.__class__
            if cls is IfaceValue:
                value = value.value
            elif cls is _NilInterface:
                value = None
        if pipe.decl:
            if pipe.is_assign:
                for variable in pipe.decl:
                    self.set_var(variable.ident[0], value)
            else:
                for variable in pipe.decl:
                    self.vars.append([variable.ident[0], value])
        if self.reads is not None:
            self.reads.piped(pipe, value)
        return value

    def not_a_function(self, args: list[Node], final: Any) -> None:
        if len(args) > 1 or final is not MISSING:
            self.errorf(f"can't give argument to non-function {args[0]}")

    def eval_command(self, dot: Any, command: Any, final: Any) -> Any:
        """exec.go evalCommand for the commands eval_pipeline leaves to it (which counts the step)."""
        args = command.args
        first = args[0]
        cls = first.__class__
        if cls is IdentifierNode:
            return self.eval_function(dot, first, command, args, final)
        if cls is ChainNode:
            return self.eval_chain_node(dot, first, args, final)
        if cls is PipeNode:
            self.not_a_function(args, final)
            return self.eval_pipeline(dot, first)
        self.node = first
        self.not_a_function(args, final)
        if cls is StringNode:
            return first.text
        if cls is DotNode:
            return dot
        if cls is BoolNode:
            return first.value
        if cls is NumberNode:
            return self.ideal_constant(first)
        if cls is NilNode:
            self.errorf("nil is not a command")
        self.errorf(f"can't evaluate command {go_quote(str(first))}")

    def ideal_constant(self, constant: NumberNode) -> Any:
        self.node = constant
        text = constant.text
        if constant.is_complex:
            return constant.complex128
        if (
            constant.is_float
            and not _is_hex_int(text)
            and not text.startswith("'")
            and any(c in text for c in ".eEpP")
        ):
            return constant.float64
        if constant.is_int:
            return GoInt(constant.int64)
        if constant.is_uint:
            self.errorf(f"{text} overflows int")
        return None

    def eval_chain_node(self, dot: Any, chain: ChainNode, args: list[Node] | None, final: Any) -> Any:
        self.node = chain
        if not chain.field:
            self.errorf("internal error: no fields in evalChainNode")
        if chain.node.__class__ is NilNode:
            self.errorf(f"indirection through explicit nil in {chain}")
        receiver = self.eval_arg(dot, None, chain.node)
        return self.eval_field_chain(dot, receiver, chain, chain.field, args, final)

    def eval_variable_node(
        self, dot: Any, variable: VariableNode, args: list[Node] | None, final: Any
    ) -> Any:
        self.node = variable
        name = variable.ident[0]
        for entry in reversed(self.vars):
            if entry[0] == name:
                value = entry[1]
                break
        else:
            self.errorf(f"undefined variable: {name}")
        if len(variable.ident) == 1:
            if final is not MISSING or (args is not None and len(args) > 1):
                self.not_a_function(args or [variable], final)
            return value
        return self.eval_field_chain(dot, value, variable, variable.ident[1:], args, final)

    def eval_field_chain(
        self, dot: Any, receiver: Any, node: Node, ident: list[str], args: list[Node] | None, final: Any
    ) -> Any:
        """exec.go evalFieldChain + evalField. `iface`: the receiver's static type is interface {}.
        With read tracking, reports the chain read (even when it fails)."""
        start = receiver
        try:
            iface = False
            cls = receiver.__class__
            if cls is IfaceValue:
                receiver = receiver.value
                iface = True
            elif cls is _NilInterface:
                receiver = None
                iface = True
            last = len(ident) - 1
            for i, name in enumerate(ident):
                if receiver is None:
                    if iface:
                        self.errorf(f"nil pointer evaluating interface {{}}.{name}")
                    if self.missing_key == "error":
                        self.errorf(f"nil data; no entry for key {go_quote(name)}")
                    return None
                cls = receiver.__class__
                # A map[string]interface {}: GoMap has no methods, and eval_field gives the same.
                if cls is dict or (cls is GoMap and receiver.go_type != "map[string]string"):
                    if i == last and ((args is not None and len(args) > 1) or final is not MISSING):
                        self.errorf(f"{name} is not a method but has arguments")
                    value = receiver.get(name, _ABSENT)
                    if value is _ABSENT:
                        value = self.missing_map_key(name)
                        if value is _ABSENT:
                            return None
                    receiver = value
                    iface = True
                elif i == last:
                    receiver, iface = self.eval_field(dot, name, node, args, final, receiver, iface)
                else:
                    receiver, iface = self.eval_field(dot, name, node, None, MISSING, receiver, iface)
            if receiver is None and iface:
                return NIL_IFACE
            return receiver
        finally:
            if self.reads is not None:
                self.reads.chain(start.value if start.__class__ is IfaceValue else start, ident)

    def missing_map_key(self, name: str) -> Any:
        mode = self.missing_key
        if mode == "zero":
            return None
        if mode == "error":
            self.errorf(f"map has no entry for key {go_quote(name)}")
        return _ABSENT

    def eval_field(
        self,
        dot: Any,
        name: str,
        node: Node,
        args: list[Node] | None,
        final: Any,
        receiver: Any,
        iface: bool,
    ) -> tuple[Any, bool]:
        """One field step on a non-nil receiver other than a plain dict: (value, static iface)."""
        method = _find_method(receiver, name)
        if method is not None:
            return self.eval_call(dot, method, False, node, name, args, final), False
        has_args = (args is not None and len(args) > 1) or final is not MISSING
        if isinstance(receiver, GoStruct):
            try:
                value = receiver.go_field(name)
            except KeyError:
                pass
            else:
                if has_args:
                    self.errorf(f"{name} has arguments but cannot be invoked as function")
                return value, value is None
        elif isinstance(receiver, dict):
            if has_args:
                self.errorf(f"{name} is not a method but has arguments")
            concrete = receiver.__class__ is GoMap and receiver.go_type == "map[string]string"
            value = receiver.get(name, _ABSENT)
            if value is _ABSENT:
                value = self.missing_map_key(name)
                if value is _ABSENT:
                    return None, False
                if concrete:
                    return "", False  # the zero value of the map's element type string
            return value, not concrete
        static = "interface {}" if iface else type_name(receiver)
        self.errorf(f"can't evaluate field {name} in type {static}")
        raise AssertionError("unreachable")

    def eval_function(
        self, dot: Any, node: IdentifierNode, command: Node, args: list[Node] | None, final: Any
    ) -> Any:
        self.node = node
        name = node.ident
        function = self.funcs.get(name)
        is_builtin = False
        if function is None:
            function = self.builtins.get(name)
            is_builtin = True
            if function is None:
                self.errorf(f"{go_quote(name)} is not a defined function")
        return self.eval_call(dot, function, is_builtin, command, name, args, final)

    def eval_call(
        self,
        dot: Any,
        function: GoFunc,
        is_builtin: bool,
        node: Node,
        name: str,
        args: list[Node] | None,
        final: Any,
    ) -> Any:
        """exec.go evalCall. `args`: the command's nodes, the function's own first."""
        signature = function.signature
        params = signature.params
        variadic = signature.variadic
        num_params = len(params)
        num_args = len(args) - 1 if args else 0
        num_in = num_args + (final is not MISSING)
        if num_in < num_params if variadic is not None else num_in != num_params:
            self.arity_error(signature, name, num_args, num_in)
        if is_builtin and (name == "and" or name == "or"):
            return self.eval_and_or(dot, name, args, num_args, final)

        argv: list[Any] = []
        if num_args:
            eval_arg = self.eval_arg
            for i in range(num_args):
                argv.append(eval_arg(dot, params[i] if i < num_params else variadic, args[i + 1]))  # type: ignore[index]
        if final is not MISSING:
            typ = params[num_args] if num_args < num_params else variadic
            if typ == _VALUE:
                argv.append(final)
            elif typ == "interface {}":
                argv.append(_strip(final))
            else:
                argv.append(self.validate_type(final, typ))
        if not is_builtin:
            if _VALUE in params or variadic == _VALUE:
                argv = [_strip(value) for value in argv]
        elif name == "call":
            return self.builtin_call(node, args[1:] if args else [], final, argv)

        try:
            return function.impl(*argv)
        except (GoFuncError, GoPanic) as failure:
            self.node = node
            self.errorf(
                f"error calling {name}: {failure}", getattr(failure, "position", None), [str(failure)]
            )
        except TemplateExecError as inner:
            self.node = node
            inner_message = getattr(inner, "go_message", inner.message)
            cause = getattr(inner, "chain", None) or [inner_message]
            self.errorf(f"error calling {name}: {inner_message}", inner.position, cause)
        except LimitExceeded as limit:
            if limit.position is None or not limit.position.line:
                self.node = node
                limit.position = self.limit_error("").position
            raise
        except RecursionError:
            raise
        except ChartfixError as other:
            self.node = node
            self.errorf(f"error calling {name}: {other.message}", other.position, [other.message])

    def arity_error(self, signature: GoSignature, name: str, num_args: int, num_in: int) -> None:
        if signature.variadic is not None:
            self.errorf(
                f"wrong number of args for {name}: want at least {len(signature.params)} got {num_args}"
            )
        self.errorf(f"wrong number of args for {name}: want {len(signature.params)} got {num_in}")

    def eval_and_or(self, dot: Any, name: str, args: list[Node] | None, num_args: int, final: Any) -> Any:
        """The builtins and/or, which evaluate their arguments only until the result is known. With
        read tracking, what they test the truth of is read (see eval_arg)."""
        reads = self.reads
        if reads is not None:
            if final is not MISSING:
                reads.truth(final.value if final.__class__ is IfaceValue else final)
            reads.testing += 1
        try:
            want = name == "or"
            value: Any = None
            for i in range(num_args):
                value = self.eval_arg(dot, _VALUE, args[i + 1])  # type: ignore[index]
                if _truth(value) == want:
                    return value
            if final is not MISSING:
                value = final  # validate_type(final, reflect.Value) is final
            return value
        finally:
            if reads is not None:
                reads.testing -= 1

    def builtin_call(self, node: Node, args: list[Node], final: Any, argv: list[Any]) -> Any:
        """funcs.go call: `call fn args...`, checked against fn's signature."""
        callee_name = str(args[0]) if args else "<reflect.Value>"
        function = _strip(argv[0])
        try:
            if function is None:
                raise GoFuncError("call of nil")
            if not isinstance(function, GoFunc):
                raise GoFuncError(f"non-function {callee_name} of type {type_name(function)}")
            params = function.signature.params
            variadic = function.signature.variadic
            call_args = [_strip(value) for value in argv[1:]]
            if variadic is not None:
                if len(call_args) < len(params):
                    raise GoFuncError(
                        f"wrong number of args for {callee_name}: got {len(call_args)} want at least {len(params)}"
                    )
            elif len(call_args) != len(params):
                raise GoFuncError(
                    f"wrong number of args for {callee_name}: got {len(call_args)} want {len(params)}"
                )
            for i, value in enumerate(call_args):
                typ = params[i] if i < len(params) else variadic
                assert typ is not None
                if value is None:
                    if not _can_be_nil(typ):
                        raise GoFuncError(f"arg {i}: value is nil; should be of type {typ}")
                elif not _assignable(value, typ):
                    raise GoFuncError(f"arg {i}: value has type {type_name(value)}; should be {typ}")
            return function.impl(*call_args)
        except (GoFuncError, GoPanic) as failure:
            self.node = node
            self.errorf(f"error calling call: {failure}", cause=[str(failure)])

    def validate_type(self, value: Any, typ: str | None) -> Any:
        """exec.go validateType; keeps the markers for reflect.Value parameters (builtins)."""
        if value is None:
            if typ is None or _can_be_nil(typ):
                return None
            self.errorf(f"invalid value; expected {typ}")
        if typ is None or typ == _VALUE:
            return value
        cls = value.__class__
        if cls is _NilInterface:
            if typ == "interface {}":
                return None
            self.errorf(f"wrong type for value; expected {typ}; got interface {{}}")
        if cls is IfaceValue:
            value = value.value
        if not _assignable(value, typ):
            self.errorf(f"wrong type for value; expected {typ}; got {type_name(value)}")
        return value

    def eval_arg(self, dot: Any, typ: str | None, node: Node) -> Any:
        """exec.go evalArg. With read tracking, inside and/or (`reads.testing`) the value is read."""
        self.node = node
        cls = node.__class__
        if cls is FieldNode:
            value = self.eval_field_chain(dot, dot, node, node.ident, None, MISSING)  # type: ignore[attr-defined]
        elif cls is VariableNode:
            value = self.eval_variable_node(dot, node, None, MISSING)  # type: ignore[arg-type]
        elif cls is DotNode:
            value = dot
        elif cls is PipeNode:
            value = self.eval_pipeline(dot, node)  # type: ignore[arg-type]
        elif cls is IdentifierNode:
            value = self.eval_function(dot, node, node, None, MISSING)  # type: ignore[arg-type]
        elif cls is ChainNode:
            value = self.eval_chain_node(dot, node, None, MISSING)  # type: ignore[arg-type]
        elif cls is StringNode and (typ == "string" or typ == "interface {}" or typ == _VALUE):
            value = node.text  # type: ignore[attr-defined]
            typ = None  # a constant is not validated
        elif cls is NumberNode and typ == "int" and node.is_int:  # type: ignore[attr-defined]
            value = GoInt(node.int64)  # type: ignore[attr-defined]
            typ = None
        else:
            value = self.eval_constant(typ, node)
            typ = None
        # validate_type, which is the identity for reflect.Value and strips the markers for interface {}
        if typ is not None and typ != _VALUE:
            value = _strip(value) if typ == "interface {}" else self.validate_type(value, typ)
        reads = self.reads
        if reads is not None and reads.testing:
            reads.truth(value.value if value.__class__ is IfaceValue else value)
        return value

    def eval_constant(self, typ: str | None, node: Node) -> Any:
        """The rest of exec.go evalArg: a constant (or nil) given for a parameter of type `typ`."""
        cls = node.__class__
        if cls is NilNode:
            if _can_be_nil(typ):
                return None
            self.errorf(f"cannot assign nil to {typ}")
        if typ == "interface {}" or typ == _VALUE:
            if cls is StringNode:
                return node.text  # type: ignore[attr-defined]
            if cls is NumberNode:
                return self.ideal_constant(node)  # type: ignore[arg-type]
            if cls is BoolNode:
                return node.value  # type: ignore[attr-defined]
            self.errorf(f"can't handle assignment of {node} to empty interface argument")
        if typ == "string":
            if cls is StringNode:
                return node.text  # type: ignore[attr-defined]
            self.errorf(f"expected string; found {node}")
        if typ in _SIGNED_INT_TYPES:
            if cls is NumberNode and node.is_int:  # type: ignore[attr-defined]
                value = node.int64  # type: ignore[attr-defined]
                return GoInt(value) if typ == "int" else value
            self.errorf(f"expected integer; found {node}")
        if typ in _UNSIGNED_INT_TYPES:
            if cls is NumberNode and node.is_uint:  # type: ignore[attr-defined]
                return node.uint64  # type: ignore[attr-defined]
            self.errorf(f"expected unsigned integer; found {node}")
        if typ == "float64":
            if cls is NumberNode and node.is_float:  # type: ignore[attr-defined]
                return node.float64  # type: ignore[attr-defined]
            self.errorf(f"expected float; found {node}")
        if typ == "bool":
            if cls is BoolNode:
                return node.value  # type: ignore[attr-defined]
            self.errorf(f"expected bool; found {node}")
        self.errorf(f"can't handle {node} for arg of type {typ}")

    def check_budget(self) -> None:
        """Stop hostile templates: too many steps or too much output."""
        budget = self.budget
        if budget.steps > MAX_STEPS:
            raise self.limit_error(
                f"templates ran more than {MAX_STEPS} steps (range iterations and commands)"
            )
        if budget.printed + sum(map(len, self.out)) > MAX_OUTPUT_CHARS:
            raise self.limit_error(f"templates printed more than {MAX_OUTPUT_CHARS} characters")

    def print_value(self, node: Node, value: Any) -> None:
        if self.reads is not None:
            self.reads.consume(value, True)
        self.node = node
        if value.__class__ is str:
            if len(value) > _LONG_OUTPUT:
                budget = self.budget
                budget.printed += len(value)
                if budget.printed > MAX_OUTPUT_CHARS:
                    raise self.limit_error(f"templates printed more than {MAX_OUTPUT_CHARS} characters")
            self.out.append(value)
        elif value is None:
            self.out.append("<no value>")
        elif isinstance(value, GoFunc):
            self.errorf(f"can't print {node} of type {type_name(value)}")
        else:
            self.out.append(sprint_indirect(value))


# Go types of reflect.Int* / reflect.Uint* kinds that template functions take (time.Duration is an int64).
_SIGNED_INT_TYPES = frozenset(("int", "int64", "int32", "int16", "int8", "time.Duration"))
_UNSIGNED_INT_TYPES = frozenset(("uint", "uint64", "uint32", "uint16", "uint8"))


def _is_hex_int(text: str) -> bool:
    return len(text) > 2 and text[0] == "0" and text[1] in "xX" and not any(c in text for c in "pP")


class TracingExecutor(Executor):
    """An Executor that also records, for each piece of output, the node of the executed file that
    produced it: a text node, or the action (an `include`, a value) or `{{template}}` call that printed
    it. Lets findings point at the template line behind any rendered document."""

    __slots__ = ("origins", "call_site")

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.origins: list[Node] = []  # parallel to self.out
        self.call_site: Node | None = None  # the outermost {{template}} call being executed

    def _record(self, node: Node) -> None:
        missing = len(self.out) - len(self.origins)
        if missing:
            self.origins.extend([self.call_site or node] * missing)

    def walk_list(self, dot: Any, body: ListNode) -> None:
        self.node = body
        out = self.out
        origins = self.origins
        for node in body.nodes:
            if node.__class__ is TextNode:
                self.node = node
                out.append(node.text)  # type: ignore[attr-defined]
                if len(out) != len(origins):
                    self._record(node)
            else:
                self.walk(dot, node)
                if len(out) != len(origins):
                    self._record(node)

    def walk_template(self, dot: Any, node: TemplateNode) -> None:
        outermost = self.call_site is None
        if outermost:
            self.call_site = node
        try:
            Executor.walk_template(self, dot, node)
        finally:
            if outermost:
                self.call_site = None
