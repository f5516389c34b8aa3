"""Rendering with other values while reusing a tracked render (chartfix.helm.reuse) gives exactly
what a fresh render gives, and reuses the templates the changed values cannot reach."""

from __future__ import annotations

import copy
import datetime
import os
import shutil
from pathlib import Path

import pytest
from helm import DEFAULT_CORPUS_DIR

from chartfix.errors import ChartfixError
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
nest: {m: {v: 1}}
lst: [true]
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
        ("other=9", {"e-toyaml", "l-dictvalues"}),
        ("a.b=10", {"a-field", "e-toyaml", "l-dictvalues"}),  # f-with: `a` is still not empty
        ("a.c=10", {"e-toyaml", "f-with", "l-dictvalues"}),
        ("name=x", {"b-include", "e-toyaml", "l-dictvalues"}),
        ("ctxval=x", {"c-ctx", "e-toyaml", "l-dictvalues"}),
        ("h.y=2", {"e-toyaml", "h-range", "l-dictvalues"}),
        ("ival=x", {"e-toyaml", "i-tpl", "l-dictvalues"}),
        ("k.on=true", {"e-toyaml", "k-if", "l-dictvalues"}),
        ("sub.x=1", {"e-toyaml", "m-subchart", "l-dictvalues"}),
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


# Templates that change values in place (file name: text; they run in reverse file-name order, so
# `zz-` runs first and the templates of TEMPLATES after these).
MUTATIONS = {
    "conditional": {"zz.yaml": '{{- if .Values.k.on }}{{ $_ := set .Values "d" 99 }}{{ end }}zero: x\n'},
    "always": {"zz.yaml": '{{- $_ := set .Values "d" 99 }}zero: x\n'},
    "from a value": {"zz.yaml": '{{- $_ := set .Values "d" (add .Values.g 1) }}zero: x\n'},
    "nested, constant": {"zz.yaml": '{{- $_ := set .Values.a "b" 42 }}zero: x\n'},
    "nested": {"zz.yaml": '{{- $_ := set .Values.a "b" (printf "%v-x" .Values.other) }}zero: x\n'},
    "unset": {"zz.yaml": '{{- if .Values.k.on }}{{ $_ := unset .Values "name" }}{{ end }}zero: x\n'},
    "merge": {"zz.yaml": '{{- $_ := mergeOverwrite .Values.sub (dict "x" .Values.ival) }}zero: x\n'},
    "a map put in, then changed": {
        "zz.yaml": '{{- $_ := set .Values "made" (dict "x" 1) }}zero: x\n',
        "zy.yaml": '{{- $m := .Values.made }}{{ $_ := set $m "x" 2 }}one: x\n',
        "zx.yaml": "made: {{ .Values.made.x }}\n",
    },
    "an object marshal cannot write": {
        "zz.yaml": '{{- $_ := set .Values "ver" (semver (printf "1.%v.0" .Values.d)) }}zero: x\n',
        "zx.yaml": "ver: {{ .Values.ver.Minor }}\n",
    },
    "a map in a list": {
        "zz.yaml": '{{- $_ := set (index .Values.items 0) "n" .Values.d }}zero: x\n',
        "zx.yaml": "n: {{ (index .Values.items 0).n }}\n",
    },
}


@pytest.mark.parametrize("mutation", MUTATIONS)
@pytest.mark.parametrize(
    "change", ["other=9", "k.on=true", "d=5", "g=7", "ival=1", "a.b=3", "name=y", "items[0].n=2"]
)
def test_templates_that_change_values_are_rendered_again_with_what_they_change(
    chart_dir, mutation, change, monkeypatch
):
    (chart_dir / "values.yaml").write_text(VALUES + "items: [{n: 1}]\n")
    for name, text in MUTATIONS[mutation].items():
        (chart_dir / "templates" / name).write_text(text)
    chart = load_chart(str(chart_dir), 4)
    memo = _render(chart, [], track=True).memo
    assert memo is not None
    if mutation not in ("conditional", "unset"):  # those change nothing with the defaults
        assert memo.changed
    renders: list[int] = []
    original = Engine.render

    def spy(self, templates, **kwargs):
        renders.append(len(templates))
        return original(self, templates, **kwargs)

    monkeypatch.setattr(Engine, "render", spy)
    reused = _render(chart, [change], memo=memo)
    # Only a change the defaults did not make can reach a reused template (then all render again).
    new_change = change == "k.on=true" and mutation in ("conditional", "unset")
    assert len(renders) == (2 if new_change else 1)
    monkeypatch.setattr(Engine, "render", original)
    assert reused.to_helm_template_output() == _render(chart, [change]).to_helm_template_output()


