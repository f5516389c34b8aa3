"""What a ServiceAccount may do, read from the Roles, ClusterRoles and bindings a chart renders.

Follows Kubernetes' RBAC authorizer: a RoleBinding grants its role's rules in the binding's namespace,
a ClusterRoleBinding grants them everywhere; `*` matches any group, resource or verb; `resourceNames`
narrows a rule to named objects; a resource may name a subresource (`widgets/finalizers`).
Roles defined outside the chart are unknown: a binding to one grants nothing here.
"""

from __future__ import annotations

from chartfix.analysis.objects import KubeObject
from chartfix.analysis.selectors import label_selector_matches
from chartfix.records import record

ALL_NAMESPACES = "*"
# Asks whether a grant reaches every namespace: only cluster-wide grants match it.
EVERY_NAMESPACE = "\0every namespace"


@record(frozen=True)
class Grant:
    """One rule of a role, as bound to an account: `namespace` is where it applies ("*": everywhere)."""

    groups: tuple[str, ...]
    resources: tuple[str, ...]
    verbs: tuple[str, ...]
    names: tuple[str, ...]
    namespace: str
    role: str  # "ClusterRole x" / "Role ns/x", for messages

    def allows(self, verb: str, group: str, resource: str, namespace: str | None, name: str | None) -> bool:
        """`namespace` None: a cluster-scoped object, which only cluster-wide grants reach."""
        if self.namespace != ALL_NAMESPACES and namespace != self.namespace:
            return False
        if "*" not in self.verbs and verb not in self.verbs:
            return False
        if "*" not in self.groups and group not in self.groups:
            return False
        if not _resource_matches(self.resources, resource):
            return False
        return not self.names or (name is not None and name in self.names)


def _resource_matches(resources: tuple[str, ...], wanted: str) -> bool:
    if "*" in resources or wanted in resources:
        return True
    base, _, sub = wanted.partition("/")
    return bool(sub) and (f"{base}/*" in resources or f"*/{sub}" in resources)


# Kubernetes' default ClusterRole that allows everything; the other defaults (admin, edit, view) are
# namespaced and never allow what the uninstall model asks about (CRDs, webhooks, APIServices).
CLUSTER_ADMIN = "cluster-admin"


def service_account_grants(objects: list[KubeObject], account: str, account_namespace: str) -> list[Grant]:
    """Every rule bound to ServiceAccount `account_namespace/account` by the given objects."""
    roles = {(o.kind, o.namespace, o.name): o for o in objects if o.kind in ("Role", "ClusterRole")}
    cluster_roles = [o for o in objects if o.kind == "ClusterRole"]
    grants: list[Grant] = []
    for binding in objects:
        if binding.kind not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        if not binds_account(binding, account, account_namespace):
            continue
        role_ref = binding.body.get("roleRef")
        if not isinstance(role_ref, dict):
            continue
        role_kind, role_name = role_ref.get("kind"), role_ref.get("name")
        role_namespace = binding.namespace if role_kind == "Role" else None
        scope = (binding.namespace if binding.kind == "RoleBinding" else ALL_NAMESPACES) or ALL_NAMESPACES
        role = roles.get((role_kind, role_namespace, role_name))
        if role is None:
            if role_kind == "ClusterRole" and role_name == CLUSTER_ADMIN:
                grants.append(Grant(("*",), ("*",), ("*",), (), scope, f"ClusterRole {CLUSTER_ADMIN}"))
            continue
        grants += _rules_as_grants(role, scope, cluster_roles)
    return grants


def binds_account(binding: KubeObject, account: str, account_namespace: str) -> bool:
    for subject in binding.body.get("subjects") or []:
        if not isinstance(subject, dict):
            continue
        if (
            subject.get("kind") == "ServiceAccount"
            and subject.get("name") == account
            and (subject.get("namespace") or binding.namespace) == account_namespace
        ):
            return True
        if subject.get("kind") == "Group" and subject.get("name") in (
            "system:serviceaccounts",
            f"system:serviceaccounts:{account_namespace}",
        ):
            return True
    return False


def _rules_as_grants(role: KubeObject, scope: str, cluster_roles: list[KubeObject]) -> list[Grant]:
    label = f"{role.kind} {role.namespace}/{role.name}" if role.namespace else f"{role.kind} {role.name}"
    grants = []
    for rule in _role_rules(role, cluster_roles):
        if not isinstance(rule, dict):
            continue
        grants.append(
            Grant(
                groups=_strings(rule.get("apiGroups")),
                resources=_strings(rule.get("resources")),
                verbs=_strings(rule.get("verbs")),
                names=_strings(rule.get("resourceNames")),
                namespace=scope,
                role=label,
            )
        )
    return grants


def _role_rules(role: KubeObject, cluster_roles: list[KubeObject]) -> list:
    """A role's rules; an aggregated ClusterRole's are those of the ClusterRoles its selectors pick
    (the controller-manager fills them in at run time)."""
    rules = list(role.body.get("rules") or [])
    aggregation = role.body.get("aggregationRule")
    if role.kind == "ClusterRole" and isinstance(aggregation, dict):
        for selector in aggregation.get("clusterRoleSelectors") or []:
            if not isinstance(selector, dict):
                continue
            for other in cluster_roles:
                if other is not role and label_selector_matches(selector, other.labels):
                    rules += list(other.body.get("rules") or [])
    return rules


def named_resources(objects: list[KubeObject]) -> set[tuple[str, str]]:
    """(API group, resource) pairs a Role or ClusterRole of the chart names explicitly (wildcards
    name nothing)."""
    found = set()
    for role in objects:
        if role.kind not in ("Role", "ClusterRole"):
            continue
        for rule in role.body.get("rules") or []:
            if isinstance(rule, dict):
                groups, resources = _strings(rule.get("apiGroups")), _strings(rule.get("resources"))
                found |= {(g, r) for g in groups for r in resources if "*" not in (g, r)}
    return found


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def allowed(
    grants: list[Grant], verb: str, group: str, resource: str, namespace: str | None, name: str | None = None
) -> Grant | None:
    """The first grant that allows the request, or None."""
    return next((g for g in grants if g.allows(verb, group, resource, namespace, name)), None)


def owns_group(grants: list[Grant], verbs: tuple[str, ...], group: str) -> Grant | None:
    """A grant of one of `verbs` on every resource of `group`, named explicitly: the mark of the
    controller of that API group."""
    for grant in grants:
        if grant.names or "*" in grant.groups or "*" not in grant.resources or group not in grant.groups:
            continue
        if "*" in grant.verbs or any(verb in grant.verbs for verb in verbs):
            return grant
    return None


def allowed_anywhere(grants: list[Grant], verbs: tuple[str, ...], group: str, resource: str) -> Grant | None:
    """A grant allowing one of `verbs` on `resource` in some namespace or cluster-wide, naming the
    group and the resource explicitly: a grant of everything is no sign of what a controller manages."""
    for grant in grants:
        if grant.names or "*" in grant.groups or "*" in grant.resources:
            continue
        if ("*" in grant.verbs or any(verb in grant.verbs for verb in verbs)) and (
            group in grant.groups and _resource_matches(grant.resources, resource)
        ):
            return grant
    return None
