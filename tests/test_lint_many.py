"""`chartfix lint PATH...` over many charts: which charts the paths mean, --jobs, broken charts."""

from __future__ import annotations

import tarfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from typer.testing import CliRunner

from chartfix.cli.app import app
from chartfix.cli.batch import LintSettings, collect_charts, lint_many
from chartfix.errors import ChartfixError
from chartfix.reports.formats import render, render_json

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def chart(folder: Path) -> Path:
    (folder / "templates").mkdir(parents=True)
    (folder / "Chart.yaml").write_text(f"apiVersion: v2\nname: {folder.name}\nversion: 0.1.0\n")
    (folder / "templates" / "cm.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    return folder


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    chart(tmp_path / "repo" / "charts" / "a")
    chart(tmp_path / "repo" / "charts" / "a" / "charts" / "sub")
    chart(tmp_path / "repo" / "deploy" / "b")
    chart(tmp_path / "repo" / ".git" / "c")
    (tmp_path / "repo" / "README.md").write_text("x")
    with tarfile.open(tmp_path / "d-0.1.0.tgz", "w:gz") as archive:
        archive.add(chart(tmp_path / "src" / "d"), arcname="d")
    return tmp_path


def test_folders_are_searched_and_subcharts_belong_to_their_parent(tree):
    assert collect_charts(["repo"]) == ["repo/charts/a", "repo/deploy/b"]


def test_files_map_to_their_top_chart_once(tree):
    paths = [
        "repo/charts/a/charts/sub/templates/cm.yaml",
        "repo/charts/a/Chart.yaml",
        "repo/README.md",
        "d-0.1.0.tgz",
        "repo/deploy/b",
        "repo/deploy/b/templates/cm.yaml",
    ]
    assert collect_charts(paths) == ["repo/charts/a", "d-0.1.0.tgz", "repo/deploy/b"]


def test_missing_paths_and_empty_folders_are_input_errors(tree):
    with pytest.raises(ChartfixError, match="no such file or folder"):
        collect_charts(["nowhere"])
    (tree / "empty").mkdir()
    with pytest.raises(ChartfixError, match="no chart"):
        collect_charts(["empty"])
    assert collect_charts(["repo/README.md"]) == []


def test_jobs_give_identical_results_in_input_order():
    charts = collect_charts([str(FIXTURES)])
    assert len(charts) >= 5
    settings = LintSettings(use_config=False)
    serial = lint_many(charts, settings, jobs=1)
    parallel = lint_many(list(reversed(charts)), settings, jobs=3)
    assert [r.chart for r in parallel] == list(reversed(charts))
    assert render_json(serial) == render_json(list(reversed(parallel)))
    assert render("sarif", serial) == render("sarif", list(reversed(parallel)))


def test_a_broken_chart_does_not_hide_the_others(tree):
    (tree / "repo" / "deploy" / "b" / "Chart.yaml").write_text("name: [\n")
    seen = []
    reports = lint_many(
        ["repo/charts/a", "repo/deploy/b"], LintSettings(), progress=lambda n, t, c: seen.append((n, t, c))
    )
    assert seen == [(1, 2, "repo/charts/a"), (2, 2, "repo/deploy/b")]
    assert reports[0].error is None and "Chart.yaml" in reports[1].error
    junit = ElementTree.fromstring(render("junit", reports))
    assert junit.get("errors") == "1"
    assert junit.find("testsuite[@name='repo/deploy/b']/testcase[@name='lint']/error") is not None
    result = CliRunner().invoke(app, ["lint", "repo", "--jobs", "2"])
    assert result.exit_code == 2
    assert "Error: repo/deploy/b: " in result.stderr
    assert "1 chart could not be linted" in result.stdout
    # off a terminal, progress is a plain line per chart; the error is said once (stderr)
    assert "[1/2] " in result.stderr and "[2/2] " in result.stderr and "\r" not in result.stderr
    assert "cannot lint" not in result.stdout


def test_a_chart_leaves_nothing_in_the_per_chart_caches(tmp_path):
    """After each chart of a batch its scenarios' caches are emptied: fromYaml trees, CRD heads and
    schema reports of one chart must not outlive its report."""
    from chartfix.analysis.objects import _crd_documents
    from chartfix.cli.batch import _sweep, lint_one
    from chartfix.go.yaml.parse import parse_first_document
    from chartfix.helm import schema_check

    folder = chart(tmp_path / "c")
    (folder / "crds").mkdir()
    (folder / "crds" / "crd.yaml").write_text(
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: xs.e.io}\n"
        "spec: {group: e.io, scope: Namespaced, names: {kind: X, plural: xs}, versions: []}\n"
    )
    (folder / "templates" / "from.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-yaml}\ndata: {n: {{ (fromYaml .Values.doc).n | quote }}}\n"
    )
    (folder / "values.yaml").write_text("doc: 'n: 1'\n")
    (folder / "values.schema.json").write_text('{"type": "object"}')

    def sizes() -> tuple[int, int, int]:
        return (
            parse_first_document.cache_info().currsize,
            _crd_documents.cache_info().currsize,
            schema_check._report.cache_info().currsize,
        )

    report = lint_one(str(folder), LintSettings(use_config=False))
    assert report.error is None and all(sizes())
    _sweep()
    assert sizes() == (0, 0, 0)


