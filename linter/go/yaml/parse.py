"""YAML text to go-yaml v2 nodes: libyaml events through PyYAML's C extension (go-yaml v2 is a Go
port of libyaml); without it, or where libyaml 0.2.5 and go-yaml differ, ruamel.yaml's pure-Python
parser stands in, its errors reworded the way libyaml words them."""

from __future__ import annotations

import re
from typing import Any

import yaml
import yaml.events
import yaml.reader
import yaml.scanner

from chartfix.caches import chart_cache
from chartfix.go.yaml.errors import YamlError
from chartfix.go.yaml.tree import LibyamlDiverges, Node, too_deep, tree_from_events

_LIBYAML = yaml.__with_libyaml__
if _LIBYAML:
    from yaml.cyaml import CParser as _CParser


_PYYAML_EVENT_KINDS: dict[type, str] = {
    yaml.events.ScalarEvent: "scalar",
    yaml.events.AliasEvent: "alias",
    yaml.events.MappingStartEvent: "mapping",
    yaml.events.SequenceStartEvent: "sequence",
    yaml.events.MappingEndEvent: "end",
    yaml.events.SequenceEndEvent: "end",
    yaml.events.DocumentEndEvent: "stop",
    yaml.events.StreamEndEvent: "stop",
}

# A tag (`!x`, `!h!x`) holding `,`, `[` or `]`: go-yaml takes them into the tag, libyaml 0.2.5 ends
# the tag there. A `!` right after a URI character (other than a closing quote) starts no token.
# (Also matches such text inside quoted scalars; those texts merely take the slower parser.)
# The `!` comes first and the look-behind after it (over the character before it), so that the
# search jumps from `!` to `!`: a look-behind first was tried at every character (50x slower).
_TAG_WITH_FLOW_CHARS = re.compile(
    r"!(?<![0-9A-Za-z_\-;/?:@&=+$.!~*()%]!)[0-9A-Za-z_\-;/?:@&=+$.!~*'()%]*[,\[\]]"
)
# The directives before the first document (comments and blank lines may come between).
_LEADING_DIRECTIVES = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n|%[^\n]*\n)*")
_YAML_DIRECTIVE = re.compile(r"^%YAML[ \t]+([0-9]+)\.([0-9]+)[ \t\r]*(?:#|$)", re.M)


def _libyaml_reads_like_go_yaml(text: str) -> bool:
    """False for the texts where libyaml's reading is known to differ from go-yaml v2's, found
    without parsing: a byte order mark after the start (go-yaml's is_bom() looks at the start of
    its buffer only, so it keeps the mark as content), or a tag with a flow character."""
    if text.find("\ufeff", 1) >= 0:
        return False
    return "!" not in text or _TAG_WITH_FLOW_CHARS.search(text) is None


