"""What each completion offers, from the cache files as the real commands write them."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.completion.completion_helpers import NEWEST_FIRST, capabilities_json

from jobdraft.cache import CAPABILITIES_FILE, DRAFTS_FILE, Cache
from jobdraft.completion import (
    Schema,
    assignment_candidates,
    complete_assignment,
    complete_draft_id,
    describe_draft,
    draft_candidates,
)
from jobdraft.fields import DOCUMENTED_TYPES, known_keys, spec_for
from jobdraft.model import Capabilities

CAPS = Schema.from_capabilities(capabilities_json())
NONE = Schema()
LEVELS = ["EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"]


# -- keys ------------------------------------------------------------------------------


def test_keys_come_from_the_cached_capabilities() -> None:
    caps = Schema.from_capabilities({"draft": {"updateKeys": ["jobTitle", "customRate"]}})
    assert assignment_candidates("", caps) == ["jobTitle=", "customRate="]
    assert assignment_candidates("cus", caps) == ["customRate="]


def test_keys_fall_back_to_the_documented_ones() -> None:
    assert assignment_candidates("", NONE) == [f"{key}=" for key in DOCUMENTED_TYPES]


def test_keys_match_the_typed_prefix_case_insensitively() -> None:
    assert assignment_candidates("EXPERIENCE", CAPS) == ["experienceLevel="]
    assert assignment_candidates("price", CAPS) == ["pricePerHour=", "pricePerLabel="]


def test_keys_already_set_are_not_offered_again() -> None:
    assert assignment_candidates("price", CAPS, ["pricePerhour"]) == ["pricePerLabel="]


def test_a_raw_json_key_gets_nothing() -> None:
    assert assignment_candidates("experienceLevel:", CAPS) == []
    assert assignment_candidates("experienceLevel:=", CAPS) == []
    assert assignment_candidates('languages:=["e', CAPS) == []


# -- values ----------------------------------------------------------------------------


def test_enum_values_after_the_equals_sign() -> None:
    assert assignment_candidates("experienceLevel=", CAPS) == [
        f"experienceLevel={level}" for level in LEVELS
    ]


def test_enum_values_match_case_insensitively_and_use_the_canonical_key() -> None:
    assert assignment_candidates("experiencelevel=int", CAPS) == ["experienceLevel=INTERMEDIATE"]
    assert assignment_candidates("paymentType=pay_per_", CAPS) == [
        "paymentType=PAY_PER_LABEL",
        "paymentType=PAY_PER_HOUR",
    ]


def test_enum_values_come_from_the_capabilities_first() -> None:
    caps = Schema.from_capabilities(
        {"draft": {"updateKeys": ["experienceLevel"], "enums": {"experienceLevel": ["GURU"]}}}
    )
    assert assignment_candidates("experienceLevel=", caps) == ["experienceLevel=GURU"]
    # Without capabilities, the documented values.
    assert assignment_candidates("experienceLevel=e", NONE) == [
        "experienceLevel=EXPERT",
        "experienceLevel=ENTRY_LEVEL",
    ]


def test_an_array_of_enum_values_completes_the_item_after_the_last_comma() -> None:
    assert assignment_candidates("labelTypes=bounding_box,POLY", CAPS) == [
        "labelTypes=bounding_box,POLYGON"
    ]
    offered = assignment_candidates("labelTypes=POLYGON,", CAPS)
    assert offered
    assert "labelTypes=POLYGON,POLYGON" not in offered
    assert all(item.startswith("labelTypes=POLYGON,") for item in offered)


@pytest.mark.parametrize(
    "typed",
    ["jobTitle=", "pricePerHour=1", "languages=en,", "notAKey=", "experienceLevel=zz"],
)
def test_no_value_is_invented(typed: str) -> None:
    assert assignment_candidates(typed, CAPS) == []


# -- draft ids -------------------------------------------------------------------------


def test_draft_ids_newest_first_with_title_and_status(filled_cache: Path) -> None:
    offered = draft_candidates("", Cache().drafts(), sandbox=False)
    assert [job_id for job_id, _ in offered] == NEWEST_FIRST
    assert offered[0] == ("jd_9310cc", "Code review for RLHF [DRAFT]")


def test_draft_ids_match_the_prefix(filled_cache: Path) -> None:
    assert [i for i, _ in draft_candidates("jd_48", Cache().drafts())] == [
        "jd_4821bb",
        "jd_4821aa",
    ]


def test_sandbox_ids_only_with_the_sandbox(filled_cache: Path) -> None:
    assert [i for i, _ in draft_candidates("", Cache().drafts(), sandbox=True)] == ["sbx_0001"]
    assert "sbx_0001" not in [i for i, _ in draft_candidates("", Cache().drafts(), sandbox=False)]
    # When the flag is unknown, every draft seen.
    assert len(draft_candidates("", Cache().drafts())) == 4


def test_a_long_or_missing_title_stays_one_short_line() -> None:
    long = describe_draft({"title": "Label\n" + "x" * 200, "status": "OPEN"})
    assert "\n" not in long
    assert long.endswith("… [OPEN]")
    assert len(long) < 80
    assert describe_draft({}) == "(untitled)"


# -- a broken cache means no suggestions, never an error ------------------------------


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"drafts": []}',
        '{"drafts": {"a": "text", "b": {"title": 5}, "7": null}}',
        "\x00\xff",
    ],
)
def test_broken_drafts_file(isolated_home: Path, content: str) -> None:
    path = Cache().directory / DRAFTS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8", errors="surrogateescape")
    offered = complete_draft_id(None, "")
    assert all(isinstance(job_id, str) for job_id, _ in offered)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        '{"https://x": {"fetchedAt": "soon", "data": ["list"]}}',
        '{"https://x": {"fetchedAt": 1, "data": {"draft": {"updateKeys": 7, "enums": []}}}}',
    ],
)
def test_broken_capabilities_file_falls_back_to_the_documented_keys(
    isolated_home: Path, content: str
) -> None:
    path = Cache().directory / CAPABILITIES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    assert complete_assignment(None, "experienceLevel=EX") == ["experienceLevel=EXPERT"]
    assert complete_assignment(None, "jobT") == ["jobTitle="]


def test_an_unreadable_cache_folder_gives_nothing(isolated_home: Path) -> None:
    # The cache folder is a file: every read fails.
    directory = Cache().directory
    directory.parent.mkdir(parents=True, exist_ok=True)
    directory.write_text("", encoding="utf-8")
    assert complete_draft_id(None, "") == []
    assert complete_assignment(None, "experienceLevel=") == [
        f"experienceLevel={level}" for level in LEVELS
    ]


# -- completion reads capabilities as the rest of jobdraft does ---------------------

CAPABILITY_VARIANTS = [
    None,
    ["not", "an", "object"],
    {"draft": 3},
    {"draft": {"updateKeys": ["jobTitle", "...", "", 7], "enums": {"...": []}}},
    {"draft": {"updateKeys": "jobTitle", "enums": {"paymentType": "FIXED_PRICE"}}},
    {"draft": {"enums": {"experienceLevel": ["GURU", None], "mood": ["HAPPY"]}}},
    {"draft": {"updateKeys": ["mood", "labelTypes"], "enums": {"labelTypes": ["BOX"]}}},
    {"draft": {"enums": {"visibility": ["PUBLIC", "INVITE_ONLY"]}}},
    {"draft": {"fieldTypes": "array", "enums": {"countries": ["FR", "DE"]}}},
    {
        "draft": {
            "fieldTypes": {"requiresNda": "boolean", "visibility": "enum", "odd": "weird", "x": 3},
            "enums": {"visibility": ["PUBLIC", "INVITE_ONLY"], "odd": ["A"]},
        }
    },
    capabilities_json(),
]


@pytest.mark.parametrize("raw", CAPABILITY_VARIANTS)
def test_schema_agrees_with_model_and_fields(raw: object) -> None:
    """Schema parses the cached JSON itself (a TAB must not pay for ``model``): same answers."""
    schema = Schema.from_capabilities(raw)
    capabilities = Capabilities.from_json(raw) if isinstance(raw, dict) else None
    assert schema.patchable() == known_keys(capabilities)
    keys = {*schema.patchable(), *DOCUMENTED_TYPES, *schema.enums, *schema.types}
    keys |= {"mood", "unknownKey", "requiresNda", "odd"}
    for key in sorted(keys):
        spec = spec_for(key, None, capabilities)
        assert schema.choices(key) == (spec.type, spec.enum_values or ()), key


def test_a_boolean_key_offers_true_and_false() -> None:
    schema = Schema.from_capabilities(
        {"draft": {"updateKeys": ["requiresNda"], "fieldTypes": {"requiresNda": "boolean"}}}
    )
    assert assignment_candidates("requiresNda=", schema) == [
        "requiresNda=true",
        "requiresNda=false",
    ]
    assert assignment_candidates("requiresNda=f", schema) == ["requiresNda=false"]
