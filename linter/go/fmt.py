"""Go's fmt (Sprint, Sprintln, Sprintf) on the chartfix.go.types value model (strconv: go.strconv).

The printer follows Go's src/fmt/print.go (doPrintf, printArg, printValue, badVerb) and
src/fmt/format.go (padding, integers, floats, quoting); float digits follow src/strconv/ftoa.go.
Behaviour matches the Go releases Helm 3.17 (go1.23) and 4.1 (go1.25) are built with.

Where the value model carries less than Go does, the output is approximated: every slice prints as
`[]interface {}` under %T/%#v (Go may say `[]string`), and pointers that Go prints as addresses
(%p, nested struct pointers, functions) print a fixed placeholder address. Strings may hold
invalid UTF-8 bytes as surrogate escapes (U+DC80..U+DCFF); they are treated as the raw bytes.
"""

from __future__ import annotations

from typing import Any

from chartfix.go.strconv import as_text, can_backquote, format_float, is_print, quote, quote_rune
from chartfix.go.types import GoFunc, GoInt, GoMap, GoMethod, GoSlice, GoStruct, GoUint8, GoUint64

__all__ = [
    "go_type_name",
    "sprint",
    "sprint_indirect",
    "sprintf",
    "sprintln",
]

_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"
_MAX_RUNE = 0x10FFFF
_RUNE_ERROR = "\ufffd"
_U64 = (1 << 64) - 1
_TOO_LARGE = 1_000_000  # fmt's tooLarge: widths/precisions beyond this are rejected

# ---------------------------------------------------------------------------------------------
# Go type names (reflect.Type.String())


def go_type_name(v: Any) -> str:
    """The Go type of a value as `%T` prints it; `<nil>` for nil."""
    if v is None:
        return "<nil>"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, GoInt):
        return "int"
    if isinstance(v, GoUint8):
        return "uint8"
    if isinstance(v, GoUint64):
        return "uint64"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, (bytes, bytearray)):
        return "[]uint8"
    if isinstance(v, (GoSlice, GoMap)):
        return v.go_type
    if isinstance(v, (list, tuple)):
        return "[]interface {}"
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, GoStruct):
        return v.go_type
    if isinstance(v, GoFunc):
        sig = v.signature
        params = list(sig.params)
        if sig.variadic is not None:
            params.append("..." + sig.variadic)
        result = " (interface {}, error)" if sig.returns_error else " interface {}"
        return f"func({', '.join(params)}){result}"
    return type(v).__name__


# ---------------------------------------------------------------------------------------------
# The printer


