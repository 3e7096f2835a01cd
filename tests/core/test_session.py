"""The session layer against the in-process sandbox: caches, paging, the read fallback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from tests.cli.answers import LONG_TEXT

from jobdraft.cache import CAPABILITIES_FILE, Cache
from jobdraft.client import ApiClient
from jobdraft.errors import BadRequest, NotFound
from jobdraft.fields import read_assignments
from jobdraft.sandbox import SANDBOX_TOKEN
from jobdraft.sandbox.app import SandboxConfig, create_app
from jobdraft.session import Session

DESCRIPTION = "We need 10 annotators for 300 hours of audio in English at $25/hour. " + LONG_TEXT


def make_session(tmp_path: Path, **config: object) -> Session:
    app = create_app(SandboxConfig(**config))  # type: ignore[arg-type]
    client = ApiClient(
        "http://sandbox.test/api/public/v1",
        SANDBOX_TOKEN,
        transport=httpx.WSGITransport(app=app),
        sleep=lambda _s: None,
    )
    return Session(client, Cache(tmp_path / "cache"), "sandbox-test")


def test_capabilities_are_cached_for_a_day(tmp_path: Path) -> None:
    session = make_session(tmp_path)
    caps = session.capabilities()
    assert "jobTitle" in caps.update_keys
    path = tmp_path / "cache" / CAPABILITIES_FILE
    stored = json.loads(path.read_text())
    assert stored["sandbox-test"]["data"]["draft"]["updateKeys"] == list(caps.update_keys)
    # A day-old entry is not used: a fresh session fetches again and rewrites it.
    stored["sandbox-test"]["fetchedAt"] = time.time() - 25 * 3600
    stored["sandbox-test"]["data"]["draft"]["updateKeys"] = ["stale"]
    path.write_text(json.dumps(stored))
    assert "jobTitle" in make_session(tmp_path).capabilities().update_keys


def test_a_key_the_server_rejects_drops_stale_capabilities(tmp_path: Path) -> None:
    session = make_session(tmp_path)
    draft = session.create({"rawJobDescription": DESCRIPTION, "idempotencyKey": "k1"})
    # An older server's capabilities listed a key this one no longer has.
    raw = dict(session.capabilities().raw)
    raw["draft"] = dict(raw["draft"], updateKeys=[*raw["draft"]["updateKeys"], "retiredKey"])
    session.cache.store_capabilities("sandbox-test", raw)
    stale = make_session(tmp_path)
    body = read_assignments(["retiredKey=x"], stale.capabilities())
    with pytest.raises(BadRequest) as caught:
        stale.patch(draft.job_id, body)
    assert "retiredKey" in caught.value.field_errors
    fresh = make_session(tmp_path)
    assert "retiredKey" not in fresh.capabilities().update_keys


def test_list_follows_every_page(tmp_path: Path) -> None:
    session = make_session(tmp_path)
    made = [
        session.create({"rawJobDescription": DESCRIPTION, "idempotencyKey": f"k{i}"}).job_id
        for i in range(5)
    ]
    listed = [job.id for job in session.client.list_jobs(page_size=2)]
    assert listed == list(reversed(made))  # newest first, nothing lost across pages
    assert [e["id"] for e in session.cache.drafts()][:1] == [made[-1]]


def test_minimal_mode_load_uses_list_and_a_no_op_patch_keeping_rich_questions(
    tmp_path: Path,
) -> None:
    db = tmp_path / "sandbox.sqlite3"
    session = make_session(tmp_path, db_path=db, minimal=True)
    created = session.create({"rawJobDescription": DESCRIPTION, "idempotencyKey": "k"})
    before = {item.field: item for item in created.missing}
    assert before and all(item.type for item in before.values())
    loaded = make_session(tmp_path, db_path=db, minimal=True).load(created.job_id)
    assert set(loaded.raw) == {"ok", "jobId", "status", "draftUrl", "validation"}
    # Names only from the server, but the questions learned at create are kept.
    for item in loaded.missing:
        assert item.type == before[item.field].type
        assert item.question == before[item.field].question
    entry = session.cache.draft("sandbox-test", created.job_id)
    assert entry is not None and entry["title"] == created.title


def test_load_of_an_unknown_draft_is_not_found_in_both_modes(tmp_path: Path) -> None:
    for minimal in (False, True):
        with pytest.raises(NotFound):
            make_session(tmp_path, minimal=minimal).load("jd_nope")


def test_a_draft_without_read_route_or_title_is_said_to_exist(tmp_path: Path) -> None:
    """The sandbox always gives a title, so a server that lists one without it is faked here."""

    def server(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/jobs/mine"):
            jobs = [{"id": "jd_1", "title": None, "status": "DRAFT"}]
            return httpx.Response(200, json={"jobs": jobs, "nextCursor": None})
        return httpx.Response(404, json={"error": "Not found", "code": "NOT_FOUND"})

    client = ApiClient(
        "http://api.test/api/public/v1", SANDBOX_TOKEN, transport=httpx.MockTransport(server)
    )
    session = Session(client, Cache(tmp_path / "cache"), "api-test")
    with pytest.raises(NotFound) as caught:
        session.load("jd_1")
    assert "exists" in caught.value.message
    assert "patch jd_1 --set jobTitle=" in (caught.value.hint or "")
