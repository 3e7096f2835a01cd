"""The schema table (rules.py) and the description parser (parse.py)."""

from __future__ import annotations

import pytest

from jobdraft.sandbox import parse, rules


def test_the_required_table_names_patchable_keys_and_valid_conditions():
    for key, condition in rules.REQUIRED:
        assert key in rules.FIELD_BY_KEY
        if condition is not None:
            spec = rules.FIELD_BY_KEY[condition[0]]
            assert spec.enum is not None and condition[1] in spec.enum
    # Each payment type has its rate in the table.
    conditional = {cond[1]: key for key, cond in rules.REQUIRED if cond}
    assert conditional == rules.RATE_KEY_FOR_PAYMENT


def test_every_field_has_a_known_type_and_enum_fields_have_values():
    for spec in rules.FIELDS:
        assert spec.type in rules.FIELD_TYPES
        assert (spec.enum is not None) == (spec.type == "enum" or spec.key == "labelTypes")
        # The example passes the field's own rules.
        assert rules.check_value(spec, spec.example, [spec.key]) == [], spec.key
    assert {"integer", "number", "text", "boolean", "array", "enum", "string"} == {
        spec.type for spec in rules.FIELDS
    }


def test_a_complete_draft_is_ready():
    fields = {spec.key: spec.example for spec in rules.FIELDS}
    result = rules.validate(fields)
    assert result.missing == () and result.issues == ()
    assert result.publish_ready


def test_blank_values_count_as_missing():
    fields = {"jobTitle": "  ", "languages": [], "paymentType": "PAY_PER_HOUR"}
    missing = rules.validate(fields).missing
    assert missing[:4] == ("jobTitle", "jobDescription", "pricePerHour", "experienceLevel")
    assert "languages" in missing


def test_rate_floor_applies_only_to_the_chosen_payment_type():
    fields = {spec.key: spec.example for spec in rules.FIELDS}
    fields |= {"paymentType": "PAY_PER_HOUR", "pricePerLabel": 0.0001, "pricePerHour": 4.99}
    [issue] = rules.validate(fields).issues
    assert issue == {
        "field": "pricePerHour",
        "code": "rate_below_minimum",
        "message": "Hourly rate (USD) must be at least 5.",
    }


def test_per_field_codes():
    assert rules.per_field_code("experienceLevel") == "MISSING_EXPERIENCE_LEVEL"
    assert rules.per_field_code("jobTitle") == "MISSING_JOB_TITLE"


def test_zod_messages_follow_zod_wording():
    assert rules.invalid_type(["a"], "number", "x")["message"] == "Expected number, received string"
    assert rules.invalid_type(["a"], "string", 5)["received"] == "number"
    assert rules.unrecognized_keys([], ["a", "b"])["message"] == (
        "Unrecognized key(s) in object: 'a', 'b'"
    )
    assert rules.too_small(["n"], "number", 1)["message"] == (
        "Number must be greater than or equal to 1"
    )
    assert rules.too_big(["s"], "string", 200)["message"] == (
        "String must contain at most 200 character(s)"
    )
    assert rules.invalid_enum(["p"], ["A", "B"], "C")["message"] == (
        "Invalid enum value. Expected 'A' | 'B', received 'C'"
    )


def test_check_update_rejects_infinite_numbers():
    _, issues = rules.check_update({"pricePerHour": float("inf")})
    assert issues and issues[0]["code"] == "invalid_type"


# --- the parser ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Need 10 annotators for boxes", {"headcount": 10}),
        ("We want 5 native Spanish speakers", {"headcount": 5, "languages": ["Spanish"]}),
        ("$18/hour", {"paymentType": "PAY_PER_HOUR", "pricePerHour": 18}),
        ("Pay: $22.50 per hour", {"paymentType": "PAY_PER_HOUR", "pricePerHour": 22.5}),
        ("$0.05 per label", {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.05}),
        ("pay per label $0.04.", {"paymentType": "PAY_PER_LABEL", "pricePerLabel": 0.04}),
        ("Rate per hour: $20", {"paymentType": "PAY_PER_HOUR", "pricePerHour": 20}),
        ("sort photos into categories", {"labelTypes": ["CLASSIFICATION"]}),
        ("a fixed price of $2,000", {"paymentType": "FIXED_PRICE", "fixedPrice": 2000}),
        ("50,000 images", {"dataVolume": 50000, "dataVolumeUnit": "NUMBER_OF_FILES"}),
        ("50k street photos", {"dataVolume": 50000, "dataVolumeUnit": "NUMBER_OF_FILES"}),
        ("300 hours of audio",
         {"dataVolume": 300, "dataVolumeUnit": "HOURS_OF_RECORDING_AUDIO_VIDEO"}),
        ("1.5 million words", {"dataVolume": 1_500_000, "dataVolumeUnit": "NUMBER_OF_WORDS"}),
        ("English, French and German", {"languages": ["English", "French", "German"]}),
        ("based in Canada or the UK", {"countries": ["Canada", "United Kingdom"]}),
        ("draw bounding boxes and polygons",
         {"labelTypes": ["BOUNDING_BOX", "POLYGON"]}),
        ("transcribe and translate the clips",
         {"labelTypes": ["TRANSCRIPTION", "TRANSLATION"]}),
        ("entry-level welcome", {"experienceLevel": "ENTRY_LEVEL"}),
        ("Title: Speech data\nMore text here.", {"jobTitle": "Speech data"}),
    ],
)  # fmt: skip
def test_parser_finds_fields(text, expected):
    found = parse.parse_description(text)
    for key, value in expected.items():
        assert found.fields[key] == value, key
        assert key not in found.low_confidence, key


@pytest.mark.parametrize(
    ("text", "doubtful"),
    [
        ("Hiring a team of 4 for this project.", "headcount"),
        ("$15-20 per hour for careful work.", "pricePerHour"),
        ("We have 300 hours to get through.", "dataVolume"),
        ("Domain experts only, please.", "experienceLevel"),
        ("$18/hour or $0.05 per label, your choice.", "paymentType"),
        ("One long sentence without a heading that describes the whole job.", "jobTitle"),
    ],
)
def test_unsure_guesses_are_low_confidence(text, doubtful):
    found = parse.parse_description(text)
    assert doubtful in found.fields
    assert doubtful in found.low_confidence


def test_parser_does_not_take_rates_or_work_time_as_data():
    found = parse.parse_description("Work 20 hours per week at $18/hour.")
    assert "dataVolume" not in found.fields
    found = parse.parse_description("Contact us for details.")
    assert "countries" not in found.fields


def test_parser_is_deterministic_and_total():
    text = "Street labeling\n10 annotators, 5,000 images, $20/hour, English."
    assert parse.parse_description(text) == parse.parse_description(text)
    for junk in ["", " ", "$", "$$$ per hour", "\x00\ud7ff", "9" * 5000, "hours of " * 500]:
        parse.parse_description(junk)  # never raises


def test_all_parsed_values_pass_the_patch_rules():
    text = (
        "Speech transcription\n\nWe need 5 native Spanish speakers to transcribe 300 hours "
        "of audio. Pay: $0.05 per label. Entry-level welcome. Remote, Mexico or Spain."
    )
    found = parse.parse_description(text)
    changes, issues = rules.check_update(found.fields)
    assert issues == []
    assert changes == found.fields
