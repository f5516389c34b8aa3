"""The chart model: what Helm's pkg/chart (v3) / pkg/chart/v2 (v4) hold after loading a chart.

Metadata, Maintainer and Dependency are GoStructs so that templates can read them exactly as Helm
exposes them; `Chart` itself is plain Python (templates never see it directly).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from chartfix.go.path import base
from chartfix.go.semver import parse_version
from chartfix.go.strconv import quote
from chartfix.go.types import GoStruct
from chartfix.records import field, fields, record

APIVERSION_V1 = "v1"
APIVERSION_V2 = "v2"

_ALIAS_NAME = re.compile(r"[a-zA-Z0-9_-]+")


class ValidationError(Exception):
    """Helm's chart.ValidationError: printed as `validation: MESSAGE`."""

    def __str__(self) -> str:
        return "validation: " + self.args[0]


class VersionValidationError(ValidationError):
    """The chart's `version` is missing or not a semantic version."""


def _json_fields(obj: GoStruct, tags: tuple[tuple[str, str, bool], ...]) -> dict[str, Any]:
    """encoding/json's view of a struct: (Go field, json name, omitempty) in declaration order."""
    out: dict[str, Any] = {}
    for attr, name, omit_empty in tags:
        value = getattr(obj, attr)
        if omit_empty and (value is None or value is False or value == "" or value == [] or value == {}):
            continue
        out[name] = value
    return out


@record
class Maintainer(GoStruct):
    """A Chart.yaml maintainer (Helm's chart.Maintainer)."""

    Name: str = ""
    Email: str = ""
    URL: str = ""

    go_type = "*chart.Maintainer"

    def go_fields(self) -> dict[str, Any]:
        return {"Name": self.Name, "Email": self.Email, "URL": self.URL}

    def go_json(self) -> dict[str, Any]:
        return _json_fields(self, (("Name", "name", True), ("Email", "email", True), ("URL", "url", True)))


@record
class Dependency(GoStruct):
    """One entry of Chart.yaml `dependencies` (or requirements.yaml for apiVersion v1)."""

    Name: str = ""
    Version: str = ""
    Repository: str = ""
    Condition: str = ""
    Tags: list = field(default_factory=list)
    Enabled: bool = False
    ImportValues: list = field(default_factory=list)
    Alias: str = ""

    go_type = "*chart.Dependency"

    def go_fields(self) -> dict[str, Any]:
        return {
            "Name": self.Name,
            "Version": self.Version,
            "Repository": self.Repository,
            "Condition": self.Condition,
            "Tags": self.Tags,
            "Enabled": self.Enabled,
            "ImportValues": self.ImportValues,
            "Alias": self.Alias,
        }

    def go_json(self) -> dict[str, Any]:
        return _json_fields(
            self,
            (
                ("Name", "name", False),
                ("Version", "version", True),
                ("Repository", "repository", False),
                ("Condition", "condition", True),
                ("Tags", "tags", True),
                ("Enabled", "enabled", True),
                ("ImportValues", "import-values", True),
                ("Alias", "alias", True),
            ),
        )

    def copy(self) -> Dependency:
        return Dependency(
            self.Name,
            self.Version,
            self.Repository,
            self.Condition,
            list(self.Tags),
            self.Enabled,
            list(self.ImportValues),
            self.Alias,
        )


