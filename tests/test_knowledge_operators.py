"""Shape and sanity checks for rules/knowledge/operators.yaml (operator families and finalizers)."""

import json
import re
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from chartfix.analysis.controllers import RepositoryPattern

KNOWLEDGE_FILE = Path(__file__).resolve().parents[1] / "rules" / "knowledge" / "operators.yaml"

ENTRY_KEYS = {"id", "name", "controller", "finalized_kinds", "evidence", "confidence"}
CONTROLLER_KEYS = {"images", "deployment_names"}
KIND_KEYS = {"group", "kind", "finalizers", "scope", "since"}
OPTIONAL_KIND_KEYS = {"note", "until"}
EVIDENCE_KEYS = {"url", "note"}

# Image repositories (tag stripped) seen in the corpus charts or the operators' own manifests,
# with the one family whose controller they run.
SAMPLE_CONTROLLER_IMAGES = {
    "quay.io/operator-framework/olm": "olm-v0",
    "registry.example.com/quay.io-operator-framework-olm": "olm-v0",
    "docker.io/bitnami/rabbitmq-cluster-operator": "rabbitmq-cluster-operator",
    "quay.io/rabbitmqoperator/cluster-operator": "rabbitmq-cluster-operator",
    "docker.io/bitnami/rmq-messaging-topology-operator": "rabbitmq-messaging-topology-operator",
    "ghcr.io/kedacore/keda": "keda",
    "docker.io/bitnami/grafana-operator": "grafana-operator",
    "ghcr.io/grafana/grafana-operator": "grafana-operator",
    "docker.io/bitnami/clickhouse-operator": "clickhouse-operator",
    "altinity/clickhouse-operator": "clickhouse-operator",
    "docker.io/bitnami/cloudnative-pg": "cloudnative-pg",
    "ghcr.io/external-secrets/external-secrets": "external-secrets",
    "quay.io/prometheus-operator/prometheus-operator": "prometheus-operator",
    "docker.io/bitnami/prometheus-operator": "prometheus-operator",
    "ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator": "opentelemetry-operator",
    "quay.io/argoproj/argocd": "argo-cd",
    "xpkg.crossplane.io/crossplane/crossplane": "crossplane",
    "docker.io/rook/ceph": "rook-ceph",
    "quay.io/cephcsi/ceph-csi-operator": "ceph-csi-operator",
    "quay.io/argoproj/argo-events": "argo-events",
    "quay.io/argoproj/workflow-controller": "argo-workflows",
}

# Images that run next to an operator but are not the finalizing controller.
SAMPLE_NON_CONTROLLER_IMAGES = [
    "ghcr.io/kedacore/keda-admission-webhooks",
    "ghcr.io/kedacore/keda-metrics-apiserver",
    "docker.io/bitnami/grafana",
    "docker.io/bitnami/rabbitmq",
    "docker.io/bitnami/clickhouse",
    "quay.io/prometheus-operator/prometheus-config-reloader",
    "quay.io/prometheus-operator/admission-webhook",
    "ghcr.io/open-telemetry/opentelemetry-operator/operator-opamp-bridge",
    "quay.io/cephcsi/cephcsi",
    "quay.io/argoproj/argocli",
    "quay.io/operator-framework/configmap-operator-registry",
]


def load_operators() -> list[dict]:
    data = YAML(typ="safe").load(KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    assert set(data) == {"operators"}
    assert isinstance(data["operators"], list)
    return data["operators"]


OPERATORS = load_operators()


def families_matching(image: str) -> set[str]:
    return {
        entry["id"]
        for entry in OPERATORS
        if any(re.search(pattern, image) for pattern in entry["controller"]["images"])
    }


def test_validates_against_the_rule_pack_schema():
    schema_file = KNOWLEDGE_FILE.parents[1] / "knowledge.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    data = YAML(typ="safe").load(KNOWLEDGE_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(data, {**schema, "$ref": "#/$defs/operators"})


def test_at_least_six_families_beyond_olm():
    non_olm = [entry for entry in OPERATORS if not entry["id"].startswith("olm-")]
    assert len(non_olm) >= 6


def test_ids_are_unique_slugs():
    ids = [entry["id"] for entry in OPERATORS]
    assert len(ids) == len(set(ids))
    for entry_id in ids:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry_id), entry_id


