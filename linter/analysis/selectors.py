"""Which objects select which: label selectors, Services and the pods behind them, and the Service a
webhook or an APIService calls."""

from __future__ import annotations

import re

from chartfix.analysis.objects import KubeObject

ServiceRef = tuple[str | None, str | None]  # (namespace, name) as written


def labels_match(selector: dict, labels: dict) -> bool:
    """A plain `key: value` selector (a Service's, a LabelSelector's matchLabels) against labels."""
    return all(str(labels.get(k)) == str(v) for k, v in selector.items())


def label_selector_matches(selector: dict, labels: dict) -> bool:
    """A metav1.LabelSelector against labels (an empty selector selects everything)."""
    match_labels = selector.get("matchLabels") or {}
    if isinstance(match_labels, dict) and not labels_match(match_labels, labels):
        return False
    for expression in selector.get("matchExpressions") or []:
        if not isinstance(expression, dict):
            continue
        key, operator = expression.get("key"), expression.get("operator")
        values = [str(v) for v in expression.get("values") or []]
        value = labels.get(key)
        if operator == "In" and (value is None or str(value) not in values):
            return False
        if operator == "NotIn" and value is not None and str(value) in values:
            return False
        if operator == "Exists" and value is None:
            return False
        if operator == "DoesNotExist" and value is not None:
            return False
    return True


_SET_TERM = re.compile(r"^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$")
_EQUALITY_TERM = re.compile(r"^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$")
_EXISTS_TERM = re.compile(r"^(!?)([\w./-]+)$")


def parse_selector(text: str) -> dict | None:
    """A label selector as kubectl's `-l` takes it (`a=b,c!=d,e in (f,g),!h`) as a metav1.LabelSelector,
    or None when it is not one."""
    selector: dict = {"matchLabels": {}, "matchExpressions": []}
    for term in (t.strip() for t in re.split(r",(?![^(]*\))", text)):
        if match := _SET_TERM.match(term):
            key, operator, values = match.groups()
            selector["matchExpressions"].append(
                {
                    "key": key,
                    "operator": "In" if operator == "in" else "NotIn",
                    "values": [v.strip() for v in values.split(",") if v.strip()],
                }
            )
        elif match := _EQUALITY_TERM.match(term):
            key, operator, value = match.groups()
            if operator == "!=":
                selector["matchExpressions"].append({"key": key, "operator": "NotIn", "values": [value]})
            else:
                selector["matchLabels"][key] = value
        elif match := _EXISTS_TERM.match(term):
            negated, key = match.groups()
            selector["matchExpressions"].append(
                {"key": key, "operator": "DoesNotExist" if negated else "Exists"}
            )
        else:
            return None
    return selector


def selector_text(labels: dict) -> str:
    """kubectl's `-l` form of an equality selector."""
    return ",".join(f"{key}={value}" for key, value in labels.items())


def service_selects(service: KubeObject, workload: KubeObject) -> bool:
    """The Service sends its traffic to the workload's pods (a Service without selector selects none)."""
    selector = service.spec.get("selector")
    return (
        isinstance(selector, dict)
        and bool(selector)
        and service.namespace == workload.namespace
        and labels_match(selector, workload.pod_labels())
    )


def webhook_service(webhook: dict) -> ServiceRef | None:
    """The Service one webhook of a webhook configuration calls (None: a URL)."""
    client = webhook.get("clientConfig")
    service = client.get("service") if isinstance(client, dict) else None
    return (service.get("namespace"), service.get("name")) if isinstance(service, dict) else None


def registration_services(registration: KubeObject) -> list[ServiceRef]:
    """The Services a webhook configuration's webhooks or an APIService call."""
    if registration.kind == "APIService":
        service = registration.spec.get("service")
        return [(service.get("namespace"), service.get("name"))] if isinstance(service, dict) else []
    refs = (webhook_service(w) for w in registration.body.get("webhooks") or [] if isinstance(w, dict))
    return [ref for ref in refs if ref is not None]
