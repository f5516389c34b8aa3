"""Sprig's path functions (Go's path and path/filepath, from chartfix.go.path) and sprig's url.go."""

from __future__ import annotations

from typing import Any

from chartfix.go import neturl
from chartfix.go.path import base, clean, dirname, ext, is_abs
from chartfix.go.sprig.base import NIL_DEREFERENCE, FuncTable, go_kind, register
from chartfix.go.types import GoPanic
from chartfix.go.unicode import go_bytes

FUNCS: FuncTable = {}


for _name, _impl in (("base", base), ("dir", dirname), ("clean", clean), ("ext", ext), ("isAbs", is_abs)):
    register(FUNCS, _name, "string")(_impl)
    register(FUNCS, "os" + _name[0].upper() + _name[1:], "string")(_impl)


# --- URLs (sprig's url.go over chartfix.funcs.neturl) ----------------------------------------------


@register(FUNCS, "urlParse", "string")
def url_parse(raw: str) -> dict[str, Any]:
    try:
        url = neturl.parse(raw)
    except neturl.UrlError as err:
        raise GoPanic(f"unable to parse url: {err}") from None
    return {
        "scheme": _text(url.scheme),
        "host": _text(url.host),
        "hostname": neturl.hostname(url.host),
        "path": _text(url.path),
        "query": _text(url.raw_query),
        "opaque": _text(url.opaque),
        "fragment": _text(url.fragment),
        "userinfo": url.user.text() if url.user is not None else "",
    }


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="surrogateescape")


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
    url = neturl.URL(
        scheme=go_bytes(_dict_get_or_empty(parts, "scheme")),
        host=go_bytes(_dict_get_or_empty(parts, "host")),
        path=go_bytes(_dict_get_or_empty(parts, "path")),
        raw_query=go_bytes(_dict_get_or_empty(parts, "query")),
        opaque=go_bytes(_dict_get_or_empty(parts, "opaque")),
        fragment=go_bytes(_dict_get_or_empty(parts, "fragment")),
    )
    userinfo = _dict_get_or_empty(parts, "userinfo")
    if userinfo:
        try:
            url.user = neturl.parse(f"proto://{userinfo}@host").user
        except neturl.UrlError as err:
            raise GoPanic(f"unable to parse userinfo in dict: {err}") from None
    return url.text()
