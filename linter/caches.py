"""Caches of what one chart's scenarios share (a document parsed by `fromYaml` in every scenario, the
heads of its CRD files, schema reports), emptied after each chart of a batch by
`release_chart_caches()`: nothing a chart's renders produced outlives its report, and the garbage
collector's sweep after the chart does not scan it. Caches that pay off across charts (parsed
template texts of vendored library charts, values files) stay module-level and bounded."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

_Function = TypeVar("_Function", bound=Callable[..., Any])
_CLEARS: list[Callable[[], None]] = []


def chart_cache(maxsize: int) -> Callable[[_Function], _Function]:
    """functools.lru_cache(maxsize=maxsize), emptied by release_chart_caches()."""

    def decorate(function: _Function) -> _Function:
        cached = lru_cache(maxsize=maxsize)(function)
        _CLEARS.append(cached.cache_clear)
        return cached  # type: ignore[return-value]

    return decorate


def release_chart_caches() -> None:
    for clear in _CLEARS:
        clear()
