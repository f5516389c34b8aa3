"""Suppressions: ignores written next to the code (object annotations, template comments), ignores
from the configuration file, and the baseline. A suppressed finding is kept (reports show it as
suppressed) but never counts for the exit code.

- annotation on the object: `chartfix.io/ignore: "CF1001,CF1006 -- why"` (the reason is required);
- template comment above a document: `{{/* chartfix:ignore CF1001 reason="why" until=2026-12-31 */}}`,
  valid through `until`; afterwards the finding is reported again with a note that the ignore expired.

An ignore without a reason (or with a bad date or an unknown rule) is not honoured and is reported
as a finding of the tool's own rule CF0001.
"""

from __future__ import annotations

import datetime
import os
import re
import tarfile
from typing import TYPE_CHECKING

from chartfix.errors import Position
from chartfix.records import record
from chartfix.rules import catalog
from chartfix.rules.finding import Finding

if TYPE_CHECKING:
    from chartfix.analysis.objects import KubeObject
    from chartfix.findings.lint import ChartReport
    from chartfix.rules import RuleMeta

IGNORE_ANNOTATION = "chartfix.io/ignore"
INVALID_IGNORE_RULE = "CF0001"

_COMMENT = re.compile(r"\{\{-?\s*/\*\s*chartfix:ignore\b(?P<body>.*?)\*/\s*-?\}\}", re.DOTALL)
_COMMENT_OPTION = re.compile(r"""(?P<key>[a-z]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))""")
_SEPARATOR = re.compile(r"^---(\s|$)")
_COMMENT_LINE = re.compile(r"^\s*(\{\{-?\s*/\*.*?\*/\s*-?\}\}\s*)*$")
_TEMPLATE_PATH = re.compile(r"^(charts/[^/]+/)*templates/")


@record(frozen=True)
class Suppression:
    """Why a finding is not reported: `source` is annotation | template-comment | config | baseline."""

    source: str
    justification: str
    location: str  # where the ignore is written, e.g. "templates/a.yaml:3" or ".chartfix.yaml:12"

    @property
    def in_source(self) -> bool:
        return self.source in ("annotation", "template-comment")


@record
class SuppressedFinding:
    """A finding that an ignore or the baseline covers, with what covers it."""

    finding: Finding
    suppression: Suppression


def all_rules() -> tuple[RuleMeta, ...]:
    """Every rule a report can mention (the catalog's, CF0001 for bad ignores included)."""

    return tuple(catalog().values())


def resolve_rule(name: str) -> str | None:
    """A rule id from an id (any case) or a slug; None when unknown."""
    for rule in all_rules():
        if name.upper() == rule.id or name == rule.slug:
            return rule.id
    return None


@record(frozen=True)
class _Ignore:
    """An ignore annotation or template comment, read from the chart."""

    rules: frozenset[str]
    reason: str
    until: datetime.date | None
    location: Position


def apply_inline_ignores(report: ChartReport, today: datetime.date | None = None) -> None:
    """Move the report's findings covered by annotations or template comments to `report.suppressed`;
    add CF0001 findings for ignores that cannot be honoured and notes for expired ones."""
    today = today or datetime.date.today()
    sources = _SourceReader(report.chart)
    problems: dict[tuple, Finding] = {}
    kept: list[Finding] = []
    for finding in report.findings:
        suppression = _annotation_ignore(report, finding, problems) or _comment_ignore(
            report, finding, sources, today, problems
        )
        if suppression is None:
            kept.append(finding)
        else:
            report.suppressed.append(SuppressedFinding(finding, suppression))
    _check_every_ignore(report, sources, problems)
    report.findings = sorted([*kept, *problems.values()], key=Finding.sort_key)


def _check_every_ignore(report: ChartReport, sources: _SourceReader, problems: dict[tuple, Finding]) -> None:
    """Report bad ignores also where no finding led us (an object or document without findings)."""
    for context in report.contexts:
        for obj in context.model.objects:
            if IGNORE_ANNOTATION in obj.annotations:
                _parse_annotation(str(obj.annotations[IGNORE_ANNOTATION]), obj, report, problems)
    for relative in sources.template_files():
        text = sources.read(relative) or ""
        if "chartfix:ignore" not in text:
            continue
        for match in _COMMENT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            _parse_comment(match.group("body"), Position(relative, line, 1), report, problems)


def _annotation_ignore(
    report: ChartReport, finding: Finding, problems: dict[tuple, Finding]
) -> Suppression | None:
    if not finding.subject:
        return None
    for context in report.contexts:
        if context.scenario != finding.scenario:
            continue
        for obj in context.model.objects:
            if obj.ref() != finding.subject or IGNORE_ANNOTATION not in obj.annotations:
                continue
            ignore = _parse_annotation(str(obj.annotations[IGNORE_ANNOTATION]), obj, report, problems)
            if ignore is not None and finding.rule_id in ignore.rules:
                return Suppression("annotation", ignore.reason, str(obj.position))
    return None


def _parse_annotation(
    text: str, obj: KubeObject, report: ChartReport, problems: dict[tuple, Finding]
) -> _Ignore | None:
    ids_text, separator, reason = text.partition("--")
    rules, unknown = _parse_rule_list(ids_text)
    problem = None
    if not separator or not reason.strip():
        problem = f'{IGNORE_ANNOTATION} "{text}" has no reason; write "<id>[,<id>] -- <reason>"'
    elif unknown or not rules:
        problem = f"{IGNORE_ANNOTATION} names unknown rule(s): {', '.join(unknown) or '(none)'}"
    if problem is not None:
        _add_problem(report, problems, problem, obj.position, obj.ref())
        return None
    return _Ignore(rules, reason.strip(), None, obj.position)


