"""Masterminds/semver: version parsing, ordering and constraints, for Helm 3.17 and Helm 4.1.

Used by Sprig's `semver`/`semverCompare`, by dependency resolution (chartutil.IsCompatibleRange)
and by the chart model (Chart.yaml `version`, `kubeVersion`).

Helm 3.17 vendors semver v3.3.0, Helm 4.1 v3.4.0. They parse versions the same way (v3.4.0 coerces
with the loose pattern by default) but v3.4.0 lower-cases its error texts and lets prerelease
versions through every constraint of an AND-group in which any constraint names a prerelease
(v3.3.0 asks that of each constraint on its own, and `!=` only checks it for wildcard constraints).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

from chartfix.go.strconv import parse_uint
from chartfix.go.types import GoInt, GoStruct, GoUint64, go_method
from chartfix.records import record

_SEMVER = (
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_CV = (
    r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?"
    r"(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
    r"(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?"
)
_OPS = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^"
# Go's \s is [\t\n\f\r ].
_S = r"[\t\n\f\r ]"
_PATTERNS = {
    "version": f"^{_SEMVER}\\Z",
    "constraint": f"^{_S}*({_OPS}){_S}*({_CV}){_S}*\\Z",
    "range": f"{_S}*({_CV}){_S}+-{_S}+({_CV}){_S}*",
    "find": f"({_OPS}){_S}*({_CV})",
    "valid": f"^({_S}*({_OPS}){_S}*({_CV}){_S}*)((?:{_S}+|,{_S}*)({_OPS}){_S}*({_CV}){_S}*)*\\Z",
}


@cache
def _regex(name: str) -> re.Pattern[str]:
    """One of Masterminds' patterns, compiled on first use: compiling them takes about 5 ms, which
    the many charts that call no semver function and declare no kubeVersion never need."""
    return re.compile(_PATTERNS[name])


_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")
# Go's regexp runs the range rewrite in linear time; Python's backtracking search is quadratic in
# the length of a digit run. Real constraints are a few dozen characters: longer ones are refused.
MAX_CONSTRAINT_LENGTH = 1024


class SemverError(Exception):
    """A version or constraint that Masterminds/semver rejects (message as Go's error)."""


class Version(GoStruct):
    """A `*semver.Version`."""

    go_type = "*semver.Version"

    def __init__(self, major: int, minor: int, patch: int, pre: str, metadata: str, original: str) -> None:
        self.major, self.minor, self.patch = major, minor, patch
        self.pre, self.metadata, self.original = pre, metadata, original

    def go_fields(self) -> dict[str, Any]:
        return {}

    def go_printed_fields(self) -> dict[str, Any]:
        return {
            "major": GoUint64(self.major),
            "minor": GoUint64(self.minor),
            "patch": GoUint64(self.patch),
            "pre": self.pre,
            "metadata": self.metadata,
            "original": self.original,
        }

    def go_json(self) -> str:
        """Masterminds/semver's MarshalJSON: the version's String()."""
        return self.text()

    def text(self) -> str:
        out = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            out += "-" + self.pre
        if self.metadata:
            out += "+" + self.metadata
        return out

    def compare(self, other: Version) -> int:
        for mine, theirs in ((self.major, other.major), (self.minor, other.minor), (self.patch, other.patch)):
            if mine != theirs:
                return -1 if mine < theirs else 1
        if not self.pre and not other.pre:
            return 0
        if not self.pre:
            return 1
        if not other.pre:
            return -1
        return _compare_prerelease(self.pre, other.pre)

    @go_method()
    def String(self) -> str:  # noqa: N802 - Go method name
        return self.text()

    @go_method()
    def Original(self) -> str:  # noqa: N802
        return self.original

    @go_method()
    def Major(self) -> int:  # noqa: N802
        return self.major

    @go_method()
    def Minor(self) -> int:  # noqa: N802
        return self.minor

    @go_method()
    def Patch(self) -> int:  # noqa: N802
        return self.patch

    @go_method()
    def Prerelease(self) -> str:  # noqa: N802
        return self.pre

    @go_method()
    def Metadata(self) -> str:  # noqa: N802
        return self.metadata

    @go_method("*semver.Version")
    def Compare(self, other: Version) -> int:  # noqa: N802

        return GoInt(self.compare(other))

    @go_method("*semver.Version")
    def LessThan(self, other: Version) -> bool:  # noqa: N802
        return self.compare(other) < 0

    @go_method("*semver.Version")
    def GreaterThan(self, other: Version) -> bool:  # noqa: N802
        return self.compare(other) > 0

    @go_method("*semver.Version")
    def Equal(self, other: Version) -> bool:  # noqa: N802
        return self.compare(other) == 0


def _only(text: str, allowed: frozenset[str]) -> bool:
    return all(c in allowed for c in text)


def _compare_pre_part(mine: str, theirs: str) -> int:
    if mine == theirs:
        return 0
    if mine == "":
        return -1
    if theirs == "":
        return 1
    # Masterminds: a part is numeric where strconv.ParseUint(part, 10, 64) succeeds.
    mine_value, theirs_value = parse_uint(mine, 10), parse_uint(theirs, 10)
    mine_num, theirs_num = mine_value is not None, theirs_value is not None
    if not mine_num and not theirs_num:
        return 1 if mine.encode() > theirs.encode() else -1
    if not theirs_num:
        return -1
    if not mine_num:
        return 1
    return 1 if mine_value > theirs_value else -1


def _compare_prerelease(mine: str, theirs: str) -> int:
    mine_parts, their_parts = mine.split("."), theirs.split(".")
    for i in range(max(len(mine_parts), len(their_parts))):
        result = _compare_pre_part(
            mine_parts[i] if i < len(mine_parts) else "", their_parts[i] if i < len(their_parts) else ""
        )
        if result:
            return result
    return 0


_MODERN_MESSAGES = {
    "Invalid Semantic Version": "invalid semantic version",
    "Version segment starts with 0": "version segment starts with 0",
    "Invalid Prerelease string": "invalid prerelease string",
    "Invalid Metadata string": "invalid metadata string",
}


def _message(text: str, modern: bool) -> str:
    """v3.4.0 words its errors in lower case."""
    if not modern:
        return text
    if text in _MODERN_MESSAGES:
        return _MODERN_MESSAGES[text]
    return text[0].lower() + text[1:]


def _validate_prerelease(pre: str, modern: bool) -> None:
    for part in pre.split("."):
        if _only(part, frozenset("0123456789")):
            if len(part) > 1 and part[0] == "0":
                raise SemverError(_message("Version segment starts with 0", modern))
        elif not _only(part, _ALLOWED):
            raise SemverError(_message("Invalid Prerelease string", modern))


def new_version(text: str, modern: bool = True) -> Version:
    """semver.NewVersion (`modern`: v3.4.0 messages)."""
    match = _regex("version").match(text)
    if match is None:
        raise SemverError(_message("Invalid Semantic Version", modern))
    numbers = []
    for group in (match.group(1), match.group(2), match.group(3)):
        digits = (group or "0").lstrip(".")
        value = parse_uint(digits, 10)
        if value is None:
            raise SemverError(
                _message(
                    f'Error parsing version segment: strconv.ParseUint: parsing "{digits}": value out of range',
                    modern,
                )
            )
        numbers.append(value)
    pre, metadata = match.group(5) or "", match.group(8) or ""
    if pre:
        _validate_prerelease(pre, modern)
    if metadata and not all(_only(p, _ALLOWED) for p in metadata.split(".")):
        raise SemverError(_message("Invalid Metadata string", modern))
    return Version(numbers[0], numbers[1], numbers[2], pre, metadata, text)


# --- constraints ---------------------------------------------------------------------------------


@record(frozen=True)
class _Constraint:
    """One comparison of a Masterminds constraint (`>= 1.2`), with its wildcard parts."""

    version: Version
    original: str
    operator: str
    minor_dirty: bool
    patch_dirty: bool
    dirty: bool


def _is_x(text: str) -> bool:
    return text in ("x", "*", "X")


def _parse_constraint(text: str, modern: bool) -> _Constraint:
    match = _regex("constraint").match(text)
    if match is None:
        raise SemverError(f"improper constraint: {text}")
    op, ver = match.group(1), match.group(2)
    major, minor, patch, pre = (
        match.group(3),
        match.group(4) or "",
        match.group(5) or "",
        match.group(6) or "",
    )
    minor_dirty = patch_dirty = dirty = False
    if _is_x(major):
        ver, dirty = "0.0.0" + pre, True
    elif _is_x(minor.lstrip(".")) or minor == "":
        ver, dirty, minor_dirty = f"{major}.0.0{pre}", True, True
    elif _is_x(patch.lstrip(".")) or patch == "":
        ver, dirty, patch_dirty = f"{major}{minor}.0{pre}", True, True
    try:
        version = new_version(ver, modern)
    except SemverError:
        raise SemverError("constraint parser error" if modern else "constraint Parser Error") from None
    return _Constraint(version, match.group(2), op, minor_dirty, patch_dirty, dirty)


def _check(v: Version, c: _Constraint, include_pre: bool | None) -> bool:
    """constraints.go: the cfunc for the operator (the error results only explain a false).

    include_pre: v3.4.0's flag for the AND-group; None selects v3.3.0's per-constraint rule.
    """
    con = c.version
    op = c.operator
    blocked = v.pre != "" and (not include_pre if include_pre is not None else con.pre == "")
    if op == "!=":
        if include_pre is not None and blocked:
            return False
        if c.dirty:
            if blocked:
                return False
            if con.major != v.major:
                return True
            if con.minor != v.minor and not c.minor_dirty:
                return True
            if c.minor_dirty:
                return False
            if con.patch != v.patch and not c.patch_dirty:
                return True
            if c.patch_dirty:
                if v.pre or con.pre:
                    return _compare_prerelease(v.pre, con.pre) != 0
                return False
        return v.compare(con) != 0
    if blocked:
        return False
    if op == ">":
        if not c.dirty:
            return v.compare(con) == 1
        if v.major != con.major:
            return v.major > con.major
        if c.minor_dirty:
            return False
        if c.patch_dirty:
            return v.minor > con.minor
        return v.compare(con) == 1
    if op == "<":
        return v.compare(con) < 0
    if op in (">=", "=>"):
        return v.compare(con) >= 0
    if op in ("<=", "=<"):
        if not c.dirty:
            return v.compare(con) <= 0
        if v.major > con.major:
            return False
        return not (v.major == con.major and v.minor > con.minor and not c.minor_dirty)
    if op in ("~", "~>") or (op in ("", "=") and c.dirty):
        if v.compare(con) < 0:
            return False
        if con.major == 0 and con.minor == 0 and con.patch == 0 and not c.minor_dirty and not c.patch_dirty:
            return True
        if v.major != con.major:
            return False
        return not (v.minor != con.minor and not c.minor_dirty)
    if op in ("", "="):
        return v.compare(con) == 0
    # "^"
    if v.compare(con) < 0:
        return False
    if con.major > 0 or c.minor_dirty:
        return v.major == con.major
    if v.major > 0:
        return False
    if con.minor > 0 or c.patch_dirty:
        return v.minor == con.minor
    if v.minor > 0:
        return False
    return con.patch == v.patch


def _rewrite_range(text: str) -> str:
    for match in _regex("range").finditer(text):
        text = text.replace(match.group(0), f">= {match.group(1)}, <= {match.group(11)} ", 1)
    return text


@lru_cache(maxsize=512)
def parse_constraints(text: str, modern: bool = True) -> tuple[tuple[_Constraint, ...], ...] | SemverError:
    """semver.NewConstraint: OR-groups of AND-ed constraints (an error is returned, not raised)."""
    if len(text) > MAX_CONSTRAINT_LENGTH:
        return SemverError(f"constraint longer than {MAX_CONSTRAINT_LENGTH} characters (chartfix limit)")
    groups = []
    for part in _rewrite_range(text).split("||"):
        if not _regex("valid").match(part):
            return SemverError(f"improper constraint: {part}")
        found = [m.group(0) for m in _regex("find").finditer(part)] or [part]
        try:
            groups.append(tuple(_parse_constraint(each, modern) for each in found))
        except SemverError as err:
            return err
    return tuple(groups)


def check_constraints(constraint: str, version: str, modern: bool = True) -> bool:
    """semverCompare without the template wrapper; raises SemverError."""
    groups = parse_constraints(constraint, modern)
    if isinstance(groups, SemverError):
        raise groups
    parsed = new_version(version, modern)
    for group in groups:
        include_pre = any(c.version.pre for c in group) if modern else None
        if all(_check(parsed, c, include_pre) for c in group):
            return True
    return False


def parse_version(text: str, modern: bool = True) -> Version | None:
    """semver.NewVersion where only success matters: None where it returns an error."""
    try:
        return new_version(text, modern)
    except SemverError:
        return None


def constraint_matches(constraint: str, version: str, modern: bool = True) -> bool:
    """chartutil.IsCompatibleRange (Chart.yaml kubeVersion): a version or constraint that does not
    parse simply does not match. `modern`: semver v3.4.0 (Helm 4) rather than v3.3.0 (Helm 3)."""
    try:
        return check_constraints(constraint, version, modern)
    except SemverError:
        return False
