"""Template functions that serialise and parse YAML, JSON and TOML, as Helm and Sprig define them.

Helm (pkg/engine/funcs.go) defines toYaml, toYamlPretty, fromYaml, fromYamlArray, toJson, fromJson,
fromJsonArray, toToml, fromToml (+ mustToYaml, mustToJson in Helm 4) and they replace Sprig's
functions of the same name; the other JSON functions are Sprig's (defaults.go).
"""

from __future__ import annotations

import base64
import datetime
import json
import math
import re
from typing import Any

from chartfix.go.strconv import format_float
from chartfix.go.types import GoFunc, GoFuncError, GoMap, GoPanic, GoSignature, GoStruct, nil_slice
from chartfix.go.yaml.decode import yaml_unmarshal
from chartfix.go.yaml.emit import marshal_yaml, marshal_yaml_v3
from chartfix.go.yaml.errors import JsonMarshalError, YamlError
from chartfix.go.yaml.gojson import format_float_json, go_json_fields, go_type_name, json_object_key

# ---------------------------------------------------------------------------------------------
# encoding/json Marshal

_JSON_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f<>&\u2028\u2029\ud800-\udfff]*\Z')
_JSON_PLAIN_STRING_NO_HTML = re.compile(r'[^"\\\x00-\x1f\u2028\u2029\ud800-\udfff]*\Z')
_JSON_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
_MAX_JSON_DEPTH = 1000


def _json_string(s: str, escape_html: bool) -> str:
    plain = _JSON_PLAIN_STRING if escape_html else _JSON_PLAIN_STRING_NO_HTML
    if plain.match(s):
        return '"' + s + '"'
    out = ['"']
    for c in s:
        code = ord(c)
        if c in _JSON_SHORT_ESCAPES:
            out.append(_JSON_SHORT_ESCAPES[c])
        elif code < 0x20 or code in (0x2028, 0x2029) or (escape_html and c in "<>&"):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")  # an invalid UTF-8 byte (kept as a surrogate): encoding/json escapes it
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


class _JsonWriter:
    def __init__(self, escape_html: bool, indent: str | None) -> None:
        self.escape_html = escape_html
        self.indent = indent
        self.parts: list[str] = []

    def write(self, value: Any, depth: int = 0) -> None:
        parts = self.parts
        if depth > _MAX_JSON_DEPTH:
            raise JsonMarshalError("json: unsupported value: encountered a cycle via " + go_type_name(value))
        if value is None or getattr(value, "is_nil", False):  # nil, or a typed nil slice or map
            parts.append("null")
        elif value is True:
            parts.append("true")
        elif value is False:
            parts.append("false")
        elif isinstance(value, str):
            parts.append(_json_string(value, self.escape_html))
        elif isinstance(value, float):
            parts.append(format_float_json(value))
        elif isinstance(value, int):
            parts.append(str(int(value)))
        elif isinstance(value, dict):
            keys = sorted((json_object_key(k), k) for k in value)
            self._object([(text, value[k]) for text, k in keys], depth)
        elif isinstance(value, (list, tuple)):
            self._array(value, depth)
        elif isinstance(value, (bytes, bytearray)):
            parts.append('"' + base64.b64encode(bytes(value)).decode("ascii") + '"')
        elif isinstance(value, GoStruct):
            fields = go_json_fields(value)  # a MarshalJSON may give any value, e.g. a string
            if isinstance(fields, dict):
                self._object(list(fields.items()), depth)
            else:
                self.write(fields, depth)
        else:
            raise JsonMarshalError(f"json: unsupported type: {go_type_name(value)}")

    def _newline(self, depth: int) -> None:
        self.parts.append("\n" + self.indent * depth)  # type: ignore[operator]

    def _object(self, items: list[tuple[str, Any]], depth: int) -> None:
        parts = self.parts
        if not items:
            parts.append("{}")
            return
        parts.append("{")
        for i, (key, item) in enumerate(items):
            if i:
                parts.append(",")
            if self.indent is not None:
                self._newline(depth + 1)
            parts.append(_json_string(key, self.escape_html))
            parts.append(": " if self.indent is not None else ":")
            self.write(item, depth + 1)
        if self.indent is not None:
            self._newline(depth)
        parts.append("}")

    def _array(self, items: Any, depth: int) -> None:
        parts = self.parts
        if not items:
            parts.append("[]")
            return
        parts.append("[")
        for i, item in enumerate(items):
            if i:
                parts.append(",")
            if self.indent is not None:
                self._newline(depth + 1)
            self.write(item, depth + 1)
        if self.indent is not None:
            self._newline(depth)
        parts.append("]")


