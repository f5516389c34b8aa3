"""Helpers for the differential tests against real Helm.

- locate the Helm binaries (env CHARTFIX_HELM3 / CHARTFIX_HELM4, else .cache/helm/<version>/helm),
- enumerate the corpus cases (chart folder x values variant),
- run `helm template` with an on-disk output cache keyed by chart content and arguments,
- split `helm template` output into documents and compare two outputs document by document,
  tolerating only values that come from nondeterministic template functions (see `_LeafComparer`),
- reduce Helm's `Error: ...` to the parts chartfix's error message must contain.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import os
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
HELM_BINARY_CACHE = REPO_ROOT / ".cache" / "helm"
HELM_OUTPUT_CACHE = REPO_ROOT / ".cache" / "helm-output"
DEFAULT_CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "charts"

HELM_VERSIONS = {3: "v3.17.3", 4: "v4.1.4"}
RELEASE_NAME = "release-name"
NAMESPACE = "default"
DEFAULT_VARIANT = "default"
HELM_TIMEOUT_SECONDS = 600
_CACHE_FORMAT = 2  # bump when what is cached changes

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

IN_CI = os.environ.get("CI", "").strip().lower() in ("true", "1")


# Set CHARTFIX_ALLOW_SKIP=1 to let a run without Helm or the corpus pass; otherwise the skipped tests
# are listed at the end and the run fails (conftest.py), so that a green run always means "tested".
ALLOW_SKIP = os.environ.get("CHARTFIX_ALLOW_SKIP", "").strip() == "1"
# reason -> number of tests skipped for it (read by conftest.py at the end of the session)
MISSING_REQUIREMENTS: dict[str, int] = {}


def require(reason: str) -> NoReturn:
    """Skip the test because `reason`; under CI=true fail instead (CI must not pass by skipping).
    The skip is counted: the session fails at the end unless CHARTFIX_ALLOW_SKIP=1."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this is an error, not a skip)", pytrace=False)
    MISSING_REQUIREMENTS[reason] = MISSING_REQUIREMENTS.get(reason, 0) + 1
    pytest.skip(reason)


# ---------------------------------------------------------------------------------------------
# Binaries and corpus


def helm_binary_path(major: int) -> Path:
    """Where the Helm binary for `major` is expected: $CHARTFIX_HELM<major>, else the cache folder."""
    from_env = os.environ.get(f"CHARTFIX_HELM{major}")
    if from_env:
        return Path(from_env)
    return HELM_BINARY_CACHE / HELM_VERSIONS[major] / "helm"


