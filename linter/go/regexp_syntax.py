"""Go RE2 syntax (regexp/syntax) translated to Python `re` syntax with the same meaning.

Go (RE2, leftmost-first) and Python's backtracking engine pick the same match for the constructs
both accept; the translation rewrites what differs (\\d \\w \\s \\b are ASCII-only in Go, `$` is end
of text without (?m), `\\z`, octal escapes, `\\x{...}`, POSIX and \\p classes, mid-pattern and U
flags, repeated assertions, duplicate group names) and refuses what Go rejects (backreferences,
lookaround, possessive repeats) with Go's error text. Unicode scripts (\\p{Greek}) cannot be
expressed with Python's unicodedata and raise RegexUnsupported.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from chartfix.records import record

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


_ASCII = "".join(map(chr, range(128)))


def _complement(body: str) -> str:
    """The class body matching every rune that the ASCII-only class `body` does not match."""
    members = {ord(c) for c in re.findall(f"[{body}]", _ASCII)}
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


# Go's one-letter Unicode classes; "C" lacks Cn (unassigned), which Go does not list.
_CATEGORY_GROUPS = {
    "L": ("Lu", "Ll", "Lt", "Lm", "Lo"),
    "M": ("Mn", "Mc", "Me"),
    "N": ("Nd", "Nl", "No"),
    "P": ("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"),
    "S": ("Sm", "Sc", "Sk", "So"),
    "Z": ("Zs", "Zl", "Zp"),
    "C": ("Cc", "Cf", "Co", "Cs"),
}


@lru_cache(maxsize=1)
def _category_ranges() -> dict[str, list[tuple[int, int]]]:
    """Code point ranges of every Unicode general category (one scan, on first use of \\p)."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    start, current = 0, unicodedata.category("\0")
    for code in range(1, 0x110001):
        category = unicodedata.category(chr(code)) if code < 0x110000 else ""
        if category != current:
            ranges.setdefault(current, []).append((start, code - 1))
            start, current = code, category
    return ranges


def _ranges_text(ranges: list[tuple[int, int]]) -> str:
    return "".join(_class_code(a) if a == b else f"{_class_code(a)}-{_class_code(b)}" for a, b in ranges)


def _complement_ranges(body: str) -> str:
    """Complement of a class body made of \\x/\\u/\\U ranges (as _ranges_text writes them)."""
    pairs: list[tuple[int, int]] = []
    for low, high in re.findall(r"(\\[xuU][0-9a-f]+)(?:-(\\[xuU][0-9a-f]+))?", body):
        a = int(low[2:], 16)
        pairs.append((a, int(high[2:], 16) if high else a))
    pairs.sort()
    gaps, next_code = [], 0
    for a, b in pairs:
        if a > next_code:
            gaps.append((next_code, a - 1))
        next_code = max(next_code, b + 1)
    if next_code <= 0x10FFFF:
        gaps.append((next_code, 0x10FFFF))
    return _ranges_text(gaps)


def _unicode_class(pattern: str, i: int) -> tuple[str, int, bool]:
    """\\pX, \\p{Name}, \\p{^Name}, \\PX: (class body, next index, negated)."""
    negated = pattern[i + 1] == "P"
    if pattern[i + 2 : i + 3] == "{":
        end = pattern.find("}", i + 3)
        if end == -1:
            raise _syntax_error("invalid character class range", pattern[i:])
        name, after = pattern[i + 3 : end], end + 1
    else:
        name, after = pattern[i + 2 : i + 3], i + 3
    if name.startswith("^"):
        negated, name = not negated, name[1:]
    if name == "Any":
        return "\\x00-\\U0010ffff", after, negated
    ranges = _category_ranges()
    categories = _CATEGORY_GROUPS.get(name, (name,) if len(name) == 2 and name in ranges else ())
    if not categories:
        if name and name[0].isupper() and name.isalpha():
            raise RegexUnsupported(f"\\p{{{name}}}")  # a script such as Greek: no data in unicodedata
        raise _syntax_error("invalid character class range", pattern[i:after])
    merged = sorted(r for category in categories for r in ranges.get(category, []))
    return _ranges_text(merged), after, negated


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
    if char in "pP":
        body, end, negated = _unicode_class(pattern, i)
        if in_class:
            return (_complement_ranges(body) if negated else body), end
        return f"[^{body}]" if negated else f"[{body}]", end
    if char == "C" or (char == "Q" and in_class):
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
            text, j = _escape(pattern, j, in_class=True)
            out.append(text)
            continue
        start = j
        low, low_code, j = _class_char(pattern, j)
        if pattern[j : j + 1] == "-" and pattern[j + 1 : j + 2] not in ("]", ""):
            high, high_code, j = _class_char(pattern, j + 1)
            if high_code < low_code:
                raise _syntax_error("invalid character class range", pattern[start:j])
            out.append(f"{low}-{high}")
        else:
            out.append(low)


