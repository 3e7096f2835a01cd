"""The app's answer to a TAB, as each shell script reads it, and the scripts it prints.

These run jobdraft's real ``main`` in-process with the variables a script
sets; the real shells are in test_completion_shells.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import Result, Runner

from jobdraft.cache import DRAFTS_FILE, Cache
from jobdraft.completion import readline_text
from jobdraft.completion_install import script, split_line

Tab = Callable[[str, str], list[str]]


@pytest.fixture
def tab(run: Runner, monkeypatch: pytest.MonkeyPatch) -> Tab:
    """``tab(shell, line)``: the lines jobdraft prints for a TAB at the end of ``line``."""

    def answer(shell: str, line: str) -> list[str]:
        monkeypatch.setenv("_JOBDRAFT_COMPLETE", f"complete_{shell}")
        monkeypatch.setenv("_TYPER_COMPLETE_ARGS", line)
        result: Result = run()
        assert result.exit_code == 0
        assert result.stderr == ""
        return result.stdout.splitlines()

    return answer


def test_first_line_says_what_to_do(filled_cache: Path, tab: Tab) -> None:
    assert tab("zsh", "jobdraft patch x --set expe")[0] == "nospace"
    assert tab("zsh", "jobdraft patch x --set experienceLevel=")[0] == "words"
    assert tab("zsh", "jobdraft patch x --file ") == ["files"]
    assert tab("zsh", "jobdraft create --description-file ") == ["files"]
    assert tab("zsh", "jobdraft patch x --set jobTitle=") == ["words"]


def test_commands_and_options_with_their_help(tab: Tab) -> None:
    commands = tab("fish", "jobdraft ")[1:]
    assert "show\tShow what a draft misses, what blocks it, what it holds." in commands
    assert [line.split("\t")[0] for line in tab("zsh", "jobdraft list --")[1:]] == [
        "--status",
        "--limit",
        "--all",
        "--json",
        "--help",
        # The global options, taken after the command too.
        "--base-url",
        "--token",
        "--sandbox",
        "--debug",
        "--timeout",
    ]
    assert tab("bash", "jobdraft sandbox re") == ["words", "reset"]


def test_global_options_are_offered_after_the_command_once(tab: Tab) -> None:
    assert tab("zsh", "jobdraft show --sa") == [
        "words",
        "--sandbox\tUse the embedded sandbox: no server, no account. [env: JOBDRAFT_SANDBOX]",
    ]
    assert tab("bash", "jobdraft patch jd_1 --set a=1 --ba") == ["words", "--base-url"]
    # Not again once given, before the command or after it.
    for line in ("jobdraft --sandbox show --", "jobdraft show --sandbox --"):
        offered = [word.split("\t")[0] for word in tab("fish", line)[1:]]
        assert "--sandbox" not in offered
        assert "--debug" in offered
    # Not at the top level, where they are the app's own options already, once each.
    top = [word.split("\t")[0] for word in tab("zsh", "jobdraft --")[1:]]
    assert top.count("--sandbox") == 1


def test_ids_carry_titles_for_zsh_and_fish_only(filled_cache: Path, tab: Tab) -> None:
    assert tab("zsh", "jobdraft publish jd_93") == [
        "words",
        "jd_9310cc\tCode review for RLHF [DRAFT]",
    ]
    assert tab("bash", "jobdraft publish jd_93") == ["words", "jd_9310cc"]


def test_the_sandbox_flag_and_variable_select_sandbox_drafts(
    filled_cache: Path, tab: Tab, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tab("bash", "jobdraft --sandbox show ") == ["words", "sbx_0001"]
    monkeypatch.setenv("JOBDRAFT_SANDBOX", "1")
    assert tab("bash", "jobdraft show ") == ["words", "sbx_0001"]


def test_bash_gets_only_the_text_after_the_last_word_break(filled_cache: Path, tab: Tab) -> None:
    assert tab("bash", "jobdraft patch x --set experienceLevel=en") == ["words", "ENTRY_LEVEL"]
    assert tab("bash", "jobdraft patch x -s labelTypes=POLYGON,bou") == [
        "words",
        "POLYGON,BOUNDING_BOX",
    ]
    assert tab("bash", "jobdraft list --status=p") == ["words", "PENDING_APPROVAL"]
    # zsh and fish replace the whole word.
    assert tab("zsh", "jobdraft list --status=p") == ["words", "--status=PENDING_APPROVAL"]


def test_keys_set_earlier_on_the_line_are_not_offered(filled_cache: Path, tab: Tab) -> None:
    line = "jobdraft patch x --set pricePerHour=20 --set pricePer"
    assert tab("fish", line) == ["nospace", "pricePerLabel="]


def test_a_broken_cache_gives_no_ids_and_no_traceback(isolated_home: Path, tab: Tab) -> None:
    path = Cache().directory / DRAFTS_FILE
    path.parent.mkdir(parents=True)
    path.write_text('{"drafts": {"x": [', encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert tab(shell, "jobdraft show ") == ["words"]


def test_an_eager_option_prints_nothing_into_the_answer(tab: Tab) -> None:
    assert tab("bash", "jobdraft --version sh") == ["words", "show"]


def test_a_line_the_parser_rejects_gives_nothing(tab: Tab) -> None:
    assert tab("zsh", "jobdraft sandbox serve --port notanumber --chaos ") == ["words"]
    assert tab("bash", 'jobdraft patch "unterminated --set ') == ["words"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_source_prints_our_script(run: Runner, monkeypatch: pytest.MonkeyPatch, shell: str) -> None:
    monkeypatch.setenv("_JOBDRAFT_COMPLETE", f"source_{shell}")
    result = run()
    assert result.exit_code == 0
    assert result.stdout == script(shell)


def test_split_line_keeps_the_word_being_typed() -> None:
    assert split_line("jobdraft show ") == (["show"], "")
    assert split_line("jobdraft show jd") == (["show"], "jd")
    assert split_line("jobdraft patch x --set 'jobTitle=Data lab") == (
        ["patch", "x", "--set"],
        "jobTitle=Data lab",
    )
    assert split_line("jobdraft patch x --set a\\ ") == (["patch", "x", "--set"], "a ")


def test_readline_text_is_what_follows_the_last_break_outside_quotes() -> None:
    breaks = "\"'><=;|&(:"
    assert readline_text("jobdraft patch x --set experienceLevel=IN", breaks) == "IN"
    assert readline_text("jobdraft patch x --set exp", breaks) == "exp"
    assert (
        readline_text("jobdraft patch x --set 'experienceLevel=IN", breaks) == "experienceLevel=IN"
    )
    assert readline_text("jobdraft patch x --set k:=", breaks) == ""


def test_a_tab_loads_no_network_library(filled_cache: Path) -> None:
    """A completion request, for real, in a fresh interpreter: no httpx, no socket opened."""
    code = (
        "import sys, atexit\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules"
        " if m.split('.')[0] in {'httpx', 'httpcore', 'questionary', 'rich', 'socket', 'ssl'}"
        " or m.startswith('jobdraft.sandbox')), file=sys.stderr))\n"
        "from jobdraft.cli import main\n"
        "main()\n"
    )
    env = dict(
        os.environ,
        _JOBDRAFT_COMPLETE="complete_zsh",
        _TYPER_COMPLETE_ARGS="jobdraft patch jd_9310cc --set experienceLevel=",
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert "experienceLevel=EXPERT" in done.stdout
    assert done.stderr.strip() == "[]"


def test_commands_that_take_a_draft_offer_no_published_job(filled_cache: Path, tab: Tab) -> None:
    # jd_4821bb is OPEN: published, so no answer to patch, publish or fill.
    for command in ("patch", "publish", "fill"):
        assert tab("bash", f"jobdraft {command} jd_48") == ["words", "jd_4821aa"], command
    assert tab("bash", "jobdraft show jd_48") == ["words", "jd_4821bb", "jd_4821aa"]  # newest first


def test_ids_follow_the_api_the_command_would_use(
    filled_cache: Path, tab: Tab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A served sandbox's ids are not offered for the real API, nor the other way round."""
    from jobdraft.cache import Cache

    Cache().remember_draft("http://127.0.0.1:8765", "jd_local1", title="Local", status="DRAFT")
    assert "jd_local1" not in tab("bash", "jobdraft show jd_")
    only_local = ["words", "jd_local1"]
    assert tab("bash", "jobdraft --base-url http://127.0.0.1:8765 show jd_") == only_local
    monkeypatch.setenv("OT_API_BASE_URL", "http://127.0.0.1:8765")
    assert tab("bash", "jobdraft show jd_") == only_local
