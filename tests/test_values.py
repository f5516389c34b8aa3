"""Coalescing, user values, the top-level template data and the built-in objects.

Capabilities and .Chart expectations were taken from `helm template` 3.17.3 / 4.1.4 output."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from chartfix.errors import ChartLoadError, ValuesError
from chartfix.go.types import GoInt, GoPanic
from chartfix.helm.builtin_objects import (
    Capabilities,
    ChartWithRoot,
    Files,
    KubeVersion,
    VersionSet,
    chart_object,
    glob_matcher,
    make_capabilities,
    parse_kube_version,
)
from chartfix.helm.chart import Chart, ChartFile, Metadata
from chartfix.helm.coalesce import coalesce_tables, coalesce_values, merge_values
from chartfix.helm.loader import load_chart
from chartfix.helm.values import (
    prepare_chart_values,
    render_top_data,
    subchart_values,
    user_values,
)

DEPS_PARENT = Path(__file__).resolve().parent.parent / "fixtures" / "deps-parent"


def _chart(name: str, values: dict, subs: list[Chart] = ()) -> Chart:
    chart = Chart(metadata=Metadata(Name=name, Version="1.0.0", APIVersion="v2"), values=values)
    chart.set_dependencies(list(subs))
    return chart


# --- coalescing ----------------------------------------------------------------------------------


def test_user_values_override_defaults_and_null_deletes():
    chart = _chart("c", {"a": 1.0, "b": {"x": 1.0, "y": 2.0}, "gone": "default"})
    out = coalesce_values(chart, {"a": 5.0, "b": {"y": None}, "gone": None})
    assert out == {"a": 5.0, "b": {"x": 1.0}}


def test_merge_keeps_nulls():
    chart = _chart("c", {"b": {"y": 2.0}, "gone": "default"})
    assert merge_values(chart, {"b": {"y": None}, "gone": None}) == {"b": {"y": None}, "gone": None}


def test_input_values_are_not_mutated():
    user = {"b": {"y": None}}
    chart = _chart("c", {"b": {"x": 1.0}})
    coalesce_values(chart, user)
    assert user == {"b": {"y": None}} and chart.values == {"b": {"x": 1.0}}


def test_subchart_defaults_globals_and_parent_overrides():
    sub = _chart("sub", {"port": 80.0, "global": {"region": "us", "only": "sub"}, "keep": True})
    parent = _chart("p", {"global": {"region": "eu"}, "sub": {"port": 8080.0, "keep": None}}, [sub])
    out = coalesce_values(parent, {})
    assert out["sub"] == {"port": 8080.0, "global": {"region": "eu", "only": "sub"}}
    assert out["global"] == {"region": "eu"}  # globals flow down, not up


def test_subchart_key_must_be_a_table():
    parent = _chart("p", {"sub": "oops"}, [_chart("sub", {})])
    with pytest.raises(ValuesError, match=r"type mismatch on sub: %!t\(string=oops\)"):
        coalesce_values(parent, {})


def test_table_vs_scalar_warnings():
    chart = _chart("c", {"t": {"a": 1.0}, "s": "x"})
    warnings: list[str] = []
    out = coalesce_values(chart, {"t": "scalar", "s": {"k": 1.0}}, warnings=warnings)
    assert out == {"t": "scalar", "s": {"k": 1.0}}
    assert warnings == ["warning: skipped value for c.s: Not a table."]
    warnings.clear()
    out = coalesce_tables({"t": {"a": 1.0}, "u": "v"}, {"t": "scalar", "u": {"x": 1.0}})
    assert out == {"t": {"a": 1.0}, "u": "v"}


def test_null_in_both_sides_differs_between_helm_versions():
    # coalesce.go: Helm 4 only deletes a null key when the chart default was non-null.
    chart = _chart("c", {"t": {"k": None, "other": 1.0}})
    assert coalesce_values(chart, {"t": {"k": None}}, helm_major=3) == {"t": {"other": 1.0}}
    assert coalesce_values(chart, {"t": {"k": None}}, helm_major=4) == {"t": {"k": None, "other": 1.0}}


def test_subchart_values_scope():
    sub = _chart("sub", {})
    _chart("p", {}, [sub])
    assert subchart_values({"sub": {"a": 1.0}}, sub) == {"a": 1.0}
    assert subchart_values({"sub": "x"}, sub) == {}


def test_prepare_rejects_library_charts():
    chart = _chart("lib", {})
    chart.metadata.Type = "library"
    with pytest.raises(ChartLoadError, match="library charts are not installable"):
        prepare_chart_values(chart, {})


# --- user values ---------------------------------------------------------------------------------


def test_user_values_order_and_sources(tmp_path):
    first = tmp_path / "a.yaml"
    first.write_text("a: 1\nnested: {p: 1, q: 2}\nlist: [1]\n")
    second = tmp_path / "b.yaml"
    second.write_text("nested: {q: 3}\n")
    content = tmp_path / "content.txt"
    content.write_text("file body")
    out = user_values(
        [first, second],
        set_values=["a=2,n=007"],
        set_string=["s=true"],
        set_file=[f"f={content}"],
        set_json=['j={"k": [1, 2]}'],
        set_literal=["lit=a,b=c"],
    )
    assert out["nested"] == {"p": 1.0, "q": 3.0}
    assert out["a"] == 2 and isinstance(out["a"], int)  # --set wins over -f, int64
    assert out["n"] == "007"
    assert out["s"] == "true"
    assert out["f"] == "file body"
    assert out["j"] == {"k": [1.0, 2.0]}
    assert out["lit"] == "a,b=c"


def test_set_json_whole_object_form_is_helm4_only():
    assert user_values(set_json=['{"a": {"b": 1}}'], helm_major=4) == {"a": {"b": 1.0}}
    with pytest.raises(ValuesError, match="failed parsing --set-json data"):
        user_values(set_json=['{"a": 1}'], helm_major=3)


def test_user_values_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1\n")
    with pytest.raises(ValuesError, match=f"failed to parse {bad}: "):
        user_values([bad])
    with pytest.raises(ValuesError, match='failed parsing --set data: key "a" has no value'):
        user_values(set_values=["a"])
    with pytest.raises(ValuesError, match="open /nonexistent.yaml"):
        user_values(["/nonexistent.yaml"])


# --- top-level data and builtins -------------------------------------------------------------------


def test_render_top_data_shapes_per_helm_version():
    chart = load_chart(DEPS_PARENT)
    values = prepare_chart_values(chart, {})
    top = render_top_data(chart, values, "rel", "ns", revision=2, is_upgrade=True)
    assert top["Release"] == {
        "Name": "rel",
        "Namespace": "ns",
        "IsUpgrade": True,
        "IsInstall": False,
        "Revision": 2,
        "Service": "Helm",
    }
    assert isinstance(top["Release"]["Revision"], GoInt)
    assert top["Values"] is values
    assert isinstance(top["Chart"], dict) and "IsRoot" not in top["Chart"]
    assert top["Chart"]["Dependencies"][0]["ImportValues"][0] == {"child": "exports.data", "parent": "."}
    assert top["Chart"]["Sources"] == [] and top["Chart"]["AppVersion"] == "20230101"
    top3 = render_top_data(chart, values, "rel", "ns", helm_major=3)
    assert top3["Chart"] is chart.metadata
    assert top3["Capabilities"].go_type == "*chartutil.Capabilities"


def test_chart_object_per_chart():
    chart = load_chart(DEPS_PARENT)
    sub = next(d for d in chart.dependencies if d.name() == "sub")
    v4 = chart_object(sub, 4)
    assert v4["IsRoot"] is False and v4["Name"] == "sub"
    v3 = chart_object(chart, 3)
    assert isinstance(v3, ChartWithRoot)
    assert v3.go_type == "struct { chart.Metadata; IsRoot bool }"
    assert v3.go_field("Name") == "parent" and v3.go_field("IsRoot") is True
    assert list(v3.go_fields()) == ["Metadata", "IsRoot"]


def test_default_capabilities_match_helm_binaries():
    caps4 = make_capabilities(None, ["example.com/v1"], 4)
    assert isinstance(caps4, Capabilities)
    kv = caps4.KubeVersion
    assert (kv.Version, kv.Major, kv.Minor, str(kv)) == ("v1.35.0", "1", "35", "v1.35.0")
    assert caps4.go_type == "*common.Capabilities" and kv.go_type == "common.KubeVersion"
    hv = caps4.HelmVersion.go_fields()
    assert hv == {
        "Version": "v4.1.4",
        "GitCommit": "05fa37973dc9e42b76e1d2883494c87174b6074f",
        "GitTreeState": "clean",
        "GoVersion": "go1.25.9",
        "KubeClientVersion": "v1.35",
    }
    apis = caps4.APIVersions
    assert isinstance(apis, VersionSet) and len(apis) == 58
    assert apis[:2] == ["v1", "admissionregistration.k8s.io/v1"]
    assert apis[-3:] == ["apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1", "example.com/v1"]
    assert apis.Has.impl("resource.k8s.io/v1") and not apis.Has.impl("apps/v1/Deployment")

    caps3 = make_capabilities(None, [], 3)
    assert str(caps3.KubeVersion) == "v1.32.0"
    assert len(caps3.APIVersions) == 56 and "resource.k8s.io/v1" not in caps3.APIVersions
    assert caps3.HelmVersion.go_fields()["GoVersion"] == "go1.23.7"
    assert "KubeClientVersion" not in caps3.HelmVersion.go_fields()


def test_kube_version_parsing_differs_between_helm_versions():
    kv4 = parse_kube_version("1.28.3-gke.100", 4)
    assert (kv4.Version, str(kv4), kv4.GitVersion.impl(), kv4.Minor) == (
        "v1.28.3-gke.100",
        "v1.28.3",
        "v1.28.3-gke.100",
        "28",
    )
    kv3 = parse_kube_version("1.28.3-gke.100", 3)
    assert (kv3.Version, str(kv3)) == ("v1.28.3-gke.100", "v1.28.3-gke.100")
    assert str(parse_kube_version("v1.30", 4)) == "v1.30"
    with pytest.raises(Exception, match="illegal version string"):
        parse_kube_version("1", 4)


def test_kube_version_is_a_go_struct():
    kv = KubeVersion("v1.2.3", "1", "2", "v1.2.3")
    assert kv.go_field("Major") == "1"
    with pytest.raises(KeyError):
        kv.go_field("normalizedVersion")


def _files() -> Files:
    return Files(
        [
            ChartFile("config/a.txt", b"alpha\nbeta\n"),
            ChartFile("config/b.json", b"{}"),
            ChartFile("config/sub/c.txt", b"gamma"),
            ChartFile("empty.txt", b""),
        ]
    )


def test_files_get_and_lines():
    files = _files()
    assert files.Get.impl("config/a.txt") == "alpha\nbeta\n"
    assert files.Get.impl("missing") == ""
    assert files.GetBytes.impl("missing") == b""
    assert files.Lines.impl("config/a.txt") == ["alpha", "beta"]
    assert files.Lines.impl("missing") == []
    with pytest.raises(GoPanic, match="index out of range"):
        files.Lines.impl("empty.txt")
    assert files["config/b.json"] == b"{}"  # a map: templates range over it and index it
    assert files.go_type == "engine.files"


def test_files_glob_uses_gobwas_syntax():
    files = _files()
    assert sorted(files.Glob.impl("config/*").files) == ["config/a.txt", "config/b.json"]
    assert sorted(files.Glob.impl("config/**").files) == ["config/a.txt", "config/b.json", "config/sub/c.txt"]
    assert sorted(files.Glob.impl("config/{a,b}.*").files) == ["config/a.txt", "config/b.json"]
    assert sorted(files.Glob.impl("config/[!a]*").files) == ["config/b.json"]
    # An invalid pattern falls back to `**`.
    assert len(files.Glob.impl("config/[").files) == 4
    assert glob_matcher("*.txt").fullmatch("a/b.txt") is None


def test_files_as_config_and_secrets():
    pytest.importorskip("chartfix.helm.serialize")
    files = Files([ChartFile("x/a.txt", b"one"), ChartFile("b.txt", b"two")])
    assert files.AsConfig.impl() == "a.txt: one\nb.txt: two"
    encoded = base64.b64encode(b"one").decode()
    assert files.AsSecrets.impl() == f"a.txt: {encoded}\nb.txt: {base64.b64encode(b'two').decode()}"


def test_helm3_chart_json_uses_json_tags():
    # `toJson .Chart` in Helm 3.17.3: {"name":"capchart","version":"0.1.0","apiVersion":"v2","IsRoot":true}
    chart = Chart(metadata=Metadata(Name="capchart", Version="0.1.0", APIVersion="v2"))
    assert chart_object(chart, 3).go_json() == {
        "name": "capchart",
        "version": "0.1.0",
        "apiVersion": "v2",
        "IsRoot": True,
    }
    loaded = load_chart(DEPS_PARENT, helm_major=3)
    prepare_chart_values(loaded, {}, helm_major=3)
    assert loaded.metadata.Dependencies[0].go_json() == {
        "name": "sub",
        "version": ">=0.1.0",
        "repository": "file://charts/sub",
        "condition": "sub.enabled,global.subEnabled",
        "enabled": True,
        "import-values": [
            {"child": "exports.data", "parent": "."},
            {"child": "exports.data.extra", "parent": "fromChild"},
        ],
    }


# --- differential: the real Helm binaries ---------------------------------------------------------

_HELM_CASES = [
    [],
    ["--set", "subalias.enabled=true", "--set", "tags.back=true"],
    ["--set", "sub.enabled=false"],
    ["--set", "global.region=x,sub.image=null,sub.replicas=7", "--set-string", "parentOnly=1"],
]


@pytest.mark.helm
@pytest.mark.parametrize("major", [3, 4])
@pytest.mark.parametrize("args", _HELM_CASES, ids=lambda a: " ".join(a) or "defaults")
def test_values_match_helm(tmp_path, request, major, args):
    import json
    import shutil
    import subprocess

    helm = request.getfixturevalue(f"helm{major}")
    chart_dir = tmp_path / "parent"
    shutil.copytree(DEPS_PARENT, chart_dir)
    (chart_dir / "templates" / "cm.yaml").write_text("#V top: {{ toJson .Values }}\n")
    (chart_dir / "charts" / "sub" / "templates" / "svc.yaml").write_text(
        "#V {{ .Chart.Name }}: {{ toJson .Values }}\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "HELM_CACHE_HOME": str(tmp_path / "c")}
    run = subprocess.run(
        [str(helm), "template", str(chart_dir), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert run.returncode == 0, run.stderr
    helm_scopes = {
        line[3:].split(": ", 1)[0]: json.loads(line[3:].split(": ", 1)[1])
        for line in run.stdout.splitlines()
        if line.startswith("#V ")
    }

    set_values = [args[i + 1] for i in range(len(args)) if args[i] == "--set"]
    set_string = [args[i + 1] for i in range(len(args)) if args[i] == "--set-string"]
    chart = load_chart(chart_dir, helm_major=major)
    values = prepare_chart_values(
        chart, user_values(set_values=set_values, set_string=set_string), helm_major=major
    )
    ours = {"top": values}
    for sub in chart.dependencies:
        if sub.metadata.Name in ("sub", "subalias"):
            ours[sub.name()] = subchart_values(values, sub)
    assert ours == helm_scopes


def test_printed_forms_match_helm():
    from chartfix.go.fmt import sprintf

    chart = Chart(metadata=Metadata(Name="capchart", Version="0.1.0", APIVersion="v2"))
    # `printf "%v" .Chart` and `printf "%T"` in Helm 3.17.3 and 4.1.4
    assert (
        sprintf("%v", chart_object(chart, 3)) == "{{capchart  [] 0.1.0  [] []  v2    false map[]  [] } true}"
    )
    assert sprintf("%T", chart_object(chart, 3)) == "struct { chart.Metadata; IsRoot bool }"
    assert sprintf("%v", chart_object(chart, 4)) == (
        "map[APIVersion:v2 Annotations:map[] AppVersion: Condition: Dependencies:[] Deprecated:false "
        "Description: Home: Icon: IsRoot:true Keywords:[] KubeVersion: Maintainers:[] Name:capchart "
        "Sources:[] Tags: Type: Version:0.1.0]"
    )
    caps = make_capabilities(None, [], 4)
    assert sprintf("%v|%T", caps.KubeVersion, caps.KubeVersion) == "v1.35.0|common.KubeVersion"
    assert sprintf("%#v", make_capabilities(None, [], 3).HelmVersion) == (
        'version.BuildInfo{Version:"v3.17.3", GitCommit:"e4da49785aa6e6ee2b86efd5dd9e43400318262b", '
        'GitTreeState:"clean", GoVersion:"go1.23.7"}'
    )
