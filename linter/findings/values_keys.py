"""Keys the user sets that the chart does not know (rule CF1020): `--set deployOml=false` where the
chart reads `deployOLM` lints, and installs, the defaults without a word from Helm.

A key is known when values.yaml has it, when an enclosing value is an empty map or not a map (free-form
values such as `podAnnotations: {}`), when values.schema.json names it (`properties`,
`patternProperties`) or explicitly allows more (`additionalProperties`), or when a template mentions it
(charts that read `.Values.x` with a `default` and document it only in a comment). `global` and
subchart sections are checked against the subchart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from chartfix.analysis.positions import TemplateSources
from chartfix.caches import chart_cache
from chartfix.helm.chart import Chart
from chartfix.helm.values import user_values


def supplied_keys(
    values_files: list[str], set_values: list[str], helm_major: int = 4
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(where it comes from, key path) of every leaf the user's values set."""
    for name in values_files:
        yield from (
            (f"values file {name}", path) for path in _leaves(user_values([name], helm_major=helm_major))
        )
    for value in set_values:
        parsed = user_values(set_values=[value], helm_major=helm_major)
        yield from ((f"--set {value}", path) for path in _leaves(parsed))


def _leaves(values: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(values, dict) and values:
        for key, value in values.items():
            yield from _leaves(value, (*prefix, str(key)))
    elif prefix:
        yield prefix


def key_known(chart: Chart, path: tuple[str, ...], sources: TemplateSources) -> bool:
    """`sources`: the template texts of the chart tree `chart` belongs to."""
    if not path or path[0] == "global":
        return True
    dotted = ".".join(path)
    for dependency in chart.metadata.Dependencies:  # Chart.yaml `condition:` paths (grafana.enabled)
        if dependency is not None and dotted in [c.strip() for c in (dependency.Condition or "").split(",")]:
            return True
    for sub in chart.dependencies:
        names = {sub.name()} | {
            d.Alias for d in chart.metadata.Dependencies if d is not None and d.Alias and d.Name == sub.name()
        }
        if path[0] in names:
            return len(path) == 1 or key_known(sub, path[1:], sources)
    if (
        _in_values(chart.values, path)
        or _in_schema(_schema(chart), path)
        or _in_templates(chart, path, sources)
    ):
        return True
    # a subchart's key before `helm dependency build` (the dependency is not loaded)
    return any(d is not None and path[0] in (d.Name, d.Alias) for d in chart.metadata.Dependencies)


def _in_values(values: Any, path: tuple[str, ...]) -> bool:
    node = values
    for key in path:
        if not isinstance(node, dict) or not node:
            return True  # below a leaf, a list or an empty (free-form) map
        if key not in node:
            return False
        node = node[key]
    return True


def _schema(chart: Chart) -> Any:
    return None if chart.schema is None else _parsed_schema(chart.schema)


@chart_cache(maxsize=16)
def _parsed_schema(schema: bytes) -> Any:
    """values.schema.json as JSON (None if it is not), parsed once for all the keys of a chart."""
    try:
        return json.loads(schema.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None


def _in_schema(schema: Any, path: tuple[str, ...], root: Any = None, depth: int = 0) -> bool:
    root = schema if root is None else root
    if not isinstance(schema, dict) or depth > 64:
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        return _in_schema(target, path, root, depth + 1)
    for combinator in ("allOf", "anyOf", "oneOf"):
        branches = schema.get(combinator)
        if isinstance(branches, list) and any(_in_schema(b, path, root, depth + 1) for b in branches):
            return True
    if not path:
        return True
    key, rest = path[0], path[1:]
    properties = schema.get("properties")
    if isinstance(properties, dict) and key in properties:
        child = properties[key]
        return not rest or child is True or _in_schema(child, rest, root, depth + 1) or _open(child)
    patterns = schema.get("patternProperties")
    if isinstance(patterns, dict):
        for pattern, child in patterns.items():
            try:
                if re.search(pattern, key):
                    return not rest or _in_schema(child, rest, root, depth + 1) or _open(child)
            except re.error:
                continue
    extra = schema.get("additionalProperties")
    return extra is True or isinstance(extra, dict)


def _open(schema: Any) -> bool:
    """A schema that says nothing about its properties (any object)."""
    return isinstance(schema, dict) and not any(
        k in schema for k in ("properties", "patternProperties", "additionalProperties", "$ref")
    )


def _in_templates(chart: Chart, path: tuple[str, ...], sources: TemplateSources) -> bool:
    """A template names the key, or ranges over / passes through (toYaml, toJson, tpl) a map above
    it, whose keys are then the user's to choose (`range $name, $c := .Values.collectors`)."""
    mentions = key_mention(path)
    full = chart.chart_full_path()
    return any(mentions(sources.text(f"{full}/{template.name}") or "") for template in chart.templates)


def key_mention(path: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a template text mentions the key at `path` (see _in_templates)."""
    dotted = ".Values." + ".".join(path[:2])
    last = re.compile(r"[.\"']" + re.escape(path[-1]) + r"\b")
    # Each pattern needs its key (or map path) in the text: a substring test first skips the texts
    # where it cannot match.
    free = [
        (
            ".Values." + ".".join(path[:length]),
            re.compile(
                r"(?:range\b[^}]*|\b(?:toYaml|toJson|toPrettyJson|tpl|toString)\s+)\$?\.Values\."
                + re.escape(".".join(path[:length]))
                + r"(?![\w.-])"
            ),
        )
        for length in range(1, len(path))
    ]

    def mentions(text: str) -> bool:
        return (
            dotted in text
            or (path[-1] in text and last.search(text) is not None)
            or any(needle in text and pattern.search(text) is not None for needle, pattern in free)
        )

    return mentions
