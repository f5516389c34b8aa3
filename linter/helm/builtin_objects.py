"""The built-in objects templates see: .Capabilities, .Files and .Chart, as Helm builds them
(chartutil/capabilities.go + engine/files.go in Helm 3.17; pkg/chart/common and pkg/engine in 4.1).
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from typing import Any

from chartfix.errors import ChartfixError
from chartfix.go.semver import parse_version
from chartfix.go.strconv import quote
from chartfix.go.types import GoPanic, GoStruct, go_method
from chartfix.helm.chart import METADATA_FIELDS, Chart, ChartFile, Metadata
from chartfix.helm.serialize import SERIALIZE_FUNCS

# --- Capabilities ----------------------------------------------------------------------------------

# Helm's default kube version is the vendored k8s.io/client-go minor + 1:
# v3.17.3 vendors client-go v0.32.2 (set by the Makefile's ldflags), v4.1.4 vendors v0.35.1.
DEFAULT_KUBE_VERSION = {3: (1, 32), 4: (1, 35)}

# The release binaries' version.BuildInfo (tag, tag commit, Go toolchain of the release workflow).
_BUILD_INFO = {
    3: ("v3.17.3", "e4da49785aa6e6ee2b86efd5dd9e43400318262b", "go1.23.7"),
    4: ("v4.1.4", "05fa37973dc9e42b76e1d2883494c87174b6074f", "go1.25.9"),
}

# client-go's scheme (kubernetes/scheme/register.go), in registration order, then the two
# apiextensions versions Helm adds. The scheme has no version priorities, so
# PrioritizedVersionsAllGroups returns them in exactly this order.
_COMMON_GROUP_VERSIONS = (
    "v1",
    "admissionregistration.k8s.io/v1",
    "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1",
    "internal.apiserver.k8s.io/v1alpha1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "authentication.k8s.io/v1",
    "authentication.k8s.io/v1alpha1",
    "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1",
    "authorization.k8s.io/v1beta1",
    "autoscaling/v1",
    "autoscaling/v2",
    "autoscaling/v2beta1",
    "autoscaling/v2beta2",
    "batch/v1",
    "batch/v1beta1",
    "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1",
    "certificates.k8s.io/v1alpha1",
    "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1",
    "events.k8s.io/v1beta1",
    "extensions/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1",
    "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3",
    "networking.k8s.io/v1",
)
_GROUP_VERSIONS = {
    3: _COMMON_GROUP_VERSIONS
    + (
        "networking.k8s.io/v1alpha1",
        "networking.k8s.io/v1beta1",
        "node.k8s.io/v1",
        "node.k8s.io/v1alpha1",
        "node.k8s.io/v1beta1",
        "policy/v1",
        "policy/v1beta1",
        "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1",
        "resource.k8s.io/v1beta1",
        "resource.k8s.io/v1alpha3",
        "scheduling.k8s.io/v1alpha1",
        "scheduling.k8s.io/v1beta1",
        "scheduling.k8s.io/v1",
        "storage.k8s.io/v1beta1",
        "storage.k8s.io/v1",
        "storage.k8s.io/v1alpha1",
        "storagemigration.k8s.io/v1alpha1",
        "apiextensions.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1",
    ),
    4: _COMMON_GROUP_VERSIONS
    + (
        "networking.k8s.io/v1beta1",
        "node.k8s.io/v1",
        "node.k8s.io/v1alpha1",
        "node.k8s.io/v1beta1",
        "policy/v1",
        "policy/v1beta1",
        "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1",
        "resource.k8s.io/v1",
        "resource.k8s.io/v1beta2",
        "resource.k8s.io/v1beta1",
        "resource.k8s.io/v1alpha3",
        "scheduling.k8s.io/v1alpha1",
        "scheduling.k8s.io/v1beta1",
        "scheduling.k8s.io/v1",
        "storage.k8s.io/v1beta1",
        "storage.k8s.io/v1",
        "storage.k8s.io/v1alpha1",
        "storagemigration.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1",
    ),
}


def _pkg(helm_major: int) -> str:
    return "common" if helm_major >= 4 else "chartutil"


class VersionSet(list):
    """chartutil.VersionSet ([]string) with its Has method."""

    helm_major = 4

    @property
    def go_type(self) -> str:
        return f"{_pkg(self.helm_major)}.VersionSet"

    @go_method("string")
    def Has(self, api_version: str) -> bool:  # noqa: N802 - Go method name
        return api_version in self


class KubeVersion(GoStruct):
    """Helm's KubeVersion. Helm 4 keeps the version as given (GitVersion) and a normalised one
    that String() returns; Helm 3 stores only the normalised `v<semver>`."""

    def __init__(
        self, version: str, major: str, minor: str, normalized: str = "", helm_major: int = 4
    ) -> None:
        self.Version = version
        self.Major = major
        self.Minor = minor
        self.normalized = normalized
        self.helm_major = helm_major
        self.go_type = f"{_pkg(helm_major)}.KubeVersion"

    def go_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"Version": self.Version}
        if self.helm_major >= 4:
            fields["normalizedVersion"] = self.normalized
        fields["Major"] = self.Major
        fields["Minor"] = self.Minor
        return fields

    def go_field(self, name: str) -> Any:
        if name == "normalizedVersion":
            raise KeyError(name)
        return super().go_field(name)

    @go_method()
    def String(self) -> str:  # noqa: N802
        return str(self)

    def __str__(self) -> str:
        return self.normalized or self.Version

    @go_method()
    def GitVersion(self) -> str:  # noqa: N802
        return self.Version


class BuildInfo(GoStruct):
    def __init__(self, helm_major: int) -> None:
        self.helm_major = helm_major
        self.Version, self.GitCommit, self.GoVersion = _BUILD_INFO[4 if helm_major >= 4 else 3]
        self.GitTreeState = "clean"
        major, minor = DEFAULT_KUBE_VERSION[4 if helm_major >= 4 else 3]
        self.KubeClientVersion = f"v{major}.{minor}"

    go_type = "version.BuildInfo"

    def go_fields(self) -> dict[str, Any]:
        fields = {
            "Version": self.Version,
            "GitCommit": self.GitCommit,
            "GitTreeState": self.GitTreeState,
            "GoVersion": self.GoVersion,
        }
        if self.helm_major >= 4:
            fields["KubeClientVersion"] = self.KubeClientVersion
        return fields


class Capabilities(GoStruct):
    def __init__(self, kube_version: KubeVersion, api_versions: VersionSet, helm_major: int = 4) -> None:
        self.KubeVersion = kube_version
        self.APIVersions = api_versions
        self.HelmVersion = BuildInfo(helm_major)
        self.go_type = f"*{_pkg(helm_major)}.Capabilities"

    def go_fields(self) -> dict[str, Any]:
        return {
            "KubeVersion": self.KubeVersion,
            "APIVersions": self.APIVersions,
            "HelmVersion": self.HelmVersion,
        }


# k8s.io/apimachinery/pkg/util/version ParseGeneric (Helm 4's ParseKubeVersion).
_GENERIC_VERSION = re.compile(r"\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*", re.DOTALL)


def parse_kube_version(version: str, helm_major: int = 4) -> KubeVersion:
    """Helm's ParseKubeVersion (what `--kube-version` goes through)."""
    if helm_major < 4:
        sv = parse_version(version, modern=False)
        if sv is None:
            raise ChartfixError("Invalid Semantic Version")
        return KubeVersion(f"v{sv.text()}", str(sv.major), str(sv.minor), "", helm_major=3)
    m = _GENERIC_VERSION.fullmatch(version)
    if m is None:
        raise ChartfixError(f"could not parse {quote(version)} as version")
    parts = m.group(1).split(".")
    if len(parts) < 2:
        raise ChartfixError(f"illegal version string {quote(version)}")
    if len(parts[0]) > 1 and parts[0].startswith("0"):
        raise ChartfixError(f"illegal zero-prefixed version component {quote(parts[0])} in {quote(version)}")
    numbers = [int(p) for p in parts]
    if any(n > 2**64 - 1 for n in numbers):
        raise ChartfixError(f"illegal version string {quote(version)}")
    # A generic version keeps only its numeric components (any suffix is dropped).
    normalized = "v" + ".".join(str(n) for n in numbers)
    git_version = version if version.startswith("v") else "v" + version
    return KubeVersion(git_version, str(numbers[0]), str(numbers[1]), normalized, helm_major=4)


