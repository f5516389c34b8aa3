"""Which controllers a release runs, which finalizers they must clear, and what they create at run time.

Read from the chart itself: the workloads, the RBAC bound to their ServiceAccounts, the CRDs the chart
ships and the finalizers its manifests declare. A controller allowed to update `<plural>/finalizers`
of a kind is the kubebuilder sign of a finalizer it adds (a sign, not a proof: evidence "inferred");
a manifest that declares a finalizer on an object some workload of the release manages is direct
evidence ("confirmed"). Knowledge of operator families (passed in by the rule pack) confirms and
names finalizers; nothing here depends on it to find a controller.
"""

from __future__ import annotations

import re
from typing import Any

import semver

from chartfix.analysis.objects import ChartModel, KubeObject, split_image
from chartfix.analysis.rbac import Grant, allowed, allowed_anywhere, owns_group, service_account_grants
from chartfix.analysis.selectors import registration_services, service_selects
from chartfix.records import field, record

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod")
LEVELS = ("possible", "inferred", "confirmed")  # weakest first
# Finalizers Kubernetes itself serves (the garbage collector, volume protection): never stuck on a
# controller of the release.
_BUILTIN_FINALIZER = re.compile(r"^(kubernetes(\.io)?(/|$)|foregroundDeletion$|orphan$|[a-z.]*\.k8s\.io/)")


# A knowledge image pattern of the usual form `(^|/)some/path$`, whose path has no regex syntax but `\.`.
_PATH_SUFFIX_PATTERN = re.compile(r"\(\^\|/\)((?:[A-Za-z0-9_/-]|\\\.)+)\$")


class RepositoryPattern:
    """A knowledge image pattern: a Python regex searched in an image repository. The usual form
    `(^|/)path$` is matched as a path suffix without compiling it (compiling the 35 in the knowledge
    took 8 ms of a one-chart lint); any other pattern is compiled."""

    __slots__ = ("text", "_suffix", "_regex")

    def __init__(self, text: str) -> None:
        self.text = text
        shape = _PATH_SUFFIX_PATTERN.fullmatch(text)
        self._suffix = shape.group(1).replace("\\.", ".") if shape else None
        self._regex = None if shape else re.compile(text)

    def search(self, repository: str) -> bool:
        if self._regex is not None:
            return self._regex.search(repository) is not None
        # `$` also matches before a final newline; `^` only at the start
        end = repository[:-1] if repository.endswith("\n") else repository
        return end == self._suffix or end.endswith("/" + self._suffix)  # type: ignore[operator]


@record(frozen=True)
class Evidence:
    """How sure a conclusion is (`level`) and what it rests on."""

    level: str  # one of LEVELS
    basis: str  # what it rests on, said to the user
    source: str = ""  # a link, for knowledge


@record(frozen=True)
class CustomKind:
    """A kind the chart's CRDs define."""

    group: str
    kind: str
    plural: str
    namespaced: bool
    crd: KubeObject


@record(frozen=True)
class KnownFinalizers:
    """Knowledge about one operator family's finalized kind (rules/knowledge/operators.yaml)."""

    family: str
    images: tuple[RepositoryPattern, ...]
    workload_names: tuple[str, ...]
    group: str
    kind: str
    finalizers: tuple[str, ...]
    every_instance: bool
    since: semver.Version | None
    until: semver.Version | None
    note: str
    source: str
    low_confidence: bool


@record(frozen=True)
class KnownRegistrations:
    """Knowledge about the webhook configurations or APIServices of one kind that an operator family
    creates at run time (rules/knowledge/registrations.yaml): all their names, or labels that select
    exactly them."""

    family: str
    images: tuple[RepositoryPattern, ...]
    kind: str
    names: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    since: semver.Version | None
    until: semver.Version | None
    source: str


@record(frozen=True)
class FinalizerDuty:
    """`workload` must clear `finalizers` (names may be unknown) from objects of `kind`."""

    workload: KubeObject
    group: str
    kind: str
    finalizers: tuple[str, ...]
    every_instance: bool  # the controller adds them to every object of the kind it reconciles
    evidence: Evidence
    family: str = ""

    def finalizer_text(self) -> str:
        return ", ".join(self.finalizers) if self.finalizers else "a finalizer"


