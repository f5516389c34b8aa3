"""YAML text to go-yaml v2 nodes: libyaml events through PyYAML's C extension (go-yaml v2 is a Go
port of libyaml); without it, or where libyaml 0.2.5 and go-yaml differ, ruamel.yaml's pure-Python
parser stands in, its errors reworded the way libyaml words them."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import yaml
import yaml.events
import yaml.reader
import yaml.scanner
from ruamel.yaml.docinfo import DocInfo
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.loader import SafeLoader
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import ScannerError
from ruamel.yaml.tokens import ScalarToken

from chartfix.go.yaml.errors import MAX_DEPTH, YamlError

_LIBYAML = yaml.__with_libyaml__
if _LIBYAML:
    from yaml.cyaml import CParser as _CParser


class Node:
    __slots__ = ("kind", "value", "tag", "implicit", "children", "alias", "line", "column")

    def __init__(self, kind: str, line: int, column: int) -> None:
        self.kind = kind  # "scalar", "mapping", "sequence", "alias"
        self.value = ""
        self.tag = ""
        self.implicit = False
        self.children: list[Node] = []
        self.alias: Node | None = None
        self.line = line
        self.column = column


# ruamel's wording -> libyaml's (what go-yaml v2 reports)
_PROBLEM_REWORDING = (
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("block sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
    ("sequence entries are not allowed here", "block sequence entries are not allowed in this context"),
    ("mapping keys are not allowed here", "mapping keys are not allowed in this context"),
    ("found character", "found character that cannot start any token"),
    ("expected the node content", "did not find expected node content"),
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
    ("expected '<document start>'", "did not find expected <document start>"),
    ("expected alphabetic or numeric character", "did not find expected alphabetic or numeric character"),
    ("expected a comment or a line break", "did not find expected comment or line break"),
    ("expected chomping or indentation indicators", "did not find expected comment or line break"),
    ("expected ' ', but found", "did not find expected whitespace or line break"),
    ("found unexpected end of stream", "found unexpected end of stream"),
    ("expected escape sequence of", "did not find expected hexdecimal number"),
    ("found unexpected document separator", "found unexpected document indicator"),
    ("expected indentation indicator in the range 1-9", "found an indentation indicator equal to 0"),
    ("found unknown escape character", "found unknown escape character"),
    ("found undefined tag handle", "found undefined tag handle"),
    ("could not find expected ':'", "could not find expected ':'"),
)


def _libyaml_problem(err: MarkedYAMLError) -> str:
    problem = err.problem or ""
    if "directive" in (err.context or "") and problem.startswith("expected alphabetic or numeric"):
        return "could not find expected directive name"
    if problem.startswith("expected <block end>"):
        if "mapping" in (err.context or ""):
            return "did not find expected key"
        return "did not find expected '-' indicator"
    for ruamel_text, libyaml_text in _PROBLEM_REWORDING:
        if problem.startswith(ruamel_text):
            return libyaml_text
    return problem or "unknown problem parsing YAML content"


def _syntax_error(err: MarkedYAMLError, text_length: int) -> YamlError:
    problem_line = err.problem_mark.line if err.problem_mark is not None else 0
    context_line = err.context_mark.line if err.context_mark is not None else 0
    # go-yaml's parser.fail(): scanner errors add one to the 0-based line, parser errors don't.
    mark = err.problem_mark
    at_stream_end = "<stream end>" in (err.problem or "") or err.problem == "could not find expected ':'"
    if at_stream_end and mark is not None and mark.column != 0 and mark.index >= text_length:
        problem_line += 1  # libyaml moves to a fresh line before the STREAM-END token
    if problem_line:
        line = problem_line + (1 if isinstance(err, ScannerError) else 0)
    else:
        line = context_line
    where = f"line {line}: " if line else ""
    mark = err.problem_mark or err.context_mark
    return YamlError(
        f"yaml: {where}{_libyaml_problem(err)}",
        mark.line + 1 if mark is not None else 0,
        mark.column + 1 if mark is not None else 0,
    )


_BLANKS_BLOCK = re.compile(" *")
_BLANKS_FLOW = re.compile("[ \t]*")
_LINE_END = re.compile("[\n\0\r\x85\u2028\u2029]")
_ANCHOR_NAME = re.compile("[0-9A-Za-z_-]+")
_BLANKZ = frozenset(" \t\r\n\x85\u2028\u2029\0")
_BREAK_CHARS = frozenset("\r\n\x85\u2028\u2029")
_PLAIN_RUN_BLOCK = re.compile("[^ \t\r\n\x85\u2028\u2029\0:]+")
_PLAIN_RUN_FLOW = re.compile("[^ \t\r\n\x85\u2028\u2029\0:,?\\[\\]{}]+")


class _FastLoader(SafeLoader):
    """ruamel's safe loader with its two hottest loops (per-character `forward`, and skipping
    blanks and comments) done in bulk; positions and tokens stay exactly the same."""

    # The loader is its own reader, scanner and resolver; skip ruamel's indirections.
    reader = property(lambda self: self)
    scanner = property(lambda self: self)
    resolver = property(lambda self: self)
    _tokens_ready = False

    def _fill_tokens(self) -> None:
        while self.need_more_tokens():
            self.fetch_more_tokens()
        # Nothing changes the answer of need_more_tokens until a token is taken.
        self._tokens_ready = True

    def check_token(self, *choices: Any) -> bool:
        if not self._tokens_ready:
            self._fill_tokens()
        if self.tokens:
            return not choices or isinstance(self.tokens[0], choices)
        return False

    def peek_token(self) -> Any:
        if not self._tokens_ready:
            self._fill_tokens()
        return self.tokens[0] if self.tokens else None

    def get_token(self) -> Any:
        if not self._tokens_ready:
            self._fill_tokens()
        self._tokens_ready = False
        if self.tokens:
            self.tokens_taken += 1
            return self.tokens.pop(0)
        return None

    def forward(self, length: int = 1) -> None:
        buf = self.buffer
        p = self.pointer
        if length == 1:
            ch = buf[p]
            self.pointer = p + 1
            self.index += 1
            if ch == "\n" or (ch == "\r" and buf[p + 1] != "\n"):
                self.line += 1
                self.column = 0
            elif ch != "\ufeff":
                self.column += 1
            return
        chunk = buf[p : p + length]
        if len(chunk) < length or "\n" in chunk or "\r" in chunk or "\ufeff" in chunk:
            SafeLoader.forward(self, length)
            return
        self.pointer = p + length
        self.index += length
        self.column += length

    def scan_to_next_token(self) -> None:
        buf = self.buffer
        if self.index == 0 and buf[self.pointer] == "\ufeff":
            self.forward()
        while True:
            # libyaml eats tabs too, except where a simple key may start (line start, after `- `)
            blanks = _BLANKS_FLOW if self.flow_level > 0 or not self.allow_simple_key else _BLANKS_BLOCK
            p = self.pointer
            q = blanks.match(buf, p).end()  # type: ignore[union-attr]
            if buf[q] == "#":
                q = _LINE_END.search(buf, q).start()  # type: ignore[union-attr]
            if q > p:
                self.column += q - p - buf.count("\ufeff", p, q)
                self.index += q - p
                self.pointer = q
            if self.scan_line_break():
                if not self.flow_level:
                    self.allow_simple_key = True
            else:
                return

    def scan_anchor(self, TokenClass: Any) -> Any:  # noqa: N803 (ruamel's signature)
        """libyaml's anchor names: only [0-9A-Za-z_-], then a blank or one of `?:,]}%@``."""
        buf = self.buffer
        start_mark = self.get_mark()
        name = "alias" if buf[self.pointer] == "*" else "anchor"
        self.forward()
        match = _ANCHOR_NAME.match(buf, self.pointer)
        length = match.end() - self.pointer if match else 0
        following = buf[self.pointer + length]
        if not length or not (following in _BLANKZ or following in "?:,]}%@`"):
            self.forward(length)
            raise ScannerError(
                f"while scanning an {name}",
                start_mark,
                "did not find expected alphabetic or numeric character",
                self.get_mark(),
            )
        value = buf[self.pointer : self.pointer + length]
        self.forward(length)
        return TokenClass(value, start_mark, self.get_mark())

    def scan_plain(self) -> ScalarToken:
        """libyaml's plain scalar scanner (tabs are blanks inside a plain scalar, unlike ruamel's)."""
        buf = self.buffer
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        run = _PLAIN_RUN_FLOW if self.flow_level else _PLAIN_RUN_BLOCK
        chunks: list[str] = []
        whitespaces: list[str] = []
        trailing_breaks: list[str] = []
        leading_break = ""
        leading_blanks = False
        while True:
            p = self.pointer
            if self.column == 0 and buf.startswith(("---", "..."), p) and buf[p + 3] in _BLANKZ:
                break
            if buf[p] == "#":
                break
            while buf[self.pointer] not in _BLANKZ:
                p = self.pointer
                ch = buf[p]
                if (ch == ":" and buf[p + 1] in _BLANKZ) or (self.flow_level and ch in ",?[]{}"):
                    break
                if leading_blanks:
                    if leading_break == "\n":
                        chunks.append("".join(trailing_breaks) if trailing_breaks else " ")
                    else:
                        chunks.append(leading_break)
                        chunks.extend(trailing_breaks)
                    trailing_breaks = []
                    leading_break = ""
                    leading_blanks = False
                elif whitespaces:
                    chunks.extend(whitespaces)
                    whitespaces = []
                match = run.match(buf, p)
                length = match.end() - p if match else 1
                chunks.append(buf[p : p + length])
                self.forward(length)
                end_mark = self.get_mark()
            ch = buf[self.pointer]
            if ch not in " \t" and ch not in _BREAK_CHARS:
                break
            while True:
                ch = buf[self.pointer]
                if ch == " " or ch == "\t":
                    if leading_blanks and self.column < indent and ch == "\t":
                        raise ScannerError(
                            "while scanning a plain scalar",
                            start_mark,
                            "found a tab character that violates indentation",
                            self.get_mark(),
                        )
                    if not leading_blanks:
                        whitespaces.append(ch)
                    self.forward()
                elif ch in _BREAK_CHARS:
                    if not leading_blanks:
                        whitespaces = []
                        leading_break = self.scan_line_break()
                        leading_blanks = True
                    else:
                        trailing_breaks.append(self.scan_line_break())
                else:
                    break
            if not self.flow_level and self.column < indent:
                break
        if leading_blanks:
            self.allow_simple_key = True
        return ScalarToken("".join(chunks), True, start_mark, end_mark)


