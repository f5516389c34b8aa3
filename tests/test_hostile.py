"""Hostile and broken charts (issue 6): every case ends in one `Error: file:line:col: ...` line,
exit code 2, no traceback, in bounded time, and `patch` writes nothing.

Each case builds its chart in tmp_path (archives and big inputs are generated here, none committed)
and runs it through the CLI for `render`, `lint` and `patch`.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import importlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chartfix.cli.app import app
from chartfix.helm import loader
from chartfix.patch import output as output_module
from chartfix.patch import patcher as patch_module

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OLM_CHART = FIXTURES / "olm-bundled-no-hook"
CLI_TIMEOUT_SECONDS = 60
CHART_YAML = "apiVersion: v2\nname: hostile\nversion: 0.1.0\n"
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n"
COMMANDS = ("render", "lint", "patch")


class CliTimeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise CliTimeout(f"chartfix did not finish within {CLI_TIMEOUT_SECONDS} s")


def run_cli(args: list[str]) -> tuple[int, str, float]:
    """Run the CLI in-process under a wall-clock alarm; (exit code, output, seconds)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(CLI_TIMEOUT_SECONDS)
    started = time.monotonic()
    try:
        result = CliRunner().invoke(app, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - started
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: unexpected {type(result.exception).__name__}: {result.exception}")
    return result.exit_code, result.output, elapsed


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def chart(root: Path, **files: str | bytes) -> Path:
    """A minimal valid chart with `files` (keys use __ for /) added or replaced."""
    tree: dict[str, str | bytes] = {"Chart.yaml": CHART_YAML, "templates/cm.yaml": CONFIGMAP}
    tree.update({name.replace("__", "/"): content for name, content in files.items()})
    return write_tree(root / "hostile", tree)


def tar_bytes(members: list[tarfile.TarInfo | tuple[tarfile.TarInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for member in members:
            info, data = member if isinstance(member, tuple) else (member, None)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def tar_file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def tar_special(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def archive(root: Path, *extra: tarfile.TarInfo | tuple[tarfile.TarInfo, bytes]) -> Path:
    base = [
        tar_file("hostile/Chart.yaml", CHART_YAML.encode()),
        tar_file("hostile/templates/cm.yaml", CONFIGMAP.encode()),
    ]
    path = root / "hostile-0.1.0.tgz"
    path.write_bytes(tar_bytes([*base, *extra]))
    return path


def billion_laughs(levels: int = 12, width: int = 10) -> str:
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def fingerprint(path: Path) -> dict[str, str]:
    if path.is_file():
        return {path.name: hashlib.sha256(path.read_bytes()).hexdigest()}
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(path.rglob("*"))
        if not p.is_fifo()
    }


@dataclass
class Case:
    build: Callable[[Path], Path]
    expect: tuple[str, ...]  # substrings of the one error line
    extra_args: tuple[str, ...] = ()
    commands: tuple[str, ...] = COMMANDS  # the others accept the input (e.g. lint reports a finding)
    limits: dict[str, float] | None = None  # "module.NAME": value, lower limits to keep the test fast


def _values_file_case(tmp: Path) -> Path:
    (tmp / "broken-values.yaml").write_text("a: [1, 2\nb: c\n")
    return chart(tmp)


def _many_files(tmp: Path) -> Path:
    files = {f"templates/f{i}.yaml": f"# {i}\n" for i in range(loader.MAX_FILE_COUNT + 1)}
    return chart(tmp, **{k.replace("/", "__"): v for k, v in files.items()})


def _big_values(tmp: Path) -> Path:
    return chart(tmp, **{"values.yaml": "k: " + "x" * (loader.MAX_FILE_SIZE + 10) + "\n"})


def _deep_values(tmp: Path) -> Path:
    return chart(tmp, **{"values.yaml": "a: " + "[" * 100_000 + "]" * 100_000 + "\n"})


def _symlink_outside(tmp: Path) -> Path:
    root = chart(tmp)
    (tmp / "secret.txt").write_text("top secret\n")
    (root / "templates" / "leak.yaml").symlink_to(tmp / "secret.txt")
    return root


def _fifo_file(tmp: Path) -> Path:
    root = chart(tmp)
    os.mkfifo(root / "templates" / "pipe.yaml")
    return root


def _chart_yaml_is_dir(tmp: Path) -> Path:
    root = chart(tmp)
    (root / "Chart.yaml").unlink()
    (root / "Chart.yaml").mkdir()
    return root


def _values_yaml_is_dir(tmp: Path) -> Path:
    root = chart(tmp)
    (root / "values.yaml").mkdir()
    return root


def _chart_is_file(tmp: Path) -> Path:
    path = tmp / "hostile"
    path.write_text("just a file\n")
    return path


def _missing_chart_yaml(tmp: Path) -> Path:
    root = chart(tmp)
    (root / "Chart.yaml").unlink()
    return root


def _decompression_bomb(tmp: Path) -> Path:
    path = tmp / "bomb-0.1.0.tgz"
    chunk = b"\0" * (1024 * 1024)
    with gzip.open(path, "wb", compresslevel=1) as out, tarfile.open(fileobj=out, mode="w|") as tar:
        info = tarfile.TarInfo("hostile/Chart.yaml")
        info.size = len(CHART_YAML)
        tar.addfile(info, io.BytesIO(CHART_YAML.encode()))
        for n in range(loader.MAX_CHART_SIZE // (4 * 1024 * 1024) + 2):
            info = tarfile.TarInfo(f"hostile/files/z{n}")
            info.size = 4 * 1024 * 1024
            tar.addfile(info, io.BytesIO(chunk * 4))
    return path


def _truncated_archive(tmp: Path) -> Path:
    path = archive(tmp, tar_file("hostile/values.yaml", os.urandom(20_000)))
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def _subchart_archive(*members: tarfile.TarInfo | tuple[tarfile.TarInfo, bytes]) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        sub = tar_bytes(
            [tar_file("sub/Chart.yaml", b"apiVersion: v2\nname: sub\nversion: 0.1.0\n"), *members]
        )
        return chart(tmp, **{"charts__sub-0.1.0.tgz": sub})

    return build


SUB_TEMPLATE_LOOP = '{{ define "loop" }}{{ include "loop" . }}{{ end }}'

CASES: dict[str, Case] = {
    # --- malformed YAML and metadata ---
    "chart-yaml-malformed": Case(
        lambda t: chart(t, **{"Chart.yaml": CHART_YAML + "keywords: [a, b\n"}), ("hostile/Chart.yaml:",)
    ),
    "chart-yaml-tab": Case(
        lambda t: chart(t, **{"Chart.yaml": CHART_YAML + "x:\n\t- y\n"}), ("hostile/Chart.yaml:5",)
    ),
    "chart-yaml-not-a-map": Case(lambda t: chart(t, **{"Chart.yaml": "- a\n- b\n"}), ("hostile/Chart.yaml",)),
    "chart-yaml-missing": Case(_missing_chart_yaml, ("Chart.yaml",)),
    "chart-yaml-is-dir": Case(_chart_yaml_is_dir, ("Chart.yaml",)),
    "chart-yaml-wrong-api-version": Case(
        lambda t: chart(t, **{"Chart.yaml": CHART_YAML.replace("v2", "v9")}),
        ("hostile/Chart.yaml", "unsupported chart version"),
    ),
    "chart-yaml-no-semver": Case(
        lambda t: chart(t, **{"Chart.yaml": CHART_YAML.replace("0.1.0", "one")}),
        ("hostile/Chart.yaml", "is invalid"),
        commands=("render",),
    ),
    "chart-yaml-not-utf8": Case(
        lambda t: chart(t, **{"Chart.yaml": CHART_YAML.encode() + b"description: \xff\xfe\n"}),
        ("hostile/Chart.yaml:4", "UTF-8"),
    ),
    "chart-yaml-alias-bomb": Case(
        lambda t: chart(t, **{"Chart.yaml": CHART_YAML + billion_laughs()}), ("hostile/Chart.yaml",)
    ),
    "values-malformed": Case(lambda t: chart(t, **{"values.yaml": "a: b: c\n"}), ("hostile/values.yaml:1:",)),
    "values-not-utf8": Case(
        lambda t: chart(t, **{"values.yaml": b"a: \xc3\x28\n"}), ("hostile/values.yaml:1", "UTF-8")
    ),
    "values-alias-bomb": Case(
        lambda t: chart(t, **{"values.yaml": billion_laughs()}), ("hostile/values.yaml",)
    ),
    "values-deep-nesting": Case(_deep_values, ("hostile/values.yaml:1", "nesting")),
    "values-too-large": Case(_big_values, ("hostile/values.yaml", "maximum file size")),
    "values-file-malformed": Case(
        _values_file_case, ("broken-values.yaml:2",), ("-f", "{tmp}/broken-values.yaml")
    ),
    "values-file-missing": Case(chart, ("nope.yaml",), ("-f", "{tmp}/nope.yaml")),
    "values-file-endless": Case(
        chart,
        ("/dev/zero", "larger than"),
        ("-f", "/dev/zero"),
        limits={"chartfix.helm.values.MAX_USER_FILE_SIZE": 1 << 20},
    ),
    "set-huge-index": Case(chart, ("--set", "value out of range"), ("--set", "a[" + "9" * 5000 + "]=1")),
    "set-deep-name": Case(chart, ("--set", "nested level"), ("--set", ".".join(["a"] * 5000) + "=1")),
    "values-file-is-dir": Case(chart, ("{tmp}",), ("-f", "{tmp}")),
    # --- template errors ---
    "template-unterminated-action": Case(
        lambda t: chart(t, **{"templates__bad.yaml": "a: {{ .Values.x\n"}), ("hostile/templates/bad.yaml:1",)
    ),
    "template-unterminated-comment": Case(
        lambda t: chart(t, **{"templates__bad.yaml": "{{/* open\n"}), ("hostile/templates/bad.yaml:1",)
    ),
    "template-unknown-function": Case(
        lambda t: chart(t, **{"templates__bad.yaml": "\n{{ nosuchfunc 1 }}\n"}),
        ("hostile/templates/bad.yaml:2", "nosuchfunc"),
    ),
    "template-wrong-arg-count": Case(
        lambda t: chart(t, **{"templates__bad.yaml": "a: {{ trunc 1 }}\n"}),
        ("hostile/templates/bad.yaml:1", "trunc"),
    ),
    "template-include-recursion": Case(
        lambda t: chart(t, **{"templates__bad.yaml": SUB_TEMPLATE_LOOP + '{{ include "loop" . }}\n'}),
        ("hostile/templates/bad.yaml:1",),
    ),
    "template-define-template-itself": Case(
        lambda t: chart(
            t,
            **{
                "templates__bad.yaml": '{{ define "self" }}{{ template "self" . }}{{ end }}{{ template "self" . }}\n'
            },
        ),
        ("hostile/templates/bad.yaml:1",),
    ),
    "template-tpl-recursion": Case(
        lambda t: chart(
            t,
            **{
                "values.yaml": "t: '{{ tpl .Values.t . }}'\n",
                "templates__bad.yaml": "{{ tpl .Values.t . }}\n",
            },
        ),
        ("hostile/templates/bad.yaml: ", "tpl"),
    ),
    "template-huge-until": Case(
        lambda t: chart(t, **{"templates__bad.yaml": "{{ range until 100000000000 }}x{{ end }}\n"}),
        ("hostile/templates/bad.yaml:1",),
    ),
    "template-huge-seq": Case(
        lambda t: chart(t, **{"templates__bad.yaml": "{{ seq 1 100000000000 }}\n"}),
        ("hostile/templates/bad.yaml:1",),
    ),
    "template-huge-repeat": Case(
        lambda t: chart(t, **{"templates__bad.yaml": '{{ repeat 100000000000 "xx" }}\n'}),
        ("hostile/templates/bad.yaml:1",),
    ),
    "template-regex-backtracking": Case(
        lambda t: chart(t, **{"templates__bad.yaml": 'a: {{ regexMatch "(a+)+$" "' + "a" * 40 + '!" }}\n'}),
        ("hostile/templates/bad.yaml:1", "(a+)+$", "takes more than"),
        limits={"chartfix.go.sprig.regex.REGEX_TIMEOUT_SECONDS": 0.5},
    ),
    "template-regex-quadratic": Case(
        lambda t: chart(
            t,
            **{"templates__bad.yaml": 'a: {{ regexMatch "[^a-z]+$" (printf "%sa" (repeat 200000 "!")) }}\n'},
        ),
        ("hostile/templates/bad.yaml:1", "takes more than"),
        limits={"chartfix.go.sprig.regex.REGEX_TIMEOUT_SECONDS": 0.2},
    ),
    "template-semver-huge-number": Case(
        lambda t: chart(t, **{"templates__bad.yaml": '{{ semver "' + "9" * 5000 + '.1.1" }}\n'}),
        ("hostile/templates/bad.yaml:1", "value out of range"),
    ),
    "template-semver-long-constraint": Case(
        lambda t: chart(
            t, **{"templates__bad.yaml": '{{ semverCompare ">= ' + "1" * 5000 + '" "1.0.0" }}\n'}
        ),
        ("hostile/templates/bad.yaml:1", "longer than"),
    ),
    "template-fail": Case(
        lambda t: chart(t, **{"templates__bad.yaml": '\n\n{{ fail "stop" }}\n'}),
        ("hostile/templates/bad.yaml:3", "stop"),
        commands=("render",),  # lint reports it as CF1022 and lints the ci/*.yaml scenarios
    ),
    "output-malformed-yaml": Case(
        lambda t: chart(t, **{"templates__bad.yaml": "kind: [a, b\nmetadata: {}\n"}),
        ("hostile/templates/bad.yaml",),
    ),
    "output-alias-bomb": Case(
        lambda t: chart(
            t,
            **{
                "templates__bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
                + billion_laughs()
            },
        ),
        ("hostile/templates/bad.yaml",),
    ),
    "output-deep-nesting": Case(
        lambda t: chart(t, **{"templates__bad.yaml": '{{ repeat 50000 "[" }}{{ repeat 50000 "]" }}\n'}),
        ("hostile/templates/bad.yaml",),
    ),
    "output-not-utf8": Case(
        lambda t: chart(
            t, **{"templates__bad.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xff\n"}
        ),
        ("hostile/templates/bad.yaml",),
    ),
    # --- values.schema.json ---
    "schema-not-json": Case(
        lambda t: chart(t, **{"values.schema.json": "{not json"}),
        ("hostile/values.schema.json", "schema"),
        commands=("render",),
    ),
    "schema-is-a-list": Case(
        lambda t: chart(t, **{"values.schema.json": "[" * 5000 + "]" * 5000}),
        ("hostile/values.schema.json", "invalid schema"),
        commands=("render",),
    ),
    "schema-ref-loop": Case(
        lambda t: chart(
            t, **{"values.schema.json": '{"$ref": "#/$defs/x", "$defs": {"x": {"$ref": "#/$defs/x"}}}'}
        ),
        ("hostile/values.schema.json", "recursion"),
        commands=("render",),
    ),
    "schema-remote-ref": Case(
        lambda t: chart(
            t,
            **{
                "values.schema.json": '{"properties": {"a": {"$ref": "file:///etc/passwd"}}}',
                "values.yaml": "a: 1\n",
            },
        ),
        ("hostile/values.schema.json", "reference"),
        commands=("render",),
    ),
    "schema-pattern-backtracking": Case(
        lambda t: chart(
            t,
            **{
                "values.schema.json": '{"properties": {"a": {"pattern": "(a+)+$"}}}',
                "values.yaml": "a: " + "a" * 40 + "!\n",
            },
        ),
        ("hostile/values.schema.json", "take more than"),
        limits={"chartfix.helm.schema_check.SCHEMA_TIMEOUT_SECONDS": 0.5},
        commands=("render",),
    ),
    # --- resource limits ---
    "too-many-files": Case(
        _many_files,
        ("hostile/templates/f", "more than 2000 files"),
        limits={"chartfix.helm.loader.MAX_FILE_COUNT": 2000},
    ),
    # --- archives ---
    "archive-parent-path": Case(
        lambda t: archive(t, tar_file("hostile/../../evil.yaml", b"x: 1\n")),
        ("hostile-0.1.0.tgz", "parent directory"),
    ),
    "archive-absolute-path": Case(
        lambda t: archive(t, tar_file("hostile//etc/evil.yaml", b"x: 1\n")), ("hostile-0.1.0.tgz", "absolute")
    ),
    "archive-symlink": Case(
        lambda t: archive(t, tar_special("hostile/templates/l.yaml", tarfile.SYMTYPE, "/etc/passwd")),
        ("hostile-0.1.0.tgz", "link"),
    ),
    "archive-hardlink": Case(
        lambda t: archive(t, tar_special("hostile/templates/h.yaml", tarfile.LNKTYPE, "../../etc/passwd")),
        ("hostile-0.1.0.tgz", "link"),
    ),
    "archive-device": Case(
        lambda t: archive(t, tar_special("hostile/templates/dev", tarfile.CHRTYPE)),
        ("hostile-0.1.0.tgz", "special file"),
    ),
    "archive-fifo": Case(
        lambda t: archive(t, tar_special("hostile/templates/fifo", tarfile.FIFOTYPE)),
        ("hostile-0.1.0.tgz", "special file"),
    ),
    "archive-decompression-bomb": Case(_decompression_bomb, ("bomb-0.1.0.tgz", "maximum size")),
    "archive-truncated": Case(_truncated_archive, ("hostile-0.1.0.tgz",)),
    "archive-not-gzip": Case(
        lambda t: write_tree(t, {"x.tgz": b"PK\x03\x04 not a tarball"}) / "x.tgz", ("x.tgz", "gzip")
    ),
    "archive-gzip-not-tar": Case(
        lambda t: write_tree(t, {"x.tgz": gzip.compress(b"hello, not a tar" * 100)}) / "x.tgz", ("x.tgz",)
    ),
    "archive-empty": Case(lambda t: write_tree(t, {"x.tgz": gzip.compress(b"")}) / "x.tgz", ("x.tgz",)),
    "subchart-parent-path": Case(
        _subchart_archive(tar_file("sub/../../../evil.yaml", b"x: 1\n")),
        ("hostile/charts/sub-0.1.0.tgz", "parent directory"),
    ),
    "subchart-symlink": Case(
        _subchart_archive(tar_special("sub/templates/l.yaml", tarfile.SYMTYPE, "/etc/passwd")),
        ("hostile/charts/sub-0.1.0.tgz", "link"),
    ),
    "subchart-truncated": Case(
        lambda t: chart(
            t, **{"charts__sub-0.1.0.tgz": tar_bytes([tar_file("sub/Chart.yaml", b"x" * 5000)])[:60]}
        ),
        ("hostile/charts/sub-0.1.0.tgz",),
    ),
    "subchart-not-gzip": Case(
        lambda t: chart(t, **{"charts__sub-0.1.0.tgz": b"garbage"}), ("hostile/charts/sub-0.1.0.tgz",)
    ),
    "subchart-bad-values": Case(
        lambda t: chart(
            t,
            **{
                "charts__sub__Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
                "charts__sub__values.yaml": "a: [\n",
            },
        ),
        ("hostile/charts/sub/values.yaml:",),
    ),
    # --- folders ---
    "symlink-outside-chart": Case(_symlink_outside, ("hostile/templates/leak.yaml", "outside")),
    "fifo-in-templates": Case(_fifo_file, ("hostile/templates/pipe.yaml", "irregular")),
    # `lint` searches a path that is not a chart for charts (finds none): see the report.
    "chart-is-a-file": Case(_chart_is_file, ("hostile", "gzip"), commands=("render", "patch")),
}


@pytest.mark.parametrize(
    ("name", "command"),
    [(name, command) for name in sorted(CASES) for command in COMMANDS if command in CASES[name].commands],
)
def test_hostile_input_ends_in_one_clear_error(
    name: str, command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each case runs only through the commands that must refuse it (`lint` reports some inputs,
    such as a non-semver version, as findings instead)."""
    case = CASES[name]
    for limit, value in (case.limits or {}).items():
        module, _, attribute = limit.rpartition(".")
        monkeypatch.setattr(importlib.import_module(module), attribute, value)
    source = case.build(tmp_path)
    before = fingerprint(source)
    extra = [a.replace("{tmp}", str(tmp_path)) for a in case.extra_args]
    args = [command, str(source), *extra]
    out_dir = tmp_path / "out"
    if command == "patch":
        args += ["-o", str(out_dir)]
    code, output, elapsed = run_cli(args)
    errors = [line for line in output.splitlines() if line.startswith("Error: ")]
    assert code == 2, output
    assert len(errors) == 1, output
    assert "Traceback" not in output and "internal error" not in output
    message = output[output.index("Error: ") :]  # Helm's schema report spans several lines
    for expected in case.expect:
        assert expected.replace("{tmp}", str(tmp_path)) in message, message
    assert elapsed < CLI_TIMEOUT_SECONDS
    assert fingerprint(source) == before, "the input chart was modified"
    assert not out_dir.exists(), "patch wrote output for a broken chart"


# Inputs that look broken but that Helm accepts: chartfix must render them as Helm does.
# sigs.k8s.io/yaml.Unmarshal is not strict (go-yaml v2 lets the last duplicate key win), Helm's
# loader drops a leading UTF-8 BOM from every file, and LoadDir walks a folder named values.yaml.
BOM = b"\xef\xbb\xbf"
ACCEPTED: dict[str, tuple[Callable[[Path], Path], str]] = {
    "chart-yaml-duplicate-key": (
        lambda t: chart(t, **{"Chart.yaml": CHART_YAML + "name: again\n"}),
        "again/templates",
    ),
    "values-duplicate-key": (
        lambda t: chart(t, **{"values.yaml": "a: 1\na: 3\n", "templates__v.yaml": "a: {{ .Values.a }}\n"}),
        "a: 3",
    ),
    "output-duplicate-key": (
        lambda t: chart(t, **{"templates__d.yaml": CONFIGMAP + "kind: Secret\n"}),
        "kind: Secret",
    ),
    "values-is-dir": (_values_yaml_is_dir, "name: cm"),
    # strconv.Atoi on a 5000-digit number: out of range, so the nearest int64 (sprig drops the error).
    "huge-integer-text": (
        lambda t: chart(t, **{"templates__n.yaml": 'n: {{ atoi "' + "9" * 5000 + '" }}\n'}),
        "n: 9223372036854775807",
    ),
    "bom": (
        lambda t: chart(t, **{"Chart.yaml": BOM + CHART_YAML.encode(), "values.yaml": BOM + b"x: 1\n"}),
        "name: cm",
    ),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_inputs_helm_accepts_render(name: str, tmp_path: Path) -> None:
    build, expected = ACCEPTED[name]
    code, output, _ = run_cli(["render", str(build(tmp_path))])
    assert code == 0, output
    assert expected in output


def test_backtracking_patterns_are_recognised() -> None:
    from chartfix.go.sprig.regex import python_pattern_backtracks

    for pattern in ("(a+)+$", "(a|aa)*b", "(?:x*)*", "((ab)*c)+"):
        assert python_pattern_backtracks(pattern), pattern
    # Patterns from the corpus stay in-process.
    for pattern in (
        "(-?[^a-z\\d\\-])+-?",
        "[^A-Za-z0-9]+$",
        "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
        "a{3}",
        "(ab)+",
    ):
        assert not python_pattern_backtracks(pattern), pattern


# --- limits are configurable --------------------------------------------------------------------


def test_file_count_limit_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "MAX_FILE_COUNT", 5)
    source = chart(tmp_path, **{f"templates__f{i}.yaml": "# x\n" for i in range(5)})
    code, output, _ = run_cli(["render", str(source)])
    assert code == 2 and "more than 5 files" in output


# --- patch: failures while writing leave nothing behind ----------------------------------------


def _olm_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(OLM_CHART, tmp_path / "olm"))


def test_patch_to_a_path_under_a_file_writes_nothing(tmp_path: Path) -> None:
    source = _olm_copy(tmp_path)
    before = fingerprint(source)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder\n")
    code, output, _ = run_cli(["patch", str(source), "-o", str(blocker / "out")])
    assert code == 2, output
    last = output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and str(blocker) in last and "nothing was written" in last
    assert fingerprint(source) == before
    assert blocker.read_text() == "a file, not a folder\n"


@pytest.mark.parametrize("inside", ["out", "."])
def test_patch_output_inside_the_chart_is_refused(inside: str, tmp_path: Path) -> None:
    source = _olm_copy(tmp_path)
    before = fingerprint(source)
    code, output, _ = run_cli(["patch", str(source), "-o", str(source / inside), "--force"])
    assert code == 2, output
    assert "must be outside the chart folder" in output.strip().splitlines()[-1]
    assert fingerprint(source) == before


def test_patch_force_keeps_the_old_output_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chartfix.errors import ChartfixError

    source = _olm_copy(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous output\n")
    planned = patch_module.plan_patch(str(source), patch_module.PatchOptions())
    _fail_nth_replace(monkeypatch, 2)  # 1: old output moved aside, 2: new output moved in
    with pytest.raises(ChartfixError, match="nothing was written"):
        output_module.write_to_folder(planned, str(out), force=True)
    monkeypatch.undo()
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["olm", "out"]


def test_patch_package_to_read_only_place_writes_nothing(tmp_path: Path) -> None:
    source = _olm_copy(tmp_path)
    before = fingerprint(source)
    code, output, _ = run_cli(["patch", str(source), "--package", "-o", "/proc/chartfix-out"])
    assert code == 2, output
    last = output.strip().splitlines()[-1]
    assert last.startswith("Error: ") and "/proc/chartfix-out" in last
    assert fingerprint(source) == before


class _DiskFull:
    """Make the n-th file write (Path.write_bytes or os.fdopen) raise ENOSPC."""

    def __init__(self, fail_at: int) -> None:
        self.calls = 0
        self.fail_at = fail_at

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_write_bytes, real_fdopen = Path.write_bytes, os.fdopen

        def write_bytes(path: Path, data: bytes) -> int:
            self._tick(path)
            return real_write_bytes(path, data)

        def fdopen(fd: int, *args, **kwargs):  # type: ignore[no-untyped-def]
            self._tick(fd)
            return real_fdopen(fd, *args, **kwargs)

        monkeypatch.setattr(Path, "write_bytes", write_bytes)
        monkeypatch.setattr(os, "fdopen", fdopen)

    def _tick(self, what: object) -> None:
        self.calls += 1
        if self.calls == self.fail_at:
            raise OSError(errno.ENOSPC, "No space left on device", str(what))


def _fail_nth_replace(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    real_replace = os.replace
    calls = []

    def replace(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == nth:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("mode", ["output", "in-place", "package"])
@pytest.mark.parametrize("fail_at", ["write-1", "write-2", "replace-last"])
def test_patch_on_a_full_disk_leaves_nothing(
    mode: str, fail_at: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    source = _olm_copy(tmp_path)
    before = fingerprint(source)
    planned = patch_module.plan_patch(str(source), patch_module.PatchOptions())
    assert planned.changed
    out = tmp_path / "out"
    if fail_at.startswith("write-"):
        _DiskFull(int(fail_at.removeprefix("write-"))).install(monkeypatch)
    else:
        _fail_nth_replace(monkeypatch, 2 if mode == "in-place" else 1)
    from chartfix.errors import ChartfixError

    with pytest.raises(ChartfixError, match="No space left on device"):
        if mode == "output":
            output_module.write_to_folder(planned, str(out), force=False)
        elif mode == "in-place":
            output_module.write_in_place(planned)
        else:
            output_module.write_package(planned, str(out))
    monkeypatch.undo()
    assert fingerprint(source) == before, "the input chart was modified"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name not in ("olm",)]
    assert leftovers in ([], ["out"]), leftovers
    if out.exists():
        assert list(out.iterdir()) == [], "partial output left behind"
    assert not [p for p in source.rglob(".chartfix-*")], "temporary files left in the chart"


def test_patch_interrupted_midway_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    source = _olm_copy(tmp_path)
    before = fingerprint(source)
    planned = patch_module.plan_patch(str(source), patch_module.PatchOptions())
    real_replace = os.replace
    calls = []

    def interrupted(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output_module.write_in_place(planned)
    monkeypatch.undo()
    assert len(calls) >= 2
    assert fingerprint(source) == before, "an interrupted in-place patch must put the originals back"
    assert not [p for p in source.rglob(".chartfix-*")]
    write_ok = patch_module.plan_patch(str(source), patch_module.PatchOptions())
    output_module.write_in_place(write_ok)
    assert fingerprint(source) != before
    assert not [p for p in source.rglob(".chartfix-*")]


# --- the real entry point: no traceback from a fresh process -----------------------------------


@pytest.mark.parametrize(
    "name", ["values-alias-bomb", "template-include-recursion", "archive-decompression-bomb"]
)
def test_entry_point_subprocess(name: str, tmp_path: Path) -> None:
    source = CASES[name].build(tmp_path)
    executable = Path(sys.executable).with_name("chartfix")
    completed = subprocess.run(
        [str(executable), "render", str(source)],
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_SECONDS,
    )
    assert completed.returncode == 2, completed.stderr
    assert completed.stderr.startswith("Error: ")
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{{ range until 100000 }}{{ range until 100000 }}{{ end }}{{ end }}", "range iterations"),
        ('{{ range until 20000 }}{{ repeat 100000 "x" }}{{ end }}', "printed more than"),
    ],
)
def test_runaway_templates_stop_at_the_execution_budget(template: str, message: str, tmp_path: Path) -> None:
    source = chart(tmp_path, **{"templates__cm.yaml": template})
    code, output, elapsed = run_cli(["render", str(source)])
    assert code == 2, output
    assert message in output and "hostile/templates/cm.yaml:1:" in output
    assert "Traceback" not in output


def test_huge_integer_in_values_renders_as_helm_does(tmp_path: Path) -> None:
    source = chart(
        tmp_path, **{"values.yaml": "n: " + "9" * 5000 + "\n", "templates__cm.yaml": "x: {{ .Values.n }}\n"}
    )
    code, output, _ = run_cli(["render", str(source)])
    assert code == 0, output
    assert output.endswith("x:\n")  # byte for byte what Helm 4.1.4 prints for this chart
