"""What `chartfix patch` adds to values.yaml (appended, every existing byte kept), values.schema.json
and Chart.yaml."""

from __future__ import annotations

import json
import re
from io import StringIO
from typing import Any

import semver
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from chartfix.errors import Position
from chartfix.helm.valuesfile import load_yaml_values
from chartfix.patch.errors import PatchError
from chartfix.patch.source import ChartSource
from chartfix.records import record

DEFAULT_IMAGE = "registry.k8s.io/kubectl:v1.31.4"


DEFAULT_TIMEOUT_SECONDS = 300


DEFAULT_BACKOFF_LIMIT = 2


def set_default_value(original: bytes, path: str, value: str) -> bytes:
    """values.yaml with the scalar at `path` (a.b.c) replaced on its own line; all else unchanged."""
    text = original.decode("utf-8", errors="surrogateescape")
    node: Any = YAML().load(text)
    *parents, leaf = path.split(".")
    for key in parents:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, CommentedMap) or leaf not in node or isinstance(node[leaf], (dict, list)):
        raise PatchError(
            f"cannot find the scalar {path} in values.yaml to switch the cleanup on", Position("values.yaml")
        )
    line, column = node.lc.value(leaf)
    lines = text.split("\n")
    current = lines[line]
    end = len(current)
    comment = re.search(r"\s+#", current[column:])
    if comment:
        end = column + comment.start()
    lines[line] = current[:column] + value + current[end:]
    return "\n".join(lines).encode("utf-8", errors="surrogateescape")


