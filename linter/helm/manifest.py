"""Rendered template output -> Kubernetes manifests and hooks, as Helm's release util sorts them.

Mirrors pkg/release/v1/util (manifest.go, manifest_sorter.go, kind_sorter.go): split each file's
output on `---`, read every document's head (apiVersion, kind, metadata.name, annotations), separate
hooks by their `helm.sh/hook` annotation, and order both lists by kind as Helm installs them.
"""

from __future__ import annotations

import re
from typing import Any

from chartfix.errors import LimitExceeded, Position, RenderError
from chartfix.go.strconv import int_or_out_of_range
from chartfix.go.unicode import GO_SPACE
from chartfix.go.yaml.decode import yaml_unmarshal
from chartfix.go.yaml.errors import YamlError
from chartfix.go.yaml.gojson import json_kind
from chartfix.records import field, record

HOOK_ANNOTATION = "helm.sh/hook"
HOOK_WEIGHT_ANNOTATION = "helm.sh/hook-weight"
HOOK_DELETE_ANNOTATION = "helm.sh/hook-delete-policy"
HOOK_OUTPUT_LOG_ANNOTATION = "helm.sh/hook-output-log-policy"

HOOK_EVENTS = {
    "pre-install",
    "post-install",
    "pre-delete",
    "post-delete",
    "pre-upgrade",
    "post-upgrade",
    "pre-rollback",
    "post-rollback",
    "test",
}
_EVENT_ALIASES = {"test-success": "test"}

_INSTALL_ORDER_V4 = (
    "PriorityClass Namespace NetworkPolicy ResourceQuota LimitRange PodSecurityPolicy "
    "PodDisruptionBudget ServiceAccount Secret SecretList ConfigMap StorageClass PersistentVolume "
    "PersistentVolumeClaim CustomResourceDefinition ClusterRole ClusterRoleList ClusterRoleBinding "
    "ClusterRoleBindingList Role RoleList RoleBinding RoleBindingList Service DaemonSet Pod "
    "ReplicationController ReplicaSet Deployment HorizontalPodAutoscaler StatefulSet Job CronJob "
    "IngressClass Ingress APIService MutatingWebhookConfiguration ValidatingWebhookConfiguration"
).split()
_UNINSTALL_ORDER_V4 = (
    "ValidatingWebhookConfiguration MutatingWebhookConfiguration APIService Ingress IngressClass "
    "Service CronJob Job StatefulSet HorizontalPodAutoscaler Deployment ReplicaSet "
    "ReplicationController Pod DaemonSet RoleBindingList RoleBinding RoleList Role "
    "ClusterRoleBindingList ClusterRoleBinding ClusterRoleList ClusterRole CustomResourceDefinition "
    "PersistentVolumeClaim PersistentVolume StorageClass ConfigMap SecretList Secret ServiceAccount "
    "PodDisruptionBudget PodSecurityPolicy LimitRange ResourceQuota NetworkPolicy Namespace "
    "PriorityClass"
).split()
_WEBHOOK_KINDS = ("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")


def install_order(helm_major: int = 4) -> list[str]:
    """Helm's InstallOrder; Helm 3 does not list the webhook configurations (they sort as unknown)."""
    return _INSTALL_ORDER_V4 if helm_major >= 4 else [k for k in _INSTALL_ORDER_V4 if k not in _WEBHOOK_KINDS]


def uninstall_order(helm_major: int = 4) -> list[str]:
    """Helm's UninstallOrder; Helm 4 deletes webhook configurations first, Helm 3 last (as unknown)."""
    return (
        _UNINSTALL_ORDER_V4
        if helm_major >= 4
        else [k for k in _UNINSTALL_ORDER_V4 if k not in _WEBHOOK_KINDS]
    )


# Helm's document separator is the Go regexp `(?:^|\s*\n)---\s*` (see _separators), where \s is
# ASCII and has no \v; Helm's strings.TrimSpace around documents trims unicode.IsSpace (GO_SPACE).
_RE2_SPACE = "\t\n\f\r "


