"""A model of `helm uninstall` and of the Kubernetes semantics that decide whether it gets stuck.

Helm (pkg/action/uninstall.go, hooks.go): pre-delete hooks run one by one, sorted by weight then
name, each waited for (Jobs until complete); hook-succeeded deletions happen after the whole phase;
then the release's resources are deleted in Helm's UninstallOrder (unknown kinds, i.e. custom
resources, last); `crds/` files are never deleted; then post-delete hooks run.

Kubernetes: an object with finalizers is only removed once every finalizer is cleared by its
controller; a namespace stays Terminating until everything in it is gone. The controllers and the
objects they create at run time come from the rule pack's knowledge (see `Controller`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chartfix.analysis.hookjobs import CleanupAction, HookJobAnalysis
from chartfix.analysis.objects import ChartModel, KubeObject
from chartfix.helm.manifest import uninstall_order


@dataclass(frozen=True)
class Controller:
    """A workload of the release that clears `finalizer` on objects of `kind`.

    `implicit`: the controller itself puts the finalizer on every object of that kind, so objects in the
    chart carry it at run time even though their manifests do not show it."""

    workload: KubeObject
    finalizer: str
    kind: str
    family: str  # e.g. "OLM v0.27.0"
    implicit: bool = False


@dataclass
class RuntimeObject:
    """An object a controller creates while the release runs (never in the chart's manifests)."""

    kind: str
    namespace: str | None
    name: str
    finalizers: list[str]
    created_by: KubeObject
    because: str  # why it exists, for the timeline

    def ref(self) -> str:
        return f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"


Victim = KubeObject | RuntimeObject


@dataclass
class Step:
    number: int
    text: str


@dataclass
class StuckObject:
    victim: Victim
    finalizer: str
    controller: Controller
    namespace_terminating: str | None  # the namespace left Terminating because of it


@dataclass
class HookProblem:
    hook: KubeObject
    message: str


@dataclass
class Simulation:
    steps: list[Step] = field(default_factory=list)
    stuck: list[StuckObject] = field(default_factory=list)
    leftovers: list[tuple[Victim, str]] = field(default_factory=list)  # (object, finalizer)
    hook_problems: list[HookProblem] = field(default_factory=list)

    def log(self, text: str) -> int:
        self.steps.append(Step(len(self.steps) + 1, text))
        return len(self.steps)

    def timeline(self) -> str:
        return "\n".join(f"step {s.number}: {s.text}" for s in self.steps)


class _Cluster:
    """The objects that exist while the uninstall runs."""

    def __init__(self, model: ChartModel, runtime: list[RuntimeObject], controllers: list[Controller]):
        self.live: list[Victim] = [o for o in model.objects if o.origin in ("release", "crds")]
        self.live += runtime
        self.controllers = controllers
        self.dead_workloads: set[int] = set()

    def alive(self, controller: Controller) -> bool:
        return id(controller.workload) not in self.dead_workloads

    def serving(self, victim: Victim, finalizer: str) -> Controller | None:
        for controller in self.controllers:
            if controller.finalizer == finalizer and controller.kind == victim.kind:
                return controller
        return None

    def finalizers(self, victim: Victim) -> list[str]:
        found = list(victim.finalizers)
        for controller in self.controllers:
            if controller.implicit and controller.kind == victim.kind and controller.finalizer not in found:
                found.append(controller.finalizer)
        return found

    def in_namespace(self, namespace: str) -> list[Victim]:
        return [v for v in self.live if v.namespace == namespace]


def simulate_uninstall(
    model: ChartModel,
    controllers: list[Controller],
    runtime: list[RuntimeObject],
    hook_jobs: dict[int, HookJobAnalysis],
    helm_major: int = 4,
) -> Simulation:
    """Walk `helm uninstall` of the rendered chart. `hook_jobs` maps id(hook Job) -> what it does."""
    sim = Simulation()
    cluster = _Cluster(model, runtime, controllers)
    for obj in runtime:
        finalizers = cluster.finalizers(obj)
        carrying = f" carrying finalizer {', '.join(finalizers)}" if finalizers else ""
        sim.log(f"(while installed) {obj.because}: {obj.ref()}{carrying}")
    _run_hooks(sim, cluster, model, "pre-delete", hook_jobs)
    for obj in sort_for_uninstall([o for o in model.release() if not _kept(o)], helm_major):
        _delete(sim, cluster, obj, f"Helm deletes {obj.ref()}")
    _run_hooks(sim, cluster, model, "post-delete", hook_jobs)
    for victim in list(cluster.live):
        for finalizer in cluster.finalizers(victim):
            controller = cluster.serving(victim, finalizer)
            if controller and not cluster.alive(controller):
                sim.leftovers.append((victim, finalizer))
                sim.log(
                    f"left behind: {victim.ref()} keeps finalizer {finalizer} and its controller "
                    f"{controller.workload.ref()} is gone; deleting it later will hang"
                )
    return sim


def sort_for_uninstall(objects: list[KubeObject], helm_major: int = 4) -> list[KubeObject]:
    """Helm's UninstallOrder, stable; unknown kinds after known ones, alphabetically."""
    rank = {kind: i for i, kind in enumerate(uninstall_order(helm_major))}
    return sorted(objects, key=lambda o: (0, rank[o.kind], "") if o.kind in rank else (1, 0, o.kind))


def _kept(obj: KubeObject) -> bool:
    return str(obj.annotations.get("helm.sh/resource-policy", "")).strip().lower() == "keep"


def _run_hooks(
    sim: Simulation, cluster: _Cluster, model: ChartModel, phase: str, hook_jobs: dict[int, HookJobAnalysis]
) -> None:
    hooks = [h for h in model.hooks() if h.hook and phase in h.hook.events]
    hooks.sort(key=lambda h: (h.hook.weight if h.hook else 0, h.name))
    created: list[KubeObject] = []
    for hook in hooks:
        created.append(hook)
        if hook.kind not in ("Job", "Pod"):
            sim.log(f"{phase} hook: {hook.ref()} created")
            continue
        analysis = hook_jobs.get(id(hook))
        problem = analysis.blocking_problem(model, created) if analysis else None
        if problem:
            sim.hook_problems.append(HookProblem(hook, problem))
            sim.log(f"{phase} hook: {hook.ref()} cannot do its work: {problem}")
            continue
        sim.log(f"{phase} hook: {hook.ref()} runs and Helm waits for it")
        for action in analysis.actions if analysis else []:
            for victim in _targets(cluster, action):
                _delete(sim, cluster, victim, f"  the hook deletes {victim.ref()}")
    for hook in reversed(hooks):
        policies = hook.hook.delete_policies if hook.hook else []
        if "hook-succeeded" in policies:
            sim.log(f"{phase} hook: {hook.ref()} deleted (hook-succeeded)")


def _targets(cluster: _Cluster, action: CleanupAction) -> list[Victim]:
    found = []
    for victim in cluster.live:
        if victim.kind != action.kind:
            continue
        if action.kind == "Namespace":
            if action.name in (None, victim.name):
                found.append(victim)
            continue
        if action.namespace not in ("*", victim.namespace):
            continue
        if action.name in (None, victim.name):
            found.append(victim)
    return found


def _delete(sim: Simulation, cluster: _Cluster, victim: Victim, text: str) -> None:
    if victim not in cluster.live:
        return
    sim.log(text)
    cluster.live.remove(victim)
    if _is_controller(cluster, victim):
        cluster.dead_workloads.add(id(victim))
        served = sorted({f"{c.finalizer} on {c.kind}" for c in cluster.controllers if c.workload is victim})
        sim.log(f"  nothing clears {', '.join(served)} from now on")
    if victim.kind == "Namespace":
        _delete_namespace(sim, cluster, victim)
        return
    _check_finalizers(sim, cluster, victim, namespace_terminating=None)


def _is_controller(cluster: _Cluster, victim: Victim) -> bool:
    return isinstance(victim, KubeObject) and any(c.workload is victim for c in cluster.controllers)


def _delete_namespace(sim: Simulation, cluster: _Cluster, namespace: Victim) -> None:
    """The namespace controller deletes everything in it; the namespace waits for all of it."""
    blocked = False
    for victim in cluster.in_namespace(namespace.name):
        cluster.live.remove(victim)
        if _is_controller(cluster, victim):
            cluster.dead_workloads.add(id(victim))
        blocked |= _check_finalizers(sim, cluster, victim, namespace_terminating=namespace.name)
    if blocked:
        sim.log(f"  namespace {namespace.name} stays Terminating")


def _check_finalizers(
    sim: Simulation, cluster: _Cluster, victim: Victim, namespace_terminating: str | None
) -> bool:
    blocked = False
    for finalizer in cluster.finalizers(victim):
        controller = cluster.serving(victim, finalizer)
        if controller is None:
            continue
        if cluster.alive(controller):
            sim.log(f"  {controller.workload.ref()} clears {finalizer} from {victim.ref()}")
            continue
        blocked = True
        sim.stuck.append(StuckObject(victim, finalizer, controller, namespace_terminating))
        sim.log(
            f"  {victim.ref()} keeps finalizer {finalizer}: its controller {controller.workload.ref()} "
            "was already deleted"
        )
    return blocked
