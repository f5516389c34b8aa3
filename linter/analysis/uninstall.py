"""A model of `helm uninstall` and of what Kubernetes does next, to tell what gets stuck or broken.

Helm (pkg/action/uninstall.go, hooks.go): pre-delete hooks run one by one, sorted by weight then name,
each waited for (Jobs until complete); hook-succeeded deletions happen after the whole phase; then
the release's resources are deleted in Helm's UninstallOrder (unknown kinds, i.e. custom resources,
last; Helm 3 has no place for webhook configurations, so they go last too; Helm 4 deletes them
first), except those kept with `helm.sh/resource-policy: keep`; `crds/` files and hook resources are
never deleted by the uninstall; then post-delete hooks run.

Kubernetes: an object with finalizers stays until each is cleared by its controller; a namespace
stays Terminating until everything in it is gone, and cannot finish while an aggregated APIService
is unavailable; deleting a CRD deletes every instance; an admission webhook with failurePolicy Fail
whose Service is gone rejects every request its rules match, deletes included when they list DELETE.
"""

from __future__ import annotations

from typing import Any

from chartfix.analysis.controllers import WORKLOAD_KINDS, FinalizerDuty, RuntimeObject, custom_kinds
from chartfix.analysis.hookjobs import (
    CleanupAction,
    HookJobAnalysis,
    Resources,
    UninstallGuard,
    assumed_actions,
    assumed_guards,
    job_grants,
)
from chartfix.analysis.objects import ChartModel, KubeObject
from chartfix.analysis.rbac import EVERY_NAMESPACE, allowed
from chartfix.analysis.selectors import (
    label_selector_matches,
    parse_selector,
    registration_services,
    service_selects,
    webhook_service,
)
from chartfix.helm.manifest import uninstall_order
from chartfix.records import field, record

Victim = KubeObject | RuntimeObject
WEBHOOK_KINDS = ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")


@record
class Step:
    """One numbered step of the uninstall timeline."""

    number: int
    text: str
    refs: frozenset[str] = frozenset()  # the objects the step is about, to pick the steps a finding needs


@record
class StuckObject:
    """An object whose finalizer nobody removes once the uninstall has run."""

    victim: Victim
    finalizer: str
    duty: FinalizerDuty
    namespace_terminating: str | None  # the namespace left Terminating because of it
    step: int = 0


@record
class RejectedDelete:
    """A delete the uninstall sends that an admission webhook rejects because its backend is gone."""

    target: Victim
    requester: str  # "Helm", "the namespace controller", "hook Job ns/name"
    config: KubeObject
    webhook: str
    backend: str
    step: int = 0


@record
class BrokenRegistration:
    """A webhook configuration or APIService that outlives the uninstall while its backend is gone."""

    registration: Victim
    backend: str
    why_kept: str
    failing_webhooks: list[str] = field(default_factory=list)


@record
class HookProblem:
    """Why a hook cannot do its job during the uninstall."""

    hook: KubeObject
    message: str
    fatal: bool  # the hook cannot do its job: the uninstall fails or hangs


@record
class Simulation:
    """What `helm uninstall` does, step by step, and what it leaves stuck or broken."""

    helm_major: int
    steps: list[Step] = field(default_factory=list)
    stuck: list[StuckObject] = field(default_factory=list)
    rejected: list[RejectedDelete] = field(default_factory=list)
    broken: list[BrokenRegistration] = field(default_factory=list)
    discovery_blocked: list[tuple[str, Victim]] = field(default_factory=list)  # (namespace, APIService)
    hook_problems: list[HookProblem] = field(default_factory=list)
    leftovers: list[tuple[Victim, FinalizerDuty]] = field(default_factory=list)
    survivors: list[RuntimeObject] = field(default_factory=list)  # run-time objects still there at the end
    refused_by: KubeObject | None = None  # a guard hook that stopped the uninstall on purpose

    def log(self, text: str, *objects: Victim | str) -> int:
        refs = frozenset(o if isinstance(o, str) else o.ref() for o in objects)
        self.steps.append(Step(len(self.steps) + 1, text, refs))
        return len(self.steps)

    def timeline(self) -> str:
        return "\n".join(f"step {s.number}: {s.text}" for s in self.steps)

    @property
    def ok(self) -> bool:
        return not (self.stuck or self.rejected or self.broken or self.discovery_blocked) and not any(
            p.fatal for p in self.hook_problems
        )


