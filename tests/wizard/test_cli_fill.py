"""``jobdraft fill`` through the real CLI entry point, where it cannot prompt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import Runner
from tests.wizard.conftest import PODCASTS

pytestmark = pytest.mark.timeout(30)


def test_piped_input_is_never_read_as_keystrokes(sandbox_run: Runner) -> None:
    result = sandbox_run("fill", input="EXPERT\n3\n")
    assert result.exit_code == 2
    assert "not a terminal" in result.stderr
    assert "jobdraft --sandbox patch ID --set key=value" in result.stderr
    assert "--answers" in result.stderr
    assert "Traceback" not in result.output


def test_answers_file_and_set_finish_without_a_terminal(
    sandbox_run: Runner, tmp_path: Path
) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('paymentType = "PAY_PER_HOUR"\npricePerHour = 20\n', encoding="utf-8")
    result = sandbox_run(
        "fill",
        "--description",
        PODCASTS,
        "--answers",
        str(answers),
        "--set",
        "experienceLevel=expert",
        "--set",
        "headcount=3",
        "--set",
        "jobTitle=Spanish podcast transcription",  # the server only guessed it
        "--publish",
    )
    assert result.exit_code == 0, result.output
    assert "Published" in result.stdout
    listed = json.loads(sandbox_run("list", "--json").stdout)
    assert [job["status"] for job in listed["jobs"]] == ["OPEN"]


def test_no_publish_stops_at_ready(sandbox_run: Runner) -> None:
    result = sandbox_run(
        "fill", "-d", PODCASTS, "--no-publish",
        "--set", "paymentType=PAY_PER_LABEL", "--set", "pricePerLabel=0.1",
        "--set", "experienceLevel=EXPERT", "--set", "headcount=2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Not published" in result.stdout
    assert "jobdraft --sandbox publish" in result.stdout


def test_what_the_answers_miss_is_named_with_exit_2(sandbox_run: Runner) -> None:
    result = sandbox_run("fill", "-d", PODCASTS, "--set", "paymentType=PAY_PER_HOUR")
    assert result.exit_code == 2
    assert "pricePerHour" in result.stderr
    assert "experienceLevel" in result.stderr
