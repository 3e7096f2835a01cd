"""Ctrl-C in the middle of typing: the text typed so far is kept for the next run.

The prompter tests press real keys (through a pipe, in-process); the loop tests
play a script against the sandbox, where ``InterruptTyping`` is a person who
typed some text and pressed Ctrl-C before Enter.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.wizard.conftest import (
    PODCASTS,
    Ask,
    Do,
    Harness,
    Interrupt,
    InterruptTyping,
    Script,
    journal_files,
)

from jobdraft.errors import InterruptedByUser, ServerError
from jobdraft.journal import Journal
from jobdraft.model import Capabilities
from jobdraft.ports import InterruptedWhilePicking, InterruptedWhileTyping
from jobdraft.prompts import QuestionaryPrompter
from jobdraft.questions import build_question

pytestmark = pytest.mark.timeout(60)

ORIGIN = "http://sandbox.test"
HALF = "We need people to transcribe 200 hours\nof Spanish"
ENTER, CTRL_C, DOWN = "\r", "\x03", "\x1b[B"


def new_draft_journal() -> dict[str, object]:
    return Journal.for_new_draft(ORIGIN).answers()


# -- the real prompter -----------------------------------------------------------------


def test_ctrl_c_at_a_text_prompt_hands_over_the_typed_text(keys: object) -> None:
    keys.send_text("12" + CTRL_C)  # type: ignore[attr-defined]
    with pytest.raises(InterruptedWhileTyping) as caught:
        QuestionaryPrompter().ask(build_question("headcount"))
    assert caught.value.typed == "12"
    assert isinstance(caught.value, KeyboardInterrupt)  # every Ctrl-C handler still applies


def test_ctrl_c_in_a_multiline_answer_hands_over_every_line(keys: object) -> None:
    keys.send_text("Line one" + ENTER + "line tw" + CTRL_C)  # type: ignore[attr-defined]
    with pytest.raises(InterruptedWhileTyping) as caught:
        QuestionaryPrompter().ask(build_question("jobDescription"))
    assert caught.value.typed == "Line one\nline tw"


# -- the description, before the draft exists ------------------------------------------


def test_ctrl_c_while_typing_the_description_keeps_it(normal: Harness, isolated_home: Path) -> None:
    with pytest.raises(InterruptedByUser) as caught:
        normal.fill(Script([InterruptTyping("", HALF)]))
    assert caught.value.exit_code == 130
    assert "description is saved" in caught.value.message
    assert "jobdraft fill" in (caught.value.hint or "")
    assert new_draft_journal() == {"rawJobDescription": HALF}
    (saved,) = journal_files(isolated_home)
    assert saved.stat().st_mode & 0o777 == 0o600

    again = Script([Ask("", HALF + " podcasts."), Interrupt()])
    with pytest.raises(InterruptedByUser):
        normal.fill(again)
    assert again.asked[0].default == HALF  # offered back, to finish
    assert "from an earlier run" in normal.printed
    assert journal_files(isolated_home) == []  # created: the saved description is gone


def test_ctrl_c_with_nothing_typed_saves_nothing(normal: Harness, isolated_home: Path) -> None:
    with pytest.raises(InterruptedByUser) as caught:
        normal.fill(Script([InterruptTyping("", "  \n ")]))
    assert caught.value.message == "interrupted before the draft was created"
    assert journal_files(isolated_home) == []


def test_an_edited_description_does_not_reuse_the_key_of_the_old_words(
    normal: Harness,
) -> None:
    with pytest.raises(ServerError):  # sent, but the create failed: text and key are kept
        normal.fill(Script([Ask("", PODCASTS), Do(normal.break_network)]))
    first = new_draft_journal()
    assert first["rawJobDescription"] == PODCASTS and "idempotencyKey" in first
    normal.mend_network()

    # Offered again and left as it was: still the same text, with its key.
    with pytest.raises(InterruptedByUser) as caught:
        normal.fill(Script([InterruptTyping("", PODCASTS)]))
    assert "description is saved" in caught.value.message
    assert new_draft_journal() == first

    # Changed: the old key would replay the create of the old words; it goes.
    edited = PODCASTS + " Pay is $20 an hour."
    with pytest.raises(InterruptedByUser):
        normal.fill(Script([InterruptTyping("", edited)]))
    assert new_draft_journal() == {"rawJobDescription": edited}


# -- an answer, in the wizard ----------------------------------------------------------


def test_a_half_typed_answer_is_saved_when_it_could_be_sent(
    normal: Harness, isolated_home: Path
) -> None:
    job_id = normal.create(PODCASTS).job_id
    play = Script(
        [
            Ask("jobTitle", "Podcast transcribers"),
            Ask("paymentType", "PAY_PER_HOUR"),
            InterruptTyping("pricePerHour", "2"),
        ]
    )
    with pytest.raises(InterruptedByUser) as caught:
        normal.fill(play, job_id)
    assert "3 answers saved" in caught.value.message
    saved = Journal.for_draft(ORIGIN, job_id).answers()
    assert saved["pricePerHour"] == 2

    again = Script(
        [
            Ask("jobTitle", "Podcast transcribers"),
            Ask("paymentType", "PAY_PER_HOUR"),
            Ask("pricePerHour", "25"),
            Interrupt(),
        ]
    )
    with pytest.raises(InterruptedByUser):
        normal.fill(again, job_id)
    assert again.question("pricePerHour").default == "2"  # offered back to go on typing


def test_a_half_typed_answer_the_field_refuses_is_not_saved(normal: Harness) -> None:
    job_id = normal.create(PODCASTS).job_id
    play = Script(
        [
            Ask("jobTitle", "Podcast transcribers"),
            Ask("paymentType", "PAY_PER_HOUR"),
            InterruptTyping("pricePerHour", "2x"),  # not a number: nothing to send
        ]
    )
    with pytest.raises(InterruptedByUser) as caught:
        normal.fill(play, job_id)
    assert "2 answers saved" in caught.value.message
    assert "pricePerHour" not in Journal.for_draft(ORIGIN, job_id).answers()


def test_a_default_left_as_it_was_is_not_saved_as_an_answer(normal: Harness) -> None:
    """The server's guess, untouched when Ctrl-C comes, stays a guess for the next run."""
    job_id = normal.create(PODCASTS).job_id
    play = Script([InterruptTyping("jobTitle", None)])
    with pytest.raises(InterruptedByUser) as caught:
        normal.fill(play, job_id)
    assert play.asked[0].default  # there was a guessed title in the box
    assert "saved" not in caught.value.message
    assert Journal.for_draft(ORIGIN, job_id).answers() == {}


