"""Dependency processing: presence check, semver ranges, alias, condition, tags, import-values.

Expected values for the fixture were checked against `helm template` 3.17.3 and 4.1.4 (toJson of
.Values and .Chart.Dependencies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartfix.errors import ChartLoadError
from chartfix.go.semver import constraint_matches
from chartfix.helm.chart import Chart, Dependency, Metadata
from chartfix.helm.dependencies import (
    check_dependencies,
    path_value,
    process_dependencies,
)
from chartfix.helm.loader import load_chart
from chartfix.helm.values import prepare_chart_values

DEPS_PARENT = Path(__file__).resolve().parent.parent / "fixtures" / "deps-parent"


@pytest.mark.parametrize(
    ("constraint", "version", "expected"),
    [
        (">=0.1.0", "0.1.5", True),
        ("~0.1.0", "0.1.5", True),
        ("~0.1.0", "0.2.0", False),
        ("2.x", "2.0.0", True),
        ("2.x", "3.0.0", False),
        ("*", "0.0.1", True),
        ("^1.2.3", "1.9.0", True),
        ("^1.2.3", "2.0.0", False),
        ("^0.2.3", "0.3.0", False),
        ("1.2.3", "1.2.3", True),
        ("1.2.3", "1.2.4", False),
        (">=1.0.0 <2.0.0", "1.5.0", True),
        (">=1.0.0, <2.0.0", "2.0.0", False),
        ("1.0.0 - 2.0.0", "2.0.0", True),
        ("<1.0.0 || >=3.0.0", "3.1.0", True),
        ("<1.0.0 || >=3.0.0", "2.0.0", False),
        ("*", "1.0.0-rc.1", False),  # prereleases match only constraints that carry one
        (">=1.0.0-0", "1.0.0-rc.1", True),
        ("!=1.2.3", "1.2.3", False),
        ("", "1.0.0", False),  # NewConstraint("") fails, so IsCompatibleRange is false
        ("1.x", "not-a-version", False),
    ],
)
def test_is_compatible_range(constraint, version, expected):
    assert constraint_matches(constraint, version, modern=False) is expected
    assert constraint_matches(constraint, version, modern=True) is expected


def _chart(name: str, version: str = "1.0.0", deps: list[Dependency] | None = None, values=None) -> Chart:
    return Chart(
        metadata=Metadata(Name=name, Version=version, APIVersion="v2", Dependencies=deps or []),
        values=values or {},
    )


def test_check_dependencies_messages_per_helm_version():
    parent = _chart("p", deps=[Dependency(Name="a", Version="1.x"), Dependency(Name="b", Alias="bee")])
    parent.set_dependencies([_chart("b")])
    with pytest.raises(ChartLoadError) as v4:
        check_dependencies(parent, helm_major=4)
    assert v4.value.message == (
        "an error occurred while checking for chart dependencies. You may need to run `helm dependency "
        "build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: a"
    )
    with pytest.raises(ChartLoadError) as v3:
        check_dependencies(parent, helm_major=3)
    assert v3.value.message.startswith("An error occurred while checking")
    parent.set_dependencies([_chart("a"), _chart("b")])
    check_dependencies(parent)


def test_fixture_conditions_tags_alias_and_imports():
    chart = load_chart(DEPS_PARENT)
    values = prepare_chart_values(chart, {})
    # sub: condition true; subalias: condition false; other: condition false; tagged: tag false.
    assert [d.name() for d in chart.dependencies] == ["sub"]
    (dep,) = chart.metadata.Dependencies
    assert dep.Enabled is True
    assert dep.ImportValues == [
        {"child": "exports.data", "parent": "."},
        {"child": "exports.data.extra", "parent": "fromChild"},
    ]
    assert values["exported"] == "from-sub"
    assert values["extra"] == {"deep": True}
    assert values["fromChild"] == {"deep": True}
    sub = values["sub"]
    assert sub["replicas"] == 3.0 and sub["enabled"] is True
    assert "dropMe" not in sub  # a null in the parent's values deletes the subchart default
    assert sub["global"] == {"labels": {"team": "a"}, "region": "eu", "sub": True}
    assert values["global"] == {"labels": {"team": "a"}, "region": "eu"}


def test_user_values_drive_conditions_and_tags():
    chart = load_chart(DEPS_PARENT)
    prepare_chart_values(
        chart,
        {"sub": {"enabled": False}, "subalias": {"enabled": True}, "tags": {"back": True}},
    )
    # tagged: one tag true wins over another false.
    assert sorted(d.name() for d in chart.dependencies) == ["subalias", "tagged"]
    aliased = next(d for d in chart.dependencies if d.name() == "subalias")
    assert aliased.metadata.Name == "subalias" and aliased.parent is chart
    assert {d.Name for d in chart.metadata.Dependencies} == {"subalias", "tagged"}


def test_alias_copy_leaves_original_untouched():
    chart = load_chart(DEPS_PARENT)
    original = next(d for d in chart.dependencies if d.name() == "sub")
    prepare_chart_values(chart, {"subalias": {"enabled": True}})
    assert original.metadata.Name == "sub"
    assert sorted(d.name() for d in chart.dependencies) == ["sub", "subalias"]


def test_first_resolvable_condition_wins_and_non_bool_warns():
    dep = Dependency(Name="sub", Version="*", Condition="missing.path,sub.flag,sub.on")
    parent = _chart("p", deps=[dep], values={"sub": {"flag": "yes-string", "on": False}})
    parent.set_dependencies([_chart("sub")])
    warnings: list[str] = []
    process_dependencies(parent, {}, warnings=warnings)
    assert parent.dependencies == []
    assert warnings == ["Warning: Condition path 'sub.flag' for chart sub returned non-bool value"]


def test_global_condition_path():
    dep = Dependency(Name="sub", Version="*", Condition="global.subOn")
    parent = _chart("p", deps=[dep], values={"global": {"subOn": False}})
    parent.set_dependencies([_chart("sub")])
    process_dependencies(parent, {})
    assert parent.dependencies == []


def test_undeclared_subchart_stays_enabled():
    parent = _chart("p", deps=[Dependency(Name="declared", Version="*", Condition="declared.on")])
    parent.set_dependencies([_chart("declared"), _chart("vendored")])
    process_dependencies(parent, {"declared": {"on": False}})
    assert [d.name() for d in parent.dependencies] == ["vendored"]


def test_import_values_in_helm3_require_strings():
    dep = Dependency(Name="sub", Version="*", ImportValues=[{"child": 1.0, "parent": "x"}])
    parent = _chart("p", deps=[dep])
    parent.set_dependencies([_chart("sub", values={"1": {"a": 1.0}})])
    process_dependencies(parent, {}, helm_major=4)
    assert parent.values["x"] == {"a": 1.0}  # Helm 4 formats child/parent with %v
    parent3 = _chart(
        "p", deps=[Dependency(Name="sub", Version="*", ImportValues=[{"child": 1.0, "parent": "x"}])]
    )
    parent3.set_dependencies([_chart("sub", values={"1": {"a": 1.0}})])
    with pytest.raises(Exception, match="interface conversion: interface {} is float64, not string"):
        process_dependencies(parent3, {}, helm_major=3)


def test_missing_import_table_warns():
    dep = Dependency(Name="sub", Version="*", ImportValues=["nothing"])
    parent = _chart("p", deps=[dep])
    parent.set_dependencies([_chart("sub")])
    warnings: list[str] = []
    process_dependencies(parent, {}, warnings=warnings)
    assert warnings == ['Warning: ImportValues missing table: "exports" is not a table']


def test_path_value():
    values = {"a": {"b": {"c": True}, "t": {}}, "top": 1.0}
    assert path_value(values, "a.b.c") == (True, True)
    assert path_value(values, "top") == (True, 1.0)
    assert path_value(values, "a.t") == (False, None)  # tables are not values
    assert path_value(values, "a.x.c") == (False, None)
