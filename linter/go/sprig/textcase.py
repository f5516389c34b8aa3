"""Sprig's word and case functions: strings.Title, goutils (untitle, swapcase, nospace, initials, wrap,
abbrev) and huandu/xstrings (camelcase, snakecase, kebabcase, shuffle)."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable

from chartfix.go.sprig.base import FuncTable, register
from chartfix.go.unicode import (
    byte_slice,
    go_runes,
    is_go_space,
    is_lower,
    is_title,
    is_upper,
    to_lower_rune,
    to_title_rune,
    to_upper_rune,
    utf8_len,
)

FUNCS: FuncTable = {}


def _is_title_separator(char: str) -> bool:
    """strings.Title's isSeparator."""
    if char.isascii():
        return not (char.isalnum() or char == "_")
    category = unicodedata.category(char)
    if category[0] == "L" or category == "Nd":  # unicode.IsLetter / unicode.IsDigit
        return False
    return is_go_space(char)


@register(FUNCS, "title", "string")
def title(text: str) -> str:
    text = go_runes(text)  # Go rebuilds the string from its runes
    out = []
    previous = " "
    for char in text:
        out.append(to_title_rune(char) if _is_title_separator(previous) else char)
        previous = char
    return "".join(out)


@register(FUNCS, "untitle", "string")
def untitle(text: str) -> str:
    """goutils.Uncapitalize: lower-case the first rune of each whitespace-separated word."""
    text = go_runes(text)  # Go rebuilds the string from its runes
    out = []
    at_word_start = True
    for char in text:
        if is_go_space(char):
            at_word_start = True
            out.append(char)
        elif at_word_start:
            out.append(to_lower_rune(char))
            at_word_start = False
        else:
            out.append(char)
    return "".join(out)


@register(FUNCS, "swapcase", "string")
def swapcase(text: str) -> str:
    """goutils.SwapCase: upper/title -> lower, lower after whitespace -> title, other lower -> upper."""
    text = go_runes(text)  # Go rebuilds the string from its runes
    out = []
    after_space = True
    for char in text:
        if is_upper(char) or is_title(char):
            out.append(to_lower_rune(char))
            after_space = False
        elif is_lower(char):
            out.append(to_title_rune(char) if after_space else to_upper_rune(char))
            after_space = False
        else:
            after_space = is_go_space(char)
            out.append(char)
    return "".join(out)


def _latin1_runes(text: str) -> str:
    """goutils iterates a string's bytes as if each byte were a rune."""
    return text if text.isascii() else text.encode("utf-8", errors="surrogateescape").decode("latin-1")


@register(FUNCS, "nospace", "string")
def nospace(text: str) -> str:
    runes = _latin1_runes(text)
    kept = "".join(c for c in runes if not is_go_space(c))
    return text if len(kept) == len(runes) else kept


@register(FUNCS, "initials", "string")
def initials(text: str) -> str:
    """goutils.Initials: each byte is a rune (a stray byte too: 0xA0 and 0x85 are spaces)."""
    out = []
    after_gap = True
    for char in _latin1_runes(text):
        if is_go_space(char):
            after_gap = True
        elif after_gap:
            out.append(char)
            after_gap = False
    return "".join(out)


# --- wrapping and abbreviation (goutils) -------------------------------------------------------------


def _wrap_custom(text: str, width: int, newline: str, wrap_long_words: bool) -> str:
    """goutils.WrapCustom, on bytes like the Go original."""
    if text == "":
        return ""
    if newline == "":
        newline = "\n"
    width = max(width, 1)
    data = text.encode("utf-8", errors="surrogateescape")
    nl = newline.encode("utf-8")
    length = len(data)
    offset = 0
    out = bytearray()
    while length - offset > width:
        if data[offset] == 0x20:
            offset += 1
            continue
        space_at = data[offset : width + offset + 1].rfind(b" ") + offset
        if space_at >= offset:
            out += data[offset:space_at] + nl
            offset = space_at + 1
        elif wrap_long_words:
            out += data[offset : width + offset] + nl
            offset += width
        else:
            end = width + offset
            index = data[end:].find(b" ")
            if index == -1:
                out += data[offset:]
                offset = length
            else:
                space_at = index + end
                out += data[offset:space_at] + nl
                offset = space_at + 1
    out += data[offset:]
    return out.decode("utf-8", errors="surrogateescape")


