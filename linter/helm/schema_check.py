"""One values.schema.json applied to values as `helm template` does it, using the `jsonschema`
package, with error text shaped like the Go validator of each Helm version:
Helm 3.17 uses xeipuuv/gojsonschema (`- field: description`), Helm 4.1 uses
santhosh-tekuri/jsonschema v6 (`- at '/json/pointer': message`, nested for groups).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema import exceptions as js_exceptions
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable

from chartfix.caches import chart_cache
from chartfix.go.sprig.regex import (
    CAN_ISOLATE,
    ISOLATE_TEXT_LENGTH,
    ChildTimeout,
    python_pattern_backtracks,
    run_in_child,
)
from chartfix.go.strconv import quote
from chartfix.go.types import exact_bytes, from_exact_bytes

_DRAFTS = {
    "draft-04": jsonschema.Draft4Validator,
    "draft-06": jsonschema.Draft6Validator,
    "draft-07": jsonschema.Draft7Validator,
    "2019-09": jsonschema.Draft201909Validator,
    "2020-12": jsonschema.Draft202012Validator,
}


class LoadProblem(str):
    """A problem text that says the schema could not be applied (bad JSON, an unresolvable `$ref`, a
    timeout), as opposed to values that break it."""


@lru_cache(maxsize=256)
def _compiled(schema_bytes: bytes, helm_major: int) -> Any:
    """A jsonschema validator for the schema text, or a string with the load error."""
    try:
        schema = json.loads(schema_bytes.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError) as exc:
        return LoadProblem(_json_error_text(exc, helm_major))
    if not isinstance(schema, (dict, bool)):
        return LoadProblem(
            f"jsonschema: invalid schema: a schema is an object or a boolean, not {type(schema).__name__}\n"
        )
    cls = _validator_class(schema, helm_major)
    # The schema itself is not checked against its metaschema here (Helm 4's compiler does): that
    # costs more than all the rest of the validation of a large schema. A malformed keyword then
    # surfaces as a SchemaError while validating, reported below.
    return cls(schema, format_checker=cls.FORMAT_CHECKER, registry=_LOCAL_REFS_ONLY)


def _refuse_retrieval(uri: str) -> Resource:
    # A chart from a stranger must not make chartfix read local files or the network.
    raise NoSuchResource(ref=uri)


_LOCAL_REFS_ONLY: Registry = Registry(retrieve=_refuse_retrieval)  # type: ignore[call-arg]


def _validator_class(schema: Any, helm_major: int) -> type:
    uri = schema.get("$schema", "") if isinstance(schema, dict) else ""
    for marker, cls in _DRAFTS.items():
        if isinstance(uri, str) and marker in uri:
            return cls
    # santhosh-tekuri v6 defaults to 2020-12 (also for "http://json-schema.org/schema");
    # gojsonschema validates with its draft-04/06/07 hybrid, closest to draft-07.
    return jsonschema.Draft202012Validator if helm_major >= 4 else jsonschema.Draft7Validator


def _json_error_text(exc: Exception, helm_major: int) -> str:
    return f"invalid character in schema JSON: {exc}" if helm_major >= 4 else f"{exc}\n"


def validate_single(values: dict, schema_bytes: bytes, helm_major: int) -> str:
    """The report of one schema on one chart's values ("" when they meet it). A result is a
    function of the schema and the values alone, so it is kept for values that come again: the
    scenarios of a chart change some subcharts' values and leave the others as they were (107 of
    301 validations in a lint of the corpus). Values are compared by their `marshal` bytes, which
    tell bool, int and float apart and keep key order."""
    fingerprint = exact_bytes(values)
    if fingerprint is None:  # a value marshal cannot write (not from YAML or JSON): not kept
        return _validate_single(values, schema_bytes, helm_major)
    return _report(schema_bytes, helm_major, fingerprint)


@chart_cache(maxsize=64)
def _report(schema_bytes: bytes, helm_major: int, fingerprint: bytes) -> str:
    """_validate_single of the values `fingerprint` holds (read back: an equal copy)."""
    return _validate_single(from_exact_bytes(fingerprint), schema_bytes, helm_major)


def _validate_single(values: dict, schema_bytes: bytes, helm_major: int) -> str:
    compiled = _compiled(schema_bytes, helm_major)
    if isinstance(compiled, str):
        return compiled
    patterns = _schema_patterns(schema_bytes, helm_major)
    if CAN_ISOLATE and patterns and (patterns[0] or _longest_string(values) > ISOLATE_TEXT_LENGTH):
        try:
            return run_in_child(
                lambda: _validate_compiled(compiled, values, helm_major), SCHEMA_TIMEOUT_SECONDS
            )
        except ChildTimeout:
            return LoadProblem(
                f"unable to validate schema: its patterns take more than {SCHEMA_TIMEOUT_SECONDS:g} s on these "
                "values (Python's regular expressions backtrack where Go's are linear)\n"
            )
    return _validate_compiled(compiled, values, helm_major)


# Validation with a `pattern` that backtracks badly (or on very long strings) runs in a child
# process that is killed after this long (see chartfix.funcs.regex).
SCHEMA_TIMEOUT_SECONDS = 10.0


@lru_cache(maxsize=256)
def _schema_patterns(schema_bytes: bytes, helm_major: int) -> tuple[bool, ...]:
    """() when the schema has no `pattern` / `patternProperties`; else (any pattern backtracks badly,)."""
    compiled = _compiled(schema_bytes, helm_major)
    found: list[str] = []
    stack = [compiled.schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                found.append(node["pattern"])
            if isinstance(node.get("patternProperties"), dict):
                found.extend(str(key) for key in node["patternProperties"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    if not found:
        return ()
    return (any(python_pattern_backtracks(pattern) for pattern in found),)


def _longest_string(values: Any) -> int:
    longest = 0
    stack = [values]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            longest = max(longest, len(node))
        elif isinstance(node, dict):
            stack.extend(node.values())
            longest = max([longest, *(len(str(key)) for key in node)])
        elif isinstance(node, list):
            stack.extend(node)
    return longest


def _validate_compiled(compiled: Any, values: dict, helm_major: int) -> str:
    try:
        errors = list(compiled.iter_errors(values))
    except Unresolvable as exc:
        return LoadProblem(f"failed to load schema reference: {exc}\n")
    except (js_exceptions.SchemaError, TypeError, ValueError, AttributeError, KeyError) as exc:
        # A malformed schema (the metaschema is not checked, see _compiled) breaks jsonschema here.
        return LoadProblem(f"jsonschema: invalid schema: {getattr(exc, 'message', exc)}\n")
    except RecursionError:
        return LoadProblem("unable to validate schema: recursion too deep\n")
    if not errors:
        return ""
    if helm_major >= 4:
        return _v6_report(_stop_at_first_failure(errors, helm_major)) + "\n"
    errors = _stop_at_first_failure(errors, helm_major)
    return "".join(f"- {line}\n" for e in _v3_order(errors, []) for line in _v3_lines(e))


# Keywords after whose failure a Go validator stops checking that schema node against that value:
# gojsonschema (validateRecursive) returns on a type mismatch; santhosh-tekuri v6 (validate) checks
# type, const, enum and format in this order and returns the first that fails.
_STOPPING_KEYWORDS = {3: ("type",), 4: ("type", "const", "enum", "format")}


def _stop_at_first_failure(errors: list, helm_major: int) -> list:
    """Drop what jsonschema reports beyond where the Go validator stops: the other keywords of a
    schema node (and its subschemas) whose type (Helm 4: or const, enum, format) check failed."""
    stopping = _STOPPING_KEYWORDS[4 if helm_major >= 4 else 3]
    first: dict[tuple[tuple, tuple], tuple[int, Any]] = {}
    for e in errors:
        if e.validator in stopping:
            key = (tuple(e.absolute_schema_path)[:-1], tuple(e.absolute_path))
            rank = stopping.index(e.validator)
            if key not in first or rank < first[key][0]:
                first[key] = (rank, e)
    if not first:
        return errors
    kept = {id(e) for _, e in first.values()}

    def beyond_stop(e: Any) -> bool:
        schema, where = tuple(e.absolute_schema_path), tuple(e.absolute_path)
        return id(e) not in kept and any(
            schema[: len(node)] == node and where[: len(at)] == at for node, at in first
        )

    return [e for e in errors if not beyond_stop(e)]


# --- Helm 3: gojsonschema ----------------------------------------------------------------------


# The order the Go validators report keywords of one schema node in; a node's children (property
# and item subschemas) rank as `properties` / `items` for v6 and follow all node-level errors for v3.
_KEYWORD_RANK = {
    name: rank
    for rank, name in enumerate(
        [
            "false",
            "type",
            "const",
            "enum",
            "format",
            "$ref",
            "minProperties",
            "maxProperties",
            "required",
            "dependencies",
            "properties",
            "additionalProperties",
            "propertyNames",
            "dependentSchemas",
            "dependentRequired",
            "minItems",
            "maxItems",
            "uniqueItems",
            "items",
            "additionalItems",
            "contains",
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
            "not",
            "allOf",
            "anyOf",
            "oneOf",
            "if",
            "then",
            "else",
        ]
    )
}


def _split_by_level(errors: list, base: list) -> tuple[list, dict[Any, list]]:
    here, deeper = [], {}
    depth = len(base)
    for e in errors:
        path = list(e.absolute_path)
        if path == base:
            here.append(e)
        elif len(path) > depth and path[:depth] == base:
            deeper.setdefault(path[depth], []).append(e)
    # jsonschema reports each missing required property separately; Go reports them together.
    seen_required = False
    unique = []
    for e in here:
        if e.validator == "required":
            if seen_required:
                continue
            seen_required = True
        unique.append(e)
    unique.sort(key=lambda e: _KEYWORD_RANK.get(e.validator, len(_KEYWORD_RANK)))
    return unique, deeper


def _child_rank(key: Any) -> int:
    return _KEYWORD_RANK["items"] if isinstance(key, int) else _KEYWORD_RANK["properties"]


def _missing_properties(err: Any) -> list[str]:
    inst = err.instance
    return [name for name in err.validator_value if isinstance(inst, dict) and name not in inst]


def _v3_order(errors: list, base: list) -> list:
    """gojsonschema reports a node's own errors, then its children's (in Go map order: we sort)."""
    here, deeper = _split_by_level(errors, base)
    out = []
    for e in here:
        out.append(e)
        if e.validator in ("anyOf", "oneOf") and e.context:
            # gojsonschema adds the errors of the best-scoring branch; a branch that failed on
            # `type` scores lowest, so take the first branch that did not.
            out.extend(_best_branch(_stop_at_first_failure(list(e.context), 3), base))
        elif e.validator == "allOf" and e.context:
            out.extend(_v3_order(_stop_at_first_failure(list(e.context), 3), base))
    for key in sorted(deeper, key=str):
        out.extend(_v3_order(deeper[key], base + [key]))
    return out


def _best_branch(errors: list, base: list) -> list:
    branches: dict[Any, list] = {}
    for e in errors:
        branches.setdefault(e.relative_schema_path[0] if e.relative_schema_path else 0, []).append(e)
    ordered = [branches[k] for k in sorted(branches, key=str)]
    for branch in ordered:
        if not any(e.validator == "type" and list(e.absolute_path) == base for e in branch):
            return _v3_order(branch, base)
    return _v3_order(ordered[0], base) if ordered else []


def _v3_field(path: list) -> str:
    return ".".join(str(p) for p in path) if path else "(root)"


def _json_type(value: Any, integers: bool) -> str:
    """A value's JSON Schema type name; whole numbers are "integer" with `integers` (gojsonschema,
    Helm 3), else "number" (santhosh-tekuri/jsonschema v6, Helm 4)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "integer" if integers and float(value).is_integer() else "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _json_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return str(int(value))
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _v3_lines(err: Any) -> list[str]:
    if err.validator == "required":
        field = _v3_field(list(err.absolute_path))
        return [f"{field}: {name} is required" for name in _missing_properties(err)]
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        field = _v3_field(list(err.absolute_path))
        extra = _extra_properties(err)
        return [f"{field}: Additional property {name} is not allowed" for name in extra]
    return [_v3_line(err)]