@pytest.mark.parametrize(
    "template",
    [
        '{{- $_ := set $ "Values" (merge (dict "d" 1) .Values) }}zero: x\n',
        '{{- $_ := set $ "Extra" 1 }}zero: x\n',
    ],
)
def test_templates_that_change_the_chart_data_leave_no_memo(chart_dir, template):
    (chart_dir / "templates" / "zz.yaml").write_text(template)
    assert _render(load_chart(str(chart_dir), 4), [], track=True).memo is None


def test_random_output_is_reused_when_no_value_it_reads_changed(chart_dir):
    """Helm gives another password in every run; the reused one is one it could have given."""
    (chart_dir / "templates" / "r.yaml").write_text("r: {{ randAlphaNum 10 }} {{ .Values.d }}\n")
    chart = load_chart(str(chart_dir), 4)
    memo = _render(chart, [], track=True).memo
    assert memo is not None
    unchanged = _render(chart, ["other=1"], memo=memo).files["t/templates/r.yaml"]
    assert unchanged == memo.outputs["t/templates/r.yaml"]
    changed = _render(chart, ["d=4"], memo=memo).files["t/templates/r.yaml"]
    assert changed.endswith(" 4\n") and changed != unchanged


@pytest.mark.parametrize(
    ("template", "change", "executed"),
    [
        ("{{ $v := .Values }}x: {{ $v.a.b }}\n", "a.c=9", False),
        ("{{ $v := .Values }}x: {{ $v.a.b }}\n", "a.b=9", True),
        ('x: {{ index .Values "a" "b" }}\n', "a.c=9", False),
        ('x: {{ index .Values "a" "b" }}\n', "a.b=9", True),
        ('x: {{ get .Values.a "b" }}\n', "a.b=9", True),
        ('x: {{ hasKey .Values "newkey" }}\n', "newkey=1", True),
        ('x: {{ dig "b" 0 .Values.a }}\n', "a.b=9", True),  # (dig on .Values itself fails in Helm)
        ('x: {{ dig "b" 0 .Values.a }}\n', "a.c=9", False),
        ("{{ if and .Values.a .Values.other }}x: 1{{ end }}\n", "a.c=9", False),
        ("{{ if and .Values.a .Values.other }}x: 1{{ end }}\n", "a.b=null,a.c=null", True),
        ("{{ if .Values.other | or .Values.a }}x: 1{{ end }}\n", "a.c=9", False),
        ("{{ if .Values.other | or .Values.a }}x: 1{{ end }}\n", "a.b=null,a.c=null", True),
        ("{{ $v := .Values.a }}{{ range $k, $x := $v }}{{ $k }}: 1\n{{ end }}", "a.z=9", True),
        ('{{ $c := dict "ctx" .Values.a }}x: {{ $c.ctx.b }}\n', "a.c=9", False),
        ('{{ $c := dict "ctx" .Values.a }}x: {{ $c.ctx | toYaml | len }}\n', "a.c=9", True),
        ("{{ with .Values.a }}x: {{ .b }}{{ end }}\n", "a.c=9", False),
        ("{{ with .Values.a }}x: {{ .b }}{{ end }}\n", "a.b=null,a.c=null", True),
        # a truth test reads whether the map is empty: it changes only when the map's keys come
        # or go, and then only when it goes from empty to not empty or back
        ("{{ if .Values.nest }}x: 1{{ end }}\n", "nest.m.v=2", False),
        ("{{ if .Values.nest }}x: 1{{ end }}\n", "nest.w=2", False),
        ("{{ if .Values.nest }}x: 1{{ end }}\n", "nest.m=null", True),
        ("{{ if .Values.nest.m }}x: 1{{ end }}\n", "nest.m.v=null", True),
        ("{{ if .Values.nest }}x: 1{{ end }}\n", "nest=null", True),
        ("{{ if .Values.nest }}x: 1{{ end }}\n", "nest=", True),
        ("{{ if not .Values.nest }}x: 1{{ end }}\n", "nest.m.v=2", False),
        ("{{ if empty .Values.nest.m }}x: 1{{ end }}\n", "nest.m.v=null", True),
        ("{{ if and .Values.nest .Values.other }}x: 1{{ end }}\n", "nest.m.v=2", False),
        ("{{ with .Values.nest }}x: {{ .m.v }}{{ end }}\n", "nest.m.w=3", False),
        ("{{ with .Values.nest }}x: {{ .m.v }}{{ end }}\n", "nest.m.v=3", True),
        ("{{ with .Values.nest }}x: {{ toJson . }}{{ end }}\n", "nest.m.w=3", True),
        ("{{ $d := default dict .Values.nest }}x: {{ $d.m.v }}\n", "nest.m.w=3", False),
        ("{{ $d := default dict .Values.nest }}x: {{ $d.m.v }}\n", "nest.m.v=3", True),
        ("{{ $d := coalesce .Values.none .Values.nest }}x: {{ $d | toJson }}\n", "nest.m.w=3", True),
        ("{{ range $k, $_ := .Values.nest }}{{ $k }}: 1{{ end }}\n", "nest.m.w=3", True),
        # true and 1 are equal in Python, not in Go (nor in the output)
        ("x: {{ index .Values.lst 0 }}\n", "lst[0]=1", True),
    ],
)
def test_what_counts_as_a_read(chart_dir, template, change, executed, monkeypatch):
    for name in TEMPLATES:
        if not name.startswith("_"):
            (chart_dir / "templates" / name).unlink()
    (chart_dir / "templates" / "x.yaml").write_text(template)
    chart = load_chart(str(chart_dir), 4)
    memo = _render(chart, [], track=True).memo
    ran: list[bool] = []
    original = Engine.render

    def spy(self, templates, **kwargs):
        out = original(self, templates, **kwargs)
        ran.append(kwargs["reuse"][2]("t/templates/x.yaml"))
        return out

    monkeypatch.setattr(Engine, "render", spy)
    reused = _render(chart, [change], memo=memo)
    monkeypatch.setattr(Engine, "render", original)
    assert reused.to_helm_template_output() == _render(chart, [change]).to_helm_template_output()
    assert ran == [executed]


