"""The checks bound to the rules of catalog.yaml. Each takes a LintContext and yields findings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from chartfix.analysis.hookjobs import HookJobAnalysis, analyse_hook_job
from chartfix.analysis.objects import ChartModel, KubeObject
from chartfix.analysis.timeline import focus_steps
from chartfix.analysis.uninstall import Controller, RuntimeObject, Simulation, simulate_uninstall
from chartfix.errors import Position
from chartfix.rules import catalog
from chartfix.rules.finding import Finding
from chartfix.rules.knowledge import olm_knowledge, operator_knowledge
from chartfix.rules.olm import OlmBundle, find_olm_bundle, split_image


@dataclass
class LintContext:
    chart_label: str
    model: ChartModel
    scenario: str
    app_version: str = ""
    guards: Callable[[KubeObject], list[str]] | None = None  # template conditions around an object
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def olm(self) -> OlmBundle | None:
        return find_olm_bundle(self.model, self.app_version)

    @cached_property
    def hook_jobs(self) -> dict[int, HookJobAnalysis]:
        return {id(h): analyse_hook_job(h) for h in self.model.hooks() if h.kind in ("Job", "Pod")}

    def olm_controllers(self, assume_finalizer: bool = False) -> list[Controller]:
        bundle = self.olm
        if bundle is None or bundle.olm_operator is None:
            return []
        if not (assume_finalizer or bundle.has_csv_finalizer()):
            return []
        finalizer = olm_knowledge()["finalizer"]
        family = f"OLM {bundle.version_text()}"
        return [Controller(bundle.olm_operator, finalizer["name"], finalizer["kind"], family, implicit=True)]

    def olm_runtime_objects(self) -> list[RuntimeObject]:
        bundle = self.olm
        if bundle is None or bundle.olm_operator is None:
            return []
        objects = []
        for sub in self.model.of_kind("Subscription"):
            if sub.origin != "release":
                continue
            package = sub.spec.get("name") if isinstance(sub.spec.get("name"), str) else sub.name
            objects.append(
                RuntimeObject(
                    kind="ClusterServiceVersion",
                    namespace=sub.namespace,
                    name=f"{package}.<version>",
                    finalizers=[],
                    created_by=bundle.olm_operator,
                    because=f"OLM installs {sub.ref()} as a ClusterServiceVersion",
                )
            )
        return objects

    def simulate(self, controllers: list[Controller], runtime: list[RuntimeObject]) -> Simulation:
        return simulate_uninstall(self.model, controllers, runtime, self.hook_jobs)

    def finding(
        self,
        rule_id: str,
        message: str,
        position: Position,
        subject: str = "",
        fix: str | None = None,
        **extra: Any,
    ) -> Finding:
        """`fix`: the fix for this finding when it is narrower than the rule's (a CF1003 sub-problem);
        `key=` (in extra): what tells several findings of the rule on one object apart."""
        meta = catalog()[rule_id]
        return Finding(
            rule_id=rule_id,
            slug=meta.slug,
            severity=meta.severity,
            message=message,
            position=position,
            chart=self.chart_label,
            fix=fix or meta.fix.strip().split("\n\n")[0].replace("\n", " "),
            scenario=self.scenario,
            subject=subject,
            **extra,
        )


def _stuck_summary(sim: Simulation) -> str:
    """Short: the first stuck objects by name, how many more, and the namespaces left Terminating
    (the timeline has the details)."""
    by_finalizer: dict[str, list[str]] = {}
    for stuck in sim.stuck:
        refs = by_finalizer.setdefault(stuck.finalizer, [])
        if stuck.victim.ref() not in refs:
            refs.append(stuck.victim.ref())
    parts = []
    for finalizer, refs in by_finalizer.items():
        shown = ", ".join(refs[:2]) + (f" and {len(refs) - 2} more" if len(refs) > 2 else "")
        parts.append(f"{shown} keep{'s' if len(refs) == 1 else ''} finalizer {finalizer}")
    namespaces = sorted({s.namespace_terminating for s in sim.stuck if s.namespace_terminating})
    if namespaces:
        parts.append(
            f"namespace{'s' if len(namespaces) > 1 else ''} {', '.join(namespaces)} "
            f"stay{'s' if len(namespaces) == 1 else ''} Terminating"
        )
    return "; ".join(parts)


def check_olm_bundled(ctx: LintContext) -> Iterator[Finding]:
    """CF1001 / CF1002."""
    bundle = ctx.olm
    if bundle is None or bundle.olm_operator is None:
        return
    latent = not bundle.has_csv_finalizer()
    sim = ctx.simulate(ctx.olm_controllers(assume_finalizer=True), ctx.olm_runtime_objects())
    if not sim.stuck:
        return
    disagreement = bundle.disagreement()
    note = " (version signals disagree, see below)" if disagreement else ""
    if latent:
        rule_id = "CF1002"
        message = (
            f"the chart installs OLM {bundle.version_text()}{note} with no pre-delete cleanup; once OLM is "
            f"upgraded to 0.27+ `helm uninstall` will hang: {_stuck_summary(sim)}"
        )
    else:
        rule_id = "CF1001"
        message = (
            f"the chart installs OLM {bundle.version_text()}{note}, which puts finalizer "
            f"{olm_knowledge()['finalizer']['name']} on every ClusterServiceVersion; `helm uninstall` deletes "
            f"{bundle.olm_operator.ref()} first, so: {_stuck_summary(sim)}"
        )
    yield ctx.finding(
        rule_id,
        message,
        bundle.olm_operator.position,
        subject=bundle.olm_operator.ref(),
        timeline=sim.timeline().split("\n"),
        timeline_focus=focus_steps(sim),
        details=[disagreement] if disagreement else [],
    )


def check_cleanup_hooks(ctx: LintContext) -> Iterator[Finding]:
    """CF1003: pre-delete cleanup hooks that will not work or are fragile."""
    cleanup_kinds = {"Namespace", "ClusterServiceVersion", "Subscription"}
    operator_kinds = {k["kind"] for family in operator_knowledge() for k in family["finalized_kinds"]}
    for hook in ctx.model.hooks():
        analysis = ctx.hook_jobs.get(id(hook))
        if analysis is None or not hook.hook or "pre-delete" not in hook.hook.events:
            continue
        if not any(a.kind in cleanup_kinds | operator_kinds for a in analysis.actions):
            continue
        for key, problem, fix in _hook_problems(ctx, hook, analysis):
            yield ctx.finding(
                "CF1003",
                f"pre-delete cleanup {hook.ref()}: {problem}",
                hook.position,
                subject=hook.ref(),
                fix=fix,
                key=key,
            )


def _hook_problems(
    ctx: LintContext, hook: KubeObject, analysis: HookJobAnalysis
) -> Iterator[tuple[str, str, str]]:
    """(key, problem, fix) for each thing wrong with a cleanup hook."""
    created = [
        h for h in ctx.model.hooks() if h.hook and "pre-delete" in h.hook.events and _runs_before(h, hook)
    ]
    blocking = analysis.blocking_problem(ctx.model, [*created, hook])
    if blocking:
        yield (
            "cannot-run",
            blocking,
            "Give the hook's ServiceAccount RBAC for the deletes, and create the ServiceAccount and RBAC as "
            "pre-delete hooks with a lower helm.sh/hook-weight (or as release resources).",
        )
    spec = hook.spec if hook.kind == "Job" else {}
    if hook.kind == "Job" and "activeDeadlineSeconds" not in spec:
        yield (
            "no-deadline",
            "no activeDeadlineSeconds: if the cleanup never finishes, `helm uninstall` hangs until Helm's hook timeout (5m by default) and then fails",
            "Set spec.activeDeadlineSeconds on the Job (e.g. 300), below Helm's --timeout.",
        )
    if hook.kind == "Job" and "backoffLimit" not in spec:
        yield (
            "no-backoff-limit",
            "no backoffLimit: a failing cleanup is retried 6 times with growing back-off (Kubernetes' default) while Helm waits",
            "Set spec.backoffLimit on the Job (e.g. 2).",
        )
    for image in hook.images():
        _, tag, digest = split_image(image)
        if not digest and (tag is None or tag == "latest"):
            yield (
                "image-not-pinned",
                f"image {image} is not pinned (no tag or :latest): the cleanup can change or break without any chart change",
                "Pin the hook's image by a version tag or a digest (e.g. registry.k8s.io/kubectl:v1.31.0).",
            )
    if not hook.hook or not hook.hook.delete_policies:
        yield (
            "no-delete-policy",
            "no helm.sh/hook-delete-policy: the finished Job and its pod are left in the cluster after uninstall",
            "Annotate the hook with `helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded`.",
        )
    bundle = ctx.olm
    if bundle is not None:
        cleaned = {a.name for a in analysis.actions if a.kind == "Namespace"} | {
            a.namespace for a in analysis.actions if a.kind in ("ClusterServiceVersion", "Subscription")
        }
        for sub in ctx.model.of_kind("Subscription"):
            if sub.origin == "release" and sub.namespace not in cleaned and "*" not in cleaned:
                yield (
                    f"misses-namespace:{sub.identity()}",
                    f"it cleans {', '.join(sorted(c for c in cleaned if c)) or 'nothing'}, but {sub.ref()} installs its operator's ClusterServiceVersion in namespace {sub.namespace}",
                    f"Make the hook also delete the ClusterServiceVersions and Subscriptions in namespace {sub.namespace} (where the Subscription installs its operator).",
                )
        if ctx.guards is not None and bundle.olm_operator is not None:
            hook_guards, olm_guards = ctx.guards(hook), ctx.guards(bundle.olm_operator)
            if (
                hook_guards is not None
                and olm_guards is not None
                and _conditions_differ(hook_guards, olm_guards)
            ):
                yield (
                    "condition-mismatch",
                    f"it is rendered under {_conditions(hook_guards)} while OLM is installed under "
                    f"{_conditions(olm_guards)}: with other values one exists without the other",
                    f"Render the hook under exactly the condition of the OLM install: {_conditions(olm_guards)}.",
                )


def _conditions_differ(hook_guards: list[str], olm_guards: list[str]) -> bool:
    """The hook must be rendered exactly when OLM is; a dedicated switch of the cleanup itself
    (a condition naming a `cleanup` value) is the user's choice, not a mismatch."""
    own_switch = re.compile(r"cleanup", re.IGNORECASE)
    extra = [g for g in hook_guards if g not in olm_guards and not own_switch.search(g)]
    missing = [g for g in olm_guards if g not in hook_guards]
    return bool(extra or missing)