def sort_for_uninstall(objects: list[KubeObject], helm_major: int = 4) -> list[KubeObject]:
    """Helm's UninstallOrder, stable; unknown kinds after known ones, alphabetically."""
    rank = {kind: i for i, kind in enumerate(uninstall_order(helm_major))}
    return sorted(objects, key=lambda o: (0, rank[o.kind], "") if o.kind in rank else (1, 0, o.kind))


def kept(obj: KubeObject) -> bool:
    return str(obj.annotations.get("helm.sh/resource-policy", "")).strip().lower() == "keep"


def persists_from_install(hook: KubeObject) -> bool:
    """An install or upgrade hook that Helm does not delete after it ran stays in the cluster."""
    if hook.hook is None or not {"pre-install", "post-install", "pre-upgrade", "post-upgrade"} & set(
        hook.hook.events
    ):
        return False
    return "hook-succeeded" not in hook.hook.delete_policies


def simulate_uninstall(
    model: ChartModel,
    duties: list[FinalizerDuty],
    runtime: list[RuntimeObject],
    hook_jobs: dict[int, HookJobAnalysis],
    resources: Resources,
    helm_major: int = 4,
) -> Simulation:
    """Walk `helm uninstall` of the rendered chart. `hook_jobs` maps id(hook Job) -> what it does."""
    sim = Simulation(helm_major)
    cluster = _Cluster(model, duties, runtime, resources)
    for obj in runtime:
        finalizers = cluster.finalizers_of(obj)
        carrying = f" carrying finalizer {', '.join(finalizers)}" if finalizers else ""
        sim.log(f"(while installed) {obj.because}: {obj.ref()}{carrying}", obj)
    for hook in model.hooks():
        if persists_from_install(hook) and hook.kind in (*WEBHOOK_KINDS, "APIService"):
            sim.log(f"(while installed) install hook {hook.ref()} stays: Helm never deletes it", hook)
    if _run_hooks(sim, cluster, model, "pre-delete", hook_jobs):
        return sim
    for obj in sort_for_uninstall([o for o in model.release() if cluster.is_live(o)], helm_major):
        if kept(obj):
            sim.log(f"Helm keeps {obj.ref()} (helm.sh/resource-policy: keep)", obj)
            continue
        _delete(sim, cluster, obj, "Helm", f"Helm deletes {obj.ref()}")
    _run_hooks(sim, cluster, model, "post-delete", hook_jobs)
    _after_uninstall(sim, cluster)
    return sim


