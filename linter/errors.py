"""The project's own error types. Every failure a user can cause ends in one of these.

The CLI turns a ChartfixError into one line `file:line:col: message` on stderr and exit code 2;
anything else escaping is a bug.
"""

from __future__ import annotations

from chartfix.records import record


@record(frozen=True)
class Position:
    """A place in a chart source file. `file` is chart-relative (e.g. `mychart/templates/a.yaml`),
    line and column are 1-based; 0 means unknown."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}"
        if self.line:
            return f"{self.file}:{self.line}"
        return self.file


class ChartfixError(Exception):
    """Base of every error chartfix reports to the user (exit code 2)."""

    def __init__(self, message: str, position: Position | None = None, located: bool = False) -> None:
        """`located`: the message already names the position (Helm's "execution error at (f:l:c)")."""
        super().__init__(message)
        self.message = message
        self.position = position
        self.located = located

    def __str__(self) -> str:
        if self.position is not None and not self.located:
            return f"{self.position}: {self.message}"
        return self.message


class TemplateSyntaxError(ChartfixError):
    """The template text does not parse (Go text/template's parse errors)."""


class TemplateExecError(ChartfixError):
    """Executing a template failed (Go's exec errors, `fail`, `required`, bad function arguments)."""


class ChartFailError(TemplateExecError):
    """The chart's own `fail` or `required` stopped rendering (Helm's "execution error at"): the
    values do not suit the chart, the templates work as written."""


class ChartLoadError(ChartfixError):
    """The chart cannot be loaded: missing or bad Chart.yaml, bad archive, missing dependency..."""


class ValuesError(ChartfixError):
    """Values cannot be read, parsed, coalesced or validated against values.schema.json."""


class RenderError(ChartfixError):
    """Rendering produced output that cannot be split or parsed into Kubernetes objects."""


class LimitExceeded(ChartfixError):
    """A resource limit (size, depth, recursion, count) was hit: hostile or broken input."""


class NotInstallableError(ChartLoadError):
    """The chart's type (Chart.yaml `type:`) is not `application`: a library chart is never rendered."""

    def __init__(self, message: str, chart_type: str, position: Position | None = None) -> None:
        super().__init__(message, position)
        self.chart_type = chart_type


class MissingDependenciesError(ChartLoadError):
    """Chart.yaml lists dependencies that are not in charts/ (`helm dependency build` was not run)."""

    def __init__(self, message: str, missing: list[str], position: Position | None = None) -> None:
        super().__init__(message, position)
        self.missing = missing


class ChartVersionError(ChartLoadError):
    """Chart.yaml's `version` is missing or not a semantic version (reported as CF1010)."""


class SchemaValidationError(ValuesError):
    """The values do not meet values.schema.json (reported as CF1009). A schema that cannot be loaded
    (bad JSON, a remote `$ref`) is a SchemaLoadError instead."""


class SchemaLoadError(ValuesError):
    """values.schema.json cannot be read or resolved (bad JSON, an unreachable `$ref`): the values
    are not known to be wrong, the schema cannot be applied. `charts`: the full paths of the charts
    whose schema it is."""

    def __init__(self, message: str, position: Position | None = None, charts: list[str] | None = None):
        super().__init__(message, position)
        self.charts = charts or []
