"""Every answer variant the contract lists, produced by the sandbox, handled by the client."""

from __future__ import annotations

import json

import pytest
from tests.cli.test_scripting import DESCRIPTION, create, drive_to_ready
from tests.conftest import Runner

VARIANTS = [
    "missing-objects",
    "missing-count-only",
    "field-codes",
    "plain-prompts",
    "job-param-url",
    "issues-array",
    "no-hints",
]


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_loop_finishes_in_every_variant(
    variant: str, sandbox_run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBDRAFT_SANDBOX_VARIANTS", variant)
    job_id = create(sandbox_run)["jobId"]
    shown = sandbox_run("show", job_id)
    assert shown.exit_code == 0, shown.output
    drive_to_ready(sandbox_run, job_id)
    assert sandbox_run("publish", job_id, "--yes").exit_code == 0


@pytest.mark.parametrize("variant", ["issues-array", ""])
def test_rejections_name_the_field_in_both_issue_containers(
    variant: str, sandbox_run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBDRAFT_SANDBOX_VARIANTS", variant)
    job_id = create(sandbox_run)["jobId"]
    result = sandbox_run("patch", job_id, "--set", "headcount:=-3")
    assert result.exit_code in (2, 3), result.output
    result = sandbox_run("patch", job_id, "--set", "jobTitle:=[1]")
    assert result.exit_code == 3
    assert "Job title:" in result.stderr  # the field by its label


def test_minimal_embedded_show_uses_the_documented_routes_only(
    sandbox_run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBDRAFT_SANDBOX_MINIMAL", "1")
    job_id = create(sandbox_run, DESCRIPTION)["jobId"]
    shown = sandbox_run("show", job_id, "--json")
    assert shown.exit_code == 0, shown.output
    answer = json.loads(shown.stdout)
    # The minimal PATCH body: exactly the documented keys.
    assert set(answer) == {"ok", "jobId", "status", "draftUrl", "validation"}
    human = sandbox_run("show", job_id)
    # Questions learned from the create answer are still shown for names-only answers.
    assert "missing" in human.stdout


@pytest.mark.parametrize("minimal", ["", "1"])
def test_enum_keys_the_docs_leave_untyped_are_typed_from_the_server(
    minimal: str, sandbox_run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """visibility has no documented type: the capabilities' enums make it an enum."""
    monkeypatch.setenv("JOBDRAFT_SANDBOX_MINIMAL", minimal)
    job_id = create(sandbox_run)["jobId"]
    result = sandbox_run("patch", job_id, "--set", "visibility=invite only", "--dry-run")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"visibility": "INVITE_ONLY"}
    assert sandbox_run("patch", job_id, "--set", "visibility=invite-only").exit_code == 0
    refused = sandbox_run("patch", job_id, "--set", "visibility=secret")
    assert refused.exit_code == 2 and "allowed" in refused.stderr


def test_a_boolean_key_the_capabilities_type_takes_yes(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)["jobId"]
    result = sandbox_run("patch", job_id, "--set", "requiresNda=yes", "--dry-run")
    assert json.loads(result.stdout) == {"requiresNda": True}
    assert sandbox_run("patch", job_id, "--set", "requiresNda=yes").exit_code == 0
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["normalizedFields"]["requiresNda"] is True
