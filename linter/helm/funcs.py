"""The functions Helm's engine adds or overrides (pkg/engine/engine.go initFunMap, funcs.go), except
include, tpl and the serialisers.

`required` and `fail` return errors wrapped in HELM_ERR_START/HELM_ERR_END; Helm's cleanupExecError
turns an exec error carrying those markers into `execution error at (<file:line:col>): <msg>`.
Under `helm template` the engine has no cluster client, so `lookup` keeps the placeholder from
funcs.go that returns an empty map, and DNS is disabled, so `getHostByName` returns "".
"""

from __future__ import annotations

import re
from typing import Any

from chartfix.go.sprig.base import FuncTable, register
from chartfix.go.types import GoFuncError

FUNCS: FuncTable = {}

WARN_START = "HELM_ERR_START"
WARN_END = "HELM_ERR_END"
# engine.go warnRegex: the message between the markers (greedy, across lines).
WARN_PATTERN = re.compile(f"{WARN_START}(.*){WARN_END}", re.DOTALL)


def warn_wrap(message: str) -> str:
    return WARN_START + message + WARN_END


@register(FUNCS, "required", "string", "interface {}", returns_error=True)
def required(message: str, value: Any) -> Any:
    if value is None or value == "" and isinstance(value, str):
        raise GoFuncError(warn_wrap(message))
    return value


@register(FUNCS, "fail", "string", returns_error=True)
def fail(message: str) -> str:
    raise GoFuncError(warn_wrap(message))


@register(FUNCS, "lookup", "string", "string", "string", "string", returns_error=True)
def lookup(api_version: str, kind: str, namespace: str, name: str) -> dict[str, Any]:
    return {}


@register(FUNCS, "getHostByName", "string")
def get_host_by_name(name: str) -> str:
    return ""
