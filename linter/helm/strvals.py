"""Helm's pkg/strvals: the parsers behind --set, --set-string, --set-json, --set-file and
--set-literal. Same grammar, same quirks, same error texts (identical in Helm 3.17 and 4.1)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from chartfix.go.fmt import go_type_name
from chartfix.go.strconv import int_or_out_of_range, quote, quote_rune

MAX_INDEX = 65536
MAX_NESTED_NAME_LEVEL = 30

_INT64 = re.compile(r"[+-]?[0-9]+")
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class StrvalsError(Exception):
    """A parse error, with Helm's message."""

    wraps_eof = False  # Helm 4's error wraps io.EOF (see _Parser.parse)


class _EOF(Exception):
    """io.EOF inside the parser (ends parsing without error at the top level)."""


class _NotList(Exception):
    pass


class _Panic(Exception):
    """A Go runtime panic (failed type assertion) that Helm's key() recovers."""


def _go_type(value: Any) -> str:
    """The dynamic type a failed interface conversion names (`nil` for a nil interface)."""
    return "nil" if value is None else go_type_name(value)


def _assert_list(value: Any) -> list:
    if not isinstance(value, list):
        raise _Panic(f"interface conversion: interface {{}} is {_go_type(value)}, not []interface {{}}")
    return value


def _assert_map(value: Any) -> dict:
    if not isinstance(value, dict):
        raise _Panic(
            f"interface conversion: interface {{}} is {_go_type(value)}, not map[string]interface {{}}"
        )
    return value


def typed_val(text: str, as_string: bool) -> Any:
    """typedVal: true/false/null (any case), 0, int64 without a leading zero; else the string."""
    if as_string:
        return text
    lower = text.lower()
    if lower == "true":
        return True
    if lower == "false":
        return False
    if lower == "null":
        return None
    if text == "0":
        return 0
    if text and text[0] != "0" and _INT64.fullmatch(text):
        number = int_or_out_of_range(text)
        if number is not None and _INT64_MIN <= number <= _INT64_MAX:
            return number
    return text


def _atoi(text: str) -> int:
    """strconv.Atoi, with its error text."""
    if not _INT64.fullmatch(text):
        raise StrvalsError(f"strconv.Atoi: parsing {quote(text)}: invalid syntax")
    number = int_or_out_of_range(text)
    if number is None or not _INT64_MIN <= number <= _INT64_MAX:
        raise StrvalsError(f"strconv.Atoi: parsing {quote(text)}: value out of range")
    return number


def _quote_runes(text: str) -> str:
    """Go's %q of a []rune: each rune quoted, space separated, in brackets (['a' 'b'])."""

    return "[" + " ".join(quote_rune(ord(ch)) for ch in text) + "]"


def _set(data: dict, key: str, value: Any) -> None:
    if key:
        data[key] = value


def _set_index(items: list | None, index: int, value: Any) -> list:
    items = [] if items is None else items
    if index < 0:
        raise StrvalsError(f"negative {index} index not allowed")
    if index > MAX_INDEX:
        raise StrvalsError(f"index of {index} is greater than maximum supported index of {MAX_INDEX}")
    if len(items) <= index:
        items = items + [None] * (index + 1 - len(items))
    items[index] = value
    return items


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def read(self) -> str:
        if self.pos >= len(self.text):
            raise _EOF()
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def unread(self) -> None:
        self.pos -= 1

    def until(self, stop: str, escapes: bool = True) -> tuple[str, str]:
        """runesUntil: (text, stop rune); raises _EOFWith(text) at the end of input."""
        out = []
        text, n = self.text, len(self.text)
        while True:
            if self.pos >= n:
                raise _EOFWith("".join(out))
            ch = text[self.pos]
            self.pos += 1
            if ch in stop:
                return "".join(out), ch
            if escapes and ch == "\\":
                if self.pos >= n:
                    raise _EOFWith("".join(out))
                out.append(text[self.pos])
                self.pos += 1
            else:
                out.append(ch)


class _EOFWith(_EOF):
    def __init__(self, partial: str) -> None:
        super().__init__()
        self.partial = partial


Reader = Callable[[str], Any]


