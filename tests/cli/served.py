"""Start ``jobdraft sandbox serve`` on a free loopback port for a test, and stop it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

JOBDRAFT = str(Path(sys.executable).with_name("jobdraft"))


@dataclass
class Served:
    origin: str
    token: str
    process: subprocess.Popen[str]


@contextmanager
def serve(*flags: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    process = subprocess.Popen(
        [JOBDRAFT, "sandbox", "serve", "--port", "0", "--memory", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    origin = token = None
    seen: list[str] = []
    deadline = time.monotonic() + 20
    assert process.stdout is not None
    while (origin is None or token is None) and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        origin = origin or _first(r"(http://127\.0\.0\.1:\d+)", line)
        token = token or _first(r"(ot_pat_[A-Za-z0-9]+_[A-Za-z0-9]+)", line)
    if origin is None or token is None:
        process.kill()
        raise RuntimeError("sandbox did not start:\n" + "".join(seen))
    try:
        yield Served(origin, token, process)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def _first(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


def run_jobdraft(
    served: Served | None,
    *args: str,
    token: str | None = None,
    input: str | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The real binary, as a user runs it, against ``served``."""
    full_env = {**os.environ, **(env or {})}
    if served is not None:
        full_env["OT_API_BASE_URL"] = served.origin
        full_env["OT_API_TOKEN"] = token or served.token
    return subprocess.run(
        [JOBDRAFT, *args],
        capture_output=True,
        text=True,
        input=input,
        env=full_env,
        timeout=60,
        check=False,
    )
