"""A writer process for the concurrency test: ``python store_worker.py DB JOB WORKER THREADS N``.

Each thread patches its own key N times through its own process's app, then
creates drafts, one of them with an idempotency key every worker shares.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import httpx

from jobdraft.sandbox import API_PREFIX, SANDBOX_TOKEN
from jobdraft.sandbox.app import SandboxApp, SandboxConfig
from jobdraft.sandbox.rules import FIELDS

FIELDS_ORDER = [f.key for f in FIELDS]

# The free-text keys: any of them can take any string.
STRING_KEYS = [f.key for f in FIELDS if f.type in ("string", "text")][2:]


def key_for(worker: int, thread: int, threads: int) -> str:
    return STRING_KEYS[worker * threads + thread]


def run(db: Path, job_id: str, worker: int, threads: int, rounds: int) -> list[str]:
    app = SandboxApp(SandboxConfig(db_path=db))
    failures: list[str] = []

    def work(thread: int) -> None:
        key = key_for(worker, thread, threads)
        with httpx.Client(
            transport=httpx.WSGITransport(app=app),
            base_url=f"http://sandbox{API_PREFIX}",
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        ) as client:
            for n in range(rounds):
                response = client.patch(f"/job-drafts/{job_id}", json={key: f"{key}-{n}"})
                if response.status_code != 200:
                    failures.append(response.text)
            for n in range(2):
                body = {"rawJobDescription": f"Draft {worker}/{thread}/{n}: label images."}
                if n == 0:
                    body["idempotencyKey"] = "shared-by-everyone"
                if client.post("/job-drafts", json=body).status_code != 200:
                    failures.append("create failed")

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    app.close()
    return failures


if __name__ == "__main__":
    db, job, worker, threads, rounds = sys.argv[1:]
    problems = run(Path(db), job, int(worker), int(threads), int(rounds))
    print("\n".join(problems) or "ok")
    sys.exit(1 if problems else 0)
