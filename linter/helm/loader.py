"""Load a chart from a directory or a .tgz exactly as Helm's chart loader does (pkg/chart/loader in
Helm 3.17, pkg/chart/v2/loader in Helm 4.1), with limits against hostile archives and trees.

Also holds Helm's pkg/ignore (.helmignore rules).
"""

from __future__ import annotations

import gzip
import io
import math
import os
import re
import stat
import tarfile
import zlib
from typing import Any

from chartfix.errors import ChartfixError, ChartLoadError, ChartVersionError, Position
from chartfix.go.path import BadPattern, base, clean, compile_go_match, ext, go_match
from chartfix.go.strconv import format_float
from chartfix.go.yaml.decode import first_non_finite, yaml_to_json_value
from chartfix.go.yaml.errors import YamlError
from chartfix.go.yaml.gojson import json_kind
from chartfix.helm.chart import (
    APIVERSION_V1,
    APIVERSION_V2,
    Chart,
    ChartFile,
    Dependency,
    Maintainer,
    Metadata,
    ValidationError,
    VersionValidationError,
)
from chartfix.helm.valuesfile import load_values_file
from chartfix.records import record

# Helm's archive limits (pkg/chart/loader/archive): 100 MiB decompressed per chart, 5 MiB a file.
MAX_CHART_SIZE = 100 * 1024 * 1024
MAX_FILE_SIZE = 5 * 1024 * 1024
# Our own guard (Helm has none): files in one chart tree, subchart nesting.
MAX_FILE_COUNT = 50_000
MAX_NESTING = 32

_UTF8_BOM = b"\xef\xbb\xbf"
_DRIVE_PATH = re.compile(r"[a-zA-Z]:/")
_MANIFEST_EXTS = (".yaml", ".yml", ".json")


class _LoadFailure(Exception):
    """An error with Helm's text, raised inside the loader and turned into ChartLoadError."""

    def __init__(
        self,
        message: str,
        file: str = "",
        line: int = 0,
        column: int = 0,
        error_type: type[ChartLoadError] = ChartLoadError,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.error_type = error_type


def _within_file(data: bytes, line: int, column: int) -> tuple[int, int]:
    """An error at the end of the stream (after the last newline) is placed at the end of the last
    line: a 6-line file's error is on line 6, not on a line 7 the editor does not have."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if lines and line > len(lines):
        return len(lines), len(lines[-1].decode("utf-8", errors="replace")) + 1
    return line, column


@record
class _Buffered:
    """A file read from a chart folder or archive, before it is sorted into the chart."""

    name: str
    data: bytes


# --- public API ------------------------------------------------------------------------------------


def load_chart(path: str | os.PathLike, helm_major: int = 4) -> Chart:
    """Helm's loader.Load: a chart directory or a chart archive (.tgz)."""
    source = os.fspath(path)
    label = os.path.basename(os.path.abspath(source).rstrip(os.sep)) or source
    try:
        if not os.path.exists(source):
            raise _LoadFailure(f"stat {source}: no such file or directory")
        if os.path.isdir(source):
            if helm_major >= 4 and not os.path.exists(os.path.join(source, "Chart.yaml")):
                chart_yaml = os.path.join(os.path.abspath(source), "Chart.yaml")
                raise _LoadFailure(
                    f"unable to detect chart at {chart_yaml}: open {chart_yaml}: no such file or directory"
                )
            files = _read_dir(source)
        else:
            files = _read_archive_file(source)
        if helm_major >= 4:
            _check_chart_api_version(files)
        chart = _load_files(files, helm_major, depth=0)
    except _LoadFailure as exc:
        file = f"{label}/{exc.file}" if exc.file else label
        raise exc.error_type(exc.message, Position(file, exc.line, exc.column)) from None
    except ChartfixError:
        raise
    except (OSError, RecursionError, MemoryError) as exc:
        raise ChartLoadError(f"cannot load chart: {exc}", Position(label)) from None
    _set_sources(chart, os.path.abspath(source))
    return chart


def load_values_bytes(data: bytes, filename: str, helm_major: int = 4) -> dict:
    """A values file as Helm reads a chart's values.yaml (Helm 4 merges multiple YAML documents,
    Helm 3 reads only the first one). Raises ValuesError / LimitExceeded.

    Parsed values are cached by content (vendored copies of the same subchart are common) and
    every caller gets its own copy."""
    key = (data, helm_major)
    cached = _VALUES_CACHE.get(key)
    if cached is None:
        cached = load_values_file(data.decode("utf-8", errors="surrogateescape"), filename, helm_major)
        if len(_VALUES_CACHE) >= _VALUES_CACHE_SIZE:
            del _VALUES_CACHE[next(iter(_VALUES_CACHE))]
        _VALUES_CACHE[key] = cached
    return _copy_tree(cached)


_VALUES_CACHE: dict[tuple[bytes, int], dict] = {}
_VALUES_CACHE_SIZE = 128


def _copy_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_tree(v) for v in value]
    return value