class _Cluster:
    """The objects that exist while the uninstall runs, and which controllers still work."""

    def __init__(
        self,
        model: ChartModel,
        duties: list[FinalizerDuty],
        runtime: list[RuntimeObject],
        resources: Resources,
    ):
        self.model = model
        live: list[Victim] = [o for o in model.objects if o.origin in ("release", "crds")]
        live += [h for h in model.hooks() if persists_from_install(h)]
        live += runtime
        self._live: dict[int, Victim] = {id(o): o for o in live}  # by identity, in creation order
        # The webhook configurations among them, in the same order: every delete asks which rejects it.
        self._webhook_configurations = [
            o for o in live if isinstance(o, KubeObject) and o.kind in WEBHOOK_KINDS
        ]
        # The release's Services by namespace and name (the first of each) and its workloads: what
        # every webhook call asks about.
        self._services: dict[tuple[str | None, str], KubeObject] = {}
        for obj in model.release():
            if obj.kind == "Service":
                self._services.setdefault((obj.namespace, obj.name), obj)
        self._workloads = [o for o in model.release() if o.kind in WORKLOAD_KINDS]
        self.duties = duties
        self.resources = resources
        self.dead: set[int] = set()  # ids of workloads deleted or scaled to zero
        self.deleted_namespaces: list[Victim] = []
        self.deleted_names: dict[int, set[str]] = {}  # run-time objects: which of their names are deleted
        self.plurals = {kind: plural for kind, _, plural, _ in resources.values()}
        self.custom = custom_kinds(model)

    def is_live(self, obj: Victim) -> bool:
        return id(obj) in self._live

    def remove(self, obj: Victim) -> None:
        self._live.pop(id(obj), None)

    @property
    def live(self) -> list[Victim]:
        return list(self._live.values())

    def live_webhook_configurations(self) -> list[KubeObject]:
        return [o for o in self._webhook_configurations if id(o) in self._live]

    def all_names_deleted(self, victim: Victim, name: str | None) -> bool:
        """A delete by `name` of a run-time object standing for several known names: True once every
        one of them is deleted."""
        if name is None or not isinstance(victim, RuntimeObject) or not victim.names:
            return True
        deleted = self.deleted_names.setdefault(id(victim), set())
        deleted.add(name)
        return deleted >= set(victim.names)

    def alive(self, workload: KubeObject | None) -> bool:
        return workload is not None and id(workload) not in self.dead and self.is_live(workload)

    def finalizers_of(self, victim: Victim) -> list[str]:
        found = list(victim.finalizers)
        for duty in self.duties:
            if duty.kind == victim.kind and duty.every_instance:
                names = duty.finalizers or ("a finalizer of its controller",)
                found += [n for n in names if n not in found]
        return found

    def duties_for(self, victim: Victim, finalizer: str) -> list[FinalizerDuty]:
        return [
            d
            for d in self.duties
            if d.kind == victim.kind and (finalizer in d.finalizers or not d.finalizers)
        ]

    def plural(self, kind: str) -> str:
        return self.plurals.get(kind) or kind.lower() + "s"

    def service_backend(self, namespace: Any, name: Any) -> KubeObject | None:
        """The release's Service a reference names (taken from the chart: any JSON value)."""
        try:
            return self._services.get((namespace or self.model.namespace, name))
        except TypeError:  # a map or a list names no Service
            return None

    def backend_down(self, service: KubeObject | None) -> bool:
        """A release Service is down once it is deleted or every workload it selects is gone."""
        if service is None:
            return False
        if not self.is_live(service):
            return True
        backends = [w for w in self._workloads if service_selects(service, w)]
        return bool(backends) and not any(self.alive(w) for w in backends)

    def namespace_labels(self, namespace: str | None) -> dict:
        """Labels a namespace selector sees: Kubernetes' own name label; on the release namespace the
        `name` label `helm install --create-namespace` puts on the namespace it creates (Helm 3 and 4);
        and what the chart's Namespace objects declare."""
        labels = {"kubernetes.io/metadata.name": namespace}
        if namespace == self.model.namespace:
            labels["name"] = namespace
        for ns in self.model.of_kind("Namespace"):
            if ns.name == namespace:
                labels.update({k: str(v) for k, v in ns.labels.items()})
        return labels


# --- hooks ---------------------------------------------------------------------------------------


