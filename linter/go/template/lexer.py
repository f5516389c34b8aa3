"""Go text/template/parse's lexer (lex.go, Go 1.23+): the same tokens, values, positions and errors.

Positions are indices into the Python string (one per rune); callers convert to byte offsets where
Go's messages need them. Lexing stops at the first error item, as Go's lexer does.
An action made of common tokens only is read in one findall; otherwise one precompiled pattern
reads the common tokens one by one, and lex.go's character rules handle the rest (and every error).
"""

from __future__ import annotations

import contextlib
import re
from itertools import accumulate

from chartfix.go.strconv import quote as go_quote

# Item types, in lex.go's order (keywords after KEYWORD).
ERROR = 0
BOOL = 1
CHAR = 2
CHAR_CONSTANT = 3
COMMENT = 4
COMPLEX = 5
ASSIGN = 6
DECLARE = 7
EOF = 8
FIELD = 9
IDENTIFIER = 10
LEFT_DELIM = 11
LEFT_PAREN = 12
NUMBER = 13
PIPE = 14
RAW_STRING = 15
RIGHT_DELIM = 16
RIGHT_PAREN = 17
SPACE = 18
STRING = 19
TEXT = 20
VARIABLE = 21
KEYWORD = 22
BLOCK = 23
BREAK = 24
CONTINUE = 25
DOT = 26
DEFINE = 27
ELSE = 28
END = 29
IF = 30
NIL = 31
RANGE = 32
TEMPLATE = 33
WITH = 34

KEYWORDS = {
    ".": DOT,
    "block": BLOCK,
    "break": BREAK,
    "continue": CONTINUE,
    "define": DEFINE,
    "else": ELSE,
    "end": END,
    "if": IF,
    "range": RANGE,
    "nil": NIL,
    "template": TEMPLATE,
    "with": WITH,
}

LEFT = "{{"
RIGHT = "}}"
_SPACE_CHARS = " \t\r\n"
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]*")


class Item:
    """One token: type, rune offset of its start, text. (Its line is the line of `pos`: Go counts
    it while lexing, the parser here computes it only for error messages.)"""

    __slots__ = ("typ", "pos", "val")

    def __init__(self, typ: int, pos: int, val: str) -> None:
        self.typ = typ
        self.pos = pos
        self.val = val

    def __str__(self) -> str:
        # item.String() in lex.go
        if self.typ == EOF:
            return "EOF"
        if self.typ == ERROR:
            return self.val
        if self.typ > KEYWORD:
            return f"<{self.val}>"
        if len(self.val) > 10:
            return go_quote(self.val[:10]) + "..."
        return go_quote(self.val)

    def __repr__(self) -> str:
        return f"Item({self.typ}, {self.pos}, {self.val!r})"


def is_alphanumeric(char: str) -> bool:
    """unicode.IsLetter || unicode.IsDigit || '_' (Go's IsDigit is category Nd, as str.isdecimal)."""
    return char == "_" or char.isalpha() or char.isdecimal()


def _is_printable_ascii(char: str) -> bool:
    return " " <= char <= "~"


def quote_rune_u(char: str) -> str:
    """fmt's %#U: `U+0041 'A'`, or just `U+0001` when the rune is not printable."""
    code = ord(char)
    if char.isprintable():
        return f"U+{code:04X} '{char}'"
    return f"U+{code:04X}"


class _LexError(Exception):
    pass


