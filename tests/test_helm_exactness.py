"""Differential tests for the difference classes scripts/difffuzz.py found (issue 14): each template
renders (or fails, with the same error text) exactly as in real Helm 3 and Helm 4. All cases of a
values file run as one batch chart, so each Helm binary runs about once per failing case."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "difffuzz.py"
_spec = importlib.util.spec_from_file_location("difffuzz", SCRIPT)
difffuzz = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("difffuzz", difffuzz)
_spec.loader.exec_module(difffuzz)

VALUES = "big: 12345678901234567890\ns: x\nd:\n  a: 1\n"

CASES = [
    # Helm 3 (Go 1.23) cannot range over an int, Helm 4 (Go 1.25) can
    "# {{ range 3 }}{{ . }}{{ end }}",
    "# {{ range $i, $v := 3 }}{{ . }}{{ end }}",
    "# {{ range 0 }}x{{ else }}none{{ end }}",
    # Go's typed slices and maps
    '# {{ split "," "x,y" | keys }}',
    '# {{ typeOf (splitList "," "a") }} {{ typeOf (until 3) }} {{ typeOf (index "abc" 0) }}',
    '# {{ deepEqual (list "a") (splitList "," "a") }}',
    # empty results are nil in Go
    '# {{ regexFindAll "x" "abc" -1 | toJson }} {{ regexSplit "x" "abc" 0 | toJson }}',
    "# {{ rest (list) | toJson }} {{ initial (list) | toJson }} {{ concat (list) | toJson }}",
    '# {{ fromJsonArray "null" | toJson }} {{ fromJson "null" | toJson }}',
    # big whole-number floats through encoding/json text
    "v:{{ toYaml .Values | nindent 2 }}",
    "v: {{ int64 1e20 | ceil | toYaml }}",
    # no negative zero
    "# {{ mulf 0 -4 }} {{ divf 0 -4 }}",
    '# {{ semver "1.2.3-rc.1" | toJson }}',
    # verbs String() does not serve print a *semver.Version's unexported fields (uint64s, strings)
    '# {{ printf "%d|%U|%t|%c|%o|%e" (semver "1.2.3-rc.1") (semver "1.2.3") (semver "1.2.3") '
    '(semver "65.66.67") (semver "8.9.10") (semver "1.2.3") }}',
    '# {{ printf "%#v|%x|%+v" (semver "1.2.3-rc.1+m") (semver "1.2.3+m") (semver "1.2.3") }}',
    # a uint8 is unsigned: %#v prints it in hex
    '# {{ printf "%#v %x %d" (index "abc" 0) (index "abc" 1) (index "abc" 2) }}',
    # invalid UTF-8
    '# {{ b64dec "/w==" | toJson }}',
    '# {{ abbrev 5 "héllo wörld" | untitle }}',
    '# {{ b64dec "/w==" | wrap 5 | toJson }}',
    # .Values has a named type
    "# {{ typeOf .Values }}",
    '# {{ dig "a" "b" "x" .Values }}',
    '# {{ atoi "9223372036854775808" }} {{ atoi "-99999999999999999999" }}',
    '# {{ deepCopy .Values | typeOf }} {{ dig "a" "x" (split "," "a") }}',
    '# {{ index "abc" 0 | until }}',
    '# {{- range split "," "a,b" }}{{ .x }}{{ end }}',
    "# {{- range until 2 }}{{ .x }}{{ end }}",
    # strings.TrimSpace around each document trims Unicode spaces (\v, U+0085, U+3000), not only \s
    '# {{ printf "%x %c" 1 (add1 10) }}',
    '# a{{ printf "%c%c" 133 12288 }}\n---\n{{ printf "%c" 11 }}# b',
    # slicing keeps the slice's type: a []int's elements are ints
    "# {{- range slice (until 1) }}{{ .x }}{{ end }}",
    '# {{ printf "%#v %T" (slice (until 3) 1) (slice (splitList "," "a,b") 0 1) }} {{ slice (rest list) 0 | toJson }}',
    '# {{ index (split "," "a") "q" | toJson }} {{ (split "," "a").x | toJson }}',
    '# {{ tpl "{{ .Values.s }}" (split "," "a") }}',
    "# {{ chunk -1 (list 1 2) }} {{ chunk -2 (list 1 2 3) }} {{ typeOf (chunk 1 (list 1)) }}",
    "# {{ chunk -1 (list 1) }}",
    '# {{ printf "%#v" .Values }} {{ printf "%#v|%#v|%#v|%#v" (splitList "," "a") (until 2) (split "," "a") (rest list) }}',
    '# {{ printf "%#v %T" (chunk 1 (list 1 "a")) (fromJson "null") }}',
    "# {{- range chunk 1 (list 1) }}{{ .x }}{{ end }}",
    '# {{ trunc 2 "aé" | title | toJson }} {{ trunc 2 "aé" | nospace | toJson }} {{ trunc 2 "aé" | toYaml | toJson }}',
    # xstrings' snake/kebab case skips stray bytes (and U+FFFD) when it looks for the next rune: they
    # join the word around them, and an upper-case or connector word writes each one as U+FFFD
    '# {{ trunc 2 "aé" | snakecase | toJson }} {{ b64dec "/0FC" | snakecase | toJson }} {{ b64dec "SFT/VFBTZXJ2ZXI=" | kebabcase | toJson }}',
    '# {{ b64dec "/8M=" | snakecase | toJson }} {{ b64dec "YV//" | kebabcase | toJson }} {{ b64dec "eDL/Yg==" | snakecase | toJson }}',
    '# {{ b64dec "YSD/QjFj" | snakecase | toJson }} {{ "a\ufffdB" | kebabcase | toJson }} {{ b64dec "Qf8=" | snakecase | toJson }}',
    '# {{ semver "v1.2" | toYaml }} {{ dict "a" (semver "1.0.0") | toPrettyJson | toJson }}',
    "# {{ subf 0 0 }} {{ mulf -0.0 1 }}",
    # goutils' Initials reads bytes as runes, stray bytes too (0xA0 and 0x85 are spaces)
    '# {{ initials (wrapWith 0 "1" "日本語") | toJson }} {{ b64dec "eKB5hXo=" | initials | toJson }} {{ b64dec "QcMgqUI=" | initials | toJson }}',
    # math.Pow(10, n) is not correctly rounded in Go: sprig's round differs from 10.0 ** n
    "# {{ round 3 39 }} {{ round 1.5 39 }} {{ round 3 65 }} {{ round 0.1 23 }} {{ round 1e20 33 }} {{ round 123456789.0 100 }}",
    "# {{ round 2.675 -3 }} {{ round 1000000 127 }} {{ round 1 400 }} {{ round 5 -400 }} {{ round 1.5 0 }}",
    # BurntSushi/toml: Encode(nil) panics, a nil slice at the top is "[]", nil values in maps are
    # skipped (a nil map is no table)
    '# {{ toToml (fromJsonArray "null") }}|{{ toToml (regexFindAll "x" "abc" -1) }}|{{ toToml (fromJson "null") }}',
    'x: {{ toToml (dict "a" (list 1 (dict "z" 1 "b" (fromJson "null") "c" (dict "y" 2)))) | toJson }}',
    "# {{ toToml .Values.missing | abbrev (add 1) }}",
    # eq: a nil slice of any type is nil (regexFindAll finding nothing is a nil []string)
    '# {{ eq (list 1 2 | rest) (regexFindAll "^" "a" 0) }} {{ eq (regexFindAll "x" "a" -1) (regexFindAll "y" "a" -1) }} {{ ne (regexFindAll "x" "a" -1) (list 1) }}',
    # error text
    '# {{ substr -1 -1 "abc" }}',
    "{{/*\na\nb\n*/}}\n# {{ nosuchfunc }}",
    "{{- /* x\n\n*/ -}}\n\n# {{ if }}",
    '# {{ substr 2 1 "abc" }}',
    "# {{ list 1 }}\n- x",
]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    batch = difffuzz.Batch(VALUES, [], [difffuzz.Case(f"c{i}", [text]) for i, text in enumerate(CASES)])
    runner = difffuzz.Runner(tmp_path_factory.mktemp("exact"))
    return {
        major: (runner.helm(major, batch, batch.cases), runner.chartfix(major, batch, batch.cases))
        for major in (3, 4)
    }


@pytest.mark.helm
@pytest.mark.parametrize("major", [3, 4])
@pytest.mark.parametrize("index", range(len(CASES)), ids=lambda i: CASES[i][:40])
def test_renders_like_helm(helm3, helm4, outcomes, major, index):
    helm, ours = (side[f"c{index}"] for side in outcomes[major])
    assert difffuzz.verdict(helm, ours) in ("identical", "fail-same", "fail-trace"), (helm, ours)


SET_CASES = [["--set", "a[=1"], ["--set", "b=2,a[0][=1"], ["--set-literal", "a[=1"], ["--set", "b.a[=1"]]


@pytest.mark.helm
@pytest.mark.parametrize("major", [3, 4])
@pytest.mark.parametrize("args", SET_CASES, ids=" ".join)
def test_set_values_like_helm(helm3, helm4, tmp_path, major, args):
    case = difffuzz.Case("c0", ["# {{ toJson .Values }}"], args)
    batch = difffuzz.Batch("", args, [case])
    runner = difffuzz.Runner(tmp_path)
    helm, ours = runner.helm(major, batch, [case])["c0"], runner.chartfix(major, batch, [case])["c0"]
    assert difffuzz.verdict(helm, ours) in ("identical", "fail-same"), (helm, ours)
