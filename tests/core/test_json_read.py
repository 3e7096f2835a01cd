"""``json_read.loads`` reads what ``json.loads`` reads, and refuses what it refuses.

The TAB path reads its caches and the credentials file with it, so that it
never imports ``json`` (and ``re``); any difference would be a cache read
differently on a TAB than by a command.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobdraft.json_read import loads


def outcome(read, text: str) -> tuple[str, str]:
    """What a reader gives for ``text``: the value as JSON (NaN compares), or the error's kind."""
    try:
        value = read(text)
    except RecursionError:
        return ("error", "RecursionError")
    except ValueError:
        return ("error", "ValueError")
    return ("value", json.dumps(value, sort_keys=True))


DOCUMENTS = [
    "{}",
    "[]",
    '  {"a": [1, 2.5, -3e2, "x\\u00e9\\n", true, false, null]}\n\t\r ',
    '"\\ud800"',  # a lone surrogate, as json gives it
    "NaN",
    "[Infinity, -Infinity]",
    "12345678901234567890123",
    '{"a": 1, "a": 2}',
    "",
    "   ",
    "{",
    '{"a": 1} x',
    '{"a": 1}{}',
    "\ufeff{}",  # a byte-order mark: json refuses it too
    "[1,]",
    "{'a': 1}",
    '"tab\there"',  # a raw control character in a string: strict, as json is
    "nan",
    "01",
    "[" * 100_000,  # deeper than the parser's stack
]


@pytest.mark.parametrize("text", DOCUMENTS, ids=range(len(DOCUMENTS)))
def test_a_document_reads_as_json_reads_it(text: str) -> None:
    assert outcome(loads, text) == outcome(json.loads, text)


def test_a_document_reads_to_the_same_types() -> None:
    value = loads('{"n": 1, "f": 1.0, "big": 1e400, "s": "x", "l": [null]}')
    assert value == {"n": 1, "f": 1.0, "big": math.inf, "s": "x", "l": [None]}
    assert [type(value[key]) for key in ("n", "f", "s", "l")] == [int, float, str, list]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from(["", " ", "\n", "\t\r\n "]), st.booleans())
def test_any_value_reads_back(value: object, space: str, indent: bool) -> None:
    text = space + json.dumps(value, indent=2 if indent else None, ensure_ascii=False) + space
    assert outcome(loads, text) == outcome(json.loads, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[]",:0123456789.eE+-truefalsnNaI \\\t\nu\ud800x', max_size=30))
def test_any_text_is_read_or_refused_as_json_does(text: str) -> None:
    assert outcome(loads, text) == outcome(json.loads, text)


def test_it_reads_without_importing_json() -> None:
    probe = (
        "import sys; from jobdraft.json_read import loads; "
        "assert loads('{\"a\": [1]}') == {'a': [1]}; "
        "print(' '.join(m for m in ('json', 're') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
