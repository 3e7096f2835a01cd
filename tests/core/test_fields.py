"""Reading values for fields: the rules ``--set`` and the wizard share."""

from __future__ import annotations

import json

import pytest

from jobdraft.errors import UsageError
from jobdraft.fields import (
    FieldSpec,
    check_json_value,
    check_text,
    coerce_json,
    parse_assignment,
    parse_json,
    parse_text,
    read_answers,
    read_assignments,
    resolve_key,
    spec_for,
)
from jobdraft.model import Capabilities, MissingField

CAPS = Capabilities.from_json(
    {
        "draft": {
            "updateKeys": [
                "jobTitle",
                "experienceLevel",
                "headcount",
                "labelTypes",
                "pricePerHour",
                "languages",
                "remoteOk",
            ],
            "enums": {
                "experienceLevel": [
                    "EXPERT",
                    "ENTRY_LEVEL",
                    "INTERMEDIATE",
                    "ANY_EXPERIENCE_LEVEL",
                ],
                "labelTypes": ["BOUNDING_BOX", "TRANSCRIPTION", "CLASSIFICATION"],
            },
        }
    }
)


def test_enum_values_match_case_and_spacing_insensitively() -> None:
    assert read_assignments(["experienceLevel=intermediate"], CAPS) == {
        "experienceLevel": "INTERMEDIATE"
    }
    assert read_assignments(["experienceLevel=entry level"], CAPS) == {
        "experienceLevel": "ENTRY_LEVEL"
    }


def test_a_bad_enum_value_is_refused_with_a_suggestion() -> None:
    with pytest.raises(UsageError) as caught:
        read_assignments(["experienceLevel=intermedate"], CAPS)
    assert "not an allowed value" in caught.value.message
    assert caught.value.hint is not None and "did you mean INTERMEDIATE" in caught.value.hint


@pytest.mark.parametrize(
    ("raw", "value"), [("18", 18), ("18.5", 18.5), ("50,000", 50000), ("$18", 18), ("1_000", 1000)]
)
def test_numbers(raw: str, value: float) -> None:
    assert parse_text(FieldSpec("pricePerHour", "number"), raw) == value


@pytest.mark.parametrize("raw", ["eighteen", "18,5", "", "nan", "1e400"])
def test_not_numbers_are_refused(raw: str) -> None:
    with pytest.raises(UsageError):
        parse_text(FieldSpec("pricePerHour", "number"), raw)


def test_integer_and_positive_rules() -> None:
    spec = spec_for("headcount", None, CAPS)
    assert spec.type == "integer"
    assert parse_text(spec, "10") == 10
    assert check_text(spec, "2.5") == "headcount must be a whole number, not '2.5'"
    assert check_text(spec, "0") == "headcount must be greater than zero"


def test_lists_from_commas_or_json_and_enum_items_canonicalised() -> None:
    assert read_assignments(["languages=English, Spanish,"], CAPS) == {
        "languages": ["English", "Spanish"]
    }
    assert read_assignments(['languages=["English"]'], CAPS) == {"languages": ["English"]}
    assert read_assignments(["labelTypes=bounding box,transcription"], CAPS) == {
        "labelTypes": ["BOUNDING_BOX", "TRANSCRIPTION"]
    }


def test_unknown_key_gets_a_did_you_mean() -> None:
    with pytest.raises(UsageError) as caught:
        resolve_key("experiencelvl", CAPS.update_keys)
    assert caught.value.hint == "did you mean 'experienceLevel'?"
    assert resolve_key("JOBTITLE", CAPS.update_keys) == "jobTitle"


def test_raw_json_values() -> None:
    assert read_assignments(["headcount:=12", 'jobTitle:="A title"'], CAPS) == {
        "headcount": 12,
        "jobTitle": "A title",
    }
    # Exactly the JSON given: a JSON string stays a string, the server judges it.
    assert read_assignments(['headcount:="12"'], CAPS) == {"headcount": "12"}
    assert read_assignments(['experienceLevel:="entry"'], CAPS) == {"experienceLevel": "entry"}
    with pytest.raises(UsageError, match="at most 1,000,000,000,000"):
        read_assignments(["dataVolume:=2e12"], DOCUMENTED)
    with pytest.raises(UsageError, match="JSON value"):
        read_assignments(["headcount:={"], CAPS)


