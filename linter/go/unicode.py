"""Go's view of strings shared by the string functions: UTF-8 byte lengths and slices, unicode.IsSpace
and the rune-to-rune case mappings of the unicode package."""

from __future__ import annotations

import re
import unicodedata

from chartfix.go.types import GoPanic

# unicode.IsSpace: Latin-1 spaces plus the White_Space property above U+00FF.
GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_GO_SPACE_SET = frozenset(GO_SPACE)


def is_go_space(char: str) -> bool:
    return char in _GO_SPACE_SET


def utf8_len(text: str) -> int:
    return len(text) if text.isascii() else len(go_bytes(text))


def byte_slice(text: str, start: int, end: int | None = None) -> str:
    """Go's s[start:end] on the UTF-8 bytes of a string (bounds already checked); a cut inside a
    multi-byte character keeps the stray bytes as surrogate escapes, like chartfix's []byte text."""
    if text.isascii():
        return text[start:end]
    return go_bytes(text)[start:end].decode("utf-8", errors="surrogateescape")


def slice_panic(start: int | None, end: int | None, length: int) -> GoPanic:
    """The runtime panic of an out-of-range Go slice expression."""
    start = None if start is None else int(start)
    end = None if end is None else int(end)
    # Go's boundsError: a negative index is reported without the length (boundsNegErrorFmt).
    if end is not None and end < 0:
        return GoPanic(f"runtime error: slice bounds out of range [:{end}]")
    if start is not None and start < 0:
        return GoPanic(f"runtime error: slice bounds out of range [{start}:]")
    if start is None:
        return GoPanic(f"runtime error: slice bounds out of range [:{end}] with length {length}")
    if end is None:
        return GoPanic(f"runtime error: slice bounds out of range [{start}:{length}]")
    if end > length:
        return GoPanic(f"runtime error: slice bounds out of range [:{end}] with length {length}")
    return GoPanic(f"runtime error: slice bounds out of range [{start}:{end}]")


_INVALID_BYTE = re.compile("[\udc80-\udcff]")


def go_runes(text: str) -> str:
    """The text as Go's []rune(s) (or a strings.Map) rebuilds it: every invalid UTF-8 byte (kept as
    a surrogate escape) becomes U+FFFD."""
    return _INVALID_BYTE.sub("\ufffd", text) if not text.isascii() else text


def go_bytes(text: str) -> bytes:
    """The bytes of a Go string; raw bytes kept from []byte data come back via surrogateescape."""
    try:
        return text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogatepass")


def to_upper_rune(char: str) -> str:
    """unicode.ToUpper maps one rune to one rune (never "ß" -> "SS")."""
    mapped = char.upper()
    return mapped if len(mapped) == 1 else char


def to_lower_rune(char: str) -> str:
    if char == "\u0130":  # İ: the simple mapping is "i"; Python's full one adds a combining dot
        return "i"
    mapped = char.lower()
    return mapped if len(mapped) == 1 else char


def to_title_rune(char: str) -> str:
    mapped = char.title()
    return mapped if len(mapped) == 1 else to_upper_rune(char)


def is_upper(char: str) -> bool:
    """unicode.IsUpper: category Lu (Python's isupper also counts Other_Uppercase)."""
    return unicodedata.category(char) == "Lu"


def is_lower(char: str) -> bool:
    """unicode.IsLower: category Ll."""
    return unicodedata.category(char) == "Ll"


def is_title(char: str) -> bool:
    """unicode.IsTitle: category Lt."""
    return unicodedata.category(char) == "Lt"
