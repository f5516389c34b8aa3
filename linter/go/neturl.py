"""The parts of Go's net/url that sprig's urlParse and urlJoin use: Parse, URL.String, Hostname.

Go strings are bytes, so the work is done on UTF-8 bytes (non-ASCII bytes are percent-escaped or
left alone exactly as Go does) and the results are turned back into text.
"""

from __future__ import annotations

from chartfix.go.strconv import quote
from chartfix.go.unicode import go_bytes
from chartfix.records import record

# escape/unescape modes (url.go's `encoding` constants)
PATH, PATH_SEGMENT, HOST, ZONE, USER_PASSWORD, QUERY_COMPONENT, FRAGMENT = range(1, 8)
_HEX = b"0123456789abcdefABCDEF"
_UPPER_HEX = "0123456789ABCDEF"


class UrlError(Exception):
    """An error of url.Parse; str() is Go's message."""


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


def _should_escape(c: int, mode: int) -> bool:
    if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A or 0x30 <= c <= 0x39:
        return False
    char = chr(c)
    if mode in (HOST, ZONE) and char in "!$&'()*+,;=:[]<>\"":
        return False
    if char in "-_.~":
        return False
    if char in "$&+,/:;=?@":
        if mode == PATH:
            return char == "?"
        if mode == PATH_SEGMENT:
            return char in "/;,?"
        if mode == USER_PASSWORD:
            return char in "@/?:"
        if mode == QUERY_COMPONENT:
            return True
        if mode == FRAGMENT:
            return False
    return not (mode == FRAGMENT and char in "!()*")


def escape(data: bytes, mode: int) -> bytes:
    out = bytearray()
    for c in data:
        if c == 0x20 and mode == QUERY_COMPONENT:
            out.append(0x2B)
        elif _should_escape(c, mode):
            out += f"%{_UPPER_HEX[c >> 4]}{_UPPER_HEX[c & 15]}".encode()
        else:
            out.append(c)
    return bytes(out)


def unescape(data: bytes, mode: int) -> bytes:
    """url.unescape; raises UrlError for a bad %-escape or (in hosts) a bad character."""
    i = 0
    while i < len(data):
        c = data[i]
        if c == 0x25:
            if i + 2 >= len(data) or data[i + 1] not in _HEX or data[i + 2] not in _HEX:
                raise UrlError(f"invalid URL escape {quote(_text(data[i : i + 3]))}")
            value = int(data[i + 1 : i + 3], 16)
            if mode == HOST and value < 0x80 and data[i : i + 3] != b"%25":
                raise UrlError(f"invalid URL escape {quote(_text(data[i : i + 3]))}")
            if mode == ZONE and data[i : i + 3] != b"%25" and value != 0x20 and _should_escape(value, HOST):
                raise UrlError(f"invalid URL escape {quote(_text(data[i : i + 3]))}")
            i += 3
        else:
            if mode in (HOST, ZONE) and c < 0x80 and _should_escape(c, mode):
                raise UrlError(f"invalid character {quote(chr(c))} in host name")
            i += 1
    out = bytearray()
    i = 0
    while i < len(data):
        c = data[i]
        if c == 0x25:
            out.append(int(data[i + 1 : i + 3], 16))
            i += 3
            continue
        out.append(0x20 if c == 0x2B and mode == QUERY_COMPONENT else c)
        i += 1
    return bytes(out)


@record
class Userinfo:
    """Go's url.Userinfo."""

    username: bytes
    password: bytes = b""
    password_set: bool = False

    def text(self) -> str:
        out = escape(self.username, USER_PASSWORD)
        if self.password_set:
            out += b":" + escape(self.password, USER_PASSWORD)
        return _text(out)


@record
class URL:
    """Go's url.URL (raw bytes: Go strings need not be UTF-8)."""

    scheme: bytes = b""
    opaque: bytes = b""
    user: Userinfo | None = None
    host: bytes = b""
    path: bytes = b""
    raw_path: bytes = b""
    force_query: bool = False
    raw_query: bytes = b""
    fragment: bytes = b""
    raw_fragment: bytes = b""

    def escaped_path(self) -> bytes:
        if self.raw_path and _valid_encoded(self.raw_path, PATH):
            try:
                if unescape(self.raw_path, PATH) == self.path:
                    return self.raw_path
            except UrlError:
                pass
        if self.path == b"*":
            return b"*"
        return escape(self.path, PATH)

    def escaped_fragment(self) -> bytes:
        if self.raw_fragment and _valid_encoded(self.raw_fragment, FRAGMENT):
            try:
                if unescape(self.raw_fragment, FRAGMENT) == self.fragment:
                    return self.raw_fragment
            except UrlError:
                pass
        return escape(self.fragment, FRAGMENT)

    def text(self) -> str:
        """URL.String."""
        out = bytearray()
        if self.scheme:
            out += self.scheme + b":"
        if self.opaque:
            out += self.opaque
        else:
            if self.scheme or self.host or self.user is not None:
                if self.host or self.path or self.user is not None:
                    out += b"//"
                if self.user is not None:
                    out += go_bytes(self.user.text()) + b"@"
                if self.host:
                    out += escape(self.host, HOST)
            path = self.escaped_path()
            if path and path[:1] != b"/" and self.host:
                out += b"/"
            if not out and b":" in path.split(b"/", 1)[0]:
                out += b"./"
            out += path
        if self.force_query or self.raw_query:
            out += b"?" + self.raw_query
        if self.fragment:
            out += b"#" + self.escaped_fragment()
        return _text(bytes(out))


