"""`chartfix patch`: plan a fix for each uninstall mechanism chartfix reports, verify it, or refuse.

Each finding becomes part of a plan (the planner): pre-delete hooks anchored at the object they
serve (the OLM install, a controller, a webhook configuration or APIService, a workload that
registers them at run time), rendered under that object's template condition (copied from the AST
with the variable definitions it depends on) and with the chart's own name and namespace
expressions; or minimal edits of the chart's own hooks (`edits`). A finding with no safe mechanical
fix is refused with the reason, and nothing is written. The planned chart is linted again before
anything is written (`output`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from chartfix.analysis.controllers import WORKLOAD_KINDS, custom_kinds
from chartfix.analysis.hookjobs import confirmed_plural
from chartfix.analysis.objects import KubeObject
from chartfix.analysis.scenarios import Scenario, enclosing_branches
from chartfix.analysis.selectors import selector_text
from chartfix.analysis.uninstall import WEBHOOK_KINDS, egress_blocked, w_matches
from chartfix.errors import ChartfixError
from chartfix.findings.lint import ChartReport, LintOptions, disabled_cleanup_switch, lint_chart
from chartfix.helm.values import user_values
from chartfix.patch.anchor import Anchor
from chartfix.patch.documents import container, egress_policy_document, hook_name, job_document, rbac_rules
from chartfix.patch.edits import blocking_leftovers, delete_policy_edit, hook_edits
from chartfix.patch.errors import NoMechanicalFix, PatchError
from chartfix.patch.olm_hook import HOOK_TEMPLATE, OlmHookGenerator
from chartfix.patch.output import materialize
from chartfix.patch.settings import (
    HOOK_SETTINGS,
    LIMIT_SETTINGS,
    LIMITS_VALUES_COMMENT,
    bump_chart_version,
    free_values_key,
    schema_with_block,
    set_default_value,
    values_with_block,
)
from chartfix.patch.source import ChartSource, Patch
from chartfix.records import field, record
from chartfix.rules import catalog
from chartfix.rules.finding import Finding

CLEANUP_TEMPLATE = "templates/chartfix-uninstall-cleanup.yaml"
# The rules `chartfix patch` fixes (findings without a safe mechanical fix are refused with the reason).
PATCHABLE_RULES = ("CF1001", "CF1002", "CF1003", "CF1006", "CF1007", "CF1011", "CF1012", "CF1013", "CF1014")
# Why a rule chartfix reports has no fix chartfix patch could make, where there is more to say.
NO_FIX_REASONS = {
    "CF1015": (
        "OLM, not the chart, runs that operator. What a cleanup would have to delete is decided at run "
        "time and is not in the chart: OLM names the ClusterServiceVersion (the Subscription's "
        "status.installedCSV) and installs the operator's CRDs from its bundle. Deleting the CSV before "
        "the users' custom resources of those CRDs (which OLM keeps) would leave them with the operator's "
        "finalizers and no controller, the deadlock chartfix reports elsewhere; and whether an operator "
        "that other workloads may use goes is the cluster owner's call. Uninstall the operator through OLM "
        "first (its custom resources, then the Subscription and the CSV), or add a cleanup hook that knows "
        "the operator's kinds"
    ),
}


@record
class PatchOptions:
    values_files: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)
    namespace: str = "default"
    release_name: str = "release-name"
    kube_version: str | None = None
    helm_major: int = 4
    rules: list[str] = field(default_factory=list)
    bump_version: bool = False

    def lint_options(self, derive: bool = True) -> LintOptions:
        return LintOptions(
            values_files=self.values_files,
            set_values=self.set_values,
            set_string=self.set_string,
            namespace=self.namespace,
            release_name=self.release_name,
            kube_version=self.kube_version,
            helm_major=self.helm_major,
            derive_scenarios=derive,
        )


def check_rule_ids(rules: list[str]) -> None:
    """`--rule` must name rules chartfix knows and can patch."""
    known = catalog()
    for rule in rules:
        if rule not in known:
            raise PatchError(f"unknown rule {rule}; `chartfix rules` lists them")
        if rule not in PATCHABLE_RULES:
            why = NO_FIX_REASONS.get(rule, "it has no chart-level mechanical fix")
            raise PatchError(
                f"chartfix patch cannot fix {rule} ({known[rule].slug}): {why}; patch fixes "
                f"{', '.join(PATCHABLE_RULES)}"
            )


def plan_patch(path: str, options: PatchOptions) -> Patch:
    """Work out the files to write. Raises ChartfixError (nothing written) when it cannot, and when
    any selected finding has no safe mechanical fix (never a half fix)."""
    check_rule_ids(options.rules)
    report = lint_chart(path, options.lint_options())
    wanted = options.rules or list(PATCHABLE_RULES)
    selected = [f for f in report.findings if f.rule_id in wanted]
    patch = Patch(chart=path)
    if not selected:
        patch.messages.append("nothing to patch: no finding of " + ", ".join(wanted))
        return patch
    source = ChartSource(path)
    planner = _Planner(report, source, options, patch)
    for finding in sorted(selected, key=lambda f: f.scenario != "defaults"):
        planner.add(finding)
    if planner.refused:
        raise NoMechanicalFix(
            "no safe mechanical fix, nothing written: "
            + "; ".join(dict.fromkeys(planner.refused))
            + (
                " (select the findings that can be fixed with --rule)"
                if len(planner.refused) < len(selected)
                else ""
            )
        )
    planner.finish()
    _verify(patch, source, options, selected, report)
    return patch


def _switch_setting(switch: Scenario) -> tuple[str, str]:
    """The value that switches a chart's own cleanup on: read from the scenario's --set values (parsed
    as Helm parses them), never from its label."""
    settings = user_values(set_values=switch.set_values, set_string=switch.set_string)
    leaves = list(_leaf_items(settings))
    if len(leaves) != 1:
        raise PatchError(f"cannot tell which value switches the cleanup on in {switch.label}")
    keys, raw = leaves[0]
    return ".".join(keys), str(raw).lower() if isinstance(raw, bool) else str(raw)


def _leaf_items(values: Any, prefix: tuple[str, ...] = ()) -> Any:
    if isinstance(values, dict) and values:
        for key, value in values.items():
            yield from _leaf_items(value, (*prefix, str(key)))
    elif prefix:
        yield prefix, values


# --- reading the chart ---------------------------------------------------------------------------


# --- the hook ------------------------------------------------------------------------------------


# --- the uninstall mechanisms: what to fix, per finding ------------------------------------------


@record
class _Block:
    """One guarded group of pre-delete hooks in CLEANUP_TEMPLATE: a ServiceAccount, its RBAC and a
    Job whose containers run one after the other."""

    anchor: Anchor
    context: Any
    what: str  # for the message
    rule_ids: list[str] = field(default_factory=list)
    # (group, plural, namespaced) -> scopes: None (cluster-scoped kind), "*" (every namespace) or a
    # namespace expression of the chart
    deletes: dict[tuple[str, str, bool], list[str | None]] = field(default_factory=dict)
    named: list[tuple[str, str, str]] = field(default_factory=list)  # (group, plural, name expression)
    selected: list[tuple[str, str, str]] = field(default_factory=list)  # (group, plural, label selector)
    needed: list[KubeObject] = field(default_factory=list)  # workloads that must still run
    # (resource, name expression) of a workload scaled to zero first: a block that stops its anchor
    # runs after every other pre-delete hook
    stop: tuple[str, str] | None = None

    def add_delete(self, group: str, plural: str, namespaced: bool, scope: str | None) -> None:
        scopes = self.deletes.setdefault((group, plural, namespaced), [])
        if "*" in scopes:
            return
        if scope == "*":
            scopes.clear()
        if scope not in scopes:
            scopes.append(scope)


class _Planner:
    def __init__(self, report: ChartReport, source: ChartSource, options: PatchOptions, patch: Patch):
        self.report = report
        self.source = source
        self.options = options
        self.patch = patch
        self.refused: list[str] = []
        self.blocks: dict[str, _Block] = {}
        self.olm_done = False
        self.switches: list[tuple[str, str]] = []  # (values path, value) of the chart's own cleanup
        self.olm_key: str | None = None
        self.olm_text: str | None = None
        self.olm_weight: int | None = None
        self.limits_key: str | None = None  # values of the bounds put on the chart's own hook Jobs
        self.edits: dict[str, list[tuple[int, int, str]]] = {}  # file -> (start, end, replacement)

    def context(self, finding: Finding) -> Any:
        return next(c for c in self.report.contexts if c.scenario == finding.scenario)

    def refuse(self, finding: Finding, why: str) -> None:
        self.refused.append(f"{finding.rule_id} ({finding.subject or finding.position.file}): {why}")

    def add(self, finding: Finding) -> None:
        try:
            if finding.rule_id in ("CF1001", "CF1002"):
                self._olm(finding)
            elif finding.rule_id == "CF1006":
                self._stuck_instances(finding)
            elif finding.rule_id == "CF1011":
                self._user_instances(finding)
            elif finding.rule_id in ("CF1007", "CF1012", "CF1013"):
                self._registration(finding)
            elif finding.rule_id in ("CF1003", "CF1014"):
                self._hook_edit(finding)
        except PatchError as error:
            self.refuse(finding, error.message)

    # CF1001 / CF1002: the OLM cleanup hook, or the chart's own one switched on.
    def _olm(self, finding: Finding) -> None:
        if self.olm_done:
            return
        self.olm_done = True
        switch = disabled_cleanup_switch(self.report) if finding.scenario == "defaults" else None
        if switch is not None:
            path, value = _switch_setting(switch)
            self.switches.append((path, value))
            self.patch.messages.append(
                f"values.yaml: the chart's own pre-delete cleanup hook fixes {finding.rule_id} but is off by "
                f"default; setting {path}={value} instead of adding a second hook"
            )
            return
        context = self.context(finding)
        generator = OlmHookGenerator(self.report, context.model, context.olm.olm_operator, self.source)
        self.olm_key = free_values_key(self.source, ("olmCleanup", "chartfixOlmCleanup"))
        # after the chart's own pre-delete hooks that still need OLM's operators, before those that stop OLM
        self.olm_weight = _job_weight(context, [context.olm.olm_operator])
        self.olm_text = generator.template(self.olm_key, self.olm_weight)
        self.patch.messages.append(
            f"{HOOK_TEMPLATE}: pre-delete cleanup for {finding.rule_id} ({finding.subject}), rendered under "
            f"{generator.condition_text()}; cleans namespaces {', '.join(generator.namespace_texts())}"
        )

    def _block(self, context: Any, anchor: KubeObject, what: str, stops: bool = False) -> _Block:
        key = anchor.ref() + (" stopped" if stops else "")
        if key not in self.blocks:
            self.blocks[key] = _Block(Anchor(self.report, context.model, anchor, self.source), context, what)
        return self.blocks[key]

    # CF1006: the release's own custom resources, finalized by a controller Helm deletes first.
    def _stuck_instances(self, finding: Finding) -> None:
        ctx = self.context(finding)
        own = {id(d) for d in ctx.duties}
        items = [
            s
            for s in ctx.simulate().stuck
            if id(s.duty) in own
            and isinstance(s.victim, KubeObject)
            and s.duty.workload.ref() == finding.subject
        ]
        if not items:
            raise PatchError("the uninstall model no longer shows what gets stuck")
        workload = items[0].duty.workload
        block = self._block(ctx, workload, f"the custom resources {workload.ref()} finalizes")
        block.rule_ids.append(finding.rule_id)
        block.needed.append(workload)
        for stuck in items:
            victim = stuck.victim
            plural = confirmed_plural(ctx.model, victim.kind, victim.group)
            if plural is None:
                raise PatchError(
                    f"the chart does not ship the CRD of {victim.kind} and no Role of the chart names its "
                    "resource: its resource name and scope are unknown, so no hook can be written and "
                    "checked against the model"
                )
            if victim.namespace is None:
                block.add_delete(victim.group, plural, False, None)
            else:
                block.add_delete(victim.group, plural, True, block.anchor._namespace_expression(victim))

    # CF1011: an operator shipped with its CRDs; users' objects of the kinds it finalizes.
    def _user_instances(self, finding: Finding) -> None:
        ctx = self.context(finding)
        controller, _, kinds_text = finding.subject.partition(": ")
        wanted = [k.strip() for k in kinds_text.split(",") if k.strip()]
        duties = [d for d in ctx.duties if d.kind in wanted]
        workload = next((d.workload for d in duties if d.workload.ref() == controller), None)
        if workload is None:
            raise PatchError("the uninstall model no longer shows the controller")
        block = self._block(ctx, workload, f"the custom resources {workload.ref()} may finalize")
        block.rule_ids.append(finding.rule_id)
        block.needed += [d.workload for d in duties if d.workload not in block.needed]
        kinds = custom_kinds(ctx.model)
        for kind in wanted:
            custom = kinds[kind]
            block.add_delete(
                custom.group, custom.plural, custom.namespaced, "*" if custom.namespaced else None
            )

    # CF1007 / CF1012 / CF1013: a webhook configuration or APIService that outlives its server.
    def _registration(self, finding: Finding) -> None:
        ctx = self.context(finding)
        if " created by " in finding.subject:
            self._runtime_registration(ctx, finding)
            return
        obj = next(
            (
                o
                for o in ctx.model.objects
                if o.ref() == finding.subject and o.kind in (*WEBHOOK_KINDS, "APIService")
            ),
            None,
        )
        if obj is None:
            raise PatchError("the uninstall model no longer shows the registration")
        block = self._block(ctx, obj, f"{obj.ref()} before its server goes")
        block.rule_ids.append(finding.rule_id)
        name = block.anchor.name_expression(obj)
        if name is None:
            raise PatchError(
                f"the name of {obj.ref()} is computed inside a loop or from template variables, so a hook "
                "cannot name it"
            )
        plural = ctx.resources[obj.kind.lower()][2]
        if (obj.group, plural, name) not in block.named:
            block.named.append((obj.group, plural, name))
        block.needed += [
            w
            for w in ctx.model.release()
            if w.kind in WORKLOAD_KINDS and all(w is not n for n in block.needed)
        ]

    # CF1007 / CF1013 created at run time: stop the workload that creates them, then delete exactly them.
    def _runtime_registration(self, ctx: Any, finding: Finding) -> None:
        registration = next(
            (
                r
                for r in ctx.runtime_registrations
                if f"{r.kind} created by {r.created_by.ref()}" == finding.subject
            ),
            None,
        )
        if registration is None:
            raise PatchError("the uninstall model no longer shows the registrations")
        if not registration.names and not registration.labels:
            raise PatchError(
                "the workload creates these registrations at run time, and neither the chart nor chartfix's "
                "knowledge of the operator it runs names them or a label that selects exactly them: deleting "
                "every one of that kind in the cluster is not safe, so this needs a cleanup in the operator "
                "(or a label the chart sets)"
            )
        creator = registration.created_by
        if creator.kind not in SCALABLE:
            raise PatchError(
                f"{creator.ref()} creates them and is a {creator.kind}, which cannot be scaled to zero before "
                "they are deleted (it would create them again)"
            )
        block = self._block(
            ctx,
            creator,
            f"what {creator.ref()} registers ({registration.known_from}), once it is stopped",
            stops=True,
        )
        block.rule_ids.append(finding.rule_id)
        name = block.anchor.name_expression(creator)
        if name is None:
            raise PatchError(
                f"the name of {creator.ref()} is computed inside a loop or from template variables, so a hook "
                "cannot scale it to zero"
            )
        block.stop = (SCALABLE[creator.kind], name)
        plural = ctx.resources[registration.kind.lower()][2]
        if registration.labels:
            entry = (registration.group, plural, selector_text(registration.labels))
            if entry not in block.selected:
                block.selected.append(entry)
        for known in registration.names:
            if (registration.group, plural, known) not in block.named:
                block.named.append((registration.group, plural, known))

    def _hook_edit(self, finding: Finding) -> None:
        files = []
        for file, edit in hook_edits(self.context(finding), self.source, finding, self._limit):
            edits = self.edits.setdefault(file, [])
            files.append(file)
            if edit not in edits:
                edits.append(edit)
        problem = finding.message.split(": ", 1)[1].split(":")[0]
        self.patch.messages.append(
            f"{', '.join(dict.fromkeys(files))}: minimal edit for {finding.rule_id} ({finding.subject}): {problem}"
        )

    def _block_weights(self) -> dict[int, int]:
        """Each block's Job weight: after the chart's pre-delete hooks that still need its workloads
        and before those that stop them; a block that stops a workload after every other hook."""
        weights = {id(b): _job_weight(b.context, b.needed) for b in self.blocks.values() if b.stop is None}
        last = max(
            [*weights.values(), *([self.olm_weight] if self.olm_weight is not None else [])], default=0
        )
        for block in self.blocks.values():
            if block.stop is not None:
                hooks = [h.hook.weight for h in _pre_delete_runners(block.context)]
                weights[id(block)] = max([last, *hooks]) + 1
        return weights

    def _limit(self, job: KubeObject, name: str) -> str:
        """The template text that reads the bound `name` of an edited hook Job from the values the
        patch appends; the Job's template must see the chart's root context as `$`."""
        manifest = job.manifest
        tree = self.report.index.trees.get(manifest.source) if manifest else None  # type: ignore[union-attr]
        if tree is None or enclosing_branches(tree, job.position.line) is None:
            raise PatchError(
                f"{job.ref()} is written inside a `define`, where `$` is not the chart's root: its "
                f"{name} cannot read values there"
            )
        if self.limits_key is None:
            self.limits_key = free_values_key(self.source, ("deleteHookLimits", "chartfixDeleteHookLimits"))
        return f"{{{{ $.Values.{self.limits_key}.{name} }}}}"

    # Writing it all.
    def finish(self) -> None:
        changes = self.patch.changes
        values = self.source.read("values.yaml")
        new_values = values or b""
        for path, value in self.switches:
            new_values = set_default_value(new_values, path, value)
        schema = self.source.read("values.schema.json")
        keys = []
        if self.olm_text is not None and self.olm_key is not None:
            changes[HOOK_TEMPLATE] = self.olm_text.encode("utf-8")
            new_values = values_with_block(new_values, self.olm_key, OLM_VALUES_COMMENT)
            keys.append(
                (
                    self.olm_key,
                    "Pre-delete cleanup of OLM-installed operators (added by chartfix patch)",
                    HOOK_SETTINGS,
                )
            )
        if self.blocks:
            for context in self.report.contexts:
                for leftover in blocking_leftovers(context):
                    file, edit = delete_policy_edit(self.source, leftover)
                    if edit not in self.edits.setdefault(file, []):
                        self.edits[file].append(edit)
            key = free_values_key(self.source, ("uninstallCleanup", "chartfixUninstallCleanup"))
            texts = [HEADER_COMMENT.format(key=key)]
            weights = self._block_weights()
            for number, block in enumerate(self.blocks.values()):
                texts.append(_block_text(block, key, number, weights[id(block)]))
                self.patch.messages.append(
                    f"{CLEANUP_TEMPLATE}: pre-delete hook for {', '.join(dict.fromkeys(block.rule_ids))} deleting "
                    f"{block.what}, rendered under {block.anchor.condition_text()}"
                )
            changes[CLEANUP_TEMPLATE] = "".join(texts).encode("utf-8")
            new_values = values_with_block(new_values, key, CLEANUP_VALUES_COMMENT)
            keys.append(
                (
                    key,
                    "Pre-delete cleanup of what the uninstall leaves stuck (added by chartfix patch)",
                    HOOK_SETTINGS,
                )
            )
        if self.limits_key is not None:
            new_values = values_with_block(new_values, self.limits_key, LIMITS_VALUES_COMMENT, LIMIT_SETTINGS)
            keys.append(
                (
                    self.limits_key,
                    "Bounds of the chart's delete hook Jobs (added by chartfix patch)",
                    LIMIT_SETTINGS,
                )
            )
        if new_values != (values or b""):
            changes["values.yaml"] = new_values
        if schema is not None and keys:
            for key, description, fields in keys:
                schema = schema_with_block(schema, key, description, fields)
            changes["values.schema.json"] = schema
        for name, edits in self.edits.items():
            text = self.source.read(name) or b""
            for start, end, replacement in sorted(edits, reverse=True):
                text = text[:start] + replacement.encode("utf-8") + text[end:]
            changes[name] = text
        if self.options.bump_version and changes:
            changes["Chart.yaml"] = bump_chart_version(self.source.read("Chart.yaml") or b"")
        for name in changes:
            self.patch.originals[name] = self.source.read(name)


HEADER_COMMENT = """{{{{- /*
Added by `chartfix patch`. `helm uninstall` deletes controllers and webhook servers before what
depends on them: custom resources whose finalizers only the controller clears, webhook
configurations and APIServices whose backend is gone. These pre-delete hooks delete those objects
while their controllers and servers still run; what a controller registers at run time is deleted
right after that controller is scaled to zero, so that it cannot register it again. Each hook is
rendered under the condition of the object it serves. Settings: {key} in values.yaml.
*/}}}}
"""

CLEANUP_VALUES_COMMENT = (
    "Added by `chartfix patch`: pre-delete hooks that delete, while the chart's controllers and\n"
    "servers still run, the custom resources they finalize and the webhook configurations and\n"
    "APIServices they serve (those a controller registers itself: once it is scaled to zero),\n"
    "so that `helm uninstall` leaves nothing stuck."
)
OLM_VALUES_COMMENT = (
    "Added by `chartfix patch`: a pre-delete hook that deletes the Subscriptions and\n"
    "ClusterServiceVersions while OLM still runs, so `helm uninstall` does not leave namespaces\n"
    "stuck Terminating on OLM's operators.coreos.com/csv-cleanup finalizer."
)
POD_LABEL = "chartfix-uninstall-cleanup"
SCALABLE = {"Deployment": "deployments", "StatefulSet": "statefulsets"}  # kind -> resource kubectl scales
DELETE_VERBS = ["get", "list", "watch", "delete"]  # --all lists and deletes; --wait gets and watches


def _job_weight(context: Any, needed: list[KubeObject]) -> int:
    """After the chart's own pre-delete hooks that still need the controllers, before those that stop
    them (Helm runs pre-delete hooks by weight, then name)."""
    stoppers, others = [], []
    for hook in _pre_delete_runners(context):
        analysis = context.hook_jobs.get(id(hook))
        stops = analysis is not None and any(
            any(s.kind == w.kind and w_matches(w, s.namespace, s.name) for s in analysis.scale_downs)
            or any(
                (a.kind == w.kind and a.name in (None, w.name) and a.namespace in ("*", w.namespace))
                or (a.kind == "Namespace" and a.name == w.namespace)
                for a in analysis.actions
            )
            for w in needed
        )
        (stoppers if stops else others).append(hook.hook.weight)
    if stoppers:
        return min(stoppers) - 1
    return max([0, *(w + 1 for w in others)])


def _pre_delete_runners(context: Any) -> list[KubeObject]:
    """The chart's pre-delete Jobs and Pods (the hooks Helm waits for)."""
    return [
        h
        for h in context.model.hooks()
        if h.hook and "pre-delete" in h.hook.events and h.kind in ("Job", "Pod")
    ]


