"""What every check sees: one rendered scenario of a chart, with the uninstall model built once.

The model is built from the chart alone (controllers and what they finalize from RBAC, CRDs and
manifests; what hook Jobs do; what controllers create at run time); the knowledge data adds
confirmation and finalizer names. Simulations are cached per (Helm major, what is assumed).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, cached_property
from typing import Any

import semver

from chartfix.analysis.controllers import (
    Evidence,
    FinalizerDuty,
    KnownFinalizers,
    KnownRegistrations,
    RepositoryPattern,
    RuntimeObject,
    finalizer_duties,
    runtime_registrations,
)
from chartfix.analysis.hookjobs import HookJobAnalysis, Resources, analyse_hook_job, chart_resources
from chartfix.analysis.objects import ChartModel, KubeObject
from chartfix.analysis.uninstall import Simulation, simulate_uninstall
from chartfix.errors import Position
from chartfix.records import field, record
from chartfix.rules import catalog
from chartfix.rules.finding import Finding
from chartfix.rules.knowledge import olm_knowledge, operator_knowledge, registration_knowledge
from chartfix.rules.olm import OlmBundle, find_olm_bundle

SEVERITY_OF_LEVEL = {"confirmed": "error", "inferred": "warning", "possible": "info"}


@record
class LintContext:
    """What every check sees: one scenario's model, with the uninstall model built once."""

    chart_label: str
    model: ChartModel
    scenario: str
    app_version: str = ""
    guards: Callable[[KubeObject], list[str]] | None = None  # template conditions around an object
    helm_major: int = 4
    extra: dict[str, Any] = field(default_factory=dict)  # the driver's own data (the Scenario, derived)
    # (Helm major, ids of duties, ids of run-time objects) -> (the lists, kept alive so that their ids
    # stay unique, and the simulation)
    _simulations: dict[tuple, tuple[list, list, Simulation]] = field(default_factory=dict, repr=False)

    @cached_property
    def olm(self) -> OlmBundle | None:
        return find_olm_bundle(self.model, self.app_version)

    @cached_property
    def resources(self) -> Resources:
        return chart_resources(self.model)

    @cached_property
    def hook_jobs(self) -> dict[int, HookJobAnalysis]:
        return {
            id(h): analyse_hook_job(h, self.resources, self.model)
            for h in self.model.hooks()
            if h.kind in ("Job", "Pod")
        }

    @cached_property
    def duties(self) -> list[FinalizerDuty]:
        """Finalizers the release's controllers must clear, OLM's CSV finalizer excepted (CF1001/CF1002)."""
        olm_operator = self.olm.olm_operator if self.olm else None
        return [d for d in finalizer_duties(self.model, known_finalizers()) if d.workload is not olm_operator]

    def olm_duties(self, assume_finalizer: bool = False) -> list[FinalizerDuty]:
        """olm-operator's duty to clear the CSV finalizer (when the OLM it installs adds it, or always
        with `assume_finalizer`). The same list on every call, so simulations of it are cached."""
        bundle = self.olm
        if bundle is None or bundle.olm_operator is None:
            return []
        if not (assume_finalizer or bundle.has_csv_finalizer()):
            return []
        return self._olm_duty

    @cached_property
    def _olm_duty(self) -> list[FinalizerDuty]:
        bundle = self.olm
        assert bundle is not None and bundle.olm_operator is not None
        finalizer = olm_knowledge()["finalizer"]
        return [
            FinalizerDuty(
                bundle.olm_operator,
                olm_knowledge()["api_group"],
                finalizer["kind"],
                (finalizer["name"],),
                True,
                Evidence(
                    "confirmed", f"OLM {bundle.version_text()} adds it to every CSV", finalizer["evidence"]
                ),
                family=f"OLM {bundle.version_text()}",
            )
        ]

    @cached_property
    def olm_runtime(self) -> list[RuntimeObject]:
        """What OLM creates from the release's Subscriptions (olm.yaml `runtime_objects`)."""
        bundle = self.olm
        creator = bundle.olm_operator if bundle else None
        objects = []
        for rule in olm_knowledge()["runtime_objects"]:
            for source in self.model.of_kind(rule["from_kind"]):
                if source.origin != "release" or source.group != olm_knowledge()["api_group"]:
                    continue
                name = source.spec.get(rule["name_from"].removeprefix("spec."))
                objects.append(
                    RuntimeObject(
                        kind=rule["creates_kind"],
                        group=olm_knowledge()["api_group"],
                        namespace=source.namespace,
                        name=f"{name if isinstance(name, str) else source.name}.<version>",
                        created_by=creator,
                        because=f"OLM installs {source.ref()} as a {rule['creates_kind']}",
                        evidence=Evidence("confirmed", "OLM creates one CSV per Subscription"),
                    )
                )
        return objects

    @cached_property
    def runtime_registrations(self) -> list[RuntimeObject]:
        return runtime_registrations(self.model, known_registrations())

    def simulate(
        self,
        duties: list[FinalizerDuty] | None = None,
        runtime: list[RuntimeObject] | None = None,
        helm_major: int | None = None,
    ) -> Simulation:
        """The uninstall with the given duties and run-time objects (default: everything the chart
        shows, OLM's CSVs included when it bundles OLM >= 0.27)."""
        duties = self.duties + self.olm_duties() if duties is None else duties
        runtime = self.olm_runtime + self.runtime_registrations if runtime is None else runtime
        major = helm_major or self.helm_major
        key = (major, tuple(id(d) for d in duties), tuple(id(r) for r in runtime))
        if key not in self._simulations:
            simulation = simulate_uninstall(
                self.model, duties, runtime, self.hook_jobs, self.resources, major
            )
            self._simulations[key] = (duties, runtime, simulation)
        return self._simulations[key][2]

    def finding(
        self,
        rule_id: str,
        message: str,
        position: Position,
        subject: str = "",
        severity: str | None = None,
        fix: str | None = None,
        **extra: Any,
    ) -> Finding:
        """`fix`: the fix for this finding when it is narrower than the rule's (a CF1003 sub-problem);
        `key=` (in extra): what tells several findings of the rule on one object apart."""
        meta = catalog()[rule_id]
        return Finding(
            rule_id=rule_id,
            slug=meta.slug,
            severity=severity or meta.severity,
            message=message,
            position=position,
            chart=self.chart_label,
            fix=fix or meta.fix.strip().split("\n\n")[0].replace("\n", " "),
            scenario=self.scenario,
            subject=subject,
            **extra,
        )


