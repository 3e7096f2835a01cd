"""--minimal, the answer variants (docs/api.md §5), --chaos and --latency."""

from __future__ import annotations

import time

import pytest
from tests.sandbox.sandbox_helpers import assert_envelope

from jobdraft.sandbox.views import VARIANTS

# --- minimal ---------------------------------------------------------------------


def test_minimal_patch_answers_only_the_documented_keys(api):
    client = api(minimal=True)
    job_id = client.create()["jobId"]
    body = client.patch(f"/job-drafts/{job_id}", json={"headcount": 3}).json()
    assert set(body) == {"ok", "jobId", "status", "draftUrl", "validation"}
    assert body["validation"]["missingFields"] == ["experienceLevel"]


def test_minimal_has_no_read_route_and_no_extras(api):
    client = api(minimal=True)
    created = client.create()
    assert "externalId" not in created
    response = client.get(f"/job-drafts/{created['jobId']}")
    body = assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "PATCH"
    assert body["details"] == {"allowed": ["PATCH"]}
    assert "fieldTypes" not in client.get("/job-drafts/capabilities").json()["draft"]


def test_a_whole_fill_works_in_minimal_mode_from_names_and_capabilities(api):
    """What a client does with only the small PATCH body: names + cached enums."""
    client = api(minimal=True)
    enums = client.get("/job-drafts/capabilities").json()["draft"]["enums"]
    created = client.create("Help wanted for a data project, details in the call.")
    job_id = created["jobId"]
    answers = {
        "jobTitle": "Data project help",
        "jobDescription": "Label 500 images with bounding boxes around every car you see.",
        "pricePerHour": 20,
        "headcount": 2,
        "languages": ["English"],
        "labelTypes": ["BOUNDING_BOX"],
        "dataVolume": 500,
    }
    missing = created["validation"]["missingFields"]
    rounds = 0
    while missing:
        rounds += 1
        assert rounds < 10
        # Single-choice enums from capabilities; everything else from "the user".
        patch = {name: answers.get(name, enums.get(name, ["?", "?"])[1]) for name in missing}
        body = client.patch(f"/job-drafts/{job_id}", json=patch).json()
        assert set(body) == {"ok", "jobId", "status", "draftUrl", "validation"}
        missing = body["validation"]["missingFields"]
    assert rounds == 2  # paymentType=PAY_PER_HOUR brings pricePerHour in round two
    assert body["validation"]["publishReady"] is True
    assert client.post(f"/jobs/{job_id}/publish").json()["status"] == "OPEN"


# --- variants ------------------------------------------------------------------------


def _missing(api, *variants: str) -> dict:
    client = api(variants=frozenset(variants))
    return client.create("Help wanted, details to follow soon. Thanks a lot!")


def test_missing_objects_variant(api):
    validation = _missing(api, "missing-objects")["validation"]
    assert all(isinstance(m, dict) and m["field"] for m in validation["missingFields"])
    assert len(validation["missingFields"]) == validation["missingFieldCount"]


def test_missing_count_only_variant(api):
    body = _missing(api, "missing-count-only")
    assert body["validation"]["missingFields"] == []
    assert body["validation"]["missingFieldCount"] == 7
    assert len(body["missingFields"]) == 7


def test_field_codes_variant(api):
    codes = {m["field"]: m["code"] for m in _missing(api, "field-codes")["missingFields"]}
    assert codes["experienceLevel"] == "MISSING_EXPERIENCE_LEVEL"
    assert codes["dataVolumeUnit"] == "MISSING_DATA_VOLUME_UNIT"


def test_plain_prompts_variant(api):
    prompts = {m["field"]: m["prompt"] for m in _missing(api, "plain-prompts")["missingFields"]}
    assert prompts["experienceLevel"] == "What experience level should AI trainers have?"
    assert not any(p.startswith("ask:") or "(" in p for p in prompts.values())


def test_job_param_url_variant(api):
    body = _missing(api, "job-param-url")
    assert body["draftUrl"].endswith(f"/job-post?job={body['jobId']}")
    assert body["reviewUrl"] == body["draftUrl"]


def test_issues_array_variant(api):
    client = api(variants=frozenset({"issues-array"}))
    response = client.post("/job-drafts", json={"rawJobDescription": 5})
    body = assert_envelope(response, 400, "BAD_REQUEST")
    assert isinstance(body["details"], list)
    assert body["details"][0]["code"] == "invalid_type"


def test_no_hints_variant(api):
    for item in _missing(api, "no-hints")["missingFields"]:
        assert not {"hint", "example", "enumValues"} & set(item)
        assert item["type"] and item["prompt"]


def test_variants_combine_and_apply_to_minimal_patch_and_publish(api):
    client = api(minimal=True, variants=frozenset({"missing-objects", "field-codes"}))
    job_id = client.create()["jobId"]
    body = client.patch(f"/job-drafts/{job_id}", json={"headcount": 2}).json()
    [item] = body["validation"]["missingFields"]
    assert item["code"] == "MISSING_EXPERIENCE_LEVEL"
    refused = assert_envelope(client.post(f"/jobs/{job_id}/publish"), 400, "BAD_REQUEST")
    assert refused["details"]["validation"]["missingFields"][0]["field"] == "experienceLevel"


def test_unknown_variant_or_feature_is_refused(api):
    with pytest.raises(ValueError, match="variant"):
        api(variants=frozenset({"sideways"}))
    with pytest.raises(ValueError, match="feature"):
        api(disabled_features=frozenset({"hiring"}))
    with pytest.raises(ValueError, match="chaos"):
        api(chaos=1.5)
    assert len(VARIANTS) == 7


# --- chaos and latency ------------------------------------------------------------


def test_full_chaos_answers_503_with_retry_after_but_serves_the_schema(api):
    client = api(chaos=1.0)
    response = client.get("/auth/me")
    assert_envelope(response, 503, "SERVICE_UNAVAILABLE")
    assert response.headers["retry-after"] == "1"
    assert client.http.get("http://sandbox.test/openapi.json").status_code == 200


def test_chaos_is_seeded_and_never_answers_503_after_writing(api, tmp_path):
    db = tmp_path / "chaos.sqlite3"
    statuses = []
    for _ in range(2):
        client = api(chaos=0.4, seed=7, db_path=db)
        statuses.append(
            [client.post("/job-drafts", json={"rawJobDescription": "Label cats."}).status_code
             for _ in range(30)]
        )  # fmt: skip
    assert statuses[0] == statuses[1]
    assert set(statuses[0]) == {200, 503}
    created = sum(s.count(200) for s in statuses)
    calm = api(db_path=db)
    assert len(calm.get("/jobs/mine", params={"limit": 100}).json()["jobs"]) == created


def test_latency_delays_each_request(api):
    client = api(latency_ms=120)
    started = time.perf_counter()
    client.get("/auth/me")
    assert time.perf_counter() - started >= 0.12