def _two_charts(tmp_path: Path) -> list[str]:
    return [str(chart(tmp_path / "a")), str(chart(tmp_path / "b"))]


class _NeedsTwoArguments(Exception):
    """Pickles, but does not unpickle: __init__ wants more than .args holds."""

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"{first} {second}")


@pytest.mark.parametrize(
    ("raised", "expected"),
    [(KeyError("k"), KeyError), (_NeedsTwoArguments("x", "y"), RuntimeError)],
)
def test_what_a_worker_raises_is_raised_with_its_traceback(tmp_path, monkeypatch, raised, expected):
    """A bug met in a worker stops the run as it would in one process, with the worker's traceback
    as the cause; an exception that cannot cross the pipe arrives as its text."""
    from chartfix.cli import batch

    charts = _two_charts(tmp_path)

    def lint_one(chart: str, settings: LintSettings):  # inherited by the forked workers
        if chart.endswith("b"):
            raise raised
        return real_lint_one(chart, settings)

    real_lint_one = batch.lint_one
    monkeypatch.setattr(batch, "lint_one", lint_one)
    with pytest.raises(expected) as caught:
        lint_many(charts, LintSettings(use_config=False), jobs=2)
    assert isinstance(caught.value.__cause__, batch.ChildTraceback)
    assert "in lint_one" in str(caught.value.__cause__)
    assert str(raised) in str(caught.value)


def test_a_worker_that_dies_gives_its_chart_an_error_and_the_others_their_reports(tmp_path, monkeypatch):
    import os
    import signal

    from chartfix.cli import batch

    charts = _two_charts(tmp_path)

    def lint_one(chart: str, settings: LintSettings):
        if chart.endswith("b"):
            os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does to a process out of memory
        return real_lint_one(chart, settings)

    real_lint_one = batch.lint_one
    monkeypatch.setattr(batch, "lint_one", lint_one)
    first, second = lint_many(charts, LintSettings(use_config=False), jobs=2)
    assert first.error is None and first.scenarios
    assert second.error == "its lint process ended without a report (signal 9)"
    assert second.fail_on == "error" and second.findings == []


def test_workers_retire_past_their_memory_budget_and_fresh_ones_take_over(monkeypatch):
    """With no budget every chart gets a fresh worker; with an unbounded one two workers lint them
    all. The reports are the same either way, and the same as in one process."""
    import multiprocessing.process

    from chartfix.cli import batch

    charts = collect_charts([str(FIXTURES)])
    settings = LintSettings(use_config=False)
    expected = render_json(lint_many(charts, settings, jobs=1))
    started = []
    real_start = multiprocessing.process.BaseProcess.start

    def start(process):  # type: ignore[no-untyped-def]
        started.append(process)
        real_start(process)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", start)
    for budget, workers in [(0, len(charts)), (1 << 40, 2)]:
        monkeypatch.setattr(batch, "_RETIRE_AT_BYTES", budget)
        started.clear()
        assert render_json(lint_many(charts, settings, jobs=2)) == expected
        assert len(started) == workers
        assert all(process.exitcode == 0 for process in started)


def test_ctrl_c_stops_every_worker_without_a_traceback(corpus_dir):
    """Ctrl-C reaches the whole process group: the run ends with 130, the main process stops the
    workers, and nobody prints a traceback."""
    import os
    import signal
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-c", "from chartfix.cli import main; main()", "lint", str(corpus_dir)]
        + ["--jobs", "2", "--format", "json", "--no-config"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a group of its own, as a terminal gives a command
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    first = process.stderr.readline()  # the first chart is reported: the workers are busy
    os.killpg(process.pid, signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait(timeout=60) == 130
    assert first.startswith("[1/")
    assert "Traceback" not in first + rest
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker left behind