@record
class Metadata(GoStruct):
    """Helm's chart.Metadata; fields in Go declaration order (that order is what `%v` prints)."""

    Name: str = ""
    Home: str = ""
    Sources: list = field(default_factory=list)
    Version: str = ""
    Description: str = ""
    Keywords: list = field(default_factory=list)
    Maintainers: list = field(default_factory=list)  # Maintainer | None
    Icon: str = ""
    APIVersion: str = ""
    Condition: str = ""
    Tags: str = ""
    AppVersion: str = ""
    Deprecated: bool = False
    Annotations: dict = field(default_factory=dict)
    KubeVersion: str = ""
    Dependencies: list = field(default_factory=list)  # Dependency | None
    Type: str = ""

    go_type = "*chart.Metadata"

    def go_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in METADATA_FIELDS}

    def go_json(self) -> dict[str, Any]:
        return _json_fields(self, _METADATA_JSON_TAGS)

    def copy(self) -> Metadata:
        """Go's `md := *metadata` plus fresh Dependency structs (Helm 4's copyMetadata)."""
        out = Metadata(**{name: getattr(self, name) for name in METADATA_FIELDS})
        out.Dependencies = [d.copy() if d is not None else None for d in self.Dependencies]
        return out

    def validate(self, helm_major: int = 4) -> None:
        """Helm's Metadata.Validate: sanitises strings in place, raises ValidationError."""
        for name in ("Name", "Description", "Home", "Icon", "Condition", "Tags", "AppVersion", "KubeVersion"):
            setattr(self, name, sanitize_string(getattr(self, name)))
        self.Sources = [sanitize_string(s) for s in self.Sources]
        self.Keywords = [sanitize_string(s) for s in self.Keywords]
        if not self.APIVersion:
            raise ValidationError("chart.metadata.apiVersion is required")
        if not self.Name:
            raise ValidationError("chart.metadata.name is required")
        if helm_major >= 4 and self.Name in (".", ".."):
            raise ValidationError(f"chart.metadata.name {quote(self.Name)} is not allowed")
        if self.Name != base(self.Name):
            raise ValidationError(f"chart.metadata.name {quote(self.Name)} is invalid")
        if not self.Version:
            raise VersionValidationError("chart.metadata.version is required")
        if parse_version(self.Version, modern=helm_major >= 4) is None:
            raise VersionValidationError(f"chart.metadata.version {quote(self.Version)} is invalid")
        if self.Type not in ("", "application", "library"):
            raise ValidationError("chart.metadata.type must be application or library")
        for m in self.Maintainers:
            if m is None:
                raise ValidationError("maintainers must not contain empty or null nodes")
            m.Name, m.Email, m.URL = sanitize_string(m.Name), sanitize_string(m.Email), sanitize_string(m.URL)
        seen: set[str] = set()
        for dep in self.Dependencies:
            if dep is None:
                raise ValidationError("dependencies must not contain empty or null nodes")
            dep.Name = sanitize_string(dep.Name)
            dep.Version = sanitize_string(dep.Version)
            dep.Repository = sanitize_string(dep.Repository)
            dep.Condition = sanitize_string(dep.Condition)
            dep.Tags = [sanitize_string(t) for t in dep.Tags]
            if dep.Alias and not _ALIAS_NAME.fullmatch(dep.Alias):
                raise ValidationError(f"dependency {quote(dep.Name)} has disallowed characters in the alias")
            key = dep.Alias or dep.Name
            if key in seen:
                raise ValidationError(f"more than one dependency with name or alias {quote(key)}")
            seen.add(key)


METADATA_FIELDS = fields(Metadata)
# Every Metadata field is `json:"lowerCamel,omitempty"`.
_METADATA_JSON_TAGS = tuple(
    (
        name,
        {"APIVersion": "apiVersion", "AppVersion": "appVersion", "KubeVersion": "kubeVersion"}.get(
            name, name[0].lower() + name[1:]
        ),
        True,
    )
    for name in METADATA_FIELDS
)


@record
class ChartFile:
    """One file of a chart, by its chart-relative name."""

    name: str  # chart-relative, '/'-separated
    data: bytes


@record
class Chart:
    """A loaded chart: metadata, files, values, schema and dependencies (Helm's chart.Chart)."""

    metadata: Metadata
    templates: list[ChartFile] = field(default_factory=list)
    crds: list[ChartFile] = field(default_factory=list)
    files: list[ChartFile] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    schema: bytes | None = None
    dependencies: list[Chart] = field(default_factory=list)
    parent: Chart | None = None
    source: str = ""
    raw_files: dict[str, bytes] = field(default_factory=dict)
    lock: dict | None = None  # Chart.lock / requirements.lock as parsed YAML
    warnings: list[str] = field(default_factory=list)  # what Helm's loader logs

    def name(self) -> str:
        return self.metadata.Name

    def is_library(self) -> bool:
        return self.metadata.Type.lower() == "library"

    def is_root(self) -> bool:
        return self.parent is None

    def chart_full_path(self) -> str:
        if self.parent is None:
            return self.name()
        return self.parent.chart_full_path() + "/charts/" + self.name()

    def chart_path(self) -> str:
        """Helm's ChartPath: `parent.child`."""
        if self.parent is None:
            return self.name()
        return self.parent.chart_path() + "." + self.name()

    def set_dependencies(self, charts: list[Chart]) -> None:
        self.dependencies = []
        for c in charts:
            c.parent = self
            self.dependencies.append(c)

    def all_crds(self) -> list[tuple[str, ChartFile]]:
        """Helm's CRDObjects: (filename as Helm reports it, file) for this chart and its subcharts."""
        out = [(self.chart_full_path() + "/" + f.name, f) for f in self.crds]
        for dep in self.dependencies:
            out.extend(dep.all_crds())
        return out


# --- helpers shared with the loader and the dependency code -------------------------------------


def sanitize_string(s: str) -> str:
    """Helm's sanitizeString: whitespace -> ' ', drop non-printable runes."""
    out = []
    for ch in s:
        if ch.isspace():
            out.append(" ")
        elif ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
    return "".join(out)
