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
    from chartfix.cli.batch import _lint_one_collecting
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
            len(schema_check._REPORTS),
        )

    report = _lint_one_collecting(str(folder), LintSettings(use_config=False), sweep=False)
    assert report.error is None and all(sizes())
    _lint_one_collecting(str(folder), LintSettings(use_config=False))
    assert sizes() == (0, 0, 0)