def test_rendering_scenario_copies_leaves_the_loaded_values_as_they_were(tmp_path):
    """scenario_copy shares the loaded values and Chart.lock and copies the metadata shallowly:
    coalescing, import-values, globals, dependency processing and templates that `set` values or
    chart annotations must all work on copies of their own."""
    chart_dir = tmp_path / "parent"
    shutil.copytree(Path(__file__).resolve().parent.parent / "fixtures" / "deps-parent", chart_dir)
    with (chart_dir / "Chart.yaml").open("a") as chart_yaml:
        chart_yaml.write("annotations:\n  kept: as-loaded\n")
    (chart_dir / "templates" / "mutate.yaml").write_text(
        '{{- $_ := set .Values "mutated" 1 }}{{- $_ := set .Values.global "g" 2 }}'
        '{{- $_ := set .Values.sub "s" 3 }}{{- $_ := unset .Values "parentOnly" }}'
        '{{- $_ := set .Chart.Annotations "added" "x" }}kept: x\n'
    )
    for helm_major in (3, 4):
        chart = load_chart(str(chart_dir), helm_major)
        trees = [chart, *chart.dependencies]
        before = [copy.deepcopy((c.values, c.lock, c.metadata)) for c in trees]
        for settings in ([], ["sub.replicas=9", "global.region=ap", "other.enabled=true", "tags.front=true"]):
            options = RenderOptions(set_values=settings, helm_major=helm_major)
            render_loaded_chart(scenario_copy(chart), options)
            render_loaded_chart(scenario_copy(chart), options, track=True)
        assert [(c.values, c.lock, c.metadata) for c in trees] == before


