"""What a hook Job does, read statically from its container command, and whether it can run.

Recognises `kubectl delete` / `oc delete` (the chart's own custom kinds included), `kubectl scale
--replicas=0`, `kubectl patch` of finalizers and raw API calls (`curl -X DELETE
.../api/v1/namespaces/NAME`, `.../apis/GROUP/VERSION/namespaces/NS/PLURAL[/NAME]`), with shell
variables defined in the script or the container's env resolved, in the container's command and in
the scripts it runs from ConfigMaps the chart mounts into the pod. A script that lists objects
(`kubectl get`) and can exit non-zero is a guard: the hook fails, and with it the uninstall, while
such objects exist. A Job whose command shows none of these runs a program of its own; what its
RBAC lets it delete describes it then (`opaque`).
"""

from __future__ import annotations

import re
import shlex

from chartfix.analysis.controllers import BUILTIN_GROUPS, custom_kinds, guess_plural
from chartfix.analysis.objects import ChartModel, KubeObject
from chartfix.analysis.rbac import EVERY_NAMESPACE, Grant, allowed, named_resources, service_account_grants
from chartfix.records import field, record

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
    """Kubernetes' common kinds plus the kinds the chart's CRDs define, by every name kubectl takes,
    plus the kinds of custom resources the chart creates without their CRD, by the plural Kubernetes
    derives from the kind (namespaced when the chart puts its objects in a namespace), so that hook
    commands naming them are read; `confirmed_plural` tells which plurals a CRD or a Role confirms."""
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
    for obj in model.objects:
        if obj.origin != "crds" and obj.group not in BUILTIN_GROUPS and obj.kind.lower() not in table:
            _register(table, obj.kind, obj.group, guess_plural(obj.kind), obj.namespace is not None)
    return table


def confirmed_plural(model: ChartModel, kind: str, group: str) -> str | None:
    """The resource name of a kind as its CRD, Kubernetes or a Role of the chart confirms it; None
    when only the derived plural is known (a fix must not rest on a guess)."""
    custom = custom_kinds(model).get(kind)
    if custom is not None:
        return custom.plural
    builtin = BUILTIN_RESOURCES.get(kind.lower())
    if builtin is not None and builtin[1] == group:
        return builtin[2]
    plural = guess_plural(kind)
    return plural if (group, plural) in named_resources(model.objects) else None


@record(frozen=True)
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
    selector: str | None = None  # a delete of those a label selector picks (`-l`)


@record(frozen=True)
class ScaleDown:
    """A `kubectl scale --replicas=0` of a Deployment or StatefulSet that a hook Job runs."""

    kind: str
    namespace: str
    name: str | None


@record(frozen=True)
class UninstallGuard:
    """Objects whose existence makes the hook fail on purpose, refusing the uninstall."""

    kind: str
    group: str
    plural: str
    namespace: str | None  # "*" for all namespaces; None for cluster-scoped kinds
    assumed: bool = False  # read from the Job's RBAC, not from its command


@record
class HookJobAnalysis:
    """What one hook Job does: the deletions and scale-downs its command shows."""

    job: KubeObject
    actions: list[CleanupAction] = field(default_factory=list)
    scale_downs: list[ScaleDown] = field(default_factory=list)
    guards: list[UninstallGuard] = field(default_factory=list)
    opaque: bool = False  # runs a program of its own: no kubectl/oc/curl command seen

    @property
    def service_account(self) -> str:
        return self.job.service_account()


def analyse_hook_job(
    job: KubeObject, resources: Resources | None = None, model: ChartModel | None = None
) -> HookJobAnalysis:
    """What the Job does; with `model`, the scripts it runs from the chart's ConfigMaps count too."""
    resources = resources if resources is not None else BUILTIN_RESOURCES
    analysis = HookJobAnalysis(job)
    namespace = job.namespace or "default"
    mounted = _mounted_files(job, model) if model is not None else {}
    scripts = []
    for container in job.containers():
        script = _script(container)
        script += "".join(f"\n{text}" for path, text in mounted.items() if path in script)
        variables = _env(container)
        variables.update(_assignments(script))
        scripts.append(_unroll_loops(_expand(script, variables)))
    for script in scripts:
        analysis.actions += _kubectl_deletes(script, namespace, resources)
        analysis.actions += _kubectl_finalizer_patches(script, namespace, resources)
        analysis.actions += _api_deletes(script, resources)
        analysis.scale_downs += _kubectl_scale_downs(script, namespace)
        analysis.guards += _kubectl_guards(script, namespace, resources)
    analysis.opaque = not any(re.search(r"\b(kubectl|oc|curl|wget)\b", s) for s in scripts)
    return analysis


def _mounted_files(job: KubeObject, model: ChartModel) -> dict[str, str]:
    """path -> text of every file the pod mounts from a ConfigMap of the chart (whole-volume mounts
    and `items`, `subPath` mounts of one key)."""
    spec = job.pod_spec() or {}
    maps = {
        (o.namespace or "default", o.name): o.body.get("data")
        for o in model.objects
        if o.kind == "ConfigMap" and isinstance(o.body.get("data"), dict)
    }
    volumes: dict[str, dict[str, str]] = {}
    for volume in spec.get("volumes") or []:
        source = volume.get("configMap") if isinstance(volume, dict) else None
        data = (
            maps.get((job.namespace or "default", source.get("name"))) if isinstance(source, dict) else None
        )
        if not isinstance(data, dict):
            continue
        items = source.get("items")
        if isinstance(items, list) and items:
            files = {str(i.get("path")): data.get(i.get("key")) for i in items if isinstance(i, dict)}
        else:
            files = dict(data)
        volumes[str(volume.get("name"))] = {k: v for k, v in files.items() if isinstance(v, str)}
    found: dict[str, str] = {}
    for container in job.containers():
        for mount in container.get("volumeMounts") or []:
            if not isinstance(mount, dict) or str(mount.get("name")) not in volumes:
                continue
            root = str(mount.get("mountPath", "")).rstrip("/")
            files = volumes[str(mount.get("name"))]
            sub_path = mount.get("subPath")
            if isinstance(sub_path, str) and sub_path in files:
                found[root] = files[sub_path]
            elif not sub_path:
                found.update({f"{root}/{key}": text for key, text in files.items()})
    return found


