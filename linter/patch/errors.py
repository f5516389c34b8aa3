"""Errors of `chartfix patch`: nothing is written when one is raised."""

from __future__ import annotations

from chartfix.errors import ChartfixError


class PatchError(ChartfixError):
    """The patcher cannot handle this chart; nothing is written."""


class NoMechanicalFix(PatchError):
    """A selected finding has no safe mechanical fix: nothing is written (never a half fix)."""
