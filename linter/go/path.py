"""Go's path and path/filepath functions, Linux flavour (where the two agree): Clean, Base, Dir, Ext,
IsAbs and filepath.Match."""

from __future__ import annotations

import re
from functools import lru_cache


def clean(path: str) -> str:
    """path.Clean: lexical normalisation; "" becomes "."."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for element in path.split("/"):
        if element in ("", "."):
            continue
        if element == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(element)
    result = "/".join(parts)
    if rooted:
        return "/" + result
    return result or "."


def base(path: str) -> str:
    """path.Base."""
    if path == "":
        return "."
    path = path.rstrip("/")
    if path == "":
        return "/"
    return path[path.rfind("/") + 1 :]


def dirname(path: str) -> str:
    """path.Dir."""
    return clean(path[: path.rfind("/") + 1])


def ext(path: str) -> str:
    """path.Ext."""
    for i in range(len(path) - 1, -1, -1):
        if path[i] == "/":
            break
        if path[i] == ".":
            return path[i:]
    return ""


def is_abs(path: str) -> bool:
    return path.startswith("/")


class BadPattern(ValueError):
    """Go's filepath.ErrBadPattern."""

    def __str__(self) -> str:
        return "syntax error in pattern"


def _class_to_regex(pattern: str, i: int) -> tuple[str, int]:
    """Translate a Go filepath.Match character class starting after '['; return (regex, next i)."""
    out = ["["]
    if i < len(pattern) and pattern[i] == "^":
        out.append("^")
        i += 1
    first = True
    while True:
        if i >= len(pattern):
            raise BadPattern()
        ch = pattern[i]
        if ch == "]" and not first:
            return "".join(out) + "]", i + 1
        lo, i = _class_char(pattern, i)
        if i < len(pattern) and pattern[i] == "-":
            hi, i = _class_char(pattern, i + 1)
            if hi < lo:
                raise BadPattern()
            out.append(re.escape(lo) + "-" + re.escape(hi))
        else:
            out.append(re.escape(lo))
        first = False


def _class_char(pattern: str, i: int) -> tuple[str, int]:
    if i >= len(pattern) or pattern[i] in "-]":
        raise BadPattern()
    if pattern[i] == "\\":
        i += 1
        if i >= len(pattern):
            raise BadPattern()
    return pattern[i], i + 1


@lru_cache(maxsize=1024)
def compile_go_match(pattern: str) -> re.Pattern[str]:
    """filepath.Match(pattern, name) as a compiled regex (fullmatch). Raises BadPattern."""
    out = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            out.append("[^/]*")
            i += 1
        elif ch == "?":
            out.append("[^/]")
            i += 1
        elif ch == "[":
            regex, i = _class_to_regex(pattern, i + 1)
            out.append(regex)
        elif ch == "\\":
            if i + 1 >= len(pattern):
                raise BadPattern()
            out.append(re.escape(pattern[i + 1]))
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def go_match(pattern: str, name: str) -> bool:
    return compile_go_match(pattern).fullmatch(name) is not None
