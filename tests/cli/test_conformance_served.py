"""Issue 9, part 3 and 4, through the real binary against ``jobdraft sandbox serve``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from tests.cli.answers import LONG_TEXT, assignments_for
from tests.cli.served import Served, run_jobdraft, serve

pytestmark = pytest.mark.slow

DESCRIPTION = (
    "Audio transcription project: we need 10 annotators to transcribe 300 hours of audio "
    "in English. Pay is $25/hour. " + LONG_TEXT
)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def served() -> Iterator[Served]:
    with serve() as server:
        yield server


def create(server: Served, text: str = DESCRIPTION) -> str:
    result = run_jobdraft(server, "create", "-d", text, "--json")
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["jobId"])


def test_served_patch_of_another_accounts_draft(served: Served) -> None:
    job_id = create(served)
    result = run_jobdraft(
        served, "patch", job_id, "--set", "headcount=3", token="ot_pat_other_secret"
    )
    assert result.returncode == 4, result.stderr
    said = one_line(result.stderr)
    assert f"draft {job_id} belongs to another account" in said
    # The hint reaches the same server when pasted.
    assert f"--base-url {served.origin} auth status" in said
    published = run_jobdraft(served, "publish", job_id, "--yes", token="ot_pat_other_secret")
    assert published.returncode == 5, published.stderr


def test_served_auth_status_and_a_deleted_user(served: Served) -> None:
    status = run_jobdraft(served, "auth", "status")
    assert status.returncode == 0, status.stderr
    assert "Logged in as: Sandbox sandbox\nEmail: sandbox@sandbox.invalid\n" in status.stdout
    gone = run_jobdraft(served, "auth", "status", token="ot_pat_deletedme_secret")
    assert gone.returncode == 4, gone.stderr
    assert "Error: the token's user no longer exists" in gone.stderr


def test_served_drafting_disabled_is_explained_by_every_command() -> None:
    with serve("--disable-feature", "drafting") as server:
        for command in (
            ("capabilities",),
            ("patch", "jd_x", "--set", "headcount=3"),
            ("fill", "jd_x", "--set", "headcount=3"),
        ):
            result = run_jobdraft(server, *command)
            assert result.returncode == 4, (command, result.stderr)
            said = one_line(result.stderr)
            assert "job drafting is not enabled for this account" in said, said
            assert "mode OFF" in said


def ready(server: Served, number: int) -> str:
    job_id = create(server, f"{DESCRIPTION} Batch {number}.")
    for _ in range(6):
        answer = json.loads(run_jobdraft(server, "show", job_id, "--json").stdout)
        if answer["validation"]["publishReady"]:
            return job_id
        patched = run_jobdraft(server, "patch", job_id, *assignments_for(answer))
        assert patched.returncode == 0, patched.stderr
    raise AssertionError("the draft did not become ready")


def test_served_daily_limit_is_reported_at_once_with_the_ways_out(served: Served) -> None:
    for number in range(3):
        assert run_jobdraft(served, "publish", ready(served, number), "--yes").returncode == 0
    job_id = ready(served, 3)
    result = run_jobdraft(served, "publish", job_id, "--yes")
    assert result.returncode == 7, result.stderr
    said = one_line(result.stderr)
    assert "try again in about 24 hours" in said
    assert "jobdraft sandbox serve --claimed" in said
    assert "jobdraft sandbox reset --publish-count" in said
    assert "retrying" not in said
