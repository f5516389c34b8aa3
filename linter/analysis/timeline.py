"""Which steps of an uninstall timeline explain a finding: the stuck objects, their controllers, their
namespaces and the hooks. The text report shows only those (`--verbose` shows every step)."""

from __future__ import annotations

import re

from chartfix.analysis.uninstall import Simulation


def focus_steps(sim: Simulation) -> list[int]:
    """0-based indexes into `sim.steps` of the steps that mention a stuck object, its controller, the
    namespace left Terminating, an object left behind, or a hook."""

    refs: set[str] = set()
    controllers: set[str] = set()
    for stuck in sim.stuck:
        refs.add(stuck.victim.ref())
        controllers.add(stuck.controller.workload.ref())
        if stuck.namespace_terminating:
            refs.add(f"Namespace {stuck.namespace_terminating}")
            refs.add(f"namespace {stuck.namespace_terminating}")
    for victim, _ in sim.leftovers:
        refs.add(victim.ref())
    for problem in sim.hook_problems:
        refs.add(problem.hook.ref())
    refs |= controllers
    if not refs:
        return list(range(len(sim.steps)))
    pattern = re.compile("|".join(re.escape(r) + r"(?![\w./-])" for r in sorted(refs, key=len, reverse=True)))
    hook_step = re.compile(r"^(pre|post)-delete hook: |^  the hook deletes ")
    focused: list[int] = []
    for index, step in enumerate(sim.steps):
        if pattern.search(step.text) or hook_step.search(step.text):
            focused.append(index)
            # deleting a controller is followed by the step saying what nobody clears any more
            following = sim.steps[index + 1].text if index + 1 < len(sim.steps) else ""
            if following.startswith("  nothing clears") and any(c in step.text for c in controllers):
                focused.append(index + 1)
    return sorted(set(focused))
