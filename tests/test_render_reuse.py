"""Rendering with other values while reusing a tracked render (chartfix.helm.reuse) gives exactly
what a fresh render gives, and reuses the templates the changed values cannot reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from chartfix.findings.lint import scenario_copy
from chartfix.helm.engine import Engine
from chartfix.helm.loader import load_chart
from chartfix.helm.render import RenderOptions, render_loaded_chart

TEMPLATES = {
    "_helpers.tpl": '{{- define "t.name" -}}{{ .Values.name }}-{{ .Release.Name }}{{- end -}}\n'
    '{{- define "t.ctx" -}}{{ .ctx.Values.ctxval }}{{- end -}}\n',
    "a-field.yaml": "a: {{ .Values.a.b }}\n",
    "b-include.yaml": 'b: {{ include "t.name" . }}\n',
    "c-ctx.yaml": 'c: {{ include "t.ctx" (dict "ctx" $) }}\n',
    "d-variable.yaml": "{{- $v := .Values }}d: {{ $v.d }}\n",
    "e-toyaml.yaml": "e: {{ toYaml . | len }}\n",
    "f-with.yaml": "{{- with .Values.a }}f: {{ .c }}{{ end }}\n",
    "g-index.yaml": 'g: {{ index .Values "g" }}\n',
    "h-range.yaml": "{{- range $k, $v := .Values.h }}{{ $k }}: {{ $v }}\n{{ end }}",
    "i-tpl.yaml": "i: {{ tpl .Values.itpl . }}\n",
    "j-static.yaml": "j: static\n",
    "k-if.yaml": "{{- if .Values.k.on }}k: on{{ else }}k: off{{ end }}\n",
    "l-dictvalues.yaml": 'l: {{ toYaml (dict "x" $) | len }}\n',
    "m-subchart.yaml": "m: {{ .Values.sub.x }}\n",
}
VALUES = """name: n
a: {b: 1, c: 2}
d: 3
g: 4
h: {x: 1}
itpl: "{{ .Values.ival }}"
ival: 5
k: {on: false}
ctxval: 6
sub: {x: 7}
other: 8
"""


@pytest.fixture()
def chart_dir(tmp_path: Path) -> Path:
    (tmp_path / "templates").mkdir()
    (tmp_path / "Chart.yaml").write_text("apiVersion: v2\nname: t\nversion: 1.0.0\n")
    (tmp_path / "values.yaml").write_text(VALUES)
    for name, text in TEMPLATES.items():
        (tmp_path / "templates" / name).write_text(text)
    return tmp_path


def _render(chart, set_values, **kwargs):
    return render_loaded_chart(scenario_copy(chart), RenderOptions(set_values=set_values), **kwargs)


@pytest.mark.parametrize(
    ("change", "executed"),
    [
        ("other=9", {"d-variable", "e-toyaml", "g-index", "l-dictvalues"}),
        ("a.b=10", {"a-field", "d-variable", "e-toyaml", "f-with", "g-index", "l-dictvalues"}),
        ("a.c=10", {"d-variable", "e-toyaml", "f-with", "g-index", "l-dictvalues"}),
        ("name=x", {"b-include", "d-variable", "e-toyaml", "g-index", "l-dictvalues"}),
        ("ctxval=x", {"c-ctx", "d-variable", "e-toyaml", "g-index", "l-dictvalues"}),
        ("h.y=2", {"d-variable", "e-toyaml", "g-index", "h-range", "l-dictvalues"}),
        ("ival=x", {"d-variable", "e-toyaml", "g-index", "i-tpl", "l-dictvalues"}),
        ("k.on=true", {"d-variable", "e-toyaml", "g-index", "k-if", "l-dictvalues"}),
        ("sub.x=1", {"d-variable", "e-toyaml", "g-index", "m-subchart", "l-dictvalues"}),
    ],
)
def test_reuse_gives_a_fresh_render_and_executes_only_what_can_change(
    chart_dir, change, executed, monkeypatch
):
    chart = load_chart(str(chart_dir), 4)
    tracked = _render(chart, [])
    assert tracked.memo is None
    defaults = _render(chart, [], track=True)
    memo = defaults.memo
    assert memo is not None
    assert defaults.to_helm_template_output() == tracked.to_helm_template_output()

    ran: list[set[str]] = []
    original = Engine.render

    def spy(self, templates, **kwargs):
        out = original(self, templates, **kwargs)
        stale = kwargs.get("reuse")
        if stale is not None:
            ran.append({n.rsplit("/", 1)[-1].split(".")[0] for n in out if stale[2](n)})
        return out

    monkeypatch.setattr(Engine, "render", spy)
    reused = _render(chart, [change], memo=memo)
    fresh = _render(chart, [change])
    assert reused.to_helm_template_output() == fresh.to_helm_template_output()
    assert ran == [executed]


def test_templates_that_change_values_are_rendered_again_without_reuse(chart_dir):
    (chart_dir / "templates" / "z-set.yaml").write_text(
        '{{- if .Values.k.on }}{{ $_ := set .Values "d" 99 }}{{ end }}zero: x\n'
    )
    chart = load_chart(str(chart_dir), 4)
    memo = _render(chart, [], track=True).memo
    reused = _render(chart, ["k.on=true"], memo=memo)
    fresh = _render(chart, ["k.on=true"])
    assert "d: 99" in fresh.to_helm_template_output()
    assert reused.to_helm_template_output() == fresh.to_helm_template_output()
    (chart_dir / "templates" / "z-set.yaml").write_text('{{ $_ := set .Values "d" 99 }}zero: x\n')
    assert _render(load_chart(str(chart_dir), 4), [], track=True).memo is None  # defaults mutate


def test_random_output_is_never_reused(chart_dir):
    (chart_dir / "templates" / "r.yaml").write_text("r: {{ randAlphaNum 10 }}\n")
    chart = load_chart(str(chart_dir), 4)
    memo = _render(chart, [], track=True).memo
    assert memo is not None
    first = _render(chart, ["other=1"], memo=memo).files["t/templates/r.yaml"]
    assert first != memo.outputs["t/templates/r.yaml"]
