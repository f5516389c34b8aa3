"""What a hook Job does, read statically from its container command, and whether it can run.

Recognises `kubectl delete` / `oc delete` (the chart's own custom kinds included), `kubectl scale
--replicas=0`, `kubectl patch` of finalizers and raw API calls (`curl -X DELETE
.../api/v1/namespaces/NAME`, `.../apis/GROUP/VERSION/namespaces/NS/PLURAL[/NAME]`), with shell
variables defined in the script or the container's env resolved. A Job whose command shows none of
these runs a program of its own; what its RBAC lets it delete describes it then (`opaque`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from chartfix.analysis.controllers import custom_kinds
from chartfix.analysis.objects import ChartModel, KubeObject
from chartfix.analysis.rbac import EVERY_NAMESPACE, Grant, allowed, service_account_grants

# resource name or alias -> (kind, API group, plural, namespaced)
Resources = dict[str, tuple[str, str, str, bool]]
BUILTIN_RESOURCES: Resources = {}


def _register(table: Resources, kind: str, group: str, plural: str, namespaced: bool, *aliases: str) -> None:
    for alias in (kind.lower(), plural, *aliases):
        table[alias] = (kind, group, plural, namespaced)
        if group:
            table[f"{alias}.{group}"] = (kind, group, plural, namespaced)


for _args in (
    ("Namespace", "", "namespaces", False, "ns"),
    ("Pod", "", "pods", True, "po"),
    ("Service", "", "services", True, "svc"),
    ("ConfigMap", "", "configmaps", True, "cm"),
    ("Secret", "", "secrets", True),
    ("ServiceAccount", "", "serviceaccounts", True, "sa"),
    ("PersistentVolumeClaim", "", "persistentvolumeclaims", True, "pvc"),
    ("Deployment", "apps", "deployments", True, "deploy"),
    ("StatefulSet", "apps", "statefulsets", True, "sts"),
    ("DaemonSet", "apps", "daemonsets", True, "ds"),
    ("Job", "batch", "jobs", True),
    ("Ingress", "networking.k8s.io", "ingresses", True, "ing"),
    ("ClusterServiceVersion", "operators.coreos.com", "clusterserviceversions", True, "csv", "csvs"),
    ("Subscription", "operators.coreos.com", "subscriptions", True, "sub", "subs"),
    ("InstallPlan", "operators.coreos.com", "installplans", True, "ip"),
    ("CatalogSource", "operators.coreos.com", "catalogsources", True, "catsrc"),
    ("OperatorGroup", "operators.coreos.com", "operatorgroups", True, "og"),
    ("CustomResourceDefinition", "apiextensions.k8s.io", "customresourcedefinitions", False, "crd", "crds"),
    (
        "ValidatingWebhookConfiguration",
        "admissionregistration.k8s.io",
        "validatingwebhookconfigurations",
        False,
    ),
    ("MutatingWebhookConfiguration", "admissionregistration.k8s.io", "mutatingwebhookconfigurations", False),
    ("APIService", "apiregistration.k8s.io", "apiservices", False),
):
    _register(BUILTIN_RESOURCES, *_args)


def chart_resources(model: ChartModel) -> Resources:
    """Kubernetes' common kinds plus the kinds the chart's CRDs define, by every name kubectl takes."""
    table = dict(BUILTIN_RESOURCES)
    for custom in custom_kinds(model).values():
        names = custom.crd.spec.get("names") if isinstance(custom.crd.spec.get("names"), dict) else {}
        aliases = [names.get("singular"), *(names.get("shortNames") or [])]
        _register(
            table,
            custom.kind,
            custom.group,
            custom.plural,
            custom.namespaced,
            *(a for a in aliases if isinstance(a, str) and a),
        )
    return table


@dataclass(frozen=True)
class CleanupAction:
    """A delete (or, with `strips_finalizers`, a patch that removes finalizers) the Job performs."""

    kind: str
    group: str
    plural: str
    namespace: str | None  # "*" for all namespaces; None for cluster-scoped kinds
    name: str | None  # None: all of them (or those a label selector picks)
    ignore_not_found: bool = True
    strips_finalizers: bool = False
    assumed: bool = False  # read from the Job's RBAC, not from its command

    def target(self) -> str:
        where = (
            ""
            if self.namespace is None
            else (" in every namespace" if self.namespace == "*" else f" in {self.namespace}")
        )
        what = f"{self.kind} {self.name}" if self.name else f"every {self.kind}"
        return what + where


@dataclass(frozen=True)
class ScaleDown:
    """A `kubectl scale --replicas=0` of a Deployment or StatefulSet that a hook Job runs."""

    kind: str
    namespace: str
    name: str | None


@dataclass
class HookJobAnalysis:
    """What one hook Job does: the deletions and scale-downs its command shows."""

    job: KubeObject
    actions: list[CleanupAction] = field(default_factory=list)
    scale_downs: list[ScaleDown] = field(default_factory=list)
    opaque: bool = False  # runs a program of its own: no kubectl/oc/curl command seen

    @property
    def service_account(self) -> str:
        return self.job.service_account()


def analyse_hook_job(job: KubeObject, resources: Resources | None = None) -> HookJobAnalysis:
    resources = resources if resources is not None else BUILTIN_RESOURCES
    analysis = HookJobAnalysis(job)
    namespace = job.namespace or "default"
    scripts = []
    for container in job.containers():
        script = _script(container)
        variables = _env(container)
        variables.update(_assignments(script))
        scripts.append(_unroll_loops(_expand(script, variables)))
    for script in scripts:
        analysis.actions += _kubectl_deletes(script, namespace, resources)
        analysis.actions += _kubectl_finalizer_patches(script, namespace, resources)
        analysis.actions += _api_deletes(script, resources)
        analysis.scale_downs += _kubectl_scale_downs(script, namespace)
    analysis.opaque = not any(re.search(r"\b(kubectl|oc|curl|wget)\b", s) for s in scripts)
    return analysis


# Groups whose kinds an opaque cleanup Job is credited with when its RBAC allows deleting them: the
# chart's own custom kinds and the registrations that outlive a release.
_CORE_GROUPS = frozenset(("", "apps", "batch", "apiextensions.k8s.io", "networking.k8s.io"))


def assumed_actions(job: KubeObject, grants: list[Grant], resources: Resources) -> list[CleanupAction]:
    """What an opaque Job may do: delete (or patch, to strip finalizers) every custom kind, webhook
    configuration and APIService its RBAC allows."""
    found = []
    for kind, group, plural, namespaced in dict.fromkeys(resources.values()):
        if group in _CORE_GROUPS:
            continue
        for verb, strips in (("delete", False), ("patch", True)):
            if namespaced:
                everywhere = allowed(grants, verb, group, plural, EVERY_NAMESPACE) is not None
                scope = "*" if everywhere else job.namespace
                if not everywhere and allowed(grants, verb, group, plural, job.namespace) is None:
                    continue
            else:
                scope = None
                if allowed(grants, verb, group, plural, None) is None:
                    continue
            found.append(
                CleanupAction(kind, group, plural, scope, None, strips_finalizers=strips, assumed=True)
            )
            break
    return found


def _script(container: dict) -> str:
    """The container's command line: a shell script given to `sh -c` as is, an argv joined."""
    parts = []
    for key in ("command", "args"):
        value = container.get(key)
        if isinstance(value, list):
            parts += [str(v) for v in value]
    if (
        len(parts) >= 3
        and parts[0].rsplit("/", 1)[-1] in ("sh", "bash", "ash", "dash")
        and parts[1] in ("-c", "-ec", "-ex", "-exc")
    ):
        return "\n".join(parts[2:])
    return shlex.join(parts)