@record
class _Group:
    """Translation state of an open group: the m and U flags in force inside it, and how many
    Python flag groups opened by mid-group `(?flags)` must be closed with it."""

    multiline: bool
    ungreedy: bool
    flag_groups: int = 0

    def child(self) -> _Group:
        return _Group(self.multiline, self.ungreedy)


def translate(pattern: str) -> str:
    """Rewrite a Go regexp into Python `re` syntax with the same meaning."""
    out: list[str] = []
    stack = [_Group(False, False)]
    i = 0
    repeat_start = -1  # index of the previous repetition operator while it is the last token
    has_operand = False  # something precedes in the current alternative a repetition can apply to
    # Index in `out` of the last token when it is an empty-width assertion (^ $ \\b \\B \\A \\z):
    # Go repeats those, Python calls it "nothing to repeat".
    assertion_at = -1
    names: set[str] = set()
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
                operator, i = repeat.group(0), repeat.end()
            else:
                low, operator, i = (1 if char == "+" else 0), char, i + 1
            lazy = pattern[i : i + 1] == "?"
            if lazy:
                i += 1
            if assertion_at >= 0:
                # A repeated assertion: zero times matches anywhere, once or more is the assertion.
                if low == 0:
                    out[assertion_at] = ""
            else:
                out.append(operator)
                if lazy != stack[-1].ungreedy:  # (?U) swaps the meaning of the trailing `?`
                    out.append("?")
            if repeat_start >= 0:
                # Go rejects a repetition of a repetition (Python 3.11 would read `a++` as possessive).
                raise _syntax_error("invalid nested repetition operator", pattern[repeat_start:i])
            repeat_start = start
            continue
        repeat_start = -1
        has_operand = char not in "(|"
        is_assertion = char in "^$" or (char == "\\" and pattern[i + 1 : i + 2] in ("b", "B", "A", "z"))
        assertion_at = len(out) if is_assertion else -1
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
                    # Go allows a name twice ($name expands the leftmost); Python does not.
                    out.append("(" if name in names else f"(?P<{name}>")
                    names.add(name)
                    stack.append(stack[-1].child())
                    i = end + 1
                elif flags and (flags.group(1) or flags.group(2)) and flags.group(2) != "":
                    on, off, kind = flags.group(1), flags.group(2) or "", flags.group(3)
                    top = stack[-1]
                    multiline = "m" in on or (top.multiline and "m" not in off)
                    ungreedy = "U" in on or (top.ungreedy and "U" not in off)
                    # Python has no U flag: it is applied to the quantifiers instead.
                    on, off = on.replace("U", ""), off.replace("U", "")
                    out.append(f"(?{on}-{off}:" if off else f"(?{on}:")
                    if kind == ":":
                        stack.append(_Group(multiline, ungreedy))
                    else:
                        top.multiline, top.ungreedy = multiline, ungreedy
                        top.flag_groups += 1
                    i = flags.end()
                elif pattern.startswith("(?:", i):
                    out.append("(?:")
                    stack.append(stack[-1].child())
                    i += 3
                else:
                    raise _syntax_error("invalid or unsupported Perl syntax", pattern[i : i + 3])
            else:
                out.append("(")
                stack.append(stack[-1].child())
                i += 1
        elif char == ")":
            if len(stack) == 1:
                raise _syntax_error("unexpected )", pattern)
            out.append(")" * (stack.pop().flag_groups + 1))
            i += 1
        elif char == "$":
            out.append("$" if stack[-1].multiline else "\\Z")
            i += 1
        elif char == "{":
            out.append("\\{")  # not a valid repeat: a literal brace, as in Go
            i += 1
        else:
            out.append(char)
            i += 1
    if len(stack) > 1:
        raise _syntax_error("missing closing )", pattern)
    out.append(")" * stack[0].flag_groups)
    return "".join(out)
