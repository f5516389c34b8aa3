""".chartfix.yaml: rule switches and severities, the fail-on default, per-chart values and ignores.

Found by walking up from each chart's folder (or given with --config). Validated against
config.schema.json; a problem is a ChartfixError naming the file, line and column.
"""

from __future__ import annotations

import datetime
import fnmatch
import json
import os
from functools import cache
from typing import Any

from chartfix.errors import ChartfixError, Position
from chartfix.findings.suppress import Suppression, resolve_rule
from chartfix.helm.schema import schema_check
from chartfix.records import record
from chartfix.rules.finding import Finding

CONFIG_NAME = ".chartfix.yaml"
CONFIG_NAMES = (CONFIG_NAME, ".chartfix.yml")


@record(frozen=True)
class ChartSettings:
    """A `charts:` entry of `.chartfix.yaml`: the values to lint the matching charts with."""

    path: str  # glob, relative to the config file's folder
    values: tuple[str, ...] = ()  # absolute paths
    set_values: tuple[str, ...] = ()
    set_string: tuple[str, ...] = ()
    namespace: str | None = None


@record(frozen=True)
class IgnoreRule:
    """An `ignore:` entry of `.chartfix.yaml`: which findings it covers, why, and until when."""

    reason: str
    location: str  # ".chartfix.yaml:12"
    rules: frozenset[str] = frozenset()  # empty: every rule
    chart: str | None = None
    path: str | None = None
    kind: str | None = None
    namespace: str | None = None
    name: str | None = None
    until: datetime.date | None = None

    def matches(self, finding: Finding, chart_relative: str) -> bool:
        if self.rules and finding.rule_id not in self.rules:
            return False
        if self.chart is not None and not fnmatch.fnmatchcase(chart_relative, self.chart):
            return False
        if self.path is not None and not fnmatch.fnmatchcase(finding.position.file, self.path):
            return False
        if self.kind is not None or self.namespace is not None or self.name is not None:
            kind, namespace, name = split_subject(finding.subject)
            for pattern, value in ((self.kind, kind), (self.namespace, namespace), (self.name, name)):
                if pattern is not None and (value is None or not fnmatch.fnmatchcase(value, pattern)):
                    return False
        return True


@record(frozen=True)
class Config:
    """A `.chartfix.yaml`, read and validated (the defaults when there is none)."""

    file: str | None = None  # None: no configuration file
    fail_on: str | None = None
    disabled: frozenset[str] = frozenset()
    severities: tuple[tuple[str, str], ...] = ()  # (rule id, severity)
    charts: tuple[ChartSettings, ...] = ()
    ignores: tuple[IgnoreRule, ...] = ()

    @property
    def folder(self) -> str:
        return os.path.dirname(os.path.abspath(self.file)) if self.file else os.getcwd()

    def chart_relative(self, chart: str) -> str:
        """The chart's path relative to the config file's folder, with `/` (for `chart`/`path` globs)."""
        relative = os.path.relpath(os.path.abspath(chart), self.folder)
        return relative.replace(os.sep, "/")

    def settings_for(self, chart: str) -> ChartSettings | None:
        relative = self.chart_relative(chart).rstrip("/")
        for settings in self.charts:
            if fnmatch.fnmatchcase(relative, settings.path.rstrip("/")):
                return settings
        return None

    def apply(
        self, findings: list[Finding], chart: str, today: datetime.date
    ) -> tuple[list[Finding], list[tuple[Finding, Suppression]], dict[str, list[str]]]:
        """Drop disabled rules, set severities, split off findings the ignores cover. Returns the kept
        findings, the suppressed ones, and notes (expired ignores) by fingerprint."""
        severities = dict(self.severities)
        relative = self.chart_relative(chart)
        kept: list[Finding] = []
        suppressed: list[tuple[Finding, Suppression]] = []
        notes: dict[str, list[str]] = {}
        for finding in findings:
            if finding.rule_id in self.disabled:
                continue
            if finding.rule_id in severities:
                finding.severity = severities[finding.rule_id]
            suppression = None
            for ignore in self.ignores:
                if not ignore.matches(finding, relative):
                    continue
                if ignore.until is not None and today > ignore.until:
                    note = f"the ignore at {ignore.location} expired on {ignore.until.isoformat()} ({ignore.reason})"
                    notes.setdefault(finding.fingerprint(), []).append(note)
                    continue
                suppression = Suppression("config", ignore.reason, ignore.location)
                break
            if suppression is None:
                kept.append(finding)
            else:
                suppressed.append((finding, suppression))
        return kept, suppressed, notes


def split_subject(subject: str) -> tuple[str | None, str | None, str | None]:
    """`Kind ns/name` or `Kind name` (a finding's subject) -> (kind, namespace, name)."""
    if not subject or " " not in subject:
        return None, None, None
    kind, rest = subject.split(" ", 1)
    if "/" in rest:
        namespace, name = rest.split("/", 1)
        return kind, namespace, name
    return kind, None, rest


def find_config(start: str) -> str | None:
    """The nearest .chartfix.yaml in `start`'s folder (or the folder itself) and its ancestors."""
    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