# -- ticks in a checklist --------------------------------------------------------------


def test_ctrl_c_at_a_checklist_hands_over_the_ticks(keys: object) -> None:
    kinds = {"draft": {"enums": {"labelTypes": ["BOUNDING_BOX", "POLYGON", "TRANSCRIPTION"]}}}
    question = build_question("labelTypes", capabilities=Capabilities.from_json(kinds))
    keys.send_text(" " + DOWN + " " + CTRL_C)  # type: ignore[attr-defined]
    with pytest.raises(InterruptedWhilePicking) as caught:
        QuestionaryPrompter().ask(question)
    assert caught.value.picked == ["BOUNDING_BOX", "POLYGON"]
    assert isinstance(caught.value, KeyboardInterrupt)


class TicksThenCtrlC(Script):
    """Skips every question; at the label types, ticks two and presses Ctrl-C."""

    def __init__(self) -> None:
        super().__init__([])

    def ask(self, question):  # type: ignore[no-untyped-def]
        if question.key == "labelTypes":
            raise InterruptedWhilePicking(["BOUNDING_BOX", "POLYGON"])
        return ""  # blank: skipped


def test_ticks_cut_short_by_ctrl_c_are_kept_for_the_next_run(normal: Harness) -> None:
    job_id = normal.create("Help us label data.").job_id
    with pytest.raises(InterruptedByUser) as caught:
        normal.fill(TicksThenCtrlC(), job_id)
    assert "1 answer saved" in caught.value.message
    saved = Journal.for_draft(ORIGIN, job_id).answers()
    assert saved == {"labelTypes": ["BOUNDING_BOX", "POLYGON"]}