def _go_input_bytes(text: str) -> bytes:
    """The bytes Helm hands to go-yaml: invalid UTF-8 comes back from its surrogate escapes, so
    libyaml's reader reports it as go-yaml's (same code) does."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that no byte decoded to: invalid UTF-8 all the same
        return text.encode("utf-8", "surrogatepass")


def _build_tree_libyaml(text: str) -> Node | None:
    """The first document's tree from libyaml's events. Raises YamlError, or LibyamlDiverges when
    go-yaml v2 would read the text differently."""
    # go-yaml's newParser() feeds a lone newline for empty input
    parser = _CParser(_go_input_bytes(text) if text else b"\n")
    try:
        return tree_from_events(parser.get_event, _PYYAML_EVENT_KINDS, is_libyaml=True)
    except yaml.MarkedYAMLError as err:
        raise _libyaml_syntax_error(err, text) from None
    except yaml.reader.ReaderError as err:
        raise YamlError(f"yaml: {err.reason}") from None
    finally:
        parser.dispose()


def _libyaml_syntax_error(err: yaml.MarkedYAMLError, text: str) -> Exception:
    """go-yaml's parser.fail() text for a libyaml error: "line N: " with the 0-based line of the
    problem (plus one for scanner errors), else of the context, and only when N is not 0."""
    problem = err.problem or "unknown problem parsing YAML content"
    problem_mark, context_mark = err.problem_mark, err.context_mark
    if problem == "exceeded maximum nesting depth":
        # libyaml >= 0.2.6 refuses 1000 levels while scanning ahead (go-yaml: 10000); such a
        # document is past our own limit anyway
        return too_deep(problem_mark.line, problem_mark.column)
    if problem == "found unexpected ':'":
        return LibyamlDiverges()  # libyaml refuses `x:` before a flow indicator, go-yaml does not
    read = text[: problem_mark.index + 1] if problem_mark is not None else text
    if "?" in read and ("[" in read or "{" in read):
        return LibyamlDiverges()  # a `?` may have ended a flow plain scalar for go-yaml
    line = 0
    if problem == "could not find expected ':'" and problem_mark is not None and context_mark is not None:
        go_line = _stale_key_line(context_mark, problem_mark, text)
        line = go_line + 1 if go_line else 0  # a scanner error
    elif problem_mark is not None and problem_mark.line:
        line = problem_mark.line + (1 if isinstance(err, yaml.scanner.ScannerError) else 0)
    elif context_mark is not None:
        line = context_mark.line
    where = f"line {line}: " if line else ""
    mark = problem_mark or context_mark
    return YamlError(
        f"yaml: {where}{problem}",
        mark.line + 1 if mark is not None else 0,
        mark.column + 1 if mark is not None else 0,
    )


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_NODE_PROPERTIES = re.compile(r"(?:[&!][^ \t\r\n]*[ \t]+)*")
_QUOTED_SCALAR = {"'": re.compile(r"'(?:[^']|'')*'"), '"': re.compile(r'"(?:[^"\\]|\\.)*"', re.S)}
_COMMENT_LINE = re.compile("(?:\r\n|[\r\n\x85\u2028\u2029])[ \t]*#")
_NOT_PLAIN_START = frozenset("'\"*&![]{}|>#%@` \t\r\n")


def _stale_key_line(key: Any, problem: Any, text: str) -> int:
    """The 0-based line where go-yaml v2 notices that a required simple key has no `:`.

    libyaml looks for stale keys after skipping the blanks and comments that follow a token.
    go-yaml (since v2.3) looks right after the token, where a plain scalar has eaten the line
    breaks and indentation after it but not a comment, and a quoted one nothing; failing that,
    after the next token, and its STREAM-END token first moves to a new line."""
    offset = 1 if text.startswith("\ufeff") else 0  # libyaml's index skips a leading BOM
    start, end = key.index + offset, problem.index + offset
    content = _NODE_PROPERTIES.match(text, start).end()  # type: ignore[union-attr]
    first = text[content : content + 1]
    if first in _QUOTED_SCALAR:
        quoted = _QUOTED_SCALAR[first].match(text, content, end)
        if quoted:
            line = key.line + len(_LINE_BREAK.findall(text, start, quoted.end()))
            if line > key.line:
                return line
    elif first and first not in _NOT_PLAIN_START:
        comment = _COMMENT_LINE.search(text, start, end)
        if comment:
            return key.line + len(_LINE_BREAK.findall(text, start, comment.start())) + 1
        return problem.line
    at_end = end >= len(text)
    return problem.line + 1 if at_end and problem.column else problem.line


def _check_yaml_directive(text: str) -> None:
    """go-yaml v2 refuses a document whose first %YAML directive is not 1.1 (parserc.go); neither
    libyaml (which takes 1.2 too) nor ruamel does it the same way."""
    directives = _LEADING_DIRECTIVES.match(text + "\n").group()  # type: ignore[union-attr]
    match = _YAML_DIRECTIVE.search(directives)
    if match and (match.group(1), match.group(2)) != ("1", "1"):
        line = directives.count("\n", 0, match.start())
        where = f"line {line}: " if line else ""
        raise YamlError(f"yaml: {where}found incompatible YAML document", line + 1, 1)


def build_first_document(text: str) -> Node | None:
    """The first document's node tree (None for an empty stream), as go-yaml v2's parser builds it;
    not cached. libyaml through PyYAML's C extension when it is there (fast), else ruamel. libyaml 0.2.5 has
    a few changes go-yaml v2 never took (flow plain scalars, local tags, byte order marks); texts
    that meet them go to the ruamel parser, which follows go-yaml there."""
    if text.startswith("%") or "\n%YAML" in text:
        _check_yaml_directive(text)
    if _LIBYAML and _libyaml_reads_like_go_yaml(text):
        try:
            return _build_tree_libyaml(text)
        except LibyamlDiverges:
            pass
    from chartfix.go.yaml import parse_ruamel  # deferred: see docs/architecture.md

    return parse_ruamel.build_tree(text)


@chart_cache(maxsize=64)
def parse_first_document(text: str) -> Node | None:
    """build_first_document, cached: trees are never modified after parsing, and templates feed the
    same text to fromYaml in every scenario and under both Helm versions."""
    return build_first_document(text)
