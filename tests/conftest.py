"""Shared fixtures: the real Helm binaries, the chart corpus, and the end-of-run corpus report.

A missing Helm binary or corpus skips the tests that need it, except when CI=true: there it is an
error, so that CI can never pass by skipping the differential tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helm import DEFAULT_CORPUS_DIR, CorpusReport, helm_binary_path, helm_problem, require

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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash[_REPORT_KEY].summary_lines()
    if lines:
        terminalreporter.section("chartfix vs real Helm on the corpus")
        for line in lines:
            terminalreporter.write_line(line)