def _too_deep(line: int, column: int) -> YamlError:
    return YamlError(f"yaml: nesting deeper than {MAX_DEPTH} levels", line + 1, column + 1, limit=True)


class _LibyamlDiverges(Exception):
    """libyaml (0.2.5 and later) reads this text differently from go-yaml v2."""


def _tree_from_events(
    next_event: Callable[[], Any], kinds: dict[type, str], is_libyaml: bool = False
) -> Node | None:
    """go-yaml v2's parser (decode.go) over an event stream: the first document's node tree.
    `kinds` maps event classes to "scalar", "alias", "mapping", "sequence", "end" (of a collection)
    or "stop" (document or stream end); other events are skipped."""
    anchors: dict[str, Node] = {}
    stack: list[Node] = []
    root: Node | None = None
    flow_from = -1  # stack index of the outermost flow collection, -1 in block context
    while True:
        event = next_event()
        kind = kinds.get(type(event))
        if kind is None:
            continue
        # yaml.v2 stops after the first document's DOCUMENT-END event (it peeks one token past
        # the root node, so an error right after it still counts)
        if kind == "stop":
            return root
        if kind == "end":
            stack.pop()
            if len(stack) == flow_from:
                flow_from = -1
            continue
        mark = event.start_mark
        node = Node(kind, mark.line, mark.column)
        if kind == "scalar":
            node.value = event.value
            node.tag = event.tag or ""
            node.implicit = bool(event.implicit[0])
            # go-yaml ends a plain scalar at `?` in flow context; libyaml 0.2.5 does not
            if is_libyaml and flow_from >= 0 and not event.style and "?" in event.value:
                raise _LibyamlDiverges
        elif kind == "alias":
            node.value = event.anchor
            node.alias = anchors.get(event.anchor)
            if node.alias is None:
                raise YamlError(
                    f"yaml: unknown anchor '{event.anchor}' referenced", mark.line + 1, mark.column + 1
                )
        elif len(stack) >= MAX_DEPTH:
            raise _too_deep(mark.line, mark.column)
        if kind != "alias" and event.anchor:
            anchors[event.anchor] = node
        if stack:
            stack[-1].children.append(node)
        else:
            root = node
        if kind == "mapping" or kind == "sequence":
            if flow_from < 0 and event.flow_style:
                flow_from = len(stack)
            stack.append(node)


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
_TAG_WITH_FLOW_CHARS = re.compile(
    r"(?<![0-9A-Za-z_\-;/?:@&=+$.!~*()%])![0-9A-Za-z_\-;/?:@&=+$.!~*'()%]*[,\[\]]"
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
    """The first document's tree from libyaml's events. Raises YamlError, or _LibyamlDiverges when
    go-yaml v2 would read the text differently."""
    # go-yaml's newParser() feeds a lone newline for empty input
    parser = _CParser(_go_input_bytes(text) if text else b"\n")
    try:
        return _tree_from_events(parser.get_event, _PYYAML_EVENT_KINDS, is_libyaml=True)
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
        return _too_deep(problem_mark.line, problem_mark.column)
    if problem == "found unexpected ':'":
        return _LibyamlDiverges()  # libyaml refuses `x:` before a flow indicator, go-yaml does not
    read = text[: problem_mark.index + 1] if problem_mark is not None else text
    if "?" in read and ("[" in read or "{" in read):
        return _LibyamlDiverges()  # a `?` may have ended a flow plain scalar for go-yaml
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


_RUAMEL_EVENT_KINDS: dict[type, str] = {
    ScalarEvent: "scalar",
    AliasEvent: "alias",
    MappingStartEvent: "mapping",
    SequenceStartEvent: "sequence",
    MappingEndEvent: "end",
    SequenceEndEvent: "end",
    DocumentEndEvent: "stop",
    StreamEndEvent: "stop",
}


def _build_tree_ruamel(text: str) -> Node | None:
    """The first document's tree from ruamel.yaml's events (pure Python, tuned to go-yaml v2)."""
    try:
        loader = _FastLoader(text if text else "\n", version=(1, 1))
        loader.doc_infos = [DocInfo()]  # ruamel's %YAML directive handling expects it
        return _tree_from_events(loader.get_event, _RUAMEL_EVENT_KINDS)
    except MarkedYAMLError as err:
        raise _syntax_error(err, len(text)) from None
    except ReaderError:
        raise YamlError("yaml: control characters are not allowed") from None
    except RecursionError:
        raise YamlError("yaml: document nested too deeply", limit=True) from None


def _check_yaml_directive(text: str) -> None:
    """go-yaml v2 refuses a document whose first %YAML directive is not 1.1 (parserc.go); neither
    libyaml (which takes 1.2 too) nor ruamel does it the same way."""
    directives = _LEADING_DIRECTIVES.match(text + "\n").group()  # type: ignore[union-attr]
    match = _YAML_DIRECTIVE.search(directives)
    if match and (match.group(1), match.group(2)) != ("1", "1"):
        line = directives.count("\n", 0, match.start())
        where = f"line {line}: " if line else ""
        raise YamlError(f"yaml: {where}found incompatible YAML document", line + 1, 1)


def _build_tree(text: str) -> Node | None:
    """libyaml through PyYAML's C extension when it is there (fast), else ruamel. libyaml 0.2.5 has
    a few changes go-yaml v2 never took (flow plain scalars, local tags, byte order marks); texts
    that meet them go to the ruamel parser, which follows go-yaml there."""
    if text.startswith("%") or "\n%YAML" in text:
        _check_yaml_directive(text)
    if _LIBYAML and _libyaml_reads_like_go_yaml(text):
        try:
            return _build_tree_libyaml(text)
        except _LibyamlDiverges:
            pass
    return _build_tree_ruamel(text)


@lru_cache(maxsize=64)
def parse_first_document(text: str) -> Node | None:
    """The first document's node tree (None for an empty stream), as go-yaml v2's parser builds it.
    Trees are never modified after parsing, so they are cached: charts are rendered for both Helm
    versions and templates often feed the same text to fromYaml."""
    return _build_tree(text)
