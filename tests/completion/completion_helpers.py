"""Helpers for the completion tests: a filled cache, and real shells in a pseudo-terminal.

The cache is filled through ``jobdraft.cache.Cache`` itself, with the sandbox's
own schema as the cached capabilities, so the files have exactly the format
the real commands write.  The shells run the ``jobdraft`` of this venv, with
the scripts installed where docs/completion.md tells a user to put them.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
from pathlib import Path

import pexpect
import pytest

from jobdraft.cache import Cache
from jobdraft.sandbox import rules

ROOT = Path(__file__).resolve().parents[2]
COMPLETIONS = ROOT / "completions"
BIN = Path(sys.executable).parent
JOBDRAFT = BIN / "jobdraft"

ORIGIN = "https://app.opentrain.ai"
# Oldest first, as they were seen; completion lists them newest first.
DRAFTS = (
    ("jd_4821aa", "Spanish audio transcription", "DRAFT"),
    ("jd_4821bb", "Medical images: X-ray labelers", "OPEN"),
    ("jd_9310cc", "Code review for RLHF", "DRAFT"),
)
SANDBOX_DRAFT = ("sbx_0001", "Sandbox try-out", "DRAFT")
NEWEST_FIRST = [job_id for job_id, _, _ in reversed(DRAFTS)]


def capabilities_json() -> dict[str, object]:
    """What the sandbox's capabilities endpoint lists: its keys and enums."""
    return {
        "enabled": True,
        "draft": {"updateKeys": list(rules.UPDATE_KEYS), "enums": rules.enums()},
    }


def fill_cache(directory: Path) -> None:
    cache = Cache(directory)
    cache.store_capabilities(ORIGIN, capabilities_json())
    cache.remember_draft("sandbox", SANDBOX_DRAFT[0], title=SANDBOX_DRAFT[1], status="DRAFT")
    for job_id, title, status in DRAFTS:
        time.sleep(0.002)  # distinct seenAt stamps: the order is part of what we test
        cache.remember_draft(ORIGIN, job_id, title=title, status=status)


def need(shell: str) -> str:
    path = shutil.which(shell)
    if path is None:
        message = f"{shell} is not installed (.ci/install-shells.sh installs it)"
        # CI installs every shell first: there, a missing one is a broken set-up
        # that a skip would hide.
        if os.environ.get("JOBDRAFT_TESTS_NEED_SHELLS"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def shell_env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("XDG_", "BASH", "ZDOTDIR", "fish_", "JOBDRAFT", "_JOBDRAFT", "_TYPER", "OT_")
        )
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        TERM="dumb",
        INPUTRC="/dev/null",
        LC_ALL="C.UTF-8",
    )
    return env


ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|[\x07\x08]")


class ShellSession:
    """One interactive shell in a pseudo-terminal.

    ``Ctrl-T`` is bound to print the line being edited between ``<<`` and
    ``>>``: typing a line, TAB, then Ctrl-T shows what completion made of it.
    """

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, setup: str) -> None:
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            env=env,
            cwd=str(cwd),
            encoding="utf-8",
            timeout=15,
            dimensions=(50, 200),
        )
        # The marker is split in the command so that its echo does not match.
        self.child.sendline(setup + "; echo READY''-TO-TEST")
        self.child.expect("READY-TO-TEST")

    def complete(self, line: str, tabs: int = 1) -> tuple[str, str]:
        """The edited line after ``tabs`` TABs, and what the terminal showed meanwhile."""
        self.child.send(line + "\t" * tabs + "\x14")
        self.child.expect(r"<<(.*?)>>")
        buffer = self.child.match.group(1)
        shown = ANSI.sub("", self.child.before)
        self.child.send("\x03")  # Ctrl-C: a fresh, empty line
        return buffer, shown

    def close(self) -> None:
        self.child.close(force=True)


# A prompt, and Ctrl-T bound to print the line being edited between << and >>.
PROMPTS = {
    "bash": 'PS1=\'$ \'; bind -x \'"\\C-t": printf "<<%s>>\\n" "$READLINE_LINE"\'',
    "zsh": (
        "PS1='$ '; show-buffer() { print -r -- \"<<$BUFFER>>\" }; zle -N show-buffer; "
        "bindkey '^T' show-buffer"
    ),
    "fish": (
        'function fish_prompt; echo \'$ \'; end; bind \\ct \'echo "<""<"(commandline)">"">"\''
    ),
}
BASH_COMPLETION = Path("/usr/share/bash-completion/bash_completion")
