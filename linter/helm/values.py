"""Values as `helm template` builds them: user values (-f, --set*), coalescing with chart defaults
(chartutil/coalesce.go in Helm 3.17, pkg/chart/common/util/coalesce.go in Helm 4.1), dependency
processing, schema validation, and the top-level template data (ToRenderValues, recAllTpls).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from chartfix.errors import ChartfixError, ChartLoadError, LimitExceeded, Position, ValuesError
from chartfix.go.types import GoInt
from chartfix.helm import strvals
from chartfix.helm.chart import Chart, go_quote
from chartfix.helm.dependencies import check_dependencies

GLOBAL_KEY = "global"

__all__ = [
    "check_dependencies",
    "coalesce_tables",
    "coalesce_values",
    "merge_values",
    "prepare_chart_values",
    "render_top_data",
    "subchart_values",
    "user_values",
]


class ValuesWarnings:
    """Where Helm would log.Printf a warning while coalescing: we collect the lines instead."""

    def __init__(self, sink: list[str] | None = None) -> None:
        self.sink = sink if sink is not None else []

    def warn(self, message: str) -> None:
        self.sink.append(message)


def copy_values(value: Any) -> Any:
    """copystructure.Copy for JSON-like data (maps and slices copied, scalars shared)."""
    if isinstance(value, dict):
        return {k: copy_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_values(v) for v in value]
    return value


def go_sprint_value(value: Any) -> str:
    """fmt.Sprintf("%v", value)."""
    from chartfix.go.fmt import sprintf

    return sprintf("%v", value)


# --- coalescing -------------------------------------------------------------------------------------


def _concat_prefix(a: str, b: str) -> str:
    return b if a == "" else f"{a}.{b}"


def coalesce_values(
    chart: Chart, values: dict | None, helm_major: int = 4, warnings: list[str] | None = None
) -> dict:
    """CoalesceValues: user values over chart defaults, recursively into subcharts; null deletes."""
    return _Coalescer(helm_major, warnings, merge=False).run(chart, values)


def merge_values(
    chart: Chart, values: dict | None, helm_major: int = 4, warnings: list[str] | None = None
) -> dict:
    """MergeValues: like coalesce_values but nulls are kept (used for import-values)."""
    return _Coalescer(helm_major, warnings, merge=True).run(chart, values)


def coalesce_tables(
    dst: dict | None, src: dict | None, merge: bool = False, helm_major: int = 4
) -> dict | None:
    """CoalesceTables (merge=False) / MergeTables (merge=True): dst wins, src fills in."""
    return _Coalescer(helm_major, None, merge).tables(dst, src, "", merge)


class _Coalescer:
    def __init__(self, helm_major: int, warnings: list[str] | None, merge: bool) -> None:
        self.v4 = helm_major >= 4
        self.sink = warnings if warnings is not None else []
        self.merge = merge

    def run(self, chart: Chart, values: dict | None) -> dict:
        dest = copy_values(values) if values else {}
        return self.coalesce(chart, dest, "", self.merge)

    def coalesce(self, chart: Chart, dest: dict, prefix: str, merge: bool) -> dict:
        self.chart_values(chart, dest, prefix, merge)
        return self.deps(chart, dest, prefix, merge)

    def deps(self, chart: Chart, dest: dict, prefix: str, merge: bool) -> dict:
        for sub in chart.dependencies:
            name = sub.name()
            if name not in dest:
                dest[name] = {}
            elif not isinstance(dest[name], dict):
                from chartfix.go.fmt import sprintf

                raise ValuesError(f"type mismatch on {name}: {sprintf('%t', dest[name])}")
            sub_dest = dest[name]
            sub_prefix = _concat_prefix(prefix, chart.name())
            self.globals(sub_dest, dest, sub_prefix)
            dest[name] = self.coalesce(sub, sub_dest, sub_prefix, merge)
        return dest

    def globals(self, dest: dict, src: dict, prefix: str) -> None:
        if GLOBAL_KEY not in dest:
            dg: dict = {}
        else:
            dg = dest[GLOBAL_KEY]
            if not isinstance(dg, dict):
                self.sink.append(
                    f"warning: skipping globals because destination {GLOBAL_KEY} is not a table."
                )
                return
        if GLOBAL_KEY not in src:
            sg: dict = {}
        else:
            sg = src[GLOBAL_KEY]
            if not isinstance(sg, dict):
                self.sink.append(f"warning: skipping globals because source {GLOBAL_KEY} is not a table.")
                return
        for key, val in sg.items():
            if isinstance(val, dict):
                vv = dict(val)
                if key not in dg:
                    dg[key] = vv
                elif not isinstance(dg[key], dict):
                    self.sink.append(
                        f"Conflict: cannot merge map onto non-map for {go_quote(key)}. Skipping."
                    )
                else:
                    self.tables(vv, dg[key], _concat_prefix(prefix, key), True)
                    dg[key] = vv
            elif key in dg and isinstance(dg[key], dict):
                self.sink.append(f"key {key} is table. Skipping")
            else:
                dg[key] = val
        dest[GLOBAL_KEY] = dg

    def chart_values(self, chart: Chart, dest: dict, prefix: str, merge: bool) -> None:
        sub_prefix = _concat_prefix(prefix, chart.name())
        subchart_names = {sub.name() for sub in chart.dependencies}
        for key, val in copy_values(chart.values).items():
            if key in dest:
                value = dest[key]
                if value is None and not merge:
                    del dest[key]
                elif isinstance(value, dict):
                    if not isinstance(val, dict):
                        if val is not None:
                            self.sink.append(f"warning: skipped value for {sub_prefix}.{key}: Not a table.")
                    else:
                        child_merge = True if key in subchart_names else merge
                        self.tables(value, val, _concat_prefix(sub_prefix, key), child_merge)
            else:
                dest[key] = val

    def tables(self, dst: dict | None, src: dict | None, prefix: str, merge: bool) -> dict | None:
        if src is None:
            return dst
        if dst is None:
            return src
        if self.v4:
            src_non_nil = {k for k, v in src.items() if v is not None}
            for key, val in dst.items():
                if val is None:
                    src[key] = None
        for key, val in list(src.items()):
            full_key = _concat_prefix(prefix, key)
            present = key in dst
            dv = dst.get(key)
            if present and not merge and dv is None and (not self.v4 or key in src_non_nil):
                del dst[key]
            elif not present:
                dst[key] = val
            elif isinstance(val, dict):
                if isinstance(dv, dict):
                    self.tables(dv, val, full_key, merge)
                else:
                    self.sink.append(
                        f"warning: cannot overwrite table with non table for {full_key} ({go_sprint_value(val)})"
                    )
            elif isinstance(dv, dict) and val is not None:
                self.sink.append(
                    f"warning: destination for {full_key} is a table. Ignoring non-table value ({go_sprint_value(val)})"
                )
        return dst


# --- user values (pkg/cli/values/options.go) --------------------------------------------------------


def user_values(
    values_files: Iterable[str | os.PathLike] = (),
    set_values: Iterable[str] = (),
    set_string: Iterable[str] = (),
    set_file: Iterable[str] = (),
    set_json: Iterable[str] = (),
    set_literal: Iterable[str] = (),
    helm_major: int = 4,
) -> dict:
    """Options.MergeValues: -f files in order, then --set-json, --set, --set-string, --set-file,
    --set-literal (Helm's fixed order, whatever the command line order was)."""
    from chartfix.helm.loader import invalid_utf8_position, load_values_bytes, merge_maps

    base: dict = {}
    for path in values_files:
        name = os.fspath(path)
        data = _read_user_file(name)
        try:
            current = load_values_bytes(data, name, helm_major)
        except ChartfixError as exc:
            position = exc.position
            if position is None or not position.line:
                line, column = invalid_utf8_position(data)
                position = Position(name, line, column)
            raise ValuesError(f"failed to parse {name}: {exc.message}", position) from None
        base = merge_maps(base, current)
    for value in set_json:
        trimmed = value.strip()
        if helm_major >= 4 and trimmed.startswith("{"):
            try:
                parsed = json.loads(trimmed, parse_int=float, parse_constant=_reject_json_constant)
            except (ValueError, RecursionError):
                raise ValuesError(f"failed parsing --set-json data JSON: {value}") from None
            if not isinstance(parsed, dict):
                raise ValuesError(f"failed parsing --set-json data JSON: {value}")
            base = merge_maps(base, parsed)
            continue
        try:
            strvals.parse_json(value, base)
        except strvals.StrvalsError:
            raise ValuesError(f"failed parsing --set-json data {value}") from None
    for flag, items, parse in (
        ("--set", set_values, strvals.parse_into),
        ("--set-string", set_string, strvals.parse_into_string),
    ):
        for value in items:
            try:
                parse(value, base)
            except strvals.StrvalsError as exc:
                raise ValuesError(f"failed parsing {flag} data: {exc}") from None
    for value in set_file:
        try:
            strvals.parse_into_file(
                value, base, lambda rs: _read_user_file(rs).decode("utf-8", errors="replace")
            )
        except strvals.StrvalsError as exc:
            raise ValuesError(f"failed parsing --set-file data: {exc}") from None
    for value in set_literal:
        try:
            strvals.parse_literal_into(value, base)
        except strvals.StrvalsError as exc:
            raise ValuesError(f"failed parsing --set-literal data: {exc}") from None
    return base


def _read_set_file(path: str) -> str:
    try:
        return _read_user_file(path).decode("utf-8", errors="replace")
    except ValuesError as exc:
        raise strvals.StrvalsError(exc.message) from None


def _reject_json_constant(name: str) -> Any:
    raise ValueError(name)


# Helm reads -f / --set-file files whole; a bound keeps `-f /dev/zero` from eating all memory.
MAX_USER_FILE_SIZE = 64 * 1024 * 1024


def _read_user_file(name: str) -> bytes:
    from chartfix.helm.loader import read_bounded

    try:
        data = read_bounded(name, MAX_USER_FILE_SIZE)
    except OSError as exc:
        raise ValuesError(
            f"open {name}: {exc.strerror.lower() if exc.strerror else exc}", Position(name)
        ) from None
    if len(data) > MAX_USER_FILE_SIZE:
        raise LimitExceeded(f"file is larger than {MAX_USER_FILE_SIZE} bytes", Position(name))
    return data


# --- what `helm template` does before rendering ------------------------------------------------------


def prepare_chart_values(
    chart: Chart,
    user_vals: dict,
    helm_major: int = 4,
    warnings: list[str] | None = None,
    skip_schema: bool = False,
) -> dict:
    """checkIfInstallable, CheckDependencies, ProcessDependencies (drops disabled subcharts from
    `chart` in place, imports values), CoalesceValues and schema validation: the final .Values."""
    from chartfix.helm.dependencies import process_dependencies

    if chart.metadata.Type not in ("", "application"):
        raise ChartLoadError(
            f"{chart.metadata.Type} charts are not installable", Position(chart.name() + "/Chart.yaml")
        )
    check_dependencies(chart, helm_major)
    try:
        process_dependencies(chart, user_vals, helm_major, warnings)
    except ValuesError as exc:
        prefix = "chart dependencies processing failed: " if helm_major >= 4 else ""
        raise ValuesError(prefix + exc.message, exc.position) from None
    values = coalesce_values(chart, user_vals, helm_major, warnings)
    if not skip_schema:
        from chartfix.helm.schema import validate_against_schema

        validate_against_schema(chart, values, helm_major)
    return values


def subchart_values(values: dict, chart: Chart) -> dict:
    """The .Values a subchart's templates see, from its parent's .Values (Values.Table(name))."""
    sub = values.get(chart.name()) if isinstance(values, dict) else None
    return sub if isinstance(sub, dict) else {}


def render_top_data(
    chart: Chart,
    values: dict,
    release_name: str,
    namespace: str,
    revision: int = 1,
    is_upgrade: bool = False,
    capabilities: Any = None,
    helm_major: int = 4,
) -> dict:
    """ToRenderValues: {Chart, Capabilities, Release, Values} for the top chart. `values` is what
    prepare_chart_values returned."""
    from chartfix.helm.builtin_objects import chart_object, make_capabilities

    caps = capabilities if capabilities is not None else make_capabilities(None, [], helm_major)
    return {
        "Chart": chart_object(chart, helm_major, with_is_root=False),
        "Capabilities": caps,
        "Release": {
            "Name": release_name,
            "Namespace": namespace,
            "IsUpgrade": is_upgrade,
            "IsInstall": not is_upgrade,
            "Revision": GoInt(revision),
            "Service": "Helm",
        },
        "Values": values,
    }
