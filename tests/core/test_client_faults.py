"""Faults the sandbox cannot make: dropped connections, HTML pages, cut bodies.

These use httpx.MockTransport as the server; everything on our side is real.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from jobdraft.client import ApiClient, EndlessListing, retry_after_seconds
from jobdraft.errors import (
    ApiError,
    AuthError,
    BadRequest,
    NetworkError,
    NotFound,
    NotReady,
    RateLimited,
    ServerError,
)

Handler = Callable[[httpx.Request], httpx.Response]


def make_client(
    handler: Handler, waits: list[float] | None = None, debug: list[str] | None = None
) -> ApiClient:
    return ApiClient(
        "https://api.test/api/public/v1",
        "ot_pat_pub_topsecret",
        transport=httpx.MockTransport(handler),
        sleep=(waits.append if waits is not None else lambda _s: None),
        debug=(debug.append if debug is not None else None),
    )


DRAFT = {
    "ok": True,
    "jobId": "j1",
    "status": "DRAFT",
    "validation": {"publishReady": True, "missingFieldCount": 0, "missingFields": [], "issues": []},
}


def test_html_502_page_is_a_server_error_not_a_traceback() -> None:
    client = make_client(lambda r: httpx.Response(502, html="<html><h1>Bad gateway</h1></html>"))
    with pytest.raises(ServerError) as caught:
        client.patch_draft("j1", {"jobTitle": "x"})
    assert caught.value.status == 502
    assert caught.value.exit_code == 6


def test_a_body_its_content_encoding_cannot_undo_is_a_server_error() -> None:
    """A proxy's page that claims gzip but is plain HTML: exit 6, not "unexpected error"."""

    def mangled(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            502, headers={"Content-Encoding": "gzip"}, content=b"<html>Bad gateway</html>"
        )

    with pytest.raises(ServerError, match="could not be decoded") as caught:
        make_client(mangled).patch_draft("j1", {"jobTitle": "x"})
    assert caught.value.exit_code == 6


def test_empty_and_cut_success_bodies_are_server_errors() -> None:
    with pytest.raises(ServerError, match="empty"):
        make_client(lambda r: httpx.Response(200, content=b"")).get_draft("j1")
    with pytest.raises(ServerError, match="not JSON"):
        make_client(lambda r: httpx.Response(200, content=b'{"ok": tr')).get_draft("j1")
    with pytest.raises(ServerError, match="not a JSON object"):
        make_client(lambda r: httpx.Response(200, json=[1, 2])).get_draft("j1")


def test_a_write_dropped_mid_exchange_is_not_retried() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )

    with pytest.raises(NetworkError, match="connection failed"):
        make_client(handler).patch_draft("j1", {"jobTitle": "x"})
    assert calls == ["PATCH"]


def test_a_read_dropped_mid_exchange_is_retried() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) < 3:
            raise httpx.ReadError("connection reset")
        return httpx.Response(200, json=DRAFT)

    assert make_client(handler).get_draft("j1").ready
    assert calls == ["GET", "GET", "GET"]


def test_a_write_that_never_connected_is_retried_with_the_same_body() -> None:
    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        if len(bodies) == 1:
            raise httpx.ConnectError("connection refused")
        return httpx.Response(200, json=DRAFT)

    make_client(handler).create_draft({"rawJobDescription": "x", "idempotencyKey": "k"})
    assert len(bodies) == 2 and bodies[0] == bodies[1]


def test_503_on_a_write_is_retried_honouring_retry_after() -> None:
    waits: list[float] = []
    answers = iter(
        [
            httpx.Response(503, headers={"Retry-After": "2"}, json={"error": "busy"}),
            httpx.Response(200, json=DRAFT),
        ]
    )
    make_client(lambda r: next(answers), waits).patch_draft("j1", {"jobTitle": "x"})
    assert waits == [2.0]


def test_502_on_a_write_is_not_retried_but_on_a_read_it_is() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(502, text="bad gateway")

    with pytest.raises(ServerError):
        make_client(handler).patch_draft("j1", {"a": 1})
    assert calls == ["PATCH"]
    calls.clear()
    with pytest.raises(ServerError):
        make_client(handler).get_draft("j1")
    assert calls == ["GET"] * 4  # one try and three retries


def test_a_write_is_not_retried_on_a_429_without_retry_after_but_a_read_is() -> None:
    """The daily publish limit comes without Retry-After: reported at once (issue 9)."""
    body = {
        "error": "Daily publish limit reached",
        "code": "RATE_LIMITED",
        "requestId": "r1",
        "details": {"limit": 3, "windowHours": 24},
    }
    waits: list[float] = []
    with pytest.raises(RateLimited) as caught:
        make_client(lambda r: httpx.Response(429, json=body), waits).publish("j1")
    assert caught.value.details == {"limit": 3, "windowHours": 24}
    assert caught.value.request_id == "r1"
    assert waits == []
    with pytest.raises(RateLimited):
        make_client(lambda r: httpx.Response(429, json=body), waits).get_draft("j1")
    assert len(waits) == 3
    assert all(0 < w <= 20 for w in waits)


