"""Keys pressed while jobdraft waits for the server never answer the next question."""

from __future__ import annotations

import json

import pytest
from tests.cli.served import run_jobdraft, serve
from tests.wizard.pty_screen import ENTER, Pty, pty_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]

COMPLETE = (
    "Expert annotators wanted: we need 10 people to transcribe 300 hours of audio in "
    "English. Pay is $25/hour. Transcription of call-center recordings."
)


def test_a_y_typed_during_the_spinner_does_not_publish(isolated_home: object) -> None:
    with serve("--latency", "1500") as server:
        created = run_jobdraft(server, "create", "-d", COMPLETE, "--json")
        job_id = json.loads(created.stdout)["jobId"]
        term = Pty(
            "fill",
            job_id,
            env=pty_env(OT_API_BASE_URL=server.origin, OT_API_TOKEN=server.token),
        )
        try:
            # The server guessed the title and the level: both are offered for a check.
            term.wait_for("What is the title")
            term.send(ENTER)
            term.wait_for("What experience level")
            term.send(ENTER)
            term.wait_for("What next?")
            term.send(ENTER)  # send: the spinner runs for the server's 1.5 s
            term.wait_for("Sending")  # the spinner is up: the PATCH is still on its way
            term.type("y")  # impatient, or a stray key: meant for nothing yet
            term.wait_for("Publish it now?")
            # A yes/no answers on one key: had the stray "y" reached the prompt,
            # it would have published and ended the run, and the "n" below
            # would find no prompt to answer.
            term.type("n")
            term.wait_for("Not published")
            assert "Publish it now? No" in term.text
            assert "Publish it now? Yes" not in term.transcript
            term.wait_for("as defaults for your next job posts?")  # remember the level? no
            term.type("n")
            assert term.wait_exit() == 0
        finally:
            term.close()
        listed = json.loads(run_jobdraft(server, "list", "--json").stdout)["jobs"]
    assert [job["status"] for job in listed] == ["DRAFT"]
