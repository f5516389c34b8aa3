#!/usr/bin/env python3
"""Differential fuzzing of chartfix against real Helm 3 and Helm 4 (issue 14).

A seeded generator writes template cases (pipelines over Sprig and Helm functions, printf verbs,
mixed-type comparisons, range/with/if/define/include/tpl, YAML edge values, --set forms). Cases go
in batches: one chart holds many template files (one per case) and shared values, so each Helm
binary runs once per batch. When Helm fails, its error names the failing file: that case gets the
error as its verdict and the batch runs again without it, until the rest renders. chartfix renders
the same batch in a forked child process and falls back to one case at a time when the batch fails
or does not finish within --chartfix-timeout seconds (a case that does not finish alone is a hang).
Every case's output (its documents, by `# Source:`) or error text is compared byte for byte per
Helm major; each mismatch is shrunk (smaller expression trees, fewer lines, tried as one batch per
round; a hang one candidate at a time with a shorter timeout) and written to the output folder.

    .venv/bin/python scripts/difffuzz.py [--cases N] [--seed S] [--batch B] [--out DIR]
                                         [--no-shrink] [--known FILE] [--quiet] [--only c1,c2]

Prints counts: identical, fail in both (same / different error text), differ per Helm major, crash,
hang. Exit code 1 on a crash, a hang or a difference no entry of the known-differences file covers.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import math
import multiprocessing
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import yaml

from chartfix.errors import ChartfixError
from chartfix.helm.loader import load_chart
from chartfix.helm.render import RenderOptions, render_loaded_chart
from chartfix.records import replace as replace_record

REPO_ROOT = Path(__file__).resolve().parent.parent
HELM = {3: REPO_ROOT / ".cache/helm/v3.17.3/helm", 4: REPO_ROOT / ".cache/helm/v4.1.4/helm"}
T = TypeVar("T")
KNOWN_FILE = REPO_ROOT / "tests" / "difffuzz_known.yaml"
CHART_NAME = "fz"
CHART_YAML = f"apiVersion: v2\nname: {CHART_NAME}\nversion: 0.1.0\n"
_FILE_IN_ERROR = re.compile(rf"\b{CHART_NAME}/templates/(c\d+)\.yaml")
_SOURCE = "# Source: "
HELM_TIMEOUT = 60
# chartfix renders in a forked child stopped after this many seconds of CPU time (a hang is a
# verdict, not a stall), or after WALL_FACTOR times as many seconds of wall-clock time
CHARTFIX_TIMEOUT = 60
WALL_FACTOR = 10
# functions whose int argument is a size: only small literals (Helm would build huge output)
SIZE_FUNCS = {"repeat", "until", "untilStep", "seq", "indent", "nindent", "wrap", "wrapWith", "chunk"}
SMALL_INTS = ["0", "1", "2", "3", "-1", "-4", "10", "65"]

# ---------------------------------------------------------------------------------------------
# Expression trees. A node is ("lit", text) | ("call", name, [args]) | ("pipe", node, name, [args]).
# Rendering: a call at the top of an action prints bare, nested calls get parentheses.


def render_node(node: Any, top: bool = False) -> str:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "call":
        text = " ".join([node[1], *(render_node(a) for a in node[2])])
        return text if top or not node[2] else f"({text})"
    if kind == "pipe":
        stage = " ".join([node[2], *(render_node(a) for a in node[3])])
        text = f"{render_node(node[1], top=True)} | {stage}"
        return text if top else f"({text})"
    raise ValueError(node)


def lit(text: str) -> tuple:
    return ("lit", text)


def go_string(text: str) -> str:
    """A Go interpreted string literal."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


STRINGS = [
    "", "a", "abc", "Hello World", "héllo wörld", "x,y", "a,b,,c", " pad ", "1", "0", "-3", "1.5",
    "1e3", "0x1F", "true", "null", "yes", "a-b_c", "fooBar", "FOO_BAR", "a.b.c", "1.2.3", "1.2.3-rc.1",
    "v1.20.0", ">=1.2", "日本語", "a\nb", "tab\there", "{}", "[]", '{"a":1}', "[1,2]", "null", "a: b",
    "- x", "%d", "x%y", "/w==", "aGVsbG8=", "YQ", "http://u:p@h:8/p?q=1#f", "a/b/c.txt",
    "9223372036854775808", "-0", "+1", "007", " ", "é", "\u00e9\u0301",
]  # fmt: skip
INTS = ["0", "1", "2", "3", "-1", "-4", "10", "255", "65", "1000000", "9223372036854775807", "0x10", "'a'"]
FLOATS = ["0.0", "1.5", "-2.5", "0.1", "1e20", "1e6", "3.0", "-0.0", "2.675", "1e-7", "123456789.0"]
PRINTF_VERBS = ["%v", "%d", "%s", "%q", "%x", "%X", "%5.2f", "%g", "%e", "%T", "%t", "%o", "%b", "%c",
                "%U", "%+v", "%#v", "%08.3f", "%-5s|", "%5d", "%%", "%v %v", "%d%s", "%.3s", "%!", "%[2]v"]  # fmt: skip