@functools.cache
def helm_reported_version(helm: Path) -> str | None:
    """`helm version` of a binary, or None when it is missing or does not run."""
    if not (helm.is_file() and os.access(helm, os.X_OK)):
        return None
    try:
        done = subprocess.run(
            [str(helm), "version", "--template", "{{.Version}}"],
            capture_output=True,
            text=True,
            timeout=60,
            env=_isolated_helm_env(),
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def helm_problem(major: int) -> str | None:
    """Why the Helm binary for `major` cannot be used, or None when it is ready."""
    helm = helm_binary_path(major)
    version = helm_reported_version(helm)
    if version is None:
        return f"Helm {HELM_VERSIONS[major]} not found or not runnable at {helm} (run scripts/fetch_helm.sh)"
    if version != HELM_VERSIONS[major]:
        return f"{helm} is Helm {version}, expected {HELM_VERSIONS[major]}"
    return None


def chart_variants(chart_dir: Path) -> list[str]:
    """The values variants a chart ships: the defaults, then ci/*.yaml and values-*.yaml (chart-relative)."""
    extra: list[str] = []
    for pattern in ("ci/*.yaml", "ci/*.yml", "values-*.yaml", "values-*.yml"):
        extra.extend(path.relative_to(chart_dir).as_posix() for path in chart_dir.glob(pattern))
    return [DEFAULT_VARIANT, *sorted(extra)]


def corpus_cases(corpus_dir: Path) -> list[tuple[str, str]]:
    """(chart folder name, variant) for every chart in the corpus, in a stable order."""
    return [
        (chart_dir.name, variant)
        for chart_dir in sorted(corpus_dir.iterdir())
        if (chart_dir / "Chart.yaml").is_file()
        for variant in chart_variants(chart_dir)
    ]


def values_files(chart_dir: Path, variant: str) -> list[Path]:
    return [] if variant == DEFAULT_VARIANT else [chart_dir / variant]


# ---------------------------------------------------------------------------------------------
# Running Helm, with an output cache


@dataclass(frozen=True)
class HelmRun:
    stdout: str
    stderr: str
    exit_code: int

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def helm_template_args(chart_dir: Path, variant: str) -> list[str]:
    args = ["template", RELEASE_NAME, str(chart_dir), "--namespace", NAMESPACE]
    for path in values_files(chart_dir, variant):
        args += ["-f", str(path)]
    return args


@functools.cache
def chart_content_digest(chart_dir: Path) -> str:
    """sha256 over every file's chart-relative path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in chart_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(chart_dir).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(relative).to_bytes(8, "big") + relative)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def output_cache_file(cache_dir: Path, helm_version: str, chart_dir: Path, variant: str) -> Path:
    # The key uses chart-relative arguments so that moving the corpus keeps the cache valid.
    key_material = json.dumps(
        [
            _CACHE_FORMAT,
            chart_content_digest(chart_dir),
            RELEASE_NAME,
            NAMESPACE,
            values_files_key(chart_dir, variant),
        ]
    )
    key = hashlib.sha256(key_material.encode()).hexdigest()
    return cache_dir / helm_version / f"{key}.json"


def values_files_key(chart_dir: Path, variant: str) -> list[str]:
    return [path.relative_to(chart_dir).as_posix() for path in values_files(chart_dir, variant)]


def _isolated_helm_env() -> dict[str, str]:
    """Environment that keeps the user's Helm config, repositories, plugins and cluster out of the run."""
    home = Path(tempfile.gettempdir()) / "chartfix-helm-home"
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELM_")}
    env.update(
        HELM_CACHE_HOME=str(home / "cache"),
        HELM_CONFIG_HOME=str(home / "config"),
        HELM_DATA_HOME=str(home / "data"),
        KUBECONFIG=str(home / "no-kubeconfig"),
    )
    return env


def run_helm_template(
    helm: Path, chart_dir: Path, variant: str, cache_dir: Path = HELM_OUTPUT_CACHE
) -> HelmRun:
    """`helm template release-name <chart> --namespace default [-f variant]`, cached on disk."""
    version = helm_reported_version(helm) or "unknown"
    cache_file = output_cache_file(cache_dir, version, chart_dir, variant)
    if cache_file.is_file():
        return HelmRun(**json.loads(cache_file.read_text()))
    done = subprocess.run(
        [str(helm), *helm_template_args(chart_dir, variant)],
        capture_output=True,
        timeout=HELM_TIMEOUT_SECONDS,
        env=_isolated_helm_env(),
    )
    # Decoded by hand: text mode would turn the \r\n that templates may carry into \n.
    run = HelmRun(
        stdout=done.stdout.decode(errors="replace"),
        stderr=done.stderr.decode(errors="replace"),
        exit_code=done.returncode,
    )
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=cache_file.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        json.dump(run.__dict__, handle)
    os.replace(temporary, cache_file)
    return run


# ---------------------------------------------------------------------------------------------
# Errors


_ERROR_LINE = re.compile(r"^Error: ", re.MULTILINE)  # warnings may come before it
_EXECUTION_ERROR = re.compile(r"^execution error at \((?P<position>[^)]*)\): (?P<message>.*)$", re.DOTALL)


def helm_error_text(stderr: str) -> str:
    """Helm's error message: from `Error: ` up to the blank line before Helm's trailing hints."""
    found = _ERROR_LINE.search(stderr)
    if found is None:
        return stderr.strip()
    return stderr[found.end() :].split("\n\n", 1)[0].strip()


def expected_error_parts(helm_error: str) -> list[str]:
    """Substrings chartfix's error message must contain to count as the same error as Helm's.

    Normalisation: only the first line of Helm's message is compared (details under it, e.g. the
    list of schema violations, come from Go libraries whose wording we do not copy). Helm's wrapper
    `execution error at (<file:line:col>): <message>` is split into the position and the message,
    so chartfix may format the position its own way (`file:line:col: message`).
    """
    first_line = helm_error.split("\n", 1)[0].strip()
    wrapped = _EXECUTION_ERROR.match(first_line)
    if wrapped:
        return [wrapped["position"], wrapped["message"].strip()]
    return [first_line]


def error_matches(helm_error: str, chartfix_message: str) -> bool:
    return all(part in chartfix_message for part in expected_error_parts(helm_error))


# ---------------------------------------------------------------------------------------------
# Documents


@dataclass(frozen=True)
class Document:
    source: str | None
    text: str
    content: Any
    parsed: bool

    @property
    def kind(self) -> str | None:
        return _top_level_field(self.content, "kind")

    @property
    def name(self) -> str | None:
        if isinstance(self.content, dict) and isinstance(self.content.get("metadata"), dict):
            name = self.content["metadata"].get("name")
            return None if name is None else str(name)
        return None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source or "?", self.kind or "?", self.name or "?")


