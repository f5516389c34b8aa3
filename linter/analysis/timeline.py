"""Which steps of an uninstall timeline explain a finding: those about its objects, their namespaces,
and the hooks. The text report shows only those (`--verbose` shows every step)."""

from __future__ import annotations

from chartfix.analysis.uninstall import Simulation, Victim


def focus_steps(sim: Simulation, *objects: Victim | str) -> list[int]:
    """0-based indexes into `sim.steps` of the steps about the given objects (by default everything
    stuck or broken, with the controllers that were gone), their namespaces, or a hook."""
    wanted = {o if isinstance(o, str) else o.ref() for o in objects or _outcome_objects(sim)}
    wanted |= {f"Namespace {o.namespace}" for o in objects if not isinstance(o, str) and o.namespace}
    if not wanted:
        return list(range(len(sim.steps)))
    return [
        index
        for index, step in enumerate(sim.steps)
        if step.refs & wanted or step.text.startswith(("pre-delete hook:", "post-delete hook:"))
    ]


def _outcome_objects(sim: Simulation) -> list[Victim]:
    found: list[Victim] = []
    for stuck in sim.stuck:
        found += [stuck.victim, stuck.duty.workload]
    for rejected in sim.rejected:
        found += [rejected.target, rejected.config]
    found += [b.registration for b in sim.broken]
    found += [problem.hook for problem in sim.hook_problems]
    found += [victim for victim, _ in sim.leftovers]
    return found
