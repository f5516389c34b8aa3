"""Values as `helm template` builds them: user values (-f, --set*), coalescing with chart defaults
(chartutil/coalesce.go in Helm 3.17, pkg/chart/common/util/coalesce.go in Helm 4.1), dependency
processing, schema validation, and the top-level template data (ToRenderValues, recAllTpls).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Any

from chartfix.errors import (
    ChartfixError,
    LimitExceeded,
    NotInstallableError,
    Position,
    ValuesError,
)
from chartfix.go.types import GoInt
from chartfix.helm import strvals
from chartfix.helm.builtin_objects import chart_object, make_capabilities
from chartfix.helm.chart import Chart
from chartfix.helm.coalesce import coalesce_values
from chartfix.helm.dependencies import check_dependencies, process_dependencies
from chartfix.helm.loader import invalid_utf8_position, load_values_bytes, merge_maps, read_bounded
from chartfix.helm.schema import validate_against_schema

__all__ = [
    "prepare_chart_values",
    "render_top_data",
    "subchart_values",
    "user_values",
]

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
            strvals.parse_json(value, base, helm_major=helm_major)
        except strvals.StrvalsError:
            raise ValuesError(f"failed parsing --set-json data {value}") from None
    for flag, items, parse in (
        ("--set", set_values, strvals.parse_into),
        ("--set-string", set_string, strvals.parse_into_string),
    ):
        for value in items:
            try:
                parse(value, base, helm_major=helm_major)
            except strvals.StrvalsError as exc:
                raise ValuesError(f"failed parsing {flag} data: {exc}") from None
    for value in set_file:
        try:
            strvals.parse_into_file(
                value,
                base,
                lambda rs: _read_user_file(rs).decode("utf-8", errors="replace"),
                helm_major=helm_major,
            )
        except strvals.StrvalsError as exc:
            raise ValuesError(f"failed parsing --set-file data: {exc}") from None
    for value in set_literal:
        try:
            strvals.parse_literal_into(value, base, helm_major=helm_major)
        except strvals.StrvalsError as exc:
            raise ValuesError(f"failed parsing --set-literal data: {exc}") from None
    return base


def _reject_json_constant(name: str) -> Any:
    raise ValueError(name)


# Helm reads -f / --set-file files whole; a bound keeps `-f /dev/zero` from eating all memory.
MAX_USER_FILE_SIZE = 64 * 1024 * 1024


def _read_user_file(name: str) -> bytes:

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

    if chart.metadata.Type not in ("", "application"):
        raise NotInstallableError(
            f"{chart.metadata.Type} charts are not installable",
            chart.metadata.Type,
            Position(chart.name() + "/Chart.yaml"),
        )
    check_dependencies(chart, helm_major)
    try:
        process_dependencies(chart, user_vals, helm_major, warnings)
    except ValuesError as exc:
        prefix = "chart dependencies processing failed: " if helm_major >= 4 else ""
        raise ValuesError(prefix + exc.message, exc.position) from None
    values = coalesce_values(chart, user_vals, helm_major, warnings)
    if not skip_schema:
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