def _extra_properties(err: Any) -> list[str]:

    known = err.schema.get("properties", {})
    patterns = [re.compile(p) for p in err.schema.get("patternProperties", {})]
    return [k for k in sorted(err.instance) if k not in known and not any(p.search(k) for p in patterns)]


def _v3_line(err: Any) -> str:
    path = list(err.absolute_path)
    field = _v3_field(path)
    kw, want, inst = err.validator, err.validator_value, err.instance
    if kw == "type":
        expected = want if isinstance(want, str) else "[" + ",".join(want) + "]"
        return f"{field}: Invalid type. Expected: {expected}, given: {_json_type(inst, integers=True)}"
    if kw == "enum":
        allowed = ", ".join(_json_text(v) for v in want)
        return f"{field}: {field} must be one of the following: {allowed}"
    if kw == "const":
        return f"{field}: {field} does not match: {_json_text(want)}"
    messages = {
        "minimum": f"Must be greater than or equal to {_json_text(want)}",
        "maximum": f"Must be less than or equal to {_json_text(want)}",
        "exclusiveMinimum": f"Must be greater than {_json_text(want)}",
        "exclusiveMaximum": f"Must be less than {_json_text(want)}",
        "minLength": f"String length must be greater than or equal to {want}",
        "maxLength": f"String length must be less than or equal to {want}",
        "pattern": f"Does not match pattern '{want}'",
        "format": f"Does not match format '{want}'",
        "minItems": f"Array must have at least {want} items",
        "maxItems": f"Array must have at most {want} items",
        "minProperties": f"Must have at least {want} properties",
        "maxProperties": f"Must have at most {want} properties",
        "multipleOf": f"Must be a multiple of {_json_text(want)}",
        "anyOf": "Must validate at least one schema (anyOf)",
        "oneOf": "Must validate one and only one schema (oneOf)",
        "allOf": "Must validate all the schemas (allOf)",
        "not": "Must not validate the schema (not)",
        "uniqueItems": "array items must be unique",
        "additionalItems": "No additional items allowed on array",
        "false": "False always fails validation",
    }
    return f"{field}: {messages.get(kw, err.message)}"