def _top_level_field(content: Any, field: str) -> str | None:
    if isinstance(content, dict) and content.get(field) is not None:
        return str(content[field])
    return None


_SOURCE_LINE = re.compile(r"^# Source: (.*)$", re.MULTILINE)


def split_helm_output(output: str) -> list[Document]:
    """Split `helm template` output on `---` lines; each document keeps its `# Source:` path."""
    chunks: list[list[str]] = [[]]
    for line in output.split("\n"):  # not splitlines(): U+2028 and friends may sit inside values
        if line.rstrip() == "---":
            chunks.append([])
        else:
            chunks[-1].append(line)
    documents = []
    for lines in chunks:
        text = "\n".join(lines).strip("\n")
        if not text.strip():
            continue
        source = _SOURCE_LINE.search(text)
        documents.append(_parse_document(source[1].strip() if source else None, text))
    return documents


def _parse_document(source: str | None, text: str) -> Document:
    try:
        loaded = list(yaml.load_all(text, Loader=_YAML_LOADER))
    except yaml.YAMLError:
        return Document(source, text, None, parsed=False)
    content = loaded[0] if len(loaded) == 1 else (loaded or None)
    return Document(source, text, content, parsed=True)


def group_by_key(documents: list[Document]) -> dict[tuple[str, str, str], list[Document]]:
    grouped: dict[tuple[str, str, str], list[Document]] = {}
    for document in documents:
        grouped.setdefault(document.key, []).append(document)
    return grouped


# ---------------------------------------------------------------------------------------------
# Comparison and the normaliser for nondeterministic values


NONDETERMINISTIC_CLASSES = frozenset({"random", "pem", "bcrypt", "uuid", "time"})

# Template functions whose output differs from run to run, by the class of values they produce.
_NONDETERMINISTIC_FUNCTIONS = {
    "random": re.compile(r"\b(?:randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|shuffle)\b"),
    "pem": re.compile(
        r"\bgen(?:CA|CAWithKey|PrivateKey|SelfSignedCert|SelfSignedCertWithKey|SignedCert|SignedCertWithKey)\b"
    ),
    "bcrypt": re.compile(r"\b(?:htpasswd|bcrypt)\b"),
    "uuid": re.compile(r"\buuidv4\b"),
    "time": re.compile(r"\b(?:now|unixEpoch)\b"),
}
_TEMPLATE_ACTION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_TEMPLATE_SUFFIXES = (".yaml", ".yml", ".tpl", ".txt", ".json")


