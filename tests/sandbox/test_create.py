"""Create (docs/api.md §3.2): the three input shapes, limits, idempotency."""

from __future__ import annotations

import pytest
from tests.sandbox.sandbox_helpers import DESCRIPTION, OTHER_TOKEN, assert_envelope

DRAFT_KEYS = {
    "ok", "jobId", "status", "draftUrl", "reviewUrl", "validation", "missingFields",
    "normalizedFields", "lowConfidenceFields", "warnings", "unmappedFields",
}  # fmt: skip
MISSING_KEYS = {
    "field", "label", "message", "code", "prompt", "type", "enumValues", "updateKeys",
    "example", "hint",
}  # fmt: skip


def issues_of(response) -> list[dict]:
    body = assert_envelope(response, 400, "BAD_REQUEST")
    return body["details"]["issues"]


def test_create_from_text_answers_like_the_documented_example(api):
    client = api()
    response = client.post("/job-drafts", json={"rawJobDescription": DESCRIPTION})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == DRAFT_KEYS | {"externalId"}
    assert body["ok"] is True
    assert body["status"] == "DRAFT"
    assert body["jobId"].startswith("jd_")
    assert body["draftUrl"] == f"http://sandbox.test/job-post?jobId={body['jobId']}"
    assert body["reviewUrl"] == body["draftUrl"]
    assert body["validation"] == {
        "publishReady": False,
        "issueCount": 0,
        "missingFieldCount": 1,
        "missingFields": ["experienceLevel"],
        "issues": [],
    }
    [missing] = body["missingFields"]
    assert missing == {
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
    fields = body["normalizedFields"]
    assert fields["jobTitle"] == "Street scene labeling"
    assert fields["paymentType"] == "PAY_PER_HOUR"
    assert fields["pricePerHour"] == 18
    assert fields["headcount"] == 10
    assert fields["dataVolume"] == 50000
    assert fields["dataVolumeUnit"] == "NUMBER_OF_FILES"
    assert fields["labelTypes"] == ["BOUNDING_BOX"]
    assert fields["languages"] == ["English"]
    assert body["lowConfidenceFields"] == []
    assert body["warnings"] == [] and body["unmappedFields"] == []


def test_an_empty_description_lists_every_required_field_with_full_objects(api):
    body = api().create("Help wanted, details to follow soon. Thanks a lot!")
    names = body["validation"]["missingFields"]
    assert names == [
        "paymentType", "experienceLevel", "headcount", "languages", "labelTypes", "dataVolume",
        "dataVolumeUnit",
    ]  # fmt: skip
    assert body["lowConfidenceFields"] == ["jobTitle"]
    assert body["validation"]["missingFieldCount"] == len(names)
    by_field = {m["field"]: m for m in body["missingFields"]}
    assert list(by_field) == names
    for item in body["missingFields"]:
        assert set(item) == MISSING_KEYS
        assert item["prompt"].startswith("ask: ")
        assert item["updateKeys"] == [item["field"]]
        assert item["example"] is not None
    assert by_field["headcount"]["type"] == "integer"
    assert by_field["dataVolume"]["type"] == "integer"
    assert by_field["languages"]["type"] == "array"
    assert by_field["languages"]["enumValues"] is None
    assert by_field["labelTypes"]["type"] == "array"
    assert "BOUNDING_BOX" in by_field["labelTypes"]["enumValues"]
    assert by_field["labelTypes"]["prompt"].endswith(")")
    assert by_field["paymentType"]["type"] == "enum"
    assert by_field["dataVolumeUnit"]["enumValues"][0] == "HOURS_OF_RECORDING_AUDIO_VIDEO"


def test_source_form_keeps_external_id(api):
    client = api()
    source = {"type": "text", "text": DESCRIPTION, "externalId": "ats-42"}
    body = client.post("/job-drafts", json={"source": source}).json()
    assert body["externalId"] == "ats-42"
    assert client.get(f"/job-drafts/{body['jobId']}").json()["externalId"] == "ats-42"


def test_top_level_external_id_and_idempotency_key(api):
    client = api()
    first = client.create(externalId="top-1", idempotencyKey="key-1")
    again = client.create("Different text this time, with other words.", idempotencyKey="key-1")
    assert again["jobId"] == first["jobId"]
    assert again["externalId"] == "top-1"


def test_repeating_an_idempotency_key_returns_the_draft_in_its_current_state(api):
    client = api()
    source = {"type": "text", "text": DESCRIPTION, "idempotencyKey": "once"}
    first = client.post("/job-drafts", json={"source": source}).json()
    client.patch(f"/job-drafts/{first['jobId']}", json={"experienceLevel": "EXPERT"})
    again = client.post("/job-drafts", json={"source": source})
    assert again.status_code == 200
    body = again.json()
    assert body["jobId"] == first["jobId"]
    assert body["normalizedFields"]["experienceLevel"] == "EXPERT"
    assert body["validation"]["publishReady"] is True
    assert len(client.get("/jobs/mine").json()["jobs"]) == 1


def test_idempotency_keys_are_per_account(api):
    mine = api()
    theirs = mine.as_token(OTHER_TOKEN)
    a = mine.create(idempotencyKey="shared")
    b = theirs.create(idempotencyKey="shared")
    assert a["jobId"] != b["jobId"]


def test_description_of_exactly_60000_characters_is_accepted(api):
    text = ("Label 10 images. " * 4000)[:60000]
    assert len(text) == 60000
    body = api().create(text)
    assert len(body["normalizedFields"]["jobDescription"]) <= 60000


@pytest.mark.parametrize("shape", ["raw", "source"])
def test_description_over_60000_characters_is_400_too_big(api, shape):
    text = "x" * 60001
    payload = (
        {"rawJobDescription": text}
        if shape == "raw"
        else {"source": {"type": "text", "text": text}}
    )
    [issue] = issues_of(api().post("/job-drafts", json=payload))
    assert issue["code"] == "too_big"
    assert issue["maximum"] == 60000
    assert issue["type"] == "string"
    assert issue["path"][-1] in ("rawJobDescription", "text")


@pytest.mark.parametrize(
    ("payload", "code", "path"),
    [
        ({}, "custom", []),
        ({"rawJobDescription": "a b c d", "source": {"type": "text", "text": "x"}}, "custom", []),
        ({"rawJobDescription": 12}, "invalid_type", ["rawJobDescription"]),
        ({"rawJobDescription": "   "}, "too_small", ["rawJobDescription"]),
        ({"rawJobDescription": "text", "colour": "red"}, "unrecognized_keys", []),
        ({"source": "text"}, "invalid_type", ["source"]),
        ({"source": {"type": "html", "text": "x"}}, "invalid_enum_value", ["source", "type"]),
        ({"source": {"type": "text"}}, "invalid_type", ["source", "text"]),
        ({"source": {"type": "text", "text": "x", "lang": "en"}}, "unrecognized_keys",
         ["source"]),
        ({"format": "pdf", "xml": "<a/>"}, "invalid_enum_value", ["format"]),
        ({"format": "opentrain_canonical"}, "invalid_type", ["job"]),
        ({"format": "opentrain_canonical", "job": []}, "invalid_type", ["job"]),
        ({"format": "indeed_xml", "job": {}}, "unrecognized_keys", []),
        ({"rawJobDescription": "text", "externalId": 5}, "invalid_type", ["externalId"]),
        ({"rawJobDescription": "text", "idempotencyKey": "k" * 201}, "too_big",
         ["idempotencyKey"]),
    ],
)  # fmt: skip
def test_bad_create_bodies_are_400_with_zod_issues(api, payload, code, path):
    issues = issues_of(api().post("/job-drafts", json=payload))
    assert issues[0]["code"] == code
    assert issues[0]["path"] == path
    assert issues[0]["message"]
    if code == "invalid_enum_value":
        assert issues[0]["options"] and "received" in issues[0]
    if code == "unrecognized_keys":
        assert issues[0]["keys"]
    if code == "invalid_type":
        assert {"expected", "received"} <= set(issues[0])


def test_canonical_import_maps_keys_and_reports_the_rest(api):
    job = {
        "jobTitle": "Audio transcription",
        "headcount": 4,
        "paymentType": "FIXED_PRICE",
        "fixedPrice": 900,
        "languages": ["German"],
        "experienceLevel": "Senior",
        "salaryBand": "B2",
        "externalId": "canon-7",
    }
    body = api().post("/job-drafts", json={"format": "opentrain_canonical", "job": job}).json()
    fields = body["normalizedFields"]
    assert fields == {
        "jobTitle": "Audio transcription",
        "paymentType": "FIXED_PRICE",
        "fixedPrice": 900,
        "headcount": 4,
        "languages": ["German"],
    }
    unmapped = {u["path"]: u for u in body["unmappedFields"]}
    assert set(unmapped) == {"job.experienceLevel", "job.salaryBand"}
    assert unmapped["job.salaryBand"]["valuePreview"] == "B2"
    assert "Invalid enum value" in unmapped["job.experienceLevel"]["reason"]
    assert body["externalId"] == "canon-7"
    assert "experienceLevel" in body["validation"]["missingFields"]


def test_json_ld_import_through_the_api(api):
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": "Image tagging",
        "description": "<p>Classify 2,000 images of plants. Spanish required.</p>",
        "totalJobOpenings": 3,
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {"@type": "QuantitativeValue", "value": 16, "unitText": "HOUR"},
        },
        "hiringOrganization": {"name": "Acme"},
    }
    body = (
        api()
        .post("/job-drafts", json={"format": "schema_org_job_posting", "jsonLd": posting})
        .json()
    )
    fields = body["normalizedFields"]
    assert fields["jobTitle"] == "Image tagging"
    assert fields["jobDescription"] == "Classify 2,000 images of plants. Spanish required."
    assert fields["paymentType"] == "PAY_PER_HOUR"
    assert fields["pricePerHour"] == 16
    assert fields["headcount"] == 3
    assert fields["dataVolume"] == 2000
    assert fields["labelTypes"] == ["CLASSIFICATION"]
    assert fields["languages"] == ["Spanish"]
    assert [u["path"] for u in body["unmappedFields"]] == ["jsonLd.hiringOrganization"]


