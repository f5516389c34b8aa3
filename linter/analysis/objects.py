"""The model rules work on: the Kubernetes objects a chart renders, with where each came from.

Built from a RenderResult: release manifests, hooks and `crds/` files, each as a KubeObject that knows
its kind, namespace (defaulted as the API server would), finalizers, hook settings and source position.
"""

from __future__ import annotations

import re
from typing import Any

from chartfix.analysis.positions import PositionMapper, TemplateSources
from chartfix.caches import chart_cache
from chartfix.errors import ChartfixError, Position
from chartfix.go.types import value_at
from chartfix.helm.manifest import Hook, Manifest, parse_document, split_manifests
from chartfix.records import field, record

CLUSTER_SCOPED_KINDS = frozenset(
    """Namespace Node PersistentVolume ClusterRole ClusterRoleBinding CustomResourceDefinition
    StorageClass PriorityClass APIService MutatingWebhookConfiguration ValidatingWebhookConfiguration
    ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding MutatingAdmissionPolicy
    MutatingAdmissionPolicyBinding IngressClass RuntimeClass CSIDriver CSINode VolumeAttachment
    PodSecurityPolicy CertificateSigningRequest FlowSchema PriorityLevelConfiguration
    ClusterIssuer Operator OLMConfig ClusterCatalog ClusterExtension""".split()
)


@record
class KubeObject:
    """One rendered Kubernetes object and where it came from."""

    api_version: str
    kind: str
    name: str
    namespace: str | None  # None for cluster-scoped objects
    body: dict[str, Any]
    origin: str  # "release" | "hook" | "crds"
    position: Position
    hook: Hook | None = None
    manifest: Manifest | None = None
    name_source: str = ""  # metadata.name as written in the template (positions.name_source)

    def identity(self) -> str:
        """The object as written in the template: kind and the source text of its name."""
        return f"{self.kind} {self.name_source or self.name}"

    @property
    def group(self) -> str:
        return self.api_version.rsplit("/", 1)[0] if "/" in self.api_version else ""

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.body.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def annotations(self) -> dict[str, Any]:
        value = self.metadata.get("annotations")
        return value if isinstance(value, dict) else {}

    @property
    def labels(self) -> dict[str, Any]:
        value = self.metadata.get("labels")
        return value if isinstance(value, dict) else {}

    @property
    def finalizers(self) -> list[str]:
        value = self.metadata.get("finalizers")
        return [f for f in value if isinstance(f, str)] if isinstance(value, list) else []

    @property
    def spec(self) -> dict[str, Any]:
        value = self.body.get("spec")
        return value if isinstance(value, dict) else {}

    def ref(self) -> str:
        """`Kind namespace/name` or `Kind name`, as timelines and messages show objects."""
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"

    def pod_spec(self) -> dict[str, Any] | None:
        """The pod template spec of a workload (Deployment, Job, CronJob, ...), or a Pod's spec."""
        if self.kind == "Pod":
            return self.spec
        if self.kind == "CronJob":
            job = value_at(self.spec, ("jobTemplate", "spec"))
            return value_at(job, ("template", "spec")) if job else None
        return value_at(self.spec, ("template", "spec"))

    def containers(self) -> list[dict[str, Any]]:
        spec = self.pod_spec() or {}
        found = []
        for key in ("initContainers", "containers"):
            items = spec.get(key)
            if isinstance(items, list):
                found += [c for c in items if isinstance(c, dict)]
        return found

    def images(self) -> list[str]:
        return [c["image"] for c in self.containers() if isinstance(c.get("image"), str)]

    def pod_labels(self) -> dict[str, Any]:
        """Labels of the pods a workload creates (a Pod's own labels)."""
        if self.kind == "Pod":
            return self.labels
        template = (
            value_at(self.spec, ("jobTemplate", "spec", "template"))
            if self.kind == "CronJob"
            else self.spec.get("template")
        )
        labels = value_at(template, ("metadata", "labels"))
        return labels if isinstance(labels, dict) else {}

    def service_account(self) -> str:
        spec = self.pod_spec() or {}
        name = spec.get("serviceAccountName") or spec.get("serviceAccount")
        return name if isinstance(name, str) and name else "default"


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """`repo[:tag][@sha256:digest]` -> (repo, tag, digest hex)."""
    digest = None
    if "@" in image:
        image, digest = image.split("@", 1)
        digest = digest.split(":", 1)[-1]
    tag = None
    last = image.rsplit("/", 1)[-1]
    if ":" in last:
        image, tag = image.rsplit(":", 1)
    return image, tag, digest


@record
class ChartModel:
    """Every object of one rendered chart, for rules and the uninstall simulation."""

    chart_name: str
    namespace: str
    objects: list[KubeObject] = field(default_factory=list)

    def release(self) -> list[KubeObject]:
        return [o for o in self.objects if o.origin == "release"]

    def hooks(self) -> list[KubeObject]:
        return [o for o in self.objects if o.origin == "hook"]

    def of_kind(self, *kinds: str) -> list[KubeObject]:
        return [o for o in self.objects if o.kind in kinds]