def _conditions(guards: list[str]) -> str:
    return " and ".join(f"`{g}`" for g in guards) if guards else "no condition"


def _runs_before(a: KubeObject, b: KubeObject) -> bool:
    wa = a.hook.weight if a.hook else 0
    wb = b.hook.weight if b.hook else 0
    return (wa, a.name) < (wb, b.name)


def check_crds_in_templates(ctx: LintContext) -> Iterator[Finding]:
    """CF1004."""
    instance_kinds = {o.kind for o in ctx.model.objects if o.origin in ("release", "hook")}
    instance_kinds |= {r.kind for r in ctx.olm_runtime_objects()}
    for crd in ctx.model.release():
        if crd.kind != "CustomResourceDefinition":
            continue
        if str(crd.annotations.get("helm.sh/resource-policy", "")).strip().lower() == "keep":
            continue
        names = crd.spec.get("names") if isinstance(crd.spec.get("names"), dict) else {}
        kind = names.get("kind")
        if kind in instance_kinds:
            yield ctx.finding(
                "CF1004",
                f"CustomResourceDefinition {crd.name} is rendered from templates/ and the release creates {kind} "
                f"objects: `helm uninstall` deletes the CRD and with it every {kind} in the cluster",
                crd.position,
                subject=crd.ref(),
            )


