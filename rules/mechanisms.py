"""Checks of the uninstall mechanisms, on the uninstall model built from the chart itself:
finalizers whose controller goes first (CF1006, CF1011), webhooks and APIServices that outlive or
lose their backend (CF1007, CF1012, CF1013), delete hooks that cannot run (CF1014), and operators
OLM installs from the release's Subscriptions (CF1015). Severity follows the evidence: confirmed
error, inferred warning, possible info."""

from __future__ import annotations

from collections.abc import Iterator

from chartfix.analysis.controllers import LEVELS, Evidence, FinalizerDuty, RuntimeObject, custom_kinds
from chartfix.analysis.objects import KubeObject
from chartfix.analysis.timeline import focus_steps
from chartfix.analysis.uninstall import WEBHOOK_KINDS, Simulation, StuckObject
from chartfix.rules.context import SEVERITY_OF_LEVEL, LintContext
from chartfix.rules.finding import Finding
from chartfix.rules.knowledge import olm_knowledge


def _evidence_text(evidence: Evidence) -> str:
    source = f" ({evidence.source})" if evidence.source else ""
    return f"evidence ({evidence.level}): {evidence.basis}{source}"


def _strongest(duties: list[FinalizerDuty]) -> FinalizerDuty:
    return max(duties, key=lambda d: LEVELS.index(d.evidence.level))


def _stuck_text(items: list[StuckObject]) -> str:
    parts = []
    for stuck in items:
        text = f"{stuck.victim.ref()} keeps {stuck.finalizer}"
        if stuck.namespace_terminating:
            text += f" and namespace {stuck.namespace_terminating} stays Terminating"
        parts.append(text)
    return "; ".join(dict.fromkeys(parts))


def check_operator_finalizers(ctx: LintContext) -> Iterator[Finding]:
    """CF1006: custom resources of the release whose finalizer's controller is deleted before them."""
    sim = ctx.simulate()
    own = {id(d) for d in ctx.duties}
    by_workload: dict[int, list[StuckObject]] = {}
    for stuck in sim.stuck:
        if id(stuck.duty) in own and isinstance(stuck.victim, KubeObject):
            by_workload.setdefault(id(stuck.duty.workload), []).append(stuck)
    for items in by_workload.values():
        workload = items[0].duty.workload
        duty = _strongest([s.duty for s in items])
        family = f"the {duty.family} controller " if duty.family else "the controller "
        yield ctx.finding(
            "CF1006",
            f"`helm uninstall` deletes {family}{workload.ref()} before the custom resources it finalizes, so: "
            f"{_stuck_text(items)}; {_evidence_text(duty.evidence)}",
            workload.position,
            subject=workload.ref(),
            severity=SEVERITY_OF_LEVEL[duty.evidence.level],
            timeline=sim.timeline().split("\n"),
            timeline_focus=focus_steps(sim, workload, *(s.victim for s in items)),
        )


