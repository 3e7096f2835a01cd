"""Commands that ask a question at a real terminal (pexpect): publish's confirmation, login."""

from __future__ import annotations

import json
import os
import time

import pexpect
import pytest
from tests.cli.answers import assignments_for
from tests.cli.served import JOBDRAFT, run_jobdraft
from tests.cli.test_scripting import DESCRIPTION

pytestmark = pytest.mark.slow


def ready_draft() -> str:
    sandbox = {"JOBDRAFT_SANDBOX": "1"}
    created = run_jobdraft(None, "create", "-d", DESCRIPTION, "--json", env=sandbox)
    job_id = str(json.loads(created.stdout)["jobId"])
    enums = json.loads(run_jobdraft(None, "capabilities", "--json", env=sandbox).stdout)
    answer = json.loads(run_jobdraft(None, "show", job_id, "--json", env=sandbox).stdout)
    for _ in range(6):
        if answer["validation"]["publishReady"]:
            return job_id
        run_jobdraft(
            None, "patch", job_id, *assignments_for(answer, enums["draft"]["enums"]), env=sandbox
        )
        answer = json.loads(run_jobdraft(None, "show", job_id, "--json", env=sandbox).stdout)
    raise AssertionError(answer["validation"])


def spawn(*args: str) -> pexpect.spawn:
    env = {**os.environ, "JOBDRAFT_SANDBOX": "1", "NO_COLOR": "1"}
    return pexpect.spawn(
        JOBDRAFT, list(args), env=env, encoding="utf-8", timeout=20, dimensions=(30, 80)
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return child.exitstatus


def test_publish_asks_first_and_no_means_no() -> None:
    job_id = ready_draft()
    child = spawn("publish", job_id)
    child.expect(rf"Publish {job_id} now\? \[y/N\]")
    child.sendline("")
    child.expect("Not published")
    assert finish(child) == 0
    child = spawn("publish", job_id)
    child.expect("now\\?")
    child.sendline("y")
    child.expect(f"Published {job_id}")
    assert finish(child) == 0


def test_ctrl_c_at_the_confirmation_is_exit_130() -> None:
    job_id = ready_draft()
    child = spawn("publish", job_id)
    child.expect("now\\?")
    # The prompt is drawn a moment before the terminal is read: let it settle,
    # as a person would, so the key lands in the question and not before it.
    time.sleep(0.5)
    child.sendcontrol("c")
    child.expect(r"Stopped:\S*\s\S*interrupted")
    assert finish(child) == 130
    shown = run_jobdraft(None, "show", job_id, "--json", env={"JOBDRAFT_SANDBOX": "1"})
    assert json.loads(shown.stdout)["status"] == "DRAFT"


def test_login_reads_the_token_hidden() -> None:
    child = spawn("auth", "login", "--no-verify")
    child.expect("OpenTrain API token")
    child.sendline("ot_pat_typed_hiddensecret")
    child.expect("Saved to")
    assert finish(child) == 0
    assert "hiddensecret" not in (child.before or "")
    from jobdraft.config import credentials_path

    path = credentials_path()
    assert json.loads(path.read_text())["apiToken"] == "ot_pat_typed_hiddensecret"
    assert path.stat().st_mode & 0o777 == 0o600


def test_ctrl_d_at_an_empty_wizard_prompt_stops_like_ctrl_c() -> None:
    child = spawn("fill")
    child.expect("Describe the job")
    child.sendcontrol("d")
    child.expect("interrupted")
    assert finish(child) == 130
    assert "Aborted!" not in (child.before or "")


def test_ctrl_c_works_even_when_started_with_sigint_ignored() -> None:
    """A program run by a script can inherit SIGINT ignored; at a terminal it must still stop."""
    job_id = ready_draft()
    env = {**os.environ, "JOBDRAFT_SANDBOX": "1", "NO_COLOR": "1"}
    child = pexpect.spawn(
        "bash",
        ["-c", f"trap '' INT; exec {JOBDRAFT} publish {job_id}"],
        env=env,
        encoding="utf-8",
        timeout=20,
        dimensions=(30, 80),
    )
    child.expect("now\\?")
    time.sleep(0.5)
    child.sendcontrol("c")
    child.expect("interrupted")
    assert finish(child) == 130
