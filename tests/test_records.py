"""chartfix.records: the dataclass semantics chartfix relies on, kept without generated code."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError
from typing import ClassVar

import pytest

from chartfix.records import field, fields, record, replace


@record
class Item:
    name: str
    count: int = 0
    tags: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict, repr=False)
    KIND: ClassVar[str] = "item"


@record(frozen=True)
class Point:
    x: int
    y: int = 0


@record
class Labelled(Item):
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            self.label = self.name.upper()


def test_fields_defaults_and_factories() -> None:
    first, second = Item("a"), Item("b", 2)
    first.tags.append("x")
    assert (first.name, first.count, first.tags, second.tags) == ("a", 0, ["x"], [])
    assert fields(Item) == ("name", "count", "tags", "cache")
    assert Item.KIND == "item"
    assert Item(name="c", tags=["t"]).tags == ["t"]


def test_wrong_arguments_are_type_errors() -> None:
    with pytest.raises(TypeError, match="missing required argument 'name'"):
        Item()
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Item("a", colour="red")
    with pytest.raises(TypeError, match="multiple values for argument 'name'"):
        Item("a", name="b")
    with pytest.raises(TypeError, match="takes 4 arguments but 5 were given"):
        Item("a", 1, [], {}, 5)


def test_repr_and_equality() -> None:
    assert repr(Item("a", cache={"k": 1})) == "Item(name='a', count=0, tags=[])"
    assert Item("a") == Item("a")
    assert Item("a") != Item("a", 1)
    assert Item("a") != Labelled("a", label="a")  # another class is never equal
    loop = Item("a")
    loop.tags.append(loop)  # type: ignore[arg-type]
    assert repr(loop) == "Item(name='a', count=0, tags=[...])"


def test_mutable_records_are_not_hashable_frozen_ones_hash_by_value() -> None:
    with pytest.raises(TypeError):
        hash(Item("a"))
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert {Point(1, 2), Point(1, 2), Point(2)} == {Point(1, 2), Point(2, 0)}


def test_frozen_records_refuse_changes() -> None:
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del point.y
    assert replace(point, y=5) == Point(1, 5)
    assert point == Point(1, 0)


def test_inheritance_and_post_init() -> None:
    labelled = Labelled("ab", 1)
    assert fields(Labelled) == ("name", "count", "tags", "cache", "label")
    assert labelled.label == "AB"
    assert replace(labelled, name="cd").label == "AB"  # replace passes every field to __init__


def test_copies_and_pickles_keep_values() -> None:
    for original in (Item("a", 3, ["t"]), Point(4, 5), Labelled("x")):
        assert copy.copy(original) == original
        assert copy.deepcopy(original) == original
        assert pickle.loads(pickle.dumps(original)) == original