# --- Helm 4: santhosh-tekuri/jsonschema v6 ---------------------------------------------------------


def _pointer(path: list) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _quote(text: str) -> str:
    """kind.quote: Go %q, then `\\"` -> `"` and `'` -> `\\'`, in single quotes."""

    inner = quote(text)[1:-1].replace('\\"', '"').replace("'", "\\'")
    return f"'{inner}'"


def _v6_number(value: Any) -> str:
    """%v of a float64 through golang.org/x/text/message's English printer (digit grouping)."""
    number = float(value)
    if number.is_integer() and abs(number) < 1e21:
        return f"{int(number):,}"
    return repr(number)


def _v6_display(value: Any) -> str:
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, (list, dict)):
        return "value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    return _v6_number(value)


def _v6_message(err: Any) -> str:
    kw, want, inst = err.validator, err.validator_value, err.instance
    if kw == "type":
        wanted = [want] if isinstance(want, str) else list(want)
        return f"got {_json_type(inst, integers=False)}, want {' or '.join(wanted)}"
    if kw == "required":
        missing = _missing_properties(err)
        if len(missing) == 1:
            return f"missing property {_quote(missing[0])}"
        return "missing properties " + ", ".join(_quote(m) for m in missing)
    if kw == "additionalProperties" and isinstance(inst, dict):
        return (
            "additional properties " + ", ".join(_quote(k) for k in _extra_properties(err)) + " not allowed"
        )
    if kw == "enum":
        if any(isinstance(v, (list, dict)) for v in want):
            return "enum failed"
        if len(want) == 1:
            return f"value must be {_v6_display(want[0])}"
        return "value must be one of " + ", ".join(_v6_display(v) for v in want)
    if kw == "const":
        if isinstance(want, (list, dict)):
            return "const failed"
        return f"value must be {_v6_display(want)}"
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"):
        return f"{kw}: got {_v6_number(inst)}, want {_v6_number(want)}"
    if kw in ("minLength", "maxLength"):
        return f"{kw}: got {len(inst):,}, want {want:,}"
    if kw in ("minItems", "maxItems", "minProperties", "maxProperties"):
        return f"{kw}: got {len(inst):,}, want {want:,}"
    if kw == "pattern":
        return f"{_quote(inst)} does not match pattern {_quote(want)}"
    if kw == "format":
        return f"{_v6_display(inst)} is not valid {want}: {err.message}"
    # santhosh-tekuri/jsonschema v6.0.2 quotes these keyword names (seen in Helm 4.1.4's output).
    if kw == "anyOf":
        return "'anyOf' failed"
    if kw == "allOf":
        return "'allOf' failed"
    if kw == "oneOf":
        return "'oneOf' failed, none matched" if err.context else "'oneOf' failed, subschemas 0, 1 matched"
    if kw == "not":
        return "'not' failed"
    if kw == "uniqueItems":
        return "items at 0 and 1 are equal"
    if kw == "false":
        return "false schema"
    return err.message


