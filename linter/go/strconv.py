"""Go's strconv: quoting (Quote, QuoteRune, CanBackquote), FormatFloat in all its formats, and
ParseInt/ParseFloat as Go's parsers accept them. The one implementation every other module uses
(fmt's verbs, the template lexer's and executor's messages, the YAML emitter, Helm's messages).

Float digits follow src/strconv/ftoa.go. Strings may hold invalid UTF-8 bytes as surrogate escapes
(U+DC80..U+DCFF); they are quoted as the raw bytes.
"""

from __future__ import annotations

import math
import re
import struct

from chartfix.go.types import INT64_MAX, INT64_MIN, UINT64_MAX

_LDIGITS = "0123456789abcdefx"
_UDIGITS = "0123456789ABCDEFX"
_MAX_RUNE = 0x10FFFF
_U64 = (1 << 64) - 1

# ---------------------------------------------------------------------------------------------
# strconv: quoting


def is_print(ch: str) -> bool:
    # Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020; Python's
    # isprintable() excludes exactly the Other and Separator categories except the ASCII space.
    return ch.isprintable()


def _escape_rune(ch: str, quote_char: str, ascii_only: bool, out: list[str]) -> None:
    r = ord(ch)
    if ch == quote_char or ch == "\\":
        out.append("\\" + ch)
        return
    if 0xDC80 <= r <= 0xDCFF:  # an invalid UTF-8 byte kept by surrogateescape
        out.append(f"\\x{r - 0xDC00:02x}")
        return
    if ascii_only:
        if r < 0x80 and is_print(ch):
            out.append(ch)
            return
    elif is_print(ch):
        out.append(ch)
        return
    simple = _SIMPLE_ESCAPES.get(ch)
    if simple is not None:
        out.append(simple)
    elif r < 0x20 or r == 0x7F:
        out.append(f"\\x{r:02x}")
    elif 0xD800 <= r <= 0xDFFF:  # not a valid rune
        out.append("\\ufffd")
    elif r < 0x10000:
        out.append(f"\\u{r:04x}")
    else:
        out.append(f"\\U{r:08x}")


_SIMPLE_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def as_text(s: str | bytes) -> str:
    if isinstance(s, (bytes, bytearray)):
        return bytes(s).decode("utf-8", "surrogateescape")
    return s


def quote(s: str | bytes, ascii_only: bool = False) -> str:
    """strconv.Quote (or QuoteToASCII): a double-quoted Go string literal."""
    text = as_text(s)
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # nothing to escape, the common case
    out = ['"']
    for ch in text:
        if " " <= ch < "\x7f" and ch != '"' and ch != "\\":
            out.append(ch)
        else:
            _escape_rune(ch, '"', ascii_only, out)
    out.append('"')
    return "".join(out)


def quote_rune(r: int, ascii_only: bool = False) -> str:
    """strconv.QuoteRune (or QuoteRuneToASCII): a single-quoted Go rune literal."""
    if r < 0 or r > _MAX_RUNE or 0xD800 <= r <= 0xDFFF:
        r = 0xFFFD
    out = ["'"]
    _escape_rune(chr(r), "'", ascii_only, out)
    out.append("'")
    return "".join(out)


def can_backquote(s: str) -> bool:
    """strconv.CanBackquote: s can be written as a raw `...` literal unchanged."""
    for ch in s:
        if ch == "\ufeff" or 0xDC80 <= ord(ch) <= 0xDCFF:
            return False
        if (ch < " " and ch != "\t") or ch == "`" or ch == "\x7f":
            return False
    return True


# ---------------------------------------------------------------------------------------------
# strconv: floats


def _to_float32(v: float) -> float:
    try:
        return struct.unpack("f", struct.pack("f", v))[0]
    except OverflowError:  # beyond float32's range: Go's conversion gives an infinity
        return math.copysign(math.inf, v)


def _shortest_digits(v: float, bitsize: int) -> tuple[str, int]:
    """Shortest decimal digits that read back as v, and the decimal point position.

    Returns (digits, dp) with v == 0.digits * 10**dp; digits has no trailing zeros ("" for 0)."""
    if v == 0:
        return "", 0
    if bitsize == 32:
        for ndigits in range(1, 18):
            text = f"{v:.{ndigits - 1}e}"
            if _to_float32(float(text)) == v:
                return _parse_sci(text)
    return _parse_sci(repr(v))


def _parse_sci(text: str) -> tuple[str, int]:
    """Digits and decimal point position of a positive decimal text like '1.25e-05' or '123.0'."""
    mantissa, _, exp = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    dp = len(whole) + (int(exp) if exp else 0)
    stripped = digits.lstrip("0")
    dp -= len(digits) - len(stripped)
    return stripped.rstrip("0"), dp


def _rounded_digits(v: float, ndigits: int) -> tuple[str, int]:
    """v correctly rounded (half to even) to ndigits significant digits, trailing zeros removed."""
    if v == 0:
        return "", 0
    return _parse_sci(f"{v:.{ndigits - 1}e}")