_NONZERO_EXIT = re.compile(r"\bexit\s+(?:[1-9]\d*|\$\{?[A-Za-z_])")


def _kubectl_guards(script: str, job_namespace: str, resources: Resources) -> list[UninstallGuard]:
    """Objects the script lists before it may exit non-zero: what it refuses the uninstall for."""
    if not _NONZERO_EXIT.search(script):
        return []
    found = []
    for match in _KUBECTL_GET.finditer(script.replace("\\\n", " ")):
        line = _parse_command(_command_arguments(match), job_namespace)
        for resource, name in _targets(line):
            known = resources.get(resource.lower())
            if known is None or name is not None or known[1] in _CORE_GROUPS:
                continue
            kind, group, plural, namespaced = known
            namespace = ("*" if line.all_namespaces else line.namespace) if namespaced else None
            found.append(UninstallGuard(kind, group, plural, namespace))
    return list(dict.fromkeys(found))


def assumed_guards(job: KubeObject, grants: list[Grant], resources: Resources) -> list[UninstallGuard]:
    """An opaque Job that may list a custom kind but neither delete nor patch it can only be checking
    whether such objects exist (to refuse the uninstall while they do)."""
    found = []
    for kind, group, plural, namespaced in dict.fromkeys(resources.values()):
        if group in _CORE_GROUPS:
            continue
        scope = EVERY_NAMESPACE if namespaced else None
        lister = allowed(grants, "list", group, plural, scope)
        if lister is None or "*" in lister.groups:  # a grant of every group says nothing of purpose
            continue
        if any(
            allowed(grants, verb, group, plural, scope)
            for verb in ("delete", "deletecollection", "patch", "update")
        ):
            continue
        found.append(UninstallGuard(kind, group, plural, "*" if namespaced else None, assumed=True))
    return found


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


# kubectl's global flags may come before the verb (`kubectl -n ns --ignore-not-found=true delete ...`);
# those taking a separate value are listed so that the value is not read as the verb.
_GLOBAL_FLAGS = r"(?:(?:-n|--namespace|--context|--kubeconfig|-s|--server|--token|--as|--request-timeout)\s+\S+\s+|-\S+\s+)*"


def _kubectl_command(verb: str) -> re.Pattern[str]:
    """`kubectl|oc [global flags] VERB ARGS`: group 1 the flags before the verb, group 2 the rest."""
    return re.compile(rf"\b(?:kubectl|oc)\s+({_GLOBAL_FLAGS}){verb}\s+([^\n;&|)`]*)")


def _command_arguments(match: re.Match[str]) -> str:
    return f"{match.group(2)} {match.group(1)}"


_KUBECTL_DELETE = _kubectl_command("delete")
_KUBECTL_PATCH = _kubectl_command("patch")
_KUBECTL_SCALE = _kubectl_command("scale")
_KUBECTL_GET = _kubectl_command("get")


_REDIRECTION = re.compile(r"^\d*(?:>>?|<)")


@record
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
        if _REDIRECTION.match(token):  # `2>&1`, `>/dev/null`: the shell's, not kubectl's
            pass
        elif token.startswith("--namespace="):
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
    output) or xargs' `{}` stands for every object of the resource."""
    if not line.positional:
        return []
    if "/" in line.positional[0]:
        pairs = [tuple(p.split("/", 1)) for p in line.positional if "/" in p]
    else:
        names = line.positional[1:] or [None]
        pairs = [(r, n) for r in line.positional[0].split(",") for n in names]
    return [(r, None if n is not None and ("$" in n or n == "{}") else n) for r, n in pairs]  # type: ignore[misc]


def _kubectl_deletes(script: str, job_namespace: str, resources: Resources) -> list[CleanupAction]:
    actions = []
    for match in _KUBECTL_DELETE.finditer(script.replace("\\\n", " ")):
        line = _parse_command(_command_arguments(match), job_namespace)
        ignore = "--ignore-not-found" in line.flags or "--ignore-not-found=true" in line.flags
        for resource, name in _targets(line):
            known = resources.get(resource.lower())
            if known is None:
                continue
            kind, group, plural, namespaced = known
            ns: str | None = ("*" if line.all_namespaces else line.namespace) if namespaced else None
            actions.append(
                CleanupAction(
                    kind,
                    group,
                    plural,
                    ns,
                    name,
                    ignore_not_found=ignore or name is None,
                    selector=_selector(line),
                )
            )
    return actions


def _selector(line: _CommandLine) -> str | None:
    for flag in sorted(line.flags):
        for prefix in ("-l=", "--selector="):
            if flag.startswith(prefix):
                return flag.removeprefix(prefix)
    return None


def _kubectl_finalizer_patches(script: str, job_namespace: str, resources: Resources) -> list[CleanupAction]:
    actions = []
    for match in _KUBECTL_PATCH.finditer(script.replace("\\\n", " ")):
        if "finalizers" not in match.group(2):
            continue
        line = _parse_command(_command_arguments(match), job_namespace)
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
        line = _parse_command(_command_arguments(match), job_namespace)
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
