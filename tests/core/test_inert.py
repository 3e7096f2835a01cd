"""The one function that makes outside text safe to print (src/jobdraft/inert.py)."""

from __future__ import annotations

import pytest

from jobdraft import inert as inert_module
from jobdraft.inert import has_control, inert, redact, register_secret


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain title", "plain title"),
        ("\x1b]52;c;ZXZpbA==\x07", "\\x1b]52;c;ZXZpbA==\\x07"),  # OSC 52 clipboard write
        ("\x1b[2J\x1b[H", "\\x1b[2J\\x1b[H"),  # clear screen
        ("\x9b31m", "\\x9b31m"),  # a C1 CSI
        ("a\x7fb", "a\\x7fb"),
        ("evil\u202eexe.txt", "evil\\u202eexe.txt"),  # bidi override
        ("two\nlines\tand tab", "two lines and tab"),
    ],
)
def test_controls_become_visible_text(raw: str, shown: str) -> None:
    assert inert(raw) == shown
    assert not has_control(inert(raw))


def test_multiline_keeps_newlines_only() -> None:
    assert inert("a\r\nb\x1b", multiline=True) == "a\n\nb\\x1b"


def test_registered_token_and_its_secret_part_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inert_module, "_secrets", set())
    register_secret("ot_pat_pub123_s3cr3tpart99")
    assert inert("token ot_pat_pub123_s3cr3tpart99!") == "token <redacted>!"
    assert redact("echo s3cr3tpart99") == "echo <redacted>"
    assert inert("nothing here") == "nothing here"