class _Parser:
    escapes = True  # backslash escapes in keys and indexes (--set-literal has none)

    def __init__(self, text: str, data: dict, reader: Reader | None, json_values: bool = False) -> None:
        self.sc = _Scanner(text)
        self.data = data
        self.reader = reader
        self.json_values = json_values

    # Helm 4 wraps the index error with %w and stops at any error that is io.EOF (errors.Is): an
    # index cut off by the end of the input (`a[=1`) ends parsing quietly there. Helm 3 fails.
    index_eof_ends = False

    def parse(self) -> None:
        while True:
            try:
                self.key(self.data, 0)
            except _EOF:
                return
            except StrvalsError as exc:
                if self.index_eof_ends and exc.wraps_eof:
                    return
                raise

    def key(self, data: dict, level: int) -> None:
        try:
            self._key(data, level)
        except _Panic as exc:
            raise StrvalsError(f"unable to parse key: {exc}") from None

    def _key(self, data: dict, level: int) -> None:
        try:
            k, last = self.sc.until("=[,.")
        except _EOFWith as exc:
            if not exc.partial:
                raise
            raise StrvalsError(f"key {quote(exc.partial)} has no value") from None
        if last == "[":
            index = self._key_index()
            items = _assert_list(data[k]) if k in data else []
            try:
                items = self.list_item(items, index, level)
            finally:
                _set(data, k, items)
        elif last == "=":
            if self.json_values:
                if self._empty_val():
                    _set(data, k, None)
                    return
                _set(data, k, self._json_value())
                self._empty_val()
                return
            try:
                value = self._val_list()
            except _NotList:
                try:
                    text = self._val()
                except _EOFWith as exc:
                    text = exc.partial
                _set(data, k, self._read(text))
                return
            except _EOF:
                _set(data, k, "")
                raise
            _set(data, k, value)
        elif last == ",":
            _set(data, k, "")
            raise StrvalsError(f"key {quote(k)} has no value (cannot end with ,)")
        else:  # "."
            self._nested_key(data, k, level + 1)

    def _nested_key(self, data: dict, k: str, level: int) -> None:
        """`a.b...`: parse the rest of the key into the map at data[k] (Helm keeps what was parsed
        before an error)."""
        if level > MAX_NESTED_NAME_LEVEL:
            raise StrvalsError(
                f"value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
            )
        inner = _assert_map(data[k]) if k in data else {}
        error: BaseException | None = None
        try:
            self.key(inner, level)
        except (_EOF, StrvalsError) as exc:
            error = exc
        if error is None and not inner:
            raise StrvalsError(f"key map {quote(k)} has no value")
        if inner:
            _set(data, k, inner)
        if error is not None:
            raise error

    def _read(self, text: str) -> Any:
        assert self.reader is not None
        return self.reader(text)

    def _key_index(self) -> int:
        try:
            text, _ = self.sc.until("]", escapes=self.escapes)
        except _EOFWith:
            error = StrvalsError("error parsing index: EOF")
            error.wraps_eof = True
            raise error from None
        try:
            return _atoi(text)
        except StrvalsError as exc:
            raise StrvalsError(f"error parsing index: {exc}") from None

    def _after_index(self, i: int) -> str:
        """What follows `[i]`: one of `[`, `.`, `=` (anything else is an error)."""
        if i < 0:
            raise StrvalsError(f"negative {i} index not allowed")
        try:
            k, last = self.sc.until("[.=", escapes=self.escapes)
        except _EOFWith as exc:
            if exc.partial:
                raise StrvalsError(f"unexpected data at end of array index: {quote(exc.partial)}") from None
            raise
        if k:
            raise StrvalsError(f"unexpected data at end of array index: {_quote_runes(k)}")
        return last

    def list_item(self, items: list, i: int, level: int) -> list:
        last = self._after_index(i)
        if last == "=":
            if self.json_values:
                if self._empty_val():
                    return _set_index(items, i, None)
                items = _set_index(items, i, self._json_value())
                self._empty_val()
                return items
            try:
                value = self._val_list()
            except _NotList:
                try:
                    text = self._val()
                except _EOFWith as exc:
                    text = exc.partial
                return _set_index(items, i, self._read(text))
            except _EOF:
                return _set_index(items, i, "")
            return _set_index(items, i, value)
        if last == "[":
            next_i = self._key_index()
            current = None
            if len(items) > i and items[i] is not None:
                current = _assert_list(items[i])
            return _set_index(items, i, self.list_item(current or [], next_i, level))
        # "."
        inner: dict = {}
        if len(items) > i:
            if isinstance(items[i], dict):
                inner = items[i]
            else:
                items[i] = inner
        self.key(inner, level)
        return _set_index(items, i, inner)

    def _empty_val(self) -> bool:
        while True:
            try:
                ch = self.sc.read()
            except _EOF:
                return True
            if ch == ",":
                return True
            if not ch.isspace():
                self.sc.unread()
                return False

    def _val(self) -> str:
        text, _ = self.sc.until(",")
        return text

    def _val_list(self) -> list:
        ch = self.sc.read()  # _EOF propagates as Go's io.EOF
        if ch != "{":
            self.sc.unread()
            raise _NotList()
        items: list = []
        while True:
            try:
                text, last = self.sc.until(",}")
            except _EOFWith:
                raise StrvalsError("list must terminate with '}'") from None
            if last == "}":
                try:
                    if self.sc.read() != ",":
                        self.sc.unread()
                except _EOF:
                    pass
                items.append(self._read(text))
                return items
            items.append(self._read(text))

    def _json_value(self) -> Any:
        text = self.sc.text
        start = self.sc.pos
        while start < len(text) and text[start] in " \t\r\n":
            start += 1
        try:
            value, end = _JSON.raw_decode(text, start)
        except (ValueError, RecursionError) as exc:
            raise StrvalsError(str(exc)) from None
        self.sc.pos = end
        return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid character {name[0]!r} looking for beginning of value")


