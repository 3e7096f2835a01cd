"""Auth (docs/api.md §1) and capabilities (§3.1)."""

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
    """The Update page documents 403 for another account's job; publish and
    close say 404 "No such job, or not yours"; the read route is ours (404)."""
    mine = api()
    theirs = mine.as_token(OTHER_TOKEN)
    job_id = mine.create()["jobId"]
    assert mine.get(f"/job-drafts/{job_id}").status_code == 200
    assert_envelope(theirs.get(f"/job-drafts/{job_id}"), 404, "NOT_FOUND")
    patched = theirs.patch(f"/job-drafts/{job_id}", json={"headcount": 3})
    body = assert_envelope(patched, 403, "FORBIDDEN")
    assert body["error"] == "The job belongs to another account."
    assert body["details"] == {"jobId": job_id}
    assert_envelope(theirs.post(f"/jobs/{job_id}/publish"), 404, "NOT_FOUND")
    assert_envelope(theirs.post(f"/jobs/{job_id}/close"), 404, "NOT_FOUND")
    assert theirs.get("/jobs/mine").json()["jobs"] == []
    assert [j["id"] for j in mine.get("/jobs/mine").json()["jobs"]] == [job_id]
    # Nothing of theirs reached my draft.
    assert mine.get(f"/job-drafts/{job_id}").json()["normalizedFields"].get("headcount") != 3


def test_patch_of_a_job_nobody_has_is_404(api):
    assert_envelope(api().patch("/job-drafts/jd_none", json={"headcount": 3}), 404, "NOT_FOUND")


def test_read_only_token_lacks_the_write_scope(api):
    writer = api()
    reader = writer.as_token("ot_pat_readonly1_secret")
    me = reader.get("/auth/me").json()
    assert me["token"]["scopes"] == ["jobs:read"]
    assert reader.get("/jobs/mine").status_code == 200
    response = reader.post("/job-drafts", json={"rawJobDescription": "x" * 40})
    body = assert_envelope(response, 403, "FORBIDDEN")
    assert body["details"]["requiredScope"] == "jobs:write"


@pytest.mark.parametrize("minimal", [False, True])
def test_auth_me_has_the_documented_shape(api, minimal):
    body = api(minimal=minimal).get("/auth/me").json()
    assert set(body) == {"actor", "token", "account"}
    assert set(body["actor"]) == {
        "userId", "email", "firstName", "lastName", "fullName", "userType",
    }  # fmt: skip
    assert set(body["token"]) == {"id", "label", "scopes", "ownerOrganizationId"}
    assert set(body["account"]) == {"kind", "organizationId", "ownerUserId", "memberRole"}
    assert body["token"]["id"] == "sandbox"
    assert body["token"]["scopes"] == ["jobs:read", "jobs:write"]
    actor = body["actor"]
    assert actor["fullName"] == f"{actor['firstName']} {actor['lastName']}"
    assert "@" in actor["email"]
    assert body["account"]["ownerUserId"] == actor["userId"]


def test_two_tokens_are_two_users(api):
    mine = api()
    theirs = mine.as_token(OTHER_TOKEN)
    assert (
        mine.get("/auth/me").json()["actor"]["userId"]
        != (theirs.get("/auth/me").json()["actor"]["userId"])
    )


def test_a_deleted_users_token_is_404_on_auth_me_and_401_elsewhere(api):
    gone = api(token="ot_pat_deleted1_secret")
    body = assert_envelope(gone.get("/auth/me"), 404, "NOT_FOUND")
    assert body["error"] == "The token's user no longer exists."
    body = assert_envelope(gone.get("/jobs/mine"), 401, "UNAUTHORIZED")
    assert body["error"] == "The token's user no longer exists."


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
    """Capabilities too: the docs say ``enabled`` is always true on a 200."""
    client = api(disabled_features=frozenset({"drafting"}))
    for response in (
        client.get("/job-drafts/capabilities"),
        client.post("/job-drafts", json={"rawJobDescription": "hello there"}),
        client.patch("/job-drafts/jd_x", json={"headcount": 2}),
        client.get("/job-drafts/jd_x"),
    ):
        body = assert_envelope(response, 403, "FORBIDDEN")
        assert body["details"] == {"featureKey": "public_api_job_drafting", "mode": "OFF"}


def test_disabled_publishing_answers_403_on_publish_only(api):
    client = api(disabled_features=frozenset({"publishing"}))
    capabilities = client.get("/job-drafts/capabilities").json()
    assert capabilities["capabilities"]["publish"] is False
    assert capabilities["enabled"] is True
    job_id = client.ready_draft()
    body = assert_envelope(client.post(f"/jobs/{job_id}/publish"), 403, "FORBIDDEN")
    assert body["details"] == {"featureKey": "public_api_job_publishing", "mode": "OFF"}
