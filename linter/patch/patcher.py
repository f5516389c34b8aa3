"""`chartfix patch`: the chart with a pre-delete cleanup hook for the OLM it bundles.

The hook (ServiceAccount, least-privilege ClusterRole and binding, and a Job) deletes the Subscriptions
and ClusterServiceVersions in every namespace where the chart makes OLM install operators, while OLM
still runs, so `helm uninstall` no longer leaves namespaces stuck on operators.coreos.com/csv-cleanup.
It is rendered under the same template condition as the chart's OLM install (copied from the AST,
with the variable definitions it depends on) and uses the chart's own namespace expressions.
"""

from __future__ import annotations

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

from chartfix.analysis.objects import KubeObject
from chartfix.analysis.scenarios import Scenario, TemplateIndex, enclosing_branches
from chartfix.analysis.uninstall import egress_blocked
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

HOOK_TEMPLATE = "templates/chartfix-olm-cleanup.yaml"
FIXED_RULES = ("CF1001", "CF1002")
DEFAULT_IMAGE = "registry.k8s.io/kubectl:v1.31.4"
DEFAULT_TIMEOUT_SECONDS = 300
DEFAULT_BACKOFF_LIMIT = 2


class PatchError(ChartfixError):
    """The patcher cannot handle this chart; nothing is written."""


