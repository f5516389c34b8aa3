"""CF1003 / CF1014: minimal text edits of the chart's own hook templates, every other byte kept."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from chartfix.analysis.controllers import WORKLOAD_KINDS
from chartfix.analysis.objects import KubeObject
from chartfix.patch.errors import PatchError
from chartfix.patch.source import ChartSource, template_file
from chartfix.rules.finding import Finding


class _Document:
    """The template text of one object's document: the lines between the `---` around its kind line."""

    def __init__(self, source: ChartSource, obj: KubeObject) -> None:
        if obj.manifest is None or obj.position.line <= 0:
            raise PatchError(f"cannot find the template text of {obj.ref()}")
        self.file = template_file(obj.manifest.source)
        self.text = source.text(self.file)
        self.lines = self.text.split("\n")
        start = obj.position.line - 1
        while start > 0 and not self.lines[start - 1].startswith("---"):
            start -= 1
        end = obj.position.line
        while end < len(self.lines) and not self.lines[end].startswith("---"):
            end += 1
        self.start, self.end = start, end
        self.ref = obj.ref()

    @staticmethod
    def whole_file(doc: _Document) -> _Document:
        whole = copy.copy(doc)
        whole.start, whole.end = 0, len(doc.lines)
        return whole

    def offset(self, line: int) -> int:
        return sum(len(x) + 1 for x in self.lines[:line])

    def find(self, pattern: str) -> list[int]:
        return [i for i in range(self.start, self.end) if re.search(pattern, self.lines[i])]

    def one(self, pattern: str, what: str) -> int:
        found = self.find(pattern)
        if len(found) != 1:
            raise PatchError(f"{self.ref}: {what} is not written on one plain line of {self.file}")
        if "{{" in self.lines[found[0]]:
            raise PatchError(f"{self.ref}: {what} is computed by the template in {self.file}")
        return found[0]

    def insert_after(self, line: int, text: str) -> tuple[str, tuple[int, int, str]]:
        at = self.offset(line + 1)
        return self.file, (at, at, text + "\n")


def hook_edits(
    context: Any, source: ChartSource, finding: Finding, limit: Callable[[KubeObject, str], str]
) -> list[tuple[str, tuple[int, int, str]]]:
    """The edits that fix one CF1003/CF1014 finding, or PatchError saying why there are none."""
    hooks = {h.ref(): h for h in context.model.hooks()}
    job = hooks.get(finding.subject)
    if job is None:
        raise PatchError("the finding is not about a hook of the chart")
    problem = finding.message.split(": ", 1)[1]
    doc = _Document(source, job)
    edits = []
    if "without before-hook-creation or hook-failed" in problem:
        listed = problem.split(" ha", 1)[0].split(", ")
        for ref in listed:
            obj = hooks.get(ref)
            if obj is None:
                raise PatchError(f"cannot find {ref} among the hooks")
            edits.append(delete_policy_edit(source, obj))
    elif problem.startswith("no activeDeadlineSeconds") or problem.startswith("no backoffLimit"):
        field_name = "activeDeadlineSeconds" if "activeDeadline" in problem else "backoffLimit"
        line = doc.one(r"^spec:\s*$", "the Job's spec")
        following = next((x for x in doc.lines[line + 1 : doc.end] if x.strip()), "")
        indent = following[: len(following) - len(following.lstrip())]
        if not indent or following.lstrip().startswith("{{"):
            raise PatchError(f"{doc.ref}: cannot tell the indentation of the Job's spec in {doc.file}")
        edits.append(doc.insert_after(line, f"{indent}{field_name}: {limit(job, field_name)}"))
    elif problem.startswith("no helm.sh/hook-delete-policy"):
        line = doc.one(r"^\s+[\"']?helm\.sh/hook[\"']?:", "helm.sh/hook")
        indent = re.match(r"^(\s+)", doc.lines[line]).group(1)
        edits.append(
            doc.insert_after(line, f"{indent}helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded")
        )
    elif "has no --ignore-not-found" in problem:
        lines = [
            i for i in doc.find(r"\b(kubectl|oc)\s+delete\b") if "--ignore-not-found" not in doc.lines[i]
        ]
        for line in lines:
            match = re.search(r"\b(kubectl|oc)\s+delete\b", doc.lines[line])
            at = doc.offset(line) + match.end()
            edits.append((doc.file, (at, at, " --ignore-not-found")))
        # the command as a YAML list: `- delete` as its own item
        items = doc.find(r"^\s+- [\"']?delete[\"']?\s*$")
        if items and not doc.find(r"--ignore-not-found"):
            for line in items:
                indent = re.match(r"^(\s+- )", doc.lines[line]).group(1)
                edits.append(doc.insert_after(line, f"{indent}--ignore-not-found"))
        if not edits:
            raise PatchError(f"{doc.ref}: its delete command is computed by the template in {doc.file}")
    elif "does not exist when it runs" in problem and job.hook is not None:
        edits += _service_account_as_hook(context, source, job)
    else:
        raise PatchError(
            "no safe mechanical fix for what it reports ("
            + problem.split(":")[0]
            + "): it needs a decision only the maintainer can make (which image tag, which namespaces, "
            "which RBAC)"
        )
    return edits