def build_model(result: Any, sources: TemplateSources | None = None) -> ChartModel:
    """A ChartModel from a render.RenderResult (`sources`: the chart's template texts, when several
    renders of the chart share them)."""
    namespace = result.options.namespace
    mapper = PositionMapper(result.chart, result.origins, sources)
    model = ChartModel(chart_name=result.chart.name(), namespace=namespace)
    namespaced_crd_kinds, cluster_crd_kinds = _crd_scopes(result)
    for manifest in [*result.manifests, *result.hooks]:
        body = manifest.object()
        if not isinstance(body, dict):
            continue
        position = mapper.position(manifest)
        # Helm's kube client flattens a `kind: List` into its items when it creates them.
        items = body.get("items") if manifest.head.kind.endswith("List") else None
        for item in items if isinstance(items, list) else [body]:
            if not isinstance(item, dict):
                continue
            meta = item.get("metadata") if isinstance(item.get("metadata"), dict) else {}
            kind = manifest.head.kind if item is body else str(item.get("kind", ""))
            cluster_scoped = kind in cluster_crd_kinds or (
                kind in CLUSTER_SCOPED_KINDS and kind not in namespaced_crd_kinds
            )
            declared_ns = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
            model.objects.append(
                KubeObject(
                    api_version=manifest.head.api_version
                    if item is body
                    else str(item.get("apiVersion", "")),
                    kind=kind,
                    name=manifest.head.name if item is body else str(meta.get("name", "")),
                    namespace=None if cluster_scoped else (declared_ns or namespace),
                    body=item,
                    origin="hook" if manifest.hook else "release",
                    position=position,
                    hook=manifest.hook,
                    manifest=manifest,
                    name_source=mapper.name_source(manifest, position) if item is body else "",
                )
            )
    for filename, content in result.crds:
        for body in _crd_documents(content, filename):
            meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
            model.objects.append(
                KubeObject(
                    api_version=str(body.get("apiVersion", "")),
                    kind=str(body.get("kind", "")),
                    name=str(meta.get("name", "")),
                    namespace=None,
                    body=body,
                    origin="crds",
                    position=Position(filename, 1, 1),
                )
            )
    return model


_CRD_HEAD_PATHS = {
    ("apiVersion",),
    ("kind",),
    ("metadata", "name"),
    ("spec", "group"),
    ("spec", "scope"),
    ("spec", "names", "kind"),
    ("spec", "names", "plural"),
    ("spec", "names", "singular"),
}
_MAPPING_LINE = re.compile(r"^( *)([A-Za-z0-9_.-]+):(?:[ \t]+(.*?))?[ \t]*$")


@chart_cache(maxsize=512)
def _crd_documents(content: str, filename: str) -> tuple[dict[str, Any], ...]:
    """The heads of the CRDs in a crds/ file: apiVersion, kind, metadata.name, spec.scope and
    spec.names.kind. Read line by line, not parsed whole: these files are static YAML, often
    megabytes of OpenAPI schema nothing here looks at. Cached (the same in every values scenario);
    callers must not modify the result."""

    documents = []
    for text, _ in split_manifests(content):
        if text.lstrip().startswith("{"):  # JSON: small and rare, parse it
            try:
                body = parse_document(text, filename)
            except ChartfixError:
                continue
            if isinstance(body, dict):
                documents.append(body)
            continue
        head = _crd_head(text)
        names = value_at(head, ("spec", "names"))
        if not (isinstance(names, dict) and "kind" in names and "plural" in names):
            # flow style or an unusual layout: read the document whole
            try:
                body = parse_document(text, filename)
            except ChartfixError:
                body = head
            head = body if isinstance(body, dict) else head
        documents.append(head)
    return tuple(documents)


def _crd_head(text: str) -> dict[str, Any]:
    head: dict[str, Any] = {}
    found = 0
    open_keys: list[tuple[int, str]] = []
    for line in text.split("\n"):
        match = _MAPPING_LINE.match(line)
        if match is None:
            continue
        indent, key, value = len(match.group(1)), match.group(2), match.group(3)
        while open_keys and open_keys[-1][0] >= indent:
            open_keys.pop()
        path = (*(k for _, k in open_keys), key)
        if value is None or value.startswith(("|", ">", "#")):
            open_keys.append((indent, key))
            continue
        if path in _CRD_HEAD_PATHS:
            target = head
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = value.split(" #", 1)[0].strip().strip("\"'")
            found += 1
            if found == len(_CRD_HEAD_PATHS):
                break
    return head


def _crd_scopes(result: Any) -> tuple[set[str], set[str]]:
    """Kinds the chart's own CRDs declare Namespaced / Cluster."""
    namespaced: set[str] = set()
    cluster: set[str] = set()
    bodies = [m.object() for m in result.manifests if m.head.kind == "CustomResourceDefinition"]
    for filename, content in result.crds:
        bodies += list(_crd_documents(content, filename))
    for body in bodies:
        if not isinstance(body, dict):
            continue
        kind = value_at(body, ("spec", "names", "kind"))
        scope = value_at(body, ("spec", "scope"))
        if isinstance(kind, str):
            (cluster if scope == "Cluster" else namespaced).add(kind)
    return namespaced, cluster