def check_user_instances(ctx: LintContext) -> Iterator[Finding]:
    """CF1011: an operator and its CRDs shipped with no cleanup: instances users create hang."""
    shipped = custom_kinds(ctx.model)
    in_chart = {o.kind for o in ctx.model.objects if o.origin in ("release", "hook")}
    duties = [d for d in ctx.duties if d.kind in shipped and d.kind not in in_chart and d.every_instance]
    if not duties:
        return
    hypothetical: dict[str, RuntimeObject] = {}
    for duty in duties:
        custom = shipped[duty.kind]
        hypothetical.setdefault(
            duty.kind,
            RuntimeObject(
                kind=duty.kind,
                group=duty.group,
                namespace="(a user's namespace)" if custom.namespaced else None,
                name="(a user's object)",
                created_by=None,
                because=f"users create {duty.kind} objects",
                evidence=duty.evidence,
            ),
        )
    sim = ctx.simulate(runtime=ctx.olm_runtime + ctx.runtime_registrations + list(hypothetical.values()))
    hanging = {id(s.victim) for s in sim.stuck} | {id(v) for v, _ in sim.leftovers}
    # One finding per set of controllers: the kinds they may finalize, with the strongest evidence.
    by_controllers: dict[tuple[int, ...], list[FinalizerDuty]] = {}
    for kind, victim in hypothetical.items():
        if id(victim) not in hanging:
            continue
        candidates = [d for d in duties if d.kind == kind]
        best = LEVELS.index(_strongest(candidates).evidence.level)
        chosen = [d for d in candidates if LEVELS.index(d.evidence.level) == best]
        by_controllers.setdefault(tuple(id(d.workload) for d in chosen), []).extend(chosen)
    for items in by_controllers.values():
        controllers = list({id(d.workload): d.workload for d in items}.values())
        kinds = sorted({d.kind for d in items})
        crd_deleted = any(shipped[k].crd.origin == "release" for k in kinds)
        consequence = (
            "Helm deletes the CRD after the controller, so those objects and the CRD stay Terminating"
            if crd_deleted
            else "those objects outlive the release and deleting them later hangs"
        )
        who = controllers[0].ref() + (
            f" (or {', '.join(c.name for c in controllers[1:])})" if len(controllers) > 1 else ""
        )
        duty = _strongest(items)
        yield ctx.finding(
            "CF1011",
            f"{who} may finalize {', '.join(kinds)} objects, which the chart does not create but users will, "
            f"and no pre-delete hook deletes them while it runs: {consequence}; {_evidence_text(duty.evidence)}",
            controllers[0].position,
            subject=f"{controllers[0].ref()}: {', '.join(kinds)}",
            severity="info",
        )


def _both_majors(ctx: LintContext) -> list[Simulation]:
    return [ctx.simulate(helm_major=major) for major in (3, 4)]


def check_webhooks_outlive(ctx: LintContext) -> Iterator[Finding]:
    """CF1007: webhook configurations that survive the uninstall while their server is deleted."""
    sim = ctx.simulate()
    for broken in sim.broken:
        registration = broken.registration
        if registration.kind not in WEBHOOK_KINDS:
            continue
        if isinstance(registration, RuntimeObject):
            creator = registration.created_by
            yield ctx.finding(
                "CF1007",
                f"{creator.ref()} may create {registration.kind}s at run time ({registration.evidence.basis}); "
                "they are no Helm objects, no pre-delete hook removes them while it is stopped, and the uninstall "
                "deletes the server: a webhook left with failurePolicy Fail rejects every request it matches",
                creator.position,
                subject=f"{registration.kind} created by {creator.ref()}",
                severity=SEVERITY_OF_LEVEL[min(registration.evidence.level, "inferred", key=LEVELS.index)],
                timeline=sim.timeline().split("\n"),
                timeline_focus=focus_steps(sim, registration, creator),
            )
            continue
        yield ctx.finding(
            "CF1007",
            f"{registration.ref()} survives `helm uninstall` ({broken.why_kept}) while {broken.backend}, which "
            f"serves its webhooks {', '.join(broken.failing_webhooks)} (failurePolicy Fail), is deleted: "
            "afterwards every request they match is rejected",
            registration.position,
            subject=registration.ref(),
            timeline=sim.timeline().split("\n"),
            timeline_focus=focus_steps(sim, registration),
        )


