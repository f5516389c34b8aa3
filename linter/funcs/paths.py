"""Go's path and path/filepath functions (Linux flavour) and sprig's url.go."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from chartfix.funcs._base import NIL_DEREFERENCE, FuncTable, go_kind, register
from chartfix.gotypes import GoPanic

FUNCS: FuncTable = {}


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


for _name, _impl in (("base", base), ("dir", dirname), ("clean", clean), ("ext", ext), ("isAbs", is_abs)):
    register(FUNCS, _name, "string")(_impl)
    register(FUNCS, "os" + _name[0].upper() + _name[1:], "string")(_impl)


# --- URLs (net/url, approximated with urllib for escaping) -------------------------------------------


def _split_scheme(raw: str) -> tuple[str, str]:
    for i, char in enumerate(raw):
        if char.isascii() and char.isalpha():
            continue
        if i > 0 and (char.isdigit() or char in "+-."):
            continue
        if char == ":" and i > 0:
            return raw[:i].lower(), raw[i + 1 :]
        break
    return "", raw


@register(FUNCS, "urlParse", "string")
def url_parse(raw: str) -> dict[str, Any]:
    rest, _, fragment = raw.partition("#")
    scheme, rest = _split_scheme(rest)
    rest, _, query = rest.partition("?")
    opaque = host = userinfo = ""
    if scheme and not rest.startswith("/"):
        opaque, path = rest, ""
    else:
        path = rest
        if rest.startswith("//") and (scheme or not rest.startswith("///")):
            authority, slash, remainder = rest[2:].partition("/")
            path = slash + remainder
            userinfo, at, host_part = authority.rpartition("@")
            host = host_part
            userinfo = userinfo if at else ""
    hostname = host
    if hostname.startswith("["):
        hostname = hostname[1 : hostname.find("]")] if "]" in hostname else hostname[1:]
    elif ":" in hostname:
        hostname = hostname[: hostname.rfind(":")]
    return {
        "scheme": scheme,
        "host": host,
        "hostname": hostname,
        "path": unquote(path),
        "query": query,
        "opaque": opaque,
        "fragment": unquote(fragment),
        "userinfo": userinfo,
    }


def _dict_get_or_empty(mapping: dict[str, Any] | None, key: str) -> str:
    if mapping is None or key not in mapping:
        return ""
    value = mapping[key]
    if value is None:
        raise GoPanic(NIL_DEREFERENCE)
    if not isinstance(value, str):
        raise GoPanic(f"unable to parse {key} key, must be of type string, but {go_kind(value)} found")
    return value


@register(FUNCS, "urlJoin", "map[string]interface {}")
def url_join(parts: dict[str, Any] | None) -> str:
    scheme = _dict_get_or_empty(parts, "scheme")
    host = _dict_get_or_empty(parts, "host")
    path = _dict_get_or_empty(parts, "path")
    query = _dict_get_or_empty(parts, "query")
    opaque = _dict_get_or_empty(parts, "opaque")
    fragment = _dict_get_or_empty(parts, "fragment")
    userinfo = _dict_get_or_empty(parts, "userinfo")
    out = scheme + ":" if scheme else ""
    if opaque:
        out += opaque
    else:
        if scheme or host or userinfo:
            if host or path or userinfo:
                out += "//"
            if userinfo:
                out += quote(userinfo, safe="!$&'()*+,;=:%") + "@"
            out += host
        escaped_path = quote(path, safe="/$&+,:;=@")
        if escaped_path and not escaped_path.startswith("/") and host:
            out += "/"
        if not out and ":" in escaped_path.split("/", 1)[0]:
            out += "./"
        out += escaped_path
    if query:
        out += "?" + query
    if fragment:
        out += "#" + quote(fragment, safe="/$&+,:;=@?!()*")
    return out
