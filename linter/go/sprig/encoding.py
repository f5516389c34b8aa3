"""Sprig's random strings (goutils CryptoRandom*), hashes and base64/base32 functions."""

from __future__ import annotations

import base64
import hashlib
import secrets
import zlib

from chartfix.go.sprig.base import FuncTable, check_size, register
from chartfix.go.unicode import go_bytes

FUNCS: FuncTable = {}


# --- random strings (goutils CryptoRandom*) -----------------------------------------------------------

_ALPHA_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_ASCII_PRINTABLE = "".join(chr(c) for c in range(32, 127))


def _random_string(count: int, alphabet: str) -> str:
    if count <= 0:
        return ""
    check_size(count, "a random string")
    return "".join(secrets.choice(alphabet) for _ in range(count))


@register(FUNCS, "randAlphaNum", "int")
def rand_alpha_num(count: int) -> str:
    return _random_string(count, _ALPHA_CHARS + _DIGITS)


@register(FUNCS, "randAlpha", "int")
def rand_alpha(count: int) -> str:
    return _random_string(count, _ALPHA_CHARS)


@register(FUNCS, "randAscii", "int")
def rand_ascii(count: int) -> str:
    return _random_string(count, _ASCII_PRINTABLE)


@register(FUNCS, "randNumeric", "int")
def rand_numeric(count: int) -> str:
    return _random_string(count, _DIGITS)


# --- hashes and encodings ---------------------------------------------------------------------------


@register(FUNCS, "sha1sum", "string")
def sha1sum(text: str) -> str:
    return hashlib.sha1(go_bytes(text)).hexdigest()


@register(FUNCS, "sha256sum", "string")
def sha256sum(text: str) -> str:
    return hashlib.sha256(go_bytes(text)).hexdigest()


@register(FUNCS, "sha512sum", "string")
def sha512sum(text: str) -> str:
    return hashlib.sha512(go_bytes(text)).hexdigest()


@register(FUNCS, "adler32sum", "string")
def adler32sum(text: str) -> str:
    return str(zlib.adler32(go_bytes(text)))


@register(FUNCS, "b64enc", "string")
def b64enc(text: str) -> str:
    return base64.b64encode(go_bytes(text)).decode("ascii")


_B64_VALUES = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_B32_VALUES = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}


class _CorruptInput(Exception):
    """encoding's CorruptInputError: `illegal base64 data at input byte N`."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def _base64_quantum(src: bytes, si: int, out: bytearray) -> tuple[int, bool]:
    """One step of Go's (non-strict, padded) base64 decodeQuantum; returns (next index, done)."""
    values: list[int] = []
    while len(values) < 4:
        if si == len(src):
            if not values:
                return si, True
            raise _CorruptInput(si - len(values))
        char = chr(src[si])
        si += 1
        if char in _B64_VALUES:
            values.append(_B64_VALUES[char])
            continue
        if char in "\n\r":
            continue
        if char != "=" or len(values) < 2:
            raise _CorruptInput(si - 1)
        if len(values) == 2:  # "==" expected; the first "=" is consumed
            while si < len(src) and src[si] in b"\n\r":
                si += 1
            if si == len(src):
                raise _CorruptInput(len(src))
            if src[si] != ord("="):
                raise _CorruptInput(si - 1)
            si += 1
        while si < len(src) and src[si] in b"\n\r":
            si += 1
        _emit(values, 6, out)
        if si < len(src):
            raise _CorruptInput(si)  # trailing garbage
        return si, True
    _emit(values, 6, out)
    return si, False


def _emit(values: list[int], bits: int, out: bytearray) -> None:
    """Append the whole bytes carried by `values` (each `bits` wide), dropping leftover bits."""
    total = 0
    for value in values:
        total = total << bits | value
    count = len(values) * bits // 8
    out += (total >> (len(values) * bits - count * 8)).to_bytes(count, "big")


def go_base64_decode(text: str) -> bytes:
    """base64.StdEncoding.DecodeString; raises _CorruptInput with Go's offset."""
    src = go_bytes(text)
    out = bytearray()
    si, done = 0, False
    while si < len(src) and not done:
        si, done = _base64_quantum(src, si, out)
    return bytes(out)


def go_base32_decode(text: str) -> bytes:
    """base32.StdEncoding.DecodeString (newlines are removed first, offsets count without them)."""
    src = go_bytes(text).replace(b"\n", b"").replace(b"\r", b"")
    total = len(src)
    out = bytearray()
    pos = 0
    end = False
    while pos < total and not end:
        values: list[int] = []
        while len(values) < 8:
            if pos == total:
                raise _CorruptInput(pos - len(values))
            char = chr(src[pos])
            pos += 1
            remaining = total - pos
            if char == "=" and len(values) >= 2 and remaining < 8:
                j = len(values)
                if remaining + j < 8 - 1:
                    raise _CorruptInput(total)
                for k in range(8 - 1 - j):
                    if remaining > k and src[pos + k] != ord("="):
                        raise _CorruptInput(pos + k - 1)
                if j in (1, 3, 6):
                    raise _CorruptInput(pos - 1)
                end = True
                break
            if char not in _B32_VALUES:
                raise _CorruptInput(pos - 1)
            values.append(_B32_VALUES[char])
        _emit(values, 5, out)
    return bytes(out)


@register(FUNCS, "b64dec", "string")
def b64dec(text: str) -> str:
    try:
        data = go_base64_decode(text)
    except _CorruptInput as err:
        return f"illegal base64 data at input byte {err.offset}"
    return data.decode("utf-8", errors="surrogateescape")


@register(FUNCS, "b32enc", "string")
def b32enc(text: str) -> str:
    return base64.b32encode(go_bytes(text)).decode("ascii")


@register(FUNCS, "b32dec", "string")
def b32dec(text: str) -> str:
    try:
        data = go_base32_decode(text)
    except _CorruptInput as err:
        return f"illegal base32 data at input byte {err.offset}"
    return data.decode("utf-8", errors="surrogateescape")