def _comment_ignore(
    report: ChartReport,
    finding: Finding,
    sources: _SourceReader,
    today: datetime.date,
    problems: dict[tuple, Finding],
) -> Suppression | None:
    if finding.position.line < 1:
        return None
    text = sources.read(finding.position.file)
    if text is None:
        return None
    lines = text.split("\n")
    end = min(finding.position.line, len(lines))
    start = end
    while start > 1 and not _SEPARATOR.match(lines[start - 2]):
        start -= 1
    if start > 1:  # comments written just above the `---` that opens the document count too
        above = start - 1
        while above > 1 and _COMMENT_LINE.match(lines[above - 2]):
            above -= 1
        start = above
    region = "\n".join(lines[start - 1 : end])
    for match in _COMMENT.finditer(region):
        line = start + region.count("\n", 0, match.start())
        ignore = _parse_comment(
            match.group("body"), Position(finding.position.file, line, 1), report, problems
        )
        if ignore is None or finding.rule_id not in ignore.rules:
            continue
        if ignore.until is not None and today > ignore.until:
            note = f"the ignore at {ignore.location} expired on {ignore.until.isoformat()} ({ignore.reason})"
            notes = report.notes.setdefault(finding.fingerprint(), [])
            if note not in notes:
                notes.append(note)
            continue
        return Suppression("template-comment", ignore.reason, str(ignore.location))
    return None


def _parse_comment(
    body: str, position: Position, report: ChartReport, problems: dict[tuple, Finding]
) -> _Ignore | None:
    options = {
        m.group("key"): m.group("dq") or m.group("sq") or m.group("bare") or ""
        for m in _COMMENT_OPTION.finditer(body)
    }
    rules, unknown = _parse_rule_list(_COMMENT_OPTION.sub(" ", body))
    reason = options.get("reason", "").strip()
    problem = None
    until = None
    if "until" in options:
        try:
            until = datetime.date.fromisoformat(options["until"])
        except ValueError:
            problem = f"chartfix:ignore has a bad date until={options['until']} (expected YYYY-MM-DD)"
    if not reason:
        problem = 'chartfix:ignore has no reason; write reason="..."'
    elif unknown or not rules:
        problem = f"chartfix:ignore names unknown rule(s): {', '.join(unknown) or '(none)'}"
    elif set(options) - {"reason", "until"}:
        problem = (
            f"chartfix:ignore has unknown option(s): {', '.join(sorted(set(options) - {'reason', 'until'}))}"
        )
    if problem is not None:
        _add_problem(report, problems, problem, position)
        return None
    return _Ignore(rules, reason, until, position)


def _parse_rule_list(text: str) -> tuple[frozenset[str], list[str]]:
    rules, unknown = set(), []
    for name in re.split(r"[\s,]+", text.strip()):
        if not name:
            continue
        rule_id = resolve_rule(name)
        if rule_id is None:
            unknown.append(name)
        else:
            rules.add(rule_id)
    return frozenset(rules), unknown


def _add_problem(
    report: ChartReport, problems: dict[tuple, Finding], message: str, position: Position, subject: str = ""
) -> None:

    meta = catalog()[INVALID_IGNORE_RULE]
    problems.setdefault(
        (position, message),
        Finding(
            rule_id=meta.id,
            slug=meta.slug,
            severity=meta.severity,
            message=message,
            position=position,
            chart=report.chart,
            fix=meta.fix,
            subject=subject,
        ),
    )


class _SourceReader:
    """Chart-relative files of a chart folder or .tgz archive, read once each."""

    def __init__(self, chart: str) -> None:
        self.chart = chart
        self._cache: dict[str, str | None] = {}
        self._archive: dict[str, bytes] | None = None

    def read(self, relative: str) -> str | None:
        if relative not in self._cache:
            data = self._read_bytes(relative)
            self._cache[relative] = None if data is None else data.decode("utf-8", errors="replace")
        return self._cache[relative]

    def template_files(self) -> list[str]:
        """Chart-relative paths of the chart's and its unpacked subcharts' templates."""
        if not os.path.isdir(self.chart):
            if self._archive is None:
                self._archive = _archive_members(self.chart)
            return sorted(name for name in self._archive if _is_template_path(name))
        found = []
        for folder, _, files in os.walk(self.chart):
            for name in files:
                relative = os.path.relpath(os.path.join(folder, name), self.chart).replace(os.sep, "/")
                if _is_template_path(relative):
                    found.append(relative)
        return sorted(found)

    def _read_bytes(self, relative: str) -> bytes | None:
        if os.path.isdir(self.chart):
            try:
                with open(os.path.join(self.chart, relative), "rb") as handle:
                    return handle.read()
            except OSError:
                return None
        if self._archive is None:
            self._archive = _archive_members(self.chart)
        return self._archive.get(relative)


def _is_template_path(relative: str) -> bool:
    """templates/... of the chart or of a subchart (charts/<name>/templates/..., at any depth)."""
    return _TEMPLATE_PATH.match(relative) is not None


def _archive_members(path: str) -> dict[str, bytes]:
    """Files of a chart archive by chart-relative path (the archive's top folder stripped)."""
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if not member.isfile() or "/" not in member.name:
                    continue
                handle = archive.extractfile(member)
                if handle is not None:
                    members[member.name.split("/", 1)[1]] = handle.read()
    except (OSError, tarfile.TarError):
        return {}
    return members
