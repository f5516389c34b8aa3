"""CF1001 / CF1002: the pre-delete hook that deletes the Subscriptions and ClusterServiceVersions while
OLM still runs, in every namespace where the chart makes OLM install operators."""

from __future__ import annotations

from typing import Any

from chartfix.analysis.objects import KubeObject
from chartfix.analysis.uninstall import egress_blocked
from chartfix.findings.lint import ChartReport
from chartfix.patch.anchor import Anchor
from chartfix.patch.documents import container, egress_policy_document, hook_name, job_document
from chartfix.patch.errors import PatchError
from chartfix.patch.source import ChartSource

HOOK_TEMPLATE = "templates/chartfix-olm-cleanup.yaml"


OLM_POD_LABEL = "chartfix-olm-cleanup"  # the OLM cleanup Job's pods, for its egress NetworkPolicy


class OlmHookGenerator(Anchor):
    def __init__(
        self, report: ChartReport, model: Any, olm_operator: KubeObject, source: ChartSource
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
        name = hook_name("olm-cleanup")
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
        job = job_document(
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
        return egress_policy_document(name, self.job_namespace, rbac_hook, OLM_POD_LABEL) + "---\n"

    def _containers(self, plural: str, values: str) -> list[str]:
        resource = f"{plural}.operators.coreos.com"
        return [
            container(
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