@record
class Head:
    """Helm's SimpleHead: the few fields it reads from every document."""

    api_version: str = ""
    kind: str = ""
    name: str = ""
    annotations: dict[str, str] | None = None


@record
class Hook:
    """A manifest's Helm hook annotations."""

    events: list[str]
    weight: int
    delete_policies: list[str]
    output_log_policies: list[str]


@record
class Manifest:
    """One document of rendered output.

    `source` is the full template name (`chart/templates/x.yaml`); `index` its position among the
    documents of that file; `offset` the character offset in the file's rendered output where the
    document's text starts (for mapping back to template lines).
    """

    source: str
    content: str
    index: int
    head: Head
    offset: int = 0
    hook: Hook | None = None
    _object: Any = field(default=None, repr=False)

    def object(self) -> Any:
        """The whole document parsed as Helm reads YAML (numbers as float64)."""
        if self._object is None:
            self._object = parse_document(self.content, self.source) or {}
        return self._object


def parse_document(content: str, source: str) -> Any:
    """One YAML document as sigs.k8s.io/yaml reads it (JSON-like data, numbers as float64). Its node
    tree is not cached: the renders of a chart share parsed documents through sort_manifests, and
    a cache of trees kept megabytes of CRDs alive from one chart to the next."""
    try:
        return yaml_unmarshal(content, "interface {}", cache_tree=False)
    except YamlError as error:
        position = Position(source, error.line, error.column)
        if error.limit:
            raise LimitExceeded(f"YAML parse error on {source}: {error.message}", position) from None
        # located: the message names the file already, as Helm's does
        raise RenderError(f"YAML parse error on {source}: {error.message}", position, located=True) from None


def split_manifests(text: str) -> list[tuple[str, int]]:
    """Helm's SplitManifests, also returning each document's offset in `text`."""
    stripped_start = len(text) - len(text.lstrip(GO_SPACE))
    body = text.strip(GO_SPACE)
    documents: list[tuple[str, int]] = []
    position = 0
    for start, stop in [*_separators(body), (len(body), len(body))]:
        chunk = body[position:start]
        if chunk:
            lead = len(chunk) - len(chunk.lstrip(GO_SPACE))
            documents.append((chunk.strip(GO_SPACE), stripped_start + position + lead))
        position = stop
    return documents


def _separators(text: str) -> list[tuple[int, int]]:
    """The spans Helm's separator regexp matches in `text`, found with str.find: a regular expression
    tries its whitespace run at every character (quadratic in a run of blank lines, and slow on
    megabytes of rendered CRDs). A match is `---` at the start, or the whitespace before a
    newline that `---` follows (from where that run starts, at the earliest after the previous
    match), then `---` and the whitespace after it."""
    spans: list[tuple[int, int]] = []
    position = 0
    if text.startswith("---"):
        position = len(text) - len(text[3:].lstrip(_RE2_SPACE))
        spans.append((0, position))
    while True:
        newline = text.find("\n---", position)
        if newline < 0:
            return spans
        start = newline
        while start > position and text[start - 1] in _RE2_SPACE:
            start -= 1
        stop = newline + 4
        while stop < len(text) and text[stop] in _RE2_SPACE:
            stop += 1
        spans.append((start, stop))
        position = stop


def read_head(data: Any, source: str, helm_major: int = 4) -> Head:
    """Unmarshal a parsed document into SimpleHead the way encoding/json would."""
    if data is None:
        return Head()
    if not isinstance(data, dict):
        raise RenderError(
            f"YAML parse error on {source}: error unmarshaling JSON: while decoding JSON: "
            f"json: cannot unmarshal {json_kind(data)} into Go value of type "
            f"{'releaseutil' if helm_major < 4 else 'util'}.SimpleHead",
            Position(source),
            located=True,
        )
    head = Head(
        api_version=_json_string(data, "apiVersion", source, "apiVersion"),
        kind=_json_string(data, "kind", source, "kind"),
    )
    metadata = data.get("metadata")
    if metadata is None:
        return head
    if not isinstance(metadata, dict):
        raise _field_type_error(source, "metadata", metadata, "struct")
    head.name = _json_string(metadata, "name", source, "metadata.name")
    annotations = metadata.get("annotations")
    if annotations is not None:
        if not isinstance(annotations, dict):
            raise _field_type_error(source, "metadata.annotations", annotations, "map[string]string")
        for value in annotations.values():
            if value is not None and not isinstance(value, str):
                raise _field_type_error(source, "metadata.annotations", value, "string")
        head.annotations = {k: ("" if v is None else v) for k, v in annotations.items()}
    return head


