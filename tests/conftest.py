"""Shared fixtures: every test runs in its own home, with no token and no cache.

``run`` calls jobdraft's real ``main`` in-process (the same error mapping and
exit codes a user gets) with stdin replaced and stdout/stderr captured.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

TOKEN_VARS = (
    "OT_API_TOKEN",
    "OPENTRAIN_API_TOKEN",
    "OPENTRAIN_PERSONAL_API_TOKEN",
    "OT_API_BASE_URL",
    "OPENTRAIN_API_BASE_URL",
    "OPENTRAIN_BASE_URL",
    "JOBDRAFT_SANDBOX",
    "JOBDRAFT_NO_PROMPT",
    "JOBDRAFT_SANDBOX_MINIMAL",
    "JOBDRAFT_SANDBOX_VARIANTS",
    "JOBDRAFT_SANDBOX_DB",
    "JOBDRAFT_SANDBOX_CHAOS",
    "JOBDRAFT_SANDBOX_SEED",
    "JOBDRAFT_SANDBOX_CLAIMED",
    "NO_COLOR",
    # No test may start the developer's own browser: a test sets BROWSER itself.
    "BROWSER",
    "DISPLAY",
    "WAYLAND_DISPLAY",
)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG folders and HOME inside the test's tmp_path; no token from the real user."""
    home = tmp_path / "home"
    for name, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(name, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    for name in TOKEN_VARS:
        monkeypatch.delenv(name, raising=False)
    # Wide enough that table cells do not wrap mid-token in assertions.
    monkeypatch.setenv("COLUMNS", "120")
    return home


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


Runner = Callable[..., Result]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Runner]:
    """Run ``jobdraft ARGS...`` in-process; returns exit code and captured output."""
    from jobdraft.cli import main

    def invoke(*args: str, input: str | None = None) -> Result:
        monkeypatch.setattr(sys, "stdin", io.StringIO(input or ""))
        capsys.readouterr()
        code: int | str | None
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
        else:  # pragma: no cover - main always exits
            code = 0
        captured = capsys.readouterr()
        exit_code = code if isinstance(code, int) else (0 if code is None else 1)
        return Result(exit_code, captured.out, captured.err)

    yield invoke


@pytest.fixture
def sandbox_run(run: Runner) -> Runner:
    """``run`` against the embedded sandbox (its store lives in the test's XDG_STATE_HOME)."""

    def invoke(*args: str, input: str | None = None) -> Result:
        return run("--sandbox", *args, input=input)

    return invoke