# Functions by result kind: name -> argument kinds ("s" string, "i" int, "f" float, "n" number,
# "l" list, "d" dict, "a" anything, "b" bool). A trailing "*" repeats the last kind 0-2 times.
FUNCS: dict[str, dict[str, list[str]]] = {
    "s": {
        "upper": ["s"], "lower": ["s"], "title": ["s"], "untitle": ["s"], "trim": ["s"],
        "trimAll": ["s", "s"], "trimPrefix": ["s", "s"], "trimSuffix": ["s", "s"], "quote": ["a", "a*"],
        "squote": ["a"], "repeat": ["i", "s"], "substr": ["i", "i", "s"], "trunc": ["i", "s"],
        "abbrev": ["i", "s"], "abbrevboth": ["i", "i", "s"], "nospace": ["s"], "initials": ["s"],
        "wrap": ["i", "s"], "wrapWith": ["i", "s", "s"], "replace": ["s", "s", "s"], "snakecase": ["s"],
        "camelcase": ["s"], "kebabcase": ["s"], "swapcase": ["s"], "indent": ["i", "s"],
        "nindent": ["i", "s"], "cat": ["a", "a*"], "toString": ["a"], "join": ["s", "a"],
        "b64enc": ["s"], "b64dec": ["s"], "b32enc": ["s"], "b32dec": ["s"], "sha256sum": ["s"],
        "adler32sum": ["s"], "printf": ["F", "a*"], "print": ["a", "a*"], "toJson": ["a"],
        "toYaml": ["a"], "toPrettyJson": ["a"], "toRawJson": ["a"], "regexFind": ["R", "s"],
        "regexReplaceAll": ["R", "s", "s"], "regexReplaceAllLiteral": ["R", "s", "s"],
        "regexQuoteMeta": ["s"], "plural": ["s", "s", "i"], "base": ["s"], "dir": ["s"], "ext": ["s"],
        "clean": ["s"], "urlquery": ["a"], "html": ["a"], "js": ["a"], "typeOf": ["a"], "kindOf": ["a"],
        "ternary": ["a", "a", "b"], "toToml": ["d"], "sha1sum": ["s"], "trimall": ["s", "s"],
        "include": ["I", "a"], "tpl": ["T", "a"], "semver": ["V"], "urlJoin": ["d"], "toDecimal": ["s"],
    },
    "i": {
        "len": ["a"], "add": ["n", "n*"], "sub": ["n", "n"], "mul": ["n", "n*"], "div": ["n", "n"],
        "mod": ["n", "n"], "max": ["n", "n*"], "min": ["n", "n*"], "add1": ["n"], "atoi": ["s"],
        "int": ["a"], "int64": ["a"], "index": ["s", "i"], "sub1": ["n"],
    },
    "f": {
        "addf": ["n", "n*"], "subf": ["n", "n"], "mulf": ["n", "n*"], "divf": ["n", "n"],
        "maxf": ["n", "n*"], "minf": ["n", "n*"], "float64": ["a"], "ceil": ["n"], "floor": ["n"],
        "round": ["n", "i"],
    },
    "b": {
        "eq": ["a", "a"], "ne": ["a", "a"], "lt": ["a", "a"], "le": ["n", "n"], "gt": ["n", "a"],
        "ge": ["a", "a"], "and": ["a", "a"], "or": ["a", "a"], "not": ["a"], "empty": ["a"],
        "contains": ["s", "s"], "hasPrefix": ["s", "s"], "hasSuffix": ["s", "s"],
        "regexMatch": ["R", "s"], "hasKey": ["d", "s"], "has": ["a", "l"], "deepEqual": ["a", "a"],
        "semverCompare": ["C", "V"], "typeIs": ["Y", "a"], "kindIs": ["K", "a"], "isAbs": ["s"],
    },
    "l": {
        "list": ["a*"], "splitList": ["s", "s"], "until": ["i"], "untilStep": ["i", "i", "i"],
        "seq": ["i", "i*"], "keys": ["d"], "rest": ["l"], "initial": ["l"],
        "append": ["l", "a"], "prepend": ["l", "a"], "concat": ["l", "l*"], "reverse": ["l"],
        "uniq": ["l"], "without": ["l", "a"], "compact": ["l"], "sortAlpha": ["l"], "slice": ["l", "i*"],
        "regexFindAll": ["R", "s", "i"], "regexSplit": ["R", "s", "i"], "pluck": ["s", "d", "d*"],
        "fromJsonArray": ["J"], "fromYamlArray": ["J"], "toStrings": ["a"], "splitn": ["s", "i", "s"],
        "tuple": ["a*"], "mustAppend": ["l", "a"], "chunk": ["i", "l"],
    },
    "d": {
        "dict": ["D"], "split": ["s", "s"], "pick": ["d", "s*"], "omit": ["d", "s*"],
        "merge": ["d", "d*"], "mergeOverwrite": ["d", "d*"], "deepCopy": ["d"], "fromJson": ["J"],
        "fromYaml": ["J"], "set": ["d", "s", "a"], "unset": ["d", "s"], "dig": ["s", "s*", "a", "d"],
        "get": ["d", "s"], "urlParse": ["s"], "default": ["a", "a"], "coalesce": ["a", "a*"],
        "first": ["l"], "last": ["l"],
    },
}  # fmt: skip
REGEXES = ['"x"', '"a+"', '"[a-z]+"', '"(a)(b)?"', '"^"', '"\\\\d"', '""', '"b*"', '"é"', '"."']
JSON_TEXTS = ["null", "[]", "{}", "[1,2]", '{"a":1}', "1", '"s"', "[null]", "x: 1", "- a", "", "{", "1.0",
              "12345678901234567890", '{"a":[1,{"b":null}]}', "[1.5e300]"]  # fmt: skip
SEMVERS = ['"1.2.3"', '"1.2.3-rc.1"', '"v1.20.0"', '"1.2"', '"x"', '"1.2.3+b.1"', '"01.2.3"']
CONSTRAINTS = ['">=1.2"', '"~1.2.0"', '"^1"', '"<1.2.3-0"', '">=1.20-0"', '"1.2.x"', '"!=1.2.3"', '"bad"']
TYPES = [
    '"string"',
    '"int"',
    '"int64"',
    '"float64"',
    '"[]interface {}"',
    '"map[string]interface {}"',
    '"bool"',
]
KINDS = ['"string"', '"int"', '"int64"', '"float64"', '"slice"', '"map"', '"bool"', '"ptr"', '"invalid"']


@dataclass
class Scope:
    """What an expression may refer to: value paths (with their kinds) and variables."""

    paths: list[tuple[str, str]]
    variables: list[tuple[str, str]] = field(default_factory=list)
    defines: list[str] = field(default_factory=list)
    dot: str = "root"  # "root" (the top-level object) or "e" (rebound by range/with/define)