def merge_maps(a: dict, b: dict) -> dict:
    """Helm 4's loader.MergeMaps: b wins; nested maps merge recursively."""
    out = dict(a)
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge_maps(out[k], v)
        else:
            out[k] = v
    return out


def _check_chart_api_version(files: list[_Buffered]) -> None:
    """Helm 4 picks a loader by Chart.yaml's apiVersion before loading (pkg/chart/loader)."""
    chart_yaml = next((f for f in files if f.name == "Chart.yaml"), None)
    if chart_yaml is None:
        raise _LoadFailure("unable to detect chart version, no Chart.yaml found")
    parsed = _parse_yaml(chart_yaml.data, "Chart.yaml")
    api_version = parsed.get("apiVersion") if isinstance(parsed, dict) else None
    if api_version in (None, "", APIVERSION_V1, APIVERSION_V2):
        return
    if api_version == "v3":
        raise _LoadFailure(
            "charts with apiVersion v3 (Helm 4's experimental format) are not supported", "Chart.yaml"
        )
    raise _LoadFailure("unsupported chart version", "Chart.yaml")


# --- reading -------------------------------------------------------------------------------------


def _read_dir(topdir: str) -> list[_Buffered]:
    """LoadDir: walk in lexical order, apply .helmignore (+ defaults), follow symlinks that stay
    inside the chart."""
    top = os.path.realpath(topdir)
    rules = Rules()
    ignore_file = os.path.join(top, HELM_IGNORE)
    if os.path.isfile(ignore_file):
        try:
            with open(ignore_file, encoding="utf-8", errors="replace") as fh:
                rules = Rules.parse(fh.read())
        except IgnoreError as exc:
            raise _LoadFailure(str(exc), HELM_IGNORE) from None
    rules.add_defaults()

    files: list[_Buffered] = []
    total = 0
    visiting: set[str] = set()

    def walk(real_dir: str, rel_dir: str) -> None:
        nonlocal total
        if real_dir in visiting:
            raise _LoadFailure(f"symbolic link loop at {rel_dir}", rel_dir)
        visiting.add(real_dir)
        for entry in sorted(os.listdir(real_dir)):
            rel = f"{rel_dir}/{entry}" if rel_dir else entry
            full = os.path.join(real_dir, entry)
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                target = os.path.realpath(full)
                if target != top and not target.startswith(top + os.sep):
                    raise _LoadFailure(
                        f"symbolic link {rel} points outside the chart: refusing to follow it", rel
                    )
                try:
                    st = os.stat(target)
                except OSError:
                    raise _LoadFailure(f"error evaluating symlink {rel}: target missing", rel) from None
                full = target
            if stat.S_ISDIR(st.st_mode):
                if not rules.ignore(rel, True):
                    walk(full, rel)
                continue
            if rules.ignore(rel, False):
                continue
            if not stat.S_ISREG(st.st_mode):
                raise _LoadFailure(
                    f"cannot load irregular file {os.path.join(topdir, rel)} as it has file mode type bits set",
                    rel,
                )
            if st.st_size > MAX_FILE_SIZE:
                raise _LoadFailure(
                    f'chart file "{entry}" is larger than the maximum file size {MAX_FILE_SIZE}', rel
                )
            total += st.st_size
            if total > MAX_CHART_SIZE:
                raise _LoadFailure(f"chart is larger than the maximum size {MAX_CHART_SIZE}", rel)
            if len(files) >= MAX_FILE_COUNT:
                raise _LoadFailure(f"chart has more than {MAX_FILE_COUNT} files", rel)
            data = read_bounded(full, MAX_FILE_SIZE)
            files.append(_Buffered(rel, data.removeprefix(_UTF8_BOM)))
        visiting.discard(real_dir)

    walk(top, "")
    return files