def _run_hooks(
    sim: Simulation, cluster: _Cluster, model: ChartModel, phase: str, hook_jobs: dict[int, HookJobAnalysis]
) -> bool:
    """Run the phase's hooks; True when a guard hook refused the uninstall (Helm stops, nothing more
    is deleted)."""
    hooks = [h for h in model.hooks() if h.hook and phase in h.hook.events]
    hooks.sort(key=lambda h: (h.hook.weight if h.hook else 0, h.name))
    created: list[KubeObject] = []
    for hook in hooks:
        created.append(hook)
        if hook.kind not in ("Job", "Pod"):
            sim.log(f"{phase} hook: {hook.ref()} created", hook)
            continue
        analysis = hook_jobs.get(id(hook))
        if analysis is None:
            continue
        available = _available_to(cluster, model, created, hook)
        problem = _cannot_run(cluster, model, analysis, available, phase)
        if problem:
            sim.hook_problems.append(HookProblem(hook, problem, fatal=True))
            sim.log(f"{phase} hook: {hook.ref()} cannot do its job: {problem}", hook)
            return False  # Helm stops at the first failed hook: the uninstall fails here
        # What an opaque Job does is read from its RBAC; a Job whose commands show it needs none.
        grants = job_grants(hook, available) if analysis.opaque else []
        guards = analysis.guards + assumed_guards(hook, grants, cluster.resources)
        if _refused(sim, cluster, hook, phase, guards):
            return True
        sim.log(f"{phase} hook: {hook.ref()} runs and Helm waits for it", hook)
        before = set(cluster.dead)
        for scale in analysis.scale_downs:
            for workload in [w for w in cluster.live if isinstance(w, KubeObject) and w.kind == scale.kind]:
                if w_matches(workload, scale.namespace, scale.name):
                    cluster.dead.add(id(workload))
                    sim.log(f"  the hook scales {workload.ref()} to zero", workload)
        actions = list(analysis.actions)
        for action in actions:
            if action.name and any(
                isinstance(o, RuntimeObject) and o.kind == action.kind and action.name not in o.names
                for o in cluster.live
            ):
                sim.log(
                    f"  the hook deletes {action.kind} {action.name} by name; the ones created at run time may "
                    "have other names",
                    hook,
                )
        if analysis.opaque:
            actions += assumed_actions(hook, grants, cluster.resources)
            _assumed_scale_downs(sim, cluster, grants)
        stopped = set(cluster.dead) - before
        for action in actions:
            for victim in _targets(cluster, action):
                if action.strips_finalizers:
                    adder = _re_adder(cluster, victim, stopped)
                    if adder:
                        sim.log(
                            f"  the hook removes the finalizers of {victim.ref()}, but {adder.workload.ref()} still "
                            "runs and adds them again",
                            victim,
                            adder.workload,
                        )
                        continue
                    sim.log(f"  the hook removes the finalizers of {victim.ref()}" + _assumed(action), victim)
                    cluster.remove(victim)
                    continue
                creator = getattr(victim, "created_by", None)
                # Controllers reconcile the webhook configurations they own and put a deleted one
                # back; servers register APIServices once, at start.
                if (
                    isinstance(victim, RuntimeObject)
                    and victim.kind in WEBHOOK_KINDS
                    and cluster.alive(creator)
                ):
                    sim.log(
                        f"  the hook deletes {victim.ref()}, but {creator.ref()} still runs and creates it again",
                        victim,
                        creator,
                    )
                    continue
                if not cluster.all_names_deleted(victim, action.name):
                    sim.log(f"  the hook deletes {victim.kind} {action.name}", victim)
                    continue
                _delete(
                    sim,
                    cluster,
                    victim,
                    f"hook Job {hook.ref()}",
                    f"  the hook deletes {victim.ref()}" + _assumed(action),
                )
    for hook in reversed(hooks):
        if hook.hook and "hook-succeeded" in hook.hook.delete_policies:
            sim.log(f"{phase} hook: {hook.ref()} deleted (hook-succeeded)", hook)
    return False


def _refused(
    sim: Simulation, cluster: _Cluster, hook: KubeObject, phase: str, guards: list[UninstallGuard]
) -> bool:
    """A guard hook finding what it guards fails on purpose: Helm stops the uninstall before deleting
    anything, and the release stays until those objects are deleted (a refusal, not a hang)."""
    for guard in guards:
        action = CleanupAction(guard.kind, guard.group, guard.plural, guard.namespace, None)
        found = _targets(cluster, action)
        if found:
            how = " (assumed from its RBAC: it may list them but not delete them)" if guard.assumed else ""
            sim.log(
                f"{phase} hook: {hook.ref()} finds {found[0].ref()} and fails on purpose{how}: Helm stops the "
                f"uninstall and deletes nothing until every {guard.kind} is deleted",
                hook,
                found[0],
            )
            sim.refused_by = hook
            return True
    return False


def _re_adder(cluster: _Cluster, victim: Victim, stopped: set[int]) -> FinalizerDuty | None:
    """The running controller that puts back the finalizers a hook strips from `victim`. When the hook
    first stopped one of the kind's candidate controllers, the chart's authors showed which one it is:
    another workload whose part in the kind rests only on RBAC is not taken to re-add them."""
    duties = [d for d in cluster.duties if d.kind == victim.kind and d.every_instance]
    authors_chose = any(id(d.workload) in stopped for d in duties)
    for duty in duties:
        if not cluster.alive(duty.workload):
            continue
        if authors_chose and duty.evidence.level != "confirmed":
            continue
        return duty
    return None