class Generator:
    def __init__(self, rng: random.Random, case_id: str) -> None:
        self.rng = rng
        self.case_id = case_id
        self.var_count = 0

    # -- expressions ---------------------------------------------------------------------------

    def expr(self, kind: str, scope: Scope, depth: int) -> tuple:
        rng = self.rng
        if depth <= 0 or rng.random() < 0.3:
            return self.leaf(kind, scope)
        want = kind if kind in FUNCS else rng.choice("ssiifbldd")
        if kind == "n":
            want = rng.choice("iif")
        name = rng.choice(list(FUNCS[want]))
        args = self.args(FUNCS[want][name], scope, depth - 1)
        if name in SIZE_FUNCS:
            args = [lit(self.rng.choice(SMALL_INTS)) if a[0] == "lit" and a[1] in INTS else a for a in args]
        if name in ("include", "tpl"):
            return ("call", name, args)
        if name == "keys":  # Go's map order is random: only sorted keys are deterministic
            return ("pipe", ("call", name, args), "sortAlpha", [])
        if name in ("set", "unset", "merge", "mergeOverwrite"):
            # these change their first map in place: keep the values other cases see intact
            args[0] = ("call", "deepCopy", [args[0]])
        if args and rng.random() < 0.4:
            # piped form: the last argument comes through the pipe
            return ("pipe", args[-1], name, args[:-1])
        return ("call", name, args)

    def args(self, kinds: list[str], scope: Scope, depth: int) -> list[tuple]:
        out: list[tuple] = []
        for position, spec in enumerate(kinds):
            if spec.endswith("*"):
                for _ in range(self.rng.randint(0, 2)):
                    out.append(self.arg(spec[0], scope, depth))
            elif spec == "D":
                for _ in range(self.rng.randint(0, 2)):
                    out.append(lit(go_string(self.rng.choice(["a", "b", "c", ""]))))
                    out.append(self.expr("a", scope, depth))
            else:
                out.append(self.arg(spec, scope, depth))
            del position
        return out

    def arg(self, spec: str, scope: Scope, depth: int) -> tuple:
        rng = self.rng
        special = {
            "R": REGEXES, "V": SEMVERS, "C": CONSTRAINTS, "Y": TYPES, "K": KINDS,
            "J": [go_string(t) for t in JSON_TEXTS],
        }  # fmt: skip
        if spec in special:
            return lit(rng.choice(special[spec]))
        if spec == "F":
            return lit(go_string(rng.choice(PRINTF_VERBS)))
        if spec == "I":
            if scope.defines:
                return lit(go_string(rng.choice(scope.defines)))
            return lit(go_string(f"{self.case_id}.missing"))
        if spec == "T":
            return lit(go_string(rng.choice(["{{ .Values.s }}", "{{ . }}", "x{{ 1 }}", "{{ .Chart.Name }}",
                                             "{{ .Release.Name | upper }}", "{{", "{{ .Template.Name }}",
                                             "{{ toYaml .Values.d }}", "{{ .Values.missing.x }}"])))  # fmt: skip
        return self.expr(spec, scope, depth)

    def leaf(self, kind: str, scope: Scope) -> tuple:
        rng = self.rng
        matching = [p for p, k in scope.paths if kind in ("a", k) or (kind == "n" and k in "if")]
        variables = [v for v, k in scope.variables if kind in ("a", k) or (kind == "n" and k in "if")]
        roll = rng.random()
        if matching and roll < 0.35:
            return lit(rng.choice(matching))
        if variables and roll < 0.5:
            return lit(rng.choice(variables))
        if kind == "a" and roll < 0.55:
            # not `.` or `$` at the top: printing the root shows Go pointers (.Capabilities)
            dots = [".", "$.Values.s"] if scope.dot == "e" else ["$.Values.n", "$.Values"]
            return lit(rng.choice([*dots, "nil", ".Values", ".Release.Name", ".Chart.Version",
                                   ".Values.missing", ".Capabilities.KubeVersion.Minor"]))  # fmt: skip
        if kind == "s" or (kind == "a" and roll < 0.7):
            return lit(go_string(rng.choice(STRINGS)))
        if kind == "i" or (kind == "n" and roll < 0.8):
            return lit(rng.choice(INTS))
        if kind in ("f", "n"):
            return lit(rng.choice(FLOATS))
        if kind == "b":
            return lit(rng.choice(["true", "false"]))
        if kind == "l":
            return ("call", "list", [self.leaf(rng.choice("sif"), scope) for _ in range(rng.randint(0, 3))])
        if kind == "d":
            return lit(rng.choice(['(dict "a" 1)', "(dict)", ".Values.d", '(dict "k" "v" "n" 2)']))
        return lit(rng.choice(INTS + FLOATS + ["true", "nil"]))

    # -- statements (lines of the template) ----------------------------------------------------

    def printed(self, scope: Scope, depth: int, key: str) -> list:
        rng = self.rng
        node = self.expr(rng.choice("aaslidfb"), scope, depth)
        form = rng.random()
        if form < 0.4:
            return ["# {{ ", node, " }}"]
        if form < 0.6:
            return [f"{key}: {{{{ ", ("pipe", node, "toJson", []), " }}"]
        if form < 0.75:
            return [f"{key}: {{{{ ", ("pipe", node, "quote", []), " }}"]
        if form < 0.88:
            return [f"{key}:{{{{ ", ("pipe", ("pipe", node, "toYaml", []), "nindent", [lit("2")]), " }}"]
        verb = go_string(" ".join(rng.choice(PRINTF_VERBS) for _ in range(rng.randint(1, 2))))
        extra = [self.expr("a", scope, depth - 1) for _ in range(rng.randint(1, 2))]
        return ["# {{ ", ("call", "printf", [lit(verb), *extra]), " }}"]

    def statement(self, scope: Scope, depth: int, index: int) -> list:
        """One line or block of the template as a list of text pieces and expression nodes."""
        rng = self.rng
        key = f"k{index}"
        roll = rng.random()
        if roll < 0.45 or depth <= 1:
            return self.printed(scope, depth, key)
        if roll < 0.55:
            cond = self.expr(rng.choice("baaid"), scope, depth - 1)
            body = self.printed(scope, depth - 1, key)
            other = self.printed(scope, depth - 1, key + "e")
            return ["{{- if ", cond, " }}\n", *body, "\n{{- else }}\n", *other, "\n{{- end }}"]
        if roll < 0.68:
            var = self.new_var()
            over = self.expr(rng.choice("llldiis"), scope, depth - 1)
            inner = dataclasses.replace(scope, variables=[*scope.variables, (var, "a")], dot="e")
            body = self.expr("a", inner, depth - 1)
            sep = rng.choice(["", ",", " "])
            head = rng.choice([f"{var} := ", f"$i, {var} := ", ""])
            tail = "{{ else }}empty" if rng.random() < 0.3 else ""
            extra = "{{ if eq (len (list 1)) 1 }}{{ break }}{{ end }}" if rng.random() < 0.05 else ""
            return [f"# {{{{- range {head}", over, " }}", "{{ ", body, " }}", sep + extra + tail, "{{ end }}"]
        if roll < 0.76:
            value = self.expr("a", scope, depth - 1)
            inner = dataclasses.replace(scope, dot="e")
            body = self.printed(inner, depth - 1, key)
            return ["{{- with ", value, " }}\n", *body, "\n{{- else }}\n# none\n{{- end }}"]
        if roll < 0.86:
            var = self.new_var()
            value = self.expr(rng.choice("aslid"), scope, depth - 1)
            scope.variables.append((var, "a"))
            return [f"{{{{- {var} := ", value, " }}\n", *self.printed(scope, depth - 1, key)]
        if roll < 0.94:
            name = f"{self.case_id}.t{index}"
            body = self.expr("a", dataclasses.replace(scope, dot="e"), depth - 1)
            scope.defines.append(name)
            include = (
                "pipe",
                ("call", "include", [lit(go_string(name)), self.leaf("a", scope)]),
                "quote",
                [],
            )
            lead = "{{/*\ncomment\n*/}}\n" if rng.random() < 0.3 else ""
            return [
                f'{lead}{{{{- define "{name}" }}}}',
                "{{ ",
                body,
                " }}",
                "{{ end }}\n",
                f"{key}: {{{{ ",
                include,
                " }}",
            ]
        template = rng.choice(
            ["{{ .Values.s }}", "{{ . | toString }}", "{{ $.Values.n }}", "{{ .Values.l }}"]
        )
        call = ("call", "tpl", [lit(go_string(template)), self.leaf("a", scope)])
        return [f"{key}: {{{{ ", ("pipe", call, "quote", []), " }}"]

    def new_var(self) -> str:
        self.var_count += 1
        return f"$v{self.var_count}"


