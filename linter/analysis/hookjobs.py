"""What a hook Job deletes, read statically from its container command, and whether it can run.

Recognises `kubectl delete` / `oc delete` command lines and raw API calls (`curl -X DELETE
.../api/v1/namespaces/NAME`, `.../apis/GROUP/VERSION/namespaces/NS/PLURAL[/NAME]`), with shell
variables defined in the script or the container's env resolved.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from chartfix.analysis.objects import ChartModel, KubeObject

# resource name or alias -> (kind, API group, plural)
KNOWN_RESOURCES: dict[str, tuple[str, str, str]] = {}


def _register(kind: str, group: str, plural: str, *aliases: str) -> None:
    for alias in (kind.lower(), plural, *aliases):
        KNOWN_RESOURCES[alias] = (kind, group, plural)
        if group:
            KNOWN_RESOURCES[f"{alias}.{group}"] = (kind, group, plural)


_register("Namespace", "", "namespaces", "ns")
_register("ClusterServiceVersion", "operators.coreos.com", "clusterserviceversions", "csv", "csvs")
_register("Subscription", "operators.coreos.com", "subscriptions", "sub", "subs")
_register("InstallPlan", "operators.coreos.com", "installplans", "ip")
_register("CatalogSource", "operators.coreos.com", "catalogsources", "catsrc")
_register("OperatorGroup", "operators.coreos.com", "operatorgroups", "og")
_register("Deployment", "apps", "deployments", "deploy")
_register("CustomResourceDefinition", "apiextensions.k8s.io", "customresourcedefinitions", "crd", "crds")
_register("ValidatingWebhookConfiguration", "admissionregistration.k8s.io", "validatingwebhookconfigurations")
_register("MutatingWebhookConfiguration", "admissionregistration.k8s.io", "mutatingwebhookconfigurations")


@dataclass(frozen=True)
class CleanupAction:
    kind: str
    group: str
    plural: str
    namespace: str | None  # "*" for all namespaces; None for cluster-scoped kinds
    name: str | None  # None: all of them


@dataclass
class HookJobAnalysis:
    job: KubeObject
    actions: list[CleanupAction] = field(default_factory=list)

    @property
    def service_account(self) -> str:
        return self.job.service_account()

    def blocking_problem(self, model: ChartModel, created_hooks: list[KubeObject]) -> str | None:
        """Why the Job could not do its work at its turn in the hook phase, or None."""
        phase_events = self.job.hook.events if self.job.hook else []
        # Release resources still exist during pre-delete; install hooks without a hook-succeeded
        # delete policy were never removed; hooks of this phase exist once created.
        available = [o for o in model.objects if o.origin == "release" and "post-delete" not in phase_events]
        available += [h for h in model.hooks() if _persists_from_install(h)]
        available += [h for h in created_hooks if h is not self.job]
        sa = self.service_account
        if sa != "default" and not any(
            o.kind == "ServiceAccount" and o.name == sa and o.namespace == self.job.namespace
            for o in available
        ):
            return (
                f"its ServiceAccount {self.job.namespace}/{sa} does not exist when it runs, so its pod is "
                "never created and Helm waits until the hook times out"
            )
        for action in self.actions:
            if not can_delete(available, sa, self.job.namespace or "", action):
                return f"ServiceAccount {self.job.namespace}/{sa} is not allowed to delete {action.plural}"
        return None


def _persists_from_install(hook: KubeObject) -> bool:
    if hook.hook is None or not {"pre-install", "post-install"} & set(hook.hook.events):
        return False
    return "hook-succeeded" not in hook.hook.delete_policies


def analyse_hook_job(job: KubeObject) -> HookJobAnalysis:
    analysis = HookJobAnalysis(job)
    namespace = job.namespace or "default"
    for container in job.containers():
        script = _script(container)
        variables = _env(container)
        variables.update(_assignments(script))
        script = _expand(script, variables)
        analysis.actions += _kubectl_deletes(script, namespace)
        analysis.actions += _api_deletes(script)
    return analysis


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


_KUBECTL_DELETE = re.compile(r"\b(?:kubectl|oc)\s+delete\s+([^\n;&|]*)")


def _kubectl_deletes(script: str, job_namespace: str) -> list[CleanupAction]:
    actions = []
    for match in _KUBECTL_DELETE.finditer(script.replace("\\\n", " ")):
        try:
            tokens = shlex.split(match.group(1), comments=True)
        except ValueError:
            tokens = match.group(1).split()
        namespace, all_namespaces, positional = job_namespace, False, []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token in ("-n", "--namespace") and i + 1 < len(tokens):
                namespace = tokens[i + 1]
                i += 2
                continue
            if token.startswith("--namespace="):
                namespace = token.split("=", 1)[1]
            elif token in ("-A", "--all-namespaces"):
                all_namespaces = True
            elif not token.startswith("-"):
                positional.append(token)
            i += 1
        if not positional:
            continue
        targets: list[tuple[str, str | None]] = []
        if "/" in positional[0]:
            targets = [tuple(p.split("/", 1)) for p in positional if "/" in p]  # type: ignore[misc]
        else:
            names = positional[1:] or [None]
            targets = [(r, n) for r in positional[0].split(",") for n in names]
        for resource, name in targets:
            known = KNOWN_RESOURCES.get(resource.lower())
            if known is None:
                continue
            kind, group, plural = known
            ns: str | None = "*" if all_namespaces else namespace
            if kind in ("Namespace", "CustomResourceDefinition") or kind.endswith("WebhookConfiguration"):
                ns = None
            actions.append(CleanupAction(kind, group, plural, ns, name))
    return actions


_CORE_NAMESPACE_URL = re.compile(r"/api/v1/namespaces/([a-z0-9.-]+)/?(?=[\s\"'`)]|$)")
_GROUP_URL = re.compile(r"/apis/([a-z0-9.-]+)/[a-z0-9]+/namespaces/([a-z0-9.-]+)/([a-z]+)(?:/([a-z0-9.-]+))?")


def _api_deletes(script: str) -> list[CleanupAction]:
    if not re.search(r"(-X\s*|--request\s+)DELETE\b", script):
        return []
    actions = []
    for match in _CORE_NAMESPACE_URL.finditer(script):
        actions.append(CleanupAction("Namespace", "", "namespaces", None, match.group(1)))
    for match in _GROUP_URL.finditer(script):
        group, namespace, plural, name = match.groups()
        known = KNOWN_RESOURCES.get(plural)
        if known:
            actions.append(CleanupAction(known[0], group, plural, namespace, name))
    unique = []
    for action in actions:
        if action not in unique:
            unique.append(action)
    return unique


def can_delete(
    objects: list[KubeObject], service_account: str, sa_namespace: str, action: CleanupAction
) -> bool:
    """RBAC: does some (Cluster)RoleBinding among `objects` let the account delete `action`'s target?"""
    verbs_needed = {"delete", "deletecollection"} if action.name is None else {"delete"}
    for binding in objects:
        if binding.kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        if not _binds(binding, service_account, sa_namespace):
            continue
        role_ref = binding.body.get("roleRef") or {}
        role_kind, role_name = role_ref.get("kind"), role_ref.get("name")
        role_ns = binding.namespace if role_kind == "Role" else None
        role = next(
            (o for o in objects if o.kind == role_kind and o.name == role_name and o.namespace == role_ns),
            None,
        )
        if role is None:
            continue
        if binding.kind == "RoleBinding" and action.namespace != binding.namespace:
            continue
        if _rules_allow(role.body.get("rules") or [], action, verbs_needed):
            return True
    return False


def _binds(binding: KubeObject, service_account: str, sa_namespace: str) -> bool:
    for subject in binding.body.get("subjects") or []:
        if not isinstance(subject, dict):
            continue
        if (
            subject.get("kind") == "ServiceAccount"
            and subject.get("name") == service_account
            and (subject.get("namespace") or binding.namespace) == sa_namespace
        ):
            return True
        if subject.get("kind") == "Group" and subject.get("name") in (
            "system:serviceaccounts",
            f"system:serviceaccounts:{sa_namespace}",
        ):
            return True
    return False


def _rules_allow(rules: list, action: CleanupAction, verbs_needed: set[str]) -> bool:
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        groups = rule.get("apiGroups") or []
        resources = rule.get("resources") or []
        verbs = rule.get("verbs") or []
        if not ("*" in groups or action.group in groups):
            continue
        if not ("*" in resources or action.plural in resources):
            continue
        names = rule.get("resourceNames") or []
        if names and (action.name is None or action.name not in names):
            continue
        if "*" in verbs or verbs_needed & set(verbs):
            return True
    return False
