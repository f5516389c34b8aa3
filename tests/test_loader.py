"""Chart loading: directories, archives, .helmignore, Chart.yaml validation, hostile input."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from chartfix.errors import ChartLoadError
from chartfix.go.path import go_match
from chartfix.go.semver import parse_version
from chartfix.go.strconv import format_float
from chartfix.helm import loader
from chartfix.helm.loader import IgnoreError, Rules, load_chart

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DEPS_PARENT = FIXTURES / "deps-parent"


def write_chart(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def make_tgz(path: Path, members: list[tuple[str, bytes | None, bytes]]) -> Path:
    """members: (name, data or None for a non-regular entry, tar type)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            info.type = kind
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                info.linkname = "target"
                tar.addfile(info)
    path.write_bytes(buf.getvalue())
    return path


CHART_YAML = b"apiVersion: v2\nname: mini\nversion: 0.1.0\n"


# --- directories -------------------------------------------------------------------------------


def test_fixture_directory_classification_and_helmignore():
    chart = load_chart(DEPS_PARENT)
    assert chart.name() == "parent"
    # templates/.hidden.yaml is dropped by the default rule `templates/.?*`; *.bak and docs/ by
    # the chart's .helmignore.
    assert [f.name for f in chart.templates] == ["templates/_helpers.tpl", "templates/cm.yaml"]
    assert [f.name for f in chart.files] == [".helmignore", "config.txt", "crds/crd.yaml"]
    assert [f.name for f in chart.crds] == ["crds/crd.yaml"]
    assert "notes.bak" not in chart.raw_files and "Chart.yaml" in chart.raw_files
    assert sorted(d.name() for d in chart.dependencies) == ["other", "sub", "tagged"]
    sub = next(d for d in chart.dependencies if d.name() == "sub")
    assert sub.parent is chart
    assert sub.chart_full_path() == "parent/charts/sub"
    # YAML 1.1: `sub: yes` is a bool; numbers are float64.
    assert sub.values["global"]["sub"] is True
    assert sub.values["replicas"] == 1.0 and isinstance(sub.values["replicas"], float)


def test_int_app_version_becomes_its_decimal_string():
    chart = load_chart(DEPS_PARENT)
    assert chart.metadata.AppVersion == "20230101"


def test_float_version_fields_use_float32_g_formatting(tmp_path):
    write_chart(tmp_path, {"Chart.yaml": "apiVersion: v2\nname: x\nversion: 1.10\nappVersion: 1.10\n"})
    chart = load_chart(tmp_path)
    # sigs.k8s.io/yaml: strconv.FormatFloat(1.1, 'g', -1, 32)
    assert chart.metadata.Version == "1.1" and chart.metadata.AppVersion == "1.1"
    assert format_float(1e6, "g", -1, 32) == "1e+06"
    assert format_float(0.1, "g", -1, 32) == "0.1"


def test_chart_yaml_string_fields_and_keys_that_differ_in_case(tmp_path):
    """As `helm template` 3.17.3 and 4.1.4 print these .Chart fields: numbers and booleans in string
    fields in Go's float32 text, and of two keys one field matches case-insensitively, the one
    sorted last in the JSON text (`appVersion` after `APPVERSION`) wins."""
    (tmp_path / "Chart.yaml").write_text(
        "apiVersion: v2\nname: demo\nversion: 1.10\nappVersion: 1.0\nAPPVERSION: 2\n"
        "keywords: [1, yes, a]\nannotations: {a: 1.5, b: true}\nmaintainers:\n- name: 7\n"
        "home: 3.14159265358979\ndescription: 1e21\ndeprecated: true\nunknown: x\n"
    )
    for helm_major in (3, 4):
        metadata = load_chart(tmp_path, helm_major=helm_major).metadata
        assert (metadata.Version, metadata.AppVersion, metadata.Home, metadata.Description) == (
            "1.1",
            "1",
            "3.1415927",
            "1e+21",
        )
        assert metadata.Keywords == ["1", "true", "a"]
        assert metadata.Annotations == {"a": "1.5", "b": "true"}
        assert [m.Name for m in metadata.Maintainers] == ["7"] and metadata.Deprecated is True