def _assumed_scale_downs(sim: Simulation, cluster: _Cluster, grants: list) -> None:
    """An opaque hook allowed to write the `scale` subresource of the release's Deployments or
    StatefulSets is taken to stop them (the reason such a hook gets that right)."""
    for workload in [
        w for w in cluster.live if isinstance(w, KubeObject) and w.kind in ("Deployment", "StatefulSet")
    ]:
        plural = "deployments/scale" if workload.kind == "Deployment" else "statefulsets/scale"
        if any(
            allowed(grants, verb, "apps", plural, workload.namespace, workload.name)
            for verb in ("update", "patch")
        ):
            cluster.dead.add(id(workload))
            sim.log(
                f"  the hook scales {workload.ref()} to zero (assumed from its RBAC on {plural}: its command is a "
                "program of its own)",
                workload,
            )


def w_matches(workload: KubeObject, namespace: str, name: str | None) -> bool:
    return workload.namespace == namespace and name in (None, workload.name)


def _assumed(action: CleanupAction) -> str:
    return " (assumed from its RBAC: its command is a program of its own)" if action.assumed else ""


def _available_to(
    cluster: _Cluster, model: ChartModel, created: list[KubeObject], job: KubeObject
) -> list[KubeObject]:
    """What exists when the Job runs: live release objects, install hooks Helm left, hooks of this
    phase created before it."""
    available = [o for o in cluster.live if isinstance(o, KubeObject)]
    return available + [h for h in created if h is not job and h not in available]


def _cannot_run(
    cluster: _Cluster, model: ChartModel, analysis: HookJobAnalysis, available: list[KubeObject], phase: str
) -> str | None:
    """Why the Job cannot do its job at its turn, or None."""
    job = analysis.job
    namespace = job.namespace or model.namespace
    account = analysis.service_account
    if account != "default" and not any(
        o.kind == "ServiceAccount" and o.name == account and o.namespace == namespace for o in available
    ):
        return (
            f"its ServiceAccount {namespace}/{account} does not exist when it runs, so its pod is never "
            "created and Helm waits until the hook times out"
        )
    blocking = egress_blocked(
        job.namespace, job.pod_labels(), [o for o in available if o.kind == "NetworkPolicy"]
    )
    if blocking:
        return (
            f"NetworkPolicy {blocking.namespace}/{blocking.name} denies its pod's egress, so it cannot reach the "
            "API server"
        )
    grants = job_grants(job, available)
    for action in analysis.actions:
        verb = "patch" if action.strips_finalizers else "delete"
        scope = EVERY_NAMESPACE if action.namespace == "*" else action.namespace
        if allowed(grants, verb, action.group, action.plural, scope, action.name) is None:
            return f"ServiceAccount {namespace}/{account} is not allowed to {verb} {action.plural}"
        if action.name and not action.ignore_not_found and not _exists(cluster, action):
            gone = "Helm already deleted it" if phase == "post-delete" else "the chart does not create it"
            return (
                f"`delete {action.plural} {action.name}` has no --ignore-not-found and {gone}: the command "
                "fails with NotFound"
            )
    return None


def _exists(cluster: _Cluster, action: CleanupAction) -> bool:
    if any(isinstance(o, RuntimeObject) and o.kind == action.kind for o in cluster.live):
        return True  # created at run time under names chartfix cannot know
    if not any(o.kind == action.kind for o in cluster.model.objects):
        return True  # made by something chartfix cannot see: give it the benefit of the doubt
    return bool(_targets(cluster, action))