@pytest.mark.parametrize("container", ["array", "object"])
def test_zod_issues_in_either_container_map_to_fields(container: str) -> None:
    issues = [
        {
            "code": "invalid_enum_value",
            "path": ["experienceLevel"],
            "message": "Invalid enum value",
            "options": ["EXPERT"],
            "received": "pro",
        },
        {"code": "unrecognized_keys", "path": [], "keys": ["bogus"], "message": "Unrecognized key"},
    ]
    details = issues if container == "array" else {"issues": issues}
    body = {"error": "Invalid body", "code": "BAD_REQUEST", "requestId": "r", "details": details}
    with pytest.raises(BadRequest) as caught:
        make_client(lambda r: httpx.Response(400, json=body)).patch_draft("j1", {"x": 1})
    assert caught.value.field_errors == {
        "experienceLevel": ["Invalid enum value"],
        "bogus": ["Unrecognized key"],
    }
    assert caught.value.exit_code == 3


def test_publish_not_ready_carries_the_validation() -> None:
    body = {
        "error": "Not ready",
        "code": "BAD_REQUEST",
        "details": {
            "validation": {
                "publishReady": False,
                "missingFieldCount": 1,
                "missingFields": ["headcount"],
                "issues": [],
            }
        },
    }
    with pytest.raises(NotReady) as caught:
        make_client(lambda r: httpx.Response(400, json=body)).publish("j1")
    assert caught.value.exit_code == 8


def test_debug_trace_redacts_the_token() -> None:
    lines: list[str] = []
    make_client(lambda r: httpx.Response(200, json=DRAFT), debug=lines).get_draft("j1")
    trace = "\n".join(lines)
    assert "GET https://api.test/api/public/v1/job-drafts/j1" in trace
    assert "topsecret" not in trace
    assert "Bearer <redacted>" in trace


def test_user_agent_and_auth_header() -> None:
    seen: dict[str, str] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.update(request.headers)
        return httpx.Response(200, json=DRAFT)

    make_client(handler).patch_draft("j1", {"jobTitle": "t"})
    assert seen["user-agent"].startswith("jobdraft/")
    assert seen["authorization"] == "Bearer ot_pat_pub_topsecret"
    assert seen["content-type"] == "application/json"


def test_a_repeated_cursor_ends_the_listing_after_the_jobs_read() -> None:
    page = {"jobs": [{"id": "a", "title": "A", "status": "DRAFT"}], "nextCursor": "c1"}
    jobs: list[str] = []
    with pytest.raises(EndlessListing, match="same page cursor") as caught:
        for job in make_client(lambda r: httpx.Response(200, json=page)).list_jobs():
            jobs.append(job.id)
    assert jobs == ["a", "a"]
    assert caught.value.exit_code == 6


def test_retry_after_forms() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("garbage") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_request_body_is_json() -> None:
    seen: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        return httpx.Response(200, json=DRAFT)

    make_client(handler).patch_draft("j1", {"headcount": 3})
    assert seen == [{"headcount": 3}]


def test_a_retry_after_longer_than_we_wait_fails_at_once() -> None:
    waits: list[float] = []
    body = {
        "error": "Daily publish limit reached",
        "code": "RATE_LIMITED",
        "details": {"limit": 3, "windowHours": 24},
    }
    answer = httpx.Response(429, headers={"Retry-After": "86400"}, json=body)
    with pytest.raises(RateLimited):
        make_client(lambda r: answer, waits).publish("j1")
    assert waits == []


def test_an_error_that_echoes_the_token_is_redacted() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        said = f"bad token {request.headers['authorization'].removeprefix('Bearer ')}"
        return httpx.Response(401, json={"ok": False, "error": said, "code": "UNAUTHORIZED"})

    with pytest.raises(AuthError) as caught:
        make_client(echo).get_draft("j1")
    assert "topsecret" not in str(caught.value)
    assert "topsecret" not in caught.value.message
    assert "<redacted>" in caught.value.message


def test_an_id_is_one_path_segment() -> None:
    seen: list[str] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(404, json={"ok": False, "error": "Not found"})

    with pytest.raises(NotFound):
        make_client(server).get_draft("../auth/me")
    with pytest.raises(NotFound):
        make_client(server).publish("a b/c?d")
    assert seen == [
        "/api/public/v1/job-drafts/..%2Fauth%2Fme",
        "/api/public/v1/jobs/a%20b%2Fc%3Fd/publish",
    ]


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b'{"n": ' + b"9" * 5000 + b"}", b"\xff\xfe{}"],
    ids=["nested-too-deep", "number-too-long", "not-utf8"],
)
def test_json_python_cannot_read_is_a_server_error(content: bytes) -> None:
    client = make_client(lambda r: httpx.Response(200, content=content))
    with pytest.raises(ServerError) as caught:
        client.get_draft("j1")
    assert caught.value.exit_code == 6


def test_a_redirect_names_where_and_points_at_the_base_url() -> None:
    def login_page(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "https://sso.example/login"})

    with pytest.raises(ApiError) as caught:
        make_client(login_page).get_draft("j1")
    assert "https://sso.example/login" in caught.value.message
    assert "--base-url" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("header", "words"),
    [("30", "in about 30 seconds"), ("600", "in about 10 minutes"), ("7200", "in about 2 hours")],
)
def test_a_rate_limit_says_when_to_try_again(header: str, words: str) -> None:
    def limited(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            429, headers={"Retry-After": header}, json={"error": "Daily publish limit reached."}
        )

    with pytest.raises(RateLimited) as caught:
        make_client(limited, waits=[]).publish("j1")
    assert caught.value.when() == words
    assert words in (caught.value.hint or "")