@pytest.mark.parametrize(
    ("chart_yaml", "helm3", "helm4"),
    [
        ("name: [a]", "Metadata.name of type string", None),
        ('deprecated: "yes"', "Metadata.deprecated of type bool", None),
        ("maintainers:\n- name: [x]", "Maintainer.maintainers.name of type string", None),
        ("maintainers: a", "Metadata.maintainers of type []*chart.Maintainer", "Metadata.maintainers of type []*v2.Maintainer"),
        ("maintainers:\n- a", "Metadata.maintainers of type chart.Maintainer", "Metadata.maintainers of type v2.Maintainer"),
        ("dependencies:\n- {name: d, tags: x}", "Dependency.dependencies.tags of type []string", None),
        ("annotations:\n  x: [1]", "Metadata.annotations of type string", None),
    ],
)  # fmt: skip
def test_chart_yaml_type_errors_match_helm(tmp_path, chart_yaml, helm3, helm4):
    """The texts of `helm template` 3.17.3 and 4.1.4 (Helm 4's chart types are in package v2)."""
    (tmp_path / "Chart.yaml").write_text(f"apiVersion: v2\nname: x\nversion: 1.0.0\n{chart_yaml}\n")
    kind = "array" if "[" in chart_yaml.split(":", 1)[1] and "{" not in chart_yaml else "string"
    for helm_major, field in ((3, helm3), (4, helm4 or helm3)):
        with pytest.raises(ChartLoadError) as info:
            load_chart(tmp_path, helm_major=helm_major)
        assert info.value.message == (
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"{kind} into Go struct field {field}"
        )


@pytest.mark.parametrize(("file", "helm3", "helm4"), [
    ("Chart.yaml", "chart.Metadata", "loader.chartBase"),
    ("requirements.yaml", "chart.Metadata", "v2.Metadata"),
])  # fmt: skip
def test_chart_yaml_that_is_not_a_map(tmp_path, file, helm3, helm4):
    (tmp_path / "Chart.yaml").write_text("apiVersion: v1\nname: x\nversion: 1.0.0\n")
    (tmp_path / file).write_text("- a\n")
    for helm_major, target in ((3, helm3), (4, helm4)):
        with pytest.raises(ChartLoadError) as info:
            load_chart(tmp_path, helm_major=helm_major)
        assert info.value.message == (
            f"cannot load {file}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            f"array into Go value of type {target}"
        )


def test_missing_api_version_defaults_to_v1_and_requirements_yaml_is_read(tmp_path):
    write_chart(
        tmp_path,
        {
            "Chart.yaml": "name: old\nversion: 1.0.0\n",
            "requirements.yaml": "dependencies:\n- name: dep\n  version: 1.x\n  repository: ''\n",
            "requirements.lock": "dependencies: []\n",
        },
    )
    chart = load_chart(tmp_path)
    assert chart.metadata.APIVersion == "v1"
    assert [d.Name for d in chart.metadata.Dependencies] == ["dep"]
    # For v1 charts Helm also keeps both files in .Files
    assert {f.name for f in chart.files} == {"requirements.yaml", "requirements.lock"}


def test_requirements_yaml_on_v2_chart_warns(tmp_path):
    write_chart(
        tmp_path,
        {
            "Chart.yaml": "apiVersion: v2\nname: n\nversion: 1.0.0\n",
            "requirements.yaml": "dependencies: []\n",
        },
    )
    chart = load_chart(tmp_path)
    assert chart.warnings and "Chart.yaml since apiVersion" in chart.warnings[0]
    assert chart.files == []