@cache
def known_finalizers() -> tuple[KnownFinalizers, ...]:
    """rules/knowledge/operators.yaml as analysis data (OLM v0 has its own rules)."""
    found = []
    for family in operator_knowledge():
        if family["id"] == olm_knowledge()["id"]:
            continue
        images = tuple(RepositoryPattern(p) for p in family["controller"]["images"])
        names = tuple(family["controller"].get("deployment_names") or ())
        source = family["evidence"][0]["url"] if family["evidence"] else ""
        for entry in family["finalized_kinds"]:
            found.append(
                KnownFinalizers(
                    family=family["name"],
                    images=images,
                    workload_names=names,
                    group=entry["group"],
                    kind=entry["kind"],
                    finalizers=tuple(entry["finalizers"]),
                    every_instance=entry["scope"] == "every-instance",
                    since=semver.Version.parse(entry["since"]) if entry.get("since") else None,
                    until=semver.Version.parse(entry["until"]) if entry.get("until") else None,
                    note=entry.get("note", ""),
                    source=source,
                    low_confidence=family["confidence"] == "low",
                )
            )
    return tuple(found)


@cache
def known_registrations() -> tuple[KnownRegistrations, ...]:
    """rules/knowledge/registrations.yaml as analysis data: one entry per family and kind."""
    found = []
    for entry in registration_knowledge():
        for kind in entry["kinds"]:
            found.append(
                KnownRegistrations(
                    family=entry["name"],
                    images=tuple(RepositoryPattern(p) for p in entry["images"]),
                    kind=kind,
                    names=tuple(entry.get("names", {}).get(kind, ())),
                    labels=tuple(entry.get("labels", {}).items()),
                    since=semver.Version.parse(entry["since"]) if entry.get("since") else None,
                    until=semver.Version.parse(entry["until"]) if entry.get("until") else None,
                    source=entry["evidence"][0]["url"],
                )
            )
    return tuple(found)
