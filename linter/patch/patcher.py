"""`chartfix patch`: the chart with a pre-delete cleanup hook for the OLM it bundles.

The hook (ServiceAccount, least-privilege ClusterRole and binding, and a Job) deletes the Subscriptions
and ClusterServiceVersions in every namespace where the chart makes OLM install operators, while OLM
still runs, so `helm uninstall` no longer leaves namespaces stuck on operators.coreos.com/csv-cleanup.
It is rendered under the same template condition as the chart's OLM install (copied from the AST,
with the variable definitions it depends on) and uses the chart's own namespace expressions.
"""

from __future__ import annotations

import copy
import difflib
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import semver
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from chartfix.analysis.controllers import WORKLOAD_KINDS, custom_kinds
from chartfix.analysis.objects import KubeObject
from chartfix.analysis.scenarios import Scenario, TemplateIndex, enclosing_branches
from chartfix.analysis.uninstall import WEBHOOK_KINDS, egress_blocked, w_matches
from chartfix.errors import ChartfixError, Position
from chartfix.findings.lint import ChartReport, LintOptions, disabled_cleanup_switch, lint_chart
from chartfix.go.template.nodes import (
    ActionNode,
    BranchNode,
    ListNode,
    Node,
    RangeNode,
    TextNode,
    VariableNode,
    WithNode,
    walk_nodes,
)
from chartfix.helm.loader import Rules, load_chart
from chartfix.helm.values import user_values
from chartfix.helm.valuesfile import load_yaml_values
from chartfix.rules import catalog
from chartfix.rules.finding import Finding

HOOK_TEMPLATE = "templates/chartfix-olm-cleanup.yaml"
OLM_POD_LABEL = "chartfix-olm-cleanup"  # the OLM cleanup Job's pods, for its egress NetworkPolicy
CLEANUP_TEMPLATE = "templates/chartfix-uninstall-cleanup.yaml"
# The rules `chartfix patch` fixes (findings without a safe mechanical fix are refused with the reason).
PATCHABLE_RULES = ("CF1001", "CF1002", "CF1003", "CF1006", "CF1007", "CF1011", "CF1012", "CF1013", "CF1014")
DEFAULT_IMAGE = "registry.k8s.io/kubectl:v1.31.4"
DEFAULT_TIMEOUT_SECONDS = 300
DEFAULT_BACKOFF_LIMIT = 2


class PatchError(ChartfixError):
    """The patcher cannot handle this chart; nothing is written."""


class NoMechanicalFix(PatchError):
    """A selected finding has no safe mechanical fix: nothing is written (never a half fix)."""


@dataclass
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


@dataclass
class Patch:
    chart: str  # the chart as given
    changes: dict[str, bytes] = field(default_factory=dict)  # chart-relative path -> new content
    originals: dict[str, bytes | None] = field(default_factory=dict)  # None: a new file
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)


def check_rule_ids(rules: list[str]) -> None:
    """`--rule` must name rules chartfix knows and can patch."""
    known = catalog()
    for rule in rules:
        if rule not in known:
            raise PatchError(f"unknown rule {rule}; `chartfix rules` lists them")
        if rule not in PATCHABLE_RULES:
            raise PatchError(
                f"chartfix patch cannot fix {rule} ({known[rule].slug}): it has no chart-level mechanical fix; "
                f"patch fixes {', '.join(PATCHABLE_RULES)}"
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
    source = _ChartSource(path)
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


def set_default_value(original: bytes, path: str, value: str) -> bytes:
    """values.yaml with the scalar at `path` (a.b.c) replaced on its own line; all else unchanged."""
    from ruamel.yaml import YAML as RoundTripYAML

    text = original.decode("utf-8", errors="surrogateescape")
    node: Any = RoundTripYAML().load(text)
    *parents, leaf = path.split(".")
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, CommentedMap) or leaf not in node or isinstance(node[leaf], (dict, list)):
        raise PatchError(
            f"cannot find the scalar {path} in values.yaml to switch the cleanup on", Position("values.yaml")
        )
    line, column = node.lc.value(leaf)
    lines = text.split("\n")
    current = lines[line]
    end = len(current)
    comment = re.search(r"\s+#", current[column:])
    if comment:
        end = column + comment.start()
    lines[line] = current[:column] + value + current[end:]
    return "\n".join(lines).encode("utf-8", errors="surrogateescape")


# --- reading the chart ---------------------------------------------------------------------------