@pytest.mark.parametrize(
    ("chart_yaml", "message"),
    [
        ("apiVersion: v2\nversion: 1.0.0\n", "validation: chart.metadata.name is required"),
        ("apiVersion: v2\nname: x\n", "validation: chart.metadata.version is required"),
        ("apiVersion: v2\nname: x\nversion: one\n", 'validation: chart.metadata.version "one" is invalid'),
        ("apiVersion: v2\nname: a/b\nversion: 1.0.0\n", 'validation: chart.metadata.name "a/b" is invalid'),
        ("apiVersion: v2\nname: x\nversion: 1.0.0\ntype: app\n", "validation: chart.metadata.type must be"),
        (
            "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n- name: a\n",
            'validation: more than one dependency with name or alias "a"',
        ),
        (
            "apiVersion: v2\nname: x\nversion: 1.0.0\ndependencies:\n- name: a\n  alias: b.c\n",
            'validation: dependency "a" has disallowed characters in the alias',
        ),
        ("apiVersion: v2\nname: x\nversion: 1.0.0\nmaintainers:\n- null\n", "maintainers must not contain"),
        (
            "apiVersion: v2\nname: [x]\nversion: 1.0.0\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
            "array into Go struct field Metadata.name of type string",
        ),
    ],
)
def test_chart_yaml_validation_errors(tmp_path, chart_yaml, message):
    write_chart(tmp_path, {"Chart.yaml": chart_yaml})
    with pytest.raises(ChartLoadError) as info:
        load_chart(tmp_path)
    assert message in info.value.message
    assert info.value.position.file.endswith("Chart.yaml")


def test_dot_name_rejected_only_by_helm4(tmp_path):
    write_chart(tmp_path, {"Chart.yaml": "apiVersion: v2\nname: '..'\nversion: 1.0.0\n"})
    with pytest.raises(ChartLoadError, match=r'chart.metadata.name "\.\." is not allowed'):
        load_chart(tmp_path, helm_major=4)
    # Helm 3 has no such check, and filepath.Base("..") == ".." so the name passes.
    assert load_chart(tmp_path, helm_major=3).name() == ".."


def test_missing_chart_yaml(tmp_path):
    write_chart(tmp_path, {"values.yaml": "a: 1\n"})
    with pytest.raises(ChartLoadError, match="Chart.yaml file is missing"):
        load_chart(tmp_path, helm_major=3)


def test_subchart_dir_without_chart_yaml_fails_like_helm(tmp_path):
    write_chart(tmp_path, {"Chart.yaml": CHART_YAML.decode(), "charts/README.md": "hi"})
    with pytest.raises(ChartLoadError) as info:
        load_chart(tmp_path)
    assert info.value.message == "error unpacking subchart README.md in mini: Chart.yaml file is missing"


def test_charts_entries_starting_with_dot_or_underscore_are_skipped(tmp_path):
    write_chart(tmp_path, {"Chart.yaml": CHART_YAML.decode(), "charts/_skip/x": "", "charts/.git/y": ""})
    assert load_chart(tmp_path).dependencies == []


def test_values_multi_document_merge_differs_between_helm_versions(tmp_path):
    write_chart(
        tmp_path, {"Chart.yaml": CHART_YAML.decode(), "values.yaml": "a: 1\nb: {p: 1}\n---\nb: {q: 2}\n"}
    )
    assert load_chart(tmp_path, helm_major=4).values == {"a": 1.0, "b": {"p": 1.0, "q": 2.0}}
    assert load_chart(tmp_path, helm_major=3).values == {"a": 1.0, "b": {"p": 1.0}}


def test_bad_values_yaml_reports_file(tmp_path):
    write_chart(tmp_path, {"Chart.yaml": CHART_YAML.decode(), "values.yaml": "a: [1\n"})
    with pytest.raises(ChartLoadError) as info:
        load_chart(tmp_path)
    assert info.value.message.startswith("cannot load values.yaml: ")
    assert info.value.position.file.endswith("values.yaml")


def test_utf8_bom_is_stripped(tmp_path):
    (tmp_path / "Chart.yaml").write_bytes(b"\xef\xbb\xbf" + CHART_YAML)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "a.yaml").write_bytes(b"\xef\xbb\xbfkind: A\n")
    chart = load_chart(tmp_path)
    assert chart.templates[0].data == b"kind: A\n"


