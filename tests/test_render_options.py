"""`chartfix render` options against real Helm 3 and 4: the same output for the same flags."""

from __future__ import annotations

import subprocess

import pytest
from helm import _isolated_helm_env, chart_nondeterminism, compare_outputs, error_matches, helm_error_text
from typer.testing import CliRunner

from chartfix.cli.app import app

CASES = {
    "show-only": (
        "bitnami__charts__nginx",
        ["--show-only", "templates/deployment.yaml", "--show-only", "templates/svc.yaml"],
    ),
    "include-crds": ("pixie-io__pixie__pixie-operator-chart-v0.1.6", ["--include-crds"]),
    "set-and-namespace": (
        "pixie-io__pixie__pixie-operator-chart-v0.1.6",
        ["--set", "deployOLM=false,olmNamespace=x", "--namespace", "ops", "--release-name", "px"],
    ),
    "set-string-json": (
        "bitnami__charts__nginx",
        ["--set-string", "nameOverride=123", "--set-json", 'podLabels={"a":"b"}'],
    ),
    "kube-version": ("prometheus-community__helm-charts__kube-state-metrics", ["--kube-version", "1.29.3"]),
    "api-versions": (
        "bitnami__charts__nginx",
        [
            "--api-versions",
            "monitoring.coreos.com/v1",
            "--set",
            "metrics.enabled=true,metrics.serviceMonitor.enabled=true",
        ],
    ),
    "is-upgrade": ("bitnami__charts__nginx", ["--is-upgrade"]),
    "schema-violation": ("bitnami__charts__nginx", ["--set-string", "replicaCount=3"]),
}


def _helm_args(args: list[str]) -> tuple[str, list[str]]:
    """chartfix's `--release-name NAME` is Helm's positional release name."""
    args = list(args)
    name = "release-name"
    if "--release-name" in args:
        i = args.index("--release-name")
        name = args[i + 1]
        del args[i : i + 2]
    return name, args


@pytest.mark.parametrize("major", [3, 4])
@pytest.mark.parametrize("case", sorted(CASES))
def test_render_flags_match_helm(case, major, corpus_dir, helm3, helm4):
    chart, args = CASES[case]
    chart_dir = corpus_dir / chart
    name, helm_args = _helm_args(args)
    helm = helm3 if major == 3 else helm4
    expected = subprocess.run(
        [str(helm), "template", name, str(chart_dir), *helm_args],
        capture_output=True,
        text=True,
        env=_isolated_helm_env(),
    )
    result = CliRunner().invoke(app, ["render", str(chart_dir), "--helm-major", str(major), *args])
    if expected.returncode != 0:
        assert result.exit_code == 2
        assert error_matches(helm_error_text(expected.stderr), result.output), result.output
        return
    assert result.exit_code == 0, result.output
    problems = compare_outputs(expected.stdout, result.stdout, chart_nondeterminism(chart_dir))
    assert not problems, "\n".join(problems)


def test_show_only_unknown_template_fails_like_helm(corpus_dir):
    result = CliRunner().invoke(
        app, ["render", str(corpus_dir / "bitnami__charts__nginx"), "--show-only", "templates/nope.yaml"]
    )
    assert result.exit_code == 2
    assert "could not find template templates/nope.yaml in chart" in result.output
