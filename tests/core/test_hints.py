"""Next-step command lines (src/jobdraft/hints.py): they reproduce the run and are quoted."""

from __future__ import annotations

import shlex
from collections.abc import Iterator

import pytest

from jobdraft import hints


@pytest.fixture(autouse=True)
def fresh_options() -> Iterator[None]:
    yield
    hints.set_api_options(sandbox=False)


def test_a_plain_run_prints_a_plain_command() -> None:
    hints.set_api_options(sandbox=False)
    assert hints.command("fill", "jd_1") == "jobdraft fill jd_1"


def test_the_sandbox_and_a_base_url_are_carried() -> None:
    hints.set_api_options(sandbox=True, base_url="http://ignored")
    assert hints.command("publish", "jd_1") == "jobdraft --sandbox publish jd_1"
    hints.set_api_options(sandbox=False, base_url="http://127.0.0.1:8765")
    assert hints.command("show", "jd_1") == "jobdraft --base-url http://127.0.0.1:8765 show jd_1"


def test_hostile_words_come_back_as_one_word_each() -> None:
    hints.set_api_options(sandbox=False, base_url="http://x/$(touch /tmp/p)")
    line = hints.command("fill", "jd_9$(touch /tmp/x); rm -rf ~")
    assert shlex.split(line) == [
        "jobdraft",
        "--base-url",
        "http://x/$(touch /tmp/p)",
        "fill",
        "jd_9$(touch /tmp/x); rm -rf ~",
    ]