def test_symlink_inside_chart_is_followed_and_outside_is_refused(tmp_path):
    chart_dir = write_chart(tmp_path / "c", {"Chart.yaml": CHART_YAML.decode(), "real.txt": "data"})
    os.symlink(chart_dir / "real.txt", chart_dir / "link.txt")
    chart = load_chart(chart_dir)
    assert {f.name: f.data for f in chart.files}["link.txt"] == b"data"
    (tmp_path / "secret").write_text("s")
    os.symlink(tmp_path / "secret", chart_dir / "escape.txt")
    with pytest.raises(ChartLoadError, match="points outside the chart"):
        load_chart(chart_dir)


def test_irregular_file_rejected(tmp_path):
    write_chart(tmp_path, {"Chart.yaml": CHART_YAML.decode()})
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(
        ChartLoadError, match="cannot load irregular file .*pipe as it has file mode type bits set"
    ):
        load_chart(tmp_path)


def test_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_SIZE", 10)
    write_chart(tmp_path, {"Chart.yaml": CHART_YAML.decode()[:10], "big.txt": "x" * 11})
    with pytest.raises(ChartLoadError, match='chart file "big.txt" is larger than the maximum file size 10'):
        load_chart(tmp_path)


# --- archives ----------------------------------------------------------------------------------


def test_archive_loads_with_nested_tgz_subchart(tmp_path):
    sub = make_tgz(
        tmp_path / "sub.tgz",
        [("sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 0.2.0\n", tarfile.REGTYPE)],
    )
    top = make_tgz(
        tmp_path / "top.tgz",
        [
            ("mini/Chart.yaml", CHART_YAML, tarfile.REGTYPE),
            ("mini/templates/a.yaml", b"kind: A\n", tarfile.REGTYPE),
            ("mini/templates/.hidden", b"kept: archives ignore .helmignore", tarfile.REGTYPE),
            ("mini/charts/sub-0.2.0.tgz", sub.read_bytes(), tarfile.REGTYPE),
        ],
    )
    chart = load_chart(top)
    assert [f.name for f in chart.templates] == ["templates/a.yaml", "templates/.hidden"]
    assert [(d.name(), d.metadata.Version) for d in chart.dependencies] == [("sub", "0.2.0")]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([("mini/../../etc/passwd", b"x", tarfile.REGTYPE)], "chart illegally references parent directory"),
        (
            [("Chart.yaml", CHART_YAML, tarfile.REGTYPE)],
            "chart illegally contains content outside the base directory",
        ),
        ([("mini//abs", b"x", tarfile.REGTYPE)], "chart illegally contains absolute paths"),
        ([("mini/c:/x", b"x", tarfile.REGTYPE)], "chart contains illegally named files"),
        ([("Chart.yaml/x", b"x", tarfile.REGTYPE)], "chart yaml not in base directory"),
        ([("mini/link", None, tarfile.SYMTYPE)], "contains a link"),
        ([("mini/hard", None, tarfile.LNKTYPE)], "contains a link"),
        ([("mini/dev", None, tarfile.CHRTYPE)], "contains a special file"),
        ([], "no files in chart archive"),
    ],
)
def test_hostile_archives(tmp_path, members, message):
    path = make_tgz(tmp_path / "bad.tgz", members)
    with pytest.raises(ChartLoadError, match=message):
        load_chart(path)


def test_not_gzip_and_truncated(tmp_path):
    yaml_file = tmp_path / "values.yaml"
    yaml_file.write_text("a: 1\n")
    with pytest.raises(ChartLoadError, match="seems to be a YAML file, but expected a gzipped archive"):
        load_chart(yaml_file)
    text = tmp_path / "chart.bin"
    text.write_text("hello")
    with pytest.raises(ChartLoadError, match="does not appear to be a gzipped archive; got 'text/plain"):
        load_chart(text)
    good = make_tgz(tmp_path / "good.tgz", [("mini/Chart.yaml", CHART_YAML * 200, tarfile.REGTYPE)])
    truncated = tmp_path / "trunc.tgz"
    truncated.write_bytes(good.read_bytes()[:60])
    with pytest.raises(ChartLoadError, match="unable to load chart archive"):
        load_chart(truncated)


