"""Property tests for issue 6: `patch` is idempotent and touches only the files it means to change,
and lint's result does not depend on the order in which the file system lists a folder."""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chartfix.findings.lint import LintOptions, lint_chart
from chartfix.patch.output import write_to_folder
from chartfix.patch.patcher import PatchOptions, plan_patch

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OLM_CHART = FIXTURES / "olm-bundled-no-hook"

_comment_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
    max_size=30,
)
_decoration = st.one_of(
    st.just(""),
    st.builds(lambda text: f"# {text}", _comment_text),
    st.builds(lambda spaces, text: f"{' ' * spaces}# {text}", st.integers(0, 4), _comment_text),
)
_extra_files = st.dictionaries(
    st.sampled_from(["README.md", "files/a.txt", "files/b.conf", "docs/notes.md", "LICENSE"]),
    st.binary(max_size=200),
    max_size=3,
)


def _decorated_values(original: str, draws: list[str], trailing: list[int]) -> str:
    """The values file with comment or blank lines between its lines and spaces after values."""
    out = []
    for n, line in enumerate(original.splitlines()):
        out.append(draws[n % len(draws)])
        spaces = trailing[n % len(trailing)] if line and not line.lstrip().startswith("#") else 0
        out.append(line + " " * spaces)
    return "\n".join(out) + "\n"


def _tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    decorations=st.lists(_decoration, min_size=1, max_size=6),
    trailing=st.lists(st.integers(0, 3), min_size=1, max_size=4),
    extra=_extra_files,
)
def test_patch_is_idempotent_and_changes_only_its_files(
    decorations: list[str], trailing: list[int], extra: dict[str, bytes]
) -> None:
    with tempfile.TemporaryDirectory(prefix="chartfix-prop-") as tmp:
        chart = Path(shutil.copytree(OLM_CHART, Path(tmp, "chart")))
        values = (chart / "values.yaml").read_text()
        (chart / "values.yaml").write_text(_decorated_values(values, decorations, trailing))
        for name, data in extra.items():
            (chart / name).parent.mkdir(parents=True, exist_ok=True)
            (chart / name).write_bytes(data)
        before = _tree_bytes(chart)

        planned = plan_patch(str(chart), PatchOptions())
        assert planned.changed
        out = Path(tmp, "out")
        write_to_folder(planned, str(out), force=False)

        assert _tree_bytes(chart) == before, "the input chart was modified"
        after = _tree_bytes(out)
        for name, data in before.items():
            if name not in planned.changes:
                assert after[name] == data, f"{name} changed but the patch does not mean to change it"
        assert set(after) == set(before) | set(planned.changes)
        assert after["values.yaml"].startswith(before["values.yaml"]), "values.yaml: only an appended block"
        assert not plan_patch(str(out), PatchOptions()).changed, "patching a patched chart changes it again"


class _ShuffledScandir:
    """os.scandir's iterator and context manager over a shuffled list of entries."""

    def __init__(self, entries: list[os.DirEntry[str]]) -> None:
        self.entries = entries

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)

    def __enter__(self) -> _ShuffledScandir:
        return self

    def __exit__(self, *args: object) -> None:
        return None

    def close(self) -> None:
        return None


def _shuffle_listings(monkeypatch: pytest.MonkeyPatch, rng: random.Random) -> list[str]:
    """Make os.listdir, os.scandir and Path.iterdir list folders in a random order; returns the
    folders listed, so the test can check that the shuffle was in effect."""
    real_listdir, real_scandir, real_iterdir = os.listdir, os.scandir, Path.iterdir
    seen: list[str] = []

    def listdir(path: str | os.PathLike[str] = ".") -> list[str]:
        names = real_listdir(path)
        rng.shuffle(names)
        seen.append(os.fspath(path))
        return names

    def scandir(path: str | os.PathLike[str] = ".") -> _ShuffledScandir:
        with real_scandir(path) as it:
            entries = list(it)
        rng.shuffle(entries)
        seen.append(os.fspath(path))
        return _ShuffledScandir(entries)

    def iterdir(self: Path):  # type: ignore[no-untyped-def]
        paths = list(real_iterdir(self))
        rng.shuffle(paths)
        seen.append(str(self))
        return iter(paths)

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "iterdir", iterdir)
    return seen


def _lint_result(chart: Path) -> list[tuple[str, str, str, str, str]]:
    report = lint_chart(str(chart), LintOptions())
    return [(f.rule_id, f.severity, str(f.position), f.scenario, f.message) for f in report.findings]


@pytest.mark.parametrize("fixture", ["olm-bundled-no-hook", "deps-parent"])
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_lint_does_not_depend_on_listing_order(
    fixture: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = FIXTURES / fixture
    expected = _lint_result(chart)
    with monkeypatch.context() as patched:
        seen = _shuffle_listings(patched, random.Random(seed))
        shuffled = _lint_result(chart)
    assert seen, "the loader did not list any folder through the patched functions"
    assert shuffled == expected