def test_assignment_syntax() -> None:
    assert parse_assignment("a=b=c") == ("a", "b=c", False)
    assert parse_assignment("a:=[1]") == ("a", "[1]", True)
    with pytest.raises(UsageError, match="not key=value"):
        parse_assignment("novalue")


def test_server_type_wins_over_the_documented_one_and_unknown_types_are_text() -> None:
    server = MissingField(field="headcount", type="number")
    assert spec_for("headcount", server, CAPS).type == "number"
    odd = MissingField(field="startDate", type="date")
    spec = spec_for("startDate", odd, None)
    assert spec.type == "string"
    assert parse_text(spec, "2026-12-01") == "2026-12-01"


def test_enums_the_server_lists_win_over_a_documented_string() -> None:
    """visibility is documented without a type; capabilities say it is an enum."""
    caps = Capabilities.from_json(
        {
            "draft": {
                "updateKeys": ["visibility"],
                "enums": {"visibility": ["PUBLIC", "INVITE_ONLY"]},
            }
        }
    )
    assert read_assignments(["visibility=invite only"], caps) == {"visibility": "INVITE_ONLY"}
    with pytest.raises(UsageError, match="not an allowed value"):
        read_assignments(["visibility=secret"], caps)
    # Enum values in a missing-field object without a type say the same.
    gap = MissingField(field="visibility", enum_values=("PUBLIC", "INVITE_ONLY"))
    assert spec_for("visibility", gap, None).type == "enum"
    # A documented list with enum values stays a list: a multi-choice.
    listed = Capabilities.from_json({"draft": {"enums": {"countries": ["FR", "DE"]}}})
    assert spec_for("countries", None, listed).type == "array"


def test_types_the_capabilities_list_are_used() -> None:
    caps = Capabilities.from_json(
        {
            "draft": {
                "updateKeys": ["requiresNda", "startDate"],
                "fieldTypes": {"requiresNda": "boolean", "startDate": "date"},
            }
        }
    )
    assert read_assignments(["requiresNda=yes"], caps) == {"requiresNda": True}
    assert spec_for("startDate", None, caps).type == "string"  # unknown: text


def test_a_gap_that_sets_several_keys_types_only_its_own_field() -> None:
    gap = MissingField(
        field="paymentType",
        type="enum",
        enum_values=("PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"),
        update_keys=("paymentType", "pricePerHour"),
    )
    assert spec_for("paymentType", gap, None).is_choice
    rate = spec_for("pricePerHour", gap, None)
    assert (rate.type, rate.enum_values) == ("number", None)
    assert read_assignments(["pricePerHour=20"], None, {"pricePerHour": gap}) == {
        "pricePerHour": 20
    }
    # A gap named after no key of its own describes its first key.
    pay = MissingField(field="pay", type="enum", enum_values=("A", "B"), update_keys=("k1", "k2"))
    assert spec_for("k1", pay, None).is_choice
    assert spec_for("k2", pay, None).type == "string"


def test_keys_fall_back_to_the_documented_list_without_capabilities() -> None:
    assert read_assignments(["paymentType=pay per hour"], None) == {"paymentType": "PAY_PER_HOUR"}


def test_booleans() -> None:
    spec = FieldSpec("remoteOk", "boolean")
    assert parse_text(spec, "yes") is True
    assert parse_text(spec, "OFF") is False
    with pytest.raises(UsageError):
        parse_text(spec, "maybe")
    assert coerce_json(spec, True) is True


def test_answers_object_is_typed_key_by_key() -> None:
    assert read_answers(
        {"experienceLevel": "expert", "headcount": 3, "labelTypes": ["classification"]}, CAPS
    ) == {"experienceLevel": "EXPERT", "headcount": 3, "labelTypes": ["CLASSIFICATION"]}
    with pytest.raises(UsageError, match="must be a list"):
        read_answers({"labelTypes": 3}, CAPS)


