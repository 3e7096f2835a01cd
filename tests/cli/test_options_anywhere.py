"""The global options work before or after the command's name, as gh's and kubectl's do.

Driven through jobdraft's real ``main`` (the ``run`` fixture): what a user
types is what click parses.
"""

from __future__ import annotations

import json

import pytest
from tests.conftest import Result, Runner

DESCRIPTION = "We need 10 people to transcribe 300 hours of English audio at $25/hour."


def created_id(run: Runner, *where: str) -> str:
    result = run("create", "-d", DESCRIPTION, "--json", *where)
    assert result.exit_code == 0, result.output
    job_id = json.loads(result.stdout)["jobId"]
    assert isinstance(job_id, str)
    return job_id


@pytest.mark.parametrize(
    "line",
    [
        ("show", "{id}", "--sandbox"),
        ("show", "--sandbox", "{id}"),
        ("--sandbox", "show", "{id}"),
        ("show", "{id}", "--json", "--sandbox", "--timeout", "5", "--debug"),
        ("show", "{id}", "--timeout=5", "--sandbox"),
    ],
    ids=["after-id", "before-id", "before-command", "with-values", "equals-form"],
)
def test_global_options_anywhere_reach_the_same_sandbox(run: Runner, line: tuple[str, ...]) -> None:
    job_id = created_id(run, "--sandbox")
    result = run(*(word.format(id=job_id) for word in line))
    assert result.exit_code == 0, result.output
    assert job_id in result.stdout


def test_an_options_value_that_looks_like_a_global_option_stays_a_value(run: Runner) -> None:
    # "--sandbox" is the description here, not the flag: without the flag there is no token.
    result = run("create", "-d", "--sandbox", "--json")
    assert result.exit_code == 4, result.output
    assert "no OpenTrain API token" in result.stderr
    # The same with the flag given as well: the description is the word "--sandbox".
    result = run("create", "-d", "--sandbox", "--sandbox", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["normalizedFields"]["jobDescription"] == "--sandbox"


def test_nothing_after_a_double_dash_moves(run: Runner) -> None:
    result = run("show", "--", "--sandbox")
    assert result.exit_code == 4, result.output  # the id "--sandbox", and no sandbox
    assert "no OpenTrain API token" in result.stderr


def test_a_value_after_the_command_is_checked_like_one_before_it(run: Runner) -> None:
    result = run("show", "x", "--timeout", "nan", "--sandbox")
    assert result.exit_code == 2
    assert "must be a number of seconds" in result.stderr


def test_a_global_option_missing_its_value_says_so(run: Runner) -> None:
    result = run("show", "x", "--base-url")
    assert result.exit_code == 2
    assert "Option '--base-url' requires an argument." in result.stderr


def test_base_url_after_the_command_is_used(run: Runner) -> None:
    # Port 9 (discard) has no listener here: the error names the host, so the option was taken.
    result = run("list", "--token", "ot_pat_abc_def", "--base-url=http://127.0.0.1:9", "--json")
    assert result.exit_code == 6, result.output
    assert "cannot reach 127.0.0.1" in result.stderr


def test_an_environment_sandbox_and_a_flag_after_the_command_agree(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBDRAFT_SANDBOX", "1")
    job_id = created_id(run)
    monkeypatch.delenv("JOBDRAFT_SANDBOX")
    assert run("show", job_id, "--sandbox").exit_code == 0


@pytest.mark.parametrize(
    "command", [("fill",), ("show",), ("publish",), ("auth", "status"), ("sandbox", "reset")]
)
def test_each_commands_help_lists_the_global_options(run: Runner, command: tuple[str, ...]) -> None:
    result: Result = run(*command, "--help")
    assert result.exit_code == 0
    section = result.stdout.split("Global options (before or after the command):")[1]
    for option in ("--sandbox", "--base-url URL", "--token TOKEN", "--debug", "--timeout"):
        assert option in section


def test_completion_after_a_global_option_behind_the_command(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def tab(line: str) -> list[str]:
        monkeypatch.setenv("_JOBDRAFT_COMPLETE", "complete_bash")
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        result = run()
        assert result.exit_code == 0, result.output
        return result.stdout.split()

    assert "--publish" in tab("jobdraft fill --sandbox --pu")
    assert "--status" in tab("jobdraft list --timeout 5 --sta")
    # Completing the value of a global option behind a command is no error (exit 0).
    tab("jobdraft show x --base-url ")