def check_olm_unconditional(ctx: LintContext) -> Iterator[Finding]:
    """CF1005: OLM installed with no values toggle and no .Capabilities check."""
    bundle = ctx.olm
    if bundle is None or bundle.olm_operator is None or ctx.guards is None:
        return
    guards = ctx.guards(bundle.olm_operator)
    if guards is None or any(".Values" in g or ".Capabilities" in g or "lookup" in g for g in guards):
        return
    yield ctx.finding(
        "CF1005",
        f"{bundle.olm_operator.ref()} (OLM) is rendered unconditionally: installing the chart into a cluster "
        "that already runs OLM installs a second OLM",
        bundle.olm_operator.position,
        subject=bundle.olm_operator.ref(),
    )


def operator_controllers(model: ChartModel) -> list[Controller]:
    """Controllers of known operator families (rules/knowledge/operators.yaml) shipped by the release."""
    found = []
    for family in operator_knowledge():
        if family["id"] == olm_knowledge()["id"]:
            continue  # OLM v0 has its own rules (CF1001/CF1002), with version and runtime CSVs
        patterns = [re.compile(p) for p in family["controller"]["images"]]
        for workload in model.release():
            if workload.kind not in ("Deployment", "StatefulSet", "DaemonSet"):
                continue
            if not any(any(p.search(split_image(i)[0]) for p in patterns) for i in workload.images()):
                continue
            for entry in family["finalized_kinds"]:
                for finalizer in entry["finalizers"]:
                    implicit = entry["scope"] == "every-instance"
                    found.append(
                        Controller(workload, finalizer, entry["kind"], family["name"], implicit=implicit)
                    )
    return found


def check_operator_finalizers(ctx: LintContext) -> Iterator[Finding]:
    """CF1006: operators (beyond OLM) deleted before the custom resources they finalize."""
    controllers = operator_controllers(ctx.model)
    if not controllers:
        return
    sim = ctx.simulate(controllers, [])
    by_workload: dict[int, list] = {}
    for stuck in sim.stuck:
        by_workload.setdefault(id(stuck.controller.workload), []).append(stuck)
    for items in by_workload.values():
        workload = items[0].controller.workload
        summary = "; ".join(
            dict.fromkeys(
                f"{s.victim.ref()} keeps finalizer {s.finalizer}"
                + (
                    f" and namespace {s.namespace_terminating} stays Terminating"
                    if s.namespace_terminating
                    else ""
                )
                for s in items
            )
        )
        yield ctx.finding(
            "CF1006",
            f"the release ships the {items[0].controller.family} controller {workload.ref()} and custom "
            f"resources it finalizes; `helm uninstall` deletes the controller first, so: {summary}",
            workload.position,
            subject=workload.ref(),
            timeline=sim.timeline().split("\n"),
            timeline_focus=focus_steps(sim),
        )


