"""Values coalescing as Helm does it (chartutil/coalesce.go in Helm 3.17, pkg/chart/common/util/coalesce.go
in Helm 4.1): chart defaults under user values, globals copied down to subcharts, nulls deleting keys."""

from __future__ import annotations

from typing import Any

from chartfix.errors import ValuesError
from chartfix.go.fmt import sprintf
from chartfix.go.strconv import quote
from chartfix.go.types import ATOMIC_CLASSES
from chartfix.helm.chart import Chart

GLOBAL_KEY = "global"


class ValuesWarnings:
    """Where Helm would log.Printf a warning while coalescing: we collect the lines instead."""

    def __init__(self, sink: list[str] | None = None) -> None:
        self.sink = sink if sink is not None else []

    def warn(self, message: str) -> None:
        self.sink.append(message)


def copy_values(value: Any) -> Any:
    """copystructure.Copy for JSON-like data (maps and slices copied, scalars shared)."""
    if isinstance(value, dict):
        return {k: v if v.__class__ in ATOMIC_CLASSES else copy_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if v.__class__ in ATOMIC_CLASSES else copy_values(v) for v in value]
    return value


def go_sprint_value(value: Any) -> str:
    """fmt.Sprintf("%v", value)."""

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
                    self.sink.append(f"Conflict: cannot merge map onto non-map for {quote(key)}. Skipping.")
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