@functools.cache
def chart_nondeterminism(chart_dir: Path) -> frozenset[str]:
    """Classes of nondeterministic values the chart's templates (subcharts and .tgz included) can
    produce: the comparison tolerates only those."""
    found: set[str] = set()
    for text in _chart_template_texts(chart_dir):
        for action in _TEMPLATE_ACTION.findall(text):
            found.update(
                name for name, pattern in _NONDETERMINISTIC_FUNCTIONS.items() if pattern.search(action)
            )
        if found == NONDETERMINISTIC_CLASSES:
            break
    return frozenset(found)


def _chart_template_texts(chart_dir: Path) -> Iterator[str]:
    for path in sorted(chart_dir.rglob("*")):
        if path.is_file() and path.name.endswith(_TEMPLATE_SUFFIXES):
            yield path.read_text(errors="replace")
        elif path.is_file() and path.name.endswith((".tgz", ".tar.gz")):
            with tarfile.open(path) as archive:
                for member in archive.getmembers():
                    if member.isfile() and member.name.endswith(_TEMPLATE_SUFFIXES):
                        extracted = archive.extractfile(member)
                        if extracted is not None:
                            yield extracted.read().decode(errors="replace")


def compare_outputs(
    expected: str,
    actual: str,
    nondeterministic: frozenset[str] = frozenset(),
    *,
    labels: tuple[str, str] = ("Helm", "chartfix"),
    max_reported: int = 20,
) -> list[str]:
    """Differences between two `helm template` outputs (empty when they match).

    Documents are matched by (source, kind, name), in order within equal keys, and compared as
    parsed YAML. Values that differ are tolerated only when both sides are nondeterministic values
    of the same shape, of the classes in `nondeterministic` (see `_LeafComparer`); documents whose
    names contain such values are paired by that rule too.
    """
    if expected == actual:
        return []
    comparer = _LeafComparer(nondeterministic, labels, (expected, actual))
    pairs, only_expected, only_actual = _pair_documents(
        split_helm_output(expected), split_helm_output(actual), comparer
    )
    problems = [f"{_label(doc)}: only in {labels[0]}" for doc in only_expected]
    problems += [f"{_label(doc)}: only in {labels[1]}" for doc in only_actual]
    for left, right in pairs:
        if left.parsed and right.parsed:
            comparer.document_label = _label(left)
            problems.extend(f"{_label(left)}: {p}" for p in comparer.compare(left.content, right.content))
        elif left.text != right.text:
            problems.append(f"{_label(left)}: YAML text differs (unparsable on at least one side)")
    problems.extend(comparer.unexplained_digests())
    if len(problems) > max_reported:
        problems = problems[:max_reported] + [f"... and {len(problems) - max_reported} more"]
    return problems


def _label(document: Document) -> str:
    return "{} {}/{}".format(*document.key)


def _pair_documents(
    expected: list[Document], actual: list[Document], comparer: _LeafComparer
) -> tuple[list[tuple[Document, Document]], list[Document], list[Document]]:
    """Pair documents by equal key (in order), then leftovers of the same source and kind whose
    names are equivalent (e.g. a name with a randAlpha suffix)."""
    actual_by_key = group_by_key(actual)
    pairs: list[tuple[Document, Document]] = []
    only_expected: list[Document] = []
    for document in expected:
        candidates = actual_by_key.get(document.key)
        if candidates:
            pairs.append((document, candidates.pop(0)))
        else:
            only_expected.append(document)
    only_actual = [document for group in actual_by_key.values() for document in group]
    unmatched_expected: list[Document] = []
    for document in only_expected:
        partner = next(
            (
                candidate
                for candidate in only_actual
                if candidate.source == document.source
                and candidate.kind == document.kind
                and document.name is not None
                and candidate.name is not None
                and comparer.strings_equivalent(document.name, candidate.name, "metadata.name")
            ),
            None,
        )
        if partner is None:
            unmatched_expected.append(document)
        else:
            only_actual.remove(partner)
            pairs.append((document, partner))
    return pairs, unmatched_expected, only_actual


