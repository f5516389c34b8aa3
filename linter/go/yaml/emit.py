"""Writing: sigs.k8s.io/yaml.Marshal (encoding/json, re-read by go-yaml v2, written by go-yaml v2's
emitter, emitterc.go, with its quoting and folding) and yaml.v3's Encoder for toYamlPretty."""

from __future__ import annotations

import base64
import math
import re
from functools import lru_cache
from typing import Any

from chartfix.go.strconv import format_float
from chartfix.go.types import INT64_MIN, UINT64_MAX, GoStruct
from chartfix.go.unicode import go_runes
from chartfix.go.yaml.errors import JsonMarshalError
from chartfix.go.yaml.gojson import format_float_json, go_json_fields, go_type_name, json_object_key
from chartfix.go.yaml.keys import sorted_yaml_keys
from chartfix.go.yaml.resolve import STR_TAG, is_base60_float, resolve_plain


def _json_number_as_yaml(f: float) -> Any:
    """What go-yaml v2 reads back from encoding/json's text for a float64: an int when the JSON text
    has no fraction or exponent and fits (u)int64, else a float."""
    if not math.isfinite(f):
        raise JsonMarshalError(f"json: unsupported value: {format_float(f, 'g', -1)}")
    if f.is_integer() and abs(f) < 1e21:
        i = int(format_float_json(f))  # the JSON text's digits (shortest), not the float's exact value
        if INT64_MIN <= i <= UINT64_MAX:
            return i
    return f


_YAML_UNREADABLE = re.compile("[\x7f-\x84\x86-\x9f\ufffe\uffff]")


_NEL_RUN = re.compile("[ \x85]*\x85[ \x85]*")
_DOCUMENT_MARKER_AFTER_BREAK = re.compile("\x85(?:---|\\.\\.\\.)[ \x85]")


def _json_string_as_yaml(s: str, is_key: bool) -> str:
    """What go-yaml reads back from encoding/json's quoting of `s`. JSON leaves U+007F-U+009F raw:
    most of them make go-yaml's reader fail, and U+0085 (NEL) is a YAML 1.1 line break, folded
    like any line break inside a double-quoted scalar."""
    if s.isascii() and "\x7f" not in s:  # the common case: nothing to replace, fold or reject
        return s
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


def _json_object_as_yaml(value: dict, depth: int) -> dict:
    out = {}
    for key, item in value.items():
        text = _json_string_as_yaml(json_object_key(key), is_key=True)
        out[text] = json_roundtrip_for_yaml(item, depth + 1)
    return out


def json_roundtrip_for_yaml(value: Any, depth: int = 0) -> Any:
    """The value go-yaml v2 gets from yaml.Unmarshal(json.Marshal(value)) in sigs.k8s.io/yaml.Marshal.
    Raises JsonMarshalError where json.Marshal fails."""
    if depth > 1000:
        raise JsonMarshalError("json: unsupported value: encountered a cycle via " + go_type_name(value))
    kind = type(value)
    if kind is str:
        return _json_string_as_yaml(value, is_key=False)
    if kind is dict:
        return _json_object_as_yaml(value, depth)
    if kind is list:
        return [json_roundtrip_for_yaml(item, depth + 1) for item in value]
    if kind is int or kind is bool or value is None:  # exact types: no is_nil, nothing to convert
        return value
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
        return _json_object_as_yaml(value, depth)
    if isinstance(value, (list, tuple)):
        return [json_roundtrip_for_yaml(item, depth + 1) for item in value]
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, GoStruct):
        return json_roundtrip_for_yaml(go_json_fields(value), depth + 1)
    raise JsonMarshalError(f"json: unsupported type: {go_type_name(value)}")


# -- scalar analysis (yaml_emitter_analyze_scalar)

# What is not [\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd], spelled as ranges: the negated class
# takes Python 10-15 ms to compile at every start, this one under 1 ms.
_NOT_PRINTABLE = re.compile("[\x00-\t\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]")
_BREAKS = frozenset("\r\n\x85\u2028\u2029")
_BREAK = re.compile("[\r\n\x85\u2028\u2029]")
_WORDS_AND_SPACES = re.compile("[^ ]+| +")
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
    rtag, _ = resolve_plain("", s)
    if rtag == STR_TAG and not is_base60_float(s):
        return _PLAIN
    return _DOUBLE


def _select_style(text: str, style: str, simple_key: bool, v3: bool) -> str:
    """yaml_emitter_select_scalar_style: the style `text` is written in when `style` is asked for."""
    analysis = _analyze(text, v3)
    if simple_key and analysis.multiline:
        style = _DOUBLE
    if style == _PLAIN and (not analysis.block_plain or (not text and simple_key)):
        style = _SINGLE
    if style == _SINGLE and not analysis.single_quoted:
        style = _DOUBLE
    if style == _LITERAL and (not analysis.block or simple_key):
        style = _DOUBLE
    return style


@lru_cache(maxsize=8192)
def _string_value_style(text: str, v3: bool) -> str:
    return _select_style(text, string_style(text), False, v3)


