"""Question building: from the server's missing-field objects, or from names only."""

from __future__ import annotations

import pytest

from jobdraft.model import Capabilities, MissingField
from jobdraft.questions import (
    Widget,
    build_question,
    describe_value,
    follow_up_key,
    humanize_key,
    humanize_token,
    is_skip,
    raw_default,
    to_value,
)

pytestmark = pytest.mark.timeout(10)

LEVEL = MissingField.from_json(
    {
        "field": "experienceLevel",
        "label": "Experience level",
        "message": "Experience level is required before publishing.",
        "code": "missing_required_field",
        "prompt": "ask: What experience level should AI trainers have? "
        "(EXPERT, ENTRY_LEVEL, INTERMEDIATE, ANY_EXPERIENCE_LEVEL)",
        "type": "enum",
        "enumValues": ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"],
        "updateKeys": ["experienceLevel"],
        "example": "INTERMEDIATE",
        "hint": None,
    }
)


def test_an_enum_is_a_select_with_the_server_words() -> None:
    question = build_question("experienceLevel", missing=LEVEL)
    assert question.widget is Widget.SELECT
    assert question.message == "What experience level should AI trainers have?"
    assert question.label == "Experience level"
    assert [c.title for c in question.choices] == [
        "Expert",
        "Entry level",
        "Intermediate",
        "Any experience level",
    ]
    # The server's example is shown in words, never pre-selected: Enter on a
    # list that started on it would send the server's guess as the answer.
    assert question.default is None
    assert question.example == "Intermediate"
    assert not question.searchable


def test_the_current_value_wins_over_the_example() -> None:
    question = build_question("experienceLevel", missing=LEVEL, current="EXPERT")
    assert question.default == "EXPERT"


def test_a_long_list_filters_as_one_types() -> None:
    caps = Capabilities(enums={"labelTypes": tuple(f"KIND_{n}" for n in range(12))})
    question = build_question("labelTypes", capabilities=caps)
    assert question.widget is Widget.CHECKBOX
    assert question.searchable
    assert question.check_selection([]) is not None  # at least one when required
    assert question.check_selection(["KIND_1"]) is None


def test_names_only_fall_back_to_the_documented_keys_and_cached_enums() -> None:
    caps = Capabilities(enums={"paymentType": ("PAY_PER_HOUR", "FIXED_PRICE")})
    question = build_question("paymentType", capabilities=caps)
    assert question.widget is Widget.SELECT
    assert question.message == "How will AI trainers be paid?"
    assert [c.value for c in question.choices] == ["PAY_PER_HOUR", "FIXED_PRICE"]
    headcount = build_question("headcount")
    assert headcount.widget is Widget.TEXT
    assert headcount.label == "Number of AI trainers"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("abc", "Must be a whole number, not 'abc'"),
        ("2.5", "Must be a whole number, not '2.5'"),
        ("-1", "Must be greater than zero"),
        ("0", "Must be greater than zero"),
        ("12", None),
        ("1,000", None),
        ("", None),  # empty: skip for now
    ],
)
def test_integer_fields_are_checked_inline(raw: str, reason: str | None) -> None:
    assert build_question("headcount").check(raw) == reason


def test_a_number_field_takes_decimals_and_gives_a_number() -> None:
    question = build_question("pricePerLabel")
    assert question.check("0.05") is None
    assert question.check("$18") is None
    assert to_value(question, "0.05") == 0.05
    assert to_value(question, "18") == 18


def test_a_list_without_values_is_comma_separated_text() -> None:
    question = build_question("languages")
    assert question.widget is Widget.TEXT
    assert to_value(question, "English,  Spanish ,") == ["English", "Spanish"]
    assert raw_default(question.spec, ["English", "French"]) == "English, French"
    assert question.hint  # says how to give several


def test_text_is_multiline_and_booleans_are_a_confirm() -> None:
    assert build_question("jobDescription").widget is Widget.MULTILINE
    nda = MissingField(field="requiresNda", type="boolean", label="NDA required")
    question = build_question("requiresNda", missing=nda)
    assert question.widget is Widget.CONFIRM
    assert to_value(question, True) is True


def test_an_unknown_type_is_asked_as_text_and_sent_as_a_string() -> None:
    odd = MissingField(field="shiftPattern", type="daterange", label="Shift pattern")
    question = build_question("shiftPattern", missing=odd)
    assert question.widget is Widget.TEXT
    assert to_value(question, " nights ") == "nights"


def test_hints_and_examples_come_with_the_question() -> None:
    rate = MissingField.from_json(
        {
            "field": "pricePerHour",
            "type": "number",
            "prompt": "How much per hour?",
            "hint": "At least $5 an hour.",
            "example": 18,
        }
    )
    question = build_question("pricePerHour", missing=rate, problem="Too low.")
    assert (question.hint, question.example, question.problem) == (
        "At least $5 an hour.",
        "18",
        "Too low.",
    )


def test_one_gap_with_several_keys_asks_each_key() -> None:
    gap = MissingField(
        field="rate", label="Rate", question="How do you pay?", update_keys=("paymentType", "x")
    )
    first = build_question("paymentType", missing=gap)
    other = build_question("x", missing=gap)
    assert first.message == "How do you pay?"
    assert other.label == "X"


def test_the_second_key_of_a_gap_gets_its_own_widget() -> None:
    gap = MissingField(
        field="paymentType",
        type="enum",
        enum_values=("PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"),
        update_keys=("paymentType", "pricePerHour"),
    )
    assert build_question("paymentType", missing=gap).widget is Widget.SELECT
    rate = build_question("pricePerHour", missing=gap)
    assert rate.widget is Widget.TEXT
    assert rate.check("20") is None
    assert rate.check("PAY_PER_HOUR") is not None


def test_skips_and_follow_ups() -> None:
    assert is_skip(None)
    assert is_skip("  ")
    assert is_skip([])
    assert not is_skip(False)
    assert follow_up_key("paymentType", "PAY_PER_LABEL") == "pricePerLabel"
    assert follow_up_key("headcount", 3) is None


def test_words_for_people() -> None:
    assert humanize_key("labelingOverview") == "Labeling overview"
    # A key that is no identifier is kept whole, so its characters stay visible.
    assert humanize_key("FIELDKEY\x1b]52;c;x") == "FIELDKEY\x1b]52;c;x"
    assert humanize_key("aiInterviewRequirements") == "Ai interview requirements"
    assert humanize_token("English") == "English"
    spec = build_question("paymentType").spec
    assert describe_value(spec, "PAY_PER_HOUR") == "Pay per hour"
    assert describe_value(None, 18.0) == "18"
    assert describe_value(None, True) == "yes"


def test_tokens_whose_words_read_wrong_have_their_own() -> None:
    assert humanize_token("HOURS_OF_RECORDING_AUDIO_VIDEO") == "Hours of recording (audio/video)"
    assert humanize_token("UNKNOWN_NOT_SPECIFIED") == "Unknown / not specified"
    titles = [c.title for c in build_question("dataVolumeUnit").choices]
    assert "Hours of recording (audio/video)" in titles


def test_a_list_asked_as_text_says_to_use_commas_even_with_the_servers_hint() -> None:
    gap = MissingField(field="languages", type="array", hint="Language names, such as English.")
    question = build_question("languages", missing=gap)
    assert question.hint == "Language names, such as English. Separate several with commas."
