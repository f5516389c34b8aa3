"""Sprig's `semver` and `semverCompare` (Masterminds/semver v3.3.0 for Helm 3, v3.4.0 for Helm 4;
the semantics live in chartfix.go.semver)."""

from __future__ import annotations

from chartfix.go.semver import SemverError, Version, check_constraints, new_version
from chartfix.go.sprig.base import FuncTable, register
from chartfix.go.types import GoFuncError


def semver_funcs(modern: bool) -> FuncTable:
    """semverCompare and semver for semver v3.4.0 (`modern`, Helm 4) or v3.3.0 (Helm 3)."""
    table: FuncTable = {}

    @register(table, "semverCompare", "string", "string", returns_error=True)
    def semver_compare(constraint: str, version: str) -> bool:
        try:
            return check_constraints(constraint, version, modern)
        except SemverError as err:
            raise GoFuncError(str(err)) from None

    @register(table, "semver", "string", returns_error=True)
    def semver(version: str) -> Version:
        try:
            return new_version(version, modern)
        except SemverError as err:
            raise GoFuncError(str(err)) from None

    return table


FUNCS_HELM3 = semver_funcs(modern=False)
FUNCS_HELM4 = semver_funcs(modern=True)