def delete_policy_edit(source: ChartSource, obj: KubeObject) -> tuple[str, tuple[int, int, str]]:
    """`before-hook-creation,` put in front of a hook's delete policy, so a failed run does not leave it
    in the way of the next one."""
    doc = _Document(source, obj)
    pattern = r"^\s*[\"']?helm\.sh/hook-delete-policy[\"']?:"
    if not doc.find(pattern):
        # annotations from a `define` of the same file, shared by the hook's objects
        whole = _Document.whole_file(doc)
        if len(whole.find(pattern)) == 1 and re.search(r"\{\{-?\s*define\b", whole.text):
            doc = whole
    line = doc.one(pattern, "helm.sh/hook-delete-policy")
    match = re.match(r"^(\s*[\"']?helm\.sh/hook-delete-policy[\"']?:\s*[\"']?)", doc.lines[line])
    at = doc.offset(line) + match.end()
    return doc.file, (at, at, "before-hook-creation,")


def blocking_leftovers(context: Any) -> list[KubeObject]:
    """The chart's pre-delete hook ServiceAccounts and RBAC that stay after a failed run (no
    before-hook-creation or hook-failed): adding a pre-delete Job makes them its problem too (CF1003)."""
    return [
        h
        for h in context.model.hooks()
        if h.hook
        and "pre-delete" in h.hook.events
        and h.kind
        in ("ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "Job", "Pod")
        and h.hook.delete_policies
        and not {"before-hook-creation", "hook-failed"} & set(h.hook.delete_policies)
    ]


def _service_account_as_hook(
    context: Any, source: ChartSource, job: KubeObject
) -> list[tuple[str, tuple[int, int, str]]]:
    """A delete hook whose ServiceAccount is gone (or not yet made) when it runs: make that
    ServiceAccount a hook of the same phase with a lower weight, when only delete hooks use it."""
    account = job.service_account()
    namespace = job.namespace or context.model.namespace
    found = [
        o
        for o in context.model.objects
        if o.kind == "ServiceAccount"
        and o.name == account
        and (o.namespace or context.model.namespace) == namespace
    ]
    if len(found) != 1:
        raise PatchError(
            f"the Job runs as ServiceAccount {namespace}/{account}, which the chart does not define with these "
            "values (a name mismatch or a missing object): which name is right is the maintainer's call"
        )
    users = [
        w
        for w in context.model.objects
        if w.kind in (*WORKLOAD_KINDS, "Job", "CronJob") and w.service_account() == account and w is not job
    ]
    if any(u.origin != "hook" or not u.hook or u.hook.events != job.hook.events for u in users):
        raise PatchError(
            f"ServiceAccount {namespace}/{account} is also used by workloads outside the hook, so it cannot "
            "become a hook"
        )
    sa = found[0]
    doc = _Document(source, sa)
    phase = ",".join(job.hook.events)
    weight = job.hook.weight - 5
    if sa.origin == "hook":
        line = doc.one(r"^\s+[\"']?helm\.sh/hook-weight[\"']?:", "helm.sh/hook-weight")
        text = doc.lines[line]
        match = re.match(r"^(\s+[\"']?helm\.sh/hook-weight[\"']?:\s*)(.*)$", text)
        at = doc.offset(line)
        return [(doc.file, (at + match.start(2), at + len(text), f'"{weight}"'))]
    if doc.find(r"^\s+annotations:"):
        raise PatchError(
            f"ServiceAccount {namespace}/{account} already has annotations chartfix would have to merge"
        )
    line = doc.one(r"^\s+name:", "the ServiceAccount's name")
    indent = re.match(r"^(\s+)", doc.lines[line]).group(1)
    return [
        doc.insert_after(
            line,
            f'{indent}annotations:\n{indent}  helm.sh/hook: {phase}\n{indent}  helm.sh/hook-weight: "{weight}"\n'
            f"{indent}  helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded",
        )
    ]