def _v6_report(errors: list) -> str:
    lines: list[str] = []
    _v6_emit(errors, [], 1, lines, flatten=True)
    return "\n".join(lines)


def _v6_entry_count(errors: list, base: list) -> int:
    """How many errors v6's validate() collects at node `base`: its own, plus one per child."""
    here, deeper = _split_by_level(errors, base)
    return len(here) + len(deeper)


def _v6_emit(errors: list, base: list, indent: int, lines: list[str], flatten: bool = False) -> None:
    """v6's validate() returns a node's only error as it is, several as a group shown as
    `validation failed` over them. Validate() unwraps the group the root returns (`flatten`): the
    root's errors, or those of the one group its chain of single errors leads to, are listed
    directly. Node-level keywords before `properties` come first, then the children (Go map order:
    we sort), then the rest (e.g. additionalProperties)."""
    here, deeper = _split_by_level(errors, base)
    prefix = "  " * (indent - 1) + "- "
    entries: list[tuple[int, str, bool, Any]] = [
        (_KEYWORD_RANK.get(e.validator, 99), "", False, e) for e in here
    ]
    entries += [(_child_rank(key), str(key), True, key) for key in deeper]
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    only_entry = flatten and len(entries) == 1
    for _, _, is_child, item in entries:
        if is_child:
            group, path = deeper[item], base + [item]
            if _v6_entry_count(group, path) == 1:
                _v6_emit(group, path, indent, lines, flatten=only_entry)
            elif only_entry:
                _v6_emit(group, path, indent, lines)
            else:
                lines.append(f"{prefix}at {_quote(_pointer(path))}: validation failed")
                _v6_emit(group, path, indent + 1, lines)
            continue
        lines.append(f"{prefix}at {_quote(_pointer(base))}: {_v6_message(item)}")
        if item.validator in ("anyOf", "oneOf", "allOf") and item.context:
            _v6_emit(_stop_at_first_failure(list(item.context), 4), base, indent + 1, lines)


def validator(schema: dict[str, Any]) -> Any:
    """A plain jsonschema validator for one of chartfix's own schemas (`.chartfix.yaml`'s), by its
    `$schema`."""
    return jsonschema.validators.validator_for(schema)(schema)