@lru_cache(maxsize=8192)
def _plain_value_style(text: str, v3: bool) -> str:
    return _select_style(text, _PLAIN, False, v3)


@lru_cache(maxsize=8192)
def _simple_key_style(key: str, v3: bool) -> str | None:
    """The style of `key` written as a simple key, or None when it must be a complex (`? `) key."""
    style = string_style(key)
    if _analyze(key, v3).multiline or len(key.encode("utf-8")) > 128:
        return None
    return _select_style(key, style, True, v3)


_FLOAT_WORDS = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}


def _scalar_text(value: Any) -> str:
    """The plain text of a non-string scalar."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        text = format_float(value, "g", -1)
        return _FLOAT_WORDS.get(text, text)
    raise JsonMarshalError(f"cannot marshal type: {go_type_name(value)}")


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
        column = self.column
        if not self.indention or column > indent or (column == indent and not self.whitespace):
            self.out.append("\n" + " " * indent)  # _put_break, then the indent
            self.indention = True
        elif column < indent:
            self.out.append(" " * (indent - column))
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
        self.emit_node(value, mapping=False)
        self._write_indent()
        return "".join(self.out)

    def emit_node(self, value: Any, mapping: bool) -> None:
        if isinstance(value, str):
            self._emit_scalar(value, _string_value_style(value, self.v3), simple_key=False)
        elif isinstance(value, dict):
            self._emit_mapping(value)
        elif isinstance(value, list):
            self._emit_sequence(value, mapping)
        else:
            text = _scalar_text(value)
            self._emit_scalar(text, _plain_value_style(text, self.v3), simple_key=False)

    def _emit_empty_flow(self, open_: str, close: str) -> None:
        self._write_indicator(open_, True, True, False)
        self._write_indicator(close, False, False, False)

    def _emit_mapping(self, value: dict) -> None:
        if not value:
            self._emit_empty_flow("{", "}")
            return
        self._increase_indent(False, False)
        v3, out = self.v3, self.out
        for key in sorted_yaml_keys(value, v3):  # str keys: the JSON round trip or str() made them
            self._write_indent()
            style = _simple_key_style(key, v3)
            if style is None:
                self._write_indicator("?", True, False, True)
                self._emit_scalar(key, _string_value_style(key, v3), simple_key=False)
                self._write_indent()
                self._write_indicator(":", True, False, True)
            else:
                if style == _PLAIN:  # just after the indent: no space before it, no folding
                    out.append(key)
                    self.column += len(key)
                else:
                    self._emit_scalar(key, style, simple_key=True)
                out.append(":")
                self.column += 1
                self.whitespace = self.indention = False
            self.emit_node(value[key], mapping=True)
        self.indent = self.indents.pop()

    def _emit_sequence(self, value: list, mapping: bool) -> None:
        if not value:
            self._emit_empty_flow("[", "]")
            return
        indentless = self.compact_sequences and mapping and not self.indention
        self._increase_indent(False, indentless)
        out = self.out
        for item in value:
            self._write_indent()
            out.append("-")  # just after the indent: no space needed before it
            self.column += 1
            self.whitespace = False
            self.emit_node(item, mapping=False)
        self.indent = self.indents.pop()

    def _emit_scalar(self, text: str, style: str, simple_key: bool) -> None:
        """Write `text` in `style`, as the emitter selected it for its place."""
        if style == _PLAIN:
            self._write_plain(text, allow_breaks=not simple_key)
            return
        self._increase_indent(True, False)
        allow_breaks = not simple_key
        if style == _SINGLE:
            self._write_single_quoted(text, allow_breaks)
        elif style == _DOUBLE:
            self._write_double_quoted(text, allow_breaks)
        else:
            self._write_literal(text)
        self.indent = self.indents.pop()

    def _write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.out.append(" ")
            self.column += 1
        if allow_breaks and " " in value and self.column + len(value) > self.best_width + 1:
            self._increase_indent(True, False)  # the scalar's indent, for continuation lines
            self._write_folded_plain(value)
            self.indent = self.indents.pop()
        else:
            self.out.append(value)
            self.column += len(value)
        self.whitespace = False
        self.indention = False

    def _write_folded_plain(self, value: str) -> None:
        # A plain scalar has no leading, trailing or line-break characters: words and runs of spaces.
        for run in _WORDS_AND_SPACES.findall(value):
            if run[0] != " ":
                self._write(run)
                self.indention = False
            elif run == " " and self.column > self.best_width:  # only a lone space becomes a break
                self._write_indent()
            else:
                self._write(run)

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
        start = 0
        # Lines are written whole: no folding happens inside a literal scalar.
        for match in _BREAK.finditer(value):
            self._write_literal_line(value[start : match.start()])
            self._write_break(match.group())
            self.indention = True
            start = match.end()
        self._write_literal_line(value[start:])

    def _write_literal_line(self, line: str) -> None:
        if line:
            self._write_indent()
            self._write(line)
            self.indention = False


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