def _json_string(data: dict, key: str, source: str, path: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _field_type_error(source, path, value, "string")
    return value


def _field_type_error(source: str, path: str, value: Any, go_type: str) -> RenderError:
    return RenderError(
        f"YAML parse error on {source}: error unmarshaling JSON: while decoding JSON: json: cannot "
        f"unmarshal {json_kind(value)} into Go struct field SimpleHead.{path} of type {go_type}",
        Position(source),
        located=True,
    )


def _hook_of(head: Head) -> Hook | None | bool:
    """The hook a document declares; None for a plain manifest; False for an unknown hook event
    (Helm skips such documents entirely)."""
    if not head.annotations or HOOK_ANNOTATION not in head.annotations:
        return None
    events = []
    for event in head.annotations[HOOK_ANNOTATION].split(","):
        event = event.strip(GO_SPACE).lower()
        event = _EVENT_ALIASES.get(event, event)
        if event not in HOOK_EVENTS:
            return False
        events.append(event)
    return Hook(
        events=events,
        weight=_atoi(head.annotations.get(HOOK_WEIGHT_ANNOTATION, "")),
        delete_policies=_policies(head.annotations, HOOK_DELETE_ANNOTATION),
        output_log_policies=_policies(head.annotations, HOOK_OUTPUT_LOG_ANNOTATION),
    )


def _policies(annotations: dict[str, str], key: str) -> list[str]:
    if key not in annotations:
        return []
    return [p.strip(GO_SPACE).lower() for p in annotations[key].split(",")]


def _atoi(text: str) -> int:
    """Go's strconv.Atoi, 0 on any error as Helm uses it."""
    if re.fullmatch(r"[+-]?[0-9]+", text) is None:
        return 0
    value = int_or_out_of_range(text)
    return value if value is not None and -(2**63) <= value < 2**63 else 0


def sort_manifests(
    files: dict[str, str], helm_major: int = 4, parsed: dict[tuple[str, str], tuple[str, Any]] | None = None
) -> tuple[list[Manifest], list[Manifest]]:
    """Helm's SortManifests: (hooks, manifests), each ordered by InstallOrder, stable.

    parsed: documents parsed before, (text, data) by (template name, text), shared with other
    renders of the same chart (new ones are added); their data is then shared too and must not be
    modified."""
    hooks: list[Manifest] = []
    generic: list[Manifest] = []
    for path in sorted(files):
        content = files[path]
        if path.rsplit("/", 1)[-1].startswith("_") or not content.strip(GO_SPACE):
            continue
        for index, (document, offset) in enumerate(split_manifests(content)):
            if parsed is None:
                data = parse_document(document, path)
            else:
                known = parsed.get((path, document))
                if known is None:
                    known = parsed[(path, document)] = (document, parse_document(document, path))
                document, data = known  # the text too: one copy for every render that prints it
            head = read_head(data, path, helm_major)
            manifest = Manifest(
                source=path, content=document, index=index, head=head, offset=offset, _object=data or {}
            )
            hook = _hook_of(head)
            if hook is None:
                generic.append(manifest)
            elif hook is not False:
                manifest.hook = hook
                hooks.append(manifest)
    order = install_order(helm_major)
    return sort_by_kind(hooks, order), sort_by_kind(generic, order)


def sort_by_kind(manifests: list[Manifest], order: list[str]) -> list[Manifest]:
    """Helm's lessByKind as a stable sort: known kinds by rank, unknown kinds after, alphabetically."""
    rank = {kind: i for i, kind in enumerate(order)}
    unknown = len(order)
    return sorted(
        manifests,
        key=lambda m: (0, rank[m.head.kind], "") if m.head.kind in rank else (1, unknown, m.head.kind),
    )
