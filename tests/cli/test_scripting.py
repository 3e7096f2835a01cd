"""The scripting commands end to end against the embedded sandbox, exit codes included."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.cli.answers import LONG_TEXT, assignments_for
from tests.conftest import Runner

DESCRIPTION = (
    "Audio transcription project: we need 10 annotators to transcribe 300 hours of audio "
    "in English and Spanish. Pay is $25/hour. " + LONG_TEXT
)


def create(sandbox_run: Runner, text: str = DESCRIPTION) -> dict:
    result = sandbox_run("create", "--description", text, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def drive_to_ready(sandbox_run: Runner, job_id: str) -> dict:
    enums = json.loads(sandbox_run("capabilities", "--json").stdout)["draft"]["enums"]
    answer = json.loads(sandbox_run("show", job_id, "--json").stdout)
    for _ in range(6):
        if answer["validation"]["publishReady"]:
            return answer
        result = sandbox_run("patch", job_id, *assignments_for(answer, enums), "--json")
        assert result.exit_code == 0, result.output
        answer = json.loads(sandbox_run("show", job_id, "--json").stdout)
    raise AssertionError(f"not ready after six rounds: {answer['validation']}")


def test_create_prints_id_link_and_validation(sandbox_run: Runner) -> None:
    result = sandbox_run("create", "-d", DESCRIPTION)
    assert result.exit_code == 0, result.output
    assert "Draft created." in result.stdout
    assert "Review it at http" in result.stdout
    assert "jobdraft --sandbox fill " in result.stdout


def test_create_json_is_the_raw_answer_and_nothing_else(sandbox_run: Runner) -> None:
    answer = create(sandbox_run)
    assert answer["ok"] is True and answer["status"] == "DRAFT"
    assert answer["normalizedFields"]["headcount"] == 10


def test_create_from_stdin_and_idempotency(sandbox_run: Runner) -> None:
    first = sandbox_run(
        "create", "-f", "-", "--idempotency-key", "k-1", "--json", input=DESCRIPTION
    )
    again = sandbox_run(
        "create", "-f", "-", "--idempotency-key", "k-1", "--json", input=DESCRIPTION
    )
    assert first.exit_code == again.exit_code == 0
    assert json.loads(first.stdout)["jobId"] == json.loads(again.stdout)["jobId"]
    other = sandbox_run("create", "-d", DESCRIPTION, "--json")
    assert json.loads(other.stdout)["jobId"] != json.loads(first.stdout)["jobId"]


def test_create_without_description_is_usage(sandbox_run: Runner) -> None:
    result = sandbox_run("create")
    assert result.exit_code == 2
    assert "no description given" in result.stderr
    assert "Traceback" not in result.output


def test_create_too_long_is_refused_before_sending(sandbox_run: Runner) -> None:
    result = sandbox_run("create", "-d", "x" * 60_001)
    assert result.exit_code == 2
    assert "at most 60,000" in result.stderr


def test_patch_types_values_and_shows_validation(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)["jobId"]
    result = sandbox_run("patch", job_id, "--set", "experienceLevel=intermediate", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["normalizedFields"]["experienceLevel"] == "INTERMEDIATE"
    human = sandbox_run("patch", job_id, "--set", "headcount=12")
    assert human.exit_code == 0
    # A person reads the label and the value set, not the key.
    assert re.search(r"Number of AI trainers\s*│\s*set\s*│\s*12", human.stdout), human.stdout


def test_patch_refuses_unknown_keys_and_bad_values_before_sending(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)["jobId"]
    before = sandbox_run("show", job_id, "--json").stdout
    bad_key = sandbox_run("patch", job_id, "--set", "experiencelevl=EXPERT")
    assert bad_key.exit_code == 2
    assert "did you mean 'experienceLevel'?" in bad_key.stderr
    bad_enum = sandbox_run("patch", job_id, "--set", "experienceLevel=guru")
    assert bad_enum.exit_code == 2 and "allowed" in bad_enum.stderr
    bad_number = sandbox_run("patch", job_id, "--set", "headcount=ten")
    assert bad_number.exit_code == 2 and "whole number" in bad_number.stderr
    assert sandbox_run("show", job_id, "--json").stdout == before


def test_patch_dry_run_prints_the_body(sandbox_run: Runner, tmp_path: Path) -> None:
    job_id = create(sandbox_run)["jobId"]
    answers = tmp_path / "answers.toml"
    answers.write_text('experienceLevel = "expert"\nlanguages = ["English"]\n')
    result = sandbox_run(
        "patch", job_id, "--file", str(answers), "--set", "headcount=50,000", "--dry-run"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "experienceLevel": "EXPERT",
        "languages": ["English"],
        "headcount": 50000,
    }


def test_patch_from_a_json_file(sandbox_run: Runner, tmp_path: Path) -> None:
    job_id = create(sandbox_run)["jobId"]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"experienceLevel": "entry_level"}))
    assert sandbox_run("patch", job_id, "--file", str(answers)).exit_code == 0
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["normalizedFields"]["experienceLevel"] == "ENTRY_LEVEL"
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    result = sandbox_run("patch", job_id, "--file", str(broken))
    assert result.exit_code == 2 and "not valid JSON" in result.stderr


def test_answers_files_that_hold_nothing_usable_are_refused_before_sending(
    sandbox_run: Runner, tmp_path: Path
) -> None:
    job_id = create(sandbox_run)["jobId"]
    before = sandbox_run("show", job_id, "--json").stdout
    binary = tmp_path / "photo.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    empty = tmp_path / "empty.json"
    empty.write_text("{}")
    for path, words in ((binary, "not UTF-8"), (empty, "nothing to set")):
        result = sandbox_run("patch", job_id, "--file", str(path))
        assert result.exit_code == 2, result.output
        assert words in result.stderr
        assert "Traceback" not in result.output
    assert sandbox_run("show", job_id, "--json").stdout == before


@pytest.mark.parametrize("seconds", ["nan", "inf", "-inf"])
def test_a_timeout_must_be_a_finite_number(sandbox_run: Runner, seconds: str) -> None:
    result = sandbox_run("--timeout", seconds, "list")
    assert result.exit_code == 2
    assert "--timeout" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize("listed", [["jobTitle"], [1, None]], ids=["stale", "damaged"])
def test_a_key_the_cached_capabilities_lack_is_checked_with_the_server(
    sandbox_run: Runner, listed: list[object]
) -> None:
    """A key added on the server since, or a damaged cache, must not block a valid key."""
    from jobdraft.cache import Cache

    job_id = create(sandbox_run)["jobId"]
    Cache().store_capabilities("sandbox", {"draft": {"updateKeys": listed}})
    result = sandbox_run("patch", job_id, "--set", "experienceLevel=expert")
    assert result.exit_code == 0, result.output
    assert "experienceLevel" in Cache().capabilities("sandbox")["draft"]["updateKeys"]
    # A key the server does not list either is still refused before sending.
    assert sandbox_run("patch", job_id, "--set", "mood=happy").exit_code == 2


def test_server_rejection_is_exit_3_with_the_field(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)["jobId"]
    result = sandbox_run("patch", job_id, "--set", "jobTitle:=123")
    assert result.exit_code == 3, result.output
    assert "Job title: Expected string" in result.stderr  # the field by its label
    assert "request id" in result.stderr


def test_whole_loop_create_patch_publish_list(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)["jobId"]
    drive_to_ready(sandbox_run, job_id)
    published = sandbox_run("publish", job_id, "--yes", "--json")
    assert published.exit_code == 0, published.output
    body = json.loads(published.stdout)
    assert body["status"] == "OPEN" and body["alreadyPublished"] is False
    again = sandbox_run("publish", job_id, "--yes")
    assert again.exit_code == 0 and "already published" in again.stdout
    listed = json.loads(sandbox_run("list", "--status", "open", "--json").stdout)
    assert [job["id"] for job in listed["jobs"]] == [job_id]
    assert job_id in sandbox_run("list").stdout
    # A published job is no longer a draft: 409 -> exit 5.
    result = sandbox_run("patch", job_id, "--set", "headcount=3")
    assert result.exit_code == 5, result.output


def test_publish_not_ready_is_exit_8_and_names_what_is_missing(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run, "Need people to label images. " + LONG_TEXT)["jobId"]
    result = sandbox_run("publish", job_id, "--yes")
    assert result.exit_code == 8, result.output
    assert "missing" in result.stderr
    assert f"jobdraft --sandbox fill {job_id}" in result.stderr


def test_publish_without_yes_off_a_terminal_is_refused(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)["jobId"]
    result = sandbox_run("publish", job_id)
    assert result.exit_code == 2
    assert "--yes" in result.stderr


def test_unknown_draft_is_exit_5(sandbox_run: Runner) -> None:
    result = sandbox_run("show", "no-such-draft")
    assert result.exit_code == 5, result.output


def test_another_accounts_draft_is_not_found(sandbox_run: Runner) -> None:
    job_id = create(sandbox_run)["jobId"]
    result = sandbox_run("--token", "ot_pat_other_account1", "show", job_id)
    assert result.exit_code == 5


def test_capabilities_and_list_status_check(sandbox_run: Runner) -> None:
    caps = json.loads(sandbox_run("capabilities", "--json").stdout)
    assert "experienceLevel" in caps["draft"]["updateKeys"]
    assert "PAY_PER_HOUR" in caps["draft"]["enums"]["paymentType"]
    human = sandbox_run("capabilities")
    assert "Patchable keys" in human.stdout
    bad = sandbox_run("list", "--status", "NOPE")
    assert bad.exit_code == 2


def test_no_token_without_sandbox_is_exit_4_naming_the_ways_in(run: Runner) -> None:
    result = run("show", "abc")
    assert result.exit_code == 4
    for needle in ("auth login", "OT_API_TOKEN", "--sandbox"):
        assert needle in result.stderr


def test_plain_http_to_a_remote_host_is_refused(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OT_API_TOKEN", "ot_pat_abc_secretvalue")
    result = run("--base-url", "http://example.com", "list")
    assert result.exit_code == 2
    assert "plain http" in result.stderr
    assert "secretvalue" not in result.output


def test_bad_flag_is_usage_without_traceback(run: Runner) -> None:
    result = run("patch", "--bogus")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_version(run: Runner) -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("jobdraft ")


def test_auth_status_in_sandbox_masks_the_token(sandbox_run: Runner) -> None:
    result = sandbox_run("auth", "status")
    assert result.exit_code == 0, result.output
    assert "ot_pat_sandbox_****" in result.stdout
    assert "localdevsecret" not in result.output


def test_a_broken_sandbox_store_is_a_clear_error(
    sandbox_run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "not-a-db.sqlite3"
    bad.write_text("this is not sqlite " * 100)
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(bad))
    result = sandbox_run("list")
    assert result.exit_code == 2, result.output
    assert "embedded sandbox" in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(tmp_path / "db.sqlite3"))
    monkeypatch.setenv("JOBDRAFT_SANDBOX_CHAOS", "lots")
    result = sandbox_run("list")
    assert result.exit_code == 2 and "JOBDRAFT_SANDBOX_CHAOS" in result.stderr


def test_sandbox_reset_empties_the_store_the_commands_use(
    sandbox_run: Runner, run: Runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(tmp_path / "own.sqlite3"))
    job_id = create(sandbox_run)["jobId"]
    assert job_id in sandbox_run("list").stdout
    result = run("sandbox", "reset")
    assert result.exit_code == 0 and "own.sqlite3" in result.stdout
    assert json.loads(sandbox_run("list", "--json").stdout)["jobs"] == []


def test_narrow_terminal_list_keeps_ids_whole_and_show_says_the_next_step(
    sandbox_run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = create(sandbox_run)["jobId"]
    monkeypatch.setenv("COLUMNS", "60")
    listed = sandbox_run("list").stdout
    assert job_id in listed
    assert all(len(line) <= 60 for line in listed.splitlines())
    assert f"Next: jobdraft --sandbox fill {job_id}" in sandbox_run("show", job_id).stdout
    drive_to_ready(sandbox_run, job_id)
    assert f"Next: jobdraft --sandbox publish {job_id}" in sandbox_run("show", job_id).stdout


def test_list_keeps_completions_newest_first(sandbox_run: Runner) -> None:
    """list records every job it shows; the oldest, listed last, must not become the newest."""
    from jobdraft.cache import Cache

    made = [create(sandbox_run, f"Job {n}. {DESCRIPTION}")["jobId"] for n in range(3)]
    assert sandbox_run("list").exit_code == 0
    seen = [entry["id"] for entry in Cache().drafts()]
    assert seen[:3] == made[::-1]


def test_fill_set_checks_a_key_the_cached_capabilities_lack_with_the_server(
    sandbox_run: Runner,
) -> None:
    """fill --set types answers as patch does: a stale cache must not refuse a valid key."""
    from jobdraft.cache import Cache

    job_id = create(sandbox_run)["jobId"]
    fresh = json.loads(sandbox_run("capabilities", "--json").stdout)
    answer = json.loads(sandbox_run("show", job_id, "--json").stdout)
    every_answer = assignments_for(answer, fresh["draft"]["enums"])
    keys = fresh["draft"]["updateKeys"]
    assert "dataVolume" in keys
    stale = {
        **fresh,
        "draft": {**fresh["draft"], "updateKeys": [k for k in keys if k != "dataVolume"]},
    }
    Cache().store_capabilities("sandbox", stale)
    result = sandbox_run("fill", job_id, *every_answer, "--set", "dataVolume=5", "--no-publish")
    assert result.exit_code == 0, result.output
    assert "Ready to publish" in result.stdout
    assert "dataVolume" in Cache().capabilities("sandbox")["draft"]["updateKeys"]
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["normalizedFields"]["dataVolume"] == 5
    # A key the server does not list either is still refused before sending.
    assert sandbox_run("fill", job_id, "--set", "mood=happy").exit_code == 2


def publish_four_ready_drafts(sandbox_run: Runner) -> str:
    """Three drafts published (the sandbox's daily limit), and a fourth one ready."""
    for number in range(3):
        job_id = create(sandbox_run, f"{DESCRIPTION} Batch {number}.")["jobId"]
        drive_to_ready(sandbox_run, job_id)
        assert sandbox_run("publish", job_id, "--yes").exit_code == 0
    job_id = create(sandbox_run, f"{DESCRIPTION} Batch four.")["jobId"]
    drive_to_ready(sandbox_run, job_id)
    return job_id


def test_publish_and_fill_explain_the_daily_limit_in_the_same_words(
    sandbox_run: Runner,
) -> None:
    job_id = publish_four_ready_drafts(sandbox_run)
    by_publish = sandbox_run("publish", job_id, "--yes")
    by_fill = sandbox_run("fill", job_id, "--publish", "--set", "headcount=10", "--accept-guesses")
    assert by_publish.exit_code == by_fill.exit_code == 7, by_publish.output + by_fill.output
    for result in (by_publish, by_fill):
        assert "Error: the daily publish limit is reached" in result.stderr
        assert "3 publishes per 24 hours" in result.stderr
        assert f"jobdraft --sandbox publish {job_id}" in result.stderr
        assert "the draft is kept as it is" in result.stderr
    shown = json.loads(sandbox_run("show", job_id, "--json").stdout)
    assert shown["status"] == "DRAFT"