class _Printer:
    __slots__ = (
        "buf",
        "wid",
        "prec",
        "wid_present",
        "prec_present",
        "minus",
        "plus",
        "sharp",
        "space",
        "zero",
        "plus_v",
        "sharp_v",
        "erroring",
        "reordered",
        "good_arg_num",
        "indirect_top",
    )

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.erroring = False
        self.reordered = False
        self.good_arg_num = True
        self.indirect_top = False
        self.clear_flags()

    def clear_flags(self) -> None:
        self.wid = 0
        self.prec = 0
        self.wid_present = False
        self.prec_present = False
        self.minus = False
        self.plus = False
        self.sharp = False
        self.space = False
        self.zero = False
        self.plus_v = False
        self.sharp_v = False

    # -- padding (format.go) ------------------------------------------------------------------

    def write_padding(self, n: int) -> None:
        if n > 0:
            self.buf.append(("0" if self.zero and not self.minus else " ") * n)

    def pad(self, s: str) -> None:
        if not self.wid_present or self.wid == 0:
            self.buf.append(s)
            return
        width = self.wid - len(s)
        if not self.minus:
            self.write_padding(width)
            self.buf.append(s)
        else:
            self.buf.append(s)
            self.write_padding(width)

    def truncate(self, s: str) -> str:
        if self.prec_present and self.prec < len(s):
            return s[: self.prec]
        return s

    # -- basic kinds --------------------------------------------------------------------------

    def fmt_bool(self, v: bool, verb: str, value: Any) -> None:
        if verb in "tv":
            self.pad("true" if v else "false")
        else:
            self.bad_verb(verb, value)

    def fmt_integer(self, v: int, verb: str, value: Any, signed: bool = True) -> None:
        if verb == "v":
            if self.sharp_v and not signed:
                self.fmt_0x64(v, True)
            else:
                self.integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "d":
            self.integer(v, 10, signed, verb, _LDIGITS)
        elif verb == "b":
            self.integer(v, 2, signed, verb, _LDIGITS)
        elif verb in "oO":
            self.integer(v, 8, signed, verb, _LDIGITS)
        elif verb == "x":
            self.integer(v, 16, signed, verb, _LDIGITS)
        elif verb == "X":
            self.integer(v, 16, signed, verb, _UDIGITS)
        elif verb == "c":
            self.pad(_rune_text(v))
        elif verb == "q":
            self.pad(quote_rune(v if 0 <= v <= _MAX_RUNE else 0xFFFD, self.plus))
        elif verb == "U":
            self.fmt_unicode(v)
        else:
            self.bad_verb(verb, value)

    def fmt_0x64(self, v: int, leading0x: bool) -> None:
        sharp = self.sharp
        self.sharp = leading0x
        self.integer(v, 16, False, "v", _LDIGITS)
        self.sharp = sharp

    def integer(self, v: int, base: int, signed: bool, verb: str, digits: str) -> None:
        """format.go fmtInteger."""
        v = int(v)
        negative = signed and v < 0
        u = -v if negative else v & _U64 if v < 0 else v
        prec = 0
        if self.prec_present:
            prec = self.prec
            if prec == 0 and u == 0:
                old_zero = self.zero
                self.zero = False
                self.write_padding(self.wid)
                self.zero = old_zero
                return
        elif self.zero and not self.minus and self.wid_present:
            prec = self.wid
            if negative or self.plus or self.space:
                prec -= 1
        if base == 10:
            text = str(u)
        elif base == 16:
            text = format(u, "x")
            if digits is _UDIGITS:
                text = text.upper()
        elif base == 8:
            text = format(u, "o")
        else:
            text = format(u, "b")
        if prec > len(text):
            text = "0" * (prec - len(text)) + text
        if self.sharp:
            if base == 2:
                text = "0b" + text
            elif base == 8:
                if text[0] != "0":
                    text = "0" + text
            elif base == 16:
                text = "0" + digits[16] + text
        if verb == "O":
            text = "0o" + text
        if negative:
            text = "-" + text
        elif self.plus:
            text = "+" + text
        elif self.space:
            text = " " + text
        old_zero = self.zero
        self.zero = False
        self.pad(text)
        self.zero = old_zero

    def fmt_unicode(self, v: int) -> None:
        u = v & _U64
        prec = self.prec if self.prec_present and self.prec > 4 else 4
        text = "U+" + format(u, "X").rjust(prec, "0")
        if self.sharp and u <= _MAX_RUNE and not 0xD800 <= u <= 0xDFFF and is_print(chr(u)):
            text += " '" + chr(u) + "'"
        old_zero = self.zero
        self.zero = False
        self.pad(text)
        self.zero = old_zero

    def fmt_float(self, v: float, verb: str, value: Any) -> None:
        if verb == "v":
            self.float(v, "g", -1)
        elif verb in "bgGxX":
            self.float(v, verb, -1)
        elif verb in "feEF":
            self.float(v, "f" if verb == "F" else verb, 6)
        else:
            self.bad_verb(verb, value)

    def float(self, v: float, verb: str, prec: int) -> None:
        """format.go fmtFloat."""
        if self.prec_present:
            prec = self.prec
        num = format_float(v, verb, prec)
        if num[0] in "+-":
            sign, body = num[0], num[1:]
        else:
            sign, body = "+", num
        if self.space and sign == "+" and not self.plus:
            sign = " "
        if body[0] in "IN":
            old_zero = self.zero
            self.zero = False
            if body[0] == "N" and not self.space and not self.plus:
                self.pad(body)
            else:
                self.pad(sign + body)
            self.zero = old_zero
            return
        if self.sharp and verb != "b":
            body = _sharp_float(body, verb, prec)
        if self.plus or sign != "+":
            if self.zero and not self.minus and self.wid_present and self.wid > len(body) + 1:
                self.buf.append(sign)
                self.write_padding(self.wid - len(body) - 1)
                self.buf.append(body)
                return
            self.pad(sign + body)
            return
        self.pad(body)

    def fmt_string(self, s: str, verb: str, value: Any, raw: bytes | None = None) -> None:
        if verb == "v":
            if self.sharp_v:
                self.fmt_q(s, raw)
            else:
                self.pad(self.truncate(s))
        elif verb == "s":
            self.pad(self.truncate(s))
        elif verb in "xX":
            self.fmt_sbx(raw if raw is not None else s.encode("utf-8", "surrogateescape"), verb)
        elif verb == "q":
            self.fmt_q(s, raw)
        else:
            self.bad_verb(verb, value)

    def fmt_q(self, s: str, raw: bytes | None) -> None:
        text = as_text(raw) if raw is not None else s
        text = self.truncate(text)
        if self.sharp and can_backquote(text):
            self.pad("`" + text + "`")
        else:
            self.pad(quote(text, self.plus))

    def fmt_sbx(self, b: bytes, verb: str) -> None:
        digits = _UDIGITS if verb == "X" else _LDIGITS
        length = len(b)
        if self.prec_present and self.prec < length:
            length = self.prec
        width = 2 * length
        if width > 0:
            if self.space:
                if self.sharp:
                    width *= 2
                width += length - 1
            elif self.sharp:
                width += 2
        else:
            if self.wid_present:
                self.write_padding(self.wid)
            return
        if self.wid_present and self.wid > width and not self.minus:
            self.write_padding(self.wid - width)
        out = []
        prefix = "0" + digits[16]
        if self.sharp:
            out.append(prefix)
        for i in range(length):
            if self.space and i > 0:
                out.append(" ")
                if self.sharp:
                    out.append(prefix)
            c = b[i]
            out.append(digits[c >> 4] + digits[c & 0xF])
        self.buf.append("".join(out))
        if self.wid_present and self.wid > width and self.minus:
            self.write_padding(self.wid - width)

    def fmt_bytes(self, v: bytes, verb: str, type_string: str, depth: int) -> None:
        if verb in "vd":
            if self.sharp_v:
                self.buf.append(type_string + "{")
                for i, c in enumerate(v):
                    if i > 0:
                        self.buf.append(", ")
                    self.fmt_0x64(c, True)
                self.buf.append("}")
            else:
                self.buf.append("[")
                for i, c in enumerate(v):
                    if i > 0:
                        self.buf.append(" ")
                    self.integer(c, 10, False, verb, _LDIGITS)
                self.buf.append("]")
        elif verb == "s":
            self.pad(self.truncate(as_text(v)))
        elif verb in "xX":
            self.fmt_sbx(v, verb)
        elif verb == "q":
            self.fmt_q("", v)
        else:
            # Other verbs print the bytes as a slice of uint8 values.
            self.buf.append("[")
            for i, c in enumerate(v):
                if i > 0:
                    self.buf.append(" ")
                if verb in "bcoOU":
                    self.fmt_integer(c, verb, c, signed=False)
                else:
                    self.buf.append(f"%!{verb}(uint8=")
                    self.integer(c, 10, False, "v", _LDIGITS)
                    self.buf.append(")")
            self.buf.append("]")

    # -- errors ----------------------------------------------------------------------------------

    def bad_verb(self, verb: str, value: Any) -> None:
        self.erroring = True
        self.buf.append("%!" + verb + "(")
        if value is None:
            self.buf.append("<nil>")
        else:
            self.buf.append(go_type_name(value) + "=")
            self.print_arg(value, "v")
        self.buf.append(")")
        self.erroring = False

    # -- dispatch ----------------------------------------------------------------------------------

    def print_arg(self, arg: Any, verb: str) -> None:
        if arg is None:
            if verb in "Tv":
                self.pad("<nil>")
            else:
                self.bad_verb(verb, None)
            return
        if verb == "T":
            self.pad(self.truncate(go_type_name(arg)))
            return
        if verb == "p":
            self.fmt_pointer(arg, verb)
            return
        self.print_value(arg, verb, 0)

    def print_value(self, v: Any, verb: str, depth: int) -> None:
        """printArg/printValue for every kind of our value model (depth > 0: inside a composite)."""
        if isinstance(v, str):
            self.fmt_string(v, verb, v)
        elif isinstance(v, bool):
            self.fmt_bool(v, verb, v)
        elif isinstance(v, int):
            self.fmt_integer(v, verb, v, signed=not isinstance(v, (GoUint8, GoUint64)))
        elif isinstance(v, float):
            self.fmt_float(v, verb, v)
        elif isinstance(v, dict):
            self.print_map(v, verb, depth)
        elif isinstance(v, (list, tuple)):
            self.print_list(v, verb, depth)
        elif v is None:
            # A nil interface element inside a slice, map or struct.
            self.buf.append("interface {}(nil)" if self.sharp_v else "<nil>")
        elif isinstance(v, (bytes, bytearray)):
            if depth == 0:
                self.fmt_bytes(bytes(v), verb, "[]byte", depth)
            else:
                self.fmt_bytes(bytes(v), verb, "[]uint8", depth)
        elif isinstance(v, GoStruct):
            if not self.handle_methods(v, verb):
                self.print_struct(v, verb, depth)
        elif isinstance(v, GoFunc):
            self.fmt_pointer(v, verb)
        else:
            self.buf.append(f"?{go_type_name(v)}?")

    def handle_methods(self, v: GoStruct, verb: str) -> bool:
        """Error() and String() methods are used for the verbs that accept a string."""
        if self.erroring or self.sharp_v or verb not in "vsxXq":
            return False
        for name in ("Error", "String"):
            method = getattr(type(v), name, None)
            if isinstance(method, GoMethod) and not method.signature.params:
                text = method.func(v)
                self.fmt_string(text, verb, text)
                return True
        return False

    def print_map(self, m: dict, verb: str, depth: int) -> None:
        if self.sharp_v and getattr(m, "is_nil", False):
            self.buf.append(f"{m.go_type}(nil)")  # type: ignore[attr-defined]
            return
        if self.sharp_v:
            self.buf.append(getattr(m, "go_type", "map[string]interface {}") + "{")
        else:
            self.buf.append("map[")
        for i, key in enumerate(_sorted_keys(m)):
            if i > 0:
                self.buf.append(", " if self.sharp_v else " ")
            self.print_value(key, verb, depth + 1)
            self.buf.append(":")
            self.print_value(m[key], verb, depth + 1)
        self.buf.append("}" if self.sharp_v else "]")

    def print_list(self, items: list | tuple, verb: str, depth: int) -> None:
        if self.sharp_v and getattr(items, "is_nil", False):
            self.buf.append(f"{items.go_type}(nil)")  # type: ignore[union-attr]
            return
        if self.sharp_v:
            self.buf.append(getattr(items, "go_type", "[]interface {}") + "{")
            sep = ", "
        else:
            self.buf.append("[")
            sep = " "
        for i, item in enumerate(items):
            if i > 0:
                self.buf.append(sep)
            self.print_value(item, verb, depth + 1)
        self.buf.append("}" if self.sharp_v else "]")

    def print_struct(self, v: GoStruct, verb: str, depth: int) -> None:
        type_name = v.go_type
        if type_name.startswith("*"):
            if depth > 0:
                # Go prints the address of a nested pointer; there is none to show here.
                self.fmt_pointer(v, verb)
                return
            if not self.indirect_top:
                self.buf.append("&")
            type_name = type_name[1:]
        if self.sharp_v:
            self.buf.append(type_name)
        self.buf.append("{")
        for i, (name, field) in enumerate(v.go_printed_fields().items()):
            if i > 0:
                self.buf.append(", " if self.sharp_v else " ")
            if self.plus_v or self.sharp_v:
                self.buf.append(name + ":")
            self.print_value(field, verb, depth + 1)
        self.buf.append("}")

    def fmt_pointer(self, v: Any, verb: str) -> None:
        # Values without a stable address in our model print as a fixed placeholder address.
        if verb not in "pvbdoxX" or not isinstance(v, (dict, list, tuple, GoStruct, GoFunc)):
            self.bad_verb(verb, v)
            return
        address = 0xC000010000
        if self.sharp_v:
            self.buf.append(f"({go_type_name(v)})(")
            self.fmt_0x64(address, True)
            self.buf.append(")")
        elif verb in "pv":
            self.fmt_0x64(address, not self.sharp)
        else:
            self.fmt_integer(address, verb, address, signed=False)

    # -- Printf ------------------------------------------------------------------------------------

    def arg_number(self, arg_num: int, fmt: str, i: int, num_args: int) -> tuple[int, int, bool]:
        if len(fmt) <= i or fmt[i] != "[":
            return arg_num, i, False
        self.reordered = True
        index, wid, ok = _parse_arg_number(fmt, i)
        if ok and 0 <= index < num_args:
            return index, i + wid, True
        self.good_arg_num = False
        return arg_num, i + wid, ok

    def do_printf(self, fmt: str, args: tuple[Any, ...]) -> None:
        end = len(fmt)
        num_args = len(args)
        arg_num = 0
        after_index = False
        self.reordered = False
        buf = self.buf
        i = 0
        while i < end:
            self.good_arg_num = True
            pct = fmt.find("%", i)
            if pct < 0:
                buf.append(fmt[i:])
                break
            if pct > i:
                buf.append(fmt[i:pct])
            i = pct + 1
            self.clear_flags()
            simple = False
            while i < end:
                c = fmt[i]
                if c == "#":
                    self.sharp = True
                elif c == "0":
                    self.zero = True
                elif c == "+":
                    self.plus = True
                elif c == "-":
                    self.minus = True
                elif c == " ":
                    self.space = True
                else:
                    if "a" <= c <= "z" and arg_num < num_args:
                        if c == "v":
                            self.sharp_v, self.sharp = self.sharp, False
                            self.plus_v, self.plus = self.plus, False
                        self.print_arg(args[arg_num], c)
                        arg_num += 1
                        i += 1
                        simple = True
                    break
                i += 1
            if simple:
                continue

            arg_num, i, after_index = self.arg_number(arg_num, fmt, i, num_args)

            if i < end and fmt[i] == "*":
                i += 1
                self.wid, self.wid_present, arg_num = _int_from_arg(args, arg_num)
                if not self.wid_present:
                    buf.append("%!(BADWIDTH)")
                if self.wid < 0:
                    self.wid = -self.wid
                    self.minus = True
                after_index = False
            else:
                self.wid, self.wid_present, i = _parse_num(fmt, i, end)
                if after_index and self.wid_present:
                    self.good_arg_num = False

            if i + 1 < end and fmt[i] == ".":
                i += 1
                if after_index:
                    self.good_arg_num = False
                arg_num, i, after_index = self.arg_number(arg_num, fmt, i, num_args)
                if i < end and fmt[i] == "*":
                    i += 1
                    self.prec, self.prec_present, arg_num = _int_from_arg(args, arg_num)
                    if self.prec < 0:
                        self.prec = 0
                        self.prec_present = False
                    if not self.prec_present:
                        buf.append("%!(BADPREC)")
                    after_index = False
                else:
                    self.prec, self.prec_present, i = _parse_num(fmt, i, end)
                    if not self.prec_present:
                        self.prec = 0
                        self.prec_present = True

            if not after_index:
                arg_num, i, after_index = self.arg_number(arg_num, fmt, i, num_args)

            if i >= end:
                buf.append("%!(NOVERB)")
                break

            verb = fmt[i]
            i += 1
            if verb == "%":
                buf.append("%")
            elif not self.good_arg_num:
                buf.append(f"%!{verb}(BADINDEX)")
            elif arg_num >= num_args:
                buf.append(f"%!{verb}(MISSING)")
            else:
                if verb == "v":
                    self.sharp_v, self.sharp = self.sharp, False
                    self.plus_v, self.plus = self.plus, False
                self.print_arg(args[arg_num], verb)
                arg_num += 1

        if not self.reordered and arg_num < num_args:
            self.clear_flags()
            buf.append("%!(EXTRA ")
            for n, arg in enumerate(args[arg_num:]):
                if n > 0:
                    buf.append(", ")
                if arg is None:
                    buf.append("<nil>")
                else:
                    buf.append(go_type_name(arg) + "=")
                    self.print_arg(arg, "v")
            buf.append(")")