def test_archive_size_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_SIZE", 100)
    path = make_tgz(tmp_path / "big.tgz", [("mini/Chart.yaml", b"x" * 101, tarfile.REGTYPE)])
    with pytest.raises(ChartLoadError, match="is larger than the maximum file size 100"):
        load_chart(path)
    monkeypatch.setattr(loader, "MAX_FILE_SIZE", 1000)
    monkeypatch.setattr(loader, "MAX_CHART_SIZE", 150)
    path = make_tgz(
        tmp_path / "big2.tgz",
        [("mini/a", b"x" * 100, tarfile.REGTYPE), ("mini/b", b"x" * 100, tarfile.REGTYPE)],
    )
    with pytest.raises(ChartLoadError, match="decompressed chart is larger than the maximum size 150"):
        load_chart(path)


def test_missing_path():
    with pytest.raises(ChartLoadError, match="no such file or directory"):
        load_chart("/nonexistent/chart")


# --- .helmignore and filepath.Match ------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "name", "expected"),
    [
        ("*.txt", "a.txt", True),
        ("*.txt", "dir/a.txt", False),
        ("a?c", "abc", True),
        ("a?c", "a/c", False),
        ("[a-c]x", "bx", True),
        ("[^a-c]x", "bx", False),
        ("\\*", "*", True),
    ],
)
def test_go_filepath_match(pattern, name, expected):
    assert go_match(pattern, name) is expected


def test_helmignore_rules():
    rules = Rules.parse("\ufeff# comment\n*.bak\n/top.txt\nsub/*.log\ndir/\n")
    assert rules.ignore("x/y.bak", False)  # no slash: matched against the base name
    assert rules.ignore("top.txt", False) and not rules.ignore("a/top.txt", False)
    assert rules.ignore("sub/a.log", False) and not rules.ignore("x/sub/a.log", False)
    assert rules.ignore("dir", True) and not rules.ignore("dir", False)
    assert not rules.ignore("", False) and not rules.ignore(".", True)


def test_helmignore_negation_quirk():
    # Helm's Rules.Ignore: a negated rule that does NOT match ignores the path.
    rules = Rules.parse("!keep.txt\n")
    assert not rules.ignore("keep.txt", False)
    assert rules.ignore("other.txt", False)


def test_helmignore_default_rule_and_errors():
    rules = Rules()
    rules.add_defaults()
    assert rules.ignore("templates/.swp", False)
    assert not rules.ignore("templates/a.yaml", False)
    assert not rules.ignore("charts/sub/templates/.x", False)
    with pytest.raises(IgnoreError, match=r"double-star \(\*\*\) syntax is not supported"):
        Rules.parse("a/**/b\n")
    with pytest.raises(IgnoreError, match="syntax error in pattern"):
        Rules.parse("[\n")


def test_bad_helmignore_fails_the_load(tmp_path):
    write_chart(tmp_path, {"Chart.yaml": CHART_YAML.decode(), ".helmignore": "**/x\n"})
    with pytest.raises(ChartLoadError, match="double-star"):
        load_chart(tmp_path)


def test_semver_parsing_is_masterminds_loose():
    assert parse_version("v1.2").text() == "1.2.0"
    assert parse_version("1.2.3-rc.1+build.5").text() == "1.2.3-rc.1+build.5"
    assert parse_version("1.2.3-01") is None
    assert parse_version("1.2.3.4") is None
    assert parse_version("") is None


# --- the corpus --------------------------------------------------------------------------------


