"""The sandbox as a real server: waitress on a free loopback port.

Everything here talks to 127.0.0.1 only.  Process-level tests are marked slow.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from jobdraft.sandbox import SANDBOX_TOKEN
from jobdraft.sandbox.app import SandboxApp, SandboxConfig
from jobdraft.sandbox.server import is_loopback, serve

CURL = "/usr/bin/curl"
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def loopback_env() -> dict[str, str]:
    """The environment without proxies, so nothing leaves the machine."""
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    return env


def client_for(base: str, token: str = SANDBOX_TOKEN) -> httpx.Client:
    return httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, trust_env=False, timeout=20
    )


# --- in-process checks of serve() that bind nothing ------------------------------------


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("192.168.1.10", False), ("example.com", False)],
)  # fmt: skip
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_a_non_loopback_host_needs_allow_remote():
    lines: list[str] = []
    with pytest.raises(ValueError, match="--allow-remote"):
        serve(SandboxConfig(), "0.0.0.0", 0, echo=lines.append)
    assert lines == []


def test_allow_remote_warns_before_binding():
    """192.0.2.1 (TEST-NET-1) is never a local address: the bind fails, no traffic."""
    lines: list[str] = []
    with pytest.raises(OSError, match=r"cannot listen on 192\.0\.2\.1"):
        serve(SandboxConfig(), "192.0.2.1", 0, allow_remote=True, echo=lines.append)
    assert lines and lines[0].startswith("WARNING: listening on 192.0.2.1")


def test_a_port_in_use_is_an_oserror():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}") as caught:
            serve(SandboxConfig(), "127.0.0.1", port, echo=lambda line: None)
    assert caught.value.errno == errno.EADDRINUSE
    assert caught.value.strerror == os.strerror(errno.EADDRINUSE)


# --- real servers -------------------------------------------------------------------


@pytest.mark.slow
def test_serve_prints_origin_and_token_then_one_line_per_request(served):
    server = served("--memory")
    assert server.wait_for_line(r"^token: ot_pat_sandbox_localdevsecret ")
    with client_for(server.base) as client:
        response = client.get("/jobs/mine?limit=5")
        assert response.status_code == 200
        request_id = response.headers["x-request-id"]
        line = server.wait_for_line(request_id)
        assert re.fullmatch(
            rf"GET /api/public/v1/jobs/mine\?limit=5 200 \d+\.\dms {request_id}\n", line
        )
        missing = client.get("/job-drafts/jd_nope")
        server.wait_for_line(rf"GET /api/public/v1/job-drafts/jd_nope 404 .* "
                             rf"{missing.headers['x-request-id']}")  # fmt: skip


@pytest.mark.slow
def test_a_burst_of_requests_logs_one_line_each_and_no_waitress_noise(served):
    server = served("--memory")
    total = 120

    def call(i: int) -> int:
        with client_for(server.base) as client:
            return client.post("/job-drafts", json={"rawJobDescription": f"Job {i}"}).status_code

    with ThreadPoolExecutor(max_workers=24) as pool:
        assert set(pool.map(call, range(total))) == {200}
    server.wait_for_line(r"POST .*")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        posts = [line for line in server.lines if line.startswith("POST ")]
        if len(posts) == total:
            break
        time.sleep(0.05)
    assert len(posts) == total
    assert not [line for line in server.lines if "queue depth" in line.lower()]
    assert not [line for line in server.lines if line.startswith(("WARNING", "Traceback"))]


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_the_server_stops_cleanly_on_sigterm_and_ctrl_c(served, sig):
    server = served("--memory")
    with client_for(server.base) as client:
        assert client.get("/auth/me").status_code == 200
    assert server.stop(sig) == 0
    assert server.lines[-1] == "jobdraft sandbox stopped.\n"
    assert not [line for line in server.lines if "Traceback" in line]


@pytest.mark.slow
def test_python_m_reports_a_port_in_use(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "jobdraft.sandbox", "--memory", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


@pytest.mark.slow
def test_the_documented_flow_with_plain_curl(served):
    """Create from text, patch the gaps, publish, list: the docs' own example."""
    server = served("--memory")
    auth = f"Authorization: Bearer {SANDBOX_TOKEN}"

    def curl(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        args = [CURL, "-sS", "--noproxy", "*", "-X", method, "-H", auth,
                "-w", "\n%{http_code}", server.base + path]  # fmt: skip
        if body is not None:
            args += ["-H", "Content-Type: application/json", "-d", json.dumps(body)]
        out = subprocess.run(args, capture_output=True, text=True, timeout=30, check=True)
        text, _, status = out.stdout.rpartition("\n")
        return int(status), json.loads(text)

    status, draft = curl(
        "POST",
        "/job-drafts",
        {"rawJobDescription": "Need 10 annotators for bounding boxes on 50,000 images, "
                              "$18/hour. English speakers."},
    )  # fmt: skip
    assert status == 200
    job_id = draft["jobId"]
    assert draft["validation"]["missingFields"] == ["experienceLevel"]
    assert draft["normalizedFields"]["pricePerHour"] == 18

    gaps = {m["field"]: m["example"] for m in draft["missingFields"]}
    status, patched = curl("PATCH", f"/job-drafts/{job_id}", gaps)
    assert status == 200
    assert patched["validation"]["publishReady"] is True

    status, published = curl("POST", f"/jobs/{job_id}/publish")
    assert status == 200
    assert published["status"] == "OPEN" and published["alreadyPublished"] is False

    status, listing = curl("GET", "/jobs/mine?status=OPEN")
    assert status == 200
    assert [job["id"] for job in listing["jobs"]] == [job_id]
    assert listing["jobs"][0]["published"] is True

    status, error = curl("POST", f"/jobs/{job_id}/close")
    assert status == 200 and error["status"] == "ARCHIVED"


@pytest.mark.slow
def test_sigkill_during_writes_keeps_every_acknowledged_write(served, tmp_path):
    db = tmp_path / "crash.sqlite3"
    server = served("--db", str(db))
    acknowledged: list[str] = []
    stop = threading.Event()

    def writer(n: int) -> None:
        with client_for(server.base) as client:
            i = 0
            while not stop.is_set():
                i += 1
                try:
                    response = client.post(
                        "/job-drafts", json={"rawJobDescription": f"Writer {n} job {i}."}
                    )
                except httpx.HTTPError:
                    return  # the server died under us: that write was never acknowledged
                if response.status_code == 200:
                    acknowledged.append(response.json()["jobId"])

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.process.send_signal(signal.SIGKILL)  # mid-write, with requests in flight
    server.process.wait(timeout=10)
    stop.set()
    for thread in threads:
        thread.join(timeout=20)
    assert len(acknowledged) >= 200

    app = SandboxApp(SandboxConfig(db_path=db))
    try:
        with app.store.read() as tx:
            for job_id in acknowledged:
                assert tx.get(_account_of(SANDBOX_TOKEN), job_id) is not None, job_id
            check = tx._conn.execute("PRAGMA integrity_check").fetchone()[0]
        assert check == "ok"
    finally:
        app.close()


def _account_of(token: str) -> str:
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()[:32]


@pytest.mark.slow
def test_ctrl_c_stops_a_server_started_with_sigint_ignored():
    """A background job of a non-interactive shell inherits SIGINT ignored (CI does this)."""
    command = f"trap '' INT; exec {sys.executable} -m jobdraft.sandbox --port 0 --memory"
    process = subprocess.Popen(
        ["bash", "-c", command],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        assert "listening on" in process.stdout.readline()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