@dataclass
class PatchOptions:
    values_files: list[str] = field(default_factory=list)
    set_values: list[str] = field(default_factory=list)
    set_string: list[str] = field(default_factory=list)
    namespace: str = "default"
    helm_major: int = 4
    rules: list[str] = field(default_factory=list)
    bump_version: bool = False

    def lint_options(self, derive: bool = True) -> LintOptions:
        return LintOptions(
            values_files=self.values_files,
            set_values=self.set_values,
            set_string=self.set_string,
            namespace=self.namespace,
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


def plan_patch(path: str, options: PatchOptions) -> Patch:
    """Work out the files to write. Raises ChartfixError (nothing written) when it cannot."""
    report = lint_chart(path, options.lint_options())
    wanted = options.rules or list(FIXED_RULES)
    fixable = [f for f in report.findings if f.rule_id in FIXED_RULES and f.rule_id in wanted]
    patch = Patch(chart=path)
    if not fixable:
        patch.messages.append("nothing to patch: no finding of " + ", ".join(wanted))
        return patch
    finding = min(fixable, key=lambda f: f.scenario != "defaults")
    source = _ChartSource(path)
    switch = disabled_cleanup_switch(report) if finding.scenario == "defaults" else None
    if switch is not None:
        return _enable_existing_cleanup(patch, source, switch, options, finding)
    context = next(c for c in report.contexts if c.scenario == finding.scenario)
    bundle = context.olm
    generator = _HookGenerator(report, context.model, bundle.olm_operator, source)
    values_key = _free_values_key(source)
    patch.changes[HOOK_TEMPLATE] = generator.template(values_key).encode("utf-8")
    patch.changes["values.yaml"] = _values_with_block(source.read("values.yaml"), values_key)
    schema = source.read("values.schema.json")
    if schema is not None:
        patch.changes["values.schema.json"] = _schema_with_block(schema, values_key)
    if options.bump_version:
        patch.changes["Chart.yaml"] = _bump_chart_version(source.read("Chart.yaml") or b"")
    for name in patch.changes:
        patch.originals[name] = source.read(name)
    patch.messages.append(
        f"{HOOK_TEMPLATE}: pre-delete cleanup for {finding.rule_id} ({finding.subject}), rendered under "
        f"{generator.condition_text()}; cleans namespaces {', '.join(generator.namespace_texts())}"
    )
    _verify(patch, source, options, finding)
    return patch


def _enable_existing_cleanup(
    patch: Patch, source: _ChartSource, switch: Scenario, options: PatchOptions, finding: Any
) -> Patch:
    """The chart already ships a cleanup hook that is off by default: switch it on in values.yaml
    instead of adding a second hook. The value comes from the scenario's own --set values (parsed as
    Helm parses them), never from its label."""
    settings = user_values(set_values=switch.set_values, set_string=switch.set_string)
    leaves = list(_leaf_items(settings))
    if len(leaves) != 1:
        raise PatchError(f"cannot tell which value switches the cleanup on in {switch.label}")
    keys, raw = leaves[0]
    path = ".".join(keys)
    value = str(raw).lower() if isinstance(raw, bool) else str(raw)
    assignment = f"{path}={value}"
    original = source.read("values.yaml") or b""
    patch.changes["values.yaml"] = set_default_value(original, path, value)
    patch.originals["values.yaml"] = original
    patch.messages.append(
        f"values.yaml: the chart's own pre-delete cleanup hook fixes {finding.rule_id} but is off by default; "
        f"setting {assignment} instead of adding a second hook"
    )
    _verify(patch, source, options, finding)
    return patch


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


class _HookGenerator:
    def __init__(
        self, report: ChartReport, model: Any, olm_operator: KubeObject, source: _ChartSource
    ) -> None:
        self.index: TemplateIndex = report.index  # type: ignore[assignment]
        self.model = model
        self.olm_operator = olm_operator
        self.source = source
        self.guards, self.preamble = self._guards_and_preamble()
        self.job_namespace = self._namespace_expression(olm_operator)
        namespaces: dict[str, None] = {}
        for obj in model.release():
            if obj.kind in ("Subscription", "ClusterServiceVersion") and obj.namespace:
                namespaces[self._namespace_expression(obj)] = None
        if not namespaces:
            raise PatchError("the chart installs OLM but no Subscription or ClusterServiceVersion to clean")
        self.namespaces = list(namespaces)

    # The condition of the OLM install, as template text.
    def _guards_and_preamble(self) -> tuple[list[str], list[str]]:
        manifest = self.olm_operator.manifest
        tree = self.index.trees.get(manifest.source) if manifest else None
        branches = enclosing_branches(tree, self.olm_operator.position.line) if tree else None
        if tree is None or branches is None:
            raise PatchError(
                f"cannot find the template text of {self.olm_operator.ref()} to copy its condition",
                self.olm_operator.position,
            )
        guards = []
        for branch, in_else in branches:
            if isinstance(branch, RangeNode):
                raise PatchError(
                    f"{self.olm_operator.ref()} is rendered inside a range loop", self.olm_operator.position
                )
            pipe = str(branch.pipe)
            if branch.pipe.decl and in_else:
                raise PatchError(
                    "the OLM install sits in the else branch of a declaring condition",
                    self.olm_operator.position,
                )
            guards.append(f"not ({pipe})" if in_else else pipe)
        preamble = _preamble(tree, [b for b, _ in branches])
        return guards, preamble

    def condition_text(self) -> str:
        return (
            " and ".join(f"`{g}`" for g in self.guards)
            if self.guards
            else "no condition (as the OLM install)"
        )

    def namespace_texts(self) -> list[str]:
        return self.namespaces

    def _namespace_expression(self, obj: KubeObject) -> str:
        """The chart's own text for the object's namespace: its template line, a values key, or the
        rendered value."""
        if obj is not self.olm_operator and obj.namespace == self.olm_operator.namespace:
            return self.job_namespace
        manifest = obj.manifest
        if manifest is not None and obj.position.line > 1:
            text = self.source.text(_template_file(manifest.source))
            raw = _metadata_namespace_text(text, obj.position.line)
            tree = self.index.trees.get(manifest.source)
            branches = enclosing_branches(tree, obj.position.line) if tree is not None else None
            context_ok = branches is not None and not any(
                isinstance(b, (RangeNode, WithNode)) for b, _ in branches
            )
            if raw is not None and context_ok and "$" not in raw.replace("$.", ""):
                return raw
            if raw is None and context_ok and "namespace:" not in obj.metadata:
                return "{{ .Release.Namespace }}"
        path = _unique_values_path(self.source.text("values.yaml"), obj.namespace or "")
        return f"{{{{ .Values.{path} }}}}" if path else str(obj.namespace)

    # Labels of the cleanup Job's pod, for the NetworkPolicy that lets it reach the API server.
    POD_LABELS = {"app.kubernetes.io/name": "chartfix-olm-cleanup"}

    def _needs_egress_policy(self) -> bool:
        """A NetworkPolicy of the chart isolates the Job's pod for egress (e.g. a default deny)."""
        policies = [o for o in self.model.objects if o.kind == "NetworkPolicy"]
        return egress_blocked(self.olm_operator.namespace, self.POD_LABELS, policies) is not None

    def template(self, key: str) -> str:
        values = f"$.Values.{key}"
        name = '{{ printf "%s-olm-cleanup" $.Release.Name | trunc 63 | trimSuffix "-" }}'
        rbac_hook = (
            '    helm.sh/hook: pre-delete\n    helm.sh/hook-weight: "-10"\n'
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
---{self._egress_policy(name, rbac_hook)}
apiVersion: batch/v1
kind: Job
metadata:
  name: {name}
  namespace: {self.job_namespace}
  annotations:
    helm.sh/hook: pre-delete
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  activeDeadlineSeconds: {{{{ {values}.timeoutSeconds }}}}
  backoffLimit: {{{{ {values}.backoffLimit }}}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: chartfix-olm-cleanup
    spec:
      serviceAccountName: {name}
      restartPolicy: Never
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        seccompProfile:
          type: RuntimeDefault
      initContainers:
{self._containers("subscriptions", values)}
      containers:
{self._containers("clusterserviceversions", values)}"""
        lines.append(body)
        lines += ["{{- end }}"] * opened
        return "\n".join(lines) + "\n"

    def _egress_policy(self, name: str, rbac_hook: str) -> str:
        """A NetworkPolicy letting the Job reach the API server, where the chart's own policies would
        cut it off."""
        if not self._needs_egress_policy():
            return ""
        return f"""
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {name}
  namespace: {self.job_namespace}
  annotations:
{rbac_hook}spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: chartfix-olm-cleanup
  policyTypes: [Egress]
  egress:
    - {{}}
---"""

    def _containers(self, plural: str, values: str) -> str:
        items = []
        for i, namespace in enumerate(self.namespaces):
            items.append(
                f"        - name: delete-{plural}-{i}\n"
                f"          image: {{{{ {values}.image | quote }}}}\n"
                f"          command:\n"
                f"            - kubectl\n            - delete\n            - {plural}.operators.coreos.com\n"
                f"            - --all\n            - --namespace\n            - {namespace}\n"
                f"            - --ignore-not-found\n            - --wait=true\n"
                f"          securityContext:\n"
                f"            allowPrivilegeEscalation: false\n"
                f"            capabilities:\n              drop: [ALL]"
            )
        return "\n".join(items)


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


_NAMESPACE_LINE = re.compile(r"^(\s+)namespace:[ \t]*(.*?)[ \t]*(#.*)?$")


def _metadata_namespace_text(text: str, kind_line: int) -> str | None:
    """The raw value of `metadata.namespace` in the template document around `kind_line`."""
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
    for line in lines[start:]:
        if line.startswith("---"):
            break
        if re.match(r"^metadata:\s*$", line):
            in_metadata = True
            continue
        if in_metadata and line and not line[0].isspace():
            in_metadata = False
        if in_metadata:
            match = _NAMESPACE_LINE.match(line)
            if match:
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


def _free_values_key(source: _ChartSource) -> str:
    text = source.text("values.yaml")
    for key in ("olmCleanup", "chartfixOlmCleanup"):
        if not re.search(rf"^{key}\s*:", text, re.MULTILINE):
            return key
    raise PatchError(
        "values.yaml already has olmCleanup and chartfixOlmCleanup keys", Position("values.yaml")
    )


def values_block(key: str) -> str:
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
    root.yaml_set_start_comment(
        "Added by `chartfix patch`: a pre-delete hook that deletes the Subscriptions and\n"
        "ClusterServiceVersions while OLM still runs, so `helm uninstall` does not leave namespaces\n"
        "stuck Terminating on OLM's operators.coreos.com/csv-cleanup finalizer."
    )
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def _values_with_block(original: bytes | None, key: str) -> bytes:
    """values.yaml with the block appended: every existing byte stays as it is."""
    text = (original or b"").decode("utf-8", errors="surrogateescape")
    separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    if text and not text.endswith("\n\n") and text.endswith("\n"):
        separator = "\n"
    result = text + separator + values_block(key)
    _check_values_still_parse(result, text, key)
    return result.encode("utf-8", errors="surrogateescape")


def _check_values_still_parse(new_text: str, old_text: str, key: str) -> None:

    new = load_yaml_values(new_text, "values.yaml")
    old = load_yaml_values(old_text, "values.yaml") if old_text.strip() else {}
    if {k: v for k, v in new.items() if k != key} != old or key not in new:
        raise PatchError(
            "appending the cleanup settings would change the meaning of values.yaml", Position("values.yaml")
        )


def _schema_with_block(original: bytes, key: str) -> bytes:
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
        "description": "Pre-delete cleanup of OLM-installed operators (added by chartfix patch)",
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


def _verify(patch: Patch, source: _ChartSource, options: PatchOptions, finding: Any) -> None:
    """Lint the patched chart: the fixed finding must be gone, or nothing is written."""
    try:
        with tempfile.TemporaryDirectory(prefix="chartfix-verify-") as tmp:
            target = Path(tmp, "chart")
            materialize(patch, source, target)
            report = lint_chart(str(target), options.lint_options())
    except OSError as error:
        raise PatchError(
            f"cannot verify the patch in a temporary folder: {error.strerror or error}"
        ) from None
    left = [f for f in report.findings if f.rule_id in FIXED_RULES]
    if left:
        raise PatchError(
            "the generated cleanup hook does not fix the chart: " + left[0].message, left[0].position
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
