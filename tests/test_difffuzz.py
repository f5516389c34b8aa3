"""A short seeded run of scripts/difffuzz.py (chartfix vs real Helm 3 and 4 on generated templates,
values and --set arguments): fails on a crash and on any difference no class in
tests/difffuzz_known.yaml covers. Long runs: see README.md (Differential fuzzing)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "difffuzz.py"


def _load():
    spec = importlib.util.spec_from_file_location("difffuzz", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["difffuzz"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.helm
def test_short_seeded_run_has_no_crash_and_no_new_difference(helm3, helm4, tmp_path, capsys):
    difffuzz = _load()
    difffuzz.HELM.update({3: helm3, 4: helm4})
    code = difffuzz.main(["--cases", "200", "--seed", "14", "--quiet", "--no-shrink", "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    reports = "\n".join(path.read_text() for path in sorted(tmp_path.iterdir())[:5])
    assert code == 0, f"{printed}\n{reports}"


def test_generator_is_deterministic():
    difffuzz = _load()
    first = difffuzz.make_batch(difffuzz.random.Random(5), 0, 20)
    second = difffuzz.make_batch(difffuzz.random.Random(5), 0, 20)
    assert [c.text() for c in first.cases] == [c.text() for c in second.cases]
    assert first.values == second.values and first.set_args == second.set_args


def test_a_chartfix_render_that_does_not_finish_is_a_hang_verdict(tmp_path):
    # chartfix renders in a child process stopped after chartfix_timeout seconds of CPU time; the
    # batch then runs one case at a time, so only the slow case gets the verdict and the run goes on
    difffuzz = _load()
    slow = difffuzz.Case("c0", ['# {{ range until 100000 }}{{ sha256sum (repeat 5000 "x") }}{{ end }}'])
    quick = difffuzz.Case("c1", ["# {{ add 1 2 }}"])
    batch = difffuzz.Batch("", [], [slow, quick])
    runner = difffuzz.Runner(tmp_path)
    runner.chartfix_timeout = 1
    outcomes = runner.chartfix(4, batch, batch.cases)
    assert outcomes["c0"] == difffuzz.Outcome(
        False, "chartfix did not finish within 1 s of CPU time", hang=True
    )
    assert outcomes["c1"] == difffuzz.Outcome(True, "# 3")
    assert difffuzz.verdict(difffuzz.Outcome(False, "some error"), outcomes["c0"]) == "hang"
