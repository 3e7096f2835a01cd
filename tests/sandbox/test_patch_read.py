"""Update (docs/api.md §3.3), validation rules, and reading a draft (§3.4)."""

from __future__ import annotations

import pytest
from tests.sandbox.sandbox_helpers import assert_envelope


def issues_of(response) -> list[dict]:
    return assert_envelope(response, 400, "BAD_REQUEST")["details"]["issues"]


@pytest.fixture
def draft(api):
    client = api()
    return client, client.create()["jobId"]


def test_patch_fills_the_gap_and_refreshes_validation(draft):
    client, job_id = draft
    response = client.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "INTERMEDIATE"})
    assert response.status_code == 200
    body = response.json()
    assert body["validation"] == {
        "publishReady": True,
        "issueCount": 0,
        "missingFieldCount": 0,
        "missingFields": [],
        "issues": [],
    }
    assert body["missingFields"] == []
    assert body["normalizedFields"]["experienceLevel"] == "INTERMEDIATE"


def test_choosing_a_payment_type_makes_its_rate_missing_next_round(draft):
    client, job_id = draft
    body = client.patch(
        f"/job-drafts/{job_id}",
        json={"paymentType": "PAY_PER_LABEL", "experienceLevel": "EXPERT"},
    ).json()
    assert body["validation"]["missingFields"] == ["pricePerLabel"]
    [missing] = body["missingFields"]
    assert missing["type"] == "number"
    assert "PAY_PER_LABEL" in missing["message"]
    body = client.patch(f"/job-drafts/{job_id}", json={"pricePerLabel": 0.05}).json()
    assert body["validation"]["publishReady"] is True
    body = client.patch(f"/job-drafts/{job_id}", json={"paymentType": "FIXED_PRICE"}).json()
    assert body["validation"]["missingFields"] == ["fixedPrice"]


@pytest.mark.parametrize(
    ("patch", "field", "code"),
    [
        ({"pricePerHour": 2}, "pricePerHour", "rate_below_minimum"),
        ({"jobDescription": "Too short."}, "jobDescription", "description_too_short"),
        ({"jobTitle": "Job"}, "jobTitle", "title_too_short"),
    ],
)
def test_blocking_issues_are_not_missing_fields(draft, patch, field, code):
    client, job_id = draft
    body = client.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT", **patch}).json()
    validation = body["validation"]
    assert validation["missingFields"] == []
    assert validation["publishReady"] is False
    assert validation["issueCount"] == 1
    [issue] = validation["issues"]
    assert issue["field"] == field and issue["code"] == code
    assert set(issue) == {"field", "code", "message"}


def test_null_clears_a_field(draft):
    client, job_id = draft
    body = client.patch(f"/job-drafts/{job_id}", json={"headcount": None}).json()
    assert "headcount" not in body["normalizedFields"]
    assert "headcount" in body["validation"]["missingFields"]


def test_values_are_normalized(draft):
    client, job_id = draft
    body = client.patch(
        f"/job-drafts/{job_id}",
        json={
            "headcount": 4.0,
            "languages": [" French ", "French", "German"],
            "jobTitle": "  Spaced title  ",
            "requiresNda": True,
            "visibility": "INVITE_ONLY",
        },
    ).json()
    fields = body["normalizedFields"]
    assert fields["headcount"] == 4 and isinstance(fields["headcount"], int)
    assert fields["languages"] == ["French", "German"]
    assert fields["jobTitle"] == "Spaced title"
    assert fields["requiresNda"] is True
    assert fields["visibility"] == "INVITE_ONLY"