# One token inside an action, for the common (ASCII) cases, as regular expressions (alternatives in
# order: the first that matches wins). Anything they decline (non-ASCII words, signed or non-decimal
# numbers, unterminated quotes, errors) goes through _Lexer._lex_one, the character-by-character
# rules of lex.go.
_TERMINATOR = r"(?=[ \t\r\n.,|:)(]|\}\}|\Z)"
_TRIM_RIGHT_DELIM_RE = r"[ \t\r\n]-\}\}"
_FIELD_RE = r"\.[A-Za-z_][A-Za-z0-9_]*" + _TERMINATOR
_WORD_RE = r"[A-Za-z_][A-Za-z0-9_]*" + _TERMINATOR
_STRING_RE = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_VARIABLE_RE = r"\$[A-Za-z0-9_]*" + _TERMINATOR
_DOT_RE = r"\.(?=[ \t\r\n.,|:)(]|\}\})"
_NUMBER_END = r"(?![A-Za-z0-9_.+\-]|[^\x00-\x7f])"
_ZERO_RE = "0" + _NUMBER_END
_DECIMAL_RE = "[1-9][0-9]*" + _NUMBER_END
_NUMBER_RE = f"{_ZERO_RE}|{_DECIMAL_RE}"  # decimal integer
_RAW_STRING_RE = r"`[^`]*`"
_CHAR_CONSTANT_RE = r"'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
_CHAR_RE = r"[!#%&*,/;<>?@\[\\\]^{}~]"  # any other printable ASCII character
_ACTION_TOKEN = re.compile(
    f"({_TRIM_RIGHT_DELIM_RE})"  # 1: right delimiter with trim marker
    r"|(\}\})"  # 2: right delimiter
    r"|([ \t\r\n]+)"  # 3: space
    f"|({_FIELD_RE})"  # 4: field
    f"|({_WORD_RE})"  # 5: identifier, keyword or bool
    f"|({_STRING_RE})"  # 6: quoted string
    r"|(\|)"  # 7: pipe
    f"|({_VARIABLE_RE})"  # 8: variable
    f"|({_DOT_RE})"  # 9: dot
    r"|(\()"  # 10: left paren
    r"|(\))"  # 11: right paren
    f"|({_NUMBER_RE})"  # 12: decimal integer
    f"|({_RAW_STRING_RE})"  # 13: raw string
    r"|(:=)"  # 14: declare
    r"|(=)"  # 15: assign
    f"|({_CHAR_CONSTANT_RE})"  # 16: character constant
    f"|({_CHAR_RE})"  # 17: any other printable ASCII character
)
_TRIM_RIGHT_DELIM, _RIGHT_DELIM, _SPACE_RUN, _WORD, _LEFT_PAREN, _RIGHT_PAREN = 1, 2, 3, 5, 10, 11
# Item type of the groups whose whole match is the item.
_GROUP_TYPES = (0, 0, 0, 0, FIELD, 0, STRING, PIPE, VARIABLE, DOT, 0, 0, NUMBER, RAW_STRING, DECLARE, ASSIGN)
_GROUP_TYPES += (CHAR_CONSTANT, CHAR)

# Every token of an action, right delimiter last, when all are ones _ACTION_TOKEN reads: the common
# case, lexed in bulk. Its alternatives start with different characters (but for `}}` before `}`),
# so their order, most frequent first, does not change what matches. Each starts with a character
# or a character set, which lets the regular expression engine skip it at the first character. A
# space run stops before the space that starts a trim-marked right delimiter, as
# _lex_inside_action's does.
_ACTION_TOKENS = re.compile(
    "|".join(
        (
            r"[ \t\r\n][ \t\r\n]*(?!-\}\})",
            _FIELD_RE,
            _WORD_RE,
            r"\}\}",
            _STRING_RE,
            _VARIABLE_RE,
            r"\|",
            r"\(",
            r"\)",
            _DOT_RE,
            _ZERO_RE,
            _DECIMAL_RE,
            _TRIM_RIGHT_DELIM_RE,
            ":=",
            _RAW_STRING_RE,
            "=",
            _CHAR_CONSTANT_RE,
            _CHAR_RE,
        )
    )
)
# Item type of a token by its first character, where its text does not name it (see _word_types).
_FIRST_CHAR_TYPES = dict.fromkeys(" \t\r\n", SPACE) | dict.fromkeys("!#%&*,/;<>?@[\\]^{}~", CHAR)
_FIRST_CHAR_TYPES |= dict.fromkeys("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_", IDENTIFIER)
_FIRST_CHAR_TYPES |= dict.fromkeys("0123456789", NUMBER)
_FIRST_CHAR_TYPES |= {".": FIELD, '"': STRING, "|": PIPE, "$": VARIABLE, "(": LEFT_PAREN, ")": RIGHT_PAREN}
_FIRST_CHAR_TYPES |= {"`": RAW_STRING, ":": DECLARE, "=": ASSIGN, "'": CHAR_CONSTANT}
_SPACES = re.compile(r"[ \t\r\n]*")
_LEFT_TRIM_MARKERS = ("- ", "-\t", "-\r", "-\n")


