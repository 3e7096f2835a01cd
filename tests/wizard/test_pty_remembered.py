"""Remembered answers through the real ``jobdraft --sandbox fill``, in a pseudo-terminal.

A first run (plain prompts) remembers its answers; the next (arrow-key
prompts) starts on them and marks them in the review; ``--no-defaults``
ignores them.  What is remembered is read back from the file itself.
"""

from __future__ import annotations

import json
import re

import pytest
from tests.wizard.conftest import PODCASTS
from tests.wizard.line_terminal import JOBDRAFT, LineTerminal
from tests.wizard.pty_screen import ENTER, Pty, pty_env

from jobdraft.remembered import defaults_path

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


def remember_a_first_run() -> None:
    term = LineTerminal(JOBDRAFT, "--sandbox", "fill", "-d", PODCASTS)
    try:
        term.answer_to("(Enter keeps 'We need people", "")
        term.answer_to("Enter to skip: ", "per label")
        term.answer_to("per label, in US dollars? (Enter to skip): ", "0.05")
        term.answer_to("Enter to skip: ", "expert")
        term.answer_to("How many AI trainers do you need? (Enter to skip): ", "3")
        term.answer_to("Enter for 1 (Send 5 answers): ", "")
        term.answer_to("Publish it now? (y/N): ", "")
        term.expect("Answers you may give again in your next job posts: ")
        term.answer_to("Remember them as defaults for your next job posts? (y/N): ", "y")
        term.expect("Remembered in ")
        assert term.exit_code() == 0
    finally:
        term.close()


def test_the_next_run_starts_on_remembered_answers_and_marks_them() -> None:
    remember_a_first_run()
    saved = json.loads(defaults_path().read_text())["answers"]
    assert saved == {
        "paymentType": "PAY_PER_LABEL",
        "pricePerLabel": 0.05,
        "experienceLevel": "EXPERT",
    }  # not the title nor the headcount: they are this job's own

    term = Pty("--sandbox", "fill", "-d", PODCASTS, env=pty_env())
    try:
        term.wait_for("pre-selected and marked")
        term.wait_for("What is the title")
        term.send(ENTER)
        term.wait_for("» Pay per label")  # the remembered one, not the server's example
        term.send(ENTER)
        term.wait_for("per label, in US dollars?")
        term.wait_for("0.05")  # pre-filled
        term.send(ENTER)
        term.wait_for("» Expert")
        term.send(ENTER)
        term.wait_for("How many AI trainers")
        term.type("2")
        term.send(ENTER)
        term.wait_for("What next?")
        review = term.text
        term.send(ENTER)
        term.wait_for("Publish it now?")
        term.send(ENTER)
        term.wait_for("Not published")
        # Nothing new to remember: the run ends without asking.
        assert term.wait_exit() == 0
    finally:
        term.close()
    assert re.search(r"Payment type\s*│ Pay per label \(remembered\)", review), review
    assert re.search(r"Price per label \(USD\)\s*│ 0\.05 \(remembered\)", review), review
    assert re.search(r"Number of AI trainers\s*│ 2\s", review), review
    assert "Remember them" not in term.transcript


def test_no_defaults_ignores_them() -> None:
    remember_a_first_run()
    term = LineTerminal(JOBDRAFT, "--sandbox", "fill", "-d", PODCASTS, "--no-defaults")
    try:
        term.answer_to("(Enter keeps 'We need people", "")
        term.expect("How will AI trainers be paid?")
        term.expect("Type a number or a name")
        term.child.sendintr()
        assert term.exit_code() == 130
    finally:
        term.close()
    assert "(Pay per label)" not in term.raw
    assert "pre-selected" not in term.raw