# Charts with many scenarios, bitnami's password helpers, random and hashed secrets, defaults that
# fail (the first ci/ file that renders is reused), templates that set values (redis, ingress-nginx).
REUSE_CORPUS_CHARTS = [
    "bitnami__charts__harbor",
    "bitnami__charts__redis",
    "kubernetes__ingress-nginx__ingress-nginx",
    "prometheus-community__helm-charts__prometheus",
    "prometheus-community__helm-charts__prometheus-pushgateway",
    "open-telemetry__opentelemetry-helm-charts__opentelemetry-collector",
    "prometheus-community__helm-charts__prometheus-postgres-exporter",
    "grafana__helm-charts__loki-distributed",
]
# CHARTFIX_REUSE_ALL=1: every chart of the corpus instead (a few minutes), for changes to
# chartfix.helm.reuse; charts that do not lint or reuse nothing then pass.
ALL_CORPUS = os.environ.get("CHARTFIX_REUSE_ALL") == "1"
if ALL_CORPUS and DEFAULT_CORPUS_DIR.is_dir():
    REUSE_CORPUS_CHARTS = sorted(p.name for p in DEFAULT_CORPUS_DIR.iterdir() if (p / "Chart.yaml").is_file())


@pytest.fixture()
def pinned_randomness(monkeypatch):
    """Random passwords, salts, serial numbers, UUIDs and the clocks made constant, so that two
    renders compare."""
    import secrets
    import uuid

    import bcrypt

    from chartfix.go import time as go_time
    from chartfix.go.sprig import crypto

    class FixedClock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 1, 2, 3, 4, 5, tzinfo=tz)

    monkeypatch.setattr(secrets, "choice", lambda seq: seq[len(seq) // 2])
    monkeypatch.setattr(secrets, "randbelow", lambda n: n // 2)
    monkeypatch.setattr(secrets, "token_bytes", lambda n=32: bytes(i % 256 for i in range(n)))
    monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=12345))
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=12, prefix=b"2b": b"$2a$10$abcdefghijklmnopqrstuu")
    monkeypatch.setattr(crypto, "datetime", FixedClock)  # certificates' validity
    monkeypatch.setattr(go_time.GoTime, "now", classmethod(lambda cls: cls(1767323045, 0, None, 0)))


@pytest.mark.parametrize("name", REUSE_CORPUS_CHARTS)
def test_every_reusing_render_of_a_corpus_lint_equals_a_fresh_render(
    corpus_dir, name, pinned_randomness, monkeypatch
):
    from chartfix.findings import lint

    original = lint.render_loaded_chart
    compared: list[str] = []

    def render_and_compare(chart, options, *, track=False, memo=None, documents=None):
        fresh_copy = scenario_copy(chart)
        result = original(chart, options, track=track, memo=memo, documents=documents)
        if memo is not None:
            fresh = original(fresh_copy, options)
            assert result.to_helm_template_output() == fresh.to_helm_template_output(), options
            assert result.notes == fresh.notes
            compared.append(result.to_helm_template_output())
        return result

    monkeypatch.setattr(lint, "render_loaded_chart", render_and_compare)
    try:
        lint.lint_chart(str(corpus_dir / name), lint.LintOptions())
    except ChartfixError:
        if not ALL_CORPUS:
            raise
    assert compared or ALL_CORPUS  # every chart of the short list has scenarios that reuse a render


@pytest.mark.parametrize("kept_as", ["marshal bytes", "a deep copy"])
def test_a_snapshot_finds_what_changed_in_place(kept_as):
    from chartfix.go.types import GoInt, GoMap
    from chartfix.helm.reuse import Snapshot

    values = {"a": {"b": 1, "c": [1, {"d": True}]}, "s": "x"}
    if kept_as == "a deep copy":
        values["n"] = GoInt(3)  # a type marshal does not write
    sub = values["a"]
    data = {"Values": GoMap(sub, "common.Values"), "Release": {"Name": "r"}}  # as the engine wraps it
    snapshot = Snapshot(values, [(data, ("a",))])
    assert (snapshot._frozen is None) == (kept_as == "a deep copy")
    assert snapshot.changes(values) == []
    values["a"]["c"][1]["d"] = 1  # True -> 1: equal in Python, another value in Go
    values["s"] = "y"
    assert snapshot.changes(values) == [("a", "c"), ("s",)]
    assert snapshot.values["a"]["c"][1]["d"] is True and snapshot.values["s"] == "x"
    data["Release"]["Name"] = "other"
    assert snapshot.changes(values) is None
