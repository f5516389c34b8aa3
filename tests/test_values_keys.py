"""CF1020's search of template texts for a user's key (findings.values_keys.key_mention)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from chartfix.findings.values_keys import key_mention

KEYS = ["a", "b", "ab", "a-b", "a.b", "_", "1"]
FRAGMENTS = [*KEYS, ".Values.", "range ", "toYaml ", "tpl  ", "$", ".", '"', "'", "}}", "{{ ", " ", "-", "x"]


def regexes_only(path: tuple[str, ...], text: str) -> bool:
    """The search as the three patterns say it, with no shortcut: the oracle for key_mention's
    substring tests, which must never change an answer."""
    if ".Values." + ".".join(path[:2]) in text:
        return True
    if re.search(r"[.\"']" + re.escape(path[-1]) + r"\b", text):
        return True
    return any(
        re.search(
            r"(?:range\b[^}]*|\b(?:toYaml|toJson|toPrettyJson|tpl|toString)\s+)\$?\.Values\."
            + re.escape(".".join(path[:length]))
            + r"(?![\w.-])",
            text,
        )
        for length in range(1, len(path))
    )


@settings(max_examples=1000, deadline=None)
@given(
    path=st.lists(st.sampled_from(KEYS), min_size=1, max_size=3).map(tuple),
    text=st.lists(st.sampled_from(FRAGMENTS), max_size=24).map("".join),
)
def test_the_substring_shortcuts_never_change_an_answer(path, text):
    assert key_mention(path)(text) == regexes_only(path, text)


def test_what_counts_as_a_mention():
    assert key_mention(("image", "tag"))("{{ .Values.image.tag }}")
    assert key_mention(("extra", "anything"))("{{ range $k, $v := .Values.extra }}")
    assert key_mention(("labels", "team"))("{{ toYaml .Values.labels | nindent 4 }}")
    assert key_mention(("deployOLM",))('{{ if (index .Values "deployOLM") }}')
    assert not key_mention(("deployOml",))("{{ if .Values.deployOLM }}")
    assert not key_mention(("labels", "team"))("{{ toYaml .Values.labelsExtra }}")
