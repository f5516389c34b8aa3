"""Sprig's regex functions (regex.go): Go RE2 syntax translated to Python `re`, with Go's match loops.

Go (RE2, leftmost-first) and Python's backtracking engine pick the same match for the constructs
both accept; the translation rewrites what differs (\\d \\w \\s \\b are ASCII-only in Go, `$` is end
of text without (?m), `\\z`, octal escapes, `\\x{...}`, POSIX classes, mid-pattern flag groups) and
refuses what Go rejects (backreferences, lookaround) or what Python cannot express (\\p classes).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from chartfix.funcs._base import FuncTable, register
from chartfix.gofmt import quote
from chartfix.gotypes import GoFuncError, GoPanic

FUNCS: FuncTable = {}

_WORD = "0-9A-Za-z_"
_SPACE = "\\t\\n\\f\\r "
_CLASS_ESCAPES = {"d": "0-9", "w": _WORD, "s": _SPACE}
_PERL_CLASSES = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "b": f"(?:(?<=[{_WORD}])(?![{_WORD}])|(?<![{_WORD}])(?=[{_WORD}]))",
    "B": f"(?:(?<=[{_WORD}])(?=[{_WORD}])|(?<![{_WORD}])(?![{_WORD}]))",
    "A": "\\A",
    "z": "\\Z",
}
_POSIX_CLASSES = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": _WORD,
    "xdigit": "0-9A-Fa-f",
}


def _class_code(code: int) -> str:
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _complement(body: str) -> str:
    """The class body matching every rune that the ASCII-only class `body` does not match."""
    members = {c for c in range(128) if re.fullmatch(f"[{body}]", chr(c))}
    ranges: list[str] = []
    start = None
    for code in range(129):
        inside = code < 128 and code not in members
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            ranges.append(
                _class_code(start) if start == code - 1 else f"{_class_code(start)}-{_class_code(code - 1)}"
            )
            start = None
    ranges.append(f"{_class_code(0x80)}-{_class_code(0x10FFFF)}")
    return "".join(ranges)


_CLASS_ESCAPES.update({upper: _complement(_CLASS_ESCAPES[upper.lower()]) for upper in "DWS"})
_POSIX_CLASSES.update({"^" + name: _complement(body) for name, body in list(_POSIX_CLASSES.items())})
_SIMPLE_ESCAPES = {"a": "\\a", "f": "\\f", "t": "\\t", "n": "\\n", "r": "\\r", "v": "\\v"}
_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")
_FLAGS = re.compile(r"\(\?([imsU]*)(?:-([imsU]*))?([:)])")


class RegexSyntaxError(Exception):
    """The pattern is not valid Go syntax; the message is what regexp.Compile reports."""


class RegexUnsupported(Exception):
    """Valid Go syntax that Python's `re` cannot reproduce faithfully."""


def _syntax_error(code: str, expr: str) -> RegexSyntaxError:
    return RegexSyntaxError(f"error parsing regexp: {code}: `{expr}`")


def _char_code(code: int) -> str:
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """Translate the escape starting at pattern[i] == '\\'; return the text and the next index."""
    if i + 1 >= len(pattern):
        raise _syntax_error("trailing backslash at end of expression", "")
    char = pattern[i + 1]
    if char in "1234567" and not (i + 2 < len(pattern) and pattern[i + 2] in "01234567"):
        raise _syntax_error("invalid escape sequence", pattern[i : i + 2])
    if char in "01234567":
        j = i + 2
        while j < len(pattern) and j < i + 4 and pattern[j] in "01234567":
            j += 1
        return _char_code(int(pattern[i + 1 : j], 8)), j
    if char == "x":
        if i + 2 < len(pattern) and pattern[i + 2] == "{":
            end = pattern.find("}", i + 3)
            digits = pattern[i + 3 : end] if end != -1 else ""
            if end == -1 or not digits or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise _syntax_error("invalid escape sequence", pattern[i : end + 1 if end != -1 else None])
            code = int(digits, 16)
            if code > 0x10FFFF:
                raise _syntax_error("invalid escape sequence", pattern[i : end + 1])
            return _char_code(code), end + 1
        digits = pattern[i + 2 : i + 4]
        if len(digits) != 2 or not all(c in "0123456789abcdefABCDEF" for c in digits):
            raise _syntax_error("invalid escape sequence", pattern[i : i + 4])
        return _char_code(int(digits, 16)), i + 4
    if char in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[char], i + 2
    if in_class and char in _CLASS_ESCAPES:
        return _CLASS_ESCAPES[char], i + 2
    if not in_class and char in _PERL_CLASSES:
        return _PERL_CLASSES[char], i + 2
    if char in "pPC" or (char == "Q" and in_class):
        raise RegexUnsupported(f"\\{char}")
    if char == "Q":
        end = pattern.find("\\E", i + 2)
        literal = pattern[i + 2 :] if end == -1 else pattern[i + 2 : end]
        return re.escape(literal), len(pattern) if end == -1 else end + 2
    if char.isascii() and not char.isalnum():
        return "\\" + char, i + 2
    raise _syntax_error("invalid escape sequence", pattern[i : i + 2])