@register(FUNCS, "wrap", "int", "string")
def wrap(width: int, text: str) -> str:
    return _wrap_custom(text, width, "", False)


@register(FUNCS, "wrapWith", "int", "string", "string")
def wrap_with(width: int, separator: str, text: str) -> str:
    return _wrap_custom(text, width, separator, True)


def _abbreviate_full(text: str, offset: int, width: int) -> str:
    """goutils.AbbreviateFull (errors give "" as sprig ignores them)."""
    if text == "":
        return ""
    if width < 4:
        return ""
    length = utf8_len(text)
    if length <= width:
        return text
    offset = min(offset, length)
    if length - offset < width - 3:
        offset = length - (width - 3)
    if offset <= 4:
        return byte_slice(text, 0, width - 3) + "..."
    if width < 7:
        return ""
    if offset + width - 3 < length:
        return "..." + _abbreviate_full(byte_slice(text, offset), 0, width - 3)
    return "..." + byte_slice(text, length - (width - 3))


@register(FUNCS, "abbrev", "int", "string")
def abbrev(width: int, text: str) -> str:
    if width < 4:
        return text
    return _abbreviate_full(text, 0, width)


@register(FUNCS, "abbrevboth", "int", "int", "string")
def abbrevboth(left: int, right: int, text: str) -> str:
    if right < 4 or (left > 0 and right < 7):
        return text
    return _abbreviate_full(text, left, right)


# --- case conversion (huandu/xstrings v1.5.0) --------------------------------------------------------


def _is_connector(char: str) -> bool:
    return char in "-_" or is_go_space(char)


@register(FUNCS, "camelcase", "string")
def camelcase(text: str) -> str:
    """xstrings.ToPascalCase: drop single connectors, upper-case the rune after them, and lower-case
    the rest of a word that starts with a run of upper-case runes."""
    text = go_runes(text)  # Go rebuilds the string from its runes
    if text == "":
        return ""
    out: list[str] = []
    chars = list(text)
    index = 0
    first_upper = False
    current = ""
    while index < len(chars):
        current = chars[index]
        index += 1
        if not _is_connector(current):
            first_upper = is_upper(current)
            current = to_upper_rune(current)
            break
        out.append(current)
    if index >= len(chars):
        out.append(current)
        return "".join(out)
    while index < len(chars):
        previous = current
        current = chars[index]
        index += 1
        if _is_connector(current) and _is_connector(previous):
            out.append(previous)
            continue
        if _is_connector(previous):
            first_upper = is_upper(current)
            current = to_upper_rune(current)
        else:
            if first_upper:
                if is_upper(current):
                    current = to_lower_rune(current)
                else:
                    first_upper = False
            out.append(previous)
    out.append(current)
    return "".join(out)


_NUMBER, _UPPER, _ALPHA, _CONNECTOR, _PUNCT, _OTHER = range(1, 7)


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] == "P"


def _is_alphabet(char: str) -> bool:
    """xstrings isAlphabet: a letter outside the main CJK ideograph blocks."""
    if unicodedata.category(char)[0] != "L":
        return False
    code = ord(char)
    return not (0x4E00 <= code <= 0x9FCC or 0x3400 <= code <= 0x4D85 or 0x20000 <= code <= 0x2B81D)


def _is_number(char: str) -> bool:
    return unicodedata.category(char)[0] == "N"


def _is_invalid(char: str) -> bool:
    """A stray byte (a surrogate escape) or U+FFFD: what utf8.DecodeRuneInString reports as RuneError."""
    return char == "\ufffd" or "\udc80" <= char <= "\udcff"


def _next_valid(text: str, start: int, previous: str) -> tuple[str, int]:
    """xstrings nextValidRune: the first valid rune at or after `start` and the index after it (the
    invalid bytes before it are skipped, so they join the word it extends or starts); when only
    invalid bytes are left, `previous` and the end of the text (they join the current word)."""
    for index in range(start, len(text)):
        if not _is_invalid(text[index]):
            return text[index], index + 1
    return previous, len(text)


def _extend(text: str, end: int, char: str, keep: Callable[[str], bool]) -> tuple[int, str]:
    """Grow a word from `end` while the next valid rune passes `keep`; returns the new end and the
    last rune looked at (the one that stopped the word, if any)."""
    while end < len(text):
        char, after = _next_valid(text, end, char)
        if not keep(char):
            break
        end = after
    return end, char


