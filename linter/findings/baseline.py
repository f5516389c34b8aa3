"""Baselines: `--write-baseline FILE` records the current findings by fingerprint; `--baseline FILE`
suppresses the recorded ones so that only new findings are reported.

A finding is identified by its fingerprint (rule, chart-relative file, subject, message: stable when
lines move) and its chart's path relative to the baseline file's folder.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from chartfix import __version__
from chartfix.errors import ChartfixError, Position
from chartfix.findings.suppress import SuppressedFinding, Suppression
from chartfix.records import record

if TYPE_CHECKING:
    from chartfix.findings.lint import ChartReport

BASELINE_VERSION = 1


def _chart_key(chart: str, folder: str) -> str:
    return os.path.relpath(os.path.abspath(chart), folder).replace(os.sep, "/")


def _recordable(report: ChartReport) -> list:
    """The reported findings plus those an earlier baseline suppressed, so that rewriting a baseline
    while using it keeps its entries (and drops the fixed ones)."""
    again = [s.finding for s in report.suppressed if s.suppression.source == "baseline"]
    return [*report.findings, *again]


def write_baseline(path: str, reports: list[ChartReport]) -> int:
    """Write every reported (unsuppressed) finding; returns how many."""
    folder = os.path.dirname(os.path.abspath(path))
    entries = sorted(
        {
            (_chart_key(report.chart, folder), finding.fingerprint()): {
                "chart": _chart_key(report.chart, folder),
                "fingerprint": finding.fingerprint(),
                "ruleId": finding.rule_id,
                "file": finding.position.file,
                "message": finding.message,
            }
            for report in reports
            for finding in _recordable(report)
        }.items()
    )
    document = {
        "version": BASELINE_VERSION,
        "tool": {"name": "chartfix", "version": __version__},
        "findings": [entry for _, entry in entries],
    }
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        raise ChartfixError(f"cannot write baseline: {error.strerror}", Position(path)) from error
    return len(entries)


@record(frozen=True)
class Baseline:
    """The findings recorded in a baseline file, by chart and fingerprint."""

    path: str
    keys: frozenset[tuple[str, str]]  # (chart key, fingerprint)

    def apply(self, report: ChartReport) -> None:
        """Move the report's findings recorded in the baseline to `report.suppressed`."""
        folder = os.path.dirname(os.path.abspath(self.path))
        chart = _chart_key(report.chart, folder)
        kept = []
        for finding in report.findings:
            if (chart, finding.fingerprint()) in self.keys:
                suppression = Suppression("baseline", "recorded in the baseline", self.path)
                report.suppressed.append(SuppressedFinding(finding, suppression))
            else:
                kept.append(finding)
        report.findings = kept


def read_baseline(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except OSError as error:
        raise ChartfixError(f"cannot read baseline: {error.strerror}", Position(path)) from error
    except json.JSONDecodeError as error:
        raise ChartfixError(
            f"baseline is not JSON: {error.msg}", Position(path, error.lineno, error.colno)
        ) from error
    entries = document.get("findings") if isinstance(document, dict) else None
    version = document.get("version") if isinstance(document, dict) else None
    if (
        version != BASELINE_VERSION
        or not isinstance(entries, list)
        or not all(
            isinstance(e, dict) and isinstance(e.get("chart"), str) and isinstance(e.get("fingerprint"), str)
            for e in entries
        )
    ):
        raise ChartfixError(
            f"not a chartfix baseline (version {BASELINE_VERSION} with findings[].chart/fingerprint)",
            Position(path),
        )
    return Baseline(path, frozenset((e["chart"], e["fingerprint"]) for e in entries))