@cache
def load_config(path: str) -> Config:
    """Read and validate a configuration file (cached by path)."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError as error:
        raise ChartfixError(f"cannot read configuration: {error.strerror}", Position(path)) from error
    from chartfix.findings import config_yaml  # deferred: see docs/architecture.md

    document = config_yaml.read_document(path, text)
    if document is None:
        return Config(file=path)
    data = _plain(document)
    errors = sorted(_validator().iter_errors(data), key=lambda e: _locate(document, list(e.absolute_path)))
    if errors:
        raise _schema_error(path, document, errors[0])
    return _build(path, document, data)


@cache
def config_schema() -> dict[str, Any]:
    with open(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "config.schema.json"), encoding="utf-8"
    ) as handle:
        text = handle.read()
    return json.loads(text)


@cache
def _validator() -> Any:
    """A jsonschema validator for config.schema.json (the library is loaded with the first config)."""
    return schema_check().validator(config_schema())


def _plain(value: Any) -> Any:
    """Round-trip YAML nodes as JSON types (dates as YYYY-MM-DD strings) for the schema."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value if not isinstance(value, str) else str(value)
    return str(value)


def _schema_error(path: str, document: Any, error: Any) -> ChartfixError:
    """`error`: the first jsonschema.ValidationError."""
    keys = list(error.absolute_path)
    where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".") or "(top level)"
    message = f"{where}: {error.message}"
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known)
        if extra:
            keys.append(extra[0])
            allowed = ", ".join(sorted(known))
            message = f"unknown key {extra[0]!r} in {where}; allowed: {allowed}"
    elif error.validator == "oneOf" and keys and keys[0] == "rules":
        message = f"{where}: expected off, on, error, warning, info or {{enabled: bool, severity: ...}}"
    line, column = _locate(document, keys)
    return ChartfixError(f"invalid configuration: {message}", Position(path, line, column))


def _locate(document: Any, keys: list[Any]) -> tuple[int, int]:
    """1-based line and column of the node at `keys` (the key itself for mapping entries)."""
    node, line, column = document, 1, 1
    for key in keys:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and lc is not None and key in node:
                line, column = lc.key(key)
                line, column = line + 1, column + 1
            elif isinstance(node, list) and lc is not None and isinstance(key, int):
                line, column = lc.item(key)
                line, column = line + 1, column + 1
            node = node[key]
        except (KeyError, IndexError, TypeError):
            break
    return line, column


def _build(path: str, document: Any, data: dict[str, Any]) -> Config:
    disabled: set[str] = set()
    severities: list[tuple[str, str]] = []
    for name, setting in (data.get("rules") or {}).items():
        rule_id = _rule_id(path, document, ["rules", name], name)
        if setting is False or setting == "off":
            disabled.add(rule_id)
        elif isinstance(setting, str) and setting in ("error", "warning", "info"):
            severities.append((rule_id, setting))
        elif isinstance(setting, dict):
            if setting.get("enabled") is False:
                disabled.add(rule_id)
            if "severity" in setting:
                severities.append((rule_id, setting["severity"]))
    folder = os.path.dirname(os.path.abspath(path))
    charts = tuple(
        ChartSettings(
            path=entry["path"],
            values=tuple(os.path.join(folder, v) for v in entry.get("values", [])),
            set_values=tuple(entry.get("set", [])),
            set_string=tuple(entry.get("set-string", [])),
            namespace=entry.get("namespace"),
        )
        for entry in data.get("charts") or []
    )
    ignores = []
    for index, entry in enumerate(data.get("ignore") or []):
        line, _ = _locate(document, ["ignore", index])
        rules = frozenset(
            _rule_id(path, document, ["ignore", index, "rules", i], name)
            for i, name in enumerate(entry.get("rules", []))
        )
        until = None
        if "until" in entry:
            try:
                until = datetime.date.fromisoformat(entry["until"])
            except ValueError as error:
                position = Position(path, *_locate(document, ["ignore", index, "until"]))
                raise ChartfixError(
                    f"invalid configuration: bad date {entry['until']!r}", position
                ) from error
        ignores.append(
            IgnoreRule(
                reason=entry["reason"].strip(),
                location=f"{_display(path)}:{line}",
                rules=rules,
                chart=entry.get("chart"),
                path=entry.get("path"),
                kind=entry.get("kind"),
                namespace=entry.get("namespace"),
                name=entry.get("name"),
                until=until,
            )
        )
    return Config(
        file=path,
        fail_on=data.get("fail-on"),
        disabled=frozenset(disabled),
        severities=tuple(severities),
        charts=charts,
        ignores=tuple(ignores),
    )


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def _rule_id(path: str, document: Any, keys: list[Any], name: str) -> str:
    rule_id = resolve_rule(name)
    if rule_id is None:
        position = Position(path, *_locate(document, keys))
        raise ChartfixError(
            f"invalid configuration: unknown rule {name!r} (`chartfix rules` lists them)", position
        )
    return rule_id


__all__ = ["CONFIG_NAME", "ChartSettings", "Config", "IgnoreRule", "find_config", "load_config"]