def _block_text(block: _Block, key: str, number: int, job_weight: int) -> str:
    anchor = block.anchor
    values = f"$.Values.{key}"
    name = hook_name(f"cleanup-{number}")
    hook = (
        f'    helm.sh/hook: pre-delete\n    helm.sh/hook-weight: "{job_weight - 5}"\n'
        "    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded,hook-failed\n"
    )
    steps: list[list[str]] = []
    cluster_rules: list[tuple[str, str, list[str], str | None]] = []
    namespaced_rules: dict[str, list[tuple[str, str, list[str], str | None]]] = {}
    if block.stop is not None:
        resource, workload = block.stop
        namespace = anchor.job_namespace
        # kubectl scale gets the workload, patches its scale subresource and, with --timeout, polls
        # the scale until it counts no replica (every pod is terminating: its controller has been
        # told to stop)
        steps.append(
            ["kubectl", "scale", f"{resource}/{workload}", "--namespace", namespace, "--replicas=0"]
            + [f"--timeout={{{{ {values}.timeoutSeconds }}}}s"]
        )
        namespaced_rules.setdefault(namespace, []).extend(
            [("apps", resource, ["get"], workload), ("apps", f"{resource}/scale", ["get", "patch"], workload)]
        )
    for (group, plural, _namespaced), scopes in block.deletes.items():
        resource = f"{plural}.{group}" if group else plural
        for scope in scopes:
            args = ["kubectl", "delete", resource, "--all"]
            if scope == "*":
                args.append("--all-namespaces")
            elif scope is not None:
                args += ["--namespace", scope]
            steps.append([*args, "--ignore-not-found", "--wait=true"])
            rule = (group, plural, DELETE_VERBS, None)
            if scope is None or scope == "*":
                cluster_rules.append(rule)
            else:
                namespaced_rules.setdefault(scope, []).append(rule)
    for group, plural, selector in block.selected:
        resource = f"{plural}.{group}" if group else plural
        steps.append(["kubectl", "delete", resource, "-l", selector, "--ignore-not-found", "--wait=true"])
        cluster_rules.append((group, plural, DELETE_VERBS, None))
    for group, plural, object_name in block.named:
        resource = f"{plural}.{group}" if group else plural
        steps.append(["kubectl", "delete", resource, object_name, "--ignore-not-found", "--wait=false"])
        cluster_rules.append((group, plural, ["get", "delete"], object_name))
    documents = [
        f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: {anchor.job_namespace}
  annotations:
{hook}"""
    ]
    subject = f"""subjects:
  - kind: ServiceAccount
    name: {name}
    namespace: {anchor.job_namespace}
"""
    if cluster_rules:
        documents.append(
            f"""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {name}
  annotations:
{hook}rules:
{rbac_rules(cluster_rules)}"""
        )
        documents.append(
            f"""apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {name}
  annotations:
{hook}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {name}
{subject}"""
        )
    for i, (namespace, rules) in enumerate(namespaced_rules.items()):
        role = hook_name(f"cleanup-{number}-{i}")
        for kind, body in (
            ("Role", f"rules:\n{rbac_rules(rules)}"),
            (
                "RoleBinding",
                f"roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {role}\n{subject}",
            ),
        ):
            documents.append(
                f"""apiVersion: rbac.authorization.k8s.io/v1
kind: {kind}
metadata:
  name: {role}
  namespace: {namespace}
  annotations:
{hook}{body}"""
            )
    policies = [o for o in block.context.model.objects if o.kind == "NetworkPolicy"]
    if (
        egress_blocked(anchor.job_namespace_value, {"app.kubernetes.io/name": POD_LABEL}, policies)
        is not None
    ):
        documents.append(egress_policy_document(name, anchor.job_namespace, hook, POD_LABEL))
    containers = [container(f"step-{i}", args, values) for i, args in enumerate(steps)]
    documents.append(
        job_document(
            name, anchor.job_namespace, job_weight, values, containers[:-1], containers[-1:], POD_LABEL
        )
    )
    lines = [f"{{{{- /* for {', '.join(dict.fromkeys(block.rule_ids))}: deletes {block.what} */}}}}"]
    lines += anchor.preamble
    for guard in anchor.guards:
        lines.append(f"{{{{- if {guard} }}}}")
    lines.append(f"{{{{- if {values}.enabled }}}}")
    body = "---\n" + "---\n".join(documents)
    return "\n".join(lines) + "\n" + body + "{{- end }}\n" * (len(anchor.guards) + 1)


# --- CF1003 / CF1014: minimal text edits of the chart's own hook templates -----------------------


# --- values, schema, Chart.yaml ------------------------------------------------------------------


# The settings of a generated cleanup hook.
# The bounds put on the chart's own delete hook Jobs that had none.


# --- verification and output ---------------------------------------------------------------------


def _finding_key(finding: Finding) -> tuple[str, str, str]:
    return (finding.rule_id, finding.subject, finding.position.file if not finding.subject else "")


def _verify(
    patch: Patch, source: ChartSource, options: PatchOptions, fixed: list[Finding], before: ChartReport
) -> None:
    """Lint the patched chart: the fixed findings must be gone and nothing new may appear, or nothing
    is written."""
    try:
        with tempfile.TemporaryDirectory(prefix="chartfix-verify-") as tmp:
            target = Path(tmp, "chart")
            materialize(patch, source, target)
            report = lint_chart(str(target), options.lint_options())
    except OSError as error:
        raise PatchError(
            f"cannot verify the patch in a temporary folder: {error.strerror or error}"
        ) from None
    except ChartfixError as error:
        raise PatchError(f"the patched chart no longer renders: {error}") from None
    gone = {_finding_key(f) for f in fixed}
    left = [f for f in report.findings if _finding_key(f) in gone]
    if left:
        raise PatchError(
            "the generated patch does not fix the chart, nothing written: " + left[0].message,
            left[0].position,
        )
    known = {(f.rule_id, f.subject, f.message) for f in before.findings}
    new = [f for f in report.findings if (f.rule_id, f.subject, f.message) not in known]
    if new:
        raise PatchError(
            f"the generated patch would add a finding, nothing written: {new[0].rule_id} {new[0].message}",
            new[0].position,
        )