def _read_archive_file(name: str) -> list[_Buffered]:
    raw = read_bounded(name, MAX_CHART_SIZE)
    if not raw.startswith(b"\x1f\x8b\x08"):
        if name.endswith((".yml", ".yaml")):
            raise _LoadFailure(f"file '{name}' seems to be a YAML file, but expected a gzipped archive")
        raise _LoadFailure(
            f"file '{name}' does not appear to be a gzipped archive; got '{_sniff(raw[:512])}'"
        )
    if len(raw) > MAX_CHART_SIZE:
        raise _LoadFailure(f"chart archive is larger than the maximum size {MAX_CHART_SIZE}")
    return _archive_files(raw, f"file '{name}'")


def read_bounded(path: str, limit: int) -> bytes:
    """At most limit + 1 bytes of the file (the caller reports the excess), without allocating a
    buffer of the limit's size up front as `read(limit + 1)` does."""
    chunks = []
    size = 0
    with open(path, "rb") as fh:
        while size <= limit:
            chunk = fh.read(min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    return b"".join(chunks)


def _sniff(head: bytes) -> str:
    """A small part of Go's http.DetectContentType: enough for the error Helm prints."""
    if not head:
        return "text/plain; charset=utf-8"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if any(b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B) for b in head):
        return "application/octet-stream"
    return "text/plain; charset=utf-8"


def _archive_files(raw: bytes, what: str) -> list[_Buffered]:
    """LoadArchiveFiles: gunzip + untar with Helm's path checks and size limits."""
    try:
        decompressor = gzip.GzipFile(fileobj=io.BytesIO(raw))
        decompressor.peek(1)
    except (OSError, EOFError, zlib.error):
        raise _LoadFailure(
            f"{what} does not appear to be a valid chart file (details: gzip: invalid header)"
        ) from None
    files: list[_Buffered] = []
    remaining = MAX_CHART_SIZE
    try:
        with tarfile.open(fileobj=decompressor, mode="r|") as tar:
            for member in tar:
                if member.isdir():
                    continue
                delimiter = "\\" if "\\" in member.name else "/"
                parts = member.name.split(delimiter)
                name = "/".join(parts[1:])
                if name.startswith("/"):
                    raise _LoadFailure("chart illegally contains absolute paths")
                name = clean(name)
                if name == ".":
                    raise _LoadFailure(
                        f'chart illegally contains content outside the base directory: "{member.name}"'
                    )
                if name.startswith(".."):
                    raise _LoadFailure("chart illegally references parent directory")
                if _DRIVE_PATH.match(name):
                    raise _LoadFailure("chart contains illegally named files")
                if parts[0] == "Chart.yaml":
                    raise _LoadFailure("chart yaml not in base directory")
                if member.issym() or member.islnk():
                    raise _LoadFailure(f"chart archive contains a link, which is not allowed: {member.name}")
                if not member.isreg():
                    raise _LoadFailure(
                        f"chart archive contains a special file, which is not allowed: {member.name}"
                    )
                if member.size > remaining:
                    raise _LoadFailure(f"decompressed chart is larger than the maximum size {MAX_CHART_SIZE}")
                if member.size > MAX_FILE_SIZE:
                    raise _LoadFailure(
                        f'decompressed chart file "{member.name}" is larger than the maximum file size {MAX_FILE_SIZE}'
                    )
                if len(files) >= MAX_FILE_COUNT:
                    raise _LoadFailure(f"chart archive has more than {MAX_FILE_COUNT} files")
                fh = tar.extractfile(member)
                data = fh.read() if fh is not None else b""
                if len(data) < member.size:
                    raise _LoadFailure("unexpected EOF")
                remaining -= len(data)
                if remaining <= 0:
                    raise _LoadFailure(f"decompressed chart is larger than the maximum size {MAX_CHART_SIZE}")
                files.append(_Buffered(name, data.removeprefix(_UTF8_BOM)))
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        detail = str(exc) or type(exc).__name__
        if "compressed file ended" in detail or isinstance(exc, EOFError):
            detail = "unexpected EOF"
        raise _LoadFailure(f"unable to load chart archive: {detail}") from None
    if not files:
        raise _LoadFailure("no files in chart archive")
    return files


