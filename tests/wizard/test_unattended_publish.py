"""An unattended publish never publishes a value that is only the server's guess.

Through the real CLI against the embedded sandbox, without a terminal (the
``run`` fixture's stdin is not one): ``fill --publish`` refuses with exit 8
while ``lowConfidenceFields`` holds a value nothing since confirmed, names it,
and keeps the draft; ``--set``, ``--answers`` or ``--accept-guesses`` let it
through.  ``publish ID --yes`` publishes, naming the guesses on stderr.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import Runner

pytestmark = pytest.mark.timeout(60)

# The issue's own example: the whole sentence becomes the (guessed) title.
IMAGES = "need 10 people to label 5,000 images with bounding boxes at $15/hour, English"
# The title and the experience level are both guesses here.
EXPERTS = (
    "Expert annotators wanted: we need 10 people to transcribe 300 hours of audio in "
    "English. Pay is $25/hour. Transcription of call-center recordings."
)


def jobs(sandbox_run: Runner) -> list[dict[str, object]]:
    listed = json.loads(sandbox_run("list", "--json").stdout)["jobs"]
    assert isinstance(listed, list)
    return listed


def created(sandbox_run: Runner, text: str) -> str:
    result = sandbox_run("create", "-d", text, "--json")
    assert result.exit_code == 0, result.output
    job_id = json.loads(result.stdout)["jobId"]
    assert isinstance(job_id, str)
    return job_id


def test_a_guessed_title_is_not_published_unattended(sandbox_run: Runner) -> None:
    result = sandbox_run("fill", "-d", IMAGES, "--set", "experienceLevel=entry_level", "--publish")
    assert result.exit_code == 8, result.output
    assert "not published: the server only guessed Job title" in result.stderr
    assert "--set jobTitle=..." in result.stderr
    assert "--accept-guesses" in result.stderr
    assert "the draft is kept" in result.stderr
    [job] = jobs(sandbox_run)
    assert job["status"] == "DRAFT"
    # The summary marks the value as a guess too, after "Understood from your description".
    summary = result.stdout.split("Your job post")[1]
    words = " ".join(summary.replace("│", " ").split())  # the cell may wrap at any width
    assert "(a guess: check it)" in words


def test_every_guess_is_named(sandbox_run: Runner) -> None:
    job_id = created(sandbox_run, EXPERTS)
    result = sandbox_run("fill", job_id, "--set", "headcount=4", "--publish")
    assert result.exit_code == 8, result.output
    assert "guessed Job title and Experience level from the description" in result.stderr
    # Confirming one leaves the other named.
    result = sandbox_run("fill", job_id, "--set", "jobTitle=Call-center transcription", "--publish")
    assert result.exit_code == 8, result.output
    assert "guessed Experience level from" in result.stderr


def test_set_confirms_a_guess_and_publishes(sandbox_run: Runner) -> None:
    result = sandbox_run(
        "fill", "-d", IMAGES, "--set", "experienceLevel=entry_level",
        "--set", "jobTitle=Bounding boxes on 5,000 images", "--publish",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [job] = jobs(sandbox_run)
    assert job["status"] == "OPEN"
    assert job["title"] == "Bounding boxes on 5,000 images"


def test_answers_file_confirms_a_guess(sandbox_run: Runner, tmp_path: Path) -> None:
    answers = tmp_path / "answers.toml"
    answers.write_text('jobTitle = "Image labelling"\nexperienceLevel = "expert"\n', "utf-8")
    result = sandbox_run("fill", "-d", IMAGES, "--answers", str(answers), "--publish")
    assert result.exit_code == 0, result.output
    assert [job["status"] for job in jobs(sandbox_run)] == ["OPEN"]


def test_accept_guesses_publishes_them_as_they_are(sandbox_run: Runner) -> None:
    result = sandbox_run(
        "fill", "-d", IMAGES, "--set", "experienceLevel=entry_level", "--publish",
        "--accept-guesses",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [job] = jobs(sandbox_run)
    assert job["status"] == "OPEN"
    assert job["title"] == IMAGES


def test_a_guess_confirmed_by_an_earlier_patch_is_no_longer_one(sandbox_run: Runner) -> None:
    job_id = created(sandbox_run, IMAGES)
    assert sandbox_run("patch", job_id, "--set", "jobTitle=Image labelling").exit_code == 0
    result = sandbox_run("fill", job_id, "--set", "experienceLevel=expert", "--publish")
    assert result.exit_code == 0, result.output


def test_publish_yes_publishes_and_names_the_guesses(sandbox_run: Runner) -> None:
    job_id = created(sandbox_run, IMAGES)
    assert sandbox_run("patch", job_id, "--set", "experienceLevel=expert").exit_code == 0
    result = sandbox_run("publish", job_id, "--yes")
    assert result.exit_code == 0, result.output
    assert "warning: the server only guessed Job title from the description" in result.stderr
    assert f"Published {job_id}." in result.stdout
    # A draft whose title was set says nothing of guesses.
    other = created(sandbox_run, IMAGES + " Second batch.")
    sandbox_run("patch", other, "--set", "experienceLevel=expert", "--set", "jobTitle=Boxes")
    result = sandbox_run("publish", other, "--yes")
    assert result.exit_code == 0, result.output
    assert "guessed" not in result.stderr
