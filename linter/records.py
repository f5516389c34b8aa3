"""Record classes: the part of `dataclasses` chartfix uses, without generating code at import.

On Python 3.11 `@dataclass` writes each class's `__init__`, `__repr__`, `__eq__` (and `__hash__`,
`__setattr__`, `__delattr__` when frozen) as source text and compiles it while the module is
imported: for chartfix's 65 record classes that was a fifth of a one-chart `chartfix lint`. Here the
methods are shared functions that read the class's field table, so importing a record class costs
what any class costs. The semantics follow dataclasses for what chartfix uses: fields in annotation
order (inherited ones first), defaults and `field(default_factory=..., repr=False)`, keyword or
positional construction, `__post_init__`, equality between instances of the same class, frozen
records that refuse assignment and hash by value, `replace` and `fields`.
"""

from __future__ import annotations

import reprlib
import sys
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import Any, TypeVar

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # Python 3.10: type checkers are told through typing_extensions, which chartfix does not need

    def dataclass_transform(**_: Any) -> Callable[[Any], Any]:
        return lambda decorated: decorated


R = TypeVar("R")
_NO_DEFAULT: Any = object()


class Field:
    """What `field()` declares: a default value or a factory for one, and whether repr shows it."""

    __slots__ = ("default", "default_factory", "repr")

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, repr: bool) -> None:
        self.default = default
        self.default_factory = default_factory
        self.repr = repr


def field(
    *, default: Any = _NO_DEFAULT, default_factory: Callable[[], Any] | None = None, repr: bool = True
) -> Any:
    """A record field with a default (a mutable one through `default_factory`) or hidden from repr."""
    return Field(default, default_factory, repr)


class _Table:
    """A record class's fields: names in order, the ones repr shows, and how missing ones are filled."""

    __slots__ = ("specs", "names", "shown", "defaults", "factories")

    def __init__(self, fields: dict[str, Field]) -> None:
        self.specs = fields  # what a subclass's table starts from
        self.names = tuple(fields)
        self.shown = tuple(name for name, spec in fields.items() if spec.repr)
        self.defaults = {
            name: spec.default for name, spec in fields.items() if spec.default is not _NO_DEFAULT
        }
        self.factories = tuple(
            (name, spec.default_factory) for name, spec in fields.items() if spec.default_factory is not None
        )


def _own_fields(cls: type) -> dict[str, Field]:
    """The fields a class body declares: annotated names that are not ClassVars."""
    declared: dict[str, Field] = {}
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if "ClassVar" in str(annotation):
            continue
        value = cls.__dict__.get(name, _NO_DEFAULT)
        if isinstance(value, Field):
            declared[name] = value
            if value.default is _NO_DEFAULT:
                delattr(cls, name)  # a factory-made default: instances always carry their own
            else:
                setattr(cls, name, value.default)
        else:
            declared[name] = Field(value, None, True)
    return declared


def _build_table(cls: type) -> _Table:
    merged: dict[str, Field] = {}
    for base in reversed(cls.__mro__[1:]):
        inherited = base.__dict__.get("__record_table__")
        if inherited is not None:
            merged.update(inherited.specs)
    merged.update(_own_fields(cls))
    return _Table(merged)


def _initializer(cls: type, table: _Table) -> Callable[..., None]:
    """The `__init__` of a record class: a closure over its field table (no generated source). The
    values go into the instance's `__dict__` in one update, which frozen records allow too."""
    names, defaults, factories = table.names, table.defaults, table.factories
    count = len(names)
    known = frozenset(names)
    post_init = hasattr(cls, "__post_init__")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        values = dict(defaults)
        if args:
            if len(args) > count:
                raise TypeError(f"{type(self).__name__}() takes {count} arguments but {len(args)} were given")
            values.update(zip(names, args, strict=False))  # fewer arguments than fields: the rest by name
        if kwargs:
            if not known.issuperset(kwargs):
                unexpected = next(name for name in kwargs if name not in known)
                raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument {unexpected!r}")
            if args and not kwargs.keys().isdisjoint(names[: len(args)]):
                twice = next(name for name in names[: len(args)] if name in kwargs)
                raise TypeError(f"{type(self).__name__}() got multiple values for argument {twice!r}")
            values.update(kwargs)
        for name, factory in factories:
            if name not in values:
                values[name] = factory()
        if len(values) != count:
            missing = next(name for name in names if name not in values)
            raise TypeError(f"{type(self).__name__}() missing required argument {missing!r}")
        self.__dict__.update(values)
        if post_init:
            self.__post_init__()

    return __init__


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_table__.shown)
    return f"{type(self).__qualname__}({shown})"


def _values(record: Any) -> tuple:
    return tuple(getattr(record, name) for name in type(record).__record_table__.names)


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return self is other or _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


def _refuse_set(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(field_specifiers=(field,))
def record(cls: type[R] | None = None, *, frozen: bool = False) -> Any:
    """Make `cls` a record (as `@dataclass` / `@dataclass(frozen=True)` would): an `__init__` taking
    its fields, a repr naming them, equality by value; frozen records also refuse assignment and
    hash by value (other records, like mutable dataclasses, are not hashable)."""

    def make(target: type[R]) -> type[R]:
        table = _build_table(target)
        target.__record_table__ = table  # type: ignore[attr-defined]
        own = target.__dict__
        if "__init__" not in own:
            target.__init__ = _initializer(target, table)  # type: ignore[misc]
        if "__repr__" not in own:
            target.__repr__ = _repr  # type: ignore[assignment]
        if "__eq__" not in own:
            target.__eq__ = _eq  # type: ignore[assignment]
            if frozen:
                target.__hash__ = _hash  # type: ignore[assignment]
            elif "__hash__" not in own:
                target.__hash__ = None  # type: ignore[assignment]
        if frozen:
            target.__setattr__ = _refuse_set  # type: ignore[assignment]
            target.__delattr__ = _refuse_delete  # type: ignore[assignment]
        return target

    return make if cls is None else make(cls)


def fields(record_class: type) -> tuple[str, ...]:
    """The field names of a record class, in order."""
    return record_class.__record_table__.names  # type: ignore[attr-defined]


def replace(instance: R, **changes: Any) -> R:
    """A copy of a record with some fields changed (through `__init__`, so `__post_init__` runs)."""
    current = {name: getattr(instance, name) for name in fields(type(instance))}
    return type(instance)(**{**current, **changes})
