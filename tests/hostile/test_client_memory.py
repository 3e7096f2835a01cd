"""Peak memory of a real ``jobdraft`` process against hostile answers.

In-process tests cannot see memory; here each answer is sent to a separate
``python -m jobdraft`` and its peak resident size is read from the kernel
(``os.wait4``'s resource usage of that child alone).  Started by a small
Python of its own, not by pytest: Linux counts in a child's peak the peak
of the process it was spawned from (exec keeps the larger of the two), so
a pytest grown past the bound would fail every case.  The bound is generous:
the point is that it does not grow with what the server sends (a gzip bomb
of 256 MiB, 100 MB of JSON, an endless body, endless pages).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.hostile.server import Reply, hostile
from tests.hostile.test_client_hostile import HOSTILE_BODIES, new_cursor_every_time

PEAK_BOUND_MIB = 200

CASES: dict[str, tuple[str, str, Reply | object]] = {
    **{name: ("GET", "/job-drafts/*", reply) for name, reply in HOSTILE_BODIES.items()},
    "endless-paging": ("GET", "/jobs/mine", new_cursor_every_time),
}


# Runs the command given and prints its exit code and peak resident size in
# KiB (ru_maxrss's unit on Linux).
MEASURE = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
_pid, status, usage = os.wait4(child.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def run_jobdraft(tmp_path: Path, *args: str) -> tuple[int, int, str]:
    """Exit code, peak resident size in MiB, and stderr of one real process."""
    err_path = tmp_path / "stderr.txt"
    with err_path.open("wb") as err:
        measured = subprocess.run(
            [sys.executable, "-c", MEASURE, sys.executable, "-m", "jobdraft", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            check=True,
            timeout=300,
        )
    code, peak_kib = (int(word) for word in measured.stdout.split())
    return code, peak_kib // 1024, err_path.read_text()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss units are Linux's")
@pytest.mark.parametrize("name", CASES)
def test_peak_memory_is_bounded_whatever_the_server_sends(tmp_path: Path, name: str) -> None:
    method, path, reply = CASES[name]
    with hostile() as server:
        server.on(method, path, reply)  # type: ignore[arg-type]
        command = "list" if path == "/jobs/mine" else "show"
        args = ["--base-url", server.origin, "--token", "ot_pat_mem_secretvalue", command]
        code, peak_mib, stderr = run_jobdraft(
            tmp_path, *args, *(["j1"] if command == "show" else ["--all"])
        )
    assert code == 6, stderr
    assert "Traceback" not in stderr
    assert peak_mib < PEAK_BOUND_MIB, f"{name}: peak {peak_mib} MiB"
