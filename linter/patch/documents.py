"""The objects of a generated pre-delete hook as template text: its Job (bounded by values, restricted
Pod Security, steps in order), its RBAC rules and the NetworkPolicy that lets it reach the API server."""

from __future__ import annotations


def hook_name(suffix: str) -> str:
    """Unique per release and namespace (cluster-scoped objects included), at most 63 characters."""
    return (
        '{{ printf "%s-%s" ($.Release.Name | trunc 36 | trimSuffix "-") '
        '(printf "%s/%s" $.Release.Namespace $.Release.Name | sha256sum | trunc 8) }}-' + suffix
    )


def rbac_rules(rules: list[tuple[str, str, list[str], str | None]]) -> str:
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


def egress_policy_document(name: str, namespace: str, hook: str, pod_label: str) -> str:
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


def job_document(
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


def container(name: str, args: list[str], values: str) -> str:
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