# --- LoadFiles -----------------------------------------------------------------------------------


def _load_files(files: list[_Buffered], helm_major: int, depth: int) -> Chart:
    if depth > MAX_NESTING:
        raise _LoadFailure(f"subcharts nested more than {MAX_NESTING} levels deep")
    metadata: Metadata | None = None
    chart = Chart(metadata=Metadata())
    for f in files:
        chart.raw_files[f.name] = f.data
        if f.name == "Chart.yaml":
            metadata = metadata or Metadata()
            _decode_metadata(metadata, f.data, "Chart.yaml", helm_major)
            if not metadata.APIVersion:
                metadata.APIVersion = APIVERSION_V1
    subcharts: dict[str, list[_Buffered]] = {}
    for f in files:
        name = f.name
        if name == "Chart.yaml":
            continue
        if name in ("Chart.lock", "requirements.lock"):
            chart.lock = _parse_yaml(f.data, name) if f.data.strip() else None
            if name == "requirements.lock":
                metadata = metadata or Metadata()
                if metadata.APIVersion != APIVERSION_V1:
                    chart.warnings.append(
                        'Warning: Dependency locking is handled in Chart.lock since apiVersion "v2". '
                        "We recommend migrating to Chart.lock."
                    )
                else:
                    chart.files.append(ChartFile(name, f.data))
        elif name == "values.yaml":
            try:
                chart.values = load_values_bytes(f.data, name, helm_major)
            except ChartfixError as exc:
                line, column = (exc.position.line, exc.position.column) if exc.position else (0, 0)
                if not line:
                    line, column = invalid_utf8_position(f.data)
                line, column = _within_file(f.data, line, column)
                raise _LoadFailure(f"cannot load values.yaml: {exc.message}", name, line, column) from None
        elif name == "values.schema.json":
            chart.schema = f.data
        elif name == "requirements.yaml":
            metadata = metadata or Metadata()
            if metadata.APIVersion != APIVERSION_V1:
                chart.warnings.append(
                    'Warning: Dependencies are handled in Chart.yaml since apiVersion "v2". '
                    "We recommend migrating dependencies to Chart.yaml."
                )
            _decode_metadata(metadata, f.data, name, helm_major)
            if metadata.APIVersion == APIVERSION_V1:
                chart.files.append(ChartFile(name, f.data))
        elif name.startswith("templates/"):
            chart.templates.append(ChartFile(name, f.data))
        elif name.startswith("charts/"):
            if ext(name) == ".prov":
                chart.files.append(ChartFile(name, f.data))
                continue
            rest = name[len("charts/") :]
            cname = rest.split("/", 1)[0]
            subcharts.setdefault(cname, []).append(_Buffered(rest, f.data))
        else:
            chart.files.append(ChartFile(name, f.data))

    if metadata is None:
        raise _LoadFailure("Chart.yaml file is missing", "Chart.yaml")
    chart.metadata = metadata
    try:
        metadata.validate(helm_major)
    except ValidationError as exc:
        kind = ChartVersionError if isinstance(exc, VersionValidationError) else ChartLoadError
        raise _LoadFailure(str(exc), "Chart.yaml", error_type=kind) from None
    chart.crds = [
        f for f in chart.files if f.name.startswith("crds/") and f.name.lower().endswith(_MANIFEST_EXTS)
    ]

    # Go ranges over a map here (random order); we load subcharts in name order.
    for cname in sorted(subcharts):
        sub_files = subcharts[cname]
        if cname[:1] in ("_", "."):
            continue
        try:
            if ext(cname) == ".tgz":
                first = sub_files[0]
                if first.name != cname:
                    raise _LoadFailure(
                        f"error unpacking subchart tar in {chart.name()}: expected {cname}, got {first.name}"
                    )
                sub = _load_files(_archive_files(first.data, "stream"), helm_major, depth + 1)
            else:
                trimmed = [_Buffered(f.name.split("/", 1)[1], f.data) for f in sub_files if "/" in f.name]
                sub = _load_files(trimmed, helm_major, depth + 1)
        except _LoadFailure as exc:
            if exc.message.startswith("error unpacking subchart tar"):
                raise
            inner = f"charts/{cname}/{exc.file}" if exc.file else f"charts/{cname}"
            raise _LoadFailure(
                f"error unpacking subchart {cname} in {chart.name()}: {exc.message}",
                inner,
                error_type=exc.error_type,
            ) from None
        sub.parent = chart
        chart.dependencies.append(sub)
    return chart