@lru_cache(maxsize=8)
def _default_api_versions(helm_major: int) -> tuple[str, ...]:
    return _GROUP_VERSIONS[4 if helm_major >= 4 else 3]


def make_capabilities(
    kube_version: str | None, api_versions: list[str] | None, helm_major: int = 4
) -> Capabilities:
    """`helm template` capabilities: DefaultCapabilities, --kube-version, plus --api-versions."""
    major = 4 if helm_major >= 4 else 3
    if kube_version:
        try:
            kv = parse_kube_version(kube_version, major)
        except ChartfixError as exc:
            raise ChartfixError(f"invalid kube version '{kube_version}': {exc.message}") from None
    else:
        kmaj, kmin = DEFAULT_KUBE_VERSION[major]
        version = f"v{kmaj}.{kmin}.0"
        kv = KubeVersion(version, str(kmaj), str(kmin), version if major >= 4 else "", helm_major=major)
    versions = VersionSet(_default_api_versions(major))
    versions.extend(api_versions or [])
    versions.helm_major = major
    return Capabilities(kv, versions, major)


# --- .Chart ----------------------------------------------------------------------------------------


class ChartWithRoot(GoStruct):
    """Helm 3's `struct { chart.Metadata; IsRoot bool }`: the metadata fields are promoted."""

    go_type = "struct { chart.Metadata; IsRoot bool }"

    def __init__(self, metadata: Metadata, is_root: bool) -> None:
        self.Metadata = _metadata_value(metadata)
        self.IsRoot = is_root

    def go_fields(self) -> dict[str, Any]:
        return {"Metadata": self.Metadata, "IsRoot": self.IsRoot}

    def go_json(self) -> dict[str, Any]:
        # encoding/json promotes the embedded struct's fields; IsRoot has no json tag.
        return {**self.Metadata.go_json(), "IsRoot": self.IsRoot}

    def go_field(self, name: str) -> Any:
        if name in ("Metadata", "IsRoot"):
            return getattr(self, name)
        return self.Metadata.go_field(name)


