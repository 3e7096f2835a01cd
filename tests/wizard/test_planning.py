"""The planning of a fill round, with plain values: no sandbox, no terminal."""

from __future__ import annotations

from jobdraft.model import Draft, Issue, MissingField, Validation
from jobdraft.planning import (
    ANSWER_PRECEDENCE,
    STILL_MISSING,
    AnswerSources,
    Round,
    RoundPlanner,
    issue_problems,
)


def draft(
    *missing: str,
    issues: tuple[Issue, ...] = (),
    fields: dict[str, object] | None = None,
    guessed: tuple[str, ...] = (),
    unnamed: int = 0,
) -> Draft:
    gaps = tuple(MissingField(field=name) for name in missing)
    validation = Validation(
        publish_ready=not missing and not issues and not unnamed,
        missing=gaps,
        missing_count=len(gaps) + unnamed,
        issues=issues,
    )
    return Draft(job_id="d1", validation=validation, fields=fields, low_confidence=guessed)


def planner(
    given: dict[str, object] | None = None,
    journal: dict[str, object] | None = None,
    draft: dict[str, object] | None = None,
) -> RoundPlanner:
    return RoundPlanner(
        None, AnswerSources(given=given or {}, journal=journal or {}, draft=draft or {})
    )


def keys(planned: Round | None) -> list[str]:
    assert planned is not None
    return [q.key for q in planned.questions]


# -- where an answer comes from ---------------------------------------------------------


def test_the_precedence_of_answer_sources_is_named_once() -> None:
    assert ANSWER_PRECEDENCE == ("given", "journal", "draft", "remembered")


def test_each_source_wins_over_the_ones_after_it() -> None:
    sources = AnswerSources(
        given={"a": "given"},
        journal={"a": "journal", "b": "journal"},
        draft={"a": "draft", "b": "draft", "c": "draft", "e": None},
        remembered={"a": "remembered", "b": "remembered", "c": "remembered", "d": "x", "e": "y"},
    )
    assert [sources.first(k) for k in "abcde"] == [
        ("given", "given"),
        ("journal", "journal"),
        ("draft", "draft"),
        ("remembered", "x"),
        ("remembered", "y"),  # a null in the draft decides nothing
    ]
    assert sources.first("f") is None and sources.value("f") is None


def test_remembered_defaults_are_an_empty_slot_for_now() -> None:
    assert AnswerSources().remembered == {}


def test_a_question_defaults_to_the_strongest_source() -> None:
    plan = planner(journal={"headcount": 12}, draft={"headcount": 3}).plan(draft("headcount"))
    assert plan is not None
    assert plan.questions[0].default == "12"
    plan = planner(draft={"headcount": 3}).plan(draft("headcount"))
    assert plan is not None and plan.questions[0].default == "3"


# -- which questions, in what order --------------------------------------------------------


def test_missing_fields_are_asked_in_the_servers_order() -> None:
    assert keys(planner().plan(draft("paymentType", "headcount"))) == ["paymentType", "headcount"]


def test_given_answers_are_sent_unasked_and_only_in_the_first_round() -> None:
    plan_ = planner(given={"headcount": 10})
    first = plan_.plan(draft("headcount", "paymentType"))
    assert first is not None
    assert first.answers == {"headcount": 10} and first.prefilled == {"headcount"}
    assert keys(first) == ["paymentType"]
    second = plan_.plan(draft("headcount"))
    assert second is not None and second.answers == {} and keys(second) == ["headcount"]


def test_skipped_keys_are_not_asked_again_and_nothing_left_is_none() -> None:
    plan_ = planner()
    plan_.skipped.add("headcount")
    assert keys(plan_.plan(draft("headcount", "paymentType"))) == ["paymentType"]
    assert plan_.plan(draft("headcount")) is None


def test_a_key_sent_and_still_missing_says_so() -> None:
    plan_ = planner()
    plan_.sent.add("headcount")
    plan = plan_.plan(draft("headcount"))
    assert plan is not None and plan.questions[0].problem == STILL_MISSING