def _set_sources(chart: Chart, source: str) -> None:
    chart.source = source
    for dep in chart.dependencies:
        _set_sources(dep, source)


# --- Chart.yaml decoding: sigs.k8s.io/yaml into the Metadata struct -------------------------------

_METADATA_JSON = {
    "name": ("Name", "string"),
    "home": ("Home", "string"),
    "sources": ("Sources", "[]string"),
    "version": ("Version", "string"),
    "description": ("Description", "string"),
    "keywords": ("Keywords", "[]string"),
    "maintainers": ("Maintainers", "[]maintainer"),
    "icon": ("Icon", "string"),
    "apiversion": ("APIVersion", "string"),
    "condition": ("Condition", "string"),
    "tags": ("Tags", "string"),
    "appversion": ("AppVersion", "string"),
    "deprecated": ("Deprecated", "bool"),
    "annotations": ("Annotations", "map[string]string"),
    "kubeversion": ("KubeVersion", "string"),
    "dependencies": ("Dependencies", "[]dependency"),
    "type": ("Type", "string"),
}
_MAINTAINER_JSON = {"name": ("Name", "string"), "email": ("Email", "string"), "url": ("URL", "string")}
_DEPENDENCY_JSON = {
    "name": ("Name", "string"),
    "version": ("Version", "string"),
    "repository": ("Repository", "string"),
    "condition": ("Condition", "string"),
    "tags": ("Tags", "[]string"),
    "enabled": ("Enabled", "bool"),
    "import-values": ("ImportValues", "[]interface {}"),
    "alias": ("Alias", "string"),
}


class _TypeError(Exception):
    pass


def _to_string(value: Any, where: str) -> str:
    # sigs.k8s.io/yaml converts YAML numbers and bools to strings when the Go target is a string.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # The JSON round trip lost int vs float; YAML ints (the common case, e.g. a date-like
        # appVersion: 20230101) print as integers, other floats as FormatFloat(v, 'g', -1, 32).
        # A -0 can only have been a YAML float.
        if value.is_integer() and abs(value) < 1e21 and math.copysign(1.0, value) > 0:
            return str(int(value))
        return format_float(value, "g", -1, 32)
    if isinstance(value, str):
        return value
    raise _TypeError(f"json: cannot unmarshal {json_kind(value)} into Go struct field {where} of type string")


