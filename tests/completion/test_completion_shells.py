"""Completion in real bash, zsh and fish, with the files of completions/ installed as a user would.

Each shell runs interactively in a pseudo-terminal: the test types a line,
presses TAB and reads back the edited line, so what is checked is what a
person gets, including bash's split at '=' and zsh's first TAB.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tests.completion.completion_helpers import (
    NEWEST_FIRST,
    PROMPTS,
    ShellSession,
    need,
    shell_env,
)

pytestmark = pytest.mark.slow

# (typed, line after one TAB): a command, an id, a key (no space after '='),
# an enum value after '=' typed in lower case, an option's fixed value.
CASES = [
    ("jobdraft sh", "jobdraft show "),
    ("jobdraft show jd_93", "jobdraft show jd_9310cc "),
    ("jobdraft patch jd_9310cc --set expe", "jobdraft patch jd_9310cc --set experienceLevel="),
    (
        "jobdraft patch jd_9310cc --set experienceLevel=int",
        "jobdraft patch jd_9310cc --set experienceLevel=INTERMEDIATE ",
    ),
    (
        "jobdraft patch jd_9310cc -s paymentType=pay_per_h",
        "jobdraft patch jd_9310cc -s paymentType=PAY_PER_HOUR ",
    ),
    (
        "jobdraft fill jd_9310cc --set labelTypes=BOUNDING_BOX,poly",
        "jobdraft fill jd_9310cc --set labelTypes=BOUNDING_BOX,POLYGON ",
    ),
    ("jobdraft list --status ong", "jobdraft list --status ONGOING "),
    ("jobdraft list --status=arch", "jobdraft list --status=ARCHIVED "),
]
# Where a value is expected but none is known: nothing at all, above all no file names.
NOTHING = [
    "jobdraft patch jd_9310cc --set jobTitle=",
    "jobdraft patch jd_9310cc --set experienceLevel:=",
    "jobdraft patch jd_9310cc --set experienceLevel=zz",
]

IDS = ["tab-" + typed.split(" ", 2)[-1] for typed, _ in CASES]


@pytest.mark.parametrize(("typed", "expected"), CASES, ids=IDS)
def test_bash_completes(bash_session: ShellSession, typed: str, expected: str) -> None:
    assert bash_session.complete(typed)[0] == expected


@pytest.mark.parametrize(("typed", "expected"), CASES, ids=IDS)
def test_zsh_completes(zsh_session: ShellSession, typed: str, expected: str) -> None:
    assert zsh_session.complete(typed)[0] == expected


@pytest.mark.parametrize(("typed", "expected"), CASES, ids=IDS)
def test_fish_completes(fish_session: ShellSession, typed: str, expected: str) -> None:
    assert fish_session.complete(typed)[0] == expected


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
@pytest.mark.parametrize("typed", NOTHING)
def test_no_file_names_where_a_value_is_expected(
    request: pytest.FixtureRequest, shell: str, typed: str
) -> None:
    session: ShellSession = request.getfixturevalue(f"{shell}_session")
    line, shown = session.complete(typed, tabs=2)
    assert line == typed
    assert "stray-file" not in shown


def test_bash_lists_enum_values_without_the_key(bash_session: ShellSession) -> None:
    _, shown = bash_session.complete("jobdraft patch jd_9310cc --set experienceLevel=", tabs=2)
    listed = shown.split()
    for value in ("EXPERT", "ENTRY_LEVEL", "INTERMEDIATE", "ANY_EXPERIENCE_LEVEL"):
        assert value in listed


def test_bash_lists_file_names_sorted(shell_home: Path) -> None:
    """-o nosort keeps ids newest first; it must not leave file names in disk order.

    A plain interactive bash that sources the static script, as the README
    offers (bash-completion's loader happens to hide the problem).
    """
    folder = shell_home / "work" / "answers"
    folder.mkdir(parents=True, exist_ok=True)
    names = ["src.fish", "drafts.sandbox.bak", "show.fish", "zeta", "alpha", "hi_zsh", "cache"]
    for name in names:
        (folder / name).write_text("{}")
    script = Path(__file__).resolve().parents[2] / "completions" / "bash" / "jobdraft"
    setup = f"source {script}; {PROMPTS['bash']}"
    session = ShellSession(
        [need("bash"), "--norc", "--noprofile", "-i"], shell_env(shell_home), folder, setup
    )
    try:
        _, shown = session.complete("jobdraft patch jd_9310cc --file ", tabs=2)
    finally:
        session.close()
    # readline fills columns top to bottom: read the grid column by column.
    rows = [line.split() for line in shown.splitlines() if "alpha" in line or "zeta" in line]
    rows = [row for row in rows if all(word in names for word in row)]
    listed = [row[i] for i in range(max(map(len, rows))) for row in rows if i < len(row)]
    assert listed == sorted(names), shown


def test_zsh_lists_ids_newest_first_with_their_titles(zsh_session: ShellSession) -> None:
    _, shown = zsh_session.complete("jobdraft show jd_", tabs=2)
    rows = [row.strip() for row in shown.splitlines() if row.strip().startswith("jd_")]
    assert [row.split()[0] for row in rows] == NEWEST_FIRST
    assert "Code review for RLHF" in rows[0]
    assert "Medical images: X-ray labelers" in rows[1]


def test_zsh_lists_the_values_of_an_enum(zsh_session: ShellSession) -> None:
    _, shown = zsh_session.complete("jobdraft patch jd_9310cc --set dataVolumeUnit=", tabs=2)
    assert "NUMBER_OF_WORDS" in shown.split()


# -- the same answers through each shell's own entry points, no terminal ------------


def bash_reply(env: dict[str, str], line: str) -> list[str]:
    """COMPREPLY from the installed script, with COMP_* set as bash sets them."""
    script = (
        "source ~/data/bash-completion/completions/jobdraft\n"
        "COMP_LINE=$1; COMP_POINT=${#1}\n"
        "COMP_WORDBREAKS=$' \\t\\n\"'\"'\"'><=;|&(:'\n"
        'read -ra COMP_WORDS <<< "$1"; COMP_CWORD=${#COMP_WORDS[@]}\n'
        "_jobdraft_completion jobdraft\n"
        "printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    done = subprocess.run(
        [need("bash"), "--norc", "--noprofile", "-c", script, "bash", line],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert done.stderr == ""
    return [reply for reply in done.stdout.splitlines() if reply]


def fish_complete(env: dict[str, str], line: str) -> list[str]:
    """fish's own answer (``complete --do-complete``), the script autoloaded from ~/.config."""
    done = subprocess.run(
        [need("fish"), "-c", f"complete --do-complete '{line}'"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_bash_function_answers(shell_home: Path) -> None:
    env = shell_env(shell_home)
    assert bash_reply(env, "jobdraft show ") == NEWEST_FIRST
    assert bash_reply(env, "jobdraft --sandbox show ") == ["sbx_0001"]
    assert bash_reply(env, "jobdraft patch x --set experienceLevel=") == [
        "EXPERT",
        "ENTRY_LEVEL",
        "INTERMEDIATE",
        "ANY_EXPERIENCE_LEVEL",
    ]
    assert bash_reply(env, "jobdraft patch x --set dataVol") == ["dataVolumeUnit=", "dataVolume="]
    assert bash_reply(env, "jobdraft patch x --set jobTitle=") == []


def test_fish_shows_titles_beside_ids(shell_home: Path) -> None:
    env = shell_env(shell_home)
    assert fish_complete(env, "jobdraft show ") == [
        "jd_9310cc\tCode review for RLHF [DRAFT]",
        "jd_4821bb\tMedical images: X-ray labelers [OPEN]",
        "jd_4821aa\tSpanish audio transcription [DRAFT]",
    ]
    assert fish_complete(env, "jobdraft patch x --set experienceLevel=e") == [
        "experienceLevel=EXPERT",
        "experienceLevel=ENTRY_LEVEL",
    ]
    assert fish_complete(env, "jobdraft patch x --set jobTitle=") == []