def test_patching_a_guess_confirms_it(api):
    client = api()
    body = client.create("Hiring a team of 4 for some careful labeling of images.")
    assert "headcount" in body["lowConfidenceFields"]
    patched = client.patch(f"/job-drafts/{body['jobId']}", json={"headcount": 5}).json()
    assert "headcount" not in patched["lowConfidenceFields"]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"salary": 5}, {"code": "unrecognized_keys", "keys": ["salary"], "path": []}),
        ({"headcount": "ten"},
         {"code": "invalid_type", "expected": "number", "received": "string",
          "path": ["headcount"]}),
        ({"headcount": 2.5},
         {"code": "invalid_type", "expected": "integer", "received": "float",
          "path": ["headcount"]}),
        ({"requiresNda": "yes"},
         {"code": "invalid_type", "expected": "boolean", "received": "string",
          "path": ["requiresNda"]}),
        ({"languages": "English"},
         {"code": "invalid_type", "expected": "array", "received": "string",
          "path": ["languages"]}),
        ({"paymentType": "HOURLY"},
         {"code": "invalid_enum_value", "received": "HOURLY", "path": ["paymentType"],
          "options": ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"]}),
        ({"labelTypes": ["BOUNDING_BOX", "boxes"]},
         {"code": "invalid_enum_value", "received": "boxes", "path": ["labelTypes", 1]}),
        ({"headcount": 0},
         {"code": "too_small", "minimum": 1, "type": "number", "inclusive": True,
          "path": ["headcount"]}),
        ({"pricePerHour": 5000},
         {"code": "too_big", "maximum": 1000, "type": "number", "inclusive": True,
          "path": ["pricePerHour"]}),
        ({"jobTitle": "t" * 201},
         {"code": "too_big", "maximum": 200, "type": "string", "path": ["jobTitle"]}),
        ({"jobTitle": ""}, {"code": "too_small", "minimum": 1, "type": "string"}),
        ({"countries": ["x"] * 251}, {"code": "too_big", "maximum": 250, "type": "array"}),
    ],
)  # fmt: skip
def test_bad_patches_are_400_with_zod_issues(draft, payload, expected):
    client, job_id = draft
    [issue] = issues_of(client.patch(f"/job-drafts/{job_id}", json=payload))
    assert expected.items() <= issue.items()
    assert issue["message"]


def test_every_problem_of_a_patch_is_reported_and_nothing_is_saved(draft):
    client, job_id = draft
    before = client.get(f"/job-drafts/{job_id}").json()
    response = client.patch(
        f"/job-drafts/{job_id}",
        json={"headcount": -1, "paymentType": "x", "bogus": 1, "jobTitle": "Fine title"},
    )
    issues = issues_of(response)
    assert {i["code"] for i in issues} == {"unrecognized_keys", "too_small", "invalid_enum_value"}
    assert client.get(f"/job-drafts/{job_id}").json() == before


@pytest.mark.parametrize(
    "content",
    [b"", b"   ", b"{}", b"[]", b'"text"', b"null", b"{not json", b'{"headcount": NaN}',
     b"\xff\xfe", b'{"jobTitle": "\\ud800 lone"}'],
)  # fmt: skip
def test_bodies_that_are_empty_or_not_objects_are_400(draft, content):
    client, job_id = draft
    response = client.patch(
        f"/job-drafts/{job_id}", content=content, headers={"Content-Type": "application/json"}
    )
    [issue] = issues_of(response)
    assert issue["path"] == []


def test_patch_of_an_unknown_draft_is_404(draft):
    client, _ = draft
    assert_envelope(client.patch("/job-drafts/jd_nope", json={"headcount": 2}), 404, "NOT_FOUND")


def test_patch_of_a_published_job_is_409(draft):
    client, job_id = draft
    client.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT"})
    assert client.post(f"/jobs/{job_id}/publish").status_code == 200
    body = assert_envelope(
        client.patch(f"/job-drafts/{job_id}", json={"headcount": 2}), 409, "CONFLICT"
    )
    assert body["details"] == {"status": "OPEN"}


def test_read_answers_the_create_body(api):
    client = api()
    created = client.create()
    read = client.get(f"/job-drafts/{created['jobId']}")
    assert read.status_code == 200
    assert read.json() == created


def test_read_of_an_unknown_draft_is_404(api):
    assert_envelope(api().get("/job-drafts/jd_unknown"), 404, "NOT_FOUND")


def test_a_repeated_value_returns_fresh_validation_without_change(draft):
    """The fallback of docs/api.md §3.4 for a sandbox without the read route."""
    client, job_id = draft
    before = client.get(f"/job-drafts/{job_id}").json()
    title = before["normalizedFields"]["jobTitle"]
    after = client.patch(f"/job-drafts/{job_id}", json={"jobTitle": title}).json()
    assert after["normalizedFields"] == before["normalizedFields"]
    assert after["validation"] == before["validation"]