def _is_other(char: str) -> bool:
    return not (_is_connector(char) or _is_alphabet(char) or _is_number(char) or _is_punct(char))


def _upper_word_end(text: str, end: int, first: str) -> int:
    """Where an upper-case word starting with `first` (ending at `end`) ends: "HTTPServer" cuts
    before the "S" that starts the next word."""
    if end == len(text):
        return end
    char, after = _next_valid(text, end, first)
    if is_upper(char):
        last_start, end = end, after
        while end < len(text):
            char, after = _next_valid(text, end, char)
            if not is_upper(char):
                break
            last_start, end = end, after
        return last_start if end < len(text) and _is_alphabet(char) else end
    if _is_alphabet(char):
        return _extend(text, after, char, _is_lower_alphabet)[0]
    return end


def _is_lower_alphabet(char: str) -> bool:
    return _is_alphabet(char) and not is_upper(char)


def _next_word(text: str) -> tuple[int, str, str]:
    """xstrings nextWord: classify and cut the next word of `text` (kind 0: only invalid bytes)."""
    if not text:
        return 0, "", ""
    first, end = _next_valid(text, 0, "\ufffd")
    if first == "\ufffd":
        return 0, text, ""
    if _is_connector(first):
        kind, end = _CONNECTOR, _extend(text, end, first, _is_connector)[0]
    elif _is_punct(first):
        kind, end = _PUNCT, _extend(text, end, first, _is_punct)[0]
    elif is_upper(first):
        kind, end = _UPPER, _upper_word_end(text, end, first)
    elif _is_alphabet(first):
        kind, end = _ALPHA, _extend(text, end, first, _is_lower_alphabet)[0]
    elif _is_number(first):
        kind, end = _NUMBER, _extend(text, end, first, _is_number)[0]
    else:
        kind, end = _OTHER, _extend(text, end, first, _is_other)[0]
    return kind, text[:end], text[end:]


def _lower_word(out: list[str], kind: int, word: str, connector: str) -> None:
    if kind not in (_UPPER, _CONNECTOR):
        out.append(word)
        return
    for char in word:  # rune by rune: a stray byte is written as U+FFFD
        if _is_connector(char):
            out.append(connector)
        elif is_upper(char):
            out.append(to_lower_rune(char))
        else:
            out.append("\ufffd" if _is_invalid(char) else char)


def _camel_to_lower(text: str, connector: str) -> str:
    """xstrings camelCaseToLowerCase (snake_case / kebab-case)."""
    if text == "":
        return ""
    out: list[str] = []
    kind, word, rest = _next_word(text)
    while rest:
        if kind != _CONNECTOR:
            _lower_word(out, kind, word, connector)
        previous, last = kind, word
        kind, word, rest = _next_word(rest)
        if previous == _NUMBER:
            while kind in (_ALPHA, _NUMBER):
                _lower_word(out, kind, word, connector)
                kind, word, rest = _next_word(rest)
            if kind not in (0, _PUNCT, _CONNECTOR):
                out.append(connector)
        elif previous == _CONNECTOR:
            _lower_word(out, previous, last, connector)
        elif previous == _PUNCT:
            pass
        else:
            if kind != _NUMBER:
                if kind not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            if not rest:
                continue
            number = word
            kind, word, rest = _next_word(rest)
            if kind != _ALPHA:
                _lower_word(out, _NUMBER, number, connector)
                if kind not in (_CONNECTOR, _PUNCT):
                    out.append(connector)
                continue
            out.append(connector)
            _lower_word(out, _NUMBER, number, connector)
            while kind in (_ALPHA, _NUMBER):
                _lower_word(out, kind, word, connector)
                kind, word, rest = _next_word(rest)
            if kind not in (0, _CONNECTOR, _PUNCT):
                out.append(connector)
    _lower_word(out, kind, word, connector)
    return "".join(out)


@register(FUNCS, "snakecase", "string")
def snakecase(text: str) -> str:
    return _camel_to_lower(text, "_")


@register(FUNCS, "kebabcase", "string")
def kebabcase(text: str) -> str:
    return _camel_to_lower(text, "-")


@register(FUNCS, "shuffle", "string")
def shuffle(text: str) -> str:
    runes = list(text)
    for i in range(len(runes) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        runes[i], runes[j] = runes[j], runes[i]
    return "".join(runes)
