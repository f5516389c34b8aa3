"""Shared fixtures: the real Helm binaries, the chart corpus, and the end-of-run corpus report.

A missing Helm binary or corpus skips the tests that need it, says so loudly at the end (what, how
many, why, how to fix it) and fails the run unless CHARTFIX_ALLOW_SKIP=1; under CI=true each such
test is an error, so that CI can never pass by skipping the differential tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helm import (
    ALLOW_SKIP,
    DEFAULT_CORPUS_DIR,
    MISSING_REQUIREMENTS,
    CorpusReport,
    helm_binary_path,
    helm_problem,
    require,
)

_REPORT_KEY = pytest.StashKey[CorpusReport]()


def _helm(major: int) -> Path:
    problem = helm_problem(major)
    if problem:
        require(problem)
    return helm_binary_path(major)


@pytest.fixture(scope="session")
def helm3() -> Path:
    return _helm(3)


@pytest.fixture(scope="session")
def helm4() -> Path:
    return _helm(4)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not DEFAULT_CORPUS_DIR.is_dir():
        require(f"chart corpus not found at {DEFAULT_CORPUS_DIR} (expected ../shared/corpus/charts)")
    return DEFAULT_CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_report(request: pytest.FixtureRequest) -> CorpusReport:
    return request.config.stash[_REPORT_KEY]


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_REPORT_KEY] = CorpusReport()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if MISSING_REQUIREMENTS and not ALLOW_SKIP and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if MISSING_REQUIREMENTS:
        total = sum(MISSING_REQUIREMENTS.values())
        terminalreporter.section(f"{total} TESTS SKIPPED: their requirements are missing", sep="!", red=True)
        for reason, count in sorted(MISSING_REQUIREMENTS.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{count:6d} x {reason}")
        terminalreporter.write_line(
            "Install them with `bash .ci/run` (Helm into .cache/helm; the corpus is ../shared/corpus)."
        )
        if ALLOW_SKIP:
            terminalreporter.write_line("CHARTFIX_ALLOW_SKIP=1: the run passes without them.")
        else:
            terminalreporter.write_line(
                "This run FAILS because of them; set CHARTFIX_ALLOW_SKIP=1 to pass without them.", red=True
            )
    lines = config.stash[_REPORT_KEY].summary_lines()
    if lines:
        terminalreporter.section("chartfix vs real Helm on the corpus")
        for line in lines:
            terminalreporter.write_line(line)
