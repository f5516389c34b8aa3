"""The template function library: Sprig v3.3.0's TxtFuncMap as Helm installs it, plus Helm's own
functions (pkg/engine/funcs.go, engine.go), except the engine-bound `include` and `tpl`.

Helm's map is Sprig's minus `env` and `expandenv`, plus the serialisers (chartfix.funcs.serialize),
`required`, `fail`, `lookup`, and `getHostByName` overridden to return "" (DNS is off by default).
"""

from __future__ import annotations

from chartfix.go.sprig import (
    crypto,
    dates,
    defaults,
    dicts,
    encoding,
    lists,
    numeric,
    paths,
    regex,
    semver,
    strings,
    textcase,
)
from chartfix.go.types import GoFunc
from chartfix.helm import funcs as helm
from chartfix.helm import serialize

_SPRIG_TABLES = (
    strings.FUNCS,
    textcase.FUNCS,
    encoding.FUNCS,
    lists.FUNCS,
    dicts.FUNCS,
    defaults.FUNCS,
    numeric.FUNCS,
    regex.FUNCS,
    dates.FUNCS,
    crypto.FUNCS,
    paths.FUNCS,
)
_cache: dict[int, dict[str, GoFunc]] = {}


def _serialize_funcs(helm_major: int) -> dict[str, GoFunc]:
    return dict(serialize.SERIALIZE_FUNCS_HELM3 if helm_major == 3 else serialize.SERIALIZE_FUNCS_HELM4)


def function_map(helm_major: int = 4) -> dict[str, GoFunc]:
    """Every function a Helm template can call, except include and tpl, keyed by name.

    helm_major selects the differences between Helm 3.17 and 4.1: semver v3.3.0 vs v3.4.0 rules,
    Sprig's error-returning mustToJson vs Helm 4's panicking one, and Helm 4's mustToYaml.
    A fresh dict is returned on each call; the GoFunc values are shared.
    """
    if helm_major not in _cache:
        table: dict[str, GoFunc] = {}
        for each in _SPRIG_TABLES:
            table.update(each)
        table.update(semver.FUNCS_HELM3 if helm_major == 3 else semver.FUNCS_HELM4)
        table.update(_serialize_funcs(helm_major))
        table.update(helm.FUNCS)
        _cache[helm_major] = table
    return dict(_cache[helm_major])
