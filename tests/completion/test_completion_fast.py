"""The fast completion path answers as the full app does, with the standard library only.

``completion_fast.answer`` is what the ``jobdraft`` entry point prints for a
TAB before it would import Typer; the full app (``jobdraft.cli.main``) is the
reference.  Over a table of lines, in every shell, the two must print the
same, and the fast path must answer the lines it is there for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.completion.completion_helpers import JOBDRAFT
from tests.conftest import Runner

from jobdraft import completion, config
from jobdraft.cache import Cache
from jobdraft.completion_fast import answer

SHELLS = ("bash", "zsh", "fish")

# Lines the fast path answers itself: ids, keys, values, lists of values.
FAST = [
    "jobdraft show ",
    "jobdraft show jd_48",
    "jobdraft show jd_zz",
    "jobdraft patch ",
    "jobdraft publish jd_",
    "jobdraft fill ",
    "jobdraft --sandbox show ",
    "jobdraft --debug --timeout 5 show jd_9",
    "jobdraft --base-url http://127.0.0.1:8765 show ",
    "jobdraft --base-url=http://127.0.0.1:8765 show ",
    "jobdraft --base-url ftp://nowhere show ",
    "jobdraft patch jd_9310cc --set ",
    "jobdraft patch jd_9310cc --set exp",
    "jobdraft patch jd_9310cc -s EXP",
    "jobdraft patch jd_9310cc --set experienceLevel=",
    "jobdraft patch jd_9310cc --set experienceLevel=int",
    "jobdraft patch jd_9310cc --set EXPERIENCELEVEL=e",
    "jobdraft patch --dry-run jd_9310cc --set paymentType=pay_per_h",
    "jobdraft patch jd_9310cc --set experienceLevel=EXPERT --set expe",
    "jobdraft fill jd_9310cc --set labelTypes=BOUNDING_BOX,poly",
    "jobdraft fill jd_9310cc --set labelTypes=",
    "jobdraft patch jd_9310cc --set jobTitle=",
    "jobdraft patch jd_9310cc --set experienceLevel:=",
    "jobdraft patch jd_9310cc --set nosuchkey=",
    "jobdraft --sandbox patch sbx_0001 --set experienceLevel=",
    # Global options after the command, as the app takes them (issue 9).
    "jobdraft show --sandbox ",
    "jobdraft show --debug --sandbox jd_",
    "jobdraft show --base-url http://127.0.0.1:8765 ",
    "jobdraft show --base-url=http://127.0.0.1:8765 jd_",
    "jobdraft --sandbox show --base-url http://127.0.0.1:8765 ",
    "jobdraft --base-url http://127.0.0.1:8765 show --base-url https://app.opentrain.ai ",
    "jobdraft patch jd_9310cc --timeout 5 --set experienceLevel=",
    "jobdraft patch --sandbox sbx_0001 --set exp",
    "jobdraft patch --set --sandbox jd_",  # the value of --set, not the flag
    "jobdraft fill --token ot_x jd_9310cc --set labelTypes=",
]
# Lines it leaves to the full app: command and option names, files, quotes, odd words.
FULL = [
    "jobdraft ",
    "jobdraft sh",
    "jobdraft list --",
    "jobdraft list --status ",
    "jobdraft list --status=arch",
    "jobdraft patch jd_9310cc --",
    "jobdraft patch jd_9310cc --file ",
    "jobdraft auth ",
    "jobdraft sandbox serve --",
    "jobdraft show jd_9310cc ",
    "jobdraft patch jd_9310cc --set 'experienceLevel=IN",
    "jobdraft --help show ",
    "jobdraft --version show ",
    "jobdraft nosuchcommand ",
    "jobdraft show --sa",
    "jobdraft show --base-url ",
    "jobdraft show --version ",
    "jobdraft show --sandbox=1 ",
]


@pytest.fixture
def both(
    run: Runner, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str, str], tuple[str | None, str]]:
    """``both(shell, line)``: what the fast path prints (None: not its line), and the app."""

    def tab(shell: str, line: str) -> tuple[str | None, str]:
        monkeypatch.setenv("_JOBDRAFT_COMPLETE", f"complete_{shell}")
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        monkeypatch.setenv("_JOBDRAFT_WORDBREAKS", "\"'><=;|&(:")
        fast = answer(shell)
        full = run()
        assert full.exit_code == 0
        return (None if fast is None else fast + "\n"), full.stdout

    return tab


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("line", FAST)
def test_the_fast_path_answers_as_the_full_app(
    filled_cache: Path, both: Callable[[str, str], tuple[str | None, str]], shell: str, line: str
) -> None:
    Cache().remember_draft("http://127.0.0.1:8765", "jd_local1", title="Local", status="DRAFT")
    fast, full = both(shell, line)
    assert fast is not None, "the fast path should answer this line itself"
    assert fast == full


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("line", FULL)
def test_other_lines_are_left_to_the_full_app(
    filled_cache: Path, both: Callable[[str, str], tuple[str | None, str]], shell: str, line: str
) -> None:
    fast, _ = both(shell, line)
    assert fast is None


@pytest.mark.parametrize("shell", SHELLS)
def test_settings_pick_the_same_origin_on_both_paths(
    filled_cache: Path,
    isolated_home: Path,
    both: Callable[[str, str], tuple[str | None, str]],
    monkeypatch: pytest.MonkeyPatch,
    shell: str,
) -> None:
    Cache().remember_draft("http://127.0.0.1:8765", "jd_local1", title="Local", status="DRAFT")
    login = isolated_home / "config" / "opentrain" / "cli.json"
    login.parent.mkdir(parents=True)
    settings: list[tuple[str, str | None, str | None]] = [
        ("env", "OT_API_BASE_URL", "http://127.0.0.1:8765"),
        ("env", "OPENTRAIN_BASE_URL", "http://127.0.0.1:8765"),
        ("env", "JOBDRAFT_SANDBOX", "yes"),
        ("env", "JOBDRAFT_SANDBOX", "0"),
        ("file", json.dumps({"baseUrl": "http://127.0.0.1:8765"}), None),
        ("file", "not json", None),
        ("file", json.dumps({"baseUrl": "https://app.opentrain.ai"}), None),
    ]
    for kind, name, value in settings:
        monkeypatch.delenv("OT_API_BASE_URL", raising=False)
        monkeypatch.delenv("OPENTRAIN_BASE_URL", raising=False)
        monkeypatch.delenv("JOBDRAFT_SANDBOX", raising=False)
        login.unlink(missing_ok=True)
        if kind == "env" and name and value:
            monkeypatch.setenv(name, value)
        elif name:
            login.write_text(name)
        for line in ("jobdraft show jd_", "jobdraft patch x --set experienceLevel="):
            fast, full = both(shell, line)
            assert fast == full, (kind, name, value, line)


def test_the_fast_path_reads_paths_and_defaults_as_config_does(isolated_home: Path) -> None:
    env = dict(os.environ)
    assert completion.credentials_path(env) == str(config.credentials_path(env))
    assert completion.cache_directory(env) == str(config.cache_dir(env))
    relative = dict(env, XDG_CACHE_HOME="relative/cache", XDG_CONFIG_HOME="relative")
    assert completion.credentials_path(relative) == str(config.credentials_path(relative))
    assert completion.cache_directory(relative) == str(config.cache_dir(relative))
    assert completion.DEFAULT_BASE_URL == config.DEFAULT_BASE_URL
    assert completion.BASE_URL_ENV_VARS == config.BASE_URL_ENV_VARS


CHECK_IMPORTS = """
import os, sys
os.environ.update(_JOBDRAFT_COMPLETE="complete_bash", _TYPER_COMPLETE_ARGS=sys.argv[1])
before = set(sys.modules)
from jobdraft.entry import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write(" ".join(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("logged_in", [False, True], ids=["no-login", "credentials-file"])
@pytest.mark.parametrize(
    "line", ["jobdraft show jd_", "jobdraft patch jd_9310cc --set experienceLevel="]
)
def test_the_fast_path_imports_the_standard_library_only(
    filled_cache: Path, isolated_home: Path, line: str, logged_in: bool
) -> None:
    if logged_in:  # the origin then comes from the shared credentials file, read as JSON
        login = isolated_home / "config" / "opentrain" / "cli.json"
        login.parent.mkdir(parents=True, exist_ok=True)
        login.write_text(json.dumps({"token": "ot_x", "baseUrl": config.DEFAULT_BASE_URL}))
    done = subprocess.run(
        [sys.executable, "-c", CHECK_IMPORTS, line],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert done.stdout.splitlines()[0] == "words"
    assert len(done.stdout.splitlines()) > 1  # it answered
    loaded = done.stderr.split()
    ours = {name for name in loaded if name == "jobdraft" or name.startswith("jobdraft.")}
    assert ours <= {
        "jobdraft",
        "jobdraft.entry",
        "jobdraft.completion",
        "jobdraft.completion_fast",
        "jobdraft.completion_table",
        "jobdraft.cache",
        "jobdraft.inert",
        "jobdraft.json_read",
    }
    others = {name.split(".")[0] for name in loaded} - {"jobdraft"}
    assert others <= sys.stdlib_module_names, others - sys.stdlib_module_names
    # Each of these costs a TAB milliseconds: json brings re, enum, functools...
    assert not others & {
        "typer",
        "click",
        "rich",
        "httpx",
        "questionary",
        "shlex",
        "dataclasses",
        "pathlib",
        "typing",
        "json",
        "re",
        "enum",
        "collections",
        "contextlib",
        "tempfile",
    }


def test_the_installed_command_answers_through_the_fast_path(filled_cache: Path) -> None:
    """The console script itself, as a shell starts it."""
    env = dict(
        os.environ,
        _JOBDRAFT_COMPLETE="complete_zsh",
        _TYPER_COMPLETE_ARGS="jobdraft show jd_93",
    )
    done = subprocess.run(
        [str(JOBDRAFT)], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "words\njd_9310cc\tCode review for RLHF [DRAFT]\n"
    assert done.stderr == ""
