"""How the client builds and sends a request: TLS only where needed, what it
refuses to send, which writes it repeats after a timeout, compressed answers."""

from __future__ import annotations

import gzip
import json
import ssl
import zlib

import httpx
import pytest
from tests.hostile.server import Reply, hostile

from jobdraft.client import ApiClient, ssl_context_for
from jobdraft.errors import ConfigError, NetworkError, ServerError, UsageError

DRAFT = {
    "ok": True,
    "jobId": "j1",
    "status": "DRAFT",
    "validation": {"publishReady": True, "missingFieldCount": 0, "missingFields": [], "issues": []},
}


def test_only_an_https_api_gets_a_verifying_context_with_the_ca_bundle() -> None:
    assert ssl_context_for("https://app.opentrain.ai/api/public/v1") is True
    bare = ssl_context_for("http://127.0.0.1:8080/api/public/v1")
    assert isinstance(bare, ssl.SSLContext)
    # No CA loaded (nothing costly built), and still verifying: it fails closed.
    assert bare.cert_store_stats()["x509_ca"] == 0
    assert bare.verify_mode == ssl.CERT_REQUIRED
    assert bare.check_hostname


def test_a_base_url_with_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as caught:
        ApiClient("https://user:hunter2pw@app.example/api/public/v1", "ot_pat_a_bcdefghij")
    assert "hunter2pw" not in caught.value.message
    assert caught.value.exit_code == 2


def recording(calls: list[httpx.Request], *answers: httpx.Response | Exception) -> ApiClient:
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return ApiClient(
        "https://api.test/api/public/v1",
        "ot_pat_pub_topsecret",
        transport=httpx.MockTransport(handler),
        sleep=lambda _s: None,
    )


def test_a_value_that_is_not_json_is_refused_before_sending() -> None:
    calls: list[httpx.Request] = []
    client = recording(calls, httpx.Response(200, json=DRAFT))
    with pytest.raises(UsageError, match="NaN"):
        client.patch_draft("j1", {"rateAmount": float("nan")})
    assert calls == []


def test_a_timed_out_create_with_its_key_is_retried_with_the_same_body() -> None:
    calls: list[httpx.Request] = []
    client = recording(calls, httpx.ReadTimeout("slow"), httpx.Response(200, json=DRAFT))
    client.create_draft({"rawJobDescription": "x", "idempotencyKey": "k-1"})
    assert [json.loads(c.content) for c in calls] == [
        {"rawJobDescription": "x", "idempotencyKey": "k-1"}
    ] * 2


def test_a_timed_out_create_without_a_key_or_patch_is_not_retried() -> None:
    for send in (
        lambda c: c.create_draft({"rawJobDescription": "x"}),
        lambda c: c.patch_draft("j1", {"jobTitle": "x"}),
    ):
        calls: list[httpx.Request] = []
        with pytest.raises(NetworkError, match="did not answer"):
            send(recording(calls, httpx.ReadTimeout("slow")))
        assert len(calls) == 1


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw, without zlib's header
    ],
    ids=["gzip", "deflate", "raw-deflate"],
)
def test_compressed_answers_are_decoded(encoding: str, pack: object) -> None:
    body = pack(json.dumps(DRAFT).encode())  # type: ignore[operator]
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    with hostile() as server:
        server.on("GET", "/job-drafts/j1", Reply(body=body, headers=headers))
        with ApiClient(server.origin + "/api/public/v1", "ot_pat_a_bcdefghij") as client:
            assert client.get_draft("j1").job_id == "j1"
        assert server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


def test_an_encoding_we_did_not_ask_for_is_a_server_error() -> None:
    headers = {"Content-Type": "application/json", "Content-Encoding": "br"}
    with hostile() as server:
        server.on("GET", "/job-drafts/j1", Reply(body=b"\x1b\x00", headers=headers))
        client = ApiClient(server.origin + "/api/public/v1", "ot_pat_a_bcdefghij")
        with client, pytest.raises(ServerError, match="could not be decoded") as caught:
            client.get_draft("j1")
    assert caught.value.exit_code == 6
