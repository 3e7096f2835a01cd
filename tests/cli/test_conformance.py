"""The client meets the sandbox where it follows the public docs (issue 9, part 3 and 4).

Each point runs the real CLI in-process against the embedded sandbox, or
against the hostile server where only a scripted answer can show it, and
checks the exit code and the words a user reads.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli.answers import LONG_TEXT, assignments_for
from tests.cli.served import JOBDRAFT
from tests.cli.test_local_system import as_unknown_user, unknown_uid
from tests.conftest import Runner
from tests.hostile.server import HostileServer, Reply, hostile

DESCRIPTION = (
    "Audio transcription project: we need 10 annotators to transcribe 300 hours of audio "
    "in English. Pay is $25/hour. " + LONG_TEXT
)
OTHER_TOKEN = "ot_pat_other_anothersecret"
TOKEN = "ot_pat_hostile_s3cretpart"


def one_line(text: str) -> str:
    """stderr with its wrapping undone, so that a phrase is found across a line break."""
    return re.sub(r"\s+", " ", text)


def create(sandbox_run: Runner, text: str = DESCRIPTION) -> str:
    result = sandbox_run("create", "-d", text, "--json")
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["jobId"])


@pytest.fixture
def server() -> Iterator[HostileServer]:
    with hostile() as started:
        yield started


# -- 1. a draft of another account --------------------------------------------------


def test_patching_another_accounts_draft_says_whose_it_is(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)
    result = sandbox_run("--token", OTHER_TOKEN, "patch", job_id, "--set", "headcount=3")
    assert result.exit_code == 4, result.output
    said = one_line(result.stderr)
    assert f"draft {job_id} belongs to another account" in said
    assert "jobdraft --sandbox auth status" in said
    # The owner's draft is untouched.
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["normalizedFields"]["headcount"] == 10


def test_publishing_another_accounts_draft_stays_not_found(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)
    result = sandbox_run("--token", OTHER_TOKEN, "publish", job_id, "--yes")
    assert result.exit_code == 5, result.output
    assert "another account" not in result.stderr


def test_a_token_without_the_write_scope_is_not_called_another_account(
    sandbox_run: Runner,
) -> None:
    job_id = create(sandbox_run)
    result = sandbox_run(
        "--token", "ot_pat_readonlyx_secret", "patch", job_id, "--set", "headcount=3"
    )
    assert result.exit_code == 4, result.output
    assert "jobs:write" in result.stderr
    assert "another account" not in result.stderr


# -- 2. drafting disabled -----------------------------------------------------------

DISABLED = {"featureKey": "job_drafting", "mode": "OFF"}


def test_capabilities_refused_for_a_disabled_feature_is_explained(
    cli_at: Runner, server: HostileServer
) -> None:
    server.on(
        "GET",
        "/job-drafts/capabilities",
        Reply.error(403, "FORBIDDEN", "Feature disabled.", DISABLED),
    )
    result = cli_at("capabilities")
    assert result.exit_code == 4, result.output
    said = one_line(result.stderr)
    assert "job drafting is not enabled for this account" in said
    assert "feature job_drafting, mode OFF" in said


def test_patch_and_fill_stop_before_asking_when_drafting_is_disabled(
    cli_at: Runner, server: HostileServer
) -> None:
    """Capabilities only help to type answers, but a refusal for the feature is
    said at once: every PATCH would be refused the same way."""
    server.on(
        "GET",
        "/job-drafts/capabilities",
        Reply.error(403, "FORBIDDEN", "Feature disabled.", DISABLED),
    )
    for command in (
        ("patch", "jd_1", "--set", "headcount=3"),
        ("fill", "jd_1", "--set", "headcount=3"),
    ):
        result = cli_at(*command)
        assert result.exit_code == 4, result.output
        assert "job drafting is not enabled for this account" in one_line(result.stderr)
    assert [r for r in server.requests if r.method == "PATCH"] == []


def test_a_patch_refused_for_the_feature_says_the_same(
    cli_at: Runner, server: HostileServer
) -> None:
    """Capabilities fetched before the feature was turned off (a day's cache)."""
    server.on(
        "GET",
        "/job-drafts/capabilities",
        Reply.json({"enabled": True, "draft": {"updateKeys": ["headcount"]}}),
    )
    server.on("PATCH", "/job-drafts/jd_1", Reply.error(403, "FORBIDDEN", "Off.", DISABLED))
    result = cli_at("patch", "jd_1", "--set", "headcount=3")
    assert result.exit_code == 4, result.output
    said = one_line(result.stderr)
    assert "job drafting is not enabled for this account (feature job_drafting, mode OFF)" in said
    assert "belongs to another account" not in said


@pytest.fixture
def cli_at(run: Runner, server: HostileServer) -> Runner:
    def invoke(*args: str, input: str | None = None) -> object:
        return run("--base-url", server.origin, "--token", TOKEN, *args, input=input)

    return invoke  # type: ignore[return-value]


# -- 3. /auth/me --------------------------------------------------------------------


def test_auth_status_shows_the_name_and_email_of_the_documented_shape(
    sandbox_run: Runner,
) -> None:
    result = sandbox_run("auth", "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Logged in as: Sandbox sandbox" in lines
    assert "Email: sandbox@sandbox.invalid" in lines


def test_auth_status_puts_first_and_last_name_together(
    cli_at: Runner, server: HostileServer
) -> None:
    server.on(
        "GET",
        "/auth/me",
        Reply.json(
            {
                "actor": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"},
                "token": {"scopes": ["jobs:read"]},
            }
        ),
    )
    result = cli_at("auth", "status")
    assert result.exit_code == 0, result.output
    assert "Logged in as: Ada Lovelace\nEmail: ada@example.com\n" in result.stdout


def test_auth_status_for_a_deleted_user_says_so(sandbox_run: Runner) -> None:
    result = sandbox_run("--token", "ot_pat_deletedx_secret", "auth", "status")
    assert result.exit_code == 4, result.output
    assert "Error: the token's user no longer exists" in result.stderr


def test_a_404_without_the_api_envelope_is_not_a_deleted_user(
    cli_at: Runner, server: HostileServer
) -> None:
    server.on(
        "GET", "/auth/me", Reply(404, b"<html>nothing here</html>", {"Content-Type": "text/html"})
    )
    result = cli_at("auth", "status")
    assert result.exit_code == 5, result.output
    assert "no longer exists" not in result.stderr


# -- 4. the daily publish limit -----------------------------------------------------


def ready_draft(sandbox_run: Runner, number: int) -> str:
    job_id = create(sandbox_run, f"{DESCRIPTION} Batch {number}.")
    enums = json.loads(sandbox_run("capabilities", "--json").stdout)["draft"]["enums"]
    for _ in range(6):
        answer = json.loads(sandbox_run("show", job_id, "--json").stdout)
        if answer["validation"]["publishReady"]:
            return job_id
        patched = sandbox_run("patch", job_id, *assignments_for(answer, enums))
        assert patched.exit_code == 0, patched.output
    raise AssertionError("the draft did not become ready")


def test_the_sandbox_limit_says_when_and_how_to_lift_it(sandbox_run: Runner) -> None:
    for number in range(3):
        assert sandbox_run("publish", ready_draft(sandbox_run, number), "--yes").exit_code == 0
    job_id = ready_draft(sandbox_run, 3)
    result = sandbox_run("publish", job_id, "--yes")
    assert result.exit_code == 7, result.output
    said = one_line(result.stderr)
    assert f"try again in about 24 hours: jobdraft --sandbox publish {job_id}" in said
    assert "JOBDRAFT_SANDBOX_CLAIMED=1" in said
    assert "jobdraft sandbox serve --claimed" in said
    assert "jobdraft sandbox reset --publish-count" in said
    # The way out works: the count is cleared and the draft publishes.
    assert sandbox_run("sandbox", "reset", "--publish-count").exit_code == 0
    assert sandbox_run("publish", job_id, "--yes").exit_code == 0


def test_a_publish_limited_without_retry_after_is_sent_once(
    cli_at: Runner, server: HostileServer
) -> None:
    server.on(
        "POST",
        "/jobs/jd_1/publish",
        Reply.error(429, "RATE_LIMITED", "Daily limit.", {"limit": 3, "windowHours": 24}),
    )
    result = cli_at("publish", "jd_1", "--yes")
    assert result.exit_code == 7, result.output
    assert "try again in about 24 hours" in one_line(result.stderr)
    assert len([r for r in server.requests if r.path.endswith("/publish")]) == 1
    assert "retrying" not in result.stderr


def test_a_limit_with_an_odd_window_gives_no_time(cli_at: Runner, server: HostileServer) -> None:
    server.on(
        "POST",
        "/jobs/jd_1/publish",
        Reply.error(429, "RATE_LIMITED", "Daily limit.", {"limit": 3, "windowHours": "a day"}),
    )
    result = cli_at("publish", "jd_1", "--yes")
    assert result.exit_code == 7, result.output
    assert "in about" not in result.stderr
    assert "publish it later: jobdraft --base-url" in one_line(result.stderr)


# -- 6 and 7b: the embedded store ---------------------------------------------------


def test_another_programs_database_is_refused_with_the_way_around_it(
    sandbox_run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = tmp_path / "theirs.sqlite3"
    with sqlite3.connect(theirs) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(theirs))
    result = sandbox_run("list")
    assert result.exit_code == 2, result.output
    said = one_line(result.stderr)
    assert "point JOBDRAFT_SANDBOX_DB at another file" in said
    assert "or unset it" in said
    assert "sandbox reset" not in said
    assert "Traceback" not in result.output


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as a user with no passwd entry")
@pytest.mark.parametrize("args", [("--sandbox", "list"), ("sandbox", "reset")])
def test_no_home_at_all_is_a_clear_usage_error(tmp_path: Path, args: tuple[str, ...]) -> None:
    """No HOME, no XDG_STATE_HOME and no passwd entry: the real binary, as such a user."""
    uid = unknown_uid()
    here = tmp_path / "cwd"
    here.mkdir()
    result = subprocess.run(
        [JOBDRAFT, *args],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "COLUMNS": "200"},
        preexec_fn=as_unknown_user(uid),
        cwd=here,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    said = one_line(result.stderr)
    assert "no place for the sandbox store" in said
    assert "set JOBDRAFT_SANDBOX_DB to a file" in said
    assert "unexpected error" not in said and "Traceback" not in said
    assert list(here.iterdir()) == []