def check_webhooks_reject_deletes(ctx: LintContext) -> Iterator[Finding]:
    """CF1012: webhooks whose server is gone reject the deletes Helm or the namespace controller send."""
    seen: dict[str, tuple[KubeObject, list[str], set[int]]] = {}
    for sim in _both_majors(ctx):
        for rejected in sim.rejected:
            key = rejected.config.ref()
            config, texts, majors = seen.setdefault(key, (rejected.config, [], set()))
            text = f"{rejected.requester} deleting {rejected.target.ref()} (webhook {rejected.webhook})"
            if text not in texts:
                texts.append(text)
            majors.add(sim.helm_major)
    for config, texts, majors in seen.values():
        which = "with Helm 3 and 4" if len(majors) == 2 else f"with Helm {min(majors)}"
        shown = "; ".join(texts[:3]) + (f"; and {len(texts) - 3} more" if len(texts) > 3 else "")
        order = " (Helm 3 deletes webhook configurations last)" if majors == {3} else ""
        yield ctx.finding(
            "CF1012",
            f"{which}{order}, `helm uninstall` deletes the server of {config.ref()} while the configuration "
            f"still exists; its failurePolicy Fail then rejects: {shown}",
            config.position,
            subject=config.ref(),
        )


def check_apiservices(ctx: LintContext) -> Iterator[Finding]:
    """CF1013: aggregated APIServices that outlive their backend."""
    sim = ctx.simulate()
    for broken in sim.broken:
        registration = broken.registration
        if registration.kind != "APIService":
            continue
        if isinstance(registration, RuntimeObject):
            creator = registration.created_by
            yield ctx.finding(
                "CF1013",
                f"{creator.ref()} may register APIServices at run time ({registration.evidence.basis}); they are "
                "no Helm objects and the uninstall deletes their server: an unavailable APIService stops every "
                "namespace deletion in the cluster (NamespaceDeletionDiscoveryFailure)",
                creator.position,
                subject=f"APIService created by {creator.ref()}",
                severity=SEVERITY_OF_LEVEL[min(registration.evidence.level, "inferred", key=LEVELS.index)],
            )
            continue
        stuck = sorted({ns for ns, api in sim.discovery_blocked if api is registration})
        also = f"; namespaces {', '.join(stuck)} stay Terminating" if stuck else ""
        yield ctx.finding(
            "CF1013",
            f"{registration.ref()} survives `helm uninstall` ({broken.why_kept}) while its {broken.backend} is "
            "deleted: the unavailable APIService stops every namespace deletion in the cluster "
            f"(NamespaceDeletionDiscoveryFailure){also}",
            registration.position,
            subject=registration.ref(),
            timeline=sim.timeline().split("\n"),
            timeline_focus=focus_steps(sim, registration),
        )


def check_delete_hooks_run(ctx: LintContext) -> Iterator[Finding]:
    """CF1014: pre-delete and post-delete hooks that cannot do their job."""
    sim = ctx.simulate()
    for problem in sim.hook_problems:
        if problem.fatal:
            phase = (
                "pre-delete"
                if problem.hook.hook and "pre-delete" in problem.hook.hook.events
                else "post-delete"
            )
            yield ctx.finding(
                "CF1014",
                f"{phase} hook {problem.hook.ref()} cannot do its job: {problem.message}",
                problem.hook.position,
                subject=problem.hook.ref(),
            )


def check_olm_operators_outlive(ctx: LintContext) -> Iterator[Finding]:
    """CF1015: operators OLM installs from the release's Subscriptions outlive the release."""
    if ctx.olm is not None and ctx.olm.olm_operator is not None:
        return  # the chart runs OLM itself: CF1001/CF1002
    csvs = ctx.olm_runtime
    if not csvs:
        return
    sim = ctx.simulate(runtime=csvs)
    surviving = {id(o) for o in sim.survivors}
    group = olm_knowledge()["api_group"]
    for subscription in ctx.model.of_kind("Subscription"):
        if subscription.origin != "release" or subscription.group != group:
            continue
        csv = next(
            (c for c in csvs if c.because.endswith(f"{subscription.ref()} as a ClusterServiceVersion")), None
        )
        if csv is None or id(csv) not in surviving:
            continue
        yield ctx.finding(
            "CF1015",
            f"OLM installs the operator of {subscription.ref()} as {csv.ref()}, which is no Helm object: "
            "`helm uninstall` deletes the Subscription, and OLM leaves the ClusterServiceVersion and the "
            "operator's Deployment running",
            subscription.position,
            subject=subscription.ref(),
        )