def test_whole_corpus_loads(corpus_dir):
    names = sorted(p.name for p in corpus_dir.iterdir() if p.is_dir())
    assert len(names) >= 100
    loaded = {name: load_chart(corpus_dir / name) for name in names}
    for name, chart in loaded.items():
        assert chart.name() and parse_version(chart.metadata.Version) is not None, name
    assert loaded["bitnami__charts__common"].is_library()
    full_stack = loaded["tjungbauer__helm-charts__compliance-operator-full-stack"]
    assert sorted(d.name() for d in full_stack.dependencies) == [
        "helper-operator",
        "helper-status-checker",
        "tpl",
    ]
    tpl = next(d for d in full_stack.dependencies if d.name() == "tpl")
    assert tpl.is_library() and tpl.metadata.Version == "1.0.31"
    loki_stack = loaded["grafana__helm-charts__loki-stack"]
    assert loki_stack.metadata.APIVersion == "v1"
    assert [d.Name for d in loki_stack.metadata.Dependencies][:2] == ["loki", "promtail"]
    argo = loaded["argoproj__argo-helm__argo-cd"]
    assert argo.metadata.Name == "argo-cd" and argo.metadata.APIVersion == "v2"


def _load_error(path: Path, helm_major: int) -> str:
    with pytest.raises(ChartLoadError) as info:
        load_chart(path, helm_major=helm_major)
    return info.value.message


def test_helm4_detects_the_chart_api_version_first(tmp_path):
    write_chart(tmp_path / "v9", {"Chart.yaml": "apiVersion: v9\nname: x\nversion: 1.0.0\n"})
    assert _load_error(tmp_path / "v9", 4) == "unsupported chart version"
    assert load_chart(tmp_path / "v9", helm_major=3).metadata.APIVersion == "v9"  # Helm 3 does not care
    write_chart(tmp_path / "none", {"values.yaml": "a: 1\n"})
    chart_yaml = tmp_path / "none" / "Chart.yaml"
    assert _load_error(tmp_path / "none", 4) == (
        f"unable to detect chart at {chart_yaml}: open {chart_yaml}: no such file or directory"
    )
    archive = make_tgz(tmp_path / "none.tgz", [("x/values.yaml", b"a: 1\n", tarfile.REGTYPE)])
    assert _load_error(archive, 4) == "unable to detect chart version, no Chart.yaml found"
    assert _load_error(archive, 3) == "Chart.yaml file is missing"


def test_chart_yaml_nan_and_infinities_as_helm_reads_them(tmp_path):
    """`helm template` 3.17.3 writes a NaN or infinity bound for a string field as Go's float text;
    4.1.4, and 3.17.3 anywhere else, stops: JSON has no such numbers."""
    head = "apiVersion: v2\nname: x\nversion: 1.0.0\n"
    (tmp_path / "Chart.yaml").write_text(
        head
        + "appVersion: .inf\nkeywords: [.nan, -.Inf]\nannotations: {a: -.inf}\nmaintainers: [{name: .nan}]\n"
    )
    metadata = load_chart(tmp_path, helm_major=3).metadata
    assert (metadata.AppVersion, metadata.Keywords, metadata.Annotations) == (
        "+Inf",
        ["NaN", "-Inf"],
        {"a": "-Inf"},
    )
    assert metadata.Maintainers[0].Name == "NaN"
    with pytest.raises(ChartLoadError) as info:
        load_chart(tmp_path, helm_major=4)
    assert (
        info.value.message
        == "cannot load Chart.yaml: error converting YAML to JSON: json: unsupported value: -Inf"
    )
    for elsewhere in ("foo: .nan", "deprecated: .nan", "dependencies: [{name: d, import-values: [.nan]}]"):
        (tmp_path / "Chart.yaml").write_text(head + elsewhere + "\n")
        for helm_major in (3, 4):
            with pytest.raises(ChartLoadError) as info:
                load_chart(tmp_path, helm_major=helm_major)
            assert info.value.message == (
                "cannot load Chart.yaml: error converting YAML to JSON: json: unsupported value: NaN"
            )