class _MetadataValue(Metadata):
    go_type = "chart.Metadata"


def _metadata_value(metadata: Metadata) -> Metadata:
    """The struct value (not pointer) embedded in Helm 3's per-chart .Chart."""
    return _MetadataValue(**{name: getattr(metadata, name) for name in METADATA_FIELDS})


def chart_object(chart: Chart, helm_major: int = 4, with_is_root: bool = True) -> Any:
    """.Chart as templates see it. Helm 3: *chart.Metadata at the top level, the IsRoot struct
    per chart. Helm 4: Metadata turned into map[string]interface{} by structToMap (+ IsRoot)."""
    if helm_major < 4:
        if with_is_root:
            return ChartWithRoot(chart.metadata, chart.is_root())
        return chart.metadata
    out = _struct_to_map(chart.metadata)
    if with_is_root:
        out["IsRoot"] = chart.is_root()
    return out


def _struct_to_map(obj: GoStruct) -> dict:
    out: dict[str, Any] = {}
    for name, value in obj.go_fields().items():
        if isinstance(value, list):
            out[name] = [_struct_to_map(v) if isinstance(v, GoStruct) else v for v in value]
        else:
            out[name] = value
    return out


# --- .Files ----------------------------------------------------------------------------------------


class Files(dict):
    """engine.files: a map[string][]byte with methods. Being a dict, templates can range over it,
    index it and take its len; `.Files.name` looks the map up after the methods, as in Go."""

    go_type = "engine.files"

    def __init__(self, files: list[ChartFile] | dict[str, bytes] | None = None) -> None:
        if isinstance(files, dict):
            super().__init__(files)
        else:
            super().__init__({f.name: f.data for f in files or ()})

    @property
    def files(self) -> dict[str, bytes]:
        return self

    @go_method("string")
    def GetBytes(self, name: str) -> bytes:  # noqa: N802
        return self.files.get(name, b"")

    @go_method("string")
    def Get(self, name: str) -> str:  # noqa: N802
        return self.files.get(name, b"").decode("utf-8", errors="surrogateescape")

    @go_method("string")
    def Glob(self, pattern: str) -> Files:  # noqa: N802
        matcher = glob_matcher(pattern)
        return Files({name: data for name, data in self.files.items() if matcher.fullmatch(name)})

    @go_method()
    def AsConfig(self) -> str:  # noqa: N802
        mapping = {
            name.rsplit("/", 1)[-1]: data.decode("utf-8", errors="surrogateescape")
            for name, data in sorted(self.files.items())
        }
        return _to_yaml(mapping)

    @go_method()
    def AsSecrets(self) -> str:  # noqa: N802
        mapping = {
            name.rsplit("/", 1)[-1]: base64.b64encode(data).decode("ascii")
            for name, data in sorted(self.files.items())
        }
        return _to_yaml(mapping)

    @go_method("string")
    def Lines(self, path: str) -> list[str]:  # noqa: N802
        data = self.files.get(path)
        if data is None:
            return []
        text = data.decode("utf-8", errors="surrogateescape")
        if not text:
            # Go indexes s[len(s)-1] on an empty file and panics.
            raise GoPanic("runtime error: index out of range [-1]")
        if text.endswith("\n"):
            text = text[:-1]
        return text.split("\n")