def json_marshal(value: Any, escape_html: bool = True, indent: str | None = None) -> str:
    """encoding/json.Marshal (or MarshalIndent with prefix "" when `indent` is given).
    Raises JsonMarshalError with Go's message."""
    writer = _JsonWriter(escape_html, indent)
    writer.write(value)
    return "".join(writer.parts)


# ---------------------------------------------------------------------------------------------
# encoding/json Unmarshal


class JsonUnmarshalError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.partial: Any = None


class _NumberOutOfRange(Exception):
    pass


def _parse_json_number(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise _NumberOutOfRange(text)
    return value


class _OutOfRange:
    """Stands for a number float64 cannot hold; Go stores nil there and reports the first one."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _lenient_number(text: str) -> Any:
    value = float(text)
    return _OutOfRange(text) if math.isinf(value) else value


def _replace_out_of_range(value: Any, found: list[str]) -> Any:
    if isinstance(value, _OutOfRange):
        found.append(value.text)
        return None
    if isinstance(value, dict):
        return {k: _replace_out_of_range(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_out_of_range(v, found) for v in value]
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


_JSON_DECODER = json.JSONDecoder(
    parse_float=_parse_json_number, parse_int=_parse_json_number, parse_constant=_reject_constant
)
_LENIENT_JSON_DECODER = json.JSONDecoder(
    parse_float=_lenient_number, parse_int=_lenient_number, parse_constant=_reject_constant
)
_JSON_KIND = {dict: "object", list: "array", str: "string", bool: "bool", float: "number"}


def _quote_char(c: int) -> str:
    if c == 0x27:
        return "'\\''"
    if c == 0x22:
        return "'\"'"
    ch = chr(c)
    if ch.isprintable() and ch != "\\":
        return f"'{ch}'"
    escapes = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}
    if ch == "\\":
        return "'\\\\'"
    if ch in escapes:
        return f"'{escapes[ch]}'"
    return f"'\\x{c:02x}'" if c < 0x80 else f"'\\u{c:04x}'"


class _GoJsonSyntax:
    """Finds the first syntax error the way encoding/json's scanner words it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.i = 0

    def fail(self, context: str) -> JsonUnmarshalError:
        if self.i >= len(self.data):
            return JsonUnmarshalError("unexpected end of JSON input")
        return JsonUnmarshalError(f"invalid character {_quote_char(self.data[self.i])} {context}")

    def peek(self) -> int:
        return self.data[self.i] if self.i < len(self.data) else -1

    def skip_ws(self) -> None:
        while self.i < len(self.data) and self.data[self.i] in b" \t\r\n":
            self.i += 1

    def check(self) -> str | None:
        try:
            self.value(0)
            self.skip_ws()
            if self.i < len(self.data):
                raise self.fail("after top-level value")
        except JsonUnmarshalError as err:
            return err.message
        return None

    def value(self, depth: int) -> None:
        if depth > 10000:
            raise JsonUnmarshalError("exceeded max depth")
        self.skip_ws()
        c = self.peek()
        if c == ord("{"):
            self.i += 1
            self.skip_ws()
            if self.peek() == ord("}"):
                self.i += 1
                return
            while True:
                self.skip_ws()
                if self.peek() != ord('"'):
                    raise self.fail("looking for beginning of object key string")
                self.string()
                self.skip_ws()
                if self.peek() != ord(":"):
                    raise self.fail("after object key")
                self.i += 1
                self.value(depth + 1)
                self.skip_ws()
                c = self.peek()
                if c == ord(","):
                    self.i += 1
                    continue
                if c == ord("}"):
                    self.i += 1
                    return
                raise self.fail("after object key:value pair")
        if c == ord("["):
            self.i += 1
            self.skip_ws()
            if self.peek() == ord("]"):
                self.i += 1
                return
            while True:
                self.value(depth + 1)
                self.skip_ws()
                c = self.peek()
                if c == ord(","):
                    self.i += 1
                    continue
                if c == ord("]"):
                    self.i += 1
                    return
                raise self.fail("after array element")
        if c == ord('"'):
            self.string()
        elif c == ord("-") or ord("0") <= c <= ord("9"):
            self.number()
        elif c in (ord("t"), ord("f"), ord("n")):
            word = {ord("t"): b"true", ord("f"): b"false", ord("n"): b"null"}[c]
            for k in range(1, len(word)):
                self.i += 1
                if self.peek() != word[k]:
                    raise self.fail(f"in literal {word.decode()} (expecting {_quote_char(word[k])})")
            self.i += 1
        else:
            raise self.fail("looking for beginning of value")

    def string(self) -> None:
        self.i += 1
        while True:
            c = self.peek()
            if c == -1:
                raise self.fail("")
            if c == ord('"'):
                self.i += 1
                return
            if c < 0x20:
                raise self.fail("in string literal")
            if c == ord("\\"):
                self.i += 1
                c = self.peek()
                if c == ord("u"):
                    for _ in range(4):
                        self.i += 1
                        if self.peek() == -1 or chr(self.peek()) not in "0123456789abcdefABCDEF":
                            raise self.fail("in \\u hexadecimal character escape")
                elif c == -1 or chr(c) not in 'bfnrt\\/"':
                    raise self.fail("in string escape code")
            self.i += 1

    def digits(self) -> None:
        while ord("0") <= self.peek() <= ord("9"):
            self.i += 1

    def number(self) -> None:
        if self.peek() == ord("-"):
            self.i += 1
            if not ord("0") <= self.peek() <= ord("9"):
                raise self.fail("in numeric literal")
        if self.peek() == ord("0"):
            self.i += 1
        else:
            self.digits()
        if self.peek() == ord("."):
            self.i += 1
            if not ord("0") <= self.peek() <= ord("9"):
                raise self.fail("after decimal point in numeric literal")
            self.digits()
        if self.peek() in (ord("e"), ord("E")):
            self.i += 1
            if self.peek() in (ord("+"), ord("-")):
                self.i += 1
            if not ord("0") <= self.peek() <= ord("9"):
                raise self.fail("in exponent of numeric literal")
            self.digits()


def json_unmarshal(text: str, go_type: str) -> Any:
    """encoding/json.Unmarshal of `text` into a Go value of type `go_type`
    ("interface {}", "map[string]interface {}" or "[]interface {}"). Numbers become floats.
    Raises JsonUnmarshalError with Go's message; its `partial` holds what Go decoded anyway."""
    overflow: list[str] = []
    try:
        value = _JSON_DECODER.decode(text)
    except _NumberOutOfRange:
        value = _replace_out_of_range(_LENIENT_JSON_DECODER.decode(text), overflow)
    except (ValueError, RecursionError):
        message = _GoJsonSyntax(text.encode("utf-8", "surrogatepass")).check()
        raise JsonUnmarshalError(message or "invalid JSON input") from None
    if value is not None and go_type != "interface {}":
        want = list if go_type.startswith("[]") else dict
        if not isinstance(value, want):
            kind = _JSON_KIND.get(type(value), "number")
            raise JsonUnmarshalError(f"json: cannot unmarshal {kind} into Go value of type {go_type}")
    if overflow:
        err = JsonUnmarshalError(f"json: cannot unmarshal number {overflow[0]} into Go value of type float64")
        err.partial = value
        raise err
    return value


# ---------------------------------------------------------------------------------------------
# The template functions


def to_yaml(value: Any) -> str:
    try:
        return marshal_yaml(value).removesuffix("\n")
    except JsonMarshalError:
        return ""


def must_to_yaml(value: Any) -> str:
    try:
        return marshal_yaml(value).removesuffix("\n")
    except JsonMarshalError as err:
        raise GoPanic(_sigs_marshal_message(err)) from None


def _sigs_marshal_message(err: JsonMarshalError) -> str:
    if err.message.startswith("json: "):
        return "error marshaling into JSON: " + err.message
    return err.message


def to_yaml_pretty(value: Any) -> str:
    try:
        return marshal_yaml_v3(value).removesuffix("\n")
    except JsonMarshalError:
        return ""


def from_yaml(text: str) -> dict[str, Any]:
    try:
        value = yaml_unmarshal(text, "map[string]interface {}")
    except YamlError as err:
        return {"Error": err.message}
    return value if value is not None else {}


def from_yaml_array(text: str) -> list[Any]:
    try:
        value = yaml_unmarshal(text, "[]interface {}")
    except YamlError as err:
        return [err.message]
    return value if value is not None else []


def to_json(value: Any) -> str:
    try:
        return json_marshal(value)
    except JsonMarshalError:
        return ""


def must_to_json_panics(value: Any) -> str:
    try:
        return json_marshal(value)
    except JsonMarshalError as err:
        raise GoPanic(err.message) from None


def must_to_json(value: Any) -> str:
    try:
        return json_marshal(value)
    except JsonMarshalError as err:
        raise GoFuncError(err.message) from None


def to_pretty_json(value: Any) -> str:
    try:
        return json_marshal(value, indent="  ")
    except JsonMarshalError:
        return ""


def must_to_pretty_json(value: Any) -> str:
    try:
        return json_marshal(value, indent="  ")
    except JsonMarshalError as err:
        raise GoFuncError(err.message) from None


def to_raw_json(value: Any) -> str:
    try:
        return json_marshal(value, escape_html=False)
    except JsonMarshalError as err:
        raise GoPanic(err.message) from None


def must_to_raw_json(value: Any) -> str:
    try:
        return json_marshal(value, escape_html=False)
    except JsonMarshalError as err:
        raise GoFuncError(err.message) from None


def from_json(text: str) -> dict[str, Any]:
    try:
        value = json_unmarshal(text, "map[string]interface {}")
    except JsonUnmarshalError as err:
        return {**(err.partial or {}), "Error": err.message}
    return value if value is not None else GoMap(is_nil=True)  # `null` leaves Go's map nil


def from_json_array(text: str) -> list[Any]:
    try:
        value = json_unmarshal(text, "[]interface {}")
    except JsonUnmarshalError as err:
        return [err.message]
    return value if value is not None else nil_slice()


def must_from_json(text: str) -> Any:
    try:
        return json_unmarshal(text, "interface {}")
    except JsonUnmarshalError as err:
        raise GoFuncError(err.message) from None


def _to_toml_for(helm_major: int) -> Any:
    def to_toml(value: Any) -> str:
        if value is None:  # Encode(nil): eindirect asks the zero reflect.Value for its type (a panic)
            raise GoPanic("reflect: call of reflect.Value.Type on zero Value")
        try:
            return marshal_toml(value, helm_major)
        except TomlError as err:
            return err.message

    return to_toml


def from_toml(text: str) -> dict[str, Any]:
    try:
        return unmarshal_toml(text)
    except TomlError as err:
        return {"Error": err.message}


# ---------------------------------------------------------------------------------------------
# TOML: github.com/BurntSushi/toml (v1.4.0 in Helm 3.17, v1.6.0 in Helm 4.1)


class TomlError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
_TOML_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_TOML_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")


def _toml_quote(s: str) -> str:
    if _TOML_NEEDS_ESCAPE.search(s):
        s = _TOML_NEEDS_ESCAPE.sub(lambda m: _TOML_ESCAPES.get(m.group(), f"\\u{ord(m.group()):04x}"), s)
    return '"' + s + '"'


def _toml_key_piece(piece: str) -> str:
    if not piece:
        return '""'
    return piece if _TOML_BARE_KEY.match(piece) else _toml_quote(piece)


def _toml_table_value(value: Any) -> Any:
    return go_json_fields(value) if isinstance(value, GoStruct) else value


def _toml_is_table(value: Any) -> bool:
    """tomlTypeOfGo(value) is a table or an array of tables (raises for arrays with nil items); a nil
    map or slice has no TOML type."""
    if getattr(value, "is_nil", False):
        return False
    if isinstance(value, (dict, GoStruct)):
        return True
    if isinstance(value, (list, tuple)):
        if not value:
            return False
        all_tables = True
        for item in value:
            if item is None:
                raise TomlError("toml: cannot encode array with nil element")
            if all_tables and not isinstance(item, (dict, GoStruct)):
                all_tables = False
        return all_tables
    return False


class _TomlWriter:
    def __init__(self, helm_major: int) -> None:
        self.float_g = helm_major >= 4
        self.parts: list[str] = []
        self.has_written = False

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.has_written = True

    def newline(self) -> None:
        if self.has_written:
            self.write("\n")

    def encode(self, key: list[str], value: Any) -> None:
        if isinstance(value, (dict, GoStruct)):
            self.table(key, _toml_table_value(value))
        elif isinstance(value, (list, tuple)) and _toml_is_table(value):
            if not key:
                raise TomlError("toml: top-level values must be Go maps or structs")
            for item in value:
                self.newline()
                self.write(f"{'  ' * (len(key) - 1)}[[{self.key_path(key)}]]")
                self.newline()
                self.map(key, _toml_table_value(item), inline=False)
        elif isinstance(value, (bool, int, float, str, list, tuple)):
            self.key_value(key, value, inline=False)
        else:
            raise TomlError(f"toml: unsupported type for key '{self.key_path(key)}': {go_type_name(value)}")

    @staticmethod
    def key_path(key: list[str]) -> str:
        return ".".join(_toml_key_piece(piece) for piece in key)

    def table(self, key: list[str], value: dict) -> None:
        if len(key) == 1:
            self.newline()
        if key:
            self.write(f"{'  ' * (len(key) - 1)}[{self.key_path(key)}]")
            self.newline()
        self.map(key, value, inline=False)

    def map(self, key: list[str], value: dict, inline: bool) -> None:
        direct: list[str] = []
        sub: list[str] = []
        for k, item in value.items():
            if not isinstance(k, str):
                raise TomlError("toml: cannot encode a map with non-string key type")
            (sub if _toml_is_table(item) else direct).append(k)
        if inline:
            self.write("{")
        for keys, trailing_comma in ((sorted(direct), bool(sub)), (sorted(sub), False)):
            for i, k in enumerate(keys):
                item = value[k]
                if item is None or getattr(item, "is_nil", False):  # nil, or a typed nil slice or map
                    continue
                if inline:
                    self.key_value([k], item, inline=True)
                    if trailing_comma or i != len(keys) - 1:
                        self.write(", ")
                else:
                    self.encode([*key, k], item)
        if inline:
            self.write("}")

    def key_value(self, key: list[str], value: Any, inline: bool) -> None:
        if not key:
            self.element(value)
            return
        self.write(f"{'  ' * (len(key) - 1)}{_toml_key_piece(key[-1])} = ")
        self.element(value)
        if not inline:
            self.newline()

    def element(self, value: Any) -> None:
        if isinstance(value, str):
            self.write(_toml_quote(value))
        elif isinstance(value, bool):
            self.write("true" if value else "false")
        elif isinstance(value, float):
            self.write(self.float_text(value))
        elif isinstance(value, int):
            self.write(str(int(value)))
        elif isinstance(value, (list, tuple)):
            self.write("[")
            for i, item in enumerate(value):
                self.element(item)
                if i != len(value) - 1:
                    self.write(", ")
            self.write("]")
        elif isinstance(value, (dict, GoStruct)):
            self.map([], _toml_table_value(value), inline=True)
        else:
            raise TomlError(f"toml: unexpected type: {go_type_name(value)}")

    def float_text(self, f: float) -> str:
        sign = "-" if math.copysign(1.0, f) < 0 else ""
        if math.isnan(f):
            return sign + "nan"
        if math.isinf(f):
            return sign + "inf"
        if self.float_g:
            text = format_float(f, "g", -1)
            return text if ("." in text or "e" in text) else text + ".0"
        text = format_float(f, "f", -1)
        return text if "." in text else text + ".0"


def marshal_toml(value: Any, helm_major: int) -> str:
    """toml.NewEncoder(...).Encode(value) output. Raises TomlError with the encoder's message."""
    writer = _TomlWriter(helm_major)
    writer.encode([], value)
    return "".join(writer.parts)


def _go_time_text(value: Any) -> str:
    """A TOML date-time as encoding/json writes the time.Time BurntSushi/toml decodes it to
    (RFC 3339 with nanoseconds; local date-times sit in a zero-offset zone)."""
    if isinstance(value, datetime.datetime):
        text = value.strftime("%Y-%m-%dT%H:%M:%S")
        if value.microsecond:
            text += f".{value.microsecond:06d}".rstrip("0")
        offset = value.utcoffset()
        if not offset:
            return text + "Z"
        minutes = int(offset.total_seconds()) // 60
        return f"{text}{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d") + "T00:00:00Z"
    text = "0000-01-01T" + value.strftime("%H:%M:%S")
    if value.microsecond:
        text += f".{value.microsecond:06d}".rstrip("0")
    return text + "Z"