_PEM = r"-----BEGIN (?P<pem_label>[A-Z0-9 ]+)-----[A-Za-z0-9+/=\s]*?-----END (?P=pem_label)-----"
_BCRYPT = r"\$2[aby]?\$\d\d\$[./A-Za-z0-9]{53}"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_TIMESTAMP = (
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z| ?[+-]\d{2}:?\d{2})?(?: [A-Z]{3,5})?(?: m=[+-]\d+\.\d+)?)?"
)
_WORD = r"[A-Za-z0-9+/]+={0,2}"
_TOKEN = re.compile(
    f"(?P<pem>{_PEM})|(?P<bcrypt>{_BCRYPT})|(?P<uuid>{_UUID})|(?P<time>{_TIMESTAMP})|(?P<word>{_WORD})"
)
_HEX = re.compile(r"[0-9a-f]+|[0-9A-F]+")
_DIGITS = re.compile(r"\d+")
_MIN_RANDOM_LENGTH = 5
# Unix time in seconds between 2017 and 2033 (`now | unixEpoch`).
_EPOCH_RANGE = range(1_500_000_000, 2_000_000_000)
# Compact dates such as `now | date "20060102150405"`: YYYYMMDD, optionally hhmm and ss.
_COMPACT_DATE = re.compile(
    r"20\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:[01]\d|2[0-3])?(?:[0-5]\d){0,2}"
)


def _is_digit_time(digits: str) -> bool:
    return int(digits) in _EPOCH_RANGE or _COMPACT_DATE.fullmatch(digits) is not None


@dataclass(frozen=True)
class _Token:
    kind: str  # pem | bcrypt | uuid | time | word | sep
    text: str


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() > position:
            tokens.append(_Token("sep", text[position : match.start()]))
        tokens.append(_Token(match.lastgroup if match.lastgroup != "pem_label" else "pem", match[0]))
        position = match.end()
    if position < len(text):
        tokens.append(_Token("sep", text[position:]))
    return tokens


def _pem_label(text: str) -> str:
    return text.split("-----", 2)[1]


def _shape(text: str) -> str:
    # Digit runs collapse to one 9: Go's time.String() drops trailing zeros of the nanoseconds.
    return _DIGITS.sub("9", text)


def _b64_decode(text: str) -> bytes | None:
    if len(text) < 8 or len(text) % 4:
        return None
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _alphabet(text: str) -> str | None:
    if text.isascii() and text.isalnum():
        return "alnum"
    return "printable" if text.isascii() and text.isprintable() else None


