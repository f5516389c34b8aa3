"""Helm's dependency processing before rendering (chartutil/dependencies.go in Helm 3.17,
pkg/chart/v2/util/dependencies.go in Helm 4.1): missing subcharts, alias copies, `condition`,
`tags`, `enabled`, and `import-values`.

Helm logs warnings here; we append them to a list the caller passes (never to stdout).
"""

from __future__ import annotations

import copy

from chartfix.errors import MissingDependenciesError, Position, ValuesError
from chartfix.go.semver import constraint_matches
from chartfix.go.strconv import quote
from chartfix.go.types import deep_copy
from chartfix.helm.chart import Chart, Dependency
from chartfix.helm.coalesce import (
    ValuesWarnings,
    coalesce_tables,
    coalesce_values,
    go_sprint_value,
    merge_values,
)

# --- dependency presence (action.CheckDependencies) -----------------------------------------------


def check_dependencies(chart: Chart, helm_major: int = 4) -> None:
    """What `helm template` checks right after loading: every dependency listed in Chart.yaml must
    be a loaded subchart of the same name (the alias plays no part here)."""
    deps = chart.metadata.Dependencies
    if not deps:
        return
    present = {sub.name() for sub in chart.dependencies}
    missing = [d.Name for d in deps if d is not None and d.Name not in present]
    if missing:
        lead = "an error occurred" if helm_major >= 4 else "An error occurred"
        raise MissingDependenciesError(
            f"{lead} while checking for chart dependencies. You may need to run `helm dependency build` "
            "to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: "
            + ", ".join(missing),
            missing,
            Position(chart.name() + "/Chart.yaml"),
        )


# --- processing ------------------------------------------------------------------------------------


def process_dependencies(
    chart: Chart, user_values: dict, helm_major: int = 4, warnings: list[str] | None = None
) -> None:
    """ProcessDependencies (Helm 4) / ProcessDependenciesWithMerge (what Helm 3's install uses):
    drops disabled subcharts from `chart` in place and applies import-values to chart values."""

    sink = warnings if warnings is not None else []
    log = ValuesWarnings(sink)
    _process_enabled(chart, user_values, "", helm_major, log)
    _process_import_values_recursive(chart, helm_major, log)


def _get_alias_dependency(charts: list[Chart], dep: Dependency, helm_major: int) -> Chart | None:
    for c in charts:
        if c is None or c.name() != dep.Name:
            continue
        if not constraint_matches(dep.Version, c.metadata.Version, modern=helm_major >= 4):
            continue
        out = copy.copy(c)
        if helm_major >= 4:
            out.metadata = c.metadata.copy()
            out.dependencies = []
            for sub in c.dependencies:
                sub_copy = copy.copy(sub)
                sub_copy.parent = out
                out.dependencies.append(sub_copy)
        else:
            # Helm 3 copies the Metadata struct only: the Dependencies slice (and the subcharts)
            # stay shared with the original.
            out.metadata = copy.copy(c.metadata)
        if dep.Alias:
            out.metadata.Name = dep.Alias
        return out
    return None


def _process_enabled(chart: Chart, values: dict, path: str, helm_major: int, log: ValuesWarnings) -> None:

    reqs = chart.metadata.Dependencies
    if not reqs:
        return
    kept: list[Chart] = []
    for existing in chart.dependencies:
        if any(
            req is not None
            and existing.name() == req.Name
            and constraint_matches(req.Version, existing.metadata.Version, modern=helm_major >= 4)
            for req in reqs
        ):
            continue
        kept.append(existing)
    for req in reqs:
        if req is None:
            continue
        aliased = _get_alias_dependency(chart.dependencies, req, helm_major)
        if aliased is not None:
            kept.append(aliased)
        if req.Alias:
            req.Name = req.Alias
    chart.set_dependencies(kept)

    for req in reqs:
        req.Enabled = True
    cvals = coalesce_values(chart, values, helm_major=helm_major, warnings=log.sink)
    _process_tags(reqs, cvals, log)
    _process_conditions(reqs, cvals, path, log)

    removed = {r.Name for r in reqs if not r.Enabled}
    enabled_charts = [c for c in chart.dependencies if c.metadata.Name not in removed]
    enabled_reqs = [r for r in reqs if r.Name not in removed]
    for sub in enabled_charts:
        _process_enabled(sub, cvals, path + sub.metadata.Name + ".", helm_major, log)
    chart.metadata.Dependencies = enabled_reqs
    chart.set_dependencies(enabled_charts)