def _parens_balanced(values: list[str]) -> bool:
    """No right paren closes nothing, none is left open (else lex.go reports an error)."""
    depth = 0
    for value in values:
        if value == "(":
            depth += 1
        elif value == ")":
            if not depth:
                return False
            depth -= 1
    return not depth


def _word_types(break_ok: bool, continue_ok: bool) -> dict[str, int]:
    """Item type of each word that is not an identifier."""
    types = {word: typ for word, typ in KEYWORDS.items() if typ > KEYWORD}
    if not break_ok:
        del types["break"]
    if not continue_ok:
        del types["continue"]
    types["true"] = types["false"] = BOOL
    return types


_WORD_TYPES = {(b, c): _word_types(b, c) for b in (False, True) for c in (False, True)}


class _TokenTypes(dict[str, int]):
    """Item type of each token _ACTION_TOKENS reads, by its text: a word's from its word types, any
    other's from its first character. Short tokens recur (fields, functions, spaces), so they are
    remembered: one lookup per token. Size-capped, as each lexer flag pair has one for good."""

    def __init__(self, word_types: dict[str, int]) -> None:
        super().__init__()
        self.word_types = word_types

    def __missing__(self, token: str) -> int | None:
        typ = self.word_types.get(token, _FIRST_CHAR_TYPES.get(token[0]))
        if len(token) <= _REMEMBERED_TOKEN_LENGTH and len(self) < _REMEMBERED_TOKENS:
            self[token] = typ
        return typ


_REMEMBERED_TOKEN_LENGTH = 64
_REMEMBERED_TOKENS = 100_000
_TOKEN_TYPES = {flags: _TokenTypes(word_types) for flags, word_types in _WORD_TYPES.items()}

Token = tuple[int, int, str]
# The tokens as three lists: types, positions, values.
Columns = tuple[list[int], list[int], list[str]]


