"""Small charts rendered by real Helm 3.17.3 and 4.1.4 and by `chartfix render`: the same stdout, or
the same error text. Each case is a regression found where chartfix and Helm disagreed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from helm import _isolated_helm_env, helm_error_text
from typer.testing import CliRunner

from chartfix.cli.app import app

CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n{data}\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def _helm(helm: Path, chart: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(helm), "template", "release-name", str(chart), *args],
        capture_output=True,
        text=True,
        env=_isolated_helm_env(),
        timeout=120,
    )


def _same_as_helm(chart: Path, major: int, helm: Path, args: tuple[str, ...] = ()) -> str:
    """Assert chartfix prints what Helm prints; returns Helm's stdout (or error text)."""
    expected = _helm(helm, chart, list(args))
    result = CliRunner().invoke(app, ["render", str(chart), "--helm-major", str(major), *args])
    if expected.returncode != 0:
        helm_error = helm_error_text(expected.stderr)
        assert result.exit_code == 2, result.output
        assert result.output.strip().removeprefix("Error: ") == helm_error
        return helm_error
    assert result.exit_code == 0, result.output
    assert result.stdout == expected.stdout
    return expected.stdout


@pytest.fixture
def helms(helm3: Path, helm4: Path) -> dict[int, Path]:
    return {3: helm3, 4: helm4}


def test_alias_prerelease_range_follows_each_semver_version(tmp_path, helms):
    # Masterminds/semver v3.3.0 (Helm 3) refuses a prerelease for `<1.3.0`, so the alias does not
    # apply; v3.4.0 (Helm 4) lets it through because another constraint of the group names one.
    chart = _write(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: parent\nversion: 1.0.0\ndependencies:\n"
            '  - name: sub\n    version: ">=1.2.3-beta, <1.3.0"\n    alias: aliased\n',
            "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.2.4-beta\n",
            "charts/sub/templates/cm.yaml": CONFIGMAP.format(name="cm-{{ .Chart.Name }}", data="  a: b"),
        },
    )
    assert "cm-sub" in _same_as_helm(chart, 3, helms[3])
    assert "cm-aliased" in _same_as_helm(chart, 4, helms[4])


def test_negative_zero_float_app_version(tmp_path, helms):
    # sigs.k8s.io/yaml formats a float for a string field with FormatFloat(v, 'g', -1, 32): "-0".
    chart = _write(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\nappVersion: -0.0\n",
            "templates/cm.yaml": CONFIGMAP.format(name="cm", data="  v: {{ .Chart.AppVersion | quote }}"),
        },
    )
    for major, helm in helms.items():
        assert 'v: "-0"' in _same_as_helm(chart, major, helm)


@pytest.mark.parametrize(
    ("pattern", "found"),
    [
        ("templates/[!s]vc.yaml", True),  # filepath.Match negates with `^`; `!` is a literal
        ("templates/[^s]vc.yaml", False),
        ("templates\\svc.yaml", False),  # on Linux a backslash escapes the next character
        ("templates/*", True),
        ("*", False),  # `*` does not cross a `/`
    ],
)
def test_show_only_uses_go_filepath_match(tmp_path, helms, pattern, found):
    chart = _write(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: so\nversion: 1.0.0\n",
            "templates/svc.yaml": CONFIGMAP.format(name="a", data="  a: b"),
        },
    )
    for major, helm in helms.items():
        out = _same_as_helm(chart, major, helm, ("--show-only", pattern))
        assert ("could not find template" not in out) is found


def test_tpl_of_empty_text_inside_tpl(tmp_path, helms):
    # Go keeps an existing "gotpl" in the set when an empty one is parsed, but Helm's tpl executes
    # the *Template it just parsed (empty), so the inner tpl prints nothing instead of recursing.
    chart = _write(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
            "values.yaml": 'empty: ""\nfile: "a: 1\\n{{- tpl .Values.empty . | nindent 2 }}"\n',
            "templates/cm.yaml": CONFIGMAP.format(name="x", data="  {{- tpl .Values.file . | nindent 4 }}"),
        },
    )
    for major, helm in helms.items():
        assert "    a: 1\n" in _same_as_helm(chart, major, helm)


def _range_chart(root: Path, count: int) -> Path:
    body = '{{ omit (dict "a" 1) "null" "-0" }},'
    return _write(
        root / str(count),
        {
            "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
            "templates/cm.yaml": f"# {{{{- range $v := 10 | mul 3.0 {count} }}}}{body}{{{{ end }}}}\n",
        },
    )