def _sharp_float(body: str, verb: str, prec: int) -> str:
    """The '#' flag: always a decimal point, and %g/%v keep trailing zeros (format.go fmtFloat)."""
    digits = 0
    if verb in "vgGx":
        digits = 6 if prec == -1 else prec
    tail = ""
    has_point = False
    saw_nonzero = False
    num = body
    for idx, ch in enumerate(body):
        if ch == ".":
            has_point = True
        elif ch in "pP" or (ch in "eE" and verb not in "xX"):
            tail = body[idx:]
            num = body[:idx]
            break
        else:
            if ch != "0":
                saw_nonzero = True
            if saw_nonzero:
                digits -= 1
    if not has_point:
        if num == "0":
            digits -= 1
        num += "."
    if digits > 0:
        num += "0" * digits
    return num + tail


def _rune_text(v: int) -> str:
    if v < 0 or v > _MAX_RUNE or 0xD800 <= v <= 0xDFFF:
        return _RUNE_ERROR
    return chr(v)


def _key_order(key: Any) -> tuple:
    # fmtsort orders keys of one kind; our map keys are strings, other kinds are grouped first.
    if key is None:
        return (0, 0)
    if isinstance(key, bool):
        return (1, key)
    if isinstance(key, (int, float)):
        return (2, key)
    if isinstance(key, str):
        return (3, key)
    return (4, repr(key))


