"""``jobdraft --sandbox fill`` in plain mode, in a real pseudo-terminal, answered line by line.

``TERM=dumb`` (an editor's shell buffer) and ``JOBDRAFT_PROMPTS=plain`` (a
screen reader at any terminal) both give plain lines: the tests type
answers as whole lines and check that not one escape sequence was written.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.wizard.conftest import PODCASTS
from tests.wizard.line_terminal import JOBDRAFT, LineTerminal

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def jobdraft(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOBDRAFT, *args], capture_output=True, text=True, timeout=60, check=False
    )


def describe_and_answer(term: LineTerminal) -> None:
    """From the description to the review, answering by number, word and Enter."""
    term.answer_to("End with a line holding only '.'", PODCASTS)
    term.answer_to("> ", ".")
    term.expect("Draft jd_")
    term.expect("  Languages: Spanish")  # what the server understood, one line per field
    term.answer_to("(Enter keeps 'We need people", "Spanish podcasts to text")
    term.expect("  2. Pay per hour")
    term.answer_to("Type a number or a name, Enter to skip: ", "per label")
    term.answer_to("How much will you pay per label, in US dollars? (Enter to skip): ", "abc")
    term.expect("Not accepted: Must be a number, not 'abc'")
    term.line("0.05")
    term.answer_to("Type a number or a name, Enter to skip: ", "4")
    term.answer_to("How many AI trainers do you need? (Enter to skip): ", "3")
    term.expect("Your answers:")
    term.expect("  Payment type: Pay per label")
    term.expect("  Experience level: Any experience level")


def test_a_dumb_terminal_gets_plain_lines_from_description_to_published() -> None:
    term = LineTerminal(JOBDRAFT, "--sandbox", "fill", TERM="dumb")
    try:
        describe_and_answer(term)
        term.answer_to("Type a number or a name, Enter for 1 (Send 5 answers): ", "")
        term.expect("Ready to publish")
        term.expect("  Number of AI trainers: 3 (just set)")
        term.answer_to("Publish it now? (y/N): ", "y")
        term.expect("Published jd_")
        term.answer_to("as defaults for your next job posts? (y/N): ", "")
        assert term.exit_code() == 0
    finally:
        term.close()
    assert "\x1b" not in term.raw  # no colour, no cursor movement, no spinner
    (job,) = json.loads(jobdraft("--sandbox", "list", "--json").stdout)["jobs"]
    assert job["status"] == "OPEN"
    assert job["title"] == "Spanish podcasts to text"


def test_jobdraft_prompts_plain_is_plain_at_a_full_terminal_too() -> None:
    term = LineTerminal(
        JOBDRAFT, "--sandbox", "fill", TERM="xterm-256color", JOBDRAFT_PROMPTS="plain"
    )
    try:
        describe_and_answer(term)
        term.answer_to("Enter for 1 (Send 5 answers): ", "stop")  # a choice by its word
        term.expect("Stopped.")
        assert term.exit_code() == 0
    finally:
        term.close()
    assert "\x1b" not in term.raw


def test_ctrl_c_in_plain_mode_keeps_the_answers_for_the_next_run(isolated_home: Path) -> None:
    created = jobdraft("--sandbox", "create", "-d", PODCASTS, "--json")
    job_id = json.loads(created.stdout)["jobId"]
    term = LineTerminal(JOBDRAFT, "--sandbox", "fill", job_id)
    try:
        term.answer_to("(Enter keeps 'We need people", "")
        term.answer_to("Enter to skip: ", "hour")
        term.answer_to("per hour, in US dollars? (Enter to skip): ", "20")
        term.expect("Enter to skip: ")
        term.child.sendintr()
        term.expect(f"jobdraft --sandbox fill {job_id}")
        assert term.exit_code() == 130
    finally:
        term.close()
    assert "3 answers saved" in term.raw

    again = LineTerminal(JOBDRAFT, "--sandbox", "fill", job_id)
    try:
        again.expect("3 answers saved from an earlier run")
        again.answer_to("(Enter keeps 'We need people", "")  # the title, kept last time too
        again.answer_to("Enter for 2 (Pay per hour): ", "")
        again.answer_to("(Enter keeps '20', - to skip): ", "")
        again.answer_to("Enter to skip: ", "expert")
        again.answer_to("(Enter to skip): ", "2")
        again.answer_to("Enter for 1 (Send", "1")
        again.answer_to("Publish it now? (y/N): ", "")
        again.expect("Not published")
        again.answer_to("as defaults for your next job posts? (y/N): ", "n")
        assert again.exit_code() == 0
    finally:
        again.close()
    fields = json.loads(jobdraft("--sandbox", "show", job_id, "--json").stdout)
    assert fields["normalizedFields"]["pricePerHour"] == 20
    assert fields["normalizedFields"]["experienceLevel"] == "EXPERT"


def test_a_misspelt_prompt_style_is_refused() -> None:
    result = subprocess.run(
        [JOBDRAFT, "--sandbox", "fill"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**__import__("os").environ, "JOBDRAFT_PROMPTS": "plian"},
    )
    assert result.returncode == 2
    assert "JOBDRAFT_PROMPTS='plian' is not a prompt style" in result.stderr
    assert "JOBDRAFT_PROMPTS=plain" in result.stderr
