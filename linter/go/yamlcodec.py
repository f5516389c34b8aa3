"""YAML as Helm reads and writes it: sigs.k8s.io/yaml over go-yaml v2.

Reading (`load_yaml_values`, `yaml_unmarshal`) follows sigs.k8s.io/yaml.Unmarshal: go-yaml v2 decodes
the first document with its YAML 1.1 resolver (resolve.go), map keys become strings
(convertToJSONableObject), then the result goes through encoding/json, so every number ends up a
float64 (Python float). The syntax layer is libyaml (go-yaml v2 is a Go port of it) through PyYAML's C
extension; without that extension, ruamel.yaml's pure-Python parser stands in, its errors reworded the
way libyaml words them.

Writing (`marshal_yaml`) follows sigs.k8s.io/yaml.Marshal: encoding/json, re-read by go-yaml v2,
written by go-yaml v2's emitter (emitterc.go) with its key order (sorter.go), quoting and folding.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cmp_to_key, lru_cache
from typing import Any

import yaml
import yaml.events
import yaml.reader
import yaml.scanner
from ruamel.yaml.docinfo import DocInfo
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.loader import SafeLoader
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import ScannerError
from ruamel.yaml.tokens import ScalarToken

from chartfix.errors import LimitExceeded, Position, ValuesError
from chartfix.go.types import GoStruct
from chartfix.go.unicode import go_runes

_LIBYAML = yaml.__with_libyaml__
if _LIBYAML:
    from yaml.cyaml import CParser as _CParser

# Nesting deeper than this is refused (go-yaml v2 has no limit; Python's stack has one).
MAX_DEPTH = 400
# Hard cap on decoded nodes, on top of go-yaml's alias-ratio rule.
MAX_DECODE_COUNT = 5_000_000

_INT64_MIN = -(1 << 63)
_INT64_MAX = (1 << 63) - 1
_UINT64_MAX = (1 << 64) - 1

_STR_TAG = "tag:yaml.org,2002:str"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_BINARY_TAG = "tag:yaml.org,2002:binary"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_RESOLVABLE_TAGS = frozenset(("", _STR_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG, _NULL_TAG, _TIMESTAMP_TAG))


class YamlError(Exception):
    """A go-yaml / sigs.k8s.io/yaml error: `message` is Go's err.Error() text."""

    def __init__(self, message: str, line: int = 0, column: int = 0, limit: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line  # 1-based position of the problem when known, for our own reports
        self.column = column
        self.limit = limit


class JsonMarshalError(Exception):
    """encoding/json.Marshal failed; `message` is Go's text (e.g. `json: unsupported value: NaN`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------
# Go number formatting (strconv.FormatFloat) on top of Python's shortest repr, which picks the
# same digits as Go's shortest formatting.


def _shortest_digits(f: float) -> tuple[str, int]:
    """Digits and decimal-point position of abs(f): value = 0.DIGITS * 10**dp."""
    mantissa, _, exponent = repr(abs(f)).partition("e")
    int_part, _, frac_part = mantissa.partition(".")
    digits = int_part + frac_part
    dp = len(int_part) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    stripped = stripped.rstrip("0")
    if not stripped:
        return "0", 1
    return stripped, dp


def _fmt_e(neg: bool, digits: str, dp: int, exp_min_digits: int = 2) -> str:
    exp = dp - 1 if digits != "0" else 0
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return ("-" if neg else "") + mant + "e" + sign + str(abs(exp)).rjust(exp_min_digits, "0")


def _fmt_f(neg: bool, digits: str, dp: int) -> str:
    if dp > 0:
        int_part = digits[:dp].ljust(dp, "0")
        frac = digits[dp:]
    else:
        int_part = "0"
        frac = "0" * -dp + digits
    return ("-" if neg else "") + int_part + ("." + frac if frac else "")


def _special_float(f: float) -> str | None:
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    return None


def format_float_g(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64): what fmt's %v and go-yaml print for a float64."""
    special = _special_float(f)
    if special:
        return special
    neg = math.copysign(1.0, f) < 0
    digits, dp = _shortest_digits(f)
    exp = dp - 1
    if digits == "0":
        return "-0" if neg else "0"
    # shortest %g switches to an exponent outside [1e-4, 1e6) (strconv/ftoa.go: eprec = 6)
    if exp < -4 or exp >= 6:
        return _fmt_e(neg, digits, dp)
    return _fmt_f(neg, digits, dp)


def format_float_g32(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 32): shortest digits that survive a float32 round trip."""
    special = _special_float(f)
    if special:
        return special
    try:
        f32 = struct.unpack("f", struct.pack("f", f))[0]
    except OverflowError:
        return "+Inf" if f > 0 else "-Inf"
    if f32 == 0:
        return "-0" if math.copysign(1.0, f32) < 0 else "0"
    for precision in range(1, 10):
        text = f"{f32:.{precision - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            break
    neg = f32 < 0
    mantissa, _, exponent = text.lstrip("-").partition("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    dp = int(exponent) + 1
    if dp - 1 < -4 or dp - 1 >= 6:
        return _fmt_e(neg, digits, dp)
    return _fmt_f(neg, digits, dp)


def format_float_f(f: float) -> str:
    """strconv.FormatFloat(f, 'f', -1, 64) for a finite f."""
    neg = math.copysign(1.0, f) < 0
    if f == 0:
        return "-0" if neg else "0"
    digits, dp = _shortest_digits(f)
    return _fmt_f(neg, digits, dp)


def format_float_json(f: float) -> str:
    """encoding/json's float64 text. Raises JsonMarshalError for NaN and infinities."""
    special = _special_float(f)
    if special:
        raise JsonMarshalError(f"json: unsupported value: {special}")
    neg = math.copysign(1.0, f) < 0
    if f == 0:
        return "-0" if neg else "0"
    digits, dp = _shortest_digits(f)
    a = abs(f)
    if a < 1e-6 or a >= 1e21:
        text = _fmt_e(neg, digits, dp)
        # encoding/json turns e-07 into e-7
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return text
    return _fmt_f(neg, digits, dp)


# ---------------------------------------------------------------------------------------------
# go-yaml v2 resolve.go


_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _value, _tag, _words in (
    (True, _BOOL_TAG, ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")),
    (False, _BOOL_TAG, ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")),
    (None, _NULL_TAG, ("", "~", "null", "Null", "NULL")),
    (math.nan, _FLOAT_TAG, (".nan", ".NaN", ".NAN")),
    (math.inf, _FLOAT_TAG, (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")),
    (-math.inf, _FLOAT_TAG, ("-.inf", "-.Inf", "-.INF")),
    ("<<", _MERGE_TAG, ("<<",)),
):
    for _word in _words:
        _RESOLVE_MAP[_word] = (_tag, _value)

_HINT_DIGIT_OR_SIGN = frozenset("+-0123456789")
_HINT_IN_MAP = frozenset("yYnNtTfFoO~")
_HINT_ANY = _HINT_DIGIT_OR_SIGN | _HINT_IN_MAP | {"."}
_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?\Z")
_DIGITS = {2: frozenset("01"), 8: frozenset("01234567"), 10: frozenset("0123456789")}
_DIGITS[16] = frozenset("0123456789abcdefABCDEF")


def _parse_uint_base0(s: str) -> int | None:
    """strconv.ParseUint(s, 0, 64) (underscores already removed)."""
    if not s:
        return None
    base = 10
    if s[0] == "0":
        low = s[1:2].lower()
        if len(s) >= 3 and low in ("b", "o", "x"):
            base = {"b": 2, "o": 8, "x": 16}[low]
            s = s[2:]
        else:
            base = 8
            s = s[1:]
            if not s:
                return 0
    allowed = _DIGITS[base]
    if not s or len(s) > 66 or any(c not in allowed for c in s):
        return None  # longer than any uint64 in any base: out of range (and past Python's int() limit)
    value = int(s, base)
    return value if value <= _UINT64_MAX else None


def _parse_int_base0(s: str) -> int | None:
    """strconv.ParseInt(s, 0, 64)."""
    neg = False
    if s[:1] in ("+", "-"):
        neg = s[0] == "-"
        s = s[1:]
    value = _parse_uint_base0(s)
    if value is None:
        return None
    if neg:
        return -value if value <= -_INT64_MIN else None
    return value if value <= _INT64_MAX else None


def _parse_float(s: str) -> float | None:
    try:
        value = float(s)
    except ValueError:
        return None
    return None if math.isinf(value) else value


def resolve(tag: str, text: str) -> tuple[str, Any]:
    """go-yaml v2's resolve(): the tag and Go value of a scalar (ints as Python int, floats as float;
    an int above int64 is Go's uint64). Raises YamlError when an explicit tag does not fit."""
    if tag not in _RESOLVABLE_TAGS:
        return tag, text
    rtag, out = _resolve_plain(tag, text)
    if tag in ("", rtag, _STR_TAG, _BINARY_TAG):
        return rtag, out
    if tag == _FLOAT_TAG and rtag == _INT_TAG:
        return _FLOAT_TAG, float(out)
    raise YamlError(f"yaml: cannot decode {_short_tag(rtag)} `{text}` as a {_short_tag(tag)}")


def _resolve_plain(tag: str, text: str) -> tuple[str, Any]:
    hint = text[0] if text else "N"
    if tag in (_STR_TAG, _BINARY_TAG):
        return _STR_TAG, text
    if hint in _HINT_ANY:
        item = _RESOLVE_MAP.get(text)
        if item is not None:
            return item
        if hint == ".":
            if _DOT_FLOAT.match(text):
                value = _parse_float(text)
                if value is not None:
                    return _FLOAT_TAG, value
        elif hint in _HINT_DIGIT_OR_SIGN:
            if (tag in ("", _TIMESTAMP_TAG)) and is_timestamp(text):
                return _TIMESTAMP_TAG, text
            plain = text.replace("_", "")
            intv = _parse_int_base0(plain)
            if intv is not None:
                return _INT_TAG, intv
            uintv = _parse_uint_base0(plain)
            if uintv is not None:
                return _INT_TAG, uintv
            if _YAML_STYLE_FLOAT.match(plain):
                value = _parse_float(plain)
                if value is not None:
                    return _FLOAT_TAG, value
            if plain.startswith("0b"):
                intv = _parse_binary(plain[2:])
                if intv is not None and intv <= _UINT64_MAX:
                    return _INT_TAG, intv
            elif plain.startswith("-0b"):
                intv = _parse_binary(plain[3:])
                if intv is not None and intv <= -_INT64_MIN:
                    return _INT_TAG, -intv
    return _STR_TAG, text


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


def _is_base60_float(s: str) -> bool:
    if not s or not (s[0] in "+-" or s[0].isdigit() and s[0] < "\x80") or ":" not in s:
        return False
    return _BASE60_FLOAT.match(s) is not None


# ---------------------------------------------------------------------------------------------
# Parsing: libyaml (or ruamel.yaml) events -> go-yaml v2 nodes


class _Node:
    __slots__ = ("kind", "value", "tag", "implicit", "children", "alias", "line", "column")

    def __init__(self, kind: str, line: int, column: int) -> None:
        self.kind = kind  # "scalar", "mapping", "sequence", "alias"
        self.value = ""
        self.tag = ""
        self.implicit = False
        self.children: list[_Node] = []
        self.alias: _Node | None = None
        self.line = line
        self.column = column


# ruamel's wording -> libyaml's (what go-yaml v2 reports)
_PROBLEM_REWORDING = (
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("block sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
    ("sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
    ("mapping keys are not allowed here", "mapping keys are not allowed in this context"),
    ("found character", "found character that cannot start any token"),
    ("expected the node content", "did not find expected node content"),
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
    ("expected '<document start>'", "did not find expected <document start>"),
    ("expected alphabetic or numeric character", "did not find expected alphabetic or numeric character"),
    ("expected a comment or a line break", "did not find expected comment or line break"),
    ("expected chomping or indentation indicators", "did not find expected comment or line break"),
    ("expected ' ', but found", "did not find expected whitespace or line break"),
    ("found unexpected end of stream", "found unexpected end of stream"),
    ("expected escape sequence of", "did not find expected hexdecimal number"),
    ("found unexpected document separator", "found unexpected document indicator"),
    ("expected indentation indicator in the range 1-9", "found an indentation indicator equal to 0"),
    ("found unknown escape character", "found unknown escape character"),
    ("found undefined tag handle", "found undefined tag handle"),
    ("could not find expected ':'", "could not find expected ':'"),
)


def _libyaml_problem(err: MarkedYAMLError) -> str:
    problem = err.problem or ""
    if "directive" in (err.context or "") and problem.startswith("expected alphabetic or numeric"):
        return "could not find expected directive name"
    if problem.startswith("expected <block end>"):
        if "mapping" in (err.context or ""):
            return "did not find expected key"
        return "did not find expected '-' indicator"
    for ruamel_text, libyaml_text in _PROBLEM_REWORDING:
        if problem.startswith(ruamel_text):
            return libyaml_text
    return problem or "unknown problem parsing YAML content"


def _syntax_error(err: MarkedYAMLError, text_length: int) -> YamlError:
    problem_line = err.problem_mark.line if err.problem_mark is not None else 0
    context_line = err.context_mark.line if err.context_mark is not None else 0
    # go-yaml's parser.fail(): scanner errors add one to the 0-based line, parser errors don't.
    mark = err.problem_mark
    at_stream_end = "<stream end>" in (err.problem or "") or err.problem == "could not find expected ':'"
    if at_stream_end and mark is not None and mark.column != 0 and mark.index >= text_length:
        problem_line += 1  # libyaml moves to a fresh line before the STREAM-END token
    if problem_line:
        line = problem_line + (1 if isinstance(err, ScannerError) else 0)
    else:
        line = context_line
    where = f"line {line}: " if line else ""
    mark = err.problem_mark or err.context_mark
    return YamlError(
        f"yaml: {where}{_libyaml_problem(err)}",
        mark.line + 1 if mark is not None else 0,
        mark.column + 1 if mark is not None else 0,
    )


_BLANKS_BLOCK = re.compile(" *")
_BLANKS_FLOW = re.compile("[ \t]*")
_LINE_END = re.compile("[\n\0\r\x85\u2028\u2029]")
_ANCHOR_NAME = re.compile("[0-9A-Za-z_-]+")
_BLANKZ = frozenset(" \t\r\n\x85\u2028\u2029\0")
_BREAK_CHARS = frozenset("\r\n\x85\u2028\u2029")
_PLAIN_RUN_BLOCK = re.compile("[^ \t\r\n\x85\u2028\u2029\0:]+")
_PLAIN_RUN_FLOW = re.compile("[^ \t\r\n\x85\u2028\u2029\0:,?\\[\\]{}]+")


class _FastLoader(SafeLoader):
    """ruamel's safe loader with its two hottest loops (per-character `forward`, and skipping
    blanks and comments) done in bulk; positions and tokens stay exactly the same."""

    # The loader is its own reader, scanner and resolver; skip ruamel's indirections.
    reader = property(lambda self: self)
    scanner = property(lambda self: self)
    resolver = property(lambda self: self)
    _tokens_ready = False

    def _fill_tokens(self) -> None:
        while self.need_more_tokens():
            self.fetch_more_tokens()
        # Nothing changes the answer of need_more_tokens until a token is taken.
        self._tokens_ready = True

    def check_token(self, *choices: Any) -> bool:
        if not self._tokens_ready:
            self._fill_tokens()
        if self.tokens:
            return not choices or isinstance(self.tokens[0], choices)
        return False

    def peek_token(self) -> Any:
        if not self._tokens_ready:
            self._fill_tokens()
        return self.tokens[0] if self.tokens else None

    def get_token(self) -> Any:
        if not self._tokens_ready:
            self._fill_tokens()
        self._tokens_ready = False
        if self.tokens:
            self.tokens_taken += 1
            return self.tokens.pop(0)
        return None

    def forward(self, length: int = 1) -> None:
        buf = self.buffer
        p = self.pointer
        if length == 1:
            ch = buf[p]
            self.pointer = p + 1
            self.index += 1
            if ch == "\n" or (ch == "\r" and buf[p + 1] != "\n"):
                self.line += 1
                self.column = 0
            elif ch != "\ufeff":
                self.column += 1
            return
        chunk = buf[p : p + length]
        if len(chunk) < length or "\n" in chunk or "\r" in chunk or "\ufeff" in chunk:
            SafeLoader.forward(self, length)
            return
        self.pointer = p + length
        self.index += length
        self.column += length

    def scan_to_next_token(self) -> None:
        buf = self.buffer
        if self.index == 0 and buf[self.pointer] == "\ufeff":
            self.forward()
        while True:
            # libyaml eats tabs too, except where a simple key may start (line start, after `- `)
            blanks = _BLANKS_FLOW if self.flow_level > 0 or not self.allow_simple_key else _BLANKS_BLOCK
            p = self.pointer
            q = blanks.match(buf, p).end()  # type: ignore[union-attr]
            if buf[q] == "#":
                q = _LINE_END.search(buf, q).start()  # type: ignore[union-attr]
            if q > p:
                self.column += q - p - buf.count("\ufeff", p, q)
                self.index += q - p
                self.pointer = q
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                return

    def scan_anchor(self, TokenClass: Any) -> Any:  # noqa: N803 (ruamel's signature)
        """libyaml's anchor names: only [0-9A-Za-z_-], then a blank or one of `?:,]}%@``."""
        buf = self.buffer
        start_mark = self.get_mark()
        name = "alias" if buf[self.pointer] == "*" else "anchor"
        self.forward()
        match = _ANCHOR_NAME.match(buf, self.pointer)
        length = match.end() - self.pointer if match else 0
        following = buf[self.pointer + length]
        if not length or not (following in _BLANKZ or following in "?:,]}%@`"):
            self.forward(length)
            raise ScannerError(
                f"while scanning an {name}",
                start_mark,
                "did not find expected alphabetic or numeric character",
                self.get_mark(),
            )
        value = buf[self.pointer : self.pointer + length]
        self.forward(length)
        return TokenClass(value, start_mark, self.get_mark())

    def scan_plain(self) -> ScalarToken:
        """libyaml's plain scalar scanner (tabs are blanks inside a plain scalar, unlike ruamel's)."""
        buf = self.buffer
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        run = _PLAIN_RUN_FLOW if self.flow_level else _PLAIN_RUN_BLOCK
        chunks: list[str] = []
        whitespaces: list[str] = []
        trailing_breaks: list[str] = []
        leading_break = ""
        leading_blanks = False
        while True:
            p = self.pointer
            if self.column == 0 and buf.startswith(("---", "..."), p) and buf[p + 3] in _BLANKZ:
                break
            if buf[p] == "#":
                break
            while buf[self.pointer] not in _BLANKZ:
                p = self.pointer
                ch = buf[p]
                if (ch == ":" and buf[p + 1] in _BLANKZ) or (self.flow_level and ch in ",?[]{}"):
                    break
                if leading_blanks:
                    if leading_break == "\n":
                        chunks.append("".join(trailing_breaks) if trailing_breaks else " ")
                    else:
                        chunks.append(leading_break)
                        chunks.extend(trailing_breaks)
                    trailing_breaks = []
                    leading_break = ""
                    leading_blanks = False
                elif whitespaces:
                    chunks.extend(whitespaces)
                    whitespaces = []
                match = run.match(buf, p)
                length = match.end() - p if match else 1
                chunks.append(buf[p : p + length])
                self.forward(length)
                end_mark = self.get_mark()
            ch = buf[self.pointer]
            if ch not in " \t" and ch not in _BREAK_CHARS:
                break
            while True:
                ch = buf[self.pointer]
                if ch == " " or ch == "\t":
                    if leading_blanks and self.column < indent and ch == "\t":
                        raise ScannerError(
                            "while scanning a plain scalar",
                            start_mark,
                            "found a tab character that violates indentation",
                            self.get_mark(),
                        )
                    if not leading_blanks:
                        whitespaces.append(ch)
                    self.forward()
                elif ch in _BREAK_CHARS:
                    if not leading_blanks:
                        whitespaces = []
                        leading_break = self.scan_line_break()
                        leading_blanks = True
                    else:
                        trailing_breaks.append(self.scan_line_break())
                else:
                    break
            if not self.flow_level and self.column < indent:
                break
        if leading_blanks:
            self.allow_simple_key = True
        return ScalarToken("".join(chunks), True, start_mark, end_mark)


def _too_deep(line: int, column: int) -> YamlError:
    return YamlError(f"yaml: nesting deeper than {MAX_DEPTH} levels", line + 1, column + 1, limit=True)


class _LibyamlDiverges(Exception):
    """libyaml (0.2.5 and later) reads this text differently from go-yaml v2."""


def _tree_from_events(
    next_event: Callable[[], Any], kinds: dict[type, str], is_libyaml: bool = False
) -> _Node | None:
    """go-yaml v2's parser (decode.go) over an event stream: the first document's node tree.
    `kinds` maps event classes to "scalar", "alias", "mapping", "sequence", "end" (of a collection)
    or "stop" (document or stream end); other events are skipped."""
    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    root: _Node | None = None
    flow_from = -1  # stack index of the outermost flow collection, -1 in block context
    while True:
        event = next_event()
        kind = kinds.get(type(event))
        if kind is None:
            continue
        # yaml.v2 stops after the first document's DOCUMENT-END event (it peeks one token past
        # the root node, so an error right after it still counts)
        if kind == "stop":
            return root
        if kind == "end":
            stack.pop()
            if len(stack) == flow_from:
                flow_from = -1
            continue
        mark = event.start_mark
        node = _Node(kind, mark.line, mark.column)
        if kind == "scalar":
            node.value = event.value
            node.tag = event.tag or ""
            node.implicit = bool(event.implicit[0])
            # go-yaml ends a plain scalar at `?` in flow context; libyaml 0.2.5 does not
            if is_libyaml and flow_from >= 0 and not event.style and "?" in event.value:
                raise _LibyamlDiverges
        elif kind == "alias":
            node.value = event.anchor
            node.alias = anchors.get(event.anchor)
            if node.alias is None:
                raise YamlError(
                    f"yaml: unknown anchor '{event.anchor}' referenced", mark.line + 1, mark.column + 1
                )
        elif len(stack) >= MAX_DEPTH:
            raise _too_deep(mark.line, mark.column)
        if kind != "alias" and event.anchor:
            anchors[event.anchor] = node
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        if kind == "mapping" or kind == "sequence":
            if flow_from < 0 and event.flow_style:
                flow_from = len(stack)
            stack.append(node)


_PYYAML_EVENT_KINDS: dict[type, str] = {
    yaml.events.ScalarEvent: "scalar",
    yaml.events.AliasEvent: "alias",
    yaml.events.MappingStartEvent: "mapping",
    yaml.events.SequenceStartEvent: "sequence",
    yaml.events.MappingEndEvent: "end",
    yaml.events.SequenceEndEvent: "end",
    yaml.events.DocumentEndEvent: "stop",
    yaml.events.StreamEndEvent: "stop",
}

# A tag (`!x`, `!h!x`) holding `,`, `[` or `]`: go-yaml takes them into the tag, libyaml 0.2.5 ends
# the tag there. A `!` right after a URI character (other than a closing quote) starts no token.
# (Also matches such text inside quoted scalars; those texts merely take the slower parser.)
_TAG_WITH_FLOW_CHARS = re.compile(
    r"(?<![0-9A-Za-z_\-;/?:@&=+$.!~*()%])![0-9A-Za-z_\-;/?:@&=+$.!~*'()%]*[,\[\]]"
)
# The directives before the first document (comments and blank lines may come between).
_LEADING_DIRECTIVES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n|%[^\n]*\n)*")
_YAML_DIRECTIVE = re.compile(r"^%YAML[ \t]+([0-9]+)\.([0-9]+)[ \t\r]*(?:#|$)", re.M)


def _libyaml_reads_like_go_yaml(text: str) -> bool:
    """False for the texts where libyaml's reading is known to differ from go-yaml v2's, found
    without parsing: a byte order mark after the start (go-yaml's is_bom() looks at the start of
    its buffer only, so it keeps the mark as content), or a tag with a flow character."""
    if text.find("\ufeff", 1) >= 0:
        return False
    return "!" not in text or _TAG_WITH_FLOW_CHARS.search(text) is None


def _go_input_bytes(text: str) -> bytes:
    """The bytes Helm hands to go-yaml: invalid UTF-8 comes back from its surrogate escapes, so
    libyaml's reader reports it as go-yaml's (same code) does."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no byte decoded to: invalid UTF-8 all the same
        return text.encode("utf-8", "surrogatepass")


def _build_tree_libyaml(text: str) -> _Node | None:
    """The first document's tree from libyaml's events. Raises YamlError, or _LibyamlDiverges when
    go-yaml v2 would read the text differently."""
    # go-yaml's newParser() feeds a lone newline for empty input
    parser = _CParser(_go_input_bytes(text) if text else b"\n")
    try:
        return _tree_from_events(parser.get_event, _PYYAML_EVENT_KINDS, is_libyaml=True)
    except yaml.MarkedYAMLError as err:
        raise _libyaml_syntax_error(err, text) from None
    except yaml.reader.ReaderError as err:
        raise YamlError(f"yaml: {err.reason}") from None
    finally:
        parser.dispose()


def _libyaml_syntax_error(err: yaml.MarkedYAMLError, text: str) -> Exception:
    """go-yaml's parser.fail() text for a libyaml error: "line N: " with the 0-based line of the
    problem (plus one for scanner errors), else of the context, and only when N is not 0."""
    problem = err.problem or "unknown problem parsing YAML content"
    problem_mark, context_mark = err.problem_mark, err.context_mark
    if problem == "exceeded maximum nesting depth":
        # libyaml >= 0.2.6 refuses 1000 levels while scanning ahead (go-yaml: 10000); such a
        # document is past our own limit anyway
        return _too_deep(problem_mark.line, problem_mark.column)
    if problem == "found unexpected ':'":
        return _LibyamlDiverges()  # libyaml refuses `x:` before a flow indicator, go-yaml does not
    read = text[: problem_mark.index + 1] if problem_mark is not None else text
    if "?" in read and ("[" in read or "{" in read):
        return _LibyamlDiverges()  # a `?` may have ended a flow plain scalar for go-yaml
    line = 0
    if problem == "could not find expected ':'" and problem_mark is not None and context_mark is not None:
        go_line = _stale_key_line(context_mark, problem_mark, text)
        line = go_line + 1 if go_line else 0  # a scanner error
    elif problem_mark is not None and problem_mark.line:
        line = problem_mark.line + (1 if isinstance(err, yaml.scanner.ScannerError) else 0)
    elif context_mark is not None:
        line = context_mark.line
    where = f"line {line}: " if line else ""
    mark = problem_mark or context_mark
    return YamlError(
        f"yaml: {where}{problem}",
        mark.line + 1 if mark is not None else 0,
        mark.column + 1 if mark is not None else 0,
    )


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_NODE_PROPERTIES = re.compile(r"(?:[&!][^ \t\r\n]*[ \t]+)*")
_QUOTED_SCALAR = {"'": re.compile(r"'(?:[^']|'')*'"), '"': re.compile(r'"(?:[^"\\]|\\.)*"', re.S)}
_COMMENT_LINE = re.compile("(?:\r\n|[\r\n\x85\u2028\u2029])[ \t]*#")
_NOT_PLAIN_START = frozenset("'\"*&![]{}|>#%@` \t\r\n")


def _stale_key_line(key: Any, problem: Any, text: str) -> int:
    """The 0-based line where go-yaml v2 notices that a required simple key has no `:`.

    libyaml looks for stale keys after skipping the blanks and comments that follow a token.
    go-yaml (since v2.3) looks right after the token, where a plain scalar has eaten the line
    breaks and indentation after it but not a comment, and a quoted one nothing; failing that,
    after the next token, and its STREAM-END token first moves to a new line."""
    offset = 1 if text.startswith("\ufeff") else 0  # libyaml's index skips a leading BOM
    start, end = key.index + offset, problem.index + offset
    content = _NODE_PROPERTIES.match(text, start).end()  # type: ignore[union-attr]
    first = text[content : content + 1]
    if first in _QUOTED_SCALAR:
        quoted = _QUOTED_SCALAR[first].match(text, content, end)
        if quoted:
            line = key.line + len(_LINE_BREAK.findall(text, start, quoted.end()))
            if line > key.line:
                return line
    elif first and first not in _NOT_PLAIN_START:
        comment = _COMMENT_LINE.search(text, start, end)
        if comment:
            return key.line + len(_LINE_BREAK.findall(text, start, comment.start())) + 1
        return problem.line
    at_end = end >= len(text)
    return problem.line + 1 if at_end and problem.column else problem.line


_RUAMEL_EVENT_KINDS: dict[type, str] = {
    ScalarEvent: "scalar",
    AliasEvent: "alias",
    MappingStartEvent: "mapping",
    SequenceStartEvent: "sequence",
    MappingEndEvent: "end",
    SequenceEndEvent: "end",
    DocumentEndEvent: "stop",
    StreamEndEvent: "stop",
}


def _build_tree_ruamel(text: str) -> _Node | None:
    """The first document's tree from ruamel.yaml's events (pure Python, tuned to go-yaml v2)."""
    try:
        loader = _FastLoader(text if text else "\n", version=(1, 1))
        loader.doc_infos = [DocInfo()]  # ruamel's %YAML directive handling expects it
        return _tree_from_events(loader.get_event, _RUAMEL_EVENT_KINDS)
    except MarkedYAMLError as err:
        raise _syntax_error(err, len(text)) from None
    except ReaderError:
        raise YamlError("yaml: control characters are not allowed") from None
    except RecursionError:
        raise YamlError("yaml: document nested too deeply", limit=True) from None


def _check_yaml_directive(text: str) -> None:
    """go-yaml v2 refuses a document whose first %YAML directive is not 1.1 (parserc.go); neither
    libyaml (which takes 1.2 too) nor ruamel does it the same way."""
    directives = _LEADING_DIRECTIVES.match(text + "\n").group()  # type: ignore[union-attr]
    match = _YAML_DIRECTIVE.search(directives)
    if match and (match.group(1), match.group(2)) != ("1", "1"):
        line = directives.count("\n", 0, match.start())
        where = f"line {line}: " if line else ""
        raise YamlError(f"yaml: {where}found incompatible YAML document", line + 1, 1)


def _build_tree(text: str) -> _Node | None:
    """libyaml through PyYAML's C extension when it is there (fast), else ruamel. libyaml 0.2.5 has
    a few changes go-yaml v2 never took (flow plain scalars, local tags, byte order marks); texts
    that meet them go to the ruamel parser, which follows go-yaml there."""
    if text.startswith("%") or "\n%YAML" in text:
        _check_yaml_directive(text)
    if _LIBYAML and _libyaml_reads_like_go_yaml(text):
        try:
            return _build_tree_libyaml(text)
        except _LibyamlDiverges:
            pass
    return _build_tree_ruamel(text)


@lru_cache(maxsize=64)
def _parse_first_document(text: str) -> _Node | None:
    """The first document's node tree (None for an empty stream), as go-yaml v2's parser builds it.
    Trees are never modified after parsing, so they are cached: charts are rendered for both Helm
    versions and templates often feed the same text to fromYaml."""
    return _build_tree(text)


# ---------------------------------------------------------------------------------------------
# Decoding: go-yaml v2 decode.go into interface{}, then sigs.k8s.io/yaml's JSON conversion.


def _allowed_alias_ratio(decode_count: int) -> float:
    if decode_count <= 400_000:
        return 0.99
    if decode_count >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * ((decode_count - 400_000) / 3_600_000)


def _go_json_string(raw: bytes) -> str:
    """Go's JSON encoding of a byte string: each invalid UTF-8 byte becomes U+FFFD."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    i = 0
    while i < len(raw):
        for width in (1, 2, 3, 4):
            try:
                out.append(raw[i : i + width].decode("utf-8"))
                i += width
                break
            except UnicodeDecodeError:
                continue
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out)


class _Decoder:
    """go-yaml v2 decoding into interface{}, with sigs.k8s.io/yaml's key conversion and JSON numbers.

    Counts decode operations exactly as decode.go does, for its alias-expansion limit."""

    def __init__(self) -> None:
        self.decode_count = 1  # the document node
        self.alias_count = 0
        self.alias_depth = 0
        self.active_aliases: set[int] = set()
        self.saw_non_finite = False

    def count(self) -> None:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise YamlError("yaml: document contains excessive aliasing", limit=True)
        if self.decode_count > MAX_DECODE_COUNT:
            raise YamlError("yaml: document too large after alias expansion", limit=True)

    def unmarshal(self, node: _Node, into: dict[str, Any] | None = None) -> Any:
        """The JSON-ready value of `node`; a mapping is decoded into `into` when given (merge)."""
        self.count()
        kind = node.kind
        if kind == "scalar":
            tag, value = self.scalar(node)
            return float(value) if tag == _INT_TAG else value
        if kind == "mapping":
            out: dict[str, Any] = {} if into is None else into
            self.mapping_into(node, out)
            return out
        if kind == "sequence":
            return [self.unmarshal(child) for child in node.children]
        return self.follow_alias(node, lambda target: self.unmarshal(target, into))

    def follow_alias(self, node: _Node, decode: Any) -> Any:
        if id(node) in self.active_aliases:
            raise YamlError(
                f"yaml: anchor '{node.value}' value contains itself", node.line + 1, node.column + 1
            )
        self.active_aliases.add(id(node))
        self.alias_depth += 1
        try:
            return decode(node.alias)
        finally:
            self.alias_depth -= 1
            self.active_aliases.discard(id(node))

    def scalar(self, node: _Node) -> tuple[str, Any]:
        """(go-yaml tag, Go value) of a scalar node; ints stay Python ints here."""
        if not node.tag and not node.implicit:
            return _STR_TAG, node.value
        try:
            tag, value = resolve(node.tag, node.value)
        except YamlError as err:
            err.line, err.column = node.line + 1, node.column + 1
            raise
        if tag == _BINARY_TAG:
            try:
                raw = base64.b64decode(node.value.replace("\n", "").replace("\r", ""), validate=True)
            except (binascii.Error, ValueError):
                raise YamlError(
                    "yaml: !!binary value contains invalid base64 data", node.line + 1, node.column + 1
                ) from None
            return tag, _go_json_string(raw)
        if tag == _FLOAT_TAG and not math.isfinite(value):
            self.saw_non_finite = True
        return tag, value

    def mapping_into(self, node: _Node, out: dict[str, Any]) -> None:
        children = node.children
        for i in range(0, len(children), 2):
            key_node, value_node = children[i], children[i + 1]
            if (
                key_node.kind == "scalar"
                and key_node.value == "<<"
                and (key_node.implicit or key_node.tag == _MERGE_TAG)
            ):
                self.merge(value_node, out)
                continue
            key = self.key(key_node, value_node)
            out[key] = self.unmarshal(value_node)

    def key(self, node: _Node, value_node: _Node) -> str:
        """The key as sigs.k8s.io/yaml turns it into a JSON object key."""
        self.count()
        if node.kind == "alias":
            return self.follow_alias(node, lambda target: self.key(target, value_node))
        if node.kind != "scalar":
            raise YamlError("yaml: invalid map key: " + _go_sharp_v(node), node.line + 1, node.column + 1)
        _, value = self.scalar(node)
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            if value > _INT64_MAX:
                raise YamlError(
                    f"unsupported map key of type: uint64, key: {hex(value)}, value: {_go_arg_v(value_node)}",
                    node.line + 1,
                    node.column + 1,
                )
            return str(value)
        if isinstance(value, float):
            text = format_float_g32(value)
            return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
        raise YamlError(
            f"unsupported map key of type: %!s(<nil>), key: <nil>, value: {_go_arg_v(value_node)}",
            node.line + 1,
            node.column + 1,
        )

    def merge(self, node: _Node, out: dict[str, Any]) -> None:
        want_map = "yaml: map merge requires map or sequence of maps as the value"
        if node.kind == "mapping" or (
            node.kind == "alias" and node.alias is not None and node.alias.kind == "mapping"
        ):
            self.unmarshal(node, out)
            return
        if node.kind != "sequence":
            raise YamlError(want_map, node.line + 1, node.column + 1)
        for child in reversed(node.children):
            target = child.alias if child.kind == "alias" else child
            if target is None or target.kind != "mapping":
                raise YamlError(want_map, child.line + 1, child.column + 1)
            self.unmarshal(child, out)


def _go_quote(s: str) -> str:
    """strconv.Quote for the common cases (printable text, the usual escapes)."""
    out = ['"']
    for c in s:
        if c in '"\\':
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif c == "\r":
            out.append("\\r")
        elif c.isprintable():
            out.append(c)
        elif ord(c) < 0x80:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    out.append('"')
    return "".join(out)


def _go_sharp_v(node: _Node, depth: int = 0) -> str:
    """fmt's %#v of the Go value go-yaml v2 decodes from `node` (for `invalid map key` messages)."""
    while node.kind == "alias" and node.alias is not None and depth < 50:
        node = node.alias
        depth += 1
    if depth > 50:
        return "..."
    if node.kind == "sequence":
        return "[]interface {}{" + ", ".join(_go_sharp_v(c, depth + 1) for c in node.children) + "}"
    if node.kind == "mapping":
        pairs = [
            (_go_sharp_v(node.children[i], depth + 1), _go_sharp_v(node.children[i + 1], depth + 1))
            for i in range(0, len(node.children), 2)
        ]
        body = ", ".join(f"{k}:{v}" for k, v in sorted(pairs))
        return "map[interface {}]interface {}{" + body + "}"
    if not node.tag and not node.implicit:
        return _go_quote(node.value)
    try:
        _, value = resolve(node.tag, node.value)
    except YamlError:
        return _go_quote(node.value)
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if value <= _INT64_MAX else hex(value)
    if isinstance(value, float):
        return format_float_g(value)
    return _go_quote(value)


def _go_arg_v(node: _Node) -> str:
    text = _go_sharp_v(node)
    return "<nil>" if text == "interface {}(nil)" else text


def _first_non_finite(value: Any) -> float | None:
    """The NaN/Inf encoding/json trips over first (it walks maps in sorted key order)."""
    if isinstance(value, float):
        return None if math.isfinite(value) else value
    if isinstance(value, dict):
        for key in sorted(value):
            found = _first_non_finite(value[key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for item in value:
            found = _first_non_finite(item)
            if found is not None:
                return found
    return None


def yaml_to_json_value(text: str) -> Any:
    """sigs.k8s.io/yaml.YAMLToJSON followed by json.Unmarshal into interface{}: the first document
    as JSON-ready Python data (every number a float). None for an empty or null document.
    Raises YamlError with Go's message (without sigs.k8s.io/yaml's prefix)."""
    root = _parse_first_document(text)
    if root is None:
        return None
    decoder = _Decoder()
    try:
        value = decoder.unmarshal(root)
    except RecursionError:
        raise YamlError("yaml: document nested too deeply", limit=True) from None
    if decoder.saw_non_finite:
        bad = _first_non_finite(value)
        if bad is not None:
            raise YamlError(f"json: unsupported value: {_special_float(bad)}")
    return value


def yaml_unmarshal(text: str, go_type: str) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(text, &target) for a target of Go type `go_type`:
    "map[string]interface {}" (or a named map type such as "chartutil.Values") -> dict (None when the
    document is null), "[]interface {}" -> list (None when null), "interface {}" -> anything.
    Raises YamlError with the full Go error text."""
    try:
        value = yaml_to_json_value(text)
    except YamlError as err:
        err.message = "error converting YAML to JSON: " + err.message
        err.args = (err.message,)
        raise
    if value is None or go_type == "interface {}":
        return value
    want = list if go_type.startswith("[]") else dict
    if not isinstance(value, want):
        kind = json_kind(value)
        message = (
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{kind} into Go value of type {go_type}"
        )
        raise YamlError(message)
    return value


def load_yaml_values(text: str, filename: str, go_type: str = "map[string]interface {}") -> dict[str, Any]:
    """sigs.k8s.io/yaml.Unmarshal of one values document into a map, as Helm's ReadValues and
    Helm 3's `-f` / chart values.yaml loading do: a dict of JSON-like data (numbers are floats);
    an empty or null document gives {}.

    `go_type` names the Go map type in type-mismatch messages ("chartutil.Values" for
    chartutil.ReadValues in Helm 3, "common.Values" in Helm 4). Raises ValuesError, or
    LimitExceeded for alias bombs and absurd nesting.
    """
    try:
        value = yaml_unmarshal(text, go_type)
    except YamlError as err:
        position = Position(filename, err.line, err.column)
        if err.limit:
            raise LimitExceeded(err.message, position) from None
        raise ValuesError(err.message, position) from None
    return value if value else {}


def split_yaml_reader_documents(text: str) -> list[str]:
    """k8s.io/apimachinery's YAMLReader: documents split on lines starting with `---` (only spaces
    or a comment may follow); lines are re-terminated with a bare newline.
    Raises YamlError on any other text after the separator."""
    docs: list[str] = []
    buffer: list[str] = []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in lines:
        line = line.removesuffix("\r") + "\n"
        if line.startswith("---"):
            rest = line[3:].strip()
            if rest and not rest.startswith("#"):
                raise YamlError(f"invalid Yaml document separator: {rest}")
            if buffer:
                docs.append("".join(buffer))
                buffer = []
            continue
        buffer.append(line)
    if buffer:
        docs.append("".join(buffer))
    return docs


def merge_values_maps(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Helm 4's loader.MergeMaps: b wins, nested maps merge recursively (inputs untouched)."""
    out = dict(a)
    for key, value in b.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge_values_maps(out[key], value)
        else:
            out[key] = value
    return out


def load_values_file(text: str, filename: str, helm_major: int) -> dict[str, Any]:
    """A values file as Helm reads a chart's values.yaml or a `-f` file.

    Helm 3 reads the first YAML document only. Helm 4 (loader.LoadValues) splits the text into
    `---` documents and deep-merges them in order; its messages start with
    `cannot unmarshal yaml document: ` / `error reading yaml document: `. The caller adds Helm's
    own prefix (`cannot load values.yaml: ` or `failed to parse FILE: `).
    """
    if helm_major < 4:
        return load_yaml_values(text, filename)
    try:
        documents = split_yaml_reader_documents(text)
    except YamlError as err:
        raise ValuesError("error reading yaml document: " + err.message, Position(filename)) from None
    values: dict[str, Any] = {}
    for document in documents:
        try:
            current = yaml_unmarshal(document, "map[string]interface {}")
        except YamlError as err:
            position = Position(filename, err.line, err.column)
            message = "cannot unmarshal yaml document: " + err.message
            if err.limit:
                raise LimitExceeded(message, position) from None
            raise ValuesError(message, position) from None
        values = merge_values_maps(values, current or {})
    return values


# ---------------------------------------------------------------------------------------------
# Writing: encoding/json -> go-yaml v2 values -> go-yaml v2 emitter


def go_json_fields(value: GoStruct) -> dict[str, Any]:
    """The JSON object encoding/json makes of a Go struct: `go_json()` when the struct defines it
    (json tags, omitempty), else its exported fields under their Go names."""
    custom = getattr(value, "go_json", None)
    if callable(custom):
        return custom()
    return value.go_fields()


def _json_number_as_yaml(f: float) -> Any:
    """What go-yaml v2 reads back from encoding/json's text for a float64: an int when the JSON text
    has no fraction or exponent and fits (u)int64, else a float."""
    if not math.isfinite(f):
        raise JsonMarshalError(f"json: unsupported value: {_special_float(f)}")
    if f.is_integer() and abs(f) < 1e21:
        i = int(format_float_json(f))  # the JSON text's digits (shortest), not the float's exact value
        if _INT64_MIN <= i <= _UINT64_MAX:
            return i
    return f


_YAML_UNREADABLE = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


_NEL_RUN = re.compile("[ \x85]*\x85[ \x85]*")
_DOCUMENT_MARKER_AFTER_BREAK = re.compile("\x85(?:---|\\.\\.\\.)[ \x85]")


def _json_string_as_yaml(s: str, is_key: bool) -> str:
    """What go-yaml reads back from encoding/json's quoting of `s`. JSON leaves U+007F-U+009F raw:
    most of them make go-yaml's reader fail, and U+0085 (NEL) is a YAML 1.1 line break, folded
    like any line break inside a double-quoted scalar."""
    if _YAML_UNREADABLE.search(s):
        raise JsonMarshalError("yaml: control characters are not allowed")
    s = go_runes(s)  # encoding/json wrote each invalid UTF-8 byte as \ufffd
    if "\x85" not in s:
        return s
    if is_key:
        # a key spread over two lines is no simple key: the JSON object no longer parses
        raise JsonMarshalError("yaml: did not find expected ',' or '}'")
    if _DOCUMENT_MARKER_AFTER_BREAK.search(s):
        raise JsonMarshalError("yaml: found unexpected document indicator")
    return _NEL_RUN.sub(lambda m: "\n" * (m.group().count("\x85") - 1) or " ", s)


def json_roundtrip_for_yaml(value: Any, depth: int = 0) -> Any:
    """The value go-yaml v2 gets from yaml.Unmarshal(json.Marshal(value)) in sigs.k8s.io/yaml.Marshal.
    Raises JsonMarshalError where json.Marshal fails."""
    if depth > 1000:
        raise JsonMarshalError("json: unsupported value: encountered a cycle via " + go_type_name(value))
    if isinstance(value, str):
        return _json_string_as_yaml(value, is_key=False)
    if value is None or value is True or value is False:
        return value
    if getattr(value, "is_nil", False):
        return None  # a nil slice or map marshals as JSON null
    if isinstance(value, float):
        return _json_number_as_yaml(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            text = _json_string_as_yaml(json_object_key(key), is_key=True)
            out[text] = json_roundtrip_for_yaml(item, depth + 1)
        return out
    if isinstance(value, (list, tuple)):
        return [json_roundtrip_for_yaml(item, depth + 1) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, GoStruct):
        return json_roundtrip_for_yaml(go_json_fields(value), depth + 1)
    raise JsonMarshalError(f"json: unsupported type: {go_type_name(value)}")


def json_object_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    raise JsonMarshalError("json: unsupported type: map[interface {}]interface {}")


def go_type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    if isinstance(value, GoStruct):
        return value.go_type
    if callable(value):
        return "func(...) interface {}"
    return type(value).__name__


# -- key order: go-yaml v2 sorter.go (strings only: JSON keys are strings)

_INT64_MASK = (1 << 64) - 1


def _wrap_int64(n: int) -> int:
    n &= _INT64_MASK
    return n - (1 << 64) if n > _INT64_MAX else n


def _go_key_less(a: str, b: str, v3: bool = False) -> bool:
    digits = False
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = ca.isdecimal()
            continue
        al, bl = ca.isalpha(), cb.isalpha()
        if al and bl:
            return ca < cb
        if al or bl:
            # yaml.v3 keeps a letter after a shared digit run before other characters
            return al if v3 and digits else bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdecimal():
            an = _wrap_int64(an * 10 + ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = _wrap_int64(bn * 10 + ord(b[bi]) - 48)
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _go_key_cmp(a: str, b: str) -> int:
    if _go_key_less(a, b):
        return -1
    if _go_key_less(b, a):
        return 1
    return 0


def _go_key_cmp_v3(a: str, b: str) -> int:
    if _go_key_less(a, b, True):
        return -1
    if _go_key_less(b, a, True):
        return 1
    return 0


_GO_KEY = cmp_to_key(_go_key_cmp)
_GO_KEY_V3 = cmp_to_key(_go_key_cmp_v3)
_HAS_DIGIT = re.compile(r"\d")


_NOT_PLAIN_ASCII_KEY = re.compile(r"[^\x00-\x2f\x3a-\x7f]")
# ASCII letters moved above every other ASCII character: the digitless order in one string compare
_LETTERS_LAST = str.maketrans({c: chr(0x100 + ord(c)) for c in map(chr, range(128)) if c.isalpha()})


def _digitless_key(key: str) -> list[tuple[bool, str]]:
    # Without digits the rule is: non-letters before letters, then code point order.
    return [(ch.isalpha(), ch) for ch in key]


def sorted_yaml_keys(keys: Iterable[str], v3: bool = False) -> list[str]:
    """Map keys in go-yaml's marshal order (v2, or v3 when `v3`)."""
    keys = list(keys)
    if len(keys) < 2:
        return keys
    if not any(_NOT_PLAIN_ASCII_KEY.search(k) for k in keys):
        return sorted(keys, key=lambda k: k.translate(_LETTERS_LAST))
    if any(_HAS_DIGIT.search(k) for k in keys):
        return sorted(keys, key=_GO_KEY_V3 if v3 else _GO_KEY)
    return sorted(keys, key=_digitless_key)


# -- scalar analysis (yaml_emitter_analyze_scalar)

_NOT_PRINTABLE = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]")
_BREAKS = frozenset("\r\n\x85\u2028\u2029")
_FLOW_AND_BLOCK_FIRST = frozenset("#,[]{}&*!|>'\"%@`")
_SIMPLE_PLAIN = re.compile(r"[A-Za-z0-9_./=+\-][A-Za-z0-9_./=+\- ]*\Z")


class _Analysis:
    __slots__ = ("multiline", "flow_plain", "block_plain", "single_quoted", "block")

    def __init__(self, multiline: bool, flow_plain: bool, block_plain: bool, single: bool, block: bool):
        self.multiline = multiline
        self.flow_plain = flow_plain
        self.block_plain = block_plain
        self.single_quoted = single
        self.block = block


_SIMPLE_ANALYSIS = _Analysis(False, True, True, True, True)


@lru_cache(maxsize=8192)
def _analyze(value: str, v3: bool = False) -> _Analysis:
    if not value:
        return _Analysis(False, False, True, True, False)
    if (
        _SIMPLE_PLAIN.match(value)
        and value[-1] != " "
        and not value.startswith(("---", "...", "- "))
        and value != "-"
    ):
        return _SIMPLE_ANALYSIS
    block_ind = flow_ind = line_breaks = special = tabs = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = previous_space = previous_break = False
    if value.startswith(("---", "...")):
        block_ind = flow_ind = True
    preceded_by_ws = True
    n = len(value)
    for i, c in enumerate(value):
        followed_by_ws = i + 1 >= n or value[i + 1] in " \t"
        if i == 0:
            if c in _FLOW_AND_BLOCK_FIRST:
                flow_ind = block_ind = True
            elif c in "?:":
                flow_ind = True
                if followed_by_ws:
                    block_ind = True
            elif c == "-" and followed_by_ws:
                flow_ind = block_ind = True
        elif c in ",?[]{}":
            flow_ind = True
        elif c == ":":
            flow_ind = True
            if followed_by_ws:
                block_ind = True
        elif c == "#" and preceded_by_ws:
            flow_ind = block_ind = True
        if v3 and c == "\t":
            tabs = True
        elif _NOT_PRINTABLE.match(c):
            special = True
        if c == " ":
            if i == 0:
                leading_space = True
            if i == n - 1:
                trailing_space = True
            if previous_break:
                break_space = True
            previous_space, previous_break = True, False
        elif c in _BREAKS:
            line_breaks = True
            if i == 0:
                leading_break = True
            if i == n - 1:
                trailing_break = True
            if previous_space:
                space_break = True
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_ws = c in " \t\x00" or c in _BREAKS
    flow_plain = block_plain = single = block = True
    if leading_space or leading_break or trailing_space or trailing_break:
        flow_plain = block_plain = False
    if trailing_space:
        block = False
    if break_space:
        flow_plain = block_plain = single = False
    if space_break or special:
        flow_plain = block_plain = single = block = False
    if tabs:  # yaml.v3 only: tabs forbid plain and single-quoted styles, not literal blocks
        flow_plain = block_plain = single = False
    if line_breaks:
        flow_plain = block_plain = False
    if flow_ind:
        flow_plain = False
    if block_ind:
        block_plain = False
    return _Analysis(line_breaks, flow_plain, block_plain, single, block)


_PLAIN, _SINGLE, _DOUBLE, _LITERAL = "plain", "single", "double", "literal"

_ESCAPES = {
    0x00: "0",
    0x07: "a",
    0x08: "b",
    0x09: "t",
    0x0A: "n",
    0x0B: "v",
    0x0C: "f",
    0x0D: "r",
    0x1B: "e",
    0x22: '"',
    0x5C: "\\",
    0x85: "N",
    0xA0: "_",
    0x2028: "L",
    0x2029: "P",
}


@lru_cache(maxsize=8192)
def string_style(s: str) -> str:
    """go-yaml v2 encoder.stringv: the style it asks the emitter for."""
    if "\n" in s:
        return _LITERAL
    rtag, _ = _resolve_plain("", s)
    if rtag == _STR_TAG and not _is_base60_float(s):
        return _PLAIN
    return _DOUBLE


class YamlEmitter:
    """go-yaml's port of libyaml's emitter, for block-style documents of plain data (maps, lists,
    scalars); long scalars fold at `best_width` columns as the emitter does.

    `v3` selects yaml.v3's variant: a list under a key is indented instead of starting at the key's
    column, tabs no longer rule out literal blocks, and map keys sort slightly differently.
    """

    def __init__(self, best_indent: int = 2, best_width: int = 80, v3: bool = False) -> None:
        self.best_indent = best_indent
        self.best_width = best_width
        self.v3 = v3
        self.compact_sequences = not v3
        self.out: list[str] = []
        self.column = 0
        self.indent = -1
        self.indents: list[int] = []
        self.whitespace = True
        self.indention = True
        self.mapping_context = False
        self.simple_key_context = False

    # -- low-level writers
    def _write(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def _put_break(self) -> None:
        self.out.append("\n")
        self.column = 0
        if self.v3:
            self.indention = True

    def _write_indent(self) -> None:
        indent = self.indent if self.indent > 0 else 0
        if not self.indention or self.column > indent or (self.column == indent and not self.whitespace):
            self._put_break()
        if self.column < indent:
            self.out.append(" " * (indent - self.column))
            self.column = indent
        self.whitespace = True
        if not self.v3:  # yaml.v3 sets it in put_break instead
            self.indention = True

    def _write_indicator(
        self, indicator: str, need_whitespace: bool, is_whitespace: bool, is_indention: bool
    ) -> None:
        if need_whitespace and not self.whitespace:
            self._write(" ")
        self._write(indicator)
        self.whitespace = is_whitespace
        self.indention = self.indention and is_indention

    def _increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = self.best_indent if flow else 0
        elif not indentless:
            self.indent += self.best_indent

    # -- document
    def emit_document(self, value: Any) -> str:
        self.emit_node(value, mapping=False, simple_key=False)
        self._write_indent()
        return "".join(self.out)

    def emit_node(self, value: Any, mapping: bool, simple_key: bool) -> None:
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        if isinstance(value, dict):
            self._emit_mapping(value)
        elif isinstance(value, list):
            self._emit_sequence(value)
        else:
            text, style = self.scalar_text(value)
            self._emit_scalar(text, style)

    def scalar_text(self, value: Any) -> tuple[str, str]:
        if isinstance(value, str):
            return value, string_style(value)
        if value is None:
            return "null", _PLAIN
        if value is True:
            return "true", _PLAIN
        if value is False:
            return "false", _PLAIN
        if isinstance(value, int):
            return str(int(value)), _PLAIN
        if isinstance(value, float):
            text = format_float_g(value)
            return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text), _PLAIN
        raise JsonMarshalError(f"cannot marshal type: {go_type_name(value)}")

    def _emit_empty_flow(self, open_: str, close: str) -> None:
        self._write_indicator(open_, True, True, False)
        self._write_indicator(close, False, False, False)

    def _emit_mapping(self, value: dict) -> None:
        if not value:
            self._emit_empty_flow("{", "}")
            return
        self._increase_indent(False, False)
        for key in sorted_yaml_keys(value, self.v3):
            self._write_indent()
            key_text, key_style = self.scalar_text(key)
            analysis = _analyze(key_text, self.v3)
            if not analysis.multiline and len(key_text.encode("utf-8")) <= 128:
                self.emit_node(key, mapping=True, simple_key=True)
                self._write_indicator(":", False, False, False)
            else:
                self._write_indicator("?", True, False, True)
                self.emit_node(key, mapping=True, simple_key=False)
                self._write_indent()
                self._write_indicator(":", True, False, True)
            self.emit_node(value[key], mapping=True, simple_key=False)
        self.indent = self.indents.pop()

    def _emit_sequence(self, value: list) -> None:
        if not value:
            self._emit_empty_flow("[", "]")
            return
        indentless = self.compact_sequences and self.mapping_context and not self.indention
        self._increase_indent(False, indentless)
        for item in value:
            self._write_indent()
            self._write_indicator("-", True, False, True)
            self.emit_node(item, mapping=False, simple_key=False)
        self.indent = self.indents.pop()

    def _emit_scalar(self, text: str, style: str) -> None:
        analysis = _analyze(text, self.v3)
        simple_key = self.simple_key_context
        if simple_key and analysis.multiline:
            style = _DOUBLE
        if style == _PLAIN and (not analysis.block_plain or (not text and simple_key)):
            style = _SINGLE
        if style == _SINGLE and not analysis.single_quoted:
            style = _DOUBLE
        if style == _LITERAL and (not analysis.block or simple_key):
            style = _DOUBLE
        self._increase_indent(True, False)
        allow_breaks = not simple_key
        if style == _PLAIN:
            self._write_plain(text, allow_breaks)
        elif style == _SINGLE:
            self._write_single_quoted(text, allow_breaks)
        elif style == _DOUBLE:
            self._write_double_quoted(text, allow_breaks)
        else:
            self._write_literal(text)
        self.indent = self.indents.pop()

    def _write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self._write(" ")
        if not allow_breaks or " " not in value or self.column + len(value) <= self.best_width + 1:
            self._write(value)
        else:
            spaces = False
            for i, c in enumerate(value):
                if c == " ":
                    if not spaces and self.column > self.best_width and value[i + 1] != " ":
                        self._write_indent()
                    else:
                        self._write(c)
                    spaces = True
                else:
                    self._write(c)
                    self.indention = False
                    spaces = False
        self.whitespace = False
        self.indention = False

    def _write_single_quoted(self, value: str, allow_breaks: bool) -> None:
        self._write_indicator("'", True, False, False)
        spaces = breaks = False
        n = len(value)
        for i, c in enumerate(value):
            if c == " ":
                if (
                    allow_breaks
                    and not spaces
                    and self.column > self.best_width
                    and 0 < i < n - 1
                    and value[i + 1] != " "
                ):
                    self._write_indent()
                else:
                    self._write(c)
                spaces = True
            elif c in _BREAKS:
                if not breaks and c == "\n":
                    self._put_break()
                self._write_break(c)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self._write_indent()
                self._write("''" if c == "'" else c)
                self.indention = False
                spaces = breaks = False
        self._write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def _write_break(self, c: str) -> None:
        if c == "\n":
            self._put_break()
        else:
            self.out.append(c)
            self.column = 0
            if self.v3:
                self.indention = True

    def _write_double_quoted(self, value: str, allow_breaks: bool) -> None:
        self._write_indicator('"', True, False, False)
        escape_all = value.startswith("\ufeff")
        spaces = False
        n = len(value)
        for i, c in enumerate(value):
            if escape_all or c in '"\\' or c in _BREAKS or _NOT_PRINTABLE.match(c):
                code = ord(c)
                short = _ESCAPES.get(code)
                if short is not None:
                    self._write("\\" + short)
                elif code <= 0xFF:
                    self._write(f"\\x{code:02X}")
                elif code <= 0xFFFF:
                    self._write(f"\\u{code:04X}")
                else:
                    self._write(f"\\U{code:08X}")
                spaces = False
            elif c == " ":
                if allow_breaks and not spaces and self.column > self.best_width and 0 < i < n - 1:
                    self._write_indent()
                    if value[i + 1] == " ":
                        self._write("\\")
                else:
                    self._write(c)
                spaces = True
            else:
                self._write(c)
                spaces = False
        self._write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def _write_literal(self, value: str) -> None:
        self._write_indicator("|", True, False, False)
        if value[0] == " " or value[0] in _BREAKS:
            self._write_indicator(str(self.best_indent), False, False, False)
        chomp = ""
        if value[-1] not in _BREAKS:
            chomp = "-"
        elif len(value) == 1 or value[-2] in _BREAKS:
            chomp = "+"
        if chomp:
            self._write_indicator(chomp, False, False, False)
        self._put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        start = 0
        # Lines are written whole: no folding happens inside a literal scalar.
        for i, c in enumerate(value):
            if c in _BREAKS:
                if start < i:
                    self._write(value[start:i])
                self._write_break(c)
                self.indention = True
                breaks = True
                start = i + 1
            elif breaks:
                self._write_indent()
                self.indention = False
                breaks = False
        if start < len(value):
            self._write(value[start:])


def marshal_yaml(value: Any) -> str:
    """sigs.k8s.io/yaml.Marshal(value) as text (with its trailing newline).
    Raises JsonMarshalError where encoding/json fails."""
    return YamlEmitter().emit_document(json_roundtrip_for_yaml(value))


def _plain_for_v3(value: Any, depth: int = 0) -> Any:
    """The data yaml.v3 sees when Helm hands it template values directly (no JSON step)."""
    if depth > 1000:
        raise JsonMarshalError("yaml: value nested too deeply")
    if isinstance(value, dict):
        return {str(k): _plain_for_v3(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain_for_v3(v, depth + 1) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if isinstance(value, GoStruct):
        # no yaml tags on Helm's structs: yaml.v3 uses the lowercased field names
        return {k.lower(): _plain_for_v3(v, depth + 1) for k, v in value.go_fields().items()}
    return value


def marshal_yaml_v3(value: Any) -> str:
    """yaml.v3 Encoder with SetIndent(2), as Helm's toYamlPretty uses it (with trailing newline)."""
    # yaml.v3's emitter starts with best_width -1: no line folding
    return YamlEmitter(best_width=(1 << 31) - 1, v3=True).emit_document(_plain_for_v3(value))


# ---------------------------------------------------------------------------------------------
# Typed decoding: sigs.k8s.io/yaml.Unmarshal into a Go struct (Chart.yaml, Chart.lock, ...)


@dataclass(frozen=True)
class GoType:
    """A Go type as encoding/json sees it. kind: "string", "bool", "int", "float64", "interface",
    "slice", "map" (string keys), "ptr", "struct". `name` is Go's spelling for messages
    (e.g. "[]*chart.Maintainer"); a struct lists (json name, type) fields and its bare name."""

    kind: str
    name: str
    elem: GoType | None = None
    fields: tuple[tuple[str, GoType], ...] = ()
    struct_name: str = ""


GO_STRING = GoType("string", "string")
GO_BOOL = GoType("bool", "bool")
GO_INT = GoType("int", "int")
GO_FLOAT64 = GoType("float64", "float64")
GO_INTERFACE = GoType("interface", "interface {}")


def go_slice(elem: GoType) -> GoType:
    return GoType("slice", "[]" + elem.name, elem)


def go_map(elem: GoType) -> GoType:
    return GoType("map", "map[string]" + elem.name, elem)


def go_ptr(elem: GoType) -> GoType:
    return GoType("ptr", "*" + elem.name, elem)


def go_struct(qualified_name: str, fields: dict[str, GoType]) -> GoType:
    return GoType("struct", qualified_name, None, tuple(fields.items()), qualified_name.rsplit(".", 1)[-1])


def _find_field(struct: GoType, key: str) -> tuple[str, GoType] | None:
    """encoding/json's field match: the exact name, else a case-insensitive one."""
    folded = None
    for name, field_type in struct.fields:
        if name == key:
            return name, field_type
        if folded is None and name.casefold() == key.casefold():
            folded = (name, field_type)
    return folded


def _coerce_to_target(node: _Node, target: GoType | None, decoder: _Decoder) -> Any:
    """go-yaml decoding + convertToJSONableObject with a JSON target: numbers and booleans bound
    for Go string fields become strings (floats via FormatFloat 'g' 32-bit, as sigs.k8s.io/yaml does)."""
    while target is not None and target.kind == "ptr":
        target = target.elem
    while node.kind == "alias" and node.alias is not None:
        node = node.alias
    if node.kind == "mapping":
        out: dict[str, Any] = {}
        children = node.children
        for i in range(0, len(children), 2):
            key = decoder.key(children[i], children[i + 1])
            field_type = None
            if target is not None and target.kind == "struct":
                found = _find_field(target, key)
                field_type = found[1] if found else None
            elif target is not None and target.kind == "map":
                field_type = target.elem
            out[key] = _coerce_to_target(children[i + 1], field_type, decoder)
        return out
    if node.kind == "sequence":
        elem = target.elem if target is not None and target.kind == "slice" else None
        return [_coerce_to_target(child, elem, decoder) for child in node.children]
    tag, value = decoder.scalar(node)
    if target is not None and target.kind == "string" and value is not None and not isinstance(value, str):
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        return format_float_g32(value)
    if tag == _INT_TAG:
        return float(value)
    return value


def json_kind(value: Any) -> str:
    """How encoding/json names a JSON value's kind in "cannot unmarshal X into ..." errors."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    return "number"


class _TypedJsonDecoder:
    """encoding/json decoding of JSON-like data into a GoType: the first type error is kept and
    decoding goes on, as Go does; unknown object keys are ignored."""

    def __init__(self) -> None:
        self.error: str | None = None
        self.fields: list[str] = []
        self.struct_name = ""

    def fail(self, value_kind: str, target: GoType) -> None:
        if self.error is not None:
            return
        if self.fields:
            where = f"Go struct field {self.struct_name}.{'.'.join(self.fields)}"
        else:
            where = "Go value"
        self.error = f"json: cannot unmarshal {value_kind} into {where} of type {target.name}"

    def decode(self, value: Any, target: GoType) -> Any:
        kind = target.kind
        if value is None:
            return None
        if kind == "interface":
            return value
        if kind == "ptr":
            return self.decode(value, target.elem)  # type: ignore[arg-type]
        if kind == "string":
            if isinstance(value, str):
                return value
        elif kind == "bool":
            if isinstance(value, bool):
                return value
        elif kind in ("int", "float64"):
            if isinstance(value, float) and not isinstance(value, bool):
                if kind == "float64" or value.is_integer():
                    return value if kind == "float64" else int(value)
                self.fail("number " + format_float_json(value), target)
                return None
        elif kind == "slice":
            if isinstance(value, list):
                return [self.decode(item, target.elem) for item in value]  # type: ignore[arg-type]
        elif kind == "map":
            if isinstance(value, dict):
                return {k: self.decode(v, target.elem) for k, v in value.items()}  # type: ignore[arg-type]
        elif kind == "struct" and isinstance(value, dict):
            return self.decode_struct(value, target)
        self.fail(json_kind(value), target)
        return None

    def decode_struct(self, value: dict[str, Any], target: GoType) -> dict[str, Any]:
        out: dict[str, Any] = {}
        saved_struct = self.struct_name
        # the JSON text sigs.k8s.io/yaml decodes has its keys sorted (json.Marshal of a map)
        for key, item in sorted(value.items()):
            found = _find_field(target, key)
            if found is None:
                continue
            name, field_type = found
            self.fields.append(name)
            self.struct_name = target.struct_name
            decoded = self.decode(item, field_type)
            self.fields.pop()
            if decoded is not None or name not in out:
                out[name] = decoded
        self.struct_name = saved_struct
        return out


def yaml_unmarshal_typed(text: str, target: GoType) -> Any:
    """sigs.k8s.io/yaml.Unmarshal(text, &v) for v of Go type `target` (usually a struct): the
    decoded data as dicts keyed by JSON field names, holding only the fields the document sets.
    Raises YamlError with Go's full message."""
    root = _parse_first_document(text)
    if root is None:
        return None
    decoder = _Decoder()
    try:
        value = _coerce_to_target(root, target, decoder)
    except YamlError as err:
        err.message = "error converting YAML to JSON: " + err.message
        err.args = (err.message,)
        raise
    except RecursionError:
        raise YamlError(
            "error converting YAML to JSON: yaml: document nested too deeply", limit=True
        ) from None
    bad = _first_non_finite(value)
    if bad is not None:
        raise YamlError(f"error converting YAML to JSON: json: unsupported value: {_special_float(bad)}")
    typed = _TypedJsonDecoder()
    result = typed.decode(value, target)
    if typed.error is not None:
        raise YamlError("error unmarshaling JSON: while decoding JSON: " + typed.error)
    return result


_MAINTAINER = go_struct("chart.Maintainer", {"name": GO_STRING, "email": GO_STRING, "url": GO_STRING})
_DEPENDENCY = go_struct(
    "chart.Dependency",
    {
        "name": GO_STRING,
        "version": GO_STRING,
        "repository": GO_STRING,
        "condition": GO_STRING,
        "tags": go_slice(GO_STRING),
        "enabled": GO_BOOL,
        "import-values": go_slice(GO_INTERFACE),
        "alias": GO_STRING,
    },
)

# Helm's chart.Metadata (Chart.yaml), identical in Helm 3.17 and in Helm 4.1's chart v2 API.
CHART_METADATA = go_struct(
    "chart.Metadata",
    {
        "name": GO_STRING,
        "home": GO_STRING,
        "sources": go_slice(GO_STRING),
        "version": GO_STRING,
        "description": GO_STRING,
        "keywords": go_slice(GO_STRING),
        "maintainers": go_slice(go_ptr(_MAINTAINER)),
        "icon": GO_STRING,
        "apiVersion": GO_STRING,
        "condition": GO_STRING,
        "tags": GO_STRING,
        "appVersion": GO_STRING,
        "deprecated": GO_BOOL,
        "annotations": go_map(GO_STRING),
        "kubeVersion": GO_STRING,
        "dependencies": go_slice(go_ptr(_DEPENDENCY)),
        "type": GO_STRING,
    },
)