def _process_tags(reqs: list[Dependency], cvals: dict, log: ValuesWarnings) -> None:
    tags = table(cvals, "tags")
    if tags is None:
        return
    for r in reqs:
        has_true = has_false = False
        for k in r.Tags:
            if k in tags:
                b = tags[k]
                if isinstance(b, bool):
                    if b:
                        has_true = True
                    else:
                        has_false = True
                else:
                    log.warn(f"Warning: Tag '{k}' for chart {r.Name} returned non-bool value")
        if not has_true and has_false:
            r.Enabled = False
        elif has_true or (not has_true and not has_false):
            r.Enabled = True


def _process_conditions(reqs: list[Dependency], cvals: dict, path: str, log: ValuesWarnings) -> None:
    for r in reqs:
        for cond in r.Condition.strip().split(","):
            if not cond:
                continue
            found, value = path_value(cvals, path + cond)
            if found:
                if isinstance(value, bool):
                    r.Enabled = value
                    break
                log.warn(f"Warning: Condition path '{cond}' for chart {r.Name} returned non-bool value")


# --- Values.Table / PathValue ---------------------------------------------------------------------


def table(values: dict, name: str) -> dict | None:
    """Values.Table: the map at a dotted path, or None (ErrNoTable)."""
    current = values
    for part in name.split("."):
        nxt = current.get(part) if isinstance(current, dict) else None
        if not isinstance(nxt, dict):
            return None
        current = nxt
    return current


def path_value(values: dict, path: str) -> tuple[bool, object]:
    """Values.PathValue: (found, value) for a dotted path to a non-table value."""
    if not path:
        return False, None
    parts = path.split(".")
    key = parts[-1]
    parent = values if len(parts) == 1 else table(values, ".".join(parts[:-1]))
    if parent is None or key not in parent or isinstance(parent[key], dict):
        return False, None
    return True, parent[key]


# --- import-values ---------------------------------------------------------------------------------


def _missing_key(values: dict, path: str) -> str:
    """The key ErrNoTable names: the first path element that is not a table."""
    current = values
    for part in path.split("."):
        nxt = current.get(part)
        if not isinstance(nxt, dict):
            return quote(part)
        current = nxt
    return quote(path)


def _go_type_name(value: object) -> str:
    if value is None:
        return "nil"
    return {bool: "bool", str: "string", float: "float64", int: "int64", list: "[]interface {}"}.get(
        type(value), "map[string]interface {}"
    )


def _path_to_map(path: str, data: dict) -> dict:
    if path == ".":
        return data
    out = data
    for part in reversed(path.split(".")):
        out = {part: out}
    return out


def _go_sprint(value: object) -> str:

    return go_sprint_value(value)


def _process_import_values_recursive(chart: Chart, helm_major: int, log: ValuesWarnings) -> None:
    for sub in chart.dependencies:
        _process_import_values_recursive(sub, helm_major, log)
    _process_import_values(chart, helm_major, log)


def _process_import_values(chart: Chart, helm_major: int, log: ValuesWarnings) -> None:
    """processImportValues with merge=true (what both Helm 3's install and Helm 4 use)."""

    reqs = chart.metadata.Dependencies
    if not reqs:
        return
    cvals = merge_values(chart, {}, helm_major=helm_major, warnings=log.sink)
    imported: dict = {}
    for r in reqs:
        normalised = []
        for iv in r.ImportValues:
            if isinstance(iv, dict):
                if helm_major >= 4:
                    child, parent = _go_sprint(iv.get("child")), _go_sprint(iv.get("parent"))
                else:
                    child, parent = iv.get("child"), iv.get("parent")
                    if not isinstance(child, str) or not isinstance(parent, str):
                        bad = child if not isinstance(child, str) else parent
                        raise ValuesError(
                            f"interface conversion: interface {{}} is {_go_type_name(bad)}, not string"
                        )
                normalised.append({"child": child, "parent": parent})
                source = table(cvals, r.Name + "." + child)
                if source is None:
                    missing = _missing_key(cvals, r.Name + "." + child)
                    log.warn(
                        f"Warning: ImportValues missing table from chart {r.Name}: {missing} is not a table"
                    )
                    continue
                imported = coalesce_tables(
                    imported, _path_to_map(parent, source), merge=True, helm_major=helm_major
                )
            elif isinstance(iv, str):
                child = "exports." + iv
                normalised.append({"child": child, "parent": "."})
                source = table(cvals, r.Name + "." + child)
                if source is None:
                    missing = _missing_key(cvals, r.Name + "." + child)
                    log.warn(f"Warning: ImportValues missing table: {missing} is not a table")
                    continue
                imported = coalesce_tables(imported, source, merge=True, helm_major=helm_major)
        r.ImportValues = normalised
    chart.values = coalesce_tables(deep_copy(cvals), imported, merge=True, helm_major=helm_major)
