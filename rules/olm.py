"""Recognise a chart that bundles OLM v0 and work out which OLM version it installs."""

from __future__ import annotations

import re

import semver

from chartfix.analysis.controllers import RepositoryPattern
from chartfix.analysis.objects import ChartModel, KubeObject, split_image
from chartfix.records import field, record
from chartfix.rules.knowledge import olm_knowledge


@record
class VersionSignal:
    """An OLM version read from the chart, and where."""

    version: semver.Version | None  # None: unknown
    floating: bool
    source: str  # where it was read, e.g. "image quay.io/operator-framework/olm:v0.27.0 (Deployment olm/olm-operator)"
    obj: KubeObject | None = None


@record
class OlmBundle:
    """OLM v0 shipped by the chart: its controller workloads and what we know of its version."""

    olm_operator: KubeObject | None
    workloads: list[KubeObject]
    signals: list[VersionSignal] = field(default_factory=list)

    @property
    def namespace(self) -> str | None:
        anchor = self.olm_operator or (self.workloads[0] if self.workloads else None)
        return anchor.namespace if anchor else None

    def effective_version(self) -> VersionSignal | None:
        """The version to reason with. The olm-operator's own image decides (it serves the
        finalizer); without one, any floating tag means the newest release, else the highest pinned
        version seen (the safe assumption when signals disagree)."""
        operator_signals = [s for s in self.signals if s.obj is not None and s.obj is self.olm_operator]
        candidates = operator_signals or self.signals
        if not candidates:
            return None
        floating = [s for s in candidates if s.floating]
        if floating:
            return floating[0]
        known = [s for s in candidates if s.version is not None]
        if not known:
            return candidates[0]
        return max(known, key=lambda s: s.version)  # type: ignore[arg-type,return-value]

    def has_csv_finalizer(self) -> bool:
        """True when the installed OLM puts csv-cleanup on CSVs (unknown version: assume it does)."""
        chosen = self.effective_version()
        if chosen is None or chosen.version is None:
            return True
        return chosen.version >= finalizer_since()

    def disagreement(self) -> str | None:
        versions = {
            str(s.version) if s.version else ("newest (floating tag)" if s.floating else "unknown")
            for s in self.signals
        }
        if len(versions) <= 1:
            return None
        return "version signals disagree: " + "; ".join(f"{s.source} says {_say(s)}" for s in self.signals)

    def version_text(self) -> str:
        chosen = self.effective_version()
        return _say(chosen) if chosen else "unknown version"


def _say(signal: VersionSignal) -> str:
    if signal.floating:
        return f"newest ({_newest()}, floating tag)"
    return f"v{signal.version}" if signal.version else "unknown version"


def finalizer_since() -> semver.Version:
    return semver.Version.parse(olm_knowledge()["finalizer"]["introduced_in"])


def _newest() -> str:
    return "v" + olm_knowledge()["newest_known_release"]


def find_olm_bundle(model: ChartModel, chart_app_version: str = "") -> OlmBundle | None:
    """The chart's OLM installation, if it ships one (not merely Subscriptions to an existing OLM)."""
    knowledge = olm_knowledge()
    signatures = knowledge["bundle_signatures"]
    by_name = {d["name"]: d for d in signatures["deployments"]}
    by_command = {d["command"]: d for d in signatures["deployments"]}
    image_patterns = [RepositoryPattern(p) for p in signatures["image_repositories"]]
    workloads: list[KubeObject] = []
    olm_operator = None
    for obj in model.release():
        if obj.kind not in ("Deployment", "StatefulSet", "DaemonSet"):
            continue
        role = _olm_role(obj, by_name, by_command, image_patterns)
        if role is None:
            continue
        workloads.append(obj)
        if role == knowledge["finalizer"]["served_by"] and olm_operator is None:
            olm_operator = obj
    if not workloads:
        return None
    bundle = OlmBundle(olm_operator=olm_operator, workloads=workloads)
    for obj in workloads:
        for image in obj.images():
            repository, tag, digest = split_image(image)
            if not any(p.search(repository) for p in image_patterns):
                continue
            bundle.signals.append(_image_signal(image, tag, digest, obj))
    for csv in model.of_kind("ClusterServiceVersion"):
        label = csv.labels.get("olm.version")
        if isinstance(label, str) and label:
            bundle.signals.append(_version_text_signal(label, f"label olm.version on {csv.ref()}", csv))
    if chart_app_version and not bundle.signals:
        bundle.signals.append(_version_text_signal(chart_app_version, "Chart.yaml appVersion", None))
    return _dedupe_signals(bundle)


def _olm_role(
    obj: KubeObject, by_name: dict, by_command: dict, image_patterns: list[RepositoryPattern]
) -> str | None:
    for container in obj.containers():
        command = container.get("command")
        if isinstance(command, list) and command and command[0] in by_command:
            return by_command[command[0]]["role"]
    uses_olm_image = any(any(p.search(split_image(i)[0]) for p in image_patterns) for i in obj.images())
    if obj.name in by_name and uses_olm_image:
        return by_name[obj.name]["role"]
    return None


def _image_signal(image: str, tag: str | None, digest: str | None, obj: KubeObject) -> VersionSignal:
    where = f"image {image} ({obj.ref()})"
    knowledge = olm_knowledge()
    if digest:
        known = knowledge["release_digests"].get(digest)
        if known:
            return VersionSignal(
                semver.Version.parse(known["version"]), False, f"{where}, a known release digest", obj
            )
        if not tag:
            return VersionSignal(None, False, f"{where}, an unknown digest", obj)
    if tag is None or tag in knowledge["floating_tags"]:
        return VersionSignal(None, True, where, obj)
    return _version_text_signal(tag, where, obj)


def _version_text_signal(text: str, where: str, obj: KubeObject | None) -> VersionSignal:
    match = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", text.strip())
    if not match:
        return VersionSignal(None, False, where, obj)
    major, minor, patch = (int(g) if g else 0 for g in match.groups())
    if (major, minor, patch) == (0, 0, 0):  # development placeholders such as 0.0.0-dev
        return VersionSignal(None, False, f"{where} ({text})", obj)
    return VersionSignal(semver.Version(major, minor, patch), False, where, obj)


def _dedupe_signals(bundle: OlmBundle) -> OlmBundle:
    seen: set[tuple[str, bool]] = set()
    unique = []
    for signal in bundle.signals:
        key = (str(signal.version), signal.floating)
        if key not in seen:
            seen.add(key)
            unique.append(signal)
    bundle.signals = unique
    return bundle