class _Lexer:
    """Scans the whole input into the columns of its tokens, ending with EOF or one ERROR."""

    def __init__(self, text: str, break_ok: bool, continue_ok: bool) -> None:
        self.text = text
        self.word_types = _WORD_TYPES[break_ok, continue_ok]
        self.token_types = _TOKEN_TYPES[break_ok, continue_ok]
        self.types: list[int] = []
        self.starts: list[int] = []
        self.values: list[str] = []
        # The token-by-token paths' (type, position, value) tokens, until _flush moves them over.
        self.items: list[Token] = []

    def _emit(self, typ: int, start: int, end: int) -> None:
        self.items.append((typ, start, self.text[start:end]))

    def _error(self, start: int, message: str) -> None:
        self.items.append((ERROR, start, message))
        raise _LexError

    def _flush(self) -> None:
        for typ, start, value in self.items:
            self.types.append(typ)
            self.starts.append(start)
            self.values.append(value)
        self.items.clear()

    def run(self) -> Columns:
        with contextlib.suppress(_LexError):
            self._lex_text(0)
        self._flush()
        return self.types, self.starts, self.values

    def _at_right_delim(self, pos: int) -> tuple[bool, bool]:
        text = self.text
        if (
            pos + 1 < len(text)
            and text[pos] in _SPACE_CHARS
            and text[pos + 1] == "-"
            and text.startswith(RIGHT, pos + 2)
        ):
            return True, True
        if text.startswith(RIGHT, pos):
            return True, False
        return False, False

    def _lex_text(self, pos: int) -> None:
        """lexText and lexLeftDelim: text up to each action, then the action."""
        text = self.text
        length = len(text)
        types, starts, values = self.types, self.starts, self.values
        find_tokens = _ACTION_TOKENS.findall
        token_type = self.token_types.__getitem__
        left_length = len(LEFT)
        right_length = len(RIGHT)
        while True:
            x = text.find(LEFT, pos)
            if x < 0:
                if pos < length:
                    types.append(TEXT)
                    starts.append(pos)
                    values.append(text[pos:])
                types.append(EOF)
                starts.append(length)
                values.append("")
                return
            inside = x + left_length
            trimmed = text.startswith(_LEFT_TRIM_MARKERS, inside)
            if x > pos:
                end = len(text[pos:x].rstrip(_SPACE_CHARS)) + pos if trimmed else x
                if end > pos:
                    types.append(TEXT)
                    starts.append(pos)
                    values.append(text[pos:end])
            if trimmed:
                inside += 2
            if text.startswith("/*", inside):
                pos = self._lex_comment(inside)
                continue
            types.append(LEFT_DELIM)
            starts.append(x)
            values.append(LEFT)
            # The action in bulk where _ACTION_TOKENS reads all of it, else token by token. findall
            # skips what it cannot read: the tokens end where the action does when it skipped
            # nothing, and then each started where the one before ended, as in _lex_inside_action.
            # The first `}}` ends the action unless it is in a quoted string (which then stops short
            # of a match).
            end = text.find(RIGHT, inside) + right_length
            tokens = find_tokens(text, inside, end) if end > right_length else None
            token_starts = list(accumulate(map(len, tokens), initial=inside)) if tokens else None
            if (
                token_starts is None
                or token_starts[-1] != end
                or ("(" in tokens or ")" in tokens)
                and not _parens_balanced(tokens)
            ):
                pos = self._lex_inside_action(inside)  # for lex.go's error, or tokens findall misses
                self._flush()
                continue
            right_delim = tokens.pop()
            token_starts[-2] = end - right_length  # the right delimiter's, after any trim marker
            token_starts.pop()
            types += map(token_type, tokens)
            types.append(RIGHT_DELIM)
            starts += token_starts
            values += tokens
            values.append(RIGHT)
            pos = _SPACES.match(text, end).end() if len(right_delim) > right_length else end

    def _skip_left_spaces(self, pos: int) -> int:
        return _SPACES.match(self.text, pos).end()

    def _lex_comment(self, start: int) -> int:
        text = self.text
        x = text.find("*/", start + 2)
        if x < 0:
            self._error(start, "unclosed comment")
        pos = x + 2
        delim, trim = self._at_right_delim(pos)
        if not delim:
            self._error(start, "comment ends before closing delimiter")
        if trim:
            pos += 2
        pos += len(RIGHT)
        if trim:
            pos = self._skip_left_spaces(pos)
        return pos

    def _lex_right_delim(self, pos: int, trim: bool) -> int:
        if trim:
            pos += 2
        self.items.append((RIGHT_DELIM, pos, RIGHT))
        pos += len(RIGHT)
        if trim:
            pos = self._skip_left_spaces(pos)
        return pos

    def _lex_inside_action(self, pos: int) -> int:
        """Scans one action; returns the position after its right delimiter."""
        text = self.text
        append = self.items.append
        match = _ACTION_TOKEN.match
        group_types = _GROUP_TYPES
        word_types = self.word_types
        paren_depth = 0
        while True:
            found = match(text, pos)
            if found is None:
                pos, paren_depth = self._lex_one(pos, paren_depth)
                continue
            group = found.lastindex
            typ = group_types[group]
            if typ:
                end = found.end()
                append((typ, pos, text[pos:end]))
                pos = end
            elif group == _SPACE_RUN:
                end = found.end()
                # A trim-marked right delimiter starts with a space: leave that space to it.
                if text.startswith("-" + RIGHT, end):
                    end -= 1
                append((SPACE, pos, text[pos:end]))
                pos = end
            elif group == _WORD:
                word = found.group()
                append((word_types.get(word, IDENTIFIER), pos, word))
                pos = found.end()
            elif group == _LEFT_PAREN:
                paren_depth += 1
                append((LEFT_PAREN, pos, "("))
                pos += 1
            elif group == _RIGHT_PAREN and paren_depth:
                paren_depth -= 1
                append((RIGHT_PAREN, pos, ")"))
                pos += 1
            elif group == _RIGHT_PAREN:
                self._error(pos, "unexpected right paren")
            elif paren_depth:
                self._error(pos, "unclosed left paren")
            else:
                return self._lex_right_delim(pos, group == _TRIM_RIGHT_DELIM)

    def _lex_one(self, start: int, paren_depth: int) -> tuple[int, int]:
        """lex.go's lexInsideAction for one item that is neither space nor a right delimiter:
        the new position and parenthesis depth."""
        text = self.text
        length = len(text)
        items = self.items
        if start >= length:
            self._error(start, "unclosed action")
        char = text[start]
        pos = start + 1
        if char == ".":
            if pos < length and not "0" <= text[pos] <= "9":
                pos = self._lex_field_or_variable(start, pos, FIELD)
            else:
                pos = self._lex_number(start)
        elif char == "|":
            items.append((PIPE, start, "|"))
        elif char == '"':
            pos = self._lex_quote(start)
        elif char == "$":
            if self._at_terminator(pos):
                items.append((VARIABLE, start, "$"))
            else:
                pos = self._lex_field_or_variable(start, pos, VARIABLE)
        elif char == "(":
            paren_depth += 1
            items.append((LEFT_PAREN, start, "("))
        elif char == ")":
            paren_depth -= 1
            if paren_depth < 0:
                self._error(start, "unexpected right paren")
            items.append((RIGHT_PAREN, start, ")"))
        elif char == "=":
            items.append((ASSIGN, start, "="))
        elif char == ":":
            if pos >= length or text[pos] != "=":
                self._error(start, "expected :=")
            pos += 1
            items.append((DECLARE, start, ":="))
        elif char == "`":
            pos = self._lex_raw_quote(start)
        elif char == "'":
            pos = self._lex_char(start)
        elif char in "+-" or "0" <= char <= "9":
            pos = self._lex_number(start)
        elif is_alphanumeric(char):
            pos = self._lex_identifier(start)
        elif char <= "\x7f" and _is_printable_ascii(char):
            items.append((CHAR, start, char))
        else:
            self._error(start, f"unrecognized character in action: {quote_rune_u(char)}")
        return pos, paren_depth

    def _word_end(self, pos: int) -> int:
        text = self.text
        length = len(text)
        while True:
            pos = _ASCII_WORD.match(text, pos).end()
            if pos < length and text[pos] > "\x7f" and is_alphanumeric(text[pos]):
                pos += 1
                continue
            return pos

    def _at_terminator(self, pos: int) -> bool:
        text = self.text
        if pos >= len(text):
            return True
        char = text[pos]
        if char in _SPACE_CHARS or char in ".,|:)(":
            return True
        return text.startswith(RIGHT, pos)

    def _bad_character(self, start: int, pos: int) -> None:
        char = self.text[pos] if pos < len(self.text) else ""
        shown = quote_rune_u(char) if char else "U+FFFFFFFFFFFFFFFF"
        self._error(start, f"bad character {shown}")

    def _lex_identifier(self, start: int) -> int:
        pos = self._word_end(start)
        if not self._at_terminator(pos):
            self._bad_character(start, pos)
        self._emit(self.word_types.get(self.text[start:pos], IDENTIFIER), start, pos)
        return pos

    def _lex_field_or_variable(self, start: int, pos: int, typ: int) -> int:
        if self._at_terminator(pos):
            self._emit(VARIABLE if typ == VARIABLE else DOT, start, pos)
            return pos
        pos = self._word_end(pos)
        if not self._at_terminator(pos):
            self._bad_character(start, pos)
        self._emit(typ, start, pos)
        return pos

    def _lex_char(self, start: int) -> int:
        text = self.text
        length = len(text)
        pos = start + 1
        while True:
            if pos >= length:
                self._error(start, "unterminated character constant")
            char = text[pos]
            pos += 1
            if char == "\\":
                if pos >= length or text[pos] == "\n":
                    self._error(start, "unterminated character constant")
                pos += 1
            elif char == "\n":
                self._error(start, "unterminated character constant")
            elif char == "'":
                break
        self._emit(CHAR_CONSTANT, start, pos)
        return pos

    def _lex_quote(self, start: int) -> int:
        text = self.text
        length = len(text)
        pos = start + 1
        while True:
            if pos >= length:
                self._error(start, "unterminated quoted string")
            char = text[pos]
            pos += 1
            if char == "\\":
                if pos >= length or text[pos] == "\n":
                    self._error(start, "unterminated quoted string")
                pos += 1
            elif char == "\n":
                self._error(start, "unterminated quoted string")
            elif char == '"':
                break
        self._emit(STRING, start, pos)
        return pos

    def _lex_raw_quote(self, start: int) -> int:
        end = self.text.find("`", start + 1)
        if end < 0:
            self._error(start, "unterminated raw quoted string")
        self._emit(RAW_STRING, start, end + 1)
        return end + 1

    def _lex_number(self, start: int) -> int:
        ok, pos = self._scan_number(start)
        if not ok:
            self._error(start, f"bad number syntax: {go_quote(self.text[start:pos])}")
        if pos < len(self.text) and self.text[pos] in "+-":
            ok, pos = self._scan_number(pos)
            if not ok or self.text[pos - 1] != "i":
                self._error(start, f"bad number syntax: {go_quote(self.text[start:pos])}")
            self._emit(COMPLEX, start, pos)
        else:
            self._emit(NUMBER, start, pos)
        return pos

    def _scan_number(self, pos: int) -> tuple[bool, int]:
        text = self.text
        length = len(text)

        def accept(pos: int, valid: str) -> tuple[bool, int]:
            if pos < length and text[pos] in valid:
                return True, pos + 1
            return False, pos

        def accept_run(pos: int, valid: str) -> int:
            while pos < length and text[pos] in valid:
                pos += 1
            return pos

        _, pos = accept(pos, "+-")
        digits = "0123456789_"
        zero, pos = accept(pos, "0")
        if zero:
            for prefix, prefixed_digits in (
                ("xX", "0123456789abcdefABCDEF_"),
                ("oO", "01234567_"),
                ("bB", "01_"),
            ):
                found, pos = accept(pos, prefix)
                if found:
                    digits = prefixed_digits
                    break
        pos = accept_run(pos, digits)
        dot, pos = accept(pos, ".")
        if dot:
            pos = accept_run(pos, digits)
        if len(digits) == 11:
            exp, pos = accept(pos, "eE")
            if exp:
                _, pos = accept(pos, "+-")
                pos = accept_run(pos, "0123456789_")
        if len(digits) == 23:
            exp, pos = accept(pos, "pP")
            if exp:
                _, pos = accept(pos, "+-")
                pos = accept_run(pos, "0123456789_")
        _, pos = accept(pos, "i")
        if pos < length and is_alphanumeric(text[pos]):
            return False, pos + 1
        return True, pos


