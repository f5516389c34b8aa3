"""Helm's dependency processing before rendering (chartutil/dependencies.go in Helm 3.17,
pkg/chart/v2/util/dependencies.go in Helm 4.1): missing subcharts, alias copies, `condition`,
`tags`, `enabled`, and `import-values`.

Helm logs warnings here; we append them to a list the caller passes (never to stdout).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from chartfix.errors import MissingDependenciesError, Position, ValuesError
from chartfix.helm.chart import Chart, Dependency, SemVer, go_quote, parse_semver
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


# --- Masterminds/semver constraints (for IsCompatibleRange) ----------------------------------------

_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_CV_NOGROUPS = re.sub(r"\((?!\?)", "(?:", _CV)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
_CONSTRAINT = re.compile(rf"^\s*({_OPS})\s*({_CV})\s*$")
_RANGE = re.compile(rf"\s*({_CV_NOGROUPS})\s+-\s+({_CV_NOGROUPS})\s*")
_FIND = re.compile(rf"(?:{_OPS})\s*(?:{_CV_NOGROUPS})")
_VALID = re.compile(
    rf"^(?:\s*(?:{_OPS})\s*(?:{_CV_NOGROUPS})\s*)(?:(?:\s+|,\s*)(?:{_OPS})\s*(?:{_CV_NOGROUPS})\s*)*$"
)


@dataclass
class _Constraint:
    con: SemVer
    orig: str
    op: str
    dirty: bool
    minor_dirty: bool
    patch_dirty: bool


def _is_x(s: str) -> bool:
    return s in ("x", "X", "*")


def _parse_constraint(text: str) -> _Constraint | None:
    if not text:
        return _Constraint(SemVer(0, 0, 0), text, "", True, False, False)
    m = _CONSTRAINT.match(text)
    if m is None:
        return None
    op, orig = m.group(1), m.group(2)
    major, minor, patch, pre_part = m.group(3), m.group(4) or "", m.group(5) or "", m.group(6) or ""
    dirty = minor_dirty = patch_dirty = False
    ver = orig
    if _is_x(major) or major == "":
        ver, dirty = "0.0.0" + pre_part, True
    elif _is_x(minor[1:]) or minor == "":
        ver, dirty, minor_dirty = f"{major}.0.0{pre_part}", True, True
    elif _is_x(patch[1:]) or patch == "":
        ver, dirty, patch_dirty = f"{major}{minor}.0{pre_part}", True, True
    con = parse_semver(ver)
    if con is None:
        return None
    return _Constraint(con, orig, op, dirty, minor_dirty, patch_dirty)


def _check(v: SemVer, c: _Constraint, include_pre: bool) -> bool:
    if v.pre and not include_pre:
        return False
    op = c.op
    cmp = v.compare(c.con)
    if op in ("", "="):
        if c.dirty:
            return _tilde(v, c, cmp)
        return cmp == 0
    if op == "!=":
        if c.dirty:
            if c.con.major != v.major:
                return True
            if c.con.minor != v.minor and not c.minor_dirty:
                return True
            if c.minor_dirty:
                return False
            if c.con.patch != v.patch and not c.patch_dirty:
                return True
            if c.patch_dirty:
                if v.pre or c.con.pre:
                    return v.pre != c.con.pre
                return False
        return cmp != 0
    if op == ">":
        if not c.dirty:
            return cmp == 1
        if v.major != c.con.major:
            return v.major > c.con.major
        if c.minor_dirty:
            return False
        if c.patch_dirty:
            return v.minor > c.con.minor
        return cmp == 1
    if op == "<":
        return cmp < 0
    if op in (">=", "=>"):
        return cmp >= 0
    if op in ("<=", "=<"):
        if not c.dirty:
            return cmp <= 0
        if v.major > c.con.major:
            return False
        return not (v.major == c.con.major and v.minor > c.con.minor and not c.minor_dirty)
    if op in ("~", "~>"):
        return _tilde(v, c, cmp)
    # "^"
    if cmp < 0:
        return False
    if c.con.major > 0 or c.minor_dirty:
        return v.major == c.con.major
    if v.major > 0:
        return False
    if c.con.minor > 0 or c.patch_dirty:
        return v.minor == c.con.minor
    if v.minor > 0:
        return False
    return c.con.patch == v.patch


def _tilde(v: SemVer, c: _Constraint, cmp: int) -> bool:
    if cmp < 0:
        return False
    if c.con.major == 0 and c.con.minor == 0 and c.con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
        return True
    if v.major != c.con.major:
        return False
    return not (v.minor != c.con.minor and not c.minor_dirty)


def _rewrite_range(text: str) -> str:
    out = text
    for m in _RANGE.finditer(text):
        out = out.replace(m.group(0), f">= {m.group(1)}, <= {m.group(2)} ", 1)
    return out


def is_compatible_range(constraint: str, version: str) -> bool:
    """Helm's IsCompatibleRange: Masterminds semver NewConstraint(constraint).Check(NewVersion(v))."""
    v = parse_semver(version)
    if v is None:
        return False
    groups: list[tuple[list[_Constraint], bool]] = []
    for part in _rewrite_range(constraint).split("||"):
        if not _VALID.match(part):
            return False
        texts = [m.group(0) for m in _FIND.finditer(part)] or [part]
        parsed = []
        for t in texts:
            c = _parse_constraint(t)
            if c is None:
                return False
            parsed.append(c)
        groups.append((parsed, any(c.con.pre for c in parsed)))
    return any(all(_check(v, c, has_pre) for c in cs) for cs, has_pre in groups)


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
        if not is_compatible_range(dep.Version, c.metadata.Version):
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
            and is_compatible_range(req.Version, existing.metadata.Version)
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
            return go_quote(part)
        current = nxt
    return go_quote(path)


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
    chart.values = coalesce_tables(copy.deepcopy(cvals), imported, merge=True, helm_major=helm_major)
