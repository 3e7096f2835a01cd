"""Remembered answers in the wizard: offered after a run, pre-selected in the next, never sent
unreviewed, ignored with ``--no-defaults``.  A scripted prompter against the sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.wizard.conftest import PODCASTS, SEND, Ask, Confirm, Harness, Interrupt, Script

from jobdraft.errors import InterruptedByUser, NoPromptError
from jobdraft.fill import FillOptions, fill
from jobdraft.remembered import defaults_path, load_remembered, remember

pytestmark = pytest.mark.timeout(60)

OTHER_JOB = PODCASTS  # a second job like the first: same questions, a new draft


def run(
    harness: Harness,
    script: Script | None,
    description: str,
    *,
    use_remembered: bool = True,
    assignments: tuple[str, ...] = (),
) -> int:
    options = FillOptions(
        job_id=None,
        description=description,
        description_file=None,
        publish=False,
        assignments=list(assignments),
        use_remembered=use_remembered,
    )
    return fill(harness, options, prompter=script, display=harness.display())


def first_run(harness: Harness, remember_them: bool) -> Script:
    play = Script(
        [
            Ask("jobTitle", "Spanish podcasts to text"),
            Ask("paymentType", "PAY_PER_HOUR"),
            Ask("pricePerHour", "20"),
            Ask("experienceLevel", "EXPERT"),
            Ask("headcount", "3"),
            SEND,
            Confirm("Remember", remember_them),
        ]
    )
    assert run(harness, play, PODCASTS) == 0
    assert not play.steps
    return play


def test_answers_remembered_after_a_run_are_only_those_that_hold_across_jobs(
    normal: Harness,
) -> None:
    first_run(normal, remember_them=True)
    assert load_remembered().answers == {
        "paymentType": "PAY_PER_HOUR",
        "pricePerHour": 20,
        "experienceLevel": "EXPERT",
    }
    assert "jobdraft fill --no-defaults" in normal.printed


def test_declining_remembers_nothing(normal: Harness) -> None:
    first_run(normal, remember_them=False)
    assert not defaults_path().exists()


def test_the_next_run_starts_on_them_and_the_review_says_so(normal: Harness) -> None:
    remember({"paymentType": "PAY_PER_HOUR", "pricePerHour": 20, "experienceLevel": "EXPERT"})
    play = Script(
        [
            Ask("jobTitle", "German interviews to text"),
            Ask("paymentType", "PAY_PER_HOUR"),  # what Enter on the default gives
            Ask("pricePerHour", "20"),
            Ask("experienceLevel", "INTERMEDIATE"),  # changed: no longer the remembered one
            Ask("headcount", "2"),
            SEND,
            Confirm("Remember", False),  # a new level was chosen: offered again
        ]
    )
    assert run(normal, play, OTHER_JOB) == 0
    assert play.question("paymentType").default == "PAY_PER_HOUR"
    assert play.question("pricePerHour").default == "20"
    assert play.question("experienceLevel").default == "EXPERT"
    review = normal.printed.split("Your answers", 1)[1].split("What next", 1)[0]
    assert "Pay per hour (remembered)" in review
    assert "20 (remembered)" in review
    assert "Intermediate (remembered)" not in review


def test_no_defaults_ignores_them(normal: Harness) -> None:
    remember({"paymentType": "PAY_PER_LABEL", "experienceLevel": "EXPERT"})
    play = Script(
        [
            Ask("jobTitle", "German interviews to text"),
            Ask("paymentType", "PAY_PER_HOUR"),
            Ask("pricePerHour", "20"),
            Ask("experienceLevel", "INTERMEDIATE"),
            Ask("headcount", "2"),
            SEND,
            Confirm("Remember", False),
        ]
    )
    assert run(normal, play, OTHER_JOB, use_remembered=False) == 0
    assert play.question("paymentType").default != "PAY_PER_LABEL"
    assert play.question("experienceLevel").default != "EXPERT"
    assert "(remembered)" not in normal.printed


def test_without_a_terminal_a_remembered_answer_is_never_sent(normal: Harness) -> None:
    remember({"paymentType": "PAY_PER_HOUR", "pricePerHour": 20, "experienceLevel": "EXPERT"})
    with pytest.raises(NoPromptError, match="paymentType"):
        run(normal, None, OTHER_JOB, assignments=("headcount=2",))
    (job,) = normal.session().client.list_jobs()
    fields = normal.fields(job.id)
    assert fields.get("headcount") == 2
    assert fields.get("paymentType") is None
    assert fields.get("experienceLevel") != "EXPERT"


def test_a_corrupt_file_is_said_and_counts_as_none(normal: Harness) -> None:
    path = defaults_path()
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(InterruptedByUser):
        run(normal, Script([Interrupt()]), OTHER_JOB)  # Ctrl-C at the first question
    flat = "".join(normal.printed.split())  # the long path folds at the console's edge
    assert (
        "".join(f"remembered answers in {path} are ignored: the file is not JSON".split()) in flat
    )


def test_nothing_new_to_remember_asks_nothing(normal: Harness, isolated_home: Path) -> None:
    remember({"paymentType": "PAY_PER_HOUR", "pricePerHour": 20, "experienceLevel": "EXPERT"})
    play = Script(
        [
            Ask("jobTitle", "German interviews to text"),
            Ask("paymentType", "PAY_PER_HOUR"),
            Ask("pricePerHour", "20"),
            Ask("experienceLevel", "EXPERT"),
            Ask("headcount", "2"),
            SEND,
        ]
    )
    assert run(normal, play, OTHER_JOB) == 0  # the script has no Confirm: none was asked