def lex_columns(text: str, break_ok: bool = True, continue_ok: bool = True) -> Columns:
    """All items of `text` as lists of types, positions and values, ending with EOF or ERROR."""
    return _Lexer(text, break_ok, continue_ok).run()


def lex_tokens(text: str, break_ok: bool = True, continue_ok: bool = True) -> list[Token]:
    """All items of `text` as (type, position, value) tuples, ending with EOF or ERROR."""
    return list(zip(*lex_columns(text, break_ok, continue_ok), strict=True))


def lex(text: str, break_ok: bool = True, continue_ok: bool = True) -> list[Item]:
    """All items of `text`, ending with an EOF item or an ERROR item."""
    return items_of(lex_columns(text, break_ok, continue_ok))


def items_of(columns: Columns) -> list[Item]:
    """The Items of lexed columns."""
    return [Item(*token) for token in zip(*columns, strict=True)]


# --- strconv.Unquote / UnquoteChar -----------------------------------------------------------------


class UnquoteError(Exception):
    """strconv.ErrSyntax: its text is "invalid syntax"."""


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92, "'": 39, '"': 34}


def _unquote_char(text: str, pos: int, quote: str) -> tuple[int, bool, int]:
    """strconv.UnquoteChar: (value, is_byte, new position). is_byte: \\x or octal escapes."""
    char = text[pos]
    if char == quote and quote in "'\"":
        raise UnquoteError
    if char != "\\":
        return ord(char), False, pos + 1
    if pos + 1 >= len(text):
        raise UnquoteError
    escape = text[pos + 1]
    pos += 2
    if escape in _SIMPLE_ESCAPES:
        if escape in "'\"" and escape != quote:
            raise UnquoteError
        return _SIMPLE_ESCAPES[escape], False, pos
    if escape in "xuU":
        width = {"x": 2, "u": 4, "U": 8}[escape]
        digits = text[pos : pos + width]
        if len(digits) < width or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise UnquoteError
        value = int(digits, 16)
        if escape == "x":
            return value, True, pos + width
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise UnquoteError
        return value, False, pos + width
    if "0" <= escape <= "7":
        digits = text[pos - 1 : pos + 2]
        if len(digits) < 3 or any(d not in "01234567" for d in digits):
            raise UnquoteError
        value = int(digits, 8)
        if value > 255:
            raise UnquoteError
        return value, True, pos + 2
    raise UnquoteError


