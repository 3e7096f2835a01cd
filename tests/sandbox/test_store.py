"""SQLite store: WAL, no lost update across threads and processes, reset."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.sandbox import store_worker
from tests.sandbox.sandbox_helpers import Api

from jobdraft.sandbox.store import Store, StoreError, reset

WORKER = Path(store_worker.__file__)


def test_a_file_store_is_in_wal_mode(api, tmp_path):
    db = tmp_path / "wal.sqlite3"
    api(db_path=db).create()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def _final_fields(client: Api, job_id: str) -> dict:
    return client.get(f"/job-drafts/{job_id}").json()["normalizedFields"]


def test_threads_sharing_one_app_lose_no_update(api, tmp_path):
    client = api(db_path=tmp_path / "threads.sqlite3")
    job_id = client.create()["jobId"]
    failures = store_worker.run(client.app.store.path, job_id, worker=0, threads=8, rounds=15)
    assert failures == []
    fields = _final_fields(client, job_id)
    for thread in range(8):
        key = store_worker.key_for(0, thread, 8)
        assert fields[key] == f"{key}-14"
    # 8 threads x 2 creates, of which 8 share one idempotency key: 9 drafts + the first.
    assert len(client.get("/jobs/mine", params={"limit": 100}).json()["jobs"]) == 10


def test_processes_sharing_one_file_lose_no_update(api, tmp_path):
    db = tmp_path / "processes.sqlite3"
    client = api(db_path=db)
    job_id = client.create()["jobId"]
    workers, threads, rounds = 3, 4, 10
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(db), job_id, str(w), str(threads), str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for w in range(workers)
    ]
    outputs = [p.communicate(timeout=60)[0] for p in processes]
    assert [p.returncode for p in processes] == [0] * workers, outputs
    fields = _final_fields(client, job_id)
    for w in range(workers):
        for t in range(threads):
            key = store_worker.key_for(w, t, threads)
            assert fields[key] == f"{key}-{rounds - 1}"
    jobs = client.get("/jobs/mine", params={"limit": 100}).json()["jobs"]
    assert len(jobs) == 1 + workers * threads + 1


def test_reset_empties_the_store_even_while_it_is_open(api, tmp_path):
    db = tmp_path / "reset.sqlite3"
    client = api(db_path=db)
    client.create()
    client.post(f"/jobs/{client.ready_draft()}/publish")
    reset(db)
    assert client.get("/jobs/mine").json()["jobs"] == []
    # The publish quota is part of the store too.
    for _ in range(3):
        assert client.post(f"/jobs/{client.ready_draft()}/publish").status_code == 200


def test_reset_of_a_missing_store_creates_nothing(tmp_path):
    reset(tmp_path / "nothing" / "here.sqlite3")
    assert not (tmp_path / "nothing").exists()


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not sqlite at all, just some text" * 100)
    with pytest.raises(StoreError, match="not a usable") as caught:
        Store(junk)
    assert isinstance(caught.value, OSError)


def test_a_store_from_a_newer_schema_is_refused(tmp_path):
    db = tmp_path / "future.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_the_one_statement_patch_and_the_general_path_agree(api, monkeypatch):
    """SQLite before 3.35 has no RETURNING: the general path must answer the same."""
    from jobdraft.sandbox import store

    patches = [
        {"headcount": 3, "countries": ["Canada"]},
        {"headcount": None, "paymentType": "FIXED_PRICE"},
        {"fixedPrice": 2500, "experienceLevel": "EXPERT", "headcount": 7},
    ]

    def run() -> list[dict]:
        client = api()
        job_id = client.create()["jobId"]
        answers = [client.patch(f"/job-drafts/{job_id}", json=p).json() for p in patches]
        for answer in answers:
            answer.pop("jobId"), answer.pop("draftUrl"), answer.pop("reviewUrl")
        return answers

    fast = run()
    monkeypatch.setattr(store, "_HAS_RETURNING", False)
    assert run() == fast
    keys = list(fast[-1]["normalizedFields"])
    assert keys == [k for k in store_worker.FIELDS_ORDER if k in keys]
