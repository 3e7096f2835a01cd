"""``publish`` and ``fill`` explain a refused publish in the same words.

Both go through ``operations.publish_draft``; these drive the ``publish``
command's run function (over a fake IO) and the wizard against one sandbox
that refuses, and compare what each tells the user.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from tests.wizard.conftest import Harness, make_harness

from jobdraft.commands import CommandIO, PublishOptions, run_publish
from jobdraft.errors import ApiError, AuthError

pytestmark = pytest.mark.timeout(60)

READY = (
    "Expert annotators wanted: we need 10 people to transcribe 300 hours of audio in "
    "English. Pay is $25/hour. Transcription of call-center recordings."
)


def fake_io(harness: Harness, said: list[str]) -> CommandIO:
    def console() -> Console:
        return Console(file=io.StringIO(), width=100, color_system=None)

    return CommandIO(
        session=harness.session,
        out=console(),
        err=console(),
        can_prompt=lambda: False,
        confirm=lambda _question: pytest.fail("--yes was given: nothing to confirm"),
        say=said.append,
        say_err=said.append,
        write_json=said.append,
    )


def refusals(harness: Harness) -> tuple[ApiError, ApiError, tuple[str, str]]:
    """The error of ``publish ID --yes`` and of ``fill ID --publish``, on two ready drafts."""
    by_command = harness.create(READY).job_id
    by_wizard = harness.create(READY + " Second batch.").job_id
    with pytest.raises(ApiError) as command:
        run_publish(PublishOptions(by_command, yes=True), fake_io(harness, []))
    with pytest.raises(ApiError) as wizard:
        harness.fill(None, by_wizard, publish=True, assignments=["headcount=10"])
    assert harness.status(by_command) == harness.status(by_wizard) == "DRAFT"
    return command.value, wizard.value, (by_command, by_wizard)


def same_words(command: ApiError, wizard: ApiError, job_ids: tuple[str, str]) -> None:
    assert type(command) is type(wizard)
    assert command.exit_code == wizard.exit_code
    assert command.message == wizard.message
    first, second = job_ids
    assert (command.hint or "").replace(first, "ID") == (wizard.hint or "").replace(second, "ID")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"block_words": ("audio",)}, "moderation blocked this job post"),
        (
            {"disabled_features": frozenset({"publishing"})},
            "publishing is not enabled for this account",
        ),
    ],
    ids=["moderation", "feature-off"],
)
def test_publish_and_fill_explain_a_refusal_alike(
    tmp_path: Path, config: dict[str, object], message: str
) -> None:
    harness = make_harness(tmp_path, **config)
    command, wizard, job_ids = refusals(harness)
    assert isinstance(command, AuthError) and command.exit_code == 4
    assert command.message.startswith(message)  # then the server's own words
    assert "the draft is kept as it is" in (command.hint or "")
    same_words(command, wizard, job_ids)


def test_a_published_draft_is_announced_with_its_link(tmp_path: Path) -> None:
    harness = make_harness(tmp_path)
    job_id = harness.create(READY).job_id
    said: list[str] = []
    run_publish(PublishOptions(job_id, yes=True), fake_io(harness, said))
    assert said[0] == f"Published {job_id}."
    assert said[1].startswith("http")
    again: list[str] = []
    run_publish(PublishOptions(job_id, yes=True), fake_io(harness, again))
    assert again[0] == f"{job_id} was already published."
