"""The real program in a real pseudo-terminal against ``jobdraft sandbox serve``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from tests.cli.served import Served, run_jobdraft, serve
from tests.wizard.conftest import PODCASTS
from tests.wizard.pty_screen import (
    BACKSPACE,
    CTRL_C,
    DOWN,
    ENTER,
    ESC_ENTER,
    UP,
    Pty,
    pty_env,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def server(isolated_home: object) -> Iterator[Served]:
    with serve() as served:
        yield served


@pytest.fixture
def minimal_server(isolated_home: object) -> Iterator[Served]:
    with serve("--minimal") as served:
        yield served


def spawn(served: Served, *args: str, columns: int = 100, **env: str) -> Pty:
    return Pty(
        *args,
        env=pty_env(OT_API_BASE_URL=served.origin, OT_API_TOKEN=served.token, **env),
        columns=columns,
    )


def test_a_description_becomes_a_published_job(server: Served) -> None:
    term = spawn(server, "fill")
    try:
        term.wait_for("Describe the job")
        term.type(PODCASTS)
        term.send(ESC_ENTER)
        term.wait_for("created")
        term.wait_for("Guessed from your description")
        term.send(ENTER)  # the title the server guessed is fine
        term.wait_for("How will AI trainers be paid?")
        # The server's example is shown as one, and the list starts on its first
        # choice (per label), not on the example: Enter never sends a guess unseen.
        term.wait_for("For example: Pay per hour")
        term.send(ENTER)
        term.wait_for("How much will you pay per label")
        term.type("abc")
        term.wait_for("Must be a number, not 'abc'")  # the reason, under the answer
        term.send(ENTER)  # refused: the question stays, with its reason
        assert "Must be a number, not 'abc'" in term.text
        assert "What experience level" not in term.text
        term.send(BACKSPACE, BACKSPACE, BACKSPACE)
        term.type("0.05")
        term.send(ENTER)
        term.wait_for("What experience level")
        term.send(DOWN, DOWN, DOWN, ENTER)  # Expert -> Any experience level
        term.wait_for("How many AI trainers")
        term.type("3")
        term.send(ENTER)
        term.wait_for("What next?")
        term.send(DOWN, ENTER)  # change an answer
        term.wait_for("Which answer?")
        term.send(UP, UP, ENTER)  # wraps round to the last answer: the headcount
        term.wait_for("How many AI trainers")
        term.send(BACKSPACE)
        term.type("4")
        term.send(ENTER)
        term.wait_for("Send 5 answers")
        term.send(ENTER)
        term.wait_for("Publish it now?")
        term.send("y")
        term.wait_for("Published")
        term.wait_for("as defaults for your next job posts?")  # remember the answers? no
        term.send("n")
        assert term.wait_exit() == 0
    finally:
        term.close()
    shown = term.transcript
    assert "Pay per label" in shown
    assert "Any experience level" in shown
    assert re.search(r"Number of AI trainers\s*│\s*4 \(just set\)", shown), shown
    assert "/jobs/jd_" in shown
    assert "Traceback" not in shown


def test_ctrl_c_leaves_a_journal_that_the_next_run_offers(
    minimal_server: Served,
) -> None:
    created = run_jobdraft(minimal_server, "create", "-d", PODCASTS, "--json")
    job_id = json.loads(created.stdout)["jobId"]
    term = spawn(minimal_server, "fill", job_id, columns=60, NO_COLOR="1")
    try:
        term.wait_for("How will AI trainers be paid?")
        term.send(ENTER)  # the first choice: per label
        term.wait_for("How much will you pay per label")
        term.type("20")
        term.send(ENTER)
        term.wait_for("What experience level")
        term.send(CTRL_C)
        term.wait_for("continue with:")
        assert term.wait_exit() == 130
    finally:
        term.close()
    assert "2 answers saved" in term.transcript
    # The line to paste names this run's server (it came from OT_API_BASE_URL).
    pasted = " ".join(term.transcript.split("continue with:")[1].split())
    assert pasted.startswith(f"jobdraft --base-url {minimal_server.origin} fill {job_id}")
    # At 60 columns the command does not fit after the prose: the line breaks
    # at the space before it (a newline jobdraft wrote), so neither the prose
    # nor the command is cut mid-word by the terminal's edge.
    assert re.search(r"continue with:\r?\n+jobdraft --base-url ", term.transcript), term.transcript
    assert not re.search(r"\x1b\[(3[0-7]|38;)", "".join(term.raw))  # NO_COLOR: no colours

    again = spawn(minimal_server, "fill", job_id, columns=60, NO_COLOR="1")
    try:
        again.wait_for("from an earlier run")
        again.wait_for("How will AI trainers be paid?")
        again.wait_for("» Pay per label")  # the saved answer is highlighted
        again.send(ENTER)
        again.wait_for("How much will you pay per label")
        again.wait_for("per label, in US dollars?")
        again.wait_for("20")  # pre-filled
        again.send(ENTER)
        again.wait_for("What experience level")
        again.send(ENTER)
        again.wait_for("How many AI trainers")
        again.type("3")
        again.send(ENTER)
        again.wait_for("What next?")
        again.send(ENTER)
        again.wait_for("Publish it now?")
        again.send(ENTER)  # default: no
        again.wait_for("Not published")
        again.wait_for("as defaults for your next job posts?")
        again.send(ENTER)  # default: no
        assert again.wait_exit() == 0
        for line in again.text.splitlines():
            assert len(line) <= 60
    finally:
        again.close()
    assert "Ready to publish" in again.transcript


def test_ctrl_c_in_the_description_keeps_it_for_the_next_run(server: Served) -> None:
    term = spawn(server, "fill", columns=80)
    try:
        term.wait_for("Describe the job")
        term.type("We need people to transcribe")
        term.send(ENTER)
        term.type("200 hours of Spanish")
        term.wait_for("200 hours of Spanish")
        term.send(CTRL_C)
        term.wait_for("your description is saved")
        assert term.wait_exit() == 130
    finally:
        term.close()
    assert "run again: jobdraft" in term.transcript
    assert "Traceback" not in term.transcript
    assert json.loads(run_jobdraft(server, "list", "--json").stdout)["jobs"] == []  # not sent

    again = spawn(server, "fill", columns=80)
    try:
        again.wait_for("Your description from an earlier run")
        again.wait_for("> We need people to transcribe")
        again.wait_for("200 hours of Spanish")  # both lines, the cursor after them
        again.type(" podcasts.")
        again.send(ESC_ENTER)
        again.wait_for("created")
        again.send(CTRL_C)
        assert again.wait_exit() == 130
    finally:
        again.close()
    (job,) = json.loads(run_jobdraft(server, "list", "--json").stdout)["jobs"]
    shown = json.loads(run_jobdraft(server, "show", job["id"], "--json").stdout)
    assert shown["normalizedFields"]["jobDescription"] == (
        "We need people to transcribe\n200 hours of Spanish podcasts."
    )


def test_without_a_terminal_it_refuses_with_exit_2(server: Served) -> None:
    created = run_jobdraft(server, "create", "-d", PODCASTS, "--json")
    job_id = json.loads(created.stdout)["jobId"]
    result = run_jobdraft(server, "fill", job_id, input="EXPERT\n3\n")
    assert result.returncode == 2
    assert "not a terminal" in result.stderr
    assert f"jobdraft --base-url {server.origin} patch {job_id}" in result.stderr
    assert "--answers" in result.stderr
    assert "Traceback" not in result.stderr