def _occurs_as_word(value: str, text: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", text) is not None


def _looks_random_pair(left: str, right: str) -> bool:
    """Two same-length strings from the same rand* alphabet that differ in most positions."""
    if len(left) != len(right) or len(left) < _MIN_RANDOM_LENGTH:
        return False
    alphabet = _alphabet(left)
    if alphabet is None or alphabet != _alphabet(right):
        return False
    differing = sum(a != b for a, b in zip(left, right, strict=True))
    return differing * 2 > len(left)


class _LeafComparer:
    """Compares two parsed YAML trees. Differing strings are accepted only when both are
    nondeterministic values of the same kind and shape, and only for the classes the chart's
    templates can produce (`chart_nondeterminism`):

    - pem: PEM blocks with the same label (genCA, genSelfSignedCert, genSignedCert, genPrivateKey),
    - bcrypt: bcrypt hashes with the same variant and cost (htpasswd),
    - uuid: UUIDs of the same version (uuidv4),
    - time: timestamps of the same shape (digit runs aside), Unix times in seconds and compact dates
      like 20060102150405 (now, date, unixEpoch),
    - random: strings of 5+ characters from the same alphabet (alphanumeric, or printable ASCII),
      of equal length, differing in more than half of the positions, neither of which occurs as a
      word in the other output (randAlphaNum, randAlpha, randNumeric, randAscii, shuffle, base64
      of randBytes),
    - base64 of any of the above is decoded and compared recursively,
    - hex digests of equal length (sha256sum of the above, e.g. checksum annotations) only when the
      same output also has another accepted nondeterministic difference they can derive from.

    Strings are compared token by token: the text around such values must be identical.
    """

    def __init__(
        self, nondeterministic: frozenset[str], labels: tuple[str, str], outputs: tuple[str, str]
    ) -> None:
        self.nondeterministic = nondeterministic
        self.labels = labels
        self.outputs = outputs
        self.document_label = ""  # the document being compared, for digest reports
        self.random_seen = False
        self.digest_differences: list[str] = []

    def compare(self, left: Any, right: Any, path: str = "") -> list[str]:
        if isinstance(left, dict) and isinstance(right, dict):
            problems = [f"{path}.{key}: only in {self.labels[0]}" for key in left.keys() - right.keys()]
            problems += [f"{path}.{key}: only in {self.labels[1]}" for key in right.keys() - left.keys()]
            for key in left.keys() & right.keys():
                problems.extend(self.compare(left[key], right[key], f"{path}.{key}"))
            return problems
        if isinstance(left, list) and isinstance(right, list):
            if len(left) != len(right):
                return [
                    f"{path or '.'}: {self.labels[0]} has {len(left)} items, {self.labels[1]} {len(right)}"
                ]
            problems = []
            for index, (a, b) in enumerate(zip(left, right, strict=True)):
                problems.extend(self.compare(a, b, f"{path}[{index}]"))
            return problems
        if left == right and type(left) is type(right):
            return []
        if isinstance(left, str) and isinstance(right, str) and self.strings_equivalent(left, right, path):
            return []
        return [f"{path or '.'}: {self.labels[0]} {_short(left)}, {self.labels[1]} {_short(right)}"]

    def unexplained_digests(self) -> list[str]:
        if self.random_seen:
            return []
        return [
            f"{where}: hex digest differs with no nondeterministic input" for where in self.digest_differences
        ]

    def strings_equivalent(self, left: str, right: str, where: str) -> bool:
        left_tokens, right_tokens = _tokenize(left), _tokenize(right)
        if len(left_tokens) != len(right_tokens) or any(
            a.kind != b.kind or (a.kind == "sep" and a.text != b.text)
            for a, b in zip(left_tokens, right_tokens, strict=True)
        ):
            return self._accept("random", self._random_pair(left, right))
        return all(
            a.text == b.text or self._tokens_equivalent(a, b, where)
            for a, b in zip(left_tokens, right_tokens, strict=True)
        )

    def _tokens_equivalent(self, left: _Token, right: _Token, where: str) -> bool:
        kind, a, b = left.kind, left.text, right.text
        if kind == "pem":
            return self._accept("pem", _pem_label(a) == _pem_label(b))
        if kind == "bcrypt":
            return self._accept("bcrypt", a[:7] == b[:7])
        if kind == "uuid":
            return self._accept("uuid", a[14] == b[14])
        if kind == "time":
            return self._accept("time", _shape(a) == _shape(b))
        if kind != "word":
            return False
        if a.isdigit() and b.isdigit() and len(a) == len(b) and _is_digit_time(a) and _is_digit_time(b):
            return self._accept("time", True)
        if _HEX.fullmatch(a) and _HEX.fullmatch(b) and not (a.isdigit() or b.isdigit()):
            if len(a) == len(b) >= _MIN_RANDOM_LENGTH:
                self.digest_differences.append(f"{self.document_label}: {where}")
                return True
            return False
        left_bytes, right_bytes = _b64_decode(a), _b64_decode(b)
        if left_bytes is not None and right_bytes is not None:
            try:
                return self.strings_equivalent(left_bytes.decode(), right_bytes.decode(), where)
            except UnicodeDecodeError:
                pass  # base64 of random bytes: judged on the encoded text below
        return self._accept("random", self._random_pair(a, b))

    def _random_pair(self, left: str, right: str) -> bool:
        """A random value is unique to its run: a word the other output also contains is not one."""
        return (
            _looks_random_pair(left, right)
            and not _occurs_as_word(left, self.outputs[1])
            and not _occurs_as_word(right, self.outputs[0])
        )

    def _accept(self, value_class: str, same_shape: bool) -> bool:
        accepted = same_shape and value_class in self.nondeterministic
        self.random_seen = self.random_seen or accepted
        return accepted


def _short(value: Any) -> str:
    return _short_text(repr(value))


def _short_text(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def warm_output_cache(
    jobs: list[tuple[Path, Path, str]], workers: int, cache_dir: Path = HELM_OUTPUT_CACHE
) -> None:
    """Run the (helm, chart dir, variant) jobs missing from the cache, `workers` at a time."""
    missing = [
        job
        for job in jobs
        if not output_cache_file(
            cache_dir, helm_reported_version(job[0]) or "unknown", job[1], job[2]
        ).is_file()
    ]
    if not missing:
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for _ in pool.map(lambda job: run_helm_template(*job, cache_dir=cache_dir), missing):
            pass


# ---------------------------------------------------------------------------------------------
# chartfix vs Helm outcome, known differences and the end-of-run report

MATCH, DIFFER, BOTH_FAIL_SAME, MISMATCH_ERROR, CRASH = (
    "match",
    "differ",
    "both-fail-same",
    "mismatch-error",
    "crash",
)
PASSING_OUTCOMES = frozenset({MATCH, BOTH_FAIL_SAME})


def chartfix_outcome(
    helm_run: HelmRun,
    rendered: str | None,
    error_message: str | None,
    nondeterministic: frozenset[str],
) -> tuple[str, list[str]]:
    """Classify chartfix's result (its output, or its ChartfixError message) against Helm's run."""
    if helm_run.ok and rendered is not None:
        differences = compare_outputs(helm_run.stdout, rendered, nondeterministic)
        return (DIFFER, differences) if differences else (MATCH, [])
    if helm_run.ok:
        return MISMATCH_ERROR, [f"Helm renders, chartfix fails: {error_message}"]
    helm_error = helm_error_text(helm_run.stderr)
    if rendered is not None:
        return MISMATCH_ERROR, [f"Helm fails ({helm_error}), chartfix renders"]
    if error_message is not None and error_matches(helm_error, error_message):
        return BOTH_FAIL_SAME, []
    return MISMATCH_ERROR, [
        f"Helm error:     {helm_error}",
        f"chartfix error: {error_message}",
        f"expected parts: {expected_error_parts(helm_error)}",
    ]


ALL_VARIANTS = "*"


@dataclass(frozen=True)
class KnownDifference:
    chart: str
    variant: str  # a variant, or ALL_VARIANTS
    helm: frozenset[int]
    reason: str

    def covers(self, chart: str, variant: str, major: int) -> bool:
        return self.chart == chart and self.variant in (variant, ALL_VARIANTS) and major in self.helm


@dataclass(frozen=True)
class KnownDifferences:
    chartfix: tuple[KnownDifference, ...]
    helm_versions: tuple[KnownDifference, ...]

    def chartfix_reason(self, chart: str, variant: str, major: int) -> str | None:
        return next((k.reason for k in self.chartfix if k.covers(chart, variant, major)), None)

    def helm_versions_reason(self, chart: str, variant: str) -> str | None:
        return next((k.reason for k in self.helm_versions if k.covers(chart, variant, 3)), None)


KNOWN_DIFFERENCES_FILE = Path(__file__).with_name("corpus_known_differences.yaml")
_HELM_FIELD = {3: frozenset({3}), 4: frozenset({4}), "both": frozenset({3, 4})}


def load_known_differences(path: Path = KNOWN_DIFFERENCES_FILE) -> KnownDifferences:
    """Read the known-differences file; raise ValueError naming the bad entry when malformed."""
    data = yaml.safe_load(path.read_text()) or {}
    unknown_sections = set(data) - {"chartfix", "helm_versions"}
    if unknown_sections:
        raise ValueError(f"{path.name}: unknown sections {sorted(unknown_sections)}")
    return KnownDifferences(
        chartfix=tuple(
            _known_entry(path, "chartfix", e, require_helm=True) for e in data.get("chartfix") or []
        ),
        helm_versions=tuple(
            _known_entry(path, "helm_versions", e, require_helm=False)
            for e in data.get("helm_versions") or []
        ),
    )


def _known_entry(path: Path, section: str, entry: Any, *, require_helm: bool) -> KnownDifference:
    allowed = {"chart", "variant", "reason"} | ({"helm"} if require_helm else set())
    if not isinstance(entry, dict) or set(entry) != allowed:
        raise ValueError(
            f"{path.name}: {section} entries need exactly the fields {sorted(allowed)}: {entry!r}"
        )
    if not all(
        isinstance(entry[field], str) and entry[field].strip() for field in ("chart", "variant", "reason")
    ):
        raise ValueError(
            f"{path.name}: {section}: chart, variant and reason must be non-empty strings: {entry!r}"
        )
    helm = _HELM_FIELD.get(entry["helm"]) if require_helm else frozenset({3, 4})
    if helm is None:
        raise ValueError(f"{path.name}: {section}: helm must be 3, 4 or both: {entry!r}")
    return KnownDifference(entry["chart"], entry["variant"], helm, entry["reason"].strip())


@dataclass
class CorpusReport:
    """Outcomes collected during the run, printed as tables at the end of the session."""

    chartfix: dict[tuple[str, str], dict[int, str]] = field(default_factory=dict)
    helm_versions: dict[tuple[str, str], tuple[list[str], str | None]] = field(default_factory=dict)

    def record(self, chart: str, variant: str, major: int, outcome: str, known: bool) -> None:
        self.chartfix.setdefault((chart, variant), {})[major] = outcome + (" (known)" if known else "")

    def record_helm_versions(
        self, chart: str, variant: str, differences: list[str], reason: str | None
    ) -> None:
        self.helm_versions[(chart, variant)] = (differences, reason)

    def summary_lines(self) -> list[str]:
        lines: list[str] = []
        if self.chartfix:
            lines += _table(
                ("chart", "variant", "helm3", "helm4"),
                [
                    (chart, variant, by_major.get(3, "-"), by_major.get(4, "-"))
                    for (chart, variant), by_major in sorted(self.chartfix.items(), key=_case_order)
                ],
            )
            for major in (3, 4):
                counts: dict[str, int] = {}
                for by_major in self.chartfix.values():
                    if major in by_major:
                        counts[by_major[major]] = counts.get(by_major[major], 0) + 1
                if counts:
                    lines.append(f"helm{major}: " + ", ".join(f"{n} {o}" for o, n in sorted(counts.items())))
        differing = {
            key: value for key, value in sorted(self.helm_versions.items(), key=_case_order) if value[0]
        }
        if differing:
            lines += ["", f"Helm 3 vs Helm 4 differences (not chartfix bugs): {len(differing)} case(s)"]
            lines += _table(
                ("chart", "variant", "documented", "first difference"),
                [
                    (chart, variant, "yes" if reason else "NO", _short_text(differences[0]))
                    for (chart, variant), (differences, reason) in differing.items()
                ],
            )
        return lines


def _case_order(item: tuple[tuple[str, str], Any]) -> tuple[str, bool, str]:
    (chart, variant), _ = item
    return (chart, variant != DEFAULT_VARIANT, variant)


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    widths[-1] = 0  # last column is not padded
    return [
        " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]


def helm_versions_differences(
    helm3_run: HelmRun, helm4_run: HelmRun, nondeterministic: frozenset[str]
) -> list[str]:
    """How Helm 3's and Helm 4's runs of the same case differ (empty when they agree)."""
    if helm3_run.ok and helm4_run.ok:
        return compare_outputs(
            helm3_run.stdout, helm4_run.stdout, nondeterministic, labels=("Helm 3", "Helm 4")
        )
    errors = [helm_error_text(run.stderr) if not run.ok else None for run in (helm3_run, helm4_run)]
    if errors[0] == errors[1]:
        return []
    return [f"Helm 3: {errors[0] or 'renders'}", f"Helm 4: {errors[1] or 'renders'}"]