@pytest.mark.parametrize("entry", OPERATORS, ids=lambda entry: entry["id"])
def test_entry_shape(entry):
    assert set(entry) == ENTRY_KEYS
    assert isinstance(entry["name"], str) and entry["name"]
    assert entry["confidence"] in {"high", "low"}

    controller = entry["controller"]
    assert set(controller) <= CONTROLLER_KEYS and "images" in controller
    assert controller["images"], "a controller needs at least one image pattern"
    for name in controller.get("deployment_names", []):
        assert isinstance(name, str) and name

    assert entry["finalized_kinds"], "a family without finalized kinds does not belong here"
    for finalized in entry["finalized_kinds"]:
        assert KIND_KEYS <= set(finalized) <= KIND_KEYS | OPTIONAL_KIND_KEYS
        assert isinstance(finalized["group"], str) and "." in finalized["group"]
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", finalized["kind"])
        assert finalized["scope"] in {"every-instance", "conditional"}
        assert finalized["since"] is None or re.fullmatch(r"\d+\.\d+\.\d+", finalized["since"])
        assert finalized["finalizers"]
        for finalizer in finalized["finalizers"]:
            assert isinstance(finalizer, str)
            assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._\-/]*", finalizer), finalizer

    assert entry["evidence"]
    for item in entry["evidence"]:
        assert set(item) == EVIDENCE_KEYS
        assert item["url"].startswith("https://")
        assert isinstance(item["note"], str) and item["note"]


@pytest.mark.parametrize("entry", OPERATORS, ids=lambda entry: entry["id"])
def test_image_patterns_compile(entry):
    for pattern in entry["controller"]["images"]:
        re.compile(pattern)


@pytest.mark.parametrize("entry", OPERATORS, ids=lambda entry: entry["id"])
def test_conditional_kinds_state_their_condition(entry):
    for kind in entry["finalized_kinds"]:
        if kind["scope"] == "conditional":
            assert isinstance(kind.get("note"), str) and kind["note"], kind["kind"]


def test_kinds_are_not_listed_twice_within_a_family():
    for entry in OPERATORS:
        # the same kind twice only for different version ranges (since / until)
        keys = [(kind["group"], kind["kind"], kind["since"]) for kind in entry["finalized_kinds"]]
        assert len(keys) == len(set(keys)), entry["id"]


@pytest.mark.parametrize("image,family", sorted(SAMPLE_CONTROLLER_IMAGES.items()))
def test_controller_images_match_exactly_one_family(image, family):
    assert families_matching(image) == {family}


@pytest.mark.parametrize("image", SAMPLE_NON_CONTROLLER_IMAGES)
def test_sidecar_and_operand_images_match_no_family(image):
    assert families_matching(image) == set()


def test_known_finalizer_strings():
    finalizers = {
        (entry["id"], kind["kind"]): kind["finalizers"]
        for entry in OPERATORS
        for kind in entry["finalized_kinds"]
    }
    assert finalizers[("olm-v0", "ClusterServiceVersion")] == ["operators.coreos.com/csv-cleanup"]
    assert finalizers[("rabbitmq-cluster-operator", "RabbitmqCluster")] == [
        "deletion.finalizers.rabbitmqclusters.rabbitmq.com"
    ]
    assert finalizers[("keda", "ScaledObject")] == ["finalizer.keda.sh"]
    assert "resources-finalizer.argocd.argoproj.io" in finalizers[("argo-cd", "Application")]
    assert finalizers[("rook-ceph", "CephCluster")] == ["cephcluster.ceph.rook.io"]


def _every_image_pattern() -> list[str]:
    patterns = [p for entry in OPERATORS for p in entry["controller"]["images"]]
    data = json.loads((KNOWLEDGE_FILE.parent.parent / "rule_data.json").read_text())
    patterns += data["olm"]["bundle_signatures"]["image_repositories"]
    patterns += [p for entry in data["registrations"]["registrations"] for p in entry["images"]]
    return patterns


def test_repository_patterns_match_as_their_regular_expressions():
    """RepositoryPattern matches `(^|/)path$` patterns as path suffixes without compiling them: the
    same answers as re.search, including at the edges of `^`, `/` and `$`."""
    patterns = [*_every_image_pattern(), r"(^|/)a\.b$", r"operator$", r"^(x|y)/z$"]
    repositories = [*SAMPLE_CONTROLLER_IMAGES, *SAMPLE_NON_CONTROLLER_IMAGES, "a.b", "axb", "x/a.b", "xa.b"]
    for pattern in patterns:
        suffix = pattern.removeprefix("(^|/)").removesuffix("$").replace("\\.", ".")
        probes = [
            *repositories,
            suffix,
            f"host/{suffix}",
            f"x{suffix}",
            f"{suffix}/x",
            f"{suffix}\n",
            f"{suffix}\n\n",
            f"\n{suffix}",
            f"/{suffix}",
        ]
        matcher = RepositoryPattern(pattern)
        for repository in probes:
            assert matcher.search(repository) == bool(re.search(pattern, repository)), (pattern, repository)
