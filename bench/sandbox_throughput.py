"""PATCH throughput of the served sandbox, as a share of a bare waitress app.

Both servers run in this one run, on 127.0.0.1 only, with waitress's default
settings: the sandbox (``python -m jobdraft.sandbox`` on a SQLite file, with
its access log) and a minimal WSGI app that answers a fixed JSON body.  The
same client threads send the same keep-alive PATCH requests to each, in
short alternating rounds: each pair of neighbouring rounds gives a ratio, and
the median pair is the figure.  A ratio measured pair by pair travels between
machines (and survives a busy one) better than requests per second do.

    .venv/bin/python bench/sandbox_throughput.py            # goal: ratio >= 0.35
    .venv/bin/python bench/sandbox_throughput.py --check    # exit 1 below the goal

Bounded: a fixed number of requests per round and a time cap; it stops itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

HOST = "127.0.0.1"  # loopback only, always
TOKEN = "ot_pat_bench_throughputsecret"
PREFIX = "/api/public/v1"
GOAL = 0.35
BARE_BODY = json.dumps(
    {"ok": True, "jobId": "jd_bench", "status": "DRAFT", "draftUrl": "x", "validation": {}}
).encode()


# --- the bare app (run in a child process with --serve-bare) ---------------------


def bare_app(environ: dict, start_response: Callable[..., object]) -> list[bytes]:
    stream = environ["wsgi.input"]
    stream.read(int(environ.get("CONTENT_LENGTH") or 0))  # read the body, like the sandbox
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(BARE_BODY)))],
    )
    return [BARE_BODY]


def serve_bare() -> None:
    import logging

    import waitress

    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = waitress.create_server(bare_app, host=HOST, port=0)
    print(f"listening on http://{HOST}:{server.effective_port}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    server.run()


# --- servers in child processes -----------------------------------------------------


class Child:
    def __init__(self, args: list[str], log: Path) -> None:
        self.log = log
        self.handle = log.open("w")
        self.process = subprocess.Popen(args, stdout=self.handle, stderr=subprocess.STDOUT)
        self.port = self._wait_for_port()

    def _wait_for_port(self) -> int:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = re.search(rf"http://{re.escape(HOST)}:(\d+)", self.log.read_text())
            if match:
                return int(match.group(1))
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise SystemExit(f"server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.handle.close()


# --- the client -----------------------------------------------------------------------


HEADERS = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}


def send(conn: http.client.HTTPConnection, method: str, path: str, body: dict) -> bytes:
    """One request on a kept-alive connection; the raw answer.  The timed loop
    does not decode it: the client's own JSON work is not the server's cost."""
    conn.request(method, path, body=json.dumps(body).encode(), headers=HEADERS)
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        raise SystemExit(f"{method} {path} answered {response.status}: {data[:300]!r}")
    return data


def request(conn: http.client.HTTPConnection, method: str, path: str, body: dict) -> dict:
    result: dict = json.loads(send(conn, method, path, body))
    return result


def make_drafts(port: int, count: int) -> list[str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        text = "Bench job\nNeed 10 annotators for 5,000 images at $18/hour. English."
        return [
            request(conn, "POST", f"{PREFIX}/job-drafts", {"rawJobDescription": text})["jobId"]
            for _ in range(count)
        ]
    finally:
        conn.close()


def patch_round(port: int, drafts: list[str], per_client: int, cap_seconds: float) -> float:
    """Requests per second of ``len(drafts)`` keep-alive clients, each PATCHing its draft."""
    done = [0] * len(drafts)
    start = threading.Barrier(len(drafts) + 1)
    deadline = [0.0]

    def client(i: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        path = f"{PREFIX}/job-drafts/{drafts[i]}"
        start.wait()
        try:
            for n in range(per_client):
                send(conn, "PATCH", path, {"headcount": 1 + n % 50, "jobTitle": f"Bench {n}"})
                done[i] += 1
                if time.perf_counter() > deadline[0]:
                    break
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(drafts))]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + cap_seconds
    start.wait()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - began)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4, help="concurrent keep-alive clients")
    parser.add_argument("--requests", type=int, default=400, help="PATCHes per client a round")
    parser.add_argument("--rounds", type=int, default=9, help="alternating rounds per server")
    parser.add_argument("--cap", type=float, default=20.0, help="max seconds per round")
    parser.add_argument("--check", action="store_true", help=f"exit 1 below {GOAL}")
    parser.add_argument("--serve-bare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare()
        return 0

    with tempfile.TemporaryDirectory(prefix="jobdraft-bench-") as tmp:
        folder = Path(tmp)
        env_python = sys.executable
        sandbox = Child(
            [env_python, "-m", "jobdraft.sandbox", "--host", HOST, "--port", "0",
             "--db", str(folder / "bench.sqlite3")],
            folder / "sandbox.log",
        )  # fmt: skip
        bare = Child(
            [env_python, str(Path(__file__).resolve()), "--serve-bare"], folder / "bare.log"
        )
        try:
            drafts = make_drafts(sandbox.port, args.clients)
            bare_ids = [f"jd_bench{i}" for i in range(args.clients)]
            # Warm both (imports, caches, SQLite pages) before measuring.
            patch_round(bare.port, bare_ids, 100, args.cap)
            patch_round(sandbox.port, drafts, 100, args.cap)
            results: dict[str, list[float]] = {"bare": [], "sandbox": []}
            for n in range(args.rounds):
                # Alternate which goes first, so neither always meets a warmer machine.
                order = ("bare", "sandbox") if n % 2 == 0 else ("sandbox", "bare")
                for name in order:
                    port, ids = (bare.port, bare_ids) if name == "bare" else (sandbox.port, drafts)
                    results[name].append(patch_round(port, ids, args.requests, args.cap))
                print(
                    f"round {n + 1}: bare {results['bare'][-1]:7.0f} req/s   "
                    f"sandbox {results['sandbox'][-1]:7.0f} req/s   "
                    f"ratio {results['sandbox'][-1] / results['bare'][-1]:.2f}",
                    flush=True,
                )
        finally:
            sandbox.stop()
            bare.stop()
        logged = (folder / "sandbox.log").read_text().count("PATCH /api/public/v1/job-drafts/")

    ratios = sorted(s / b for s, b in zip(results["sandbox"], results["bare"], strict=True))
    ratio = statistics.median(ratios)
    total = args.clients * args.requests * args.rounds
    print(f"{args.clients} clients, {args.requests} PATCHes each per round, {args.rounds} rounds; "
          f"sandbox logged {logged} of {total + 100 * args.clients} PATCHes")  # fmt: skip
    print(
        f"median: bare {statistics.median(results['bare']):.0f} req/s, "
        f"sandbox {statistics.median(results['sandbox']):.0f} req/s"
    )
    verdict = "meets" if ratio >= GOAL else "BELOW"
    print(f"ratio sandbox/bare = {ratio:.2f}, median of {len(ratios)} pairs "
          f"(range {ratios[0]:.2f}-{ratios[-1]:.2f}); {verdict} the {GOAL} goal")  # fmt: skip
    return 1 if args.check and ratio < GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