def test_issues_become_questions_with_their_message() -> None:
    issues = (
        Issue("Too short.", field="jobDescription"),
        Issue("Add the task.", field="jobDescription"),
        Issue("Whole draft.", field=None),
    )
    assert issue_problems(Validation(issues=issues)) == {
        "jobDescription": "Too short. Add the task."
    }
    plan = planner().plan(draft("headcount", issues=issues))
    assert keys(plan) == ["headcount", "jobDescription"]
    assert plan is not None and plan.questions[1].problem == "Too short. Add the task."


def test_guesses_come_first_in_the_first_round_only() -> None:
    guessed = draft("headcount", fields={"jobTitle": "Label data"}, guessed=("jobTitle",))
    plan_ = planner(draft={"jobTitle": "Label data"})
    assert plan_.guesses_to_check(guessed)
    first = plan_.plan(guessed)
    assert keys(first) == ["jobTitle", "headcount"]
    assert first is not None and first.questions[0].hint is not None
    assert first.questions[0].hint.startswith("Guessed from your description")
    assert not first.questions[0].required
    assert not plan_.guesses_to_check(guessed)
    assert keys(plan_.plan(guessed)) == ["headcount"]


def test_a_guess_corrected_in_an_earlier_run_says_so() -> None:
    guessed = draft(fields={"jobTitle": "Label data"}, guessed=("jobTitle",))
    plan = planner(journal={"jobTitle": "Audio"}, draft={"jobTitle": "Label data"}).plan(guessed)
    assert plan is not None
    assert (plan.questions[0].hint or "").startswith("Saved from an earlier run")
    assert plan.questions[0].default == "Audio"


def test_off_a_terminal_no_guess_is_offered() -> None:
    guessed = draft(fields={"jobTitle": "Label data"}, guessed=("jobTitle",))
    plan_ = RoundPlanner(None, AnswerSources(draft={"jobTitle": "Label data"}), can_ask=False)
    assert not plan_.guesses_to_check(guessed)
    assert plan_.plan(guessed) is None


def test_unnamed_gaps_are_picked_by_the_user() -> None:
    vague = draft(unnamed=2)
    assert planner().wants_unnamed(vague)
    assert not RoundPlanner(None, AnswerSources(), can_ask=False).wants_unnamed(vague)
    assert keys(planner().plan(vague, unnamed=["headcount"])) == ["headcount"]


# -- the order a person thinks in ------------------------------------------------------


def test_a_unit_is_asked_before_the_amount_counted_in_it() -> None:
    plan = planner().plan(draft("headcount", "dataVolume", "languages", "dataVolumeUnit"))
    assert keys(plan) == ["headcount", "dataVolumeUnit", "dataVolume", "languages"]


def test_a_payment_type_is_asked_before_its_rate() -> None:
    for rate in ("pricePerHour", "pricePerLabel", "fixedPrice"):
        plan = planner().plan(draft(rate, "jobTitle", "paymentType"))
        assert keys(plan) == ["paymentType", rate, "jobTitle"]


def test_without_dependencies_the_servers_order_is_kept() -> None:
    order = ("languages", "headcount", "jobTitle", "dataVolumeUnit", "paymentType")
    assert keys(planner().plan(draft(*order))) == list(order)


def test_a_rate_alone_in_its_round_is_still_asked() -> None:
    plan = planner(draft={"paymentType": "PAY_PER_HOUR"}).plan(draft("pricePerHour"))
    assert keys(plan) == ["pricePerHour"]


def test_the_servers_example_is_shown_but_never_the_default() -> None:
    level = MissingField(
        field="experienceLevel",
        type="enum",
        enum_values=("EXPERT", "INTERMEDIATE"),
        example="INTERMEDIATE",
    )
    gaps = Draft(
        job_id="d1",
        validation=Validation(publish_ready=False, missing=(level,), missing_count=1),
    )
    plan = planner().plan(gaps)
    assert plan is not None
    (question,) = plan.questions
    assert question.default is None
    assert question.example == "Intermediate"
    plan = planner(draft={"experienceLevel": "EXPERT"}).plan(gaps)
    assert plan is not None and plan.questions[0].default == "EXPERT"