def egress_blocked(namespace: str | None, labels: dict, policies: list[KubeObject]) -> KubeObject | None:
    """A NetworkPolicy that isolates a pod (in `namespace`, with `labels`) for egress when no selecting
    policy lets it reach the API server (an egress rule without `to`, or with an ipBlock)."""
    selecting = [p for p in policies if p.namespace == namespace and _policy_selects(p, labels)]
    isolating = [p for p in selecting if "Egress" in (p.spec.get("policyTypes") or [])]
    if not isolating:
        return None
    for policy in selecting:
        for rule in policy.spec.get("egress") or []:
            if not isinstance(rule, dict):
                continue
            to = rule.get("to")
            ports = rule.get("ports")
            reaches_anywhere = not to or any(isinstance(peer, dict) and "ipBlock" in peer for peer in to)
            if reaches_anywhere and (not ports or not _dns_only(ports)):
                return None
    return isolating[0]


def _dns_only(ports: list) -> bool:
    return all(isinstance(p, dict) and str(p.get("port")) in ("53", "dns", "dns-tcp") for p in ports)


def _policy_selects(policy: KubeObject, labels: dict) -> bool:
    selector = policy.spec.get("podSelector")
    return isinstance(selector, dict) and label_selector_matches(selector, labels)


def _targets(cluster: _Cluster, action: CleanupAction) -> list[Victim]:
    found = []
    for victim in cluster.live:
        if victim.kind != action.kind:
            continue
        if action.namespace not in (None, "*") and victim.namespace != action.namespace:
            continue
        if _reaches(action, victim):
            found.append(victim)
    return found


def _reaches(action: CleanupAction, victim: Victim) -> bool:
    """A delete reaches the object. Run-time objects: by one of their names where knowledge gives
    them (else a name never reaches them), by a selector matching their labels where knowledge gives
    them (else any delete of all of that kind, by label or not, is taken to reach them)."""
    if not isinstance(victim, RuntimeObject):
        return action.name in (None, victim.name)
    if action.name is not None:
        return action.name in victim.names
    selector = parse_selector(action.selector) if action.selector is not None else None
    return selector is None or not victim.labels or label_selector_matches(selector, victim.labels)


# --- deletion ------------------------------------------------------------------------------------


def _delete(sim: Simulation, cluster: _Cluster, victim: Victim, requester: str, text: str) -> bool:
    """Send a delete; False when an admission webhook rejects it."""
    if not cluster.is_live(victim):
        return True
    rejection = _rejected_by(cluster, victim)
    if rejection:
        config, webhook, backend = rejection
        step = sim.log(
            f"{text}: rejected by webhook {webhook} of {config.ref()} (failurePolicy Fail), whose {backend} is gone",
            victim,
            config,
        )
        sim.rejected.append(RejectedDelete(victim, requester, config, webhook, backend, step))
        return False
    sim.log(text, victim)
    cluster.remove(victim)
    if isinstance(victim, KubeObject) and victim.kind in WORKLOAD_KINDS:
        served = sorted({f"{d.finalizer_text()} on {d.kind}" for d in cluster.duties if d.workload is victim})
        if served:
            sim.log(f"  nothing clears {', '.join(served)} from now on", victim)
    if victim.kind == "Namespace":
        _delete_namespace(sim, cluster, victim)
    elif victim.kind == "CustomResourceDefinition":
        _delete_instances(sim, cluster, victim)
    else:
        _check_finalizers(sim, cluster, victim, None)
    return True


def _delete_namespace(sim: Simulation, cluster: _Cluster, namespace: Victim) -> None:
    """The namespace controller deletes everything in it; the namespace waits for all of it."""
    cluster.deleted_namespaces.append(namespace)
    blocked = False
    for victim in [v for v in cluster.live if v.namespace == namespace.name]:
        if not _delete_quietly(sim, cluster, victim, "the namespace controller"):
            blocked = True
            continue
        blocked |= _check_finalizers(sim, cluster, victim, namespace.name)
    if blocked:
        sim.log(f"  namespace {namespace.name} stays Terminating", namespace)


def _delete_instances(sim: Simulation, cluster: _Cluster, crd: Victim) -> None:
    """Deleting a CRD deletes every instance of its kind; the CRD waits for them."""
    kind = next((c.kind for c in cluster.custom.values() if c.crd is crd), None)
    instances = [v for v in cluster.live if kind and v.kind == kind]
    if not instances:
        return
    sim.log(f"  Kubernetes deletes every {kind} with the CRD", crd)
    blocked = False
    for victim in instances:
        cluster.remove(victim)
        blocked |= _check_finalizers(sim, cluster, victim, None)
    if blocked:
        sim.log(f"  CustomResourceDefinition {crd.name} stays Terminating", crd)


