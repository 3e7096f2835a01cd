"""Publish (docs/api.md §3.5), list (§3.6) and close."""

from __future__ import annotations

import pytest
from tests.sandbox.sandbox_helpers import OTHER_TOKEN, assert_envelope

SUMMARY_KEYS = {
    "id", "title", "status", "published", "acceptingApplicants", "createdAt", "updatedAt",
    "jobUrl", "proposalCounts",
}  # fmt: skip


def test_publishing_a_draft_that_is_not_ready_is_400_with_its_validation(api):
    client = api()
    job_id = client.create()["jobId"]
    body = assert_envelope(client.post(f"/jobs/{job_id}/publish"), 400, "BAD_REQUEST")
    validation = body["details"]["validation"]
    assert validation["publishReady"] is False
    assert validation["missingFields"] == ["experienceLevel"]
    assert validation["missingFieldCount"] == 1


def test_publish_then_publish_again(api):
    client = api()
    job_id = client.ready_draft()
    response = client.post(f"/jobs/{job_id}/publish")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["status"] == "OPEN"
    assert body["alreadyPublished"] is False
    assert body["jobUrl"] == f"http://sandbox.test/jobs/{job_id}"
    assert body["publishAttemptId"].startswith("pa_")
    assert body["warnings"] == []
    assert body["sideEffects"] == {"dispatched": True, "status": "queued"}
    again = client.post(f"/jobs/{job_id}/publish").json()
    assert again["alreadyPublished"] is True
    assert again["publishAttemptId"] == body["publishAttemptId"]
    assert again["status"] == "OPEN"


def test_moderation_blocks_listed_words(api):
    client = api(block_words=("crypto", "casino"))
    job_id = client.ready_draft()
    client.patch(f"/job-drafts/{job_id}", json={"jobTitle": "Label CRYPTO charts"})
    body = assert_envelope(client.post(f"/jobs/{job_id}/publish"), 403, "FORBIDDEN")
    assert body["details"]["reason"] == "moderation_blocked"
    assert body["details"]["reasons"] == ["Blocked term 'crypto' in jobTitle."]
    # Whole words only: "cryptography" is fine.
    client.patch(f"/job-drafts/{job_id}", json={"jobTitle": "Label cryptography papers"})
    assert client.post(f"/jobs/{job_id}/publish").status_code == 200


def test_daily_limit_is_3_then_429(api):
    client = api()
    for _ in range(3):
        assert client.post(f"/jobs/{client.ready_draft()}/publish").status_code == 200
    job_id = client.ready_draft()
    response = client.post(f"/jobs/{job_id}/publish")
    body = assert_envelope(response, 429, "RATE_LIMITED")
    assert {k: body["details"][k] for k in ("limit", "windowHours")} == {
        "limit": 3, "windowHours": 24,
    }  # fmt: skip
    # As the docs: no Retry-After (a day-long wait is no retry hint).
    assert "retry-after" not in response.headers
    # Nobody is stuck in the sandbox: the answer says how to lift the limit.
    assert "JOBDRAFT_SANDBOX_CLAIMED=1" in body["error"]
    assert "jobdraft sandbox serve --claimed" in body["error"]
    assert "jobdraft sandbox reset --publish-count" in body["error"]
    assert body["details"]["sandbox"]["claimed"] is False
    assert len(body["details"]["sandbox"]["toLift"]) == 2
    # The refused draft is still a draft, and other accounts have their own quota.
    assert client.get(f"/job-drafts/{job_id}").json()["status"] == "DRAFT"
    other = client.as_token(OTHER_TOKEN)
    assert other.post(f"/jobs/{other.ready_draft()}/publish").status_code == 200


def test_claimed_accounts_may_publish_20_a_day(api):
    client = api(claimed=True)
    for _ in range(20):
        assert client.post(f"/jobs/{client.ready_draft()}/publish").status_code == 200
    response = client.post(f"/jobs/{client.ready_draft()}/publish")
    body = assert_envelope(response, 429, "RATE_LIMITED")
    assert body["details"]["limit"] == 20
    # Already claimed: only the reset is left to suggest.
    assert "CLAIMED" not in body["error"]
    assert "jobdraft sandbox reset --publish-count" in body["error"]