def check_webhooks(ctx: LintContext) -> Iterator[Finding]:
    """CF1007: webhook configurations that outlive the Service serving them."""
    services = {(o.namespace, o.name) for o in ctx.model.release() if o.kind == "Service"}
    for config in ctx.model.hooks():
        if (
            config.kind not in ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")
            or not config.hook
        ):
            continue
        if "hook-succeeded" in config.hook.delete_policies:
            continue  # removed right after its own hook phase
        failing: list[str] = []
        service_refs: set[str] = set()
        for webhook in config.body.get("webhooks") or []:
            if not isinstance(webhook, dict):
                continue
            service = (webhook.get("clientConfig") or {}).get("service") or {}
            key = (service.get("namespace"), service.get("name"))
            if key in services and webhook.get("failurePolicy", "Fail") == "Fail":
                failing.append(str(webhook.get("name")))
                service_refs.add(f"Service {key[0]}/{key[1]}")
        if failing:
            yield ctx.finding(
                "CF1007",
                f"{config.ref()} is a {', '.join(config.hook.events)} hook, so `helm uninstall` does not delete "
                f"it, but it deletes {', '.join(sorted(service_refs))} that serves its webhooks "
                f"{', '.join(failing)} (failurePolicy Fail): afterwards every request they match is rejected",
                config.position,
                subject=config.ref(),
            )


def check_role_refs(ctx: LintContext) -> Iterator[Finding]:
    """CF1008: bindings to roles that nobody defines."""
    defined = {(o.kind, o.namespace if o.kind == "Role" else None, o.name) for o in ctx.model.objects}
    for binding in ctx.model.objects:
        if binding.kind not in ("RoleBinding", "ClusterRoleBinding") or binding.origin == "crds":
            continue
        role_ref = binding.body.get("roleRef")
        if not isinstance(role_ref, dict):
            continue
        kind, name = role_ref.get("kind"), role_ref.get("name")
        if not isinstance(name, str) or not name:
            continue
        namespace = binding.namespace if kind == "Role" else None
        if (kind, namespace, name) in defined or is_builtin_role(str(kind), name):
            continue
        similar = sorted(
            {
                f"{o.kind} {o.name}"
                for o in ctx.model.objects
                if o.kind in ("Role", "ClusterRole") and _similar(o.name, name)
            }
        )
        hint = f"; the chart defines {', '.join(similar)}" if similar else ""
        yield ctx.finding(
            "CF1008",
            f"{binding.ref()} binds {kind} {name}, which the chart does not define and Kubernetes does not ship{hint}",
            binding.position,
            subject=binding.ref(),
        )


_BUILTIN_CLUSTER_ROLES = {
    "cluster-admin",
    "admin",
    "edit",
    "view",
    # OpenShift's default cluster roles, commonly bound by charts made for it
    "cluster-reader",
    "cluster-status",
    "self-provisioner",
    "basic-user",
    "sudoer",
    "registry-viewer",
    "registry-editor",
    "registry-admin",
    "cluster-monitoring-view",
    "monitoring-edit",
    "monitoring-rules-edit",
    "monitoring-rules-view",
    "alert-routing-edit",
    "cluster-debugger",
    "storage-admin",
    "global-operators-admin",
}


# Roles Kubernetes bootstraps in kube-system / kube-public (besides the system: ones).
_BUILTIN_ROLES = {"extension-apiserver-authentication-reader"}


def is_builtin_role(kind: str, name: str) -> bool:
    if name.startswith(("system:", "openshift:")):
        return True
    return name in (_BUILTIN_CLUSTER_ROLES if kind == "ClusterRole" else _BUILTIN_ROLES)


def _similar(a: str, b: str) -> bool:
    """Same name, or one a variant of the other (`x-role` vs `x-cluster-role`)."""
    return a == b or a.startswith(b.rsplit("-", 1)[0]) or b.startswith(a.rsplit("-", 1)[0])


CHECKS: dict[str, Callable[[LintContext], Iterator[Finding]]] = {
    "CF1001": check_olm_bundled,  # also reports CF1002
    "CF1003": check_cleanup_hooks,
    "CF1004": check_crds_in_templates,
    "CF1005": check_olm_unconditional,
    "CF1006": check_operator_finalizers,
    "CF1007": check_webhooks,
    "CF1008": check_role_refs,
}
# CF1009 (values schema) and CF1010 (chart version) are reported by the lint driver, which sees the
# loading and values errors before any object exists.
