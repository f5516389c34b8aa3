"""Sprig's regex functions (regex.go) with Go's regexp match loops (FindAll, ReplaceAll, Split,
Expand) over patterns translated by chartfix.funcs.regex_syntax."""

from __future__ import annotations

import functools
import os
import re
import select
import signal
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from chartfix.errors import ChartfixError, LimitExceeded
from chartfix.go.regexp_syntax import RegexSyntaxError, RegexUnsupported, translate
from chartfix.go.sprig.base import FuncTable, register
from chartfix.go.strconv import can_backquote, quote
from chartfix.go.types import GoFuncError, GoPanic, GoSlice, GoUnsupported

FUNCS: FuncTable = {}

# Go's regexp (RE2) is linear in the text; Python's backtracking `re` can take exponential time on
# nested repeats such as (a+)+ and quadratic time on long texts. Such calls run in a forked child
# that is killed after REGEX_TIMEOUT_SECONDS.
REGEX_TIMEOUT_SECONDS = 10.0
ISOLATE_TEXT_LENGTH = 20_000


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
        raise GoUnsupported(f"regular expression construct {compiled} is not supported by chartfix")
    if isinstance(compiled, Exception):
        raise GoFuncError(str(compiled))
    return compiled


def must_compile_go(pattern: str) -> re.Pattern[str]:
    """regexp.MustCompile: the error becomes the panic Go raises."""
    try:
        return compile_go(pattern)
    except GoUnsupported:
        raise
    except GoFuncError as err:
        raise GoPanic(f"regexp: Compile({_quote_expr(pattern)}): {err}") from None


def _quote_expr(pattern: str) -> str:
    """regexp's quote(): backquoted when strconv.CanBackquote, else strconv.Quote."""
    if can_backquote(pattern):
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


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _children(name: str, arg: Any) -> list[Any]:
    """The parsed sub-patterns inside one item of a parsed pattern (re._parser's tuples)."""
    if name in _REPEATS:
        return [arg[2]]
    if name == "SUBPATTERN":
        return [arg[-1]]
    if name == "BRANCH":
        return list(arg[1])
    if name in ("ASSERT", "ASSERT_NOT"):
        return [arg[1]]
    return []


def _repeats(items: Any) -> bool:
    """Does this parsed (sub)pattern hold a repeat of more than one, or an alternation?"""
    for op, arg in items:
        name = str(op)
        if name == "BRANCH" or (name in _REPEATS and arg[1] > 1):
            return True
        if any(_repeats(child) for child in _children(name, arg)):
            return True
    return False


def _nested_repeat(items: Any) -> bool:
    """A repeat of more than one whose body repeats or alternates: exponential backtracking."""
    for op, arg in items:
        name = str(op)
        if name in _REPEATS and arg[1] > 1 and _repeats(arg[2]):
            return True
        if any(_nested_repeat(child) for child in _children(name, arg)):
            return True
    return False


@lru_cache(maxsize=1024)
def _backtracks_badly(pattern: str) -> bool:
    compiled = _compile_cached(pattern)
    return not isinstance(compiled, Exception) and python_pattern_backtracks(compiled.pattern)


@lru_cache(maxsize=1024)
def python_pattern_backtracks(pattern: str) -> bool:
    """Can this Python `re` pattern take exponential time (a repeat over a repeat or alternation)?
    False for a pattern that does not compile (its caller reports that)."""
    try:
        from re import _parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse as _parser  # type: ignore[no-redef]
    try:
        return _nested_repeat(_parser.parse(pattern))
    except (re.error, RecursionError, OverflowError):
        return False


def _isolated(impl: Callable[..., Any]) -> Callable[..., Any]:
    """Run impl(pattern, text, ...) in a forked child with a time limit when the pattern or the text
    could make Python's matcher take far longer than Go's."""

    @functools.wraps(impl)
    def run(pattern: str, text: str, *rest: Any) -> Any:
        if not CAN_ISOLATE or (len(text) <= ISOLATE_TEXT_LENGTH and not _backtracks_badly(pattern)):
            return impl(pattern, text, *rest)
        key = (impl.__name__, pattern, text, *rest)
        if key in _isolated_results:
            cached = _isolated_results[key]
            return list(cached) if isinstance(cached, list) else cached
        try:
            result = run_in_child(lambda: impl(pattern, text, *rest), REGEX_TIMEOUT_SECONDS)
        except ChildTimeout:
            raise LimitExceeded(
                f"regular expression {quote(pattern)} takes more than {REGEX_TIMEOUT_SECONDS:g} s on "
                f"a text of {len(text)} characters (Python backtracks where Go's regexp is linear)"
            ) from None
        _remember(key, len(text), list(result) if isinstance(result, list) else result)
        return result

    return run


# Results of isolated calls: a fork of a large process costs ~20 ms and linting renders a chart once
# per scenario with mostly the same calls. Bounded by the characters of text the keys hold.
_isolated_results: dict[tuple, Any] = {}
_ISOLATED_RESULTS_CHARS = 4_000_000
_isolated_chars = [0]


