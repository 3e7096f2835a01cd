"""``jobdraft sandbox serve`` over real HTTP: the documented answers (issue 9
part 3), nobody stuck at the daily limit (part 4), an inert access log and
idle connections that cannot starve other clients.

Loopback only; every loop is bounded.  Marked slow: each test starts a server.
"""

from __future__ import annotations

import socket
from contextlib import ExitStack

import httpx
import pytest
from tests.sandbox.sandbox_helpers import DESCRIPTION, READY_PATCH

from jobdraft.sandbox import SANDBOX_TOKEN

pytestmark = pytest.mark.slow

OTHER = "ot_pat_other_secret"


def client_for(base: str, token: str = SANDBOX_TOKEN) -> httpx.Client:
    return httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, trust_env=False, timeout=30
    )


def ready_draft(client: httpx.Client) -> str:
    job_id: str = client.post("/job-drafts", json={"rawJobDescription": DESCRIPTION}).json()[
        "jobId"
    ]
    assert client.patch(f"/job-drafts/{job_id}", json=READY_PATCH).status_code == 200
    return job_id


def test_the_served_sandbox_answers_as_the_docs(served):
    server = served("--memory", cli=True)
    with client_for(server.base) as mine, client_for(server.base, OTHER) as theirs:
        job_id = ready_draft(mine)
        patched = theirs.patch(f"/job-drafts/{job_id}", json={"headcount": 2})
        assert patched.status_code == 403
        assert patched.json()["code"] == "FORBIDDEN"
        assert patched.json()["error"] == "The job belongs to another account."
        for action in ("publish", "close"):
            assert theirs.post(f"/jobs/{job_id}/{action}").status_code == 404

        me = mine.get("/auth/me").json()
        assert set(me["actor"]) == {
            "userId", "email", "firstName", "lastName", "fullName", "userType",
        }  # fmt: skip
        assert set(me["token"]) == {"id", "label", "scopes", "ownerOrganizationId"}
        assert set(me["account"]) == {"kind", "organizationId", "ownerUserId", "memberRole"}
        with client_for(server.base, "ot_pat_deleted_secret") as gone:
            assert gone.get("/auth/me").status_code == 404

        canonical = {"title": "Label street scenes", "paymentType": "PAY_PER_LABEL",
                     "rateAmount": 0.05, "tools": ["CVAT"]}  # fmt: skip
        created = mine.post(
            "/job-drafts", json={"format": "opentrain_canonical", "job": canonical}
        ).json()
        assert created["normalizedFields"]["pricePerLabel"] == 0.05
        assert created["normalizedFields"]["labelingSoftware"] == "CVAT"

        capabilities = mine.get("/job-drafts/capabilities").json()
        assert capabilities["enabled"] is True

        spec = httpx.get(f"{server.base}/openapi.json", trust_env=False, timeout=30)
        assert spec.status_code == 200
        assert spec.json()["openapi"].startswith("3.")

        for _ in range(3):
            assert mine.post(f"/jobs/{ready_draft(mine)}/publish").status_code == 200
        limited = mine.post(f"/jobs/{ready_draft(mine)}/publish")
        assert limited.status_code == 429
        assert "retry-after" not in limited.headers
        body = limited.json()
        assert body["details"]["limit"] == 3 and body["details"]["windowHours"] == 24
        assert "JOBDRAFT_SANDBOX_CLAIMED=1" in body["error"]
        assert "sandbox reset --publish-count" in body["error"]


def test_the_served_capabilities_are_a_403_with_drafting_off(served):
    server = served("--memory", "--disable-feature", "drafting", cli=True)
    with client_for(server.base) as client:
        response = client.get("/job-drafts/capabilities")
    assert response.status_code == 403
    assert response.json()["details"] == {"featureKey": "public_api_job_drafting", "mode": "OFF"}


@pytest.mark.parametrize(
    ("flags", "env"),
    [(("--claimed",), {}), ((), {"JOBDRAFT_SANDBOX_CLAIMED": "1"})],
    ids=["flag", "env"],
)
def test_a_claimed_served_sandbox_publishes_past_3(served, flags, env):
    server = served("--memory", *flags, cli=True, env=env)
    server.wait_for_line(r"mode: claimed")
    with client_for(server.base) as client:
        for _ in range(4):
            assert client.post(f"/jobs/{ready_draft(client)}/publish").status_code == 200


def test_the_access_log_shows_escape_sequences_inert(served):
    server = served("--memory", cli=True)
    # Percent-encoded on the wire; PATH_INFO is decoded, so these are real
    # ESC, BEL and CSI bytes by the time the log line is made.
    hostile = "/api/public/v1/jobs/%1b]52;c;aGk=%07/publish%1b[2J%9b31m"
    with client_for(server.origin) as client:
        request_id = client.post(hostile).headers["x-request-id"]
    line = server.wait_for_line(request_id)
    controls = [c for c in line if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    assert controls == []
    assert "\\x1b]52;c;aGk=\\x07" in line
    assert "\\x1b[2J" in line


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def test_idle_and_half_open_connections_do_not_starve_other_clients(served):
    """150 idle sockets and 50 that stop mid-headers: more than waitress's
    default limit of 100, which made it stop accepting for two minutes."""
    server = served("--memory", cli=True)
    port = int(server.origin.rsplit(":", 1)[1])
    with ExitStack() as stack:
        idle = [stack.enter_context(_connect(port)) for _ in range(150)]
        for _ in range(50):
            half = stack.enter_context(_connect(port))
            half.sendall(b"GET /api/public/v1/auth/me HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        with client_for(server.base) as client:
            assert client.get("/auth/me").status_code == 200
        # And the server lets the idle ones go (channel timeout): the first
        # one reads end-of-file instead of waiting for ever.
        idle[0].settimeout(120)
        assert idle[0].recv(1) == b""
