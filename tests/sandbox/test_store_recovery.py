"""A damaged store: ``sandbox reset`` recovers from it, and a damaged row is a
clear 500 with no traceback on the user's terminal."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import httpx
import pytest
from tests.sandbox.sandbox_helpers import DESCRIPTION, assert_envelope

from jobdraft.sandbox import SANDBOX_TOKEN
from jobdraft.sandbox.app import default_db_path
from jobdraft.sandbox.store import APPLICATION_ID, Store, reset

GARBAGE = b"garbage\n"
# The patch that makes DESCRIPTION's draft ready, as the CLI takes it.
READY_SET = ("--set", "experienceLevel=INTERMEDIATE")


def _create(sandbox_run) -> str:
    result = sandbox_run("create", "-d", DESCRIPTION, "--json")
    assert result.exit_code == 0, result.output
    job_id: str = json.loads(result.stdout)["jobId"]
    return job_id


def _damage(db: Path, column: str = "fields", value: str = "{bad") -> None:
    with sqlite3.connect(db) as conn:
        conn.execute(f"UPDATE jobs SET {column} = ?", (value,))
    conn.close()


# --- sandbox reset -------------------------------------------------------------------


def test_reset_moves_a_file_that_is_not_a_database_aside(run, sandbox_run):
    db = default_db_path()
    db.parent.mkdir(parents=True)
    db.write_bytes(GARBAGE)
    Path(f"{db}-wal").write_bytes(b"wal garbage")
    Path(f"{db}-shm").write_bytes(b"shm garbage")
    refused = sandbox_run("list")
    assert refused.exit_code == 2
    assert "sandbox reset" in refused.stderr

    result = run("sandbox", "reset")
    assert result.exit_code == 0, result.output
    aside = db.with_name(db.name + ".corrupt")
    assert f"moved it aside to {aside}" in result.stderr
    assert result.stdout == f"Emptied {db}.\n"
    # Nothing is deleted: the file and its companions keep their bytes, side by side.
    assert aside.read_bytes() == GARBAGE
    assert Path(f"{aside}-wal").read_bytes() == b"wal garbage"
    assert Path(f"{aside}-shm").read_bytes() == b"shm garbage"

    after = sandbox_run("list")
    assert after.exit_code == 0, after.output
    assert "No jobs" in after.output


def test_reset_never_overwrites_a_file_moved_aside_earlier(run):
    db = default_db_path()
    db.parent.mkdir(parents=True)
    for content in (b"first", b"second"):
        db.write_bytes(content)
        assert run("sandbox", "reset").exit_code == 0
    assert db.with_name(db.name + ".corrupt").read_bytes() == b"first"
    assert db.with_name(db.name + ".corrupt.2").read_bytes() == b"second"


def _filled_store(db: Path) -> None:
    """A sandbox store with a few pages of data."""
    store = Store(db)
    with store.write() as tx:
        for n in range(40):
            tx.record_publish("x" * 1000, float(n))
    store.close()


def test_reset_moves_a_corrupt_store_of_ours_aside(tmp_path):
    db = tmp_path / "corrupt.sqlite3"
    _filled_store(db)
    data = db.read_bytes()
    db.write_bytes(data[:100] + b"\xff" * 8000 + data[8100:])  # our header, bad pages
    assert reset(db) == db.with_name(db.name + ".corrupt")
    Store(db).close()  # an empty, usable store now


def test_reset_moves_a_store_of_ours_of_a_newer_schema_aside(tmp_path):
    db = tmp_path / "future.sqlite3"
    Store(db).close()
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    assert reset(db) == db.with_name(db.name + ".corrupt")
    Store(db).close()


# --- files that are not ours (issue: reset must never touch them) ----------------------


def _foreign_sqlite(db: Path) -> bytes:
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()
    return db.read_bytes()


def test_reset_refuses_a_non_sqlite_file_named_by_the_variable(run, tmp_path, monkeypatch):
    precious = tmp_path / "thesis.txt"
    precious.write_bytes(b"years of work\n")
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(precious))
    result = run("sandbox", "reset")
    assert result.exit_code == 2
    assert "refusing to reset" in result.stderr
    assert "not a jobdraft sandbox store" in result.stderr
    assert "Traceback" not in result.output
    assert precious.read_bytes() == b"years of work\n"
    assert sorted(p.name for p in tmp_path.glob("thesis*")) == ["thesis.txt"]


@pytest.mark.parametrize("flags", [(), ("--publish-count",)])
def test_reset_refuses_an_sqlite_file_of_something_else(run, tmp_path, monkeypatch, flags):
    other = tmp_path / "other-app.sqlite3"
    before = _foreign_sqlite(other)
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(other))
    result = run("sandbox", "reset", *flags)
    assert result.exit_code == 2
    assert "not a jobdraft sandbox store" in result.stderr
    assert other.read_bytes() == before  # not a byte changed: no table, no WAL mode
    assert sorted(p.name for p in tmp_path.glob("other-app*")) == ["other-app.sqlite3"]


def test_the_embedded_sandbox_refuses_an_sqlite_file_of_something_else(
    sandbox_run, tmp_path, monkeypatch
):
    other = tmp_path / "other-app.sqlite3"
    before = _foreign_sqlite(other)
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(other))
    result = sandbox_run("list")
    assert result.exit_code == 2
    assert "not a jobdraft sandbox store" in result.stderr
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.glob("other-app*")) == ["other-app.sqlite3"]


def test_a_store_made_before_the_mark_is_still_ours(tmp_path):
    """Stores of earlier versions carry no application id; their schema says."""
    db = tmp_path / "old.sqlite3"
    store = Store(db)
    with store.write() as tx:
        tx.record_publish("acct", 1.0)
        tx._conn.execute("PRAGMA application_id = 0")
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == 0
    conn.close()
    assert reset(db) is None
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM publishes").fetchone()[0] == 0
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_a_named_damaged_file_with_our_mark_is_moved_aside(run, tmp_path, monkeypatch):
    db = tmp_path / "mine.sqlite3"
    _filled_store(db)
    data = db.read_bytes()
    db.write_bytes(data[:100] + b"\xff" * 8000 + data[8100:])
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(db))
    result = run("sandbox", "reset")
    assert result.exit_code == 0, result.output
    assert db.with_name(db.name + ".corrupt").exists()


# --- reset --publish-count -------------------------------------------------------------


def test_reset_publish_count_lifts_the_daily_limit_and_keeps_drafts(run, sandbox_run, monkeypatch):
    published = []
    for _ in range(3):
        job_id = _create(sandbox_run)
        assert sandbox_run("patch", job_id, *READY_SET).exit_code == 0
        result = sandbox_run("publish", job_id, "--yes")
        assert result.exit_code == 0, result.output
        published.append(job_id)
    waiting = _create(sandbox_run)
    assert sandbox_run("patch", waiting, *READY_SET).exit_code == 0
    refused = sandbox_run("publish", waiting, "--yes")
    assert refused.exit_code == 7, refused.output

    result = run("sandbox", "reset", "--publish-count")
    assert result.exit_code == 0, result.output
    assert "Cleared the publish count" in result.stdout
    assert sandbox_run("publish", waiting, "--yes").exit_code == 0
    for job_id in published:  # the drafts and jobs are all still there
        assert sandbox_run("show", job_id).exit_code == 0


def test_the_embedded_sandbox_can_be_claimed(sandbox_run, monkeypatch):
    monkeypatch.setenv("JOBDRAFT_SANDBOX_CLAIMED", "1")
    for _ in range(4):
        job_id = _create(sandbox_run)
        assert sandbox_run("patch", job_id, *READY_SET).exit_code == 0
        result = sandbox_run("publish", job_id, "--yes")
        assert result.exit_code == 0, result.output


def test_reset_of_a_good_store_moves_nothing(api, tmp_path):
    db = tmp_path / "good.sqlite3"
    api(db_path=db).create()
    assert reset(db) is None
    assert sorted(p.name for p in tmp_path.iterdir() if "corrupt" in p.name) == []


def test_reset_of_a_path_it_cannot_open_moves_nothing(run, tmp_path, monkeypatch):
    folder = tmp_path / "a-folder.sqlite3"
    folder.mkdir()
    monkeypatch.setenv("JOBDRAFT_SANDBOX_DB", str(folder))
    result = run("sandbox", "reset")
    assert result.exit_code == 2
    assert "cannot empty the sandbox store" in result.stderr
    assert folder.is_dir()
    assert not list(tmp_path.glob("*corrupt*"))


def test_reset_works_whatever_the_other_sandbox_variables_say(run, sandbox_run, monkeypatch):
    job_id = _create(sandbox_run)
    monkeypatch.setenv("JOBDRAFT_SANDBOX_CHAOS", "nan")
    result = run("sandbox", "reset")
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("JOBDRAFT_SANDBOX_CHAOS")
    assert sandbox_run("show", job_id).exit_code == 5


# --- a damaged row -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("fields", "{bad"), ("fields", "[1, 2]"), ("extra", "not json"), ("extra", '"text"')],
)
def test_a_damaged_row_is_a_clear_500_without_traceback(sandbox_run, column, value):
    job_id = _create(sandbox_run)
    _damage(default_db_path(), column, value)
    for args in (["show", job_id], ["patch", job_id, "--set", "headcount=3"], ["list"]):
        result = sandbox_run(*args)
        assert result.exit_code == 6, (args, result.output)
        assert "Traceback" not in result.output
        assert f"job {job_id}: its {column} column is not a JSON object" in result.stderr
        assert "sandbox reset" in result.stderr


def test_an_unexpected_error_prints_nothing_in_embedded_mode(sandbox_run):
    _create(sandbox_run)
    _damage(default_db_path(), "created_at", "not a time")  # the list cannot show it
    result = sandbox_run("list")
    assert result.exit_code == 6
    # The client's own report, and nothing from the sandbox before it.
    assert result.stderr.startswith("Error: Internal error in the sandbox.")
    assert "Traceback" not in result.output


def test_an_app_without_an_error_log_prints_nothing(api, tmp_path, capsys):
    """As ``jobdraft --sandbox`` mounts it: the 500 says enough."""
    db = tmp_path / "broken.sqlite3"
    client = api(db_path=db)
    job_id = client.create()["jobId"]
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE jobs")
    conn.close()
    assert_envelope(client.get(f"/job-drafts/{job_id}"), 500, "INTERNAL_ERROR")
    assert capsys.readouterr() == ("", "")


def test_the_app_reports_a_damaged_row_in_one_line(api, tmp_path):
    db = tmp_path / "damaged.sqlite3"
    client = api(db_path=db)
    logged: list[str] = []
    client.app.on_error = logged.append
    job_id = client.create()["jobId"]
    _damage(db)
    body = assert_envelope(client.get(f"/job-drafts/{job_id}"), 500, "INTERNAL_ERROR")
    assert "The sandbox store is damaged" in body["error"]
    assert len(logged) == 1
    assert logged[0].startswith(f"error {body['requestId']}: DamagedRow: job {job_id}: ")


@pytest.mark.slow
def test_serve_logs_one_line_per_error_with_the_request_id(served, tmp_path):
    db = tmp_path / "served.sqlite3"
    server = served("--db", str(db))
    auth = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    with httpx.Client(base_url=server.base, headers=auth, trust_env=False, timeout=20) as client:
        job_id = client.post("/job-drafts", json={"rawJobDescription": DESCRIPTION}).json()["jobId"]
        _damage(db)
        response = client.get(f"/job-drafts/{job_id}")
        assert response.status_code == 500
        request_id = response.headers["x-request-id"]
        error = server.wait_for_line(rf"^error {request_id}: ")
        server.wait_for_line(rf"^GET /api/public/v1/job-drafts/{job_id} 500 .* {request_id}")
    assert re.fullmatch(
        rf"error {request_id}: DamagedRow: job {job_id}: its fields column is not a JSON "
        r"object \(store\.py:\d+\)\n",
        error,
    )
    server.stop()
    assert not [line for line in server.lines if "Traceback" in line or "File " in line]