def _fmt_e(neg: bool, digits: str, dp: int, prec: int, fmt: str) -> str:
    first = digits[0] if digits else "0"
    out = ["-" if neg else "", first]
    if prec > 0:
        rest = digits[1 : 1 + prec]
        out.append("." + rest + "0" * (prec - len(rest)))
    exp = dp - 1 if digits else 0
    sign = "-" if exp < 0 else "+"
    exp = abs(exp)
    out.append(f"{fmt}{sign}{exp:02d}")
    return "".join(out)


def _fmt_f(neg: bool, digits: str, dp: int, prec: int) -> str:
    if dp > 0:
        whole = digits[:dp] + "0" * (dp - len(digits))
    else:
        whole = "0"
    out = ["-" if neg else "", whole]
    if prec > 0:
        frac = []
        for i in range(prec):
            j = dp + i
            frac.append(digits[j] if 0 <= j < len(digits) else "0")
        out.append("." + "".join(frac))
    return "".join(out)


def _float_bits(v: float, bitsize: int) -> tuple[bool, int, int]:
    """Sign, mantissa and unbiased binary exponent as strconv extracts them from the IEEE bits."""
    if bitsize == 32:
        bits = struct.unpack("<I", struct.pack("<f", v))[0]
        mantbits, expbits, bias = 23, 8, -127
        neg = bool(bits >> 31)
    else:
        bits = struct.unpack("<Q", struct.pack("<d", v))[0]
        mantbits, expbits, bias = 52, 11, -1023
        neg = bool(bits >> 63)
    exp = (bits >> mantbits) & ((1 << expbits) - 1)
    mant = bits & ((1 << mantbits) - 1)
    if exp == 0:
        exp += 1
    else:
        mant |= 1 << mantbits
    return neg, mant, exp + bias


def _fmt_b(v: float, bitsize: int) -> str:
    neg, mant, exp = _float_bits(v, bitsize)
    exp -= 23 if bitsize == 32 else 52
    return f"{'-' if neg else ''}{mant}p{'+' if exp >= 0 else '-'}{abs(exp)}"


def _fmt_x(v: float, prec: int, fmt: str, bitsize: int) -> str:
    neg, mant, exp = _float_bits(v, bitsize)
    mantbits = 23 if bitsize == 32 else 52
    if mant == 0:
        exp = 0
    mant <<= 60 - mantbits
    while mant != 0 and mant & (1 << 60) == 0:
        mant <<= 1
        exp -= 1
    if 0 <= prec < 15:
        shift = prec * 4
        extra = (mant << shift) & ((1 << 60) - 1)
        mant >>= 60 - shift
        if extra | (mant & 1) > 1 << 59:
            mant += 1
        mant <<= 60 - shift
        if mant & (1 << 61):
            mant >>= 1
            exp += 1
    hexdigits = _UDIGITS if fmt == "X" else _LDIGITS
    out = ["-" if neg else "", "0", fmt, str((mant >> 60) & 1)]
    mant = (mant << 4) & _U64
    if prec < 0 and mant != 0:
        out.append(".")
        while mant != 0:
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & _U64
    elif prec > 0:
        out.append(".")
        for _ in range(prec):
            out.append(hexdigits[(mant >> 60) & 15])
            mant = (mant << 4) & _U64
    out.append("P" if fmt == "X" else "p")
    out.append("-" if exp < 0 else "+")
    out.append(f"{abs(exp):02d}")
    return "".join(out)


