"""Helpers of the sandbox tests (a module of its own: conftest is not importable).

``Api`` mounts a sandbox in-process through ``httpx.WSGITransport`` (the way
``jobdraft --sandbox`` does); ``start_served`` starts ``python -m
jobdraft.sandbox`` on a free loopback port, the way a user does.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from jobdraft.sandbox import API_PREFIX, SANDBOX_TOKEN
from jobdraft.sandbox.app import SandboxApp

OTHER_TOKEN = "ot_pat_other_secondaccount"
DESCRIPTION = (
    "Street scene labeling\n"
    "Need 10 annotators to draw bounding boxes on 50,000 images of city streets, "
    "$18/hour. English speakers only."
)
READY_PATCH: dict[str, Any] = {"experienceLevel": "INTERMEDIATE"}


class Api:
    """An httpx client on one sandbox app, with a token."""

    def __init__(self, app: SandboxApp, token: str | None = SANDBOX_TOKEN) -> None:
        self.app = app
        self.token = token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.http = httpx.Client(
            transport=httpx.WSGITransport(app=app),
            base_url=f"http://sandbox.test{API_PREFIX}",
            headers=headers,
        )

    def as_token(self, token: str | None) -> Api:
        other = Api(self.app, token)
        opened_clients.append(other)
        return other

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.patch(path, **kwargs)

    def create(self, text: str = DESCRIPTION, **extra: Any) -> dict[str, Any]:
        response = self.post("/job-drafts", json={"rawJobDescription": text, **extra})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def ready_draft(self, text: str = DESCRIPTION) -> str:
        """A draft with nothing missing; its id."""
        job_id: str = self.create(text)["jobId"]
        response = self.patch(f"/job-drafts/{job_id}", json=READY_PATCH)
        assert response.json()["validation"]["publishReady"], response.text
        return job_id

    def close(self) -> None:
        self.http.close()


opened_clients: list[Api] = []


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The contract's error envelope, with a request id matching the header."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    assert re.fullmatch(r"[0-9a-f]{32}", body["requestId"])
    assert response.headers["x-request-id"] == body["requestId"]
    return body


# --- a served instance ---------------------------------------------------------


@dataclass
class Served:
    origin: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    pump: threading.Thread | None = None

    @property
    def base(self) -> str:
        return self.origin + API_PREFIX

    def wait_for_line(self, pattern: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if re.search(pattern, line):
                    return line
            time.sleep(0.02)
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "".join(self.lines))

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        finally:
            self._drain()

    def _drain(self) -> None:
        """Let the reader thread see end-of-file, then close the pipe."""
        if self.pump is not None:
            self.pump.join(timeout=10)
        if self.process.stdout is not None and (self.pump is None or not self.pump.is_alive()):
            self.process.stdout.close()


def start_served(
    *flags: str, cwd: Path | None = None, cli: bool = False, env: dict[str, str] | None = None
) -> Served:
    """``python -m jobdraft.sandbox --port 0 FLAGS`` (with ``cli``, the user's
    own ``jobdraft sandbox serve``); stdout is read all along in a thread so
    the server never blocks on a full pipe."""
    command = (
        [str(Path(sys.executable).with_name("jobdraft")), "sandbox", "serve"]
        if cli
        else [sys.executable, "-m", "jobdraft.sandbox"]
    )
    process = subprocess.Popen(
        [*command, "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        cwd=cwd,
    )
    served = Served(origin="", process=process)

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            served.lines.append(line)

    served.pump = threading.Thread(target=pump, daemon=True)
    served.pump.start()
    try:
        line = served.wait_for_line(r"listening on http://", timeout=20)
    except AssertionError:
        process.kill()
        process.wait()
        raise
    match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
    assert match, line
    served.origin = match.group(1)
    return served
