"""Parsing every documented variant of the API's answers (docs/api.md §5)."""

from __future__ import annotations

import pytest

from jobdraft.model import Capabilities, Draft, MissingField, Validation, clean_question

FULL_OBJECT = {
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


def create_answer(**overrides: object) -> dict[str, object]:
    answer: dict[str, object] = {
        "ok": True,
        "jobId": "job_1",
        "status": "DRAFT",
        "draftUrl": "https://app.opentrain.ai/job-post?jobId=job_1",
        "validation": {
            "publishReady": False,
            "issueCount": 0,
            "missingFieldCount": 1,
            "missingFields": ["experienceLevel"],
            "issues": [],
        },
        "missingFields": [FULL_OBJECT],
        "normalizedFields": {"jobTitle": "Annotators", "pricePerHour": 18},
        "lowConfidenceFields": ["dataVolume"],
        "warnings": [],
        "unmappedFields": [],
    }
    answer.update(overrides)
    return answer


def test_names_in_validation_are_merged_with_top_level_objects() -> None:
    draft = Draft.from_json(create_answer())
    [item] = draft.missing
    assert item.field == "experienceLevel"
    assert item.type == "enum"
    assert item.enum_values == ("EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL")
    assert item.question == "What experience level should AI trainers have?"
    assert item.example == "INTERMEDIATE"
    assert draft.fields == {"jobTitle": "Annotators", "pricePerHour": 18}
    assert draft.low_confidence == ("dataVolume",)
    assert draft.title == "Annotators"


def test_full_objects_inside_validation() -> None:
    answer = create_answer(missingFields=None)
    answer["validation"] = {
        "publishReady": False,
        "missingFieldCount": 1,
        "missingFields": [FULL_OBJECT],
    }
    [item] = Draft.from_json(answer).missing
    assert item.label == "Experience level" and item.keys == ("experienceLevel",)


def test_empty_list_with_nonzero_count_keeps_the_count() -> None:
    answer = {
        "jobId": "j",
        "validation": {"publishReady": False, "missingFieldCount": 3, "missingFields": []},
    }
    draft = Draft.from_json(answer)
    assert draft.missing == ()
    assert draft.validation.missing_count == 3
    assert draft.validation.names_unknown
    assert not draft.ready


def test_small_patch_body_has_no_fields_rather_than_empty_fields() -> None:
    answer = {
        "ok": True,
        "jobId": "j",
        "status": "DRAFT",
        "draftUrl": "https://app.opentrain.ai/job-post?job=j",
        "validation": {
            "publishReady": True,
            "issueCount": 0,
            "missingFieldCount": 0,
            "missingFields": [],
            "issues": [],
        },
    }
    draft = Draft.from_json(answer)
    assert draft.ready
    assert draft.fields is None
    assert draft.draft_url == "https://app.opentrain.ai/job-post?job=j"


@pytest.mark.parametrize(
    ("prompt", "enum", "expected"),
    [
        ("ask: What level? (EXPERT, ENTRY_LEVEL)", ("EXPERT", "ENTRY_LEVEL"), "What level?"),
        ("What level?", ("EXPERT",), "What level?"),
        ("ask: How many people?", None, "How many people?"),
        ("ASK:   Pick one [A, B]", ("A", "B"), "Pick one"),
        # A bracket that is part of the question stays.
        ("ask: Rate (in USD) per hour?", None, "Rate (in USD) per hour?"),
        # A single upper-case word in brackets is a unit, not a list of choices.
        ("ask: What is the hourly rate? (USD)", None, "What is the hourly rate? (USD)"),
        ("ask: Pay per hour? (USD)", ("EXPERT",), "Pay per hour? (USD)"),
        # Choices not sent alongside: a list of several tokens is still a repeat.
        ("ask: Which unit? (NUMBER_OF_FILES, NUMBER_OF_WORDS)", None, "Which unit?"),
        (None, None, None),
    ],
)
def test_clean_question(
    prompt: str | None, enum: tuple[str, ...] | None, expected: str | None
) -> None:
    assert clean_question(prompt, enum) == expected


def test_per_field_code_and_nulls_are_accepted() -> None:
    item = MissingField.from_json(
        {
            "field": "headcount",
            "code": "MISSING_HEADCOUNT",
            "prompt": "How many?",
            "type": "number",
            "enumValues": None,
            "hint": None,
            "example": None,
        }
    )
    assert item is not None
    assert item.code == "MISSING_HEADCOUNT"
    assert item.enum_values is None and item.hint is None and item.example is None


def test_missing_field_with_several_update_keys() -> None:
    item = MissingField.from_json({"field": "pay", "updateKeys": ["paymentType", "pricePerHour"]})
    assert item is not None and item.keys == ("paymentType", "pricePerHour")


def test_unknown_type_is_kept_for_the_asker() -> None:
    item = MissingField.from_json({"field": "x", "type": "DATE"})
    assert item is not None and item.type == "date"


def test_issues_are_parsed_from_sandbox_and_zod_shapes() -> None:
    validation = Validation.from_json(
        {
            "publishReady": False,
            "missingFields": [],
            "issues": [
                {"field": "pricePerHour", "code": "RATE_TOO_LOW", "message": "Too low"},
                {"path": ["jobDescription"], "code": "too_small", "message": "Too short"},
                "a plain message",
                42,
            ],
        }
    )
    assert [(i.field, i.message) for i in validation.issues] == [
        ("pricePerHour", "Too low"),
        ("jobDescription", "Too short"),
        (None, "a plain message"),
    ]


def test_garbage_parts_are_ignored_not_fatal() -> None:
    draft = Draft.from_json(
        {
            "jobId": 7,
            "validation": "nonsense",
            "missingFields": [None, 3, {}],
            "unmappedFields": {"not": "a list"},
        }
    )
    assert draft.job_id == "7"
    assert draft.missing == ()
    assert draft.unmapped == ()


def test_draft_without_id_is_an_error() -> None:
    with pytest.raises(ValueError, match="jobId"):
        Draft.from_json({"ok": True})


def test_capabilities_skip_the_docs_ellipsis_and_keep_enums() -> None:
    caps = Capabilities.from_json(
        {
            "capabilities": {"publish": False, "draftCreate": True},
            "draft": {
                "updateKeys": ["jobTitle", "..."],
                "enums": {"paymentType": ["PAY_PER_LABEL"], "...": []},
            },
            "enabled": True,
        }
    )
    assert caps.update_keys == ("jobTitle",)
    assert caps.enums == {"paymentType": ("PAY_PER_LABEL",)}
    assert caps.features == {"publish": False, "draftCreate": True}


def test_validation_round_trips_through_its_cache_form() -> None:
    original = Draft.from_json(create_answer()).validation
    again = Validation.from_json(original.to_json())
    assert again == original


@pytest.mark.parametrize(
    "validation",
    [
        {"publishReady": False, "missingFields": "experienceLevel", "issues": {"a": 1}},
        {"publishReady": False, "missingFields": {"experienceLevel": 1}, "issues": "bad"},
        "not an object",
    ],
)
def test_a_list_that_is_not_a_list_is_read_as_empty(validation: object) -> None:
    """A string where a list belongs must not be read letter by letter."""
    draft = Draft.from_json(
        {"jobId": "j", "validation": validation, "missingFields": "experienceLevel"}
    )
    assert draft.validation.missing_names == ()
    assert draft.validation.issues == ()
    assert not draft.ready
