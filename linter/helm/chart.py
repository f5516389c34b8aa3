"""The chart model: what Helm's pkg/chart (v3) / pkg/chart/v2 (v4) hold after loading a chart.

Metadata, Maintainer and Dependency are GoStructs so that templates can read them exactly as Helm
exposes them; `Chart` itself is plain Python (templates never see it directly).
"""

from __future__ import annotations

import re
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from chartfix.go.types import GoStruct

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


@dataclass
class Maintainer(GoStruct):
    Name: str = ""
    Email: str = ""
    URL: str = ""

    go_type = "*chart.Maintainer"

    def go_fields(self) -> dict[str, Any]:
        return {"Name": self.Name, "Email": self.Email, "URL": self.URL}

    def go_json(self) -> dict[str, Any]:
        return _json_fields(self, (("Name", "name", True), ("Email", "email", True), ("URL", "url", True)))


@dataclass
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


@dataclass
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
            raise ValidationError(f"chart.metadata.name {go_quote(self.Name)} is not allowed")
        if self.Name != _go_path_base(self.Name):
            raise ValidationError(f"chart.metadata.name {go_quote(self.Name)} is invalid")
        if not self.Version:
            raise VersionValidationError("chart.metadata.version is required")
        if parse_semver(self.Version) is None:
            raise VersionValidationError(f"chart.metadata.version {go_quote(self.Version)} is invalid")
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
                raise ValidationError(
                    f"dependency {go_quote(dep.Name)} has disallowed characters in the alias"
                )
            key = dep.Alias or dep.Name
            if key in seen:
                raise ValidationError(f"more than one dependency with name or alias {go_quote(key)}")
            seen.add(key)


METADATA_FIELDS = tuple(Metadata.__dataclass_fields__)
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


@dataclass
class ChartFile:
    name: str  # chart-relative, '/'-separated
    data: bytes


@dataclass
class Chart:
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


def go_quote(s: str) -> str:
    """Go's %q for a string (strconv.Quote)."""
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\a\b\f\n\r\t\v":
            out.append(
                {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}[
                    ch
                ]
            )
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def sanitize_string(s: str) -> str:
    """Helm's sanitizeString: whitespace -> ' ', drop non-printable runes."""
    out = []
    for ch in s:
        if ch.isspace():
            out.append(" ")
        elif ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
    return "".join(out)


def _go_path_base(name: str) -> str:
    """filepath.Base on Linux."""
    if name == "":
        return "."
    stripped = name.rstrip("/")
    if stripped == "":
        return "/"
    return stripped.rsplit("/", 1)[-1]


# Masterminds/semver v3 NewVersion (coercing/loose mode, the default of v3.3 and v3.4).
_LOOSE_SEMVER = re.compile(
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_UINT64_MAX = 2**64 - 1


@dataclass(frozen=True)
class SemVer:
    major: int
    minor: int
    patch: int
    pre: str = ""
    metadata: str = ""

    def compare(self, other: SemVer) -> int:
        for a, b in ((self.major, other.major), (self.minor, other.minor), (self.patch, other.patch)):
            if a != b:
                return -1 if a < b else 1
        if self.pre == other.pre:
            return 0
        if not self.pre:
            return 1
        if not other.pre:
            return -1
        return compare_prerelease(self.pre, other.pre)

    def __str__(self) -> str:
        s = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            s += "-" + self.pre
        if self.metadata:
            s += "+" + self.metadata
        return s


def parse_semver(text: str) -> SemVer | None:
    """Masterminds semver.NewVersion; None where it returns an error."""
    m = _LOOSE_SEMVER.fullmatch(text)
    if m is None:
        return None
    nums = [int(m.group(1)), int((m.group(2) or ".0")[1:]), int((m.group(3) or ".0")[1:])]
    if any(n > _UINT64_MAX for n in nums):
        return None
    pre, meta = m.group(5) or "", m.group(8) or ""
    for part in pre.split(".") if pre else ():
        if part.isdigit() and len(part) > 1 and part[0] == "0":
            return None
    return SemVer(nums[0], nums[1], nums[2], pre, meta)


def compare_prerelease(a: str, b: str) -> int:
    pa, pb = a.split("."), b.split(".")
    for x, y in zip(pa, pb, strict=False):
        if x == y:
            continue
        xd, yd = x.isdigit(), y.isdigit()
        if xd and yd:
            return -1 if int(x) < int(y) else 1
        if xd:
            return -1
        if yd:
            return 1
        return -1 if x < y else 1
    if len(pa) == len(pb):
        return 0
    return -1 if len(pa) < len(pb) else 1


def format_float32_g(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 32): how sigs.k8s.io/yaml turns a YAML float into a string
    when the Go target field is a string (so `version: 1.10` becomes "1.1")."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    try:
        f32 = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return "+Inf" if value > 0 else "-Inf"
    if f32 == 0:
        return "0"
    for prec in range(1, 10):
        digits = f"{f32:.{prec - 1}e}"
        if struct.unpack("f", struct.pack("f", float(digits)))[0] == f32:
            break
    mantissa, exp_text = digits.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    mant_digits = mantissa.lstrip("-").replace(".", "").rstrip("0") or "0"
    return sign + _go_shortest_g(mant_digits, int(exp_text))


def _go_shortest_g(digits: str, exp: int) -> str:
    # strconv/ftoa.go, %g with shortest precision: exponent form iff exp < -4 || exp >= 6.
    nd, dp = len(digits), exp + 1
    if exp < -4 or exp >= 6:
        mant = digits[0] + ("." + digits[1:] if nd > 1 else "")
        return f"{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= nd:
        return digits + "0" * (dp - nd)
    return digits[:dp] + "." + digits[dp:]