_JSON = json.JSONDecoder(parse_int=float, parse_constant=_reject_constant)


class _LiteralParser(_Parser):
    """--set-literal: no escapes, the value is the rest of the string (commas included)."""

    escapes = False

    def __init__(self, text: str, data: dict) -> None:
        super().__init__(text, data, reader=None)

    def _key(self, data: dict, level: int) -> None:
        try:
            k, last = self.sc.until("=[.", escapes=self.escapes)
        except _EOFWith as exc:
            if not exc.partial:
                raise
            raise StrvalsError(f"key {quote(exc.partial)} has no value") from None
        if last == "=":
            _set(data, k, self._rest())
        elif last == ".":
            self._nested_key(data, k, level + 1)
        else:  # "["
            index = self._key_index()
            items = _assert_list(data[k]) if k in data else []
            try:
                items = self.list_item(items, index, level)
            finally:
                _set(data, k, items)

    def _rest(self) -> str:
        text = self.sc.text[self.sc.pos :]
        self.sc.pos = len(self.sc.text)
        return text

    def list_item(self, items: list, i: int, level: int) -> list:
        last = self._after_index(i)
        if last == "=":
            return _set_index(items, i, self._rest())
        if last == ".":
            inner: dict = {}
            if len(items) > i:
                if isinstance(items[i], dict):
                    inner = items[i]
                else:
                    items[i] = inner
            self.key(inner, level)
            return _set_index(items, i, inner)
        next_i = self._key_index()
        current = None
        if len(items) > i and items[i] is not None:
            current = _assert_list(items[i])
        return _set_index(items, i, self.list_item(current or [], next_i, level))


# --- public API (names follow Helm's functions) ----------------------------------------------------


def _run(parser: _Parser, helm_major: int = 3) -> None:
    parser.index_eof_ends = helm_major >= 4
    try:
        parser.parse()
    except RecursionError:
        raise StrvalsError("value nested too deeply") from None


def parse(text: str) -> dict:
    """strvals.Parse (--set into a fresh map)."""
    out: dict = {}
    parse_into(text, out)
    return out


def parse_into(text: str, dest: dict, helm_major: int = 3) -> None:
    """--set: typed values."""
    _run(_Parser(text, dest, lambda rs: typed_val(rs, False)), helm_major)


def parse_string(text: str) -> dict:
    out: dict = {}
    parse_into_string(text, out)
    return out


def parse_into_string(text: str, dest: dict, helm_major: int = 3) -> None:
    """--set-string: every value a string."""
    _run(_Parser(text, dest, lambda rs: typed_val(rs, True)), helm_major)


def parse_json(text: str, dest: dict, helm_major: int = 3) -> None:
    """--set-json (key=JSON form)."""
    _run(_Parser(text, dest, None, json_values=True), helm_major)


def parse_into_file(text: str, dest: dict, reader: Reader, helm_major: int = 3) -> None:
    """--set-file: each value is a path; `reader(path)` returns the value (the file's text)."""
    _run(_Parser(text, dest, reader), helm_major)


def parse_literal(text: str) -> dict:
    out: dict = {}
    parse_literal_into(text, out)
    return out


def parse_literal_into(text: str, dest: dict, helm_major: int = 3) -> None:
    """--set-literal: the value is taken verbatim."""
    _run(_LiteralParser(text, dest), helm_major)