def _delete_quietly(sim: Simulation, cluster: _Cluster, victim: Victim, requester: str) -> bool:
    rejection = _rejected_by(cluster, victim)
    if rejection:
        config, webhook, backend = rejection
        step = sim.log(
            f"  {requester} cannot delete {victim.ref()}: webhook {webhook} of {config.ref()} rejects it "
            f"(failurePolicy Fail, its {backend} is gone)",
            victim,
            config,
        )
        sim.rejected.append(RejectedDelete(victim, requester, config, webhook, backend, step))
        return False
    cluster.remove(victim)
    if isinstance(victim, KubeObject) and victim.kind in WORKLOAD_KINDS:
        cluster.dead.add(id(victim))
    return True


def _check_finalizers(
    sim: Simulation, cluster: _Cluster, victim: Victim, namespace_terminating: str | None
) -> bool:
    blocked = False
    for finalizer in cluster.finalizers_of(victim):
        duties = cluster.duties_for(victim, finalizer)
        if not duties:
            continue
        working = next((d for d in duties if cluster.alive(d.workload)), None)
        if working:
            sim.log(
                f"  {working.workload.ref()} clears {finalizer} from {victim.ref()}", victim, working.workload
            )
            continue
        duty = max(duties, key=lambda d: ("possible", "inferred", "confirmed").index(d.evidence.level))
        blocked = True
        step = sim.log(
            f"  {victim.ref()} keeps {finalizer}: its controller {duty.workload.ref()} is already gone",
            victim,
            duty.workload,
        )
        sim.stuck.append(StuckObject(victim, finalizer, duty, namespace_terminating, step))
    return blocked


# --- admission webhooks --------------------------------------------------------------------------


def _rejected_by(cluster: _Cluster, target: Victim) -> tuple[KubeObject, str, str] | None:
    """The first live webhook with failurePolicy Fail, backend gone, whose rules match DELETE of target.
    (Requests on webhook configurations themselves never go to webhooks.)"""
    if target.kind in WEBHOOK_KINDS:
        return None
    for config in cluster.live_webhook_configurations():
        for webhook in config.body.get("webhooks") or []:
            if not isinstance(webhook, dict) or _failure_policy(config, webhook) != "Fail":
                continue
            service = _webhook_service(cluster, webhook)
            if service is None or not cluster.backend_down(service):
                continue
            if not _rules_match(cluster, webhook, "DELETE", target):
                continue
            return config, str(webhook.get("name")), f"Service {service.namespace}/{service.name}"
    return None


def _failure_policy(config: KubeObject, webhook: dict) -> str:
    default = "Ignore" if config.api_version.endswith("v1beta1") else "Fail"
    return str(webhook.get("failurePolicy") or default)


def _webhook_service(cluster: _Cluster, webhook: dict) -> KubeObject | None:
    ref = webhook_service(webhook)
    return cluster.service_backend(*ref) if ref else None


def _rules_match(cluster: _Cluster, webhook: dict, operation: str, target: Victim) -> bool:
    namespaced = target.namespace is not None
    if namespaced or target.kind == "Namespace":
        selector = webhook.get("namespaceSelector")
        ns_labels = cluster.namespace_labels(target.namespace if namespaced else target.name)
        if isinstance(selector, dict) and not label_selector_matches(selector, ns_labels):
            return False
    selector = webhook.get("objectSelector")
    if isinstance(selector, dict) and not label_selector_matches(
        selector, dict(getattr(target, "labels", {}))
    ):
        return False
    plural = cluster.plural(target.kind)
    for rule in webhook.get("rules") or []:
        if not isinstance(rule, dict):
            continue
        operations = rule.get("operations") or []
        if "*" not in operations and operation not in operations:
            continue
        if not _listed(rule.get("apiGroups"), target.group):
            continue
        resources = rule.get("resources") or []
        if not ("*" in resources or "*/*" in resources or plural in resources):
            continue
        scope = rule.get("scope") or "*"
        if scope == "Cluster" and namespaced or scope == "Namespaced" and not namespaced:
            continue
        return True
    return False


