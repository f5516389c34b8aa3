"""The check bound to each rule id of catalog.yaml. CF1009 (values schema) and CF1010 (chart version)
are reported by the lint driver, which sees loading and values errors before any object exists;
CF1001's check also reports CF1002."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from chartfix.rules import checks, mechanisms
from chartfix.rules.context import LintContext
from chartfix.rules.finding import Finding

CHECKS: dict[str, Callable[[LintContext], Iterator[Finding]]] = {
    "CF1001": checks.check_olm_bundled,
    "CF1003": checks.check_cleanup_hooks,
    "CF1004": checks.check_crds_in_templates,
    "CF1005": checks.check_olm_unconditional,
    "CF1006": mechanisms.check_operator_finalizers,
    "CF1007": mechanisms.check_webhooks_outlive,
    "CF1008": checks.check_role_refs,
    "CF1011": mechanisms.check_user_instances,
    "CF1012": mechanisms.check_webhooks_reject_deletes,
    "CF1013": mechanisms.check_apiservices,
    "CF1014": mechanisms.check_delete_hooks_run,
    "CF1015": mechanisms.check_olm_operators_outlive,
}
