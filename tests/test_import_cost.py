"""Start-up stays cheap: ``import jobdraft.cli``, ``--help`` and a TAB load none of the heavy parts.

No timing here (bench/startup.py measures); these catch the regression that
makes timing worse: a module-level import of questionary, httpx, the sandbox
or rich's tables somewhere on the path of every run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import requires

import pytest

HEAVY = (
    "questionary",
    "prompt_toolkit",
    "httpx",
    "httpcore",
    "jobdraft.sandbox",
    "jobdraft.client",
    "jobdraft.session",
    "jobdraft.render",
    # The commands' work and the wizard: loaded by the command that runs, not by --help.
    "jobdraft.commands",
    "jobdraft.operations",
    "jobdraft.fill",
    "jobdraft.wizard",
    "rich.table",
    "pydantic",
)

# Runs in a fresh interpreter; prints the heavy modules loaded when it exits.
PROBE = """
import atexit, json, sys
heavy = {heavy!r}
def report():
    loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
    sys.__stderr__.write("LOADED=" + json.dumps(loaded) + "\\n")
atexit.register(report)
{body}
"""

CASES = {
    "import": ("import jobdraft.cli", {}),
    "help": ("from jobdraft.cli import main; main(['--help'])", {}),
    "command-help": ("from jobdraft.cli import main; main(['patch', '--help'])", {}),
    "tab": (
        "from jobdraft.cli import main; main()",
        {
            "_JOBDRAFT_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "jobdraft patch x --set experienceLevel=",
        },
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_nothing_heavy_is_loaded(case: str) -> None:
    body, extra_env = CASES[case]
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=HEAVY, body=body)],
        env={**os.environ, **extra_env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED="))
    assert json.loads(line.removeprefix("LOADED=")) == []


def test_pydantic_is_not_a_runtime_dependency() -> None:
    # Typer imports pydantic at start-up whenever it is installed.
    runtime = [req for req in requires("jobdraft") or [] if "extra ==" not in req]
    assert runtime
    assert not [req for req in runtime if req.lower().startswith("pydantic")]