@pytest.mark.parametrize("fmt", ["indeed_xml", "hr_xml"])
def test_xml_with_a_doctype_is_refused_before_parsing(api, fmt):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<source><job><title>&lol2;</title></job></source>"
    )
    [issue] = issues_of(api().post("/job-drafts", json={"format": fmt, "xml": bomb}))
    assert issue["path"] == ["xml"]
    assert "DOCTYPE" in issue["message"]


def test_malformed_xml_is_400(api):
    response = api().post("/job-drafts", json={"format": "indeed_xml", "xml": "<job><title>"})
    [issue] = issues_of(response)
    assert issue["path"] == ["xml"]


@pytest.mark.parametrize(
    ("payment_type", "rate_key"),
    [("PAY_PER_HOUR", "pricePerHour"), ("PAY_PER_LABEL", "pricePerLabel"),
     ("FIXED_PRICE", "fixedPrice")],
)  # fmt: skip
def test_canonical_import_maps_the_documented_keys(api, payment_type, rate_key):
    """The Create page's keys; rateAmount becomes the rate of the payment type."""
    job = {
        "rateAmount": 25,  # before paymentType on purpose: the order does not matter
        "title": "Label street scenes",
        "description": "Draw bounding boxes around cars and people in street photos.",
        "paymentType": payment_type,
        "languages": ["English"],
        "countries": ["Germany"],
        "labelTypes": ["BOUNDING_BOX"],
        "tools": ["CVAT", "Label Studio"],
        "experienceLevel": "EXPERT",
    }
    body = api().post("/job-drafts", json={"format": "opentrain_canonical", "job": job}).json()
    assert body["normalizedFields"] == {
        "jobTitle": "Label street scenes",
        "jobDescription": "Draw bounding boxes around cars and people in street photos.",
        "paymentType": payment_type,
        rate_key: 25,
        "languages": ["English"],
        "countries": ["Germany"],
        "labelTypes": ["BOUNDING_BOX"],
        "labelingSoftware": "CVAT, Label Studio",
        "experienceLevel": "EXPERT",
    }
    assert body["unmappedFields"] == []


def test_canonical_rate_without_a_payment_type_is_reported_unmapped(api):
    job = {"title": "Label street scenes", "rateAmount": 25, "tools": 7}
    body = api().post("/job-drafts", json={"format": "opentrain_canonical", "job": job}).json()
    assert body["normalizedFields"] == {"jobTitle": "Label street scenes"}
    unmapped = {u["path"]: u["reason"] for u in body["unmappedFields"]}
    assert set(unmapped) == {"job.rateAmount", "job.tools"}
    assert "paymentType" in unmapped["job.rateAmount"]


def test_canonical_rate_below_the_rules_is_reported_not_stored(api):
    job = {"paymentType": "PAY_PER_HOUR", "rateAmount": -3}
    body = api().post("/job-drafts", json={"format": "opentrain_canonical", "job": job}).json()
    assert "pricePerHour" not in body["normalizedFields"]
    assert [u["path"] for u in body["unmappedFields"]] == ["job.rateAmount"]