@record
class RuntimeObject:
    """An object a controller creates while the release runs: never in the chart's manifests, so
    `helm uninstall` does not delete it."""

    kind: str
    group: str
    namespace: str | None
    name: str
    created_by: KubeObject | None  # None: objects users create (hypothetical instances)
    because: str
    evidence: Evidence
    finalizers: list[str] = field(default_factory=list)
    body: dict = field(default_factory=dict)
    # What knowledge of the operator says about them: their names (all of them), or labels they carry.
    names: tuple[str, ...] = ()
    labels: dict = field(default_factory=dict)
    known_from: str = ""  # the operator family and the source of what knowledge says, for messages

    def ref(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"


def custom_kinds(model: ChartModel) -> dict[str, CustomKind]:
    """Kinds defined by the chart's CRDs (templates/, crds/ or hooks), by kind name."""
    found: dict[str, CustomKind] = {}
    for crd in model.of_kind("CustomResourceDefinition"):
        spec = crd.spec
        names = spec.get("names") if isinstance(spec.get("names"), dict) else {}
        kind, plural, group = names.get("kind"), names.get("plural"), spec.get("group")
        if not isinstance(kind, str) or not kind:
            continue
        if not isinstance(group, str):
            group = crd.name.split(".", 1)[1] if "." in crd.name else ""
        if not isinstance(plural, str) or not plural:
            plural = crd.name.split(".", 1)[0] if "." in crd.name else kind.lower() + "s"
        found[kind] = CustomKind(group, kind, plural, spec.get("scope") != "Cluster", crd)
    return found


def workloads(model: ChartModel) -> list[KubeObject]:
    return [o for o in model.release() if o.kind in WORKLOAD_KINDS]


def workload_grants(model: ChartModel, workload: KubeObject) -> list[Grant]:
    rbac = [o for o in model.objects if o.origin != "crds"]
    return service_account_grants(rbac, workload.service_account(), workload.namespace or model.namespace)


# API groups Kubernetes serves itself: their kinds are nobody's custom resources.
BUILTIN_GROUPS = frozenset(
    """apps batch autoscaling policy networking.k8s.io rbac.authorization.k8s.io storage.k8s.io
    admissionregistration.k8s.io apiregistration.k8s.io apiextensions.k8s.io scheduling.k8s.io
    coordination.k8s.io discovery.k8s.io node.k8s.io certificates.k8s.io events.k8s.io
    flowcontrol.apiserver.k8s.io resource.k8s.io extensions authentication.k8s.io authorization.k8s.io""".split()
    + [""]
)


@record(frozen=True)
class _Kind:
    """A custom kind a controller of the release may finalize, and whether the chart ships its CRD."""

    group: str
    kind: str
    plural: str
    shipped: bool  # the chart ships its CRD


def _candidate_kinds(model: ChartModel) -> list[_Kind]:
    """Custom kinds a controller of the release may finalize: those the chart's CRDs define and those
    of custom resources it creates (their CRDs installed by something else)."""
    kinds = {c.kind: _Kind(c.group, c.kind, c.plural, True) for c in custom_kinds(model).values()}
    for obj in model.objects:
        if obj.origin != "crds" and obj.kind not in kinds and obj.group not in BUILTIN_GROUPS:
            kinds[obj.kind] = _Kind(obj.group, obj.kind, guess_plural(obj.kind), False)
    return list(kinds.values())


def guess_plural(kind: str) -> str:
    """The resource name Kubernetes derives from a kind when no CRD says otherwise."""
    lower = kind.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return lower + "es"
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + "s"


def finalizer_duties(model: ChartModel, knowledge: tuple[KnownFinalizers, ...]) -> list[FinalizerDuty]:
    """Every (workload, kind) finalizer duty the chart shows, strongest evidence kept."""
    kinds = _candidate_kinds(model)
    declared = _declared_finalizers(model)
    duties: dict[tuple[int, str], FinalizerDuty] = {}
    candidates = workloads(model)
    families = _families_run(candidates, knowledge)
    found = [d for known in knowledge for d in _known_duties(candidates, known, families)]
    for workload in candidates:
        grants = workload_grants(model, workload)
        # Knowledge of the operator a workload runs lists every kind it finalizes in its API groups:
        # what RBAC suggests for other kinds of those groups is known not to happen.
        known_groups = {k.group for k in knowledge if (id(workload), k.images) in families}
        found += [
            d
            for d in (_rbac_duty(workload, grants, k, declared.get(k.kind, ())) for k in kinds)
            if d and d.group not in known_groups
        ]
    for duty in found:
        key = (id(duty.workload), duty.kind)
        old = duties.get(key)
        if old is None or LEVELS.index(duty.evidence.level) > LEVELS.index(old.evidence.level):
            duties[key] = duty
    return list(duties.values())


def _rbac_duty(
    workload: KubeObject, grants: list[Grant], kind: _Kind, declared: tuple[str, ...]
) -> FinalizerDuty | None:
    """What the workload's RBAC says about its part in `kind`'s finalizers."""
    writes = ("update", "patch")
    finalizers_grant = allowed_anywhere(grants, writes, kind.group, f"{kind.plural}/finalizers")
    if finalizers_grant:
        evidence = Evidence(
            "inferred",
            f"{finalizers_grant.role} lets its ServiceAccount update {kind.plural}/finalizers "
            "(the sign of a controller that adds finalizers)",
        )
        return FinalizerDuty(workload, kind.group, kind.kind, declared, True, evidence)
    # A reconciler writes the status of what it manages: writing a kind without its status makes a
    # client (an operator that creates ServiceMonitors for its workloads), not its controller.
    explicit = allowed_anywhere(grants, writes, kind.group, kind.plural) and allowed_anywhere(
        grants, writes, kind.group, f"{kind.plural}/status"
    )
    owner = owns_group(grants, writes, kind.group)
    # Writing a kind whose API another project owns (no CRD in the chart) makes a client, not its
    # controller; owning the whole API group does.
    grant = (explicit or owner) if kind.shipped else owner
    if grant is None:
        return None
    if declared:
        evidence = Evidence(
            "confirmed",
            f"the chart's {kind.kind} objects declare finalizer {', '.join(declared)} and {grant.role} "
            f"lets {workload.ref()} update {kind.plural}",
        )
        return FinalizerDuty(workload, kind.group, kind.kind, declared, False, evidence)
    what = kind.plural if explicit else f"every resource of {kind.group}"
    evidence = Evidence("possible", f"{grant.role} lets its ServiceAccount update {what}")
    return FinalizerDuty(workload, kind.group, kind.kind, (), True, evidence)


def _declared_finalizers(model: ChartModel) -> dict[str, tuple[str, ...]]:
    """Finalizers the chart's own manifests put on objects, by kind (Kubernetes' own excluded)."""
    found: dict[str, list[str]] = {}
    for obj in model.objects:
        for name in obj.finalizers:
            if not _BUILTIN_FINALIZER.match(name) and name not in found.setdefault(obj.kind, []):
                found[obj.kind].append(name)
    return {kind: tuple(names) for kind, names in found.items() if names}


def _families_run(
    candidates: list[KubeObject], knowledge: tuple[KnownFinalizers, ...]
) -> set[tuple[int, tuple[re.Pattern[str], ...]]]:
    """(id(workload), image patterns) for every workload that runs a family's image: worked out once
    per workload and family, though the knowledge holds an entry per kind."""
    families = {k.images for k in knowledge}
    return {
        (id(workload), patterns)
        for workload in candidates
        for patterns in families
        if _family_tag(workload, patterns) is not None
    }


def _known_duties(
    candidates: list[KubeObject],
    known: KnownFinalizers,
    families: set[tuple[int, tuple[re.Pattern[str], ...]]],
) -> list[FinalizerDuty]:
    """The workloads running the family's controller image; where several do (a webhook and a
    controller from one image), those named like the family's controller Deployment."""
    running = [w for w in candidates if (id(w), known.images) in families]
    if len(running) > 1 and known.workload_names:
        named = [w for w in running if any(n in w.name for n in known.workload_names)]
        running = named or running
    return [d for d in (_known_duty(w, known) for w in running) if d]


def _family_tag(workload: KubeObject, patterns: tuple[RepositoryPattern, ...]) -> str | None:
    """The image tag ("" when none) of the workload's first container running the family's image
    (whose repository one of the family's `patterns` matches)."""
    for image in workload.images():
        repository, tag, _ = split_image(image)
        if any(p.search(repository) for p in patterns):
            return tag or ""
    return None


def _release_covered(workload: KubeObject, known: KnownFinalizers | KnownRegistrations) -> bool:
    """The workload runs the family's image in a release the entry holds for (an unknown version is
    taken to be covered)."""
    tag = _family_tag(workload, known.images)
    if tag is None:
        return False
    version = _tag_version(tag)
    return version is None or not (
        (known.since is not None and version < known.since)
        or (known.until is not None and version >= known.until)
    )


def _known_duty(workload: KubeObject, known: KnownFinalizers) -> FinalizerDuty | None:
    if not _release_covered(workload, known):
        return None  # this release of the operator does not behave as the entry says
    level = "confirmed" if known.every_instance else "possible"
    if known.low_confidence:
        level = LEVELS[max(0, LEVELS.index(level) - 1)]
    basis = f"{known.family} adds {', '.join(known.finalizers)} to {known.kind}"
    if known.note:
        basis += f" ({known.note.rstrip('.')})"
    return FinalizerDuty(
        workload,
        known.group,
        known.kind,
        known.finalizers,
        known.every_instance,
        Evidence(level, basis, known.source),
        family=known.family,
    )


def _tag_version(tag: str | None) -> semver.Version | None:
    if not tag:
        return None
    try:
        return semver.Version.parse(tag.removeprefix("v"))
    except ValueError:
        return None


# --- objects controllers create at run time ----------------------------------------------------

_RUNTIME_KINDS = (
    ("admissionregistration.k8s.io", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration"),
    ("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration"),
    ("apiregistration.k8s.io", "apiservices", "APIService"),
)


def runtime_registrations(
    model: ChartModel, knowledge: tuple[KnownRegistrations, ...] = ()
) -> list[RuntimeObject]:
    """Webhook configurations and APIServices a workload of the release may create itself: they are
    not Helm objects and outlive the release. Its RBAC naming `create` on them is the sign
    ("inferred", or "possible" for a kind of which the chart already registers one served by the
    workload); a grant of everything ("possible") counts only for a workload that serves a Service
    no registration of the chart points at. Knowledge of the operator the workload runs adds their
    names or the labels that select them (never the sign itself)."""
    registered = {
        ref for o in model.objects if o.kind in _REGISTRATION_KINDS for ref in registration_services(o)
    }
    backends = _registration_backends(model)
    found = []
    for workload in workloads(model):
        grants = workload_grants(model, workload)
        served = _served_services(model, workload)
        shipped = {kind for kind, service in backends if service_selects(service, workload)}
        for group, plural, kind in _RUNTIME_KINDS:
            grant = allowed_anywhere(grants, ("create",), group, plural)
            # A server the chart already registers may need `create` to re-create or patch that
            # registration (its CA bundle): a sign of more only as "possible".
            level = "possible" if kind in shipped else "inferred"
            if grant is None:
                grant = allowed(grants, "create", group, plural, None)
                if grant is None or not served or served & registered:
                    continue
                level = "possible"
            found.append(
                RuntimeObject(
                    kind=kind,
                    group=group,
                    namespace=None,
                    name=f"(created by {workload.name})",
                    created_by=workload,
                    because=f"{workload.ref()} may create {kind}s itself",
                    evidence=Evidence(level, f"{grant.role} lets its ServiceAccount create {plural}"),
                    **_known_registrations(workload, kind, knowledge),
                )
            )
    return found


def _known_registrations(
    workload: KubeObject, kind: str, knowledge: tuple[KnownRegistrations, ...]
) -> dict[str, Any]:
    """RuntimeObject fields from the first knowledge entry for what this workload creates."""
    for known in knowledge:
        if known.kind == kind and _release_covered(workload, known):
            return {
                "names": known.names,
                "labels": dict(known.labels),
                "known_from": f"{known.family}, {known.source}",
            }
    return {}


_REGISTRATION_KINDS = ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration", "APIService")


def _registration_backends(model: ChartModel) -> list[tuple[str, KubeObject]]:
    """(kind, Service) for every Service of the release that one of the chart's own webhook
    configurations or APIServices calls."""
    services = {(s.namespace, s.name): s for s in model.release() if s.kind == "Service"}
    return [
        (registration.kind, services[(namespace or model.namespace, name)])
        for registration in model.objects
        if registration.kind in _REGISTRATION_KINDS
        for namespace, name in registration_services(registration)
        if (namespace or model.namespace, name) in services
    ]


def _served_services(model: ChartModel, workload: KubeObject) -> set[tuple[str | None, str | None]]:
    """The release's Services on port 443 (where the API server calls webhooks and APIServices by
    default) whose selector picks the workload's pods."""
    return {
        (service.namespace, service.name)
        for service in model.release()
        if service.kind == "Service"
        and service_selects(service, workload)
        and any(isinstance(p, dict) and str(p.get("port")) == "443" for p in service.spec.get("ports") or [])
    }
