"""go-yaml's key order (sorter.go): v2's for sigs.k8s.io/yaml.Marshal, v3's for toYamlPretty."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cmp_to_key

from chartfix.go.types import wrap_int64


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
            an = wrap_int64(an * 10 + ord(a[ai]) - 48)
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdecimal():
            bn = wrap_int64(bn * 10 + ord(b[bi]) - 48)
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
# ASCII bytes renumbered so that letters come after every other ASCII character, each group in code
# point order: the digitless order in one bytes compare (bytes.translate is a plain table lookup;
# the table needs all 256 entries, the upper half stays unused).
_ASCII_LETTERS_LAST = sorted(range(128), key=lambda b: (chr(b).isalpha(), b))
_LETTERS_LAST = bytes(map(_ASCII_LETTERS_LAST.index, range(128))) + bytes(range(128, 256))


def _digitless_key(key: str) -> list[tuple[bool, str]]:
    # Without digits the rule is: non-letters before letters, then code point order.
    return [(ch.isalpha(), ch) for ch in key]


def sorted_yaml_keys(keys: Iterable[str], v3: bool = False) -> list[str]:
    """Map keys in go-yaml's marshal order (v2, or v3 when `v3`)."""
    keys = list(keys)
    if len(keys) < 2:
        return keys
    joined = "".join(keys)  # one scan for a character class instead of one per key
    if not _NOT_PLAIN_ASCII_KEY.search(joined):
        if joined.isalpha():  # ASCII letters only: code point order is already the order
            return sorted(keys)
        return sorted(keys, key=lambda k: k.encode().translate(_LETTERS_LAST))
    if _HAS_DIGIT.search(joined):
        return sorted(keys, key=_GO_KEY_V3 if v3 else _GO_KEY)
    return sorted(keys, key=_digitless_key)
