"""values.schema.json validation as `helm template` does it (ValidateAgainstSchema): the walk over
the chart and its subcharts here, each schema applied by `chartfix.helm.schema_check`, which is
loaded only when a chart has a schema (it imports `jsonschema`, about 90 ms of CPU)."""

from __future__ import annotations

from types import ModuleType

from chartfix.errors import Position, SchemaLoadError, SchemaValidationError, ValuesError
from chartfix.go.fmt import go_type_name
from chartfix.helm.chart import Chart

_HEADER = "values don't meet the specifications of the schema(s) in the following chart(s):\n"


def schema_check() -> ModuleType:
    """`chartfix.helm.schema_check`: the one deferred import of `jsonschema` (and `referencing`), for
    values.schema.json files and `.chartfix.yaml` (docs/architecture.md). A run with neither never
    loads it."""
    from chartfix.helm import schema_check as module  # noqa: PLC0415 - start-up time, see above

    return module


def validate_against_schema(chart: Chart, values: dict, helm_major: int = 4) -> None:
    """Raise SchemaValidationError with Helm's message when values break the chart's or a subchart's
    schema, SchemaLoadError (same text) when a schema cannot be applied at all."""
    unloadable: list[str] = []
    report = _validate_tree(chart, values, helm_major, unloadable)
    if report:
        position = Position(chart.name() + "/values.schema.json")
        if unloadable:
            raise SchemaLoadError(_HEADER + report, position, unloadable)
        raise SchemaValidationError(_HEADER + report, position)


def _validate_tree(chart: Chart, values: dict, helm_major: int, unloadable: list[str] | None = None) -> str:
    """Helm's report for the chart tree; the full paths of charts whose schema cannot be applied are
    appended to `unloadable`."""
    out = []
    if chart.schema is not None:
        check = schema_check()
        problem = check.validate_single(values, chart.schema, helm_major)
        if problem:
            out.append(f"{chart.name()}:\n{problem}")
            if isinstance(problem, check.LoadProblem) and unloadable is not None:
                unloadable.append(chart.chart_full_path())
    for sub in chart.dependencies:
        raw = values.get(sub.name())
        if helm_major >= 4:
            if raw is None:
                continue
            if not isinstance(raw, dict):
                out.append(
                    f"{sub.name()}:\ninvalid type for values: expected object (map), got {go_type_name(raw)}\n"
                )
                continue
        elif not isinstance(raw, dict):
            # Helm 3 asserts the type and panics (the process dies) - report it plainly.
            raise ValuesError(
                "panic: interface conversion: interface {} is not map[string]interface {}",
                Position(sub.chart_full_path() + "/values.schema.json"),
            )
        out.append(_validate_tree(sub, raw, helm_major, unloadable))
    return "".join(out)
