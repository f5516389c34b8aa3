"""Checks of the OLM rules and of chart hygiene that bear on uninstall (CF1001-CF1005, CF1008).
Each takes a LintContext and yields findings; rules/registry.py binds them to catalog ids."""

from __future__ import annotations

import re
from collections.abc import Iterator

from chartfix.analysis.controllers import custom_kinds
from chartfix.analysis.hookjobs import HookJobAnalysis
from chartfix.analysis.objects import KubeObject, split_image
from chartfix.analysis.timeline import focus_steps
from chartfix.analysis.uninstall import WEBHOOK_KINDS, Simulation, kept
from chartfix.rules.context import LintContext
from chartfix.rules.finding import Finding
from chartfix.rules.knowledge import olm_knowledge


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
    sim = ctx.simulate(ctx.olm_duties(assume_finalizer=True), ctx.olm_runtime)
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
        timeline_focus=focus_steps(sim, bundle.olm_operator, *(s.victim for s in sim.stuck)),
        details=[disagreement] if disagreement else [],
    )


def check_cleanup_hooks(ctx: LintContext) -> Iterator[Finding]:
    """CF1003: delete-phase hooks that clean up what the uninstall depends on, and are fragile.
    (A hook that cannot run at all is CF1014.)"""
    cleanup_kinds = {"Namespace", "ClusterServiceVersion", "Subscription", "APIService", *WEBHOOK_KINDS}
    cleanup_kinds |= {d.kind for d in ctx.duties} | {c.kind for c in custom_kinds(ctx.model).values()}
    for hook in ctx.model.hooks():
        analysis = ctx.hook_jobs.get(id(hook))
        if analysis is None or not hook.hook or not {"pre-delete", "post-delete"} & set(hook.hook.events):
            continue
        phase = "pre-delete" if "pre-delete" in hook.hook.events else "post-delete"
        problems = [_left_after_failure(ctx, hook, phase)]
        if any(a.kind in cleanup_kinds for a in analysis.actions) or analysis.scale_downs:
            problems += list(_fragilities(ctx, hook, analysis))
        for key, problem, fix in filter(None, problems):
            yield ctx.finding(
                "CF1003",
                f"{phase} hook {hook.ref()}: {problem}",
                hook.position,
                subject=hook.ref(),
                fix=fix,
                key=key,
            )


def _left_after_failure(ctx: LintContext, job: KubeObject, phase: str) -> tuple[str, str, str] | None:
    """Helm deletes a hook's leftovers before creating it again only with before-hook-creation (the
    default when no policy is set); hook-failed deletes them after a failure."""
    left = [
        h.ref()
        for h in ctx.model.hooks()
        if h.hook
        and phase in h.hook.events
        and (h is job or h.kind in _HOOK_SUPPORT_KINDS)
        and h.hook.delete_policies
        and not {"before-hook-creation", "hook-failed"} & set(h.hook.delete_policies)
    ]
    if not left:
        return None
    return (
        "blocks-retry",
        f"{', '.join(left)} {'has' if len(left) == 1 else 'have'} a helm.sh/hook-delete-policy without "
        "before-hook-creation or hook-failed: after one failed run they stay, and every later "
        "`helm uninstall` fails with 'already exists'",
        "Add before-hook-creation to their helm.sh/hook-delete-policy.",
    )


_HOOK_SUPPORT_KINDS = ("ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")


def _fragilities(
    ctx: LintContext, hook: KubeObject, analysis: HookJobAnalysis
) -> Iterator[tuple[str, str, str]]:
    """(key, problem, fix) for each thing that makes a cleanup hook fragile."""
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
    for action in analysis.actions:
        if action.name and not action.ignore_not_found:
            yield (
                f"not-found:{action.plural}/{action.name}",
                f"`delete {action.plural} {action.name}` has no --ignore-not-found: it fails (and the uninstall "
                "with it) when the object is already gone, e.g. after a failed install or a manual cleanup",
                "Add --ignore-not-found to the delete.",
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


def check_crds_in_templates(ctx: LintContext) -> Iterator[Finding]:
    """CF1004."""
    instance_kinds = {o.kind for o in ctx.model.objects if o.origin in ("release", "hook")}
    instance_kinds |= {r.kind for r in ctx.olm_runtime}
    for crd in ctx.model.release():
        if crd.kind != "CustomResourceDefinition":
            continue
        if kept(crd):
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
        if kind == "Role" and not _chart_lives_in(ctx, namespace, besides=binding):
            continue  # a binding into another release's namespace, to that release's Role
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


def _chart_lives_in(ctx: LintContext, namespace: str | None, besides: KubeObject) -> bool:
    """The chart puts something else than RBAC into the namespace (or it is the release's own)."""
    if namespace == ctx.model.namespace:
        return True
    rbac = ("Role", "RoleBinding")
    return any(
        o.namespace == namespace and o is not besides and o.kind not in rbac for o in ctx.model.objects
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