def test_range_over_a_huge_int_stops_at_the_step_budget(tmp_path, helms):
    # difffuzz seed 2026, case c240: a range over 30,000,000 whose body calls two functions. Helm 3
    # (Go 1.23) cannot range over an int; Helm 4 renders it, 270 MB in minutes, more than chartfix's
    # output budget. chartfix's budget counted range iterations only (5,000,000 at about 100 us each
    # here: over ten minutes); it now counts commands too and stops after 1,000,000 steps.
    huge = _range_chart(tmp_path, 1_000_000)
    assert "range can't iterate over 30000000" in _same_as_helm(huge, 3, helms[3])
    assert _same_as_helm(_range_chart(tmp_path, 100), 4, helms[4]).count("map[a:1],") == 3000
    result = CliRunner().invoke(app, ["render", str(huge), "--helm-major", "4"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: c/templates/cm.yaml:1:")
    assert "templates ran more than 1000000 steps (range iterations and commands)" in result.output


EXEC_ERROR_CASES = {
    "nested-include": (
        '{{- define "inner" -}}\n{{ .x.y.z }}\n{{- end -}}\n'
        '{{- define "outer" -}}\na: {{ include "inner" . }}\n{{- end -}}\n',
        '{{ include "outer" (dict "x" (dict "y" 1)) }}',
    ),
    "missing-template": ("", '{{ include "nope" . }}'),
    "plain": ("", "{{ .x.y.z }}"),
    "function-error-in-include": (
        '{{- define "f" -}}\n{{ semverCompare "!!" "1.0.0" }}\n{{- end -}}\n',
        '{{ include "f" . }}',
    ),
    "tpl-in-include": (
        '{{- define "t" -}}\n{{ tpl "{{ .x.y.z }}" . }}\n{{- end -}}\n',
        '{{ include "t" . }}',
    ),
    "include-in-tpl": (
        '{{- define "i" -}}\n{{ .x.y.z }}\n{{- end -}}\n',
        '{{ tpl "{{ include \\"i\\" . }}" . }}',
    ),
    "fail-in-include": ('{{- define "f" -}}\n{{ fail "boom" }}\n{{- end -}}\n', '{{ include "f" . }}'),
    "missing-template-in-range": ("", '{{ range list 1 }}{{ include "nope" . }}{{ end }}'),
}


@pytest.mark.parametrize("case", sorted(EXEC_ERROR_CASES))
def test_execution_error_text(tmp_path, helms, case):
    # Helm 3 prints Go's one-line error chain; Helm 4 turns a chain of text/template errors into a
    # trace (a chain with any other error, such as tpl's wrapper, it prints unchanged).
    helpers, body = EXEC_ERROR_CASES[case]
    chart = _write(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
            "templates/_helpers.tpl": helpers,
            "templates/cm.yaml": CONFIGMAP.format(name="x", data="  v: " + body),
        },
    )
    errors = {major: _same_as_helm(chart, major, helm) for major, helm in helms.items()}
    assert "\n" not in errors[3]
    if case in ("nested-include", "plain", "missing-template"):
        assert errors[4].startswith("c/templates/cm.yaml:6:") and "\n  executing " in errors[4]


SCHEMA_CASES = {
    "type-then-enum": (
        "mode: 3\n",
        {"properties": {"mode": {"type": "string", "enum": ["a", "b"], "minLength": 2}}},
    ),
    "enum-then-min-length": (
        "mode: x\n",
        {"properties": {"mode": {"type": "string", "enum": ["a", "b"], "minLength": 2}}},
    ),
    "type-then-all-of": (
        "obj: text\n",
        {"properties": {"obj": {"type": "object", "allOf": [{"required": ["a"]}, {"minLength": 9}]}}},
    ),
    "two-checks-after-type": (
        "name: x\n",
        {"properties": {"name": {"type": "string", "minLength": 2, "pattern": "^a"}}},
    ),
    "parent-still-checked": (  # (two failing properties would print in Go's random map order)
        "a: 1\n",
        {"required": ["c"], "properties": {"a": {"type": "string", "maxLength": 0}}},
    ),
    "nested-single-group": (
        "o:\n  name: x\n",
        {"properties": {"o": {"properties": {"name": {"type": "string", "minLength": 2, "pattern": "^a"}}}}},
    ),
}


@pytest.mark.parametrize("case", sorted(SCHEMA_CASES))
def test_schema_errors_stop_where_go_validators_stop(tmp_path, helms, case):
    values, properties = SCHEMA_CASES[case]
    chart = _write(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
            "values.yaml": values,
            "values.schema.json": json.dumps({"type": "object", **properties}),
            "templates/cm.yaml": CONFIGMAP.format(name="x", data="  a: b"),
        },
    )
    for major, helm in helms.items():
        expected = _helm(helm, chart, [])
        assert expected.returncode != 0
        result = CliRunner().invoke(app, ["render", str(chart), "--helm-major", str(major)])
        assert result.exit_code == 2
        # chartfix names the schema file before Helm's text
        assert result.output.strip().removeprefix("Error: c/values.schema.json: ") == helm_error_text(
            expected.stderr
        )