def _valid_encoded(data: bytes, mode: int) -> bool:
    return all(chr(c) in "!$&'()*+,;=:@[]%" or not _should_escape(c, mode) for c in data)


def _valid_optional_port(port: bytes) -> bool:
    return port == b"" or (port[:1] == b":" and all(0x30 <= c <= 0x39 for c in port[1:]))


def _get_scheme(raw: bytes) -> tuple[bytes, bytes]:
    for i, c in enumerate(raw):
        if 0x61 <= c <= 0x7A or 0x41 <= c <= 0x5A:
            continue
        if 0x30 <= c <= 0x39 or c in b"+-.":
            if i == 0:
                return b"", raw
            continue
        if c == 0x3A:
            if i == 0:
                raise UrlError("missing protocol scheme")
            return raw[:i], raw[i + 1 :]
        return b"", raw
    return b"", raw


def _parse_host(host: bytes) -> bytes:
    if host.startswith(b"["):
        end = host.rfind(b"]")
        if end < 0:
            raise UrlError("missing ']' in host")
        colon_port = host[end + 1 :]
        if not _valid_optional_port(colon_port):
            raise UrlError(f"invalid port {quote(_text(colon_port))} after host")
        zone = host[:end].find(b"%25")
        if zone >= 0:
            return unescape(host[:zone], HOST) + unescape(host[zone:end], ZONE) + unescape(host[end:], HOST)
    else:
        colon = host.rfind(b":")
        if colon != -1 and not _valid_optional_port(host[colon:]):
            raise UrlError(f"invalid port {quote(_text(host[colon:]))} after host")
    return unescape(host, HOST)


_USERINFO_CHARS = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._:~!$&'()*+,;=%@"
)


def _parse_authority(authority: bytes) -> tuple[Userinfo | None, bytes]:
    at = authority.rfind(b"@")
    host = _parse_host(authority[at + 1 :] if at >= 0 else authority)
    if at < 0:
        return None, host
    userinfo = authority[:at]
    if not all(c in _USERINFO_CHARS for c in userinfo):
        raise UrlError("net/url: invalid userinfo")
    if b":" not in userinfo:
        return Userinfo(unescape(userinfo, USER_PASSWORD)), host
    username, _, password = userinfo.partition(b":")
    return Userinfo(unescape(username, USER_PASSWORD), unescape(password, USER_PASSWORD), True), host


def _parse(raw: bytes) -> URL:
    if any(c < 0x20 or c == 0x7F for c in raw):
        raise UrlError("net/url: invalid control character in URL")
    url = URL()
    if raw == b"*":
        url.path = b"*"
        return url
    scheme, rest = _get_scheme(raw)
    url.scheme = scheme.lower()
    if rest.endswith(b"?") and rest.count(b"?") == 1:
        url.force_query, rest = True, rest[:-1]
    else:
        rest, _, url.raw_query = rest.partition(b"?")
    if not rest.startswith(b"/"):
        if url.scheme:
            url.opaque = rest
            return url
        if b":" in rest.split(b"/", 1)[0]:
            raise UrlError("first path segment in URL cannot contain colon")
    if (url.scheme or not rest.startswith(b"///")) and rest.startswith(b"//"):
        authority, slash, remainder = rest[2:].partition(b"/")
        rest = slash + remainder
        url.user, url.host = _parse_authority(authority)
    url.path = unescape(rest, PATH)
    url.raw_path = b"" if escape(url.path, PATH) == rest else rest
    return url


def parse(raw_url: str) -> URL:
    """url.Parse; raises UrlError with Go's `parse "<url>": <reason>` message."""
    raw = go_bytes(raw_url)
    head, _, fragment = raw.partition(b"#")
    try:
        url = _parse(head)
    except UrlError as err:
        raise UrlError(f"parse {quote(_text(head))}: {err}") from None
    if fragment:
        try:
            url.fragment = unescape(fragment, FRAGMENT)
        except UrlError as err:
            raise UrlError(f"parse {quote(raw_url)}: {err}") from None
        url.raw_fragment = b"" if escape(url.fragment, FRAGMENT) == fragment else fragment
    return url


def hostname(host: bytes) -> str:
    """URL.Hostname: the host without a valid :port, and without IPv6 brackets."""
    colon = host.rfind(b":")
    if colon != -1 and _valid_optional_port(host[colon:]):
        host = host[:colon]
    if host.startswith(b"[") and host.endswith(b"]"):
        host = host[1:-1]
    return _text(host)