_ESCAPE_CODES = {"\\a": 7, "\\f": 12, "\\t": 9, "\\n": 10, "\\r": 13, "\\v": 11}


def _class_char(pattern: str, j: int) -> tuple[str, int, int]:
    """One character of a class (a literal or an escape): Python text, code point, next index."""
    char = pattern[j]
    if char == "\\":
        if pattern[j + 1 : j + 2] in _CLASS_ESCAPES:  # \d, \w... cannot end a range
            raise _syntax_error("invalid escape sequence", pattern[j : j + 2])
        text, end = _escape(pattern, j, in_class=True)
        if text in _ESCAPE_CODES:
            code = _ESCAPE_CODES[text]
        elif text[:2] in ("\\u", "\\U", "\\x"):
            code = int(text[2:], 16)
        else:
            code = ord(text[-1])
        return text, code, end
    return ("\\" + char if char in "[]\\^-&~|" else char), ord(char), j + 1


def _translate_class(pattern: str, i: int) -> tuple[str, int]:
    """Translate a bracketed class starting at pattern[i] == '['.

    As in Go's parseClass, '-' makes a range only between two single characters; anywhere else it
    is a literal (Python would read `[\\w-.]` as a bad range).
    """
    out = ["["]
    j = i + 1
    if j < len(pattern) and pattern[j] == "^":
        out.append("^")
        j += 1
    first = True
    while True:
        if j >= len(pattern):
            raise _syntax_error("missing closing ]", pattern[i:])
        char = pattern[j]
        if char == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        first = False
        if char == "[" and pattern.startswith("[:", j):
            end = pattern.find(":]", j + 2)
            name = pattern[j + 2 : end] if end != -1 else ""
            if name in _POSIX_CLASSES:
                out.append(_POSIX_CLASSES[name])
                j = end + 2
                continue
            if end != -1 and name.lstrip("^").isalpha():
                raise _syntax_error("invalid character class range", pattern[j : end + 2])
        if char == "\\" and pattern[j + 1 : j + 2] in _CLASS_ESCAPES:
            out.append(_CLASS_ESCAPES[pattern[j + 1]])
            j += 2
            continue
        if char == "\\" and pattern[j + 1 : j + 2] in ("p", "P"):
            raise RegexUnsupported(pattern[j : j + 2])
        start = j
        low, low_code, j = _class_char(pattern, j)
        if pattern[j : j + 1] == "-" and pattern[j + 1 : j + 2] not in ("]", ""):
            high, high_code, j = _class_char(pattern, j + 1)
            if high_code < low_code:
                raise _syntax_error("invalid character class range", pattern[start:j])
            out.append(f"{low}-{high}")
        else:
            out.append(low)