def _listed(values: object, wanted: str) -> bool:
    return isinstance(values, list) and ("*" in values or wanted in values)


# --- after the uninstall -------------------------------------------------------------------------


def _after_uninstall(sim: Simulation, cluster: _Cluster) -> None:
    sim.survivors = [o for o in cluster.live if isinstance(o, RuntimeObject)]
    for registration in list(cluster.live):
        if registration.kind in WEBHOOK_KINDS:
            _surviving_webhook(sim, cluster, registration)
        elif registration.kind == "APIService":
            _surviving_apiservice(sim, cluster, registration)
    for victim in list(cluster.live):
        for finalizer in cluster.finalizers_of(victim):
            duties = cluster.duties_for(victim, finalizer)
            if duties and not any(cluster.alive(d.workload) for d in duties):
                sim.leftovers.append((victim, duties[0]))
                sim.log(
                    f"left behind: {victim.ref()} keeps {finalizer} and its controller {duties[0].workload.ref()} "
                    "is gone; deleting it later hangs",
                    victim,
                    duties[0].workload,
                )


def _why_kept(registration: Victim) -> str:
    if isinstance(registration, RuntimeObject):
        return f"{registration.created_by.ref()} creates it at run time, so it is no Helm object"
    if registration.origin == "hook" and registration.hook:
        events = ", ".join(registration.hook.events)
        return f"it is a {events} hook, and `helm uninstall` never deletes hook resources"
    if registration.origin == "release" and kept(registration):
        return "it is kept (helm.sh/resource-policy: keep)"
    return "the uninstall could not delete it"


def _surviving_webhook(sim: Simulation, cluster: _Cluster, config: Victim) -> None:
    if isinstance(config, RuntimeObject):
        if not cluster.alive(config.created_by):
            sim.broken.append(BrokenRegistration(config, config.created_by.ref(), _why_kept(config)))
            sim.log(f"left behind: {config.ref()}; {_why_kept(config)} and its server is gone", config)
        return
    failing, backend = [], ""
    for webhook in config.body.get("webhooks") or []:
        if not isinstance(webhook, dict) or _failure_policy(config, webhook) != "Fail":
            continue
        service = _webhook_service(cluster, webhook)
        if service is not None and cluster.backend_down(service):
            failing.append(str(webhook.get("name")))
            backend = f"Service {service.namespace}/{service.name}"
    if failing:
        sim.broken.append(BrokenRegistration(config, backend, _why_kept(config), failing))
        sim.log(
            f"left behind: {config.ref()} ({_why_kept(config)}); its webhooks {', '.join(failing)} "
            f"(failurePolicy Fail) call {backend}, which is gone: matching requests are rejected",
            config,
        )


def _surviving_apiservice(sim: Simulation, cluster: _Cluster, apiservice: Victim) -> None:
    if isinstance(apiservice, RuntimeObject):
        down, backend = not cluster.alive(apiservice.created_by), apiservice.created_by.ref()
    else:
        refs = registration_services(apiservice)
        if not refs:
            return  # a local APIService, served by the API server itself
        down = cluster.backend_down(cluster.service_backend(*refs[0]))
        backend = f"Service {refs[0][0]}/{refs[0][1]}"
    if not down:
        return
    sim.broken.append(BrokenRegistration(apiservice, backend, _why_kept(apiservice)))
    sim.log(
        f"left behind: {apiservice.ref()} ({_why_kept(apiservice)}) is unavailable, its {backend} is gone: "
        "every namespace deletion in the cluster stops at discovery (NamespaceDeletionDiscoveryFailure)",
        apiservice,
    )
    for namespace in cluster.deleted_namespaces:
        sim.discovery_blocked.append((namespace.name, apiservice))
        sim.log(
            f"  namespace {namespace.name} stays Terminating: discovery of {apiservice.name} fails",
            namespace,
            apiservice,
        )
