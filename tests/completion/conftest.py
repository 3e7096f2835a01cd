"""Fixtures for the completion tests (the helpers are in completion_helpers.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.completion.completion_helpers import (
    BASH_COMPLETION,
    COMPLETIONS,
    JOBDRAFT,
    PROMPTS,
    ShellSession,
    fill_cache,
    need,
    shell_env,
)

from jobdraft.cache import Cache


@pytest.fixture
def filled_cache(isolated_home: Path) -> Path:
    """The test's own $XDG_CACHE_HOME/jobdraft, filled."""
    directory = Cache().directory
    fill_cache(directory)
    return directory


@pytest.fixture(scope="session")
def shell_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home for the shells: XDG folders, a filled cache, the scripts installed per the docs."""
    assert JOBDRAFT.exists(), f"{JOBDRAFT} is missing: pip install -e . in this venv"
    home = tmp_path_factory.mktemp("shellhome")
    for sub in ("config", "cache", "data", "state", "work"):
        (home / sub).mkdir()
    fill_cache(home / "cache" / "jobdraft")
    # Where docs/completion.md says each file goes for one user.
    installs = {
        home / "data" / "bash-completion" / "completions" / "jobdraft": "bash/jobdraft",
        home / "zfunc" / "_jobdraft": "zsh/_jobdraft",
        home / "config" / "fish" / "completions" / "jobdraft.fish": "fish/jobdraft.fish",
    }
    for target, source in installs.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(COMPLETIONS / source, target)
    # A file a wrong fallback to file names would offer.
    (home / "work" / "stray-file.txt").write_text("not a value\n")
    return home


@pytest.fixture(scope="session")
def bash_session(shell_home: Path) -> Iterator[ShellSession]:
    bash = need("bash")
    if BASH_COMPLETION.exists():
        # As a user with bash-completion: the file is loaded on the first TAB.
        setup = f"source {BASH_COMPLETION}; {PROMPTS['bash']}"
    else:
        setup = f"source ~/data/bash-completion/completions/jobdraft; {PROMPTS['bash']}"
    session = ShellSession(
        [bash, "--norc", "--noprofile", "-i"], shell_env(shell_home), shell_home / "work", setup
    )
    yield session
    session.close()


@pytest.fixture(scope="session")
def zsh_session(shell_home: Path) -> Iterator[ShellSession]:
    zsh = need("zsh")
    session = ShellSession(
        [zsh, "-f", "-i"],
        shell_env(shell_home),
        shell_home / "work",
        "fpath=(~/zfunc $fpath); autoload -Uz compinit; compinit -u -D; " + PROMPTS["zsh"],
    )
    yield session
    session.close()


@pytest.fixture(scope="session")
def fish_session(shell_home: Path) -> Iterator[ShellSession]:
    fish = need("fish")
    session = ShellSession(
        [fish, "-i"], shell_env(shell_home), shell_home / "work", PROMPTS["fish"]
    )
    yield session
    session.close()