def translate(pattern: str) -> str:
    """Rewrite a Go regexp into Python `re` syntax with the same meaning."""
    out: list[str] = []
    # One entry per open group: (multiline flag inside it, number of flag groups to close at its end).
    stack: list[list[Any]] = [[False, 0]]
    i = 0
    repeat_start = -1  # index of the previous repetition operator while it is the last token
    has_operand = False  # something precedes in the current alternative a repetition can apply to
    while i < len(pattern):
        char = pattern[i]
        repeat = _REPEAT.match(pattern, i) if char == "{" else None
        if char in "*+?" or repeat:
            start = i
            if not has_operand:
                operator = repeat.group(0) if repeat else char
                raise _syntax_error("missing argument to repetition operator", operator)
            if repeat:
                low = int(repeat.group(1))
                high = int(repeat.group(3)) if repeat.group(3) else low
                if low > 1000 or high > 1000 or (repeat.group(3) and high < low):
                    raise _syntax_error("invalid repeat count", repeat.group(0))
                out.append(repeat.group(0))
                i = repeat.end()
            else:
                out.append(char)
                i += 1
            if pattern[i : i + 1] == "?":
                out.append("?")
                i += 1
            if repeat_start >= 0:
                # Go rejects a repetition of a repetition (Python 3.11 would read `a++` as possessive).
                raise _syntax_error("invalid nested repetition operator", pattern[repeat_start:i])
            repeat_start = start
            continue
        repeat_start = -1
        has_operand = char not in "(|"
        if char == "\\":
            text, i = _escape(pattern, i, in_class=False)
            out.append(text)
        elif char == "[":
            text, i = _translate_class(pattern, i)
            out.append(text)
        elif char == "(":
            if pattern.startswith("(?", i):
                flags = _FLAGS.match(pattern, i)
                if (
                    pattern.startswith("(?P<", i)
                    or pattern.startswith("(?<", i)
                    and not pattern.startswith("(?<=", i)
                    and not pattern.startswith("(?<!", i)
                ):
                    start = i + (4 if pattern.startswith("(?P<", i) else 3)
                    end = pattern.find(">", start)
                    name = pattern[start:end] if end != -1 else ""
                    if not name or not re.fullmatch(r"[A-Za-z0-9_]+", name):
                        raise _syntax_error(
                            "invalid named capture", pattern[i : end + 1 if end != -1 else None]
                        )
                    out.append(f"(?P<{name}>")
                    stack.append([stack[-1][0], 0])
                    i = end + 1
                elif flags and (flags.group(1) or flags.group(2)) and flags.group(2) != "":
                    on, off, kind = flags.group(1), flags.group(2) or "", flags.group(3)
                    if "U" in on + off:
                        raise RegexUnsupported("(?U)")
                    multiline = ("m" in on) or (stack[-1][0] and "m" not in off)
                    spec = on + (f"-{off}" if off else "")
                    out.append(f"(?{spec}:")
                    if kind == ":":
                        stack.append([multiline, 0])
                    else:
                        stack[-1][0] = multiline
                        stack[-1][1] += 1
                    i = flags.end()
                elif pattern.startswith("(?:", i):
                    out.append("(?:")
                    stack.append([stack[-1][0], 0])
                    i += 3
                else:
                    raise _syntax_error("invalid or unsupported Perl syntax", pattern[i : i + 3])
            else:
                out.append("(")
                stack.append([stack[-1][0], 0])
                i += 1
        elif char == ")":
            if len(stack) == 1:
                raise _syntax_error("unexpected )", pattern)
            out.append(")" * (stack.pop()[1] + 1))
            i += 1
        elif char == "$":
            out.append("$" if stack[-1][0] else "\\Z")
            i += 1
        elif char == "{":
            out.append("\\{")  # not a valid repeat: a literal brace, as in Go
            i += 1
        else:
            out.append(char)
            i += 1
    if len(stack) > 1:
        raise _syntax_error("missing closing )", pattern)
    out.append(")" * stack[0][1])
    return "".join(out)


@lru_cache(maxsize=1024)
def _compile_cached(pattern: str) -> re.Pattern[str] | Exception:
    try:
        return re.compile(translate(pattern))
    except (RegexSyntaxError, RegexUnsupported) as err:
        return err
    except re.error as err:
        return RegexSyntaxError(f"error parsing regexp: {err.msg}: `{pattern}`")


def compile_go(pattern: str) -> re.Pattern[str]:
    """regexp.Compile: the error becomes GoFuncError with Go's message."""
    compiled = _compile_cached(pattern)
    if isinstance(compiled, RegexUnsupported):
        raise GoFuncError(f"regular expression construct {compiled} is not supported by chartfix")
    if isinstance(compiled, Exception):
        raise GoFuncError(str(compiled))
    return compiled


def must_compile_go(pattern: str) -> re.Pattern[str]:
    """regexp.MustCompile: the error becomes the panic Go raises."""
    try:
        return compile_go(pattern)
    except GoFuncError as err:
        if "not supported by chartfix" in str(err):
            raise
        raise GoPanic(f"regexp: Compile({_quote_expr(pattern)}): {err}") from None


def _quote_expr(pattern: str) -> str:
    """regexp's quote(): backquoted when strconv.CanBackquote, else strconv.Quote."""
    if "`" not in pattern and all(c == "\t" or (c >= " " and c != "\x7f") for c in pattern):
        return f"`{pattern}`"
    return quote(pattern)


def find_all(compiled: re.Pattern[str], text: str, limit: int) -> list[re.Match[str]]:
    """regexp's allMatches: an empty match right after the previous match is skipped."""
    if limit < 0:
        limit = len(text) + 1
    matches: list[re.Match[str]] = []
    pos = 0
    previous_end = -1
    while len(matches) < limit and pos <= len(text):
        match = compiled.search(text, pos)
        if match is None:
            break
        accept = True
        if match.end() == pos:
            if match.start() == previous_end:
                accept = False
            pos += 1
        else:
            pos = match.end()
        previous_end = match.end()
        if accept:
            matches.append(match)
    return matches