def _sorted_keys(m: dict) -> list:
    try:
        return sorted(m)
    except TypeError:
        return sorted(m, key=_key_order)


def _parse_num(s: str, start: int, end: int) -> tuple[int, bool, int]:
    """fmt's parsenum: a decimal number at s[start:end] (0, False when none or too large)."""
    num = 0
    is_num = False
    i = start
    while i < end and "0" <= s[i] <= "9":
        if num > _TOO_LARGE:
            return 0, False, end
        num = num * 10 + ord(s[i]) - 48
        is_num = True
        i += 1
    return num, is_num, i


def _parse_arg_number(fmt: str, start: int) -> tuple[int, int, bool]:
    """fmt's parseArgNumber for `[n]` at fmt[start]: (zero-based index, length consumed, ok)."""
    if len(fmt) - start < 3:
        return 0, 1, False
    close = fmt.find("]", start + 1)
    if close < 0:
        return 0, 1, False
    width, ok, newi = _parse_num(fmt, start + 1, close)
    if not ok or newi != close:
        return 0, close - start + 1, False
    return width - 1, close - start + 1, True


def _int_from_arg(args: tuple[Any, ...], arg_num: int) -> tuple[int, bool, int]:
    if arg_num >= len(args):
        return 0, False, arg_num
    value = args[arg_num]
    num = 0
    is_int = False
    if isinstance(value, int) and not isinstance(value, bool) and -(1 << 63) <= value < (1 << 63):
        num, is_int = int(value), True
    if is_int and not -_TOO_LARGE <= num <= _TOO_LARGE:
        num, is_int = 0, False
    return num, is_int, arg_num + 1