def _toml_to_go(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _toml_to_go(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_toml_to_go(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return _go_time_text(value)
    return value


_TOMLLIB_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)|\s*\(at end of document\)")


def _toml_parser() -> Any:
    """tomllib, or on Python 3.10 the same parser from PyPI (a dependency there). Imported by the
    first fromToml, not at start-up (docs/architecture.md): few charts read TOML."""
    try:
        import tomllib  # noqa: PLC0415
    except ImportError:
        try:
            import tomli as tomllib  # type: ignore[no-redef]  # noqa: PLC0415
        except ImportError:
            raise TomlError("toml: TOML parsing needs Python 3.11 or newer") from None
    return tomllib


def unmarshal_toml(text: str) -> dict[str, Any]:
    """toml.Unmarshal into map[string]interface{} (ints stay int64, date-times become their Go
    String() text). Raises TomlError; the wording of syntax errors is tomllib's, not BurntSushi's."""
    tomllib = _toml_parser()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        match = _TOMLLIB_POSITION.search(message)
        line = match.group(1) if match and match.group(1) else str(text.count("\n") + 1)
        raise TomlError(f"toml: line {line}: {_TOMLLIB_POSITION.sub('', message)}") from None
    return _toml_to_go(data)


_ANY = GoSignature(("interface {}",))
_STRING = GoSignature(("string",))
_ANY_ERR = GoSignature(("interface {}",), returns_error=True)
_STRING_ERR = GoSignature(("string",), returns_error=True)


def _funcs(*entries: tuple[str, Any, GoSignature]) -> dict[str, GoFunc]:
    return {name: GoFunc(name, impl, signature) for name, impl, signature in entries}


_COMMON = (
    ("toYaml", to_yaml, _ANY),
    ("toYamlPretty", to_yaml_pretty, _ANY),
    ("fromYaml", from_yaml, _STRING),
    ("fromYamlArray", from_yaml_array, _STRING),
    ("toJson", to_json, _ANY),
    ("fromJson", from_json, _STRING),
    ("fromJsonArray", from_json_array, _STRING),
    ("fromToml", from_toml, _STRING),
    ("toPrettyJson", to_pretty_json, _ANY),
    ("mustToPrettyJson", must_to_pretty_json, _ANY_ERR),
    ("toRawJson", to_raw_json, _ANY),
    ("mustToRawJson", must_to_raw_json, _ANY_ERR),
    ("mustFromJson", must_from_json, _STRING_ERR),
)

# Helm 3.17: mustToJson is Sprig's (returns an error); there is no mustToYaml.
SERIALIZE_FUNCS_HELM3: dict[str, GoFunc] = _funcs(
    *_COMMON, ("mustToJson", must_to_json, _ANY_ERR), ("toToml", _to_toml_for(3), _ANY)
)

# Helm 4.1: Helm's own mustToYaml and mustToJson, which panic.
SERIALIZE_FUNCS_HELM4: dict[str, GoFunc] = _funcs(
    *_COMMON,
    ("mustToJson", must_to_json_panics, _ANY),
    ("mustToYaml", must_to_yaml, _ANY),
    ("toToml", _to_toml_for(4), _ANY),
)

# Every function either version has (the Helm 4 set, a superset of Helm 3's).
SERIALIZE_FUNCS: dict[str, GoFunc] = SERIALIZE_FUNCS_HELM4
