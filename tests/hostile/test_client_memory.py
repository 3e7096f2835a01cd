"""Peak memory of a real ``jobdraft`` process against hostile answers.

In-process tests cannot see memory; here each answer is sent to a separate
``python -m jobdraft`` and its peak resident size is read from the kernel
(``os.wait4``'s resource usage of that child alone).  The bound is generous:
the point is that it does not grow with what the server sends (a gzip bomb
of 256 MiB, 100 MB of JSON, an endless body, endless pages).
"""

from __future__ import annotations

import os
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


def run_jobdraft(tmp_path: Path, *args: str) -> tuple[int, int, str]:
    """Exit code, peak resident size in MiB, and stderr of one real process."""
    err_path = tmp_path / "stderr.txt"
    with err_path.open("wb") as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "jobdraft", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux.
    return child.returncode, usage.ru_maxrss // 1024, err_path.read_text()


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