# --- what JSON cannot carry -----------------------------------------------------


def test_check_json_value_names_where_the_bad_value_sits() -> None:
    import datetime

    value = {"languages": ["English", {"when": datetime.date(1979, 5, 27)}]}
    with pytest.raises(UsageError, match=r"^answers.toml at languages\[1\]\.when: a date or time"):
        check_json_value(value, "answers.toml")
    with pytest.raises(UsageError, match="not a JSON number"):
        check_json_value({"rate": float("nan")}, "f")
    with pytest.raises(UsageError, match="more than 4,300 digits"):
        check_json_value({"n": 1 << 20000}, "f")
    check_json_value({"n": 10**4299, "ok": [None, True, 1.5, "é"]}, "f")  # all fine


def test_check_json_value_refuses_deep_nesting_without_recursing() -> None:
    deep: list[object] = []
    for _ in range(100_000):  # far past the interpreter's recursion limit
        deep = [deep]
    with pytest.raises(UsageError, match="nested too deeply"):
        check_json_value(deep, "x")


def test_parse_json_keeps_syntax_errors_for_the_caller_to_word() -> None:
    with pytest.raises(json.JSONDecodeError):
        parse_json("{", "x")
    assert parse_json('{"a": [1, 2.5, "b"]}', "x") == {"a": [1, 2.5, "b"]}


DOCUMENTED = None  # no capabilities: the documented keys and enums


@pytest.mark.parametrize(
    ("arg", "key", "value"),
    [
        ("paymentType=hourly", "paymentType", "PAY_PER_HOUR"),
        ("paymentType=fixed", "paymentType", "FIXED_PRICE"),
        ("dataVolumeUnit=files", "dataVolumeUnit", "NUMBER_OF_FILES"),
        ("dataVolumeUnit=Hours of recording (audio/video)", "dataVolumeUnit",
         "HOURS_OF_RECORDING_AUDIO_VIDEO"),
        ("experienceLevel=entry", "experienceLevel", "ENTRY_LEVEL"),
        ("experienceLevel=Any", "experienceLevel", "ANY_EXPERIENCE_LEVEL"),
    ],
)  # fmt: skip
def test_enum_values_are_taken_as_people_type_them(arg: str, key: str, value: str) -> None:
    assert read_assignments([arg], DOCUMENTED) == {key: value}


def test_words_that_fit_several_choices_are_refused_with_those_choices() -> None:
    with pytest.raises(UsageError) as caught:
        read_assignments(["paymentType=per"], DOCUMENTED)
    assert caught.value.hint is not None
    assert "PAY_PER_LABEL or PAY_PER_HOUR" in caught.value.hint


def test_a_value_like_no_choice_is_refused_with_every_choice_listed() -> None:
    with pytest.raises(UsageError) as caught:
        read_assignments(["paymentType=barter"], DOCUMENTED)
    assert caught.value.hint == "allowed: PAY_PER_LABEL, PAY_PER_HOUR, FIXED_PRICE"


def test_an_empty_value_on_a_required_field_is_refused() -> None:
    with pytest.raises(UsageError, match="jobTitle is required"):
        read_assignments(["jobTitle="], DOCUMENTED)
    # A field that is currently missing is required too; an optional one may be emptied.
    with pytest.raises(UsageError, match="fixedPrice is required"):
        read_assignments(
            ["fixedPrice="], DOCUMENTED, {"fixedPrice": MissingField(field="fixedPrice")}
        )
    assert read_assignments(["dataType="], DOCUMENTED) == {"dataType": ""}


def test_amounts_above_the_servers_ceiling_are_refused_before_sending() -> None:
    with pytest.raises(UsageError, match="at most 1,000,000,000,000"):
        read_assignments(["dataVolume=2,000,000,000,000"], DOCUMENTED)
    assert read_assignments(["dataVolume=1000000000000"], DOCUMENTED) == {"dataVolume": 10**12}
