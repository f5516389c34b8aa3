"""The pure-Python stand-in for libyaml: ruamel.yaml's parser, tuned to read YAML as go-yaml v2 does
and its errors reworded the way libyaml words them. `parse` loads it only for the texts libyaml
would read differently from go-yaml (or when PyYAML lacks libyaml): importing ruamel.yaml costs
about 20 ms, a noticeable part of a one-chart lint."""

from __future__ import annotations

import re
from typing import Any

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

from chartfix.go.yaml.errors import YamlError
from chartfix.go.yaml.tree import Node, tree_from_events

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


def build_tree(text: str) -> Node | None:
    """The first document's tree from ruamel.yaml's events (pure Python, tuned to go-yaml v2)."""
    try:
        loader = _FastLoader(text if text else "\n", version=(1, 1))
        loader.doc_infos = [DocInfo()]  # ruamel's %YAML directive handling expects it
        return tree_from_events(loader.get_event, _RUAMEL_EVENT_KINDS)
    except MarkedYAMLError as err:
        raise _syntax_error(err, len(text)) from None
    except ReaderError:
        raise YamlError("yaml: control characters are not allowed") from None
    except RecursionError:
        raise YamlError("yaml: document nested too deeply", limit=True) from None