class _ChartSource:
    """The chart's own files as bytes on disk (a folder) or in the archive (a .tgz)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.is_dir = os.path.isdir(path)
        self._archive: dict[str, bytes] | None = None
        if not self.is_dir:
            self._archive = dict(load_chart(path).raw_files)

    def read(self, name: str) -> bytes | None:
        if self._archive is not None:
            return self._archive.get(name)
        file = Path(self.path, name)
        return file.read_bytes() if file.is_file() else None

    def text(self, name: str) -> str:
        data = self.read(name)
        return data.decode("utf-8", errors="surrogateescape") if data is not None else ""


def _template_file(template_name: str) -> str:
    """`chart/templates/a.yaml` -> `templates/a.yaml`; subcharts are refused."""
    relative = template_name.split("/", 1)[1]
    if relative.startswith("charts/"):
        raise PatchError(
            f"OLM is installed by the subchart template {relative}; patch that chart instead",
            Position(relative),
        )
    return relative


# --- the hook ------------------------------------------------------------------------------------


class _Anchor:
    """A hook rendered under the template condition of an object of the chart (the anchor: the OLM
    install, an operator's controller, a webhook configuration), copied from the template AST with the
    variable definitions it depends on, and written with the chart's own namespace expressions."""

    def __init__(self, report: ChartReport, model: Any, anchor: KubeObject, source: _ChartSource) -> None:
        self.index: TemplateIndex = report.index  # type: ignore[assignment]
        self.model = model
        self.anchor = anchor
        self.source = source
        self.guards, self.preamble = self._guards_and_preamble()
        self.job_namespace = (
            self._namespace_expression(anchor) if anchor.namespace else "{{ $.Release.Namespace }}"
        )
        self.job_namespace_value = anchor.namespace or model.namespace

    # The condition of the anchor, as template text.
    def _guards_and_preamble(self) -> tuple[list[str], list[str]]:
        anchor = self.anchor
        manifest = anchor.manifest
        tree = self.index.trees.get(manifest.source) if manifest else None
        branches = enclosing_branches(tree, anchor.position.line) if tree else None
        if tree is None or branches is None:
            raise PatchError(
                f"cannot find the template text of {anchor.ref()} to copy its condition", anchor.position
            )
        if manifest is not None:
            _template_file(manifest.source)  # refuses subcharts
        guards = []
        for branch, in_else in branches:
            if isinstance(branch, RangeNode):
                raise PatchError(f"{anchor.ref()} is rendered inside a range loop", anchor.position)
            pipe = str(branch.pipe)
            if branch.pipe.decl and in_else:
                raise PatchError(
                    f"{anchor.ref()} sits in the else branch of a declaring condition", anchor.position
                )
            guards.append(f"not ({pipe})" if in_else else pipe)
        preamble = _preamble(tree, [b for b, _ in branches])
        return guards, preamble

    def condition_text(self) -> str:
        return (
            " and ".join(f"`{g}`" for g in self.guards)
            if self.guards
            else f"no condition (as {self.anchor.ref()})"
        )

    def _namespace_expression(self, obj: KubeObject) -> str:
        """The chart's own text for the object's namespace: its template line, a values key, or the
        rendered value."""
        if obj is not self.anchor and self.anchor.namespace and obj.namespace == self.anchor.namespace:
            return self.job_namespace
        raw, context_ok = self._metadata_text(obj, "namespace")
        if raw is not None and context_ok and "$" not in raw.replace("$.", ""):
            return raw
        if raw is None and context_ok and "namespace" not in obj.metadata:
            return "{{ $.Release.Namespace }}"
        path = _unique_values_path(self.source.text("values.yaml"), obj.namespace or "")
        return f"{{{{ $.Values.{path} }}}}" if path else str(obj.namespace)

    def name_expression(self, obj: KubeObject) -> str | None:
        """The chart's own text for the object's name, when it can be used outside its template."""
        raw, context_ok = self._metadata_text(obj, "name")
        if raw is None or not context_ok or "$" in raw.replace("$.", ""):
            return None
        if "{{" not in raw and raw != obj.name:
            return None
        return raw

    def _metadata_text(self, obj: KubeObject, key: str) -> tuple[str | None, bool]:
        manifest = obj.manifest
        if manifest is None or obj.position.line <= 1:
            return None, False
        text = self.source.text(_template_file(manifest.source))
        raw = _metadata_field_text(text, obj.position.line, key)
        tree = self.index.trees.get(manifest.source)
        branches = enclosing_branches(tree, obj.position.line) if tree is not None else None
        context_ok = branches is not None and not any(
            isinstance(b, (RangeNode, WithNode)) for b, _ in branches
        )
        return raw, context_ok


class _HookGenerator(_Anchor):
    def __init__(
        self, report: ChartReport, model: Any, olm_operator: KubeObject, source: _ChartSource
    ) -> None:
        super().__init__(report, model, olm_operator, source)
        self.olm_operator = olm_operator
        namespaces: dict[str, None] = {}
        for obj in model.release():
            if obj.kind in ("Subscription", "ClusterServiceVersion") and obj.namespace:
                namespaces[self._namespace_expression(obj)] = None
        if not namespaces:
            raise PatchError("the chart installs OLM but no Subscription or ClusterServiceVersion to clean")
        self.namespaces = list(namespaces)

    def namespace_texts(self) -> list[str]:
        return self.namespaces

    # Labels of the cleanup Job's pod, for the NetworkPolicy that lets it reach the API server.
    POD_LABELS = {"app.kubernetes.io/name": OLM_POD_LABEL}

    def _needs_egress_policy(self) -> bool:
        """A NetworkPolicy of the chart isolates the Job's pod for egress (e.g. a default deny)."""
        policies = [o for o in self.model.objects if o.kind == "NetworkPolicy"]
        return egress_blocked(self.olm_operator.namespace, self.POD_LABELS, policies) is not None

    def template(self, key: str, weight: int = 0) -> str:
        values = f"$.Values.{key}"
        name = _hook_name("olm-cleanup")
        rbac_hook = (
            f'    helm.sh/hook: pre-delete\n    helm.sh/hook-weight: "{weight - 10}"\n'
            "    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded,hook-failed\n"
        )
        lines = [
            "{{- /*",
            "Added by `chartfix patch` (rule CF1001). OLM >= 0.27 puts the finalizer",
            "operators.coreos.com/csv-cleanup on every ClusterServiceVersion and only olm-operator removes it;",
            "`helm uninstall` deletes olm-operator before them, leaving their namespaces stuck Terminating.",
            "This pre-delete hook deletes the Subscriptions and ClusterServiceVersions while OLM still runs.",
            f"It is rendered under the same condition as the chart's OLM install. Settings: {key} in values.yaml.",
            "*/}}",
        ]
        lines += self.preamble
        opened = 0
        for guard in self.guards:
            lines.append(f"{{{{- if {guard} }}}}")
            opened += 1
        lines.append(f"{{{{- if {values}.enabled }}}}")
        opened += 1
        job = _job_document(
            name,
            self.job_namespace,
            weight,
            values,
            self._containers("subscriptions", values),
            self._containers("clusterserviceversions", values),
            OLM_POD_LABEL,
        )
        body = f"""apiVersion: v1
kind: ServiceAccount
metadata:
  name: {name}
  namespace: {self.job_namespace}
  annotations:
{rbac_hook}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {name}
  annotations:
{rbac_hook}rules:
  - apiGroups: ["operators.coreos.com"]
    resources: ["subscriptions", "clusterserviceversions"]
    verbs: ["get", "list", "watch", "delete", "deletecollection"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {name}
  annotations:
{rbac_hook}roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {name}
subjects:
  - kind: ServiceAccount
    name: {name}
    namespace: {self.job_namespace}
---
{self._egress_policy(name, rbac_hook)}{job.rstrip()}"""
        lines.append(body)
        lines += ["{{- end }}"] * opened
        return "\n".join(lines) + "\n"

    def _egress_policy(self, name: str, rbac_hook: str) -> str:
        """A NetworkPolicy letting the Job reach the API server, where the chart's own policies would
        cut it off."""
        if not self._needs_egress_policy():
            return ""
        return _egress_policy_document(name, self.job_namespace, rbac_hook, OLM_POD_LABEL) + "---\n"

    def _containers(self, plural: str, values: str) -> list[str]:
        resource = f"{plural}.operators.coreos.com"
        return [
            _container(
                f"delete-{plural}-{i}",
                [
                    "kubectl",
                    "delete",
                    resource,
                    "--all",
                    "--namespace",
                    namespace,
                    "--ignore-not-found",
                    "--wait=true",
                ],
                values,
            )
            for i, namespace in enumerate(self.namespaces)
        ]


# --- the uninstall mechanisms: what to fix, per finding ------------------------------------------


@dataclass
class _Block:
    """One guarded group of pre-delete hooks in CLEANUP_TEMPLATE: a ServiceAccount, its RBAC and a
    Job whose containers run one after the other."""

    anchor: _Anchor
    context: Any
    what: str  # for the message
    rule_ids: list[str] = field(default_factory=list)
    # (group, plural, namespaced) -> scopes: None (cluster-scoped kind), "*" (every namespace) or a
    # namespace expression of the chart
    deletes: dict[tuple[str, str, bool], list[str | None]] = field(default_factory=dict)
    named: list[tuple[str, str, str]] = field(default_factory=list)  # (group, plural, name expression)
    needed: list[KubeObject] = field(default_factory=list)  # workloads that must still run

    def add_delete(self, group: str, plural: str, namespaced: bool, scope: str | None) -> None:
        scopes = self.deletes.setdefault((group, plural, namespaced), [])
        if "*" in scopes:
            return
        if scope == "*":
            scopes.clear()
        if scope not in scopes:
            scopes.append(scope)


class _Planner:
    def __init__(self, report: ChartReport, source: _ChartSource, options: PatchOptions, patch: Patch):
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
        generator = _HookGenerator(self.report, context.model, context.olm.olm_operator, self.source)
        self.olm_key = _free_values_key(self.source, ("olmCleanup", "chartfixOlmCleanup"))
        # after the chart's own pre-delete hooks that still need OLM's operators, before those that stop OLM
        self.olm_text = generator.template(self.olm_key, _job_weight(context, [context.olm.olm_operator]))
        self.patch.messages.append(
            f"{HOOK_TEMPLATE}: pre-delete cleanup for {finding.rule_id} ({finding.subject}), rendered under "
            f"{generator.condition_text()}; cleans namespaces {', '.join(generator.namespace_texts())}"
        )

    def _block(self, context: Any, anchor: KubeObject, what: str) -> _Block:
        key = anchor.ref()
        if key not in self.blocks:
            self.blocks[key] = _Block(_Anchor(self.report, context.model, anchor, self.source), context, what)
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
        kinds = custom_kinds(ctx.model)
        for stuck in items:
            victim = stuck.victim
            custom = kinds.get(victim.kind)
            plural = custom.plural if custom else ctx.resources.get(victim.kind.lower(), (0, 0, None))[2]
            if plural is None:
                raise PatchError(
                    f"the chart does not ship the CRD of {victim.kind}: its resource name and scope are unknown, "
                    "so no hook can be written and checked against the model"
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
            raise PatchError(
                "the workload creates these registrations at run time, and the chart shows no name or label "
                "to select exactly the ones it creates: deleting every one of that kind in the cluster is not "
                "safe, so this needs a cleanup in the operator (or a label the chart sets)"
            )
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

    def _hook_edit(self, finding: Finding) -> None:
        files = []
        for file, edit in _hook_edits(self.context(finding), self.source, finding):
            edits = self.edits.setdefault(file, [])
            files.append(file)
            if edit not in edits:
                edits.append(edit)
        problem = finding.message.split(": ", 1)[1].split(":")[0]
        self.patch.messages.append(
            f"{', '.join(dict.fromkeys(files))}: minimal edit for {finding.rule_id} ({finding.subject}): {problem}"
        )

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
            new_values = _values_with_block(new_values, self.olm_key, OLM_VALUES_COMMENT)
            keys.append(
                (self.olm_key, "Pre-delete cleanup of OLM-installed operators (added by chartfix patch)")
            )
        if self.blocks:
            for context in self.report.contexts:
                for leftover in _blocking_leftovers(context):
                    file, edit = _delete_policy_edit(self.source, leftover)
                    if edit not in self.edits.setdefault(file, []):
                        self.edits[file].append(edit)
            key = _free_values_key(self.source, ("uninstallCleanup", "chartfixUninstallCleanup"))
            texts = [HEADER_COMMENT.format(key=key)]
            for number, block in enumerate(self.blocks.values()):
                texts.append(_block_text(block, key, number))
                self.patch.messages.append(
                    f"{CLEANUP_TEMPLATE}: pre-delete hook for {', '.join(dict.fromkeys(block.rule_ids))} deleting "
                    f"{block.what}, rendered under {block.anchor.condition_text()}"
                )
            changes[CLEANUP_TEMPLATE] = "".join(texts).encode("utf-8")
            new_values = _values_with_block(new_values, key, CLEANUP_VALUES_COMMENT)
            keys.append(
                (key, "Pre-delete cleanup of what the uninstall leaves stuck (added by chartfix patch)")
            )
        if new_values != (values or b""):
            changes["values.yaml"] = new_values
        if schema is not None and keys:
            for key, description in keys:
                schema = _schema_with_block(schema, key, description)
            changes["values.schema.json"] = schema
        for name, edits in self.edits.items():
            text = self.source.read(name) or b""
            for start, end, replacement in sorted(edits, reverse=True):
                text = text[:start] + replacement.encode("utf-8") + text[end:]
            changes[name] = text
        if self.options.bump_version and changes:
            changes["Chart.yaml"] = _bump_chart_version(self.source.read("Chart.yaml") or b"")
        for name in changes:
            self.patch.originals[name] = self.source.read(name)


HEADER_COMMENT = """{{{{- /*
Added by `chartfix patch`. `helm uninstall` deletes controllers and webhook servers before what
depends on them: custom resources whose finalizers only the controller clears, webhook
configurations and APIServices whose backend is gone. These pre-delete hooks delete those objects
while their controllers and servers still run, each rendered under the condition of the object it
serves. Settings: {key} in values.yaml.
*/}}}}
"""

CLEANUP_VALUES_COMMENT = (
    "Added by `chartfix patch`: pre-delete hooks that delete, while the chart's controllers and\\n"
    "servers still run, the custom resources they finalize and the webhook configurations and\\n"
    "APIServices they serve, so that `helm uninstall` leaves nothing stuck."
)
OLM_VALUES_COMMENT = (
    "Added by `chartfix patch`: a pre-delete hook that deletes the Subscriptions and\\n"
    "ClusterServiceVersions while OLM still runs, so `helm uninstall` does not leave namespaces\\n"
    "stuck Terminating on OLM's operators.coreos.com/csv-cleanup finalizer."
)
POD_LABEL = "chartfix-uninstall-cleanup"
DELETE_VERBS = ["get", "list", "watch", "delete"]  # --all lists and deletes; --wait gets and watches


def _hook_name(suffix: str) -> str:
    """Unique per release and namespace (cluster-scoped objects included), at most 63 characters."""
    return (
        '{{ printf "%s-%s" ($.Release.Name | trunc 36 | trimSuffix "-") '
        '(printf "%s/%s" $.Release.Namespace $.Release.Name | sha256sum | trunc 8) }}-' + suffix
    )


def _job_weight(context: Any, needed: list[KubeObject]) -> int:
    """After the chart's own pre-delete hooks that still need the controllers, before those that stop
    them (Helm runs pre-delete hooks by weight, then name)."""
    stoppers, others = [], []
    for hook in context.model.hooks():
        if not hook.hook or "pre-delete" not in hook.hook.events or hook.kind not in ("Job", "Pod"):
            continue
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


def _rbac_rules(rules: list[tuple[str, str, list[str], str | None]]) -> str:
    """(group, resource, verbs, resourceName) -> RBAC rules, one per group/verbs/name."""
    merged: dict[tuple[str, tuple[str, ...], str | None], list[str]] = {}
    for group, resource, verbs, name in rules:
        resources = merged.setdefault((group, tuple(verbs), name), [])
        if resource not in resources:
            resources.append(resource)
    lines = []
    for (group, verbs, name), resources in merged.items():
        lines.append(f'  - apiGroups: ["{group}"]')
        lines.append(f"    resources: [{', '.join(resources)}]")
        if name is not None:
            lines.append(f'    resourceNames: ["{name}"]')
        lines.append(f"    verbs: [{', '.join(verbs)}]")
    return "\n".join(lines) + "\n"


def _block_text(block: _Block, key: str, number: int) -> str:
    anchor = block.anchor
    values = f"$.Values.{key}"
    name = _hook_name(f"cleanup-{number}")
    job_weight = _job_weight(block.context, block.needed)
    hook = (
        f'    helm.sh/hook: pre-delete\n    helm.sh/hook-weight: "{job_weight - 5}"\n'
        "    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded,hook-failed\n"
    )
    steps: list[list[str]] = []
    cluster_rules: list[tuple[str, str, list[str], str | None]] = []
    namespaced_rules: dict[str, list[tuple[str, str, list[str], str | None]]] = {}
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
{_rbac_rules(cluster_rules)}"""
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
        role = _hook_name(f"cleanup-{number}-{i}")
        for kind, body in (
            ("Role", f"rules:\n{_rbac_rules(rules)}"),
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
        documents.append(_egress_policy_document(name, anchor.job_namespace, hook, POD_LABEL))
    containers = [_container(f"step-{i}", args, values) for i, args in enumerate(steps)]
    documents.append(
        _job_document(
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


def _egress_policy_document(name: str, namespace: str, hook: str, pod_label: str) -> str:
    """A hook NetworkPolicy letting the cleanup Job's pods reach the API server."""
    return f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
  namespace: {namespace}
  annotations:
{hook}spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {pod_label}
  policyTypes: [Egress]
  egress:
    - {{}}
"""


def _job_document(
    name: str, namespace: str, weight: int, values: str, init: list[str], main: list[str], pod_label: str
) -> str:
    """The pre-delete cleanup Job: bounded by values, restricted Pod Security, steps in order."""
    init_text = "      initContainers:\n" + "\n".join(init) + "\n" if init else ""
    return (
        f"""apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  namespace: {namespace}
  annotations:
    helm.sh/hook: pre-delete
    helm.sh/hook-weight: "{weight}"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  activeDeadlineSeconds: {{{{ {values}.timeoutSeconds }}}}
  backoffLimit: {{{{ {values}.backoffLimit }}}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {pod_label}
    spec:
      serviceAccountName: {name}
      restartPolicy: Never
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        seccompProfile:
          type: RuntimeDefault
{init_text}      containers:
"""
        + "\n".join(main)
        + "\n"
    )


def _container(name: str, args: list[str], values: str) -> str:
    command = "".join(f"            - {_yaml_arg(a)}\n" for a in args)
    return (
        f"        - name: {name}\n"
        f"          image: {{{{ {values}.image | quote }}}}\n"
        f"          command:\n{command}"
        f"          securityContext:\n"
        f"            allowPrivilegeEscalation: false\n"
        f"            capabilities:\n              drop: [ALL]"
    )


def _yaml_arg(arg: str) -> str:
    return f'"{arg}"' if "{{" in arg else arg


# --- CF1003 / CF1014: minimal text edits of the chart's own hook templates -----------------------


class _Document:
    """The template text of one object's document: the lines between the `---` around its kind line."""

    def __init__(self, source: _ChartSource, obj: KubeObject) -> None:
        if obj.manifest is None or obj.position.line <= 0:
            raise PatchError(f"cannot find the template text of {obj.ref()}")
        self.file = _template_file(obj.manifest.source)
        self.text = source.text(self.file)
        self.lines = self.text.split("\n")
        start = obj.position.line - 1
        while start > 0 and not self.lines[start - 1].startswith("---"):
            start -= 1
        end = obj.position.line
        while end < len(self.lines) and not self.lines[end].startswith("---"):
            end += 1
        self.start, self.end = start, end
        self.ref = obj.ref()

    @staticmethod
    def whole_file(doc: _Document) -> _Document:
        whole = copy.copy(doc)
        whole.start, whole.end = 0, len(doc.lines)
        return whole

    def offset(self, line: int) -> int:
        return sum(len(x) + 1 for x in self.lines[:line])

    def find(self, pattern: str) -> list[int]:
        return [i for i in range(self.start, self.end) if re.search(pattern, self.lines[i])]

    def one(self, pattern: str, what: str) -> int:
        found = self.find(pattern)
        if len(found) != 1:
            raise PatchError(f"{self.ref}: {what} is not written on one plain line of {self.file}")
        if "{{" in self.lines[found[0]]:
            raise PatchError(f"{self.ref}: {what} is computed by the template in {self.file}")
        return found[0]

    def insert_after(self, line: int, text: str) -> tuple[str, tuple[int, int, str]]:
        at = self.offset(line + 1)
        return self.file, (at, at, text + "\n")


def _hook_edits(
    context: Any, source: _ChartSource, finding: Finding
) -> list[tuple[str, tuple[int, int, str]]]:
    """The edits that fix one CF1003/CF1014 finding, or PatchError saying why there are none."""
    hooks = {h.ref(): h for h in context.model.hooks()}
    job = hooks.get(finding.subject)
    if job is None:
        raise PatchError("the finding is not about a hook of the chart")
    problem = finding.message.split(": ", 1)[1]
    doc = _Document(source, job)
    edits = []
    if "without before-hook-creation or hook-failed" in problem:
        listed = problem.split(" ha", 1)[0].split(", ")
        for ref in listed:
            obj = hooks.get(ref)
            if obj is None:
                raise PatchError(f"cannot find {ref} among the hooks")
            edits.append(_delete_policy_edit(source, obj))
    elif problem.startswith("no activeDeadlineSeconds") or problem.startswith("no backoffLimit"):
        field_name = "activeDeadlineSeconds" if "activeDeadline" in problem else "backoffLimit"
        value = DEFAULT_TIMEOUT_SECONDS if field_name == "activeDeadlineSeconds" else DEFAULT_BACKOFF_LIMIT
        line = doc.one(r"^spec:\s*$", "the Job's spec")
        following = next((x for x in doc.lines[line + 1 : doc.end] if x.strip()), "")
        indent = following[: len(following) - len(following.lstrip())]
        if not indent or following.lstrip().startswith("{{"):
            raise PatchError(f"{doc.ref}: cannot tell the indentation of the Job's spec in {doc.file}")
        edits.append(doc.insert_after(line, f"{indent}{field_name}: {value}"))
    elif problem.startswith("no helm.sh/hook-delete-policy"):
        line = doc.one(r"^\s+[\"']?helm\.sh/hook[\"']?:", "helm.sh/hook")
        indent = re.match(r"^(\s+)", doc.lines[line]).group(1)
        edits.append(
            doc.insert_after(line, f"{indent}helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded")
        )
    elif "has no --ignore-not-found" in problem:
        lines = [
            i for i in doc.find(r"\b(kubectl|oc)\s+delete\b") if "--ignore-not-found" not in doc.lines[i]
        ]
        for line in lines:
            match = re.search(r"\b(kubectl|oc)\s+delete\b", doc.lines[line])
            at = doc.offset(line) + match.end()
            edits.append((doc.file, (at, at, " --ignore-not-found")))
        # the command as a YAML list: `- delete` as its own item
        items = doc.find(r"^\s+- [\"']?delete[\"']?\s*$")
        if items and not doc.find(r"--ignore-not-found"):
            for line in items:
                indent = re.match(r"^(\s+- )", doc.lines[line]).group(1)
                edits.append(doc.insert_after(line, f"{indent}--ignore-not-found"))
        if not edits:
            raise PatchError(f"{doc.ref}: its delete command is computed by the template in {doc.file}")
    elif "does not exist when it runs" in problem and job.hook is not None:
        edits += _service_account_as_hook(context, source, job)
    else:
        raise PatchError(
            "no safe mechanical fix for what it reports ("
            + problem.split(":")[0]
            + "): it needs a decision only the maintainer can make (which image tag, which namespaces, "
            "which RBAC)"
        )
    return edits


def _delete_policy_edit(source: _ChartSource, obj: KubeObject) -> tuple[str, tuple[int, int, str]]:
    """`before-hook-creation,` put in front of a hook's delete policy, so a failed run does not leave it
    in the way of the next one."""
    doc = _Document(source, obj)
    pattern = r"^\s*[\"']?helm\.sh/hook-delete-policy[\"']?:"
    if not doc.find(pattern):
        # annotations from a `define` of the same file, shared by the hook's objects
        whole = _Document.whole_file(doc)
        if len(whole.find(pattern)) == 1 and re.search(r"\{\{-?\s*define\b", whole.text):
            doc = whole
    line = doc.one(pattern, "helm.sh/hook-delete-policy")
    match = re.match(r"^(\s*[\"']?helm\.sh/hook-delete-policy[\"']?:\s*[\"']?)", doc.lines[line])
    at = doc.offset(line) + match.end()
    return doc.file, (at, at, "before-hook-creation,")


def _blocking_leftovers(context: Any) -> list[KubeObject]:
    """The chart's pre-delete hook ServiceAccounts and RBAC that stay after a failed run (no
    before-hook-creation or hook-failed): adding a pre-delete Job makes them its problem too (CF1003)."""
    return [
        h
        for h in context.model.hooks()
        if h.hook
        and "pre-delete" in h.hook.events
        and h.kind
        in ("ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "Job", "Pod")
        and h.hook.delete_policies
        and not {"before-hook-creation", "hook-failed"} & set(h.hook.delete_policies)
    ]


def _service_account_as_hook(
    context: Any, source: _ChartSource, job: KubeObject
) -> list[tuple[str, tuple[int, int, str]]]:
    """A delete hook whose ServiceAccount is gone (or not yet made) when it runs: make that
    ServiceAccount a hook of the same phase with a lower weight, when only delete hooks use it."""
    account = job.service_account()
    namespace = job.namespace or context.model.namespace
    found = [
        o
        for o in context.model.objects
        if o.kind == "ServiceAccount"
        and o.name == account
        and (o.namespace or context.model.namespace) == namespace
    ]
    if len(found) != 1:
        raise PatchError(
            f"the Job runs as ServiceAccount {namespace}/{account}, which the chart does not define with these "
            "values (a name mismatch or a missing object): which name is right is the maintainer's call"
        )
    users = [
        w
        for w in context.model.objects
        if w.kind in (*WORKLOAD_KINDS, "Job", "CronJob") and w.service_account() == account and w is not job
    ]
    if any(u.origin != "hook" or not u.hook or u.hook.events != job.hook.events for u in users):
        raise PatchError(
            f"ServiceAccount {namespace}/{account} is also used by workloads outside the hook, so it cannot "
            "become a hook"
        )
    sa = found[0]
    doc = _Document(source, sa)
    phase = ",".join(job.hook.events)
    weight = job.hook.weight - 5
    if sa.origin == "hook":
        line = doc.one(r"^\s+[\"']?helm\.sh/hook-weight[\"']?:", "helm.sh/hook-weight")
        text = doc.lines[line]
        match = re.match(r"^(\s+[\"']?helm\.sh/hook-weight[\"']?:\s*)(.*)$", text)
        at = doc.offset(line)
        return [(doc.file, (at + match.start(2), at + len(text), f'"{weight}"'))]
    if doc.find(r"^\s+annotations:"):
        raise PatchError(
            f"ServiceAccount {namespace}/{account} already has annotations chartfix would have to merge"
        )
    line = doc.one(r"^\s+name:", "the ServiceAccount's name")
    indent = re.match(r"^(\s+)", doc.lines[line]).group(1)
    return [
        doc.insert_after(
            line,
            f'{indent}annotations:\n{indent}  helm.sh/hook: {phase}\n{indent}  helm.sh/hook-weight: "{weight}"\n'
            f"{indent}  helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded",
        )
    ]


def _preamble(tree: ListNode, chain: list[BranchNode]) -> list[str]:
    """The variable definitions, before the OLM condition, that the condition depends on."""
    needed = set()
    for branch in chain:
        needed |= _variables_used(branch.pipe)
    candidates: list[Node] = []
    level: ListNode | None = tree
    for branch in chain:
        if level is None:
            break
        for node in level.nodes:
            if node is branch or _contains(node, branch):
                break
            candidates.append(node)
        level = branch.list
    selected: list[Node] = []
    for node in reversed(candidates):
        defined = _variables_defined(node)
        if defined & needed:
            if any(isinstance(n, TextNode) and n.text.strip() for n in walk_nodes(node)):
                raise PatchError(
                    f"the OLM condition depends on {sorted(defined & needed)}, set in a block that also prints text"
                )
            selected.append(node)
            needed |= _variables_used(node)
    return [str(node) for node in reversed(selected)]


def _contains(node: Node, target: Node) -> bool:
    return any(n is target for n in walk_nodes(node))


def _variables_used(node: Node) -> set[str]:
    return {n.ident[0] for n in walk_nodes(node) if isinstance(n, VariableNode) and n.ident[0] != "$"}


def _variables_defined(node: Node) -> set[str]:
    found = set()
    for n in walk_nodes(node):
        pipe = getattr(n, "pipe", None)
        if isinstance(n, ActionNode | BranchNode) and pipe is not None and pipe.decl:
            found |= {v.ident[0] for v in pipe.decl}
    return found


def _metadata_field_text(text: str, kind_line: int, key: str) -> str | None:
    """The raw value of `metadata.<key>` in the template document around `kind_line`."""
    pattern = re.compile(rf"^(\s+){key}:[ \t]*(.*?)[ \t]*(#.*)?$")
    lines = text.split("\n")
    start = kind_line - 1
    while (
        start > 0
        and not lines[start - 1].startswith("---")
        and lines[start - 1].strip() != ""
        and not lines[start - 1].startswith("{{")
    ):
        start -= 1
    in_metadata = False
    indent: str | None = None
    for line in lines[start:]:
        if line.startswith("---"):
            break
        if re.match(r"^metadata:\s*$", line):
            in_metadata = True
            continue
        if in_metadata and line and not line[0].isspace():
            in_metadata = False
        if in_metadata and line.strip() and not line.lstrip().startswith(("#", "{{")):
            current = line[: len(line) - len(line.lstrip())]
            indent = current if indent is None else indent
            match = pattern.match(line)
            if match and current == indent:
                value = match.group(2).strip()
                if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                    value = value[1:-1]
                return value or None
    return None


def _unique_values_path(values_text: str, namespace: str) -> str | None:
    """The one values key whose default is this namespace (e.g. `olmNamespace`), if exactly one."""
    if not namespace:
        return None
    try:
        data = YAML(typ="safe", pure=True).load(values_text) or {}
    except Exception:  # noqa: BLE001 - values.yaml was already read by the renderer; this is a hint
        return None
    found: list[str] = []

    def visit(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                    visit(child, f"{path}.{key}" if path else key)
        elif value == namespace:
            found.append(path)

    visit(data, "")
    return found[0] if len(found) == 1 else None


# --- values, schema, Chart.yaml ------------------------------------------------------------------


def _free_values_key(source: _ChartSource, candidates: tuple[str, str]) -> str:
    text = source.text("values.yaml")
    for key in candidates:
        if not re.search(rf"^{key}\s*:", text, re.MULTILINE):
            return key
    raise PatchError(
        f"values.yaml already has {candidates[0]} and {candidates[1]} keys", Position("values.yaml")
    )


def values_block(key: str, comment: str) -> str:
    """The documented values block for the hook, written by ruamel.yaml."""
    settings = CommentedMap()
    settings["enabled"] = True
    settings["image"] = DEFAULT_IMAGE
    settings["timeoutSeconds"] = DEFAULT_TIMEOUT_SECONDS
    settings["backoffLimit"] = DEFAULT_BACKOFF_LIMIT
    settings.yaml_set_comment_before_after_key(
        "enabled", before="Render the pre-delete cleanup hook.", indent=2
    )
    settings.yaml_set_comment_before_after_key(
        "image", before="kubectl image the cleanup Job runs (pinned).", indent=2
    )
    settings.yaml_set_comment_before_after_key(
        "timeoutSeconds",
        before="activeDeadlineSeconds of the Job: an uninstall never waits longer.",
        indent=2,
    )
    settings.yaml_set_comment_before_after_key(
        "backoffLimit", before="Retries of a failed cleanup.", indent=2
    )
    root = CommentedMap()
    root[key] = settings
    root.yaml_set_start_comment(comment)
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def _values_with_block(original: bytes | None, key: str, comment: str) -> bytes:
    """values.yaml with the block appended: every existing byte stays as it is."""
    text = (original or b"").decode("utf-8", errors="surrogateescape")
    # A values.yaml that is only `{}` (an empty flow mapping) cannot be appended to: the block replaces it.
    if re.fullmatch(r"(\s*#[^\n]*\n)*\s*\{\}\s*(#[^\n]*)?\s*", text):
        text = re.sub(r"(?m)^\s*\{\}\s*(#[^\n]*)?$\n?", "", text)
    separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    if text and not text.endswith("\n\n") and text.endswith("\n"):
        separator = "\n"
    result = text + separator + values_block(key, comment)
    _check_values_still_parse(result, text, key)
    return result.encode("utf-8", errors="surrogateescape")


def _check_values_still_parse(new_text: str, old_text: str, key: str) -> None:

    new = load_yaml_values(new_text, "values.yaml")
    old = load_yaml_values(old_text, "values.yaml") if old_text.strip() else {}
    if {k: v for k, v in new.items() if k != key} != old or key not in new:
        raise PatchError(
            "appending the cleanup settings would change the meaning of values.yaml", Position("values.yaml")
        )


def _schema_with_block(original: bytes, key: str, description: str) -> bytes:
    try:
        schema = json.loads(original)
    except json.JSONDecodeError as error:
        raise PatchError(
            f"values.schema.json is not valid JSON: {error.msg}",
            Position("values.schema.json", error.lineno, error.colno),
        ) from None
    if not isinstance(schema, dict):
        raise PatchError("values.schema.json is not a JSON object", Position("values.schema.json"))
    properties = schema.setdefault("properties", {})
    properties[key] = {
        "type": "object",
        "description": description,
        "properties": {
            "enabled": {"type": "boolean"},
            "image": {"type": "string"},
            "timeoutSeconds": {"type": "integer", "minimum": 1},
            "backoffLimit": {"type": "integer", "minimum": 0},
        },
        "additionalProperties": False,
    }
    indent = _json_indent(original.decode("utf-8", errors="replace"))
    return (json.dumps(schema, indent=indent, ensure_ascii=False) + "\n").encode("utf-8")


def _json_indent(text: str) -> int:
    match = re.search(r"\n( +)\S", text)
    return len(match.group(1)) if match else 2


def _bump_chart_version(original: bytes) -> bytes:

    text = original.decode("utf-8", errors="surrogateescape")
    match = re.search(r"^(version:[ \t]*)([\"']?)([^\"'\s#]+)([\"']?)", text, re.MULTILINE)
    if match is None:
        raise PatchError("Chart.yaml has no version line to bump", Position("Chart.yaml"))
    try:
        bumped = str(semver.Version.parse(match.group(3).lstrip("v")).bump_patch())
    except ValueError:
        raise PatchError(
            f"Chart.yaml version {match.group(3)} is not semver", Position("Chart.yaml")
        ) from None
    text = text[: match.start(3)] + bumped + text[match.end(3) :]
    return text.encode("utf-8", errors="surrogateescape")


# --- verification and output ---------------------------------------------------------------------


def _finding_key(finding: Finding) -> tuple[str, str, str]:
    return (finding.rule_id, finding.subject, finding.position.file if not finding.subject else "")


def _verify(
    patch: Patch, source: _ChartSource, options: PatchOptions, fixed: list[Finding], before: ChartReport
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


def materialize(patch: Patch, source: _ChartSource, target: Path) -> None:
    """Write the whole patched chart into `target` (which must not exist)."""
    if source.is_dir:
        shutil.copytree(source.path, target, symlinks=True)
    else:
        for name, data in (source._archive or {}).items():
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    for name, data in patch.changes.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def write_to_folder(patch: Patch, out_dir: str, force: bool) -> None:
    """Write the patched chart to `out_dir` through a staging folder next to it: on any failure
    (full disk, unwritable place, interruption) nothing is left and a replaced folder is restored."""
    target = Path(out_dir).absolute()
    if target.exists() and not force:
        raise PatchError(f"{out_dir} exists; use --force to replace it")
    chart = Path(patch.chart).resolve()
    if chart.is_dir() and (target.resolve() == chart or chart in target.resolve().parents):
        raise PatchError("the output folder must be outside the chart folder", Position(out_dir))
    with _cleanup_on_failure(out_dir) as created:
        created += _make_parents(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=".chartfix-", dir=target.parent))
        created.append(staging)
        materialize(patch, _ChartSource(patch.chart), staging / "chart")
        previous = staging / "previous"
        if target.exists() or target.is_symlink():
            os.replace(target, previous)
        try:
            os.replace(staging / "chart", target)
        except BaseException:
            if previous.exists():
                os.replace(previous, target)
            raise


def write_in_place(patch: Patch) -> None:
    """Rewrite the changed files of a chart folder: each one through a temporary file, all of them
    or none (originals are kept as hard links until every replacement is done)."""
    if not os.path.isdir(patch.chart):
        raise PatchError("--in-place needs a chart folder, not an archive; use -o")
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, Path | None] = {}
    with _cleanup_on_failure(patch.chart) as created:
        for name, data in patch.changes.items():
            final = Path(patch.chart, name)
            created += _make_parents(final.parent)
            fd, tmp = tempfile.mkstemp(prefix=".chartfix-", dir=final.parent)
            created.append(Path(tmp))
            staged.append((Path(tmp), final))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, final.stat().st_mode & 0o7777 if final.exists() else 0o644)
        for _, final in staged:
            backups[final] = _backup(final)
            if backups[final] is not None:
                created.append(backups[final])
        try:
            for tmp, final in staged:
                os.replace(tmp, final)
        except BaseException:
            _restore(backups)
            raise


def _backup(final: Path) -> Path | None:
    """A hard link to the current file (None: the file is new) so that it can be put back."""
    if not final.exists():
        return None
    backup = final.with_name(f".chartfix-backup-{final.name}-{os.getpid()}")
    backup.unlink(missing_ok=True)
    try:
        os.link(final, backup)
    except OSError:  # no hard links here: a copy does the same job
        shutil.copy2(final, backup)
    return backup


def _restore(backups: dict[Path, Path | None]) -> None:
    for final, backup in backups.items():
        if backup is None:
            final.unlink(missing_ok=True)
        else:
            os.replace(backup, final)


def _make_parents(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; the created ones, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
    return list(reversed(missing))


@contextmanager
def _cleanup_on_failure(where: str) -> Iterator[list[Path]]:
    """Yield a list for the paths the block creates. When the block fails they are all removed and
    an OSError or TarError becomes a PatchError naming `where`; when it succeeds only the temporary
    ones (named .chartfix-*) are."""
    created: list[Path] = []
    try:
        yield created
    except BaseException as error:
        for path in reversed(created):
            _remove(path)
        if isinstance(error, OSError):
            raise _write_error(where, error) from None
        if isinstance(error, tarfile.TarError):
            raise PatchError(f"cannot write the patched chart: {error}", Position(where)) from None
        raise
    for path in created:
        if path.name.startswith(".chartfix-"):
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _write_error(where: str, error: OSError) -> PatchError:
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        # copytree collects (source, destination, reason) for every file: the first one is enough
        source, _, reason = error.args[0][0]
        detail = f"{reason}: {source}"
    else:
        detail = error.strerror or str(error)
        if error.filename is not None:
            detail += f": {error.filename}"
    return PatchError(f"cannot write the patched chart ({detail}); nothing was written", Position(where))


def write_package(patch: Patch, out_dir: str) -> Path:
    """A `.tgz` as `helm package` writes it: `<name>-<version>.tgz` holding `<name>/...`, with the
    chart's .helmignore applied. Written to a temporary file first; nothing is left on failure."""

    with tempfile.TemporaryDirectory(prefix="chartfix-package-") as tmp:
        staging = Path(tmp, "chart")
        with _cleanup_on_failure(out_dir):
            materialize(patch, _ChartSource(patch.chart), staging)
        chart = load_chart(str(staging))
        name, version = chart.name(), chart.metadata.Version
        ignore_file = staging / ".helmignore"
        rules = Rules.parse(ignore_file.read_text(encoding="utf-8") if ignore_file.is_file() else "")
        rules.add_defaults()
        target = Path(out_dir, f"{name}-{version}.tgz")
        with _cleanup_on_failure(out_dir) as created:
            created += _make_parents(Path(out_dir).absolute())
            fd, tmp_archive = tempfile.mkstemp(prefix=".chartfix-", dir=out_dir)
            os.close(fd)
            created.append(Path(tmp_archive))
            with tarfile.open(tmp_archive, "w:gz") as archive:
                for path in sorted(staging.rglob("*")):
                    relative = path.relative_to(staging).as_posix()
                    if path.is_dir() or rules.ignore(relative, False):
                        continue
                    archive.add(path, arcname=f"{name}/{relative}", recursive=False)
            os.chmod(tmp_archive, 0o644)  # as `helm package` writes it (mkstemp makes 0600)
            os.replace(tmp_archive, target)
    return target


def unified_diff(patch: Patch) -> str:

    chunks = []
    for name in sorted(patch.changes):
        before = patch.originals.get(name)
        old = (before or b"").decode("utf-8", errors="replace").splitlines(keepends=True)
        new = patch.changes[name].decode("utf-8", errors="replace").splitlines(keepends=True)
        chunks += difflib.unified_diff(old, new, "/dev/null" if before is None else f"a/{name}", f"b/{name}")
    return "".join(chunks)