def _decode_struct(obj: Any, data: dict, fields: dict, type_name: str, prefix: str, package: str) -> None:
    """encoding/json into a struct: `type_name` is the struct's (errors name it with the field's
    path from the top, `prefix`). sigs.k8s.io/yaml hands encoding/json a JSON text whose keys are
    sorted, and a key matches a field exactly or case-insensitively: of `appVersion` and
    `APPVERSION`, the one sorted last is decoded last and wins. `package`: the Go package of the
    chart types in messages (Helm 3's `chart`, Helm 4's `v2`)."""
    for key, value in sorted(data.items()):
        spec = fields.get(str(key)) or fields.get(str(key).lower())
        if spec is None:
            continue
        attr, kind = spec
        json_name = next(k for k, v in fields.items() if v == spec)
        where = f"{type_name}.{prefix}{json_name}"
        if value is None:
            if kind.startswith("[]") or kind.startswith("map"):
                setattr(obj, attr, [] if kind.startswith("[]") else {})
            continue
        if kind == "string":
            setattr(obj, attr, _to_string(value, where))
        elif kind == "bool":
            if not isinstance(value, bool):
                raise _TypeError(
                    f"json: cannot unmarshal {json_kind(value)} into Go struct field {where} of type bool"
                )
            setattr(obj, attr, value)
        elif kind == "[]string":
            if not isinstance(value, list):
                raise _TypeError(
                    f"json: cannot unmarshal {json_kind(value)} into Go struct field {where} of type []string"
                )
            setattr(obj, attr, [_to_string(v, where) if v is not None else "" for v in value])
        elif kind == "map[string]string":
            if not isinstance(value, dict):
                raise _TypeError(
                    f"json: cannot unmarshal {json_kind(value)} into Go struct field {where} of type map[string]string"
                )
            setattr(
                obj, attr, {str(k): _to_string(v, where) if v is not None else "" for k, v in value.items()}
            )
        elif kind == "[]interface {}":
            if not isinstance(value, list):
                raise _TypeError(
                    f"json: cannot unmarshal {json_kind(value)} into Go struct field {where} of type []interface {{}}"
                )
            setattr(obj, attr, list(value))
        else:
            item_type, item_fields, factory = (
                ("Maintainer", _MAINTAINER_JSON, Maintainer)
                if kind == "[]maintainer"
                else ("Dependency", _DEPENDENCY_JSON, Dependency)
            )
            if not isinstance(value, list):
                raise _TypeError(
                    f"json: cannot unmarshal {json_kind(value)} into Go struct field {where} of type []*{package}.{item_type}"
                )
            items = []
            for v in value:
                if v is None:
                    items.append(None)
                    continue
                if not isinstance(v, dict):
                    raise _TypeError(
                        f"json: cannot unmarshal {json_kind(v)} into Go struct field {where} of type {package}.{item_type}"
                    )
                item = factory()
                _decode_struct(item, v, item_fields, item_type, prefix + json_name + ".", package)
                items.append(item)
            setattr(obj, attr, items)