def _to_yaml(mapping: dict[str, str]) -> str:
    """Helm's engine toYAML: sigs.k8s.io/yaml Marshal, trailing newline trimmed."""

    return SERIALIZE_FUNCS["toYaml"].impl(mapping)


# --- gobwas/glob, as engine.files.Glob compiles it with '/' as the separator ----------------------


class GlobError(ValueError):
    pass


@lru_cache(maxsize=512)
def compile_gobwas_glob(pattern: str) -> re.Pattern[str]:
    """gobwas/glob.Compile(pattern, '/') as a regex. Raises GlobError for a pattern it rejects."""
    regex, i = _glob_seq(pattern, 0, in_alt=False)
    if i != len(pattern):
        raise GlobError(pattern)
    return re.compile(regex, re.DOTALL)


def _glob_seq(p: str, i: int, in_alt: bool) -> tuple[str, int]:
    out = []
    while i < len(p):
        ch = p[i]
        if in_alt and ch in ",}":
            break
        if ch == "*":
            if i + 1 < len(p) and p[i + 1] == "*":
                out.append(".*")
                i += 2
            else:
                out.append("[^/]*")
                i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            end = p.find("]", i + 1)
            if end < 0:
                raise GlobError(p)
            body = p[i + 1 : end]
            neg = body.startswith("!")
            if neg:
                body = body[1:]
            if not body:
                raise GlobError(p)
            if len(body) == 3 and body[1] == "-":
                cls = re.escape(body[0]) + "-" + re.escape(body[2])
            else:
                cls = "".join(re.escape(c) for c in body)
            out.append(("[^" if neg else "[") + cls + "]")
            i = end + 1
        elif ch == "{":
            alts = []
            i += 1
            while True:
                alt, i = _glob_seq(p, i, in_alt=True)
                alts.append(alt)
                if i >= len(p):
                    raise GlobError(p)
                if p[i] == "}":
                    i += 1
                    break
                i += 1  # ','
            out.append("(?:" + "|".join(alts) + ")")
        elif ch == "\\":
            if i + 1 >= len(p):
                raise GlobError(p)
            out.append(re.escape(p[i + 1]))
            i += 2
        elif ch in "]}" and not in_alt:
            out.append(re.escape(ch))
            i += 1
        else:
            out.append(re.escape(ch))
            i += 1
    return "".join(out), i


def glob_matcher(pattern: str) -> re.Pattern[str]:
    """What Files.Glob uses: an invalid pattern falls back to `**` (matches everything)."""
    try:
        return compile_gobwas_glob(pattern)
    except GlobError:
        return compile_gobwas_glob("**")