def expand_template(template: str, match: re.Match[str]) -> str:
    """regexp.Expand: $1, ${1}, $name, ${name}; $$ is a dollar; unknown groups expand to ""."""
    out: list[str] = []
    i = 0
    while i < len(template):
        dollar = template.find("$", i)
        if dollar == -1:
            out.append(template[i:])
            break
        out.append(template[i:dollar])
        rest = template[dollar + 1 :]
        if rest.startswith("$"):
            out.append("$")
            i = dollar + 2
            continue
        name_match = re.match(r"\{([A-Za-z0-9_]+)\}", rest) or re.match(r"[A-Za-z0-9_]+", rest)
        if name_match is None:
            out.append("$")
            i = dollar + 1
            continue
        name = name_match.group(1) if rest.startswith("{") else name_match.group(0)
        out.append(_group_text(match, name))
        i = dollar + 1 + name_match.end()
    return "".join(out)


def _group_text(match: re.Match[str], name: str) -> str:
    if name.isdigit():
        index = int(name)
        if index > (match.re.groups or 0):
            return ""
        return match.group(index) or ""
    if name in match.re.groupindex:
        return match.group(name) or ""
    return ""


def replace_all(compiled: re.Pattern[str], text: str, replacement: str, literal: bool) -> str:
    """regexp.ReplaceAllString / ReplaceAllLiteralString."""
    out: list[str] = []
    last_end = 0
    search_pos = 0
    while search_pos <= len(text):
        match = compiled.search(text, search_pos)
        if match is None:
            break
        out.append(text[last_end : match.start()])
        if match.end() > last_end or match.start() == 0:
            out.append(replacement if literal else expand_template(replacement, match))
        last_end = match.end()
        search_pos = search_pos + 1 if search_pos + 1 > match.end() else match.end()
    out.append(text[last_end:])
    return "".join(out)


def split(compiled: re.Pattern[str], pattern: str, text: str, limit: int) -> list[str]:
    """regexp.Split."""
    if limit == 0:
        return []
    if pattern and not text:
        return [""]
    parts: list[str] = []
    begin = end = 0
    for match in find_all(compiled, text, limit):
        if limit > 0 and len(parts) == limit - 1:
            break
        end = match.start()
        if match.end() != 0:
            parts.append(text[begin:end])
        begin = match.end()
    if end != len(text):
        parts.append(text[begin:])
    return parts


@register(FUNCS, "regexMatch", "string", "string")
def regex_match(pattern: str, text: str) -> bool:
    try:
        return compile_go(pattern).search(text) is not None
    except GoFuncError as err:
        if "not supported by chartfix" in str(err):
            raise
        return False


@register(FUNCS, "mustRegexMatch", "string", "string", returns_error=True)
def must_regex_match(pattern: str, text: str) -> bool:
    return compile_go(pattern).search(text) is not None


@register(FUNCS, "regexFindAll", "string", "string", "int")
def regex_find_all(pattern: str, text: str, limit: int) -> list[str]:
    return [m.group(0) for m in find_all(must_compile_go(pattern), text, limit)] if limit else []


@register(FUNCS, "mustRegexFindAll", "string", "string", "int", returns_error=True)
def must_regex_find_all(pattern: str, text: str, limit: int) -> list[str]:
    return [m.group(0) for m in find_all(compile_go(pattern), text, limit)] if limit else []


@register(FUNCS, "regexFind", "string", "string")
def regex_find(pattern: str, text: str) -> str:
    match = must_compile_go(pattern).search(text)
    return match.group(0) if match else ""


@register(FUNCS, "mustRegexFind", "string", "string", returns_error=True)
def must_regex_find(pattern: str, text: str) -> str:
    match = compile_go(pattern).search(text)
    return match.group(0) if match else ""


@register(FUNCS, "regexReplaceAll", "string", "string", "string")
def regex_replace_all(pattern: str, text: str, replacement: str) -> str:
    return replace_all(must_compile_go(pattern), text, replacement, literal=False)


@register(FUNCS, "mustRegexReplaceAll", "string", "string", "string", returns_error=True)
def must_regex_replace_all(pattern: str, text: str, replacement: str) -> str:
    return replace_all(compile_go(pattern), text, replacement, literal=False)


@register(FUNCS, "regexReplaceAllLiteral", "string", "string", "string")
def regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return replace_all(must_compile_go(pattern), text, replacement, literal=True)


@register(FUNCS, "mustRegexReplaceAllLiteral", "string", "string", "string", returns_error=True)
def must_regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return replace_all(compile_go(pattern), text, replacement, literal=True)


@register(FUNCS, "regexSplit", "string", "string", "int")
def regex_split(pattern: str, text: str, limit: int) -> list[str]:
    return split(must_compile_go(pattern), pattern, text, limit)


@register(FUNCS, "mustRegexSplit", "string", "string", "int", returns_error=True)
def must_regex_split(pattern: str, text: str, limit: int) -> list[str]:
    return split(compile_go(pattern), pattern, text, limit)


_META = frozenset("\\.+*?()|[]{}^$")


@register(FUNCS, "regexQuoteMeta", "string")
def regex_quote_meta(text: str) -> str:
    return "".join("\\" + c if c in _META else c for c in text)
