"""The real ``jobdraft`` binary against a real ``jobdraft sandbox serve`` on loopback."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from tests.cli.answers import LONG_TEXT, assignments_for
from tests.cli.served import Served, run_jobdraft, serve

pytestmark = pytest.mark.slow

DESCRIPTION = (
    "Audio transcription project: we need 10 annotators to transcribe 300 hours of audio "
    "in English. Pay is $25/hour. " + LONG_TEXT
)


@pytest.fixture
def served() -> Iterator[Served]:
    with serve() as server:
        yield server


def create(server: Served, **kwargs: Any) -> str:
    result = run_jobdraft(server, "create", "-d", DESCRIPTION, "--json", **kwargs)
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["jobId"])


def to_ready(server: Served, job_id: str, **kwargs: Any) -> None:
    answer = json.loads(run_jobdraft(server, "show", job_id, "--json", **kwargs).stdout)
    for _ in range(6):
        if answer["validation"]["publishReady"]:
            return
        patched = run_jobdraft(
            server, "patch", job_id, *assignments_for(answer), "--json", **kwargs
        )
        assert patched.returncode == 0, patched.stderr
        answer = json.loads(run_jobdraft(server, "show", job_id, "--json", **kwargs).stdout)
    raise AssertionError(answer["validation"])


def test_full_loop_through_a_served_sandbox(served: Served) -> None:
    job_id = create(served)
    to_ready(served, job_id)
    published = run_jobdraft(served, "publish", job_id, "--yes", "--json")
    assert published.returncode == 0, published.stderr
    assert json.loads(published.stdout)["jobUrl"]
    listed = json.loads(run_jobdraft(served, "list", "--json").stdout)
    assert [(j["id"], j["status"]) for j in listed["jobs"]] == [(job_id, "OPEN")]


def test_minimal_mode_loop_without_read_route() -> None:
    with serve("--minimal") as server:
        job_id = create(server)
        # No read route: show still works (through the list and a no-op PATCH).
        shown = run_jobdraft(server, "show", job_id)
        assert shown.returncode == 0, shown.stderr
        assert "missing" in shown.stdout
        to_ready(server, job_id)
        assert run_jobdraft(server, "publish", job_id, "--yes").returncode == 0


def test_bad_token_is_exit_4(served: Served) -> None:
    result = run_jobdraft(served, "list", token="not-a-token")
    assert result.returncode == 4
    assert "auth" in result.stderr
    assert "not-a-token" not in result.stderr


def test_debug_trace_never_shows_the_token(served: Served) -> None:
    result = run_jobdraft(served, "--debug", "list")
    assert result.returncode == 0, result.stderr
    assert "GET " in result.stderr and "/jobs/mine" in result.stderr
    secret = served.token.split("_", 3)[3]
    assert secret not in result.stderr + result.stdout


def test_disabled_feature_is_exit_4_naming_it() -> None:
    with serve("--disable-feature", "publishing") as server:
        job_id = create(server)
        result = run_jobdraft(server, "publish", job_id, "--yes")
        assert result.returncode == 4, result.stderr
        assert "public_api_job_publishing" in result.stderr


def test_moderation_is_exit_4_with_reasons() -> None:
    with serve("--block-words", "casino") as server:
        text = DESCRIPTION + " Bonus: casino chips."
        result = run_jobdraft(server, "create", "-d", text, "--json")
        job_id = json.loads(result.stdout)["jobId"]
        to_ready(server, job_id)
        refused = run_jobdraft(server, "publish", job_id, "--yes")
        assert refused.returncode == 4, refused.stderr
        # Each reason on a line of its own.
        assert re.search(r"reasons:\n\s+- .*casino", refused.stderr), refused.stderr


def test_daily_publish_limit_is_exit_7(served: Served) -> None:
    for _ in range(3):
        job_id = create(served)
        to_ready(served, job_id)
        assert run_jobdraft(served, "publish", job_id, "--yes").returncode == 0
    job_id = create(served)
    to_ready(served, job_id)
    result = run_jobdraft(served, "publish", job_id, "--yes")
    assert result.returncode == 7, result.stderr
    assert "3 publishes per 24 hours" in result.stderr
    # The documented 429 has no Retry-After (so no "try again in ..." from
    # it); the sandbox's own words say how to lift the limit.
    assert "JOBDRAFT_SANDBOX_CLAIMED=1" in result.stderr


def test_a_service_that_always_fails_is_exit_6_after_retries() -> None:
    with serve("--chaos", "1.0", "--seed", "1") as server:
        result = run_jobdraft(server, "list")
        assert result.returncode == 6, result.stderr
        assert "retrying" in result.stderr


def test_chaos_is_survived_by_retries() -> None:
    with serve("--chaos", "0.3", "--seed", "7") as server:
        for _ in range(3):
            result = run_jobdraft(server, "list", "--json")
            assert result.returncode == 0, result.stderr


def test_nobody_listening_is_exit_6() -> None:
    result = run_jobdraft(
        None, "--base-url", "http://127.0.0.1:9", "list", env={"OT_API_TOKEN": "ot_pat_abc_def"}
    )
    assert result.returncode == 6
    assert "cannot reach" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_answer_we_do_not_know_is_exit_1_without_traceback() -> None:
    """A status outside the contract (418) is 'unexpected': exit 1, in words."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    def teapot(environ: dict[str, Any], start: Any) -> list[bytes]:
        start("418 I'm a teapot", [("Content-Type", "application/json")])
        return [b'{"error": "I am a teapot", "code": "TEAPOT", "requestId": "r-1"}']

    server = make_server("127.0.0.1", 0, teapot, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run_jobdraft(
            None,
            "--base-url",
            f"http://127.0.0.1:{server.server_port}",
            "list",
            env={"OT_API_TOKEN": "ot_pat_abc_def"},
        )
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == 1
    assert "I am a teapot" in result.stderr
    assert "Traceback" not in result.stderr


def test_auth_login_status_logout(served: Served, isolated_home: Any) -> None:
    from jobdraft import config

    origin = ["--base-url", served.origin]
    login = run_jobdraft(None, *origin, "auth", "login", input=served.token + "\n")
    assert login.returncode == 0, login.stderr
    path = config.credentials_path()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert json.loads(path.read_text())["apiToken"] == served.token
    secret = served.token.split("_", 3)[3]

    status = run_jobdraft(None, *origin, "auth", "status")
    assert status.returncode == 0, status.stderr
    assert str(path) in status.stdout
    assert "jobs:write" in status.stdout
    assert secret not in status.stdout + status.stderr

    # The environment wins over the file, and status says so.
    env_status = run_jobdraft(
        None, *origin, "auth", "status", env={"OPENTRAIN_API_TOKEN": "ot_pat_envacct_x1"}
    )
    assert "from OPENTRAIN_API_TOKEN" in env_status.stdout

    logout = run_jobdraft(None, "auth", "logout")
    assert logout.returncode == 0
    assert not path.exists()  # logout deletes the file, as the official CLI does
    after = run_jobdraft(None, *origin, "auth", "status")
    assert after.returncode == 4


def test_auth_login_refuses_a_token_the_server_refuses(served: Served, isolated_home: Any) -> None:
    from jobdraft import config

    result = run_jobdraft(None, "--base-url", served.origin, "auth", "login", input="garbage\n")
    assert result.returncode == 4
    assert not config.credentials_path().exists()


def test_a_server_that_says_nothing_is_exit_6_and_a_retried_create_makes_one_draft() -> None:
    with serve("--latency", "3000") as server:
        started = time.monotonic()
        result = run_jobdraft(server, "--timeout", "0.5", "create", "-d", DESCRIPTION)
        elapsed = time.monotonic() - started
        # The hint gives the key that gets the draft back without a duplicate.
        key = re.search(r"--idempotency-key (\S+)", result.stderr)
        assert key is not None, result.stderr
        again = run_jobdraft(
            server,
            "--timeout",
            "20",
            "create",
            "-d",
            DESCRIPTION,
            "--idempotency-key",
            key.group(1),
            "--json",
        )
        listed = run_jobdraft(server, "--timeout", "20", "list", "--json")
    assert result.returncode == 6, result.stderr
    assert "did not answer within 0.5 seconds" in result.stderr
    # A create carries its idempotency key, so it is sent again after a
    # timeout; the server makes one draft whatever the number of tries.
    assert "retrying" in result.stderr
    assert elapsed < 20
    assert again.returncode == 0, again.stderr
    jobs = json.loads(listed.stdout)["jobs"]
    assert [job["id"] for job in jobs] == [json.loads(again.stdout)["jobId"]]
