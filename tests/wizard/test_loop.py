"""The fill loop with a scripted prompter against the sandbox, normal and ``--minimal``."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.wizard.conftest import (
    CHANGE,
    PODCASTS,
    SEND,
    SHORT,
    STOP,
    Ask,
    Confirm,
    Do,
    Harness,
    Interrupt,
    Menu,
    Script,
    journal_files,
    make_harness,
)

from jobdraft.errors import (
    AuthError,
    InterruptedByUser,
    NoPromptError,
    RateLimited,
    ServerError,
)
from jobdraft.journal import Journal
from jobdraft.questions import Widget

pytestmark = pytest.mark.timeout(60)

KEEP = "\x00keep"  # answer with the question's own default (what Enter does)
# READY_AT_ONCE is complete, but the sandbox guessed its title and level: kept as they are.
CHECKS = (Ask("jobTitle", KEEP), Ask("experienceLevel", KEEP))
READY_AT_ONCE = (
    "Expert annotators wanted: we need 10 people to transcribe 300 hours of audio in "
    "English. Pay is $25/hour. Transcription of call-center recordings."
)


class Keeping(Script):
    """A script where KEEP stands for "press Enter on the default"."""

    def ask(self, question):  # type: ignore[no-untyped-def]
        step = self.steps[0] if self.steps else None
        if isinstance(step, Ask) and KEEP in step.answers:
            step.answers = tuple(question.default if a == KEEP else a for a in step.answers)
        return super().ask(question)


def script(*steps: object) -> Keeping:
    return Keeping(list(steps))  # type: ignore[arg-type]


def guess(mode: str) -> list[Ask]:
    """The title the sandbox guessed is offered for a check when the server says it guessed.

    A draft read back in minimal mode was refreshed by re-sending its title,
    which settles the guess, so no check is offered there.
    """
    return [Ask("jobTitle", KEEP)] if mode == "normal" else []


def test_from_a_description_to_a_published_job(harness: Harness, isolated_home: Path) -> None:
    play = script(
        Ask("jobTitle", "Label 5,000 product photos"),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "eighteen", "18"),
        Ask("experienceLevel", "INTERMEDIATE"),
        Ask("headcount", "2.5", "0", "3"),
        Ask("languages", "English, Spanish"),
        Ask("labelTypes", [], ["BOUNDING_BOX", "CLASSIFICATION"]),
        # The unit is asked before the amount counted in it.
        Ask("dataVolumeUnit", "NUMBER_OF_FILES"),
        Ask("dataVolume", "5,000"),
        Ask("jobDescription", "Draw boxes around the products in 5,000 shop photos, carefully."),
        SEND,
        Confirm("Publish", True),
    )
    assert harness.fill(play, description=SHORT) == 0
    assert not play.steps
    # Inline validation refused what a user could mistype, with reasons.
    assert ("pricePerHour", "Must be a number, not 'eighteen'") in play.refused
    reasons = [reason for key, reason in play.refused if key == "headcount"]
    assert reasons == ["Must be a whole number, not '2.5'", "Must be greater than zero"]
    assert ("labelTypes", "Pick at least one (Space picks).") in play.refused
    # The widget follows the type.
    widgets = {q.key: q.widget for q in play.asked}
    assert widgets["paymentType"] is Widget.SELECT
    assert widgets["labelTypes"] is Widget.CHECKBOX
    assert widgets["languages"] is Widget.TEXT
    assert widgets["headcount"] is Widget.TEXT
    assert widgets["jobDescription"] is Widget.MULTILINE
    # The server's question, without "ask: " and without the enum list repeated.
    level = play.question("experienceLevel")
    assert level.message == "What experience level should AI trainers have?"
    assert level.default is None  # the server's example is never pre-selected
    # A field named by a blocking issue is asked with the issue's words.
    assert "at least 30 characters" in (play.question("jobDescription").problem or "")
    printed = harness.printed
    assert "Published" in printed
    assert "http://sandbox.test/jobs/" in printed
    job_id = harness.session().cache.drafts()[0]["id"]
    assert harness.status(job_id) == "OPEN"
    fields = harness.fields(job_id)
    assert fields["languages"] == ["English", "Spanish"]
    assert fields["dataVolume"] == 5000
    assert fields["jobTitle"] == "Label 5,000 product photos"
    assert journal_files(isolated_home) == []


def test_the_rate_is_asked_right_after_the_payment_type(harness: Harness) -> None:
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_LABEL"),
        Ask("pricePerLabel", "0.05"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "3"),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(play, job_id) == 0
    fields = harness.fields(job_id)
    assert fields["paymentType"] == "PAY_PER_LABEL"
    assert fields["pricePerLabel"] == 0.05
    assert "Not published" in harness.printed
    assert harness.status(job_id) == "DRAFT"


def guess_for_created(harness: Harness) -> list[Ask]:
    return guess("minimal" if harness.config.minimal else "normal")


def test_a_field_that_became_required_is_shown_missing_then_asked(harness: Harness) -> None:
    """--set gives the payment type; the server then wants its rate: the table says so."""
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "2"),
        SEND,
        Ask("pricePerHour", "22.5"),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(play, job_id, assignments=["paymentType=pay per hour"]) == 0
    assert "paymentType" not in play.asked_keys()  # covered by --set: not asked
    after_first = harness.printed.split("After this round")[1]
    assert "Hourly rate (USD)" in after_first.split("What next")[0]
    assert "missing" in after_first
    assert "3 of 4 missing fields set, 1 still missing." in harness.printed
    # Minimal mode names the field only: the question comes from the documented keys.
    assert play.question("pricePerHour").label == "Hourly rate (USD)"
    assert harness.fields(job_id)["pricePerHour"] == 22.5


def test_a_refused_answer_is_asked_again_and_the_others_are_kept(harness: Harness) -> None:
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "5000"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "20000"),
        SEND,
        Ask("pricePerHour", "25"),
        Ask("headcount", "12"),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(play, job_id) == 0
    again = [q for q in play.asked if q.key == "pricePerHour"][-1]
    assert again.default == "5000"
    assert "less than or equal to 1000" in (again.problem or "")
    assert "refused" in harness.printed
    fields = harness.fields(job_id)
    assert (fields["pricePerHour"], fields["headcount"]) == (25, 12)
    assert fields["experienceLevel"] == "EXPERT"  # kept from the refused round


def test_a_blocking_issue_names_its_field_which_is_asked_again(harness: Harness) -> None:
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "3"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "2"),
        SEND,
        Ask("pricePerHour", "6"),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(play, job_id) == 0
    again = [q for q in play.asked if q.key == "pricePerHour"][-1]
    assert again.problem == "Hourly rate (USD) must be at least 5."
    assert again.default == "3"
    assert "blocked" in harness.printed


def test_a_skipped_field_stays_missing(harness: Harness, isolated_home: Path) -> None:
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Ask("experienceLevel", None),
        Ask("headcount", "3"),
        SEND,
    )
    assert harness.fill(play, job_id) == 0
    printed = harness.printed
    review = printed.split("Your answers")[1].split("After this round")[0]
    # In the order asked, the skipped one in its place, as "Which answer?" lists them.
    order = [review.index(label) for label in ("Hourly rate", "Experience level", "Number of")]
    assert order == sorted(order), review
    assert "(skipped for now)" in review
    assert "skipped" in printed.split("After this round")[1]
    assert "3 of 4 missing fields set, 1 still missing." in printed
    assert "Still missing (skipped for now): Experience level." in printed
    assert f"jobdraft fill {job_id}" in printed
    assert harness.status(job_id) == "DRAFT"
    assert journal_files(isolated_home) == []


def test_change_one_answer_in_the_review(harness: Harness) -> None:
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "3"),
        CHANGE,
        Menu("Which", "paymentType"),
        Ask("paymentType", "FIXED_PRICE"),
        Ask("fixedPrice", "500"),
        CHANGE,
        Menu("Which", "experienceLevel"),
        Ask("experienceLevel", "INTERMEDIATE"),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(play, job_id) == 0
    changed = [q for q in play.asked if q.key == "experienceLevel"][-1]
    assert changed.default == "EXPERT"  # re-asked with the current answer
    fields = harness.fields(job_id)
    assert fields["paymentType"] == "FIXED_PRICE"
    assert fields["fixedPrice"] == 500
    assert "pricePerHour" not in fields  # the old rate went with the old payment type
    assert fields["experienceLevel"] == "INTERMEDIATE"


def test_stop_keeps_the_answers_and_the_next_run_offers_them(
    harness: Harness, isolated_home: Path
) -> None:
    job_id = harness.create(PODCASTS).job_id
    first = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "3"),
        STOP,
    )
    assert harness.fill(first, job_id) == 0
    assert "answers kept for later" in harness.printed
    assert journal_files(isolated_home)
    assert "paymentType" not in harness.fields(job_id)
    second = script(
        *guess_for_created(harness),
        Ask("paymentType", KEEP),
        Ask("pricePerHour", KEEP),
        Ask("experienceLevel", KEEP),
        Ask("headcount", KEEP),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(second, job_id) == 0
    defaults = {q.key: q.default for q in second.asked}
    assert defaults["paymentType"] == "PAY_PER_HOUR"
    assert defaults["headcount"] == "3"
    assert harness.fields(job_id)["pricePerHour"] == 20
    assert journal_files(isolated_home) == []


def test_a_corrected_guess_comes_back_as_saved_not_as_a_guess(
    normal: Harness, isolated_home: Path
) -> None:
    job_id = normal.create(PODCASTS).job_id
    first = script(Ask("jobTitle", "Podcast transcribers"), Interrupt())
    with pytest.raises(InterruptedByUser):
        normal.fill(first, job_id)
    second = script(Ask("jobTitle", KEEP), Interrupt())
    with pytest.raises(InterruptedByUser):
        normal.fill(second, job_id)
    title = second.asked[0]
    assert title.default == "Podcast transcribers"
    assert title.hint is not None and title.hint.startswith("Saved from an earlier run")


def test_ctrl_c_keeps_what_was_typed(harness: Harness, isolated_home: Path) -> None:
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Interrupt(),
    )
    with pytest.raises(InterruptedByUser) as caught:
        harness.fill(play, job_id)
    assert caught.value.exit_code == 130
    assert f"jobdraft fill {job_id}" in (caught.value.hint or "")
    saved = Journal.for_draft("http://sandbox.test", job_id).answers()
    assert saved["paymentType"] == "PAY_PER_HOUR"
    assert saved["pricePerHour"] == 20
    assert "answers saved" in caught.value.message


def test_a_network_failure_keeps_the_round_for_the_next_run(
    harness: Harness, isolated_home: Path
) -> None:
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "3"),
        Do(harness.break_network),
        SEND,
    )
    with pytest.raises(ServerError) as caught:
        harness.fill(play, job_id)
    assert caught.value.exit_code == 6
    assert "answers are saved" in (caught.value.hint or "")
    assert f"jobdraft fill {job_id}" in (caught.value.hint or "")
    assert "retrying" in harness.printed  # the client's notes go through the wizard's display
    assert journal_files(isolated_home)
    harness.mend_network()
    again = script(
        *guess_for_created(harness),
        Ask("paymentType", KEEP),
        Ask("pricePerHour", KEEP),
        Ask("experienceLevel", KEEP),
        Ask("headcount", KEEP),
        SEND,
        Confirm("Publish", True),
    )
    assert harness.fill(again, job_id) == 0
    assert again.question("experienceLevel").default == "EXPERT"
    assert harness.status(job_id) == "OPEN"
    assert journal_files(isolated_home) == []


# -- publishing refused ----------------------------------------------------------------


def test_publish_refused_by_moderation_keeps_the_draft(tmp_path: Path, mode: str) -> None:
    harness = make_harness(tmp_path, minimal=mode == "minimal", block_words=("podcasts",))
    job_id = harness.create(PODCASTS).job_id
    play = script(
        *guess_for_created(harness),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "3"),
        SEND,
        Confirm("Publish", True),
    )
    with pytest.raises(AuthError) as caught:
        harness.fill(play, job_id)
    error = caught.value
    assert error.exit_code == 4
    assert "moderation" in error.message
    assert "Blocked term 'podcasts' in jobTitle." in error.details["reasons"]
    assert "kept as it is" in (error.hint or "")
    assert harness.status(job_id) == "DRAFT"


def test_publish_refused_by_the_daily_limit(normal: Harness) -> None:
    session = normal.session()
    for number in range(3):
        draft = normal.create(f"{READY_AT_ONCE} Batch {number}.")
        assert draft.ready
        session.publish(draft.job_id)
    job_id = normal.create(READY_AT_ONCE + " Batch four.").job_id
    with pytest.raises(RateLimited) as caught:
        normal.fill(script(*CHECKS, SEND), job_id, publish=True)
    assert caught.value.exit_code == 7
    assert caught.value.details["limit"] == 3
    assert caught.value.details["windowHours"] == 24
    assert normal.status(job_id) == "DRAFT"


def test_publish_refused_when_the_feature_is_off(tmp_path: Path) -> None:
    harness = make_harness(tmp_path, disabled_features=frozenset({"publishing"}))
    job_id = harness.create(READY_AT_ONCE).job_id
    with pytest.raises(AuthError) as caught:
        harness.fill(script(*CHECKS, SEND), job_id, publish=True)
    assert "not enabled" in caught.value.message
    assert caught.value.details["featureKey"] == "public_api_job_publishing"


def test_a_description_complete_and_sure_shows_its_values_once(normal: Harness) -> None:
    text = (
        "Spanish call-center transcription\nWe need 8 native Spanish speakers to transcribe "
        "120 hours of call-center audio. Pay is $22 per hour. Intermediate level is fine."
    )
    assert normal.fill(script(Confirm("Publish", False)), description=text) == 0
    assert "Understood from your description" in normal.printed
    assert "Your job post" not in normal.printed  # the same values, a second time
    assert "Ready to publish" in normal.printed


def test_a_draft_ready_at_once_gets_its_guessed_title_checked_before_publishing(
    normal: Harness,
) -> None:
    draft = normal.create(READY_AT_ONCE)
    assert draft.ready and set(draft.low_confidence) == {"jobTitle", "experienceLevel"}
    play = script(
        Ask("jobTitle", "Call-center transcription"),
        Ask("experienceLevel", KEEP),
        SEND,
        Confirm("Publish", False),
    )
    assert normal.fill(play, draft.job_id) == 0
    assert all("Guessed" in (question.hint or "") for question in play.asked)
    assert normal.fields(draft.job_id)["jobTitle"] == "Call-center transcription"
    assert "Your job post" in normal.printed
    assert f"jobdraft publish {draft.job_id}" in normal.printed
    # The guess is settled: the next run goes straight to the publish question.
    again = script(Confirm("Publish", False))
    assert normal.fill(again, draft.job_id) == 0


# -- without a terminal ----------------------------------------------------------------


def test_without_a_terminal_it_refuses_before_any_request(normal: Harness) -> None:
    with pytest.raises(NoPromptError) as caught:
        normal.fill(None, description=PODCASTS)
    text = caught.value.message + " " + (caught.value.hint or "")
    assert caught.value.exit_code == 2
    assert "jobdraft patch" in text
    assert "--answers" in text
    assert normal.session().cache.drafts() == []  # nothing was created


def test_answers_that_cover_everything_need_no_terminal(harness: Harness) -> None:
    answers = {"paymentType": "PAY_PER_HOUR", "pricePerHour": 20, "experienceLevel": "expert"}
    answers["jobTitle"] = "Spanish podcast transcription"  # confirms the server's guess
    code = harness.fill(
        None, description=PODCASTS, answers=answers, assignments=["headcount=3"], publish=True
    )
    assert code == 0
    assert "Published" in harness.printed


def test_answers_that_cover_part_are_sent_then_the_rest_is_named(harness: Harness) -> None:
    job_id = harness.create(PODCASTS).job_id
    with pytest.raises(NoPromptError) as caught:
        harness.fill(None, job_id, answers={"paymentType": "PAY_PER_HOUR"})
    assert "pricePerHour" in caught.value.message
    assert "experienceLevel" in caught.value.message
    assert f"jobdraft patch {job_id}" in (caught.value.hint or "")
    assert harness.fields(job_id)["paymentType"] == "PAY_PER_HOUR"


def test_a_bad_set_value_is_refused_before_anything_is_created(normal: Harness) -> None:
    from jobdraft.errors import UsageError

    with pytest.raises(UsageError):
        normal.fill(script(), description=PODCASTS, assignments=["headcount=many"])
    assert normal.session().cache.drafts() == []


# -- the server names fields only, or not even that ------------------------------------


def test_minimal_with_no_cache_asks_from_the_documented_keys(tmp_path: Path) -> None:
    harness = make_harness(tmp_path, minimal=True)
    job_id = harness.create(PODCASTS).job_id
    cache = tmp_path / "home" / "cache" / "jobdraft"
    for path in cache.glob("*.json"):
        path.unlink()  # another machine: nothing learnt from the create answer
    play = script(
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "3"),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(play, job_id) == 0
    level = play.question("experienceLevel")
    assert level.widget is Widget.SELECT
    assert [c.value for c in level.choices] == [
        "EXPERT",
        "ENTRY_LEVEL",
        "INTERMEDIATE",
        "ANY_EXPERIENCE_LEVEL",
    ]
    assert play.question("headcount").label == "Number of AI trainers"


def test_missing_fields_not_named_are_picked_by_the_user(tmp_path: Path) -> None:
    harness = make_harness(tmp_path, minimal=True, variants=frozenset({"missing-count-only"}))
    job_id = harness.create(PODCASTS).job_id
    play = script(
        Ask("", ["paymentType", "experienceLevel", "headcount"]),
        Ask("paymentType", "PAY_PER_HOUR"),
        Ask("pricePerHour", "20"),
        Ask("experienceLevel", "EXPERT"),
        Ask("headcount", "3"),
        SEND,
        Confirm("Publish", False),
    )
    assert harness.fill(play, job_id) == 0
    assert "does not say which" in harness.printed
    assert "Ready to publish" in harness.printed


# -- the description, asked at the terminal ----------------------------------------------


def test_the_description_is_asked_and_cannot_be_skipped(normal: Harness) -> None:
    play = script(Ask("", "", "   ", PODCASTS), Interrupt())
    with pytest.raises(InterruptedByUser):
        normal.fill(play)
    assert play.refused == [("", "The description is empty"), ("", "The description is empty")]
    assert play.asked[0].widget is Widget.MULTILINE
    assert len(normal.session().cache.drafts()) == 1  # created before the first question


def test_a_description_that_could_not_be_sent_is_offered_again(
    normal: Harness, isolated_home: Path
) -> None:
    play = script(Ask("", PODCASTS), Do(normal.break_network))
    with pytest.raises(ServerError) as caught:
        normal.fill(play)
    assert "description is saved" in (caught.value.hint or "")
    normal.mend_network()
    again = script(Ask("", KEEP), Interrupt())
    with pytest.raises(InterruptedByUser):
        normal.fill(again)
    assert again.asked[0].default == PODCASTS
    assert "from an earlier run" in normal.printed
    assert journal_files(isolated_home) == []  # created: the saved description is gone
