"""Auth (contract §1) and capabilities (§3.1)."""

from __future__ import annotations

import pytest
from tests.sandbox.sandbox_helpers import OTHER_TOKEN, assert_envelope

from jobdraft.sandbox import rules

DOCUMENTED_KEYS = [
    "jobTitle", "jobDescription", "paymentType", "pricePerHour", "pricePerLabel", "fixedPrice",
    "experienceLevel", "dataVolumeUnit", "dataVolume", "headcount", "languages", "countries",
    "labelTypes",
]  # fmt: skip
EXTRA_KEYS = [
    "labelingOverview", "datasetDescription", "dataType", "subjectMatter", "labelingSoftware",
    "aiInterviewRequirements", "budgetRange", "workloadDesc", "timeRequirement",
    "projectDuration", "freelancerType", "projectScope", "visibility",
]  # fmt: skip


def test_missing_token_is_401_in_the_envelope(api):
    response = api(token=None).get("/jobs/mine")
    body = assert_envelope(response, 401, "UNAUTHORIZED")
    assert "token" in body["error"].lower()
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer ot_pat_",
        "Bearer ot_pat_abc",
        "Bearer ot_pat_abc_",
        "Bearer ot_clm_abc_secret",
        "Bearer ot_pat_a b_secret",
        "Basic ot_pat_abc_secret",
        "ot_pat_abc_secret",
    ],
)
def test_malformed_token_is_401(api, header):
    client = api(token=None)
    response = client.get("/auth/me", headers={"Authorization": header})
    assert_envelope(response, 401, "UNAUTHORIZED")


@pytest.mark.parametrize("public_id", ["expired", "revoked"])
def test_expired_and_revoked_tokens_are_401(api, public_id):
    response = api(token=f"ot_pat_{public_id}_whatever").get("/auth/me")
    body = assert_envelope(response, 401, "UNAUTHORIZED")
    assert public_id in body["error"]


def test_any_well_formed_token_is_its_own_account(api):
    mine = api()
    theirs = mine.as_token(OTHER_TOKEN)
    job_id = mine.create()["jobId"]
    assert mine.get(f"/job-drafts/{job_id}").status_code == 200
    assert_envelope(theirs.get(f"/job-drafts/{job_id}"), 404, "NOT_FOUND")
    assert_envelope(theirs.patch(f"/job-drafts/{job_id}", json={"headcount": 3}), 404, "NOT_FOUND")
    assert_envelope(theirs.post(f"/jobs/{job_id}/publish"), 404, "NOT_FOUND")
    assert_envelope(theirs.post(f"/jobs/{job_id}/close"), 404, "NOT_FOUND")
    assert theirs.get("/jobs/mine").json()["jobs"] == []
    assert [j["id"] for j in mine.get("/jobs/mine").json()["jobs"]] == [job_id]


def test_read_only_token_lacks_the_write_scope(api):
    writer = api()
    reader = writer.as_token("ot_pat_readonly1_secret")
    me = reader.get("/auth/me").json()
    assert me["token"]["scopes"] == ["jobs:read"]
    assert reader.get("/jobs/mine").status_code == 200
    response = reader.post("/job-drafts", json={"rawJobDescription": "x" * 40})
    body = assert_envelope(response, 403, "FORBIDDEN")
    assert body["details"]["requiredScope"] == "jobs:write"


def test_auth_me_describes_the_token(api):
    body = api().get("/auth/me").json()
    assert set(body) == {"actor", "token", "account"}
    assert body["token"]["id"] == "sandbox"
    assert body["token"]["scopes"] == ["jobs:read", "jobs:write"]
    assert body["account"]["claimed"] is False
    assert api(claimed=True).get("/auth/me").json()["account"]["claimed"] is True


def test_capabilities_lists_keys_and_enums(api):
    response = api().get("/job-drafts/capabilities")
    assert response.status_code == 200
    body = response.json()
    assert body["featureKey"] == "public_api_job_drafting"
    assert body["enabled"] is True
    assert body["capabilities"]["draftCreate"] is True
    assert body["capabilities"]["publish"] is True
    draft = body["draft"]
    assert draft["importFormats"] == [
        "text", "opentrain_canonical", "schema_org_job_posting", "indeed_xml", "hr_xml",
    ]  # fmt: skip
    assert draft["updateKeys"][: len(DOCUMENTED_KEYS)] == DOCUMENTED_KEYS
    assert set(EXTRA_KEYS) <= set(draft["updateKeys"])
    assert draft["enums"]["paymentType"] == ["PAY_PER_LABEL", "PAY_PER_HOUR", "FIXED_PRICE"]
    assert draft["enums"]["experienceLevel"] == [
        "EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL",
    ]  # fmt: skip
    assert draft["enums"]["dataVolumeUnit"] == [
        "HOURS_OF_RECORDING_AUDIO_VIDEO", "NUMBER_OF_FILES", "NUMBER_OF_WORDS",
        "UNKNOWN_NOT_SPECIFIED",
    ]  # fmt: skip
    types = draft["fieldTypes"]
    assert set(types) == set(draft["updateKeys"])
    assert types["headcount"] == types["dataVolume"] == "integer"
    assert types["pricePerHour"] == "number"
    assert types["jobDescription"] == "text"
    assert types["languages"] == types["labelTypes"] == "array"
    assert "boolean" in types.values()
    assert set(types.values()) == set(rules.FIELD_TYPES)


def test_disabled_drafting_answers_403_with_feature_details(api):
    client = api(disabled_features=frozenset({"drafting"}))
    capabilities = client.get("/job-drafts/capabilities").json()
    assert capabilities["enabled"] is False
    assert capabilities["capabilities"]["draftCreate"] is False
    for response in (
        client.post("/job-drafts", json={"rawJobDescription": "hello there"}),
        client.patch("/job-drafts/jd_x", json={"headcount": 2}),
        client.get("/job-drafts/jd_x"),
    ):
        body = assert_envelope(response, 403, "FORBIDDEN")
        assert body["details"] == {"featureKey": "public_api_job_drafting", "mode": "OFF"}


def test_disabled_publishing_answers_403_on_publish_only(api):
    client = api(disabled_features=frozenset({"publishing"}))
    assert client.get("/job-drafts/capabilities").json()["capabilities"]["publish"] is False
    job_id = client.ready_draft()
    body = assert_envelope(client.post(f"/jobs/{job_id}/publish"), 403, "FORBIDDEN")
    assert body["details"] == {"featureKey": "public_api_job_publishing", "mode": "OFF"}
