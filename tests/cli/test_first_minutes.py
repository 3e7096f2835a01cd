"""What a newcomer meets first: the help, bare ``jobdraft``, and the wizard's counts in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import Runner

README = Path(__file__).parents[2] / "README.md"
# Only experienceLevel is missing from what the server understands here.
IMAGES = "need 10 people to label 5,000 images with bounding boxes at $15/hour, English"


def test_bare_jobdraft_prints_help_and_exits_0(run: Runner) -> None:
    result = run()
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: jobdraft")
    assert "Commands:" in result.stdout


def test_help_at_80_columns(run: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = run("--help").stdout
    commands = text.split("Commands:")[1].split("\n\n")[0].strip().splitlines()
    assert commands[0].split()[0] == "fill"
    for line in commands:
        assert not line.endswith("..."), line  # a summary cut mid-sentence
        assert line.endswith("."), line
    assert "Try it offline: jobdraft --sandbox fill" in text.split("Commands:")[1]
    assert all(len(line) <= 80 for line in text.splitlines())


def test_list_status_choices_read_as_the_readme_writes_them(run: Runner) -> None:
    shown = re.search(r"--status (\S+)", run("list", "--help").stdout)
    assert shown is not None
    choices = shown.group(1).split("|")
    assert choices[:2] == ["DRAFT", "OPEN"] and "PENDING_APPROVAL" in choices
    line = next(x for x in README.read_text("utf-8").splitlines() if x.startswith("jobdraft list"))
    written = re.search(r"--status ([A-Z_|]+)", line)
    assert written is not None
    assert "|".join(choices).startswith(written.group(1))


def test_progress_counts_one_field_in_words(sandbox_run: Runner) -> None:
    result = sandbox_run("fill", "-d", IMAGES, "--set", "headcount=3")
    assert result.exit_code == 2, result.output  # it cannot ask for the experience level
    assert "0 of 1 missing field set, 1 still missing." in result.stdout


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (("headcount:=100000000",), "1 answer is saved; to send it: "),
        (("headcount:=100000000", "jobTitle=Boxes"), "2 answers are saved; to send them: "),
    ],
    ids=["one", "two"],
)
def test_saved_answers_are_counted_in_words(
    sandbox_run: Runner, given: tuple[str, ...], said: str
) -> None:
    sets = [arg for value in given for arg in ("--set", value)]
    result = sandbox_run("fill", "-d", IMAGES, *sets, "--no-publish")
    assert result.exit_code == 3, result.output  # the server refuses the headcount
    assert said in result.stderr