# ---------------------------------------------------------------------------------------------
# Public entry points


def _simple_v(arg: Any) -> str | None:
    """%v of the common scalar kinds without building a printer; None when not applicable."""
    if isinstance(arg, str):
        return arg
    if isinstance(arg, bool):
        return "true" if arg else "false"
    if isinstance(arg, int):
        return str(int(arg))
    if isinstance(arg, float):
        return format_float(arg, "g", -1)
    if arg is None:
        return "<nil>"
    return None


def _sprint(args: tuple[Any, ...], indirect: bool) -> str:
    if len(args) == 1:
        text = _simple_v(args[0])
        if text is not None:
            return text
    p = _Printer()
    p.indirect_top = indirect
    prev_string = False
    for n, arg in enumerate(args):
        is_string = isinstance(arg, str)
        if n > 0 and not is_string and not prev_string:
            p.buf.append(" ")
        p.print_arg(arg, "v")
        prev_string = is_string
    return "".join(p.buf)


def sprint(*args: Any) -> str:
    """fmt.Sprint: operands in %v form, a space between operands when neither is a string."""
    return _sprint(args, False)


def sprint_indirect(*args: Any) -> str:
    """fmt.Sprint after text/template's printableValue (exec.go printValue, funcs.go evalArgs):
    a pointer to a struct is dereferenced first, so it prints as `{...}` rather than `&{...}`
    (a String or Error method is still used)."""
    return _sprint(args, True)


def sprintln(*args: Any) -> str:
    """fmt.Sprintln: operands in %v form separated by spaces, then a newline."""
    p = _Printer()
    for n, arg in enumerate(args):
        if n > 0:
            p.buf.append(" ")
        p.print_arg(arg, "v")
    p.buf.append("\n")
    return "".join(p.buf)


def sprintf(format: str, *args: Any) -> str:
    """fmt.Sprintf with every verb, flag, width, precision and argument index Go supports."""
    p = _Printer()
    p.do_printf(format, args)
    return "".join(p.buf)