def _remember(key: tuple, size: int, result: Any) -> None:
    if size > _ISOLATED_RESULTS_CHARS // 4:
        return
    if _isolated_chars[0] + size > _ISOLATED_RESULTS_CHARS:
        _isolated_results.clear()
        _isolated_chars[0] = 0
    _isolated_results[key] = result
    _isolated_chars[0] += size


CAN_ISOLATE = hasattr(os, "fork")


class ChildTimeout(Exception):
    """run_in_child's work did not finish in time (the child was killed)."""


def run_in_child(work: Callable[[], Any], timeout: float) -> Any:
    """work() in a forked child process, killed after `timeout` seconds (ChildTimeout). Returns its
    picklable result; a GoFuncError, GoPanic or ChartfixError it raises is raised again here."""
    import pickle  # noqa: PLC0415 - deferred (docs/architecture.md): only risky patterns get here

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send the outcome, leave without cleanup handlers
        try:
            os.close(read_fd)
            try:
                outcome: tuple[str, Any] = ("ok", work())
            except (GoFuncError, GoPanic, ChartfixError) as err:
                outcome = ("raise", err)
            with os.fdopen(write_fd, "wb") as out:
                out.write(pickle.dumps(outcome))
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_fd], [], [], remaining)[0]:
                os.kill(pid, signal.SIGKILL)
                raise ChildTimeout
            chunk = os.read(read_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read_fd)
        os.waitpid(pid, 0)
    if not chunks:
        raise GoFuncError("the isolated matcher process failed")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "raise":
        raise value
    return value


@register(FUNCS, "regexMatch", "string", "string")
@_isolated
def regex_match(pattern: str, text: str) -> bool:
    try:
        return compile_go(pattern).search(text) is not None
    except GoUnsupported:
        raise
    except GoFuncError:
        return False


@register(FUNCS, "mustRegexMatch", "string", "string", returns_error=True)
@_isolated
def must_regex_match(pattern: str, text: str) -> bool:
    return compile_go(pattern).search(text) is not None


@register(FUNCS, "regexFindAll", "string", "string", "int")
@_isolated
def regex_find_all(pattern: str, text: str, limit: int) -> list[str]:
    # Go's FindAllString: nil when nothing matches
    found = [m.group(0) for m in find_all(must_compile_go(pattern), text, limit)] if limit else []
    return GoSlice(found, "[]string", is_nil=True)


@register(FUNCS, "mustRegexFindAll", "string", "string", "int", returns_error=True)
@_isolated
def must_regex_find_all(pattern: str, text: str, limit: int) -> list[str]:
    found = [m.group(0) for m in find_all(compile_go(pattern), text, limit)] if limit else []
    return GoSlice(found, "[]string", is_nil=True)


@register(FUNCS, "regexFind", "string", "string")
@_isolated
def regex_find(pattern: str, text: str) -> str:
    match = must_compile_go(pattern).search(text)
    return match.group(0) if match else ""


@register(FUNCS, "mustRegexFind", "string", "string", returns_error=True)
@_isolated
def must_regex_find(pattern: str, text: str) -> str:
    match = compile_go(pattern).search(text)
    return match.group(0) if match else ""


@register(FUNCS, "regexReplaceAll", "string", "string", "string")
@_isolated
def regex_replace_all(pattern: str, text: str, replacement: str) -> str:
    return replace_all(must_compile_go(pattern), text, replacement, literal=False)


@register(FUNCS, "mustRegexReplaceAll", "string", "string", "string", returns_error=True)
@_isolated
def must_regex_replace_all(pattern: str, text: str, replacement: str) -> str:
    return replace_all(compile_go(pattern), text, replacement, literal=False)


@register(FUNCS, "regexReplaceAllLiteral", "string", "string", "string")
@_isolated
def regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return replace_all(must_compile_go(pattern), text, replacement, literal=True)


@register(FUNCS, "mustRegexReplaceAllLiteral", "string", "string", "string", returns_error=True)
@_isolated
def must_regex_replace_all_literal(pattern: str, text: str, replacement: str) -> str:
    return replace_all(compile_go(pattern), text, replacement, literal=True)


@register(FUNCS, "regexSplit", "string", "string", "int")
@_isolated
def regex_split(pattern: str, text: str, limit: int) -> list[str]:
    return GoSlice(split(must_compile_go(pattern), pattern, text, limit), "[]string", is_nil=limit == 0)


@register(FUNCS, "mustRegexSplit", "string", "string", "int", returns_error=True)
@_isolated
def must_regex_split(pattern: str, text: str, limit: int) -> list[str]:
    return GoSlice(split(compile_go(pattern), pattern, text, limit), "[]string", is_nil=limit == 0)


_META = frozenset("\\.+*?()|[]{}^$")


@register(FUNCS, "regexQuoteMeta", "string")
def regex_quote_meta(text: str) -> str:
    return "".join("\\" + c if c in _META else c for c in text)
