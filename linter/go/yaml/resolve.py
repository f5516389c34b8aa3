"""go-yaml v2's resolve.go: the tag and Go value of a plain or tagged scalar (YAML 1.1 booleans,
base-prefixed ints, floats, timestamps)."""

from __future__ import annotations

import math
import re
from typing import Any

from chartfix.go.strconv import parse_float, parse_int, parse_uint
from chartfix.go.types import INT64_MIN, UINT64_MAX
from chartfix.go.yaml.errors import YamlError

STR_TAG = "tag:yaml.org,2002:str"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
BINARY_TAG = "tag:yaml.org,2002:binary"
MERGE_TAG = "tag:yaml.org,2002:merge"
RESOLVABLE_TAGS = frozenset(("", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG))


_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _value, _tag, _words in (
    (True, BOOL_TAG, ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")),
    (False, BOOL_TAG, ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")),
    (None, NULL_TAG, ("", "~", "null", "Null", "NULL")),
    (math.nan, FLOAT_TAG, (".nan", ".NaN", ".NAN")),
    (math.inf, FLOAT_TAG, (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")),
    (-math.inf, FLOAT_TAG, ("-.inf", "-.Inf", "-.INF")),
    ("<<", MERGE_TAG, ("<<",)),
):
    for _word in _words:
        _RESOLVE_MAP[_word] = (_tag, _value)

_HINT_DIGIT_OR_SIGN = frozenset("+-0123456789")
_HINT_IN_MAP = frozenset("yYnNtTfFoO~")
_HINT_ANY = _HINT_DIGIT_OR_SIGN | _HINT_IN_MAP | {"."}
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z")


def resolve(tag: str, text: str) -> tuple[str, Any]:
    """go-yaml v2's resolve(): the tag and Go value of a scalar (ints as Python int, floats as float;
    an int above int64 is Go's uint64). Raises YamlError when an explicit tag does not fit."""
    if tag not in RESOLVABLE_TAGS:
        return tag, text
    rtag, out = resolve_plain(tag, text)
    if tag in ("", rtag, STR_TAG, BINARY_TAG):
        return rtag, out
    if tag == FLOAT_TAG and rtag == INT_TAG:
        return FLOAT_TAG, float(out)
    raise YamlError(f"yaml: cannot decode {_short_tag(rtag)} `{text}` as a {_short_tag(tag)}")


# resolve_untagged's memo of the texts that need work (numbers, booleans, nulls...). Only short
# texts are kept, and it is emptied when full, so hostile input cannot make it grow without bound.
_UNTAGGED_MEMO: dict[str, tuple[str, Any]] = {}
_UNTAGGED_MEMO_TEXT_MAX = 64
_UNTAGGED_MEMO_SIZE = 4096


def resolve_untagged(text: str) -> tuple[str, Any]:
    """resolve("", text): the tag and value of a plain scalar without tag. Never raises. Rendered
    manifests repeat the same plain texts (ports, booleans) many times, so results are kept."""
    if text and text[0] not in _HINT_ANY:
        return STR_TAG, text  # most keys and strings: no other type starts that way
    found = _UNTAGGED_MEMO.get(text)
    if found is None:
        found = resolve_plain("", text)
        if len(text) <= _UNTAGGED_MEMO_TEXT_MAX:
            if len(_UNTAGGED_MEMO) >= _UNTAGGED_MEMO_SIZE:
                _UNTAGGED_MEMO.clear()
            _UNTAGGED_MEMO[text] = found
    return found


def resolve_plain(tag: str, text: str) -> tuple[str, Any]:
    hint = text[0] if text else "N"
    if tag in (STR_TAG, BINARY_TAG):
        return STR_TAG, text
    if hint in _HINT_ANY:
        item = _RESOLVE_MAP.get(text)
        if item is not None:
            return item
        if hint == ".":
            if _DOT_FLOAT.match(text):
                value = parse_float(text)
                if value is not None:
                    return FLOAT_TAG, value
        elif hint in _HINT_DIGIT_OR_SIGN:
            if (tag in ("", TIMESTAMP_TAG)) and is_timestamp(text):
                return TIMESTAMP_TAG, text
            plain = text.replace("_", "")
            intv = parse_int(plain)
            if intv is not None:
                return INT_TAG, intv
            uintv = parse_uint(plain)
            if uintv is not None:
                return INT_TAG, uintv
            if _YAML_STYLE_FLOAT.match(plain):
                value = parse_float(plain)
                if value is not None:
                    return FLOAT_TAG, value
            if plain.startswith("0b"):
                intv = _parse_binary(plain[2:])
                if intv is not None and intv <= UINT64_MAX:
                    return INT_TAG, intv
            elif plain.startswith("-0b"):
                intv = _parse_binary(plain[3:])
                if intv is not None and intv <= -INT64_MIN:
                    return INT_TAG, -intv
    return STR_TAG, text


def _parse_binary(s: str) -> int | None:
    if not s or len(s) > 64 or any(c not in "01" for c in s):
        return None
    return int(s, 2)


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


_TS_DATE = r"(\d{4})-(\d\d?)-(\d\d?)"
_TS_TIME = r"(\d\d?):(\d\d?):(\d\d?)(?:[.,](\d{1,9}))?"
_TIMESTAMP_FORMS = (
    re.compile(_TS_DATE + r"[Tt]" + _TS_TIME + r"(Z|[+-]\d\d:\d\d)\Z"),
    re.compile(_TS_DATE + " " + _TS_TIME + r"\Z"),
    re.compile(_TS_DATE + r"\Z"),
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_timestamp(s: str) -> bool:
    """go-yaml v2's parseTimestamp (time.Parse with its four layouts) succeeds."""
    if len(s) < 5 or s[4] != "-" or not s[:4].isdigit():
        return False
    for form in _TIMESTAMP_FORMS:
        m = form.match(s)
        if not m:
            continue
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not 1 <= month <= 12:
            continue
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        days = 29 if month == 2 and leap else _DAYS_IN_MONTH[month - 1]
        if not 1 <= day <= days:
            continue
        if m.lastindex and m.lastindex >= 6:
            hour, minute, second = int(m.group(4)), int(m.group(5)), int(m.group(6))
            if hour > 23 or minute > 59 or second > 59:
                continue
        return True
    return False


_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\Z")


def is_base60_float(s: str) -> bool:
    if not s or not (s[0] in "+-" or s[0].isdigit() and s[0] < "\x80") or ":" not in s:
        return False
    return _BASE60_FLOAT.match(s) is not None