def unique_values_path(values_text: str, namespace: str) -> str | None:
    """The one values key whose default is this namespace (e.g. `olmNamespace`), if exactly one."""
    if not namespace:
        return None
    try:
        data = YAML(typ="safe", pure=True).load(values_text) or {}
    except Exception:  # noqa: BLE001 - values.yaml was already read by the renderer; this is a hint
        return None
    found: list[str] = []

    def visit(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                if isinstance(key, str) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
                    visit(child, f"{path}.{key}" if path else key)
        elif value == namespace:
            found.append(path)

    visit(data, "")
    return found[0] if len(found) == 1 else None


def free_values_key(source: ChartSource, candidates: tuple[str, str]) -> str:
    text = source.text("values.yaml")
    for key in candidates:
        if not re.search(rf"^{key}\s*:", text, re.MULTILINE):
            return key
    raise PatchError(
        f"values.yaml already has {candidates[0]} and {candidates[1]} keys", Position("values.yaml")
    )


@record(frozen=True)
class Setting:
    """One documented setting of a values block the patch appends, with its JSON Schema."""

    name: str
    default: Any
    comment: str
    schema: dict[str, Any]


HOOK_SETTINGS = (
    Setting("enabled", True, "Render the pre-delete cleanup hook.", {"type": "boolean"}),
    Setting("image", DEFAULT_IMAGE, "kubectl image the cleanup Job runs (pinned).", {"type": "string"}),
    Setting(
        "timeoutSeconds",
        DEFAULT_TIMEOUT_SECONDS,
        "activeDeadlineSeconds of the Job: an uninstall never waits longer.",
        {"type": "integer", "minimum": 1},
    ),
    Setting(
        "backoffLimit",
        DEFAULT_BACKOFF_LIMIT,
        "Retries of a failed cleanup.",
        {"type": "integer", "minimum": 0},
    ),
)


LIMIT_SETTINGS = (
    Setting(
        "activeDeadlineSeconds",
        DEFAULT_TIMEOUT_SECONDS,
        "activeDeadlineSeconds of the chart's delete hook Jobs: an uninstall never waits longer.",
        {"type": "integer", "minimum": 1},
    ),
    Setting(
        "backoffLimit",
        DEFAULT_BACKOFF_LIMIT,
        "Retries of a failed delete hook Job.",
        {"type": "integer", "minimum": 0},
    ),
)


LIMITS_VALUES_COMMENT = (
    "Added by `chartfix patch`: bounds of the chart's own delete hook Jobs, so that a hook that\n"
    "cannot finish fails `helm uninstall` in time instead of retrying until Helm's timeout."
)


def values_block(key: str, comment: str, fields: tuple[Setting, ...] = HOOK_SETTINGS) -> str:
    """The documented values block, written by ruamel.yaml."""
    settings = CommentedMap()
    for setting in fields:
        settings[setting.name] = setting.default
        settings.yaml_set_comment_before_after_key(setting.name, before=setting.comment, indent=2)
    root = CommentedMap()
    root[key] = settings
    root.yaml_set_start_comment(comment)
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = StringIO()
    yaml.dump(root, out)
    return out.getvalue()


def values_with_block(
    original: bytes | None, key: str, comment: str, fields: tuple[Setting, ...] = HOOK_SETTINGS
) -> bytes:
    """values.yaml with the block appended: every existing byte stays as it is."""
    text = (original or b"").decode("utf-8", errors="surrogateescape")
    # A values.yaml that is only `{}` (an empty flow mapping) cannot be appended to: the block replaces it.
    if re.fullmatch(r"(\s*#[^\n]*\n)*\s*\{\}\s*(#[^\n]*)?\s*", text):
        text = re.sub(r"(?m)^\s*\{\}\s*(#[^\n]*)?$\n?", "", text)
    separator = "" if not text else ("\n" if text.endswith("\n") else "\n\n")
    if text and not text.endswith("\n\n") and text.endswith("\n"):
        separator = "\n"
    result = text + separator + values_block(key, comment, fields)
    _check_values_still_parse(result, text, key)
    return result.encode("utf-8", errors="surrogateescape")


def _check_values_still_parse(new_text: str, old_text: str, key: str) -> None:

    new = load_yaml_values(new_text, "values.yaml")
    old = load_yaml_values(old_text, "values.yaml") if old_text.strip() else {}
    if {k: v for k, v in new.items() if k != key} != old or key not in new:
        raise PatchError(
            "appending the cleanup settings would change the meaning of values.yaml", Position("values.yaml")
        )


def schema_with_block(
    original: bytes, key: str, description: str, fields: tuple[Setting, ...] = HOOK_SETTINGS
) -> bytes:
    try:
        schema = json.loads(original)
    except json.JSONDecodeError as error:
        raise PatchError(
            f"values.schema.json is not valid JSON: {error.msg}",
            Position("values.schema.json", error.lineno, error.colno),
        ) from None
    if not isinstance(schema, dict):
        raise PatchError("values.schema.json is not a JSON object", Position("values.schema.json"))
    properties = schema.setdefault("properties", {})
    properties[key] = {
        "type": "object",
        "description": description,
        "properties": {setting.name: setting.schema for setting in fields},
        "additionalProperties": False,
    }
    indent = _json_indent(original.decode("utf-8", errors="replace"))
    return (json.dumps(schema, indent=indent, ensure_ascii=False) + "\n").encode("utf-8")


def _json_indent(text: str) -> int:
    match = re.search(r"\n( +)\S", text)
    return len(match.group(1)) if match else 2


def bump_chart_version(original: bytes) -> bytes:

    text = original.decode("utf-8", errors="surrogateescape")
    match = re.search(r"^(version:[ \t]*)([\"']?)([^\"'\s#]+)([\"']?)", text, re.MULTILINE)
    if match is None:
        raise PatchError("Chart.yaml has no version line to bump", Position("Chart.yaml"))
    try:
        bumped = str(semver.Version.parse(match.group(3).lstrip("v")).bump_patch())
    except ValueError:
        raise PatchError(
            f"Chart.yaml version {match.group(3)} is not semver", Position("Chart.yaml")
        ) from None
    text = text[: match.start(3)] + bumped + text[match.end(3) :]
    return text.encode("utf-8", errors="surrogateescape")