def _collect(values: list[tuple[int, bool]]) -> str:
    out: list[str] = []
    pending = bytearray()
    for value, is_byte in values:
        if is_byte:
            pending.append(value)
            continue
        if pending:
            out.append(pending.decode("utf-8", errors="surrogateescape"))
            pending = bytearray()
        out.append(chr(value))
    if pending:
        out.append(pending.decode("utf-8", errors="surrogateescape"))
    return "".join(out)


def go_unquote(text: str) -> str:
    """strconv.Unquote for "..." and `...` literals (raw strings drop carriage returns)."""
    if len(text) < 2 or text[0] != text[-1]:
        raise UnquoteError
    quote = text[0]
    body = text[1:-1]
    if quote == "`":
        if "`" in body:
            raise UnquoteError
        return body.replace("\r", "")
    if quote != '"':
        raise UnquoteError
    if "\\" not in body:
        if '"' in body or "\n" in body:
            raise UnquoteError
        return body
    values: list[tuple[int, bool]] = []
    pos = 0
    while pos < len(body):
        if body[pos] == "\n":
            raise UnquoteError
        value, is_byte, pos = _unquote_char(body, pos, '"')
        values.append((value, is_byte))
    return _collect(values)


def unquote_char_constant(text: str) -> tuple[int, str]:
    """strconv.UnquoteChar(text[1:], '\\''): the rune value and the remaining tail."""
    value, _, pos = _unquote_char(text, 1, "'")
    return value, text[pos:]
