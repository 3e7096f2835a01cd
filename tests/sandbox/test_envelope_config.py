"""The error envelope and request ids (docs/api.md §2), routing, and config."""

from __future__ import annotations

import io
import re
import sqlite3
from pathlib import Path

import pytest
from tests.sandbox.sandbox_helpers import DESCRIPTION, assert_envelope

from jobdraft.sandbox import API_PREFIX, SANDBOX_TOKEN
from jobdraft.sandbox.app import (
    SERVE_ORIGIN,
    SandboxApp,
    SandboxConfig,
    config_from_env,
    default_db_path,
)
from jobdraft.sandbox.web import MAX_BODY_BYTES


def test_every_answer_has_a_fresh_request_id(api):
    client = api()
    ids = {client.get("/auth/me").headers["x-request-id"] for _ in range(5)}
    ids |= {client.get("/nowhere").json()["requestId"] for _ in range(5)}
    assert len(ids) == 10


def test_unknown_route_is_404_in_the_envelope(api):
    body = assert_envelope(api().get("/jobs/mine/extra"), 404, "NOT_FOUND")
    assert "No route" in body["error"]
    assert_envelope(api().http.get("http://sandbox.test/"), 404, "NOT_FOUND")


def test_wrong_method_is_405_with_allow(api):
    response = api().http.delete(f"http://sandbox.test{API_PREFIX}/jobs/mine")
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["allow"] == "GET"


def test_a_body_that_is_too_large_is_400_not_413_or_500(api):
    client = api()
    huge = b'{"rawJobDescription": "' + b"x" * MAX_BODY_BYTES + b'"}'
    response = client.post("/job-drafts", content=huge)
    body = assert_envelope(response, 400, "BAD_REQUEST")
    assert body["details"] == {"maxBytes": MAX_BODY_BYTES}


def test_a_body_without_content_length_is_bounded_too(api):
    """WSGI servers may hand over a body with no length (chunked upload)."""
    app = api().app
    statuses = []
    for size in (100, MAX_BODY_BYTES + 10):
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"{API_PREFIX}/job-drafts",
            "HTTP_AUTHORIZATION": f"Bearer {SANDBOX_TOKEN}",
            "wsgi.input": io.BytesIO(b'{"rawJobDescription": "' + b"y" * size + b'"}'),
            "wsgi.url_scheme": "http",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
        }
        app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    assert statuses == ["200 OK", "400 Bad Request"]


def test_deeply_nested_json_is_400_not_500(api):
    nested = b"[" * 100_000 + b"]" * 100_000
    response = api().post("/job-drafts", content=nested)
    assert_envelope(response, 400, "BAD_REQUEST")


def test_a_broken_store_is_a_500_in_the_envelope(api, tmp_path, capsys):
    db = tmp_path / "broken.sqlite3"
    client = api(db_path=db)
    logged: list[str] = []
    client.app.on_error = logged.append
    job_id = client.create()["jobId"]
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE jobs")
    conn.close()
    response = client.get(f"/job-drafts/{job_id}")
    body = assert_envelope(response, 500, "INTERNAL_ERROR")
    assert body["error"] == "Internal error in the sandbox."
    # One line for the log, with the request id; no traceback anywhere.
    assert len(logged) == 1
    assert re.fullmatch(
        rf"error {body['requestId']}: OperationalError: no such table: jobs \(store\.py:\d+\)",
        logged[0],
    )
    assert capsys.readouterr() == ("", "")


def test_data_persists_across_app_instances_on_one_file(api, tmp_path):
    db = tmp_path / "state.sqlite3"
    job_id = api(db_path=db).create()["jobId"]
    later = api(db_path=db)
    body = later.patch(f"/job-drafts/{job_id}", json={"experienceLevel": "EXPERT"}).json()
    assert body["validation"]["publishReady"] is True


def test_openapi_is_served_at_the_root_and_under_the_prefix(api):
    client = api()
    root = client.http.get("http://sandbox.test/openapi.json")
    prefixed = client.http.get(f"http://sandbox.test{API_PREFIX}/openapi.json")
    assert root.status_code == prefixed.status_code == 200
    assert root.json() == prefixed.json()
    assert root.json()["servers"] == [{"url": API_PREFIX}]


def test_default_db_path_follows_xdg_state_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert default_db_path() == tmp_path / "state" / "jobdraft" / "sandbox.sqlite3"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_db_path() == tmp_path / ".local" / "state" / "jobdraft" / "sandbox.sqlite3"


def test_config_from_env(monkeypatch, tmp_path):
    embedded = SandboxConfig(db_path=default_db_path(), page_origin=SERVE_ORIGIN)
    assert config_from_env() == embedded
    monkeypatch.setenv("JOBDRAFT_SANDBOX_MINIMAL", "1")
    monkeypatch.setenv("JOBDRAFT_SANDBOX_VARIANTS", "field-codes, no-hints")
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(tmp_path / "x.sqlite3"))
    monkeypatch.setenv("JOBDRAFT_SANDBOX_CHAOS", "0.25")
    monkeypatch.setenv("JOBDRAFT_SANDBOX_SEED", "3")
    assert config_from_env() == SandboxConfig(
        db_path=tmp_path / "x.sqlite3",
        minimal=True,
        variants=frozenset({"field-codes", "no-hints"}),
        chaos=0.25,
        seed=3,
        page_origin=SERVE_ORIGIN,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("JOBDRAFT_SANDBOX_CHAOS", "lots", "JOBDRAFT_SANDBOX_CHAOS must be a number"),
        ("JOBDRAFT_SANDBOX_SEED", "1.5", "JOBDRAFT_SANDBOX_SEED must be a number"),
        ("JOBDRAFT_SANDBOX_CHAOS", "2", "chaos must be between 0 and 1"),
        ("JOBDRAFT_SANDBOX_VARIANTS", "sideways", "unknown variant"),
    ],
)
def test_config_from_env_names_what_is_wrong(monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        config_from_env()


def test_embedded_default_store_is_created_under_the_state_folder(isolated_home):
    app = SandboxApp(config_from_env())
    try:
        assert Path(default_db_path()).is_file()
        assert str(default_db_path()).startswith(str(isolated_home))
    finally:
        app.close()


def test_the_package_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, jobdraft.sandbox as s; "
        "assert s.SANDBOX_TOKEN == 'ot_pat_sandbox_localdevsecret'; "
        "assert s.API_PREFIX == '/api/public/v1'; "
        "import jobdraft.sandbox.app; "
        "bad = [m for m in ('waitress', 'httpx', 'jobdraft.client', 'jobdraft.cli') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("mode", ["memory", "file"])
def test_create_is_the_same_from_memory_or_file(api, tmp_path, mode):
    db = tmp_path / "m.sqlite3" if mode == "file" else None
    body = api(db_path=db).create(DESCRIPTION)
    assert body["validation"]["missingFields"] == ["experienceLevel"]
