"""completions/ is what the app prints, and ``--install-completion`` installs the same scripts."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest
from tests.completion.completion_helpers import (
    COMPLETIONS,
    PROMPTS,
    ROOT,
    ShellSession,
    fill_cache,
    need,
    shell_env,
)
from tests.conftest import Runner

from jobdraft.completion_install import SHELLS, script


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_completions", ROOT / "scripts" / "gen_completions.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("shell", SHELLS)
def test_committed_scripts_have_not_drifted(shell: str) -> None:
    generator = load_generator()
    path = COMPLETIONS / generator.FILES[shell]
    regenerated = generator.generate(shell)
    assert path.read_text(encoding="utf-8") == regenerated, (
        f"{path.relative_to(ROOT)} is out of date: run python scripts/gen_completions.py"
    )


def test_the_fast_path_table_has_not_drifted() -> None:
    """completion_table.py (what the fast path knows of the commands) is the app's."""
    generator = load_generator()
    assert generator.TABLE.read_text(encoding="utf-8") == generator.generate_table(), (
        "src/jobdraft/completion_table.py is out of date: run python scripts/gen_completions.py"
    )


def test_the_zsh_file_starts_with_compdef() -> None:
    # compinit reads only the first line: a blank one first and the file is ignored.
    first = (COMPLETIONS / "zsh" / "_jobdraft").read_text(encoding="utf-8").splitlines()[0]
    assert first == "#compdef jobdraft"


@pytest.mark.parametrize("shell", SHELLS)
def test_show_completion_prints_our_script(
    run: Runner, monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = run("--show-completion", shell)
    assert result.exit_code == 0
    assert result.stdout == script(shell).rstrip("\n") + "\n"


INSTALLED = {
    "bash": Path(".bash_completions/jobdraft.sh"),
    "zsh": Path(".zfunc/_jobdraft"),
}


def install(run: Runner, monkeypatch: pytest.MonkeyPatch, shell: str) -> Path:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = run("--install-completion", shell)
    assert result.exit_code == 0, result.output
    assert "completion installed in" in result.stdout
    if shell == "fish":
        # Where fish looks: under XDG_CONFIG_HOME (the test's own), not always ~/.config.
        return Path(os.environ["XDG_CONFIG_HOME"]) / "fish/completions/jobdraft.fish"
    return Path.home() / INSTALLED[shell]


@pytest.mark.parametrize("shell", SHELLS)
def test_install_completion_writes_our_script(
    run: Runner, monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    path = install(run, monkeypatch, shell)
    assert path.read_text(encoding="utf-8").rstrip("\n") == script(shell).rstrip("\n")


# After --install-completion, a new interactive shell reading its usual start-up
# files completes an enum value after '=' at the first TAB.
STARTS = {
    "bash": lambda home: ["--rcfile", str(home / ".bashrc"), "-i"],
    "zsh": lambda home: ["-i"],
    "fish": lambda home: ["-i"],
}


@pytest.mark.slow
@pytest.mark.parametrize("shell", SHELLS)
def test_a_new_shell_completes_after_install_completion(
    run: Runner, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, shell: str
) -> None:
    binary = need(shell)
    install(run, monkeypatch, shell)
    fill_cache(isolated_home / "cache" / "jobdraft")
    env = shell_env(isolated_home)
    env.update(XDG_CONFIG_HOME=os.environ["XDG_CONFIG_HOME"], ZDOTDIR=str(isolated_home))
    env["XDG_CACHE_HOME"] = str(isolated_home / "cache")
    session = ShellSession(
        [binary, *STARTS[shell](isolated_home)], env, isolated_home, PROMPTS[shell]
    )
    try:
        line, _ = session.complete("jobdraft patch jd_9310cc --set experienceLevel=ex")
    finally:
        session.close()
    assert line == "jobdraft patch jd_9310cc --set experienceLevel=EXPERT "
