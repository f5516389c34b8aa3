"""Rendering a chart again with other values, executing only the templates the change can affect.

Linting renders a chart once per values scenario, and a scenario usually changes a few values. The
first (tracked) render records, per top-level template, which `.Values` paths its execution read,
through any `include`, `tpl` or `template` (`ReadLog`). A later render with the same templates and
the same charts enabled reuses a template's output unless one of its paths overlaps a changed one.
Everything else a template sees (.Release, .Capabilities, .Chart, .Files, `lookup`) is the same in
every scenario of one lint.

What counts as reading, conservatively:
- a field chain (`.Values.a.b`, `$x.b`, `.ctx.Values.a`) reads the path where it ends, unless it
  ends on a map;
- a values map whose truth is tested (the condition of `if` or `with`, an argument of `and`,
  `or`, `not`, `empty`, `default` or `coalesce`) reads only whether it is empty: those return the
  map itself or a truth value, and what is done with the map afterwards reads the rest;
- a values map that is printed, is the value of another pipeline (range, an action) or is passed
  to any other function but `include`, `tpl`, `dict` and `list`, is read whole;
- a chart's data (`.`, `$`) printed or passed to such a function (also inside lists and dicts built
  by the template) reads all values;
- `index`, `get`, `dig` and `hasKey` with string keys read only the path they look up;
- assigning to a variable reads nothing: what is then done with the variable does.

Functions whose result differs between runs (random passwords, the time) are no exception: a
template that reads no changed value has the same possible outputs with the new values, and the
reused one is one of them, as another run of Helm would give another.

Templates that change values in place (`set`, `unset`, `merge` on a values map) make later
templates see other values. The tracked render notes which paths changed (Snapshot.changes), and a
later render executes again every template that reads one of them. Those that changed them are
among these: a function's arguments are read, and so is the map it changes, or the list around it,
on the way to it. What the templates executed again change is checked after the render as well: if
it reaches a template whose output was reused (a change the tracked render did not make), the
whole chart is rendered again without reuse. A template that changes the chart data itself (an
entry of `.` or `$`, `.Release`) leaves no memo.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chartfix.go.template import TemplateSet
from chartfix.go.template.executor import IfaceValue
from chartfix.go.types import GoFunc, GoInt, GoMap, deep_copy, exact_bytes, from_exact_bytes, value_at
from chartfix.records import field, record

Path = tuple[str, ...]
# The reads of a template that was not executed in the tracked render: never reusable.
FRESH: Path = ("\x00fresh",)
# The last element of a path whose map is read only for whether it is empty (see ChangeSet).
EMPTINESS = "\x00emptiness"
# Functions that only pass their arguments on without reading them.
_PASS_THROUGH = frozenset({"include", "tpl", "dict", "list"})
# Functions that read only the truth of their map arguments (and may return the map itself).
_TRUTH_ONLY = frozenset({"not", "empty", "default", "coalesce"})
# Values that hold no map: most function arguments and printed values, which need no scan.
_SCALARS = frozenset((str, int, GoInt, float, bool, type(None)))


class ReadLog:
    """The values paths each executed template reads. `start(name)` before executing a top-level
    template; `paths` then holds the reads of each one."""

    def __init__(self, values: dict[str, Any], datas: Iterable[tuple[dict[str, Any], Path]]) -> None:
        self._paths: dict[int, list[Path]] = {}
        self._register(values, ())
        self._datas: set[int] = set()
        for data, scope in datas:
            self._datas.add(id(data))
            scoped = data.get("Values")
            if isinstance(scoped, dict) and id(scoped) not in self._paths:
                self._register(scoped, scope)  # a subchart whose values are not a map gets its own
        self.paths: dict[str, set[Path]] = {}
        self._current: set[Path] = set()
        self._assigning: Any = None
        self._condition: Any = None
        self.testing = 0  # inside `and`/`or`, whose arguments' truth counts

    def _register(self, tree: dict[str, Any], path: Path) -> None:
        stack = [(tree, path)]
        while stack:
            node, where = stack.pop()
            known = self._paths.setdefault(id(node), [])
            if where in known:
                continue
            known.append(where)  # a map shared by two paths counts for both
            for key, value in node.items():
                if isinstance(value, dict):
                    stack.append((value, (*where, key)))

    def start(self, name: str) -> None:
        self._current = self.paths.setdefault(name, set())

    def chain(self, receiver: Any, fields: list[str] | tuple[Any, ...], always: bool = False) -> None:
        """A lookup of `fields` in `receiver`. One that ends on a values map reads nothing yet (a
        variable can hold it): what is done with it then reads it (see consume), unless `always`."""
        paths = self._paths.get(id(receiver)) if isinstance(receiver, dict) else None
        suffix: list[str] = []
        current = receiver
        for name in fields:
            if not isinstance(current, dict):
                break
            current = current.get(name)
            if paths is not None:
                suffix.append(name)
            elif isinstance(current, dict):
                paths = self._paths.get(id(current))
        if paths is not None and (always or not (isinstance(current, dict) and id(current) in self._paths)):
            self._current.update((*path, *suffix) for path in paths)

    def assigning(self, pipe: Any) -> None:
        """The next value of `pipe` only goes into variables (what is done with them reads)."""
        self._assigning = pipe

    def condition(self, pipe: Any) -> None:
        """Only the truth of the next value of `pipe` counts (the condition of `if` or `with`)."""
        self._condition = pipe

    def piped(self, pipe: Any, value: Any) -> None:
        if pipe is self._condition:
            self.truth(value)
        elif pipe is not self._assigning:
            self.consume(value)

    def truth(self, value: Any) -> None:
        """Whether `value` is empty is read: for a values map, only that (maps of other origins and
        other values are empty or not whatever the values)."""
        if isinstance(value, dict):
            paths = self._paths.get(id(value))
            if paths is not None:
                self._current.update((*path, EMPTINESS) for path in paths)

    def consume(self, value: Any, printed: bool = False) -> None:
        if printed:
            if value.__class__ not in _SCALARS:
                self._scan(value, set())
        elif isinstance(value, dict):
            paths = self._paths.get(id(value))
            if paths is not None:
                self._current.update(paths)

    def _scan(self, value: Any, seen: set[int]) -> None:
        """Record every values map and chart data in `value` (through the maps and lists around)."""
        stack = [value]
        while stack:
            value = stack.pop()
            if value.__class__ is IfaceValue:
                value = value.value
            if isinstance(value, dict):
                if id(value) in seen:
                    continue
                seen.add(id(value))
                paths = self._paths.get(id(value))
                if paths is not None:
                    self._current.update(paths)
                elif id(value) in self._datas:
                    self._current.add(())
                else:
                    stack.extend(value.values())
            elif isinstance(value, (list, tuple)):
                if id(value) in seen:
                    continue
                seen.add(id(value))
                stack.extend(value)

    def wrap(self, name: str, function: GoFunc) -> GoFunc:
        if name in _PASS_THROUGH:
            return function
        impl = function.impl
        current = self

        if name in _TRUTH_ONLY:

            def truth_only(*args: Any) -> Any:
                for arg in args:
                    if arg.__class__ is IfaceValue:
                        arg = arg.value
                    if isinstance(arg, dict) and id(arg) in current._paths:
                        current.truth(arg)
                    elif arg.__class__ not in _SCALARS:
                        current._scan(arg, set())
                return impl(*args)

            return GoFunc(function.name, truth_only, function.signature)

        lookup = _LOOKUPS.get(name)
        if lookup is not None:

            def looking_up(*args: Any) -> Any:
                args = tuple(a.value if a.__class__ is IfaceValue else a for a in args)
                found = lookup(args)
                if found is None:
                    current._scan(args, set())
                else:
                    receiver, keys, others = found
                    current.chain(receiver, keys, always=name == "hasKey")
                    current._scan(others, set())
                return impl(*args)

            return GoFunc(function.name, looking_up, function.signature)

        def reading(*args: Any) -> Any:
            for arg in args:
                if arg.__class__ not in _SCALARS:
                    current._scan(args, set())
                    break
            return impl(*args)

        return GoFunc(function.name, reading, function.signature)


def _index(args: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...], tuple[Any, ...]] | None:
    if len(args) < 2 or not all(isinstance(key, str) for key in args[1:]):
        return None
    return args[0], args[1:], ()


def _dig(args: tuple[Any, ...]) -> tuple[Any, tuple[Any, ...], tuple[Any, ...]] | None:
    if len(args) < 3 or not all(isinstance(key, str) for key in args[:-2]):
        return None
    return args[-1], args[:-2], (args[-2],)


# Functions that look keys up in a map: (receiver, keys, other arguments) of their arguments, or
# None when they are not plain string keys; they read only that path (hasKey: that key's presence).
_LOOKUPS = {
    "index": _index,
    "get": lambda args: (args[0], args[1:], ()) if len(args) == 2 and isinstance(args[1], str) else None,
    "hasKey": lambda args: (args[0], args[1:], ()) if len(args) == 2 and isinstance(args[1], str) else None,
    "dig": _dig,
}


def changed_paths(old: Any, new: Any, path: Path = ()) -> list[Path]:
    """The paths where two values trees differ (a whole subtree when it is not a map in both)."""
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[Path] = []
        for key in old.keys() | new.keys():
            if key not in old or key not in new:
                found.append((*path, key))
                continue
            before, after = old[key], new[key]
            if before.__class__ is dict and after.__class__ is dict:
                frozen = exact_bytes(before)  # most subtrees are the same: compared in C
                if frozen is not None and frozen == exact_bytes(after):
                    continue
            found += changed_paths(before, after, (*path, key))
        return found
    return [] if _same_value(old, new) else [path]


def _same_value(old: Any, new: Any) -> bool:
    """Equal as Go values: of the same types all the way down (Python's == takes True, 1 and 1.0
    for one another, also inside lists)."""
    if old is new:
        return True
    if old.__class__ is not new.__class__:
        return False
    if isinstance(old, (list, tuple)):
        return len(old) == len(new) and all(_same_value(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict):
        return old.keys() == new.keys() and all(_same_value(old[key], new[key]) for key in old)
    return bool(old == new)


class ChangeSet:
    """Whether a read path overlaps any changed path (one is a prefix of the other).

    A read of a map's emptiness (EMPTINESS last) is touched when the map is replaced, or when it
    has a changed key and goes from empty to not empty or back. With the values before and after
    (`trees`), that is compared; without them, and for changes templates made in place
    (`in_place`, whose later states are not known), any changed key counts."""

    def __init__(
        self,
        changed: list[Path],
        trees: tuple[dict[str, Any], dict[str, Any]] | None = None,
        in_place: Iterable[Path] = (),
    ) -> None:
        self._changed = set(changed)
        self._changed.update(in_place)
        self._prefixes = {path[:i] for path in self._changed for i in range(len(path) + 1)}
        self._parents = {path[:-1] for path in self._changed if path}
        self._trees = trees
        self._unknown_parents = self._parents if trees is None else {path[:-1] for path in in_place if path}
        self._emptiness_changed: dict[Path, bool] = {}

    @classmethod
    def between(
        cls, before: dict[str, Any], after: dict[str, Any], in_place: Iterable[Path] = ()
    ) -> ChangeSet:
        """The changes from the values `before` to `after`, and the paths templates change in place."""
        return cls(changed_paths(before, after), (before, after), in_place)

    def touches(self, reads: set[Path]) -> bool:
        prefixes, changed = self._prefixes, self._changed
        for path in reads:
            if path in prefixes or path == FRESH:
                return True
            for i in range(len(path)):  # a loop, not any(): a template can read thousands of paths
                if path[:i] in changed:
                    return True
            if path and path[-1] == EMPTINESS and path[:-1] in self._parents and self._emptiness(path[:-1]):
                return True
        return False

    def _emptiness(self, path: Path) -> bool:
        """Whether the map at `path` (which has a changed key) can be empty in one render and not in
        the other."""
        if path in self._unknown_parents or self._trees is None:
            return True
        found = self._emptiness_changed.get(path)
        if found is None:
            before, after = (value_at(tree, path) for tree in self._trees)
            found = not (isinstance(before, dict) and isinstance(after, dict) and bool(before) == bool(after))
            self._emptiness_changed[path] = found
        return found


@record
class RenderMemo:
    """What a tracked render leaves for renders of the same chart with other values."""

    signature: tuple  # the charts and templates rendered; reuse needs the same
    template_set: TemplateSet  # parsed once, shared
    values: dict[str, Any]  # a copy of the values the render saw
    outputs: dict[str, str] = field(default_factory=dict)
    origins: dict[str, list] = field(default_factory=dict)
    reads: dict[str, set[Path]] = field(default_factory=dict)
    # The values paths templates changed in place (see the module docstring).
    changed: list[Path] = field(default_factory=list)


class Snapshot:
    """The values and the chart data before a render, to see what templates changed in them.

    The values (and each chart's `.Values`) are kept as `marshal` bytes, which C writes quickly:
    after most renders the bytes are the same, and nothing is compared further. Values marshal cannot
    write (none come from YAML or JSON, but templates may put other objects in) are deep-copied."""

    def __init__(self, values: dict[str, Any], datas: list[tuple[dict[str, Any], Path]]) -> None:
        memo: dict[int, Any] = {}  # deep copies below: a part several trees share is copied once
        # Per chart data: the data, its entries before (Release by value, the others by identity)
        # and the path of its values in the top chart's values.
        self._datas = [(data, _entries(data, memo), scope) for data, scope in datas]
        # Each chart's `.Values` too: the engine's named-map copy of it is what `set` can change.
        scoped = [data.get("Values") for data, _ in datas]
        self._frozen = exact_bytes((values, [_unnamed(tree) for tree in scoped]))
        self._copies: tuple[dict[str, Any], list[Any]] | None = None
        if self._frozen is None:
            self._copies = (deep_copy(values, memo), [deep_copy(tree, memo) for tree in scoped])

    def _before(self) -> tuple[dict[str, Any], list[Any]]:
        if self._copies is not None:
            return self._copies
        values, scoped = from_exact_bytes(self._frozen)  # type: ignore[arg-type]
        return values, scoped

    @property
    def values(self) -> dict[str, Any]:
        """The values before the render (a copy)."""
        return self._before()[0]

    def changes(self, values: dict[str, Any]) -> list[Path] | None:
        """The values paths templates changed in place since the snapshot (each chart's `.Values`
        under its path), or None when they changed the chart data itself (added, removed or replaced
        an entry such as `.Values`, or changed `.Release`)."""
        for data, entries, _ in self._datas:
            if not _same_entries(data, entries):
                return None
        now = (values, [_unnamed(data.get("Values")) for data, _, _ in self._datas])
        if self._frozen is not None and exact_bytes(now) == self._frozen:
            return []
        old_values, old_scoped = self._before()
        found = set(changed_paths(old_values, values))
        for (data, _, scope), scoped_values in zip(self._datas, old_scoped, strict=True):
            found.update((*scope, *path) for path in changed_paths(scoped_values, data.get("Values")))
        return sorted(found)


def _unnamed(tree: Any) -> Any:
    """A chart's `.Values` as a plain map: the engine wraps it in a named map type (GoMap), which
    marshal does not write."""
    return dict(tree) if tree.__class__ is GoMap else tree


def _entries(data: dict[str, Any], memo: dict[int, Any]) -> dict[str, Any]:
    return {
        key: (deep_copy(value, memo) if key == "Release" else id(value))
        for key, value in data.items()
        if key != "Template"  # set per template by the engine
    }


def _same_entries(data: dict[str, Any], before: dict[str, Any]) -> bool:
    if len(data) - ("Template" in data) != len(before):
        return False
    for key, value in data.items():
        if key == "Template":
            continue
        if key not in before:
            return False
        if not (value == before[key] if key == "Release" else id(value) == before[key]):
            return False
    return True