def _env(container: dict) -> dict[str, str]:
    found = {}
    for item in container.get("env") or []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("value"), str)
        ):
            found[item["name"]] = item["value"]
    return found


_ASSIGNMENT = re.compile(
    r"""(?m)^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=("([^"$`]*)"|'([^']*)'|([^\s;"'$`]*))\s*(?:;|$)"""
)


def _assignments(script: str) -> dict[str, str]:
    found = {}
    for match in _ASSIGNMENT.finditer(script):
        value = next((g for g in match.group(3, 4, 5) if g is not None), "")
        found[match.group(1)] = value
    return found


def _expand(script: str, variables: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return variables.get(name, match.group(0))

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", replace, script)


_FOR_LOOP = re.compile(
    r"\bfor\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([^;\n]*?)\s*(?:;|\n)\s*do\b(.*?)\bdone\b", re.S
)


def _unroll_loops(script: str) -> str:
    """`for x in a b c; do ...; done` over literal words: the body once per word, $x replaced."""

    def unroll(match: re.Match[str]) -> str:
        variable, words, body = match.groups()
        try:
            items = shlex.split(words)
        except ValueError:
            return match.group(0)
        if not items or any(w.startswith(("$", "`")) for w in items):
            return match.group(0)
        pattern = re.compile(rf"\$\{{{variable}\}}|\${variable}\b")
        return "\n".join(pattern.sub(item, body) for item in items)

    return _FOR_LOOP.sub(unroll, script)


def _kubectl_command(verb: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:kubectl|oc)\s+(?:-\S+\s+)*{verb}\s+([^\n;&|]*)")


_KUBECTL_DELETE = _kubectl_command("delete")
_KUBECTL_PATCH = _kubectl_command("patch")
_KUBECTL_SCALE = _kubectl_command("scale")


@dataclass
class _CommandLine:
    """One kubectl/oc command line, split into its namespace, positional arguments and flags."""

    namespace: str
    all_namespaces: bool
    positional: list[str]
    flags: set[str]
    text: str


def _parse_command(arguments: str, job_namespace: str) -> _CommandLine:
    try:
        tokens = shlex.split(arguments, comments=True)
    except ValueError:
        tokens = arguments.split()
    line = _CommandLine(job_namespace, False, [], set(), arguments)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("-n", "--namespace") and i + 1 < len(tokens):
            line.namespace = tokens[i + 1]
            line.all_namespaces |= "$" in line.namespace  # a loop variable: any namespace
            i += 2
            continue
        if token in (
            "-l",
            "--selector",
            "-p",
            "--patch",
            "--type",
            "--replicas",
            "-o",
            "--output",
            "--timeout",
        ) and i + 1 < len(tokens):
            line.flags.add(f"{token}={tokens[i + 1]}")
            line.flags.add(token)
            i += 2
            continue
        if token.startswith("--namespace="):
            line.namespace = token.split("=", 1)[1]
        elif token in ("-A", "--all-namespaces"):
            line.all_namespaces = True
        elif token.startswith("-"):
            line.flags.add(token.split("=", 1)[0])
            line.flags.add(token)
        else:
            line.positional.append(token)
        i += 1
    return line


def _targets(line: _CommandLine) -> list[tuple[str, str | None]]:
    """(resource, name) pairs; a name still holding a shell variable (a loop over `kubectl get`
    output) stands for every object of the resource."""
    if not line.positional:
        return []
    if "/" in line.positional[0]:
        pairs = [tuple(p.split("/", 1)) for p in line.positional if "/" in p]
    else:
        names = line.positional[1:] or [None]
        pairs = [(r, n) for r in line.positional[0].split(",") for n in names]
    return [(r, None if n is not None and "$" in n else n) for r, n in pairs]  # type: ignore[misc]


def _kubectl_deletes(script: str, job_namespace: str, resources: Resources) -> list[CleanupAction]:
    actions = []
    for match in _KUBECTL_DELETE.finditer(script.replace("\\\n", " ")):
        line = _parse_command(match.group(1), job_namespace)
        ignore = "--ignore-not-found" in line.flags or "--ignore-not-found=true" in line.flags
        for resource, name in _targets(line):
            known = resources.get(resource.lower())
            if known is None:
                continue
            kind, group, plural, namespaced = known
            ns: str | None = ("*" if line.all_namespaces else line.namespace) if namespaced else None
            actions.append(
                CleanupAction(kind, group, plural, ns, name, ignore_not_found=ignore or name is None)
            )
    return actions


def _kubectl_finalizer_patches(script: str, job_namespace: str, resources: Resources) -> list[CleanupAction]:
    actions = []
    for match in _KUBECTL_PATCH.finditer(script.replace("\\\n", " ")):
        if "finalizers" not in match.group(1):
            continue
        line = _parse_command(match.group(1), job_namespace)
        for resource, name in _targets(line):
            known = resources.get(resource.lower())
            if known is None:
                continue
            kind, group, plural, namespaced = known
            ns = ("*" if line.all_namespaces else line.namespace) if namespaced else None
            actions.append(CleanupAction(kind, group, plural, ns, name, strips_finalizers=True))
    return actions


def _kubectl_scale_downs(script: str, job_namespace: str) -> list[ScaleDown]:
    found = []
    for match in _KUBECTL_SCALE.finditer(script.replace("\\\n", " ")):
        line = _parse_command(match.group(1), job_namespace)
        if "--replicas=0" not in line.flags:
            continue
        for resource, name in _targets(line):
            known = BUILTIN_RESOURCES.get(resource.lower())
            if known and known[0] in ("Deployment", "StatefulSet"):
                found.append(ScaleDown(known[0], line.namespace, name))
    return found


_CORE_NAMESPACE_URL = re.compile(r"/api/v1/namespaces/([a-z0-9.-]+)/?(?=[\s\"'`)]|$)")
_GROUP_URL = re.compile(r"/apis/([a-z0-9.-]+)/[a-z0-9]+/namespaces/([a-z0-9.-]+)/([a-z]+)(?:/([a-z0-9.-]+))?")


def _api_deletes(script: str, resources: Resources) -> list[CleanupAction]:
    if not re.search(r"(-X\s*|--request\s+)DELETE\b", script):
        return []
    actions = []
    for match in _CORE_NAMESPACE_URL.finditer(script):
        actions.append(CleanupAction("Namespace", "", "namespaces", None, match.group(1)))
    for match in _GROUP_URL.finditer(script):
        group, namespace, plural, name = match.groups()
        known = resources.get(plural)
        if known:
            actions.append(CleanupAction(known[0], group, plural, namespace, name))
    return list(dict.fromkeys(actions))


def job_grants(job: KubeObject, available: list[KubeObject]) -> list[Grant]:
    """The RBAC the Job's ServiceAccount has among the objects that exist when it runs."""
    return service_account_grants(available, job.service_account(), job.namespace or "default")