def format_float(f: float, fmt: str, prec: int, bitsize: int = 64) -> str:
    """strconv.FormatFloat: fmt is one of b e E f g G x X; prec -1 means the shortest exact form."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if bitsize == 32:
        f = _to_float32(f)
        if math.isinf(f):
            return "+Inf" if f > 0 else "-Inf"
    if fmt == "b":
        return _fmt_b(f, bitsize)
    if fmt in "xX":
        return _fmt_x(f, prec, fmt, bitsize)
    neg = math.copysign(1.0, f) < 0
    av = abs(f)
    shortest = prec < 0
    if fmt in "eE":
        if shortest:
            digits, dp = _shortest_digits(av, bitsize)
            prec = max(len(digits) - 1, 0)
        else:
            digits, dp = _rounded_digits(av, prec + 1)
        return _fmt_e(neg, digits, dp, prec, fmt)
    if fmt == "f":
        if shortest:
            digits, dp = _shortest_digits(av, bitsize)
            return _fmt_f(neg, digits, dp, max(len(digits) - dp, 0))
        return ("-" if neg else "") + f"{av:.{prec}f}"
    if fmt in "gG":
        if shortest:
            digits, dp = _shortest_digits(av, bitsize)
            eprec = 6
            prec = len(digits)
        else:
            if prec == 0:
                prec = 1
            digits, dp = _rounded_digits(av, prec)
            eprec = prec
            if eprec > len(digits) and len(digits) >= dp:
                eprec = len(digits)
        exp = dp - 1
        if exp < -4 or exp >= eprec:
            if prec > len(digits):
                prec = len(digits)
            return _fmt_e(neg, digits, dp, prec - 1, "e" if fmt == "g" else "E")
        if prec > dp:
            prec = len(digits)
        return _fmt_f(neg, digits, dp, max(prec - dp, 0))
    return "%" + fmt


# ---------------------------------------------------------------------------------------------
# strconv: parsing

# More significant digits than any 64-bit value has in any base: out of range for Go's parsers.
# Python would refuse the conversion (sys.get_int_max_str_digits) or spend quadratic time on it.
_MAX_SIGNIFICANT_DIGITS = 64


def int_or_out_of_range(text: str, base: int = 10) -> int | None:
    """int(text, base) for a literal already checked to be well formed; None when it is certainly
    outside the 64-bit range (too many digits)."""
    body = text.lstrip("+-").replace("_", "")
    if base in (0, 16, 8, 2) and body[:2].lower() in ("0x", "0o", "0b"):
        body = body[2:]
    if len(body.lstrip("0")) > _MAX_SIGNIFICANT_DIGITS:
        return None
    return int(text, base)


def underscore_ok(text: str) -> bool:
    """strconv's underscoreOK: underscores only between digits, or between a base prefix and a digit."""
    saw = "^"
    i = 0
    if text[:1] in ("+", "-"):
        text = text[1:]
    hex_digits = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "box":
        i = 2
        saw = "0"
        hex_digits = text[1].lower() == "x"
    while i < len(text):
        char = text[i]
        if "0" <= char <= "9" or (hex_digits and "a" <= char.lower() <= "f"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"


def parse_uint(text: str, base: int = 0) -> int | None:
    """strconv.ParseUint(text, base, 64); None where Go returns an error (syntax or range).

    Base 0 reads Go's prefixes (0b, 0o, 0x, a leading 0 for octal) and allows underscores as Go's
    integer literals do; an explicit base (2 to 36) takes plain digits only."""
    if not text or not (base == 0 or 2 <= base <= 36):
        return None
    body = text
    if base == 0:
        base = 10
        if body[0] == "0":
            prefix = body[1:2].lower()
            if len(body) >= 3 and prefix in ("b", "o", "x"):
                base = {"b": 2, "o": 8, "x": 16}[prefix]
                body = body[2:]
            else:
                base = 8
                body = body[1:]
        allow_underscores = True
    else:
        allow_underscores = False
    value = 0
    underscores = False
    for char in body:
        if char == "_" and allow_underscores:
            underscores = True
            continue
        if "0" <= char <= "9":
            digit = ord(char) - 48
        elif "a" <= char.lower() <= "z":
            digit = ord(char.lower()) - 87
        else:
            return None
        if digit >= base:
            return None
        value = value * base + digit
        if value > UINT64_MAX:
            return None  # Go stops at the overflow with a range error
    if underscores and not underscore_ok(text):
        return None
    return value


def parse_int(text: str, base: int = 0) -> int | None:
    """strconv.ParseInt(text, base, 64); None where Go returns an error (syntax or range)."""
    if not text:
        return None
    negative = text[0] == "-"
    magnitude = parse_uint(text[1:] if text[0] in "+-" else text, base)
    if magnitude is None:
        return None
    value = -magnitude if negative else magnitude
    return value if INT64_MIN <= value <= INT64_MAX else None


_DECIMAL_FLOAT = re.compile(r"[+-]?(?:[0-9_]+(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?\Z")
_HEX_FLOAT = re.compile(r"[+-]?0[xX](?:[0-9a-fA-F_]+(?:\.[0-9a-fA-F_]*)?|\.[0-9a-fA-F_]+)[pP][+-]?[0-9_]+\Z")
_SPECIAL_FLOAT = re.compile(r"(?i:[+-]?inf(?:inity)?|nan)\Z")


def parse_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64); None where Go returns an error (syntax, or beyond float64's range).

    Decimal and hexadecimal (mantissa with a `p` exponent) forms with underscores as in Go literals,
    and Inf/Infinity (signed) and NaN (unsigned) in any case."""
    if _SPECIAL_FLOAT.match(text):
        lowered = text.lower()
        if lowered.endswith("nan"):
            return math.nan
        return -math.inf if lowered.startswith("-") else math.inf
    hex_form = _HEX_FLOAT.match(text) is not None
    if not hex_form and not _DECIMAL_FLOAT.match(text):
        return None
    mantissa = re.split("[pP]" if hex_form else "[eE]", text, maxsplit=1)[0]
    if not any(c in "0123456789abcdefABCDEF" for c in mantissa.lstrip("+-")[2 if hex_form else 0 :]):
        return None  # no digit in the mantissa
    if "_" in text and not underscore_ok(text):
        return None
    plain = text.replace("_", "")
    try:
        value = float.fromhex(plain) if hex_form else float(plain)
    except OverflowError:
        return None
    return None if math.isinf(value) else value
