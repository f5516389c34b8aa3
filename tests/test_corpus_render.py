"""Differential test: chartfix renders every corpus chart and values variant as real Helm 3 and 4 do.

One case per (chart, variant, helm major): `helm template release-name <chart> --namespace default
[-f variant]` (output cached under .cache/helm-output) against chartfix's render_chart. Outputs are
compared document by document (helm.compare_outputs); values from nondeterministic template
functions are tolerated as documented in helm._LeafComparer. Where Helm fails, chartfix must fail
with the same error (helm.expected_error_parts documents the normalisation). Cases listed in
corpus_known_differences.yaml are xfail(strict=True). A results table is printed at the end of the
run (conftest.py). A second test checks that Helm 3 and Helm 4 agree except where documented.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import ModuleType

import pytest
from helm import (
    CRASH,
    DEFAULT_CORPUS_DIR,
    NAMESPACE,
    PASSING_OUTCOMES,
    RELEASE_NAME,
    CorpusReport,
    chart_nondeterminism,
    chartfix_outcome,
    corpus_cases,
    helm_binary_path,
    helm_problem,
    helm_versions_differences,
    load_known_differences,
    require,
    run_helm_template,
    values_files,
    warm_output_cache,
)

KNOWN = load_known_differences()
CASES = corpus_cases(DEFAULT_CORPUS_DIR) if DEFAULT_CORPUS_DIR.is_dir() else []
_MARKS = [pytest.mark.helm, pytest.mark.corpus]
_DIFFERENTIAL_TESTS = ("test_chartfix_renders_like_helm", "test_helm3_and_helm4_agree_unless_documented")


def _chartfix_params() -> list:
    if not CASES:
        return [pytest.param("", "", 4, id="corpus-missing", marks=_MARKS)]
    params = []
    for chart, variant in CASES:
        for major in (3, 4):
            reason = KNOWN.chartfix_reason(chart, variant, major)
            # raises=AssertionError: a listed case that crashes or cannot run still fails loudly.
            xfail = pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)
            marks = [*_MARKS, xfail] if reason else _MARKS
            params.append(
                pytest.param(chart, variant, major, id=f"{chart}:{variant}:helm{major}", marks=marks)
            )
    return params


def _helm_versions_params() -> list:
    if not CASES:
        return [pytest.param("", "", id="corpus-missing", marks=_MARKS)]
    return [pytest.param(chart, variant, id=f"{chart}:{variant}", marks=_MARKS) for chart, variant in CASES]


@pytest.fixture(scope="session")
def helm_outputs(request: pytest.FixtureRequest, corpus_dir: Path) -> None:
    """Fill the Helm output cache for every selected case in parallel before the first case runs."""
    jobs = set()
    for item in request.session.items:
        params = getattr(item, "callspec", None)
        if params is None or item.originalname not in _DIFFERENTIAL_TESTS or not params.params["chart"]:
            continue
        majors = [params.params["major"]] if "major" in params.params else [3, 4]
        for major in majors:
            if helm_problem(major) is None:
                jobs.add(
                    (helm_binary_path(major), corpus_dir / params.params["chart"], params.params["variant"])
                )
    warm_output_cache(sorted(jobs), workers=min(8, (os.cpu_count() or 1) + 1))


def _chartfix_render() -> ModuleType:
    try:
        from chartfix.helm import render
    except ImportError as error:
        problem = f"chartfix.helm.render cannot be imported: {error}"
    else:
        return render
    require(problem)  # outside the except block, so the report shows no chained traceback


@pytest.mark.parametrize(("chart", "variant", "major"), _chartfix_params())
def test_chartfix_renders_like_helm(
    chart: str,
    variant: str,
    major: int,
    corpus_dir: Path,
    corpus_report: CorpusReport,
    helm_outputs: None,
    request: pytest.FixtureRequest,
) -> None:
    helm = request.getfixturevalue(f"helm{major}")
    chart_dir = corpus_dir / chart
    helm_run = run_helm_template(helm, chart_dir, variant)
    render = _chartfix_render()
    from chartfix.errors import ChartfixError

    known = KNOWN.chartfix_reason(chart, variant, major) is not None
    options = render.RenderOptions(
        release_name=RELEASE_NAME,
        namespace=NAMESPACE,
        values_files=[str(path) for path in values_files(chart_dir, variant)],
        helm_major=major,
    )
    rendered = error_message = None
    try:
        rendered = render.render_chart(chart_dir, options).to_helm_template_output()
    except ChartfixError as error:
        error_message = str(error)
    except Exception:
        corpus_report.record(chart, variant, major, CRASH, known)
        raise
    outcome, details = chartfix_outcome(helm_run, rendered, error_message, chart_nondeterminism(chart_dir))
    corpus_report.record(chart, variant, major, outcome, known)
    assert outcome in PASSING_OUTCOMES, f"{outcome}:\n" + "\n".join(details)


@pytest.mark.parametrize(("chart", "variant"), _helm_versions_params())
def test_helm3_and_helm4_agree_unless_documented(
    chart: str,
    variant: str,
    helm3: Path,
    helm4: Path,
    corpus_dir: Path,
    corpus_report: CorpusReport,
    helm_outputs: None,
) -> None:
    chart_dir = corpus_dir / chart
    differences = helm_versions_differences(
        run_helm_template(helm3, chart_dir, variant),
        run_helm_template(helm4, chart_dir, variant),
        chart_nondeterminism(chart_dir),
    )
    reason = KNOWN.helm_versions_reason(chart, variant)
    corpus_report.record_helm_versions(chart, variant, differences, reason)
    if reason:
        assert differences, f"Helm 3 and 4 now agree: remove the helm_versions entry ({reason})"
    else:
        assert not differences, "Helm 3 and Helm 4 differ (list under helm_versions):\n" + "\n".join(
            differences
        )