def test_minimal_daily_limit_details_are_exactly_the_documented_ones(api):
    client = api(minimal=True)
    for _ in range(3):
        assert client.post(f"/jobs/{client.ready_draft()}/publish").status_code == 200
    response = client.post(f"/jobs/{client.ready_draft()}/publish")
    body = assert_envelope(response, 429, "RATE_LIMITED")
    assert body["details"] == {"limit": 3, "windowHours": 24}
    assert "retry-after" not in response.headers
    assert "sandbox reset" in body["error"]  # the words still say how


def test_publish_of_an_unknown_job_is_404(api):
    assert_envelope(api().post("/jobs/jd_missing/publish"), 404, "NOT_FOUND")


def test_close_archives_and_then_nothing_more_can_happen(api):
    client = api()
    job_id = client.ready_draft()
    client.post(f"/jobs/{job_id}/publish")
    body = client.post(f"/jobs/{job_id}/close").json()
    assert body == {"ok": True, "jobId": job_id, "status": "ARCHIVED", "alreadyClosed": False}
    assert client.post(f"/jobs/{job_id}/close").json()["alreadyClosed"] is True
    [summary] = client.get("/jobs/mine").json()["jobs"]
    assert summary["status"] == "ARCHIVED"
    assert summary["published"] is True
    assert summary["acceptingApplicants"] is False


def test_a_closed_draft_cannot_be_published_or_patched(api):
    client = api()
    job_id = client.ready_draft()
    client.post(f"/jobs/{job_id}/close")
    body = assert_envelope(client.post(f"/jobs/{job_id}/publish"), 409, "CONFLICT")
    assert body["details"] == {"status": "ARCHIVED"}
    assert_envelope(client.patch(f"/job-drafts/{job_id}", json={"headcount": 2}), 409, "CONFLICT")


def test_close_of_an_unknown_job_is_404(api):
    assert_envelope(api().post("/jobs/jd_missing/close"), 404, "NOT_FOUND")


def test_jobs_mine_lists_newest_first_with_the_documented_keys(api):
    client = api()
    first = client.create()["jobId"]
    second = client.ready_draft()
    client.post(f"/jobs/{second}/publish")
    body = client.get("/jobs/mine").json()
    assert body["nextCursor"] is None
    assert [j["id"] for j in body["jobs"]] == [second, first]
    for job in body["jobs"]:
        assert set(job) == SUMMARY_KEYS
        assert job["proposalCounts"] == {"total": 0, "unreviewed": 0}
        assert job["createdAt"].endswith("Z")
    opened, draft = body["jobs"]
    assert opened["status"] == "OPEN" and opened["published"] and opened["acceptingApplicants"]
    assert opened["jobUrl"].endswith(f"/jobs/{second}")
    assert draft["status"] == "DRAFT" and not draft["published"] and draft["jobUrl"] is None
    assert draft["title"] == "Street scene labeling"


def test_jobs_mine_filters_by_status(api):
    client = api()
    draft = client.create()["jobId"]
    opened = client.ready_draft()
    client.post(f"/jobs/{opened}/publish")
    assert [j["id"] for j in client.get("/jobs/mine?status=DRAFT").json()["jobs"]] == [draft]
    assert [j["id"] for j in client.get("/jobs/mine?status=OPEN").json()["jobs"]] == [opened]
    assert client.get("/jobs/mine?status=COMPLETED").json()["jobs"] == []


def test_jobs_mine_pages_with_limit_and_cursor(api):
    client = api()
    made = [client.create(f"Draft number {i}, labeling images.")["jobId"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get("/jobs/mine", params=params).json()
        seen += [j["id"] for j in body["jobs"]]
        pages += 1
        cursor = body["nextCursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == made[::-1]
    assert len(client.get("/jobs/mine").json()["jobs"]) == 7


def test_jobs_mine_rejects_an_unknown_status(api):
    body = assert_envelope(api().get("/jobs/mine?status=LIVE"), 400, "BAD_REQUEST")
    assert body["details"]["supportedStatuses"] == [
        "DRAFT", "OPEN", "ONGOING", "COMPLETED", "ARCHIVED", "PENDING_APPROVAL",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "code"),
    [("limit=0", "too_small"), ("limit=101", "too_big"), ("limit=ten", "invalid_type"),
     ("cursor=%%%", "custom"), ("cursor=c2VxOng", "custom")],
)  # fmt: skip
def test_jobs_mine_rejects_bad_limits_and_cursors(api, query, code):
    body = assert_envelope(api().get(f"/jobs/mine?{query}"), 400, "BAD_REQUEST")
    [issue] = body["details"]["issues"]
    assert issue["code"] == code
    assert issue["path"] == [query.split("=")[0]]