# ---------------------------------------------------------------------------------------------
# Values and --set


def value_scalars() -> list[tuple[str, str, str]]:
    """(YAML text, kind, note) for the scalars values.yaml may hold."""
    return [
        ("1", "i", ""), ("-7", "i", ""), ("0", "i", ""), ("12345678901234567890", "f", ""),
        ("9007199254740993", "i", ""), ("1.5", "f", ""), ("1e20", "f", ""), ("-0.0", "f", ""),
        ("0x1F", "i", ""), ("0o17", "s", ""), ("017", "i", ""), ("+1", "i", ""),
        ("1_000", "s", ""), ("true", "b", ""), ("yes", "s", ""), ("on", "s", ""), ("null", "a", ""),
        ("~", "a", ""), ('""', "s", ""), ("abc", "s", ""), ('"1"', "s", ""), ("'true'", "s", ""),
        ("2001-12-14", "s", ""), ("é", "s", ""), ('"a\\nb"', "s", ""), ("1.0", "f", ""),
        ("3.0e2", "f", ""), ("!!str 5", "s", ""), ("'-'", "s", ""),
    ]  # fmt: skip


def make_values(rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    """values.yaml text and the paths (with kinds) templates may use."""
    scalars = value_scalars()
    lines = ["s: hello", "n: 3", "f: 2.5", "l: [1, a, 2.5]", "d:", "  a: 1", "  b: x", "  c: [x, y]"]
    paths = [(".Values.s", "s"), (".Values.n", "i"), (".Values.f", "f"), (".Values.l", "l"),
             (".Values.d", "d"), (".Values.d.a", "i"), (".Values.d.b", "s"), (".Values.d.c", "l")]  # fmt: skip
    for index in range(rng.randint(2, 6)):
        text, kind, _ = rng.choice(scalars)
        lines.append(f"v{index}: {text}")
        paths.append((f".Values.v{index}", kind))
    if rng.random() < 0.5:
        lines += ["e:", "  empty: {}", "  nil:", "  list: []", "  nested: {x: {y: [1, {z: null}]}}"]
        paths += [(".Values.e", "d"), (".Values.e.empty", "d"), (".Values.e.list", "l"),
                  (".Values.e.nil", "a"), (".Values.e.nested", "d")]  # fmt: skip
    return "\n".join(lines) + "\n", paths


SAFE_SETS = [
    ("--set", "sn=5", ".Values.sn", "i"), ("--set", "sb=true", ".Values.sb", "b"),
    ("--set", "ss=abc", ".Values.ss", "s"), ("--set", "sl={1,b}", ".Values.sl", "l"),
    ("--set-string", "st=007", ".Values.st", "s"), ("--set", "sd.x=1.5", ".Values.sd", "d"),
    ("--set", "sz=0", ".Values.sz", "i"), ("--set", "sbig=9223372036854775808", ".Values.sbig", "a"),
    ("--set-json", 'sj={"a":[1,2.5]}', ".Values.sj", "d"), ("--set", "sa[1]=x", ".Values.sa", "l"),
]  # fmt: skip
SET_FORMS = [
    "a=1", "a.b=x", "a[0]=1", "a[1].b=2", "a=null", "a={x,y}", "a=1\\,2", "a.b\\.c=3", "a=", "a[=1",
    "a=true", "a=0x10", "a=1e3", "a=007", "a=x,b=y", "a.b=1,a.c=2", "a[0]=1,a[0]=2", "a=\\{x\\}",
    "a[2]=x", "a..b=1", "=1", "a", "a=b=c", "a[0][1]=x", "a[-1]=x", "a[99999]=x", "a={}", "a=[1]",
    "a.b[0].c=1,a.b[0].d=2", "a=9223372036854775808", "a=-0", "a=1.50", "a=é", "a[0]=1,a.b=2",
    "a=\\n", "a={a,{b}}", "a=1,", ",a=1", "a\\=b=1", "a.=1",
]  # fmt: skip
SET_FLAGS = ["--set", "--set", "--set-string", "--set-json", "--set-literal"]
JSON_SETS = [
    'a={"x":1}',
    "a=[1,2]",
    "a=null",
    'a="s"',
    "a=1.5e300",
    "a={",
    "a.b=[]",
    "a=12345678901234567890",
]


# ---------------------------------------------------------------------------------------------
# Cases


@dataclass
class Case:
    case_id: str
    pieces: list  # text pieces and expression nodes
    set_args: list[str] = field(default_factory=list)  # only for --set cases (run alone)

    def text(self) -> str:
        return "".join(p if isinstance(p, str) else render_node(p, top=True) for p in self.pieces) + "\n"


@dataclass
class Batch:
    values: str
    set_args: list[str]
    cases: list[Case]
    paths: list[tuple[str, str]] = field(default_factory=list)


def make_batch(rng: random.Random, start: int, size: int) -> Batch:
    values, paths = make_values(rng)
    set_args: list[str] = []
    for flag, arg, path, kind in rng.sample(SAFE_SETS, rng.randint(0, 3)):
        set_args += [flag, arg]
        paths.append((path, kind))
    cases = []
    for number in range(start, start + size):
        case_id = f"c{number}"
        generator = Generator(rng, case_id)
        scope = Scope(paths=list(paths))
        pieces: list = []
        for index in range(rng.randint(1, 3)):
            if pieces:
                pieces.append("\n")
            pieces += generator.statement(scope, rng.randint(1, 4), index)
        cases.append(Case(case_id, pieces))
    return Batch(values, set_args, cases, paths)


def make_set_case(rng: random.Random, number: int) -> tuple[Batch, Case]:
    args: list[str] = []
    for _ in range(rng.randint(1, 3)):
        flag = rng.choice(SET_FLAGS)
        args += [flag, rng.choice(JSON_SETS if flag == "--set-json" else SET_FORMS)]
    case = Case(f"c{number}", ["# {{ toJson .Values }}\nv:{{ toYaml .Values | nindent 2 }}"], args)
    return Batch("", args, [case]), case


# ---------------------------------------------------------------------------------------------
# Running


@dataclass(frozen=True)
class Outcome:
    ok: bool
    text: str  # the case's documents (ok) or the error text
    crash: bool = False
    timeout: bool = False  # Helm did not finish within HELM_TIMEOUT seconds: no verdict
    hang: bool = False  # chartfix did not finish within the Runner's chartfix_timeout: a bug


def write_chart(root: Path, batch: Batch, cases: list[Case]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "templates").mkdir(parents=True)
    (root / "Chart.yaml").write_text(CHART_YAML)
    (root / "values.yaml").write_text(batch.values)
    for case in cases:
        (root / "templates" / f"{case.case_id}.yaml").write_text(case.text())
    return root


def documents_by_case(output: str) -> dict[str, str]:
    """Per case file, its documents as `helm template` prints them (each stripped, in order)."""
    found: dict[str, list[str]] = {}
    for chunk in re.split(r"(?m)^---$", output):
        chunk = chunk.strip("\n")
        if not chunk.startswith(_SOURCE):
            continue
        header, _, body = chunk.partition("\n")
        match = _FILE_IN_ERROR.search(header)
        if match:
            found.setdefault(match[1], []).append(body)
    return {case_id: "\n---\n".join(bodies) for case_id, bodies in found.items()}


def helm_error(stderr: str) -> str:
    found = re.search(r"(?m)^Error: ", stderr)
    text = stderr[found.end() :] if found else stderr
    # Helm prints "Error: " + message (+ a hint for templates that rendered) + "\n"
    return text.removesuffix("\n").removesuffix("\n\nUse --debug flag to render out invalid YAML")


def helm_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELM_")}
    env.update(HELM_CACHE_HOME=str(home / "c"), HELM_CONFIG_HOME=str(home / "g"),
               HELM_DATA_HOME=str(home / "d"), KUBECONFIG=str(home / "nokube"))  # fmt: skip
    return env


def in_child(work: Callable[[], T], cpu_seconds: float) -> T | None:
    """work() in a forked child process; None when it used more than `cpu_seconds` of CPU time
    (RLIMIT_CPU: on a shared, loaded machine wall-clock time says little) or, as a backstop, did
    not finish within WALL_FACTOR times as many seconds. A child that dies otherwise (killed, out
    of memory) raises ChildDied."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(work, sender, cpu_seconds), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(cpu_seconds * WALL_FACTOR):
            return None
        try:
            return receiver.recv()
        except EOFError:
            child.join()
            if child.exitcode == -signal.SIGXCPU:
                return None
            raise ChildDied(f"chartfix's child process died (exit code {child.exitcode})") from None
    finally:
        child.kill()
        child.join()
        receiver.close()


class ChildDied(Exception):
    """The child rendering with chartfix ended without sending its result."""


def _answer(work: Callable[[], Any], sender: Connection, cpu_seconds: float) -> None:
    limit = math.ceil(cpu_seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 5))  # SIGXCPU after `limit` s of CPU
    sender.send(work())
    sender.close()


class Runner:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.helm_runs = 0
        self.chartfix_timeout: float = CHARTFIX_TIMEOUT

    def helm(self, major: int, batch: Batch, cases: list[Case]) -> dict[str, Outcome]:
        """Every case's outcome under real Helm: run the batch, peel off the case Helm's error names."""
        remaining = list(cases)
        results: dict[str, Outcome] = {}
        while remaining:
            chart = write_chart(self.workdir / f"helm{major}" / CHART_NAME, batch, remaining)
            self.helm_runs += 1
            try:
                done = subprocess.run(
                    [str(HELM[major]), "template", "release-name", str(chart), *batch.set_args],
                    capture_output=True,
                    timeout=HELM_TIMEOUT,
                    env=helm_env(self.workdir / "home"),
                )
            except subprocess.TimeoutExpired:
                if len(remaining) == 1:
                    results[remaining[0].case_id] = Outcome(False, "timeout", timeout=True)
                    return results
                for case in remaining:
                    results.update(self.helm(major, batch, [case]))
                return results
            stdout = done.stdout.decode(errors="surrogateescape")
            if done.returncode == 0:
                documents = documents_by_case(stdout)
                for case in remaining:
                    results[case.case_id] = Outcome(True, documents.get(case.case_id, ""))
                return results
            error = helm_error(done.stderr.decode(errors="surrogateescape"))
            named = _FILE_IN_ERROR.search(error)
            ids = {c.case_id for c in remaining}
            if named and named[1] in ids:
                results[named[1]] = Outcome(False, error)
                remaining = [c for c in remaining if c.case_id != named[1]]
            elif len(remaining) == 1:
                results[remaining[0].case_id] = Outcome(False, error)
                return results
            else:  # an error naming no case (e.g. values): every case on its own
                for case in remaining:
                    results.update(self.helm(major, batch, [case]))
                return results
        return results

    def chartfix(self, major: int, batch: Batch, cases: list[Case]) -> dict[str, Outcome]:
        """Every case's outcome under chartfix, rendered in a child process stopped after
        chartfix_timeout seconds of CPU time; a batch that does not finish runs again one case at a
        time, and a case that does not finish alone is a hang."""
        chart_dir = write_chart(self.workdir / f"cf{major}" / CHART_NAME, batch, cases)
        message = f"chartfix did not finish within {self.chartfix_timeout:g} s of CPU time"
        failure = Outcome(False, message, hang=True)

        # the child sends plain tuples: the script may be loaded as several module objects (tests
        # load it by path), and pickle finds a class by its module's name
        def work() -> dict[str, tuple]:
            return {
                k: dataclasses.astuple(v)
                for k, v in self._chartfix_here(major, batch, cases, chart_dir).items()
            }

        try:
            done = in_child(work, self.chartfix_timeout)
        except ChildDied as died:
            done, failure = None, Outcome(False, str(died), crash=True)
        if done is not None:
            return {case_id: Outcome(*fields) for case_id, fields in done.items()}
        if len(cases) == 1:
            return {cases[0].case_id: failure}
        results: dict[str, Outcome] = {}
        for case in cases:
            results.update(self.chartfix(major, batch, [case]))
        return results

    def _chartfix_here(
        self, major: int, batch: Batch, cases: list[Case], chart_dir: Path
    ) -> dict[str, Outcome]:
        options = RenderOptions(helm_major=major)
        for flag, value in zip(batch.set_args[::2], batch.set_args[1::2], strict=True):
            getattr(options, flag[2:].replace("-", "_") + ("_values" if flag == "--set" else "")).append(
                value
            )
        try:
            chart = load_chart(chart_dir, major)
        except ChartfixError as error:
            return {c.case_id: Outcome(False, str(error)) for c in cases}
        except Exception:  # noqa: BLE001 - a crash is what we look for
            return {c.case_id: Outcome(False, traceback.format_exc(), crash=True) for c in cases}
        # A failing batch: every case alone (cheap in-process; the generator keeps cases from
        # changing the .Values other cases see, so alone and in the batch give the same result).
        one = self._render(chart, options, chart.templates)
        if not one.ok:
            results = {}
            for case in cases:
                name = f"templates/{case.case_id}.yaml"
                alone = self._render(chart, options, [t for t in chart.templates if t.name == name])
                if alone.ok:
                    alone = Outcome(True, documents_by_case(alone.text).get(case.case_id, ""))
                results[case.case_id] = alone
            return results
        documents = documents_by_case(one.text)
        return {c.case_id: Outcome(True, documents.get(c.case_id, "")) for c in cases}

    @staticmethod
    def _render(chart: Any, options: RenderOptions, templates: list) -> Outcome:
        copied = replace_record(chart, templates=templates, values=copy.deepcopy(chart.values))
        try:
            return Outcome(True, render_loaded_chart(copied, options).to_helm_template_output())
        except ChartfixError as error:
            return Outcome(False, str(error))
        except Exception:  # noqa: BLE001
            return Outcome(False, traceback.format_exc(), crash=True)


# ---------------------------------------------------------------------------------------------
# Verdicts, known differences, shrinking


def verdict(helm: Outcome, ours: Outcome) -> str:
    if helm.timeout:
        return "helm-timeout"
    if ours.crash:
        return "crash"
    if ours.hang:
        return "hang"
    if helm.ok and ours.ok:
        return "identical" if helm.text == ours.text else "differ-output"
    if not helm.ok and not ours.ok:
        if helm.text == ours.text:
            return "fail-same"
        return "fail-trace" if one_line_errors(helm.text) == one_line_errors(ours.text) else "fail-differ"
    return "helm-fails" if ours.ok else "chartfix-fails"


_TRACE = re.compile(r'(?m)^(\S+?:\d+:\d+)\n  executing (".*?" at <.*?>):\n\s*')


def one_line_errors(text: str) -> str:
    """Helm 4's multi-line execution error trace in Helm 3's one-line form (for the statistics only:
    the comparison itself is byte for byte)."""
    text = _TRACE.sub(lambda m: f"template: {m[1]}: executing {m[2]}: ", text)
    text = text.replace("error calling include:\ntemplate:", "error calling include: template:")
    return text.rstrip()  # the trace drops the message's trailing space


def signature(verdicts: dict[int, str]) -> tuple:
    return tuple(
        sorted((m, v) for m, v in verdicts.items() if v not in ("identical", "fail-same", "helm-timeout"))
    )


def load_known(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return yaml.safe_load(path.read_text()) or []


def known_reason(known: list[dict[str, Any]], major: int, report: str) -> str | None:
    for entry in known:
        if major in entry.get("helm", [3, 4]) and re.search(entry["match"], report, re.DOTALL):
            return entry["id"]
    return None


def describe(case: Case, batch: Batch, major: int, helm: Outcome, ours: Outcome) -> str:
    parts = [f"# Helm {major}: {verdict(helm, ours)}"]
    if case.set_args or batch.set_args:
        parts.append("set: " + " ".join(json.dumps(a) for a in (case.set_args or batch.set_args)))
    parts += ["--- values.yaml", batch.values.rstrip("\n"), "--- template", case.text().rstrip("\n")]
    parts += [f"--- helm ({'ok' if helm.ok else 'error'})", helm.text]
    parts += [f"--- chartfix ({'ok' if ours.ok else 'error'})", ours.text]
    return "\n".join(parts) + "\n"


def node_shrinks(node: Any) -> list[Any]:
    """Smaller variants of an expression node."""
    out: list[Any] = []
    kind = node[0]
    if kind == "lit":
        if node[1] not in ('""', "0", "1", "nil"):
            out += [lit("1"), lit('""')]
        return out
    args = node[2] if kind == "call" else [node[1], *node[3]]
    out += [a for a in args if a[0] != "lit" or True]
    if kind == "pipe":
        out.append(("call", node[2], [*node[3], node[1]]))
        for i, sub in enumerate(node_shrinks(node[1])):
            out.append(("pipe", sub, node[2], node[3]))
            del i
        for i, arg in enumerate(node[3]):
            for sub in node_shrinks(arg):
                out.append(("pipe", node[1], node[2], [*node[3][:i], sub, *node[3][i + 1 :]]))
            out.append(("pipe", node[1], node[2], node[3][:i] + node[3][i + 1 :]))
    else:
        for i, arg in enumerate(node[2]):
            for sub in node_shrinks(arg):
                out.append(("call", node[1], [*node[2][:i], sub, *node[2][i + 1 :]]))
            out.append(("call", node[1], node[2][:i] + node[2][i + 1 :]))
    return out


def case_shrinks(case: Case, batch: Batch) -> list[tuple[Case, Batch]]:
    out: list[tuple[Case, Batch]] = []
    pieces = case.pieces
    # drop statements: pieces between "\n" separators at the top level
    breaks = [i for i, p in enumerate(pieces) if p == "\n"]
    bounds = [-1, *breaks, len(pieces)]
    if len(bounds) > 2:
        for a, b in zip(bounds, bounds[1:], strict=False):
            kept = pieces[: max(a, 0)] + pieces[b:] if a >= 0 else pieces[b + 1 :]
            out.append((dataclasses.replace(case, pieces=kept), batch))
    for i, piece in enumerate(pieces):
        if not isinstance(piece, str):
            for sub in node_shrinks(piece):
                out.append((dataclasses.replace(case, pieces=[*pieces[:i], sub, *pieces[i + 1 :]]), batch))
    args = case.set_args or []
    for i in range(0, len(args), 2):
        if len(args) > 2:
            smaller = args[:i] + args[i + 2 :]
            out.append(
                (dataclasses.replace(case, set_args=smaller), dataclasses.replace(batch, set_args=smaller))
            )
    blocks: list[list[str]] = []  # top-level keys of values.yaml with their indented lines
    for line in batch.values.splitlines():
        if line.startswith(" ") and blocks:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    used = case.text()
    if not case.set_args and len(blocks) > 1 and not re.search(r"\.Values(?![.\w])", used):
        kept = [b for b in blocks if re.search(rf"\.Values\.{re.escape(b[0].split(':')[0])}\b", used)]
        if len(kept) < len(blocks):
            text = "".join(line + "\n" for block in kept for line in block)
            out.append((case, dataclasses.replace(batch, values=text)))
    return out


def shrink_case(
    runner: Runner, case: Case, batch: Batch, wanted: tuple, args: argparse.Namespace
) -> tuple[Case, Batch]:
    """A hang shrinks one candidate at a time with a shorter chartfix timeout (a candidate still
    running after it counts as hanging) and a longer deadline."""
    if "hang" not in {v for _, v in wanted}:
        return shrink(runner, case, batch, wanted, time.monotonic() + args.shrink_seconds)
    full = runner.chartfix_timeout
    runner.chartfix_timeout = args.hang_shrink_timeout
    try:
        return shrink(runner, case, batch, wanted, time.monotonic() + args.hang_shrink_seconds, group_size=1)
    finally:
        runner.chartfix_timeout = full


def shrink(
    runner: Runner, case: Case, batch: Batch, wanted: tuple, deadline: float, group_size: int = 24
) -> tuple[Case, Batch]:
    best = (case, batch)
    while time.monotonic() < deadline:
        candidates = case_shrinks(*best)
        if not candidates:
            break
        found = None
        # try candidates a few at a time so that one Helm run decides several of them
        for start in range(0, len(candidates), group_size):
            group = candidates[start : start + group_size]
            if group[0][0].set_args or any(b is not best[1] for _, b in group):
                verdicts = [run_one(runner, c, b) for c, b in group]
            else:
                verdicts = run_group(runner, best[1], [c for c, _ in group])
            for (c, b), v in zip(group, verdicts, strict=True):
                if signature(v) == wanted and len(c.text()) + len(b.values) <= len(best[0].text()) + len(
                    best[1].values
                ):
                    found = (c, b)
                    break
            if found or time.monotonic() > deadline:
                break
        if found is None:
            break
        best = found
    return best


def run_group(runner: Runner, batch: Batch, cases: list[Case]) -> list[dict[int, str]]:
    renamed = [dataclasses.replace(c, case_id=f"c{900000 + i}") for i, c in enumerate(cases)]
    renamed = [_rename(c, o.case_id, r.case_id) for c, o, r in zip(renamed, cases, renamed, strict=True)]
    out: list[dict[int, str]] = [{} for _ in cases]
    for major in (3, 4):
        helm = runner.helm(major, dataclasses.replace(batch, cases=renamed), renamed)
        ours = runner.chartfix(major, batch, renamed)
        for i, case in enumerate(renamed):
            out[i][major] = verdict(helm[case.case_id], ours[case.case_id])
    return out


def _rename(case: Case, old: str, new: str) -> Case:
    def fix(piece: Any) -> Any:
        if isinstance(piece, str):
            return piece.replace(f'"{old}.', f'"{new}.')
        if piece[0] == "lit":
            return lit(piece[1].replace(f'"{old}.', f'"{new}.'))
        if piece[0] == "call":
            return ("call", piece[1], [fix(a) for a in piece[2]])
        return ("pipe", fix(piece[1]), piece[2], [fix(a) for a in piece[3]])

    return dataclasses.replace(case, pieces=[fix(p) for p in case.pieces])


def run_one(runner: Runner, case: Case, batch: Batch) -> dict[int, str]:
    return {
        major: verdict(
            runner.helm(major, batch, [case])[case.case_id],
            runner.chartfix(major, batch, [case])[case.case_id],
        )
        for major in (3, 4)
    }


# ---------------------------------------------------------------------------------------------
# Main


@dataclass
class Tally:
    cases: int = 0
    identical: int = 0  # identical output under both majors
    per_major: dict[int, dict[str, int]] = field(default_factory=lambda: {3: {}, 4: {}})
    crashes: int = 0
    hangs: int = 0  # chartfix did not finish (CHARTFIX_TIMEOUT) where Helm did
    new: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    aborted: str = ""  # why the run stopped before its last case

    def lines(self) -> list[str]:
        lines = [f"cases: {self.cases}", f"identical under both majors: {self.identical}"]
        for major, counts in self.per_major.items():
            both_fail = sum(counts.get(v, 0) for v in ("fail-same", "fail-trace", "fail-differ"))
            differ = sum(counts.get(v, 0) for v in ("differ-output", "helm-fails", "chartfix-fails"))
            lines += [
                f"Helm {major}: identical {counts.get('identical', 0)}, fail in both {both_fail} "
                f"(same error text {counts.get('fail-same', 0)}"
                + (
                    f", differ only by Helm 4's error trace layout {counts.get('fail-trace', 0)}"
                    if major == 4
                    else ""
                )
                + f", different {counts.get('fail-differ', 0)}), "
                f"differ {differ} ({100 * differ / max(self.cases, 1):.2f}%: output {counts.get('differ-output', 0)}, "
                f"only Helm fails {counts.get('helm-fails', 0)}, only chartfix fails {counts.get('chartfix-fails', 0)})"
            ]
        lines += [
            f"crashes: {self.crashes}",
            f"chartfix hangs: {self.hangs}",
            f"cases with a difference no known class covers: {self.new}",
        ]
        lines += [f"  known class {name}: {count}" for name, count in sorted(self.classes.items())]
        return lines + ([f"aborted: {self.aborted}"] if self.aborted else [])


_STOP: list[bool] = []


def _interrupted(tally: Tally) -> bool:
    """SIGINT/SIGTERM stop the run after the current batch; the counts so far are printed."""
    if _STOP:
        print(f"stopped early after {tally.cases} cases", file=sys.stderr)
    return bool(_STOP)


def run(args: argparse.Namespace) -> Tally:
    rng = random.Random(args.seed)
    known = load_known(Path(args.known))
    out_dir = Path(args.out) if args.out else None
    if out_dir:
        out_dir.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    workdir = Path(tempfile.mkdtemp(prefix="difffuzz-"))
    runner = Runner(workdir)
    runner.chartfix_timeout = args.chartfix_timeout
    started = time.monotonic()
    number = 0
    try:
        while number < args.cases and not _interrupted(tally):
            if rng.random() < args.set_ratio:
                batch, _ = make_set_case(rng, number)
                number += 1
            else:
                size = min(args.batch, args.cases - number)
                batch = make_batch(rng, number, size)
                number += size
            if args.only:  # the same seed generates the same cases: keep the ones asked for
                batch = dataclasses.replace(batch, cases=[c for c in batch.cases if c.case_id in args.only])
                if not batch.cases:
                    continue
            results = {}
            for major in (3, 4):
                helm = runner.helm(major, batch, batch.cases)
                ours = runner.chartfix(major, batch, batch.cases)
                results[major] = (helm, ours)
            for case in batch.cases:
                tally.cases += 1
                verdicts = {
                    m: verdict(results[m][0][case.case_id], results[m][1][case.case_id]) for m in (3, 4)
                }
                record(tally, runner, case, batch, verdicts, results, known, out_dir, args)
            if not args.quiet:
                print(f"\r{tally.cases} cases, {runner.helm_runs} helm runs, {time.monotonic() - started:.0f}s",
                      end="", file=sys.stderr, flush=True)  # fmt: skip
    except OSError as error:  # a Helm binary went missing (a shared cache refetched): keep the counts
        tally.aborted = f"stopped after {tally.cases} cases: {error}"
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not args.quiet:
        print(file=sys.stderr)
    return tally


def record(tally: Tally, runner: Runner, case: Case, batch: Batch, verdicts: dict[int, str],
           results: dict, known: list, out_dir: Path | None, args: argparse.Namespace) -> None:  # fmt: skip
    for major, outcome in verdicts.items():
        tally.per_major[major][outcome] = tally.per_major[major].get(outcome, 0) + 1
    if "crash" in verdicts.values():
        tally.crashes += 1
    if "hang" in verdicts.values():
        tally.hangs += 1
    if set(verdicts.values()) == {"identical"}:
        tally.identical += 1
    wanted = signature(verdicts)
    if not wanted:
        return
    reports = {
        m: describe(case, batch, m, results[m][0][case.case_id], results[m][1][case.case_id])
        for m, _ in wanted
    }
    reasons = {m: known_reason(known, m, reports[m]) for m in reports}
    for reason in set(reasons.values()):
        if reason:
            tally.classes[reason] = tally.classes.get(reason, 0) + 1
    is_new = any(r is None for r in reasons.values()) or not {"crash", "hang"}.isdisjoint(verdicts.values())
    if is_new:
        tally.new += 1
    if out_dir is None or (not is_new and not args.save_known):
        return
    small_case, small_batch = (case, batch)
    if not args.no_shrink:
        small_case, small_batch = shrink_case(runner, case, batch, wanted, args)
    lines = []
    for major, _ in wanted:
        helm = runner.helm(major, small_batch, [small_case])[small_case.case_id]
        ours = runner.chartfix(major, small_batch, [small_case])[small_case.case_id]
        lines.append(describe(small_case, small_batch, major, helm, ours))
    tag = "new" if is_new else "known"
    (out_dir / f"{tag}-{case.case_id}.txt").write_text("\n".join(lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=40)
    parser.add_argument(
        "--set-ratio", type=float, default=0.5, help="chance that the next case is a --set case run alone"
    )
    parser.add_argument("--out", default=None, help="folder for (shrunk) mismatches")
    parser.add_argument("--known", default=str(KNOWN_FILE))
    parser.add_argument("--no-shrink", action="store_true")
    parser.add_argument("--save-known", action="store_true", help="also write known differences")
    parser.add_argument("--shrink-seconds", type=float, default=20.0)
    parser.add_argument(
        "--chartfix-timeout",
        type=float,
        default=CHARTFIX_TIMEOUT,
        help="CPU seconds before a chartfix run is a hang",
    )
    parser.add_argument(
        "--hang-shrink-timeout", type=float, default=10.0, help="the same while shrinking a hang"
    )
    parser.add_argument("--hang-shrink-seconds", type=float, default=300.0, help="time to shrink one hang")
    parser.add_argument("--quiet", action="store_true")
    parser.add_argument(
        "--only",
        type=lambda text: set(text.split(",")),
        default=set(),
        help="rerun these cases (c12,c40) of the seed",
    )
    args = parser.parse_args(argv)
    for major, path in HELM.items():
        if not path.is_file():
            print(f"Helm {major} binary missing at {path} (run scripts/fetch_helm.sh)", file=sys.stderr)
            return 2
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: _STOP.append(True))
    tally = run(args)
    print("\n".join(tally.lines()))
    return 1 if tally.crashes or tally.hangs or tally.new or tally.aborted else 0


if __name__ == "__main__":
    sys.exit(main())