def _non_finite_as_text(data: dict, fields: dict) -> dict:
    """`data` with each NaN or infinity bound for a string field (or a []string or
    map[string]string element) written as Go's FormatFloat text."""

    def text(value: Any) -> Any:
        return (
            format_float(value, "g", -1, 32)
            if isinstance(value, float) and not math.isfinite(value)
            else value
        )

    out = {}
    for key, value in data.items():
        spec = fields.get(str(key)) or fields.get(str(key).lower())
        kind = spec[1] if spec else ""
        if kind == "string":
            value = text(value)
        elif kind == "[]string" and isinstance(value, list):
            value = [text(item) for item in value]
        elif kind == "map[string]string" and isinstance(value, dict):
            value = {k: text(v) for k, v in value.items()}
        elif kind in ("[]maintainer", "[]dependency") and isinstance(value, list):
            item_fields = _MAINTAINER_JSON if kind == "[]maintainer" else _DEPENDENCY_JSON
            value = [_non_finite_as_text(v, item_fields) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


def _decode_metadata(metadata: Metadata, data: bytes, filename: str, helm_major: int) -> None:
    """Chart.yaml (or a v1 chart's requirements.yaml) decoded into `metadata`. Helm 4 reads
    Chart.yaml into its loader's own struct first, so a document that is not a map names that."""
    what = "Chart.yaml" if filename == "Chart.yaml" else filename
    package = "v2" if helm_major >= 4 else "chart"
    parsed = _parse_yaml(data, filename, non_finite=helm_major < 4)
    if helm_major < 4:
        # Helm 3's sigs.k8s.io/yaml writes a float bound for a Go string as text (NaN and the
        # infinities too); anywhere else JSON cannot hold them.
        if isinstance(parsed, dict):
            parsed = _non_finite_as_text(parsed, _METADATA_JSON)
        bad = first_non_finite(parsed)
        if bad is not None:
            raise _LoadFailure(
                f"cannot load {what}: error converting YAML to JSON: json: unsupported value: "
                f"{format_float(bad, 'g', -1)}",
                filename,
            )
    if parsed is None:
        return
    if not isinstance(parsed, dict):
        target = "loader.chartBase" if helm_major >= 4 and filename == "Chart.yaml" else f"{package}.Metadata"
        raise _LoadFailure(
            f"cannot load {what}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{json_kind(parsed)} into Go value of type {target}",
            filename,
        )
    try:
        _decode_struct(metadata, parsed, _METADATA_JSON, "Metadata", "", package)
    except _TypeError as exc:
        raise _LoadFailure(
            f"cannot load {what}: error unmarshaling JSON: while decoding JSON: {exc}", filename
        ) from None


# --- YAML ------------------------------------------------------------------------------------------


def _parse_yaml(data: bytes, filename: str, non_finite: bool = False) -> Any:
    """The first YAML document as sigs.k8s.io/yaml turns it into JSON-like data (`non_finite`: NaN
    and infinities left in, see yaml_to_json_value)."""
    try:
        return yaml_to_json_value(data.decode("utf-8", errors="surrogateescape"), non_finite=non_finite)
    except YamlError as err:
        line, column = (err.line, err.column) if err.line else invalid_utf8_position(data)
        raise _LoadFailure(
            f"cannot load {filename}: error converting YAML to JSON: {err.message}", filename, line, column
        ) from None


def invalid_utf8_position(data: bytes) -> tuple[int, int]:
    """(line, column) of the first byte that is not UTF-8, 1-based; (0, 0) when all of it is.
    go-yaml's reader errors carry no position: this names the place for the user."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        before = data[: err.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
        return before.count(b"\n") + 1, column
    return 0, 0


# --- .helmignore (pkg/ignore) --------------------------------------------------------------------

HELM_IGNORE = ".helmignore"


@record
class _Rule:
    """One .helmignore line, parsed."""

    raw: str
    pattern: str
    negate: bool
    must_dir: bool
    kind: str  # "rooted" | "path" | "base"

    def matches(self, path: str) -> bool:
        if self.kind == "base":
            path = base(path)
        return go_match(self.pattern, path)


class IgnoreError(ValueError):
    pass


class Rules:
    """A parsed .helmignore. `ignore(path, is_dir)` answers as Helm's Rules.Ignore, including its
    quirk that a negated rule which does not match ignores the path."""

    def __init__(self) -> None:
        self.rules: list[_Rule] = []

    @classmethod
    def parse(cls, text: str) -> Rules:
        rules = cls()
        for n, line in enumerate(text.splitlines()):
            if n == 0:
                line = line.removeprefix("\ufeff")
            rules.add_rule(line)
        return rules

    def add_defaults(self) -> None:
        self.add_rule("templates/.?*")

    def add_rule(self, rule: str) -> None:
        rule = rule.strip()
        if not rule or rule.startswith("#"):
            return
        if "**" in rule:
            raise IgnoreError("double-star (**) syntax is not supported")
        try:
            compile_go_match(rule)
        except BadPattern as exc:
            raise IgnoreError(str(exc)) from None
        raw = rule
        negate = rule.startswith("!")
        if negate:
            rule = rule[1:]
        must_dir = rule.endswith("/")
        if must_dir:
            rule = rule[:-1]
        if rule.startswith("/"):
            kind, rule = "rooted", rule[1:]
        elif "/" in rule:
            kind = "path"
        else:
            kind = "base"
        self.rules.append(_Rule(raw, rule, negate, must_dir, kind))

    def ignore(self, path: str, is_dir: bool) -> bool:
        if path in ("", ".", "./"):
            return False
        for rule in self.rules:
            try:
                matched = rule.matches(path)
            except BadPattern:
                matched = False
            if rule.negate:
                if rule.must_dir and not is_dir:
                    return True
                if not matched:
                    return True
                continue
            if rule.must_dir and not is_dir:
                continue
            if matched:
                return True
        return False
